//! Slack.

use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("x-slack-signature");
static TIMESTAMP: HeaderName = HeaderName::from_static("x-slack-request-timestamp");

/// [Slack](https://docs.slack.dev/authentication/verifying-requests-from-slack/): HMAC-SHA256
/// over `v0:{timestamp}:{body}`.
///
/// - Headers: `X-Slack-Request-Timestamp` (Unix seconds), `X-Slack-Signature: v0=<hex>`.
/// - Secret: the app's signing secret (not the deprecated verification token), used as it is.
/// - Tolerance: five minutes either way.
/// - Replay identity: the Events API's `event_id` in the body. Slack retries a delivery three
///   times, with a new `X-Slack-Request-Timestamp` and `X-Slack-Retry-Num` /
///   `X-Slack-Retry-Reason` (<https://api.slack.com/apis/events-api#retries>). Slash commands
///   and interactivity posts are forms without an id: their identity is the body.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Slack};
///
/// let verifier = Verifier::builder(Slack)
///     .secret("8f742231b10e8888abcd99yyyzzz85a5")
///     .clock(FixedClock::at(1531420618))
///     .build()?;
/// let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
/// let headers = [
///     ("X-Slack-Request-Timestamp", "1531420618"),
///     ("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"),
/// ];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Slack;

impl Scheme for Slack {
    fn name(&self) -> &'static str {
        "slack"
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

    fn event_id_field(&self) -> Option<&'static str> {
        Some("event_id")
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let [timestamp, header] = scheme::required_each(request, [&TIMESTAMP, &SIGNATURE])?;
        signed.set_timestamp(
            Timestamp::parse_seconds(timestamp).map_err(|problem| scheme::malformed(&TIMESTAMP, problem))?,
        );
        let malformed = |problem| scheme::malformed(&SIGNATURE, problem);
        let hex = header.strip_prefix(b"v0=").ok_or_else(|| malformed("expected `v0=<hex>`"))?;
        signed
            .push_signature(Tag::from_hex(hex, Algorithm::HmacSha256).map_err(malformed)?)
            .map_err(malformed)
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
        out.push("X-Slack-Request-Timestamp", String::from_utf8_lossy(signed.timestamp_bytes()));
        out.push("X-Slack-Signature", format!("v0={}", scheme::hex(tag)));
        Ok(())
    }
}
