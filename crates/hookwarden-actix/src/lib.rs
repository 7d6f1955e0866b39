//! actix-web middleware and extractor that verify webhook deliveries with [`hookwarden`].
//!
//! Put [`WebhookVerify`] in front of a webhook route and its handler only ever sees authentic,
//! fresh, first-time deliveries, with the body intact:
//!
//! ```no_run
//! use actix_web::{App, HttpResponse, HttpServer, web};
//! use hookwarden::{Endpoint, MemoryStore, Verified, Verifier, preset::StandardWebhooks};
//! use hookwarden_actix::WebhookVerify;
//!
//! #[derive(serde::Deserialize)]
//! struct Event {
//!     r#type: String,
//! }
//!
//! async fn receive(event: web::Json<Event>, verified: web::ReqData<Verified>) -> HttpResponse {
//!     println!("{} ({:?})", event.r#type, verified.id());
//!     HttpResponse::NoContent().finish()
//! }
//!
//! #[actix_web::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // Built once, outside `HttpServer::new`: every worker shares the verifier and the store.
//!     let verifier = Verifier::builder(StandardWebhooks).secret(std::env::var("WEBHOOK_SECRET")?).build()?;
//!     let verify = WebhookVerify::new(Endpoint::new(verifier).replay_store(MemoryStore::new()));
//!
//!     HttpServer::new(move || {
//!         App::new().service(web::resource("/webhooks").wrap(verify.clone()).route(web::post().to(receive)))
//!     })
//!     .bind(("127.0.0.1", 8080))?
//!     .run()
//!     .await?;
//!     Ok(())
//! }
//! ```
//!
//! # What happens to a delivery
//!
//! | Delivery | Answer | Handler |
//! |---|---|---|
//! | client outside the [IP allowlist](hookwarden::Endpoint::ip_allowlist) | 403 `ip_not_allowed`, before reading | not called |
//! | not over HTTPS where it is [required](hookwarden::Endpoint::require_https) | 403 `https_required`, before reading | not called |
//! | an access control configured, and no peer address (a Unix socket) | 500 `peer_unknown` | not called |
//! | `Content-Length` over the limit | 413 `body_too_large`, before reading | not called |
//! | streamed body running over the limit | 413 `body_too_large`, as soon as it does | not called |
//! | missing signature header | 401 `missing_header` | not called |
//! | malformed or repeated header | 400 `malformed_header` / `duplicate_header` | not called |
//! | timestamp outside the tolerance | 401 `timestamp_too_old` / `timestamp_too_new` | not called |
//! | tampered body, wrong key | 401 `no_matching_signature` | not called |
//! | copy of a processed delivery | 200 `duplicate` ([configurable](hookwarden::Endpoint::duplicate_status)) | not called |
//! | copy of a delivery in flight | 409 `in_flight`, `Retry-After: 5` | not called |
//! | replay store unavailable | 503 `store_unavailable` | not called |
//! | body stream broke while reading | 400 `body_unreadable` | not called |
//! | body still arriving when the [deadline](hookwarden::Endpoint::body_timeout) passes (default 30 s) | 408 `body_timeout`, at the deadline | not called |
//! | the scheme signs the URL, and it is unknown | 500 `url_unknown` | not called |
//! | a provider's endpoint check, with [`answer_handshakes`](hookwarden::Endpoint::answer_handshakes) | 200, the answer the provider expects | not called |
//! | authentic, fresh, first time | the handler's | called once |
//!
//! Rejection bodies are `{"reason":"<code>"}` (`application/json`): the stable
//! [`VerifyError::reason`](hookwarden::VerifyError::reason), never a secret, a MAC, a header
//! value or the body. A [`RejectionResponse`] hook shapes them differently. The tower adapter,
//! `hookwarden-tower`, answers every one of these cases the same way.
//!
//! When the handler answers 2xx, the claim on the delivery is committed, and copies are
//! acknowledged without calling the handler. On any other answer (a `415` or `400` from an
//! extractor, a handler's `409` or `429`, a 5xx), an error, a panic, or a future dropped
//! because the client went away, the claim is released, so the sender's retry is processed:
//! nothing is lost. [`Endpoint::commit_rule`](hookwarden::Endpoint::commit_rule)
//! changes which answers commit.
//!
//! By default actix-web lets a handler run to its end when the client disconnects
//! ([`HttpServer::h1_allow_half_closed`](actix_web::HttpServer::h1_allow_half_closed) is on):
//! the handler's own answer then decides, and the sender's retry gets the duplicate answer if it
//! succeeded. With `h1_allow_half_closed(false)` actix drops the handler's future when the client
//! goes away, and the claim is released.
//!
//! # Access controls
//!
//! [`ip_allowlist`](hookwarden::Endpoint::ip_allowlist) and
//! [`require_https`](hookwarden::Endpoint::require_https) refuse requests before their body is read,
//! by the socket peer ([`HttpRequest::peer_addr`](actix_web::HttpRequest::peer_addr)) and
//! whether the listener is TLS. Behind a load balancer, name it in
//! [`trusted_proxies`](hookwarden::Endpoint::trusted_proxies): only then are `Forwarded` and
//! `X-Forwarded-*` believed, for the client's address, its protocol, and the public URL of
//! schemes that sign it. The rules are [`hookwarden::access`]'s, shared with the tower adapter.
//!
//! # Middleware or extractor
//!
//! The middleware is the recommended way: it sees the handler's answer, so it commits and
//! releases claims itself. Handlers read [`Verified`](hookwarden::Verified) with
//! `web::ReqData<Verified>` and the body with any extractor. For handlers that prefer an
//! extractor, [`Webhook<T>`] verifies on its own (with the configuration in the app data), or
//! reuses the middleware's work when the route has both.
//!
//! # Sharing across workers
//!
//! `HttpServer::new` runs its closure once per worker thread. Build the [`Verifier`]
//! (secrets are decoded and HMAC key schedules precomputed once) and the replay store *outside*
//! it, and clone the `WebhookVerify` into it: the clones share one verifier and one store. A
//! `MemoryStore` created inside the closure would be one store per worker, and a replay reaching
//! another worker would be processed twice. This is the same trap
//! [`web::Data`](actix_web::web::Data) documents.
//!
//! [`Verifier`]: hookwarden::Verifier

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod body;
mod extract;
mod headers;
mod middleware;
mod rejection;

pub use extract::Webhook;
pub use middleware::{WebhookVerify, WebhookVerifyMiddleware};
pub use rejection::{JsonReason, Rejection, RejectionResponse};
