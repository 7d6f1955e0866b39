//! HCP Terraform (notification configurations).

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [HCP Terraform (notification configurations)](https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity):
/// HMAC-SHA512 over the raw body.
///
/// - Header: `X-TFE-Notification-Signature: <hex>`.
/// - Secret: the notification configuration's `token`, used as it is.
/// - HCP Terraform and Terraform Enterprise sign with HMAC-SHA512, no timestamp and no id.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::HcpTerraform};
///
/// let verifier = Verifier::builder(HcpTerraform).secret("tfe-notification-token-0123456789").build()?;
/// let body = br#"{"payload_version":1,"notification_configuration_id":"nc-AeUQ2zfKZzW9TiGZ","run_id":"run-AbCd","notifications":[{"trigger":"run:completed"}]}"#;
/// let headers = [("X-TFE-Notification-Signature", "5ff06350d1670007e277353bd8752db9cc1425a392a284bce3dc4c354839e0889374fcdd69e8e80b99b659ef1271b761a8086f9400cfff7d76ee8243d86a3f82")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HcpTerraform;

static SPEC: BodyMac = BodyMac {
    name: "hcp-terraform",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-tfe-notification-signature"),
        display: "X-TFE-Notification-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha512,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(HcpTerraform => SPEC);
