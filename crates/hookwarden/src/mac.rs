//! Signature algorithms, precomputed HMAC key schedules and constant-time tags.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::digest::FixedOutput;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::{Choice, ConstantTimeEq};

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
            Self::HmacSha256 => Hmac::new_from_slice(secret).ok().map(MacKey::Sha256),
            Self::HmacSha512 => Hmac::new_from_slice(secret).ok().map(MacKey::Sha512),
            _ => None,
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
