//! The Lambda function: builds the endpoints once per execution environment, then hands every
//! invocation to the app. See the example's `README.md` for building and deploying it.

use std::process::ExitCode;
use std::sync::Arc;

use hookwarden::{MemoryStore, ReplayStore};

// One invocation at a time per execution environment: a single-threaded runtime is enough, and
// starts faster.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // CloudWatch timestamps every line and shows no colours. RUST_LOG=debug logs rejections too.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .without_time()
        .with_ansi(false)
        .init();

    // The cold start: secrets decoded and HMAC key schedules computed here, once, outside the
    // handler; every warm invocation reuses them (and the store's connection).
    let webhooks = match replay_store()
        .and_then(|store| aws_lambda::Webhooks::from_lookup(store, |name| std::env::var(name).ok()))
    {
        Ok(webhooks) => webhooks,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::FAILURE;
        }
    };
    match lambda_http::run(aws_lambda::app(webhooks)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the Lambda runtime stopped");
            ExitCode::FAILURE
        }
    }
}

/// Redis when `REDIS_URL` is set (feature `redis`): one store for every execution environment.
/// Otherwise a `MemoryStore`, which only recognises copies that reach this same environment.
fn replay_store() -> Result<Arc<dyn ReplayStore>, String> {
    #[cfg(feature = "redis")]
    if let Ok(url) = std::env::var("REDIS_URL") {
        // Lazily: a cold start neither waits for Redis nor fails without it; deliveries are
        // answered 503 (and retried by the sender) until it is reachable.
        let store = hookwarden_redis::RedisStore::connect_lazy(url.as_str())
            .map_err(|error| format!("REDIS_URL is unusable: {error}"))?;
        return Ok(Arc::new(store));
    }
    tracing::warn!(
        "replay store: in memory, so a copy that reaches another execution environment of this \
         function is processed again; build with --features redis and set REDIS_URL to share one"
    );
    Ok(Arc::new(MemoryStore::new()))
}
