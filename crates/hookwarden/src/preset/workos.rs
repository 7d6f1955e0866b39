//! WorkOS.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [WorkOS](https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually):
/// HMAC-SHA256 over `{t}.{body}`.
///
/// - Header: `WorkOS-Signature: t=<timestamp>, v1=<hex>`; other keys are skipped.
/// - Secret: the webhook endpoint's secret, used as it is.
/// - Timestamp: Unix milliseconds. Tolerance: three minutes either way, WorkOS's SDK default.
/// - Replay identity: the event's `id` in the body.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::WorkOs};
///
/// let verifier = Verifier::builder(WorkOs)
///     .secret("workos-webhook-secret-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"id":"event_01HF3K5Y5ZQ8W9X4V2R7T6N1M0","event":"user.created","data":{"id":"user_01E4ZCR3C56J083X43JQXF3JK5"},"created_at":"2023-11-14T22:13:20.000Z"}"#;
/// let headers = [("WorkOS-Signature", "t=1700000000000, v1=82076d907dbe7ca8854f821cc9859c4bf2881168c7bb6391244d6b7df252a6f9")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkOs;

static SPEC: Stamped = Stamped {
    name: "workos",
    carrier: Carrier::Inline {
        header: HeaderName::from_static("workos-signature"),
        display: "WorkOS-Signature",
        timestamp_key: "t",
        signature: SignatureHeader {
            name: HeaderName::from_static("workos-signature"),
            display: "WorkOS-Signature",
            prefix: "v1=",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
        separator: ", ",
    },
    content: Content { before: b"", between: b".", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Millis,
    tolerance: (180, 180),
    event_id_field: Some("id"),
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(WorkOs => SPEC);
