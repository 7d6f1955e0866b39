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
//! # What a sender sees
//!
//! What the core's [`Endpoint`](hookwarden::Endpoint) decides: the statuses and reasons are in
//! [`hookwarden::endpoint`], alike for every adapter, and so is the shape of a rejection's body
//! ([`Endpoint::rejection_body`](hookwarden::Endpoint::rejection_body)). Each delivery runs in
//! the endpoint's `webhook` [span](hookwarden::Endpoint::span).
//!
//! By default actix-web lets a handler run to its end when the client disconnects
//! ([`HttpServer::h1_allow_half_closed`](actix_web::HttpServer::h1_allow_half_closed) is on):
//! the handler's own answer then decides, and the sender's retry gets the duplicate answer if it
//! succeeded. With `h1_allow_half_closed(false)` actix drops the handler's future when the client
//! goes away, and the claim is released.
//!
//! The [access controls](hookwarden::Endpoint::ip_allowlist) see the socket peer
//! ([`HttpRequest::peer_addr`](actix_web::HttpRequest::peer_addr)) and whether the listener is
//! TLS; never `connection_info()`, which believes forwarding headers from any peer.
//!
//! # Middleware or extractor
//!
//! The middleware is the recommended way: it sees the handler's answer, so it commits and
//! releases claims itself. Handlers read [`Verified`](hookwarden::Verified) with
//! `web::ReqData<Verified>` and the body with any extractor. For handlers that prefer an
//! extractor, [`Webhook<T>`] verifies on its own (with the configuration in the app data), or
//! reuses the middleware's work when the route has both.
//!
//! Build the [`WebhookVerify`] once, outside `HttpServer::new`, and clone it into the closure:
//! see [why](WebhookVerify#build-it-once-outside-httpservernew).

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod accept;
mod extract;
mod headers;
mod middleware;
mod rejection;

pub use extract::Webhook;
pub use middleware::{WebhookVerify, WebhookVerifyMiddleware};
