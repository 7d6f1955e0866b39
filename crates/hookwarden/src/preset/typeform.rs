//! Typeform.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Typeform](https://www.typeform.com/developers/webhooks/secure-your-webhooks/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Typeform-Signature: sha256=<base64>`.
/// - Secret: the `secret` you set on the webhook, used as it is.
/// - Typeform signs **no timestamp**. Replay identity: `event_id` in the body
///   (<https://www.typeform.com/developers/webhooks/>).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Typeform};
///
/// let verifier = Verifier::builder(Typeform).secret("typeform-webhook-secret-01").build()?;
/// let headers = [("Typeform-Signature", "sha256=lgHLGB4qALUUQ0YHVb0a0SQlp3p2ouDmOPOqCsm/GRo=")];
/// assert!(verifier.verify(&headers[..], br#"{"event_id":"01GT6CVWDTB6BG5N3M8JHNPRH8","event_type":"form_response","form_response":{"form_id":"lT4Z3j"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Typeform;

static SPEC: BodyMac = BodyMac {
    name: "typeform",
    signature: SignatureHeader {
        name: HeaderName::from_static("typeform-signature"),
        display: "Typeform-Signature",
        prefix: "sha256=",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("event_id"),
    delivery_header: None,
};

body_mac_scheme!(Typeform => SPEC);
