//! Sentry (integration platform).

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Sentry (integration platform)](https://docs.sentry.io/integrations/integration-platform/webhooks/):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Sentry-Hook-Signature: <hex>`.
/// - Secret: the integration's client secret, used as it is.
/// - Sentry signs **no timestamp and no id**: `Sentry-Hook-Timestamp` and `Request-ID` are not
///   covered by the signature, so they are never trusted; replay keys derive from the body's MAC.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::Sentry};
///
/// let verifier = Verifier::builder(Sentry).secret("sentry-client-secret-0123456789abcdef").build()?;
/// let headers = [("Sentry-Hook-Signature", "f1a720f86af1dca568f34581c9cf15f8d9b512588f5ba2c862b8cb444a7e8f08")];
/// assert!(verifier.verify(&headers[..], br#"{"action":"created","data":{"issue":{"id":"1170820242"}},"installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}}"#).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Sentry;

static SPEC: BodyMac = BodyMac {
    name: "sentry",
    signature: SignatureHeader {
        name: HeaderName::from_static("sentry-hook-signature"),
        display: "Sentry-Hook-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Raw,
    event_id_field: None,
    delivery_header: None,
};

body_mac_scheme!(Sentry => SPEC);
