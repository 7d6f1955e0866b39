//! The presets the CLI knows, and building a scheme and a verifier from the command line.
//!
//! Adding a preset is one line in [`PRESETS`]: its name, its headers and its secret format are
//! all read from the scheme itself.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hookwarden::scheme::{Custom, Encoding};
use hookwarden::{
    Algorithm, Clock, ConfigError, KeyFormat, Message, SignError, Tolerance, Verified, Verifier,
    VerifierBuilder, VerifyError, preset,
};

use crate::cli::{AlgorithmArg, EncodingArg, KeyFormatArg, SchemeArgs};

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
    preset!(preset::Svix),
    preset!(preset::Stripe),
    preset!(preset::GitHub),
    preset!(preset::Slack),
    preset!(preset::Shopify),
    preset!(preset::Clerk),
    preset!(preset::Resend),
    preset!(preset::GitLabSigning),
    preset!(preset::Twilio),
    preset!(preset::Square),
    preset!(preset::HubSpot),
    preset!(preset::Linear),
    preset!(preset::GitLab),
    preset!(preset::Okta::default()),
    preset!(preset::Adyen),
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
pub(crate) const FOREIGN_HEADERS: &[(&str, &str)] = &[
    (
        "x-hub-signature",
        "GitHub also sends its legacy SHA-1 signature in this header (as Bitbucket and Intercom \
         send theirs): GitHub deliveries are verified with `X-Hub-Signature-256` (--preset github)",
    ),
    ("x-signature-ed25519", "Discord (Ed25519 public-key signatures): no preset in this CLI yet"),
];

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

    /// Whether the scheme signs the URL the provider called (Twilio, Square, HubSpot).
    pub(crate) fn signs_url(&self) -> bool {
        self.probe().is_some_and(|probe| {
            let message = Message::new(b"").id("msg_probe").timestamp(1_600_000_000).method("POST");
            probe.sign(&message) == Err(SignError::MissingUrl)
        })
    }

    /// The headers this scheme sends, as names in the provider's spelling.
    pub(crate) fn header_names(&self) -> Vec<String> {
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

/// Throwaway secrets, one of which every scheme's secret check and key format accepts.
const PROBE_SECRETS: &[&str] = &[
    "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "00000000000000000000000000000000000000000000000000000000000000",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
];

/// A short description of a key format.
pub(crate) fn describe_key_format(format: KeyFormat) -> &'static str {
    match format {
        KeyFormat::Raw => "the secret's bytes, as they are",
        KeyFormat::WhsecBase64 => "`whsec_` + base64, decoded",
        KeyFormat::Hex => "hex, decoded",
        KeyFormat::Base64 => "base64, decoded",
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
        _ => "a signature",
    }
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
            assert!(!scheme.header_names().is_empty(), "{}", scheme.name());
        }
    }

    #[test]
    fn signed_timestamps_are_read_back_exactly() {
        for scheme in all().filter(|s| s.tolerance().is_some()) {
            let probe = scheme.probe().unwrap();
            // Up to the last second RFC 3339 can write (Twitch).
            for t in [1, 2, 1_700_000_000, 253_402_300_799] {
                let url = "https://example.com/webhooks";
                // Linear reads its timestamp out of the body, in milliseconds.
                let body = format!(r#"{{"webhookTimestamp":{}000}}"#, t);
                let message = Message::new(body.as_bytes()).id("msg_1").timestamp(t).method("POST").url(url);
                let headers = probe.sign(&message).unwrap();
                let pairs: Vec<(String, Vec<u8>)> =
                    headers.iter().map(|(n, v)| (n.to_owned(), v.as_bytes().to_vec())).collect();
                let req = Req { headers: &pairs, method: "POST", url: Some(url) };
                assert_eq!(scheme.inspect(req, body.as_bytes()).timestamp, Some(t), "{} {t}", scheme.name());
            }
        }
    }

    #[test]
    fn stripe_wants_raw_whsec_secrets() {
        let wants: Vec<_> = all().filter(Scheme::wants_raw_whsec).map(|s| s.name()).collect();
        assert_eq!(wants, ["stripe"]);
    }
}
