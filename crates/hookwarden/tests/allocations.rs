//! `Verifier::verify` allocates nothing, on success and on rejection; neither does
//! `Verifier::identify` after it, whichever way it finds the event's identity.
//!
//! The counting `#[global_allocator]` comes from the `allocation-counter` dev-dependency: a
//! `GlobalAlloc` impl needs `unsafe impl`, and the workspace's `unsafe_code = "forbid"` cannot
//! be relaxed by an inner `#![allow(unsafe_code)]` (rustc refuses it, E0453). It counts the
//! allocations of the current thread only, so other test threads cannot disturb the counts;
//! each method's story still lives in one `#[test]`.
//!
//! Signing allocates (it builds header strings), so every delivery is signed before counting.
#![cfg(feature = "http")]

use std::time::Duration;

use hookwarden::preset::{GitHub, Shopify, Slack, StandardWebhooks, Stripe};
use hookwarden::replay::IdentitySource;
use hookwarden::scheme::Request;
use hookwarden::scheme::{Custom, Encoding};
use hookwarden::{FixedClock, Message, Scheme, SignedHeaders, Verified, Verifier, VerifyError};

const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":4200}}"#;
/// Not UTF-8: verification works on bytes.
const BINARY_BODY: &[u8] = b"\xff\xfe\x00\x80 not utf-8 \xc3\x28";
const ID: &str = "msg_2b8fLqYk1vVwZ3xQ9PjR0sTdUe";

/// Runs `f` once and returns its result with the number of heap allocations it made on this
/// thread (reallocations included: they go through `alloc`).
fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let mut out = None;
    let info = allocation_counter::measure(|| out = Some(f()));
    (out.expect("the measured closure ran"), info.count_total)
}

/// Verifies a few times (the first call included, so no one-time set-up is hidden) and asserts
/// that no call allocated. Returns the last result.
fn verify_without_allocating(
    what: &str,
    verify: impl Fn() -> Result<Verified, VerifyError>,
) -> Result<Verified, VerifyError> {
    let mut last = None;
    for call in 1..=3 {
        let (result, allocations) = count_allocations(&verify);
        assert_eq!(allocations, 0, "{what}: call {call} allocated {allocations} time(s)");
        last = Some(result);
    }
    last.expect("verified at least once")
}

fn verifier(scheme: impl Scheme, secret: &str) -> Verifier {
    Verifier::builder(scheme).secret(secret).clock(FixedClock::at(NOW)).build().expect("valid configuration")
}

fn sign(verifier: &Verifier, body: &[u8], timestamp: i64) -> SignedHeaders {
    verifier.sign(&Message::new(body).id(ID).timestamp(timestamp)).expect("signable message")
}

fn pairs(signed: &SignedHeaders) -> Vec<(&str, &str)> {
    signed.iter().collect()
}

#[test]
fn verify_allocates_nothing() {
    let custom = Custom::builder("x-acme-signature")
        .prefix("v1=")
        .separator(' ')
        .encoding(Encoding::Base64)
        .id_header("x-acme-id")
        .timestamp_header("x-acme-timestamp")
        .content("{id}.{timestamp}.{body}")
        .build()
        .expect("valid custom scheme");
    let cases = [
        ("standard-webhooks", verifier(StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
        ("stripe", verifier(Stripe, "whsec_test_secret_0123456789")),
        ("github", verifier(GitHub, "It's a Secret to Everybody")),
        ("slack", verifier(Slack, "8f742231b10e8888abcd99yyyzzz85a5")),
        ("shopify", verifier(Shopify, "shpss_client_secret_0123456789")),
        ("custom", verifier(custom, "a-long-enough-secret")),
    ];

    for (name, verifier) in &cases {
        // Everything that allocates happens here, before counting.
        let signed = sign(verifier, BODY, NOW);
        let map = signed.to_header_map();
        let list = pairs(&signed);
        let binary_map = sign(verifier, BINARY_BODY, NOW).to_header_map();
        let stale = sign(verifier, BODY, NOW - 301);
        let stale_map = stale.to_header_map();

        let valid =
            verify_without_allocating(&format!("{name}: valid, HeaderMap"), || verifier.verify(&map, BODY));
        assert_eq!(valid.map(|v| v.scheme()), Ok(verifier.scheme()), "{name}");

        let valid = verify_without_allocating(&format!("{name}: valid, (&str, &str) pairs"), || {
            verifier.verify(&list[..], BODY)
        });
        assert!(valid.is_ok(), "{name}: {valid:?}");

        let valid = verify_without_allocating(&format!("{name}: valid, non-UTF-8 body"), || {
            verifier.verify(&binary_map, BINARY_BODY)
        });
        assert!(valid.is_ok(), "{name}: {valid:?}");

        let tampered = verify_without_allocating(&format!("{name}: tampered body"), || {
            verifier.verify(&map, b"{\"type\":\"invoice.paid\"}")
        });
        assert_eq!(tampered.map_err(|e| e.reason()), Err("no_matching_signature"), "{name}");

        // The rejection carries the missing header's name. A custom scheme's names are built at
        // run time, and the `bytes` buffer inside their `http::HeaderName` is made shareable
        // lazily, on its first clone: the first such rejection per name allocates once, later
        // ones never. Preset names are static and never allocate.
        let no_headers = http::HeaderMap::new();
        if *name == "custom" {
            let (first, allocations) = count_allocations(|| verifier.verify(&no_headers, BODY));
            assert!(allocations <= 1, "{name}: first missing_header allocated {allocations} times");
            assert_eq!(first.map_err(|e| e.reason()), Err("missing_header"));
        }
        let missing =
            verify_without_allocating(&format!("{name}: no headers"), || verifier.verify(&no_headers, BODY));
        assert_eq!(missing.map_err(|e| e.reason()), Err("missing_header"), "{name}");

        // Only schemes that sign a timestamp check it; GitHub and Shopify sign none.
        if verifier.tolerance().is_some() {
            let old = verify_without_allocating(&format!("{name}: stale timestamp"), || {
                verifier.verify(&stale_map, BODY)
            });
            assert_eq!(old.map_err(|e| e.reason()), Err("timestamp_too_old"), "{name}");
        } else {
            assert!(verifier.verify(&stale_map, BODY).is_ok(), "{name} signs no timestamp");
        }
    }

    // Key rotation: the delivery is signed with the second key, so the first one is tried and
    // fails before the second matches.
    const CURRENT: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const PREVIOUS: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let rotating = Verifier::builder(StandardWebhooks)
        .key("current", CURRENT)
        .key("previous", PREVIOUS)
        .clock(FixedClock::at(NOW))
        .build()
        .expect("valid configuration");
    let signed_with_previous = sign(&verifier(StandardWebhooks, PREVIOUS), BODY, NOW).to_header_map();
    let verified = verify_without_allocating("two keys, the second matches", || {
        rotating.verify(&signed_with_previous, BODY)
    })
    .expect("the second key matches");
    assert_eq!(verified.key_id(), "previous");

    let rejected = verify_without_allocating("two keys, none matches", || {
        rotating.verify(&signed_with_previous, BINARY_BODY)
    });
    assert_eq!(
        rejected,
        Err(VerifyError::NoMatchingSignature { keys_tried: 2, signatures: 1 }),
        "both keys were tried"
    );

    // The counter itself works: a known allocation is seen, so the zeros above are real.
    let (boxed, allocations) = count_allocations(|| std::hint::black_box(Box::new(Duration::ZERO)));
    assert_eq!(allocations, 1, "the counting allocator is installed");
    drop(boxed);
    let (_, allocations) = count_allocations(|| sign(&rotating, BODY, NOW));
    assert!(allocations > 0, "signing allocates, and is counted");
}

/// A Stripe event: its `id` is the identity.
const STRIPE_EVENT: &[u8] =
    br#"{"id":"evt_1","object":"event","data":{"object":{"id":"in_1"}},"type":"invoice.paid"}"#;
/// A Slack Events API callback: `event_id` comes after the nested `event` object, whose
/// strings hide brackets, quotes and a decoy `event_id`.
const SLACK_EVENT: &str = concat!(
    r#"{"token":"t","team_id":"T1","event":{"type":"message","text":"} \"event_id\":\"no\" {","#,
    r#""blocks":[{"type":"rich_text"}]},"type":"event_callback","event_id":"Ev1","event_time":1700000000}"#,
);

#[test]
fn identify_allocates_nothing() {
    let cases = [
        (
            "stripe, id in the body",
            verifier(Stripe, "whsec_test_secret_0123456789"),
            STRIPE_EVENT,
            IdentitySource::BodyField("id"),
            Some("evt_1"),
        ),
        (
            "slack, event_id after the event object",
            verifier(Slack, "8f742231b10e8888abcd99yyyzzz85a5"),
            SLACK_EVENT.as_bytes(),
            IdentitySource::BodyField("event_id"),
            Some("Ev1"),
        ),
        (
            "standard-webhooks, signed id",
            verifier(StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            BODY,
            IdentitySource::SignedId,
            Some(ID),
        ),
        // No timestamp is signed: the digest `verify` computed is the identity as it is.
        (
            "github, content digest reused",
            verifier(GitHub, "It's a Secret to Everybody"),
            BODY,
            IdentitySource::Content,
            None,
        ),
        // No `id`: the signed content is parsed again and digested without its timestamp.
        (
            "stripe, no id in the body",
            verifier(Stripe, "whsec_test_secret_0123456789"),
            BODY,
            IdentitySource::Content,
            None,
        ),
    ];

    for (name, verifier, body, source, id) in &cases {
        let signed = sign(verifier, body, NOW);
        let map = signed.to_header_map();
        let list = pairs(&signed);
        let requests =
            [("HeaderMap", Request::new(&map, body)), ("(&str, &str) pairs", Request::new(&list, body))];
        for (headers, request) in &requests {
            let verified =
                verify_without_allocating(&format!("{name}, {headers}: verify_request + identify"), || {
                    let mut verified = verifier.verify_request(request)?;
                    verifier.identify(request, &mut verified);
                    Ok(verified)
                })
                .unwrap_or_else(|e| panic!("{name}, {headers}: {e}"));
            let identity = verified.identity().expect("identify records the identity");
            assert_eq!(identity.source(), *source, "{name}, {headers}");
            // The replay key is text: built after counting.
            let key = verified.replay_key().expect("identified");
            if let Some(id) = id {
                assert!(key.as_str().ends_with(&format!(":{id}")), "{name}, {headers}: {}", key.as_str());
            }
        }
    }
}
