//! Twitch EventSub.

use std::time::Duration;

use super::signature_header::{SignatureHeader, timestamp_text};
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::{Timestamp, TimestampFormat};
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("twitch-eventsub-message-signature"),
    display: "Twitch-Eventsub-Message-Signature",
    prefix: "sha256=",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};
static ID: HeaderName = HeaderName::from_static("twitch-eventsub-message-id");
static TIMESTAMP: HeaderName = HeaderName::from_static("twitch-eventsub-message-timestamp");

/// [Twitch EventSub](https://dev.twitch.tv/docs/eventsub/handling-webhook-events/) (webhook
/// transport): HMAC-SHA256 over `{message id}{message timestamp}{body}`.
///
/// - Headers: `Twitch-Eventsub-Message-Id`, `Twitch-Eventsub-Message-Timestamp` (RFC 3339,
///   nanoseconds), `Twitch-Eventsub-Message-Signature: sha256=<hex>`.
///   `Twitch-Eventsub-Message-Type` says whether the message is a notification, a revocation
///   or the subscription's verification challenge (see [`handshake`](crate::handshake)).
/// - Secret: the `transport.secret` you gave when subscribing, used as it is.
/// - Tolerance: ten minutes in the past, as Twitch asks, and five in the future.
/// - Replay key: the signed message id, which retries keep.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Twitch};
///
/// let verifier = Verifier::builder(Twitch)
///     .secret("twitch-eventsub-secret-01")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// let headers = [
///     ("Twitch-Eventsub-Message-Id", "e76c6bd4-55c9-4987-8304-da1588d8988b"),
///     ("Twitch-Eventsub-Message-Timestamp", "2023-11-14T22:13:20.123456789Z"),
///     ("Twitch-Eventsub-Message-Signature", "sha256=c91773e87c9d627d6ec567142b9189ff4a2f3e6b4ffcebfbb427fe57793515a3"),
/// ];
/// let body = br#"{"subscription":{"type":"channel.follow"},"event":{"user_name":"cool_user"}}"#;
/// assert_eq!(verifier.verify(&headers[..], body)?.id(), Some("e76c6bd4-55c9-4987-8304-da1588d8988b"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Twitch;

impl Scheme for Twitch {
    fn name(&self) -> &'static str {
        "twitch"
    }

    fn algorithm(&self) -> Algorithm {
        SIGNATURE.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Tolerance::new(Duration::from_secs(600), Duration::from_secs(300)).ok()
    }

    fn timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::Rfc3339
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let id = scheme::required(request, &ID)?;
        signed.set_id(id).map_err(|problem| scheme::malformed(&ID, problem))?;
        let timestamp = scheme::required(request, &TIMESTAMP)?;
        signed.set_timestamp(
            Timestamp::parse_rfc3339(timestamp).map_err(|problem| scheme::malformed(&TIMESTAMP, problem))?,
        );
        SIGNATURE.parse(request, signed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.id_bytes());
        feed(signed.timestamp_bytes());
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        out.push("Twitch-Eventsub-Message-Id", signed.id().ok_or(SignError::MissingId)?);
        out.push("Twitch-Eventsub-Message-Timestamp", timestamp_text(signed));
        SIGNATURE.write(tag, out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    fn verifier() -> Verifier {
        Verifier::builder(Twitch)
            .secret("twitch-eventsub-secret-01")
            .clock(FixedClock::at(1_700_000_000))
            .build()
            .unwrap()
    }

    #[test]
    fn signs_rfc_3339_timestamps_and_checks_ten_minutes() {
        let headers = verifier().sign(&Message::new(b"{}").id("m-1").timestamp(1_700_000_000)).unwrap();
        assert_eq!(headers.get("twitch-eventsub-message-timestamp"), Some("2023-11-14T22:13:20Z"));
        assert_eq!(verifier().verify(&headers, b"{}").unwrap().timestamp(), Some(1_700_000_000));
        let old = verifier().sign(&Message::new(b"{}").id("m-1").timestamp(1_700_000_000 - 599)).unwrap();
        assert!(verifier().verify(&old, b"{}").is_ok());
        let older = verifier().sign(&Message::new(b"{}").id("m-1").timestamp(1_700_000_000 - 601)).unwrap();
        assert_eq!(verifier().verify(&older, b"{}").unwrap_err().reason(), "timestamp_too_old");
        assert_eq!(verifier().sign(&Message::new(b"{}")).unwrap_err(), SignError::MissingId);
    }

    #[test]
    fn the_timestamp_is_signed_as_received() {
        let headers = verifier().sign(&Message::new(b"{}").id("m-1").timestamp(1_700_000_000)).unwrap();
        let mut pairs: Vec<(&str, &str)> = headers.iter().collect();
        // The same instant, spelled differently: the bytes are signed, so it no longer matches.
        pairs[1].1 = "2023-11-14T22:13:20.000Z";
        assert_eq!(verifier().verify(&pairs, b"{}").unwrap_err().reason(), "no_matching_signature");
        pairs[1].1 = "1700000000";
        assert_eq!(verifier().verify(&pairs, b"{}").unwrap_err().reason(), "malformed_header");
    }
}
