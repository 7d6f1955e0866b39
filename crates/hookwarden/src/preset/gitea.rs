//! Gitea (and Forgejo).

use super::body_mac::{BodyMac, DeliveryHeader, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Gitea (and Forgejo)](https://docs.gitea.com/usage/webhooks):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Gitea-Signature: <hex>`.
/// - Secret: the webhook's secret, used as it is.
/// - Gitea signs **no timestamp and no id**: `X-Gitea-Delivery` is not covered by the signature,
///   so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Gitea};
///
/// let verifier = Verifier::builder(Gitea).secret("gitea-webhook-secret-0123456789").build()?;
/// let body = br#"{"ref":"refs/heads/main","before":"28e1879d029cb852e4844d9c718537df08844e03","after":"bffeb74224043ba2feb48d137756c8a9331c449a","repository":{"full_name":"gitea/webhooks"}}"#;
/// let headers = [("X-Gitea-Signature", "450dad24b7a8ba2ba916cd392a31b1e963b32301a7bd25f1fe6f8581696d74a5")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Gitea;

static SPEC: BodyMac = BodyMac {
    name: "gitea",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-gitea-signature"),
        display: "X-Gitea-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: Some(DeliveryHeader {
        name: HeaderName::from_static("x-gitea-delivery"),
        display: "X-Gitea-Delivery",
    }),
};

body_mac_scheme!(Gitea => SPEC);
