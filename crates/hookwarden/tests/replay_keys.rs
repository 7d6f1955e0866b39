//! Every spelling of a delivery that verifies maps to one replay key, over random inputs.
//!
//! A captured delivery must not be replayable by re-spelling what the signature does not fix:
//! header names' case and order, unsigned headers beside the signed ones, the timestamp the
//! sender signed (a provider's retry), HubSpot's `%`-escapes in the URL, Twilio's port.

use hookwarden::preset::{
    Calendly, GitHub, HubSpot, Mux, Paddle, Shopify, Slack, Square, StandardWebhooks, Stripe, Twilio, Zoom,
};
use hookwarden::scheme::Request;
use hookwarden::{FixedClock, Message, ReplayKey, Scheme, Verifier};
use proptest::prelude::*;

const NOW: i64 = 1_700_000_000;
const URL: &str = "https://hooks.example.com/webhook?portal=7";

fn verifier(scheme: impl Scheme, secret: &str) -> Verifier {
    Verifier::builder(scheme).secret(secret).clock(FixedClock::at(NOW)).build().expect("valid configuration")
}

/// The presets, each with a verifier at [`NOW`].
fn presets() -> Vec<Verifier> {
    vec![
        verifier(StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        verifier(Stripe, "whsec_test_secret_0123456789"),
        verifier(Slack, "8f742231b10e8888abcd99yyyzzz85a5"),
        verifier(Paddle, "pdl_ntfset_01_secret_0123456789"),
        verifier(Zoom, "zoom-secret-token-0123"),
        verifier(Mux, "mux-webhook-secret-0123456789"),
        verifier(Calendly, "calendly-signing-key-0123"),
        verifier(HubSpot, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"),
        verifier(GitHub, "It's a Secret to Everybody"),
        verifier(Shopify, "shopify-app-secret-0123"),
        verifier(Square, "square-signature-key-0123"),
        verifier(Twilio, "twilio-auth-token-0123456789"),
    ]
}

/// The replay key of a delivery received with `headers` at `url`, when it verifies.
fn key(verifier: &Verifier, headers: &[(String, String)], body: &[u8], url: &str) -> Option<ReplayKey> {
    let request = Request::new(&headers, body).url(url).method("POST");
    let mut verified = verifier.verify_request(&request).ok()?;
    verifier.identify(&request, &mut verified);
    verified.replay_key()
}

/// The headers `verifier` signs for `body` at `timestamp`, as name/value pairs.
fn signed(verifier: &Verifier, body: &[u8], timestamp: i64, url: &str) -> Vec<(String, String)> {
    let message = Message::new(body).id("msg_1").timestamp(timestamp).url(url).method("POST");
    let headers = verifier.sign(&message).expect("signable");
    headers.iter().map(|(name, value)| (name.to_owned(), value.to_owned())).collect()
}

/// Re-spells header names (each letter's case from `cases`), shuffles them by `order`, and
/// adds unsigned headers, as a proxy or an attacker may.
fn respell(
    headers: &[(String, String)],
    cases: &[bool],
    order: &[usize],
    noise: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            let name = name
                .chars()
                .zip(cases.iter().cycle())
                .map(|(c, upper)| if *upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            (name, value.clone())
        })
        .collect();
    out.extend(noise.iter().cloned());
    for (i, j) in order.iter().enumerate() {
        let len = out.len();
        out.swap(i % len, j % len);
    }
    out
}

/// JSON bodies with and without the ids the presets read, and bytes that are not JSON.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-z0-9_]{1,20}"
            .prop_map(|id| format!(r#"{{"id":"evt_{id}","event_id":"{id}","notification_id":"n{id}"}}"#)
                .into_bytes()),
        "[ -~]{0,40}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..40),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn header_spelling_order_noise_and_the_signing_time_never_change_the_key(
        body in body(),
        first in -5i64..=5,
        retry in -5i64..=5,
        cases in prop::collection::vec(any::<bool>(), 1..8),
        order in prop::collection::vec(any::<usize>(), 0..6),
        noise in prop::collection::vec(("x-[a-z]{1,8}", "[ -~]{0,12}"), 0..3),
    ) {
        for verifier in presets() {
            let original = signed(&verifier, &body, NOW + first, URL);
            let Some(expected) = key(&verifier, &original, &body, URL) else { continue };
            let resigned = signed(&verifier, &body, NOW + retry, URL);
            let respelled = respell(&resigned, &cases, &order, &noise);
            let found = key(&verifier, &respelled, &body, URL);
            prop_assert_eq!(found.as_ref(), Some(&expected), "{}", verifier.scheme());
        }
    }

    #[test]
    fn every_hubspot_url_spelling_that_verifies_gives_one_key(
        escape in prop::collection::vec(0u8..3, 12),
        body in body(),
    ) {
        // Signed over the URL with HubSpot's escapes decoded, as its documentation does; sent
        // with each of those characters as it is, `%XX` or `%xx`.
        const SPECIAL: &str = ":/?@!$'()*,;";
        let verifier = verifier(HubSpot, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy");
        let decoded = format!("https://hooks.example.com/hubspot?q={SPECIAL}");
        let headers = signed(&verifier, &body, NOW, &decoded);
        let expected = key(&verifier, &headers, &body, &decoded).expect("the decoded spelling verifies");
        let mut sent = String::from("https://hooks.example.com/hubspot?q=");
        for (c, how) in SPECIAL.chars().zip(&escape) {
            match how {
                0 => sent.push(c),
                1 => sent.push_str(&format!("%{:02X}", c as u8)),
                _ => sent.push_str(&format!("%{:02x}", c as u8)),
            }
        }
        prop_assert_eq!(key(&verifier, &headers, &body, &sent), Some(expected));
    }

    #[test]
    fn every_twilio_port_that_verifies_gives_one_key(port in 1u16.., signed_with_default_port: bool, form in "[A-Za-z]{1,6}=[a-z0-9]{0,6}") {
        let verifier = verifier(Twilio, "twilio-auth-token-0123456789");
        let signed_url = if signed_with_default_port { "https://hooks.example.com:443/twilio" } else { "https://hooks.example.com/twilio" };
        let headers = signed(&verifier, form.as_bytes(), NOW, signed_url);
        let expected = key(&verifier, &headers, form.as_bytes(), signed_url).expect("the signed URL verifies");
        for sent in [format!("https://hooks.example.com:{port}/twilio"), "https://hooks.example.com/twilio".to_owned()] {
            if let Some(found) = key(&verifier, &headers, form.as_bytes(), &sent) {
                prop_assert_eq!(&found, &expected, "{}", sent);
            }
        }
    }
}
