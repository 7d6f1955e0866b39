//! An axum receiver for Stripe webhooks.
//!
//! Run with
//!
//! ```text
//! STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p axum-stripe
//! ```
//!
//! and add `http://<host>:3000/webhooks/stripe` as an endpoint in the Stripe dashboard (or run
//! `stripe listen --forward-to localhost:3000/webhooks/stripe`, which prints the secret). Set
//! `BIND` to listen elsewhere, and `STRIPE_WEBHOOK_SECRET_PREVIOUS` while rolling the secret.
//! To try it without Stripe, print a signed `curl` command for a sample event:
//!
//! ```text
//! STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p axum-stripe -- curl
//! ```
//!
//! Run the printed command twice: the first delivery is handled, the copy is acknowledged as a
//! duplicate (200) without reaching the handler. Run it again after five minutes: the
//! signature is too old (401).
//!
//! Ctrl-C or SIGTERM stops it: it refuses new connections, answers the deliveries in flight,
//! then exits.

use std::process::ExitCode;

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Json, Router};
use hookwarden::Endpoint;
use hookwarden::{MemoryStore, Message, Verified, Verifier, preset::Stripe};
use hookwarden_tower::WebhookVerifyLayer;
use serde::Deserialize;

/// The part of a Stripe event every handler needs.
#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    r#type: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: serde_json::Value,
}

/// Only authentic, fresh, first-time deliveries get here, with the body exactly as signed.
async fn receive(Extension(verified): Extension<Verified>, Json(event): Json<Event>) -> StatusCode {
    let signed_at = verified.timestamp().unwrap_or_default();
    match event.r#type.as_str() {
        "payment_intent.succeeded" => tracing::info!(
            event = %event.id,
            amount = %event.data.object["amount"],
            currency = %event.data.object["currency"],
            "payment succeeded"
        ),
        other => {
            tracing::info!(event = %event.id, r#type = other, signed_at, key = verified.key_id(), "event")
        }
    }
    // Do the work here, idempotently by `event.id`: Stripe signs no delivery id, so the replay
    // store recognises copies of one signed delivery, not a later resend of the same event.
    // Answer 500 when the work fails: the claim is released and Stripe's retry is processed.
    StatusCode::OK
}

fn verifier() -> Result<Verifier, String> {
    let secret = std::env::var("STRIPE_WEBHOOK_SECRET").map_err(|_| {
        "STRIPE_WEBHOOK_SECRET is not set: copy the endpoint's signing secret (it starts with \
         `whsec_`, and is not your API key) from Developers -> Webhooks, or from the output of \
         `stripe listen`, e.g. `STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p axum-stripe`"
            .to_owned()
    })?;
    let mut builder = Verifier::builder(Stripe).key("current", secret);
    // While rolling the secret Stripe signs with both; either is accepted.
    if let Ok(previous) = std::env::var("STRIPE_WEBHOOK_SECRET_PREVIOUS") {
        builder = builder.key("previous", previous);
    }
    builder.build().map_err(|error| format!("STRIPE_WEBHOOK_SECRET is unusable: {error}"))
}

fn app(verifier: Verifier) -> Router {
    Router::new()
        .route("/webhooks/stripe", post(receive))
        // Stripe events are small: the default 1 MiB body limit is plenty.
        .route_layer(WebhookVerifyLayer::new(Endpoint::new(verifier).replay_store(MemoryStore::new())))
}

/// Prints a `curl` command that sends a freshly signed sample event.
fn print_curl(verifier: &Verifier, bind: &str) -> Result<(), String> {
    let body = format!(
        r#"{{"id":"evt_sample_{}","object":"event","type":"payment_intent.succeeded","data":{{"object":{{"id":"pi_1","amount":4200,"currency":"eur"}}}}}}"#,
        std::process::id()
    );
    let headers = verifier.sign(&Message::new(body.as_bytes())).map_err(|e| e.to_string())?;
    let mut command = format!("curl -i http://{bind}/webhooks/stripe -H 'content-type: application/json'");
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
    tracing::info!("receiving Stripe events on POST http://{}/webhooks/stripe", listener.local_addr()?);
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
