//! Shopify.

use crate::error::{SignError, VerifyError};
use crate::headers::{HeaderName, Lookup};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: HeaderName = HeaderName::from_static("x-shopify-hmac-sha256");
/// The name used by Shopify's newer "Events" deliveries, which drop the `X-`.
static EVENTS_SIGNATURE: HeaderName = HeaderName::from_static("shopify-hmac-sha256");

/// [Shopify](https://shopify.dev/docs/apps/build/webhooks/verify-deliveries): HMAC-SHA256 over
/// the raw body.
///
/// - Header: `X-Shopify-Hmac-Sha256: <base64>` (or `shopify-hmac-sha256` on Events deliveries).
/// - Secret: the app's client secret, used as it is. After a rotation Shopify may sign with the
///   old secret for up to an hour: configure both keys meanwhile.
/// - Shopify signs **no timestamp and no id**: `X-Shopify-Webhook-Id` is not covered by the
///   signature, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::Shopify};
///
/// let verifier = Verifier::builder(Shopify)
///     .key("current", "shpss_new_client_secret_0123456789")
///     .key("previous", "shpss_old_client_secret_0123456789")
///     .build()?;
/// let headers = verifier.sign(&Message::new(br#"{"id":1}"#))?;
/// assert_eq!(verifier.verify(&headers, br#"{"id":1}"#)?.key_id(), "current");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Shopify;

/// The unsigned header naming the delivery: [`Verified::delivery_id`](crate::Verified::delivery_id), for correlation only.
static DELIVERY: HeaderName = HeaderName::from_static("x-shopify-webhook-id");

impl Scheme for Shopify {
    fn delivery_id_header(&self) -> Option<&'static HeaderName> {
        Some(&DELIVERY)
    }

    fn name(&self) -> &'static str {
        "shopify"
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
        let name = match request.headers.lookup(&SIGNATURE) {
            Lookup::Missing if request.headers.lookup(&EVENTS_SIGNATURE) != Lookup::Missing => {
                &EVENTS_SIGNATURE
            }
            _ => &SIGNATURE,
        };
        let malformed = |problem| scheme::malformed(name, problem);
        let value = scheme::required(request, name)?;
        signed
            .push_signature(Tag::from_base64(value, Algorithm::HmacSha256).map_err(malformed)?)
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
        out.push("X-Shopify-Hmac-Sha256", scheme::base64(tag));
        if let Some(id) = signed.id() {
            out.push("X-Shopify-Webhook-Id", id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    #[test]
    fn events_deliveries_use_the_unprefixed_header() {
        let verifier = Verifier::builder(Shopify).secret("shpss_client_secret_0123456789").build().unwrap();
        let signed = verifier.sign(&Message::new(b"{}")).unwrap();
        let value = signed.get("x-shopify-hmac-sha256").unwrap();
        assert!(verifier.verify(&[("shopify-hmac-sha256", value)][..], b"{}").is_ok());
        assert_eq!(
            verifier.verify(&[("x-shopify-topic", "orders/create")][..], b"{}").unwrap_err().reason(),
            "missing_header"
        );
    }
}
