//! Coinbase Commerce.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Coinbase Commerce](https://docs.cdp.coinbase.com/commerce/api-architecture/webhooks-security):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-CC-Webhook-Signature: <hex>`.
/// - Secret: the shared webhook secret from the settings, used as it is.
/// - Coinbase signs **no timestamp**. Replay identity: `event.id` in the body; the top-level
///   `attempt_number` changes on every retry, so the body's digest would not do.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Coinbase};
///
/// let verifier = Verifier::builder(Coinbase).secret("coinbase-shared-webhook-secret").build()?;
/// let headers = [("X-CC-Webhook-Signature", "17d91e8ff73f4486c92144cee49e6b3819b90a47d303ddd94809aed61c266bb2")];
/// assert!(verifier.verify(&headers[..], br#"{"id":1,"scheduled_for":"2023-11-14T22:13:20Z","event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","type":"charge:created"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Coinbase;

static SPEC: BodyMac = BodyMac {
    name: "coinbase",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-cc-webhook-signature"),
        display: "X-CC-Webhook-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("event.id"),
    delivery_header: None,
};

body_mac_scheme!(Coinbase => SPEC);
