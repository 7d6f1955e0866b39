//! The middleware and the extractor behind a real actix-web server on a loopback port, driven by
//! a real HTTP client.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::dev::Service as _;
use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use bytes::Bytes;
use hookwarden::Endpoint;
use hookwarden::replay::StoreErrorKind;
use hookwarden::{
    ClaimOutcome, ClaimToken, FixedClock, MemoryStore, Message, ReplayKey, ReplayStore, StoreError, Verified,
    Verifier, VerifyError, preset::StandardWebhooks, replay::StoreFuture,
};
use hookwarden_actix::{Webhook, WebhookVerify};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"amount":4200}}"#;

/// What the handler does on its first call; later calls answer 200 with the body.
#[derive(Debug, Clone, Copy)]
enum First {
    Ok,
    Status500,
    Error,
    Panic,
    Sleep(Duration),
}

#[derive(Debug)]
struct State {
    calls: AtomicUsize,
    first: First,
    sleep_always: Option<Duration>,
}

async fn echo(
    state: web::Data<State>,
    verified: web::ReqData<Verified>,
    body: Bytes,
) -> actix_web::Result<HttpResponse> {
    let call = state.calls.fetch_add(1, Ordering::SeqCst);
    if let Some(pause) = state.sleep_always {
        tokio::time::sleep(pause).await;
    }
    if call == 0 {
        match state.first {
            First::Ok => {}
            First::Status500 => return Ok(HttpResponse::InternalServerError().body("handler failed")),
            First::Error => return Err(actix_web::error::ErrorInternalServerError("handler error")),
            First::Panic => panic!("handler panicked (on purpose, in a test)"),
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
    mut event: Webhook<web::Json<Event>>,
) -> actix_web::Result<HttpResponse> {
    state.calls.fetch_add(1, Ordering::SeqCst);
    event.commit().await.map_err(actix_web::error::ErrorServiceUnavailable)?;
    let id = event.verified().id().unwrap_or("").to_owned();
    Ok(HttpResponse::Ok().insert_header(("x-delivery-id", id)).body(event.into_inner().into_inner().r#type))
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
    start_with(verify, first, None, true)
}

/// Starts a 2-worker server. `/webhook` (echo), `/json` and `/string` are wrapped in the
/// middleware; `/extract` uses the extractor alone; `/both` has the middleware and the extractor.
///
/// With `half_closed` (actix's default) a handler runs to its end when the client goes away;
/// without it, actix drops the handler's future.
fn start_with(
    verify: WebhookVerify,
    first: First,
    sleep_always: Option<Duration>,
    half_closed: bool,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let state = web::Data::new(State { calls: AtomicUsize::new(0), first, sleep_always });
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
async fn tampered_body_is_rejected_and_the_handler_never_runs() {
    let server = start(with_store(), First::Ok);
    let answer = server
        .send("/webhook", &signed("msg_tampered"), br#"{"type":"invoice.paid","data":{"amount":9900}}"#)
        .await;
    answer.assert_rejected(401, "no_matching_signature");
    assert_eq!(answer.header("x-seen-reason"), Some("no_matching_signature"));
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn wrong_key_is_rejected() {
    let server = start(with_store(), First::Ok);
    let headers = sign(&verifier(OTHER_SECRET), "msg_wrong_key", NOW, BODY);
    server.send("/webhook", &headers, BODY).await.assert_rejected(401, "no_matching_signature");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn stale_and_future_timestamps_are_rejected() {
    let server = start(with_store(), First::Ok);
    let old = sign(&verifier(SECRET), "msg_old", NOW - 600, BODY);
    server.send("/webhook", &old, BODY).await.assert_rejected(401, "timestamp_too_old");
    let new = sign(&verifier(SECRET), "msg_new", NOW + 600, BODY);
    server.send("/webhook", &new, BODY).await.assert_rejected(401, "timestamp_too_new");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn missing_and_malformed_headers_are_rejected() {
    let server = start(with_store(), First::Ok);
    let mut missing = hookwarden::SignedHeaders::default();
    for (name, value) in signed("msg_missing").iter().filter(|(name, _)| *name != "webhook-signature") {
        missing.push(name, value);
    }
    server.send("/webhook", &missing, BODY).await.assert_rejected(401, "missing_header");
    let mut malformed = hookwarden::SignedHeaders::default();
    for (name, value) in signed("msg_malformed").iter() {
        malformed.push(name, if name == "webhook-timestamp" { "yesterday" } else { value });
    }
    server.send("/webhook", &malformed, BODY).await.assert_rejected(400, "malformed_header");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn declared_content_length_over_the_limit_is_413_before_reading() {
    let server = start(WebhookVerify::new(endpoint_with_store().body_limit(1024)), First::Ok);
    let body: &'static [u8] = &[b'a'; 4096];
    let headers = sign(&verifier(SECRET), "msg_big", NOW, body);
    let answer = server.send("/webhook", &headers, body).await;
    answer.assert_rejected(413, "body_too_large");
    assert_eq!(server.calls(), 0);
}

fn chunked(chunks: usize, size: usize) -> reqwest::Body {
    let stream = futures_util::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; size]))),
    );
    reqwest::Body::wrap_stream(stream)
}

#[tokio::test]
async fn chunked_body_running_over_the_limit_is_413() {
    let server = start(WebhookVerify::new(endpoint_with_store().body_limit(1024)), First::Ok);
    let body = vec![b'a'; 4096];
    let headers = sign(&verifier(SECRET), "msg_chunked_big", NOW, &body);
    let response = server.post("/webhook", &headers).body(chunked(8, 512)).send().await.unwrap();
    Answer::from(response).await.assert_rejected(413, "body_too_large");
    assert_eq!(server.calls(), 0);
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

#[tokio::test]
async fn a_replay_gets_the_duplicate_answer_and_the_handler_runs_once() {
    let server = start(with_store(), First::Ok);
    let headers = signed("msg_replay");
    assert_eq!(server.send("/webhook", &headers, BODY).await.status, StatusCode::OK);
    let replay = server.send("/webhook", &headers, BODY).await;
    replay.assert_rejected(200, "duplicate");
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn the_duplicate_status_is_configurable() {
    let server = start(WebhookVerify::new(endpoint_with_store().duplicate_status(202)), First::Ok);
    let headers = signed("msg_replay_202");
    assert_eq!(server.send("/webhook", &headers, BODY).await.status, StatusCode::OK);
    server.send("/webhook", &headers, BODY).await.assert_rejected(202, "duplicate");
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn sixty_four_concurrent_identical_deliveries_call_the_handler_once() {
    let server = Arc::new(start_with(with_store(), First::Ok, Some(Duration::from_millis(300)), true));
    let headers = Arc::new(signed("msg_concurrent"));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (server, headers) = (Arc::clone(&server), Arc::clone(&headers));
            tokio::spawn(async move { server.send("/webhook", &headers, BODY).await })
        })
        .collect();
    let mut handled = 0;
    for task in tasks {
        let answer = task.await.unwrap();
        match answer.status.as_u16() {
            200 if answer.body == BODY => handled += 1,
            200 => answer.assert_rejected(200, "duplicate"),
            409 => {
                answer.assert_rejected(409, "in_flight");
                assert_eq!(answer.header("retry-after"), Some("5"));
            }
            other => panic!("unexpected status {other}: {answer:?}"),
        }
    }
    assert_eq!(handled, 1);
    assert_eq!(server.calls(), 1);
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
async fn a_handler_500_releases_the_claim_so_the_retry_is_processed() {
    let server = start(with_store(), First::Status500);
    let headers = signed("msg_500");
    assert_eq!(server.send("/webhook", &headers, BODY).await.status, StatusCode::INTERNAL_SERVER_ERROR);
    retry_until_handled(&server, &headers).await;
    assert_eq!(server.calls(), 2);
    server.send("/webhook", &headers, BODY).await.assert_rejected(200, "duplicate");
    assert_eq!(server.calls(), 2);
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
async fn a_handler_panic_releases_the_claim_so_the_retry_is_processed() {
    let server = start(with_store(), First::Panic);
    let headers = signed("msg_panic");
    let first = server.post("/webhook", &headers).body(BODY).send().await;
    assert!(first.is_err() || first.unwrap().status().is_server_error());
    retry_until_handled(&server, &headers).await;
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn a_dropped_request_releases_the_claim_so_the_retry_is_processed() {
    let server = start_with(with_store(), First::Sleep(Duration::from_secs(5)), None, false);
    let headers = signed("msg_dropped");
    let gone = server.post("/webhook", &headers).body(BODY).timeout(Duration::from_millis(300)).send().await;
    assert!(gone.is_err(), "the first request should time out");
    let answer = retry_until_handled(&server, &headers).await;
    assert_eq!(answer.header("x-delivery-id"), Some("msg_dropped"));
    assert_eq!(server.calls(), 2);
}

#[derive(Debug)]
struct BrokenStore;

impl ReplayStore for BrokenStore {
    fn claim<'a>(&'a self, _: &'a ReplayKey, _: Duration) -> StoreFuture<'a, ClaimOutcome> {
        Box::pin(std::future::ready(Err(StoreError::new(StoreErrorKind::Unavailable))))
    }
    fn commit<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken, _: Duration) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(Ok(())))
    }
    fn release<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(Ok(())))
    }
    fn release_detached(&self, _: ReplayKey, _: ClaimToken) {}
}

#[tokio::test]
async fn an_unavailable_store_is_503_and_the_handler_never_runs() {
    let server =
        start(WebhookVerify::new(Endpoint::new(verifier(SECRET)).replay_store(BrokenStore)), First::Ok);
    server.send("/webhook", &signed("msg_store"), BODY).await.assert_rejected(503, "store_unavailable");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn without_a_store_every_authentic_copy_reaches_the_handler() {
    let server = start(WebhookVerify::new(verifier(SECRET)), First::Ok);
    let headers = signed("msg_no_store");
    assert_eq!(server.send("/webhook", &headers, BODY).await.status, StatusCode::OK);
    assert_eq!(server.send("/webhook", &headers, BODY).await.status, StatusCode::OK);
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn the_rejection_hook_shapes_the_response_and_outer_middleware_sees_the_error() {
    let verify = with_store().rejection_response(|error: &VerifyError, status: StatusCode| {
        HttpResponse::build(status).body(format!("nope: {}", error.reason()))
    });
    let server = start(verify, First::Ok);
    let answer = server.send("/webhook", &signed("msg_hook"), b"tampered").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body, "nope: no_matching_signature");
    assert_eq!(answer.header("x-seen-reason"), Some("no_matching_signature"));
}

#[tokio::test]
async fn url_signing_schemes_see_the_public_origin_then_the_path_and_query() {
    let square =
        Verifier::builder(hookwarden::preset::Square).secret("Ibxx_5AKakO-3qeNVR61Dw").build().unwrap();
    let body: &'static [u8] = br#"{"type":"payment.updated"}"#;
    let headers = square.sign(&Message::new(body).url("https://hooks.example.com/webhook?tenant=7")).unwrap();

    let server = start(
        WebhookVerify::new(Endpoint::new(square.clone()).public_origin("https://hooks.example.com/")),
        First::Ok,
    );
    let answer =
        Answer::from(server.post("/webhook?tenant=7", &headers).body(body).send().await.unwrap()).await;
    assert_eq!((answer.status, &answer.body[..]), (StatusCode::OK, body));
    let elsewhere =
        Answer::from(server.post("/webhook?tenant=8", &headers).body(body).send().await.unwrap()).await;
    elsewhere.assert_rejected(401, "no_matching_signature");

    // Without the origin the receiver cannot know the URL: a misconfiguration, so 500.
    let unconfigured = start(WebhookVerify::new(square), First::Ok);
    let answer =
        Answer::from(unconfigured.post("/webhook?tenant=7", &headers).body(body).send().await.unwrap()).await;
    answer.assert_rejected(500, "url_unknown");
    assert_eq!((server.calls(), unconfigured.calls()), (1, 0));
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
