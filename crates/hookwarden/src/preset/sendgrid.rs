//! SendGrid Event Webhook.

use super::signature_header::timestamp_seconds;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("x-twilio-email-event-webhook-signature");
static TIMESTAMP: HeaderName = HeaderName::from_static("x-twilio-email-event-webhook-timestamp");

/// [SendGrid](https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features)
/// signed Event Webhook: ECDSA P-256 with SHA-256 over `{timestamp}{body}`. Feature `p256`.
///
/// - Headers: `X-Twilio-Email-Event-Webhook-Signature: <base64 of a DER signature>`,
///   `X-Twilio-Email-Event-Webhook-Timestamp` (Unix seconds).
/// - Key: the "verification key" from Mail Settings, base64 of a DER `SubjectPublicKeyInfo`
///   (`MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...`), given as it is shown; a PEM block is refused
///   with a hint.
/// - The body SendGrid signs ends with `\r\n`: give the verifier the raw body, untrimmed.
/// - Tolerance: SendGrid's SDKs check none; this preset allows five minutes either way. If
///   your deliveries are retried with their first timestamp, widen it.
/// - Replay identity: a digest of the body, without the timestamp. A delivery is a batch of
///   events, each with its `sg_event_id`; no one id names the batch, and a retry resends it.
/// - Asymmetric: [`Verifier::sign`](crate::Verifier::sign) answers
///   [`SignError::NoPrivateKey`].
///
/// # Example: the vector from SendGrid's own SDK tests
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::SendGrid};
///
/// let verifier = Verifier::builder(SendGrid)
///     .secret("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==")
/// #   .clock(FixedClock::at(1600112502))
///     .build()?;
/// let body = b"[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\",\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";
/// let headers = [
///     ("X-Twilio-Email-Event-Webhook-Signature", "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM="),
///     ("X-Twilio-Email-Event-Webhook-Timestamp", "1600112502"),
/// ];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SendGrid;

impl Scheme for SendGrid {
    fn name(&self) -> &'static str {
        "sendgrid"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::EcdsaP256Sha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Base64
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn check_secret(&self, secret: &[u8]) -> Result<(), &'static str> {
        if secret.starts_with(b"-----BEGIN") {
            return Err("give the verification key as SendGrid shows it (base64), without the PEM lines");
        }
        Ok(())
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        timestamp_seconds(request, &TIMESTAMP, signed)?;
        let malformed = |problem| scheme::malformed(&SIGNATURE, problem);
        let der = scheme::required(request, &SIGNATURE)?;
        signed.push_signature(Tag::from_p256_der_base64(der).map_err(malformed)?).map_err(malformed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.timestamp_bytes());
        feed(body);
    }

    fn write_headers(&self, _: &Signed<'_>, _: &Tag, _: &mut SignedHeaders) -> Result<(), SignError> {
        // `Verifier::sign` stops before this: a verifier holds only the public key.
        Err(SignError::NoPrivateKey)
    }
}

#[cfg(test)]
mod tests {
    use p256::ecdsa::signature::Signer as _;
    use p256::ecdsa::{DerSignature, SigningKey};

    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const PUBLIC: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    const OTHER_PUBLIC: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
    const SIGNATURE_B64: &str =
        "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    const WRONG_SIGNATURE: &str =
        "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=";
    const TIMESTAMP_TEXT: &str = "1600112502";
    const BODY: &[u8] = b"[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\",\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";

    fn verifier(public: &str) -> Verifier {
        Verifier::builder(SendGrid).secret(public).clock(FixedClock::at(1_600_112_502)).build().unwrap()
    }

    fn headers<'a>(signature: &'a str, timestamp: &'a str) -> [(&'static str, &'a str); 2] {
        [
            ("X-Twilio-Email-Event-Webhook-Signature", signature),
            ("X-Twilio-Email-Event-Webhook-Timestamp", timestamp),
        ]
    }

    #[test]
    fn the_sdk_test_vector_and_its_negative_cases() {
        // sendgrid-python test/unit/test_eventwebhook.py (providers.md §4.6).
        assert!(verifier(PUBLIC).verify(&headers(SIGNATURE_B64, TIMESTAMP_TEXT), BODY).is_ok());
        let no_match =
            |v: Verifier, sig, ts, body: &[u8]| v.verify(&headers(sig, ts), body).unwrap_err().reason();
        assert_eq!(
            no_match(verifier(OTHER_PUBLIC), SIGNATURE_B64, TIMESTAMP_TEXT, BODY),
            "no_matching_signature"
        );
        assert_eq!(
            no_match(verifier(PUBLIC), WRONG_SIGNATURE, TIMESTAMP_TEXT, BODY),
            "no_matching_signature"
        );
        assert_eq!(no_match(verifier(PUBLIC), SIGNATURE_B64, "timestamp", BODY), "malformed_header");
        // Without the trailing CRLF the content differs.
        assert_eq!(
            no_match(verifier(PUBLIC), SIGNATURE_B64, TIMESTAMP_TEXT, &BODY[..BODY.len() - 2]),
            "no_matching_signature"
        );
    }

    #[test]
    fn verifies_signatures_made_with_the_private_key() {
        let key = SigningKey::from_slice(&[0x42; 32]).unwrap();
        // DER SubjectPublicKeyInfo: the fixed P-256 header, then the uncompressed point.
        let header =
            base16ct::lower::decode_vec("3059301306072a8648ce3d020106082a8648ce3d030107034200").unwrap();
        let point = key.verifying_key().to_sec1_point(false);
        let public = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            [header.as_slice(), point.as_bytes()].concat(),
        );
        let verifier =
            Verifier::builder(SendGrid).secret(&public).clock(FixedClock::at(1_700_000_000)).build().unwrap();
        let signature: DerSignature = key.sign(&[b"1700000000".as_slice(), b"[]\r\n"].concat());
        let signature =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, signature.as_bytes());
        let key = verifier.replay_key_of(&headers(&signature, "1700000000"), b"[]\r\n");
        assert!(key.as_str().starts_with("sendgrid:content:"));
        assert_eq!(verifier.sign(&Message::new(b"[]")).unwrap_err(), SignError::NoPrivateKey);
    }

    #[test]
    fn malformed_signatures_and_keys_are_refused() {
        for bad in ["", "AAAA", "%%%", &"A".repeat(200)] {
            let err = verifier(PUBLIC).verify(&headers(bad, TIMESTAMP_TEXT), BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad:?}");
        }
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{PUBLIC}\n-----END PUBLIC KEY-----");
        for secret in [pem.as_str(), "bm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0"] {
            assert_eq!(
                Verifier::builder(SendGrid).secret(secret).build().unwrap_err().reason(),
                "secret_format"
            );
        }
    }
}
