//! Shared helpers for the workspace-level tests: the conformance vector format and the preset
//! each vector file is for; and, for the examples' and the CLI's signal tests, a server binary
//! under test ([`running`]).

pub mod running;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hookwarden::preset::{
    Adyen, AdyenClassic, Bitbucket, Calendly, Clerk, Coinbase, Discord, DocuSign, GitHub, GitLab,
    GitLabSigning, HubSpot, Intercom, LemonSqueezy, Linear, Mailgun, Mux, Okta, Paddle, PagerDuty, Razorpay,
    Resend, SendGrid, Sentry, Shopify, Slack, Square, StandardWebhooks, StandardWebhooksEd25519, Stripe,
    Svix, Twilio, TwilioSharedKey, Twitch, Typeform, Vercel, WooCommerce, Xero, Zoom,
};
use hookwarden::preset::{
    Airtable, Asana, BoxCom, Buildkite, CalCom, CircleCi, CustomerIo, Dropbox, FrameIo, Gitea, GoCardless,
    Gogs, HcpTerraform, Heroku, Hookdeck, Jira, LaunchDarkly, Lob, MailerSend, Mandrill, Meta,
    MicrosoftTeams, Notion, OpenAi, Polar, Pusher, Recurly, Replicate, Segment, Telnyx, TikTok, Trello,
    Webflow, WorkOs, X, Zendesk,
};
use hookwarden::scheme::Request;
use hookwarden::{ConfigError, FixedClock, Scheme, Verified, Verifier, VerifyError};
use serde::{Deserialize, Serialize};

/// One vector file: every vector is for the same preset.
#[derive(Debug, Serialize, Deserialize)]
pub struct VectorFile {
    /// The preset's name, as `Scheme::name` gives it.
    pub preset: String,
    /// The script that wrote the file.
    pub generated_by: String,
    /// The SDKs, and their versions, that judged (or signed) the vectors.
    #[serde(default)]
    pub sdks: serde_json::Map<String, serde_json::Value>,
    /// The vectors.
    pub vectors: Vec<Vector>,
}

/// One signed request and the verdict it must get.
#[derive(Debug, Serialize, Deserialize)]
pub struct Vector {
    /// Unique within the file.
    pub name: String,
    /// The secret, in the provider's format.
    pub secret: String,
    /// Unix seconds at which to verify.
    pub now: i64,
    /// Header name/value pairs, in order; names may repeat.
    pub headers: Vec<(String, String)>,
    /// The raw body, standard base64.
    pub body_base64: String,
    /// The HTTP method, for presets that sign it (HubSpot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The public URL the provider called, for presets that sign it (Twilio, Square, HubSpot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Each SDK's verdict, where an SDK judged the vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk: Option<serde_json::Map<String, serde_json::Value>>,
    /// `"accept"`, or the reason code hookwarden must reject with.
    pub expected: String,
    /// Why, especially where the expectation differs from an SDK.
    #[serde(default)]
    pub note: String,
}

impl Vector {
    /// The raw body.
    pub fn body(&self) -> Vec<u8> {
        STANDARD.decode(&self.body_base64).unwrap_or_else(|e| panic!("{}: bad body_base64: {e}", self.name))
    }

    /// Verifies the vector with `verifier`, passing the method and URL where it has them.
    ///
    /// # Errors
    ///
    /// The verifier's rejection.
    pub fn verify(&self, verifier: &Verifier) -> Result<Verified, VerifyError> {
        let body = self.body();
        let mut request = Request::new(&self.headers, &body);
        if let Some(method) = &self.method {
            request = request.method(method);
        }
        if let Some(url) = &self.url {
            request = request.url(url);
        }
        verifier.verify_request(&request)
    }
}

/// A verifier for `preset` with `secret`, whose clock stands at `now`.
///
/// # Errors
///
/// The secret is refused.
///
/// # Panics
///
/// On a preset name no test knows.
pub fn verifier(preset: &str, secret: &str, now: i64) -> Result<Verifier, ConfigError> {
    match preset {
        "standard-webhooks" => build(StandardWebhooks, secret, now),
        "standard-webhooks-ed25519" => build(StandardWebhooksEd25519, secret, now),
        "svix" => build(Svix, secret, now),
        "clerk" => build(Clerk, secret, now),
        "resend" => build(Resend, secret, now),
        "gitlab-signing" => build(GitLabSigning, secret, now),
        "gitlab" => build(GitLab, secret, now),
        "okta" => build(Okta::default(), secret, now),
        "stripe" => build(Stripe, secret, now),
        "github" => build(GitHub, secret, now),
        "slack" => build(Slack, secret, now),
        "shopify" => build(Shopify, secret, now),
        "twilio" => build(Twilio, secret, now),
        "twilio-shared-key" => build(TwilioSharedKey::default(), secret, now),
        "square" => build(Square, secret, now),
        "hubspot" => build(HubSpot, secret, now),
        "discord" => build(Discord, secret, now),
        "sendgrid" => build(SendGrid, secret, now),
        "linear" => build(Linear, secret, now),
        "twitch" => build(Twitch, secret, now),
        "paddle" => build(Paddle, secret, now),
        "zoom" => build(Zoom, secret, now),
        "mux" => build(Mux, secret, now),
        "calendly" => build(Calendly, secret, now),
        "bitbucket" => build(Bitbucket, secret, now),
        "pagerduty" => build(PagerDuty, secret, now),
        "sentry" => build(Sentry, secret, now),
        "intercom" => build(Intercom, secret, now),
        "typeform" => build(Typeform, secret, now),
        "lemon-squeezy" => build(LemonSqueezy, secret, now),
        "vercel" => build(Vercel, secret, now),
        "woocommerce" => build(WooCommerce, secret, now),
        "coinbase" => build(Coinbase, secret, now),
        "razorpay" => build(Razorpay, secret, now),
        "xero" => build(Xero, secret, now),
        "adyen" => build(Adyen, secret, now),
        "adyen-classic" => build(AdyenClassic, secret, now),
        "mailgun" => build(Mailgun, secret, now),
        "docusign" => build(DocuSign, secret, now),
        "meta" => build(Meta, secret, now),
        "heroku" => build(Heroku, secret, now),
        "airtable" => build(Airtable, secret, now),
        "hcp-terraform" => build(HcpTerraform, secret, now),
        "gocardless" => build(GoCardless, secret, now),
        "notion" => build(Notion, secret, now),
        "cal-com" => build(CalCom, secret, now),
        "segment" => build(Segment, secret, now),
        "microsoft-teams" => build(MicrosoftTeams, secret, now),
        "dropbox" => build(Dropbox, secret, now),
        "asana" => build(Asana, secret, now),
        "x" => build(X, secret, now),
        "gitea" => build(Gitea, secret, now),
        "gogs" => build(Gogs, secret, now),
        "jira" => build(Jira, secret, now),
        "launchdarkly" => build(LaunchDarkly, secret, now),
        "hookdeck" => build(Hookdeck, secret, now),
        "pusher" => build(Pusher, secret, now),
        "mailersend" => build(MailerSend, secret, now),
        "zendesk" => build(Zendesk, secret, now),
        "webflow" => build(Webflow, secret, now),
        "frame-io" => build(FrameIo, secret, now),
        "customer-io" => build(CustomerIo, secret, now),
        "lob" => build(Lob, secret, now),
        "tiktok" => build(TikTok, secret, now),
        "workos" => build(WorkOs, secret, now),
        "buildkite" => build(Buildkite, secret, now),
        "recurly" => build(Recurly, secret, now),
        "box" => build(BoxCom, secret, now),
        "trello" => build(Trello, secret, now),
        "mandrill" => build(Mandrill, secret, now),
        "circleci" => build(CircleCi, secret, now),
        "openai" => build(OpenAi, secret, now),
        "replicate" => build(Replicate, secret, now),
        "polar" => build(Polar, secret, now),
        "telnyx" => build(Telnyx, secret, now),
        other => panic!("no preset called {other}"),
    }
}

fn build(scheme: impl Scheme, secret: &str, now: i64) -> Result<Verifier, ConfigError> {
    Verifier::builder(scheme).secret(secret).clock(FixedClock::at(now)).build()
}

/// The Rust snippets of the README: `cargo test` compiles each one (and runs those not marked
/// `no_run`), so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The Rust snippets of `hookwarden-actix`'s README.
#[cfg(doctest)]
#[doc = include_str!("../crates/hookwarden-actix/README.md")]
pub struct ActixReadmeDoctests;

/// The Rust snippets of `hookwarden-redis`'s README.
#[cfg(doctest)]
#[doc = include_str!("../crates/hookwarden-redis/README.md")]
pub struct RedisReadmeDoctests;

/// The folder holding the vector files.
pub fn vectors_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/vectors")
}
