//! DocuSign Connect.

use crate::error::{SignError, VerifyError};
use crate::headers::{HeaderName, Lookup};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, MAX_SIGNATURES, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

/// `X-DocuSign-Signature-1` to `-8`: one header per active HMAC key. DocuSign allows up to 100
/// keys; a verifier tries at most [`MAX_SIGNATURES`], so keys past the eighth are not read.
static SIGNATURES: [HeaderName; MAX_SIGNATURES] = [
    HeaderName::from_static("x-docusign-signature-1"),
    HeaderName::from_static("x-docusign-signature-2"),
    HeaderName::from_static("x-docusign-signature-3"),
    HeaderName::from_static("x-docusign-signature-4"),
    HeaderName::from_static("x-docusign-signature-5"),
    HeaderName::from_static("x-docusign-signature-6"),
    HeaderName::from_static("x-docusign-signature-7"),
    HeaderName::from_static("x-docusign-signature-8"),
];

/// [DocuSign Connect](https://developers.docusign.com/platform/webhooks/connect/validate)
/// with HMAC: HMAC-SHA256 over the raw body (JSON or XML).
///
/// - Headers: `X-DocuSign-Signature-1`, `-2`, ... `<base64>`, one per active Connect key; any
///   may match. The first is required; the first eight are read.
/// - Secret: the Connect HMAC key, used as it is (it ends in `=` but is **not** decoded).
/// - DocuSign signs **no timestamp and no id**, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::DocuSign};
///
/// let verifier = Verifier::builder(DocuSign).secret("DocuSignConnectKey0123456789abcdefABCDEF=").build()?;
/// let body = br#"{"event":"envelope-completed","apiVersion":"v2.1","generatedDateTime":"2023-11-14T22:13:20.0000000Z"}"#;
/// let headers = [
///     ("X-DocuSign-Signature-1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
///     ("X-DocuSign-Signature-2", "oj+MMAD5mpj83gSQaBRANXN0NSBUOrvCoiW9C8vceBg="),
/// ];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DocuSign;

impl Scheme for DocuSign {
    fn name(&self) -> &'static str {
        "docusign"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        scheme::required(request, &SIGNATURES[0])?;
        for name in &SIGNATURES {
            let malformed = |problem| scheme::malformed(name, problem);
            match request.headers.lookup(name) {
                Lookup::Missing => {}
                Lookup::One(value) => signed
                    .push_signature(Tag::from_base64(value, Algorithm::HmacSha256).map_err(malformed)?)
                    .map_err(malformed)?,
                Lookup::Many => return Err(VerifyError::DuplicateHeader { header: name.clone() }),
            }
        }
        Ok(())
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(&self, _: &Signed<'_>, tag: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
        out.push("X-DocuSign-Signature-1", scheme::base64(tag));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const BODY: &[u8] = br#"{"event":"envelope-completed","apiVersion":"v2.1","generatedDateTime":"2023-11-14T22:13:20.0000000Z"}"#;

    #[test]
    fn any_numbered_header_may_match() {
        let verifier =
            Verifier::builder(DocuSign).secret("DocuSignConnectKey0123456789abcdefABCDEF=").build().unwrap();
        let signed = verifier.sign(&Message::new(BODY)).unwrap();
        // Computed independently with Python's `hmac`.
        let good = "oj+MMAD5mpj83gSQaBRANXN0NSBUOrvCoiW9C8vceBg=";
        assert_eq!(signed.get("x-docusign-signature-1"), Some(good));
        let decoy = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        let third = [("X-DocuSign-Signature-1", decoy), ("X-DocuSign-Signature-3", good)];
        assert!(verifier.verify(&third[..], BODY).is_ok());
        let only_second = [("X-DocuSign-Signature-2", good)];
        assert_eq!(verifier.verify(&only_second[..], BODY).unwrap_err().reason(), "missing_header");
        let twice = [("X-DocuSign-Signature-1", good), ("X-DocuSign-Signature-1", decoy)];
        assert_eq!(verifier.verify(&twice[..], BODY).unwrap_err().reason(), "duplicate_header");
    }
}
