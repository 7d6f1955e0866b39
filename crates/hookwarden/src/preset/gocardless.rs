//! GoCardless.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [GoCardless](https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Webhook-Signature: <hex>`.
/// - Secret: the webhook endpoint's secret, used as it is.
/// - One delivery carries a list of `events`, each with its own id: replay keys derive from the
///   body's MAC, so a retried delivery is a duplicate; dedupe single events by their ids.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::GoCardless};
///
/// let verifier = Verifier::builder(GoCardless).secret("gocardless-endpoint-secret-0123").build()?;
/// let body = br#"{"events":[{"id":"EV123","created_at":"2023-11-14T22:13:20.000Z","resource_type":"mandates","action":"cancelled","links":{"mandate":"MD123"}}]}"#;
/// let headers = [("Webhook-Signature", "6deb548dd8823c29fb3451b72f40b80d0c533cda4f04fbd0c9cec64524cb4580")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GoCardless;

static SPEC: BodyMac = BodyMac {
    name: "gocardless",
    signature: SignatureHeader {
        name: HeaderName::from_static("webhook-signature"),
        display: "Webhook-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(GoCardless => SPEC);
