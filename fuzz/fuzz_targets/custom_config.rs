//! `Custom::builder` configurations: header names, prefix, separator, encoding, algorithm and
//! content template. A configuration the builder accepts must work: what its verifier signs, it
//! verifies; and arbitrary headers against it never panic and get a client error.

#![no_main]

use arbitrary::Arbitrary;
use hookwarden::scheme::{Custom, Encoding};
use hookwarden::{Algorithm, FixedClock, Message, Verifier};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    signature: Name,
    prefix: Option<String>,
    separator: Option<char>,
    base64: bool,
    algorithm: u8,
    timestamp: Option<Name>,
    id: Option<Name>,
    template: Option<String>,
    secret: String,
    message_id: String,
    /// Non-negative: signing writes a negative time as zero, which a clock set to it refuses.
    now: u32,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

/// A header name: mostly from a small pool, so that two settings often name the same header
/// (in any case), or anything.
#[derive(Debug, Arbitrary)]
enum Name {
    Pool(u8),
    Raw(String),
}

impl Name {
    fn as_str(&self) -> &str {
        const POOL: [&str; 4] = ["x-signature", "X-Signature", "x-timestamp", "x-id"];
        match self {
            Self::Pool(index) => POOL[usize::from(*index) % POOL.len()],
            Self::Raw(name) => name,
        }
    }
}

fn algorithm(pick: u8) -> Algorithm {
    match pick % 5 {
        0 => Algorithm::HmacSha1,
        1 => Algorithm::HmacSha256,
        2 => Algorithm::HmacSha512,
        3 => Algorithm::Token, // refused by the builder
        _ => Algorithm::Ed25519,
    }
}

fuzz_target!(|input: Input| {
    let mut builder = Custom::builder(input.signature.as_str())
        .encoding(if input.base64 { Encoding::Base64 } else { Encoding::Hex })
        .algorithm(algorithm(input.algorithm));
    if let Some(prefix) = &input.prefix {
        builder = builder.prefix(prefix.as_str());
    }
    if let Some(separator) = input.separator {
        builder = builder.separator(separator);
    }
    if let Some(name) = &input.timestamp {
        builder = builder.timestamp_header(name.as_str());
    }
    if let Some(name) = &input.id {
        builder = builder.id_header(name.as_str());
    }
    if let Some(template) = &input.template {
        builder = builder.content(template.as_str());
    }
    let Ok(scheme) = builder.build() else { return };
    let now = i64::from(input.now);
    let Ok(verifier) = Verifier::builder(scheme).secret(&input.secret).clock(FixedClock::at(now)).build()
    else {
        return;
    };

    let rejected = verifier.verify(&input.headers[..], &input.body);
    if let Err(error) = rejected {
        assert!(matches!(error.status(), 400 | 401), "{error:?}");
    }

    let mut message = Message::new(&input.body).timestamp(now);
    if input.id.is_some() {
        message = message.id(&input.message_id);
    }
    // Refusals here are an invalid id or an asymmetric algorithm: nothing was signed.
    let Ok(signed) = verifier.sign(&message) else { return };
    if let Err(error) = verifier.verify(&signed, &input.body) {
        panic!(
            "a configuration the builder accepted cannot verify what it signs: {error:?}\n{input:#?}\n{signed:?}"
        );
    }
});
