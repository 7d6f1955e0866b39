//! Frame.io.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Frame.io](https://developer.frame.io/docs/automations-webhooks/webhooks-overview#security-and-verification):
/// HMAC-SHA256 over `v0:{timestamp}:{body}`.
///
/// - Headers: `X-Frameio-Request-Timestamp`, `X-Frameio-Signature: v0=<hex>`.
/// - Secret: the webhook's signing secret, used as it is.
/// - Tolerance: five minutes either way, as Frame.io advises.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::FrameIo};
///
/// let verifier = Verifier::builder(FrameIo)
///     .secret("frameio-webhook-secret-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"type":"asset.created","resource":{"type":"asset","id":"9cbd3a6f-5a1e-4b67-8d1a-0e5d3b7c2f10"},"account":{"id":"a1"}}"#;
/// let headers = [("X-Frameio-Request-Timestamp", "1700000000"), ("X-Frameio-Signature", "v0=e9bb87e4224ef4ad26f4571dabcc4d99e41b5150f5523be065bb34d81e3ed904")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FrameIo;

static SPEC: Stamped = Stamped {
    name: "frame-io",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("x-frameio-request-timestamp"),
        timestamp_display: "X-Frameio-Request-Timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("x-frameio-signature"),
            display: "X-Frameio-Signature",
            prefix: "v0=",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
        second: None,
    },
    content: Content { before: b"v0:", between: b":", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Seconds,
    tolerance: (300, 300),
    event_id_field: None,
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(FrameIo => SPEC);
