//! What is axum's, hyper's or tower's own about the layer, through a real server on a loopback
//! port driven by a real HTTP client: the `Verified` extension and the exact bytes, a body in
//! hyper frames, axum's extractor limit, a connection dropped mid-handler, `route_layer` and
//! `layer`, the rejection seen from outer layers, a bare hyper server, the `Webhook<T>`
//! extractor.
//!
//! What both adapters must answer alike (signatures, timestamps, body limits, replays, the
//! handler's answers, access controls, endpoint checks) is the workspace's HTTP matrix,
//! `tests/http_matrix`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Extension;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use hookwarden::Endpoint;
use hookwarden::endpoint::Extracted;
use hookwarden::{FixedClock, MemoryStore, Message, SignedHeaders, Verified, Verifier, preset};
#[cfg(feature = "axum")]
use hookwarden_tower::Webhook;
use hookwarden_tower::WebhookVerifyLayer;
use http_body_util::{BodyExt, Full};
use hyper::body::Frame;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;

fn verifier() -> Verifier {
    Verifier::builder(preset::StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap()
}

fn sign(id: &str, body: &[u8]) -> SignedHeaders {
    verifier().sign(&Message::new(body).id(id)).unwrap()
}

/// Counts handler calls and keeps what the handler saw.
#[derive(Clone, Default)]
struct Seen {
    calls: Arc<AtomicUsize>,
    last: Arc<Mutex<Option<(Bytes, Verified)>>>,
}

impl Seen {
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn recording_app(seen: &Seen, layer: WebhookVerifyLayer) -> Router {
    let seen = seen.clone();
    Router::new()
        .route(
            "/hook",
            post(move |Extension(verified): Extension<Verified>, body: Bytes| async move {
                seen.calls.fetch_add(1, Ordering::SeqCst);
                *seen.last.lock().unwrap() = Some((body, verified));
                (StatusCode::ACCEPTED, "handled")
            }),
        )
        .route_layer(layer)
}

async fn serve(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn reason(&self) -> String {
        let json: serde_json::Value = serde_json::from_slice(&self.body).unwrap();
        json["reason"].as_str().unwrap().to_owned()
    }
}

async fn post_to(
    client: &HttpClient,
    addr: SocketAddr,
    path: &str,
    headers: &SignedHeaders,
    body: &[u8],
) -> Answer {
    let mut request = http::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::copy_from_slice(body)))
        .unwrap();
    request.headers_mut().extend(headers.to_header_map());
    let response = client.request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Answer { status: parts.status, headers: parts.headers, body: body.collect().await.unwrap().to_bytes() }
}

async fn deliver(addr: SocketAddr, headers: &SignedHeaders, body: &[u8]) -> Answer {
    post_to(&client(), addr, "/hook", headers, body).await
}

fn assert_rejected(answer: &Answer, status: StatusCode, reason: &str) {
    assert_eq!(answer.status, status);
    assert_eq!(answer.reason(), reason);
    assert_eq!(answer.headers["content-type"], "application/json");
}

#[tokio::test]
async fn valid_delivery_reaches_the_handler_with_the_exact_bytes_and_verified() {
    let seen = Seen::default();
    let addr = serve(recording_app(&seen, WebhookVerifyLayer::new(verifier()))).await;
    // Not UTF-8, not JSON: bytes are bytes.
    let body: &[u8] = b"\xff\xfe{\"amount\": 4200}\x00\r\n";
    let answer = deliver(addr, &sign("msg_valid", body), body).await;

    assert_eq!(answer.status, StatusCode::ACCEPTED);
    assert_eq!(answer.body.as_ref(), b"handled");
    assert_eq!(seen.calls(), 1);
    let (bytes, verified) = seen.last.lock().unwrap().clone().unwrap();
    assert_eq!(bytes.as_ref(), body);
    assert_eq!(verified.id(), Some("msg_valid"));
    assert_eq!(verified.timestamp(), Some(NOW));
    assert_eq!(verified.key_id(), "default");
    assert_eq!(verified.scheme(), "standard-webhooks");
}

#[tokio::test]
async fn chunked_delivery_reaches_the_handler_with_the_exact_bytes() {
    let seen = Seen::default();
    let addr = serve(recording_app(&seen, WebhookVerifyLayer::new(verifier()))).await;
    let body: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let headers = sign("msg_chunked", &body);

    let (tx, rx) = mpsc::channel::<Bytes>(16);
    let mut request = http::Request::post(format!("http://{addr}/hook")).body(ChannelBody(rx)).unwrap();
    request.headers_mut().extend(headers.to_header_map());
    let sending = {
        let body = body.clone();
        tokio::spawn(async move {
            for chunk in body.chunks(999) {
                tx.send(Bytes::copy_from_slice(chunk)).await.unwrap();
            }
        })
    };
    let response = channel_client().request(request).await.unwrap();
    sending.await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(seen.last.lock().unwrap().clone().unwrap().0.as_ref(), &body[..]);
}

/// A request body fed from a channel: sent chunked, ending when the sender is dropped.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|data| Ok(Frame::data(data))))
    }
}

fn channel_client() -> Client<HttpConnector, ChannelBody> {
    Client::builder(TokioExecutor::new()).build_http()
}

fn replay_layer() -> (WebhookVerifyLayer, Arc<MemoryStore>) {
    let (endpoint, store) = replay_endpoint();
    (WebhookVerifyLayer::new(endpoint), store)
}

fn replay_endpoint() -> (Endpoint, Arc<MemoryStore>) {
    let store = Arc::new(MemoryStore::new().clock(FixedClock::at(NOW)));
    (Endpoint::new(verifier()).replay_store(store.clone()), store)
}

/// An app whose handler hangs on the first call (after notifying `started`) and answers 202
/// after.
fn hanging_app(layer: WebhookVerifyLayer, calls: &Arc<AtomicUsize>, started: &Arc<Notify>) -> Router {
    let (calls, started) = (calls.clone(), started.clone());
    Router::new()
        .route(
            "/hook",
            post(move || async move {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    started.notify_one();
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                StatusCode::ACCEPTED
            }),
        )
        .route_layer(layer)
}

#[tokio::test]
async fn an_extractor_limit_below_the_layers_releases_the_claim() {
    // The layer accepts 4 MiB, but axum's `Bytes` extractor keeps its 2 MiB default: the
    // handler never sees the delivery, so it must not be recorded as processed.
    let (endpoint, store) = replay_endpoint();
    let app = Router::new()
        .route("/hook", post(|_: Bytes| async { StatusCode::ACCEPTED }))
        .route_layer(WebhookVerifyLayer::new(endpoint.body_limit(4 * 1024 * 1024)));
    let addr = serve(app).await;
    let body = vec![b' '; 3 * 1024 * 1024];
    let headers = sign("msg_big", &body);

    assert_eq!(deliver(addr, &headers, &body).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(store.is_empty(), "the claim is released");
}

#[tokio::test]
async fn dropped_request_releases_the_claim_so_the_retry_is_processed() {
    let (calls, started) = (Arc::new(AtomicUsize::new(0)), Arc::new(Notify::new()));
    let (layer, store) = replay_layer();
    let addr = serve(hanging_app(layer, &calls, &started)).await;
    let body = b"{}";
    let headers = sign("msg_dropped", body);

    let mut request = String::from("POST /hook HTTP/1.1\r\nhost: localhost\r\ncontent-length: 2\r\n");
    for (name, value) in headers.iter() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n{}");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    started.notified().await;
    assert_eq!(store.len(), 1, "claimed while the handler runs");
    // The client goes away while the handler is still working.
    drop(stream);

    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !store.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the claim was never released");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(deliver(addr, &headers, body).await.status, StatusCode::ACCEPTED);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn route_layer_keeps_unknown_paths_404() {
    let seen = Seen::default();
    let addr = serve(recording_app(&seen, WebhookVerifyLayer::new(verifier()))).await;
    let answer = post_to(&client(), addr, "/nowhere", &SignedHeaders::default(), b"{}").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn router_layer_verifies_every_request() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move |Extension(verified): Extension<Verified>, Json(event): Json<serde_json::Value>| async move {
                counter.fetch_add(1, Ordering::SeqCst);
                format!("{} {}", verified.id().unwrap(), event["type"])
            }),
        )
        .layer(WebhookVerifyLayer::new(verifier()));
    let addr = serve(app).await;
    let body = br#"{"type":"invoice.paid"}"#;
    let answer = deliver(addr, &sign("msg_layer", body), body).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body.as_ref(), br#"msg_layer "invoice.paid""#);
    // With `layer`, even an unknown path needs a signature first.
    let unknown = post_to(&client(), addr, "/nowhere", &SignedHeaders::default(), b"{}").await;
    assert_rejected(&unknown, StatusCode::UNAUTHORIZED, "missing_header");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn outer_layers_see_the_error_and_the_endpoint_shapes_the_body() {
    let seen = Seen::default();
    let endpoint = Endpoint::new(verifier()).rejection_body(|rejection: &hookwarden::endpoint::Rejection| {
        hookwarden::endpoint::RejectionBody::new("text/plain", format!("nope: {}", rejection.reason()))
    });
    let layer = WebhookVerifyLayer::new(endpoint);
    let inner = seen.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move || async move {
                inner.calls.fetch_add(1, Ordering::SeqCst);
            }),
        )
        .route_layer(layer)
        .layer(axum::middleware::map_response(|mut response: axum::response::Response| async move {
            // An outer layer reads the typed error without parsing the body.
            if let Some(error) = response.extensions().get::<hookwarden::VerifyError>() {
                let reason = http::HeaderValue::from_static(error.reason());
                response.headers_mut().insert("x-webhook-rejected", reason);
            }
            response
        }));
    let addr = serve(app).await;
    let answer = deliver(addr, &sign("msg_hook", b"a"), b"b").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body.as_ref(), b"nope: no_matching_signature");
    assert_eq!(answer.headers["content-type"], "text/plain");
    assert_eq!(answer.headers["x-webhook-rejected"], "no_matching_signature");
    assert_eq!(seen.calls(), 0);
}

#[tokio::test]
async fn bare_hyper_server() {
    use hookwarden_tower::{VerifiedBody, WebhookVerify};
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;

    let handler = tower::service_fn(|request: http::Request<VerifiedBody>| async move {
        let id = request.extensions().get::<Verified>().unwrap().id().unwrap().to_owned();
        let body = request.into_body().into_bytes();
        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from(format!("{id}:{}", body.len())))))
    });
    let service = WebhookVerify::new(handler, verifier());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(
                hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    let answer = deliver(addr, &sign("msg_hyper", b"12345"), b"12345").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body.as_ref(), b"msg_hyper:5");
    assert_rejected(
        &deliver(addr, &sign("msg_hyper", b"1"), b"2").await,
        StatusCode::UNAUTHORIZED,
        "no_matching_signature",
    );
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn extractor_verifies_without_the_layer() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move |Webhook(webhook): Webhook<Json<serde_json::Value>>| async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let Extracted { verified, payload: Json(event), .. } = webhook;
                format!("{} {}", verified.id().unwrap(), event["n"])
            }),
        )
        .with_state(Endpoint::new(verifier()));
    let addr = serve(app).await;
    let body = br#"{"n":7}"#;
    let answer = deliver(addr, &sign("msg_extract", body), body).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body.as_ref(), b"msg_extract 7");

    assert_rejected(
        &deliver(addr, &sign("msg_extract", body), br#"{"n":8}"#).await,
        StatusCode::UNAUTHORIZED,
        "no_matching_signature",
    );
    let stale = verifier().sign(&Message::new(body).id("msg_old").timestamp(NOW - 3600)).unwrap();
    assert_rejected(&deliver(addr, &stale, body).await, StatusCode::UNAUTHORIZED, "timestamp_too_old");
    // Authentic but not JSON: the payload's own rejection.
    let not_json = b"not json";
    assert_eq!(deliver(addr, &sign("msg_text", not_json), not_json).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_extractor_answers_with_the_endpoints_rejection_body() {
    let endpoint = Endpoint::new(verifier()).rejection_body(|rejection: &hookwarden::endpoint::Rejection| {
        hookwarden::endpoint::RejectionBody::new("text/plain", rejection.reason())
    });
    let app = Router::new().route("/hook", post(|_: Webhook| async {})).with_state(endpoint);
    let addr = serve(app).await;
    let answer = deliver(addr, &sign("msg_shaped", b"a"), b"b").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.headers["content-type"], "text/plain");
    assert_eq!(answer.body.as_ref(), b"no_matching_signature");
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_extractor_claims_and_the_handler_commits_as_with_actix() {
    // Without the layer the extractor claims; a handler that returns without committing
    // releases the claim (the retry runs), one that commits makes copies duplicates.
    let (endpoint, store) = replay_endpoint();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move |Webhook(mut webhook): Webhook<String>| async move {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    return StatusCode::SERVICE_UNAVAILABLE; // dropped: released
                }
                webhook.commit().await.unwrap();
                StatusCode::NO_CONTENT
            }),
        )
        .with_state(endpoint);
    let addr = serve(app).await;
    let body = b"an event";
    let headers = sign("msg_extract_claim", body);
    assert_eq!(deliver(addr, &headers, body).await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(store.is_empty(), "the claim was released");
    assert_eq!(deliver(addr, &headers, body).await.status, StatusCode::NO_CONTENT);
    assert_rejected(&deliver(addr, &headers, body).await, StatusCode::OK, "duplicate");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn extractor_takes_the_layers_result_behind_the_layer() {
    let (layer, _store) = replay_layer();
    let app = Router::new()
        .route("/hook", post(|Webhook(webhook): Webhook<String>| async move { webhook.payload }))
        .route_layer(layer)
        .with_state(Endpoint::new(verifier()));
    let addr = serve(app).await;
    let body = b"plain text";
    let headers = sign("msg_both", body);
    let answer = deliver(addr, &headers, body).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body.as_ref(), body);
    assert_rejected(&deliver(addr, &headers, body).await, StatusCode::OK, "duplicate");
}

/// A body that never sends anything: a client that sent its headers and stopped.
#[cfg(feature = "axum")]
struct Withheld;

#[cfg(feature = "axum")]
impl http_body::Body for Withheld {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        std::task::Poll::Pending
    }
}

#[cfg(feature = "axum")]
#[tokio::test(start_paused = true)]
async fn extractor_refuses_a_withheld_body_at_the_default_deadline() {
    use tower::ServiceExt as _;

    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move |_: Webhook| async move {
                counter.fetch_add(1, Ordering::SeqCst);
            }),
        )
        .with_state(Endpoint::new(verifier()));
    let mut request = http::Request::post("/hook").body(axum::body::Body::new(Withheld)).unwrap();
    *request.headers_mut() = sign("msg_withheld", b"{}").to_header_map();
    let started = tokio::time::Instant::now();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(started.elapsed(), hookwarden::DEFAULT_BODY_TIMEOUT);
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body.as_ref(), br#"{"reason":"body_timeout"}"#);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}
