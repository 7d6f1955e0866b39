//! Discord interactions.

use super::signature_header::{timestamp_seconds, timestamp_text};
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("x-signature-ed25519");
static TIMESTAMP: HeaderName = HeaderName::from_static("x-signature-timestamp");

/// [Discord](https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers)
/// interactions (and webhook events): Ed25519 over `{timestamp}{body}`. Feature `ed25519`.
///
/// - Headers: `X-Signature-Ed25519: <hex, 64 bytes>`, `X-Signature-Timestamp` (Unix seconds).
/// - Key: the application's **public key** from the developer portal, 64 hex characters.
/// - Tolerance: Discord documents none and its SDKs check none; this preset allows five minutes
///   either way (interactions must be answered within three seconds, and are not retried).
/// - Replay identity: the interaction's `id` in the body. Discord does not retry interactions;
///   the id still refuses a captured one sent again inside the window.
/// - Discord probes endpoints with invalid signatures and expects 401, which is what
///   `no_matching_signature` answers. Its `PING` (`{"type":1}`) must be answered `{"type":1}`:
///   see [`handshake`](crate::handshake).
/// - Asymmetric: [`Verifier::sign`](crate::Verifier::sign) answers
///   [`SignError::NoPrivateKey`].
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Discord};
///
/// let verifier = Verifier::builder(Discord)
///     .secret("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// // Discord's probe: a well-formed but invalid signature must get 401.
/// let forged = "00".repeat(64);
/// let headers = [("X-Signature-Ed25519", forged.as_str()), ("X-Signature-Timestamp", "1700000000")];
/// assert_eq!(verifier.verify(&headers[..], br#"{"type":1}"#).unwrap_err().status(), 401);
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Discord;

impl Scheme for Discord {
    fn name(&self) -> &'static str {
        "discord"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::Ed25519
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Hex
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn event_id_field(&self) -> Option<&'static str> {
        Some("id")
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        timestamp_seconds(request, &TIMESTAMP, signed)?;
        let malformed = |problem| scheme::malformed(&SIGNATURE, problem);
        let hex = scheme::required(request, &SIGNATURE)?;
        signed.push_signature(Tag::from_hex(hex, Algorithm::Ed25519).map_err(malformed)?).map_err(malformed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.timestamp_bytes());
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        // Only reachable with a signature made elsewhere; kept so the format lives in one place.
        out.push("X-Signature-Ed25519", scheme::hex(tag));
        out.push("X-Signature-Timestamp", timestamp_text(signed));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer as _, SigningKey};

    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const NOW: i64 = 1_700_000_000;
    const BODY: &[u8] = br#"{"type":1,"id":"1178000000000000000","application_id":"1177000000000000000"}"#;

    fn signing_key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn verifier(public: &SigningKey) -> Verifier {
        let hex = base16ct::lower::encode_string(public.verifying_key().as_bytes());
        Verifier::builder(Discord).secret(hex).clock(FixedClock::at(NOW)).build().unwrap()
    }

    fn headers(key: &SigningKey, timestamp: &str, body: &[u8]) -> Vec<(&'static str, String)> {
        let message = [timestamp.as_bytes(), body].concat();
        let signature = base16ct::lower::encode_string(&key.sign(&message).to_bytes());
        vec![("X-Signature-Ed25519", signature), ("X-Signature-Timestamp", timestamp.to_owned())]
    }

    #[test]
    fn verifies_what_the_private_key_signed_and_nothing_else() {
        let key = signing_key(7);
        let verifier = verifier(&key);
        let good = headers(&key, "1700000000", BODY);
        let verified = verifier.verify(&good, BODY).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, Some(NOW)));
        assert!(verifier.replay_key_of(&good, BODY).as_str().starts_with("discord:"));

        let tampered = verifier.verify(&good, br#"{"type":2}"#).unwrap_err();
        assert_eq!(tampered, VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 1 });
        let other = verifier.verify(&headers(&signing_key(8), "1700000000", BODY), BODY).unwrap_err();
        assert_eq!(other.reason(), "no_matching_signature");
        // The timestamp is signed: moving it breaks the signature.
        let mut moved = good.clone();
        moved[1].1 = "1700000001".into();
        assert_eq!(verifier.verify(&moved, BODY).unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn rotation_and_replay_keys_follow_the_signed_content() {
        let (old, new) = (signing_key(1), signing_key(2));
        let hex = |k: &SigningKey| base16ct::lower::encode_string(k.verifying_key().as_bytes());
        let verifier = Verifier::builder(Discord)
            .key("new", hex(&new))
            .key("old", hex(&old))
            .clock(FixedClock::at(NOW))
            .build()
            .unwrap();
        let (old, new) = (headers(&old, "1700000000", BODY), headers(&new, "1700000000", BODY));
        let (by_old, by_new) = (verifier.verify(&old, BODY).unwrap(), verifier.verify(&new, BODY).unwrap());
        assert_eq!((by_old.key_id(), by_new.key_id()), ("old", "new"));
        assert_eq!(verifier.replay_key_of(&old, BODY), verifier.replay_key_of(&new, BODY));
    }

    #[test]
    fn malformed_signatures_and_keys_are_refused() {
        let key = signing_key(7);
        let verifier = verifier(&key);
        let mut bad = headers(&key, "1700000000", BODY);
        bad[0].1.truncate(126);
        assert_eq!(verifier.verify(&bad, BODY).unwrap_err().reason(), "malformed_header");
        for secret in ["not hex", &"ab".repeat(33)] {
            let err = Verifier::builder(Discord).secret(secret).build().unwrap_err();
            assert_eq!(err.reason(), "secret_format", "{secret}");
        }
    }

    #[test]
    fn signing_needs_the_private_key() {
        let verifier = verifier(&signing_key(7));
        assert_eq!(verifier.sign(&Message::new(BODY)).unwrap_err(), SignError::NoPrivateKey);
    }
}
