//! Xero.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-xero-signature"),
    display: "x-xero-signature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};

/// [Xero](https://developer.xero.com/documentation/guides/webhooks/configuring-your-server):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `x-xero-signature: <base64>`.
/// - Secret: the webhook key, used as it is (it looks like base64 but is **not** decoded).
/// - Xero's "Intent to Receive" check sends correctly and incorrectly signed requests: answer 200
///   to the first and 401 to the second, with an empty body, which is what a verifying adapter
///   does.
/// - Xero signs **no timestamp and no id**, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Xero};
///
/// let verifier = Verifier::builder(Xero).secret("pCV8XYkSAP4i2fA7+e5zjNDdRc8yT6ZfZnPiJ0lG1sPmYpLq3VyKQ==").build()?;
/// let headers = [("x-xero-signature", "ytxIbLGVFqDiunqQN5vEeFyZoGKd9/LXV0AMwvo9nTI=")];
/// assert!(verifier.verify(&headers[..], br#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Xero;

impl Scheme for Xero {
    fn name(&self) -> &'static str {
        "xero"
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

    const SECRET: &str = "pCV8XYkSAP4i2fA7+e5zjNDdRc8yT6ZfZnPiJ0lG1sPmYpLq3VyKQ==";
    const BODY: &[u8] =
        br#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "ytxIbLGVFqDiunqQN5vEeFyZoGKd9/LXV0AMwvo9nTI=";

    fn verifier() -> Verifier {
        Verifier::builder(Xero).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("x-xero-signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in ["", "gggggggggggggggggggggggggggggggggggggggggggg", "ytxIbLGVFqDiunqQN5vEeF"] {
            let err = verifier().verify(&[("x-xero-signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
