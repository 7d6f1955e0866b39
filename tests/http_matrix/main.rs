//! One behaviour, two frameworks: every scenario in `scenarios.rs` against an axum server with
//! `hookwarden_tower::WebhookVerifyLayer` and an actix-web server with
//! `hookwarden_actix::WebhookVerify`, both on loopback and configured alike (access controls,
//! trusted proxies, endpoint checks, public origin, replay store), driven by the same HTTP
//! client. Each must meet every row's expectations (answers and handler calls), and on every
//! non-concurrent step both must give exactly the same answer.

mod scenarios;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use hookwarden::access::IpRanges;
use hookwarden::preset::{Slack, Square, StandardWebhooks, Stripe};
use hookwarden::replay::StoreFuture;
use hookwarden::{
    ClaimOutcome, ClaimToken, Endpoint, FixedClock, MemoryStore, Message, ReplayKey, ReplayStore,
    SignedHeaders, StoreError, Verifier,
};
use scenarios::{
    Answer, Delivery, Edit, Handler, Key, NOW, OTHER_SECRET, PUBLIC_URL, Preset, ROWS, Row, SECRET, Setup,
    Store, Transfer,
};

/// The endpoint's verifier (with [`Key::Right`]), or a sender's with another key.
fn verifier(preset: Preset, key: Key) -> Verifier {
    let builder = match (preset, key) {
        (Preset::Standard, Key::Right) => Verifier::builder(StandardWebhooks).secret(SECRET),
        (Preset::Standard, Key::Wrong) => Verifier::builder(StandardWebhooks).secret(OTHER_SECRET),
        (Preset::Slack, Key::Right) => Verifier::builder(Slack).secret("8f742231b10e8888abcd99yyyzzz85a5"),
        (Preset::Slack, Key::Wrong) => Verifier::builder(Slack).secret("another-slack-signing-secret-0000"),
        (Preset::Square, Key::Right) => Verifier::builder(Square).secret("Ibxx_5AKakO-3qeNVR61Dw"),
        (Preset::Square, Key::Wrong) => Verifier::builder(Square).secret("another-square-signature-key"),
        (Preset::Stripe, Key::Right) => Verifier::builder(Stripe).secret("whsec_test_secret_0123456789"),
        (Preset::Stripe, Key::Wrong) => Verifier::builder(Stripe).secret("whsec_another_secret_98765"),
    };
    builder.clock(FixedClock::at(NOW)).build().unwrap()
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

/// A fresh replay store of the kind `setup` asks for.
fn store(setup: &Setup) -> Arc<dyn ReplayStore> {
    match setup.store {
        Store::Memory => Arc::new(MemoryStore::new()),
        Store::CommitFails => Arc::new(CommitFails::default()),
    }
}

/// The endpoint `row` describes, with a fresh store: both adapters drive the same one.
fn endpoint(row: &Row) -> Endpoint {
    let setup = &row.setup;
    let ranges = |list: &[&str]| IpRanges::parse(list).unwrap();
    let mut endpoint = Endpoint::new(verifier(setup.preset, Key::Right))
        .body_limit(row.body_limit)
        .replay_store(store(setup))
        .trusted_proxies(ranges(setup.trusted_proxies))
        .require_https(setup.require_https)
        .answer_handshakes(setup.answer_handshakes);
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
/// fresh store).
async fn serve(framework: Framework, row: &Row, calls: Arc<Calls>) -> SocketAddr {
    match framework {
        Framework::Axum => serve_axum(row, calls).await,
        Framework::Actix => serve_actix(row, calls),
    }
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
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
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
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
    Response { status: u16, body: String, retry_after: Option<String>, content_type: Option<String> },
    Closed,
}

impl Actual {
    fn matches(&self, expected: &Answer) -> bool {
        match (self, expected) {
            (Self::Closed, Answer::Closed) => true,
            (Self::Response { status, body, .. }, Answer::Handler(s, b)) => status == s && body == b,
            (Self::Response { status, body, retry_after, content_type }, Answer::Rejected(s, reason)) => {
                status == s
                    && *body == format!(r#"{{"reason":"{reason}"}}"#)
                    && content_type.as_deref() == Some("application/json")
                    && (*reason != "in_flight" || retry_after.as_deref() == Some("5"))
            }
            (Self::Response { status, body, content_type, .. }, Answer::Handshake(answer)) => {
                *status == 200 && body == answer && content_type.as_deref() == Some("text/plain")
            }
            _ => false,
        }
    }
}

fn signed_headers(preset: Preset, delivery: &Delivery) -> SignedHeaders {
    let body = delivery.signed.bytes();
    let mut message = Message::new(&body).id(delivery.id).timestamp(NOW - delivery.age);
    if preset == Preset::Square {
        message = message.url(PUBLIC_URL);
    }
    let signed = verifier(preset, delivery.key).sign(&message).unwrap();
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
        .post(format!("http://{addr}/webhook"))
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(10));
    for (name, value) in signed_headers(preset, delivery).iter().chain(delivery.extra.iter().copied()) {
        request = request.header(name, value);
    }
    let body = delivery.sent.bytes();
    request = match delivery.transfer {
        Transfer::Length => request.body(body),
        Transfer::Chunked => {
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                body.chunks(256).map(|chunk| Ok(Bytes::copy_from_slice(chunk))).collect();
            request.body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        }
    };
    let Ok(response) = request.send().await else {
        return Actual::Closed;
    };
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let retry_after = header("retry-after");
    let content_type = header("content-type");
    match response.bytes().await {
        Ok(body) => Actual::Response {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
            retry_after,
            content_type,
        },
        Err(_) => Actual::Closed,
    }
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

    let mut failures = Vec::new();
    println!("{:<48} | {:<40} | actix + hookwarden-actix", "scenario", "axum + hookwarden-tower");
    for row in ROWS {
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
