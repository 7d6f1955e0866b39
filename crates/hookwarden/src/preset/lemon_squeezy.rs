//! Lemon Squeezy.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Lemon Squeezy](https://docs.lemonsqueezy.com/help/webhooks/signing-requests):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Signature: <hex>`; `X-Event-Name` names the event and is not signed.
/// - Secret: the signing secret you entered (Lemon Squeezy allows 6 to 40 characters; hookwarden
///   needs at least 16).
/// - Lemon Squeezy signs **no timestamp and no id**, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::LemonSqueezy};
///
/// let verifier = Verifier::builder(LemonSqueezy).secret("lemon-squeezy-signing-secret").build()?;
/// let headers = [("X-Signature", "a20fb858548516cbbc89b2168a7f674f1339d445d16f6ecf0c191de0a73b92de")];
/// assert!(verifier.verify(&headers[..], br#"{"meta":{"event_name":"order_created","webhook_id":"b4a1a7cc"},"data":{"type":"orders","id":"1"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct LemonSqueezy;

static SPEC: BodyMac = BodyMac {
    name: "lemon-squeezy",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-signature"),
        display: "X-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(LemonSqueezy => SPEC);
