//! Okta event hooks.

use crate::error::{ConfigError, SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

/// [Okta event hooks](https://help.okta.com/en-us/content/topics/automation-hooks/event-hooks-main.htm):
/// a shared secret sent as it is in a header, `Authorization` unless configured otherwise.
///
/// - Header: the hook's "Authentication field" (default `Authorization`) holding its
///   "Authentication secret", compared in constant time (only its length may leak).
/// - **Nothing is signed**: the secret proves the sender knows it, but does not bind the body.
/// - No timestamp and no signed id: replay keys derive from a SHA-256 of the body. Okta's
///   event `uuid`s in the body are a better de-duplication key for your handler.
/// - Okta verifies a new hook with a `GET` carrying `X-Okta-Verification-Challenge`, which must
///   be answered `{"verification":"<value>"}`: see [`handshake`](crate::handshake).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Okta};
///
/// let verifier = Verifier::builder(Okta::default()).secret("okta-hook-secret-0123456789").build()?;
/// let headers = [("Authorization", "okta-hook-secret-0123456789")];
/// assert!(verifier.verify(&headers[..], br#"{"eventType":"com.okta.event_hook"}"#).is_ok());
///
/// let custom = Verifier::builder(Okta::header("X-Hook-Auth")?).secret("okta-hook-secret-0123456789").build()?;
/// assert!(custom.verify(&[("x-hook-auth", "okta-hook-secret-0123456789")][..], b"{}").is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Okta {
    header: HeaderName,
}

impl Okta {
    /// Okta with the secret in another header than `Authorization`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidHeaderName`] when `name` is not a header name.
    pub fn header(name: &str) -> Result<Self, ConfigError> {
        Ok(Self { header: HeaderName::new(name)? })
    }
}

impl Default for Okta {
    fn default() -> Self {
        Self { header: HeaderName::from_static("authorization") }
    }
}

impl Scheme for Okta {
    fn name(&self) -> &'static str {
        "okta"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::Token
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        signed.set_token(scheme::required(request, &self.header)?);
        Ok(())
    }

    /// The body: not signed, but hashed for replay keys.
    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(&self, signed: &Signed<'_>, _: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
        out.push(self.header.as_str(), String::from_utf8_lossy(signed.token().unwrap_or_default()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    #[test]
    fn the_secret_must_match_in_the_configured_header() {
        let verifier =
            Verifier::builder(Okta::default()).secret("okta-hook-secret-0123456789").build().unwrap();
        let signed = verifier.sign(&Message::new(b"{}")).unwrap();
        assert_eq!(signed.get("authorization"), Some("okta-hook-secret-0123456789"));
        assert!(verifier.verify(&signed, b"{}").is_ok());
        let wrong = [("Authorization", "Bearer okta-hook-secret-0123456789")];
        assert_eq!(verifier.verify(&wrong[..], b"{}").unwrap_err().reason(), "no_matching_signature");
        assert_eq!(Okta::header("bad header").unwrap_err().reason(), "invalid_header_name");
    }
}
