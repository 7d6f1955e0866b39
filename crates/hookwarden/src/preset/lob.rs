//! Lob.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Lob](https://help.lob.com/developer-docs/webhooks#security):
/// HMAC-SHA256 over `{timestamp}.{body}`.
///
/// - Headers: `Lob-Signature-Timestamp`, `Lob-Signature: <hex>`.
/// - Secret: the webhook's secret, used as it is.
/// - Tolerance: five minutes either way.
/// - Replay identity: the event's `id` in the body.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Lob};
///
/// let verifier = Verifier::builder(Lob)
///     .secret("lob-webhook-secret-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"id":"evt_d95ff8ffd2b5cfb4","event_type":{"id":"letter.delivered"},"reference_id":"ltr_8bb8bb3e6d2a1b7c","object":"event"}"#;
/// let headers = [("Lob-Signature-Timestamp", "1700000000"), ("Lob-Signature", "3a9d2f709d873564622ac37da6fad56bcbe01f32be56ea229e27de205ec479db")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Lob;

static SPEC: Stamped = Stamped {
    name: "lob",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("lob-signature-timestamp"),
        timestamp_display: "Lob-Signature-Timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("lob-signature"),
            display: "Lob-Signature",
            prefix: "",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
        second: None,
    },
    content: Content { before: b"", between: b".", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Seconds,
    tolerance: (300, 300),
    event_id_field: Some("id"),
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(Lob => SPEC);
