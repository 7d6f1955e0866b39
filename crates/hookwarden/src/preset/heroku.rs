//! Heroku (app webhooks).

use super::body_mac::{BodyMac, DeliveryHeader, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Heroku (app webhooks)](https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Heroku-Webhook-Hmac-SHA256: <base64>`.
/// - Secret: the webhook's `secret`, used as it is.
/// - Replay identity: the event's `id` in the body, which stays the same when Heroku retries;
///   the delivery's `Heroku-Webhook-Id` header is not signed.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Heroku};
///
/// let verifier = Verifier::builder(Heroku).secret("heroku-webhook-secret-0123456789").build()?;
/// let body = br#"{"id":"43cf1f9d-1c87-4a1b-9b7e-2a0f3a6e5e41","action":"update","resource":"release","data":{"version":42}}"#;
/// let headers = [("Heroku-Webhook-Hmac-SHA256", "W03aonjm1xVQZjQWTdV7dHm/Xq4/znbEUq9CF17QsjQ=")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Heroku;

static SPEC: BodyMac = BodyMac {
    name: "heroku",
    signature: SignatureHeader {
        name: HeaderName::from_static("heroku-webhook-hmac-sha256"),
        display: "Heroku-Webhook-Hmac-SHA256",
        prefix: "",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("id"),
    delivery_header: Some(DeliveryHeader {
        name: HeaderName::from_static("heroku-webhook-id"),
        display: "Heroku-Webhook-Id",
    }),
};

body_mac_scheme!(Heroku => SPEC);
