//! X (formerly Twitter) Account Activity.

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [X (formerly Twitter) Account Activity](https://docs.x.com/x-api/webhooks/introduction):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `x-twitter-webhooks-signature: sha256=<base64>`.
/// - Secret: the app's consumer secret (API secret key), used as it is.
/// - X signs **no timestamp and no id**: replay keys derive from the body's MAC.
/// - X's challenge-response check (CRC: a `GET` with `crc_token`, answered with
///   `sha256=base64(HMAC(consumer secret, crc_token))`) is **not** answered here: the `GET` is
///   unsigned, and answering it for anyone would sign arbitrary text with the key that signs
///   deliveries.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::X};
///
/// let verifier = Verifier::builder(X).secret("x-consumer-secret-0123456789abcdef").build()?;
/// let body = br#"{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1725000000000000000","text":"hello"}]}"#;
/// let headers = [("x-twitter-webhooks-signature", "sha256=zIo340B4RYI9wQQCZxKlM/Ba/UYVFJdK2MP+aZ2OZtc=")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct X;

static SPEC: BodyMac = BodyMac {
    name: "x",
    signature: SignatureHeader {
        name: HeaderName::from_static("x-twitter-webhooks-signature"),
        display: "x-twitter-webhooks-signature",
        prefix: "sha256=",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(X => SPEC);
