//! GitHub.

use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("x-hub-signature-256");

/// [GitHub](https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hub-Signature-256: sha256=<hex>`. The legacy SHA-1 `X-Hub-Signature` is ignored.
/// - Secret: the webhook's secret, used as it is.
/// - GitHub signs **no timestamp and no id**: `X-GitHub-Delivery` is not covered by the
///   signature, so it is never trusted. Replay keys derive from the body's MAC, and only a
///   replay store stops a captured delivery from being replayed.
/// - GitHub sends bodies up to 25 MB; give your adapter a body limit to match.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::GitHub};
///
/// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
/// let headers = [("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")];
/// assert!(verifier.verify(&headers[..], b"Hello, World!").is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GitHub;

impl Scheme for GitHub {
    fn name(&self) -> &'static str {
        "github"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let malformed = |problem| scheme::malformed(&SIGNATURE, problem);
        let header = scheme::required(request, &SIGNATURE)?;
        let hex = header.strip_prefix(b"sha256=").ok_or_else(|| malformed("expected `sha256=<hex>`"))?;
        signed
            .push_signature(Tag::from_hex(hex, Algorithm::HmacSha256).map_err(malformed)?)
            .map_err(malformed)
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        out.push("X-Hub-Signature-256", format!("sha256={}", scheme::hex(tag)));
        if let Some(id) = signed.id() {
            out.push("X-GitHub-Delivery", id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    #[test]
    fn signs_the_documented_vector_and_never_trusts_the_delivery_header() {
        let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build().unwrap();
        let headers = verifier
            .sign(&Message::new(b"Hello, World!").id("72d3162e-cc78-11e3-81ab-4c9367dc0958"))
            .unwrap();
        assert_eq!(
            headers.get("x-hub-signature-256"),
            Some("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        );
        let verified = verifier.verify(&headers, b"Hello, World!").unwrap();
        assert_eq!(verified.id(), None);
        assert_eq!(verified.timestamp(), None);
    }

    #[test]
    fn the_prefix_is_required() {
        let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build().unwrap();
        let headers =
            [("X-Hub-Signature-256", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")];
        assert_eq!(verifier.verify(&headers[..], b"Hello, World!").unwrap_err().reason(), "malformed_header");
    }
}
