//! Segment (Webhooks destination).

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Segment (Webhooks destination)](https://segment.com/docs/connections/destinations/catalog/webhooks/#authentication):
/// HMAC-SHA1 over the raw body.
///
/// - Header: `X-Signature: <hex>`.
/// - Secret: the destination's shared secret, used as it is.
/// - Replay identity: the event's `messageId` in the body, which Segment keeps across retries.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Segment};
///
/// let verifier = Verifier::builder(Segment).secret("segment-shared-secret-0123456789").build()?;
/// let body = br#"{"type":"track","event":"Order Completed","messageId":"ajs-next-1700000000000-4f2d1b9e","userId":"u-42"}"#;
/// let headers = [("X-Signature", "525923315bfcca5861e4fd88bbefebd9a7bbab0a")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Segment;

static SPEC: BodyMac = BodyMac {
    name: "segment",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-signature"),
        display: "X-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha1,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("messageId"),
    delivery_header: None,
};

body_mac_scheme!(Segment => SPEC);
