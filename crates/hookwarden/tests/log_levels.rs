//! What an operator sees at the default level: a burst of forged deliveries is one WARN line
//! (and a count of the ones not logged), not a burst of lines; a stale timestamp and a store
//! outage are visible too; a duplicate is not. Every rejection is still logged at DEBUG.

#![allow(missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hookwarden::endpoint::{Endpoint, Head};
use hookwarden::replay::{ClaimOutcome, ClaimToken, ReplayKey, ReplayStore, StoreError, StoreFuture};
use hookwarden::{FixedClock, MemoryStore, Message, Verifier, preset::StandardWebhooks};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;

/// One event: its level, message and `suppressed` field.
type Logged = (Level, String, Option<u64>);

/// Keeps every event.
#[derive(Default, Clone)]
struct Events(Arc<Mutex<Vec<Logged>>>);

struct Fields {
    message: String,
    suppressed: Option<u64>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "suppressed" {
            self.suppressed = Some(value);
        }
    }
}

impl Subscriber for Events {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields { message: String::new(), suppressed: None };
        event.record(&mut fields);
        self.0.lock().unwrap().push((*event.metadata().level(), fields.message, fields.suppressed));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Events {
    fn at(&self, level: Level) -> Vec<(String, Option<u64>)> {
        let events = self.0.lock().unwrap();
        events.iter().filter(|(l, ..)| *l == level).map(|(_, m, s)| (m.clone(), *s)).collect()
    }
    fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

#[derive(Debug)]
struct DownStore;

impl ReplayStore for DownStore {
    fn claim<'a>(&'a self, _: &'a ReplayKey, _: Duration) -> StoreFuture<'a, ClaimOutcome> {
        Box::pin(async { Err(StoreError::unavailable("connection refused")) })
    }
    fn commit<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken, _: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
    fn release<'a>(&'a self, _: &'a ReplayKey, _: ClaimToken) -> StoreFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
    fn release_detached(&self, _: ReplayKey, _: ClaimToken) {}
}

/// Runs one delivery through the endpoint's steps; returns the rejection's reason, if any.
fn deliver(endpoint: &Endpoint, headers: &http::HeaderMap, body: &[u8]) -> Option<&'static str> {
    let head = Head::new("POST", "/", headers);
    futures_executor::block_on(async {
        let admission = endpoint.admit(&head)?;
        let delivery = endpoint.verify(&head, &admission, body)?;
        let claim = endpoint.claim(&delivery).await?;
        endpoint.settle(claim, Some(200)).await;
        Ok::<_, hookwarden::endpoint::Rejection>(())
    })
    .err()
    .map(|rejection| rejection.reason())
}

#[test]
fn trouble_is_visible_at_the_default_level_without_flooding() {
    let verifier =
        Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap();
    let endpoint = Endpoint::new(verifier.clone()).replay_store(MemoryStore::new());
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(events.clone());

    // A burst of 50 forged deliveries: one WARN line, 49 at DEBUG.
    let signed = verifier.sign(&Message::new(b"{}").id("msg_1").timestamp(NOW)).unwrap().to_header_map();
    for _ in 0..50 {
        assert_eq!(deliver(&endpoint, &signed, b"{\"forged\":true}"), Some("no_matching_signature"));
    }
    let warnings = events.at(Level::WARN);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].0.contains("no signature matched any key"), "{warnings:?}");
    assert_eq!(warnings[0].1, Some(0));
    assert_eq!(events.at(Level::DEBUG).len(), 49);
    events.clear();

    // A stale timestamp is a different kind of trouble: its own line.
    let stale =
        verifier.sign(&Message::new(b"{}").id("msg_2").timestamp(NOW - 3600)).unwrap().to_header_map();
    assert_eq!(deliver(&endpoint, &stale, b"{}"), Some("timestamp_too_old"));
    let warnings = events.at(Level::WARN);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].0.contains("outside the window"), "{warnings:?}");
    events.clear();

    // A copy is routine: DEBUG only.
    assert_eq!(deliver(&endpoint, &signed, b"{}"), None);
    assert_eq!(deliver(&endpoint, &signed, b"{}"), Some("duplicate"));
    assert!(events.at(Level::WARN).is_empty() && events.at(Level::ERROR).is_empty());
    events.clear();

    // The store is down: one ERROR line for a burst.
    let down = Endpoint::new(verifier).replay_store(DownStore);
    for id in 0..10 {
        let headers =
            down.verifier().sign(&Message::new(b"{}").id(&format!("msg_down_{id}")).timestamp(NOW)).unwrap();
        assert_eq!(deliver(&down, &headers.to_header_map(), b"{}"), Some("store_unavailable"));
    }
    let errors = events.at(Level::ERROR);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].0.contains("replay store unavailable"), "{errors:?}");
}
