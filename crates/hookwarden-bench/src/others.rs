//! The other crates, wrapped as [`Contender`]s.

use std::fmt;

use http::HeaderMap;

use crate::{Contender, Scheme};

/// The `standardwebhooks` crate (Standard Webhooks only). With several secrets, one
/// `Webhook` per secret, tried in turn: the crate has no rotation of its own.
pub struct StandardWebhooksCrate(Vec<standardwebhooks::Webhook>);

impl StandardWebhooksCrate {
    /// `Webhook::new` for each secret.
    pub fn new(secrets: &[String]) -> Self {
        Self(secrets.iter().map(|s| standardwebhooks::Webhook::new(s).expect("a whsec_ secret")).collect())
    }
}

impl fmt::Debug for StandardWebhooksCrate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandardWebhooksCrate").field("keys", &self.0.len()).finish_non_exhaustive()
    }
}

impl Contender for StandardWebhooksCrate {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        self.0.iter().any(|webhook| webhook.verify(body, headers).is_ok())
    }
}

/// The `svix` crate's `webhooks::Webhook` (Standard Webhooks under svix's or the standard
/// header names). With several secrets, one `Webhook` per secret, tried in turn.
pub struct SvixCrate(Vec<svix::webhooks::Webhook>);

impl SvixCrate {
    /// `Webhook::new` for each secret.
    pub fn new(secrets: &[String]) -> Self {
        Self(secrets.iter().map(|s| svix::webhooks::Webhook::new(s).expect("a whsec_ secret")).collect())
    }
}

impl fmt::Debug for SvixCrate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SvixCrate").field("keys", &self.0.len()).finish_non_exhaustive()
    }
}

impl Contender for SvixCrate {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        self.0.iter().any(|webhook| webhook.verify(body, headers).is_ok())
    }
}

/// The `webhook-verify` crate: `verify` with one secret, its own `verify_any` with several.
/// Its options default to a five-minute tolerance against the system clock.
pub struct WebhookVerifyCrate {
    provider: webhook_verify::Provider,
    secrets: Vec<webhook_verify::Secret>,
}

impl WebhookVerifyCrate {
    /// A verifier of `scheme` holding `secrets`.
    pub fn new(scheme: Scheme, secrets: &[String]) -> Self {
        let provider = match scheme {
            Scheme::StandardWebhooks => webhook_verify::Provider::StandardWebhooks,
            Scheme::Stripe => webhook_verify::Provider::Stripe,
            Scheme::GitHub => webhook_verify::Provider::GitHub,
        };
        Self { provider, secrets: secrets.iter().map(webhook_verify::Secret::new).collect() }
    }
}

impl fmt::Debug for WebhookVerifyCrate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifyCrate").field("keys", &self.secrets.len()).finish_non_exhaustive()
    }
}

impl Contender for WebhookVerifyCrate {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        let options = webhook_verify::VerifyOptions::default();
        match self.secrets.as_slice() {
            [secret] => webhook_verify::verify(self.provider, headers, body, secret, options).is_ok(),
            secrets => webhook_verify::verify_any(self.provider, headers, body, secrets, options).is_ok(),
        }
    }
}
