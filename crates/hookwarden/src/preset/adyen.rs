//! Adyen (Balance Platform and Management webhooks).

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Adyen (Balance Platform and Management webhooks)](https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `HmacSignature: <base64>`, over the raw body.
/// - Secret: the HMAC key from the Customer Area, **hex**, decoded to bytes.
/// - Classic payment notifications carry their signature inside the body
///   (`additionalData.hmacSignature`, over selected fields), not in this header: use
///   [`AdyenClassic`](super::AdyenClassic) (feature `json`) for them.
/// - Adyen signs **no timestamp and no id**, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Adyen};
///
/// let verifier = Verifier::builder(Adyen).secret("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056").build()?;
/// let headers = [("HmacSignature", "mK6CDbpOry42Bf2Pbi1buBKcCAl88WfckL9XBBMyL84=")];
/// assert!(verifier.verify(&headers[..], br#"{"data":{"balancePlatform":"YOUR_BALANCE_PLATFORM","id":"BA32272223222B5CTDNB66W2"},"environment":"test","type":"balancePlatform.balanceAccount.created"}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Adyen;

static SPEC: BodyMac = BodyMac {
    name: "adyen",
    signature: SignatureHeader {
        name: HeaderName::from_static("hmacsignature"),
        display: "HmacSignature",
        prefix: "",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Hex,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Adyen => SPEC);
