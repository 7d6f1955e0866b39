//! Vercel.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Vercel](https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks):
/// HMAC-SHA1 over the raw body.
///
/// - Header: `x-vercel-signature: <hex>` (HMAC-**SHA1**).
/// - Secret: the webhook's secret (shown once when it is created) or, for integration webhooks, the
///   integration's client secret, used as it is.
/// - Vercel signs **no timestamp and no id** outside the body, so replay keys derive from the
///   body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Vercel};
///
/// let verifier = Verifier::builder(Vercel).secret("vercel-webhook-secret-0123456789").build()?;
/// let headers = [("x-vercel-signature", "b066fa3995dd3bda04948a09227d8a9c89110192")];
/// assert!(verifier.verify(&headers[..], br#"{"id":"evt_9kEjmR8mBvv2yq6BMmZGG1","type":"deployment.created","createdAt":1700000000000}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Vercel;

static SPEC: BodyMac = BodyMac {
    name: "vercel",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-vercel-signature"),
        display: "x-vercel-signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha1,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Vercel => SPEC);
