//! Asana.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Asana](https://developers.asana.com/docs/webhooks-guide#security):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Hook-Signature: <hex>`.
/// - Secret: the `X-Hook-Secret` Asana sent in the webhook's handshake, used as it is.
/// - The handshake (a `POST` with `X-Hook-Secret` and no signature, answered by echoing that
///   header) carries the secret itself, so it is handled before a verifier exists.
/// - Asana signs **no timestamp and no id**; the body's `events` list has no id of its own.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Asana};
///
/// let verifier = Verifier::builder(Asana).secret("asana-x-hook-secret-0123456789abcdef").build()?;
/// let body = br#"{"events":[{"user":{"gid":"1234"},"created_at":"2023-11-14T22:13:20.000Z","action":"changed","resource":{"gid":"5678","resource_type":"task"}}]}"#;
/// let headers = [("X-Hook-Signature", "32b782679933a369fca72a9ef484ff56f935609c567a55317332c3ed47ab72e1")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Asana;

static SPEC: BodyMac = BodyMac {
    name: "asana",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-hook-signature"),
        display: "X-Hook-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Asana => SPEC);
