//! Trello.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-trello-webhook"),
    display: "X-Trello-Webhook",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha1,
};

/// [Trello](https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures):
/// HMAC-SHA1 over `{body}{callback URL}`.
///
/// - Header: `X-Trello-Webhook: <base64>`.
/// - Signed content: the raw body, then the `callbackURL` exactly as given when the webhook was
///   created. Give it through [`Request::url`](crate::scheme::Request::url); without it
///   verification fails with [`VerifyError::UrlUnknown`] (500).
/// - Secret: the application's API secret (the OAuth secret on the Power-Up admin page), used
///   as it is.
/// - Trello signs **no timestamp**. Replay identity: the action's `action.id` in the body.
/// - Trello's `HEAD` request when the webhook is created carries no signature and needs only a
///   200 answer; answer it in your router.
///
/// # Example
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{Verifier, preset::Trello};
///
/// let verifier = Verifier::builder(Trello).secret("trello-app-secret-0123456789abcdef").build()?;
/// let body = br#"{"action":{"id":"51f9424bcd6e040f3c002412","type":"updateCard"},"model":{"id":"4d5ea62fd76aa1136000000c","name":"Trello Development"}}"#;
/// let headers = vec![("X-Trello-Webhook", "7RhasC+pAU4A8rQmzTuXRDD4R1k=")];
/// let request = Request::new(&headers, body).url("https://hooks.example.com/trello");
/// assert!(verifier.verify_request(&request).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Trello;

impl Scheme for Trello {
    fn name(&self) -> &'static str {
        "trello"
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
        Some("action.id")
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        SIGNATURE.parse(request, signed)?;
        signed.set_url(scheme::url(request)?);
        Ok(())
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
        feed(signed.url().unwrap_or_default().as_bytes());
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
