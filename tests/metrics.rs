//! The metrics every delivery records (feature `metrics`), read back from the `metrics` crate's
//! debugging recorder after deliveries of every outcome: through the endpoint's steps by hand
//! (the standalone API), the tower layer behind a real axum server, the actix middleware behind
//! a real actix-web server, and both adapters' `Webhook` extractors, whose handler commits the
//! claim itself. All of them must record the same series (the extractors release a failed
//! delivery's claim when it is dropped, as `release_detached`).
//!
//! One test: the recorder is process-wide, and each phase reads what its own deliveries
//! recorded (a snapshot takes the values and resets them).

#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use hookwarden::endpoint::{Endpoint, Head};
use hookwarden::replay::{ClaimOutcome, ClaimToken, ReplayKey, ReplayStore, StoreError, StoreFuture};
use hookwarden::{MemoryStore, Message, Verifier, preset::Slack};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

/// A store that never answers: every claim fails.
#[derive(Debug)]
struct DownStore;

impl ReplayStore for DownStore {
    fn claim<'a>(&'a self, _: &'a ReplayKey, _: Duration) -> StoreFuture<'a, ClaimOutcome> {
        Box::pin(async { Err(StoreError::unavailable("connection refused")) })
    }
    fn commit<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken, _: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::unavailable("connection refused")) })
    }
    fn release<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::unavailable("connection refused")) })
    }
    fn release_detached(&self, _: ReplayKey, _: ClaimToken) {}
}

fn verifier() -> Verifier {
    Verifier::builder(Slack).secret(SECRET).build().unwrap()
}

/// The endpoint every phase uses: Slack, a memory store, endpoint checks answered.
fn endpoint() -> Endpoint {
    Endpoint::new(verifier()).replay_store(MemoryStore::new()).answer_handshakes(true)
}

/// One delivery: its path (`/down` goes to an endpoint whose store is down), headers and body.
struct Delivery {
    path: &'static str,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// One delivery of every outcome, in order. The handler answers 500 to bodies that say `fail`.
fn deliveries() -> Vec<Delivery> {
    let verifier = verifier();
    let signed = |path, body: &str| Delivery {
        path,
        headers: verifier.sign(&Message::new(body.as_bytes())).unwrap().to_header_map(),
        body: body.as_bytes().to_vec(),
    };
    let processed = r#"{"type":"event_callback","event_id":"Ev1"}"#;
    let mut forged = signed("/", r#"{"type":"event_callback","event_id":"Ev3"}"#);
    forged.body = br#"{"type":"event_callback","event_id":"Ev4"}"#.to_vec();
    vec![
        signed("/", processed),
        signed("/", processed), // a copy: duplicate
        signed("/", r#"{"type":"event_callback","event_id":"Ev2","fail":true}"#),
        forged,
        signed("/", r#"{"type":"url_verification","challenge":"c0ffee","token":"t"}"#),
        signed("/down", r#"{"type":"event_callback","event_id":"Ev5"}"#),
    ]
}

/// The statuses those deliveries get.
const STATUSES: [u16; 6] = [200, 200, 500, 401, 200, 503];

fn handler_status(body: &[u8]) -> u16 {
    if body.windows(4).any(|w| w == b"fail") { 500 } else { 200 }
}

/// What one phase recorded: counters and gauges by `name{label=value,...}`, histograms by the
/// number of samples.
fn read(snapshotter: &Snapshotter) -> BTreeMap<String, f64> {
    let mut values = BTreeMap::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let key = key.key();
        let labels: Vec<String> = key.labels().map(|l| format!("{}={}", l.key(), l.value())).collect();
        let name = format!("{}{{{}}}", key.name(), labels.join(","));
        let value = match value {
            DebugValue::Counter(n) => n as f64,
            DebugValue::Gauge(g) => g.into_inner(),
            DebugValue::Histogram(samples) => samples.len() as f64,
        };
        *values.entry(name).or_insert(0.0) += value;
    }
    values
}

/// What every phase must have recorded, and nothing else.
fn expected() -> BTreeMap<String, f64> {
    [
        ("hookwarden_deliveries_total{preset=slack,outcome=processed,reason=none}", 1.0),
        ("hookwarden_deliveries_total{preset=slack,outcome=duplicate,reason=duplicate}", 1.0),
        ("hookwarden_deliveries_total{preset=slack,outcome=failed,reason=none}", 1.0),
        ("hookwarden_deliveries_total{preset=slack,outcome=rejected,reason=no_matching_signature}", 1.0),
        ("hookwarden_deliveries_total{preset=slack,outcome=handshake,reason=none}", 1.0),
        ("hookwarden_deliveries_total{preset=slack,outcome=rejected,reason=store_unavailable}", 1.0),
        ("hookwarden_verification_duration_seconds{preset=slack,result=verified}", 5.0),
        ("hookwarden_verification_duration_seconds{preset=slack,result=rejected}", 1.0),
        ("hookwarden_handler_duration_seconds{preset=slack,outcome=processed}", 1.0),
        ("hookwarden_handler_duration_seconds{preset=slack,outcome=failed}", 1.0),
        ("hookwarden_replay_store_operations_total{operation=claim,result=fresh}", 2.0),
        ("hookwarden_replay_store_operations_total{operation=claim,result=duplicate}", 1.0),
        ("hookwarden_replay_store_operations_total{operation=claim,result=error}", 1.0),
        ("hookwarden_replay_store_operations_total{operation=commit,result=ok}", 1.0),
        ("hookwarden_replay_store_operations_total{operation=release,result=ok}", 1.0),
        ("hookwarden_replay_store_errors_total{operation=claim,kind=unavailable}", 1.0),
        ("hookwarden_replay_store_operation_duration_seconds{operation=claim}", 4.0),
        ("hookwarden_replay_store_operation_duration_seconds{operation=commit}", 1.0),
        ("hookwarden_replay_store_operation_duration_seconds{operation=release}", 1.0),
        // Two claims acquired, two resolved: none left in flight.
        ("hookwarden_claims_in_flight{}", 0.0),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

#[test]
fn every_adapter_records_the_same_series() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder.install().unwrap();
    hookwarden::metrics::describe();
    let runtime = tokio::runtime::Runtime::new().unwrap();

    runtime.block_on(standalone());
    assert_eq!(read(&snapshotter), expected(), "the standalone API");

    let addr = runtime.block_on(serve_tower());
    assert_eq!(runtime.block_on(send_all(addr)), STATUSES, "tower");
    assert_eq!(read(&snapshotter), expected(), "the tower layer");

    let addr = serve_actix();
    assert_eq!(runtime.block_on(send_all(addr)), STATUSES, "actix");
    assert_eq!(read(&snapshotter), expected(), "the actix middleware");

    let addr = runtime.block_on(serve_axum_extractor());
    assert_eq!(runtime.block_on(send_all(addr)), STATUSES, "axum extractor");
    assert_eq!(read(&snapshotter), expected_from_extractors(), "the axum extractor");

    let addr = serve_actix_extractor();
    assert_eq!(runtime.block_on(send_all(addr)), STATUSES, "actix extractor");
    assert_eq!(read(&snapshotter), expected_from_extractors(), "the actix extractor");

    standalone_in_flight(&runtime, &snapshotter);
}

/// What the extractors record: the same, but the failed delivery's claim is released by its
/// destructor (`release_detached`, not awaited, so not timed). The series of the awaited
/// release, recorded by the earlier phases, stay at zero.
fn expected_from_extractors() -> BTreeMap<String, f64> {
    let mut expected = expected();
    for series in [
        "hookwarden_replay_store_operations_total{operation=release,result=ok}",
        "hookwarden_replay_store_operation_duration_seconds{operation=release}",
    ] {
        expected.insert(series.to_owned(), 0.0);
    }
    expected.insert(
        "hookwarden_replay_store_operations_total{operation=release_detached,result=ok}".to_owned(),
        1.0,
    );
    expected
}

/// The endpoint's steps by hand, as an adapter drives them.
async fn standalone() {
    let (ok, down) = (endpoint(), endpoint().replay_store(DownStore));
    let mut statuses = Vec::new();
    for delivery in deliveries() {
        let endpoint = if delivery.path == "/down" { &down } else { &ok };
        let head = Head::new("POST", delivery.path, &delivery.headers);
        let status = async {
            let admission = endpoint.admit(&head)?;
            let verified = endpoint.verify(&head, &admission, &delivery.body)?;
            if verified.handshake().is_some() {
                return Ok(200);
            }
            let claim = endpoint.claim(&verified).await?;
            let status = handler_status(&delivery.body);
            endpoint.settle(claim, Some(status)).await;
            Ok::<_, hookwarden::endpoint::Rejection>(status)
        }
        .await
        .unwrap_or_else(|rejection| rejection.status());
        statuses.push(status);
    }
    assert_eq!(statuses, STATUSES);
}

/// A copy that arrives while the first is being handled is counted as a copy, `in_flight`.
fn standalone_in_flight(runtime: &tokio::runtime::Runtime, snapshotter: &Snapshotter) {
    let endpoint = endpoint();
    let delivery = deliveries().remove(0);
    let head = Head::new("POST", "/", &delivery.headers);
    runtime.block_on(async {
        let admission = endpoint.admit(&head).unwrap();
        let first = endpoint.verify(&head, &admission, &delivery.body).unwrap();
        let claim = endpoint.claim(&first).await.unwrap();
        let copy = endpoint.verify(&head, &admission, &delivery.body).unwrap();
        assert_eq!(endpoint.claim(&copy).await.unwrap_err().reason(), "in_flight");
        let during = read(snapshotter);
        assert_eq!(during["hookwarden_claims_in_flight{}"], 1.0);
        assert_eq!(
            during["hookwarden_deliveries_total{preset=slack,outcome=duplicate,reason=in_flight}"],
            1.0
        );
        // A claim dropped unresolved (a panicked handler) is released, and no longer in flight.
        drop(claim);
        let after = read(snapshotter);
        assert_eq!(after["hookwarden_claims_in_flight{}"], -1.0);
        assert_eq!(
            after["hookwarden_replay_store_operations_total{operation=release_detached,result=ok}"],
            1.0
        );
    });
}

/// Sends every delivery to `addr` and returns the statuses.
async fn send_all(addr: SocketAddr) -> Vec<u16> {
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for delivery in deliveries() {
        let response = client
            .post(format!("http://{addr}{}", delivery.path))
            .headers(delivery.headers)
            .body(delivery.body)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

async fn serve_tower() -> SocketAddr {
    use axum::routing::post;
    use hookwarden_tower::WebhookVerifyLayer;
    let handler =
        |body: bytes::Bytes| async move { axum::http::StatusCode::from_u16(handler_status(&body)).unwrap() };
    let app =
        axum::Router::new().route("/", post(handler).route_layer(WebhookVerifyLayer::new(endpoint()))).route(
            "/down",
            post(handler).route_layer(WebhookVerifyLayer::new(endpoint().replay_store(DownStore))),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// The axum extractor: the handler commits what it processed, and drops the rest.
async fn serve_axum_extractor() -> SocketAddr {
    use axum::routing::post;
    use hookwarden_tower::Webhook;
    async fn handler(Webhook(mut delivery): Webhook) -> axum::http::StatusCode {
        let status = handler_status(&delivery.payload);
        if status == 200 {
            delivery.commit().await.unwrap();
        }
        axum::http::StatusCode::from_u16(status).unwrap()
    }
    let app = axum::Router::new().route("/", post(handler)).with_state(endpoint()).merge(
        axum::Router::new().route("/down", post(handler)).with_state(endpoint().replay_store(DownStore)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// The actix extractor, likewise.
fn serve_actix_extractor() -> SocketAddr {
    use actix_web::{HttpResponse, web};
    use hookwarden_actix::{Webhook, WebhookVerify};
    async fn handler(Webhook(mut delivery): Webhook<web::Bytes>) -> HttpResponse {
        let status = handler_status(&delivery.payload);
        if status == 200 {
            delivery.commit().await.unwrap();
        }
        HttpResponse::new(actix_web::http::StatusCode::from_u16(status).unwrap())
    }
    serve_actix_app(|routes| {
        routes
            .service(
                web::resource("/").app_data(WebhookVerify::new(endpoint())).route(web::post().to(handler)),
            )
            .service(
                web::resource("/down")
                    .app_data(WebhookVerify::new(endpoint().replay_store(DownStore)))
                    .route(web::post().to(handler)),
            );
    })
}

/// The actix middleware.
fn serve_actix() -> SocketAddr {
    use actix_web::{HttpResponse, web};
    use hookwarden_actix::WebhookVerify;
    async fn handler(body: web::Bytes) -> HttpResponse {
        HttpResponse::new(actix_web::http::StatusCode::from_u16(handler_status(&body)).unwrap())
    }
    serve_actix_app(|routes| {
        routes
            .service(web::resource("/").wrap(WebhookVerify::new(endpoint())).route(web::post().to(handler)))
            .service(
                web::resource("/down")
                    .wrap(WebhookVerify::new(endpoint().replay_store(DownStore)))
                    .route(web::post().to(handler)),
            );
    })
}

/// An actix-web server with `routes`, on one worker of a thread of its own.
fn serve_actix_app(routes: fn(&mut actix_web::web::ServiceConfig)) -> SocketAddr {
    use actix_web::{App, HttpServer};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || App::new().configure(routes))
                .workers(1)
                .disable_signals()
                .listen(listener)
                .unwrap()
                .run()
                .await
        })
    });
    addr
}
