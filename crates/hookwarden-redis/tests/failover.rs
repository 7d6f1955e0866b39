//! Failovers under steady traffic: a Redis Cluster primary killed (its replica takes over),
//! the Sentinel-monitored primary killed (the Sentinel promotes the replica).
//!
//! Senders deliver webhooks through the core pipeline (verify, claim, handler, settle, as the
//! adapters do) and retry each delivery until it is answered 2xx, as providers do. Meanwhile a
//! primary is killed. The test counts handler runs per delivery against the deliveries
//! answered 2xx: during the failover deliveries get 503 `store_unavailable`; after it they
//! are processed, with no restart of anything; no delivery is processed twice; and every
//! delivery answered 2xx is remembered (a copy sent at the end is a duplicate, its handler
//! not run).
//!
//! Each test starts a deployment of its own (so that killing its primary disturbs no other
//! test): redis-server and redis-cli from `HOOKWARDEN_REDIS_SERVER` or the `PATH`.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::failover::{Cluster, Sentinel};
use common::unique_prefix;
use hookwarden::replay::OnSuccess;
use hookwarden::scheme::Request;
use hookwarden::{FixedClock, Message, Verifier, preset::StandardWebhooks};
use hookwarden_redis::RedisStore;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"amount":4200}}"#;
/// What the handler answers, so that processed deliveries stand out from the 200 duplicate ack.
const HANDLED: u16 = 202;
/// Senders delivering at once (on a cluster, enough that some use the killed primary's slots).
const SENDERS: usize = 8;
/// How long a sender waits before it sends a refused delivery again.
const RETRY_AFTER: Duration = Duration::from_millis(50);
/// The whole run's limit: a store that never recovers fails the test instead of hanging it.
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// What every delivery went through.
#[derive(Default)]
struct Ledger {
    /// Handler runs per delivery id.
    runs: Mutex<BTreeMap<String, u32>>,
    /// Answers: (when, delivery id, status).
    answers: Mutex<Vec<(Instant, String, u16)>>,
}

impl Ledger {
    fn runs(&self, id: &str) -> u32 {
        self.runs.lock().unwrap().get(id).copied().unwrap_or(0)
    }
}

/// One receiver: the verifier, the store, the handler.
struct Receiver {
    verifier: Verifier,
    store: Arc<RedisStore>,
    ledger: Ledger,
}

impl Receiver {
    /// Delivers `id` once; returns the status the sender gets.
    async fn deliver(&self, id: &str) -> u16 {
        let headers = self.verifier.sign(&Message::new(BODY).id(id)).unwrap();
        let request = Request::new(&headers, BODY);
        let mut verified = self.verifier.verify_request(&request).unwrap();
        let status = match self.verifier.claim(&self.store, &request, &mut verified).await {
            Err(rejection) => rejection.status(),
            Ok(claim) => {
                // The handler: counts its run, works a little, answers 2xx.
                *self.ledger.runs.lock().unwrap().entry(id.to_owned()).or_default() += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
                // A failed commit is logged by the adapters; the sender still gets the
                // handler's answer (the store sends the commit again in the background).
                let _ = claim.settle(HANDLED, &OnSuccess).await;
                HANDLED
            }
        };
        self.ledger.answers.lock().unwrap().push((Instant::now(), id.to_owned(), status));
        status
    }
}

/// Runs the traffic, calls `kill` (blocking) after a while and `recovered` (blocking, returns
/// once the deployment has a primary for every key again), then checks the ledger.
async fn traffic_through_a_failover(
    test: &str,
    store: RedisStore,
    kill: impl FnOnce() + Send + 'static,
    recovered: impl FnOnce() + Send + 'static,
) {
    let verifier =
        Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap();
    let receiver = Arc::new(Receiver {
        verifier,
        store: Arc::new(store.prefix(unique_prefix(test))),
        ledger: Ledger::default(),
    });

    // Each sender delivers its own ids one after another, each until it is answered 2xx. (On
    // this thread: the core's `Request` borrows the headers and is not `Send`.)
    let senders = tokio::task::LocalSet::new();
    senders.run_until(run(test, receiver, kill, recovered)).await;
}

async fn run(
    test: &str,
    receiver: Arc<Receiver>,
    kill: impl FnOnce() + Send + 'static,
    recovered: impl FnOnce() + Send + 'static,
) {
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let (receiver, stop) = (receiver.clone(), stop.clone());
            tokio::task::spawn_local(async move {
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let id = format!("msg_{sender}_{n}");
                    loop {
                        let status = receiver.deliver(&id).await;
                        if (200..300).contains(&status) {
                            acknowledged.push((id, status));
                            break;
                        }
                        assert!(matches!(status, 503 | 409), "{id}: unexpected {status}");
                        assert!(started.elapsed() < RUN_LIMIT, "{id} was never processed");
                        tokio::time::sleep(RETRY_AFTER).await;
                    }
                }
                acknowledged
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(500)).await;
    let killed_at = Instant::now();
    tokio::task::spawn_blocking(kill).await.unwrap();
    tokio::task::spawn_blocking(recovered).await.unwrap();
    let promoted_at = Instant::now();
    // Traffic goes on a while after the failover, then every sender finishes its delivery.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for sender in senders {
        acknowledged.extend(sender.await.unwrap());
    }

    let answers = receiver.ledger.answers.lock().unwrap().clone();
    let refused_before = answers.iter().filter(|(at, _, status)| *at < killed_at && *status == 503).count();
    let refused_during = answers.iter().filter(|(at, _, status)| *at >= killed_at && *status == 503).count();
    let last_refusal = answers.iter().filter(|(_, _, status)| *status == 503).map(|(at, ..)| *at).max();
    let processed_after =
        answers.iter().filter(|(at, _, status)| *at > promoted_at && *status == HANDLED).count();
    let last_refusal_after_promotion = last_refusal.map(|at| at.saturating_duration_since(promoted_at));
    let _ = writeln!(
        std::io::stderr(),
        "{test}: {} deliveries acknowledged, {} answers; 503 before the kill: {refused_before}, after it: \
         {refused_during}; failover took {:?}; last 503 {:?} after it; {processed_after} processed after it",
        acknowledged.len(),
        answers.len(),
        promoted_at - killed_at,
        last_refusal_after_promotion,
    );

    assert_eq!(refused_before, 0, "503 before anything failed");
    assert!(refused_during > 0, "the failover refused no delivery: was a primary in use killed?");
    assert!(processed_after >= SENDERS, "too few deliveries processed after the failover");
    // Every delivery answered 2xx ran its handler exactly once: never twice, and never a 2xx
    // without a run (the first answer to a delivery is never a duplicate ack).
    for (id, status) in &acknowledged {
        assert_eq!(*status, HANDLED, "{id}: first acknowledged as {status}");
        assert_eq!(receiver.ledger.runs(id), 1, "{id}: handler runs");
    }
    let runs: u32 = receiver.ledger.runs.lock().unwrap().values().sum();
    assert_eq!(runs as usize, acknowledged.len(), "handler runs against acknowledged deliveries");

    // None answered 2xx is lost: a copy of each is a duplicate, its handler not run. A commit
    // that met the failover lands in the background (until then its copies are "in flight").
    let deadline = Instant::now() + Duration::from_secs(5);
    for (id, _) in &acknowledged {
        loop {
            match receiver.deliver(id).await {
                200 => break,
                409 | 503 if Instant::now() < deadline => tokio::time::sleep(RETRY_AFTER).await,
                status => panic!("{id}: a copy after the run got {status}"),
            }
        }
        assert_eq!(receiver.ledger.runs(id), 1, "{id}: processed twice");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_server), ignore = "needs redis-server: source .ci/redis.sh")]
async fn a_cluster_primary_killed_mid_run() {
    let test = "failover::cluster";
    let cluster = tokio::task::spawn_blocking(move || Cluster::start(test)).await.unwrap();
    let store = RedisStore::cluster(cluster.urls()).connect().await.unwrap();
    let cluster = Arc::new(Mutex::new(cluster));
    let (killer, watcher) = (cluster.clone(), cluster.clone());
    traffic_through_a_failover(
        test,
        store,
        move || {
            killer.lock().unwrap().kill_a_primary();
        },
        move || watcher.lock().unwrap().wait_until_whole(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_server), ignore = "needs redis-server: source .ci/redis.sh")]
async fn the_sentinel_primary_killed_mid_run() {
    let test = "failover::sentinel";
    let sentinel = tokio::task::spawn_blocking(move || Sentinel::start(test)).await.unwrap();
    let store = RedisStore::sentinel([sentinel.url()], Sentinel::SERVICE).connect().await.unwrap();
    let sentinel = Arc::new(Mutex::new(sentinel));
    let (killer, watcher) = (sentinel.clone(), sentinel.clone());
    traffic_through_a_failover(
        test,
        store,
        move || killer.lock().unwrap().kill_primary(),
        move || watcher.lock().unwrap().wait_until_promoted(),
    )
    .await;
}
