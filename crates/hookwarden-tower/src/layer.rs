//! The layer: configuration shared by every service it wraps.

use std::sync::Arc;

use hookwarden::{Endpoint, Verifier};
use tower_layer::Layer;

use crate::service::WebhookVerify;

/// Verifies webhook deliveries before they reach the wrapped service.
///
/// Plumbing around a [`hookwarden::Endpoint`], which holds the settings (body limit and
/// deadline, replay store, commit rule, access controls, public origin, handshakes, duplicate
/// status, rejection body) and decides every step; this layer reads the body and maps types.
/// Built from an `Endpoint`, or from a [`Verifier`] for the defaults. Cloning is cheap, and one
/// layer can wrap many routes.
///
/// What the settings mean under axum:
///
/// - [`body_limit`](Endpoint::body_limit): above 2 MiB, also raise axum's `DefaultBodyLimit` on
///   that route, or its `Bytes`, `String` and `Json` extractors answer `413` themselves (which
///   releases the claim: the delivery is not lost, but not processed either).
/// - [`body_timeout`](Endpoint::body_timeout): Tokio's timer, which `axum::serve` and
///   `#[tokio::main]` provide; it is started only when the body is not complete on the first
///   read. For a runtime without it, [`no_body_timeout`](Endpoint::no_body_timeout).
/// - [`ip_allowlist`](Endpoint::ip_allowlist) and [`require_https`](Endpoint::require_https):
///   the layer learns the connection from a [`ConnectionInfo`](crate::ConnectionInfo) or, with
///   the `axum` feature, axum's `ConnectInfo<SocketAddr>` (serve with
///   `into_make_service_with_connect_info::<SocketAddr>()`). `axum::serve` does not terminate
///   TLS: behind it only a trusted proxy can satisfy the HTTPS requirement.
/// - [`public_origin`](Endpoint::public_origin): in a nested router the path is the one the
///   layer sees (without the prefix): put the layer on the outer router, or include the prefix
///   in the origin.
///
/// # Example
///
/// ```
/// use std::net::SocketAddr;
/// use axum::{Router, routing::post};
/// use hookwarden::{Endpoint, MemoryStore, Verifier, access::IpRanges, preset::GitHub};
/// use hookwarden_tower::WebhookVerifyLayer;
///
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
/// // GitHub's `hooks` ranges, from https://api.github.com/meta.
/// let github = IpRanges::parse(["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"])?;
/// let endpoint = Endpoint::new(verifier).replay_store(MemoryStore::new()).ip_allowlist(github);
/// let app: Router = Router::new()
///     .route("/webhooks/github", post(|body: String| async move { body.len().to_string() }))
///     // `route_layer`: an unknown path stays a 404 instead of becoming a 401.
///     .route_layer(WebhookVerifyLayer::new(endpoint));
/// // The allowlist needs the peer's address.
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>());
/// # drop(server);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct WebhookVerifyLayer {
    endpoint: Arc<Endpoint>,
}

impl WebhookVerifyLayer {
    /// A layer driving `endpoint` (a [`Verifier`] is an endpoint with the default settings).
    pub fn new(endpoint: impl Into<Endpoint>) -> Self {
        Self { endpoint: Arc::new(endpoint.into()) }
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        self.endpoint.verifier()
    }

    /// The endpoint: the settings and the steps.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl<S> Layer<S> for WebhookVerifyLayer {
    type Service = WebhookVerify<S>;

    fn layer(&self, inner: S) -> Self::Service {
        WebhookVerify::from_shared(inner, Arc::clone(&self.endpoint))
    }
}
