//! Two instances of one receiver sharing one Redis: an axum receiver (hookwarden-tower) and an
//! actix-web receiver (hookwarden-actix), each with its own `RedisStore` and connection, on
//! their own loopback ports, driven by a real HTTP client.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode as AxumStatus;
use axum::routing::post;
use common::{RedisServer, unique_prefix};
use hookwarden::Endpoint;
use hookwarden::{
    ClaimOutcome, FixedClock, Message, ReplayKey, ReplayStore, SignedHeaders, Verifier,
    preset::StandardWebhooks,
};
use hookwarden_redis::RedisStore;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"amount":4200}}"#;
/// What the handlers answer, so that processed deliveries stand out from the 200 duplicate ack.
const HANDLED: u16 = 202;

/// Each instance builds its own verifier from the shared secret, as separate processes would.
fn verifier() -> Verifier {
    Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap()
}

fn sign(id: &str) -> SignedHeaders {
    verifier().sign(&Message::new(BODY).id(id)).unwrap()
}

/// The two receivers, and how many times their handlers ran, in total and per delivery id.
struct Receivers {
    axum: SocketAddr,
    actix: SocketAddr,
    calls: Arc<AtomicUsize>,
    client: reqwest::Client,
}

/// A handler's work: count the call, then take a while, so that copies arrive while it runs.
async fn handle(calls: &AtomicUsize) {
    calls.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
}

impl Receivers {
    /// Starts both, each with a store of its own on `redis_url` under the same `prefix`.
    async fn start(redis_url: &str, prefix: &str) -> Self {
        let calls = Arc::new(AtomicUsize::new(0));

        // Instance 1: axum, on this test's Tokio runtime.
        let store = RedisStore::connect(redis_url).await.unwrap().prefix(prefix);
        let app = axum::Router::new()
            .route(
                "/webhook",
                post({
                    let calls = calls.clone();
                    move || async move {
                        handle(&calls).await;
                        (AxumStatus::from_u16(HANDLED).unwrap(), "handled by axum")
                    }
                }),
            )
            .route_layer(hookwarden_tower::WebhookVerifyLayer::new(
                Endpoint::new(verifier()).replay_store(store),
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let axum = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        // Instance 2: actix-web, on its own system (thread and runtime), with its own store.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let actix = listener.local_addr().unwrap();
        let (redis_url, prefix, actix_calls) = (redis_url.to_owned(), prefix.to_owned(), calls.clone());
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let store = RedisStore::connect(redis_url.as_str()).await.unwrap().prefix(prefix);
                let verify =
                    hookwarden_actix::WebhookVerify::new(Endpoint::new(verifier()).replay_store(store));
                actix_web::HttpServer::new(move || {
                    let calls = actix_calls.clone();
                    actix_web::App::new().service(
                        actix_web::web::resource("/webhook").wrap(verify.clone()).route(
                            actix_web::web::post().to(move || {
                                let calls = calls.clone();
                                async move {
                                    handle(&calls).await;
                                    actix_web::HttpResponse::build(
                                        actix_web::http::StatusCode::from_u16(HANDLED).unwrap(),
                                    )
                                    .body("handled by actix")
                                }
                            }),
                        ),
                    )
                })
                .workers(2)
                .listen(listener)
                .unwrap()
                .run()
                .await
                .unwrap();
            });
        });

        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let receivers = Self { axum, actix, calls, client };
        receivers.wait_until_up().await;
        receivers
    }

    async fn wait_until_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        for addr in [self.axum, self.actix] {
            while self.client.get(format!("http://{addr}/")).send().await.is_err() {
                assert!(Instant::now() < deadline, "receiver {addr} did not start");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    /// Sends a copy of `headers` + [`BODY`] to `addr`: the status and the body.
    async fn send(&self, addr: SocketAddr, headers: &SignedHeaders) -> (u16, String) {
        let mut request = self.client.post(format!("http://{addr}/webhook")).body(BODY);
        for (name, value) in headers.iter() {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn one_hundred_copies_split_between_two_instances_are_handled_once() {
    let url = common::redis_url("two_instances::one_hundred_copies_split_between_two_instances");
    let receivers = Arc::new(Receivers::start(&url, &unique_prefix("two-instances")).await);
    let headers = Arc::new(sign("msg_two_instances"));

    // 100 concurrent copies of one delivery, every other one to each instance.
    let copies: Vec<_> = (0..100)
        .map(|i| {
            let (receivers, headers) = (receivers.clone(), headers.clone());
            tokio::spawn(async move {
                let (instance, addr) =
                    if i % 2 == 0 { ("axum", receivers.axum) } else { ("actix", receivers.actix) };
                (instance, receivers.send(addr, &headers).await)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for copy in copies {
        answers.push(copy.await.unwrap());
    }

    let handled: Vec<_> = answers.iter().filter(|(_, (status, _))| *status == HANDLED).collect();
    let duplicates =
        answers.iter().filter(|(_, answer)| *answer == (200, r#"{"reason":"duplicate"}"#.into())).count();
    let in_flight =
        answers.iter().filter(|(_, answer)| *answer == (409, r#"{"reason":"in_flight"}"#.into())).count();
    eprintln!(
        "two instances: handled once by {:?}; {duplicates} duplicate, {in_flight} in flight",
        handled.first().map(|(instance, _)| instance)
    );
    assert_eq!(receivers.calls(), 1, "the handlers ran {} times in total", receivers.calls());
    assert_eq!(handled.len(), 1, "{answers:#?}");
    assert_eq!(1 + duplicates + in_flight, 100, "unexpected answers: {answers:#?}");

    // Once processed, later copies are acknowledged as duplicates by both instances.
    for addr in [receivers.axum, receivers.actix] {
        assert_eq!(receivers.send(addr, &headers).await, (200, r#"{"reason":"duplicate"}"#.into()));
    }
    assert_eq!(receivers.calls(), 1);
}

/// The store-level race, without HTTP: two stores on separate connections claim one key 100
/// times at once; exactly one claim is fresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn concurrent_claims_from_two_stores_give_one_fresh_claim() {
    let url = common::redis_url("two_instances::concurrent_claims_from_two_stores");
    let prefix = unique_prefix("two-stores");
    let first = Arc::new(RedisStore::connect(url.as_str()).await.unwrap().prefix(prefix.as_str()));
    let second = Arc::new(RedisStore::connect(url.as_str()).await.unwrap().prefix(prefix.as_str()));
    let key = ReplayKey::new("race");
    let ttl = Duration::from_secs(60);
    let claims: Vec<_> = (0..100)
        .map(|i| {
            let store = if i % 2 == 0 { first.clone() } else { second.clone() };
            let key = key.clone();
            tokio::spawn(async move { store.claim(&key, ttl).await.unwrap() })
        })
        .collect();
    let mut fresh = Vec::new();
    for claim in claims {
        match claim.await.unwrap() {
            ClaimOutcome::Fresh(token) => fresh.push(token),
            ClaimOutcome::InFlight => {}
            ClaimOutcome::Duplicate => panic!("nothing was committed yet"),
        }
    }
    assert_eq!(fresh.len(), 1);
    first.commit(&key, fresh[0], ttl).await.unwrap();
    assert_eq!(second.claim(&key, ttl).await.unwrap(), ClaimOutcome::Duplicate);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn both_instances_answer_503_while_redis_is_down_and_recover_without_restart() {
    let mut server = RedisServer::start("two_instances::both_instances_answer_503_while_redis_is_down");
    let receivers = Receivers::start(&server.url(), &unique_prefix("two-instances-fault")).await;
    let before = sign("msg_before_the_fault");
    assert_eq!(receivers.send(receivers.axum, &before).await.0, HANDLED);
    assert_eq!(receivers.send(receivers.actix, &before).await.0, 200); // duplicate, across instances

    server.kill();
    let deliveries: Vec<_> = (0..6).map(|i| sign(&format!("msg_during_the_fault_{i}"))).collect();
    for (i, headers) in deliveries.iter().enumerate() {
        let addr = if i % 2 == 0 { receivers.axum } else { receivers.actix };
        let answer = receivers.send(addr, headers).await;
        assert_eq!(answer, (503, r#"{"reason":"store_unavailable"}"#.into()), "delivery {i}");
    }
    assert_eq!(receivers.calls(), 1, "a handler ran without a claim");

    // Redis is back: the senders' retries are processed, once, by whichever instance gets them,
    // from the very first one (the stores reconnect on it).
    server.restart();
    for (i, headers) in deliveries.iter().enumerate() {
        let (addr, other) =
            if i % 2 == 0 { (receivers.axum, receivers.actix) } else { (receivers.actix, receivers.axum) };
        assert_eq!(receivers.send(addr, headers).await.0, HANDLED, "delivery {i} after the restart");
        assert_eq!(receivers.send(other, headers).await, (200, r#"{"reason":"duplicate"}"#.into()));
    }
    assert_eq!(receivers.calls(), 1 + deliveries.len());
}
