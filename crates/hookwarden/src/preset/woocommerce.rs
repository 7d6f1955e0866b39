//! WooCommerce.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [WooCommerce](https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-WC-Webhook-Signature: <base64>`.
/// - Secret: the webhook's secret. WooCommerce decodes HTML entities in it before use (`&amp;`
///   signs as `&`): give the decoded secret.
/// - WooCommerce signs **no timestamp and no id**: `X-WC-Webhook-Delivery-ID` is not covered by the
///   signature (and changes on every retry), so replay keys derive from the body's MAC.
/// - When a webhook is created WooCommerce pings it with a form body `webhook_id=<id>` and **no
///   signature**: that ping is rejected as `missing_header`. Answer it 200 before verification if
///   you want the webhook activated by the ping.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::WooCommerce};
///
/// let verifier = Verifier::builder(WooCommerce).secret("woocommerce-webhook-secret").build()?;
/// let headers = [("X-WC-Webhook-Signature", "MR8rY7rub5/Yuyt8F7n9LRAaefR8YbvfUIpjs1nOVvc=")];
/// assert!(verifier.verify(&headers[..], br#"{"id":727,"status":"processing","currency":"EUR","total":"42.00"}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct WooCommerce;

static SPEC: BodyMac = BodyMac {
    name: "woocommerce",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-wc-webhook-signature"),
        display: "X-WC-Webhook-Signature",
        prefix: "",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(WooCommerce => SPEC);
