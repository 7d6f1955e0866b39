//! GitLab.

use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static TOKEN: HeaderName = HeaderName::from_static("x-gitlab-token");

/// [GitLab](https://docs.gitlab.com/user/project/integrations/webhooks/) secret tokens: the
/// webhook's secret token, sent as it is in `X-Gitlab-Token`.
///
/// - Header: `X-Gitlab-Token: <secret token>`, compared with the configured token in constant
///   time (only its length may leak to a timing attacker).
/// - **Nothing is signed**: the token proves the sender knows the secret, but it does not bind
///   the body, and anyone who sees one request (a log, a proxy) can send any body. Prefer
///   GitLab's signing tokens where your GitLab has them: [`GitLabSigning`](super::GitLabSigning).
/// - No timestamp and no signed id: replay keys derive from a SHA-256 of the body, and only a
///   replay store stops a captured delivery from being replayed.
/// - GitLab removes line breaks from the token before sending it, so a token containing one is
///   refused; tokens shorter than 16 bytes are refused like every short secret.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::GitLab};
///
/// let verifier = Verifier::builder(GitLab).secret("glwt-5d9c1f0e8b7a6c4d").build()?;
/// let headers = [("X-Gitlab-Token", "glwt-5d9c1f0e8b7a6c4d"), ("X-Gitlab-Event", "Push Hook")];
/// assert!(verifier.verify(&headers[..], br#"{"object_kind":"push"}"#).is_ok());
/// assert_eq!(verifier.sign(&Message::new(b"{}"))?.get("x-gitlab-token"), Some("glwt-5d9c1f0e8b7a6c4d"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GitLab;

/// The unsigned header naming the delivery: [`Verified::delivery_id`](crate::Verified::delivery_id), for correlation only.
static DELIVERY: HeaderName = HeaderName::from_static("x-gitlab-webhook-uuid");

impl Scheme for GitLab {
    fn delivery_id_header(&self) -> Option<&'static HeaderName> {
        Some(&DELIVERY)
    }

    fn name(&self) -> &'static str {
        "gitlab"
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

    fn check_secret(&self, secret: &[u8]) -> Result<(), &'static str> {
        if secret.iter().any(|&b| b == b'\r' || b == b'\n') {
            return Err("GitLab removes line breaks from the token it sends: remove them here too");
        }
        Ok(())
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        signed.set_token(scheme::required(request, &TOKEN)?);
        Ok(())
    }

    /// The body: not signed, but hashed for replay keys.
    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(&self, signed: &Signed<'_>, _: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
        out.push("X-Gitlab-Token", String::from_utf8_lossy(signed.token().unwrap_or_default()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const SECRET: &str = "glwt-5d9c1f0e8b7a6c4d";

    fn verifier() -> Verifier {
        Verifier::builder(GitLab).secret(SECRET).build().unwrap()
    }

    #[test]
    fn the_token_must_match_exactly() {
        let verify = |token: &str| verifier().verify(&[("X-Gitlab-Token", token)][..], b"{}");
        assert_eq!(verify(SECRET).unwrap().key_id(), "default");
        for wrong in [
            "glwt-5d9c1f0e8b7a6c4e",
            "glwt-5d9c1f0e8b7a6c4",
            "glwt-5d9c1f0e8b7a6c4dd",
            "",
            " glwt-5d9c1f0e8b7a6c4d",
        ] {
            assert_eq!(
                verify(wrong).unwrap_err(),
                VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 1 },
                "{wrong:?}"
            );
        }
        assert_eq!(
            verifier().verify(&[("X-Gitlab-Event", "Push Hook")][..], b"{}").unwrap_err().reason(),
            "missing_header"
        );
        let twice = [("X-Gitlab-Token", SECRET), ("X-Gitlab-Token", SECRET)];
        assert_eq!(verifier().verify(&twice[..], b"{}").unwrap_err().reason(), "duplicate_header");
    }

    #[test]
    fn rotation_signing_and_replay_keys() {
        let both =
            Verifier::builder(GitLab).key("new", "glwt-new-0123456789ab").key("old", SECRET).build().unwrap();
        let headers = verifier().sign(&Message::new(b"{}")).unwrap();
        let verified = both.verify(&headers, b"{}").unwrap();
        assert_eq!(verified.key_id(), "old");
        // The replay key is a digest of the body, whichever token matched.
        let again = both.sign(&Message::new(b"{}")).unwrap();
        assert_eq!(both.replay_key_of(&headers, b"{}"), both.replay_key_of(&again, b"{}"));
        assert_ne!(both.replay_key_of(&headers, b"{}"), both.replay_key_of(&headers, b"[]"));
    }

    #[test]
    fn tokens_with_line_breaks_are_refused() {
        let err = Verifier::builder(GitLab).secret("glwt-5d9c1f0e8b7a6c4d\n").build().unwrap_err();
        assert_eq!(err.reason(), "secret_format");
    }
}
