//! Box (webhooks v2).

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Box (webhooks v2)](https://developer.box.com/guides/webhooks/v2/signatures-v2/):
/// HMAC-SHA256 over `{body}{timestamp}` (the body first).
///
/// - Headers: `BOX-DELIVERY-TIMESTAMP` (RFC 3339), `BOX-SIGNATURE-PRIMARY: <base64>` and,
///   optional, `BOX-SIGNATURE-SECONDARY: <base64>`; either may match any configured key.
///   `box-signature-version: 1` and `box-signature-algorithm: HmacSHA256` are written when
///   signing (Box's SDKs insist on them) but not read: a delivery signed another way fails on
///   its MAC.
/// - Secret: the app's primary or secondary signature key, used as it is; configure both (as
///   two keys) to rotate.
/// - Tolerance: ten minutes into the past, as Box's SDKs check; one minute into the future,
///   where the SDKs allow none, so that a receiver whose clock is a little behind Box's still
///   accepts fresh deliveries.
/// - Replay identity: the event's `id` in the body.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::BoxCom};
///
/// let verifier = Verifier::builder(BoxCom)
///     .secret("box-primary-signature-key-0123")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"type":"webhook_event","id":"eac4a8e9-87a3-4e0b-9b53-0c4a2a8e3d4f","created_at":"2023-11-14T14:13:20-08:00","trigger":"FILE.UPLOADED","source":{"id":"12345","type":"file"}}"#;
/// let headers = [("BOX-DELIVERY-TIMESTAMP", "2023-11-14T22:13:20Z"), ("BOX-SIGNATURE-PRIMARY", "BAIylyRCuFR6ce7+vMuvBiyDV6P3j3Qrv2suPv1yMjw=")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct BoxCom;

static SPEC: Stamped = Stamped {
    name: "box",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("box-delivery-timestamp"),
        timestamp_display: "BOX-DELIVERY-TIMESTAMP",
        signature: SignatureHeader {
            name: HeaderName::from_static("box-signature-primary"),
            display: "BOX-SIGNATURE-PRIMARY",
            prefix: "",
            encoding: Encoding::Base64,
            algorithm: Algorithm::HmacSha256,
        },
        second: Some(SignatureHeader {
            name: HeaderName::from_static("box-signature-secondary"),
            display: "BOX-SIGNATURE-SECONDARY",
            prefix: "",
            encoding: Encoding::Base64,
            algorithm: Algorithm::HmacSha256,
        }),
    },
    content: Content { before: b"", between: b"", body_first: true },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Rfc3339,
    tolerance: (600, 60),
    event_id_field: Some("id"),
    retries_for: None,
    also_writes: &[("box-signature-version", "1"), ("box-signature-algorithm", "HmacSHA256")],
};

stamped_scheme!(BoxCom => SPEC);
