//! An axum receiver for GitHub webhooks.
//!
//! Run with
//!
//! ```text
//! GITHUB_WEBHOOK_SECRET=... cargo run -p axum-github
//! ```
//!
//! and set the repository's webhook to `http://<host>:3000/webhooks/github`, content type
//! `application/json`, with the same secret (set `BIND` to listen elsewhere, and
//! `GITHUB_WEBHOOK_SECRET_PREVIOUS` during a secret rotation). To try it without GitHub, print
//! a signed `curl` command for a sample `ping` delivery:
//!
//! ```text
//! GITHUB_WEBHOOK_SECRET=... cargo run -p axum-github -- curl
//! ```
//!
//! Run the printed command twice: the first delivery is handled, the copy is acknowledged as a
//! duplicate (200) without reaching the handler.
//!
//! Ctrl-C or SIGTERM stops it: it refuses new connections, answers the deliveries in flight,
//! then exits.

use std::process::ExitCode;

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Extension, Json, Router};
use hookwarden::{Endpoint, MemoryStore, Message, Verified, Verifier, preset::GitHub};
use hookwarden_tower::WebhookVerifyLayer;
use serde_json::Value;

/// GitHub sends bodies up to 25 MB (a push with many commits can be large).
const GITHUB_BODY_LIMIT: u64 = 25 * 1024 * 1024;

/// Only authentic, first-time deliveries get here, with the body exactly as signed.
///
/// GitHub signs the body only: `X-GitHub-Event` and `X-GitHub-Delivery` are not covered by the
/// signature. They are fine for routing and logs; trust what is in the body.
async fn receive(
    headers: HeaderMap,
    Extension(verified): Extension<Verified>,
    Json(payload): Json<Value>,
) -> StatusCode {
    let event = headers.get("x-github-event").and_then(|v| v.to_str().ok()).unwrap_or("unknown");
    let delivery = headers.get("x-github-delivery").and_then(|v| v.to_str().ok()).unwrap_or("-");
    let repository = payload["repository"]["full_name"].as_str().unwrap_or("-");
    match event {
        "ping" => tracing::info!(delivery, key = verified.key_id(), zen = %payload["zen"], "ping"),
        "push" => tracing::info!(
            delivery,
            repository,
            r#ref = %payload["ref"],
            commits = payload["commits"].as_array().map_or(0, Vec::len),
            "push"
        ),
        other => tracing::info!(delivery, repository, event = other, action = %payload["action"], "event"),
    }
    // Do the work here. Answer 500 when it fails: the claim on the delivery is released and
    // GitHub's redelivery is processed. Answer quickly: GitHub gives up after 10 seconds.
    StatusCode::NO_CONTENT
}

fn verifier() -> Result<Verifier, String> {
    let secret = std::env::var("GITHUB_WEBHOOK_SECRET").map_err(|_| {
        "GITHUB_WEBHOOK_SECRET is not set: use the secret you entered in the webhook's settings \
         (Settings -> Webhooks), e.g. `GITHUB_WEBHOOK_SECRET=... cargo run -p axum-github`"
            .to_owned()
    })?;
    let mut builder = Verifier::builder(GitHub).key("current", secret);
    // During a rotation both secrets are accepted; the logs say which one matched.
    if let Ok(previous) = std::env::var("GITHUB_WEBHOOK_SECRET_PREVIOUS") {
        builder = builder.key("previous", previous);
    }
    builder.build().map_err(|error| format!("GITHUB_WEBHOOK_SECRET is unusable: {error}"))
}

fn app(verifier: Verifier) -> Router {
    let endpoint = Endpoint::new(verifier)
        .body_limit(GITHUB_BODY_LIMIT)
        // GitHub signs no timestamp: only the replay store stops a captured delivery from being
        // replayed. It is per process; several instances need a shared store.
        .replay_store(MemoryStore::new());
    Router::new().route("/webhooks/github", post(receive)).route_layer(WebhookVerifyLayer::new(endpoint))
}

/// Prints a `curl` command that sends a signed sample `ping` delivery.
fn print_curl(verifier: &Verifier, bind: &str) -> Result<(), String> {
    let body = format!(
        r#"{{"zen":"Keep it logically awesome.","hook_id":{},"repository":{{"full_name":"octo/hello"}}}}"#,
        std::process::id()
    );
    let headers = verifier.sign(&Message::new(body.as_bytes())).map_err(|e| e.to_string())?;
    let mut command = format!(
        "curl -i http://{bind}/webhooks/github -H 'content-type: application/json' \
         -H 'x-github-event: ping' -H 'x-github-delivery: 00000000-0000-0000-0000-000000000000'"
    );
    for (name, value) in headers.iter() {
        command.push_str(&format!(" -H '{name}: {value}'"));
    }
    command.push_str(&format!(" --data '{body}'"));
    println!("{command}");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let verifier = match verifier() {
        Ok(verifier) => verifier,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if std::env::args().nth(1).as_deref() == Some("curl") {
        return match print_curl(&verifier, &bind) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        };
    }

    match serve(&bind, verifier).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve on {bind}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Serves until Ctrl-C or SIGTERM, then stops accepting deliveries, lets the ones in flight
/// finish, and returns.
async fn serve(bind: &str, verifier: Verifier) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let stop = shutdown_signal()?;
    tracing::info!("receiving GitHub deliveries on POST http://{}/webhooks/github", listener.local_addr()?);
    axum::serve(listener, app(verifier)).with_graceful_shutdown(stop).await
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, which `kill`, systemd, Docker and Kubernetes send.
/// The handlers are installed by this call, before the server says it listens, so that no
/// signal is missed from then on.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        let name = tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        };
        tracing::info!("{name}: stopping once the deliveries in flight are answered");
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
