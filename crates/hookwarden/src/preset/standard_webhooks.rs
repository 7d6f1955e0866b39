//! Standard Webhooks, and Svix, which sends the same scheme under its own header names.

use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

/// [Standard Webhooks](https://www.standardwebhooks.com/): HMAC-SHA256 over
/// `{webhook-id}.{webhook-timestamp}.{body}`.
///
/// - Headers: `webhook-id`, `webhook-timestamp` (Unix seconds), `webhook-signature` holding a
///   space-separated list of `v1,<base64>`; other versions (such as `v1a`) are skipped.
/// - Secret: `whsec_` followed by base64; the key is the decoded bytes.
/// - Tolerance: five minutes either way. Replay key: the signed `webhook-id`.
///
/// Svix, Clerk, Resend and many others send this scheme; see [`Svix`] for their headers. The
/// asymmetric variant (`v1a`, Ed25519) is [`StandardWebhooksEd25519`](super::StandardWebhooksEd25519).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::StandardWebhooks};
///
/// let verifier = Verifier::builder(StandardWebhooks)
///     .secret(std::env::var("WEBHOOK_SECRET").unwrap_or("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()))
///     .build()?;
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct StandardWebhooks;

/// Svix: Standard Webhooks under `svix-id`, `svix-timestamp` and `svix-signature`.
///
/// Processed events are remembered for 28 hours, the length of Svix's retry schedule
/// (<https://docs.svix.com/retries>: 5 seconds, 5 minutes, 30 minutes, 2, 5, 10 and 10 hours).
///
/// Like Svix's own libraries, it reads the `svix-*` headers when `svix-id` is present and the
/// `webhook-*` headers otherwise (never a mix of both). Clerk and Resend send these headers.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::Svix};
///
/// let verifier = Verifier::builder(Svix).secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").build()?;
/// let body = br#"{"email":"test@example.com","username":"test_user"}"#;
/// let headers = verifier.sign(&Message::new(body).id("msg_27UH4WbU6Z5A5EzD8u03UvzRbpk").timestamp(1649367553))?;
/// assert_eq!(headers.get("svix-signature"), Some("v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Svix;

pub(super) struct Names {
    id: HeaderName,
    timestamp: HeaderName,
    signature: HeaderName,
}

pub(super) static WEBHOOK: Names = Names {
    id: HeaderName::from_static("webhook-id"),
    timestamp: HeaderName::from_static("webhook-timestamp"),
    signature: HeaderName::from_static("webhook-signature"),
};

static SVIX: Names = Names {
    id: HeaderName::from_static("svix-id"),
    timestamp: HeaderName::from_static("svix-timestamp"),
    signature: HeaderName::from_static("svix-signature"),
};

impl Scheme for StandardWebhooks {
    fn name(&self) -> &'static str {
        "standard-webhooks"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::WhsecBase64
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        parse(&WEBHOOK, V1, request, signed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        content(signed, body, feed);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        write(&WEBHOOK, signed, tag, out)
    }
}

impl Scheme for Svix {
    fn name(&self) -> &'static str {
        "svix"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::WhsecBase64
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn retries_for(&self) -> Option<std::time::Duration> {
        // Svix retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: about 27.6 hours.
        Some(std::time::Duration::from_secs(28 * 60 * 60))
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        // `parse` reads all three headers before it writes to `signed`: a missing `svix-id`
        // leaves nothing to undo.
        match parse(&SVIX, V1, request, signed) {
            Err(VerifyError::MissingHeader { header }) if header == SVIX.id => {
                parse(&WEBHOOK, V1, request, signed)
            }
            result => result,
        }
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        content(signed, body, feed);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        write(&SVIX, signed, tag, out)
    }
}

/// A signature version of the `webhook-signature` list and the algorithm it names.
pub(super) struct Version {
    pub(super) label: &'static [u8],
    pub(super) algorithm: Algorithm,
}

pub(super) const V1: Version = Version { label: b"v1", algorithm: Algorithm::HmacSha256 };

/// Reads the id, the timestamp and every signature of `version` out of the request.
pub(super) fn parse<'r>(
    names: &Names,
    version: Version,
    request: &Request<'r>,
    signed: &mut Signed<'r>,
) -> Result<(), VerifyError> {
    let [id, timestamp, list] =
        scheme::required_each(request, [&names.id, &names.timestamp, &names.signature])?;
    signed.set_id(id).map_err(|problem| scheme::malformed(&names.id, problem))?;
    signed.set_timestamp(
        Timestamp::parse_seconds(timestamp)
            .map_err(|problem| scheme::malformed(&names.timestamp, problem))?,
    );

    let malformed = |problem| scheme::malformed(&names.signature, problem);
    for entry in scheme::split(list, b' ').filter(|entry| !entry.is_empty()) {
        let comma = entry
            .iter()
            .position(|&b| b == b',')
            .ok_or_else(|| malformed("entry is not `version,signature`"))?;
        let (label, signature) = (&entry[..comma], &entry[comma + 1..]);
        // Other versions (`v1a` is Ed25519, `v1` HMAC) are for other verifiers; skipping them
        // is what the specification asks.
        if label == version.label {
            let tag = Tag::from_base64(signature, version.algorithm).map_err(malformed)?;
            signed.push_signature(tag).map_err(malformed)?;
        }
    }
    Ok(())
}

pub(super) fn content(signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
    feed(signed.id_bytes());
    feed(b".");
    feed(signed.timestamp_bytes());
    feed(b".");
    feed(body);
}

pub(super) fn write(
    names: &Names,
    signed: &Signed<'_>,
    tag: &Tag,
    out: &mut SignedHeaders,
) -> Result<(), SignError> {
    let id = signed.id().ok_or(SignError::MissingId)?;
    out.push(names.id.as_str(), id);
    out.push(names.timestamp.as_str(), String::from_utf8_lossy(signed.timestamp_bytes()));
    out.push(names.signature.as_str(), format!("v1,{}", scheme::base64(tag)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn verifier() -> Verifier {
        Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(1614265330)).build().unwrap()
    }

    fn headers(signature: &str) -> Vec<(&'static str, String)> {
        vec![
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek".into()),
            ("webhook-timestamp", "1614265330".into()),
            ("webhook-signature", signature.into()),
        ]
    }

    #[test]
    fn accepts_the_svix_published_vector() {
        let verified = verifier().verify(&headers(SIGNATURE), BODY).unwrap();
        assert_eq!(verified.id(), Some("msg_p5jXN8AQM9LWM0D4loKWxJek"));
        assert_eq!(verified.timestamp(), Some(1614265330));
    }

    #[test]
    fn any_v1_entry_may_match_and_other_versions_are_skipped() {
        let list = format!("v1a,AAAA v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=  {SIGNATURE}");
        assert!(verifier().verify(&headers(&list), BODY).is_ok());
    }

    #[test]
    fn empty_and_truncated_signatures_are_malformed() {
        for bad in ["v1,", "v1,g0hM9SsE", "v1", "v1,!!!!"] {
            let err = verifier().verify(&headers(bad), BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad}");
        }
    }

    #[test]
    fn only_other_versions_means_no_match() {
        let err = verifier().verify(&headers("v1a,AAAA"), BODY).unwrap_err();
        assert_eq!(err, VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 0 });
    }

    #[test]
    fn a_header_with_many_signatures_is_refused_before_any_mac_work() {
        let list = vec![SIGNATURE; 1000].join(" ");
        assert_eq!(verifier().verify(&headers(&list), BODY).unwrap_err().reason(), "malformed_header");
    }

    #[test]
    fn svix_reads_svix_headers_and_falls_back_to_webhook_headers() {
        let svix = Verifier::builder(Svix).secret(SECRET).clock(FixedClock::at(1614265330)).build().unwrap();
        assert!(svix.verify(&headers(SIGNATURE), BODY).is_ok());
        let signed =
            svix.sign(&Message::new(BODY).id("msg_p5jXN8AQM9LWM0D4loKWxJek").timestamp(1614265330)).unwrap();
        assert_eq!(signed.get("svix-signature"), Some(SIGNATURE));
        assert!(svix.verify(&signed, BODY).is_ok());
    }

    #[test]
    fn signing_needs_an_id() {
        assert_eq!(verifier().sign(&Message::new(BODY)).unwrap_err(), SignError::MissingId);
    }
}
