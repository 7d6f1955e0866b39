//! Webflow.

use super::signature_header::SignatureHeader;
use super::stamped::{Carrier, Content, Stamped, stamped_scheme};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;
use crate::timestamp::TimestampFormat;

/// [Webflow](https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures):
/// HMAC-SHA256 over `{timestamp}:{body}`.
///
/// - Headers: `x-webflow-timestamp`, `x-webflow-signature: <hex>`.
/// - Secret: the OAuth app's client secret, or the webhook's secret for webhooks made with a site token, used as it is.
/// - Timestamp: Unix milliseconds. Tolerance: five minutes either way, as Webflow advises.
///
/// # Example
///
/// ```
/// use hookwarden::{FixedClock, Verifier, preset::Webflow};
///
/// let verifier = Verifier::builder(Webflow)
///     .secret("webflow-client-secret-0123456789")
///     .clock(FixedClock::at(1700000000))
///     .build()?;
/// let body = br#"{"triggerType":"form_submission","payload":{"name":"Contact Us","siteId":"65427cf400e02b306eaa049c","id":"6321ca84df3949bfc6752327"}}"#;
/// let headers = [("x-webflow-timestamp", "1700000000000"), ("x-webflow-signature", "3126f6786c2d9a98eb1288d8be1053ca3eab0831194ccc1d3c650693b09aa7ee")];
/// assert_eq!(verifier.verify(&headers[..], body)?.timestamp(), Some(1700000000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Webflow;

static SPEC: Stamped = Stamped {
    name: "webflow",
    carrier: Carrier::Headers {
        timestamp: HeaderName::from_static("x-webflow-timestamp"),
        timestamp_display: "x-webflow-timestamp",
        signature: SignatureHeader {
            name: HeaderName::from_static("x-webflow-signature"),
            display: "x-webflow-signature",
            prefix: "",
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
        },
        second: None,
    },
    content: Content { before: b"", between: b":", body_first: false },
    key_format: KeyFormat::Raw,
    format: TimestampFormat::Millis,
    tolerance: (300, 300),
    event_id_field: None,
    retries_for: None,
    also_writes: &[],
};

stamped_scheme!(Webflow => SPEC);
