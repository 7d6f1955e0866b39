//! Providers' endpoint checks answered by the middleware and by the extractor alone
//! (`answer_handshakes`), behind a real actix-web server on loopback: Slack and Discord
//! (Ed25519).
//!
//! The checks both adapters answer alike (Slack, Discord, Twitch, Zoom, and Slack's check when
//! it is not answered) are rows of the workspace's HTTP matrix, `tests/http_matrix`.

#![cfg(feature = "handshakes")]

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use bytes::Bytes;
use ed25519_dalek::{Signer as _, SigningKey};
use hookwarden::Endpoint;
use hookwarden::{MemoryStore, Message, SignedHeaders, Verifier, preset};
use hookwarden_actix::{Webhook, WebhookVerify};

struct Server {
    addr: SocketAddr,
    calls: Arc<AtomicUsize>,
    store: Arc<MemoryStore>,
}

impl Server {
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

async fn handled(calls: web::Data<AtomicUsize>, _body: web::Bytes) -> HttpResponse {
    calls.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body("handled")
}

async fn extracted(
    calls: web::Data<AtomicUsize>,
    Webhook(mut webhook): Webhook<web::Bytes>,
) -> actix_web::Result<HttpResponse> {
    calls.fetch_add(1, Ordering::SeqCst);
    webhook.commit().await.map_err(actix_web::error::ErrorServiceUnavailable)?;
    Ok(HttpResponse::Ok().body("handled"))
}

/// Serves `/hook` behind the middleware and `/extract` with the extractor alone, for
/// `verifier` with a replay store, answering endpoint checks when `answer`.
fn serve(verifier: Verifier, answer: bool) -> Server {
    let store = Arc::new(MemoryStore::new());
    let verify = WebhookVerify::new(
        Endpoint::new(verifier).replay_store(Arc::clone(&store)).answer_handshakes(answer),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let calls = web::Data::new(AtomicUsize::new(0));
    let shared = calls.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                App::new()
                    .app_data(shared.clone())
                    .app_data(verify.clone())
                    .service(web::resource("/hook").wrap(verify.clone()).route(web::post().to(handled)))
                    .route("/extract", web::post().to(extracted))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
            .await
        })
    });
    Server { addr, calls: calls.into_inner(), store }
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Bytes,
}

async fn send(addr: SocketAddr, path: &str, headers: &[(String, String)], body: &[u8]) -> Answer {
    let mut request = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    Answer { status, content_type, body: response.bytes().await.unwrap() }
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
    let server = serve(slack(), true);
    let body = format!(r#"{{"token":"t","challenge":"{CHALLENGE}","type":"url_verification"}}"#);
    let headers = pairs(&slack().sign(&Message::new(body.as_bytes())).unwrap());
    // Slack may check again: each check gets the answer, never a duplicate acknowledgement.
    for path in ["/hook", "/hook", "/extract"] {
        let answer = send(server.addr, path, &headers, body.as_bytes()).await;
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
    let answer =
        send(server.addr, "/hook", &pairs(&slack().sign(&Message::new(event)).unwrap()), event).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, &b"handled"[..]));
    // A check that does not verify is not answered.
    let forged =
        send(server.addr, "/hook", &headers, br#"{"challenge":"mine","type":"url_verification"}"#).await;
    assert_eq!(
        (forged.status, &forged.body[..]),
        (StatusCode::UNAUTHORIZED, &br#"{"reason":"no_matching_signature"}"#[..])
    );
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn discord_ping_is_answered_with_a_pong() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key().as_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>();
    let server = serve(Verifier::builder(preset::Discord).secret(public).build().unwrap(), true);
    let sign = |body: &[u8]| {
        let timestamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
        let mut signed = timestamp.as_bytes().to_vec();
        signed.extend_from_slice(body);
        let signature: String = key.sign(&signed).to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        vec![("x-signature-ed25519".to_owned(), signature), ("x-signature-timestamp".to_owned(), timestamp)]
    };

    let ping = br#"{"type":1,"id":"123","application_id":"456"}"#;
    for path in ["/hook", "/extract"] {
        let answer = send(server.addr, path, &sign(ping), ping).await;
        assert_eq!(
            (answer.status, answer.content_type.as_str()),
            (StatusCode::OK, "application/json"),
            "{answer:?}"
        );
        assert_eq!(answer.body, r#"{"type":1}"#);
    }
    // An application command goes to the handler.
    let command = br#"{"type":2,"id":"124"}"#;
    assert_eq!(send(server.addr, "/hook", &sign(command), command).await.body, "handled");
    // Discord's probe with a bad signature must get 401.
    let mut forged = sign(ping);
    forged[0].1 = "00".repeat(64);
    assert_eq!(send(server.addr, "/hook", &forged, ping).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(server.calls(), 1);
    assert_eq!(server.store.len(), 1, "only the command was claimed");
}
