//! Standard Webhooks, asymmetric (`v1a`, Ed25519).

use super::standard_webhooks::{self, Version, WEBHOOK};
use crate::error::{SignError, VerifyError};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

const V1A: Version = Version { label: b"v1a", algorithm: Algorithm::Ed25519 };

/// [Standard Webhooks](https://www.standardwebhooks.com/) with asymmetric signatures: Ed25519
/// over `{webhook-id}.{webhook-timestamp}.{body}`. Feature `ed25519`.
///
/// - Headers: as [`StandardWebhooks`](super::StandardWebhooks); the `webhook-signature` list
///   holds `v1a,<base64 of 64 bytes>` entries. `v1` (HMAC) entries are skipped, so a sender
///   may send both kinds during a migration.
/// - Key: the sender's public key, `whpk_` followed by base64 of its 32 bytes. A signing key
///   (`whsk_...`) is refused: it does not belong on a receiver.
/// - Tolerance: five minutes either way. Replay key: the signed `webhook-id`.
/// - Asymmetric: [`Verifier::sign`](crate::Verifier::sign) answers
///   [`SignError::NoPrivateKey`].
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::StandardWebhooksEd25519};
///
/// let verifier = Verifier::builder(StandardWebhooksEd25519)
///     .secret("whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
///     .build()?;
/// assert_eq!(
///     Verifier::builder(StandardWebhooksEd25519).secret("whsk_AAAA").build().unwrap_err().reason(),
///     "secret_format",
/// );
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct StandardWebhooksEd25519;

impl Scheme for StandardWebhooksEd25519 {
    fn name(&self) -> &'static str {
        "standard-webhooks-ed25519"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::Ed25519
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::WhpkBase64
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        standard_webhooks::parse(&WEBHOOK, V1A, request, signed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        standard_webhooks::content(signed, body, feed);
    }

    fn write_headers(&self, _: &Signed<'_>, _: &Tag, _: &mut SignedHeaders) -> Result<(), SignError> {
        // `Verifier::sign` stops before this: a verifier holds only the public key.
        Err(SignError::NoPrivateKey)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use ed25519_dalek::{Signer as _, SigningKey};

    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const NOW: i64 = 1_700_000_000;
    const BODY: &[u8] = br#"{"type":"invoice.paid"}"#;

    fn v1a(key: &SigningKey, id: &str, timestamp: &str, body: &[u8]) -> String {
        let content = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat();
        format!("v1a,{}", STANDARD.encode(key.sign(&content).to_bytes()))
    }

    fn verifier(key: &SigningKey) -> Verifier {
        let public = format!("whpk_{}", STANDARD.encode(key.verifying_key().as_bytes()));
        Verifier::builder(StandardWebhooksEd25519).secret(public).clock(FixedClock::at(NOW)).build().unwrap()
    }

    fn headers(signature: &str) -> [(&'static str, String); 3] {
        [
            ("webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W".into()),
            ("webhook-timestamp", "1700000000".into()),
            ("webhook-signature", signature.into()),
        ]
    }

    #[test]
    fn verifies_v1a_entries_and_skips_v1_ones() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let good = v1a(&key, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1700000000", BODY);
        let list = format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= {good}");
        let verified = verifier(&key).verify(&headers(&list), BODY).unwrap();
        assert_eq!(verified.id(), Some("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"));
        assert_eq!(
            verifier(&key).verify(&headers(&good), b"{}").unwrap_err().reason(),
            "no_matching_signature"
        );
        let other = SigningKey::from_bytes(&[4; 32]);
        assert_eq!(
            verifier(&other).verify(&headers(&good), BODY).unwrap_err().reason(),
            "no_matching_signature"
        );
        let only_hmac = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        assert_eq!(
            verifier(&key).verify(&headers(only_hmac), BODY).unwrap_err(),
            VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 0 }
        );
        assert_eq!(
            verifier(&key).verify(&headers("v1a,AAAA"), BODY).unwrap_err().reason(),
            "malformed_header"
        );
    }

    #[test]
    fn keys_without_prefix_work_and_signing_keys_are_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let bare = STANDARD.encode(key.verifying_key().as_bytes());
        assert!(Verifier::builder(StandardWebhooksEd25519).secret(&bare).build().is_ok());
        let private = format!("whsk_{}", STANDARD.encode(key.to_bytes()));
        let err = Verifier::builder(StandardWebhooksEd25519).secret(private).build().unwrap_err();
        assert_eq!(err.reason(), "secret_format");
        assert_eq!(verifier(&key).sign(&Message::new(BODY).id("m")).unwrap_err(), SignError::NoPrivateKey);
    }
}
