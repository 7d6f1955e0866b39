//! The presets the targets pick from, by index.

use std::sync::OnceLock;

use hookwarden::Verifier;

/// Every preset the workspace tests know, by [`Scheme::name`](hookwarden::Scheme::name).
pub const PRESETS: &[&str] = &[
    "standard-webhooks",
    "standard-webhooks-ed25519",
    "svix",
    "clerk",
    "resend",
    "gitlab-signing",
    "gitlab",
    "okta",
    "stripe",
    "github",
    "slack",
    "shopify",
    "twilio",
    "square",
    "hubspot",
    "discord",
    "sendgrid",
    "linear",
    "twitch",
    "paddle",
    "zoom",
    "mux",
    "calendly",
    "bitbucket",
    "pagerduty",
    "sentry",
    "intercom",
    "typeform",
    "lemon-squeezy",
    "vercel",
    "woocommerce",
    "coinbase",
    "razorpay",
    "xero",
    "adyen",
    "docusign",
    "adyen-classic",
    "mailgun",
    "meta",
    "heroku",
    "airtable",
    "hcp-terraform",
    "gocardless",
    "notion",
    "cal-com",
    "segment",
    "microsoft-teams",
    "dropbox",
    "asana",
    "x",
    "gitea",
    "gogs",
    "jira",
    "launchdarkly",
    "hookdeck",
    "pusher",
    "mailersend",
    "zendesk",
    "webflow",
    "frame-io",
    "customer-io",
    "lob",
    "tiktok",
    "workos",
    "buildkite",
    "recurly",
    "box",
    "trello",
    "mandrill",
    "circleci",
    "openai",
    "replicate",
    "polar",
    "telnyx",
    "twilio-shared-key",
];

/// Presets whose "signature" is a shared token: a request carrying the secret verifies.
pub const TOKEN_PRESETS: &[&str] = &["gitlab", "okta"];

/// Presets whose signature does not cover every byte of the body: the tokens, and the ones
/// that sign chosen fields of it (Adyen's classic notifications, Mailgun's token block).
pub const BODY_NOT_ALL_SIGNED: &[&str] = &["gitlab", "okta", "adyen-classic", "mailgun"];

/// The clock of [`fixed`] verifiers.
pub const FIXED_NOW: i64 = 1_700_000_000;

/// Secrets in the formats the presets want; [`fixed`] takes the first one a preset accepts.
const SECRETS: &[&str] = &[
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==",
    "glwt-5d9c1f0e8b7a6c4d",
    "It's a Secret to Everybody",
    // The RFC 8032 test key again, in plain base64 (Telnyx).
    "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
];

/// The name of the preset at `index` (modulo the table's length).
pub fn name(index: u8) -> &'static str {
    PRESETS[usize::from(index) % PRESETS.len()]
}

/// A verifier for the preset at `index` with `secret`, its clock at `now`; `None` when the
/// secret is refused.
pub fn verifier(index: u8, secret: &str, now: i64) -> Option<Verifier> {
    ::tests::verifier(name(index), secret, now).ok()
}

/// A verifier for the preset at `index` with a secret it accepts, its clock at [`FIXED_NOW`],
/// built once; the secret is returned too.
///
/// # Panics
///
/// When no secret in the table suits a preset (a new preset needs one added).
pub fn fixed(index: u8) -> &'static (Verifier, &'static str) {
    static VERIFIERS: OnceLock<Vec<(Verifier, &'static str)>> = OnceLock::new();
    let all = VERIFIERS.get_or_init(|| {
        PRESETS
            .iter()
            .map(|preset| {
                SECRETS
                    .iter()
                    .find_map(|secret| Some((::tests::verifier(preset, secret, FIXED_NOW).ok()?, *secret)))
                    .unwrap_or_else(|| panic!("no secret in the table suits {preset}"))
            })
            .collect()
    });
    &all[usize::from(index) % PRESETS.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_has_a_fixed_verifier() {
        for index in 0..super::PRESETS.len() {
            let (verifier, _) = super::fixed(index as u8);
            assert_eq!(verifier.scheme(), super::PRESETS[index]);
        }
    }
}
