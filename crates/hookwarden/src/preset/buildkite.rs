//! Buildkite.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Buildkite](https://buildkite.com/docs/apis/webhooks#webhook-signature):
/// HMAC-SHA256 over `{timestamp}.{body}`.
///
/// - Header: `X-Buildkite-Signature: timestamp=<timestamp>,signature=<hex>`; other keys are skipped.
/// - Secret: the webhook's token, used as it is (the webhook must be set to sign, not to send the token).
/// - Tolerance: Buildkite documents none; five minutes either way.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Buildkite};
///
/// let verifier = Verifier::builder(Buildkite)
///     .secret("buildkite-webhook-token-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"event":"build.finished","build":{"id":"f62a1b4d-10f9-4790-bc1c-e2c3a0c80983","state":"passed"}}"#;
/// let headers = [("X-Buildkite-Signature", "timestamp=1700000000,signature=7c04d06b5e7406897c15dcccd48c77a60adf1518bb1e2f132c12d734db646ae5")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Buildkite;

static SPEC: Stamped = Stamped {
    name: "buildkite",
    carrier: Carrier::Inline {
        header: HeaderName::from_static("x-buildkite-signature"),
        display: "X-Buildkite-Signature",
        timestamp_key: "timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("x-buildkite-signature"),
            display: "X-Buildkite-Signature",
            prefix: "signature=",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
        separator: ",",
    },
    content: Content { before: b"", between: b".", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Seconds,
    tolerance: (300, 300),
    event_id_field: None,
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(Buildkite => SPEC);
