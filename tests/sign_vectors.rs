//! Writes `conformance/ours/<preset>.json`: deliveries signed by hookwarden's own `sign` (or
//! `sign_body`, for presets whose signature lives in the body), which
//! `conformance/check_ours.py` (and, for the presets added with issue 19,
//! `conformance/generate_more.py --check-ours`) then submits to each provider's official SDK.
//!
//! Every symmetric preset with an official SDK verifier is here. Run with
//! `cargo run -p tests --bin sign-vectors` (the generator does this before checking).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hookwarden::Message;
use hookwarden::scheme::Request;
use tests::{Vector, VectorFile, verifier};

const NOW: i64 = 1_700_000_000;

/// One body to sign, and the URL to sign it for when the preset signs one and this body needs
/// another than the preset's.
struct Body {
    kind: &'static str,
    bytes: &'static [u8],
    url: Option<&'static str>,
}

const fn body(kind: &'static str, bytes: &'static [u8]) -> Body {
    Body { kind, bytes, url: None }
}

const JSON: &[u8] = br#"{"id":"evt_1","type":"invoice.paid","amount":4200}"#;
const UNICODE: &str = "{\"name\":\"Zoë 🚀 日本\"}";

/// Bodies a real sender may send: JSON, unicode, form data, empty, and bytes that are not UTF-8.
const BODIES: &[Body] = &[
    body("json", JSON),
    body("unicode", UNICODE.as_bytes()),
    body("form", b"token=abc&team_id=T1&text=hello%20world"),
    body("empty", b""),
    body("non_utf8", b"\xff\xfe\x00\x80 binary"),
];

/// Twilio signs form parameters, or, for other bodies, a URL carrying the body's SHA-256
/// (computed with Python's `hashlib`; the preset checks it, so a wrong value fails here).
const TWILIO_URL: &str = "https://hooks.example.com/twilio?tenant=acme";
const TWILIO_BODIES: &[Body] = &[
    body("form", b"CallSid=CA123&Caller=%2B14158675309&Digits=1234&Digits=5678&SpeechResult=hello+world"),
    body("empty", b""),
    Body {
        kind: "json",
        bytes: JSON,
        url: Some(
            "https://hooks.example.com/twilio?tenant=acme&bodySHA256=bf49557397f279b44e69e8db8ac6d24b140464c3087268fb67f854666485ed4e",
        ),
    },
    Body {
        kind: "unicode",
        bytes: UNICODE.as_bytes(),
        url: Some(
            "https://hooks.example.com/twilio?tenant=acme&bodySHA256=2c86b23d65ce4b9b26c55127005b62bcd8816f8f76052e89b581621f56cddf94",
        ),
    },
];

/// Linear's body carries the signed timestamp (`NOW` in milliseconds).
const LINEAR_BODIES: &[Body] = &[
    body(
        "json",
        br#"{"action":"create","type":"Issue","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9"},"webhookTimestamp":1700000000000}"#,
    ),
    body("unicode", "{\"type\":\"Comment\",\"data\":{\"body\":\"Zoë 🚀 日本\"},\"webhookTimestamp\":1700000000000}".as_bytes()),
];

/// GoCardless's SDK reads the body's `events` list once the MAC matched.
const GOCARDLESS_BODIES: &[Body] = &[
    body(
        "json",
        br#"{"events":[{"id":"EV123","created_at":"2023-11-14T22:13:20.000Z","resource_type":"mandates","action":"cancelled","links":{"mandate":"MD123"}}],"meta":{"webhook_id":"WB123"}}"#,
    ),
    body("unicode", "{\"events\":[{\"id\":\"EV124\",\"action\":\"created\",\"details\":{\"description\":\"Zoë 🚀 日本\"}}]}".as_bytes()),
];

/// Adyen classic: notifications without their signature, which `sign_body` writes in.
const ADYEN_CLASSIC_BODIES: &[Body] = &[
    body(
        "json",
        br#"{"live":"false","notificationItems":[{"NotificationRequestItem":{"amount":{"currency":"EUR","value":4200},"eventCode":"AUTHORISATION","merchantAccountCode":"HookwardenECOM","merchantReference":"order-1","pspReference":"ZX7Q2LRN4K9D3F8M","success":"true","eventDate":"2023-11-14T22:13:20+01:00"}}]}"#,
    ),
    body(
        "unicode",
        "{\"live\":\"false\",\"notificationItems\":[{\"NotificationRequestItem\":{\"additionalData\":{\"shopperName\":\"Zoë Ålvarez\"},\"amount\":{\"currency\":\"JPY\",\"value\":1000},\"eventCode\":\"CAPTURE\",\"merchantAccountCode\":\"HookwardenECOM\",\"merchantReference\":\"注文-7\",\"originalReference\":\"ZX7Q2LRN4K9D3F8M\",\"pspReference\":\"QW3E4R5T6Y7U8I9O\",\"success\":\"true\"}}]}".as_bytes(),
    ),
];

/// A preset, a secret in its provider's format, and what it signs.
struct Preset {
    name: &'static str,
    secret: &'static str,
    bodies: &'static [Body],
    url: Option<&'static str>,
    method: Option<&'static str>,
    /// Signed with `sign_body`: the signature is written into the body.
    in_body: bool,
}

const fn preset(name: &'static str, secret: &'static str) -> Preset {
    Preset { name, secret, bodies: BODIES, url: None, method: None, in_body: false }
}

const PRESETS: &[Preset] = &[
    preset("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    preset("svix", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
    preset("clerk", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    preset("resend", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
    preset("stripe", "whsec_ci1WtMpQK0hNwxpzZ4AUXR9DflD5Qy7a"),
    preset("github", "It's a Secret to Everybody"),
    preset("slack", "8f742231b10e8888abcd99yyyzzz85a5"),
    preset("shopify", "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"),
    Preset {
        bodies: TWILIO_BODIES,
        url: Some(TWILIO_URL),
        ..preset("twilio", "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f6a")
    },
    Preset {
        bodies: TWILIO_BODIES,
        url: Some(TWILIO_URL),
        ..preset("twilio-shared-key", "tw_shared_key_secret_0123456789abcdef")
    },
    Preset { url: Some("https://hooks.example.com/square"), ..preset("square", "Ibxx_5AKakO-3qeNVR61Dw") },
    Preset {
        url: Some("https://hooks.example.com/hubspot?portal=62515"),
        method: Some("POST"),
        ..preset("hubspot", "d2a4f6b8-1c3e-4a5b-9d7f-0e2c4a6b8d0f")
    },
    preset("paddle", "pdl_ntfset_01hs0t3tw21j988db1pam5xg8m_GrOWLNef+vmtjJYq4mSnHNzvc8uWoJ1I"),
    preset("razorpay", "razorpay_webhook_secret_01"),
    preset("coinbase", "4f1f2f3a-5b6c-4d7e-8f90-a1b2c3d4e5f6"),
    preset("adyen", "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"),
    Preset {
        bodies: ADYEN_CLASSIC_BODIES,
        in_body: true,
        ..preset("adyen-classic", "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056")
    },
    Preset { bodies: LINEAR_BODIES, ..preset("linear", "lin_wh_signing_secret_0123456789") },
    preset("mux", "mux_signing_secret_0123456789abcdef"),
    // Added with issue 19; checked by `conformance/generate_more.py --check-ours`.
    preset("openai", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
    preset("replicate", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    preset("polar", "polar_whs_Qk9bYHx5n2m8XcT1aLpR4sVe7uWj0Zd3"),
    preset("workos", "workos_webhook_secret_0123456789"),
    Preset { bodies: GOCARDLESS_BODIES, ..preset("gocardless", "gocardless_endpoint_secret_0123") },
    preset("box", "box_primary_signature_key_0123456"),
    preset("gitlab-signing", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/ours");
    std::fs::create_dir_all(&dir)?;
    for preset in PRESETS {
        let verifier = verifier(preset.name, preset.secret, NOW)?;
        let mut vectors = Vec::new();
        for (index, body) in preset.bodies.iter().enumerate() {
            let id = format!("msg_hookwarden_{index}");
            let url = body.url.or(preset.url);
            let mut message = Message::new(body.bytes).id(&id).timestamp(NOW);
            if let Some(url) = url {
                message = message.url(url);
            }
            if let Some(method) = preset.method {
                message = message.method(method);
            }
            let (mut headers, signed_body) = if preset.in_body {
                (Vec::new(), verifier.sign_body(&message)?)
            } else {
                let headers = verifier.sign(&message)?;
                (headers.iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect(), body.bytes.to_vec())
            };
            // Our own verifier must accept what our signer wrote, before any SDK is asked.
            let mut request = Request::new(&headers, &signed_body);
            if let Some(url) = url {
                request = request.url(url);
            }
            if let Some(method) = preset.method {
                request = request.method(method);
            }
            verifier.verify_request(&request)?;
            let context: &[(&str, &str)] = match preset.name {
                // Shopify's SDK also wants the (unsigned) context headers of a real delivery.
                "shopify" => &[
                    ("X-Shopify-Topic", "orders/create"),
                    ("X-Shopify-Shop-Domain", "example.myshopify.com"),
                    ("X-Shopify-API-Version", "2025-10"),
                ],
                "adyen-classic" => &[("Content-Type", "application/json")],
                _ => &[],
            };
            headers.extend(context.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
            vectors.push(Vector {
                name: format!("signed_by_hookwarden_{}", body.kind),
                secret: preset.secret.to_owned(),
                now: NOW,
                headers,
                body_base64: STANDARD.encode(&signed_body),
                method: preset.method.map(str::to_owned),
                url: url.map(str::to_owned),
                sdk: None,
                expected: "accept".to_owned(),
                note: if preset.in_body {
                    "signed by hookwarden's Verifier::sign_body".to_owned()
                } else {
                    "signed by hookwarden's Verifier::sign".to_owned()
                },
            });
        }
        let file = VectorFile {
            preset: preset.name.to_owned(),
            generated_by: "tests/sign_vectors.rs".to_owned(),
            sdks: serde_json::Map::new(),
            vectors,
        };
        let path = dir.join(format!("{}.json", preset.name));
        std::fs::write(&path, serde_json::to_string_pretty(&file)? + "\n")?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
