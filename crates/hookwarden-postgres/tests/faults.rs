//! PostgreSQL stopped (as in a crash) and started again under a stream of deliveries, to an
//! axum and an actix-web receiver in the transactional mode: while it is down deliveries are
//! answered `503 store_unavailable`; once it is back the receivers recover without a restart;
//! no event is processed twice or lost.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::PostgresServer;
use common::receivers::{HANDLED, Receivers, sign};
use tokio::sync::Mutex;

const EVENTS: usize = 40;

/// What a sender saw for one event: every answer, in order (`None`: the connection failed).
type Answers = Vec<Option<(u16, String)>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn a_restart_mid_run_answers_503_then_recovers_with_every_event_processed_once() {
    let mut server = PostgresServer::start("faults_restart");
    let receivers = Arc::new(Receivers::start(&server.url(), "replay", "effects").await);
    let seen: Arc<Mutex<BTreeMap<String, Answers>>> = Arc::default();

    // One sender per event, started 50 ms apart, each retrying until answered 2xx, as
    // providers do (quickly here).
    let senders: Vec<_> = (0..EVENTS)
        .map(|i| {
            let (receivers, seen) = (receivers.clone(), seen.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50) * i as u32).await;
                let event = format!("evt_fault_{i:02}");
                let headers = sign(&event);
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    // Alternate receivers between attempts too.
                    let attempt = seen.lock().await.get(&event).map_or(0, Vec::len);
                    let addr = if (i + attempt) % 2 == 0 { receivers.axum } else { receivers.actix };
                    let answer = receivers.send(addr, &event, &headers).await;
                    let done = answer.as_ref().is_some_and(|(status, _)| (200..300).contains(status));
                    seen.lock().await.entry(event.clone()).or_default().push(answer);
                    if done {
                        return;
                    }
                    assert!(
                        Instant::now() < deadline,
                        "{event} was never accepted: {:?}",
                        seen.lock().await[&event]
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        })
        .collect();

    // Down a third of the way through, for a second and a half.
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.stop();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.restart();
    for sender in senders {
        sender.await.unwrap();
    }

    let seen = seen.lock().await;
    let mut unavailable = 0;
    let mut accepted = 0;
    let mut duplicate_only = Vec::new();
    for (event, answers) in seen.iter() {
        for answer in answers.iter().flatten() {
            match (answer.0, answer.1.as_str()) {
                (HANDLED, _) => accepted += 1,
                (503, r#"{"reason":"store_unavailable"}"#) => unavailable += 1,
                (409, r#"{"reason":"in_flight"}"#) | (200, r#"{"reason":"duplicate"}"#) => {}
                other => panic!("{event}: unexpected answer {other:?} in {answers:?}"),
            }
        }
        // A commit whose answer was lost in the crash: the retry finds it done.
        if !answers.iter().flatten().any(|answer| answer.0 == HANDLED) {
            duplicate_only.push(event.clone());
        }
        assert_eq!(receivers.effects_of(event).await, 1, "{event}: {answers:?}");
    }
    let rows = common::count(&receivers.pool, &receivers.effects).await;
    eprintln!(
        "restart: {EVENTS} events, {accepted} accepted, {unavailable} answered 503 while down, \
         {} handler runs, {rows} effect rows, acknowledged as duplicates only: {duplicate_only:?}",
        receivers.calls()
    );
    assert!(unavailable > 0, "no delivery met the database down");
    assert_eq!(seen.len(), EVENTS);
    assert_eq!(rows, EVENTS as i64, "one effect row per event");
    assert_eq!(accepted + duplicate_only.len(), EVENTS, "every event accepted once");
}
