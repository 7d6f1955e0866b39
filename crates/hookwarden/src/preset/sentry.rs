//! Sentry (integration platform).

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("sentry-hook-signature"),
    display: "Sentry-Hook-Signature",
    prefix: "",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// [Sentry (integration platform)](https://docs.sentry.io/integrations/integration-platform/webhooks/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Sentry-Hook-Signature: <hex>`.
/// - Secret: the integration's client secret, used as it is.
/// - Sentry signs **no timestamp and no id**: `Sentry-Hook-Timestamp` and `Request-ID` are not
///   covered by the signature, so they are never trusted; replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Sentry};
///
/// let verifier = Verifier::builder(Sentry).secret("sentry-client-secret-0123456789abcdef").build()?;
/// let headers = [("Sentry-Hook-Signature", "f1a720f86af1dca568f34581c9cf15f8d9b512588f5ba2c862b8cb444a7e8f08")];
/// assert!(verifier.verify(&headers[..], br#"{"action":"created","data":{"issue":{"id":"1170820242"}},"installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Sentry;

impl Scheme for Sentry {
    fn name(&self) -> &'static str {
        "sentry"
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

    const SECRET: &str = "sentry-client-secret-0123456789abcdef";
    const BODY: &[u8] = br#"{"action":"created","data":{"issue":{"id":"1170820242"}},"installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "f1a720f86af1dca568f34581c9cf15f8d9b512588f5ba2c862b8cb444a7e8f08";

    fn verifier() -> Verifier {
        Verifier::builder(Sentry).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("Sentry-Hook-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in [
            "",
            "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "f1a720f86af1dca568f34581c9cf15f8",
        ] {
            let err = verifier().verify(&[("Sentry-Hook-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
