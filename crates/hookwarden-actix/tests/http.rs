//! What is actix-web's own about the middleware and the extractor, behind a real actix-web
//! server on a loopback port driven by a real HTTP client: `ReqData<Verified>` and the exact
//! bytes, actix's extractors (`web::Json`, `String`, their default limits) after the middleware,
//! a body in chunks, a handler's `Err`, a connection dropped mid-handler, the rejection
//! seen from an outer middleware, the `Webhook<T>` extractor.
//!
//! What both adapters must answer alike (signatures, timestamps, body limits, replays, the
//! handler's answers, access controls, endpoint checks) is the workspace's HTTP matrix,
//! `tests/http_matrix`.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::dev::Service as _;
use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use bytes::Bytes;
use hookwarden::Endpoint;
use hookwarden::{
    FixedClock, MemoryStore, Message, Verified, Verifier, VerifyError, preset::StandardWebhooks,
};
use hookwarden_actix::{Webhook, WebhookVerify};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"amount":4200}}"#;

/// What the handler does on its first call; later calls answer 200 with the body.
#[derive(Debug, Clone, Copy)]
enum First {
    Ok,
    Error,
    Sleep(Duration),
}

#[derive(Debug)]
struct State {
    calls: AtomicUsize,
    first: First,
}

async fn echo(
    state: web::Data<State>,
    verified: web::ReqData<Verified>,
    body: Bytes,
) -> actix_web::Result<HttpResponse> {
    if state.calls.fetch_add(1, Ordering::SeqCst) == 0 {
        match state.first {
            First::Ok => {}
            First::Error => return Err(actix_web::error::ErrorInternalServerError("handler error")),
            First::Sleep(pause) => tokio::time::sleep(pause).await,
        }
    }
    Ok(HttpResponse::Ok()
        .insert_header(("x-delivery-id", verified.id().unwrap_or("").to_owned()))
        .insert_header(("x-key-id", verified.key_id().to_owned()))
        .body(body))
}

#[derive(serde::Deserialize)]
struct Event {
    r#type: String,
}

async fn json(state: web::Data<State>, event: web::Json<Event>) -> HttpResponse {
    state.calls.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body(event.into_inner().r#type)
}

async fn string(state: web::Data<State>, body: String) -> HttpResponse {
    state.calls.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body(body)
}

async fn extracted(
    state: web::Data<State>,
    Webhook(mut event): Webhook<web::Json<Event>>,
) -> actix_web::Result<HttpResponse> {
    state.calls.fetch_add(1, Ordering::SeqCst);
    event.commit().await.map_err(actix_web::error::ErrorServiceUnavailable)?;
    let id = event.verified.id().unwrap_or("").to_owned();
    Ok(HttpResponse::Ok().insert_header(("x-delivery-id", id)).body(event.payload.into_inner().r#type))
}

struct Server {
    addr: SocketAddr,
    state: web::Data<State>,
    client: reqwest::Client,
}

fn verifier(secret: &str) -> Verifier {
    Verifier::builder(StandardWebhooks).secret(secret).clock(FixedClock::at(NOW)).build().unwrap()
}

fn with_store() -> WebhookVerify {
    WebhookVerify::new(endpoint_with_store())
}

fn endpoint_with_store() -> Endpoint {
    Endpoint::new(verifier(SECRET)).replay_store(MemoryStore::new())
}

fn start(verify: WebhookVerify, first: First) -> Server {
    start_with(verify, first, true)
}

/// Starts a 2-worker server. `/webhook` (echo), `/json` and `/string` are wrapped in the
/// middleware; `/extract` uses the extractor alone; `/both` has the middleware and the extractor.
///
/// With `half_closed` (actix's default) a handler runs to its end when the client goes away;
/// without it, actix drops the handler's future.
fn start_with(verify: WebhookVerify, first: First, half_closed: bool) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let state = web::Data::new(State { calls: AtomicUsize::new(0), first });
    let shared = state.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                App::new()
                    .app_data(shared.clone())
                    .app_data(verify.clone())
                    .service(
                        web::resource("/webhook")
                            .wrap(verify.clone())
                            // An outer middleware reading the error the rejection carries.
                            .wrap_fn(|req, srv| {
                                let response = srv.call(req);
                                async move {
                                    let mut response = response.await?;
                                    let reason = response
                                        .response()
                                        .extensions()
                                        .get::<VerifyError>()
                                        .map(|error| error.reason());
                                    if let Some(reason) = reason {
                                        response.headers_mut().insert(
                                            "x-seen-reason".parse().unwrap(),
                                            reason.parse().unwrap(),
                                        );
                                    }
                                    Ok(response)
                                }
                            })
                            .route(web::post().to(echo)),
                    )
                    .service(web::resource("/json").wrap(verify.clone()).route(web::post().to(json)))
                    .service(web::resource("/string").wrap(verify.clone()).route(web::post().to(string)))
                    .service(web::resource("/both").wrap(verify.clone()).route(web::post().to(extracted)))
                    .route("/extract", web::post().to(extracted))
            })
            .workers(2)
            .h1_allow_half_closed(half_closed)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
            .await
        })
    });
    Server { addr, state, client: reqwest::Client::new() }
}

impl Server {
    fn calls(&self) -> usize {
        self.state.calls.load(Ordering::SeqCst)
    }

    fn post(&self, path: &str, headers: &hookwarden::SignedHeaders) -> reqwest::RequestBuilder {
        let mut request = self
            .client
            .post(format!("http://{}{path}", self.addr))
            .header("content-type", "application/json");
        for (name, value) in headers.iter() {
            request = request.header(name, value);
        }
        request
    }

    async fn send(&self, path: &str, headers: &hookwarden::SignedHeaders, body: &'static [u8]) -> Answer {
        Answer::from(self.post(path, headers).body(body).send().await.unwrap()).await
    }
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
}

impl Answer {
    async fn from(response: reqwest::Response) -> Self {
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap();
        Self { status, headers, body }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    #[track_caller]
    fn assert_rejected(&self, status: u16, reason: &str) {
        assert_eq!(self.status.as_u16(), status, "{self:?}");
        assert_eq!(self.body, format!(r#"{{"reason":"{reason}"}}"#), "{self:?}");
        assert_eq!(self.header("content-type"), Some("application/json"));
    }
}

fn sign(verifier: &Verifier, id: &str, at: i64, body: &[u8]) -> hookwarden::SignedHeaders {
    verifier.sign(&Message::new(body).id(id).timestamp(at)).unwrap()
}

fn signed(id: &str) -> hookwarden::SignedHeaders {
    sign(&verifier(SECRET), id, NOW, BODY)
}

#[tokio::test]
async fn valid_delivery_reaches_the_handler_with_the_exact_bytes_and_verified() {
    let server = start(with_store(), First::Ok);
    // Not UTF-8, not JSON: bytes are bytes.
    let body: &'static [u8] = b"\xff\x00binary\x80payload";
    let headers = sign(&verifier(SECRET), "msg_valid", NOW, body);
    let answer = server.send("/webhook", &headers, body).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, body);
    assert_eq!(answer.header("x-delivery-id"), Some("msg_valid"));
    assert_eq!(answer.header("x-key-id"), Some("default"));
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn json_and_string_extractors_read_the_body_that_was_put_back() {
    let server = start(with_store(), First::Ok);
    let answer = server.send("/json", &signed("msg_json"), BODY).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, &b"invoice.paid"[..]));
    let answer = server.send("/string", &signed("msg_string"), BODY).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, BODY));
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn an_outer_middleware_sees_the_error_behind_the_default_rejection() {
    let server = start(with_store(), First::Ok);
    let answer = server
        .send("/webhook", &signed("msg_tampered"), br#"{"type":"invoice.paid","data":{"amount":9900}}"#)
        .await;
    answer.assert_rejected(401, "no_matching_signature");
    assert_eq!(answer.header("x-seen-reason"), Some("no_matching_signature"));
    assert_eq!(server.calls(), 0);
}

fn chunked(chunks: usize, size: usize) -> reqwest::Body {
    let stream = futures_util::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; size]))),
    );
    reqwest::Body::wrap_stream(stream)
}

#[tokio::test]
async fn chunked_body_under_the_limit_is_joined_and_verified() {
    let server = start(WebhookVerify::new(endpoint_with_store().body_limit(1024)), First::Ok);
    let body = vec![b'a'; 1000];
    let headers = sign(&verifier(SECRET), "msg_chunked", NOW, &body);
    let response = server.post("/webhook", &headers).body(chunked(10, 100)).send().await.unwrap();
    let answer = Answer::from(response).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, body);
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn bodies_over_actix_default_extractor_limits_reach_the_handler() {
    // 300 KiB: over the 256 KiB default of `web::Bytes` and `String`, under the 1 MiB default
    // of the middleware.
    let server = start(with_store(), First::Ok);
    let body: &'static [u8] = Box::leak(vec![b'a'; 300 * 1024].into_boxed_slice());
    let headers = sign(&verifier(SECRET), "msg_large", NOW, body);
    let answer = server.send("/webhook", &headers, body).await;
    assert_eq!((answer.status, answer.body.len()), (StatusCode::OK, body.len()));
    let headers = sign(&verifier(SECRET), "msg_large_string", NOW, body);
    let answer = server.send("/string", &headers, body).await;
    assert_eq!((answer.status, answer.body.len()), (StatusCode::OK, body.len()));
    assert_eq!(server.calls(), 2);
}

/// Sends the same delivery until it is handled (the handler answers with the body).
async fn retry_until_handled(server: &Server, headers: &hookwarden::SignedHeaders) -> Answer {
    for _ in 0..60 {
        if let Ok(response) = server.post("/webhook", headers).body(BODY).send().await {
            let answer = Answer::from(response).await;
            if answer.status == StatusCode::OK && answer.body == BODY {
                return answer;
            }
            assert_ne!(answer.body, r#"{"reason":"duplicate"}"#, "the failed delivery was committed");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the retry was never processed");
}

#[tokio::test]
async fn a_handler_error_releases_the_claim_so_the_retry_is_processed() {
    let server = start(with_store(), First::Error);
    let headers = signed("msg_error");
    assert_eq!(server.send("/webhook", &headers, BODY).await.status, StatusCode::INTERNAL_SERVER_ERROR);
    retry_until_handled(&server, &headers).await;
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn a_dropped_request_releases_the_claim_so_the_retry_is_processed() {
    let server = start_with(with_store(), First::Sleep(Duration::from_secs(5)), false);
    let headers = signed("msg_dropped");
    let gone = server.post("/webhook", &headers).body(BODY).timeout(Duration::from_millis(300)).send().await;
    assert!(gone.is_err(), "the first request should time out");
    let answer = retry_until_handled(&server, &headers).await;
    assert_eq!(answer.header("x-delivery-id"), Some("msg_dropped"));
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn the_endpoint_shapes_the_body_and_outer_middleware_sees_the_error() {
    let endpoint = endpoint_with_store().rejection_body(|rejection: &hookwarden::endpoint::Rejection| {
        hookwarden::endpoint::RejectionBody::new("text/plain", format!("nope: {}", rejection.reason()))
    });
    let server = start(WebhookVerify::new(endpoint), First::Ok);
    let answer = server.send("/webhook", &signed("msg_hook"), b"tampered").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body, "nope: no_matching_signature");
    assert_eq!(answer.header("content-type"), Some("text/plain"));
    assert_eq!(answer.header("x-seen-reason"), Some("no_matching_signature"));
}

#[tokio::test]
async fn the_extractor_alone_verifies_rejects_and_commits() {
    let server = start(with_store(), First::Ok);
    let headers = signed("msg_extract");
    let answer = server.send("/extract", &headers, BODY).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, &b"invoice.paid"[..]));
    assert_eq!(answer.header("x-delivery-id"), Some("msg_extract"));
    server.send("/extract", &headers, BODY).await.assert_rejected(200, "duplicate");
    server
        .send("/extract", &signed("msg_extract_2"), b"{}")
        .await
        .assert_rejected(401, "no_matching_signature");
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn the_extractor_behind_the_middleware_reuses_its_verification() {
    let server = start(with_store(), First::Ok);
    let headers = signed("msg_both");
    let answer = server.send("/both", &headers, BODY).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, &b"invoice.paid"[..]));
    server.send("/both", &headers, BODY).await.assert_rejected(200, "duplicate");
    assert_eq!(server.calls(), 1);
}
