//! Exactly once per event, through the standalone API: a provider's retry of a processed event
//! is a duplicate however the provider re-signs it, a different event is fresh, and what the
//! store keeps covers the whole window.
//!
//! Each retry is made the way its provider makes it: signed again later (a new timestamp),
//! with the provider's unsigned retry headers, and with the body changes the provider makes
//! (Stripe's `pending_webhooks`, Coinbase's `attempt_number`, Linear's `webhookTimestamp`).
#![cfg(all(feature = "json", feature = "http"))]

use std::sync::Arc;
use std::time::Duration;

use hookwarden::preset::{
    Calendly, Coinbase, GitHub, HubSpot, Intercom, Linear, Mux, Paddle, Slack, Square, StandardWebhooks,
    Stripe, Svix, Twilio, Twitch, Zoom,
};
use hookwarden::replay::{IdentitySource, OnSuccess};
use hookwarden::{
    ClaimOutcome, ClaimToken, FixedClock, MemoryStore, Message, ReplayKey, ReplayStore, Request, Scheme,
    StoreError, Verifier, VerifyError,
};

const START: i64 = 1_700_000_000;
/// How long after the first attempt the provider retries: longer than Paddle's five-second
/// window, within everyone else's.
const RETRY_AFTER: i64 = 4;
const URL: &str = "https://hooks.example.com/webhooks?tenant=7";

/// One attempt at a delivery: what the sender signs, and the unsigned headers it adds.
struct Attempt {
    body: Vec<u8>,
    id: Option<&'static str>,
    retry_headers: &'static [(&'static str, &'static str)],
}

fn attempt(body: impl Into<Vec<u8>>) -> Attempt {
    Attempt { body: body.into(), id: None, retry_headers: &[] }
}

/// How a sender makes one attempt at time `t`.
type Send = fn(i64) -> Attempt;

/// A provider: its verifier, how an event is first sent and retried, and another event.
struct Provider {
    name: &'static str,
    scheme: Box<dyn Fn() -> Verifier>,
    /// The first attempt, sent at `t`.
    first: Send,
    /// The provider's retry of the same event, sent at `t`.
    retry: Send,
    /// Another event, sent at `t`.
    other: Send,
    identity: IdentitySource,
}

fn provider(
    name: &'static str,
    build: impl Fn(&FixedClock) -> Verifier + 'static,
    clock: &FixedClock,
    (first, retry, other): (Send, Send, Send),
    identity: IdentitySource,
) -> Provider {
    let clock = clock.clone();
    Provider { name, scheme: Box::new(move || build(&clock)), first, retry, other, identity }
}

fn with<S: Scheme + Copy>(scheme: S, secret: &str) -> impl Fn(&FixedClock) -> Verifier + 'static {
    let secret = secret.to_owned();
    move |clock| Verifier::builder(scheme).secret(&secret).clock(clock.clone()).build().unwrap()
}

/// Signs `attempt` at `t` as the provider would, verifies it, claims it and, when the handler
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
    let signed = verifier.sign(&message).expect("signable");
    let mut headers: Vec<(&str, &str)> = signed.iter().collect();
    headers.extend_from_slice(attempt.retry_headers);
    let request = Request::new(&headers, &attempt.body).url(URL).method("POST");
    let mut verified = verifier.verify_request(&request)?;
    let claim = verifier.claim(store, &request, &mut verified).await?;
    claim.settle(status, &OnSuccess).await.expect("memory store answers");
    Ok(verified.identity().expect("identified").source())
}

fn providers(clock: &FixedClock) -> Vec<Provider> {
    fn stripe(pending: u32, id: &str) -> Attempt {
        attempt(format!(
            r#"{{"id":"{id}","object":"event","type":"invoice.paid","pending_webhooks":{pending}}}"#
        ))
    }
    fn slack(event_id: &str) -> String {
        format!(
            r#"{{"token":"t","team_id":"T1","event":{{"type":"message","text":"hi","ts":"1.2"}},"type":"event_callback","event_id":"{event_id}","event_time":1700000000}}"#
        )
    }
    fn linear(id: &str, t: i64) -> Attempt {
        attempt(format!(
            r#"{{"action":"create","type":"Issue","data":{{"id":"{id}"}},"webhookTimestamp":{}}}"#,
            t * 1000
        ))
    }
    fn coinbase(attempt_number: u32, id: &str) -> Attempt {
        attempt(format!(
            r#"{{"id":81,"attempt_number":{attempt_number},"event":{{"id":"{id}","type":"charge:confirmed"}}}}"#
        ))
    }
    use IdentitySource::{BodyField, Content, SignedId};
    vec![
        provider(
            "standard-webhooks",
            with(StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            clock,
            (
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_2"), ..attempt("{}") },
            ),
            SignedId,
        ),
        provider(
            "svix",
            with(Svix, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            clock,
            (
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_2"), ..attempt("{}") },
            ),
            SignedId,
        ),
        provider(
            "twitch",
            with(Twitch, "twitch-eventsub-secret-0123"),
            clock,
            (
                |_| Attempt { id: Some("e1"), ..attempt("{}") },
                |_| Attempt {
                    id: Some("e1"),
                    retry_headers: &[("Twitch-Eventsub-Message-Retry", "1")],
                    ..attempt("{}")
                },
                |_| Attempt { id: Some("e2"), ..attempt("{}") },
            ),
            SignedId,
        ),
        provider(
            "stripe",
            with(Stripe, "whsec_test_secret_0123456789"),
            clock,
            (|_| stripe(2, "evt_1"), |_| stripe(1, "evt_1"), |_| stripe(2, "evt_2")),
            BodyField("id"),
        ),
        provider(
            "slack",
            with(Slack, "8f742231b10e8888abcd99yyyzzz85a5"),
            clock,
            (
                |_| attempt(slack("Ev1")),
                |_| Attempt {
                    retry_headers: &[("X-Slack-Retry-Num", "1"), ("X-Slack-Retry-Reason", "http_timeout")],
                    ..attempt(slack("Ev1"))
                },
                |_| attempt(slack("Ev2")),
            ),
            BodyField("event_id"),
        ),
        provider(
            "paddle",
            with(Paddle, "pdl_ntfset_01_secret_0123456789"),
            clock,
            (
                |_| {
                    attempt(
                        r#"{"event_id":"evt_1","notification_id":"ntf_1","event_type":"transaction.paid"}"#,
                    )
                },
                |_| {
                    attempt(
                        r#"{"event_id":"evt_1","notification_id":"ntf_1","event_type":"transaction.paid"}"#,
                    )
                },
                |_| {
                    attempt(
                        r#"{"event_id":"evt_1","notification_id":"ntf_2","event_type":"transaction.paid"}"#,
                    )
                },
            ),
            BodyField("notification_id"),
        ),
        provider(
            "mux",
            with(Mux, "mux-webhook-secret-0123456789"),
            clock,
            (
                |_| attempt(r#"{"type":"video.asset.ready","id":"3a56ac3d","attempts":[]}"#),
                |_| attempt(r#"{"type":"video.asset.ready","id":"3a56ac3d","attempts":[{"id":"a1"}]}"#),
                |_| attempt(r#"{"type":"video.asset.ready","id":"9b11ee02","attempts":[]}"#),
            ),
            BodyField("id"),
        ),
        provider(
            "zoom",
            with(Zoom, "zoom-secret-token-0123"),
            clock,
            (
                |_| attempt(r#"{"event":"meeting.started","event_ts":1626230691572,"payload":{"id":"1"}}"#),
                |_| attempt(r#"{"event":"meeting.started","event_ts":1626230691572,"payload":{"id":"1"}}"#),
                |_| attempt(r#"{"event":"meeting.started","event_ts":1626230691999,"payload":{"id":"2"}}"#),
            ),
            Content,
        ),
        provider(
            "calendly",
            with(Calendly, "calendly-signing-key-0123"),
            clock,
            (
                |_| {
                    attempt(r#"{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/i/1"}}"#)
                },
                |_| {
                    attempt(r#"{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/i/1"}}"#)
                },
                |_| {
                    attempt(r#"{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/i/2"}}"#)
                },
            ),
            Content,
        ),
        provider(
            "hubspot",
            with(HubSpot, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"),
            clock,
            (
                |_| attempt(r#"[{"eventId":1,"subscriptionType":"contact.creation"}]"#),
                |_| attempt(r#"[{"eventId":1,"subscriptionType":"contact.creation"}]"#),
                |_| attempt(r#"[{"eventId":2,"subscriptionType":"contact.creation"}]"#),
            ),
            Content,
        ),
        provider(
            "linear",
            with(Linear, "lin_wh_signing_secret_0123456789"),
            clock,
            (|t| linear("i1", t), |t| linear("i1", t), |t| linear("i2", t)),
            Content,
        ),
        provider(
            "github",
            with(GitHub, "It's a Secret to Everybody"),
            clock,
            (
                |_| attempt(r#"{"action":"opened","number":1}"#),
                |_| attempt(r#"{"action":"opened","number":1}"#),
                |_| attempt(r#"{"action":"opened","number":2}"#),
            ),
            Content,
        ),
        provider(
            "twilio",
            with(Twilio, "twilio-auth-token-0123456789"),
            clock,
            (
                |_| attempt("MessageSid=SM1&MessageStatus=delivered"),
                |_| attempt("MessageStatus=delivered&MessageSid=SM1"),
                |_| attempt("MessageSid=SM2&MessageStatus=delivered"),
            ),
            Content,
        ),
        provider(
            "square",
            with(Square, "square-signature-key-0123"),
            clock,
            (
                |_| attempt(r#"{"merchant_id":"M1","type":"payment.updated","event_id":"e-1","data":{}}"#),
                |_| attempt(r#"{"merchant_id":"M1","type":"payment.updated","event_id":"e-1","data":{}}"#),
                |_| attempt(r#"{"merchant_id":"M1","type":"payment.updated","event_id":"e-2","data":{}}"#),
            ),
            BodyField("event_id"),
        ),
        provider(
            "coinbase",
            with(Coinbase, "coinbase-shared-secret-0123"),
            clock,
            (|_| coinbase(1, "ev-1"), |_| coinbase(2, "ev-1"), |_| coinbase(1, "ev-2")),
            BodyField("event.id"),
        ),
        provider(
            "intercom",
            with(Intercom, "intercom-client-secret-0123"),
            clock,
            (
                |_| attempt(r#"{"type":"notification_event","id":"notif_1","delivery_attempts":1}"#),
                |_| attempt(r#"{"type":"notification_event","id":"notif_1","delivery_attempts":2}"#),
                |_| attempt(r#"{"type":"notification_event","id":"notif_2","delivery_attempts":1}"#),
            ),
            BodyField("id"),
        ),
    ]
}

#[test]
fn a_re_signed_retry_of_a_processed_event_is_a_duplicate_and_another_event_is_fresh() {
    futures_executor::block_on(async {
        let clock = FixedClock::at(START);
        for provider in providers(&clock) {
            let name = provider.name;
            clock.set(START);
            let verifier = (provider.scheme)();
            let store = Arc::new(MemoryStore::new().clock(clock.clone()));
            let first = deliver(&verifier, &store, &(provider.first)(START), START, 200).await;
            assert_eq!(first, Ok(provider.identity), "{name}: first attempt");

            clock.set(START + RETRY_AFTER);
            let retry = (provider.retry)(START + RETRY_AFTER);
            let again = deliver(&verifier, &store, &retry, START + RETRY_AFTER, 200).await;
            assert_eq!(again, Err(VerifyError::Duplicate), "{name}: the retry ran the handler again");

            let other = (provider.other)(START + RETRY_AFTER);
            let other = deliver(&verifier, &store, &other, START + RETRY_AFTER, 200).await;
            assert_eq!(other, Ok(provider.identity), "{name}: another event");
        }
    });
}

#[test]
fn a_retry_after_a_failed_attempt_is_processed() {
    futures_executor::block_on(async {
        let clock = FixedClock::at(START);
        for provider in providers(&clock) {
            let name = provider.name;
            clock.set(START);
            let verifier = (provider.scheme)();
            let store = Arc::new(MemoryStore::new().clock(clock.clone()));
            // 415 from an extractor, 429 from a busy handler: not processed.
            for status in [415, 429, 503] {
                let first = deliver(&verifier, &store, &(provider.first)(START), START, status).await;
                assert!(first.is_ok(), "{name}: attempt answered {status}: {first:?}");
            }
            clock.set(START + RETRY_AFTER);
            let retry = (provider.retry)(START + RETRY_AFTER);
            let retry = deliver(&verifier, &store, &retry, START + RETRY_AFTER, 204).await;
            assert!(retry.is_ok(), "{name}: the retry was not processed: {retry:?}");
        }
    });
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
