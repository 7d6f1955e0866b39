//! HMAC-SHA256 (RFC 2104) on `sha2`'s block function, for the hot path.
//!
//! Nearly every provider signs with HMAC-SHA256, and at webhook sizes the HMAC is most of a
//! verify. The `hmac` crate's streaming state carries a block buffer through every clone,
//! update and finalization and wipes each per-request copy on drop, a measurable part of a
//! small delivery's verify (BENCHMARKS.md, "Notes"). Here the keyed state is two 32-byte
//! chaining values, computed once; a
//! request copies them, and every copy is consumed by `compress256` (overwritten in place), so
//! no key-equivalent state outlives it.
//!
//! The SHA-256 compression itself is `sha2`'s (with SHA-NI where the CPU has it); this file
//! only does the padding and the two passes. `tests::agrees_with_the_hmac_crate` checks it
//! against the `hmac` crate over random keys, messages and ways of cutting them into pieces.

use sha2::block_api::compress256;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

const BLOCK: usize = 64;

/// SHA-256's initial chaining value (FIPS 180-4, 5.3.3).
const IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// A key's inner and outer chaining values: SHA-256 after one block of `key ^ ipad` and of
/// `key ^ opad`. As good as the key; wiped on drop.
#[derive(Clone)]
pub(crate) struct HmacSha256 {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl HmacSha256 {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let keyed = |block: &[u8; BLOCK], pad: u8| {
            let mut padded = block.map(|b| b ^ pad);
            let mut state = IV;
            compress256(&mut state, std::slice::from_ref(&padded));
            padded.zeroize();
            state
        };
        let key = Self { inner: keyed(&block, 0x36), outer: keyed(&block, 0x5c) };
        block.zeroize();
        key
    }

    /// The MAC of the content that `write` feeds, piece by piece.
    pub(crate) fn tag(&self, write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> [u8; 32] {
        let mut inner = Stream::after_one_block(self.inner);
        write(&mut |piece| inner.update(piece));
        // The outer pass hashes the inner digest after the key block: one block, padded
        // here once and for all (the digest, a `1` bit, zeros, and 96 bytes in bits).
        let mut block = [0; BLOCK];
        inner.finish_into(&mut block[..32]);
        block[32] = 0x80;
        block[BLOCK - 8..].copy_from_slice(&((BLOCK as u64 + 32) * 8).to_be_bytes());
        let mut outer = self.outer;
        compress256(&mut outer, std::slice::from_ref(&block));
        let mut tag = [0; 32];
        write_be(&outer, &mut tag);
        tag
    }
}

impl Drop for HmacSha256 {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// SHA-256 in progress: the chaining value, the bytes of an incomplete block, and the length.
struct Stream {
    state: [u32; 8],
    buffer: [u8; BLOCK],
    filled: usize,
    len: u64,
}

impl Stream {
    /// A stream whose first block (the padded key) is already in `state`.
    fn after_one_block(state: [u32; 8]) -> Self {
        Self { state, buffer: [0; BLOCK], filled: 0, len: BLOCK as u64 }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.len += data.len() as u64;
        if self.filled > 0 {
            let take = data.len().min(BLOCK - self.filled);
            self.buffer[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled < BLOCK {
                return;
            }
            compress256(&mut self.state, std::slice::from_ref(&self.buffer));
            self.filled = 0;
        }
        // Whole blocks straight from the caller's bytes: a large body is never copied.
        let (blocks, rest) = data.as_chunks::<BLOCK>();
        // Even with no blocks, a call would load and store the state: skip it.
        if !blocks.is_empty() {
            compress256(&mut self.state, blocks);
        }
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// Pads (a `1` bit, zeros, the length in bits) and writes the digest into `out`.
    fn finish_into(mut self, out: &mut [u8]) {
        let bits = self.len * 8;
        self.buffer[self.filled] = 0x80;
        self.buffer[self.filled + 1..].fill(0);
        if self.filled + 1 > BLOCK - 8 {
            compress256(&mut self.state, std::slice::from_ref(&self.buffer));
            self.buffer.fill(0);
        }
        self.buffer[BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        compress256(&mut self.state, std::slice::from_ref(&self.buffer));
        write_be(&self.state, out);
    }
}

/// A chaining value as digest bytes.
fn write_be(state: &[u32; 8], out: &mut [u8]) {
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use hmac::{Hmac, KeyInit, Mac};
    use proptest::prelude::*;

    use super::*;

    fn ours(key: &[u8], pieces: &[&[u8]]) -> [u8; 32] {
        HmacSha256::new(key).tag(|feed| pieces.iter().for_each(|piece| feed(piece)))
    }

    fn theirs(key: &[u8], message: &[u8]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn rfc_4231_vectors() {
        let hex = |s: &str| base16ct::lower::decode_vec(s).unwrap();
        // Case 2: a key shorter than a block.
        assert_eq!(
            ours(b"Jefe", &[b"what do ya want ", b"for nothing?"]).to_vec(),
            hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
        // Case 6: a key longer than a block is hashed first.
        assert_eq!(
            ours(&[0xaa; 131], &[b"Test Using Larger Than Block-Size Key - Hash Key First"]).to_vec(),
            hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        );
    }

    #[test]
    fn every_padding_boundary() {
        // Lengths around 55/56 bytes (where the length field spills into a second block) and
        // around whole blocks, counting the key block: the inner pass hashes 64 + n bytes.
        let message = [0x5a; 300];
        for n in 0..=message.len() {
            assert_eq!(ours(b"key", &[&message[..n]]), theirs(b"key", &message[..n]), "{n} bytes");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_hmac_crate(
            key in proptest::collection::vec(any::<u8>(), 0..200),
            message in proptest::collection::vec(any::<u8>(), 0..700),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut.index(message.len() + 1)).collect();
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut start = 0;
            for cut in cuts.into_iter().chain([message.len()]) {
                pieces.push(&message[start..cut]);
                start = cut;
            }
            prop_assert_eq!(ours(&key, &pieces), theirs(&key, &message));
        }
    }
}
