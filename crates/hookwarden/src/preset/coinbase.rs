//! Coinbase Commerce.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-cc-webhook-signature"),
    display: "X-CC-Webhook-Signature",
    prefix: "",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// [Coinbase Commerce](https://docs.cdp.coinbase.com/commerce/api-architecture/webhooks-security):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-CC-Webhook-Signature: <hex>`.
/// - Secret: the shared webhook secret from the settings, used as it is.
/// - Coinbase signs **no timestamp**. Replay identity: `event.id` in the body; the top-level
///   `attempt_number` changes on every retry, so the body's digest would not do.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Coinbase};
///
/// let verifier = Verifier::builder(Coinbase).secret("coinbase-shared-webhook-secret").build()?;
/// let headers = [("X-CC-Webhook-Signature", "17d91e8ff73f4486c92144cee49e6b3819b90a47d303ddd94809aed61c266bb2")];
/// assert!(verifier.verify(&headers[..], br#"{"id":1,"scheduled_for":"2023-11-14T22:13:20Z","event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","type":"charge:created"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Coinbase;

impl Scheme for Coinbase {
    fn name(&self) -> &'static str {
        "coinbase"
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
        Some("event.id")
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

    const SECRET: &str = "coinbase-shared-webhook-secret";
    const BODY: &[u8] = br#"{"id":1,"scheduled_for":"2023-11-14T22:13:20Z","event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","type":"charge:created"}}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "17d91e8ff73f4486c92144cee49e6b3819b90a47d303ddd94809aed61c266bb2";

    fn verifier() -> Verifier {
        Verifier::builder(Coinbase).secret(SECRET).build().unwrap()
    }

    #[test]
    fn signs_and_verifies_the_recomputed_vector() {
        let headers = verifier().sign(&Message::new(BODY)).unwrap();
        assert_eq!(headers.get("X-CC-Webhook-Signature"), Some(EXPECTED));
        let verified = verifier().verify(&headers, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn malformed_signatures_are_refused() {
        for bad in [
            "",
            "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "17d91e8ff73f4486c92144cee49e6b38",
        ] {
            let err = verifier().verify(&[("X-CC-Webhook-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
