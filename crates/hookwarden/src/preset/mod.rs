//! Ready-made schemes for real providers.
//!
//! | preset | signature | signed content | timestamp | feature |
//! |---|---|---|---|---|
//! | [`StandardWebhooks`] | `webhook-signature: v1,<base64>` (list) | `{id}.{timestamp}.{body}` | ±5 min | |
//! | [`StandardWebhooksEd25519`] | `webhook-signature: v1a,<base64>` (Ed25519) | `{id}.{timestamp}.{body}` | ±5 min | `ed25519` |
//! | [`Svix`], [`Clerk`], [`Resend`] | `svix-signature` (or `webhook-signature`) | as Standard Webhooks | ±5 min | |
//! | [`GitLabSigning`] | `webhook-signature` | as Standard Webhooks | ±5 min | |
//! | [`GitLab`] | `X-Gitlab-Token: <token>` (no MAC) | nothing | none | |
//! | [`Okta`] | `Authorization: <secret>` (no MAC) | nothing | none | |
//! | [`Stripe`] | `Stripe-Signature: t=<ts>,v1=<hex>,...` | `{t}.{body}` | ±5 min | |
//! | [`GitHub`] | `X-Hub-Signature-256: sha256=<hex>` | `{body}` | none | |
//! | [`Slack`] | `X-Slack-Signature: v0=<hex>` | `v0:{timestamp}:{body}` | ±5 min | |
//! | [`Shopify`] | `X-Shopify-Hmac-Sha256: <base64>` | `{body}` | none | |
//! | [`Twilio`] | `X-Twilio-Signature: <base64>` (SHA-1) | `{URL}` + sorted form params | none | |
//! | [`TwilioSharedKey`] | `X-Twilio-Signature: <base64>` (SHA-256 or SHA-1, as `X-Twilio-Webhooks-Signature-Settings` announces) | as Twilio | none | |
//! | [`Square`] | `x-square-hmacsha256-signature: <base64>` | `{URL}{body}` | none | |
//! | [`HubSpot`] | `X-HubSpot-Signature-v3: <base64>` | `{method}{URL}{body}{timestamp}` | ±5 min (ms) | |
//! | [`Discord`] | `X-Signature-Ed25519: <hex>` (Ed25519) | `{timestamp}{body}` | ±5 min | `ed25519` |
//! | [`SendGrid`] | `X-Twilio-Email-Event-Webhook-Signature: <base64 DER>` (ECDSA P-256) | `{timestamp}{body}` | ±5 min | `p256` |
//! | [`Linear`] | `Linear-Signature: <hex>` | `{body}` | body `webhookTimestamp` (ms), ±1 min | `json` |
//! | [`Twitch`] | `Twitch-Eventsub-Message-Signature: sha256=<hex>` | `{id}{timestamp}{body}` | RFC 3339, 10 min past | |
//! | [`Paddle`] | `Paddle-Signature: ts=<ts>;h1=<hex>` | `{ts}:{body}` | ±5 s | |
//! | [`Zoom`] | `x-zm-signature: v0=<hex>` | `v0:{timestamp}:{body}` | ±5 min | |
//! | [`Mux`] | `Mux-Signature: t=<ts>,v1=<hex>` | `{t}.{body}` | ±5 min | |
//! | [`Calendly`] | `Calendly-Webhook-Signature: t=<ts>,v1=<hex>` | `{t}.{body}` | ±3 min | |
//! | [`Bitbucket`] | `X-Hub-Signature: sha256=<hex>` | `{body}` | none | |
//! | [`PagerDuty`] | `X-PagerDuty-Signature: v1=<hex>[,v1=...]` | `{body}` | none | |
//! | [`Sentry`] | `Sentry-Hook-Signature: <hex>` | `{body}` | none (its timestamp is unsigned) | |
//! | [`Intercom`] | `X-Hub-Signature: sha1=<hex>` (SHA-1) | `{body}` | none | |
//! | [`Typeform`] | `Typeform-Signature: sha256=<base64>` | `{body}` | none | |
//! | [`LemonSqueezy`] | `X-Signature: <hex>` | `{body}` | none | |
//! | [`Vercel`] | `x-vercel-signature: <hex>` (SHA-1) | `{body}` | none | |
//! | [`WooCommerce`] | `X-WC-Webhook-Signature: <base64>` | `{body}` | none | |
//! | [`Coinbase`] | `X-CC-Webhook-Signature: <hex>` | `{body}` | none | |
//! | [`Razorpay`] | `X-Razorpay-Signature: <hex>` | `{body}` | none | |
//! | [`Xero`] | `x-xero-signature: <base64>` | `{body}` | none | |
//! | [`Adyen`] | `HmacSignature: <base64>` (hex key) | `{body}` | none | |
//! | [`AdyenClassic`] | body `additionalData.hmacSignature: <base64>` (hex key) | 8 item fields joined by `:` | none | `json` |
//! | [`Mailgun`] | body `signature.signature: <hex>` | `{timestamp}{token}` from the body | body `signature.timestamp`, ±5 min | `json` |
//! | [`DocuSign`] | `X-DocuSign-Signature-1..8: <base64>` | `{body}` | none | |
//! | [`OpenAi`], [`Replicate`] | `webhook-signature` | as Standard Webhooks | ±5 min | |
//! | [`Polar`] | `webhook-signature` (key: the secret's own bytes) | as Standard Webhooks | ±5 min | |
//! | [`Meta`] | `X-Hub-Signature-256: sha256=<hex>` | `{body}` | none | |
//! | [`Heroku`] | `Heroku-Webhook-Hmac-SHA256: <base64>` | `{body}` | none | |
//! | [`Airtable`] | `X-Airtable-Content-MAC: hmac-sha256=<hex>` (base64 key) | `{body}` | none | |
//! | [`HcpTerraform`] | `X-TFE-Notification-Signature: <hex>` (SHA-512) | `{body}` | none | |
//! | [`GoCardless`] | `Webhook-Signature: <hex>` | `{body}` | none | |
//! | [`Notion`] | `X-Notion-Signature: sha256=<hex>` | `{body}` | none | |
//! | [`CalCom`] | `X-Cal-Signature-256: <hex>` | `{body}` | none | |
//! | [`Segment`] | `X-Signature: <hex>` (SHA-1) | `{body}` | none | |
//! | [`MicrosoftTeams`] | `Authorization: HMAC <base64>` (base64 key) | `{body}` | none | |
//! | [`Dropbox`] | `X-Dropbox-Signature: <hex>` | `{body}` | none | |
//! | [`Asana`] | `X-Hook-Signature: <hex>` | `{body}` | none | |
//! | [`X`] | `x-twitter-webhooks-signature: sha256=<base64>` | `{body}` | none | |
//! | [`Gitea`], [`Gogs`] | `X-Gitea-Signature` / `X-Gogs-Signature: <hex>` | `{body}` | none | |
//! | [`Jira`] | `X-Hub-Signature: sha256=<hex>` | `{body}` | none | |
//! | [`LaunchDarkly`] | `X-LD-Signature: <hex>` | `{body}` | none | |
//! | [`Hookdeck`] | `X-Hookdeck-Signature: <base64>` | `{body}` | none | |
//! | [`Pusher`] | `X-Pusher-Signature: <hex>` | `{body}` | none | |
//! | [`MailerSend`] | `Signature: <hex>` | `{body}` | none | |
//! | [`CircleCi`] | `circleci-signature: v1=<hex>[,v1=...]` | `{body}` | none | |
//! | [`Mandrill`] | `X-Mandrill-Signature: <base64>` (SHA-1) | `{URL}` + sorted form params | none | |
//! | [`Trello`] | `X-Trello-Webhook: <base64>` (SHA-1) | `{body}{callback URL}` | none | |
//! | [`Zendesk`] | `X-Zendesk-Webhook-Signature: <base64>` | `{timestamp}{body}` | RFC 3339, ±5 min | |
//! | [`Webflow`] | `x-webflow-signature: <hex>` | `{timestamp}:{body}` | ms, ±5 min | |
//! | [`FrameIo`] | `X-Frameio-Signature: v0=<hex>` | `v0:{timestamp}:{body}` | ±5 min | |
//! | [`CustomerIo`] | `X-CIO-Signature: <hex>` | `v0:{timestamp}:{body}` | ±5 min | |
//! | [`Lob`] | `Lob-Signature: <hex>` | `{timestamp}.{body}` | ±5 min | |
//! | [`TikTok`] | `TikTok-Signature: t=<ts>,s=<hex>` | `{t}.{body}` | ±5 min | |
//! | [`WorkOs`] | `WorkOS-Signature: t=<ms>, v1=<hex>` | `{t}.{body}` | ±3 min | |
//! | [`Buildkite`] | `X-Buildkite-Signature: timestamp=<ts>,signature=<hex>` | `{timestamp}.{body}` | ±5 min | |
//! | [`Recurly`] | `recurly-signature: <ms>,<hex>[,<hex>]` | `{ms}.{body}` | ±5 min | |
//! | [`BoxCom`] | `BOX-SIGNATURE-PRIMARY` / `-SECONDARY: <base64>` | `{body}{timestamp}` | RFC 3339, 10 min past, 1 min ahead | |
//! | [`Telnyx`] | `telnyx-signature-ed25519: <base64>` (Ed25519) | `{timestamp}\|{body}` | ±5 min | `ed25519` |
//!
//! What identifies each provider's events for replay protection (a signed id, the event id in
//! the body, or a digest of the signed content without its timestamp) is in the
//! [`replay`](crate::replay) module's table. Where a provider signs no timestamp, only the
//! replay store stops a captured delivery from being replayed. Presets that sign the URL
//! (Twilio, Square, HubSpot, Trello, Mandrill) need the public URL in [`Request::url`](crate::scheme::Request::url).
//!
//! Two presets carry their signature **inside the body** and sign only some of its fields
//! ([`Mailgun`], [`AdyenClassic`]): the rest of the body is not authenticated, and signing
//! them is [`Verifier::sign_body`](crate::Verifier::sign_body), which writes the signature into
//! the body, instead of [`Verifier::sign`](crate::Verifier::sign).
//!
//! Adding a provider is one file here: a unit struct implementing [`Scheme`](crate::Scheme)
//! and its documentation (headers, secret, tolerance, replay key, an example). A provider that
//! only MACs the raw body into one header (GitHub, Bitbucket, Sentry, Intercom, Typeform, Lemon
//! Squeezy, Vercel, WooCommerce, Coinbase, Razorpay, Xero, Adyen, and most of the providers
//! added since) is a few lines of data instead of an `impl` (`preset/body_mac.rs` says how), and
//! its tests are a row of `tests/presets.rs`. So is a provider that MACs a timestamp and the body
//! (Zendesk, Webflow, WorkOS, Recurly, Box, Telnyx, ...: `preset/stamped.rs`), whose tests are
//! rows of the second table of `tests/presets.rs`.
//!
//! Some providers check an endpoint with a request that carries no signature (Meta's
//! `hub.challenge`, X's CRC, Dropbox's `challenge`, Asana's `X-Hook-Secret`, Notion's
//! verification token, Trello's `HEAD`): the [`handshake`](crate::handshake) module says why
//! those are not answered by a verifier.

mod aliases;
mod body_mac;
mod form;
mod signature_header;
mod stamped;

mod adyen;
#[cfg(feature = "json")]
mod adyen_classic;
mod bitbucket;
mod calendly;
mod coinbase;
#[cfg(feature = "ed25519")]
mod discord;
mod docusign;
mod github;
mod gitlab;
mod hubspot;
mod intercom;
#[cfg(feature = "json")]
mod json_body;
mod lemon_squeezy;
#[cfg(feature = "json")]
mod linear;
#[cfg(feature = "json")]
mod mailgun;
mod mux;
mod okta;
mod paddle;
mod pagerduty;
mod razorpay;
#[cfg(feature = "p256")]
mod sendgrid;
mod sentry;
mod shopify;
mod slack;
mod square;
mod standard_webhooks;
#[cfg(feature = "ed25519")]
mod standard_webhooks_ed25519;
mod stripe;
mod twilio;
mod twitch;
mod typeform;
mod vercel;
mod woocommerce;
mod xero;
mod zoom;

// Added with issue 19.
mod airtable;
mod asana;
mod box_com;
mod buildkite;
mod cal_com;
mod circleci;
mod customer_io;
mod dropbox;
mod frame_io;
mod gitea;
mod gocardless;
mod gogs;
mod hcp_terraform;
mod heroku;
mod hookdeck;
mod jira;
mod launchdarkly;
mod lob;
mod mailersend;
mod mandrill;
mod meta;
mod microsoft_teams;
mod notion;
mod pusher;
mod recurly;
mod segment;
mod standard_webhooks_senders;
#[cfg(feature = "ed25519")]
mod telnyx;
mod tiktok;
mod trello;
mod webflow;
mod workos;
mod x;
mod zendesk;

pub use adyen::Adyen;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use adyen_classic::AdyenClassic;
pub use airtable::Airtable;
pub use aliases::{Clerk, GitLabSigning, Resend};
pub use asana::Asana;
pub use bitbucket::Bitbucket;
pub use box_com::BoxCom;
pub use buildkite::Buildkite;
pub use cal_com::CalCom;
pub use calendly::Calendly;
pub use circleci::CircleCi;
pub use coinbase::Coinbase;
pub use customer_io::CustomerIo;
#[cfg(feature = "ed25519")]
#[cfg_attr(docsrs, doc(cfg(feature = "ed25519")))]
pub use discord::Discord;
pub use docusign::DocuSign;
pub use dropbox::Dropbox;
pub use frame_io::FrameIo;
pub use gitea::Gitea;
pub use github::GitHub;
pub use gitlab::GitLab;
pub use gocardless::GoCardless;
pub use gogs::Gogs;
pub use hcp_terraform::HcpTerraform;
pub use heroku::Heroku;
pub use hookdeck::Hookdeck;
pub use hubspot::HubSpot;
pub use intercom::Intercom;
pub use jira::Jira;
pub use launchdarkly::LaunchDarkly;
pub use lemon_squeezy::LemonSqueezy;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use linear::Linear;
pub use lob::Lob;
pub use mailersend::MailerSend;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use mailgun::Mailgun;
pub use mandrill::Mandrill;
pub use meta::Meta;
pub use microsoft_teams::MicrosoftTeams;
pub use mux::Mux;
pub use notion::Notion;
pub use okta::Okta;
pub use paddle::Paddle;
pub use pagerduty::PagerDuty;
pub use pusher::Pusher;
pub use razorpay::Razorpay;
pub use recurly::Recurly;
pub use segment::Segment;
#[cfg(feature = "p256")]
#[cfg_attr(docsrs, doc(cfg(feature = "p256")))]
pub use sendgrid::SendGrid;
pub use sentry::Sentry;
pub use shopify::Shopify;
pub use slack::Slack;
pub use square::Square;
pub use standard_webhooks::{StandardWebhooks, Svix};
#[cfg(feature = "ed25519")]
#[cfg_attr(docsrs, doc(cfg(feature = "ed25519")))]
pub use standard_webhooks_ed25519::StandardWebhooksEd25519;
pub use standard_webhooks_senders::{OpenAi, Polar, Replicate};
pub use stripe::Stripe;
#[cfg(feature = "ed25519")]
#[cfg_attr(docsrs, doc(cfg(feature = "ed25519")))]
pub use telnyx::Telnyx;
pub use tiktok::TikTok;
pub use trello::Trello;
pub use twilio::{Twilio, TwilioSharedKey};
pub use twitch::Twitch;
pub use typeform::Typeform;
pub use vercel::Vercel;
pub use webflow::Webflow;
pub use woocommerce::WooCommerce;
pub use workos::WorkOs;
pub use x::X;
pub use xero::Xero;
pub use zendesk::Zendesk;
pub use zoom::Zoom;
