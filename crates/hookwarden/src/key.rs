//! Secrets and public keys as providers hand them out, decoded into verification keys.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use crate::error::ConfigError;
use crate::mac::{Algorithm, MacKey};
#[cfg(any(feature = "ed25519", feature = "p256"))]
use crate::public_key;

/// The fewest key bytes a verifier accepts: 128 bits, the common floor for HMAC keys.
pub const MIN_SECRET_LEN: usize = 16;

/// Base64 that accepts input with or without padding, as the Standard Webhooks libraries do
/// for secrets.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How a provider's secret string (or public key) becomes key bytes.
///
/// Getting this wrong is the most common reason a signature "never matches": Standard Webhooks
/// secrets look like Stripe's (`whsec_...`) but are base64-decoded, while Stripe's are used as
/// they are.
///
/// For asymmetric schemes the decoded bytes are the public key: 32 bytes for Ed25519 (Discord
/// hands them out as [`Hex`](Self::Hex)), DER `SubjectPublicKeyInfo` for ECDSA P-256 (SendGrid
/// hands it out as [`Base64`](Self::Base64)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFormat {
    /// The secret's bytes, used as they are (GitHub, Slack, Shopify, Stripe).
    Raw,
    /// `whsec_` followed by base64; the key is the decoded bytes (Standard Webhooks, Svix).
    /// The prefix is optional.
    WhsecBase64,
    /// Hex; the key is the decoded bytes.
    Hex,
    /// Standard base64; the key is the decoded bytes.
    Base64,
    /// `whpk_` followed by base64: a Standard Webhooks Ed25519 public key. The prefix is
    /// optional.
    WhpkBase64,
}

impl KeyFormat {
    /// Decodes `secret` into key bytes.
    pub(crate) fn decode(self, key_id: &str, secret: &[u8]) -> Result<Zeroizing<Vec<u8>>, ConfigError> {
        let malformed = |problem| ConfigError::SecretFormat { key_id: key_id.to_owned(), problem };
        if secret.is_empty() {
            return Err(ConfigError::EmptySecret { key_id: key_id.to_owned() });
        }
        let key = match self {
            Self::Raw => Zeroizing::new(secret.to_vec()),
            Self::WhsecBase64 => {
                let encoded = secret.strip_prefix(b"whsec_").unwrap_or(secret);
                Zeroizing::new(
                    LENIENT_BASE64
                        .decode(encoded)
                        .map_err(|_| malformed("expected `whsec_` followed by base64"))?,
                )
            }
            Self::WhpkBase64 => {
                if secret.starts_with(b"whsk_") {
                    return Err(malformed(
                        "this is a Standard Webhooks signing (private) key; give the public key (`whpk_...`)",
                    ));
                }
                let encoded = secret.strip_prefix(b"whpk_").unwrap_or(secret);
                Zeroizing::new(
                    LENIENT_BASE64
                        .decode(encoded)
                        .map_err(|_| malformed("expected `whpk_` followed by base64"))?,
                )
            }
            Self::Hex => {
                let mut key = Zeroizing::new(vec![0; secret.len() / 2]);
                base16ct::mixed::decode(secret, &mut key).map_err(|_| malformed("expected hex"))?;
                key
            }
            Self::Base64 => {
                Zeroizing::new(LENIENT_BASE64.decode(secret).map_err(|_| malformed("expected base64"))?)
            }
        };
        if key.len() < MIN_SECRET_LEN {
            return Err(ConfigError::SecretTooShort {
                key_id: key_id.to_owned(),
                min: MIN_SECRET_LEN,
                len: key.len(),
            });
        }
        Ok(key)
    }
}

/// A key ready for verification: its id and its precomputed state.
///
/// `Debug` shows only the id. The decoded secret is zeroized as soon as an HMAC state is built,
/// and HMAC states and tokens are zeroized on drop.
#[derive(Clone)]
pub(crate) struct PreparedKey {
    pub(crate) id: Arc<str>,
    pub(crate) state: KeyState,
}

/// What a key is, by the scheme's [`Algorithm`].
///
/// The HMAC state is stored inline although it is the largest variant: it is cloned on every
/// verification, and a box would add an indirection there to save memory on a few keys.
#[derive(Clone)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum KeyState {
    /// A precomputed HMAC key schedule.
    Mac(MacKey),
    /// The shared token itself, for [`Algorithm::Token`].
    Token(Zeroizing<Vec<u8>>),
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::VerifyingKey),
    #[cfg(feature = "p256")]
    P256(p256::ecdsa::VerifyingKey),
}

impl PreparedKey {
    pub(crate) fn new(id: &str, key: &[u8], algorithm: Algorithm) -> Result<Self, ConfigError> {
        let malformed = |problem| ConfigError::SecretFormat { key_id: id.to_owned(), problem };
        let state = match algorithm {
            Algorithm::Token => KeyState::Token(Zeroizing::new(key.to_vec())),
            #[cfg(feature = "ed25519")]
            Algorithm::Ed25519 => KeyState::Ed25519(public_key::ed25519_key(key).map_err(malformed)?),
            #[cfg(feature = "p256")]
            Algorithm::EcdsaP256Sha256 => KeyState::P256(public_key::p256_key(key).map_err(malformed)?),
            hmac => KeyState::Mac(hmac.mac_key(key).ok_or_else(|| malformed("not an HMAC key"))?),
        };
        Ok(Self { id: id.into(), state })
    }
}

impl fmt::Debug for PreparedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key").field("id", &self.id).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whsec_secrets_are_base64_decoded_with_or_without_prefix_and_padding() {
        let with = KeyFormat::WhsecBase64.decode("k", b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let without = KeyFormat::WhsecBase64.decode("k", b"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(with.len(), 24);
        assert_eq!(*with, *without);
        let unpadded = KeyFormat::WhsecBase64.decode("k", b"whsec_AAAAAAAAAAAAAAAAAAAAAAA").unwrap();
        assert_eq!(unpadded.len(), 17);
    }

    #[test]
    fn bad_secrets_are_construction_errors() {
        assert_eq!(
            KeyFormat::Raw.decode("k", b"").unwrap_err(),
            ConfigError::EmptySecret { key_id: "k".into() }
        );
        assert_eq!(KeyFormat::Raw.decode("k", b"short").unwrap_err().reason(), "secret_too_short");
        assert_eq!(KeyFormat::WhsecBase64.decode("k", b"whsec_!!!").unwrap_err().reason(), "secret_format");
        assert_eq!(KeyFormat::Hex.decode("k", b"abc").unwrap_err().reason(), "secret_format");
        assert_eq!(KeyFormat::Hex.decode("k", &[b'a'; 32]).unwrap().len(), 16);
    }
}
