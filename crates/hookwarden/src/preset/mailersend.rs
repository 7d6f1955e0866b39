//! MailerSend.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [MailerSend](https://developers.mailersend.com/api/v1/webhooks.html#security):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Signature: <hex>`.
/// - Secret: the webhook's signing secret, used as it is.
/// - Replay identity: the activity's `data.id` in the body.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::MailerSend};
///
/// let verifier = Verifier::builder(MailerSend).secret("mailersend-signing-secret-0123456789").build()?;
/// let body = br#"{"type":"activity.sent","created_at":"2023-11-14T22:13:20.000000Z","data":{"id":"62fb66bef54a112e920b5493","type":"sent"}}"#;
/// let headers = [("Signature", "7eb310220962716aea63ca207d15fc3ea164c0e9b183606208bf8e65f3b6e5cb")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MailerSend;

static SPEC: BodyMac = BodyMac {
    name: "mailersend",
    signature: SignatureHeader {
        name: HeaderName::from_static("signature"),
        display: "Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("data.id"),
    delivery_header: None,
};

body_mac_scheme!(MailerSend => SPEC);
