//! Stripe.

use std::time::Duration;

use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("stripe-signature");

/// [Stripe](https://docs.stripe.com/webhooks#verify-manually): HMAC-SHA256 over `{t}.{body}`.
///
/// - Header: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`. Every `v1` may match;
///   other schemes (the `v0` test-mode decoy) are ignored, as Stripe asks, to prevent downgrades.
/// - Secret: the endpoint's signing secret `whsec_...`, used as it is (unlike Standard Webhooks,
///   it is **not** base64-decoded). An API key (`sk_...`) is refused with a clear error.
/// - Tolerance: five minutes. Stripe's SDKs accept any future timestamp; this preset also
///   refuses timestamps more than five minutes ahead.
/// - Replay identity: the event's `id` (`evt_...`) in the body, kept for three days. Stripe
///   retries a delivery for up to three days and re-signs each attempt with a new `t=`; the
///   body's `pending_webhooks` changes too. Its docs say to guard against duplicates by the event id
///   (<https://docs.stripe.com/webhooks#handle-duplicate-events>).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Stripe};
///
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
/// assert_eq!(
///     Verifier::builder(Stripe).secret("sk_live_0123456789abcdef").build().unwrap_err().reason(),
///     "secret_format",
/// );
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Stripe;

impl Scheme for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn check_secret(&self, secret: &[u8]) -> Result<(), &'static str> {
        if secret.starts_with(b"whsec_") {
            Ok(())
        } else if [&b"sk_"[..], b"rk_", b"pk_"].iter().any(|api| secret.starts_with(api)) {
            Err("this is a Stripe API key; use the endpoint's signing secret (`whsec_...`)")
        } else {
            Err("expected the endpoint's signing secret, which starts with `whsec_`")
        }
    }

    fn event_id_field(&self) -> Option<&'static str> {
        Some("id")
    }

    fn retries_for(&self) -> Option<Duration> {
        // "In live mode, Stripe attempts to deliver your webhooks for up to three days."
        Some(Duration::from_secs(3 * 24 * 60 * 60))
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let malformed = |problem| scheme::malformed(&SIGNATURE, problem);
        let header = scheme::required(request, &SIGNATURE)?;
        let mut timestamp = None;
        // Stripe's own parsers split on `,` then on the first `=`, without trimming.
        for item in scheme::split(header, b',') {
            let eq =
                item.iter().position(|&b| b == b'=').ok_or_else(|| malformed("item is not `key=value`"))?;
            let (key, value) = (&item[..eq], &item[eq + 1..]);
            match key {
                b"t" if timestamp.is_some() => return Err(malformed("more than one `t`")),
                b"t" => timestamp = Some(Timestamp::parse_seconds(value).map_err(malformed)?),
                b"v1" => signed
                    .push_signature(Tag::from_hex(value, Algorithm::HmacSha256).map_err(malformed)?)
                    .map_err(malformed)?,
                _ => {}
            }
        }
        signed.set_timestamp(timestamp.ok_or_else(|| malformed("no `t` timestamp"))?);
        Ok(())
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.timestamp_bytes());
        feed(b".");
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        let t = String::from_utf8_lossy(signed.timestamp_bytes());
        out.push("Stripe-Signature", format!("t={t},v1={}", scheme::hex(tag)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const NOW: i64 = 1_700_000_000;

    fn verifier() -> Verifier {
        Verifier::builder(Stripe)
            .secret("whsec_test_secret_0123456789")
            .clock(FixedClock::at(NOW))
            .build()
            .unwrap()
    }

    fn v1(body: &[u8]) -> String {
        let headers = verifier().sign(&Message::new(body).timestamp(NOW)).unwrap();
        let header = headers.get("stripe-signature").unwrap();
        header.split_once(",v1=").unwrap().1.to_owned()
    }

    fn verify(header: String, body: &[u8]) -> Result<crate::Verified, VerifyError> {
        verifier().verify(&[("Stripe-Signature", header)][..], body)
    }

    #[test]
    fn any_v1_may_match_and_v0_is_ignored() {
        let good = v1(b"{}");
        let decoy = "0".repeat(64);
        assert!(verify(format!("t={NOW},v1={decoy},v0={good},v1={good}"), b"{}").is_ok());
        assert_eq!(
            verify(format!("t={NOW},v0={good}"), b"{}").unwrap_err(),
            VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 0 }
        );
    }

    #[test]
    fn the_timestamp_is_required_once_and_strict() {
        let good = v1(b"{}");
        for header in [
            format!("v1={good}"),
            format!("t={NOW},t={NOW},v1={good}"),
            format!("t=+{NOW},v1={good}"),
            format!("t= {NOW},v1={good}"),
        ] {
            let err = verify(header.clone(), b"{}").unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{header}: {err}");
        }
        // Like Stripe's parsers, no trimming: ` v1` is another scheme, so nothing matches.
        let err = verify(format!("t={NOW}, v1={good}"), b"{}").unwrap_err();
        assert_eq!(err, VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 0 });
    }

    #[test]
    fn future_timestamps_beyond_the_window_are_refused() {
        let verifier = verifier();
        let headers = verifier.sign(&Message::new(b"{}").timestamp(NOW + 301)).unwrap();
        assert_eq!(verifier.verify(&headers, b"{}").unwrap_err().reason(), "timestamp_too_new");
    }
}
