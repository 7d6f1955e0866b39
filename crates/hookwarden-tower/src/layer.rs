//! The layer: configuration shared by every service it wraps.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hookwarden::access::{AccessPolicy, IpRanges};
use hookwarden::replay::{CommitRule, OnSuccess};
use hookwarden::{DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT, ReplayStore, Verifier};
use http::StatusCode;
use tower_layer::Layer;

use crate::rejection::{JsonRejection, RejectionResponse};
use crate::service::{Config, WebhookVerify};

/// Verifies webhook deliveries before they reach the wrapped service.
///
/// Built from a [`Verifier`]; every other setting has a default. Cloning is cheap (the
/// verifier is reference-counted), and one layer can wrap many routes.
///
/// | setting | default |
/// |---|---|
/// | [`body_limit`](Self::body_limit) | [`DEFAULT_BODY_LIMIT`] (1 MiB) |
/// | [`body_timeout`](Self::body_timeout) | [`DEFAULT_BODY_TIMEOUT`] (30 s) for the whole body |
/// | [`replay_store`](Self::replay_store) | none: deliveries are checked for authenticity and freshness only |
/// | [`commit_rule`](Self::commit_rule) | [`OnSuccess`]: a 2xx commits the claim, anything else releases it |
/// | [`duplicate_status`](Self::duplicate_status) | `200 OK`, so the sender stops retrying |
/// | [`rejection_response`](Self::rejection_response) | [`JsonRejection`]: `{"reason":"<code>"}` |
/// | [`public_origin`](Self::public_origin) | none: schemes that sign the URL answer `500 url_unknown`, unless a trusted proxy reports it |
/// | [`ip_allowlist`](Self::ip_allowlist) | none: every client may deliver |
/// | [`trusted_proxies`](Self::trusted_proxies) | none: forwarding headers are ignored |
/// | [`require_https`](Self::require_https) | `false` |
/// | `answer_handshakes` (feature `handshakes`) | `false`: endpoint checks reach the handler |
///
/// # Example
///
/// ```
/// use axum::{Router, routing::post};
/// use hookwarden::{MemoryStore, Verifier, preset::Stripe};
/// use hookwarden_tower::WebhookVerifyLayer;
///
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
/// let app: Router = Router::new()
///     .route("/webhooks/stripe", post(|body: String| async move { body.len().to_string() }))
///     // `route_layer`: an unknown path stays a 404 instead of becoming a 401.
///     .route_layer(
///         WebhookVerifyLayer::new(verifier)
///             .body_limit(256 * 1024)
///             .replay_store(MemoryStore::new()),
///     );
/// # let _ = app;
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[must_use]
pub struct WebhookVerifyLayer<R = JsonRejection> {
    verifier: Verifier,
    store: Option<Arc<dyn ReplayStore>>,
    commit_rule: Arc<dyn CommitRule>,
    body_limit: u64,
    body_timeout: Option<Duration>,
    public_origin: Option<Arc<str>>,
    access: AccessPolicy,
    answer_handshakes: bool,
    duplicate_status: StatusCode,
    rejection: Arc<R>,
}

impl WebhookVerifyLayer {
    /// A layer verifying deliveries with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            store: None,
            commit_rule: Arc::new(OnSuccess),
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: Some(DEFAULT_BODY_TIMEOUT),
            public_origin: None,
            access: AccessPolicy::new(),
            answer_handshakes: false,
            duplicate_status: StatusCode::OK,
            rejection: Arc::new(JsonRejection),
        }
    }
}

impl<R> WebhookVerifyLayer<R> {
    /// The largest body accepted, in bytes (default: [`DEFAULT_BODY_LIMIT`], 1 MiB).
    ///
    /// A request declaring a larger `Content-Length` is answered `413` before a byte of its
    /// body is read; a body without one is read through a limit and answered `413` as soon as
    /// it runs over. GitHub sends up to 25 MB: give its route
    /// `.body_limit(25 * 1024 * 1024)`, and keep the default (or lower) elsewhere.
    ///
    /// Above 2 MiB, also raise axum's `DefaultBodyLimit` on that route, or its `Bytes`, `String`
    /// and `Json` extractors answer `413` themselves. Such a `413` releases the replay claim, so
    /// the delivery is not lost, but it is not processed either: the sender's retries meet the
    /// same limit.
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long the whole body may take to arrive, counted from when the layer begins reading
    /// it (default: [`DEFAULT_BODY_TIMEOUT`], 30 s).
    ///
    /// A client that sends the headers and then trickles the body, or stops sending it, is
    /// answered `408 {"reason":"body_timeout"}` as soon as the deadline passes: the handler is
    /// not called and no replay claim is taken. The deadline covers the whole body, not the
    /// gap between two reads, so sending a byte now and then does not extend it.
    ///
    /// It uses Tokio's timer, which `axum::serve` and `#[tokio::main]` provide; the timer is
    /// started only when the body is not already complete on the first read. A zero deadline is
    /// a deadline like any other (it refuses every body still in transit), not a way to turn
    /// it off: that is [`no_body_timeout`](Self::no_body_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use hookwarden::{Verifier, preset::GitHub};
    /// use hookwarden_tower::WebhookVerifyLayer;
    ///
    /// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
    /// // GitHub gives up after 10 s: a body still arriving later is one it already abandoned.
    /// let layer = WebhookVerifyLayer::new(verifier).body_timeout(Duration::from_secs(10));
    /// # let _ = layer;
    /// # Ok::<(), hookwarden::ConfigError>(())
    /// ```
    pub fn body_timeout(mut self, deadline: Duration) -> Self {
        self.body_timeout = Some(deadline);
        self
    }

    /// Reads the body for as long as the client takes: no [deadline](Self::body_timeout).
    ///
    /// For a server that bounds the request itself (a proxy in front that buffers whole
    /// requests before passing them on), or a runtime without Tokio's timer. Without either, a
    /// client that withholds the body holds its connection until it hangs up.
    pub fn no_body_timeout(mut self) -> Self {
        self.body_timeout = None;
        self
    }

    /// The origin the provider calls, such as `https://hooks.example.com`, for schemes that
    /// sign the URL.
    ///
    /// Such schemes see this origin followed by the request's path and query. Behind a proxy
    /// or a load balancer the server cannot know the public URL by itself, hence this
    /// setting. In a nested axum router the path is the one the layer sees (without the
    /// prefix): put the layer on the outer router, or include the prefix in the origin.
    /// Schemes that sign only the body and headers ignore it.
    ///
    /// This is the preferred way. Without it, the origin a [trusted
    /// proxy](Self::trusted_proxies) reports is used (`X-Forwarded-Proto` and
    /// `X-Forwarded-Host`, or `Forwarded: proto=..;host=..`; the request's `Host` when the
    /// proxy forwards no host); from any other peer, forwarding headers are ignored and such
    /// schemes answer `500 {"reason":"url_unknown"}`.
    pub fn public_origin(mut self, origin: impl Into<String>) -> Self {
        self.public_origin = Some(origin.into().into());
        self
    }

    /// Lets only clients in `ranges` deliver, such as the ranges a provider publishes (default:
    /// everyone). Others get `403 {"reason":"ip_not_allowed"}` before a byte of the body is
    /// read.
    ///
    /// The client is the socket peer or, when the peer is a [trusted
    /// proxy](Self::trusted_proxies), the right-most address in `Forwarded` /
    /// `X-Forwarded-For` that is not a trusted proxy (see [`hookwarden::access`]). The layer
    /// learns the peer from a [`ConnectionInfo`](crate::ConnectionInfo) or, with the `axum`
    /// feature, axum's `ConnectInfo<SocketAddr>`: serve the app with
    /// `into_make_service_with_connect_info::<SocketAddr>()`. Without either, every request
    /// gets `500 {"reason":"peer_unknown"}`: the allowlist never silently lets everyone in.
    ///
    /// ```
    /// use std::net::SocketAddr;
    /// use axum::{Router, routing::post};
    /// use hookwarden::{Verifier, access::IpRanges, preset::GitHub};
    /// use hookwarden_tower::WebhookVerifyLayer;
    ///
    /// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
    /// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
    /// // GitHub's `hooks` ranges, from https://api.github.com/meta.
    /// let github = IpRanges::parse(["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"])?;
    /// let app: Router = Router::new()
    ///     .route("/webhooks/github", post(|| async {}))
    ///     .route_layer(WebhookVerifyLayer::new(verifier).ip_allowlist(github));
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// // The layer needs the peer's address.
    /// let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>());
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn ip_allowlist(mut self, ranges: impl Into<IpRanges>) -> Self {
        self.access = self.access.allow_ips(ranges);
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
        self.access = self.access.trusted_proxies(ranges);
        self
    }

    /// Refuses deliveries that did not travel over HTTPS with
    /// `403 {"reason":"https_required"}`, before the body is read (default: `false`).
    ///
    /// A request travelled over HTTPS when its [`ConnectionInfo`](crate::ConnectionInfo) says
    /// the connection is TLS, or a [trusted proxy](Self::trusted_proxies) says so
    /// (`X-Forwarded-Proto: https`, `Forwarded: proto=https`). The URI's scheme is never
    /// believed: the client chooses it. `axum::serve` does not terminate TLS, so behind it
    /// only a trusted proxy can satisfy this.
    ///
    /// 403 rather than 421 or 400: the request is well-formed and reached the right server,
    /// which refuses it by policy; a 421 would make HTTP/2 clients retry on another connection.
    pub fn require_https(mut self, required: bool) -> Self {
        self.access = self.access.require_https(required);
        self
    }

    /// Answers providers' endpoint checks itself, without calling the handler (default:
    /// `false`, so the handler sees them like any delivery). Feature `handshakes`.
    ///
    /// Slack's `url_verification`, Discord's `PING`, Twitch's
    /// `webhook_callback_verification`, Zoom's `endpoint.url_validation` and Okta's
    /// verification challenge are answered `200` with the body and content type the provider
    /// expects (see [`hookwarden::handshake`]), **after** the request verified like any
    /// delivery, and without a replay claim: a provider may repeat its check.
    #[cfg(feature = "handshakes")]
    #[cfg_attr(docsrs, doc(cfg(feature = "handshakes")))]
    pub fn answer_handshakes(mut self, answer: bool) -> Self {
        self.answer_handshakes = answer;
        self
    }

    /// Remembers processed deliveries in `store`, so a replayed or re-sent delivery never
    /// reaches the handler twice.
    ///
    /// A delivery is claimed after its signature verified and before the handler runs, under
    /// its event's [identity](hookwarden::replay::Identity), which stays the same when the
    /// provider re-signs a retry. The claim is committed when the handler answers 2xx (see
    /// [`commit_rule`](Self::commit_rule)), and released (so the sender's retry is processed)
    /// on any other answer, an error, a panic, or a request cancelled because the client went
    /// away. A commit that fails keeps the claim until its
    /// [lease](hookwarden::VerifierBuilder::claim_lease) lapses. A copy of a processed delivery is answered with
    /// [`duplicate_status`](Self::duplicate_status); one still being processed gets `409` and
    /// `Retry-After: 5`; a store that cannot answer gives `503`.
    ///
    /// [`MemoryStore`](hookwarden::MemoryStore) serves one process; receivers on several
    /// instances need a shared store.
    ///
    /// A store shared with other code goes in as an `Arc` (`Arc<MemoryStore>`,
    /// `Arc<dyn ReplayStore>`): an `Arc` of a store is a store.
    pub fn replay_store(mut self, store: impl ReplayStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Which of the handler's answers mean the delivery was processed, so its claim is
    /// committed (default: [`OnSuccess`], 2xx only). Every other answer releases the claim, so
    /// the sender's retry is processed: senders retry anything but 2xx, and committing a `415`
    /// from axum's `Json` or a handler's `429` would acknowledge the retry unprocessed.
    ///
    /// ```
    /// # let verifier = hookwarden::Verifier::builder(hookwarden::preset::Stripe)
    /// #     .secret("whsec_test_secret_0123456789").build().unwrap();
    /// // This handler answers 422 to events it recorded as invalid: no retries wanted.
    /// let layer = hookwarden_tower::WebhookVerifyLayer::new(verifier)
    ///     .commit_rule(|status: u16| (200..300).contains(&status) || status == 422);
    /// ```
    pub fn commit_rule(mut self, rule: impl CommitRule) -> Self {
        self.commit_rule = Arc::new(rule);
        self
    }

    /// The status for a copy of an already processed delivery (default: `200 OK`).
    ///
    /// A 2xx tells the sender to stop retrying, which is what a duplicate calls for. The
    /// handler is not called either way.
    pub fn duplicate_status(mut self, status: StatusCode) -> Self {
        self.duplicate_status = status;
        self
    }

    /// Shapes rejection responses with `rejection` (default: [`JsonRejection`]).
    pub fn rejection_response<T: RejectionResponse>(self, rejection: T) -> WebhookVerifyLayer<T> {
        WebhookVerifyLayer {
            verifier: self.verifier,
            store: self.store,
            commit_rule: self.commit_rule,
            body_limit: self.body_limit,
            body_timeout: self.body_timeout,
            public_origin: self.public_origin.clone(),
            access: self.access,
            answer_handshakes: self.answer_handshakes,
            duplicate_status: self.duplicate_status,
            rejection: Arc::new(rejection),
        }
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    pub(crate) fn config(&self) -> Config<R> {
        Config {
            verifier: self.verifier.clone(),
            store: self.store.clone(),
            commit_rule: Arc::clone(&self.commit_rule),
            body_limit: self.body_limit,
            body_timeout: self.body_timeout,
            public_origin: self.public_origin.clone(),
            access: self.access.clone(),
            answer_handshakes: self.answer_handshakes,
            duplicate_status: self.duplicate_status,
            rejection: Arc::clone(&self.rejection),
        }
    }
}

impl<R> Clone for WebhookVerifyLayer<R> {
    fn clone(&self) -> Self {
        Self {
            verifier: self.verifier.clone(),
            store: self.store.clone(),
            commit_rule: Arc::clone(&self.commit_rule),
            body_limit: self.body_limit,
            body_timeout: self.body_timeout,
            public_origin: self.public_origin.clone(),
            access: self.access.clone(),
            answer_handshakes: self.answer_handshakes,
            duplicate_status: self.duplicate_status,
            rejection: Arc::clone(&self.rejection),
        }
    }
}

impl<S, R> Layer<S> for WebhookVerifyLayer<R> {
    type Service = WebhookVerify<S, R>;

    fn layer(&self, inner: S) -> Self::Service {
        WebhookVerify::from_config(inner, Arc::new(self.config()))
    }
}

impl<R> fmt::Debug for WebhookVerifyLayer<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifyLayer")
            .field("verifier", &self.verifier)
            .field("store", &self.store)
            .field("body_limit", &self.body_limit)
            .field("body_timeout", &self.body_timeout)
            .field("public_origin", &self.public_origin)
            .field("access", &self.access)
            .field("answer_handshakes", &self.answer_handshakes)
            .field("duplicate_status", &self.duplicate_status)
            .finish_non_exhaustive()
    }
}
