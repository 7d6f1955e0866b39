//! Providers' endpoint checks answered by the layer (`answer_handshakes`), through a real
//! server on loopback: Slack, Discord (Ed25519), Twitch and Zoom.

#![cfg(feature = "handshakes")]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use ed25519_dalek::{Signer as _, SigningKey};
use hookwarden::Endpoint;
use hookwarden::{MemoryStore, Message, SignedHeaders, Verifier, preset};
use hookwarden_tower::WebhookVerifyLayer;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::net::TcpListener;

struct Server {
    addr: SocketAddr,
    calls: Arc<AtomicUsize>,
    store: Arc<MemoryStore>,
}

/// Serves `POST /hook` behind a layer for `verifier` with a replay store, answering endpoint
/// checks when `answer`.
async fn serve(verifier: Verifier, answer: bool) -> Server {
    let calls = Arc::new(AtomicUsize::new(0));
    let store = Arc::new(MemoryStore::new());
    let layer = WebhookVerifyLayer::new(
        Endpoint::new(verifier).replay_store(Arc::clone(&store)).answer_handshakes(answer),
    );
    let counter = Arc::clone(&calls);
    let app = Router::new()
        .route(
            "/hook",
            post(move |_: Bytes| async move {
                counter.fetch_add(1, Ordering::SeqCst);
                "handled"
            }),
        )
        .route_layer(layer);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { addr, calls, store }
}

impl Server {
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Bytes,
}

async fn send(addr: SocketAddr, headers: impl IntoIterator<Item = (String, String)>, body: &[u8]) -> Answer {
    let mut request = http::Request::post(format!("http://{addr}/hook"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::copy_from_slice(body)))
        .unwrap();
    for (name, value) in headers {
        request.headers_mut().append(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_str(&value).unwrap(),
        );
    }
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    Answer { status, content_type, body: response.into_body().collect().await.unwrap().to_bytes() }
}

fn pairs(headers: &SignedHeaders) -> Vec<(String, String)> {
    headers.iter().map(|(name, value)| (name.to_owned(), value.to_owned())).collect()
}

const CHALLENGE: &str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";

fn slack() -> Verifier {
    Verifier::builder(preset::Slack).secret("8f742231b10e8888abcd99yyyzzz85a5").build().unwrap()
}

#[tokio::test]
async fn slack_url_verification_is_answered_without_the_handler_or_a_claim() {
    let server = serve(slack(), true).await;
    let body = format!(r#"{{"token":"t","challenge":"{CHALLENGE}","type":"url_verification"}}"#);
    let headers = pairs(&slack().sign(&Message::new(body.as_bytes())).unwrap());
    // Slack may check again: each check gets the answer, never a duplicate acknowledgement.
    for _ in 0..2 {
        let answer = send(server.addr, headers.clone(), body.as_bytes()).await;
        assert_eq!(
            (answer.status, answer.content_type.as_str()),
            (StatusCode::OK, "text/plain"),
            "{answer:?}"
        );
        assert_eq!(answer.body, CHALLENGE);
    }
    assert!(server.store.is_empty(), "no claim for an endpoint check");

    // An event is a delivery like any other.
    let event = br#"{"type":"event_callback","event":{"type":"app_mention"}}"#;
    let answer = send(server.addr, pairs(&slack().sign(&Message::new(event)).unwrap()), event).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, &b"handled"[..]));
    // A check that does not verify is not answered.
    let forged = send(server.addr, headers, br#"{"challenge":"mine","type":"url_verification"}"#).await;
    assert_eq!(
        (forged.status, &forged.body[..]),
        (StatusCode::UNAUTHORIZED, &br#"{"reason":"no_matching_signature"}"#[..])
    );
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn without_answer_handshakes_the_handler_sees_the_check() {
    let server = serve(slack(), false).await;
    let body = format!(r#"{{"challenge":"{CHALLENGE}","type":"url_verification"}}"#);
    let answer =
        send(server.addr, pairs(&slack().sign(&Message::new(body.as_bytes())).unwrap()), body.as_bytes())
            .await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, &b"handled"[..]));
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn discord_ping_is_answered_with_a_pong() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key().as_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>();
    let verifier = Verifier::builder(preset::Discord).secret(public).build().unwrap();
    let server = serve(verifier, true).await;
    let sign = |body: &[u8]| {
        let timestamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
        let mut signed = timestamp.as_bytes().to_vec();
        signed.extend_from_slice(body);
        let signature: String = key.sign(&signed).to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        vec![("x-signature-ed25519".to_owned(), signature), ("x-signature-timestamp".to_owned(), timestamp)]
    };

    let ping = br#"{"type":1,"id":"123","application_id":"456"}"#;
    let answer = send(server.addr, sign(ping), ping).await;
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (StatusCode::OK, "application/json"),
        "{answer:?}"
    );
    assert_eq!(answer.body, r#"{"type":1}"#);
    // An application command goes to the handler.
    let command = br#"{"type":2,"id":"124"}"#;
    assert_eq!(send(server.addr, sign(command), command).await.body, "handled");
    // Discord's probe with a bad signature must get 401.
    let mut forged = sign(ping);
    forged[0].1 = "00".repeat(64);
    assert_eq!(send(server.addr, forged, ping).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(server.calls(), 1);
    assert_eq!(server.store.len(), 1, "only the command was claimed");
}

#[tokio::test]
async fn twitch_callback_verification_is_answered_with_the_challenge() {
    let verifier = Verifier::builder(preset::Twitch).secret("twitch-eventsub-secret-01").build().unwrap();
    let server = serve(verifier.clone(), true).await;
    let body =
        br#"{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"type":"channel.follow"}}"#;
    let mut headers = pairs(&verifier.sign(&Message::new(body).id("e5e4c0b0-1")).unwrap());
    headers.push(("twitch-eventsub-message-type".to_owned(), "webhook_callback_verification".to_owned()));
    let answer = send(server.addr, headers, body).await;
    assert_eq!((answer.status, answer.content_type.as_str()), (StatusCode::OK, "text/plain"), "{answer:?}");
    assert_eq!(answer.body, "pogchamp-kappa-360noscope-vohiyo");

    let event = br#"{"subscription":{"type":"channel.follow"},"event":{}}"#;
    let mut headers = pairs(&verifier.sign(&Message::new(event).id("e5e4c0b0-2")).unwrap());
    headers.push(("twitch-eventsub-message-type".to_owned(), "notification".to_owned()));
    assert_eq!(send(server.addr, headers, event).await.body, "handled");
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn zoom_url_validation_is_answered_with_the_encrypted_token() {
    let verifier = Verifier::builder(preset::Zoom).secret("zoom-secret-token-0123456789").build().unwrap();
    let server = serve(verifier.clone(), true).await;
    let body = br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
    let answer = send(server.addr, pairs(&verifier.sign(&Message::new(body)).unwrap()), body).await;
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (StatusCode::OK, "application/json"),
        "{answer:?}"
    );
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(json["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    // HMAC-SHA256 of the plain token with the secret, computed independently (Python's `hmac`).
    assert_eq!(json["encryptedToken"], "fa52ecf98b4919aaa696f04cdc156ea40b1eba020707f76b8c9e455168295b87");
    assert!(server.store.is_empty());
    assert_eq!(server.calls(), 0);
}
