//! An actix-web receiver for Standard Webhooks deliveries: Svix, Clerk, Resend, Liveblocks and
//! every other sender that signs with `webhook-id`, `webhook-timestamp` and `webhook-signature`.
//!
//! Run with
//!
//! ```text
//! WEBHOOK_SECRET=whsec_... cargo run -p actix-standard-webhooks
//! ```
//!
//! and point the sender at `http://<host>:3000/webhooks` (set `BIND` to listen elsewhere, and
//! `WEBHOOK_SECRET_PREVIOUS` during a secret rotation). To try it without a sender, print a
//! signed `curl` command for a sample delivery:
//!
//! ```text
//! WEBHOOK_SECRET=whsec_... cargo run -p actix-standard-webhooks -- curl
//! ```
//!
//! Run the printed command twice: the first delivery is handled (204), the copy is acknowledged
//! as a duplicate (200) without reaching the handler.
//!
//! Ctrl-C or SIGTERM stops it: it refuses new connections, answers the deliveries in flight,
//! then exits.

use actix_web::{App, HttpResponse, HttpServer, web};
use hookwarden::Endpoint;
use hookwarden::{MemoryStore, Message, Verified, Verifier, preset::StandardWebhooks};
use hookwarden_actix::WebhookVerify;
use serde::Deserialize;
use std::process::ExitCode;

/// The envelope every Standard Webhooks sender uses.
#[derive(Debug, Deserialize)]
struct Event {
    r#type: String,
    #[serde(default)]
    data: serde_json::Value,
}

/// Only authentic, fresh, first-time deliveries get here, with the body exactly as signed.
async fn receive(event: web::Json<Event>, verified: web::ReqData<Verified>) -> HttpResponse {
    tracing::info!(
        r#type = %event.r#type,
        id = verified.id().unwrap_or("-"),
        key = verified.key_id(),
        fields = event.data.as_object().map_or(0, |data| data.len()),
        "handling delivery"
    );
    // Do the work here. Answer 500 (or return an error) when it fails: the claim on the delivery
    // is then released, and the sender's retry is processed.
    HttpResponse::NoContent().finish()
}

fn verifier() -> Result<Verifier, String> {
    let secret = std::env::var("WEBHOOK_SECRET").map_err(|_| {
        "WEBHOOK_SECRET is not set: copy the endpoint's signing secret (it starts with `whsec_`) \
         from the sender's dashboard, e.g. `WEBHOOK_SECRET=whsec_... cargo run -p actix-standard-webhooks`"
            .to_owned()
    })?;
    let mut builder = Verifier::builder(StandardWebhooks).key("current", secret);
    // During a rotation both secrets are accepted; the log says which one matched.
    if let Ok(previous) = std::env::var("WEBHOOK_SECRET_PREVIOUS") {
        builder = builder.key("previous", previous);
    }
    builder.build().map_err(|error| format!("WEBHOOK_SECRET is unusable: {error}"))
}

/// Prints a `curl` command that sends a freshly signed sample delivery.
fn print_curl(verifier: &Verifier, bind: &str) -> Result<(), String> {
    let body = r#"{"type":"user.created","timestamp":"2024-01-01T00:00:00Z","data":{"id":"user_1"}}"#;
    let id = format!("msg_sample_{}", std::process::id());
    let headers = verifier.sign(&Message::new(body.as_bytes()).id(&id)).map_err(|e| e.to_string())?;
    let mut command = format!("curl -i http://{bind}/webhooks -H 'content-type: application/json'");
    for (name, value) in headers.iter() {
        command.push_str(&format!(" -H '{name}: {value}'"));
    }
    command.push_str(&format!(" --data '{body}'"));
    println!("{command}");
    Ok(())
}

#[actix_web::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());

    // Built once, before `HttpServer::new`: its closure runs once per worker, and every worker
    // must share one verifier and one replay store. A store built inside the closure would be
    // one per worker, and a replay reaching another worker would be processed twice.
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
    let verify = WebhookVerify::new(Endpoint::new(verifier).replay_store(MemoryStore::new()));

    match serve(&bind, verify).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve on {bind}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Serves until Ctrl-C or SIGTERM, then stops accepting deliveries, lets the ones in flight
/// finish (for up to 30 seconds, `shutdown_timeout`), and returns.
async fn serve(bind: &str, verify: WebhookVerify) -> std::io::Result<()> {
    let stop = shutdown_signal()?;
    let server = HttpServer::new(move || {
        App::new().service(
            // Only the webhook resource is wrapped: every request it sees must be signed.
            web::resource("/webhooks").wrap(verify.clone()).route(web::post().to(receive)),
        )
    })
    // Instead of actix-web's own signal handlers, which drop the deliveries in flight on
    // Ctrl-C, and are installed only once the server runs.
    .shutdown_signal(stop)
    .bind(bind)?;
    for address in server.addrs() {
        tracing::info!("receiving Standard Webhooks deliveries on POST http://{address}/webhooks");
    }
    server.run().await
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
