//! The layer: configuration shared by every service it wraps.

use std::fmt;
use std::sync::Arc;

use hookwarden::{DEFAULT_BODY_LIMIT, ReplayStore, Verifier};
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
/// | [`replay_store`](Self::replay_store) | none: deliveries are checked for authenticity and freshness only |
/// | [`duplicate_status`](Self::duplicate_status) | `200 OK`, so the sender stops retrying |
/// | [`rejection_response`](Self::rejection_response) | [`JsonRejection`]: `{"reason":"<code>"}` |
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
    body_limit: u64,
    public_origin: Option<Arc<str>>,
    duplicate_status: StatusCode,
    rejection: Arc<R>,
}

impl WebhookVerifyLayer {
    /// A layer verifying deliveries with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            store: None,
            body_limit: DEFAULT_BODY_LIMIT,
            public_origin: None,
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
    /// the delivery is not lost, but it is not processed either.
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = bytes;
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
    pub fn public_origin(mut self, origin: impl Into<String>) -> Self {
        self.public_origin = Some(origin.into().into());
        self
    }

    /// Remembers processed deliveries in `store`, so a replayed or re-sent delivery never
    /// reaches the handler twice.
    ///
    /// A delivery is claimed after its signature verified and before the handler runs. The
    /// claim is committed when the handler answers below 500, and released (so the sender's
    /// retry is processed) when it answers 500 or above, fails, panics, or is cancelled
    /// because the client went away. A copy of a processed delivery is answered with
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
            body_limit: self.body_limit,
            public_origin: self.public_origin.clone(),
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
            body_limit: self.body_limit,
            public_origin: self.public_origin.clone(),
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
            body_limit: self.body_limit,
            public_origin: self.public_origin.clone(),
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
            .field("public_origin", &self.public_origin)
            .field("duplicate_status", &self.duplicate_status)
            .finish_non_exhaustive()
    }
}
