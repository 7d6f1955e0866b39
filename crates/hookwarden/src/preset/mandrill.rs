//! Mandrill (Mailchimp Transactional).

use super::form;
use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-mandrill-signature"),
    display: "X-Mandrill-Signature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha1,
};

/// [Mandrill](https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests)
/// (Mailchimp Transactional): HMAC-SHA1 over the webhook URL, then each form parameter's name
/// and value, sorted by name.
///
/// - Header: `X-Mandrill-Signature: <base64>`.
/// - Body: `application/x-www-form-urlencoded`, in practice one `mandrill_events` parameter
///   holding a JSON array. Names and values are signed decoded, without separators; pairs are
///   sorted by name (then value). A body that is not a valid form is refused (`malformed_body`).
/// - Signed URL: the webhook URL exactly as configured in Mandrill. Give it through
///   [`Request::url`](crate::scheme::Request::url); without it verification fails with
///   [`VerifyError::UrlUnknown`] (500).
/// - Secret: the webhook's key (Settings > Webhooks), used as it is.
/// - Mandrill signs **no timestamp and no id**; a batch of events has no single id, so the
///   replay identity is the URL and the parameters.
/// - Mailchimp's Marketing webhooks are not signed at all: no preset can verify them.
///
/// # Example
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{Verifier, preset::Mandrill};
///
/// let verifier = Verifier::builder(Mandrill).secret("mandrill-webhook-key-0123456789").build()?;
/// let body = b"mandrill_events=%5B%7B%22event%22%3A%22send%22%2C%22_id%22%3A%22exampleaaaaaaaaaaaaaaaaaaaaaaaaa%22%2C%22ts%22%3A1700000000%2C%22msg%22%3A%7B%22email%22%3A%22example.webhook%40mandrillapp.com%22%7D%7D%5D";
/// let headers = vec![("X-Mandrill-Signature", "pzDqherWGjkDRNa+s8kR7PkVdxY=")];
/// let request = Request::new(&headers, body).url("https://hooks.example.com/mandrill");
/// assert!(verifier.verify_request(&request).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Mandrill;

impl Scheme for Mandrill {
    fn name(&self) -> &'static str {
        "mandrill"
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
        SIGNATURE.parse(request, signed)?;
        signed.set_url(scheme::url(request)?);
        // Checked here so that a broken form is a clear 400, not a MAC mismatch.
        form::params(request.body).map(|_| ()).map_err(|problem| VerifyError::MalformedBody { problem })
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(signed.url().unwrap_or_default().as_bytes());
        let Ok((mut params, count)) = form::params(body) else { return };
        let params = &mut params[..count];
        params.sort_unstable_by(form::compare);
        for (name, value) in params.iter() {
            form::feed_decoded(name, feed);
            form::feed_decoded(value, feed);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const URL: &str = "https://hooks.example.com/mandrill";

    fn verifier() -> Verifier {
        Verifier::builder(Mandrill).secret("mandrill-webhook-key-0123456789").build().unwrap()
    }

    #[test]
    fn parameters_are_signed_sorted_and_decoded() {
        // Python: base64(hmac_sha1(key, URL + "a" + "1 2" + "b" + "x&y")).
        let headers = vec![("X-Mandrill-Signature", "VfzwLmbvWB6uACymu2ANsotReOU=")];
        for body in [&b"b=x%26y&a=1+2"[..], b"a=1%202&b=x%26y"] {
            let request = Request::new(&headers, body).url(URL);
            assert!(verifier().verify_request(&request).is_ok(), "{body:?}");
        }
        let request = Request::new(&headers, b"a=1+2&b=x%26z").url(URL);
        assert_eq!(verifier().verify_request(&request).unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn a_broken_form_or_an_unknown_url_is_refused_clearly() {
        let signed = verifier().sign(&Message::new(b"a=%zz").url(URL)).unwrap();
        let request = Request::new(&signed, b"a=%zz").url(URL);
        assert_eq!(verifier().verify_request(&request).unwrap_err().reason(), "malformed_body");
        assert_eq!(verifier().verify(&signed, b"a=1").unwrap_err().reason(), "url_unknown");
        assert_eq!(verifier().sign(&Message::new(b"a=1")).unwrap_err(), SignError::MissingUrl);
    }
}
