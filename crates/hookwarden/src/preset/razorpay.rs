//! Razorpay.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-razorpay-signature"),
    display: "X-Razorpay-Signature",
    prefix: "",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

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

impl Scheme for Razorpay {
    fn name(&self) -> &'static str {
        "razorpay"
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

    const SECRET: &str = "razorpay-webhook-secret-01";
    const BODY: &[u8] = br#"{"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payment.captured","contains":["payment"],"created_at":1700000000}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "abc6931951ad17a5d4f3c3e2f91c63d5ee01664608bec3ab3738fb174d97bdff";

    fn verifier() -> Verifier {
        Verifier::builder(Razorpay).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("X-Razorpay-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in [
            "",
            "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "abc6931951ad17a5d4f3c3e2f91c63d5",
        ] {
            let err = verifier().verify(&[("X-Razorpay-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
