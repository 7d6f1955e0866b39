//! Square.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-square-hmacsha256-signature"),
    display: "x-square-hmacsha256-signature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};

/// [Square](https://developer.squareup.com/docs/webhooks/step3validate): HMAC-SHA256 over
/// `{notification URL}{body}`.
///
/// - Header: `x-square-hmacsha256-signature: <base64>`. The legacy SHA-1 `x-square-signature`
///   is ignored.
/// - Signed content: the notification URL exactly as registered for the subscription, then the
///   raw body. Give it through [`Request::url`](crate::scheme::Request::url); without it verification
///   fails with [`VerifyError::UrlUnknown`] (500).
/// - Secret: the subscription's signature key, used as it is.
/// - Square signs **no timestamp**. Replay identity: `event_id` in the body, which Square
///   keeps across its retries and tells receivers to deduplicate on
///   (<https://developer.squareup.com/docs/webhooks/step4manage>).
///
/// # Example: the vector from Square's Python SDK tests
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{Verifier, preset::Square};
///
/// let verifier = Verifier::builder(Square).secret("Ibxx_5AKakO-3qeNVR61Dw").build()?;
/// let url = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9";
/// let body = br#"{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}"#;
/// let headers = [("x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=")];
/// assert!(verifier.verify_request(&Request::new(&headers, body).url(url)).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Square;

impl Scheme for Square {
    fn name(&self) -> &'static str {
        "square"
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
        Some("event_id")
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        SIGNATURE.parse(request, signed)?;
        signed.set_url(scheme::url(request)?);
        Ok(())
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.url().unwrap_or_default().as_bytes());
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        signed.url().ok_or(SignError::MissingUrl)?;
        SIGNATURE.write(tag, out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const URL: &str = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9";
    const BODY: &[u8] = br#"{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}"#;
    const GOOD: &str = "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=";

    fn verify(secret: &str, url: &str, body: &[u8]) -> Result<crate::Verified, VerifyError> {
        let verifier = Verifier::builder(Square).secret(secret).build().unwrap();
        verifier.verify_request(&Request::new(&[("x-square-hmacsha256-signature", GOOD)], body).url(url))
    }

    #[test]
    fn the_sdk_test_vector_and_its_negative_cases() {
        // square-python-sdk tests/utilities/test_webhooks_helper.py (providers.md §4.7).
        assert!(verify("Ibxx_5AKakO-3qeNVR61Dw", URL, BODY).is_ok());
        let short_url = "https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9";
        assert_eq!(
            verify("Ibxx_5AKakO-3qeNVR61Dw", short_url, BODY).unwrap_err().reason(),
            "no_matching_signature"
        );
        assert_eq!(
            verify("MCmhFRxGX82xMwg5FsaoQA", URL, BODY).unwrap_err().reason(),
            "no_matching_signature"
        );
        let pretty = String::from_utf8_lossy(BODY).replace(",\"", ",\n  \"");
        assert_eq!(
            verify("Ibxx_5AKakO-3qeNVR61Dw", URL, pretty.as_bytes()).unwrap_err().reason(),
            "no_matching_signature"
        );
    }

    #[test]
    fn signing_and_the_url() {
        let verifier = Verifier::builder(Square).secret("Ibxx_5AKakO-3qeNVR61Dw").build().unwrap();
        let headers = verifier.sign(&Message::new(BODY).url(URL)).unwrap();
        assert_eq!(headers.get("x-square-hmacsha256-signature"), Some(GOOD));
        assert_eq!(verifier.sign(&Message::new(BODY)).unwrap_err(), SignError::MissingUrl);
        assert_eq!(verifier.verify(&headers, BODY).unwrap_err().reason(), "url_unknown");
    }
}
