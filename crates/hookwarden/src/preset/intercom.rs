//! Intercom.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Intercom](https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications):
/// HMAC-SHA1 over the raw body.
///
/// - Header: `X-Hub-Signature: sha1=<hex>` (HMAC-**SHA1**).
/// - Secret: the app's client secret (or a legacy subscription's `hub_secret`), used as it is.
/// - Intercom signs **no timestamp**. Replay identity: the notification's `id` (`notif_...`)
///   in the body (<https://developers.intercom.com/docs/webhooks>).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Intercom};
///
/// let verifier = Verifier::builder(Intercom).secret("intercom-client-secret-0123456789").build()?;
/// let headers = [("X-Hub-Signature", "sha1=a69db6ae673f0a0619834f19eb3bb9d0b03eb5c0")];
/// assert!(verifier.verify(&headers[..], br#"{"type":"notification_event","id":"notif_ccd8a4d2-3581-4b4e-8a53-6e0b4e2e4b1c","topic":"conversation.user.created"}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Intercom;

static SPEC: BodyMac = BodyMac {
    name: "intercom",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-hub-signature"),
        display: "X-Hub-Signature",
        prefix: "sha1=",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha1,
    },
    key_format: KeyFormat::Raw,
    event_id_field: Some("id"),
    delivery_header: None,
};

body_mac_scheme!(Intercom => SPEC);
