//! CircleCI.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("circleci-signature"),
    display: "circleci-signature",
    prefix: "v1=",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// [CircleCI](https://circleci.com/docs/webhooks/#validate-webhooks): HMAC-SHA256 over the raw
/// body.
///
/// - Header: `circleci-signature: v1=<hex>[,v1=<hex>...]`: a comma-separated list of versioned
///   signatures, any of which may match; entries of other versions are skipped.
/// - Secret: the webhook's secret, used as it is.
/// - CircleCI signs **no timestamp**. Replay identity: the event's `id` in the body, which
///   CircleCI keeps when it redelivers.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::CircleCi};
///
/// let verifier = Verifier::builder(CircleCi).secret("circleci-webhook-secret-0123").build()?;
/// let body = br#"{"id":"3888f21b-eaa7-38e3-8f3d-75a63bba8895","type":"workflow-completed","happened_at":"2023-11-14T22:13:20.000Z","workflow":{"status":"success"}}"#;
/// let headers = [("circleci-signature", "v1=19fc8c75dccea12a0c6fad9aa17b437eacbe159058274b9f1e13788baef4b4a4")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CircleCi;

impl Scheme for CircleCi {
    fn name(&self) -> &'static str {
        "circleci"
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
        Some("id")
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let value = scheme::required(request, &SIGNATURE.name)?;
        // Versions other than `v1` are for other verifiers, as in PagerDuty's list.
        for entry in scheme::split(value, b',') {
            let other_version =
                entry.starts_with(b"v") && !entry.starts_with(b"v1=") && entry.contains(&b'=');
            if !other_version {
                SIGNATURE.push(entry, signed)?;
            }
        }
        Ok(())
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(&self, _: &Signed<'_>, tag: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
        SIGNATURE.write(tag, out);
        Ok(())
    }
}
