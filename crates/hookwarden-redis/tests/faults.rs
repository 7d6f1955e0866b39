//! Faults: Redis unreachable, killed while deliveries arrive, too slow; a commit lost on the
//! way; fail-open.
//!
//! The tests that stop or pause Redis start a redis-server of their own, so that no other test
//! sees it go away. The tests against a port where nothing listens need no Redis at all.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{RedisServer, free_port, unique_prefix};
use hookwarden::preset::GitHub;
use hookwarden::replay::{OnSuccess, StoreErrorKind, StoreFuture};
use hookwarden::scheme::Request;
use hookwarden::{
    ClaimOutcome, ClaimToken, Message, ReplayKey, ReplayStore, StoreError, Verifier, VerifyError,
};
use hookwarden_redis::RedisStore;

const TTL: Duration = Duration::from_secs(60);
/// How much later than its timeout a call may answer (scheduling on a busy 2-core machine).
const SLACK: Duration = Duration::from_millis(500);

fn is_store_down(kind: StoreErrorKind) -> bool {
    matches!(kind, StoreErrorKind::Unavailable | StoreErrorKind::Timeout)
}

/// Log lines written through `tracing` while the guard lives (this thread only).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || logs.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // Other tests may have cached "no interest" for a callsite before this subscriber existed.
        tracing::callsite::rebuild_interest_cache();
        guard
    }

    fn lines(&self, containing: &str) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned();
        text.lines().filter(|line| line.contains(containing)).map(str::to_owned).collect()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A store for a port where nothing listens (it connects on first use).
fn store_without_redis() -> RedisStore {
    RedisStore::connect_lazy(format!("redis://127.0.0.1:{}/", free_port()))
        .unwrap()
        .timeout(Duration::from_millis(150))
}

#[tokio::test]
async fn connect_fails_when_redis_is_unreachable() {
    let url = format!("redis://127.0.0.1:{}/", free_port());
    assert!(RedisStore::connect(url.as_str()).await.is_err());
    assert!(RedisStore::connect("not a url").await.is_err());
}

#[test]
fn connect_lazy_needs_a_tokio_runtime() {
    let err = RedisStore::connect_lazy("redis://127.0.0.1:6379/").unwrap_err();
    assert!(err.to_string().contains("Tokio runtime"), "{err}");
}

#[tokio::test]
async fn unreachable_redis_fails_closed_within_the_timeout() {
    let store = store_without_redis();
    let key = ReplayKey::new("fail-closed");
    for _ in 0..3 {
        let started = Instant::now();
        let err = store.claim(&key, TTL).await.unwrap_err();
        assert!(is_store_down(err.kind()), "{err:?}");
        assert!(started.elapsed() < Duration::from_millis(150) + SLACK, "took {:?}", started.elapsed());
        // The adapters answer 503.
        assert_eq!(hookwarden::VerifyError::from(err).status(), 503);
    }
}

#[tokio::test]
async fn fail_open_is_an_opt_in_that_warns_every_time() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let store = store_without_redis().fail_open(true);
    let key = ReplayKey::new("fail-open");

    for _ in 0..2 {
        let ClaimOutcome::Fresh(token) = store.claim(&key, TTL).await.unwrap() else {
            panic!("fail-open claims are fresh")
        };
        // Commit and release of a fail-open claim do nothing, and succeed.
        store.commit(&key, token, TTL).await.unwrap();
        store.release(&key, token).await.unwrap();
        store.release_detached(key.clone(), token);
    }
    let warnings = logs.lines("WITHOUT replay protection");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings.iter().all(|line| line.contains("WARN") && line.contains("fail-open")));
}

#[tokio::test]
async fn release_detached_outside_a_runtime_only_warns() {
    let store = store_without_redis();
    let logs = Logs::default();
    let released = std::thread::spawn({
        let logs = logs.clone();
        move || {
            let _guard = logs.capture();
            store.release_detached(ReplayKey::new("no-runtime"), hookwarden::ClaimToken::new(42));
        }
    });
    released.join().unwrap();
    assert_eq!(logs.lines("no Tokio runtime").len(), 1);
}

/// One delivery of the steady traffic the fault test sends.
#[derive(Debug)]
struct Sent {
    started: Instant,
    took: Duration,
    outcome: Result<ClaimOutcome, StoreErrorKind>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn redis_killed_while_deliveries_arrive_then_restarted() {
    let mut server = RedisServer::start("faults::redis_killed_while_deliveries_arrive_then_restarted");
    let timeout = Duration::from_millis(250);
    let store =
        RedisStore::connect(server.url()).await.unwrap().timeout(timeout).prefix(unique_prefix("kill"));
    let store = Arc::new(store);

    // Deliveries arrive steadily: a new one every 20 ms, committed when claimed.
    let stop = Arc::new(AtomicBool::new(false));
    let traffic = tokio::spawn({
        let (store, stop) = (store.clone(), stop.clone());
        async move {
            let mut sent = Vec::new();
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let key = ReplayKey::new(format!("delivery-{i}"));
                let started = Instant::now();
                let outcome = store.claim(&key, TTL).await.map_err(|e| e.kind());
                let took = started.elapsed();
                if let Ok(ClaimOutcome::Fresh(token)) = outcome {
                    let _ = store.commit(&key, token, TTL).await;
                }
                sent.push(Sent { started, took, outcome });
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            sent
        }
    });

    tokio::time::sleep(Duration::from_millis(400)).await;
    let killed_at = Instant::now();
    server.kill();
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let restarted_at = Instant::now();
    server.restart();

    // The same store answers again, without a restart of anything.
    let probe = ReplayKey::new("probe");
    let recovered_after = loop {
        if let Ok(ClaimOutcome::Fresh(token)) = store.claim(&probe, TTL).await {
            store.commit(&probe, token, TTL).await.unwrap();
            break restarted_at.elapsed();
        }
        assert!(restarted_at.elapsed() < Duration::from_secs(10), "the store did not recover");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(store.claim(&probe, TTL).await.unwrap(), ClaimOutcome::Duplicate);
    tokio::time::sleep(Duration::from_millis(400)).await;
    stop.store(true, Ordering::Relaxed);
    let sent = traffic.await.unwrap();

    let before: Vec<_> = sent.iter().filter(|s| s.started + s.took < killed_at).collect();
    let during: Vec<_> = sent
        .iter()
        .filter(|s| s.started > killed_at + Duration::from_millis(50) && s.started < restarted_at)
        .collect();
    let after: Vec<_> = sent.iter().filter(|s| s.started > restarted_at + recovered_after).collect();
    let count = |kind| during.iter().filter(|s| s.outcome == Err(kind)).count();
    let _ = writeln!(
        std::io::stderr(),
        "kill test: {} deliveries before the kill, {} while Redis was down ({} unavailable, {} timed \
         out), {} after it recovered {recovered_after:?} after the restart",
        before.len(),
        during.len(),
        count(StoreErrorKind::Unavailable),
        count(StoreErrorKind::Timeout),
        after.len(),
    );
    assert!(before.len() >= 3 && during.len() >= 3 && after.len() >= 3, "too little traffic: {sent:#?}");
    assert!(before.iter().all(|s| matches!(s.outcome, Ok(ClaimOutcome::Fresh(_)))), "{before:#?}");
    // While Redis is down nothing is claimed, so no handler runs: every delivery is refused
    // (503 through the adapters), quickly.
    assert!(during.iter().all(|s| s.outcome.is_err_and(is_store_down)), "{during:#?}");
    assert!(sent.iter().all(|s| s.took < timeout + SLACK), "a call outlived the timeout: {sent:#?}");
    assert!(after.iter().all(|s| matches!(s.outcome, Ok(ClaimOutcome::Fresh(_)))), "{after:#?}");
    // The first call after the restart reconnects.
    assert!(recovered_after < Duration::from_secs(2), "recovered only after {recovered_after:?}");
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn slow_redis_answers_timeout_and_leaves_no_stray_claim() {
    let server = RedisServer::start("faults::slow_redis_answers_timeout_and_leaves_no_stray_claim");
    let timeout = Duration::from_millis(100);
    let store =
        RedisStore::connect(server.url()).await.unwrap().timeout(timeout).prefix(unique_prefix("slow"));
    let key = ReplayKey::new("slow");
    store.claim(&ReplayKey::new("warm-up"), TTL).await.unwrap(); // loads the claim script

    // Another client makes Redis hold every command for 600 ms.
    let mut admin =
        redis::Client::open(server.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("CLIENT").arg("PAUSE").arg(600).arg("ALL").query_async(&mut admin).await.unwrap();

    let started = Instant::now();
    let err = store.claim(&key, TTL).await.unwrap_err();
    assert_eq!(err.kind(), StoreErrorKind::Timeout);
    assert!(started.elapsed() < timeout + SLACK, "took {:?}", started.elapsed());

    // Once Redis answers again, the claim that timed out was applied late, then released: the
    // sender's retry is claimed afresh instead of being told "in flight" for the whole TTL.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match store.claim(&key, TTL).await {
            Ok(ClaimOutcome::Fresh(_)) => break,
            other => assert!(Instant::now() < deadline, "the stray claim stayed: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The Redis store behind a commit that never reaches it (the connection dropped on the way).
#[derive(Debug)]
struct CommitLost(RedisStore);

impl ReplayStore for CommitLost {
    fn claim<'a>(&'a self, key: &'a ReplayKey, ttl: Duration) -> StoreFuture<'a, ClaimOutcome> {
        self.0.claim(key, ttl)
    }
    fn commit<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken, _: Duration) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(Err(StoreError::unavailable("connection dropped"))))
    }
    fn release<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken) -> StoreFuture<'a, ()> {
        self.0.release(key, token)
    }
    fn release_detached(&self, key: ReplayKey, token: ClaimToken) {
        self.0.release_detached(key, token);
    }
}

#[tokio::test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
async fn a_lost_commit_keeps_the_claim_in_redis_until_its_lease_lapses() {
    let store = common::shared_store("faults::a_lost_commit_keeps_the_claim").await;
    let store = Arc::new(CommitLost(store));
    let verifier = Verifier::builder(GitHub)
        .secret("It's a Secret to Everybody")
        .claim_lease(Duration::from_secs(1))
        .build()
        .unwrap();
    let body = br#"{"action":"opened"}"#;
    let headers = verifier.sign(&Message::new(body)).unwrap();
    let claim = || {
        let request = Request::new(&headers, body);
        let mut verified = verifier.verify_request(&request).unwrap();
        verifier.claim(&store, &request, &mut verified)
    };

    let first = claim().await.unwrap();
    assert!(first.settle(200, &OnSuccess).await.is_err(), "the commit is lost");
    // The handler did run: a copy is told "in flight", never processed a second time...
    assert_eq!(claim().await.unwrap_err(), VerifyError::InFlight);
    // ...until the lease lapses; then the next copy is processed again.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert!(claim().await.is_ok(), "the lease did not lapse");
}
