//! Jira Cloud.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Jira Cloud](https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hub-Signature: sha256=<hex>`.
/// - Secret: the webhook's secret, used as it is.
/// - Jira signs **no timestamp and no id**: replay keys derive from the body's MAC (the
///   unsigned `X-Atlassian-Webhook-Identifier` header is not trusted).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Jira};
///
/// let verifier = Verifier::builder(Jira).secret("jira-admin-webhook-secret-01").build()?;
/// let body = br#"{"timestamp":1700000000000,"webhookEvent":"jira:issue_updated","issue":{"id":"10002","key":"HW-2"}}"#;
/// let headers = [("X-Hub-Signature", "sha256=c12bb7a8c10112b9b43cec178911520ae123ae3a0458fd220d5676432de4b678")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Jira;

static SPEC: BodyMac = BodyMac {
    name: "jira",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-hub-signature"),
        display: "X-Hub-Signature",
        prefix: "sha256=",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Jira => SPEC);
