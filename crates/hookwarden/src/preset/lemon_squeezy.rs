//! Lemon Squeezy.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-signature"),
    display: "X-Signature",
    prefix: "",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// [Lemon Squeezy](https://docs.lemonsqueezy.com/help/webhooks/signing-requests):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Signature: <hex>`; `X-Event-Name` names the event and is not signed.
/// - Secret: the signing secret you entered (Lemon Squeezy allows 6 to 40 characters; hookwarden
///   needs at least 16).
/// - Lemon Squeezy signs **no timestamp and no id**, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::LemonSqueezy};
///
/// let verifier = Verifier::builder(LemonSqueezy).secret("lemon-squeezy-signing-secret").build()?;
/// let headers = [("X-Signature", "a20fb858548516cbbc89b2168a7f674f1339d445d16f6ecf0c191de0a73b92de")];
/// assert!(verifier.verify(&headers[..], br#"{"meta":{"event_name":"order_created","webhook_id":"b4a1a7cc"},"data":{"type":"orders","id":"1"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct LemonSqueezy;

impl Scheme for LemonSqueezy {
    fn name(&self) -> &'static str {
        "lemon-squeezy"
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

    const SECRET: &str = "lemon-squeezy-signing-secret";
    const BODY: &[u8] = br#"{"meta":{"event_name":"order_created","webhook_id":"b4a1a7cc"},"data":{"type":"orders","id":"1"}}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "a20fb858548516cbbc89b2168a7f674f1339d445d16f6ecf0c191de0a73b92de";

    fn verifier() -> Verifier {
        Verifier::builder(LemonSqueezy).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("X-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in [
            "",
            "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "a20fb858548516cbbc89b2168a7f674f",
        ] {
            let err = verifier().verify(&[("X-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
