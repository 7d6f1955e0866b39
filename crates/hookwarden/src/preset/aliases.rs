//! Providers that send another preset's scheme: named presets, so that logs and replay keys
//! say which provider a delivery came from.

use super::{StandardWebhooks, Svix};
use crate::error::{SignError, VerifyError};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::TimestampFormat;
use crate::tolerance::Tolerance;

/// Implements [`Scheme`] for `$alias` by delegating everything but the name to `$scheme`.
macro_rules! alias {
    ($alias:ident, $scheme:ident, $name:literal) => {
        impl Scheme for $alias {
            fn name(&self) -> &'static str {
                $name
            }
            fn algorithm(&self) -> Algorithm {
                $scheme.algorithm()
            }
            fn key_format(&self) -> KeyFormat {
                $scheme.key_format()
            }
            fn tolerance(&self) -> Option<Tolerance> {
                $scheme.tolerance()
            }
            fn timestamp_format(&self) -> TimestampFormat {
                $scheme.timestamp_format()
            }
            fn check_secret(&self, secret: &[u8]) -> Result<(), &'static str> {
                $scheme.check_secret(secret)
            }
            fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
                $scheme.parse(request, signed)
            }
            fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
                $scheme.signed_content(signed, body, feed)
            }
            fn retries_for(&self) -> Option<std::time::Duration> {
                $scheme.retries_for()
            }
            fn event_id_field(&self) -> Option<&'static str> {
                $scheme.event_id_field()
            }
            fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
                $scheme.identity_content(signed, body, feed)
            }
            fn signs_whole_body(&self) -> bool {
                $scheme.signs_whole_body()
            }
            fn write_headers(
                &self,
                signed: &Signed<'_>,
                tag: &Tag,
                out: &mut SignedHeaders,
            ) -> Result<(), SignError> {
                $scheme.write_headers(signed, tag, out)
            }
        }
    };
}

/// [Clerk](https://clerk.com/docs/webhooks/sync-data): Svix's scheme (see [`Svix`]).
///
/// - Headers: `svix-id`, `svix-timestamp`, `svix-signature: v1,<base64>`.
/// - Secret: the endpoint's signing secret, `whsec_...`, base64-decoded.
/// - Tolerance: five minutes either way. Replay key: the signed `svix-id`.
///
/// # Example
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{Message, Verifier, preset::Clerk};
///
/// let verifier = Verifier::builder(Clerk).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build()?;
/// let body = br#"{"type":"user.created"}"#;
/// let headers = verifier.sign(&Message::new(body).id("msg_2a"))?;
/// let request = Request::new(&headers, body);
/// let mut verified = verifier.verify_request(&request)?;
/// verifier.identify(&request, &mut verified);
/// assert_eq!(verified.replay_key().unwrap().as_str(), "clerk:id:msg_2a");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Clerk;
alias!(Clerk, Svix, "clerk");

/// [Resend](https://resend.com/docs/webhooks/verify-webhooks-requests): Svix's scheme (see
/// [`Svix`]).
///
/// - Headers: `svix-id`, `svix-timestamp`, `svix-signature: v1,<base64>`.
/// - Secret: the webhook's signing secret, `whsec_...`, base64-decoded.
/// - Tolerance: five minutes either way. Replay key: the signed `svix-id`.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Resend};
///
/// let verifier = Verifier::builder(Resend).secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").build()?;
/// assert_eq!(verifier.scheme(), "resend");
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Resend;
alias!(Resend, Svix, "resend");

/// [GitLab](https://docs.gitlab.com/user/project/integrations/webhooks/) signing tokens (GitLab
/// 19.0 and later): the Standard Webhooks scheme (see [`StandardWebhooks`]).
///
/// - Headers: `webhook-id` (equal to GitLab's `Idempotency-Key`), `webhook-timestamp`,
///   `webhook-signature: v1,<base64>`.
/// - Secret: the webhook's signing token, `whsec_...`, base64-decoded.
/// - Tolerance: five minutes either way. Replay key: the signed `webhook-id`, which GitLab keeps
///   across retries.
/// - For the older secret-token header, see [`GitLab`](super::GitLab).
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::GitLabSigning};
///
/// let verifier = Verifier::builder(GitLabSigning).secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").build()?;
/// let headers = verifier.sign(&Message::new(br#"{"object_kind":"push"}"#).id("0d4fd2b0-7a16-4c4b-9d5b-2e1f1c3a4b5c"))?;
/// assert!(verifier.verify(&headers, br#"{"object_kind":"push"}"#).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GitLabSigning;
alias!(GitLabSigning, StandardWebhooks, "gitlab-signing");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Verifier};

    #[test]
    fn aliases_verify_their_schemes_vectors_under_their_own_names() {
        let headers = [
            ("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("svix-timestamp", "1614265330"),
            ("svix-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        ];
        let body = br#"{"test": 2432232314}"#;
        for (scheme, name) in [(Box::new(Clerk) as Box<dyn Scheme>, "clerk"), (Box::new(Resend), "resend")] {
            assert_eq!(scheme.name(), name);
            let verifier = Verifier::builder(ByBox(scheme))
                .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .clock(FixedClock::at(1_614_265_330))
                .build()
                .unwrap();
            assert_eq!(verifier.verify(&headers[..], body).unwrap().scheme(), name);
        }
        let webhook: Vec<(String, &str)> =
            headers.iter().map(|(n, v)| (n.replace("svix", "webhook"), *v)).collect();
        let gitlab = Verifier::builder(GitLabSigning)
            .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .clock(FixedClock::at(1_614_265_330))
            .build()
            .unwrap();
        assert_eq!(
            gitlab.replay_key_of(&webhook, body).as_str(),
            "gitlab-signing:id:msg_p5jXN8AQM9LWM0D4loKWxJek"
        );
    }

    /// A boxed scheme, so one loop can test several aliases.
    #[derive(Debug)]
    struct ByBox(Box<dyn Scheme>);

    impl Scheme for ByBox {
        fn name(&self) -> &'static str {
            self.0.name()
        }
        fn algorithm(&self) -> Algorithm {
            self.0.algorithm()
        }
        fn key_format(&self) -> KeyFormat {
            self.0.key_format()
        }
        fn tolerance(&self) -> Option<Tolerance> {
            self.0.tolerance()
        }
        fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
            self.0.parse(request, signed)
        }
        fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
            self.0.signed_content(signed, body, feed)
        }
        fn write_headers(
            &self,
            signed: &Signed<'_>,
            tag: &Tag,
            out: &mut SignedHeaders,
        ) -> Result<(), SignError> {
            self.0.write_headers(signed, tag, out)
        }
    }
}
