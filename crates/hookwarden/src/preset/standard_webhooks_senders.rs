//! Providers that send Standard Webhooks under the `webhook-*` headers but differ from
//! [`StandardWebhooks`](super::StandardWebhooks) in a fact of their own (the secret's format, the
//! retry schedule): named presets, so that logs and replay keys say which provider it was.

use std::time::Duration;

use super::standard_webhooks::{V1, WEBHOOK, content, parse, write};
use crate::error::{SignError, VerifyError};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

/// Implements [`Scheme`] for `$preset`: Standard Webhooks with this name, key format and retry
/// window.
macro_rules! sender {
    ($preset:ident, $name:literal, $key:expr, $retries:expr) => {
        impl Scheme for $preset {
            fn name(&self) -> &'static str {
                $name
            }
            fn algorithm(&self) -> Algorithm {
                Algorithm::HmacSha256
            }
            fn key_format(&self) -> KeyFormat {
                $key
            }
            fn tolerance(&self) -> Option<Tolerance> {
                Some(Tolerance::FIVE_MINUTES)
            }
            fn retries_for(&self) -> Option<Duration> {
                $retries
            }
            fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
                parse(&WEBHOOK, V1, request, signed)
            }
            fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
                content(signed, body, feed);
            }
            fn write_headers(
                &self,
                signed: &Signed<'_>,
                tag: &Tag,
                out: &mut SignedHeaders,
            ) -> Result<(), SignError> {
                write(&WEBHOOK, signed, tag, out)
            }
        }
    };
}

/// [OpenAI](https://platform.openai.com/docs/guides/webhooks#verifying-webhook-signatures):
/// Standard Webhooks.
///
/// - Headers: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`.
/// - Secret: the endpoint's signing secret, `whsec_...`, base64-decoded.
/// - Tolerance: five minutes either way, as the `openai` SDKs' `webhooks.unwrap`.
/// - Replay key: the signed `webhook-id`. OpenAI retries a delivery not answered 2xx with
///   backoff for up to 72 hours, so processed events are remembered that long.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::OpenAi};
///
/// let verifier = Verifier::builder(OpenAi).secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").build()?;
/// let body = br#"{"object":"event","id":"evt_685343a1381c819085d44c354e1b330e","type":"response.completed","data":{"id":"resp_abc"}}"#;
/// let headers = verifier.sign(&Message::new(body).id("wh_685342e6c53c8190a1be43f081506c52"))?;
/// assert_eq!(verifier.verify(&headers, body)?.id(), Some("wh_685342e6c53c8190a1be43f081506c52"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenAi;
sender!(OpenAi, "openai", KeyFormat::WhsecBase64, Some(Duration::from_secs(72 * 60 * 60)));

/// [Replicate](https://replicate.com/docs/topics/webhooks/verify-webhook): Standard Webhooks.
///
/// - Headers: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`.
/// - Secret: the account's webhook signing secret (`GET /v1/webhooks/default/secret`),
///   `whsec_...`, base64-decoded.
/// - Tolerance: five minutes either way. Replay key: the signed `webhook-id`.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::Replicate};
///
/// let verifier = Verifier::builder(Replicate).secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").build()?;
/// let body = br#"{"id":"ufawqhfynnddngldkgtslldrkq","status":"succeeded"}"#;
/// let headers = verifier.sign(&Message::new(body).id("msg_2a"))?;
/// assert!(verifier.verify(&headers, body).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Replicate;
sender!(Replicate, "replicate", KeyFormat::WhsecBase64, None);

/// [Polar](https://polar.sh/docs/integrate/webhooks/delivery#verify-signature): Standard
/// Webhooks, keyed with the secret's **own bytes**.
///
/// - Headers: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`.
/// - Secret: the endpoint's secret (`polar_whs_...`) used as it is: Polar's SDKs base64-encode
///   it before handing it to a Standard Webhooks verifier, which decodes it again. Given to
///   [`StandardWebhooks`](super::StandardWebhooks) it would be refused or decoded wrongly.
/// - Tolerance: five minutes either way. Replay key: the signed `webhook-id`.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::Polar};
///
/// let verifier = Verifier::builder(Polar).secret("polar_whs_Qk9bYHx5n2m8XcT1aLpR4sVe7uWj0Zd3").build()?;
/// let body = br#"{"type":"order.paid","data":{"id":"ord_1"}}"#;
/// let headers = verifier.sign(&Message::new(body).id("msg_2a"))?;
/// assert!(verifier.verify(&headers, body).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Polar;
sender!(Polar, "polar", KeyFormat::Raw, None);
