//! `PostgresStore` on a real PostgreSQL, beyond the shared contract: the transactional mode's
//! standalone API, the migration, the purge of expired rows, and an unreachable database.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{count, postgres_url, shared_store, unique_table};
use hookwarden::replay::StoreErrorKind;
use hookwarden::{Claim, ClaimOutcome, ReplayKey, ReplayStore};
use hookwarden_postgres::{CommitError, PostgresStore, Table};

const TTL: Duration = Duration::from_secs(60);

async fn effects_table(store: &PostgresStore, test: &str) -> String {
    let table = unique_table(test);
    sqlx::raw_sql(&format!("CREATE TABLE {table} (event_id text NOT NULL)"))
        .execute(store.pool())
        .await
        .unwrap();
    table
}

async fn claim(store: &Arc<PostgresStore>, key: &str, lease: Duration) -> Claim<PostgresStore> {
    Claim::acquire(store.clone(), ReplayKey::new(key), lease, TTL).await.expect("a fresh claim")
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn a_committed_transaction_keeps_the_effect_and_the_mark_together() {
    let store = Arc::new(shared_store("tx_commit").await);
    let effects = effects_table(&store, "tx_commit").await;
    let mut tx = store.begin(claim(&store, "k", TTL).await).await.unwrap();
    sqlx::query(&format!("INSERT INTO {effects} VALUES ('k')")).execute(&mut *tx).await.unwrap();
    // Until the commit, a copy is in flight and the effect is invisible.
    assert_eq!(store.claim(&ReplayKey::new("k"), TTL).await.unwrap(), ClaimOutcome::InFlight);
    assert_eq!(count(store.pool(), &effects).await, 0);
    tx.commit().await.unwrap();
    assert_eq!(store.claim(&ReplayKey::new("k"), TTL).await.unwrap(), ClaimOutcome::Duplicate);
    assert_eq!(count(store.pool(), &effects).await, 1);
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn a_rolled_back_or_dropped_transaction_leaves_the_delivery_unprocessed() {
    let store = Arc::new(shared_store("tx_rollback").await);
    let effects = effects_table(&store, "tx_rollback").await;
    let mut tx = store.begin(claim(&store, "k", TTL).await).await.unwrap();
    sqlx::query(&format!("INSERT INTO {effects} VALUES ('k')")).execute(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(count(store.pool(), &effects).await, 0);

    // The retry is fresh; dropping its transaction unresolved releases it too (in the background).
    let mut tx = store.begin(claim(&store, "k", TTL).await).await.unwrap();
    sqlx::query(&format!("INSERT INTO {effects} VALUES ('k')")).execute(&mut *tx).await.unwrap();
    drop(tx);
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match store.claim(&ReplayKey::new("k"), TTL).await.unwrap() {
            ClaimOutcome::Fresh(_) => break,
            ClaimOutcome::InFlight if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await
            }
            other => panic!("the dropped transaction's claim was not released: {other:?}"),
        }
    }
    assert_eq!(count(store.pool(), &effects).await, 0);
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn a_claim_whose_lease_lapsed_and_was_taken_does_not_commit_its_effects() {
    let store = Arc::new(shared_store("tx_lost").await.lease(Duration::from_millis(300)));
    let effects = effects_table(&store, "tx_lost").await;
    let mut slow = store.begin(claim(&store, "k", TTL).await).await.unwrap();
    sqlx::query(&format!("INSERT INTO {effects} VALUES ('slow')")).execute(&mut *slow).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;

    // The lease lapsed: a retry takes the delivery and commits first.
    let mut retry = store.begin(claim(&store, "k", TTL).await).await.unwrap();
    sqlx::query(&format!("INSERT INTO {effects} VALUES ('retry')")).execute(&mut *retry).await.unwrap();
    retry.commit().await.unwrap();

    assert!(matches!(slow.commit().await, Err(CommitError::ClaimLost)));
    let rows: Vec<String> =
        sqlx::query_scalar(&format!("SELECT event_id FROM {effects}")).fetch_all(store.pool()).await.unwrap();
    assert_eq!(rows, ["retry"], "only the retry's effects are kept");
    assert_eq!(store.claim(&ReplayKey::new("k"), TTL).await.unwrap(), ClaimOutcome::Duplicate);
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn a_transaction_marking_first_makes_a_late_claim_wait_then_see_a_duplicate() {
    let store = Arc::new(shared_store("tx_race").await.lease(Duration::from_millis(300)));
    let first = store.begin(claim(&store, "k", TTL).await).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    // The lease lapsed, but the first handler commits now: its mark locks the row until then.
    let key = ReplayKey::new("k");
    let late = {
        let store = store.clone();
        let key = key.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            store.claim(&key, TTL).await
        })
    };
    first.commit().await.unwrap();
    let late = late.await.unwrap();
    assert!(matches!(late, Ok(ClaimOutcome::Duplicate) | Err(_)), "{late:?}");
    assert_eq!(store.claim(&key, TTL).await.unwrap(), ClaimOutcome::Duplicate);
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn the_migration_runs_concurrently_and_again() {
    let url = postgres_url("migration");
    let table = Table::new(&unique_table("migration")).unwrap();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (url, table) = (url.clone(), table.clone());
            tokio::spawn(
                async move { PostgresStore::connect(&url).await.unwrap().table(table).migrate().await },
            )
        })
        .collect();
    for run in runs {
        run.await.unwrap().unwrap();
    }
    let store = PostgresStore::connect(&url).await.unwrap().table(table);
    store.migrate().await.unwrap();
    assert!(matches!(store.claim(&ReplayKey::new("k"), TTL).await.unwrap(), ClaimOutcome::Fresh(_)));
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn expired_rows_are_purged_by_claims_and_on_demand() {
    let url = postgres_url("purge");
    let table = unique_table("purge");
    let store = PostgresStore::connect(&url).await.unwrap().table(Table::new(&table).unwrap());
    store.migrate().await.unwrap();
    sqlx::raw_sql(&format!(
        "INSERT INTO {table} SELECT '', 'old-' || i, NULL, clock_timestamp() - interval '1 second' \
         FROM generate_series(1, 20) AS i"
    ))
    .execute(store.pool())
    .await
    .unwrap();
    // Each claim deletes up to four expired rows on its way (and adds its own).
    store.claim(&ReplayKey::new("new-1"), TTL).await.unwrap();
    assert_eq!(count(store.pool(), &table).await, 20 - 4 + 1);
    assert_eq!(store.purge_expired(10).await.unwrap(), 10);
    assert_eq!(store.purge_expired(100).await.unwrap(), 6);
    assert_eq!(count(store.pool(), &table).await, 1);
}

#[tokio::test]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn the_claim_reads_expired_rows_through_the_index_not_the_table() {
    let url = postgres_url("purge_plan");
    let table = unique_table("purge_plan");
    let store = PostgresStore::connect(&url).await.unwrap().table(Table::new(&table).unwrap());
    store.migrate().await.unwrap();
    sqlx::raw_sql(&format!(
        "INSERT INTO {table} SELECT '', 'k' || i, NULL, clock_timestamp() + i * interval '1 second' \
         FROM generate_series(1, 20000) AS i; ANALYZE {table};"
    ))
    .execute(store.pool())
    .await
    .unwrap();
    // The claim itself, as PostgreSQL runs it: the purge's index scan stops at the first row
    // that has not expired (none here), instead of reading all 20,000 and filtering them.
    let mut tx = store.pool().begin().await.unwrap();
    let plan: Vec<String> = sqlx::query_scalar(&format!(
        "EXPLAIN (ANALYZE, FORMAT TEXT) WITH purged AS (DELETE FROM {table} WHERE ctid = ANY (ARRAY(\
            SELECT ctid FROM {table} WHERE expires_at < statement_timestamp() \
            AND NOT (namespace = '' AND key = 'x') ORDER BY expires_at LIMIT 4 FOR UPDATE SKIP LOCKED))) \
         SELECT 1"
    ))
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert!(
        plan.iter().any(|line| line.contains(&format!("Index Scan using {table}_expires_at"))),
        "{plan:#?}"
    );
    assert!(
        plan.iter().any(|line| line.contains("Index Cond: (expires_at < statement_timestamp())")),
        "{plan:#?}"
    );
    assert!(!plan.iter().any(|line| line.contains("Rows Removed by Filter")), "{plan:#?}");
    assert!(!plan.iter().any(|line| line.contains("Seq Scan")), "{plan:#?}");
}

#[tokio::test]
async fn an_unreachable_database_answers_unavailable_quickly_or_fails_open() {
    let port = common::free_port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let store = PostgresStore::connect_lazy(&url).unwrap();
    let started = Instant::now();
    let err = store.claim(&ReplayKey::new("k"), TTL).await.unwrap_err();
    assert!(matches!(err.kind(), StoreErrorKind::Unavailable | StoreErrorKind::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());

    let open = store.fail_open(true);
    let ClaimOutcome::Fresh(token) = open.claim(&ReplayKey::new("k"), TTL).await.unwrap() else { panic!() };
    open.commit(&ReplayKey::new("k"), token, TTL).await.unwrap();
    open.release(&ReplayKey::new("k"), token).await.unwrap();
}
