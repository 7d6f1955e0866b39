//! hookwarden beside the other Rust webhook verifiers, the SHA-256 floor and a hand-written
//! `hmac` + `sha2` verifier. Results and method: `BENCHMARKS.md` at the top of the repository.
//!
//! Not published and not a dependency of anything. It holds the contenders and the signed
//! deliveries shared by `benches/compare.rs` (time per verify, one criterion run),
//! `benches/allocs.rs` (allocations per verify) and `src/bin/report.rs` (the tables and charts
//! of `BENCHMARKS.md`). Its tests check that every contender accepts a valid delivery and
//! rejects a tampered, wrongly keyed or stale one; the benches check it again before timing.
//!
//! Every contender verifies the same delivery: the same headers (an `http::HeaderMap`), the
//! same body, against the system clock, with the secret decoded once up front where the
//! crate's API allows it.
//!
//! # Running
//!
//! The crate is a workspace of its own, outside the root one (like `fuzz/`), so that the
//! root's tests and CI never build the other verifiers. From this folder:
//!
//! ```sh
//! cargo test                                     # every contender accepts and rejects
//! cargo bench --bench compare                    # time per verify, one criterion run
//! cargo bench --bench allocs                     # allocations per verify
//! cargo run --release --bin report               # tables, bars and charts
//! ./bench.sh                                     # all of it, as BENCHMARKS.md quotes it
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use hookwarden::preset::{GitHub, StandardWebhooks, Stripe};
use hookwarden::{Message, Verifier};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub mod others;

type HmacSha256 = Hmac<Sha256>;

/// The body sizes compared: 64 B, 1 KiB, 16 KiB and 1 MiB, with the names used in benchmark ids.
pub const SIZES: [(usize, &str); 4] =
    [(64, "64B"), (1024, "1KiB"), (16 * 1024, "16KiB"), (1024 * 1024, "1MiB")];

/// A 31-character message id, a typical length: Standard Webhooks signs `N + 43` bytes.
pub const ID: &str = "msg_2b8fLqYk1vVwZ3xQ9PjR0sTdUeA";

/// The timestamp tolerance every contender applies, in seconds.
pub const TOLERANCE_SECS: i64 = 300;

/// The signature schemes compared. Only Standard Webhooks is verified by every crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`; signs `{id}.{ts}.{body}`.
    StandardWebhooks,
    /// `Stripe-Signature: t=<ts>,v1=<hex>`; signs `{ts}.{body}`.
    Stripe,
    /// `X-Hub-Signature-256: sha256=<hex>`; signs the body alone, no timestamp.
    GitHub,
}

impl Scheme {
    /// Every scheme, in the order they are benchmarked and reported.
    pub const ALL: [Self; 3] = [Self::StandardWebhooks, Self::Stripe, Self::GitHub];

    /// The name used in benchmark ids and file names.
    pub const fn id(self) -> &'static str {
        match self {
            Self::StandardWebhooks => "standard_webhooks",
            Self::Stripe => "stripe",
            Self::GitHub => "github",
        }
    }

    /// The name used in tables and charts.
    pub const fn title(self) -> &'static str {
        match self {
            Self::StandardWebhooks => "Standard Webhooks",
            Self::Stripe => "Stripe",
            Self::GitHub => "GitHub",
        }
    }

    /// How many bytes the scheme signs for a body of `len` bytes (the floor hashes exactly these).
    pub const fn signed_len(self, len: usize) -> usize {
        match self {
            // `{id}.{10-digit timestamp}.{body}`
            Self::StandardWebhooks => ID.len() + 1 + 10 + 1 + len,
            // `{10-digit timestamp}.{body}`
            Self::Stripe => 10 + 1 + len,
            Self::GitHub => len,
        }
    }

    /// `count` distinct secrets in the provider's format. Deliveries are signed with the last.
    pub fn secrets(self, count: usize) -> Vec<String> {
        (0..count)
            .map(|i| match self {
                // `whsec_` + base64 of a 32-byte key.
                Self::StandardWebhooks => format!("whsec_{}", STANDARD.encode([b'B' + i as u8; 32])),
                Self::Stripe => format!("whsec_stripe_endpoint_secret_{i}_0123456789"),
                Self::GitHub => format!("It's a Secret to Everybody #{i}"),
            })
            .collect()
    }

    /// The HMAC key a secret stands for (Standard Webhooks decodes it; the others use it as is).
    pub fn key(self, secret: &str) -> Vec<u8> {
        match self {
            Self::StandardWebhooks => {
                let encoded = secret.strip_prefix("whsec_").expect("a whsec_ secret");
                STANDARD.decode(encoded).expect("a base64 secret")
            }
            Self::Stripe | Self::GitHub => secret.as_bytes().to_vec(),
        }
    }

    /// The contenders that verify this scheme, in the order they are benchmarked.
    pub const fn contenders(self) -> &'static [&'static str] {
        match self {
            Self::StandardWebhooks => &[FLOOR, RAW, HOOKWARDEN, STANDARDWEBHOOKS, SVIX, WEBHOOK_VERIFY],
            Self::Stripe | Self::GitHub => &[FLOOR, RAW, HOOKWARDEN, WEBHOOK_VERIFY],
        }
    }

    fn verifier(self, secrets: &[String]) -> Verifier {
        let builder = match self {
            Self::StandardWebhooks => Verifier::builder(StandardWebhooks),
            Self::Stripe => Verifier::builder(Stripe),
            Self::GitHub => Verifier::builder(GitHub),
        };
        secrets
            .iter()
            .enumerate()
            .fold(builder, |builder, (i, secret)| builder.key(format!("key{i}"), secret))
            .build()
            .expect("a valid verifier")
    }
}

/// Contender names, as they appear in benchmark ids, tables and charts.
pub const FLOOR: &str = "floor_sha256";
/// The hand-written `hmac` + `sha2` verifier ([`RawHmac`]).
pub const RAW: &str = "raw_hmac_sha2";
/// hookwarden's preset for the scheme ([`Hookwarden`]).
pub const HOOKWARDEN: &str = "hookwarden";
/// The `standardwebhooks` crate ([`others::StandardWebhooksCrate`]).
pub const STANDARDWEBHOOKS: &str = "standardwebhooks";
/// The `svix` crate's `webhooks::Webhook` ([`others::SvixCrate`]).
pub const SVIX: &str = "svix";
/// The `webhook-verify` crate ([`others::WebhookVerifyCrate`]).
pub const WEBHOOK_VERIFY: &str = "webhook-verify";

/// The current Unix time in seconds, as every contender reads it.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("a clock after 1970").as_secs() as i64
}

/// A JSON body of exactly `len` ASCII bytes (`len >= 11`).
pub fn json_body(len: usize) -> Vec<u8> {
    let mut body = br#"{"data":""#.to_vec();
    body.resize(len - 2, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

/// A delivery as the provider sends it: headers and body.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The scheme it is signed with.
    pub scheme: Scheme,
    /// The headers, in an `http::HeaderMap` as a server hands them over: the provider's among
    /// nine others (twelve in all for Standard Webhooks).
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
    /// The signed timestamp, as sent (empty for GitHub, which signs none).
    pub timestamp: String,
}

impl Delivery {
    /// A `len`-byte JSON delivery signed now with `secret`.
    pub fn new(scheme: Scheme, len: usize, secret: &str) -> Self {
        Self::signed_at(scheme, json_body(len), secret, now())
    }

    /// `body` signed with `secret` at `unix`.
    pub fn signed_at(scheme: Scheme, body: Vec<u8>, secret: &str, unix: i64) -> Self {
        let signer = scheme.verifier(&[secret.to_owned()]);
        let signature = signer
            .sign(&Message::new(&body).id(ID).timestamp(unix))
            .expect("a signable message")
            .to_header_map();
        // As received through a proxy: the usual headers, the provider's, the proxy's.
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
        let timestamp = match scheme {
            Scheme::GitHub => String::new(),
            _ => unix.to_string(),
        };
        Self { scheme, headers, body, timestamp }
    }

    /// The same delivery with one body byte changed.
    pub fn tampered(&self) -> Self {
        let mut tampered = self.clone();
        let middle = tampered.body.len() / 2;
        tampered.body[middle] ^= 1;
        tampered
    }

    /// The bytes the scheme signs, in the pieces they are fed to the hash.
    pub fn signed_pieces(&self) -> Vec<&[u8]> {
        match self.scheme {
            Scheme::StandardWebhooks => {
                vec![ID.as_bytes(), b".", self.timestamp.as_bytes(), b".", &self.body]
            }
            Scheme::Stripe => vec![self.timestamp.as_bytes(), b".", &self.body],
            Scheme::GitHub => vec![&self.body],
        }
    }
}

/// The floor: a plain SHA-256 of the signed bytes. No HMAC, headers, decoding or clock.
pub fn floor_sha256(pieces: &[&[u8]]) -> [u8; 32] {
    let mut digest = Sha256::new();
    for piece in pieces {
        digest.update(piece);
    }
    digest.finalize().into()
}

/// A verifier of one scheme with one or more keys (rotation: any key may match).
pub trait Contender {
    /// Whether the delivery is authentic and fresh.
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool;
}

/// hookwarden's preset, with the default system clock.
#[derive(Debug, Clone)]
pub struct Hookwarden(Verifier);

impl Hookwarden {
    /// A verifier holding `secrets`, tried in order.
    pub fn new(scheme: Scheme, secrets: &[String]) -> Self {
        Self(scheme.verifier(secrets))
    }
}

impl Contender for Hookwarden {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        self.0.verify(headers, body).is_ok()
    }
}

/// A competent hand-written verifier on `hmac` + `sha2`: header lookups by name, timestamp
/// check against the system clock, signatures decoded onto the stack, the keyed HMAC state
/// precomputed once and cloned per verify, the signed content fed in pieces (no copy), and a
/// `subtle` constant-time compare. What a careful user writes without a library.
#[derive(Debug, Clone)]
pub struct RawHmac {
    scheme: Scheme,
    keys: Vec<HmacSha256>,
}

/// At most this many signatures per header are looked at by [`RawHmac`].
const RAW_MAX_SIGNATURES: usize = 4;

impl RawHmac {
    /// A verifier holding `secrets`, tried in order.
    pub fn new(scheme: Scheme, secrets: &[String]) -> Self {
        let keys = secrets
            .iter()
            .map(|secret| HmacSha256::new_from_slice(&scheme.key(secret)).expect("HMAC takes any key"))
            .collect();
        Self { scheme, keys }
    }

    /// Whether any key's MAC over `pieces` equals one of `signatures`.
    fn matches(&self, pieces: &[&[u8]], signatures: &[[u8; 32]]) -> bool {
        self.keys.iter().any(|key| {
            let mut mac = key.clone();
            for piece in pieces {
                mac.update(piece);
            }
            let tag: [u8; 32] = mac.finalize().into_bytes().into();
            signatures.iter().any(|signature| bool::from(signature.ct_eq(&tag)))
        })
    }
}

fn fresh(timestamp: &[u8]) -> bool {
    std::str::from_utf8(timestamp)
        .ok()
        .and_then(|t| t.parse::<i64>().ok())
        .is_some_and(|t| now().abs_diff(t) <= TOLERANCE_SECS.unsigned_abs())
}

/// Decodes up to [`RAW_MAX_SIGNATURES`] signatures with `decode`, skipping any that do not
/// decode to 32 bytes.
fn decode_signatures<'a>(
    encoded: impl Iterator<Item = &'a [u8]>,
    decode: impl Fn(&[u8], &mut [u8; 32]) -> bool,
) -> ([[u8; 32]; RAW_MAX_SIGNATURES], usize) {
    let mut decoded = [[0; 32]; RAW_MAX_SIGNATURES];
    let mut count = 0;
    for encoded in encoded.take(RAW_MAX_SIGNATURES) {
        if decode(encoded, &mut decoded[count]) {
            count += 1;
        }
    }
    (decoded, count)
}

fn decode_base64(encoded: &[u8], out: &mut [u8; 32]) -> bool {
    // `decode_slice` wants room for its estimate (33 bytes for 44 characters).
    let mut buffer = [0; 36];
    match STANDARD.decode_slice(encoded, &mut buffer) {
        Ok(32) => {
            out.copy_from_slice(&buffer[..32]);
            true
        }
        _ => false,
    }
}

fn decode_hex(encoded: &[u8], out: &mut [u8; 32]) -> bool {
    base16ct::lower::decode(encoded, out).is_ok_and(|decoded| decoded.len() == 32)
}

impl Contender for RawHmac {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        match self.scheme {
            Scheme::StandardWebhooks => {
                let (Some(id), Some(timestamp), Some(signatures)) = (
                    headers.get("webhook-id"),
                    headers.get("webhook-timestamp"),
                    headers.get("webhook-signature"),
                ) else {
                    return false;
                };
                if !fresh(timestamp.as_bytes()) {
                    return false;
                }
                let encoded = signatures
                    .as_bytes()
                    .split(|&b| b == b' ')
                    .filter_map(|entry| entry.strip_prefix(b"v1,"));
                let (signatures, count) = decode_signatures(encoded, decode_base64);
                let pieces = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body];
                self.matches(&pieces, &signatures[..count])
            }
            Scheme::Stripe => {
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
                if !fresh(timestamp) {
                    return false;
                }
                let encoded = items().filter(|(k, _)| *k == b"v1").map(|(_, v)| v);
                let (signatures, count) = decode_signatures(encoded, decode_hex);
                self.matches(&[timestamp, b".", body], &signatures[..count])
            }
            Scheme::GitHub => {
                let Some(hex) =
                    headers.get("x-hub-signature-256").and_then(|v| v.as_bytes().strip_prefix(b"sha256="))
                else {
                    return false;
                };
                let (signatures, count) = decode_signatures(std::iter::once(hex), decode_hex);
                self.matches(&[body], &signatures[..count])
            }
        }
    }
}

/// Contenders by name.
pub type Contenders = Vec<(&'static str, Box<dyn Contender>)>;

/// Every contender of `scheme` except the floor, holding `secrets`, by name.
pub fn verifiers(scheme: Scheme, secrets: &[String]) -> Contenders {
    scheme
        .contenders()
        .iter()
        .filter_map(|&name| {
            let contender: Box<dyn Contender> = match name {
                RAW => Box::new(RawHmac::new(scheme, secrets)),
                HOOKWARDEN => Box::new(Hookwarden::new(scheme, secrets)),
                STANDARDWEBHOOKS => Box::new(others::StandardWebhooksCrate::new(secrets)),
                SVIX => Box::new(others::SvixCrate::new(secrets)),
                WEBHOOK_VERIFY => Box::new(others::WebhookVerifyCrate::new(scheme, secrets)),
                _ => return None,
            };
            Some((name, contender))
        })
        .collect()
}

/// Panics unless every contender of `scheme` holding `secrets` accepts a `len`-byte delivery
/// signed now with the last secret and rejects the same delivery tampered, signed with a
/// secret it does not hold, or (schemes with a timestamp) signed 301 s ago.
pub fn check_contenders(scheme: Scheme, secrets: &[String], len: usize) {
    let signer = secrets.last().expect("at least one secret");
    let valid = Delivery::new(scheme, len, signer);
    let tampered = valid.tampered();
    let stranger = Delivery::new(scheme, len, &scheme.secrets(7)[6]);
    let stale = Delivery::signed_at(scheme, json_body(len), signer, now() - TOLERANCE_SECS - 1);
    for (name, contender) in verifiers(scheme, secrets) {
        let what = format!("{name} on {} with {} key(s) at {len} B", scheme.title(), secrets.len());
        assert!(contender.verify(&valid.headers, &valid.body), "{what}: refused a valid delivery");
        assert!(!contender.verify(&tampered.headers, &tampered.body), "{what}: accepted a tampered body");
        assert!(!contender.verify(&stranger.headers, &stranger.body), "{what}: accepted an unknown key");
        if scheme != Scheme::GitHub {
            assert!(!contender.verify(&stale.headers, &stale.body), "{what}: accepted a stale delivery");
        }
    }
}

/// The contenders of `scheme` holding one key, checked with [`check_contenders`] at `len` bytes,
/// and a `len`-byte delivery signed now for them to verify.
pub fn checked_contenders(scheme: Scheme, len: usize) -> (Contenders, Delivery) {
    let secrets = scheme.secrets(1);
    check_contenders(scheme, &secrets, len);
    (verifiers(scheme, &secrets), Delivery::new(scheme, len, &secrets[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contender_accepts_valid_and_rejects_bad_deliveries() {
        for scheme in Scheme::ALL {
            for keys in [1, 2, 5] {
                for len in [64, 1024] {
                    check_contenders(scheme, &scheme.secrets(keys), len);
                }
            }
        }
    }

    #[test]
    fn the_floor_hashes_exactly_the_signed_bytes() {
        for scheme in Scheme::ALL {
            let delivery = Delivery::new(scheme, 100, &scheme.secrets(1)[0]);
            let pieces = delivery.signed_pieces();
            assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), scheme.signed_len(100));
            assert_eq!(floor_sha256(&pieces), floor_sha256(&[&pieces.concat()]));
        }
    }

    #[test]
    fn the_standard_webhooks_spec_vector_verifies_everywhere() {
        // From the Standard Webhooks specification's test suite.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned();
        let mut headers = HeaderMap::new();
        headers.insert("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek".parse().unwrap());
        headers.insert("webhook-timestamp", "1614265330".parse().unwrap());
        headers
            .insert("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=".parse().unwrap());
        let body = br#"{"test": 2432232314}"#;
        let key = Scheme::StandardWebhooks.key(&secret);
        let mut mac = HmacSha256::new_from_slice(&key).unwrap();
        mac.update(b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.");
        mac.update(body);
        let tag: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(STANDARD.encode(tag), "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        // The vector's timestamp is in 2021: only a verifier that ignores time accepts it.
        let webhook = svix::webhooks::Webhook::new(&secret).unwrap();
        assert!(webhook.verify_ignoring_timestamp(body, &headers).is_ok());
        let signer = Scheme::StandardWebhooks.verifier(&[secret]);
        let signed =
            signer.sign(&Message::new(body).id("msg_p5jXN8AQM9LWM0D4loKWxJek").timestamp(1614265330));
        assert_eq!(signed.unwrap().to_header_map(), headers);
    }
}
