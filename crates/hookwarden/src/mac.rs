//! Signature algorithms, precomputed HMAC key schedules and constant-time tags.

use std::fmt;

use hmac::digest::FixedOutput;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha512;
use subtle::{Choice, ConstantTimeEq};

use crate::hmac_sha256::HmacSha256;

/// How a scheme signs: an HMAC, a shared token, or a public-key signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA1 (legacy providers such as Twilio and Intercom).
    HmacSha1,
    /// HMAC-SHA256, what nearly every provider uses.
    HmacSha256,
    /// HMAC-SHA512.
    HmacSha512,
    /// No signature at all: the request carries the shared secret itself (GitLab's
    /// `X-Gitlab-Token`, Okta's `Authorization`). It is compared in constant time, except for
    /// its length, which a timing attacker may learn. Nothing binds the body to the token.
    Token,
    /// Ed25519 (RFC 8032) with the provider's public key (Discord, Standard Webhooks `v1a`).
    #[cfg(feature = "ed25519")]
    #[cfg_attr(docsrs, doc(cfg(feature = "ed25519")))]
    Ed25519,
    /// ECDSA over P-256 with SHA-256, with the provider's public key (SendGrid).
    #[cfg(feature = "p256")]
    #[cfg_attr(docsrs, doc(cfg(feature = "p256")))]
    EcdsaP256Sha256,
}

impl Algorithm {
    /// The length of a MAC or signature in bytes: 64 for Ed25519 and ECDSA P-256 (`r || s`;
    /// DER signatures are converted), 0 for [`Token`](Self::Token), whose length is the
    /// secret's.
    pub const fn output_len(self) -> usize {
        match self {
            Self::HmacSha1 => 20,
            Self::HmacSha256 => 32,
            Self::HmacSha512 => 64,
            Self::Token => 0,
            #[cfg(feature = "ed25519")]
            Self::Ed25519 => 64,
            #[cfg(feature = "p256")]
            Self::EcdsaP256Sha256 => 64,
        }
    }

    /// Whether the verifier holds only a public key, and so cannot sign.
    pub const fn is_asymmetric(self) -> bool {
        match self {
            Self::HmacSha1 | Self::HmacSha256 | Self::HmacSha512 | Self::Token => false,
            #[cfg(feature = "ed25519")]
            Self::Ed25519 => true,
            #[cfg(feature = "p256")]
            Self::EcdsaP256Sha256 => true,
        }
    }

    /// The precomputed HMAC state for `secret`, or `None` when this is not an HMAC.
    pub(crate) fn mac_key(self, secret: &[u8]) -> Option<MacKey> {
        // HMAC accepts keys of any length, so `new_from_slice` cannot fail here; the verifier
        // enforces a minimum length before this point.
        match self {
            Self::HmacSha1 => Hmac::new_from_slice(secret).ok().map(MacKey::Sha1),
            Self::HmacSha256 => Some(MacKey::Sha256(HmacSha256::new(secret))),
            Self::HmacSha512 => Hmac::new_from_slice(secret).ok().map(MacKey::Sha512),
            _ => None,
        }
    }
}

/// A keyed HMAC state, built once per key. Computing a tag clones it, so the key schedule is
/// never redone on the hot path. SHA-256, nearly every provider's, has its own leaner state.
#[derive(Clone)]
pub(crate) enum MacKey {
    Sha1(Hmac<Sha1>),
    Sha256(HmacSha256),
    Sha512(Hmac<Sha512>),
}

impl MacKey {
    /// The tag over the content that `write` feeds, piece by piece.
    pub(crate) fn tag(&self, write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Tag {
        fn run<M: Mac + FixedOutput + Clone>(state: &M, write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Tag {
            let mut mac = state.clone();
            write(&mut |piece| Mac::update(&mut mac, piece));
            // `finalize_fixed`, not `finalize`: the `CtOutput` that `finalize` returns zeroizes
            // itself on drop, byte by byte, which costs time on every request and protects
            // nothing, since the bytes are copied into the returned `Tag` anyway.
            Tag::from_bytes(&mac.finalize_fixed())
        }
        match self {
            Self::Sha1(state) => run(state, write),
            Self::Sha256(key) => Tag::from_bytes(&key.tag(write)),
            Self::Sha512(state) => run(state, write),
        }
    }
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

const MAX_TAG: usize = 64;

/// What a byte is worth in an alphabet, or [`INVALID`] (a flag bit no digit has). Tags are
/// decoded with these tables rather than the `base64` and `base16ct` crates: a signature is
/// public, so a lookup by its bytes leaks nothing, and the tables decode a MAC in about half
/// the time (BENCHMARKS.md, "Notes").
/// `tests::decoding_agrees_with_the_crates` holds them to the crates' answers.
const INVALID: u8 = 0x80;
const HEX: [u8; 256] = alphabet(b"0123456789abcdef");
const BASE64: [u8; 256] = alphabet(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

const fn alphabet(digits: &[u8]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < digits.len() {
        table[digits[i] as usize] = i as u8;
        i += 1;
    }
    table
}

/// A decoded signature or a computed MAC, at most 64 bytes, kept on the stack.
///
/// Equality is constant-time in the contents: lengths are compared first (a length is public),
/// then the bytes are compared as 64-bit words with `subtle`.
#[derive(Clone, Copy)]
pub struct Tag {
    bytes: [u8; MAX_TAG],
    len: usize,
}

impl Tag {
    /// A tag holding nothing, for schemes whose signature is not a MAC.
    pub(crate) const EMPTY: Self = Self { bytes: [0; MAX_TAG], len: 0 };

    pub(crate) fn from_bytes(bytes: &[u8]) -> Self {
        let mut tag = Self { bytes: [0; MAX_TAG], len: bytes.len() };
        tag.bytes[..bytes.len()].copy_from_slice(bytes);
        tag
    }

    /// Decodes lowercase hex, expecting exactly `algorithm`'s output length.
    ///
    /// # Errors
    ///
    /// A short description of the problem, for [`VerifyError::MalformedHeader`](crate::VerifyError::MalformedHeader).
    pub fn from_hex(encoded: &[u8], algorithm: Algorithm) -> Result<Self, &'static str> {
        let mut tag = Self { bytes: [0; MAX_TAG], len: algorithm.output_len() };
        if encoded.len() != 2 * tag.len {
            return Err(if encoded.is_empty() {
                "empty signature"
            } else {
                "signature has the wrong length for its algorithm"
            });
        }
        let mut invalid = 0;
        for (byte, pair) in tag.bytes.iter_mut().zip(encoded.as_chunks::<2>().0) {
            let [high, low] = pair.map(|c| HEX[usize::from(c)]);
            invalid |= high | low;
            *byte = (high << 4) | (low & 0x0f);
        }
        if invalid & INVALID != 0 {
            return Err("signature is not lowercase hex");
        }
        Ok(tag)
    }

    /// Decodes standard, padded, canonical base64, expecting exactly `algorithm`'s output
    /// length.
    ///
    /// # Errors
    ///
    /// A short description of the problem, for [`VerifyError::MalformedHeader`](crate::VerifyError::MalformedHeader).
    pub fn from_base64(encoded: &[u8], algorithm: Algorithm) -> Result<Self, &'static str> {
        let mut tag = Self { bytes: [0; MAX_TAG], len: algorithm.output_len() };
        if encoded.is_empty() {
            return Err("empty signature");
        }
        // Checked before decoding, so a huge header costs no more than a short one.
        if encoded.len() != 4 * tag.len.div_ceil(3) {
            return Err("signature has the wrong length for its algorithm");
        }
        let value = |c: u8| u32::from(BASE64[usize::from(c)]);
        let (quads, _) = encoded.as_chunks::<4>();
        let (last, whole) = quads.split_last().unwrap_or((&[b'='; 4], &[]));
        let mut invalid = 0;
        for (bytes, quad) in tag.bytes.as_chunks_mut::<3>().0.iter_mut().zip(whole) {
            let [a, b, c, d] = quad.map(value);
            invalid |= a | b | c | d;
            let word = (a << 18) | (b << 12) | (c << 6) | d;
            *bytes = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        }
        // The last quad holds 3, 2 or 1 bytes, padded with `=`; the bits past the last byte
        // must be zero, as the encoder writes them (one signature, one spelling).
        let [a, b, c, d] = last.map(value);
        let word = (a << 18) | (b << 12) | (c << 6) | d;
        let tail = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        let start = 3 * whole.len();
        let canonical = match tag.len - start {
            3 => {
                invalid |= a | b | c | d;
                true
            }
            2 => {
                invalid |= a | b | c;
                last[3] == b'=' && c & 0b11 == 0
            }
            _ => {
                invalid |= a | b;
                last[2..] == *b"==" && b & 0b1111 == 0
            }
        };
        for (byte, value) in tag.bytes[start..tag.len].iter_mut().zip(tail) {
            *byte = value;
        }
        if invalid & u32::from(INVALID) != 0 || !canonical {
            return Err("signature is not valid base64");
        }
        Ok(tag)
    }

    /// The tag's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn words(&self) -> [u64; MAX_TAG / 8] {
        let mut words = [0; MAX_TAG / 8];
        for (word, chunk) in words.iter_mut().zip(self.bytes.chunks_exact(8)) {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(chunk);
            *word = u64::from_ne_bytes(bytes);
        }
        words
    }
}

impl ConstantTimeEq for Tag {
    fn ct_eq(&self, other: &Self) -> Choice {
        if self.len != other.len {
            return Choice::from(0);
        }
        // Bytes past `len` are zero in both tags, so comparing whole words is exact.
        let words = self.len.div_ceil(8);
        self.words()[..words].ct_eq(&other.words()[..words])
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({} bytes)", self.len)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231_case_2() {
        let key = Algorithm::HmacSha256.mac_key(b"Jefe").unwrap();
        let tag = key.tag(|feed| {
            feed(b"what do ya want ");
            feed(b"for nothing?");
        });
        let expected = Tag::from_hex(
            b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            Algorithm::HmacSha256,
        )
        .unwrap();
        assert!(bool::from(tag.ct_eq(&expected)));
    }

    #[test]
    fn precomputed_key_states_are_zeroized_on_drop() {
        // An HMAC state is two hash cores keyed with the inner and outer pads: as good as the
        // key. With the `zeroize` features on, both cores wipe themselves when dropped
        // (`HmacSha256` wipes its chaining values in its own `Drop`).
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<<Sha1 as hmac::EagerHash>::Core>();
        zeroized_on_drop::<<Sha512 as hmac::EagerHash>::Core>();
    }

    #[test]
    fn tags_of_different_lengths_never_match() {
        let a = Tag::from_bytes(&[1; 20]);
        let b = Tag::from_bytes(&[1; 32]);
        assert!(!bool::from(a.ct_eq(&b)));
    }

    #[test]
    fn a_difference_in_the_last_byte_is_seen() {
        let a = Tag::from_bytes(&[7; 20]);
        let mut bytes = [7; 20];
        bytes[19] = 8;
        assert!(!bool::from(a.ct_eq(&Tag::from_bytes(&bytes))));
    }

    #[test]
    fn decoding_is_strict() {
        let hex = "ab".repeat(32);
        assert!(Tag::from_hex(hex.as_bytes(), Algorithm::HmacSha256).is_ok());
        assert!(Tag::from_hex(hex.to_uppercase().as_bytes(), Algorithm::HmacSha256).is_err());
        assert!(Tag::from_hex(&hex.as_bytes()[2..], Algorithm::HmacSha256).is_err());
        assert!(Tag::from_hex(b"", Algorithm::HmacSha256).is_err());
        let b64 = STANDARD.encode([9u8; 32]);
        assert!(Tag::from_base64(b64.as_bytes(), Algorithm::HmacSha256).is_ok());
        assert!(Tag::from_base64(b64.as_bytes(), Algorithm::HmacSha1).is_err());
        assert!(Tag::from_base64(b"!!!!", Algorithm::HmacSha256).is_err());
        assert!(Tag::from_base64(&[b'A'; 10_000], Algorithm::HmacSha256).is_err());
    }

    /// Signatures of every length a tag has, in their canonical encodings and mangled.
    fn encodings() -> impl Strategy<Value = (Vec<u8>, Algorithm)> {
        let algorithm =
            prop::sample::select(vec![Algorithm::HmacSha1, Algorithm::HmacSha256, Algorithm::HmacSha512]);
        (
            algorithm,
            any::<bool>(),
            prop::collection::vec(any::<u8>(), 0..70),
            any::<prop::sample::Index>(),
            any::<u8>(),
        )
            .prop_map(|(algorithm, base64, bytes, at, junk)| {
                let mut bytes = bytes;
                bytes.resize(algorithm.output_len(), 0);
                let mut encoded =
                    if base64 { STANDARD.encode(&bytes) } else { base16ct::lower::encode_string(&bytes) }
                        .into_bytes();
                // Half the cases keep the canonical encoding; the others replace one byte.
                if junk % 2 == 0 {
                    let at = at.index(encoded.len());
                    encoded[at] = junk;
                }
                (encoded, algorithm)
            })
    }

    proptest! {
        #[test]
        fn decoding_agrees_with_the_crates((encoded, algorithm) in encodings(), raw in prop::collection::vec(any::<u8>(), 0..100)) {
            for encoded in [&encoded, &raw] {
                let len = algorithm.output_len();
                let mut expected = [0; 64];
                let theirs = STANDARD.decode_slice(encoded, &mut expected).ok().filter(|&n| n == len);
                let ours = Tag::from_base64(encoded, algorithm).ok();
                prop_assert_eq!(ours.map(|tag| tag.as_bytes().to_vec()), theirs.map(|n| expected[..n].to_vec()));

                let theirs = base16ct::lower::decode_vec(encoded).ok().filter(|bytes| bytes.len() == len);
                let ours = Tag::from_hex(encoded, algorithm).ok();
                prop_assert_eq!(ours.map(|tag| tag.as_bytes().to_vec()), theirs);
            }
        }
    }
}
