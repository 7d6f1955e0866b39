//! Hookdeck.

use super::body_mac::{BodyMac, DeliveryHeader, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Hookdeck](https://hookdeck.com/docs/authentication#hookdeck-webhook-signature-verification):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hookdeck-Signature: <base64>`.
/// - Secret: the project's signing secret, used as it is.
/// - Hookdeck signs **no timestamp and no id**: `X-Hookdeck-Eventid` is not signed, so replay
///   keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Hookdeck};
///
/// let verifier = Verifier::builder(Hookdeck).secret("hookdeck-signing-secret-0123456789").build()?;
/// let body = br#"{"type":"order.created","data":{"id":"ord_1"}}"#;
/// let headers = [("X-Hookdeck-Signature", "5BYt4d3n5CHQbAZ8GdUEqyCfIuUljaIQVP9g6cFtPmY=")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Hookdeck;

static SPEC: BodyMac = BodyMac {
    name: "hookdeck",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-hookdeck-signature"),
        display: "X-Hookdeck-Signature",
        prefix: "",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: Some(DeliveryHeader {
        name: HeaderName::from_static("x-hookdeck-eventid"),
        display: "X-Hookdeck-Eventid",
    }),
};

body_mac_scheme!(Hookdeck => SPEC);
