//! The layer: configuration shared by every service it wraps.

use hookwarden::{Endpoint, Verifier};
use tower_layer::Layer;

use crate::service::WebhookVerify;

/// Verifies webhook deliveries before they reach the wrapped service.
///
/// Plumbing around a [`hookwarden::Endpoint`], which holds the settings (body limit and
/// deadline, replay store, commit rule, access controls, public origin, handshakes, duplicate
/// status, rejection body) and decides every step; this layer reads the body and maps types.
/// Built from an `Endpoint`, or from a [`Verifier`] for the defaults. Cloning is cheap, and one
/// layer can wrap many routes. The [crate docs](crate) show it on an axum router.
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
#[derive(Clone, Debug)]
#[must_use]
pub struct WebhookVerifyLayer {
    endpoint: Endpoint,
}

impl WebhookVerifyLayer {
    /// A layer driving `endpoint` (a [`Verifier`] is an endpoint with the default settings).
    pub fn new(endpoint: impl Into<Endpoint>) -> Self {
        Self { endpoint: endpoint.into() }
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
        WebhookVerify::from_endpoint(inner, self.endpoint.clone())
    }
}
