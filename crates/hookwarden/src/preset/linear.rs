//! Linear.

use std::time::Duration;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("linear-signature"),
    display: "Linear-Signature",
    prefix: "",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// The one field read out of the body. Borrowing the number's text keeps it exact and
/// allocation-free; a repeated field is an error (serde refuses duplicate fields).
#[derive(Deserialize)]
struct Body<'a> {
    #[serde(rename = "webhookTimestamp", borrow)]
    webhook_timestamp: Option<&'a RawValue>,
}

/// [Linear](https://linear.app/developers/webhooks#securing-webhooks): HMAC-SHA256 over the raw
/// body, whose `webhookTimestamp` field is the signed timestamp. Feature `json`.
///
/// - Header: `Linear-Signature: <hex>`. `Linear-Delivery` is not signed, so it is never trusted.
/// - Timestamp: the body's top-level `webhookTimestamp`, Unix **milliseconds** as a JSON
///   number. It is covered by the MAC because the whole body is. A body that is not JSON, or
///   that has no such field or two of them, is refused.
/// - Secret: the webhook's signing secret, used as it is.
/// - Tolerance: one minute either way, as Linear's SDK checks.
/// - Replay identity: a digest of the body without the value of its `webhookTimestamp`,
///   which changes when Linear retries. `Linear-Delivery` is not signed, and `webhookId` names
///   the webhook, not the event.
/// - Signing MACs the body as given: put `webhookTimestamp` in it yourself.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Linear};
///
/// let verifier = Verifier::builder(Linear)
///     .secret("lin_wh_signing_secret_0123456789")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"action":"create","type":"Issue","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9"},"webhookTimestamp":1700000000000}"#;
/// let headers = [("Linear-Signature", "f50f7800c8433b250c7b16788cc53304c3ac27526052371fb324d5a5d93a40c2")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Linear;

/// The unsigned header naming the delivery: [`Verified::delivery_id`](crate::Verified::delivery_id), for correlation only.
static DELIVERY: HeaderName = HeaderName::from_static("linear-delivery");

impl Scheme for Linear {
    fn delivery_id_header(&self) -> Option<&'static HeaderName> {
        Some(&DELIVERY)
    }

    fn name(&self) -> &'static str {
        "linear"
    }

    fn algorithm(&self) -> Algorithm {
        SIGNATURE.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Tolerance::symmetric(Duration::from_secs(60)).ok()
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        SIGNATURE.parse(request, signed)?;
        let body: Body<'r> = serde_json::from_slice(request.body).map_err(|_| {
            VerifyError::MalformedBody { problem: "not a JSON object with one `webhookTimestamp`" }
        })?;
        let raw =
            body.webhook_timestamp.ok_or(VerifyError::MissingBodyField { field: "webhookTimestamp" })?;
        let timestamp =
            Timestamp::parse_millis(raw.get().as_bytes()).map_err(|_| VerifyError::MalformedBody {
                problem: "`webhookTimestamp` is not whole milliseconds as a JSON number",
            })?;
        signed.set_timestamp(timestamp);
        Ok(())
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        // The body around the timestamp's digits, which `parse` borrowed from it.
        let digits = signed.timestamp_bytes();
        let start = (digits.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
        match body.get(start..start.wrapping_add(digits.len())) {
            Some(inside) if !digits.is_empty() && inside.as_ptr() == digits.as_ptr() => {
                feed(&body[..start]);
                feed(&body[start + digits.len()..]);
            }
            _ => feed(body),
        }
    }

    fn write_headers(&self, _: &Signed<'_>, tag: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
        SIGNATURE.write(tag, out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const BODY: &[u8] = br#"{"action":"create","type":"Issue","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9"},"webhookTimestamp":1700000000000}"#;

    fn verifier(now: i64) -> Verifier {
        Verifier::builder(Linear)
            .secret("lin_wh_signing_secret_0123456789")
            .clock(FixedClock::at(now))
            .build()
            .unwrap()
    }

    fn verify(body: &[u8], now: i64) -> Result<crate::Verified, VerifyError> {
        let headers = verifier(now).sign(&Message::new(body)).unwrap();
        verifier(now).verify(&headers, body)
    }

    #[test]
    fn signs_the_recomputed_vector_and_reads_the_body_timestamp() {
        let headers = verifier(1_700_000_000).sign(&Message::new(BODY)).unwrap();
        // Computed independently with Python's `hmac`.
        assert_eq!(
            headers.get("linear-signature"),
            Some("f50f7800c8433b250c7b16788cc53304c3ac27526052371fb324d5a5d93a40c2")
        );
        assert_eq!(verify(BODY, 1_700_000_000).unwrap().timestamp(), Some(1_700_000_000));
        assert!(verify(BODY, 1_700_000_060).is_ok());
        assert_eq!(verify(BODY, 1_700_000_061).unwrap_err().reason(), "timestamp_too_old");
        assert_eq!(verify(BODY, 1_699_999_939).unwrap_err().reason(), "timestamp_too_new");
    }

    #[test]
    fn the_body_must_carry_exactly_one_numeric_timestamp() {
        let cases: [(&[u8], &str); 6] = [
            (b"not json", "malformed_body"),
            (br#"{"action":"create"}"#, "missing_body_field"),
            (br#"{"webhookTimestamp":"1700000000000"}"#, "malformed_body"),
            (br#"{"webhookTimestamp":1.7e12}"#, "malformed_body"),
            (br#"{"webhookTimestamp":1700000000000,"webhookTimestamp":1700000000000}"#, "malformed_body"),
            (br#"{"data":{"webhookTimestamp":1700000000000}}"#, "missing_body_field"),
        ];
        for (body, reason) in cases {
            assert_eq!(
                verify(body, 1_700_000_000).unwrap_err().reason(),
                reason,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
