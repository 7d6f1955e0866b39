//! A webhook receiver and its sender in one process: the receiver is an axum app behind
//! `WebhookVerifyLayer`, the sender signs deliveries the way a provider would and posts them
//! over HTTP. It sends a valid delivery, a tampered one, a stale one and a replay, and prints
//! what the receiver answered to each.
//!
//! Run with `cargo run -p quickstart`: no arguments, no setup, no network beyond loopback.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use hookwarden::Endpoint;
use hookwarden::{MemoryStore, Message, SignedHeaders, Verified, Verifier, preset::StandardWebhooks};
use hookwarden_tower::WebhookVerifyLayer;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The endpoint's signing secret, as a Standard Webhooks provider (Svix, Clerk, ...) hands it out.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The receiver's handler: it only ever sees authentic, fresh, first-time deliveries.
async fn receive(
    State(calls): State<Arc<AtomicUsize>>,
    Extension(verified): Extension<Verified>,
    Json(event): Json<serde_json::Value>,
) -> (StatusCode, String) {
    calls.fetch_add(1, Ordering::SeqCst);
    let id = verified.id().unwrap_or("-");
    (StatusCode::ACCEPTED, format!("processed {} ({id})", event["type"].as_str().unwrap_or("?")))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The receiver: one verifier, one replay store, one layer on the webhook route.
    let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).build()?;
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/webhooks", post(receive))
        .route_layer(WebhookVerifyLayer::new(
            Endpoint::new(verifier.clone()).replay_store(MemoryStore::new()),
        ))
        .with_state(Arc::clone(&calls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    // The sender signs with the same secret, as the provider would.
    let sender = verifier;
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    let body = br#"{"type":"invoice.paid","data":{"amount":4200}}"#;
    let valid = sender.sign(&Message::new(body).id("msg_1"))?;
    let tampered_body = br#"{"type":"invoice.paid","data":{"amount":9900}}"#;
    let stale = sender.sign(&Message::new(body).id("msg_2").timestamp(now - 600))?;

    let deliveries: [(&str, &SignedHeaders, &[u8], u16); 4] = [
        ("valid delivery", &valid, body, 202),
        (
            "tampered body (amount changed)",
            &sender.sign(&Message::new(body).id("msg_3"))?,
            tampered_body,
            401,
        ),
        ("stale (signed 10 minutes ago)", &stale, body, 401),
        ("replay of the valid delivery", &valid, body, 200),
    ];

    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    println!("receiver listening on {url}\n");
    println!("  {:<32} {:<7} {:<38} handler", "delivery", "status", "answer");
    println!("  {:-<32} {:-<7} {:-<38} {:-<10}", "", "", "", "");
    let mut unexpected = 0;
    for (name, headers, body, expected) in deliveries {
        let before = calls.load(Ordering::SeqCst);
        let (status, answer) = send(&client, &url, headers, body).await?;
        let ran = if calls.load(Ordering::SeqCst) > before { "ran" } else { "not called" };
        println!("  {name:<32} {status:<7} {answer:<38} {ran}");
        unexpected += usize::from(status != expected);
    }

    let handled = calls.load(Ordering::SeqCst);
    println!(
        "\nThe handler ran {handled} time(s): only the authentic, fresh, first-time delivery reached it."
    );
    println!(
        "The replay was answered 200, not an error: its event was already processed, and a 2xx \
         tells the sender\nthe delivery arrived, so it stops retrying. An error status would make \
         it send the same event again."
    );
    if unexpected > 0 || handled != 1 {
        return Err(format!("{unexpected} unexpected answer(s)").into());
    }
    Ok(())
}

/// Posts a signed delivery; returns the status and the body as text.
async fn send(
    client: &Client<HttpConnector, Full<Bytes>>,
    url: &str,
    headers: &SignedHeaders,
    body: &[u8],
) -> Result<(u16, String), Box<dyn std::error::Error>> {
    let mut request = axum::http::Request::post(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::copy_from_slice(body)))?;
    request.headers_mut().extend(headers.to_header_map());
    let response = client.request(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}
