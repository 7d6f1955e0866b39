//! Properties of every symmetric preset (those that can sign), over random inputs:
//!
//! - what a verifier signs, it verifies: any body (non-UTF-8 included), id, timestamp and key;
//! - one flipped bit anywhere in the body, the signature or the timestamp is rejected;
//! - no header value, however odd, makes verification panic or answer other than 400 or 401.
//!
//! Each property runs every preset on each of its 64 cases, so CI stays fast.

use std::ops::{Range, RangeInclusive};

use base64::Engine as _;
use hookwarden::preset;
use hookwarden::preset::{
    Adyen, Bitbucket, Calendly, Clerk, Coinbase, DocuSign, GitHub, GitLab, GitLabSigning, HubSpot, Intercom,
    LemonSqueezy, Mux, Okta, Paddle, PagerDuty, Razorpay, Resend, Sentry, Shopify, Slack, Square,
    StandardWebhooks, Stripe, Svix, Twilio, TwilioSharedKey, Twitch, Typeform, Vercel, WooCommerce, Xero,
    Zoom,
};
use hookwarden::scheme::Request;
use hookwarden::{FixedClock, Message, Scheme, Timestamp, Verified, Verifier, VerifyError};
use proptest::prelude::*;
use proptest::sample::Index;

/// The public URL every delivery is sent to (the URL-signing presets sign it).
const URL: &str = "https://hooks.example.com/webhook?tenant=1";

/// How a preset wants its secret written, made from random key bytes.
#[derive(Debug, Clone, Copy)]
enum Key {
    /// The bytes as they are.
    Raw,
    /// `whsec_` and the bytes (Stripe checks the prefix, and uses the whole string).
    WhsecRaw,
    /// `whsec_` and the bytes in base64 (Standard Webhooks).
    WhsecBase64,
    /// Hex (Adyen).
    Hex,
    /// Standard base64 (Airtable, Microsoft Teams).
    Base64,
    /// Visible ASCII: a token travels in a header as it is.
    Token,
}

impl Key {
    fn secret(self, key: &[u8]) -> Vec<u8> {
        match self {
            Self::Raw => key.to_vec(),
            Self::WhsecRaw => [b"whsec_", key].concat(),
            Self::WhsecBase64 => {
                format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key)).into()
            }
            Self::Hex => base16ct::lower::encode_string(key).into(),
            Self::Base64 => base64::engine::general_purpose::STANDARD.encode(key).into(),
            Self::Token => key.iter().map(|b| b'!' + b % 94).collect(),
        }
    }
}

/// What a preset can sign.
#[derive(Debug, Clone, Copy)]
enum Body {
    /// Any bytes.
    Any,
    /// Linear reads its timestamp out of a JSON body: the random bytes go in as hex, so this
    /// one body is always UTF-8.
    LinearJson,
    /// A form (Mandrill signs its decoded parameters): the random bytes go in as hex, in one
    /// parameter.
    Form,
    /// Any bytes, bound by their SHA-256 in the signed URL (Twilio's JSON mode). Twilio's form
    /// mode signs decoded parameters, where `%4a` and `%4A` are rightly the same.
    TwilioHashed,
}

/// A preset, how to key it, and what it signs.
struct Preset {
    name: &'static str,
    build: fn(&[u8], i64) -> Verifier,
    key: Key,
    body: Body,
    /// Signs a delivery id, which `Verified::id` must then report.
    signs_id: bool,
    /// The "signature" is the shared secret itself: nothing binds the body to it.
    token: bool,
}

fn build(scheme: impl Scheme, secret: &[u8], now: i64) -> Verifier {
    Verifier::builder(scheme)
        .secret(secret)
        .clock(FixedClock::at(now))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The table: every preset whose `sign` works. Left out: the Ed25519 and ECDSA presets (a
/// verifier holds public keys), and Adyen's classic notifications and Mailgun, whose
/// signatures live in the body and cover chosen fields of it.
fn presets() -> Vec<Preset> {
    const fn mac(name: &'static str, build: fn(&[u8], i64) -> Verifier, key: Key) -> Preset {
        Preset { name, build, key, body: Body::Any, signs_id: false, token: false }
    }
    const fn with_id(name: &'static str, build: fn(&[u8], i64) -> Verifier, key: Key) -> Preset {
        Preset { signs_id: true, ..mac(name, build, key) }
    }
    const fn token(name: &'static str, build: fn(&[u8], i64) -> Verifier) -> Preset {
        Preset { token: true, ..mac(name, build, Key::Token) }
    }
    #[allow(unused_mut)] // without the `json` feature there is nothing to add
    let mut all = vec![
        with_id("standard-webhooks", |k, n| build(StandardWebhooks, k, n), Key::WhsecBase64),
        with_id("svix", |k, n| build(Svix, k, n), Key::WhsecBase64),
        with_id("clerk", |k, n| build(Clerk, k, n), Key::WhsecBase64),
        with_id("resend", |k, n| build(Resend, k, n), Key::WhsecBase64),
        with_id("gitlab-signing", |k, n| build(GitLabSigning, k, n), Key::WhsecBase64),
        with_id("twitch", |k, n| build(Twitch, k, n), Key::Raw),
        token("gitlab", |k, n| build(GitLab, k, n)),
        token("okta", |k, n| build(Okta::default(), k, n)),
        mac("stripe", |k, n| build(Stripe, k, n), Key::WhsecRaw),
        mac("github", |k, n| build(GitHub, k, n), Key::Raw),
        mac("slack", |k, n| build(Slack, k, n), Key::Raw),
        mac("shopify", |k, n| build(Shopify, k, n), Key::Raw),
        Preset { body: Body::TwilioHashed, ..mac("twilio", |k, n| build(Twilio, k, n), Key::Raw) },
        Preset {
            body: Body::TwilioHashed,
            ..mac("twilio-shared-key", |k, n| build(TwilioSharedKey::default(), k, n), Key::Raw)
        },
        mac("square", |k, n| build(Square, k, n), Key::Raw),
        mac("hubspot", |k, n| build(HubSpot, k, n), Key::Raw),
        mac("paddle", |k, n| build(Paddle, k, n), Key::Raw),
        mac("zoom", |k, n| build(Zoom, k, n), Key::Raw),
        mac("mux", |k, n| build(Mux, k, n), Key::Raw),
        mac("calendly", |k, n| build(Calendly, k, n), Key::Raw),
        mac("bitbucket", |k, n| build(Bitbucket, k, n), Key::Raw),
        mac("pagerduty", |k, n| build(PagerDuty, k, n), Key::Raw),
        mac("sentry", |k, n| build(Sentry, k, n), Key::Raw),
        mac("intercom", |k, n| build(Intercom, k, n), Key::Raw),
        mac("typeform", |k, n| build(Typeform, k, n), Key::Raw),
        mac("lemon-squeezy", |k, n| build(LemonSqueezy, k, n), Key::Raw),
        mac("vercel", |k, n| build(Vercel, k, n), Key::Raw),
        mac("woocommerce", |k, n| build(WooCommerce, k, n), Key::Raw),
        mac("coinbase", |k, n| build(Coinbase, k, n), Key::Raw),
        mac("razorpay", |k, n| build(Razorpay, k, n), Key::Raw),
        mac("xero", |k, n| build(Xero, k, n), Key::Raw),
        mac("adyen", |k, n| build(Adyen, k, n), Key::Hex),
        mac("docusign", |k, n| build(DocuSign, k, n), Key::Raw),
        // Added with issue 19.
        mac("meta", |k, n| build(preset::Meta, k, n), Key::Raw),
        mac("heroku", |k, n| build(preset::Heroku, k, n), Key::Raw),
        mac("airtable", |k, n| build(preset::Airtable, k, n), Key::Base64),
        mac("hcp-terraform", |k, n| build(preset::HcpTerraform, k, n), Key::Raw),
        mac("gocardless", |k, n| build(preset::GoCardless, k, n), Key::Raw),
        mac("notion", |k, n| build(preset::Notion, k, n), Key::Raw),
        mac("cal-com", |k, n| build(preset::CalCom, k, n), Key::Raw),
        mac("segment", |k, n| build(preset::Segment, k, n), Key::Raw),
        mac("microsoft-teams", |k, n| build(preset::MicrosoftTeams, k, n), Key::Base64),
        mac("dropbox", |k, n| build(preset::Dropbox, k, n), Key::Raw),
        mac("asana", |k, n| build(preset::Asana, k, n), Key::Raw),
        mac("x", |k, n| build(preset::X, k, n), Key::Raw),
        mac("gitea", |k, n| build(preset::Gitea, k, n), Key::Raw),
        mac("gogs", |k, n| build(preset::Gogs, k, n), Key::Raw),
        mac("jira", |k, n| build(preset::Jira, k, n), Key::Raw),
        mac("launchdarkly", |k, n| build(preset::LaunchDarkly, k, n), Key::Raw),
        mac("hookdeck", |k, n| build(preset::Hookdeck, k, n), Key::Raw),
        mac("pusher", |k, n| build(preset::Pusher, k, n), Key::Raw),
        mac("mailersend", |k, n| build(preset::MailerSend, k, n), Key::Raw),
        mac("zendesk", |k, n| build(preset::Zendesk, k, n), Key::Raw),
        mac("webflow", |k, n| build(preset::Webflow, k, n), Key::Raw),
        mac("frame-io", |k, n| build(preset::FrameIo, k, n), Key::Raw),
        mac("customer-io", |k, n| build(preset::CustomerIo, k, n), Key::Raw),
        mac("lob", |k, n| build(preset::Lob, k, n), Key::Raw),
        mac("tiktok", |k, n| build(preset::TikTok, k, n), Key::Raw),
        mac("workos", |k, n| build(preset::WorkOs, k, n), Key::Raw),
        mac("buildkite", |k, n| build(preset::Buildkite, k, n), Key::Raw),
        mac("recurly", |k, n| build(preset::Recurly, k, n), Key::Raw),
        mac("box", |k, n| build(preset::BoxCom, k, n), Key::Raw),
        mac("trello", |k, n| build(preset::Trello, k, n), Key::Raw),
        Preset { body: Body::Form, ..mac("mandrill", |k, n| build(preset::Mandrill, k, n), Key::Raw) },
        mac("circleci", |k, n| build(preset::CircleCi, k, n), Key::Raw),
        with_id("openai", |k, n| build(preset::OpenAi, k, n), Key::WhsecBase64),
        with_id("replicate", |k, n| build(preset::Replicate, k, n), Key::WhsecBase64),
        with_id("polar", |k, n| build(preset::Polar, k, n), Key::Raw),
    ];
    #[cfg(feature = "json")]
    all.push(Preset {
        body: Body::LinearJson,
        ..mac("linear", |k, n| build(hookwarden::preset::Linear, k, n), Key::Raw)
    });
    all
}

/// The random part of a delivery.
#[derive(Debug, Clone)]
struct Input {
    body: Vec<u8>,
    id: String,
    timestamp: i64,
    key: Vec<u8>,
}

fn input(timestamps: RangeInclusive<i64>, min_body: usize) -> impl Strategy<Value = Input> {
    let body = prop::collection::vec(any::<u8>(), min_body..512);
    let key = prop::collection::vec(any::<u8>(), 16..64);
    (body, "[!-~]{1,64}", timestamps, key).prop_map(|(body, id, timestamp, key)| Input {
        body,
        id,
        timestamp,
        key,
    })
}

/// Every timestamp the presets can write: RFC 3339 (Twitch) stops at the year 9999.
const ANY_TIME: RangeInclusive<i64> = 0..=253_402_300_799;
/// Ten-digit timestamps, so their text is easy to find in a header.
const TEN_DIGITS: RangeInclusive<i64> = 1_000_000_000..=9_999_999_999;

/// A signed delivery, as raw header bytes so that any bit can be flipped.
#[derive(Debug, Clone)]
struct Delivery {
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    url: String,
}

impl Delivery {
    fn verify(&self, verifier: &Verifier) -> Result<Verified, VerifyError> {
        verifier.verify_request(&Request::new(&self.headers, &self.body).url(&self.url).method("POST"))
    }
}

impl Preset {
    /// Signs `input` with `key`, with a verifier whose clock stands at the signed time.
    fn deliver(&self, input: &Input, key: &[u8]) -> (Verifier, Delivery) {
        let verifier = (self.build)(&self.key.secret(key), input.timestamp);
        let (body, url) = match self.body {
            Body::Any => (input.body.clone(), URL.to_owned()),
            Body::LinearJson => {
                let data = base16ct::lower::encode_string(&input.body);
                let json = format!(r#"{{"data":"{data}","webhookTimestamp":{}000}}"#, input.timestamp);
                (json.into_bytes(), URL.to_owned())
            }
            Body::Form => {
                let form = format!("mandrill_events={}", base16ct::lower::encode_string(&input.body));
                (form.into_bytes(), URL.to_owned())
            }
            Body::TwilioHashed => {
                use sha2::Digest as _;
                let hash = base16ct::lower::encode_string(&sha2::Sha256::digest(&input.body));
                (input.body.clone(), format!("{URL}&bodySHA256={hash}"))
            }
        };
        let message = Message::new(&body).id(&input.id).timestamp(input.timestamp).url(&url).method("POST");
        let signed = verifier.sign(&message).unwrap_or_else(|e| panic!("{}: {e}", self.name));
        let headers =
            signed.iter().map(|(name, value)| (name.to_owned(), value.as_bytes().to_vec())).collect();
        (verifier, Delivery { headers, body, url })
    }
}

/// Flips bit `bit % 8` of the byte at `index` among `positions` (header, byte) of `delivery`.
fn flip_header(delivery: &Delivery, positions: &[(usize, usize)], index: Index, bit: u8) -> Delivery {
    let mut flipped = delivery.clone();
    let (header, byte) = positions[index.index(positions.len())];
    flipped.headers[header].1[byte] ^= 1 << (bit % 8);
    flipped
}

/// Where the signature is: the header bytes that change when only the key does (two other
/// keys, so that a character two signatures happen to share is still found).
fn signature_positions(preset: &Preset, input: &Input) -> Vec<(usize, usize)> {
    let (_, signed) = preset.deliver(input, &input.key);
    let others: Vec<Delivery> = [1, 2]
        .iter()
        .map(|n| preset.deliver(input, &input.key.iter().map(|b| b.wrapping_add(*n)).collect::<Vec<_>>()).1)
        .collect();
    let mut positions = Vec::new();
    for (h, (_, value)) in signed.headers.iter().enumerate() {
        for (i, byte) in value.iter().enumerate() {
            if others.iter().any(|other| other.headers[h].1.get(i) != Some(byte)) {
                positions.push((h, i));
            }
        }
    }
    positions
}

/// Where a timestamp's text is.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// In the header at this index.
    Header(usize),
    /// In the body (Linear).
    Body,
}

/// Where the signed timestamp's text is: in a header (as decimal seconds, the seconds part of
/// milliseconds, or RFC 3339), or else in the body.
fn timestamp_text(delivery: &Delivery, timestamp: i64) -> Option<(Place, Range<usize>)> {
    let seconds = timestamp.to_string();
    let find = |bytes: &[u8]| {
        let at = bytes.windows(seconds.len()).position(|w| w == seconds.as_bytes())?;
        Some(at..at + seconds.len())
    };
    for (h, (_, value)) in delivery.headers.iter().enumerate() {
        if let Some(range) = find(value) {
            return Some((Place::Header(h), range));
        }
        if Timestamp::parse_rfc3339(value).is_ok_and(|t| t.unix() == timestamp) {
            return Some((Place::Header(h), 0..value.len()));
        }
    }
    Some((Place::Body, find(&delivery.body)?))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn what_a_verifier_signs_it_verifies(input in input(ANY_TIME, 0)) {
        for preset in presets() {
            let (verifier, delivery) = preset.deliver(&input, &input.key);
            let verified = delivery
                .verify(&verifier)
                .map_err(|e| TestCaseError::fail(format!("{}: {e:?}", preset.name)))?;
            prop_assert_eq!(verified.key_id(), "default");
            if verifier.tolerance().is_some() {
                prop_assert_eq!(verified.timestamp(), Some(input.timestamp), "{}", preset.name);
            }
            let id = preset.signs_id.then_some(input.id.as_str());
            prop_assert_eq!(verified.id(), id, "{}", preset.name);
        }
    }

    #[test]
    fn a_flipped_body_bit_is_rejected(input in input(TEN_DIGITS, 1), index: Index, bit: u8) {
        for preset in presets().into_iter().filter(|p| !p.token) {
            let (verifier, mut delivery) = preset.deliver(&input, &input.key);
            let byte = index.index(delivery.body.len());
            delivery.body[byte] ^= 1 << (bit % 8);
            prop_assert!(delivery.verify(&verifier).is_err(), "{}: byte {byte}, bit {}", preset.name, bit % 8);
        }
    }

    #[test]
    fn a_flipped_signature_bit_is_rejected(input in input(TEN_DIGITS, 0), index: Index, bit: u8) {
        for preset in presets() {
            let positions = signature_positions(&preset, &input);
            prop_assert!(!positions.is_empty(), "{}: no signature found", preset.name);
            let (verifier, delivery) = preset.deliver(&input, &input.key);
            let flipped = flip_header(&delivery, &positions, index, bit);
            prop_assert!(flipped.verify(&verifier).is_err(), "{}: {:?}", preset.name, flipped.headers);
        }
    }

    #[test]
    fn a_flipped_timestamp_bit_is_rejected(input in input(TEN_DIGITS, 0), index: Index, bit: u8) {
        for preset in presets() {
            let (verifier, mut delivery) = preset.deliver(&input, &input.key);
            if verifier.tolerance().is_none() {
                continue;
            }
            let Some((place, range)) = timestamp_text(&delivery, input.timestamp) else {
                return Err(TestCaseError::fail(format!("{}: no timestamp found", preset.name)));
            };
            let at = range.start + index.index(range.len());
            match place {
                Place::Header(h) => delivery.headers[h].1[at] ^= 1 << (bit % 8),
                Place::Body => delivery.body[at] ^= 1 << (bit % 8),
            }
            prop_assert!(delivery.verify(&verifier).is_err(), "{}: {:?}", preset.name, delivery.headers);
        }
    }

    #[test]
    fn no_header_value_makes_verification_panic(
        input in input(TEN_DIGITS, 0),
        edits in prop::collection::vec((any::<Index>(), any::<bool>(), prop::collection::vec(any::<u8>(), 0..256)), 1..4),
    ) {
        for preset in presets() {
            let (verifier, mut delivery) = preset.deliver(&input, &input.key);
            for (index, replace, value) in &edits {
                let at = index.index(delivery.headers.len());
                if *replace {
                    delivery.headers[at].1.clone_from(value);
                } else {
                    // The same name again: a repeated header.
                    let name = delivery.headers[at].0.clone();
                    delivery.headers.push((name, value.clone()));
                }
            }
            if let Err(error) = delivery.verify(&verifier) {
                prop_assert!(matches!(error.status(), 400 | 401), "{}: {error:?}", preset.name);
            }
        }
    }
}
