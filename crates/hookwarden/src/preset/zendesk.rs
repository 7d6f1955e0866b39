//! Zendesk.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Zendesk](https://developer.zendesk.com/documentation/webhooks/verifying/):
/// HMAC-SHA256 over `{timestamp}{body}`.
///
/// - Headers: `X-Zendesk-Webhook-Signature-Timestamp`, `X-Zendesk-Webhook-Signature: <base64>`.
/// - Secret: the webhook's signing secret, used as it is.
/// - Tolerance: Zendesk documents none; five minutes either way (change it with
///   [`VerifierBuilder::tolerance`](crate::VerifierBuilder::tolerance)).
/// - Replay identity: the body without the timestamp (Zendesk's payloads carry no common event id).
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Zendesk};
///
/// let verifier = Verifier::builder(Zendesk)
///     .secret("zendesk-webhook-signing-secret-01")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"type":"zen:event-type:ticket.created","id":"01HF3K5Y5ZQ8W9X4V2R7T6N1M0","detail":{"id":"35436"}}"#;
/// let headers = [("X-Zendesk-Webhook-Signature-Timestamp", "2023-11-14T22:13:20Z"), ("X-Zendesk-Webhook-Signature", "j/bNfdBYXLy9o2oZQ9hextlK+/1cryPI2ovAXlA1AcY=")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Zendesk;

static SPEC: Stamped = Stamped {
    name: "zendesk",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("x-zendesk-webhook-signature-timestamp"),
        timestamp_display: "X-Zendesk-Webhook-Signature-Timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("x-zendesk-webhook-signature"),
            display: "X-Zendesk-Webhook-Signature",
            prefix: "",
            encoding: Encoding::Base64,
            algorithm: Algorithm::HmacSha256,
        },
        second: None,
    },
    content: Content { before: b"", between: b"", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Rfc3339,
    tolerance: (300, 300),
    event_id_field: None,
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(Zendesk => SPEC);
