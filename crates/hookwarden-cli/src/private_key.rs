//! `sign` for the public-key presets: the provider's private key (or a test one) signs what
//! the provider signs, so a receiver can be tried end to end with `verify` and `serve`.
//!
//! The core verifies these schemes but holds only public keys, so the signed content and the
//! headers of each one are written here; `tests/cli.rs` checks them against the core's
//! verifier and, for Discord, byte for byte against the signature of the provider's SDK.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
use p256::ecdsa::signature::Signer as _;

/// A private key, read for one preset.
pub(crate) enum PrivateKey {
    /// Discord, Standard Webhooks `v1a`, Telnyx.
    Ed25519(ed25519_dalek::SigningKey),
    /// SendGrid.
    P256(p256::ecdsa::SigningKey),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

/// What a preset's private key looks like, for help and errors.
pub(crate) fn formats(preset: &str) -> Option<&'static str> {
    Some(match preset {
        "discord" => "a PKCS#8 PEM Ed25519 key, or its 32-byte seed in hex",
        "standard-webhooks-ed25519" => {
            "`whsk_` + base64 of the 32-byte seed (or seed + public key), or a PKCS#8 PEM"
        }
        "telnyx" => "a PKCS#8 PEM Ed25519 key, or its 32-byte seed in base64",
        "sendgrid" => "a PKCS#8 or SEC1 PEM P-256 key, or the base64 of its DER",
        _ => return None,
    })
}

impl PrivateKey {
    /// Reads `text` as the private key of `preset`.
    pub(crate) fn parse(preset: &str, text: &str) -> Result<Self, String> {
        let text = text.trim();
        let formats = formats(preset)
            .ok_or_else(|| format!("sign does not know how {preset} signs with a private key"))?;
        let wrong = || format!("not a {preset} private key: expected {formats}");
        match preset {
            "discord" | "standard-webhooks-ed25519" | "telnyx" => {
                if text.starts_with("-----BEGIN") {
                    return ed25519_dalek::SigningKey::from_pkcs8_pem(text)
                        .map(Self::Ed25519)
                        .map_err(|_| wrong());
                }
                let seed = match text.strip_prefix("whsk_") {
                    Some(b64) if preset == "standard-webhooks-ed25519" => {
                        STANDARD.decode(b64).map_err(|_| wrong())?
                    }
                    None if preset == "discord" => base16ct::mixed::decode_vec(text).map_err(|_| wrong())?,
                    None if preset == "telnyx" => STANDARD.decode(text).map_err(|_| wrong())?,
                    _ => return Err(wrong()),
                };
                // A 64-byte key is the seed followed by the public key (libsodium's layout);
                // the halves must belong together.
                let key = match seed.len() {
                    32 | 64 => {
                        let mut bytes = [0; 32];
                        bytes.copy_from_slice(&seed[..32]);
                        ed25519_dalek::SigningKey::from_bytes(&bytes)
                    }
                    _ => return Err(wrong()),
                };
                if seed.len() == 64 && seed[32..] != key.verifying_key().as_bytes()[..] {
                    return Err(format!("{}: its public half is not the seed's", wrong()));
                }
                Ok(Self::Ed25519(key))
            }
            "sendgrid" => {
                use p256::pkcs8::DecodePrivateKey as _;
                let key = if text.starts_with("-----BEGIN EC PRIVATE KEY") {
                    p256::SecretKey::from_sec1_pem(text).map_err(|_| wrong())?
                } else if text.starts_with("-----BEGIN") {
                    p256::SecretKey::from_pkcs8_pem(text).map_err(|_| wrong())?
                } else {
                    let der = STANDARD.decode(text).map_err(|_| wrong())?;
                    p256::SecretKey::from_pkcs8_der(&der)
                        .or_else(|_| p256::SecretKey::from_sec1_der(&der))
                        .map_err(|_| wrong())?
                };
                Ok(Self::P256(key.into()))
            }
            _ => Err(wrong()),
        }
    }

    /// The public key in the form the preset's `verify --secret` takes.
    pub(crate) fn public_key(&self, preset: &str) -> String {
        match self {
            Self::Ed25519(key) if preset == "standard-webhooks-ed25519" => {
                format!("whpk_{}", STANDARD.encode(key.verifying_key().as_bytes()))
            }
            Self::Ed25519(key) if preset == "telnyx" => STANDARD.encode(key.verifying_key().as_bytes()),
            Self::Ed25519(key) => base16ct::lower::encode_string(key.verifying_key().as_bytes()),
            Self::P256(key) => {
                let der =
                    p256::PublicKey::from(key.verifying_key()).to_public_key_der().map(|der| der.into_vec());
                der.map(|der| STANDARD.encode(der)).unwrap_or_default()
            }
        }
    }

    /// The headers `preset` sends for `body`, signed now.
    pub(crate) fn sign(
        &self,
        preset: &str,
        id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> Result<Vec<(String, String)>, String> {
        let ts = timestamp.to_string();
        let content = |parts: &[&[u8]]| parts.concat();
        Ok(match (preset, self) {
            ("discord", Self::Ed25519(key)) => {
                let signature = key.sign(&content(&[ts.as_bytes(), body]));
                vec![
                    ("X-Signature-Ed25519".to_owned(), base16ct::lower::encode_string(&signature.to_bytes())),
                    ("X-Signature-Timestamp".to_owned(), ts),
                ]
            }
            ("standard-webhooks-ed25519", Self::Ed25519(key)) => {
                let signature = key.sign(&content(&[id.as_bytes(), b".", ts.as_bytes(), b".", body]));
                vec![
                    ("webhook-id".to_owned(), id.to_owned()),
                    ("webhook-timestamp".to_owned(), ts),
                    (
                        "webhook-signature".to_owned(),
                        format!("v1a,{}", STANDARD.encode(signature.to_bytes())),
                    ),
                ]
            }
            ("telnyx", Self::Ed25519(key)) => {
                let signature = key.sign(&content(&[ts.as_bytes(), b"|", body]));
                vec![
                    ("telnyx-signature-ed25519".to_owned(), STANDARD.encode(signature.to_bytes())),
                    ("telnyx-timestamp".to_owned(), ts),
                ]
            }
            ("sendgrid", Self::P256(key)) => {
                let signature: p256::ecdsa::DerSignature = key.sign(&content(&[ts.as_bytes(), body]));
                vec![
                    (
                        "X-Twilio-Email-Event-Webhook-Signature".to_owned(),
                        STANDARD.encode(signature.as_bytes()),
                    ),
                    ("X-Twilio-Email-Event-Webhook-Timestamp".to_owned(), ts),
                ]
            }
            _ => return Err(format!("sign does not know how {preset} signs with a private key")),
        })
    }
}
