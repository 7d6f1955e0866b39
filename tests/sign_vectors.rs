//! Writes `conformance/ours/<preset>.json`: deliveries signed by hookwarden's own `sign`, which
//! `conformance/check_ours.py` then submits to each provider's official SDK.
//!
//! Run with `cargo run -p tests --bin sign-vectors` (the generator does this before checking).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hookwarden::Message;
use tests::{Vector, VectorFile, verifier};

const NOW: i64 = 1_700_000_000;

/// Each preset with a secret in its provider's format.
const PRESETS: [(&str, &str); 6] = [
    ("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ("svix", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
    ("stripe", "whsec_ci1WtMpQK0hNwxpzZ4AUXR9DflD5Qy7a"),
    ("github", "It's a Secret to Everybody"),
    ("slack", "8f742231b10e8888abcd99yyyzzz85a5"),
    ("shopify", "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"),
];

/// Bodies a real sender may send: JSON, unicode, form data, empty, and bytes that are not UTF-8.
const BODIES: [(&str, &[u8]); 5] = [
    ("json", br#"{"id":"evt_1","type":"invoice.paid","amount":4200}"#),
    ("unicode", "{\"name\":\"Zoë 🚀 日本\"}".as_bytes()),
    ("form", b"token=abc&team_id=T1&text=hello%20world"),
    ("empty", b""),
    ("non_utf8", b"\xff\xfe\x00\x80 binary"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/ours");
    std::fs::create_dir_all(&dir)?;
    for (preset, secret) in PRESETS {
        let verifier = verifier(preset, secret, NOW)?;
        let mut vectors = Vec::new();
        for (index, (kind, body)) in BODIES.iter().enumerate() {
            let id = format!("msg_hookwarden_{index}");
            let mut headers = verifier.sign(&Message::new(body).id(&id).timestamp(NOW))?;
            // Our own verifier must accept what our signer wrote, before any SDK is asked.
            verifier.verify(&headers, body)?;
            if preset == "shopify" {
                // Shopify's SDK also wants the (unsigned) context headers of a real delivery.
                headers.push("X-Shopify-Topic", "orders/create");
                headers.push("X-Shopify-Shop-Domain", "example.myshopify.com");
                headers.push("X-Shopify-API-Version", "2025-10");
            }
            vectors.push(Vector {
                name: format!("signed_by_hookwarden_{kind}"),
                secret: secret.to_owned(),
                now: NOW,
                headers: headers.iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect(),
                body_base64: STANDARD.encode(body),
                method: None,
                url: None,
                sdk: None,
                expected: "accept".to_owned(),
                note: "signed by hookwarden's Verifier::sign".to_owned(),
            });
        }
        let file = VectorFile {
            preset: preset.to_owned(),
            generated_by: "tests/sign_vectors.rs".to_owned(),
            sdks: serde_json::Map::new(),
            vectors,
        };
        let path = dir.join(format!("{preset}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&file)? + "\n")?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
