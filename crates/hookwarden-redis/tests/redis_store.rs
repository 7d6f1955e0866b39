//! What `RedisStore` keeps in Redis: namespaced keys, tokens and the processed marker, their
//! expiries, and the lease on claims in flight.

mod common;

use std::time::Duration;

use common::{shared_store, unique_prefix};
use hookwarden::{ClaimOutcome, ReplayKey, ReplayStore};
use hookwarden_redis::RedisStore;

async fn raw(store: &RedisStore, redis_key: &str) -> (Option<String>, i64) {
    let mut connection = store.connection().expect("a single-server store").clone();
    let value: Option<String> = redis::cmd("GET").arg(redis_key).query_async(&mut connection).await.unwrap();
    let pttl: i64 = redis::cmd("PTTL").arg(redis_key).query_async(&mut connection).await.unwrap();
    (value, pttl)
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn keys_are_namespaced_and_hold_a_token_then_the_processed_marker() {
    let store = shared_store("redis_store::keys_are_namespaced").await;
    let prefix = unique_prefix("namespaced");
    let store = store.prefix(prefix.as_str());
    let key = ReplayKey::new("stripe:id:evt_1");
    let redis_key = format!("{prefix}stripe:id:evt_1");

    let ClaimOutcome::Fresh(token) = store.claim(&key, Duration::from_secs(60)).await.unwrap() else {
        panic!("fresh")
    };
    let (value, pttl) = raw(&store, &redis_key).await;
    assert_eq!(value, Some(format!("{:032x}", token.get())));
    assert!((59_000..=60_000).contains(&pttl), "{pttl}");

    store.commit(&key, token, Duration::from_secs(600)).await.unwrap();
    let (value, pttl) = raw(&store, &redis_key).await;
    assert_eq!(value.as_deref(), Some("processed"));
    assert!((599_000..=600_000).contains(&pttl), "{pttl}");

    // Another prefix is another namespace: the same delivery is fresh there.
    let other = store.clone().prefix(unique_prefix("namespaced-other"));
    assert!(matches!(other.claim(&key, Duration::from_secs(60)).await.unwrap(), ClaimOutcome::Fresh(_)));
    assert_eq!(store.claim(&key, Duration::from_secs(60)).await.unwrap(), ClaimOutcome::Duplicate);
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn the_lease_caps_how_long_a_claim_stays_in_flight() {
    let store = shared_store("redis_store::the_lease_caps").await;
    let store = store.lease(Duration::from_secs(1));
    let day = Duration::from_secs(24 * 60 * 60);

    // An instance claims a delivery, then dies without releasing it.
    let abandoned = ReplayKey::new("abandoned");
    assert!(matches!(store.claim(&abandoned, day).await.unwrap(), ClaimOutcome::Fresh(_)));
    assert_eq!(store.claim(&abandoned, day).await.unwrap(), ClaimOutcome::InFlight);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    // The sender's retry is processed after the lease, not a day later.
    assert!(matches!(store.claim(&abandoned, day).await.unwrap(), ClaimOutcome::Fresh(_)));

    // A delivery committed in time is remembered for the full TTL.
    let handled = ReplayKey::new("handled");
    let ClaimOutcome::Fresh(token) = store.claim(&handled, day).await.unwrap() else { panic!("fresh") };
    store.commit(&handled, token, day).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(store.claim(&handled, day).await.unwrap(), ClaimOutcome::Duplicate);
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn clones_share_the_connection_and_never_share_tokens() {
    let store = shared_store("redis_store::clones").await;
    let clone = store.clone();
    let ttl = Duration::from_secs(60);
    let (a, b) = (ReplayKey::new("a"), ReplayKey::new("b"));
    let (ClaimOutcome::Fresh(first), ClaimOutcome::Fresh(second)) =
        (store.claim(&a, ttl).await.unwrap(), clone.claim(&b, ttl).await.unwrap())
    else {
        panic!("fresh claims")
    };
    assert_ne!(first, second);
    // A token from one key never frees another.
    clone.release(&a, second).await.unwrap();
    assert_eq!(store.claim(&a, ttl).await.unwrap(), ClaimOutcome::InFlight);
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn debug_shows_the_configuration() {
    let store = shared_store("redis_store::debug").await;
    let text = format!("{:?}", store.prefix("p:").timeout(Duration::from_millis(100)).fail_open(true));
    assert!(
        text.contains(r#"prefix: "p:""#) && text.contains("100ms") && text.contains("fail_open: true"),
        "{text}"
    );
}
