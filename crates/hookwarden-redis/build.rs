//! The tests that need a Redis server run only where there is one, or under `CI=true`, where a
//! missing server must fail them. Elsewhere the test runner reports them as ignored, never as
//! passed. One cfg per deployment, each set by its variable (`source .ci/redis.sh` and
//! `source .ci/redis-deployments.sh` set them all):
//!
//! - `redis_server`: `HOOKWARDEN_REDIS_URL`, a plain redis-server (the fault tests also start
//!   servers, clusters and Sentinels of their own from its binary);
//! - `redis_tls`: `HOOKWARDEN_REDIS_TLS_URL`, a TLS-only redis-server;
//! - `redis_cluster`: `HOOKWARDEN_REDIS_CLUSTER_URLS`, a Redis Cluster;
//! - `redis_sentinel`: `HOOKWARDEN_REDIS_SENTINEL_URLS`, a Sentinel-monitored primary.

fn main() {
    let ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    println!("cargo::rerun-if-env-changed=CI");
    for (variable, cfg) in [
        ("HOOKWARDEN_REDIS_URL", "redis_server"),
        ("HOOKWARDEN_REDIS_TLS_URL", "redis_tls"),
        ("HOOKWARDEN_REDIS_CLUSTER_URLS", "redis_cluster"),
        ("HOOKWARDEN_REDIS_SENTINEL_URLS", "redis_sentinel"),
    ] {
        println!("cargo::rerun-if-env-changed={variable}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if ci || std::env::var(variable).is_ok_and(|value| !value.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
