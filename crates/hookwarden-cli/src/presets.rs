//! The presets the CLI knows, and building a scheme and a verifier from the command line.
//!
//! Adding a preset is one line in [`PRESETS`]: its name, its headers and its secret format are
//! all read from the scheme itself (for public-key presets, which cannot sign, the headers are
//! in [`public_key_headers`]). [`event_header`] names the unsigned header in which a provider
//! says what happened, for `sign --event`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hookwarden::scheme::{Custom, Encoding};
use hookwarden::{
    Algorithm, Clock, ConfigError, KeyFormat, Message, SignError, Tolerance, Verified, Verifier,
    VerifierBuilder, VerifyError, preset,
};

use crate::cli::{AlgorithmArg, EncodingArg, KeyFormatArg, SchemeArgs};
use crate::private_key::PrivateKey;

/// One preset: its scheme, for what it says about itself, and a verifier builder for it.
#[derive(Clone, Copy)]
struct Preset {
    scheme: fn() -> Arc<dyn hookwarden::Scheme>,
    builder: fn() -> VerifierBuilder,
}

macro_rules! preset {
    ($scheme:expr) => {
        Preset { scheme: || Arc::new($scheme), builder: || Verifier::builder($scheme) }
    };
}

/// Every preset, in the order `hookwarden presets` lists them. Names are `Scheme::name()`.
const PRESETS: &[Preset] = &[
    preset!(preset::StandardWebhooks),
    preset!(preset::StandardWebhooksEd25519),
    preset!(preset::Svix),
    preset!(preset::Stripe),
    preset!(preset::GitHub),
    preset!(preset::Slack),
    preset!(preset::Shopify),
    preset!(preset::Clerk),
    preset!(preset::Resend),
    preset!(preset::GitLabSigning),
    preset!(preset::Twilio),
    preset!(preset::TwilioSharedKey::default()),
    preset!(preset::Discord),
    preset!(preset::SendGrid),
    preset!(preset::Square),
    preset!(preset::HubSpot),
    preset!(preset::Linear),
    preset!(preset::Mailgun),
    preset!(preset::GitLab),
    preset!(preset::Okta::default()),
    preset!(preset::Adyen),
    preset!(preset::AdyenClassic),
    preset!(preset::Bitbucket),
    preset!(preset::Calendly),
    preset!(preset::Coinbase),
    preset!(preset::DocuSign),
    preset!(preset::Intercom),
    preset!(preset::LemonSqueezy),
    preset!(preset::Mux),
    preset!(preset::Paddle),
    preset!(preset::PagerDuty),
    preset!(preset::Razorpay),
    preset!(preset::Sentry),
    preset!(preset::Twitch),
    preset!(preset::Typeform),
    preset!(preset::Vercel),
    preset!(preset::WooCommerce),
    preset!(preset::Xero),
    preset!(preset::Zoom),
    preset!(preset::Meta),
    preset!(preset::Heroku),
    preset!(preset::Airtable),
    preset!(preset::HcpTerraform),
    preset!(preset::GoCardless),
    preset!(preset::Notion),
    preset!(preset::CalCom),
    preset!(preset::Segment),
    preset!(preset::MicrosoftTeams),
    preset!(preset::Dropbox),
    preset!(preset::Asana),
    preset!(preset::X),
    preset!(preset::Gitea),
    preset!(preset::Gogs),
    preset!(preset::Jira),
    preset!(preset::LaunchDarkly),
    preset!(preset::Hookdeck),
    preset!(preset::Pusher),
    preset!(preset::MailerSend),
    preset!(preset::Zendesk),
    preset!(preset::Webflow),
    preset!(preset::FrameIo),
    preset!(preset::CustomerIo),
    preset!(preset::Lob),
    preset!(preset::TikTok),
    preset!(preset::WorkOs),
    preset!(preset::Buildkite),
    preset!(preset::Recurly),
    preset!(preset::BoxCom),
    preset!(preset::Trello),
    preset!(preset::Mandrill),
    preset!(preset::CircleCi),
    preset!(preset::OpenAi),
    preset!(preset::Replicate),
    preset!(preset::Polar),
    preset!(preset::Telnyx),
];

/// The name `--preset` takes for a scheme described by flags.
pub(crate) const CUSTOM: &str = "custom";

/// Every preset's scheme.
pub(crate) fn all() -> impl Iterator<Item = Scheme> {
    PRESETS.iter().map(|preset| Scheme { meta: (preset.scheme)(), builder: Arc::new(preset.builder) })
}

/// The values `--preset` accepts.
pub(crate) fn names_and_custom() -> Vec<&'static str> {
    all().map(|scheme| scheme.name()).chain([CUSTOM]).collect()
}

/// Where the same mistakes keep being made, per provider: shown when a signature does not match.
pub(crate) fn mismatch_hints(name: &str) -> &'static [&'static str] {
    match name {
        "stripe" => {
            &["`stripe listen` prints its own `whsec_` secret, different from the dashboard endpoint's; \
             test-mode and live-mode endpoints have different secrets too"]
        }
        "github" => &["the secret is the one set on this webhook (repository, organization or GitHub App \
             settings); each webhook has its own"],
        "slack" => &["Slack signs with the app's Signing Secret (Basic Information page), not the \
             deprecated verification token or a bot token"],
        "shopify" => {
            &["Shopify signs with the app's client secret (API secret key); after a rotation it may \
             sign with the previous one for up to an hour (give both with two --secret flags)"]
        }
        "standard-webhooks" | "svix" => {
            &["each endpoint has its own signing secret (`whsec_...`), shown on that endpoint's page"]
        }
        _ => &[],
    }
}

/// Headers of providers without a preset (or of a preset's legacy variant), for "this looks like".
pub(crate) const FOREIGN_HEADERS: &[(&str, &str)] = &[(
    "x-hub-signature",
    "GitHub also sends its legacy SHA-1 signature in this header (as Bitbucket and Intercom \
         send theirs): GitHub deliveries are verified with `X-Hub-Signature-256` (--preset github)",
)];

/// The headers of the public-key presets, which cannot sign and so cannot say what they send.
/// A test checks them against deliveries the providers' SDKs signed.
fn public_key_headers(name: &str) -> &'static [&'static str] {
    match name {
        "discord" => &["X-Signature-Ed25519", "X-Signature-Timestamp"],
        "sendgrid" => &["X-Twilio-Email-Event-Webhook-Signature", "X-Twilio-Email-Event-Webhook-Timestamp"],
        "standard-webhooks-ed25519" => &["webhook-id", "webhook-timestamp", "webhook-signature"],
        "telnyx" => &["telnyx-signature-ed25519", "telnyx-timestamp"],
        _ => &[],
    }
}

/// The unsigned header in which a provider says what happened, as `sign --event` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventHeader {
    /// The header, in the provider's spelling.
    pub(crate) name: &'static str,
    /// What `sign` writes without `--event`: only where one value is right for any body.
    pub(crate) default: Option<&'static str>,
    /// A value the provider sends, for the help text.
    pub(crate) example: &'static str,
}

/// The event header of the preset called `name`, if its provider sends one with every delivery.
pub(crate) fn event_header(name: &str) -> Option<EventHeader> {
    let (header, default, example) = match name {
        // The first delivery to every new hook is a `ping`.
        "github" => ("X-GitHub-Event", Some("ping"), "push"),
        "gitlab" | "gitlab-signing" => ("X-Gitlab-Event", None, "Push Hook"),
        "bitbucket" => ("X-Event-Key", None, "repo:push"),
        "shopify" => ("X-Shopify-Topic", None, "orders/create"),
        // Every event is a `notification`; the callback check and revocations are not events.
        "twitch" => ("Twitch-Eventsub-Message-Type", Some("notification"), "revocation"),
        "woocommerce" => ("X-WC-Webhook-Topic", None, "order.created"),
        "sentry" => ("Sentry-Hook-Resource", None, "issue"),
        "lemon-squeezy" => ("X-Event-Name", None, "order_created"),
        "linear" => ("Linear-Event", None, "Issue"),
        _ => return None,
    };
    Some(EventHeader { name: header, default, example })
}

/// Where a scheme's signature travels, and so what `sign` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// In headers: `sign` prints them.
    Headers,
    /// Inside the body (Mailgun, Adyen's classic notifications): `sign` writes it into the body.
    Body,
    /// A public-key signature (Discord, SendGrid): only the provider's private key signs.
    PublicKey,
}

/// Credentials that are not webhook signing secrets, by prefix: a common mix-up.
pub(crate) const CREDENTIAL_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "a Stripe secret API key"),
    ("sk_test_", "a Stripe secret API key"),
    ("rk_live_", "a Stripe restricted API key"),
    ("rk_test_", "a Stripe restricted API key"),
    ("pk_live_", "a Stripe publishable key"),
    ("pk_test_", "a Stripe publishable key"),
    ("ghp_", "a GitHub personal access token"),
    ("github_pat_", "a GitHub personal access token"),
    ("gho_", "a GitHub OAuth token"),
    ("ghs_", "a GitHub App installation token"),
    ("xoxb-", "a Slack bot token"),
    ("xoxp-", "a Slack user token"),
    ("xapp-", "a Slack app-level token"),
    ("shpat_", "a Shopify Admin API access token"),
    ("glpat-", "a GitLab personal access token"),
    ("shpca_", "a Shopify custom app access token"),
];

/// A scheme, and how to start a verifier for it.
#[derive(Clone)]
pub(crate) struct Scheme {
    meta: Arc<dyn hookwarden::Scheme>,
    builder: Arc<dyn Fn() -> VerifierBuilder + Send + Sync>,
}

impl fmt::Debug for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Scheme").field(&self.meta).finish()
    }
}

impl Scheme {
    /// The scheme `--preset` (and, for `custom`, the other scheme flags) describe.
    pub(crate) fn from_args(args: &SchemeArgs) -> Result<Self, ConfigError> {
        if args.preset != CUSTOM {
            return all().find(|scheme| scheme.name() == args.preset).ok_or_else(|| {
                ConfigError::InvalidScheme { problem: format!("unknown preset `{}`", args.preset) }
            });
        }
        let header = args.signature_header.as_deref().ok_or_else(|| ConfigError::InvalidScheme {
            problem: "--preset custom needs --signature-header".to_owned(),
        })?;
        let mut builder = Custom::builder(header)
            .encoding(match args.encoding {
                EncodingArg::Hex => Encoding::Hex,
                EncodingArg::Base64 => Encoding::Base64,
            })
            .algorithm(match args.algorithm {
                AlgorithmArg::Sha1 => Algorithm::HmacSha1,
                AlgorithmArg::Sha256 => Algorithm::HmacSha256,
                AlgorithmArg::Sha512 => Algorithm::HmacSha512,
            })
            .content(args.content.clone())
            .key_format(match args.key_format {
                KeyFormatArg::Raw => KeyFormat::Raw,
                KeyFormatArg::Whsec => KeyFormat::WhsecBase64,
                KeyFormatArg::Hex => KeyFormat::Hex,
                KeyFormatArg::Base64 => KeyFormat::Base64,
            });
        if let Some(prefix) = &args.signature_prefix {
            builder = builder.prefix(prefix.clone());
        }
        if let Some(separator) = args.signature_separator {
            builder = builder.separator(separator);
        }
        if let Some(name) = &args.timestamp_header {
            builder = builder.timestamp_header(name.clone());
        }
        if let Some(name) = &args.id_header {
            builder = builder.id_header(name.clone());
        }
        Ok(Self::from_scheme(builder.build()?))
    }

    /// Any scheme, such as a custom one.
    pub(crate) fn from_scheme<S: hookwarden::Scheme + Clone>(scheme: S) -> Self {
        Self { meta: Arc::new(scheme.clone()), builder: Arc::new(move || Verifier::builder(scheme.clone())) }
    }

    pub(crate) fn name(&self) -> &'static str {
        self.meta.name()
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        self.meta.algorithm()
    }

    pub(crate) fn key_format(&self) -> KeyFormat {
        self.meta.key_format()
    }

    pub(crate) fn tolerance(&self) -> Option<Tolerance> {
        self.meta.tolerance()
    }

    /// Where the scheme's signature travels.
    pub(crate) fn signing(&self) -> Signing {
        if matches!(self.algorithm(), Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256) {
            return Signing::PublicKey;
        }
        match self.probe().map(|probe| probe.sign(&probe_message())) {
            Some(Err(SignError::SignatureInBody)) => Signing::Body,
            Some(Err(SignError::NoPrivateKey)) => Signing::PublicKey,
            _ => Signing::Headers,
        }
    }

    /// Whether the scheme insists on `whsec_` secrets it uses as they are (Stripe).
    pub(crate) fn wants_raw_whsec(&self) -> bool {
        self.key_format() == KeyFormat::Raw
            && self.meta.check_secret(b"whsec_0123456789abcdef").is_ok()
            && self.meta.check_secret(b"0123456789abcdef").is_err()
    }

    /// A verifier for this scheme with `secrets`, the given clock and tolerance.
    pub(crate) fn verifier(
        &self,
        secrets: &[(String, Vec<u8>)],
        clock: impl Clock,
        tolerance: Window,
    ) -> Result<Verifier, ConfigError> {
        let mut builder = (self.builder)();
        for (id, secret) in secrets {
            builder = builder.key(id.clone(), secret);
        }
        builder = builder.clock(clock);
        builder = match tolerance {
            Window::Default => builder,
            Window::Seconds(secs) => builder.tolerance(Duration::from_secs(secs)),
            Window::Skip => builder.skip_timestamp_check(),
        };
        builder.build()
    }

    /// A verifier with a throwaway key, for reading a request's headers without a secret.
    fn probe(&self) -> Option<Verifier> {
        PROBE_SECRETS
            .iter()
            .find_map(|secret| (self.builder)().secret(secret).skip_timestamp_check().build().ok())
    }

    /// The provider's endpoint check, as `serve` (and the adapters, with `answer_handshakes`)
    /// answer it; `None` for providers without one.
    pub(crate) fn handshake(&self) -> Option<&'static str> {
        Some(match self.name() {
            "slack" => "`url_verification` (signed): answered with its `challenge`",
            "discord" => "PING, `{\"type\":1}` (signed): answered `{\"type\":1}`",
            "twitch" => "`webhook_callback_verification` (signed): answered with its `challenge`, as text",
            "zoom" => {
                "`endpoint.url_validation` (signed): answered `plainToken` + `encryptedToken` (its HMAC)"
            }
            "okta" => {
                "a one-time GET with `X-Okta-Verification-Challenge`: answered `{\"verification\": ...}`"
            }
            _ => return None,
        })
    }

    /// What the replay store remembers a delivery by: only signed data, found by signing and
    /// verifying a probe delivery.
    pub(crate) fn replay_identity(&self) -> String {
        if let Some(path) = self.meta.event_id_field() {
            return format!(
                "the event id at `{path}` in the signed body (else a digest of the signed content)"
            );
        }
        match self.probe_signed_id() {
            Some(place) => format!("the signed id ({place})"),
            None => "a digest of the signed content without its timestamp (nothing signed names the event)"
                .to_owned(),
        }
    }

    /// Where a signed delivery id travels, if the scheme signs one: a probe delivery with the
    /// id `msg_probe` is signed (for public-key presets, with a throwaway key) and verified.
    fn probe_signed_id(&self) -> Option<String> {
        let message = probe_message();
        let url = "https://example.com/webhooks";
        let (verifier, headers, body) = match self.signing() {
            Signing::PublicKey => {
                let seed = "0101010101010101010101010101010101010101010101010101010101010101";
                let key = match self.name() {
                    "standard-webhooks-ed25519" => {
                        PrivateKey::parse(self.name(), &format!("whsk_{}", base64_of(&[1; 32])))
                    }
                    name => PrivateKey::parse(name, seed),
                }
                .ok()?;
                let headers = key.sign(self.name(), "msg_probe", 1_600_000_000, b"").ok()?;
                let verifier = (self.builder)()
                    .secret(key.public_key(self.name()))
                    .skip_timestamp_check()
                    .build()
                    .ok()?;
                (verifier, headers, Vec::new())
            }
            Signing::Body => {
                let verifier = self.probe()?;
                let body = verifier.sign_body(&message).ok()?;
                (verifier, Vec::new(), body)
            }
            Signing::Headers => {
                let verifier = self.probe()?;
                let headers = verifier.sign(&message).ok()?;
                let headers =
                    headers.iter().map(|(name, value)| (name.to_owned(), value.to_owned())).collect();
                (verifier, headers, Vec::new())
            }
        };
        let request = hookwarden::scheme::Request::new(&headers, &body).url(url).method("POST");
        let verified = verifier.verify_request(&request).ok()?;
        (verified.id() == Some("msg_probe")).then(|| {
            headers
                .iter()
                .find(|(_, value)| value == "msg_probe")
                .map_or_else(|| "inside the body".to_owned(), |(name, _)| format!("`{name}`"))
        })
    }

    /// Whether the scheme signs the URL the provider called (Twilio, Square, HubSpot).
    pub(crate) fn signs_url(&self) -> bool {
        self.probe().is_some_and(|probe| {
            let message = Message::new(b"").id("msg_probe").timestamp(1_600_000_000).method("POST");
            probe.sign(&message) == Err(SignError::MissingUrl)
        })
    }

    /// The headers this scheme signs with, as names in the provider's spelling: none for
    /// schemes whose signature travels inside the body.
    pub(crate) fn header_names(&self) -> Vec<String> {
        let known = public_key_headers(self.name());
        if !known.is_empty() {
            return known.iter().map(|&name| name.to_owned()).collect();
        }
        let Some(probe) = self.probe() else { return Vec::new() };
        probe
            .sign(&probe_message())
            .map(|headers| headers.iter().map(|(name, _)| name.to_owned()).collect())
            .unwrap_or_default()
    }

    /// Whether the scheme sends the secret itself instead of a signature (GitLab, Okta).
    pub(crate) fn is_token(&self) -> bool {
        self.algorithm() == Algorithm::Token
    }

    /// The header in which the provider names each delivery (unsigned: for correlation only).
    pub(crate) fn delivery_id_header(&self) -> Option<&'static hookwarden::headers::HeaderName> {
        self.meta.delivery_id_header()
    }

    /// The headers that carry the secret itself, for token schemes: never shown.
    pub(crate) fn token_headers(&self) -> Vec<String> {
        if !self.is_token() {
            return Vec::new();
        }
        PROBE_SECRETS
            .iter()
            .find_map(|secret| {
                let probe = (self.builder)().secret(secret).skip_timestamp_check().build().ok()?;
                let headers = probe.sign(&probe_message()).ok()?;
                Some(
                    headers
                        .iter()
                        .filter(|(_, value)| value.contains(secret))
                        .map(|(name, _)| name.to_ascii_lowercase())
                        .collect(),
                )
            })
            .unwrap_or_default()
    }

    /// What the scheme reads out of `headers`, without a secret.
    pub(crate) fn inspect(&self, req: Req<'_>, body: &[u8]) -> Inspection {
        let Some(probe) = self.probe() else {
            return Inspection { parsed: Err(None), timestamp: None };
        };
        let parsed = match req.verify(&probe, body) {
            // The throwaway key matched: the request was signed with a published test key.
            Ok(_) => Ok(None),
            Err(VerifyError::NoMatchingSignature { signatures, .. }) => Ok(Some(signatures)),
            Err(error) => Err(Some(error)),
        };
        let timestamp = if parsed.is_ok() { self.signed_timestamp(req, body) } else { None };
        Inspection { parsed, timestamp }
    }

    /// The signed timestamp of a request that parses, found through the tolerance check: as of
    /// the earliest possible time, every timestamp is `2^63 + t` seconds in the future.
    fn signed_timestamp(&self, req: Req<'_>, body: &[u8]) -> Option<i64> {
        self.tolerance()?;
        let secret = PROBE_SECRETS.iter().find_map(|secret| {
            (self.builder)()
                .secret(secret)
                .tolerance(Duration::from_secs(1))
                .clock(hookwarden::FixedClock::at(i64::MIN))
                .build()
                .ok()
        })?;
        match req.verify(&secret, body) {
            Err(VerifyError::TimestampTooNew { skew }) => {
                let t = skew.as_secs().checked_sub(1 << 63)?;
                i64::try_from(t).ok()
            }
            _ => None,
        }
    }
}

/// A request as the CLI hands it to a verifier: its headers, and the method and public URL for
/// schemes that sign them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Req<'a> {
    pub(crate) headers: &'a Vec<(String, Vec<u8>)>,
    pub(crate) method: &'a str,
    pub(crate) url: Option<&'a str>,
}

impl Req<'_> {
    /// Verifies `body` as the body of this request.
    pub(crate) fn verify(&self, verifier: &Verifier, body: &[u8]) -> Result<Verified, VerifyError> {
        let mut request = hookwarden::scheme::Request::new(self.headers, body).method(self.method);
        if let Some(url) = self.url {
            request = request.url(url);
        }
        verifier.verify_request(&request)
    }
}

/// Which timestamp window a verifier uses.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Window {
    /// The provider's.
    Default,
    /// This many seconds either way.
    Seconds(u64),
    /// None: only the signature is checked.
    Skip,
}

/// What a scheme read out of a request.
#[derive(Debug)]
pub(crate) struct Inspection {
    /// The number of signatures (`None` if unknown), or why the headers do not parse (`None` if
    /// no throwaway key suits the scheme).
    pub(crate) parsed: Result<Option<usize>, Option<VerifyError>>,
    /// The signed timestamp, for schemes that sign one.
    pub(crate) timestamp: Option<i64>,
}

/// A message every scheme can sign: an id, a timestamp, a method and a URL.
fn probe_message() -> Message<'static> {
    Message::new(b"")
        .id("msg_probe")
        .timestamp(1_600_000_000)
        .method("POST")
        .url("https://example.com/webhooks")
}

/// Throwaway secrets, one of which every scheme's secret check and key format accepts: for
/// the public-key schemes, published test keys (RFC 8032's first Ed25519 key: hex, `whpk_` and
/// plain base64; the P-256 key of SendGrid's SDK tests).
const PROBE_SECRETS: &[&str] = &[
    "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "00000000000000000000000000000000000000000000000000000000000000",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==",
];

/// A short description of a key format.
pub(crate) fn describe_key_format(format: KeyFormat) -> &'static str {
    match format {
        KeyFormat::Raw => "the secret's bytes, as they are",
        KeyFormat::WhsecBase64 => "`whsec_` + base64, decoded",
        KeyFormat::Hex => "hex, decoded",
        KeyFormat::Base64 => "base64, decoded",
        KeyFormat::WhpkBase64 => "`whpk_` + base64, decoded",
        _ => "provider-specific",
    }
}

/// A short name of an algorithm.
pub(crate) fn describe_algorithm(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::HmacSha1 => "HMAC-SHA1",
        Algorithm::HmacSha256 => "HMAC-SHA256",
        Algorithm::HmacSha512 => "HMAC-SHA512",
        Algorithm::Token => "a shared token sent as it is (nothing is signed)",
        Algorithm::Ed25519 => "Ed25519",
        Algorithm::EcdsaP256Sha256 => "ECDSA P-256",
        _ => "a signature",
    }
}

/// Standard base64, for the probe's throwaway `whsk_` key.
fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_has_a_unique_name_and_headers() {
        let names = names_and_custom();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        for scheme in all() {
            let in_body = scheme.signing() == Signing::Body;
            assert_eq!(scheme.header_names().is_empty(), in_body, "{}", scheme.name());
            assert!(scheme.probe().is_some(), "no probe secret suits {}", scheme.name());
        }
    }

    #[test]
    fn signing_kinds() {
        let of = |kind| all().filter(|s| s.signing() == kind).map(|s| s.name()).collect::<Vec<_>>();
        assert_eq!(of(Signing::PublicKey), ["standard-webhooks-ed25519", "discord", "sendgrid", "telnyx"]);
        assert_eq!(of(Signing::Body), ["mailgun", "adyen-classic"]);
        for name in of(Signing::PublicKey) {
            assert!(!public_key_headers(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn event_headers_are_not_signed_headers() {
        for scheme in all() {
            if let Some(event) = event_header(scheme.name()) {
                let signed = scheme.header_names();
                assert!(!signed.iter().any(|h| h.eq_ignore_ascii_case(event.name)), "{}", scheme.name());
                assert!(http::HeaderName::from_bytes(event.name.as_bytes()).is_ok());
            }
        }
    }

    #[test]
    fn signed_timestamps_are_read_back_exactly() {
        // Public-key schemes cannot sign: the CLI tests read their timestamps from SDK vectors.
        for scheme in all().filter(|s| s.tolerance().is_some() && s.signing() != Signing::PublicKey) {
            let probe = scheme.probe().unwrap();
            // Up to the last second RFC 3339 can write (Twitch).
            for t in [1, 2, 1_700_000_000, 253_402_300_799] {
                let url = "https://example.com/webhooks";
                // Linear reads its timestamp out of the body, in milliseconds.
                let body = format!(r#"{{"webhookTimestamp":{}000}}"#, t);
                let message = Message::new(body.as_bytes()).id("msg_1").timestamp(t).method("POST").url(url);
                let (pairs, body): (Vec<(String, Vec<u8>)>, Vec<u8>) = match scheme.signing() {
                    Signing::Body => (Vec::new(), probe.sign_body(&message).unwrap()),
                    _ => {
                        let headers = probe.sign(&message).unwrap();
                        let pairs = headers.iter().map(|(n, v)| (n.to_owned(), v.as_bytes().to_vec()));
                        (pairs.collect(), body.into_bytes())
                    }
                };
                let req = Req { headers: &pairs, method: "POST", url: Some(url) };
                assert_eq!(scheme.inspect(req, &body).timestamp, Some(t), "{} {t}", scheme.name());
            }
        }
    }

    #[test]
    fn stripe_wants_raw_whsec_secrets() {
        let wants: Vec<_> = all().filter(Scheme::wants_raw_whsec).map(|s| s.name()).collect();
        assert_eq!(wants, ["stripe"]);
    }
}
