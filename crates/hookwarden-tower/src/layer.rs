//! The layer: configuration shared by every service it wraps.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hookwarden::access::IpRanges;
use hookwarden::replay::CommitRule;
use hookwarden::{Endpoint, ReplayStore, Verifier};
use http::StatusCode;
use tower_layer::Layer;

use crate::rejection::{JsonRejection, RejectionResponse};
use crate::service::{Config, WebhookVerify};

/// Verifies webhook deliveries before they reach the wrapped service.
///
/// A thin layer over a [`hookwarden::Endpoint`], which holds the settings and decides every
/// step; this layer reads the body and maps types. Built from a [`Verifier`] (or an
/// `Endpoint`); every other setting has a default. Cloning is cheap, and one layer can wrap
/// many routes.
///
/// | setting | default |
/// |---|---|
/// | [`body_limit`](Self::body_limit) | [`DEFAULT_BODY_LIMIT`](hookwarden::DEFAULT_BODY_LIMIT) (1 MiB) |
/// | [`body_timeout`](Self::body_timeout) | [`DEFAULT_BODY_TIMEOUT`](hookwarden::DEFAULT_BODY_TIMEOUT) (30 s) for the whole body |
/// | [`replay_store`](Self::replay_store) | none: deliveries are checked for authenticity and freshness only |
/// | [`commit_rule`](Self::commit_rule) | [`OnSuccess`](hookwarden::replay::OnSuccess): a 2xx commits the claim, anything else releases it |
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
    endpoint: Endpoint,
    rejection: Arc<R>,
}

impl WebhookVerifyLayer {
    /// A layer verifying deliveries with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self::from_endpoint(Endpoint::new(verifier))
    }

    /// A layer driving `endpoint`, configured beforehand (or shared with another adapter).
    pub fn from_endpoint(endpoint: Endpoint) -> Self {
        Self { endpoint, rejection: Arc::new(JsonRejection) }
    }
}

impl<R> WebhookVerifyLayer<R> {
    /// The largest body accepted, in bytes: see [`Endpoint::body_limit`].
    ///
    /// Above 2 MiB, also raise axum's `DefaultBodyLimit` on that route, or its `Bytes`, `String`
    /// and `Json` extractors answer `413` themselves. Such a `413` releases the replay claim, so
    /// the delivery is not lost, but it is not processed either: the sender's retries meet the
    /// same limit.
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.endpoint = self.endpoint.body_limit(bytes);
        self
    }

    /// How long the whole body may take to arrive: see [`Endpoint::body_timeout`].
    ///
    /// It uses Tokio's timer, which `axum::serve` and `#[tokio::main]` provide; the timer is
    /// started only when the body is not already complete on the first read.
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
        self.endpoint = self.endpoint.body_timeout(deadline);
        self
    }

    /// Reads the body for as long as the client takes: see [`Endpoint::no_body_timeout`]. Also
    /// for a runtime without Tokio's timer.
    pub fn no_body_timeout(mut self) -> Self {
        self.endpoint = self.endpoint.no_body_timeout();
        self
    }

    /// The origin the provider calls, for schemes that sign the URL: see
    /// [`Endpoint::public_origin`].
    ///
    /// In a nested axum router the path is the one the layer sees (without the prefix): put
    /// the layer on the outer router, or include the prefix in the origin.
    pub fn public_origin(mut self, origin: impl Into<String>) -> Self {
        self.endpoint = self.endpoint.public_origin(origin);
        self
    }

    /// Lets only clients in `ranges` deliver: see [`Endpoint::ip_allowlist`].
    ///
    /// The layer learns the peer from a [`ConnectionInfo`](crate::ConnectionInfo) or, with the
    /// `axum` feature, axum's `ConnectInfo<SocketAddr>`: serve the app with
    /// `into_make_service_with_connect_info::<SocketAddr>()`. Without either, every request
    /// gets `500 {"reason":"peer_unknown"}`.
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
        self.endpoint = self.endpoint.ip_allowlist(ranges);
        self
    }

    /// The proxies whose forwarding headers are believed: see [`Endpoint::trusted_proxies`].
    pub fn trusted_proxies(mut self, ranges: impl Into<IpRanges>) -> Self {
        self.endpoint = self.endpoint.trusted_proxies(ranges);
        self
    }

    /// Refuses deliveries that did not travel over HTTPS: see [`Endpoint::require_https`].
    ///
    /// The connection is TLS when its [`ConnectionInfo`](crate::ConnectionInfo) says so.
    /// `axum::serve` does not terminate TLS, so behind it only a trusted proxy can satisfy
    /// this.
    pub fn require_https(mut self, required: bool) -> Self {
        self.endpoint = self.endpoint.require_https(required);
        self
    }

    /// Answers providers' endpoint checks itself, without calling the handler: see
    /// [`Endpoint::answer_handshakes`]. Feature `handshakes`.
    #[cfg(feature = "handshakes")]
    #[cfg_attr(docsrs, doc(cfg(feature = "handshakes")))]
    pub fn answer_handshakes(mut self, answer: bool) -> Self {
        self.endpoint = self.endpoint.answer_handshakes(answer);
        self
    }

    /// Remembers processed deliveries in `store`, so a replayed or re-sent delivery never
    /// reaches the handler twice: see [`Endpoint::replay_store`].
    ///
    /// A handler that panics, or a request cancelled because the client went away, releases
    /// the claim. A store shared with other code goes in as an `Arc` (`Arc<MemoryStore>`,
    /// `Arc<dyn ReplayStore>`): an `Arc` of a store is a store.
    pub fn replay_store(mut self, store: impl ReplayStore) -> Self {
        self.endpoint = self.endpoint.replay_store(store);
        self
    }

    /// Which of the handler's answers commit the claim (default: 2xx only): see
    /// [`Endpoint::commit_rule`].
    ///
    /// ```
    /// # let verifier = hookwarden::Verifier::builder(hookwarden::preset::Stripe)
    /// #     .secret("whsec_test_secret_0123456789").build().unwrap();
    /// // This handler answers 422 to events it recorded as invalid: no retries wanted.
    /// let layer = hookwarden_tower::WebhookVerifyLayer::new(verifier)
    ///     .commit_rule(|status: u16| (200..300).contains(&status) || status == 422);
    /// ```
    pub fn commit_rule(mut self, rule: impl CommitRule) -> Self {
        self.endpoint = self.endpoint.commit_rule(rule);
        self
    }

    /// The status for a copy of an already processed delivery (default: `200 OK`): see
    /// [`Endpoint::duplicate_status`].
    pub fn duplicate_status(mut self, status: StatusCode) -> Self {
        self.endpoint = self.endpoint.duplicate_status(status.as_u16());
        self
    }

    /// Shapes rejection responses with `rejection` (default: [`JsonRejection`]).
    pub fn rejection_response<T: RejectionResponse>(self, rejection: T) -> WebhookVerifyLayer<T> {
        WebhookVerifyLayer { endpoint: self.endpoint, rejection: Arc::new(rejection) }
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        self.endpoint.verifier()
    }

    /// The endpoint: the settings and the steps.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub(crate) fn config(&self) -> Config<R> {
        Config { endpoint: self.endpoint.clone(), rejection: Arc::clone(&self.rejection) }
    }
}

impl<R> Clone for WebhookVerifyLayer<R> {
    fn clone(&self) -> Self {
        Self { endpoint: self.endpoint.clone(), rejection: Arc::clone(&self.rejection) }
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
        f.debug_struct("WebhookVerifyLayer").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}
