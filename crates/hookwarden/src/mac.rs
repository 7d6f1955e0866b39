//! HMAC algorithms, precomputed key schedules and constant-time tags.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::{Choice, ConstantTimeEq};

/// The MAC a scheme signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA1 (legacy providers such as Twilio and Intercom).
    HmacSha1,
    /// HMAC-SHA256, what nearly every provider uses.
    HmacSha256,
    /// HMAC-SHA512.
    HmacSha512,
}

impl Algorithm {
    /// The length of a MAC in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::HmacSha1 => 20,
            Self::HmacSha256 => 32,
            Self::HmacSha512 => 64,
        }
    }

    pub(crate) fn key(self, secret: &[u8]) -> MacKey {
        // HMAC accepts keys of any length, so `new_from_slice` cannot fail here; the verifier
        // enforces a minimum length before this point.
        match self {
            Self::HmacSha1 => MacKey::Sha1(Hmac::new_from_slice(secret).unwrap_or_else(|_| unreachable!())),
            Self::HmacSha256 => {
                MacKey::Sha256(Hmac::new_from_slice(secret).unwrap_or_else(|_| unreachable!()))
            }
            Self::HmacSha512 => {
                MacKey::Sha512(Hmac::new_from_slice(secret).unwrap_or_else(|_| unreachable!()))
            }
        }
    }
}

/// A keyed HMAC state, built once per key. Computing a tag clones it, so the key schedule is
/// never redone on the hot path.
#[derive(Clone)]
pub(crate) enum MacKey {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

impl MacKey {
    /// The tag over the content that `write` feeds, piece by piece.
    pub(crate) fn tag(&self, write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Tag {
        fn run<M: Mac + Clone>(state: &M, write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Tag {
            let mut mac = state.clone();
            write(&mut |piece| mac.update(piece));
            Tag::from_bytes(&mac.finalize().into_bytes())
        }
        match self {
            Self::Sha1(state) => run(state, write),
            Self::Sha256(state) => run(state, write),
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
const WORDS: usize = MAX_TAG / 8;

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
    fn from_bytes(bytes: &[u8]) -> Self {
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
        base16ct::lower::decode(encoded, &mut tag.bytes[..tag.len])
            .map_err(|_| "signature is not lowercase hex")?;
        Ok(tag)
    }

    /// Decodes standard, padded base64, expecting exactly `algorithm`'s output length.
    ///
    /// # Errors
    ///
    /// A short description of the problem, for [`VerifyError::MalformedHeader`](crate::VerifyError::MalformedHeader).
    pub fn from_base64(encoded: &[u8], algorithm: Algorithm) -> Result<Self, &'static str> {
        if encoded.is_empty() {
            return Err("empty signature");
        }
        let mut tag = Self { bytes: [0; MAX_TAG], len: 0 };
        // `decode_slice` refuses input that would overflow the buffer, so a huge header costs
        // no more than a short one.
        tag.len = STANDARD
            .decode_slice(encoded, &mut tag.bytes)
            .map_err(|_| "signature is not valid base64 of the right length")?;
        if tag.len != algorithm.output_len() {
            return Err("signature has the wrong length for its algorithm");
        }
        Ok(tag)
    }

    /// The tag's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn words(&self) -> [u64; WORDS] {
        let mut words = [0; WORDS];
        for (word, chunk) in words.iter_mut().zip(self.bytes.chunks_exact(8)) {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(chunk);
            *word = u64::from_ne_bytes(bytes);
        }
        words
    }

    fn word_count(&self) -> usize {
        self.len.div_ceil(8)
    }
}

impl ConstantTimeEq for Tag {
    fn ct_eq(&self, other: &Self) -> Choice {
        if self.len != other.len {
            return Choice::from(0);
        }
        // Bytes past `len` are zero in both tags, so comparing whole words is exact.
        let n = self.word_count();
        self.words()[..n].ct_eq(&other.words()[..n])
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({} bytes)", self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231_case_2() {
        let key = Algorithm::HmacSha256.key(b"Jefe");
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
        // key. With the `zeroize` features on, both cores wipe themselves when dropped.
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<<Sha1 as hmac::EagerHash>::Core>();
        zeroized_on_drop::<<Sha256 as hmac::EagerHash>::Core>();
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
}
