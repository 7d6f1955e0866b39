//! Mailgun.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{form, json_body};
use crate::error::{SignError, VerifyError};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

/// The delivery's `signature` object; everything else in the body is ignored. A repeated
/// field is an error (serde refuses duplicate fields).
#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    signature: Option<SignatureBlock<'a>>,
}

#[derive(Deserialize)]
struct SignatureBlock<'a> {
    #[serde(borrow)]
    timestamp: Option<&'a RawValue>,
    #[serde(borrow)]
    token: Option<&'a str>,
    #[serde(borrow)]
    signature: Option<&'a str>,
}

fn malformed(problem: &'static str) -> VerifyError {
    VerifyError::MalformedBody { problem }
}

/// [Mailgun](https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks)
/// webhooks: HMAC-SHA256 over `{timestamp}{token}`, both read **from the body**, as is the
/// signature. Feature `json`.
///
/// - No headers: the body carries
///   `"signature": {"timestamp": "<unix seconds>", "token": "<random>", "signature": "<hex>"}`
///   next to `"event-data"`. A body that is not a JSON object with exactly one of each is
///   refused (`malformed_body` or `missing_body_field`); the timestamp may be a JSON string or
///   number of canonical decimal seconds.
/// - Form-encoded posts (inbound routes' `forward()`, legacy webhooks): a body that does not
///   start with `{` or `[` is read as `application/x-www-form-urlencoded`, with the `timestamp`,
///   `token` and `signature` fields, each exactly once and written plainly (no `%` escape, no
///   `+`: Mailgun sends digits, letters and hex). The other fields (the message, its headers)
///   are not signed, as in the JSON form. Bodies sent as `multipart/form-data` (routes with
///   attachments) are not read.
/// - Signed content: the timestamp's digits immediately followed by the token. **The event
///   data is not signed**: a captured `signature` block authenticates any body it is pasted
///   into. Keep replay protection on (the token is the replay key, so a captured block is
///   accepted once) and the tolerance short.
/// - Secret: the **HTTP webhook signing key** from the dashboard (not the API key), used as it
///   is.
/// - Tolerance: Mailgun only asks that the timestamp be "not too far" from now; this preset
///   allows five minutes either way.
/// - Replay key: the token (Mailgun's advice), reported as [`Verified::id`](crate::Verified::id).
/// - Subaccount deliveries also carry `parent-signature`, made with the parent account's key;
///   this preset reads `signature` only. Legacy form-encoded webhooks are not covered.
/// - Signing: the signature lives in the body, so [`Verifier::sign`](crate::Verifier::sign)
///   answers [`SignError::SignatureInBody`]. [`Verifier::sign_body`](crate::Verifier::sign_body)
///   takes the delivery without its `signature` (a JSON object such as
///   `{"event-data":{...}}`, or a form such as `recipient=a%40b.example&subject=hi`), the token
///   as the message's [`id`](crate::Message::id) (Mailgun sends 50 random characters), and
///   inserts the `signature` object (or the `timestamp`, `token` and `signature` fields) first,
///   keeping every other byte.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Mailgun};
///
/// let verifier = Verifier::builder(Mailgun)
///     .secret("mailgun-webhook-signing-key-0123")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"signature":{"token":"a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0","timestamp":"1700000000","signature":"776116792b601d6a40445b71727bfd2bafdc329271819da9895afc17047fe2a3"},"event-data":{"event":"delivered"}}"#;
/// let verified = verifier.verify(&[] as &[(&str, &str)], body)?;
/// assert_eq!(verified.id(), Some("a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"));
/// assert_eq!(verified.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Mailgun;

impl Scheme for Mailgun {
    fn name(&self) -> &'static str {
        "mailgun"
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

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        if !is_json(request.body) {
            return parse_form(request.body, signed);
        }
        let body: Body<'r> = serde_json::from_slice(request.body)
            .map_err(|_| malformed("not a JSON object with one `signature` object of strings"))?;
        let block = body.signature.ok_or(VerifyError::MissingBodyField { field: "signature" })?;
        let raw = block.timestamp.ok_or(VerifyError::MissingBodyField { field: "signature.timestamp" })?;
        let digits = raw.get().as_bytes();
        // A JSON string of digits has no escapes, so its text between the quotes is its value.
        let digits = digits.strip_prefix(b"\"").and_then(|d| d.strip_suffix(b"\"")).unwrap_or(digits);
        let timestamp = Timestamp::parse_seconds(digits)
            .map_err(|_| malformed("`signature.timestamp` is not canonical decimal seconds"))?;
        let token = block.token.ok_or(VerifyError::MissingBodyField { field: "signature.token" })?;
        let hex = block.signature.ok_or(VerifyError::MissingBodyField { field: "signature.signature" })?;
        let tag = Tag::from_hex(hex.as_bytes(), Algorithm::HmacSha256)
            .map_err(|_| malformed("`signature.signature` is not the lowercase hex of an HMAC-SHA256"))?;
        signed.set_timestamp(timestamp);
        signed
            .set_id(token.as_bytes())
            .map_err(|_| malformed("`signature.token` is not 1 to 128 visible ASCII characters"))?;
        signed.push_signature(tag).map_err(malformed)
    }

    fn signed_content(&self, signed: &Signed<'_>, _: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.timestamp_bytes());
        feed(signed.id_bytes());
    }

    fn signs_whole_body(&self) -> bool {
        false
    }

    fn write_headers(&self, _: &Signed<'_>, _: &Tag, _: &mut SignedHeaders) -> Result<(), SignError> {
        Err(SignError::SignatureInBody)
    }

    fn write_body(&self, signed: &Signed<'_>, tag: &Tag, body: &[u8]) -> Result<Vec<u8>, SignError> {
        let token = signed.id().ok_or(SignError::MissingId)?;
        if !is_json(body) {
            return write_form(signed, token, tag, body);
        }
        let unsigned: Body<'_> = serde_json::from_slice(body).map_err(|_| SignError::UnsignableBody {
            problem: "expected the delivery as a JSON object, without its `signature`",
        })?;
        if unsigned.signature.is_some() {
            return Err(SignError::UnsignableBody { problem: "the body already has a `signature`" });
        }
        let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or_default();
        let member = format!(
            r#""signature":{{"token":{},"timestamp":"{}","signature":"{}"}}"#,
            json_body::string(token),
            String::from_utf8_lossy(signed.timestamp_bytes()),
            scheme::hex(tag),
        );
        json_body::insert_first_member(body, start, &member)
    }
}

/// Whether `body` is read as JSON: its first byte that is not white space opens an object or
/// an array (an array is refused later). Anything else is a form.
fn is_json(body: &[u8]) -> bool {
    matches!(body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['))
}

/// The form fields Mailgun signs with, in the order it sends them.
const FORM_FIELDS: [&str; 3] = ["timestamp", "token", "signature"];

/// Reads the three fields of a form-encoded post.
fn parse_form<'r>(body: &'r [u8], signed: &mut Signed<'r>) -> Result<(), VerifyError> {
    let (params, count) = form::params(body).map_err(malformed)?;
    let mut found: [Option<&'r [u8]>; 3] = [None; 3];
    for (name, value) in &params[..count] {
        let Some(slot) = FORM_FIELDS.iter().position(|field| field.as_bytes() == *name) else { continue };
        if found[slot].replace(value).is_some() {
            return Err(malformed("the form repeats `timestamp`, `token` or `signature`"));
        }
        if value.iter().any(|&b| b == b'%' || b == b'+') {
            return Err(malformed(
                "`timestamp`, `token` or `signature` is escaped; Mailgun writes them plainly",
            ));
        }
    }
    let [timestamp, token, hex] =
        [0, 1, 2].map(|slot| found[slot].ok_or(VerifyError::MissingBodyField { field: FORM_FIELDS[slot] }));
    let timestamp = Timestamp::parse_seconds(timestamp?)
        .map_err(|_| malformed("`timestamp` is not canonical decimal seconds"))?;
    let (token, hex) = (token?, hex?);
    let tag = Tag::from_hex(hex, Algorithm::HmacSha256)
        .map_err(|_| malformed("`signature` is not the lowercase hex of an HMAC-SHA256"))?;
    signed.set_timestamp(timestamp);
    signed.set_id(token).map_err(|_| malformed("`token` is not 1 to 128 visible ASCII characters"))?;
    signed.push_signature(tag).map_err(malformed)
}

/// A form-encoded post with the three signed fields first.
fn write_form(signed: &Signed<'_>, token: &str, tag: &Tag, body: &[u8]) -> Result<Vec<u8>, SignError> {
    let unsignable = |problem| SignError::UnsignableBody { problem };
    let (params, count) = form::params(body)
        .map_err(|_| unsignable("expected a form (`name=value&...`) with valid `%` escapes"))?;
    if params[..count].iter().any(|(name, _)| FORM_FIELDS.iter().any(|field| field.as_bytes() == *name)) {
        return Err(unsignable("the form already has a `timestamp`, `token` or `signature`"));
    }
    if !token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)) {
        return Err(unsignable("a form's token must be letters, digits or `-._~` (Mailgun's are)"));
    }
    let mut out = format!(
        "timestamp={}&token={token}&signature={}",
        String::from_utf8_lossy(signed.timestamp_bytes()),
        scheme::hex(tag)
    )
    .into_bytes();
    if count > 0 {
        out.push(b'&');
        out.extend_from_slice(body);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const NOW: i64 = 1_700_000_000;
    const TOKEN: &str = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
    /// HMAC-SHA256 of `1700000000` + TOKEN, computed independently with Python's `hmac`.
    const EXPECTED: &str = "776116792b601d6a40445b71727bfd2bafdc329271819da9895afc17047fe2a3";

    fn verifier(now: i64) -> Verifier {
        Verifier::builder(Mailgun)
            .secret("mailgun-webhook-signing-key-0123")
            .clock(FixedClock::at(now))
            .build()
            .unwrap()
    }

    fn verify(body: &str) -> Result<crate::Verified, VerifyError> {
        verifier(NOW).verify(&[] as &[(&str, &str)], body.as_bytes())
    }

    fn delivery(timestamp: &str, token: &str, signature: &str) -> String {
        format!(
            r#"{{"signature":{{"timestamp":{timestamp},"token":"{token}","signature":"{signature}"}},"event-data":{{"event":"opened"}}}}"#
        )
    }

    #[test]
    fn signs_into_the_body_and_verifies_the_recomputed_vector() {
        let body = verifier(NOW)
            .sign_body(&Message::new(br#" {"event-data":{"event":"opened"}}"#).id(TOKEN).timestamp(NOW))
            .unwrap();
        let expected = format!(
            r#" {{"signature":{{"token":"{TOKEN}","timestamp":"{NOW}","signature":"{EXPECTED}"}},"event-data":{{"event":"opened"}}}}"#
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
        let verified = verify(&expected).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (Some(TOKEN), Some(NOW)));
        let key = verifier(NOW).replay_key_of(&[] as &[(&str, &str)], expected.as_bytes());
        assert_eq!(key.as_str(), format!("mailgun:id:{TOKEN}"));
        // A JSON number is read like the string Mailgun sends.
        assert!(verify(&delivery(&NOW.to_string(), TOKEN, EXPECTED)).is_ok());
        // The event data is not signed: the same block verifies in another body.
        assert!(
            verify(&delivery(&format!("\"{NOW}\""), TOKEN, EXPECTED).replace("opened", "clicked")).is_ok()
        );
    }

    #[test]
    fn signing_needs_a_token_and_an_unsigned_object() {
        let verifier = verifier(NOW);
        let message = Message::new(b"{}").timestamp(NOW);
        assert_eq!(verifier.sign(&message.id(TOKEN)).unwrap_err(), SignError::SignatureInBody);
        assert_eq!(verifier.sign_body(&message).unwrap_err(), SignError::MissingId);
        for body in [&b"[]"[..], b"{not json", br#"{"signature":{}}"#, b"a=%zz", b"a=1&token=x"] {
            let err = verifier.sign_body(&Message::new(body).id(TOKEN)).unwrap_err();
            assert_eq!(err.reason(), "unsignable_body", "{}", String::from_utf8_lossy(body));
        }
        let empty = verifier.sign_body(&message.id(TOKEN)).unwrap();
        assert!(verifier.verify(&[] as &[(&str, &str)], &empty).is_ok());
        let github = Verifier::builder(crate::preset::GitHub).secret("0123456789abcdef").build().unwrap();
        assert_eq!(github.sign_body(&message).unwrap_err(), SignError::SignatureInHeaders);
    }

    #[test]
    fn stale_or_forged_blocks_are_refused() {
        let ts = format!("\"{NOW}\"");
        assert_eq!(
            verify(&delivery(&ts, &TOKEN.replace('a', "b"), EXPECTED)).unwrap_err().reason(),
            "no_matching_signature"
        );
        let old =
            verifier(NOW + 301).verify(&[] as &[(&str, &str)], delivery(&ts, TOKEN, EXPECTED).as_bytes());
        assert_eq!(old.unwrap_err().reason(), "timestamp_too_old");
        let ahead =
            verifier(NOW - 301).verify(&[] as &[(&str, &str)], delivery(&ts, TOKEN, EXPECTED).as_bytes());
        assert_eq!(ahead.unwrap_err().reason(), "timestamp_too_new");
    }

    #[test]
    fn the_signature_block_must_be_complete_and_well_formed() {
        let ts = format!("\"{NOW}\"");
        let cases = [
            ("{not json".to_owned(), "malformed_body"),
            ("not json".to_owned(), "missing_body_field"),
            (r#"{"event-data":{}}"#.to_owned(), "missing_body_field"),
            (r#"{"signature":{"token":"t","signature":"s"}}"#.to_owned(), "missing_body_field"),
            (
                format!(r#"{{"signature":{{"timestamp":{ts},"signature":"{EXPECTED}"}}}}"#),
                "missing_body_field",
            ),
            (format!(r#"{{"signature":{{"timestamp":{ts},"token":"{TOKEN}"}}}}"#), "missing_body_field"),
            (delivery("\"+1700000000\"", TOKEN, EXPECTED), "malformed_body"),
            (delivery("1.7e9", TOKEN, EXPECTED), "malformed_body"),
            (delivery(&ts, "has space", EXPECTED), "malformed_body"),
            (delivery(&ts, TOKEN, &EXPECTED.to_uppercase()), "malformed_body"),
            (delivery(&ts, TOKEN, &EXPECTED[..40]), "malformed_body"),
            (format!(r#"{{"signature":{{"timestamp":{ts},"timestamp":{ts}}}}}"#), "malformed_body"),
            (r#"{"signature":"x"}"#.to_owned(), "malformed_body"),
        ];
        for (body, reason) in cases {
            assert_eq!(verify(&body).unwrap_err().reason(), reason, "{body}");
        }
    }

    fn form(timestamp: &str, token: &str, signature: &str) -> String {
        format!(
            "recipient=bob%40example.com&timestamp={timestamp}&token={token}&signature={signature}&subject=Hi+there"
        )
    }

    #[test]
    fn form_encoded_posts_verify_like_json_ones() {
        let body = form(&NOW.to_string(), TOKEN, EXPECTED);
        let verified = verify(&body).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (Some(TOKEN), Some(NOW)));
        let key = verifier(NOW).replay_key_of(&[] as &[(&str, &str)], body.as_bytes());
        assert_eq!(key.as_str(), format!("mailgun:id:{TOKEN}"));
        // The rest of the form is not signed.
        assert!(verify(&body.replace("Hi+there", "Other")).is_ok());
        let signed = verifier(NOW)
            .sign_body(
                &Message::new(b"recipient=bob%40example.com&subject=Hi+there").id(TOKEN).timestamp(NOW),
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(signed).unwrap(),
            format!(
                "timestamp={NOW}&token={TOKEN}&signature={EXPECTED}&recipient=bob%40example.com&subject=Hi+there"
            )
        );
        let empty = verifier(NOW).sign_body(&Message::new(b"").id(TOKEN).timestamp(NOW)).unwrap();
        assert_eq!(
            String::from_utf8(empty).unwrap(),
            format!("timestamp={NOW}&token={TOKEN}&signature={EXPECTED}")
        );
        let spaced = verifier(NOW).sign_body(&Message::new(b"").id("a b").timestamp(NOW));
        assert!(spaced.is_err());
    }

    #[test]
    fn form_fields_must_be_there_once_and_plain() {
        let now = NOW.to_string();
        let cases = [
            (form(&now, &TOKEN.replace('a', "b"), EXPECTED), "no_matching_signature"),
            (form(&now, TOKEN, EXPECTED).replace("&signature=", "&sig="), "missing_body_field"),
            (form(&now, TOKEN, EXPECTED).replace("&token=", "&tok="), "missing_body_field"),
            (form(&now, TOKEN, EXPECTED).replace("&timestamp=", "&ts="), "missing_body_field"),
            (format!("{}&token={TOKEN}", form(&now, TOKEN, EXPECTED)), "malformed_body"),
            (form(&now, TOKEN, &EXPECTED.to_uppercase()), "malformed_body"),
            (form("%31700000000", TOKEN, EXPECTED), "malformed_body"),
            (form("+1700000000", TOKEN, EXPECTED), "malformed_body"),
            (form(&now, TOKEN, EXPECTED) + "&x=%zz", "malformed_body"),
            (String::new(), "missing_body_field"),
        ];
        for (body, reason) in cases {
            assert_eq!(verify(&body).unwrap_err().reason(), reason, "{body}");
        }
        let old = verifier(NOW + 301).verify(&[] as &[(&str, &str)], form(&now, TOKEN, EXPECTED).as_bytes());
        assert_eq!(old.unwrap_err().reason(), "timestamp_too_old");
    }
}
