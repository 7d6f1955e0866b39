//! HubSpot (v3 request signatures).

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
    name: HeaderName::from_static("x-hubspot-signature-v3"),
    display: "X-HubSpot-Signature-v3",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};
static TIMESTAMP: HeaderName = HeaderName::from_static("x-hubspot-request-timestamp");

/// The escapes HubSpot's documentation says to decode in the URI before signing.
const DECODED: [(&[u8; 3], u8); 12] = [
    (b"%3A", b':'),
    (b"%2F", b'/'),
    (b"%3F", b'?'),
    (b"%40", b'@'),
    (b"%21", b'!'),
    (b"%24", b'$'),
    (b"%27", b'\''),
    (b"%28", b'('),
    (b"%29", b')'),
    (b"%2A", b'*'),
    (b"%2C", b','),
    (b"%3B", b';'),
];

/// [HubSpot](https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation)
/// v3 signatures: HMAC-SHA256 over `{method}{URI}{body}{timestamp}`.
///
/// - Headers: `X-HubSpot-Signature-v3: <base64>`, `X-HubSpot-Request-Timestamp` (Unix
///   **milliseconds**). The legacy v1/v2 headers (plain SHA-256, no timestamp) are ignored.
/// - Signed content: the HTTP method, the full public URL HubSpot called (with its query), the
///   raw body and the timestamp as received. Give the method and URL through
///   [`Request`](crate::scheme::Request); without them verification fails with
///   [`VerifyError::MethodUnknown`] or [`VerifyError::UrlUnknown`] (500).
/// - HubSpot's documentation decodes a few `%`-escapes (`%3A`, `%2F`, `%3F`, `%40`, `%21`,
///   `%24`, `%27`, `%28`, `%29`, `%2A`, `%2C`, `%3B`) in the URI before signing, while its SDKs
///   sign the URI as given: both are tried.
/// - Secret: the app's client secret, used as it is.
/// - Tolerance: five minutes either way.
/// - Replay identity: a digest of the method, the URL with HubSpot's escapes decoded, and the
///   body, without the timestamp. A delivery is a batch of events (`eventId` each), and both
///   spellings of the URL that verify give the same key.
///
/// # Example: the vector from HubSpot's Python SDK tests
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{FixedClock, Verifier, preset::HubSpot};
///
/// let verifier = Verifier::builder(HubSpot)
///     .secret("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy")
/// #   .clock(FixedClock::at(15000))
///     .build()?;
/// let headers = [
///     ("X-HubSpot-Signature-v3", "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="),
///     ("X-HubSpot-Request-Timestamp", "15000000"),
/// ];
/// let body = b"{'example_field':'example_value'}";
/// let request = Request::new(&headers, body).method("POST").url("https://www.example.com/webhook_uri");
/// assert!(verifier.verify_request(&request).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HubSpot;

impl Scheme for HubSpot {
    fn name(&self) -> &'static str {
        "hubspot"
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

    fn timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::Millis
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let raw = scheme::required(request, &TIMESTAMP)?;
        signed.set_timestamp(
            Timestamp::parse_millis(raw).map_err(|problem| scheme::malformed(&TIMESTAMP, problem))?,
        );
        SIGNATURE.parse(request, signed)?;
        signed.set_method(scheme::method(request)?);
        let url = scheme::url(request)?;
        signed.set_url(url);
        if has_decodable_escape(url.as_bytes()) {
            signed.set_variants(2).map_err(|problem| VerifyError::MalformedBody { problem })?;
        }
        Ok(())
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.method().unwrap_or_default().as_bytes());
        let url = signed.url().unwrap_or_default().as_bytes();
        if signed.variant() == 1 {
            feed_decoded(url, feed);
        } else {
            feed(url);
        }
        feed(body);
        feed(signed.timestamp_bytes());
    }

    fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        // Always the decoded spelling: every URL that verifies decodes to it.
        feed(signed.method().unwrap_or_default().as_bytes());
        feed_decoded(signed.url().unwrap_or_default().as_bytes(), feed);
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        signed.method().ok_or(SignError::MissingMethod)?;
        signed.url().ok_or(SignError::MissingUrl)?;
        SIGNATURE.write(tag, out);
        out.push("X-HubSpot-Request-Timestamp", timestamp_text(signed));
        Ok(())
    }
}

fn decodable(escape: &[u8]) -> Option<u8> {
    DECODED.iter().find(|(code, _)| escape.eq_ignore_ascii_case(*code)).map(|(_, byte)| *byte)
}

fn has_decodable_escape(url: &[u8]) -> bool {
    url.windows(3).any(|window| decodable(window).is_some())
}

/// Feeds `url` with the documented escapes decoded, slice by slice.
fn feed_decoded(url: &[u8], feed: &mut dyn FnMut(&[u8])) {
    let mut start = 0;
    let mut at = 0;
    while at + 3 <= url.len() {
        match decodable(&url[at..at + 3]) {
            Some(byte) => {
                feed(&url[start..at]);
                feed(&[byte]);
                at += 3;
                start = at;
            }
            None => at += 1,
        }
    }
    feed(&url[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

    fn verifier(now: i64) -> Verifier {
        Verifier::builder(HubSpot).secret(SECRET).clock(FixedClock::at(now)).build().unwrap()
    }

    #[test]
    fn signing_at_time_zero_writes_a_valid_millisecond_timestamp() {
        let message = Message::new(b"{}").method("POST").url("https://example.com/hook").timestamp(0);
        let headers = verifier(0).sign(&message).unwrap();
        assert_eq!(headers.get("x-hubspot-request-timestamp"), Some("0"));
    }

    #[test]
    fn the_sdk_test_vector() {
        // hubspot-api-python tests/spec/utils/test_signature.py (providers.md §4.8).
        let headers = [
            ("X-HubSpot-Signature-v3", "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="),
            ("X-HubSpot-Request-Timestamp", "15000000"),
        ];
        let body = b"{'example_field':'example_value'}";
        let request = Request::new(&headers, body).method("POST").url("https://www.example.com/webhook_uri");
        assert!(verifier(15_000).verify_request(&request).is_ok());
        assert_eq!(
            verifier(15_000).verify_request(&request.method("GET")).unwrap_err().reason(),
            "no_matching_signature"
        );
        assert_eq!(verifier(15_301).verify_request(&request).unwrap_err().reason(), "timestamp_too_old");
        let err = verifier(15_000)
            .verify_request(&Request::new(&headers, body).url("https://x.test/"))
            .unwrap_err();
        assert_eq!((err.reason(), err.status()), ("method_unknown", 500));
    }

    #[test]
    fn signs_milliseconds_and_accepts_the_documented_uri_decoding() {
        let verifier = verifier(1_700_000_000);
        let decoded_url = "https://example.com/hook?from=a@b.c&list=(1,2)";
        let encoded_url = "https://example.com/hook?from=a%40b.c&list=%281%2C2%29";
        // HubSpot (per its docs) signs the decoded URI; the receiver sees the encoded one.
        let headers = verifier
            .sign(&Message::new(b"[]").method("POST").url(decoded_url).timestamp(1_700_000_000))
            .unwrap();
        assert_eq!(headers.get("x-hubspot-request-timestamp"), Some("1700000000000"));
        let request = Request::new(&headers, b"[]").method("POST");
        assert!(verifier.verify_request(&request.url(encoded_url)).is_ok());
        assert!(verifier.verify_request(&request.url(decoded_url)).is_ok());
        assert_eq!(
            verifier
                .verify_request(&request.url("https://example.com/hook?from=a%40b.d"))
                .unwrap_err()
                .reason(),
            "no_matching_signature"
        );
        assert_eq!(
            verifier.sign(&Message::new(b"[]").url(decoded_url)).unwrap_err(),
            SignError::MissingMethod
        );
    }
}
