//! GitHub.

use super::body_mac::{BodyMac, DeliveryHeader, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [GitHub](https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hub-Signature-256: sha256=<hex>`. The legacy SHA-1 `X-Hub-Signature` is ignored.
/// - Secret: the webhook's secret, used as it is.
/// - GitHub signs **no timestamp and no id**: `X-GitHub-Delivery` is not covered by the
///   signature, so it is never trusted: it is [`Verified::delivery_id`](crate::Verified::delivery_id),
///   for correlation only. Replay keys derive from the body's MAC, and only a
///   replay store stops a captured delivery from being replayed.
/// - GitHub sends bodies up to 25 MB; give your adapter a body limit to match.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::GitHub};
///
/// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
/// let headers = [("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")];
/// assert!(verifier.verify(&headers[..], b"Hello, World!").is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GitHub;

static SPEC: BodyMac = BodyMac {
    name: "github",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-hub-signature-256"),
        display: "X-Hub-Signature-256",
        prefix: "sha256=",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: Some(DeliveryHeader {
        name: HeaderName::from_static("x-github-delivery"),
        display: "X-GitHub-Delivery",
    }),
};

body_mac_scheme!(GitHub => SPEC);
