//! Paddle Billing.

use std::time::Duration;

use super::signature_header::timestamp_text;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("paddle-signature");
/// Paddle's SDKs allow five seconds, and its documentation says so.
const FIVE_SECONDS: Duration = Duration::from_secs(5);

/// [Paddle Billing](https://developer.paddle.com/webhooks/signature-verification): HMAC-SHA256
/// over `{ts}:{body}`.
///
/// - Header: `Paddle-Signature: ts=<unix seconds>;h1=<hex>[;h1=<hex>...]`; any `h1` may match
///   (rotation), other keys are ignored.
/// - Secret: the notification destination's secret key (`pdl_ntfset_...`), used as it is.
/// - Tolerance: **five seconds** either way, Paddle's documented default. Widen it with
///   [`VerifierBuilder::tolerance`](crate::VerifierBuilder::tolerance) if your clock drifts.
/// - Replay identity: `notification_id` in the body, one per delivery of an event to a
///   notification destination, kept when Paddle retries it with a new `ts`
///   (<https://developer.paddle.com/webhooks/respond-to-webhooks>). Paddle Classic (`p_signature`, RSA) is a different scheme.
///
/// # Example: the vector from Paddle's Python SDK tests
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Paddle};
///
/// let verifier = Verifier::builder(Paddle)
///     .secret("pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_WvRO0eL4Bj9rgYYIBZY6wZhG4EHy9jzh")
/// #   .clock(FixedClock::at(1696195954))
///     .build()?;
/// let header = "ts=1696195954;h1=d96299976a6eb066f484d7fde011ac56fc32b38fc9940bc419d6e537fdc6ef02";
/// assert!(verifier.verify(&[("Paddle-Signature", header)][..], b"hello-world").is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Paddle;

impl Scheme for Paddle {
    fn name(&self) -> &'static str {
        "paddle"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Tolerance::symmetric(FIVE_SECONDS).ok()
    }

    fn event_id_field(&self) -> Option<&'static str> {
        Some("notification_id")
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let malformed = |problem| scheme::malformed(&SIGNATURE, problem);
        let header = scheme::required(request, &SIGNATURE)?;
        let mut timestamp = None;
        for item in scheme::split(header, b';') {
            let eq =
                item.iter().position(|&b| b == b'=').ok_or_else(|| malformed("item is not `key=value`"))?;
            let (key, value) = (&item[..eq], &item[eq + 1..]);
            match key {
                b"ts" if timestamp.is_some() => return Err(malformed("more than one `ts`")),
                b"ts" => timestamp = Some(Timestamp::parse_seconds(value).map_err(malformed)?),
                b"h1" => signed
                    .push_signature(Tag::from_hex(value, Algorithm::HmacSha256).map_err(malformed)?)
                    .map_err(malformed)?,
                _ => {}
            }
        }
        signed.set_timestamp(timestamp.ok_or_else(|| malformed("no `ts` timestamp"))?);
        Ok(())
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.timestamp_bytes());
        feed(b":");
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        out.push("Paddle-Signature", format!("ts={};h1={}", timestamp_text(signed), scheme::hex(tag)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const SECRET: &str = "pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_WvRO0eL4Bj9rgYYIBZY6wZhG4EHy9jzh";
    const GOOD: &str = "d96299976a6eb066f484d7fde011ac56fc32b38fc9940bc419d6e537fdc6ef02";

    fn verifier(secret: &str, now: i64) -> Verifier {
        Verifier::builder(Paddle).secret(secret).clock(FixedClock::at(now)).build().unwrap()
    }

    #[test]
    fn the_sdk_test_vector_and_its_non_matching_secrets() {
        // paddle-python-sdk tests/Unit/Notification/test_Verifier.py (providers.md §4.5).
        let header = format!("ts=1696195954;h1={GOOD}");
        assert!(
            verifier(SECRET, 1_696_195_954)
                .verify(&[("Paddle-Signature", header.as_str())][..], b"hello-world")
                .is_ok()
        );
        for other in [
            "pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_TjIG2BXbm83HPXqNfziwe506sBEdqL/4",
            "pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_vB/yIOnTOCWIvpBadM5jzBZPHc7OmdSo",
        ] {
            let err = verifier(other, 1_696_195_954)
                .verify(&[("Paddle-Signature", header.as_str())][..], b"hello-world");
            assert_eq!(err.unwrap_err().reason(), "no_matching_signature");
        }
        // The SDK test's decoy `h1=dummy` is not hex: hookwarden refuses the header.
        let decoy = format!("ts=1696195954;h1=dummy;h1={GOOD}");
        let err = verifier(SECRET, 1_696_195_954)
            .verify(&[("Paddle-Signature", decoy.as_str())][..], b"hello-world");
        assert_eq!(err.unwrap_err().reason(), "malformed_header");
    }

    #[test]
    fn five_seconds_and_rotation() {
        let v = verifier(SECRET, 1_700_000_000);
        let late = v.sign(&Message::new(b"{}").timestamp(1_700_000_000 - 6)).unwrap();
        assert_eq!(v.verify(&late, b"{}").unwrap_err().reason(), "timestamp_too_old");
        let now = v.sign(&Message::new(b"{}").timestamp(1_700_000_000)).unwrap();
        let rotated = format!("{};h1={}", now.get("paddle-signature").unwrap(), "0".repeat(64));
        assert!(v.verify(&[("Paddle-Signature", rotated)][..], b"{}").is_ok());
    }
}
