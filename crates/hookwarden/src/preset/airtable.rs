//! Airtable.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Airtable](https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Airtable-Content-MAC: hmac-sha256=<hex>`.
/// - Secret: the webhook's `macSecretBase64`, base64-decoded.
/// - Airtable's notification names the base and webhook but no event: the payloads are fetched
///   afterwards, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Airtable};
///
/// let verifier = Verifier::builder(Airtable).secret("aG9va3dhcmRlbi1haXJ0YWJsZS1tYWMta2V5LTAx").build()?;
/// let body = br#"{"base":{"id":"appXXXXXXXXXXXXXX"},"webhook":{"id":"achXXXXXXXXXXXXXX"},"timestamp":"2023-11-14T22:13:20.000Z"}"#;
/// let headers = [("X-Airtable-Content-MAC", "hmac-sha256=a59a24567bba5ebe532986b59e3e018a2f4326fc19efd8790aca4214f3e2ae14")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Airtable;

static SPEC: BodyMac = BodyMac {
    name: "airtable",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-airtable-content-mac"),
        display: "X-Airtable-Content-MAC",
        prefix: "hmac-sha256=",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Base64,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Airtable => SPEC);
