//! Meta (WhatsApp Cloud API, Facebook, Instagram).

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Meta (WhatsApp Cloud API, Facebook, Instagram)](https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hub-Signature-256: sha256=<hex>`.
/// - Secret: the app secret of the Meta app, used as it is.
/// - Meta signs **no timestamp and no id**: replay keys derive from the body's MAC, and only a
///   replay store stops a captured delivery from being replayed.
/// - The `GET` verification request (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`)
///   carries no signature: it is checked against a verify token that is not this secret, so it
///   is not a delivery this preset verifies; answer it in your router before verifying.
/// - WhatsApp Cloud API, Messenger, Instagram and every other Graph API webhook send this header.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Meta};
///
/// let verifier = Verifier::builder(Meta).secret("3c8d9f2e1a7b4c6d8e0f1a2b3c4d5e6f").build()?;
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp"}}]}]}"#;
/// let headers = [("X-Hub-Signature-256", "sha256=8987f1ad40928cd3ebb16ecec403def2ccf51c7af97c955531dd3a8a51f23649")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Meta;

static SPEC: BodyMac = BodyMac {
    name: "meta",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-hub-signature-256"),
        display: "X-Hub-Signature-256",
        prefix: "sha256=",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Meta => SPEC);
