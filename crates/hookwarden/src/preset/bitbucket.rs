//! Bitbucket Cloud.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-hub-signature"),
    display: "X-Hub-Signature",
    prefix: "sha256=",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// [Bitbucket Cloud](https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hub-Signature: sha256=<hex>` (GitHub's format under the header name GitHub uses for
///   SHA-1). Bitbucket Data Center sends the same.
/// - Secret: the webhook's secret, used as it is.
/// - Bitbucket signs **no timestamp and no id**: `X-Request-UUID` is not covered by the signature,
///   so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Bitbucket};
///
/// let verifier = Verifier::builder(Bitbucket).secret("bitbucket-webhook-secret-01").build()?;
/// let headers = [("X-Hub-Signature", "sha256=548167119901b634fecdfda94bb38fd6d6e43bdd7c827b5f40834d5385e5f24e")];
/// assert!(verifier.verify(&headers[..], br#"{"push":{"changes":[]},"repository":{"full_name":"team/repo"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Bitbucket;

impl Scheme for Bitbucket {
    fn name(&self) -> &'static str {
        "bitbucket"
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

    const SECRET: &str = "bitbucket-webhook-secret-01";
    const BODY: &[u8] = br#"{"push":{"changes":[]},"repository":{"full_name":"team/repo"}}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "sha256=548167119901b634fecdfda94bb38fd6d6e43bdd7c827b5f40834d5385e5f24e";

    fn verifier() -> Verifier {
        Verifier::builder(Bitbucket).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("X-Hub-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in [
            "",
            "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "sha256=548167119901b634fecdfda94bb3",
            "548167119901b634fecdfda94bb38fd6d6e43bdd7c827b5f40834d5385e5f24e",
        ] {
            let err = verifier().verify(&[("X-Hub-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
