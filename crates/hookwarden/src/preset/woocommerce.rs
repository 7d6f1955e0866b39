//! WooCommerce.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-wc-webhook-signature"),
    display: "X-WC-Webhook-Signature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};

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

impl Scheme for WooCommerce {
    fn name(&self) -> &'static str {
        "woocommerce"
    }

    fn algorithm(&self) -> Algorithm {
        SIGNATURE.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        SIGNATURE.parse(request, signed)
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(&self, _: &Signed<'_>, tag: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
        SIGNATURE.write(tag, out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const SECRET: &str = "woocommerce-webhook-secret";
    const BODY: &[u8] = br#"{"id":727,"status":"processing","currency":"EUR","total":"42.00"}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "MR8rY7rub5/Yuyt8F7n9LRAaefR8YbvfUIpjs1nOVvc=";

    fn verifier() -> Verifier {
        Verifier::builder(WooCommerce).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("X-WC-Webhook-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in ["", "gggggggggggggggggggggggggggggggggggggggggggg", "MR8rY7rub5/Yuyt8F7n9LR"] {
            let err = verifier().verify(&[("X-WC-Webhook-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
