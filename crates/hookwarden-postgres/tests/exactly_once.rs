//! The transactional mode through HTTP: an axum and an actix-web receiver sharing one
//! PostgreSQL, their handlers writing an effect row in the delivery's transaction.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::receivers::{HANDLED, Receivers, sign};
use common::{postgres_url, unique_table};

const DUPLICATE: (u16, &str) = (200, r#"{"reason":"duplicate"}"#);
const IN_FLIGHT: (u16, &str) = (409, r#"{"reason":"in_flight"}"#);

async fn receivers(test: &str) -> Receivers {
    let url = postgres_url(test);
    Receivers::start(
        &url,
        &unique_table(&format!("{test}_replay")),
        &unique_table(&format!("{test}_effects")),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn one_hundred_copies_across_axum_and_actix_give_one_effect_row() {
    let receivers = Arc::new(receivers("hundred").await);
    let headers = Arc::new(sign("evt_hundred"));

    // 100 concurrent copies of one delivery, every other one to each receiver.
    let copies: Vec<_> = (0..100)
        .map(|i| {
            let (receivers, headers) = (receivers.clone(), headers.clone());
            tokio::spawn(async move {
                let addr = if i % 2 == 0 { receivers.axum } else { receivers.actix };
                receivers.send(addr, "evt_hundred", &headers).await.expect("an answer")
            })
        })
        .collect();
    let mut answers = Vec::new();
    for copy in copies {
        answers.push(copy.await.unwrap());
    }

    let handled = answers.iter().filter(|(status, _)| *status == HANDLED).count();
    let duplicates = answers.iter().filter(|(s, b)| (*s, b.as_str()) == DUPLICATE).count();
    let in_flight = answers.iter().filter(|(s, b)| (*s, b.as_str()) == IN_FLIGHT).count();
    eprintln!("100 copies: {handled} handled, {duplicates} duplicate, {in_flight} in flight");
    assert_eq!(handled, 1, "{answers:#?}");
    assert_eq!(1 + duplicates + in_flight, 100, "unexpected answers: {answers:#?}");
    assert_eq!(receivers.calls(), 1, "the handlers ran {} times", receivers.calls());
    assert_eq!(receivers.effects_of("evt_hundred").await, 1);

    // Once processed, later copies are acknowledged as duplicates by both receivers.
    for addr in [receivers.axum, receivers.actix] {
        let answer = receivers.send(addr, "evt_hundred", &headers).await.unwrap();
        assert_eq!((answer.0, answer.1.as_str()), DUPLICATE);
    }
    assert_eq!(receivers.calls(), 1);
    assert_eq!(receivers.effects_of("evt_hundred").await, 1);
}

/// Sends `event` to `addr` until it is answered 2xx, as a sender retries; returns the answers.
async fn deliver_until_accepted(
    receivers: &Receivers,
    addr: std::net::SocketAddr,
    event: &str,
) -> Vec<Option<u16>> {
    let headers = sign(event);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut answers = Vec::new();
    loop {
        let answer = receivers.send(addr, event, &headers).await;
        answers.push(answer.as_ref().map(|(status, _)| *status));
        if answer.is_some_and(|(status, _)| (200..300).contains(&status)) {
            return answers;
        }
        assert!(Instant::now() < deadline, "{event} was never accepted: {answers:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn a_handler_that_panics_before_its_commit_leaves_no_effect_and_the_retry_processes_it_once() {
    let receivers = receivers("panic").await;
    for (addr, event) in [(receivers.axum, "evt_panic_axum"), (receivers.actix, "evt_panic_actix")] {
        let calls = receivers.calls();
        receivers.handlers.panics.store(1, Ordering::SeqCst);
        let answers = deliver_until_accepted(&receivers, addr, event).await;
        eprintln!("{event}: {answers:?}");
        // The first copy met the panic: no 2xx for it, and its effect row was rolled back.
        assert!(answers[0].is_none_or(|status| status >= 500), "{answers:?}");
        assert_eq!(answers.last(), Some(&Some(HANDLED)), "the retry was processed: {answers:?}");
        assert_eq!(receivers.calls(), calls + 2, "one crashed run, one that committed");
        assert_eq!(receivers.effects_of(event).await, 1, "only the committed run's effect is there");
        let again = receivers.send(addr, event, &sign(event)).await.unwrap();
        assert_eq!((again.0, again.1.as_str()), DUPLICATE);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
async fn an_effect_without_its_commit_is_rolled_back_when_the_client_goes_away() {
    let receivers = receivers("dropped").await;
    // The client gives up while the handler runs (50 ms): hyper drops the handler's future.
    let headers = sign("evt_dropped");
    let mut request = receivers
        .client
        .post(format!("http://{}/webhook", receivers.axum))
        .body(common::receivers::body("evt_dropped"));
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    assert!(request.timeout(Duration::from_millis(20)).send().await.is_err());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receivers.calls(), 1);
    assert_eq!(receivers.effects_of("evt_dropped").await, 0, "the dropped handler's effect was rolled back");
    let answers = deliver_until_accepted(&receivers, receivers.actix, "evt_dropped").await;
    assert_eq!(answers.last(), Some(&Some(HANDLED)), "{answers:?}");
    assert_eq!(receivers.effects_of("evt_dropped").await, 1);
}
