//! Shared helpers for the workspace-level tests: the conformance vector format and the preset
//! each vector file is for.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hookwarden::preset::{GitHub, Shopify, Slack, StandardWebhooks, Stripe, Svix};
use hookwarden::{ConfigError, FixedClock, Verifier};
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
    let clock = FixedClock::at(now);
    match preset {
        "standard-webhooks" => Verifier::builder(StandardWebhooks).secret(secret).clock(clock).build(),
        "svix" => Verifier::builder(Svix).secret(secret).clock(clock).build(),
        "stripe" => Verifier::builder(Stripe).secret(secret).clock(clock).build(),
        "github" => Verifier::builder(GitHub).secret(secret).clock(clock).build(),
        "slack" => Verifier::builder(Slack).secret(secret).clock(clock).build(),
        "shopify" => Verifier::builder(Shopify).secret(secret).clock(clock).build(),
        other => panic!("no preset called {other}"),
    }
}

/// The folder holding the vector files.
pub fn vectors_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/vectors")
}
