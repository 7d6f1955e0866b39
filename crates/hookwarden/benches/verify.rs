//! How fast `Verifier::verify` is, against the hashing floor and a hand-written verifier.
//!
//! One group per body size (64 B, 1 KiB, 16 KiB, 1 MiB); in each, three contenders per preset,
//! interleaved so they run under the same machine conditions:
//!
//! - `floor_sha256_<preset>`: a plain SHA-256 digest of exactly the bytes the preset signs, fed
//!   piece by piece. No HMAC, headers, decoding or clock: nothing can verify faster.
//! - `raw_hmac_fresh_key_<preset>`: a competent hand-written verifier on `hmac` + `sha2`, keyed
//!   afresh per request (`new_from_slice`), with header lookups by `&str`, timestamp check,
//!   signature decoding and `verify_slice`: what a user writes without this crate.
//! - `hookwarden_<preset>`: `verifier.verify(&header_map, body)` on an `http::HeaderMap` built
//!   once, with a `FixedClock` at the signed timestamp.
//!
//! The map holds what a delivery carries through a proxy: the provider's headers between the
//! usual ones and those a proxy adds, twelve in all for Standard Webhooks.
//!
//! The 1 KiB group also times what a replay claim adds before it touches a store:
//! `Verifier::identify` after `verify_request`, on bodies shaped as the providers send them,
//! since where the event id sits decides what finding it costs.
//!
//! - `hookwarden_identify_stripe`: a pretty-printed Stripe event whose `id` comes first. Its
//!   body has the length of the other 1 KiB bodies, so `floor_sha256_stripe` is its floor too
//!   (SHA-256 takes the same time over any bytes of one length).
//! - `floor_sha256_slack`, `hookwarden_slack`, `hookwarden_identify_slack`: a Slack Events API
//!   callback, whose `event_id` comes after the nested `event` object: the scanner must skip
//!   most of the body to reach it.
//!
//! See `shared/research/perf.md` for the method (`--warm-up-time 1 --measurement-time 3`, 50
//! samples, ratios of medians within one run) and the figures it anchors on.

use std::hint::black_box;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};
use hmac::{Hmac, KeyInit, Mac};
use hookwarden::preset::{GitHub, Slack, StandardWebhooks, Stripe};
use hookwarden::replay::IdentitySource;
use hookwarden::scheme::Request;
use hookwarden::{FixedClock, Message, Scheme, Verified, Verifier, VerifyError};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const SIZES: [(usize, &str); 4] = [(64, "64B"), (1024, "1KiB"), (16 * 1024, "16KiB"), (1024 * 1024, "1MiB")];
/// The signed timestamp, and the verifiers' (fixed) "now".
const NOW: i64 = 1_700_000_000;
const TIMESTAMP: &str = "1700000000";
/// A 31-character message id, as in perf.md: Standard Webhooks signs `N + 43` bytes.
const ID: &str = "msg_2b8fLqYk1vVwZ3xQ9PjR0sTdUeA";
const TOLERANCE_SECS: i64 = 300;
/// Standard Webhooks: `whsec_` + base64 of a 32-byte key.
const WHSEC: &str = "whsec_QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
const STRIPE_SECRET: &str = "whsec_stripe_endpoint_secret_0123456789";
const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
/// The event ids in the provider-shaped bodies.
const STRIPE_EVENT_ID: &str = "evt_1PqR2sLkdIwHu7ixA9bCdEfG";
const SLACK_EVENT_ID: &str = "Ev0PV52K25";

/// A JSON body of exactly `len` ASCII bytes.
fn json_body(len: usize) -> Vec<u8> {
    let mut body = br#"{"data":""#.to_vec();
    body.resize(len - 2, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

/// `head`, `text` and plain words up to exactly `len` bytes, then `tail`: the padding goes into
/// a JSON string, after the text and its escapes.
fn padded(head: &str, text: &str, tail: &str, len: usize) -> Vec<u8> {
    let fill = len - head.len() - tail.len();
    assert!(fill >= text.len(), "{len} bytes leave no room for the text");
    let words = b" Nothing else changed since the last release.".iter().cycle();
    let mut body = head.as_bytes().to_vec();
    body.extend_from_slice(text.as_bytes());
    body.extend(words.take(fill - text.len()));
    body.extend_from_slice(tail.as_bytes());
    assert_eq!(body.len(), len);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("the padded body is JSON");
    assert!(json.is_object());
    body
}

/// A Stripe event of exactly `len` bytes, pretty-printed as Stripe sends it: `id` first.
fn stripe_event_body(len: usize) -> Vec<u8> {
    let head = concat!(
        "{\n",
        "  \"id\": \"evt_1PqR2sLkdIwHu7ixA9bCdEfG\",\n",
        "  \"object\": \"event\",\n",
        "  \"api_version\": \"2024-06-20\",\n",
        "  \"created\": 1700000000,\n",
        "  \"data\": {\n",
        "    \"object\": {\n",
        "      \"id\": \"in_1PqR2rLkdIwHu7ixk3LmNoPq\",\n",
        "      \"object\": \"invoice\",\n",
        "      \"amount_due\": 4200,\n",
        "      \"amount_paid\": 4200,\n",
        "      \"currency\": \"usd\",\n",
        "      \"customer\": \"cus_QhJ8kLmNoPqRsT\",\n",
        "      \"customer_email\": \"jenny.rosen@example.com\",\n",
        "      \"description\": \"",
    );
    let tail = concat!(
        "\",\n",
        "      \"hosted_invoice_url\": \"https://invoice.stripe.com/i/acct_1Nv0FGQ9RKHgCVdK/test_YWNj\",\n",
        "      \"number\": \"A1B2C3D4-0001\",\n",
        "      \"status\": \"paid\"\n",
        "    }\n",
        "  },\n",
        "  \"livemode\": false,\n",
        "  \"pending_webhooks\": 1,\n",
        "  \"request\": {\n",
        "    \"id\": null,\n",
        "    \"idempotency_key\": null\n",
        "  },\n",
        "  \"type\": \"invoice.paid\"\n",
        "}",
    );
    padded(head, "Support plan, November 2023.", tail, len)
}

/// A Slack Events API callback of exactly `len` bytes, as Slack sends it: compact, slashes
/// escaped, and `event_id` after the nested `event` object (a message: a dozen strings, its
/// blocks among them), padded inside the message text.
fn slack_event_body(len: usize) -> Vec<u8> {
    let head = concat!(
        r#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","#,
        r#""event":{"type":"message","channel":"C024BE91L","user":"U2147483697","text":""#,
    );
    let text = concat!(
        r"Deploy of checkout-service v2.14.3 finished: 42 checks passed.\n",
        r"Logs: <https:\/\/ci.example.com\/builds\/8812|build 8812>",
    );
    let tail = concat!(
        r#"","ts":"1700000000.000200","event_ts":"1700000000.000200","channel_type":"channel","#,
        r#""client_msg_id":"8d2f5c1e-0b7a-4e3b-9d8c-3f6a2b1c4d5e","team":"T061EG9R6","#,
        r#""blocks":[{"type":"rich_text","block_id":"Gx4z","elements":[{"type":"rich_text_section","#,
        r#""elements":[{"type":"text","text":"Deploy finished"}]}]}]},"#,
        r#""type":"event_callback","event_id":"Ev0PV52K25","event_time":1700000000,"#,
        r#""authorizations":[{"enterprise_id":null,"team_id":"T061EG9R6","user_id":"U0JD3BPNC","#,
        r#""is_bot":false,"is_enterprise_install":false}],"is_ext_shared_channel":false,"#,
        r#""event_context":"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDYxRUc5UjYiLCJhaWQiOiJBMFBOQ0hISzIiLCJjaWQiOiJDMDI0QkU5MUwifQ"}"#,
    );
    padded(head, text, tail, len)
}

/// What a replay claim does before the store: verify, then work out the event's identity.
fn verify_and_identify(verifier: &Verifier, request: &Request<'_>) -> Result<Verified, VerifyError> {
    let mut verified = verifier.verify_request(request)?;
    verifier.identify(request, &mut verified);
    Ok(verified)
}

/// Checks that the body's event id is what `identify` finds, not a digest fallback.
fn assert_identity(verifier: &Verifier, headers: &HeaderMap, body: &[u8], field: &'static str, id: &str) {
    let verified = verify_and_identify(verifier, &Request::new(headers, body)).expect("valid delivery");
    let identity = verified.identity().expect("identified");
    assert_eq!(identity.source(), IdentitySource::BodyField(field));
    let key = verified.replay_key().expect("identified");
    assert!(key.as_str().ends_with(id), "{}", key.as_str());
}

/// A verifier at the signed timestamp, and the headers of a delivery it signed, as received.
fn signed(scheme: impl Scheme, secret: &str, body: &[u8]) -> (Verifier, HeaderMap) {
    let verifier =
        Verifier::builder(scheme).secret(secret).clock(FixedClock::at(NOW)).build().expect("valid verifier");
    let signature =
        verifier.sign(&Message::new(body).id(ID).timestamp(NOW)).expect("signable message").to_header_map();
    let header = |name, value| (HeaderName::from_static(name), HeaderValue::from_static(value));
    let mut headers: HeaderMap = [
        header("host", "hooks.example.com"),
        header("user-agent", "Webhook-Sender/1.0"),
        header("content-length", "1024"),
        header("content-type", "application/json"),
        header("accept", "*/*"),
        header("accept-encoding", "gzip"),
    ]
    .into_iter()
    .collect();
    headers.extend(signature);
    headers.extend([
        header("x-forwarded-for", "203.0.113.7"),
        header("x-forwarded-proto", "https"),
        header("x-request-id", "4bf92f3577b34da6a3ce929d0e0e4736"),
    ]);
    (verifier, headers)
}

// ---------------------------------------------------------------------------------------------
// The floor: SHA-256 of the signed bytes, nothing else.

fn floor_sha256(pieces: &[&[u8]]) -> [u8; 32] {
    let mut digest = Sha256::new();
    for piece in pieces {
        digest.update(piece);
    }
    digest.finalize().into()
}

// ---------------------------------------------------------------------------------------------
// Hand-written verifiers: `hmac` + `sha2` keyed per request, no allocation, constant-time
// `verify_slice`. Each returns whether the delivery is authentic and fresh.

fn fresh_mac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length")
}

fn fresh(timestamp: &[u8], now: i64) -> bool {
    std::str::from_utf8(timestamp)
        .ok()
        .and_then(|t| t.parse::<i64>().ok())
        .is_some_and(|t| (now - t).abs() <= TOLERANCE_SECS)
}

/// Standard Webhooks: `{id}.{timestamp}.{body}`, `webhook-signature: v1,<base64> ...`.
fn raw_standard_webhooks(key: &[u8], headers: &HeaderMap, body: &[u8], now: i64) -> bool {
    let (Some(id), Some(timestamp), Some(signatures)) =
        (headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature"))
    else {
        return false;
    };
    if !fresh(timestamp.as_bytes(), now) {
        return false;
    }
    let mut mac = fresh_mac(key);
    for piece in [id.as_bytes(), b".", timestamp.as_bytes(), b".", body] {
        mac.update(piece);
    }
    signatures.as_bytes().split(|&b| b == b' ').filter_map(|entry| entry.strip_prefix(b"v1,")).any(
        |encoded| {
            // `decode_slice` wants room for its estimate (33 bytes for 44 characters).
            let mut decoded = [0; 64];
            STANDARD.decode_slice(encoded, &mut decoded).is_ok_and(|len| len == 32)
                && mac.clone().verify_slice(&decoded[..32]).is_ok()
        },
    )
}

/// Stripe: `{t}.{body}`, `Stripe-Signature: t=<ts>,v1=<hex>,...`.
fn raw_stripe(key: &[u8], headers: &HeaderMap, body: &[u8], now: i64) -> bool {
    let Some(header) = headers.get("stripe-signature") else {
        return false;
    };
    let items = || {
        header.as_bytes().split(|&b| b == b',').filter_map(|item| {
            let eq = item.iter().position(|&b| b == b'=')?;
            Some((&item[..eq], &item[eq + 1..]))
        })
    };
    let Some(timestamp) = items().find(|(k, _)| *k == b"t").map(|(_, v)| v) else {
        return false;
    };
    if !fresh(timestamp, now) {
        return false;
    }
    let mut mac = fresh_mac(key);
    for piece in [timestamp, b".", body] {
        mac.update(piece);
    }
    items().filter(|(k, _)| *k == b"v1").any(|(_, hex)| {
        let mut decoded = [0; 32];
        base16ct::lower::decode(hex, &mut decoded).is_ok() && mac.clone().verify_slice(&decoded).is_ok()
    })
}

/// GitHub: `{body}`, `X-Hub-Signature-256: sha256=<hex>`.
fn raw_github(key: &[u8], headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(hex) = headers.get("x-hub-signature-256").and_then(|v| v.as_bytes().strip_prefix(b"sha256="))
    else {
        return false;
    };
    let mut decoded = [0; 32];
    if base16ct::lower::decode(hex, &mut decoded).is_err() {
        return false;
    }
    let mut mac = fresh_mac(key);
    mac.update(body);
    mac.verify_slice(&decoded).is_ok()
}

// ---------------------------------------------------------------------------------------------

fn bench_size(group: &mut BenchmarkGroup<'_, WallTime>, len: usize) {
    let body = json_body(len);
    let body = body.as_slice();

    // Standard Webhooks. The hand-written verifier gets the decoded key, as a user would keep it.
    let (verifier, headers) = signed(StandardWebhooks, WHSEC, body);
    let key = STANDARD.decode(WHSEC.trim_start_matches("whsec_")).expect("base64 secret");
    assert_eq!(key.len(), 32);
    assert!(verifier.verify(&headers, body).is_ok());
    assert!(raw_standard_webhooks(&key, &headers, body, NOW));
    let signed_pieces: [&[u8]; 5] = [ID.as_bytes(), b".", TIMESTAMP.as_bytes(), b".", body];
    group.bench_function("floor_sha256_standard_webhooks", |b| {
        b.iter(|| floor_sha256(black_box(&signed_pieces)));
    });
    group.bench_function("raw_hmac_fresh_key_standard_webhooks", |b| {
        b.iter(|| {
            raw_standard_webhooks(black_box(&key), black_box(&headers), black_box(body), black_box(NOW))
        });
    });
    group.bench_function("hookwarden_standard_webhooks", |b| {
        b.iter(|| verifier.verify(black_box(&headers), black_box(body)));
    });

    // Stripe: the secret is used as it is.
    let (verifier, headers) = signed(Stripe, STRIPE_SECRET, body);
    let key = STRIPE_SECRET.as_bytes();
    assert!(verifier.verify(&headers, body).is_ok());
    assert!(raw_stripe(key, &headers, body, NOW));
    let signed_pieces: [&[u8]; 3] = [TIMESTAMP.as_bytes(), b".", body];
    group.bench_function("floor_sha256_stripe", |b| {
        b.iter(|| floor_sha256(black_box(&signed_pieces)));
    });
    group.bench_function("raw_hmac_fresh_key_stripe", |b| {
        b.iter(|| raw_stripe(black_box(key), black_box(&headers), black_box(body), black_box(NOW)));
    });
    group.bench_function("hookwarden_stripe", |b| {
        b.iter(|| verifier.verify(black_box(&headers), black_box(body)));
    });

    // GitHub: the body alone is signed.
    let (verifier, headers) = signed(GitHub, GITHUB_SECRET, body);
    let key = GITHUB_SECRET.as_bytes();
    assert!(verifier.verify(&headers, body).is_ok());
    assert!(raw_github(key, &headers, body));
    let signed_pieces: [&[u8]; 1] = [body];
    group.bench_function("floor_sha256_github", |b| {
        b.iter(|| floor_sha256(black_box(&signed_pieces)));
    });
    group.bench_function("raw_hmac_fresh_key_github", |b| {
        b.iter(|| raw_github(black_box(key), black_box(&headers), black_box(body)));
    });
    group.bench_function("hookwarden_github", |b| {
        b.iter(|| verifier.verify(black_box(&headers), black_box(body)));
    });

    if len == 1024 {
        bench_identify(group, len);
    }
}

/// Verify + identify on provider-shaped bodies of `len` bytes, with Slack's verify-only
/// contenders beside them (see the module docs).
fn bench_identify(group: &mut BenchmarkGroup<'_, WallTime>, len: usize) {
    // Stripe: the id leads the body. The floor is `floor_sha256_stripe`, over as many bytes.
    let body = stripe_event_body(len);
    let body = body.as_slice();
    let (verifier, headers) = signed(Stripe, STRIPE_SECRET, body);
    assert_identity(&verifier, &headers, body, "id", STRIPE_EVENT_ID);
    group.bench_function("hookwarden_identify_stripe", |b| {
        b.iter(|| verify_and_identify(&verifier, &Request::new(black_box(&headers), black_box(body))));
    });

    // Slack: `event_id` comes after the nested `event` object.
    let body = slack_event_body(len);
    let body = body.as_slice();
    let (verifier, headers) = signed(Slack, SLACK_SECRET, body);
    assert!(verifier.verify(&headers, body).is_ok());
    assert_identity(&verifier, &headers, body, "event_id", SLACK_EVENT_ID);
    let signed_pieces: [&[u8]; 4] = [b"v0:", TIMESTAMP.as_bytes(), b":", body];
    group.bench_function("floor_sha256_slack", |b| {
        b.iter(|| floor_sha256(black_box(&signed_pieces)));
    });
    group.bench_function("hookwarden_slack", |b| {
        b.iter(|| verifier.verify(black_box(&headers), black_box(body)));
    });
    group.bench_function("hookwarden_identify_slack", |b| {
        b.iter(|| verify_and_identify(&verifier, &Request::new(black_box(&headers), black_box(body))));
    });
}

fn verify(c: &mut Criterion) {
    for (len, name) in SIZES {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(len as u64));
        bench_size(&mut group, len);
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // 50 samples per benchmark, as in perf.md; warm-up and measurement times come from the
    // command line.
    config = Criterion::default().sample_size(50);
    targets = verify
}
criterion_main!(benches);
