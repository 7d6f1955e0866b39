//! Razorpay.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Razorpay](https://razorpay.com/docs/webhooks/validate-test/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Razorpay-Signature: <hex>`.
/// - Secret: the **webhook** secret set in the dashboard, used as it is (not the API key secret,
///   and not the checkout `order_id|payment_id` signature).
/// - Razorpay signs **no timestamp and no id**: `x-razorpay-event-id` is not covered by the
///   signature, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Razorpay};
///
/// let verifier = Verifier::builder(Razorpay).secret("razorpay-webhook-secret-01").build()?;
/// let headers = [("X-Razorpay-Signature", "abc6931951ad17a5d4f3c3e2f91c63d5ee01664608bec3ab3738fb174d97bdff")];
/// assert!(verifier.verify(&headers[..], br#"{"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payment.captured","contains":["payment"],"created_at":1700000000}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Razorpay;

static SPEC: BodyMac = BodyMac {
    name: "razorpay",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-razorpay-signature"),
        display: "X-Razorpay-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Razorpay => SPEC);
