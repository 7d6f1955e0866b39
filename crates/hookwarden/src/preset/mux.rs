//! Mux.

use super::signature_header::{parse_t_v1, timestamp_text};
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("mux-signature");

/// [Mux](https://www.mux.com/docs/core/verify-webhook-signatures): HMAC-SHA256 over
/// `{t}.{body}`.
///
/// - Header: `Mux-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`; any `v1` may match,
///   other schemes are ignored.
/// - Secret: the webhook's signing secret, used as it is.
/// - Tolerance: five minutes. Mux's SDK accepts any future timestamp; this preset also refuses
///   timestamps more than five minutes ahead.
/// - Replay identity: the event's `id` in the body. Mux retries a delivery that is not
///   answered 2xx, re-signed (<https://docs.mux.com/core/listen-for-webhooks>).
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Mux};
///
/// let verifier = Verifier::builder(Mux)
///     .secret("mux-signing-secret-0123456789ab")
/// #   .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"type":"video.asset.ready","id":"3a56ac3d-33da-4366-855b-f592d898409d"}"#;
/// let header = "t=1700000000,v1=e97b898d7e21fde63c3b4a8b42a2369de4f1e4556aa940939cd49102d6c62d93";
/// assert!(verifier.verify(&[("Mux-Signature", header)][..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Mux;

impl Scheme for Mux {
    fn name(&self) -> &'static str {
        "mux"
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
        Some("id")
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
        out.push("Mux-Signature", format!("t={},v1={}", timestamp_text(signed), scheme::hex(tag)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    const BODY: &[u8] = br#"{"type":"video.asset.ready","id":"3a56ac3d-33da-4366-855b-f592d898409d"}"#;

    fn verifier() -> Verifier {
        Verifier::builder(Mux)
            .secret("mux-signing-secret-0123456789ab")
            .clock(FixedClock::at(1_700_000_000))
            .build()
            .unwrap()
    }

    #[test]
    fn signs_the_recomputed_vector_and_accepts_any_v1() {
        let headers = verifier().sign(&Message::new(BODY).timestamp(1_700_000_000)).unwrap();
        // Computed independently with Python's `hmac`.
        let good = "e97b898d7e21fde63c3b4a8b42a2369de4f1e4556aa940939cd49102d6c62d93";
        assert_eq!(headers.get("mux-signature"), Some(format!("t=1700000000,v1={good}").as_str()));
        let rotated = format!("t=1700000000,v1={},v0=x,v1={good}", "0".repeat(64));
        assert!(verifier().verify(&[("Mux-Signature", rotated)][..], BODY).is_ok());
        for bad in [
            format!("v1={good}"),
            format!("t=1700000000,t=1700000000,v1={good}"),
            "t=1700000000,v1=zz".into(),
        ] {
            let err = verifier().verify(&[("Mux-Signature", bad.clone())][..], BODY).unwrap_err();
            assert_eq!(err.reason(), "malformed_header", "{bad}");
        }
    }
}
