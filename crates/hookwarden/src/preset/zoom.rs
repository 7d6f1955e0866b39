//! Zoom.

use super::signature_header::{SignatureHeader, timestamp_seconds, timestamp_text};
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-zm-signature"),
    display: "x-zm-signature",
    prefix: "v0=",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};
static TIMESTAMP: HeaderName = HeaderName::from_static("x-zm-request-timestamp");

/// [Zoom](https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events): HMAC-SHA256
/// over `v0:{timestamp}:{body}` (Slack's layout under Zoom's headers).
///
/// - Headers: `x-zm-request-timestamp` (Unix seconds), `x-zm-signature: v0=<hex>`.
/// - Secret: the app's secret token, used as it is.
/// - Tolerance: Zoom documents none; this preset allows five minutes either way.
/// - Replay identity: a digest of the body, without the timestamp. Zoom retries a delivery
///   with a new `x-zm-request-timestamp`; the body (with its `event_ts`) stays the same.
/// - Zoom validates endpoints with a signed `endpoint.url_validation` event that must be
///   answered with an HMAC of its `plainToken`: see [`handshake`](crate::handshake).
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Zoom};
///
/// let verifier = Verifier::builder(Zoom)
///     .secret("zoom-secret-token-0123456789")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"id":"1234567890"}},"event_ts":1700000000000}"#;
/// let headers = [
///     ("x-zm-request-timestamp", "1700000000"),
///     ("x-zm-signature", "v0=838c46bcce116ea674e563b421f2582c0140b7bc49564de1c8b9df7607626f12"),
/// ];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Zoom;

impl Scheme for Zoom {
    fn name(&self) -> &'static str {
        "zoom"
    }

    fn algorithm(&self) -> Algorithm {
        SIGNATURE.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Some(Tolerance::FIVE_MINUTES)
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        timestamp_seconds(request, &TIMESTAMP, signed)?;
        SIGNATURE.parse(request, signed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(b"v0:");
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
        out.push("x-zm-request-timestamp", timestamp_text(signed));
        SIGNATURE.write(tag, out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    #[test]
    fn signs_the_recomputed_vector_and_checks_the_window() {
        let verifier = Verifier::builder(Zoom)
            .secret("zoom-secret-token-0123456789")
            .clock(FixedClock::at(1_700_000_000))
            .build()
            .unwrap();
        let body = br#"{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"id":"1234567890"}},"event_ts":1700000000000}"#;
        let headers = verifier.sign(&Message::new(body).timestamp(1_700_000_000)).unwrap();
        // Computed independently with Python's `hmac`.
        assert_eq!(
            headers.get("x-zm-signature"),
            Some("v0=838c46bcce116ea674e563b421f2582c0140b7bc49564de1c8b9df7607626f12")
        );
        assert_eq!(verifier.verify(&headers, body).unwrap().timestamp(), Some(1_700_000_000));
        let late = verifier.sign(&Message::new(body).timestamp(1_700_000_000 - 301)).unwrap();
        assert_eq!(verifier.verify(&late, body).unwrap_err().reason(), "timestamp_too_old");
    }
}
