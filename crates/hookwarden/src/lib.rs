//! Receiver-side webhook verification.
//!
//! Anyone can POST to a webhook URL. Before acting on a delivery a receiver must know that it
//! really comes from the sender (a constant-time check of the HMAC over the raw body), that it
//! is fresh (the signed timestamp is within a tolerance), and that it was not processed before
//! (a replay store keyed on signed data). This crate is the engine that decides; the
//! `hookwarden-tower` and `hookwarden-actix` crates put it in front of handlers.
//!
//! It has no web framework, no async runtime and no I/O. Verification works on bytes, never
//! requires UTF-8, never concatenates the signed content, and allocates nothing.
//!
//! # Verifying a delivery
//!
//! ```
//! use hookwarden::{FixedClock, Verifier, preset::StandardWebhooks};
//!
//! // Once, at start-up: decode the secret and precompute the HMAC key schedule.
//! let verifier = Verifier::builder(StandardWebhooks)
//!     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
//! #   .clock(FixedClock::at(1614265330))
//!     .build()?;
//!
//! // Per request: the headers and the body exactly as received.
//! let headers = [
//!     ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
//!     ("webhook-timestamp", "1614265330"),
//!     ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
//! ];
//! let body = br#"{"test": 2432232314}"#;
//!
//! let verified = verifier.verify(&headers[..], body)?;
//! assert_eq!(verified.id(), Some("msg_p5jXN8AQM9LWM0D4loKWxJek"));
//! assert_eq!(verified.key_id(), "default");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Headers can be an `http::HeaderMap` (feature `http`, on by default), a slice of name/value
//! pairs, or anything implementing [`Headers`](headers::Headers).
//!
//! # Standalone use
//!
//! Outside tower and actix (a Lambda, a queue consumer, another framework), verification is
//! one call, and replay protection two more: claim the event, then settle the claim with the
//! handler's status. Only a 2xx commits ([`OnSuccess`](replay::OnSuccess), or your own
//! [`CommitRule`](replay::CommitRule)); anything else releases, and the sender's retry is
//! processed.
//!
//! ```
//! use std::sync::Arc;
//! use hookwarden::replay::OnSuccess;
//! use hookwarden::scheme::Request;
//! use hookwarden::{MemoryStore, Message, Verifier, VerifyError, preset::Stripe};
//!
//! async fn receive(
//!     verifier: &Verifier,
//!     store: &Arc<MemoryStore>,
//!     headers: &http::HeaderMap,
//!     body: &[u8],
//! ) -> Result<u16, VerifyError> {
//!     let request = Request::new(headers, body);
//!     let mut verified = verifier.verify_request(&request)?;
//!     let claim = verifier.claim(store, &request, &mut verified).await?;
//!     let status = handle(body).await;
//!     claim.settle(status, &OnSuccess).await?;
//!     Ok(status)
//! }
//! # async fn handle(_: &[u8]) -> u16 { 204 }
//! # futures_executor::block_on(async {
//! # let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build().unwrap();
//! # let store = Arc::new(MemoryStore::new());
//! # let body = br#"{"id":"evt_1","object":"event"}"#;
//! # let signed = verifier.sign(&Message::new(body)).unwrap().to_header_map();
//! # assert_eq!(receive(&verifier, &store, &signed, body).await, Ok(204));
//! # // Stripe's retry, re-signed a minute later: the same event.
//! # let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
//! # let retry = verifier.sign(&Message::new(body).timestamp(now - 60)).unwrap().to_header_map();
//! # assert_eq!(receive(&verifier, &store, &retry, body).await, Err(VerifyError::Duplicate));
//! # });
//! ```
//!
//! See [`replay`] for what identifies an event, preset by preset, and what "exactly once"
//! promises.
//!
//! # The path of one request
//!
//! An [`Endpoint`] holds a webhook route's settings and takes each delivery through the same
//! steps, whatever the adapter (tower, actix-web, or your own):
//!
//! 1. **admit**, before a byte of the body: IP allowlist, HTTPS, declared length (403, 413);
//! 2. the adapter reads the body under the limit and within the deadline (413, 408, 400);
//! 3. **verify**: headers, timestamp against the tolerance, then every key against every
//!    signature in constant time (400, 401); or answer a provider's endpoint check (200);
//! 4. **claim** the event's identity in the replay store: fresh, duplicate (200), in flight
//!    (409 + `Retry-After`), store down (503);
//! 5. the adapter calls the handler with the same bytes and the [`Verified`];
//! 6. **settle** with the handler's status: 2xx commits, anything else releases;
//! 7. any refusal is a [`Rejection`](endpoint::Rejection): a status and a stable reason code.
//!
//! The adapters only read the body and map types, so they answer alike by construction; see
//! [`endpoint`] for the steps by hand.
//!
//! # Rejections
//!
//! Every rejection is a [`VerifyError`] with a stable [`reason`](VerifyError::reason) code and
//! the HTTP [`status`](VerifyError::status) an adapter answers with. Errors never contain a
//! secret, an expected MAC or the body.
//!
//! # Keys and rotation
//!
//! A verifier holds up to [`MAX_KEYS`] keys, each with an id. Every signature in a request
//! (at most [`MAX_SIGNATURES`](scheme::MAX_SIGNATURES)) is tried against every key, and
//! [`Verified::key_id`] says which key matched. Secrets are decoded as the provider hands them
//! out ([`KeyFormat`]); empty, undecodable or short (under [`MIN_SECRET_LEN`] bytes) secrets
//! are refused when the verifier is built.
//!
//! # Access controls
//!
//! [`access`] holds what the adapters apply before reading a body: IP allowlists in CIDR
//! notation, an HTTPS requirement, and the rules for believing `Forwarded` and
//! `X-Forwarded-*` headers (only from configured trusted proxies, walked from the right).

#![cfg_attr(docsrs, feature(doc_cfg))]
// Without every feature, links to the presets and modules behind one have no target. The docs
// are published with all features (docs.rs), and CI checks every link there.
#![cfg_attr(
    not(all(feature = "ed25519", feature = "p256", feature = "json")),
    allow(rustdoc::broken_intra_doc_links)
)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod access;
mod clock;
pub mod endpoint;
mod error;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub mod handshake;
pub mod headers;
mod hmac_sha256;
mod key;
mod mac;
pub mod metrics;
pub mod preset;
mod public_key;
pub mod replay;
pub mod scheme;
mod sign;
mod timestamp;
mod tolerance;
mod verified;
mod verifier;

pub use clock::{Clock, FixedClock, SystemClock};
pub use endpoint::Endpoint;
pub use error::{ConfigError, SignError, VerifyError};
pub use key::{KeyFormat, MIN_SECRET_LEN};
pub use mac::{Algorithm, Tag};
pub use replay::{
    Claim, ClaimOutcome, ClaimToken, MemoryStore, ReplayKey, ReplayStore, StoreError, StoreErrorKind,
};
pub use scheme::{EventId, Scheme};
pub use sign::{Message, SignedHeaders};
pub use timestamp::{Timestamp, TimestampFormat};
pub use tolerance::Tolerance;
pub use verified::Verified;
pub use verifier::{
    DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT, DEFAULT_CLAIM_LEASE, DEFAULT_REPLAY_TTL, MAX_KEYS, Verifier,
    VerifierBuilder,
};
