//! Notion.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Notion](https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Notion-Signature: sha256=<hex>`.
/// - Secret: the subscription's `verification_token`, used as it is.
/// - Replay identity: the event's `id` in the body.
/// - The one-time verification request (a body holding `verification_token`) is unsigned: it
///   delivers the very secret this preset needs, so it is read before a verifier exists.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Notion};
///
/// let verifier = Verifier::builder(Notion).secret("secret_notion-verification-token-0123").build()?;
/// let body = br#"{"id":"367cba44-b6f3-4c92-81e7-6a2e9659efd4","timestamp":"2024-12-05T23:55:34.285Z","workspace_id":"13950b26","type":"page.created","entity":{"id":"153104cd","type":"page"}}"#;
/// let headers = [("X-Notion-Signature", "sha256=1db6b2797f459e8928723f39e927a1acfc8e37489e1abcb69d47e7ae1072a201")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Notion;

static SPEC: BodyMac = BodyMac {
    name: "notion",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-notion-signature"),
        display: "X-Notion-Signature",
        prefix: "sha256=",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("id"),
    delivery_header: None,
};

body_mac_scheme!(Notion => SPEC);
