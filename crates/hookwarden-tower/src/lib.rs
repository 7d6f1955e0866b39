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
//! use hookwarden::{MemoryStore, Verified, Verifier, preset::Stripe};
//! use hookwarden_tower::WebhookVerifyLayer;
//!
//! async fn stripe_event(Extension(verified): Extension<Verified>, Json(event): Json<serde_json::Value>) {
//!     println!("{} signed by key {}", event["type"], verified.key_id());
//! }
//!
//! # fn main() -> Result<(), hookwarden::ConfigError> {
//! let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
//! let app: Router = Router::new()
//!     .route("/webhooks/stripe", post(stripe_event))
//!     .route_layer(WebhookVerifyLayer::new(verifier).replay_store(MemoryStore::new()));
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
//! | authentic, fresh, first time | the handler's | the handler's |
//! | a header malformed or repeated | `400` | `{"reason":"malformed_header"}`, `{"reason":"duplicate_header"}` |
//! | signature missing or matching no key, timestamp outside the tolerance | `401` | `{"reason":"no_matching_signature"}`, `{"reason":"timestamp_too_old"}`, ... |
//! | body over the limit (declared, or streamed) | `413` | `{"reason":"body_too_large"}` |
//! | already processed (with a replay store) | `200` ([configurable](WebhookVerifyLayer::duplicate_status)) | `{"reason":"duplicate"}`; the handler is not called |
//! | being processed right now | `409`, `Retry-After: 5` | `{"reason":"in_flight"}` |
//! | replay store unavailable | `503` | `{"reason":"store_unavailable"}` |
//! | body stream broke while reading | `400` | `{"reason":"body_unreadable"}` |
//!
//! The reason codes are [`VerifyError::reason`](hookwarden::VerifyError::reason); the
//! [`VerifyError`](hookwarden::VerifyError) itself is in the rejection response's extensions,
//! for outer layers. A secret, a MAC or the body never appears in a response. Shape rejections
//! with [`WebhookVerifyLayer::rejection_response`].
//!
//! # Replay protection
//!
//! With [`replay_store`](WebhookVerifyLayer::replay_store), a verified delivery is claimed
//! before the handler runs. The claim is committed when the handler answers below 500, and
//! released when it answers 500 or above, returns an error, panics, or is cancelled (the client
//! went away): the sender's retry is then processed, nothing is lost.
//!
//! # Observability
//!
//! Each delivery runs in a `webhook` [`tracing`] span (INFO) with the fields `outcome`
//! (`processed`, `failed` or `rejected`), `reason`, `key_id`, `id` (once verified), `skew` (in
//! seconds, for stale timestamps) and `body_len`. Rejections are logged at DEBUG. The body,
//! signatures and secrets are never logged.
//!
//! # Features
//!
//! - `axum`: the `Webhook` extractor, which verifies without the layer.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod body;
#[cfg(feature = "axum")]
mod extract;
mod future;
mod layer;
mod rejection;
mod service;

pub use body::{ResponseBody, VerifiedBody};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::{Webhook, WebhookRejection};
pub use future::ResponseFuture;
pub use layer::WebhookVerifyLayer;
pub use rejection::{JsonRejection, RejectionResponse};
pub use service::WebhookVerify;
