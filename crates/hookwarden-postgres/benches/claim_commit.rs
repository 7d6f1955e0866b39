//! Claim + commit (what one accepted delivery costs the replay store) on `PostgresStore`,
//! beside `MemoryStore` and `RedisStore` in the same run; and the transactional mode's extra
//! cost over the handler's own transaction.
//!
//! ```sh
//! source .ci/postgres.sh   # or export HOOKWARDEN_POSTGRES_URL=postgres://...
//! source .ci/redis.sh      # optional: RedisStore too (HOOKWARDEN_REDIS_URL)
//! cargo bench -p hookwarden-postgres --bench claim_commit -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Criterion measures the mean time of one sequential claim + commit per store, and of one
//! handler transaction (`BEGIN`, an `INSERT`, `COMMIT`) without and with the mark of the
//! transactional mode. Then a latency report times each operation on its own, sequentially and
//! from 64 concurrent tasks, and prints operations per second and p50/p99 latency. Without
//! `HOOKWARDEN_POSTGRES_URL` only `MemoryStore` (and Redis, if set) is measured.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use hookwarden::{Claim, ClaimOutcome, MemoryStore, ReplayKey, ReplayStore};
use hookwarden_postgres::{PostgresStore, Table};
use hookwarden_redis::RedisStore;
use sqlx::PgPool;

const TTL: Duration = Duration::from_secs(600);
/// Operations timed one by one in the sequential latency report.
const SEQUENTIAL: usize = 5_000;
/// Concurrent tasks, and operations each, in the latency report.
const TASKS: usize = 64;
const PER_TASK: usize = 100;
/// Connections in the PostgreSQL pool.
const POOL: u32 = 32;

/// Keys no run shares.
static NEXT: AtomicUsize = AtomicUsize::new(0);

fn key() -> ReplayKey {
    ReplayKey::new(format!("bench:{}:{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)))
}

/// One accepted delivery: claim, then commit.
async fn claim_commit<S: ReplayStore + ?Sized>(store: &S, key: &ReplayKey) {
    match store.claim(key, TTL).await {
        Ok(ClaimOutcome::Fresh(token)) => store.commit(key, token, TTL).await.expect("commit"),
        other => panic!("expected a fresh claim of {key}, got {other:?}"),
    }
}

/// What the benchmark's handler does in its transaction: one effect row.
fn insert_effect(effects: &str) -> String {
    format!("INSERT INTO {effects} (event_id) VALUES ($1)")
}

/// The handler's own transaction, without hookwarden.
async fn own_transaction(pool: &PgPool, insert: &str, key: &ReplayKey) {
    let mut tx = pool.begin().await.expect("begin");
    sqlx::query(insert).bind(key.as_str()).execute(&mut *tx).await.expect("insert");
    tx.commit().await.expect("commit");
}

/// The same transaction in the transactional mode, for a claim already made: the mark is the
/// one statement it adds.
async fn marked_transaction(store: &PostgresStore, claim: Claim<PostgresStore>, insert: &str) {
    let key = claim.key().as_str().to_owned();
    let mut tx = store.begin(claim).await.expect("begin");
    sqlx::query(insert).bind(key).execute(&mut *tx).await.expect("insert");
    tx.commit().await.expect("commit");
}

async fn claim(store: &Arc<PostgresStore>) -> Claim<PostgresStore> {
    Claim::acquire(store.clone(), key(), TTL, TTL).await.expect("fresh claim")
}

/// A PostgreSQL store on tables of this run's own, and its effects table.
struct Postgres {
    store: Arc<PostgresStore>,
    effects: String,
    insert: String,
}

impl Postgres {
    async fn connect(url: &str) -> Self {
        let pool = PostgresStore::pool_options()
            .max_connections(POOL)
            .connect(url)
            .await
            .expect("connect to PostgreSQL");
        let run = std::process::id();
        let store = PostgresStore::new(pool).table(Table::new(&format!("bench_replay_{run}")).unwrap());
        store.migrate().await.expect("migrate");
        let effects = format!("bench_effects_{run}");
        sqlx::raw_sql(&format!("CREATE TABLE IF NOT EXISTS {effects} (event_id text NOT NULL)"))
            .execute(store.pool())
            .await
            .expect("create the effects table");
        let insert = insert_effect(&effects);
        Self { store: Arc::new(store), effects, insert }
    }

    async fn drop_tables(&self) {
        let run = std::process::id();
        let _ = sqlx::raw_sql(&format!("DROP TABLE IF EXISTS {}, bench_replay_{run}", self.effects))
            .execute(self.store.pool())
            .await;
    }
}

fn criterion_benches(
    criterion: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    postgres: Option<&Postgres>,
    redis: Option<&RedisStore>,
) {
    let mut group = criterion.benchmark_group("claim+commit");
    let memory = MemoryStore::new();
    group.bench_function("MemoryStore", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let keys: Vec<_> = (0..iters).map(|_| key()).collect();
                let started = Instant::now();
                for key in &keys {
                    claim_commit(&memory, black_box(key)).await;
                }
                started.elapsed()
            })
        });
    });
    if let Some(postgres) = postgres {
        group.bench_function("PostgresStore", |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let keys: Vec<_> = (0..iters).map(|_| key()).collect();
                    let started = Instant::now();
                    for key in &keys {
                        claim_commit(&*postgres.store, key).await;
                    }
                    started.elapsed()
                })
            });
        });
    }
    if let Some(redis) = redis {
        group.bench_function("RedisStore", |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let keys: Vec<_> = (0..iters).map(|_| key()).collect();
                    let started = Instant::now();
                    for key in &keys {
                        claim_commit(redis, key).await;
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();

    let Some(postgres) = postgres else { return };
    let mut group = criterion.benchmark_group("handler transaction");
    group.bench_function("own (BEGIN, INSERT, COMMIT)", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let keys: Vec<_> = (0..iters).map(|_| key()).collect();
                let started = Instant::now();
                for key in &keys {
                    own_transaction(postgres.store.pool(), &postgres.insert, key).await;
                }
                started.elapsed()
            })
        });
    });
    // Only the transaction is timed: the claim before it is the store's cost, measured above.
    group.bench_function("transactional mode (BEGIN, INSERT, mark, COMMIT)", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let claim = claim(&postgres.store).await;
                    let started = Instant::now();
                    marked_transaction(&postgres.store, claim, &postgres.insert).await;
                    spent += started.elapsed();
                }
                spent
            })
        });
    });
    group.bench_function("claim + transactional mode", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    let claim = claim(&postgres.store).await;
                    marked_transaction(&postgres.store, claim, &postgres.insert).await;
                }
                started.elapsed()
            })
        });
    });
    group.finish();
}

/// Latencies, sorted.
struct Report {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Report {
    fn print(mut self, name: &str) {
        self.latencies.sort_unstable();
        let at = |q: f64| {
            self.latencies[((self.latencies.len() as f64 * q) as usize).min(self.latencies.len() - 1)]
        };
        println!(
            "{name:<48} {:>9.0} ops/s   p50 {:>9.1?}   p99 {:>9.1?}   ({} ops)",
            self.latencies.len() as f64 / self.wall.as_secs_f64(),
            at(0.50),
            at(0.99),
            self.latencies.len(),
        );
    }
}

/// Runs `op` `ops` times in a row, timing each.
async fn sequential<F: Future<Output = ()>>(ops: usize, op: impl Fn() -> F) -> Report {
    let mut latencies = Vec::with_capacity(ops);
    let started = Instant::now();
    for _ in 0..ops {
        let at = Instant::now();
        op().await;
        latencies.push(at.elapsed());
    }
    Report { latencies, wall: started.elapsed() }
}

/// Runs `op` from [`TASKS`] tasks, [`PER_TASK`] times each, timing each.
async fn concurrent<F>(op: impl Fn() -> F + Clone + Send + 'static) -> Report
where
    F: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(PER_TASK);
                for _ in 0..PER_TASK {
                    let at = Instant::now();
                    op().await;
                    latencies.push(at.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(TASKS * PER_TASK);
    for task in tasks {
        latencies.extend(task.await.expect("task"));
    }
    Report { latencies, wall: started.elapsed() }
}

fn latency_report(postgres_url: Option<&str>, redis_url: Option<&str>) {
    println!("\neach operation timed on its own (PostgreSQL pool: {POOL} connections):");
    let current = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let multi = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    let memory = Arc::new(MemoryStore::new());
    let store = memory.clone();
    current
        .block_on(sequential(SEQUENTIAL * 10, || {
            let store = store.clone();
            async move { claim_commit(&*store, &key()).await }
        }))
        .print("claim+commit MemoryStore, sequential");
    let store = memory.clone();
    multi
        .block_on(concurrent(move || {
            let store = store.clone();
            async move { claim_commit(&*store, &key()).await }
        }))
        .print(&format!("claim+commit MemoryStore, {TASKS} tasks"));

    if let Some(url) = redis_url {
        let redis = current.block_on(RedisStore::connect(url)).expect("connect to Redis");
        current
            .block_on(sequential(SEQUENTIAL, || {
                let redis = redis.clone();
                async move { claim_commit(&redis, &key()).await }
            }))
            .print("claim+commit RedisStore, sequential");
        let redis = multi.block_on(RedisStore::connect(url)).expect("connect to Redis");
        multi
            .block_on(concurrent(move || {
                let redis = redis.clone();
                async move { claim_commit(&redis, &key()).await }
            }))
            .print(&format!("claim+commit RedisStore, {TASKS} tasks"));
    }

    let Some(url) = postgres_url else { return };
    let postgres = current.block_on(Postgres::connect(url));
    let store = postgres.store.clone();
    current
        .block_on(sequential(SEQUENTIAL, || {
            let store = store.clone();
            async move { claim_commit(&*store, &key()).await }
        }))
        .print("claim+commit PostgresStore, sequential");
    let pool = postgres.store.pool().clone();
    let insert = postgres.insert.clone();
    current
        .block_on(sequential(SEQUENTIAL, || {
            let (pool, insert) = (pool.clone(), insert.clone());
            async move { own_transaction(&pool, &insert, &key()).await }
        }))
        .print("own transaction, sequential");
    current
        .block_on(sequential(SEQUENTIAL, || {
            let (store, insert) = (store.clone(), insert.clone());
            async move {
                let claim = claim(&store).await;
                marked_transaction(&store, claim, &insert).await;
            }
        }))
        .print("claim + transactional mode, sequential");
    current.block_on(postgres.drop_tables());

    // A pool made on the runtime it runs on.
    let postgres = multi.block_on(Postgres::connect(url));
    let store = postgres.store.clone();
    multi
        .block_on(concurrent(move || {
            let store = store.clone();
            async move { claim_commit(&*store, &key()).await }
        }))
        .print(&format!("claim+commit PostgresStore, {TASKS} tasks"));
    let (pool, insert) = (postgres.store.pool().clone(), postgres.insert.clone());
    multi
        .block_on(concurrent(move || {
            let (pool, insert) = (pool.clone(), insert.clone());
            async move { own_transaction(&pool, &insert, &key()).await }
        }))
        .print(&format!("own transaction, {TASKS} tasks"));
    let (store, insert) = (postgres.store.clone(), postgres.insert.clone());
    multi
        .block_on(concurrent(move || {
            let (store, insert) = (store.clone(), insert.clone());
            async move {
                let claim = claim(&store).await;
                marked_transaction(&store, claim, &insert).await;
            }
        }))
        .print(&format!("claim + transactional mode, {TASKS} tasks"));
    multi.block_on(postgres.drop_tables());
}

fn main() {
    let env = |name: &str| std::env::var(name).ok().filter(|url| !url.is_empty());
    let (postgres_url, redis_url) = (env("HOOKWARDEN_POSTGRES_URL"), env("HOOKWARDEN_REDIS_URL"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let postgres = postgres_url.as_deref().map(|url| runtime.block_on(Postgres::connect(url)));
    let redis =
        redis_url.as_deref().map(|url| runtime.block_on(RedisStore::connect(url)).expect("connect to Redis"));
    if postgres.is_none() {
        println!("HOOKWARDEN_POSTGRES_URL is not set: PostgresStore is not measured");
    }

    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &runtime, postgres.as_ref(), redis.as_ref());
    criterion.final_summary();
    if let Some(postgres) = &postgres {
        runtime.block_on(postgres.drop_tables());
    }

    // `cargo test --benches` runs this with `--test` (and `--list` lists): the report is for
    // real runs only.
    if !std::env::args().any(|arg| arg == "--test" || arg == "--list") {
        latency_report(postgres_url.as_deref(), redis_url.as_deref());
    }
}
