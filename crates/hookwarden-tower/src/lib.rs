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
//! use std::net::SocketAddr;
//! use axum::{Extension, Json, Router, routing::post};
//! use hookwarden::{Endpoint, MemoryStore, Verified, Verifier, access::IpRanges, preset::GitHub};
//! use hookwarden_tower::WebhookVerifyLayer;
//!
//! async fn github_event(Extension(verified): Extension<Verified>, Json(event): Json<serde_json::Value>) {
//!     println!("{} (delivery {:?})", event["action"], verified.delivery_id());
//! }
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
//! // The settings are the core `Endpoint`'s: here a replay store, and GitHub's `hooks` ranges
//! // from https://api.github.com/meta.
//! let github = IpRanges::parse(["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"])?;
//! let endpoint = Endpoint::new(verifier).replay_store(MemoryStore::new()).ip_allowlist(github);
//! let app: Router = Router::new()
//!     .route("/webhooks/github", post(github_event))
//!     .route_layer(WebhookVerifyLayer::new(endpoint));
//! // The allowlist needs the peer's address.
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>());
//! # drop(server);
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
//! What the core's [`Endpoint`](hookwarden::Endpoint) decides: the statuses and reasons are in
//! [`hookwarden::endpoint`], alike for every adapter, and so is the shape of a rejection's body
//! ([`Endpoint::rejection_body`](hookwarden::Endpoint::rejection_body)). Rejections carry the
//! [`VerifyError`](hookwarden::VerifyError) in their extensions, for outer layers. Each delivery
//! runs in the endpoint's `webhook` [span](hookwarden::Endpoint::span).
//!
//! hyper, under `axum::serve`, takes a client that closes its sending side after a complete
//! request for a client that went away: it drops the request, so the claim is released and
//! nothing is answered. Senders keep their side open until they have the answer; if one does
//! not, serve with `hyper_util`'s connection builder and `half_close(true)`.
//!
//! [`ip_allowlist`](hookwarden::Endpoint::ip_allowlist) and
//! [`require_https`](hookwarden::Endpoint::require_https) need the connection, which a tower
//! service does not see: see [`ConnectionInfo`].
//!
//! # Features
//!
//! - `axum`: the `Webhook` extractor, which takes a delivery through the endpoint's steps
//!   without the layer (the `Endpoint` comes from the router's state), and the peer address
//!   from axum's `ConnectInfo<SocketAddr>`.
//! - `handshakes` (default): `Endpoint::answer_handshakes`, through hookwarden's `json` feature.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod accept;
mod body;
mod connection;
#[cfg(feature = "axum")]
mod extract;
mod future;
mod layer;
mod service;

pub use body::{ResponseBody, VerifiedBody};
pub use connection::ConnectionInfo;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::{PayloadRejection, Webhook, WebhookRejection};
pub use future::ResponseFuture;
pub use layer::WebhookVerifyLayer;
pub use service::WebhookVerify;
