//! One behaviour, two frameworks: every scenario in `scenarios.rs` against an axum server with
//! `hookwarden_tower::WebhookVerifyLayer` and an actix-web server with
//! `hookwarden_actix::WebhookVerify`, both on loopback, driven by the same HTTP client. Each
//! must meet every row's expectations, and on every non-concurrent step both must give exactly
//! the same answer.

mod scenarios;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use hookwarden::{FixedClock, MemoryStore, Message, SignedHeaders, Verifier, preset::StandardWebhooks};
use scenarios::{Answer, Delivery, Edit, Handler, Key, NOW, OTHER_SECRET, ROWS, Row, SECRET, Transfer};

fn verifier(secret: &str) -> Verifier {
    Verifier::builder(StandardWebhooks).secret(secret).clock(FixedClock::at(NOW)).build().unwrap()
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
        Handler::FailFirst | Handler::PanicFirst => {}
    }
    (200, "handled")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framework {
    Axum,
    Actix,
}

/// Serves `POST /webhook` behind the framework's adapter, with a fresh store.
async fn serve(framework: Framework, row: &Row, calls: Arc<Calls>) -> SocketAddr {
    match framework {
        Framework::Axum => serve_axum(row, calls).await,
        Framework::Actix => serve_actix(row, calls),
    }
}

async fn serve_axum(row: &Row, calls: Arc<Calls>) -> SocketAddr {
    use axum::routing::post;
    let layer = hookwarden_tower::WebhookVerifyLayer::new(verifier(SECRET))
        .body_limit(row.body_limit)
        .replay_store(MemoryStore::new());
    let app = axum::Router::new()
        .route(
            "/webhook",
            post(move |_body: Bytes| async move {
                let (status, body) = handle(&calls).await;
                (axum::http::StatusCode::from_u16(status).unwrap(), body)
            }),
        )
        .route_layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn serve_actix(row: &Row, calls: Arc<Calls>) -> SocketAddr {
    use actix_web::{App, HttpResponse, HttpServer, web};
    let verify = hookwarden_actix::WebhookVerify::new(verifier(SECRET))
        .body_limit(row.body_limit)
        .replay_store(MemoryStore::new());
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
    Response { status: u16, body: String, retry_after: Option<String>, json: bool },
    Closed,
}

impl Actual {
    fn matches(&self, expected: &Answer) -> bool {
        match (self, expected) {
            (Self::Closed, Answer::Closed) => true,
            (Self::Response { status, body, .. }, Answer::Handler(s, b)) => status == s && body == b,
            (Self::Response { status, body, retry_after, json }, Answer::Rejected(s, reason)) => {
                status == s
                    && *body == format!(r#"{{"reason":"{reason}"}}"#)
                    && *json
                    && (*reason != "in_flight" || retry_after.as_deref() == Some("5"))
            }
            _ => false,
        }
    }
}

fn signed_headers(delivery: &Delivery) -> SignedHeaders {
    let secret = match delivery.key {
        Key::Right => SECRET,
        Key::Wrong => OTHER_SECRET,
    };
    let body = delivery.signed.bytes();
    let signed =
        verifier(secret).sign(&Message::new(&body).id(delivery.id).timestamp(NOW - delivery.age)).unwrap();
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

async fn send(addr: SocketAddr, delivery: &Delivery) -> Actual {
    // A connection per request: a connection closed by a panicking handler is never reused.
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let mut request = client
        .post(format!("http://{addr}/webhook"))
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(10));
    for (name, value) in signed_headers(delivery).iter() {
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
    let json = header("content-type").as_deref() == Some("application/json");
    match response.bytes().await {
        Ok(body) => {
            Actual::Response { status, body: String::from_utf8_lossy(&body).into_owned(), retry_after, json }
        }
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
                let delivery = step.delivery;
                tokio::spawn(async move { send(addr, &delivery).await })
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
