//! The deliveries both test files run, natively (`tests/native.rs`) and in Node
//! (`tests/node.rs`): signed as Stripe signs them, at the system clock's time (JavaScript's
//! `Date.now()` on wasm32), through `receive`.

#![allow(dead_code)] // each test file uses its own part

use cloudflare_worker::{Answer, ROUTE, misrouted, receive, stripe_endpoint};
use hookwarden::endpoint::{Endpoint, Head};
use hookwarden::{Clock, Message, SignedHeaders, SystemClock};
use web_time::Instant;

/// A made-up signing secret, in Stripe's form.
pub(crate) const SECRET: &str = "whsec_test_secret_0123456789";

pub(crate) fn endpoint() -> Endpoint {
    stripe_endpoint(SECRET, None).expect("the test secret is usable")
}

/// A Stripe event.
pub(crate) fn event(id: &str) -> Vec<u8> {
    format!(r#"{{"id":"{id}","object":"event","type":"invoice.paid","data":{{"object":{{"id":"in_1"}}}}}}"#)
        .into_bytes()
}

/// `body` signed by the endpoint's verifier at `timestamp`.
pub(crate) fn signed_at(endpoint: &Endpoint, body: &[u8], timestamp: i64) -> SignedHeaders {
    endpoint.verifier().sign(&Message::new(body).timestamp(timestamp)).expect("Stripe signs")
}

/// `body` signed now, as name/value pairs with a content type, as the Worker hands them over.
pub(crate) fn signed(endpoint: &Endpoint, body: &[u8]) -> Vec<(String, String)> {
    pairs(&signed_at(endpoint, body, SystemClock.now_unix()))
}

pub(crate) fn pairs(headers: &SignedHeaders) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = headers.iter().map(|(name, value)| (name.to_owned(), value.to_owned())).collect();
    pairs.push(("content-type".to_owned(), "application/json".to_owned()));
    pairs
}

/// A POST of `body` to the route.
pub(crate) async fn post(endpoint: &Endpoint, headers: Vec<(String, String)>, body: &[u8]) -> Answer {
    receive(endpoint, "POST", ROUTE, headers, body.to_vec()).await
}

pub(crate) fn text(answer: &Answer) -> &str {
    std::str::from_utf8(&answer.body).expect("the answers are UTF-8")
}

/// A rejection: the status, `{"reason":"<reason>"}` as JSON.
#[track_caller]
pub(crate) fn assert_rejected(answer: &Answer, status: u16, reason: &str) {
    assert_eq!((answer.status, text(answer)), (status, format!(r#"{{"reason":"{reason}"}}"#).as_str()));
    assert_eq!(answer.header("content-type"), Some("application/json"));
}

pub(crate) async fn a_valid_delivery_gets_the_handlers_answer() {
    let endpoint = endpoint();
    let body = event("evt_valid");
    let answer = post(&endpoint, signed(&endpoint, &body), &body).await;
    assert_eq!((answer.status, text(&answer)), (200, r#"{"received":"evt_valid","type":"invoice.paid"}"#));
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.header("retry-after"), None);
}

pub(crate) async fn a_tampered_body_is_refused() {
    let endpoint = endpoint();
    let body = event("evt_tampered");
    let headers = signed(&endpoint, &body);
    let forged = String::from_utf8(body).unwrap().replace("invoice.paid", "invoice.void");
    assert_rejected(&post(&endpoint, headers, forged.as_bytes()).await, 401, "no_matching_signature");
}

pub(crate) async fn a_stale_delivery_is_refused() {
    let endpoint = endpoint();
    let body = event("evt_stale");
    // Signed an hour ago: Stripe's window is five minutes.
    let headers = pairs(&signed_at(&endpoint, &body, SystemClock.now_unix() - 3600));
    assert_rejected(&post(&endpoint, headers, &body).await, 401, "timestamp_too_old");
}

pub(crate) async fn a_replayed_delivery_is_acknowledged_once_processed() {
    let endpoint = endpoint();
    let body = event("evt_replayed");
    let headers = signed(&endpoint, &body);
    assert_eq!(post(&endpoint, headers.clone(), &body).await.status, 200);
    // The same bytes again, and Stripe's retry re-signed with a new timestamp: both are the
    // same event (its `id`), acknowledged without the handler.
    assert_rejected(&post(&endpoint, headers, &body).await, 200, "duplicate");
    let retry = pairs(&signed_at(&endpoint, &body, SystemClock.now_unix() - 60));
    assert_rejected(&post(&endpoint, retry, &body).await, 200, "duplicate");
}

pub(crate) async fn a_delivery_without_or_with_a_broken_signature_header_is_refused() {
    let endpoint = endpoint();
    let body = event("evt_headers");
    let unsigned = vec![("content-type".to_owned(), "application/json".to_owned())];
    assert_rejected(&post(&endpoint, unsigned, &body).await, 401, "missing_header");
    let broken = vec![("stripe-signature".to_owned(), "t=soon,v1=zz".to_owned())];
    assert_rejected(&post(&endpoint, broken, &body).await, 400, "malformed_header");
}

pub(crate) async fn a_failed_handler_releases_the_claim() {
    let endpoint = endpoint();
    // Signed, but not an event: the handler answers 400, so the claim is released and the
    // retry reaches the handler again rather than being acknowledged as a duplicate.
    let body = br#"{"id":"evt_broken","#;
    let headers = signed(&endpoint, body);
    for _ in 0..2 {
        let answer = post(&endpoint, headers.clone(), body).await;
        assert_eq!((answer.status, text(&answer)), (400, r#"{"error":"not a Stripe event"}"#));
    }
}

pub(crate) async fn a_copy_in_flight_is_told_to_retry_after() {
    let endpoint = endpoint();
    let body = event("evt_in_flight");
    let headers = signed(&endpoint, &body);
    // Another request of this isolate holds the claim, its handler still running.
    let head = Head::new("POST", ROUTE, &headers);
    let admission = endpoint.admit(&head).unwrap();
    let delivery = endpoint.verify(&head, &admission, &body).unwrap();
    let claim = endpoint.claim(&delivery).await.unwrap();
    let answer = post(&endpoint, headers.clone(), &body).await;
    assert_rejected(&answer, 409, "in_flight");
    assert_eq!(answer.header("retry-after"), Some("5"));
    // That handler failed: the claim is released, and the copy is processed.
    drop(claim);
    assert_eq!(post(&endpoint, headers, &body).await.status, 200);
}

pub(crate) async fn a_body_over_the_limit_is_refused() {
    let endpoint = endpoint().body_limit(64);
    let body = event("evt_large");
    assert!(body.len() > 64);
    let mut headers = signed(&endpoint, &body);
    assert_rejected(&post(&endpoint, headers.clone(), &body).await, 413, "body_too_large");
    // Declared too large: refused before the body is read.
    headers.push(("content-length".to_owned(), body.len().to_string()));
    assert_rejected(&post(&endpoint, headers, &[]).await, 413, "body_too_large");
}

pub(crate) fn other_paths_and_methods_are_not_deliveries() {
    assert_eq!(misrouted("POST", ROUTE), None);
    assert_eq!(misrouted("POST", "/").map(|answer| answer.status), Some(404));
    let get = misrouted("GET", ROUTE).unwrap();
    assert_eq!((get.status, get.header("allow")), (405, Some("POST")));
}

/// What one timing run measured, in nanoseconds per delivery.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    /// `Verifier::verify` of one signed 1 KiB Stripe delivery, over and over.
    pub(crate) verify_ns: f64,
    /// `receive` of distinct 1 KiB deliveries: admit, verify, claim in the `MemoryStore`,
    /// the handler (a JSON parse), commit.
    pub(crate) receive_ns: f64,
}

impl Timing {
    /// One line that `measure.sh` reads.
    pub(crate) fn line(&self, platform: &str) -> String {
        format!(
            "timing {platform}: verify {:.0} ns/delivery, receive {:.0} ns/delivery",
            self.verify_ns, self.receive_ns
        )
    }
}

/// A Stripe event padded to 1 KiB.
fn event_1k(id: &str) -> Vec<u8> {
    let head =
        format!(r#"{{"id":"{id}","object":"event","type":"invoice.paid","data":{{"object":{{"memo":""#);
    let tail = r#""}}}"#;
    let mut body = head.into_bytes();
    body.resize(1024 - tail.len(), b'x');
    body.extend_from_slice(tail.as_bytes());
    body
}

/// Times `verifies` verifications and `receives` deliveries (after a warm-up of each).
pub(crate) async fn time(verifies: u32, receives: u32) -> Timing {
    let endpoint = endpoint();
    let verifier = endpoint.verifier();
    let body = event_1k("evt_timing");
    assert_eq!(body.len(), 1024);
    let headers = signed_at(&endpoint, &body, SystemClock.now_unix());
    for _ in 0..verifies / 10 {
        assert!(verifier.verify(&headers, &body).is_ok());
    }
    let started = Instant::now();
    for _ in 0..verifies {
        let verified = verifier.verify(std::hint::black_box(&headers), std::hint::black_box(&body));
        assert!(verified.is_ok());
    }
    let verify_ns = started.elapsed().as_nanos() as f64 / f64::from(verifies);

    let deliveries: Vec<_> = (0..receives + receives / 10)
        .map(|n| {
            let body = event_1k(&format!("evt_{n:08}"));
            (signed(&endpoint, &body), body)
        })
        .collect();
    let (warm_up, timed) = deliveries.split_at((receives / 10) as usize);
    for (headers, body) in warm_up {
        assert_eq!(receive(&endpoint, "POST", ROUTE, headers.clone(), body.clone()).await.status, 200);
    }
    // The copies handed over are made outside the timed loop, as the Worker's own are.
    let requests: Vec<_> = timed.to_vec();
    let started = Instant::now();
    for (headers, body) in requests {
        assert_eq!(receive(&endpoint, "POST", ROUTE, headers, body).await.status, 200);
    }
    let receive_ns = started.elapsed().as_nanos() as f64 / f64::from(receives);
    Timing { verify_ns, receive_ns }
}
