//! One delivery pipeline for every adapter: an [`Endpoint`] holds the settings, and its steps
//! take a delivery from the request's head to the committed or released claim.
//!
//! # The path of one request
//!
//! An adapter reads the body and maps types; everything else is here, so tower, actix and any
//! later adapter behave alike by construction. No async runtime and no framework types: the
//! replay store's futures are the only awaits.
//!
//! | step | what the adapter does | what the endpoint decides |
//! |---|---|---|
//! | 1 | builds a [`Head`] from the connection and headers | [`admit`](Endpoint::admit): IP allowlist, HTTPS, declared length (403, 413), before a byte of the body |
//! | 2 | streams the body into a [`BodyBuffer`], inside [`read_within`](Endpoint::read_within) | the limit and the deadline: 413 `body_too_large`, 408 `body_timeout`, 400 `body_unreadable` |
//! | 3 | hands over the bytes; sends the `handshake` answer if there is one | [`verify`](Endpoint::verify): signature and timestamp (400, 401), or a provider's endpoint check answered (200, no handler, no claim) |
//! | 4 | awaits | [`claim`](Endpoint::claim): fresh, duplicate (200 ack), in flight (409 + `Retry-After`), store down (503) |
//! | 5 | calls the handler with the same bytes and the [`Verified`] | |
//! | 6 | awaits, with the handler's status | [`settle`](Endpoint::settle): the [`CommitRule`] commits (2xx) or releases the claim |
//! | 7 | answers a [`Rejection`] from any step | its status, `Retry-After`, and the [body](Endpoint::rejection_body) |
//!
//! Every step records what it learnt on the current `tracing` span (see
//! [`Endpoint::span`]), so an adapter runs them inside it.
//!
//! # What a sender sees
//!
//! Every adapter answers alike; rejection bodies are `{"reason":"<code>"}` by default, with the
//! stable [`VerifyError::reason`] and nothing else (never a secret, a MAC, a header or the body);
//! [`Endpoint::rejection_body`] shapes them otherwise, for every adapter.
//!
//! | delivery | answer | handler |
//! |---|---|---|
//! | client outside the [IP allowlist](Endpoint::ip_allowlist) | `403 ip_not_allowed`, before the body is read | not called |
//! | not over HTTPS where it is [required](Endpoint::require_https) | `403 https_required`, before the body is read | not called |
//! | an access control configured, and the peer address unknown | `500 peer_unknown` | not called |
//! | body over the [limit](Endpoint::body_limit), declared or streamed | `413 body_too_large`, as soon as that is known | not called |
//! | body stream broke while reading | `400 body_unreadable` | not called |
//! | body still arriving at the [deadline](Endpoint::body_timeout) (default 30 s) | `408 body_timeout`, at the deadline | not called |
//! | signature header missing; a header malformed or repeated | `401 missing_header`; `400 malformed_header`, `duplicate_header` | not called |
//! | timestamp outside the tolerance | `401 timestamp_too_old`, `timestamp_too_new` | not called |
//! | tampered body, wrong key | `401 no_matching_signature` | not called |
//! | the scheme signs the URL, and it is unknown | `500 url_unknown` | not called |
//! | a provider's endpoint check, with `answer_handshakes` (feature `json`) | `200`, the answer the provider expects | not called |
//! | already processed (with a replay store) | `200 duplicate` ([configurable](Endpoint::duplicate_status)) | not called |
//! | being processed right now | `409 in_flight`, `Retry-After: 5` | not called |
//! | replay store unavailable | `503 store_unavailable` | not called |
//! | authentic, fresh, first time | the handler's | called once |
//!
//! A delivery's claim is committed when the handler answers 2xx, and released on any other
//! answer (a `415` or `422` from an extractor, a `429`, a 5xx), an error, a panic, or a request
//! dropped because the client went away: the sender's retry is then processed, nothing is
//! lost. [`commit_rule`](Endpoint::commit_rule) changes which answers commit.
//!
//! # Example: the steps, by hand
//!
//! ```
//! use hookwarden::endpoint::{Endpoint, Head};
//! use hookwarden::{MemoryStore, Message, Verifier, preset::StandardWebhooks};
//!
//! # futures_executor::block_on(async {
//! let verifier = Verifier::builder(StandardWebhooks).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build()?;
//! let endpoint = Endpoint::new(verifier.clone()).replay_store(MemoryStore::new());
//!
//! let body = br#"{"type":"invoice.paid"}"#;
//! let headers = verifier.sign(&Message::new(body).id("msg_1"))?.to_header_map();
//! let head = Head::new("POST", "/webhooks", &headers);
//!
//! let admission = endpoint.admit(&head)?;
//! let delivery = endpoint.verify(&head, &admission, body)?;
//! let claim = endpoint.claim(&delivery).await?;
//! let status = 204; // ... the handler runs ...
//! assert!(endpoint.settle(claim, Some(status)).await);
//!
//! // The same delivery again: acknowledged, and the handler is not called.
//! let copy = endpoint.verify(&head, &admission, body)?;
//! let rejection = endpoint.claim(&copy).await.unwrap_err();
//! assert_eq!((rejection.status(), rejection.reason()), (200, "duplicate"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod body;
mod extracted;
mod head;
mod rejection;
mod steps;
mod throttle;

pub use body::BodyBuffer;
pub use extracted::Extracted;
pub use head::{Head, RequestHeaders};
pub use rejection::{Rejection, RejectionBody};
pub use steps::{Admission, Delivery};

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::access::{AccessPolicy, IpRanges};
use crate::replay::{CommitRule, OnSuccess, ReplayStore};
use crate::verifier::{DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT, Verifier};
#[cfg(doc)]
use crate::{Verified, VerifyError};

/// A webhook endpoint: its [`Verifier`] and every setting of the path a delivery takes, and
/// the steps an adapter drives (see the [module docs](self)).
///
/// Built once; a clone is one reference count more, and every clone shares the replay store.
///
/// | setting | default |
/// |---|---|
/// | [`body_limit`](Self::body_limit) | [`DEFAULT_BODY_LIMIT`] (1 MiB) |
/// | [`body_timeout`](Self::body_timeout) | [`DEFAULT_BODY_TIMEOUT`] (30 s) for the whole body |
/// | [`replay_store`](Self::replay_store) | none: deliveries are checked for authenticity and freshness only |
/// | [`commit_rule`](Self::commit_rule) | [`OnSuccess`]: a 2xx commits the claim, anything else releases it |
/// | [`duplicate_status`](Self::duplicate_status) | `200`, so the sender stops retrying |
/// | [`public_origin`](Self::public_origin) | none: schemes that sign the URL answer `500 url_unknown`, unless a trusted proxy reports it |
/// | [`ip_allowlist`](Self::ip_allowlist) | none: every client may deliver |
/// | [`trusted_proxies`](Self::trusted_proxies) | none: forwarding headers are ignored |
/// | [`require_https`](Self::require_https) | `false` |
/// | `answer_handshakes` (feature `json`) | `false`: endpoint checks reach the handler |
/// | [`rejection_body`](Self::rejection_body) | `{"reason":"<code>"}`, `application/json` |
#[derive(Clone)]
#[must_use]
pub struct Endpoint {
    settings: Arc<Settings>,
}

/// An endpoint's settings, behind one reference count: cloning an endpoint (an axum state does,
/// for every request) copies a pointer, not its IP ranges.
#[derive(Clone)]
struct Settings {
    verifier: Verifier,
    store: Option<Arc<dyn ReplayStore>>,
    commit_rule: Arc<dyn CommitRule>,
    body_limit: u64,
    body_timeout: Option<Duration>,
    public_origin: Option<Arc<str>>,
    access: AccessPolicy,
    answer_handshakes: bool,
    duplicate_status: u16,
    rejection_body: Option<Arc<ShapeRejection>>,
}

/// What [`Endpoint::rejection_body`] keeps.
type ShapeRejection = dyn Fn(&Rejection) -> RejectionBody + Send + Sync;

impl Endpoint {
    /// An endpoint verifying deliveries with `verifier`, with the defaults above.
    pub fn new(verifier: Verifier) -> Self {
        let settings = Settings {
            verifier,
            store: None,
            commit_rule: Arc::new(OnSuccess),
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: Some(DEFAULT_BODY_TIMEOUT),
            public_origin: None,
            access: AccessPolicy::new(),
            answer_handshakes: false,
            duplicate_status: 200,
            rejection_body: None,
        };
        Self { settings: Arc::new(settings) }
    }

    /// The settings, to change while the endpoint is built (copied first if a clone shares them).
    fn edit(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.settings)
    }

    /// The largest body accepted, in bytes (default: [`DEFAULT_BODY_LIMIT`], 1 MiB).
    ///
    /// A request declaring a larger `Content-Length` is answered `413 body_too_large` before a
    /// byte of its body is read; a body without one is read through the limit and refused as
    /// soon as it runs over. GitHub sends up to 25 MB: give its endpoint
    /// `.body_limit(25 * 1024 * 1024)`, and keep the default (or lower) elsewhere.
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.edit().body_limit = bytes;
        self
    }

    /// How long the whole body may take to arrive, counted from when the adapter begins
    /// reading it (default: [`DEFAULT_BODY_TIMEOUT`], 30 s).
    ///
    /// A client that sends the headers and then trickles the body, or stops sending it, is
    /// answered `408 body_timeout` as soon as the deadline passes: the handler is not called
    /// and nothing is claimed. The deadline covers the whole body, not the gap between two
    /// reads. A zero deadline refuses every body still in transit; to have none, see
    /// [`no_body_timeout`](Self::no_body_timeout).
    pub fn body_timeout(mut self, deadline: Duration) -> Self {
        self.edit().body_timeout = Some(deadline);
        self
    }

    /// Reads the body for as long as the client takes: no [deadline](Self::body_timeout).
    ///
    /// For a server that bounds the request itself (a proxy in front that buffers whole
    /// requests before passing them on). Without that, a client that withholds the body holds
    /// its connection until it hangs up.
    pub fn no_body_timeout(mut self) -> Self {
        self.edit().body_timeout = None;
        self
    }

    /// Remembers processed deliveries in `store`, so that a replayed or re-sent delivery never
    /// reaches the handler twice.
    ///
    /// A delivery is claimed after its signature verified and before the handler runs, under
    /// its event's [identity](crate::replay::Identity), which stays the same when the provider
    /// re-signs a retry. The claim is committed when the handler answers 2xx (see
    /// [`commit_rule`](Self::commit_rule)) and released otherwise, so the sender's retry is
    /// processed. A copy of a processed delivery is answered with
    /// [`duplicate_status`](Self::duplicate_status); one still being processed gets `409` and
    /// `Retry-After: 5`; a store that cannot answer gives `503`. See [`replay`](crate::replay)
    /// for what "exactly once" promises.
    ///
    /// [`MemoryStore`](crate::MemoryStore) serves one process; receivers on several instances
    /// need a shared store. A store shared with other code goes in as an `Arc`.
    pub fn replay_store(mut self, store: impl ReplayStore) -> Self {
        self.edit().store = Some(Arc::new(store));
        self
    }

    /// Which of the handler's answers mean the delivery was processed, so its claim is
    /// committed (default: [`OnSuccess`], 2xx only). Every other answer releases the claim, so
    /// the sender's retry is processed: senders retry anything but 2xx, and committing a `415`
    /// from a `Json` extractor or a handler's `429` would acknowledge the retry unprocessed.
    ///
    /// ```
    /// # let verifier = hookwarden::Verifier::builder(hookwarden::preset::Stripe)
    /// #     .secret("whsec_test_secret_0123456789").build().unwrap();
    /// // This handler answers 422 to events it recorded as invalid: no retries wanted.
    /// let endpoint = hookwarden::Endpoint::new(verifier)
    ///     .commit_rule(|status: u16| (200..300).contains(&status) || status == 422);
    /// ```
    pub fn commit_rule(mut self, rule: impl CommitRule) -> Self {
        self.edit().commit_rule = Arc::new(rule);
        self
    }

    /// The status for a copy of an already processed delivery (default: `200`).
    ///
    /// A 2xx tells the sender to stop retrying, which is what a duplicate calls for. The
    /// handler is not called either way.
    pub fn duplicate_status(mut self, status: u16) -> Self {
        self.edit().duplicate_status = status;
        self
    }

    /// Shapes the body of every refusal, in every adapter (default: [`RejectionBody::json`],
    /// `{"reason":"<code>"}`). `shape` sees the [`Rejection`]: its error, its reason code and
    /// the status it is answered with. The status and `Retry-After` stay the endpoint's: they
    /// tell the sender whether to retry.
    ///
    /// ```
    /// use hookwarden::endpoint::{Endpoint, Rejection, RejectionBody};
    /// # let verifier = hookwarden::Verifier::builder(hookwarden::preset::Stripe)
    /// #     .secret("whsec_test_secret_0123456789").build().unwrap();
    /// // Plain text, the reason code alone.
    /// let endpoint = Endpoint::new(verifier)
    ///     .rejection_body(|rejection: &Rejection| RejectionBody::new("text/plain", rejection.reason()));
    /// let rejection = endpoint.reject(hookwarden::VerifyError::InFlight);
    /// assert_eq!(rejection.body().bytes(), b"in_flight");
    /// ```
    pub fn rejection_body(
        mut self,
        shape: impl Fn(&Rejection) -> RejectionBody + Send + Sync + 'static,
    ) -> Self {
        self.edit().rejection_body = Some(Arc::new(shape));
        self
    }

    /// The origin the provider calls, such as `https://hooks.example.com`, for schemes that
    /// sign the URL (Twilio, Square, HubSpot).
    ///
    /// Such schemes see this origin followed by the request's path and query. Behind a proxy
    /// or a load balancer the server cannot know the public URL by itself, hence this setting.
    /// Without it, the origin a [trusted proxy](Self::trusted_proxies) reports is used
    /// (`X-Forwarded-Proto` and `X-Forwarded-Host`, or `Forwarded: proto=..;host=..`; the
    /// request's `Host` when the proxy forwards no host); from any other peer, forwarding
    /// headers are ignored and such schemes answer `500 url_unknown`.
    pub fn public_origin(mut self, origin: impl Into<String>) -> Self {
        self.edit().public_origin = Some(origin.into().into());
        self
    }

    /// Lets only clients in `ranges` deliver, such as the ranges a provider publishes (default:
    /// everyone). Others get `403 ip_not_allowed` before a byte of the body is read.
    ///
    /// The client is the socket peer or, when the peer is a [trusted
    /// proxy](Self::trusted_proxies), the right-most address in `Forwarded` /
    /// `X-Forwarded-For` that is not a trusted proxy (see [`access`](crate::access)). Without
    /// a peer address every request gets `500 peer_unknown`: the allowlist never silently lets
    /// everyone in.
    pub fn ip_allowlist(mut self, ranges: impl Into<IpRanges>) -> Self {
        self.edit().access = self.settings.access.clone().allow_ips(ranges);
        self
    }

    /// The proxies (load balancers, CDNs, ingress controllers) whose forwarding headers are
    /// believed, by their socket address (default: none, so `Forwarded` and `X-Forwarded-*`
    /// are ignored, since any client can send them).
    ///
    /// From a trusted proxy they tell the client's address (for the
    /// [allowlist](Self::ip_allowlist)), whether the client used HTTPS (for
    /// [`require_https`](Self::require_https)), and the public origin for schemes that sign the
    /// URL when no [`public_origin`](Self::public_origin) is configured. Trust only proxies
    /// that write these headers themselves, replacing or appending to what the client sent.
    pub fn trusted_proxies(mut self, ranges: impl Into<IpRanges>) -> Self {
        self.edit().access = self.settings.access.clone().trusted_proxies(ranges);
        self
    }

    /// Refuses deliveries that did not travel over HTTPS with `403 https_required`, before the
    /// body is read (default: `false`).
    ///
    /// A request travelled over HTTPS when its connection is TLS, or a [trusted
    /// proxy](Self::trusted_proxies) says so (`X-Forwarded-Proto: https`,
    /// `Forwarded: proto=https`). The URI's scheme is never believed: the client chooses it.
    /// 403 rather than 421 or 400: the request is well-formed and reached the right server,
    /// which refuses it by policy; a 421 would make HTTP/2 clients retry elsewhere.
    pub fn require_https(mut self, required: bool) -> Self {
        self.edit().access = self.settings.access.clone().require_https(required);
        self
    }

    /// Answers providers' endpoint checks itself, without calling the handler (default:
    /// `false`, so the handler sees them like any delivery). Feature `json`.
    ///
    /// Slack's `url_verification`, Discord's `PING`, Twitch's
    /// `webhook_callback_verification`, Zoom's `endpoint.url_validation` and Okta's
    /// verification challenge are answered `200` with the body and content type the provider
    /// expects (see [`handshake`](crate::handshake)), **after** the request verified like any
    /// delivery, and without a replay claim: a provider may repeat its check.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn answer_handshakes(mut self, answer: bool) -> Self {
        self.edit().answer_handshakes = answer;
        self
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.settings.verifier
    }

    /// The largest body accepted, in bytes: adapters read the body through it.
    pub fn max_body_len(&self) -> u64 {
        self.settings.body_limit
    }

    /// How long the body may take to arrive, if there is a deadline: adapters read the body
    /// within it.
    pub fn body_deadline(&self) -> Option<Duration> {
        self.settings.body_timeout
    }

    /// Whether a replay store is configured.
    pub fn has_replay_store(&self) -> bool {
        self.settings.store.is_some()
    }
}

/// A verifier is an endpoint with the default settings.
impl From<Verifier> for Endpoint {
    fn from(verifier: Verifier) -> Self {
        Self::new(verifier)
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("verifier", &self.settings.verifier)
            .field("store", &self.settings.store)
            .field("body_limit", &self.settings.body_limit)
            .field("body_timeout", &self.settings.body_timeout)
            .field("public_origin", &self.settings.public_origin)
            .field("access", &self.settings.access)
            .field("answer_handshakes", &self.settings.answer_handshakes)
            .field("duplicate_status", &self.settings.duplicate_status)
            .field("rejection_body", &self.settings.rejection_body.as_ref().map(|_| "custom"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::GitHub;

    #[test]
    fn configuring_a_clone_leaves_the_original_alone() {
        let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build().unwrap();
        let lenient = Endpoint::new(verifier);
        let strict = lenient.clone().body_limit(10).no_body_timeout();
        assert_eq!(
            (lenient.max_body_len(), lenient.body_deadline()),
            (DEFAULT_BODY_LIMIT, Some(DEFAULT_BODY_TIMEOUT))
        );
        assert_eq!((strict.max_body_len(), strict.body_deadline()), (10, None));
    }
}
