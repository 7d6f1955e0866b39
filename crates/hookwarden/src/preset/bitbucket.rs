//! Bitbucket Cloud.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Bitbucket Cloud](https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hub-Signature: sha256=<hex>` (GitHub's format under the header name GitHub uses for
///   SHA-1). Bitbucket Data Center sends the same.
/// - Secret: the webhook's secret, used as it is.
/// - Bitbucket signs **no timestamp and no id**: `X-Request-UUID` is not covered by the signature,
///   so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Bitbucket};
///
/// let verifier = Verifier::builder(Bitbucket).secret("bitbucket-webhook-secret-01").build()?;
/// let headers = [("X-Hub-Signature", "sha256=548167119901b634fecdfda94bb38fd6d6e43bdd7c827b5f40834d5385e5f24e")];
/// assert!(verifier.verify(&headers[..], br#"{"push":{"changes":[]},"repository":{"full_name":"team/repo"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Bitbucket;

static SPEC: BodyMac = BodyMac {
    name: "bitbucket",
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

body_mac_scheme!(Bitbucket => SPEC);
