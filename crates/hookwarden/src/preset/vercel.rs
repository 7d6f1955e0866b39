//! Vercel.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-vercel-signature"),
    display: "x-vercel-signature",
    prefix: "",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha1,
};

/// [Vercel](https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks):
/// HMAC-SHA1 over the raw body.
///
/// - Header: `x-vercel-signature: <hex>` (HMAC-**SHA1**).
/// - Secret: the webhook's secret (shown once when it is created) or, for integration webhooks, the
///   integration's client secret, used as it is.
/// - Vercel signs **no timestamp and no id** outside the body, so replay keys derive from the
///   body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Vercel};
///
/// let verifier = Verifier::builder(Vercel).secret("vercel-webhook-secret-0123456789").build()?;
/// let headers = [("x-vercel-signature", "b066fa3995dd3bda04948a09227d8a9c89110192")];
/// assert!(verifier.verify(&headers[..], br#"{"id":"evt_9kEjmR8mBvv2yq6BMmZGG1","type":"deployment.created","createdAt":1700000000000}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Vercel;

impl Scheme for Vercel {
    fn name(&self) -> &'static str {
        "vercel"
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

    const SECRET: &str = "vercel-webhook-secret-0123456789";
    const BODY: &[u8] =
        br#"{"id":"evt_9kEjmR8mBvv2yq6BMmZGG1","type":"deployment.created","createdAt":1700000000000}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "b066fa3995dd3bda04948a09227d8a9c89110192";

    fn verifier() -> Verifier {
        Verifier::builder(Vercel).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("x-vercel-signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in ["", "gggggggggggggggggggggggggggggggggggggggg", "b066fa3995dd3bda0494"] {
            let err = verifier().verify(&[("x-vercel-signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
