//! Intercom.

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
    prefix: "sha1=",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha1,
};

/// [Intercom](https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications):
/// HMAC-SHA1 over the raw body.
///
/// - Header: `X-Hub-Signature: sha1=<hex>` (HMAC-**SHA1**).
/// - Secret: the app's client secret (or a legacy subscription's `hub_secret`), used as it is.
/// - Intercom signs **no timestamp**. Replay identity: the notification's `id` (`notif_...`)
///   in the body (<https://developers.intercom.com/docs/webhooks>).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Intercom};
///
/// let verifier = Verifier::builder(Intercom).secret("intercom-client-secret-0123456789").build()?;
/// let headers = [("X-Hub-Signature", "sha1=a69db6ae673f0a0619834f19eb3bb9d0b03eb5c0")];
/// assert!(verifier.verify(&headers[..], br#"{"type":"notification_event","id":"notif_ccd8a4d2-3581-4b4e-8a53-6e0b4e2e4b1c","topic":"conversation.user.created"}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Intercom;

impl Scheme for Intercom {
    fn name(&self) -> &'static str {
        "intercom"
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
        Some("id")
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

    const SECRET: &str = "intercom-client-secret-0123456789";
    const BODY: &[u8] = br#"{"type":"notification_event","id":"notif_ccd8a4d2-3581-4b4e-8a53-6e0b4e2e4b1c","topic":"conversation.user.created"}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "sha1=a69db6ae673f0a0619834f19eb3bb9d0b03eb5c0";

    fn verifier() -> Verifier {
        Verifier::builder(Intercom).secret(SECRET).build().unwrap()
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
            "gggggggggggggggggggggggggggggggggggggggg",
            "sha1=a69db6ae673f0a061",
            "a69db6ae673f0a0619834f19eb3bb9d0b03eb5c0",
        ] {
            let err = verifier().verify(&[("X-Hub-Signature", bad)][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
    }
}
