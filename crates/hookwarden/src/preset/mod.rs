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
#[cfg(feature = "ed25519")]
mod discord;
#[cfg(feature = "p256")]
mod sendgrid;
mod signature_header;
#[cfg(feature = "ed25519")]
pub use discord::Discord;
#[cfg(feature = "p256")]
pub use sendgrid::SendGrid;
mod gitlab;
mod okta;
#[cfg(feature = "ed25519")]
mod standard_webhooks_ed25519;
pub use gitlab::GitLab;
pub use okta::Okta;
#[cfg(feature = "ed25519")]
pub use standard_webhooks_ed25519::StandardWebhooksEd25519;
mod adyen;
mod bitbucket;
mod coinbase;
mod intercom;
mod lemon_squeezy;
mod pagerduty;
mod razorpay;
mod sentry;
mod typeform;
mod vercel;
mod woocommerce;
mod xero;
pub use adyen::Adyen;
pub use bitbucket::Bitbucket;
pub use coinbase::Coinbase;
pub use intercom::Intercom;
pub use lemon_squeezy::LemonSqueezy;
pub use pagerduty::PagerDuty;
pub use razorpay::Razorpay;
pub use sentry::Sentry;
pub use typeform::Typeform;
pub use vercel::Vercel;
pub use woocommerce::WooCommerce;
pub use xero::Xero;
mod calendly;
mod docusign;
mod mux;
mod paddle;
mod twitch;
mod zoom;
pub use calendly::Calendly;
pub use docusign::DocuSign;
pub use mux::Mux;
pub use paddle::Paddle;
pub use twitch::Twitch;
pub use zoom::Zoom;
