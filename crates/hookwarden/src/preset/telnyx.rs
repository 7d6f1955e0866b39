//! Telnyx (API v2 webhooks).

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Telnyx](https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks#webhook-signing):
/// Ed25519 over `{timestamp}|{body}`, with Telnyx's public key.
///
/// - Headers: `telnyx-timestamp` (Unix seconds), `telnyx-signature-ed25519: <base64>`.
/// - Secret: the account's **public key** (Portal, "Keys & Credentials" > "Public Key"), base64;
///   the verifier cannot sign.
/// - Tolerance: five minutes either way, the SDKs' default.
/// - Replay identity: the event's `data.id` in the body.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Telnyx};
///
/// let verifier = Verifier::builder(Telnyx)
///     .secret("A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"data":{"event_type":"call.initiated","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","payload":{"call_control_id":"v3:abc"}}}"#;
/// let headers = [
///     ("telnyx-timestamp", "1700000000"),
///     ("telnyx-signature-ed25519", "tkB0qzYMqApJinnAv9/Da2QsOrUQLFXGGggJp9foXbXyIGtuGlBb9WOTHheL852yvKdtLB8VJi9L43w3Y5fbDg=="),
/// ];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Telnyx;

static SPEC: Stamped = Stamped {
    name: "telnyx",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("telnyx-timestamp"),
        timestamp_display: "telnyx-timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("telnyx-signature-ed25519"),
            display: "telnyx-signature-ed25519",
            prefix: "",
            encoding: Encoding::Base64,
            algorithm: Algorithm::Ed25519,
        },
        second: None,
    },
    content: Content { before: b"", between: b"|", body_first: false },
    key_format: KeyFormat::Base64,
    format: TimestampFormat::Seconds,
    tolerance: (300, 300),
    event_id_field: Some("data.id"),
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(Telnyx => SPEC);
