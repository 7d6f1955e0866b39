//! The replay-store contract (hookwarden-store-contract) against `RedisStore` on each Redis
//! deployment: one server, one over TLS, a Redis Cluster, and a Sentinel-monitored primary.
//! Real servers, whose `PX` expiries need real time (TTLs of a few seconds; the cases run in
//! parallel, each under its own key prefix).

mod common;

use hookwarden_store_contract::{Real, store_contract};

store_contract!(
    #[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
    redis,
    |test: &'static str| async move { (common::shared_store(test).await, Real) }
);

store_contract!(
    #[cfg_attr(not(redis_tls), ignore = "needs the TLS redis-server: source .ci/redis-deployments.sh")]
    redis_tls,
    |test: &'static str| async move { (common::tls_store(test).await, Real) }
);

store_contract!(
    #[cfg_attr(not(redis_cluster), ignore = "needs the Redis Cluster: source .ci/redis-deployments.sh")]
    redis_cluster,
    |test: &'static str| async move { (common::cluster_store(test).await, Real) }
);

store_contract!(
    #[cfg_attr(not(redis_sentinel), ignore = "needs the Sentinel: source .ci/redis-deployments.sh")]
    redis_sentinel,
    |test: &'static str| async move { (common::sentinel_store(test).await, Real) }
);
