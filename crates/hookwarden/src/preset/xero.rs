//! Xero.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Xero](https://developer.xero.com/documentation/guides/webhooks/configuring-your-server):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `x-xero-signature: <base64>`.
/// - Secret: the webhook key, used as it is (it looks like base64 but is **not** decoded).
/// - Xero's "Intent to Receive" check sends correctly and incorrectly signed requests: answer 200
///   to the first and 401 to the second, with an empty body, which is what a verifying adapter
///   does.
/// - Xero signs **no timestamp and no id**, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Xero};
///
/// let verifier = Verifier::builder(Xero).secret("pCV8XYkSAP4i2fA7+e5zjNDdRc8yT6ZfZnPiJ0lG1sPmYpLq3VyKQ==").build()?;
/// let headers = [("x-xero-signature", "ytxIbLGVFqDiunqQN5vEeFyZoGKd9/LXV0AMwvo9nTI=")];
/// assert!(verifier.verify(&headers[..], br#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Xero;

static SPEC: BodyMac = BodyMac {
    name: "xero",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-xero-signature"),
        display: "x-xero-signature",
        prefix: "",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Xero => SPEC);
