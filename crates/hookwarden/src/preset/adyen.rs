//! Adyen (Balance Platform and Management webhooks).

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("hmacsignature"),
    display: "HmacSignature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};

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

impl Scheme for Adyen {
    fn name(&self) -> &'static str {
        "adyen"
    }

    fn algorithm(&self) -> Algorithm {
        SIGNATURE.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Hex
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

    const SECRET: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    const BODY: &[u8] = br#"{"data":{"balancePlatform":"YOUR_BALANCE_PLATFORM","id":"BA32272223222B5CTDNB66W2"},"environment":"test","type":"balancePlatform.balanceAccount.created"}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "mK6CDbpOry42Bf2Pbi1buBKcCAl88WfckL9XBBMyL84=";

    fn verifier() -> Verifier {
        Verifier::builder(Adyen).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("HmacSignature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn decodes_the_hex_key_like_adyens_sdk() {
        // adyen-python-api-library test/UtilTest.py (providers.md §4.9): the classic signing
        // string, MACed here as if it were a body, checks the hex-decoded key.
        let content = b"7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true";
        let headers = [("HmacSignature", "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=")];
        assert!(verifier().verify(&headers[..], content).is_ok());
        assert_eq!(
            Verifier::builder(Adyen).secret("not hex at all!").build().unwrap_err().reason(),
            "secret_format"
        );
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in ["", "gggggggggggggggggggggggggggggggggggggggggggg", "mK6CDbpOry42Bf2Pbi1buB"] {
            let err = verifier().verify(&[("HmacSignature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
