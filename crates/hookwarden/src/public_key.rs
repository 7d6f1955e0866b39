//! Public keys for asymmetric schemes, and checking signatures with them.
//!
//! Verification takes the signed content in pieces, like the HMACs: Ed25519 through
//! ed25519-dalek's streaming verifier, ECDSA by verifying a SHA-256 digest computed once per
//! request. Neither concatenates the content, so asymmetric schemes allocate nothing either.

#[cfg(feature = "p256")]
use crate::mac::Tag;

/// Reads a 32-byte Ed25519 public key, refusing the small-order ("weak") points for which
/// signatures prove nothing.
#[cfg(feature = "ed25519")]
pub(crate) fn ed25519_key(bytes: &[u8]) -> Result<ed25519_dalek::VerifyingKey, &'static str> {
    let bytes: &[u8; 32] = bytes.try_into().map_err(|_| "expected a 32-byte Ed25519 public key")?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
        .map_err(|_| "not an Ed25519 public key (not a point on the curve)")?;
    if key.is_weak() {
        return Err("a weak (small-order) Ed25519 public key: any signature would verify");
    }
    Ok(key)
}

/// Whether `signature` (64 bytes) is `key`'s Ed25519 signature over the content `write` feeds.
///
/// This is RFC 8032 verification with canonical `S` (ed25519-dalek's `verify`), like the
/// libsodium and OpenSSL verifiers the providers' SDKs use; weak keys were refused when the
/// key was read. Signature malleability does not matter here: replay keys never depend on the
/// signature bytes.
#[cfg(feature = "ed25519")]
pub(crate) fn ed25519_verify(
    key: &ed25519_dalek::VerifyingKey,
    signature: &[u8],
    write: impl FnOnce(&mut dyn FnMut(&[u8])),
) -> bool {
    let Ok(bytes) = <&[u8; 64]>::try_from(signature) else { return false };
    let Ok(mut stream) = key.verify_stream(&ed25519_dalek::Signature::from_bytes(bytes)) else {
        return false;
    };
    write(&mut |piece| stream.update(piece));
    stream.finalize_and_verify().is_ok()
}

/// Reads a P-256 public key from DER `SubjectPublicKeyInfo`, the form SendGrid hands out
/// (base64-encoded, and decoded before this point).
#[cfg(feature = "p256")]
pub(crate) fn p256_key(der: &[u8]) -> Result<p256::ecdsa::VerifyingKey, &'static str> {
    use p256::pkcs8::DecodePublicKey as _;
    p256::ecdsa::VerifyingKey::from_public_key_der(der)
        .map_err(|_| "expected a P-256 public key: base64 of its DER SubjectPublicKeyInfo")
}

/// Whether `signature` (`r || s`, 64 bytes) is `key`'s ECDSA signature over the content whose
/// SHA-256 is `digest`.
#[cfg(feature = "p256")]
pub(crate) fn p256_verify(key: &p256::ecdsa::VerifyingKey, digest: &[u8; 32], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
    p256::ecdsa::Signature::from_slice(signature)
        .is_ok_and(|signature| key.verify_prehash(digest, &signature).is_ok())
}

#[cfg(feature = "p256")]
impl Tag {
    /// Decodes standard base64 of a DER-encoded ECDSA P-256 signature (SendGrid's), keeping
    /// it as the fixed-size `r || s`.
    ///
    /// # Errors
    ///
    /// A short description of the problem, for [`VerifyError::MalformedHeader`](crate::VerifyError::MalformedHeader).
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::Tag;
    ///
    /// let der = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    /// assert_eq!(Tag::from_p256_der_base64(der.as_bytes()).unwrap().as_bytes().len(), 64);
    /// assert!(Tag::from_p256_der_base64(b"AAAA").is_err());
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "p256")))]
    pub fn from_p256_der_base64(encoded: &[u8]) -> Result<Self, &'static str> {
        use base64::Engine as _;
        // A DER P-256 signature is at most 72 bytes; `decode_slice` refuses anything longer
        // instead of writing past the buffer.
        let mut der = [0; 72];
        let len = base64::engine::general_purpose::STANDARD
            .decode_slice(encoded, &mut der)
            .map_err(|_| "signature is not valid base64 of the right length")?;
        let signature = p256::ecdsa::Signature::from_der(&der[..len])
            .map_err(|_| "signature is not a DER-encoded ECDSA P-256 signature")?;
        Ok(Self::from_bytes(&signature.to_bytes()))
    }
}

#[cfg(all(test, feature = "ed25519"))]
mod ed25519_tests {
    use super::*;

    #[test]
    fn rfc_8032_test_1_verifies_piece_by_piece() {
        // RFC 8032 §7.1, TEST 1: the empty message.
        let public =
            base16ct::lower::decode_vec("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
                .unwrap();
        let signature = base16ct::lower::decode_vec(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155\
             5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        )
        .unwrap();
        let key = ed25519_key(&public).unwrap();
        assert!(ed25519_verify(&key, &signature, |feed| feed(b"")));
        assert!(!ed25519_verify(&key, &signature, |feed| feed(b"x")));
        assert!(!ed25519_verify(&key, &signature[..63], |feed| feed(b"")));
    }

    #[test]
    fn weak_and_malformed_keys_are_refused() {
        assert!(ed25519_key(&[0; 31]).is_err());
        // The identity point: small order.
        let mut identity = [0; 32];
        identity[0] = 1;
        assert!(ed25519_key(&identity).is_err());
    }
}
