//! Microsoft Teams (outgoing webhooks).

use super::body_mac::{BodyMac, body_mac_scheme};
use super::signature_header::SignatureHeader;
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::scheme::Encoding;

/// [Microsoft Teams (outgoing webhooks)](https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook#create-a-method-to-verify-the-outgoing-webhook-hmac-token):
/// HMAC-SHA256 over the raw body.
///
/// - Header: `Authorization: HMAC <base64>`.
/// - Secret: the security token Teams shows when the webhook is created, base64-decoded.
/// - Replay identity: the activity's `id` in the body.
/// - Teams waits only 10 seconds for the answer, which is the reply posted in the channel.
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::MicrosoftTeams};
///
/// let verifier = Verifier::builder(MicrosoftTeams).secret("aG9va3dhcmRlbi10ZWFtcy1obWFjLXRva2VuLTAx").build()?;
/// let body = br#"{"type":"message","id":"1700000000000","timestamp":"2023-11-14T22:13:20.000Z","text":"<at>Hookwarden</at> ping","from":{"id":"29:1"}}"#;
/// let headers = [("Authorization", "HMAC 5Xp7GITfxrNK/Qk7rKK1F31zGH5Inx7ndP3nd6clrFs=")];
/// assert!(verifier.verify(&headers[..], body).is_ok());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MicrosoftTeams;

static SPEC: BodyMac = BodyMac {
    name: "microsoft-teams",
    signature: SignatureHeader {
        name: HeaderName::from_static("authorization"),
        display: "Authorization",
        prefix: "HMAC ",
        encoding: Encoding::Base64,
        algorithm: Algorithm::HmacSha256,
    },
    key_format: KeyFormat::Base64,
    event_id_field: Some("id"),
    delivery_header: None,
};

body_mac_scheme!(MicrosoftTeams => SPEC);
