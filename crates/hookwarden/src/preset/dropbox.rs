//! Dropbox.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Dropbox](https://www.dropbox.com/developers/reference/webhooks#documentation):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `X-Dropbox-Signature: <hex>`.
/// - Secret: the app secret, used as it is.
/// - Dropbox signs **no timestamp and no id**; the notification only names the accounts that
///   changed, so a replayed one costs a sync, which the replay store also stops.
/// - The verification `GET` (`?challenge=...`) is unsigned: echo the challenge in your router.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Dropbox};
///
/// let verifier = Verifier::builder(Dropbox).secret("dropbox-app-secret-0123456789").build()?;
/// let body = br#"{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},"delta":{"users":[12345678]}}"#;
/// let headers = [("X-Dropbox-Signature", "9e8475e25fa685335eb26e2f2b5e55c0d4c47d4811bc89af9d0b529768bdd215")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Dropbox;

static SPEC: BodyMac = BodyMac {
    name: "dropbox",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-dropbox-signature"),
        display: "X-Dropbox-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Dropbox => SPEC);
