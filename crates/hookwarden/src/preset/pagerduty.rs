//! PagerDuty (webhooks v3).

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-pagerduty-signature"),
    display: "X-PagerDuty-Signature",
    prefix: "v1=",
    encoding: Encoding::Hex,
    algorithm: Algorithm::HmacSha256,
};

/// [PagerDuty (webhooks v3)](https://developer.pagerduty.com/docs/webhooks/webhook-signatures/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]`: during a secret rotation PagerDuty
///   sends one signature per secret, and any may match. Entries of other versions are skipped.
/// - Secret: the subscription's signing secret, used as it is.
/// - PagerDuty signs **no timestamp and no id**: `X-Webhook-Id` (kept across retries) is not
///   covered by the signature, so replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::PagerDuty};
///
/// let verifier = Verifier::builder(PagerDuty).secret("pagerduty-subscription-secret").build()?;
/// let headers = [("X-PagerDuty-Signature", "v1=46d3899bbc9e9190d99631fa3eab64b3a98bc9071242babaaa6d1e28cbc05f7f")];
/// assert!(verifier.verify(&headers[..], br#"{"event":{"id":"01DEN4HPBQAJ8VM5CBOHDXTK6A","event_type":"incident.triggered"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct PagerDuty;

impl Scheme for PagerDuty {
    fn name(&self) -> &'static str {
        "pagerduty"
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

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let value = scheme::required(request, &SIGNATURE.name)?;
        // Rotation sends one `v1=` per secret; entries of other versions are for other verifiers.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Verifier;

    const SECRET: &str = "pagerduty-subscription-secret";
    const BODY: &[u8] = br#"{"event":{"id":"01DEN4HPBQAJ8VM5CBOHDXTK6A","event_type":"incident.triggered"}}"#;
    /// Computed independently with Python's `hmac`.
    const EXPECTED: &str = "v1=46d3899bbc9e9190d99631fa3eab64b3a98bc9071242babaaa6d1e28cbc05f7f";

    fn verifier() -> Verifier {
        Verifier::builder(PagerDuty).secret(SECRET).build().unwrap()
    }

    #[test]
    fn any_v1_entry_may_match_during_a_rotation() {
        let decoy = format!("v1={}", "0".repeat(64));
        let list = format!("{decoy},v2=future,{EXPECTED}");
        assert!(verifier().verify(&[("X-PagerDuty-Signature", list.as_str())][..], BODY).is_ok());
        assert_eq!(
            verifier().verify(&[("X-PagerDuty-Signature", decoy.as_str())][..], BODY).unwrap_err().reason(),
            "no_matching_signature"
        );
    }
}
