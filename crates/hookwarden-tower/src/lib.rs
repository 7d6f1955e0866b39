//! Webhook verification for tower: axum, hyper, tonic.
//!
//! [`WebhookVerifyLayer`] puts a [`hookwarden::Verifier`] in front of a service. The service
//! behind it only ever sees deliveries that are authentic (a constant-time check of the
//! signature over the raw body), fresh (the signed timestamp is within the provider's
//! tolerance) and, with a replay store, seen for the first time. It receives the body as the
//! same bytes that were verified, so `Json<T>`, `Bytes` and `String` extractors work as usual,
//! and a [`Verified`](hookwarden::Verified) in the request's extensions.
//!
//! # With axum
//!
//! ```
//! use axum::{Extension, Json, Router, routing::post};
//! use hookwarden::{Endpoint, MemoryStore, Verified, Verifier, preset::Stripe};
//! use hookwarden_tower::WebhookVerifyLayer;
//!
//! async fn stripe_event(Extension(verified): Extension<Verified>, Json(event): Json<serde_json::Value>) {
//!     println!("{} signed by key {}", event["type"], verified.key_id());
//! }
//!
//! # fn main() -> Result<(), hookwarden::ConfigError> {
//! let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
//! // The settings (here a replay store) are the core's `Endpoint`'s; the layer is plumbing.
//! let endpoint = Endpoint::new(verifier).replay_store(MemoryStore::new());
//! let app: Router = Router::new()
//!     .route("/webhooks/stripe", post(stripe_event))
//!     .route_layer(WebhookVerifyLayer::new(endpoint));
//! # let _ = app;
//! # Ok(())
//! # }
//! ```
//!
//! Prefer [`Router::route_layer`](https://docs.rs/axum/0.8/axum/struct.Router.html#method.route_layer)
//! for webhook routes: a request for an unknown path then stays a `404` instead of becoming a
//! `401`. `Router::layer` works too, and verifies every request the router receives.
//!
//! # What a sender sees
//!
//! | delivery | status | body |
//! |---|---|---|
//! | client outside the [IP allowlist](hookwarden::Endpoint::ip_allowlist) | `403`, before the body is read | `{"reason":"ip_not_allowed"}` |
//! | not over HTTPS where it is [required](hookwarden::Endpoint::require_https) | `403`, before the body is read | `{"reason":"https_required"}` |
//! | an access control configured, and the peer address unknown | `500` | `{"reason":"peer_unknown"}` |
//! | authentic, fresh, first time | the handler's | the handler's |
//! | a provider's endpoint check, with [`answer_handshakes`](hookwarden::Endpoint::answer_handshakes) | `200` | the answer the provider expects; the handler is not called |
//! | a header malformed or repeated | `400` | `{"reason":"malformed_header"}`, `{"reason":"duplicate_header"}` |
//! | signature missing or matching no key, timestamp outside the tolerance | `401` | `{"reason":"no_matching_signature"}`, `{"reason":"timestamp_too_old"}`, ... |
//! | body over the limit (declared, or streamed) | `413` | `{"reason":"body_too_large"}` |
//! | already processed (with a replay store) | `200` ([configurable](hookwarden::Endpoint::duplicate_status)) | `{"reason":"duplicate"}`; the handler is not called |
//! | being processed right now | `409`, `Retry-After: 5` | `{"reason":"in_flight"}` |
//! | replay store unavailable | `503` | `{"reason":"store_unavailable"}` |
//! | body stream broke while reading | `400` | `{"reason":"body_unreadable"}` |
//! | body still arriving when the [deadline](hookwarden::Endpoint::body_timeout) passes (default 30 s) | `408`, at the deadline | `{"reason":"body_timeout"}` |
//! | the scheme signs the URL, and it is unknown | `500` | `{"reason":"url_unknown"}` |
//!
//! The reason codes are [`VerifyError::reason`](hookwarden::VerifyError::reason); the
//! [`VerifyError`](hookwarden::VerifyError) itself is in the rejection response's extensions,
//! for outer layers. A secret, a MAC or the body never appears in a response. Shape rejections
//! with [`WebhookVerifyLayer::rejection_response`].
//!
//! # Replay protection
//!
//! With [`replay_store`](hookwarden::Endpoint::replay_store), a verified delivery is claimed
//! before the handler runs. The claim is committed when the handler answers 2xx, and released
//! on any other answer (a `415` or `422` from an extractor, a handler's `409` or `429`, a 5xx),
//! an error, a panic, or a cancelled request (the client went away): the sender's retry is then
//! processed, nothing is lost. [`commit_rule`](hookwarden::Endpoint::commit_rule) changes which
//! answers commit.
//!
//! hyper, under `axum::serve`, takes a client that closes its sending side after a complete
//! request for a client that went away: it drops the request, so the claim is released and
//! nothing is answered. Senders keep their side open until they have the answer; if one does
//! not, serve with `hyper_util`'s connection builder and `half_close(true)`.
//!
//! # Access controls
//!
//! [`ip_allowlist`](hookwarden::Endpoint::ip_allowlist) and
//! [`require_https`](hookwarden::Endpoint::require_https) refuse requests before their body is
//! read. They need to know the connection, which a tower service does not see: serve axum apps
//! with `into_make_service_with_connect_info::<SocketAddr>()` (feature `axum`), or insert a
//! [`ConnectionInfo`] (which can also say the connection is TLS) into each request's
//! extensions. Behind a load balancer, name it in
//! [`trusted_proxies`](hookwarden::Endpoint::trusted_proxies): only then are `Forwarded` and
//! `X-Forwarded-*` believed, for the client's address, its protocol, and the public URL of
//! schemes that sign it. The rules are [`hookwarden::access`]'s, shared with the actix-web
//! adapter.
//!
//! # Observability
//!
//! Each delivery runs in a `webhook` [`tracing`] span (INFO) with the fields `outcome`
//! (`processed`, `failed`, `rejected` or `handshake`), `reason`, `key_id`, `id` (once verified),
//! `identity` and `identity_source` (the event's [replay identity](hookwarden::replay::Identity),
//! with a store), `skew` (in seconds, for stale timestamps) and `body_len`. Rejections are logged at DEBUG. The body,
//! signatures and secrets are never logged.
//!
//! # Features
//!
//! - `axum`: the `Webhook` extractor, which takes a delivery through the endpoint's steps
//!   without the layer (the `Endpoint` comes from the router's state; endpoint checks are
//!   answered only by the layer), and the peer address from axum's `ConnectInfo<SocketAddr>`.
//! - `handshakes` (default): `Endpoint::answer_handshakes`, through hookwarden's `json` feature.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod body;
mod connection;
#[cfg(feature = "axum")]
mod extract;
mod future;
mod layer;
mod rejection;
mod service;

pub use body::{ResponseBody, VerifiedBody};
pub use connection::ConnectionInfo;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::{PayloadRejection, Webhook, WebhookRejection};
pub use future::ResponseFuture;
pub use layer::WebhookVerifyLayer;
pub use rejection::{JsonReason, RejectionResponse};
pub use service::WebhookVerify;
