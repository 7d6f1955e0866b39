//! Gogs.

use super::body_mac::{BodyMac, DeliveryHeader, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Gogs](https://gogs.io/docs/features/webhook):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Gogs-Signature: <hex>`.
/// - Secret: the webhook's secret, used as it is.
/// - Gogs signs **no timestamp and no id**: replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Gogs};
///
/// let verifier = Verifier::builder(Gogs).secret("gogs-webhook-secret-0123456789").build()?;
/// let body = br#"{"ref":"refs/heads/master","before":"28e1879d029cb852e4844d9c718537df08844e03","after":"bffeb74224043ba2feb48d137756c8a9331c449a","repository":{"full_name":"unknwon/webhooks"}}"#;
/// let headers = [("X-Gogs-Signature", "6e896059e898ce086bb5bd1a4c38b9dea2134799a3de710f9a30543b66197bee")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Gogs;

static SPEC: BodyMac = BodyMac {
    name: "gogs",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-gogs-signature"),
        display: "X-Gogs-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: Some(DeliveryHeader {
        name: HeaderName::from_static("x-gogs-delivery"),
        display: "X-Gogs-Delivery",
    }),
};

body_mac_scheme!(Gogs => SPEC);
