//! Exactly once per event, through the standalone API: what the per-provider retry tests (in
//! the workspace's `tests/retries.rs`, through both adapters and this API) do not cover. A body
//! without its event id falls back to the content and is still a duplicate when re-signed; a
//! delivery first seen at the future edge of the window is still a duplicate at its past edge,
//! so what the store keeps covers the whole window; and a commit that fails keeps the claim
//! until its lease lapses.
#![cfg(all(feature = "json", feature = "http"))]

use std::sync::Arc;
use std::time::Duration;

use hookwarden::preset::{GitHub, StandardWebhooks, Stripe};
use hookwarden::replay::{IdentitySource, OnSuccess};
use hookwarden::scheme::Request;
use hookwarden::{
    ClaimOutcome, ClaimToken, FixedClock, MemoryStore, Message, ReplayKey, ReplayStore, Scheme, StoreError,
    Verifier, VerifyError,
};

const START: i64 = 1_700_000_000;
/// How long after the first attempt the sender re-signs a copy.
const RETRY_AFTER: i64 = 4;
const URL: &str = "https://hooks.example.com/webhooks?tenant=7";

/// One attempt at a delivery: what the sender signs.
struct Attempt {
    body: Vec<u8>,
    id: Option<&'static str>,
}

fn attempt(body: impl Into<Vec<u8>>) -> Attempt {
    Attempt { body: body.into(), id: None }
}

fn with<S: Scheme + Copy>(scheme: S, secret: &str) -> impl Fn(&FixedClock) -> Verifier + 'static {
    let secret = secret.to_owned();
    move |clock| Verifier::builder(scheme).secret(&secret).clock(clock.clone()).build().unwrap()
}

/// Signs `attempt` at `t`, verifies it, claims it and, when the handler
/// answers `status`, settles the claim the way the adapters do.
async fn deliver(
    verifier: &Verifier,
    store: &Arc<MemoryStore>,
    attempt: &Attempt,
    t: i64,
    status: u16,
) -> Result<IdentitySource, VerifyError> {
    let mut message = Message::new(&attempt.body).timestamp(t).url(URL).method("POST");
    if let Some(id) = attempt.id {
        message = message.id(id);
    }
    let headers = verifier.sign(&message).expect("signable");
    let request = Request::new(&headers, &attempt.body).url(URL).method("POST");
    let mut verified = verifier.verify_request(&request)?;
    let claim = verifier.claim(store, &request, &mut verified).await?;
    claim.settle(status, &OnSuccess).await.expect("memory store answers");
    Ok(verified.identity().expect("identified").source())
}

#[test]
fn a_body_without_its_id_still_verifies_and_falls_back_to_the_content() {
    futures_executor::block_on(async {
        let clock = FixedClock::at(START);
        let verifier = with(Stripe, "whsec_test_secret_0123456789")(&clock);
        let store = Arc::new(MemoryStore::new().clock(clock.clone()));
        for body in
            [&b"not json"[..], br#"{"object":"event"}"#, br#"{"id":{"nested":1}}"#, br#"{"id":"has space"}"#]
        {
            let attempt = attempt(body);
            assert_eq!(deliver(&verifier, &store, &attempt, START, 200).await, Ok(IdentitySource::Content));
            // Re-signed: the content without its timestamp is the same.
            clock.set(START + RETRY_AFTER);
            let again = deliver(&verifier, &store, &attempt, START + RETRY_AFTER, 200).await;
            assert_eq!(again, Err(VerifyError::Duplicate), "{:?}", String::from_utf8_lossy(body));
            clock.set(START);
        }
    });
}

#[test]
fn a_retry_hours_later_of_a_processed_event_is_still_a_duplicate() {
    // The receiver processed the event, but Stripe never saw the 2xx (a timeout): it retries
    // later, re-signed. The key outlives the five-minute window: Stripe retries for three days.
    futures_executor::block_on(async {
        let clock = FixedClock::at(START);
        let verifier = with(Stripe, "whsec_test_secret_0123456789")(&clock);
        assert_eq!(verifier.replay_ttl(), Duration::from_secs(3 * 24 * 60 * 60));
        let store = Arc::new(MemoryStore::new().clock(clock.clone()));
        let event = attempt(r#"{"id":"evt_late","object":"event","pending_webhooks":1}"#);
        assert_eq!(deliver(&verifier, &store, &event, START, 200).await, Ok(IdentitySource::BodyField("id")));
        for hours in [1, 8, 71] {
            let later = START + hours * 60 * 60;
            clock.set(later);
            assert_eq!(
                deliver(&verifier, &store, &event, later, 200).await,
                Err(VerifyError::Duplicate),
                "{hours} h"
            );
        }
    });
}

#[test]
fn a_delivery_first_seen_at_the_future_edge_is_still_a_duplicate_at_the_past_edge() {
    futures_executor::block_on(async {
        // ±300 s: 601 distinct seconds in which a signed timestamp is accepted.
        let clock = FixedClock::at(START);
        let verifier = with(StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")(&clock);
        let store = Arc::new(MemoryStore::new().clock(clock.clone()));
        let at_the_edge = Attempt { id: Some("msg_edge"), ..attempt("{}") };
        let signed_at = START + 300;
        assert!(deliver(&verifier, &store, &at_the_edge, signed_at, 200).await.is_ok());
        clock.set(signed_at + 300);
        assert_eq!(
            deliver(&verifier, &store, &at_the_edge, signed_at, 200).await,
            Err(VerifyError::Duplicate)
        );
        clock.set(signed_at + 301);
        assert_eq!(
            deliver(&verifier, &store, &at_the_edge, signed_at, 200).await.unwrap_err().reason(),
            "timestamp_too_old"
        );
    });
}

/// A store whose commits fail, as a networked store's can.
#[derive(Debug)]
struct CommitFails(MemoryStore);

impl ReplayStore for CommitFails {
    fn claim<'a>(
        &'a self,
        key: &'a ReplayKey,
        ttl: Duration,
    ) -> hookwarden::replay::StoreFuture<'a, ClaimOutcome> {
        self.0.claim(key, ttl)
    }
    fn commit<'a>(
        &'a self,
        _: &'a ReplayKey,
        _: ClaimToken,
        _: Duration,
    ) -> hookwarden::replay::StoreFuture<'a, ()> {
        Box::pin(std::future::ready(Err(StoreError::unavailable("commit refused"))))
    }
    fn release<'a>(
        &'a self,
        key: &'a ReplayKey,
        token: ClaimToken,
    ) -> hookwarden::replay::StoreFuture<'a, ()> {
        self.0.release(key, token)
    }
    fn release_detached(&self, key: ReplayKey, token: ClaimToken) {
        self.0.release_detached(key, token);
    }
}

#[test]
fn a_failed_commit_keeps_the_claim_until_its_lease_lapses() {
    futures_executor::block_on(async {
        let clock = FixedClock::at(START);
        let verifier = Verifier::builder(GitHub)
            .secret("It's a Secret to Everybody")
            .claim_lease(Duration::from_secs(60))
            .build()
            .unwrap();
        let store = Arc::new(CommitFails(MemoryStore::new().clock(clock.clone())));
        let body = br#"{"action":"opened"}"#;
        let headers = verifier.sign(&Message::new(body)).unwrap();
        let request = Request::new(&headers, body);
        let claim_once = || async {
            let mut verified = verifier.verify_request(&request).unwrap();
            verifier.claim(&store, &request, &mut verified).await
        };

        let claim = claim_once().await.unwrap();
        assert!(claim.settle(200, &OnSuccess).await.is_err(), "the commit fails");
        // Never a second run while the lease holds: the handler did process it.
        assert_eq!(claim_once().await.unwrap_err(), VerifyError::InFlight);
        clock.advance(Duration::from_secs(59));
        assert_eq!(claim_once().await.unwrap_err(), VerifyError::InFlight);
        // Then the next copy is processed again, as the docs say.
        clock.advance(Duration::from_secs(1));
        assert!(claim_once().await.is_ok());
    });
}
