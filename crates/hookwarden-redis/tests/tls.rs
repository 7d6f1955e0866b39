//! TLS: a `rediss://` store checks the server's certificate (against a given CA bundle, or the
//! platform's roots), presents a client certificate when the server asks for one, and fails
//! to start, with a clear error, on anything that does not check out: never a plain-TCP
//! fallback.
//!
//! Against the TLS-only redis-server of `.ci/redis-deployments.sh` (it asks for client
//! certificates).

mod common;

use std::time::Duration;

use common::{deployment_file, deployment_var, tls_builder};
use hookwarden::{ClaimOutcome, ReplayKey, ReplayStore};
use hookwarden_redis::RedisStore;

const TTL: Duration = Duration::from_secs(30);

fn url(test: &str) -> String {
    deployment_var(test, "HOOKWARDEN_REDIS_TLS_URL")
}

fn client_certificate(test: &str) -> (Vec<u8>, Vec<u8>) {
    (deployment_file(test, "HOOKWARDEN_REDIS_TLS_CERT"), deployment_file(test, "HOOKWARDEN_REDIS_TLS_KEY"))
}

/// The error `connect` gave, as text.
async fn connect_error(builder: hookwarden_redis::RedisStoreBuilder) -> String {
    match builder.connect().await {
        Ok(store) => panic!("connected where it must not: {store:?}"),
        Err(err) => err.to_string(),
    }
}

#[tokio::test]
#[cfg_attr(not(redis_tls), ignore = "needs the TLS redis-server: source .ci/redis-deployments.sh")]
async fn a_trusted_server_with_a_client_certificate_stores_claims() {
    let test = "tls::trusted";
    let store = tls_builder(test).connect().await.unwrap().prefix(common::unique_prefix(test));
    let key = ReplayKey::new("tls");
    let ClaimOutcome::Fresh(token) = store.claim(&key, TTL).await.unwrap() else { panic!("fresh") };
    store.commit(&key, token, TTL).await.unwrap();
    assert_eq!(store.claim(&key, TTL).await.unwrap(), ClaimOutcome::Duplicate);
    store.ping().await.unwrap();
}

#[tokio::test]
#[cfg_attr(not(redis_tls), ignore = "needs the TLS redis-server: source .ci/redis-deployments.sh")]
async fn a_certificate_from_an_untrusted_ca_fails_at_startup() {
    let test = "tls::untrusted";
    let (certificate, key) = client_certificate(test);
    let err = connect_error(
        RedisStore::builder(url(test))
            .ca_bundle(deployment_file(test, "HOOKWARDEN_REDIS_TLS_OTHER_CA"))
            .client_certificate(certificate, key),
    )
    .await;
    assert!(err.contains("certificate") && err.contains("UnknownIssuer"), "{err}");
}

#[tokio::test]
#[cfg_attr(not(redis_tls), ignore = "needs the TLS redis-server: source .ci/redis-deployments.sh")]
async fn the_platform_roots_do_not_trust_a_private_ca() {
    // No CA bundle: the platform's roots, which do not hold the throwaway CA.
    let test = "tls::platform-roots";
    let err = connect_error(RedisStore::builder(url(test))).await;
    assert!(err.contains("certificate"), "{err}");
    assert!(RedisStore::connect(url(test).as_str()).await.is_err());
}

#[tokio::test]
#[cfg_attr(not(redis_tls), ignore = "needs the TLS redis-server: source .ci/redis-deployments.sh")]
async fn a_server_that_asks_for_a_client_certificate_refuses_a_client_without_one() {
    let test = "tls::no-client-certificate";
    let builder = RedisStore::builder(url(test)).ca_bundle(deployment_file(test, "HOOKWARDEN_REDIS_TLS_CA"));
    // TLS 1.3: the server refuses the missing certificate after the client's handshake ends,
    // so the refusal surfaces at the first command `connect` sends.
    connect_error(builder).await;
}

#[tokio::test]
#[cfg_attr(not(redis_tls), ignore = "needs the TLS redis-server: source .ci/redis-deployments.sh")]
async fn a_ca_bundle_never_turns_into_plain_tcp() {
    let test = "tls::no-plaintext";
    // TLS settings with a redis:// URL: an error, not a plain connection.
    let plain_url = url(test).replacen("rediss://", "redis://", 1);
    let err = connect_error(
        RedisStore::builder(plain_url).ca_bundle(deployment_file(test, "HOOKWARDEN_REDIS_TLS_CA")),
    )
    .await;
    assert!(err.contains("rediss://"), "{err}");
    // The `redis` crate's "#insecure" (no certificate check) is not compiled in.
    assert!(RedisStore::connect(format!("{}#insecure", url(test)).as_str()).await.is_err());
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn a_rediss_url_on_a_plain_server_fails() {
    let plain = common::redis_url("tls::plain-server");
    let err = connect_error(RedisStore::builder(plain.replacen("redis://", "rediss://", 1))).await;
    assert!(!err.is_empty());
}
