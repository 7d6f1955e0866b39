//! TikTok.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [TikTok](https://developers.tiktok.com/doc/webhooks-verification):
/// HMAC-SHA256 over `{t}.{body}`.
///
/// - Header: `TikTok-Signature: t=<timestamp>,s=<hex>`; other keys are skipped.
/// - Secret: the app's client secret, used as it is.
/// - Tolerance: TikTok leaves the window to the receiver; five minutes either way.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::TikTok};
///
/// let verifier = Verifier::builder(TikTok)
///     .secret("tiktok-client-secret-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"client_key":"bwo2m45353a6k85","event":"video.publish.completed","create_time":1700000000,"user_openid":"act.example12345","content":"{}"}"#;
/// let headers = [("TikTok-Signature", "t=1700000000,s=e9b78d2fb9c9b6c41443e14cba8a518fca106df77b3fdcb6fb94d40eb2639a05")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TikTok;

static SPEC: Stamped = Stamped {
    name: "tiktok",
    carrier: Carrier::Inline {
        header: HeaderName::from_static("tiktok-signature"),
        display: "TikTok-Signature",
        timestamp_key: "t",
        signature: SignatureHeader {
            name: HeaderName::from_static("tiktok-signature"),
            display: "TikTok-Signature",
            prefix: "s=",
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

stamped_scheme!(TikTok => SPEC);
