//! One behaviour, two frameworks: every scenario in `scenarios.rs` against an axum server with
//! `hookwarden_tower::WebhookVerifyLayer` and an actix-web server with
//! `hookwarden_actix::WebhookVerify`, both on loopback and configured alike (access controls,
//! trusted proxies, endpoint checks, public origin, replay store), driven by the same HTTP
//! client. Each must meet every row's expectations (answers and handler calls), no answer may
//! carry a piece of the signature sent, and on every non-concurrent step both must give exactly
//! the same answer.

mod scenarios;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{StreamExt as _, stream};
use hookwarden::access::IpRanges;
use hookwarden::preset::{
    Discord, GitHub, HubSpot, Slack, Square, StandardWebhooks, Stripe, Twilio, Twitch, Zoom,
};
use hookwarden::replay::StoreFuture;
use hookwarden::{
    ClaimOutcome, ClaimToken, Endpoint, FixedClock, MemoryStore, Message, ReplayKey, ReplayStore,
    SignedHeaders, StoreError, Verifier,
};
use scenarios::{
    Answer, Body, Delivery, Edit, Handler, Key, NOW, OTHER_SECRET, Preset, ROWS, Row, SECRET, Setup, Store,
    Transfer,
};

/// The public key of the Ed25519 key Discord signs with here (seed `[7; 32]`).
const DISCORD_KEY: &str = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
/// Another public key (seed `[8; 32]`).
const OTHER_DISCORD_KEY: &str = "1398f62c6d1a457c51ba6a4b5f3dbd2f69fca93216218dc8997e416bd17d93ca";

/// The endpoint's verifier (with [`Key::Right`]), or a sender's with another key.
fn verifier(preset: Preset, key: Key) -> Verifier {
    let (builder, right, wrong) = match preset {
        Preset::Standard => (Verifier::builder(StandardWebhooks), SECRET, OTHER_SECRET),
        Preset::Slack => (
            Verifier::builder(Slack),
            "8f742231b10e8888abcd99yyyzzz85a5",
            "another-slack-signing-secret-0000",
        ),
        Preset::Square => {
            (Verifier::builder(Square), "Ibxx_5AKakO-3qeNVR61Dw", "another-square-signature-key")
        }
        Preset::Stripe => {
            (Verifier::builder(Stripe), "whsec_test_secret_0123456789", "whsec_another_secret_98765")
        }
        Preset::GitHub => (Verifier::builder(GitHub), "It's a Secret to Everybody", "another-github-secret"),
        Preset::Twilio => (Verifier::builder(Twilio), "12345-auth-token-67890", "another-twilio-auth-token"),
        Preset::HubSpot => {
            (Verifier::builder(HubSpot), "hubspot-app-secret-0123456789", "another-hubspot-app-secret")
        }
        Preset::Discord => (Verifier::builder(Discord), DISCORD_KEY, OTHER_DISCORD_KEY),
        Preset::Twitch => {
            (Verifier::builder(Twitch), "twitch-eventsub-secret-01", "another-twitch-secret-02")
        }
        Preset::Zoom => {
            (Verifier::builder(Zoom), "zoom-secret-token-0123456789", "another-zoom-secret-token")
        }
    };
    let secret = match key {
        Key::Right => right,
        Key::Wrong => wrong,
    };
    builder.secret(secret).clock(FixedClock::at(NOW)).build().unwrap()
}

/// Discord's headers for `body`, signed at [`NOW`] with the key of [`DISCORD_KEY`]: a verifier
/// holds only the public key, so the signatures were made beforehand (Ed25519 is
/// deterministic; Python's `cryptography`, seed `[7; 32]`, over `1700000000` and the body).
fn discord_headers(delivery: &Delivery) -> SignedHeaders {
    assert_eq!(
        (delivery.age, delivery.key),
        (0, Key::Right),
        "Discord deliveries are signed now, with the key"
    );
    let signature = match delivery.signed {
        Body::DiscordPing => {
            "48897b930b39df54acaec44d0e85397e872bc4cb44dbb24a6ebac07c2c97729c769375c17baad7e9f39597f7cc695b853f49982ad08d8130c6bd283061eea605"
        }
        Body::DiscordCommand => {
            "5f3958bdb84541653a9947fc735c6ab642ac970c52dd7d80c35ebf09fa7999fe24be3890301a9f81c54cb7dfd445cbe4ed600e8b62d42740fafcd82a4fc4c40c"
        }
        other => panic!("no Discord signature for {other:?}"),
    };
    let mut headers = SignedHeaders::default();
    headers.push("x-signature-ed25519", signature);
    headers.push("x-signature-timestamp", NOW.to_string());
    headers
}

/// A `MemoryStore` whose commits fail, as a store that went away after the claim: claims and
/// releases reach the memory store, commits never do.
#[derive(Debug, Default)]
struct CommitFails(MemoryStore);

impl ReplayStore for CommitFails {
    fn claim<'a>(&'a self, key: &'a ReplayKey, ttl: Duration) -> StoreFuture<'a, ClaimOutcome> {
        self.0.claim(key, ttl)
    }

    fn commit<'a>(&'a self, _key: &'a ReplayKey, _token: ClaimToken, _ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::unavailable("commit refused")) })
    }

    fn release<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken) -> StoreFuture<'a, ()> {
        self.0.release(key, token)
    }

    fn release_detached(&self, key: ReplayKey, token: ClaimToken) {
        self.0.release_detached(key, token);
    }
}

/// A store that cannot be reached: every claim fails.
#[derive(Debug)]
struct Down;

impl ReplayStore for Down {
    fn claim<'a>(&'a self, _key: &'a ReplayKey, _ttl: Duration) -> StoreFuture<'a, ClaimOutcome> {
        Box::pin(async { Err(StoreError::unavailable("connection refused")) })
    }

    fn commit<'a>(&'a self, _key: &'a ReplayKey, _token: ClaimToken, _ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }

    fn release<'a>(&'a self, _key: &'a ReplayKey, _token: ClaimToken) -> StoreFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }

    fn release_detached(&self, _key: ReplayKey, _token: ClaimToken) {}
}

/// A fresh replay store of the kind `setup` asks for, if any.
fn store(setup: &Setup) -> Option<Arc<dyn ReplayStore>> {
    match setup.store {
        Store::Memory => Some(Arc::new(MemoryStore::new())),
        Store::CommitFails => Some(Arc::new(CommitFails::default())),
        Store::Down => Some(Arc::new(Down)),
        Store::None => None,
    }
}

/// The endpoint `row` describes, with a fresh store: both adapters drive the same one.
fn endpoint(row: &Row) -> Endpoint {
    let setup = &row.setup;
    let ranges = |list: &[&str]| IpRanges::parse(list).unwrap();
    let mut endpoint = Endpoint::new(verifier(setup.preset, Key::Right))
        .body_limit(row.body_limit)
        .duplicate_status(setup.duplicate_status)
        .trusted_proxies(ranges(setup.trusted_proxies))
        .require_https(setup.require_https)
        .answer_handshakes(setup.answer_handshakes);
    if let Some(store) = store(setup) {
        endpoint = endpoint.replay_store(store);
    }
    if let Some(allow) = setup.allow {
        endpoint = endpoint.ip_allowlist(ranges(allow));
    }
    if let Some(origin) = setup.public_origin {
        endpoint = endpoint.public_origin(origin);
    }
    endpoint
}

/// Handler calls, and what the handler does.
#[derive(Debug)]
struct Calls {
    count: AtomicUsize,
    handler: Handler,
}

/// What the handler answers on this call: the same for both frameworks.
async fn handle(calls: &Calls) -> (u16, &'static str) {
    let call = calls.count.fetch_add(1, Ordering::SeqCst);
    match calls.handler {
        Handler::Ok => {}
        Handler::Slow => tokio::time::sleep(Duration::from_millis(300)).await,
        Handler::FailFirst if call == 0 => return (500, "failed"),
        Handler::PanicFirst if call == 0 => panic!("handler panicked (on purpose, in the matrix)"),
        Handler::AnswersFirst(status, body) if call == 0 => return (status, body),
        Handler::FailFirst | Handler::PanicFirst | Handler::AnswersFirst(..) => {}
    }
    (200, "handled")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framework {
    Axum,
    Actix,
}

/// Serves `POST /webhook` behind the framework's adapter, configured as the row says (with a
/// fresh store), on the loopback address of the row's IP version.
async fn serve(framework: Framework, row: &Row, calls: Arc<Calls>) -> SocketAddr {
    match framework {
        Framework::Axum => serve_axum(row, calls).await,
        Framework::Actix => serve_actix(row, calls),
    }
}

/// A free port on the loopback address the row listens on.
fn loopback(row: &Row) -> &'static str {
    if row.setup.ipv6 { "[::1]:0" } else { "127.0.0.1:0" }
}

async fn serve_axum(row: &Row, calls: Arc<Calls>) -> SocketAddr {
    use axum::routing::post;
    let layer = hookwarden_tower::WebhookVerifyLayer::new(endpoint(row));
    let app = axum::Router::new()
        .route(
            "/webhook",
            post(move |_body: Bytes| async move {
                let (status, body) = handle(&calls).await;
                // The same content type from both frameworks' handlers (they default differently).
                let content_type = [(axum::http::header::CONTENT_TYPE, "text/plain")];
                (axum::http::StatusCode::from_u16(status).unwrap(), content_type, body)
            }),
        )
        .route_layer(layer);
    let listener = tokio::net::TcpListener::bind(loopback(row)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    // The layer learns the peer's address from axum's `ConnectInfo`.
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap()
    });
    addr
}

fn serve_actix(row: &Row, calls: Arc<Calls>) -> SocketAddr {
    use actix_web::{App, HttpResponse, HttpServer, web};
    let verify = hookwarden_actix::WebhookVerify::new(endpoint(row));
    let listener = std::net::TcpListener::bind(loopback(row)).unwrap();
    let addr = listener.local_addr().unwrap();
    let calls = web::Data::from(calls);
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                App::new().app_data(calls.clone()).service(
                    web::resource("/webhook").wrap(verify.clone()).route(web::post().to(
                        |calls: web::Data<Calls>, _body: web::Bytes| async move {
                            let (status, body) = handle(&calls).await;
                            HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                                .content_type("text/plain")
                                .body(body)
                        },
                    )),
                )
            })
            .workers(2)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
            .await
        })
    });
    addr
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Actual {
    Response {
        status: u16,
        body: String,
        retry_after: Option<String>,
        content_type: Option<String>,
        /// Whether a header or the body carries a piece of a signature that was sent.
        echoes_signature: bool,
    },
    Closed,
}

impl Actual {
    fn matches(&self, expected: &Answer) -> bool {
        match (self, expected) {
            (Self::Response { echoes_signature: true, .. }, _) => false,
            (Self::Closed, Answer::Closed) => true,
            (Self::Response { status, body, .. }, Answer::Handler(s, b)) => status == s && body == b,
            (Self::Response { status, body, retry_after, content_type, .. }, Answer::Rejected(s, reason)) => {
                status == s
                    && *body == format!(r#"{{"reason":"{reason}"}}"#)
                    && content_type.as_deref() == Some("application/json")
                    && (*reason != "in_flight" || retry_after.as_deref() == Some("5"))
            }
            (Self::Response { status, body, content_type, .. }, Answer::Handshake(answer)) => {
                *status == 200 && body == answer && content_type.as_deref() == Some("text/plain")
            }
            (Self::Response { status, body, content_type, .. }, Answer::HandshakeJson(answer)) => {
                let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
                *status == 200
                    && json(body).is_some_and(|body| Some(body) == json(answer))
                    && content_type.as_deref() == Some("application/json")
            }
            _ => false,
        }
    }
}

fn signed_headers(preset: Preset, delivery: &Delivery) -> SignedHeaders {
    let body = delivery.signed.bytes();
    let mut message = Message::new(&body).id(delivery.id).timestamp(NOW - delivery.age);
    if matches!(preset, Preset::Square | Preset::Twilio | Preset::HubSpot) {
        message = message.url(delivery.url).method("POST");
    }
    let signed = match preset {
        Preset::Discord => discord_headers(delivery),
        _ => verifier(preset, delivery.key).sign(&message).unwrap(),
    };
    let mut headers = SignedHeaders::default();
    for (name, value) in signed.iter() {
        match delivery.edit {
            Edit::Remove(removed) if removed == name => {}
            Edit::Replace(replaced, new) if replaced == name => headers.push(name, new),
            Edit::Repeat(repeated) if repeated == name => {
                headers.push(name, value);
                headers.push(name, value);
            }
            _ => headers.push(name, value),
        }
    }
    headers
}

async fn send(addr: SocketAddr, preset: Preset, delivery: &Delivery) -> Actual {
    // A connection per request: a connection closed by a panicking handler is never reused.
    // Redirects are answers here (the handler's 303), not something to follow.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client
        .post(format!("http://{addr}{}", delivery.target))
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(10));
    let signed = signed_headers(preset, delivery);
    for (name, value) in signed.iter().chain(delivery.extra.iter().copied()) {
        request = request.header(name, value);
    }
    let body = delivery.sent.bytes();
    let chunks = || -> Vec<Result<Bytes, std::io::Error>> {
        body.chunks(256).map(|chunk| Ok(Bytes::copy_from_slice(chunk))).collect()
    };
    request = match delivery.transfer {
        Transfer::Length => request.body(body.clone()),
        Transfer::Chunked => request.body(reqwest::Body::wrap_stream(stream::iter(chunks()))),
        Transfer::Withheld => request
            .header("content-length", body.len())
            .body(reqwest::Body::wrap_stream(stream::pending::<Result<Bytes, std::io::Error>>())),
        Transfer::ChunkedOpen => {
            request.body(reqwest::Body::wrap_stream(stream::iter(chunks()).chain(stream::pending())))
        }
    };
    let Ok(response) = request.send().await else {
        return Actual::Closed;
    };
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let retry_after = header("retry-after");
    let content_type = header("content-type");
    let headers: Vec<String> = response
        .headers()
        .values()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    match response.bytes().await {
        Ok(body) => {
            let body = String::from_utf8_lossy(&body).into_owned();
            let echoes_signature = headers.iter().chain([&body]).any(|text| echoes_signature(&signed, text));
            Actual::Response { status, body, retry_after, content_type, echoes_signature }
        }
        Err(_) => Actual::Closed,
    }
}

/// Whether `text` holds 16 characters in a row of a signature header in `signed`.
fn echoes_signature(signed: &SignedHeaders, text: &str) -> bool {
    signed.iter().filter(|(name, _)| name.to_ascii_lowercase().contains("signature")).any(|(_, value)| {
        value.as_bytes().windows(16).any(|piece| text.as_bytes().windows(16).any(|t| t == piece))
    })
}

/// Runs one row against one framework: each step's answers (sorted for concurrent steps) and
/// the problems found.
async fn run(framework: Framework, row: &Row) -> (Vec<Vec<Actual>>, Vec<String>) {
    let calls = Arc::new(Calls { count: AtomicUsize::new(0), handler: row.handler });
    let addr = serve(framework, row, Arc::clone(&calls)).await;
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    for (index, step) in row.steps.iter().enumerate() {
        let tasks: Vec<_> = (0..step.copies)
            .map(|_| {
                let (delivery, preset) = (step.delivery, row.setup.preset);
                tokio::spawn(async move { send(addr, preset, &delivery).await })
            })
            .collect();
        let mut got = Vec::new();
        for task in tasks {
            got.push(task.await.unwrap());
        }
        for actual in &got {
            if !step.expect.iter().any(|expected| actual.matches(expected)) {
                problems.push(format!(
                    "step {}: got {actual:?}, expected one of {:?}",
                    index + 1,
                    step.expect
                ));
            }
        }
        got.sort_by_key(|actual| format!("{actual:?}"));
        answers.push(got);
    }
    let handled = calls.count.load(Ordering::SeqCst);
    if handled != row.handler_calls {
        problems.push(format!("handler ran {handled} times, expected {}", row.handler_calls));
    }
    (answers, problems)
}

/// The answers of a step, e.g. `200 handled` or `1x 200 handled, 63x 409 {"reason":"in_flight"}`.
fn describe(answers: &[Actual]) -> String {
    let text = |actual: &Actual| match actual {
        Actual::Response { status, body, .. } => format!("{status} {body}"),
        Actual::Closed => "closed".to_owned(),
    };
    if answers.len() == 1 {
        return text(&answers[0]);
    }
    // Sorted already: count the runs.
    let mut groups: Vec<(String, usize)> = Vec::new();
    for answer in answers {
        let answer = text(answer);
        match groups.last_mut() {
            Some((last, count)) if *last == answer => *count += 1,
            _ => groups.push((answer, 1)),
        }
    }
    groups.iter().map(|(answer, count)| format!("{count}x {answer}")).collect::<Vec<_>>().join(", ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tower_and_actix_answer_every_scenario_the_same_way() {
    // Body sizes in the table are relative to a 1 KiB limit.
    assert!(ROWS.iter().all(|row| row.body_limit == scenarios::LIMIT));

    let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    let mut failures = Vec::new();
    println!("{:<48} | {:<40} | actix + hookwarden-actix", "scenario", "axum + hookwarden-tower");
    for row in ROWS {
        if row.setup.ipv6 && !ipv6 {
            println!("{:<48} | skipped: no IPv6 loopback here", row.name);
            continue;
        }
        let (axum, axum_problems) = run(Framework::Axum, row).await;
        let (actix, actix_problems) = run(Framework::Actix, row).await;
        for (step, (a, b)) in axum.iter().zip(&actix).enumerate() {
            println!("{:<48} | {:<40} | {}", if step == 0 { row.name } else { "" }, describe(a), describe(b));
            if row.steps[step].copies == 1 && a != b {
                failures.push(format!("{}: step {}: axum {a:?} but actix {b:?}", row.name, step + 1));
            }
        }
        failures.extend(axum_problems.into_iter().map(|p| format!("{} (axum): {p}", row.name)));
        failures.extend(actix_problems.into_iter().map(|p| format!("{} (actix): {p}", row.name)));
    }
    assert!(failures.is_empty(), "{} disagreement(s):\n{}", failures.len(), failures.join("\n"));
}
