//! LaunchDarkly.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [LaunchDarkly](https://launchdarkly.com/docs/home/connections/webhooks#signing-webhooks):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-LD-Signature: <hex>`.
/// - Secret: the webhook's secret, used as it is.
/// - LaunchDarkly signs **no timestamp and no id**: replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::LaunchDarkly};
///
/// let verifier = Verifier::builder(LaunchDarkly).secret("launchdarkly-webhook-secret-01").build()?;
/// let body = br#"{"_id":"5f0c7a1b2c3d4e5f6a7b8c9d","kind":"flag","name":"new-checkout","date":1700000000000}"#;
/// let headers = [("X-LD-Signature", "bf61af444c377d6dbbcc6e16620a5959ecb9b70c11657bb0eb71204702c1959b")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct LaunchDarkly;

static SPEC: BodyMac = BodyMac {
    name: "launchdarkly",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-ld-signature"),
        display: "X-LD-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(LaunchDarkly => SPEC);
