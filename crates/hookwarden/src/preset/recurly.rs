//! Recurly.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Recurly](https://docs.recurly.com/recurly-subscriptions/docs/signature-verification):
/// HMAC-SHA256 over `{timestamp}.{body}`.
///
/// - Secret: the webhook endpoint's secret key, used as it is.
/// - Header: `recurly-signature: <ms>,<hex>[,<hex>...]`: one MAC per active key during a rotation.
/// - Timestamp: Unix milliseconds. Tolerance: five minutes either way, the client libraries' default.
/// - Only JSON webhooks are signed (XML ones are not). Replay identity: the body's `id`.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Recurly};
///
/// let verifier = Verifier::builder(Recurly)
///     .secret("recurly-webhook-key-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"id":"ts6ijhz1n8kh","object_type":"subscription","site_id":"q6a9a1h2nm8e","event_type":"created"}"#;
/// let headers = [("recurly-signature", "1700000000000,b7bbd8d643698fbcc2c5e4288ef106dc2c05087732108026ab9d012c75a1510b")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Recurly;

static SPEC: Stamped = Stamped {
    name: "recurly",
    carrier: Carrier::Leading {
        header: HeaderName::from_static("recurly-signature"),
        display: "recurly-signature",
        signature: SignatureHeader {
            name: HeaderName::from_static("recurly-signature"),
            display: "recurly-signature",
            prefix: "",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
    },
    content: Content { before: b"", between: b".", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Millis,
    tolerance: (300, 300),
    event_id_field: Some("id"),
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(Recurly => SPEC);
