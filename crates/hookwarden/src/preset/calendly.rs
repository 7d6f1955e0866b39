//! Calendly.

use std::time::Duration;

use super::signature_header::{parse_t_v1, timestamp_text};
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("calendly-webhook-signature");
/// Calendly's sample code allows three minutes.
const THREE_MINUTES: Duration = Duration::from_secs(180);

/// [Calendly](https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures):
/// HMAC-SHA256 over `{t}.{body}`.
///
/// - Header: `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex>`.
/// - Secret: the webhook signing key (the one you set on a personal-access-token subscription,
///   or the one generated for your OAuth app), used as it is.
/// - Tolerance: three minutes either way, as in Calendly's sample code.
/// - Replay identity: a digest of the body, without the timestamp: there is no event id.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Calendly};
///
/// let verifier = Verifier::builder(Calendly)
///     .secret("calendly-signing-key-0123456789")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"event":"invitee.created","created_at":"2023-11-14T22:13:20.000000Z"}"#;
/// let header = "t=1700000000,v1=3815278d5bed2aae714aa4ce9356866443f8139505fec19e0840a97bc1dc0bde";
/// assert!(verifier.verify(&[("Calendly-Webhook-Signature", header)][..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Calendly;

impl Scheme for Calendly {
    fn name(&self) -> &'static str {
        "calendly"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        Tolerance::symmetric(THREE_MINUTES).ok()
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        parse_t_v1(request, &SIGNATURE, signed)
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
        out.push(
            "Calendly-Webhook-Signature",
            format!("t={},v1={}", timestamp_text(signed), scheme::hex(tag)),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    #[test]
    fn signs_the_recomputed_vector_within_three_minutes() {
        let verifier = Verifier::builder(Calendly)
            .secret("calendly-signing-key-0123456789")
            .clock(FixedClock::at(1_700_000_000))
            .build()
            .unwrap();
        assert_eq!(verifier.tolerance(), Tolerance::symmetric(THREE_MINUTES).ok());
        let body = br#"{"event":"invitee.created","created_at":"2023-11-14T22:13:20.000000Z"}"#;
        let headers = verifier.sign(&Message::new(body).timestamp(1_700_000_000)).unwrap();
        // Computed independently with Python's `hmac`.
        assert_eq!(
            headers.get("calendly-webhook-signature"),
            Some("t=1700000000,v1=3815278d5bed2aae714aa4ce9356866443f8139505fec19e0840a97bc1dc0bde")
        );
        assert!(verifier.verify(&headers, body).is_ok());
        let late = verifier.sign(&Message::new(body).timestamp(1_700_000_000 - 181)).unwrap();
        assert_eq!(verifier.verify(&late, body).unwrap_err().reason(), "timestamp_too_old");
    }
}
