//! Typeform.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("typeform-signature"),
    display: "Typeform-Signature",
    prefix: "sha256=",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};

/// [Typeform](https://www.typeform.com/developers/webhooks/secure-your-webhooks/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Typeform-Signature: sha256=<base64>`.
/// - Secret: the `secret` you set on the webhook, used as it is.
/// - Typeform signs **no timestamp**. Replay identity: `event_id` in the body
///   (<https://www.typeform.com/developers/webhooks/>).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Typeform};
///
/// let verifier = Verifier::builder(Typeform).secret("typeform-webhook-secret-01").build()?;
/// let headers = [("Typeform-Signature", "sha256=lgHLGB4qALUUQ0YHVb0a0SQlp3p2ouDmOPOqCsm/GRo=")];
/// assert!(verifier.verify(&headers[..], br#"{"event_id":"01GT6CVWDTB6BG5N3M8JHNPRH8","event_type":"form_response","form_response":{"form_id":"lT4Z3j"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Typeform;

impl Scheme for Typeform {
    fn name(&self) -> &'static str {
        "typeform"
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

    fn event_id_field(&self) -> Option<&'static str> {
        Some("event_id")
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

    const SECRET: &str = "typeform-webhook-secret-01";
    const BODY: &[u8] = br#"{"event_id":"01GT6CVWDTB6BG5N3M8JHNPRH8","event_type":"form_response","form_response":{"form_id":"lT4Z3j"}}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "sha256=lgHLGB4qALUUQ0YHVb0a0SQlp3p2ouDmOPOqCsm/GRo=";

    fn verifier() -> Verifier {
        Verifier::builder(Typeform).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("Typeform-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in [
            "",
            "gggggggggggggggggggggggggggggggggggggggggggg",
            "sha256=lgHLGB4qALUUQ0YHVb",
            "lgHLGB4qALUUQ0YHVb0a0SQlp3p2ouDmOPOqCsm/GRo=",
        ] {
            let err = verifier().verify(&[("Typeform-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
