//! A Cloudflare Worker that verifies Stripe webhooks with hookwarden.
//!
//! The delivery path is plain Rust, with no Workers types in it, so that it runs and is tested
//! anywhere (natively under `cargo test`, and in Node on `wasm32-unknown-unknown`):
//!
//! - [`stripe_endpoint`] builds the [`Endpoint`] (verifier and replay store) from the secret;
//!   the Worker builds it once per isolate.
//! - [`receive`] takes one delivery through the endpoint's steps (admit, read the body, verify,
//!   claim, [`handle`], settle) and returns the [`Answer`] to send: the handler's, or the
//!   status and `{"reason":"<code>"}` of a rejection, as the tower and actix adapters answer.
//!   [`deliver`] is the same with a body still to be read, under the endpoint's size limit and
//!   deadline.
//! - [`misrouted`] answers what is not a `POST` to [`ROUTE`].
//!
//! On `wasm32`, the `fetch` module holds the Worker's `#[event(fetch)]` entry: it turns the
//! `worker::Request` into these parts and the [`Answer`] into a `worker::Response`. The
//! example's `README.md` says how to build and deploy it, and which replay stores fit Workers.

use std::future::Future;
use std::net::IpAddr;

use hookwarden::endpoint::{Endpoint, Head, Rejection};
use hookwarden::{MemoryStore, Verified, Verifier, VerifyError, preset::Stripe};
use serde::Deserialize;

#[cfg(target_arch = "wasm32")]
pub mod fetch;

/// The path the Worker receives Stripe events on.
pub const ROUTE: &str = "/webhooks/stripe";

/// The Worker secret holding the Stripe endpoint's signing secret (`whsec_...`).
pub const SECRET: &str = "STRIPE_WEBHOOK_SECRET";

/// The Worker secret holding the previous signing secret, while rolling it (optional).
pub const PREVIOUS_SECRET: &str = "STRIPE_WEBHOOK_SECRET_PREVIOUS";

/// The endpoint for Stripe deliveries signed with `secret` (or, while rolling it, with
/// `previous`), with an in-memory replay store.
///
/// The store is the isolate's own: a copy of a delivery that reaches another isolate (another
/// Cloudflare location, or a second isolate started under load) is not recognised there. The
/// example's `README.md` says what a shared store takes.
///
/// # Errors
///
/// A message naming the secret that is unusable (empty, too short, or not Stripe's `whsec_`
/// form).
pub fn stripe_endpoint(secret: &str, previous: Option<&str>) -> Result<Endpoint, String> {
    let mut builder = Verifier::builder(Stripe).key("current", secret);
    if let Some(previous) = previous {
        builder = builder.key("previous", previous);
    }
    let verifier = builder.build().map_err(|error| format!("{SECRET} is unusable: {error}"))?;
    // Stripe events are small: the default 1 MiB body limit is plenty.
    Ok(Endpoint::new(verifier).replay_store(MemoryStore::new()))
}

/// What the Worker answers: the status, the headers, and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The response headers, as name/value pairs.
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self { status, headers: vec![content_type_json()], body: body.into() }
    }

    /// The answer to a refused delivery, as the adapters give it: the rejection's status and
    /// body, and `Retry-After` when the rejection says how long to wait (a copy of a delivery
    /// still being processed).
    pub fn rejected(rejection: &Rejection) -> Self {
        let body = rejection.body();
        let mut answer =
            Self { status: rejection.status(), headers: Vec::new(), body: body.bytes().to_vec() };
        if let Some(content_type) = body.content_type() {
            answer.headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        if let Some(seconds) = rejection.retry_after() {
            answer.headers.push(("retry-after".to_owned(), seconds.to_string()));
        }
        answer
    }

    /// The value of the header `name` (compared without case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

fn content_type_json() -> (String, String) {
    ("content-type".to_owned(), "application/json".to_owned())
}

/// What the Worker knows of a request before it reads the body.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    /// The method, such as `POST`.
    pub method: String,
    /// The path and query, such as `/webhooks/stripe?tenant=7`.
    pub path_and_query: String,
    /// The headers, as name/value pairs.
    pub headers: Vec<(String, String)>,
    /// The client's address, for an [IP allowlist](Endpoint::ip_allowlist). On Workers,
    /// Cloudflare writes it in `CF-Connecting-IP`.
    pub peer: Option<IpAddr>,
    /// Whether the client reached Cloudflare over HTTPS, for
    /// [`require_https`](Endpoint::require_https).
    pub tls: bool,
}

impl Parts {
    /// What the endpoint reads of the request before its body. Made per step: it borrows the
    /// headers as `dyn`, which must not be held across an await.
    fn head(&self) -> Head<'_> {
        Head::new(&self.method, &self.path_and_query, &self.headers).peer(self.peer).tls(self.tls)
    }
}

/// The answer to a request that is not a delivery to [`ROUTE`]: `404` for another path,
/// `405` with `Allow: POST` for another method. `None` for a `POST` to the route.
pub fn misrouted(method: &str, path: &str) -> Option<Answer> {
    if path != ROUTE {
        return Some(Answer { status: 404, headers: Vec::new(), body: Vec::new() });
    }
    if !method.eq_ignore_ascii_case("POST") {
        let headers = vec![("allow".to_owned(), "POST".to_owned())];
        return Some(Answer { status: 405, headers, body: Vec::new() });
    }
    None
}

/// One delivery whose body is already read: its method, path and query, headers and body,
/// through the endpoint's steps. Returns the handler's answer, or the rejection's.
///
/// A body larger than the endpoint's [limit](Endpoint::max_body_len) is refused with `413
/// body_too_large`, as if it had been read through it.
pub async fn receive(
    endpoint: &Endpoint,
    method: &str,
    path_and_query: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Answer {
    let parts = Parts {
        method: method.to_owned(),
        path_and_query: path_and_query.to_owned(),
        headers,
        ..Parts::default()
    };
    deliver(endpoint, &parts, |limit| async move {
        if u64::try_from(body.len()).unwrap_or(u64::MAX) > limit {
            Err(VerifyError::BodyTooLarge { limit })
        } else {
            Ok(body)
        }
    })
    .await
}

/// One delivery, through the endpoint's steps, its body read by `read_body` once the request
/// is admitted (the Worker reads the request's stream there).
///
/// `read_body` gets the endpoint's [body limit](Endpoint::max_body_len) and answers the whole
/// body, or `BodyTooLarge`, `BodyTimeout` or `BodyUnreadable`, which are answered like any
/// rejection.
pub async fn deliver<F, Fut>(endpoint: &Endpoint, parts: &Parts, read_body: F) -> Answer
where
    F: FnOnce(u64) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, VerifyError>>,
{
    // 1. Access controls and the declared length, before a byte of the body.
    let admission = match endpoint.admit(&parts.head()) {
        Ok(admission) => admission,
        Err(rejection) => return Answer::rejected(&rejection),
    };
    // 2. The body, under the limit (and, in the Worker, the deadline).
    let body = match read_body(endpoint.max_body_len()).await {
        Ok(body) => body,
        Err(error) => return Answer::rejected(&endpoint.reject(error)),
    };
    // 3. The signature and the timestamp; the event's identity for the replay store.
    let delivery = match endpoint.verify(&parts.head(), &admission, &body) {
        Ok(delivery) => delivery,
        Err(rejection) => return Answer::rejected(&rejection),
    };
    // 4. The claim: a copy of a processed event is acknowledged here, without the handler.
    let claim = match endpoint.claim(&delivery).await {
        Ok(claim) => claim,
        Err(rejection) => return Answer::rejected(&rejection),
    };
    // 5. The handler. A panic traps the module (the Worker starts a fresh instance, whose
    //    replay store is empty), so no claim outlives it.
    let answer = handle(delivery.verified(), &body).await;
    // 6. A 2xx commits the claim; anything else releases it, so Stripe's retry is processed.
    endpoint.settle(claim, Some(answer.status)).await;
    answer
}

/// The part of a Stripe event this handler reads.
#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    r#type: String,
}

/// The handler: only authentic, fresh, first-time deliveries get here, with the body exactly
/// as signed. It answers `200` with `{"received":"<event id>","type":"<event type>"}`, and
/// `400` to a body that is not a Stripe event (which releases the claim).
///
/// `_verified` says what was verified: the key that matched (`current` or `previous`) and the
/// signed timestamp. Do the work here, idempotently by the event id. Answer a non-2xx status
/// when it fails: the claim is released and Stripe's retry is processed.
pub async fn handle(_verified: &Verified, body: &[u8]) -> Answer {
    let Ok(event) = serde_json::from_slice::<Event>(body) else {
        return Answer::json(400, &br#"{"error":"not a Stripe event"}"#[..]);
    };
    let answer = serde_json::json!({ "received": event.id, "type": event.r#type });
    Answer::json(200, answer.to_string())
}
