//! Ready-made schemes for real providers.
//!
//! | preset | signature header | signed content | timestamp | signed id |
//! |---|---|---|---|---|
//! | [`StandardWebhooks`] | `webhook-signature: v1,<base64>` (space-separated list) | `{id}.{timestamp}.{body}` | ±5 min | `webhook-id` |
//! | [`Svix`] | `svix-signature` (or `webhook-signature`) | as Standard Webhooks | ±5 min | `svix-id` |
//! | [`Stripe`] | `Stripe-Signature: t=<ts>,v1=<hex>,...` | `{t}.{body}` | ±5 min | none |
//! | [`GitHub`] | `X-Hub-Signature-256: sha256=<hex>` | `{body}` | none | none |
//! | [`Slack`] | `X-Slack-Signature: v0=<hex>` | `v0:{timestamp}:{body}` | ±5 min | none |
//! | [`Shopify`] | `X-Shopify-Hmac-Sha256: <base64>` | `{body}` | none | none |
//!
//! Where a provider signs no id, replay keys are derived from the signed content; where it
//! signs no timestamp, only the replay store stops a captured delivery from being replayed.

mod github;
mod shopify;
mod slack;
mod standard_webhooks;
mod stripe;

pub use github::GitHub;
pub use shopify::Shopify;
pub use slack::Slack;
pub use standard_webhooks::{StandardWebhooks, Svix};
pub use stripe::Stripe;
