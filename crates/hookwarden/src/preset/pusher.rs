//! Pusher Channels.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Pusher Channels](https://pusher.com/docs/channels/server_api/webhooks/#authentication):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Pusher-Signature: <hex>`.
/// - Secret: the app secret, used as it is (`X-Pusher-Key` names the app key it belongs to).
/// - The body's `time_ms` is not checked: Pusher documents no window. Replay keys derive from the
///   body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Pusher};
///
/// let verifier = Verifier::builder(Pusher).secret("pusher-app-secret-0123456789").build()?;
/// let body = br#"{"time_ms":1700000000000,"events":[{"name":"channel_occupied","channel":"presence-room-1"}]}"#;
/// let headers = [("X-Pusher-Signature", "9feb39e81535a5dbff13dcbcdaf30f6aaea9b81b28c9bbbcf8205a22eb253c5c")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Pusher;

static SPEC: BodyMac = BodyMac {
    name: "pusher",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-pusher-signature"),
        display: "X-Pusher-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Pusher => SPEC);
