//! Customer.io (reporting webhooks).

use std::time::Duration;

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Customer.io (reporting webhooks)](https://docs.customer.io/api/webhooks/#section/Securely-Verifying-Requests):
/// HMAC-SHA256 over `v0:{timestamp}:{body}`.
///
/// - Headers: `X-CIO-Timestamp`, `X-CIO-Signature: <hex>`.
/// - Secret: the webhook's signing key, used as it is.
/// - Tolerance: Customer.io documents none; five minutes either way. Customer.io retries a
///   failed delivery over seven days, so processed events are remembered that long.
/// - Replay identity: the body's `event_id`.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::CustomerIo};
///
/// let verifier = Verifier::builder(CustomerIo)
///     .secret("customer-io-signing-key-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"event_id":"01E4C4HDQ7HB0S4BB4AGGWTW1R","object_type":"email","metric":"delivered","timestamp":1700000000}"#;
/// let headers = [("X-CIO-Timestamp", "1700000000"), ("X-CIO-Signature", "b55bf05185aa04794bfc0d4d0a7d03cd38c2186eb049ef75644ab6826812d7a5")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomerIo;

static SPEC: Stamped = Stamped {
    name: "customer-io",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("x-cio-timestamp"),
        timestamp_display: "X-CIO-Timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("x-cio-signature"),
            display: "X-CIO-Signature",
            prefix: "",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
        second: None,
    },
    content: Content { before: b"v0:", between: b":", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Seconds,
    tolerance: (300, 300),
    event_id_field: Some("event_id"),
    // Customer.io retries a failed delivery with backoff over seven days.
    retries_for: Some(Duration::from_secs(7 * 24 * 60 * 60)),
    also_writes: &[],
};

stamped_scheme!(CustomerIo => SPEC);
