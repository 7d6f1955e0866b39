//! Cal.com.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Cal.com](https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Cal-Signature-256: <hex>`.
/// - Secret: the webhook's secret, used as it is.
/// - Cal.com signs **no timestamp and no id**: replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::CalCom};
///
/// let verifier = Verifier::builder(CalCom).secret("cal-com-webhook-secret-01").build()?;
/// let body = br#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2023-11-14T22:13:20.000Z","payload":{"uid":"bFJeNb2uX8ANpT3JL5EfXw","title":"30 min"}}"#;
/// let headers = [("X-Cal-Signature-256", "d104db38eedb3aeb2ed841a19d292f62420e54f3de95c1d235cefef3c7c7cee8")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CalCom;

static SPEC: BodyMac = BodyMac {
    name: "cal-com",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-cal-signature-256"),
        display: "X-Cal-Signature-256",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(CalCom => SPEC);
