//! X.509 certificates as SNS and PayPal publish them: PEM, RSA, checked for their validity
//! period, then used to verify PKCS#1 v1.5 signatures.

use rsa::PublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey as _;
use rsa::signature::Verifier as _;
use x509_cert::Certificate;
use x509_cert::der::{DecodePem as _, Encode as _};

use crate::error::KeyError;

/// The RSA key of a certificate, with its validity period in Unix seconds.
#[derive(Debug, Clone)]
pub struct CertKey {
    key: PublicKey,
    not_before: i64,
    not_after: i64,
}

/// The hash an RSA signature was made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1 (SNS `SignatureVersion` 1).
    Sha1,
    /// SHA-256 (SNS `SignatureVersion` 2, PayPal `SHA256withRSA`).
    Sha256,
}

impl CertKey {
    /// Reads the first certificate of a PEM document.
    ///
    /// # Errors
    ///
    /// [`KeyError::BadKey`] when it is not a PEM X.509 certificate with an RSA key.
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let bad = |problem| KeyError::BadKey { problem };
        // Providers may append their chain; the first block is the signing certificate.
        let text = std::str::from_utf8(pem).map_err(|_| bad("the certificate is not PEM text"))?;
        let end = text.find("-----END CERTIFICATE-----").ok_or_else(|| bad("no PEM certificate"))?;
        let first = &text[..end + "-----END CERTIFICATE-----".len()];
        let cert = Certificate::from_pem(first.trim_start()).map_err(|_| bad("not an X.509 certificate"))?;
        let tbs = cert.tbs_certificate();
        let spki = tbs.subject_public_key_info().to_der().map_err(|_| bad("not an X.509 certificate"))?;
        let key =
            PublicKey::from_public_key_der(&spki).map_err(|_| bad("the certificate's key is not RSA"))?;
        let validity = tbs.validity();
        let unix = |time: x509_cert::time::Time| {
            i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
        };
        Ok(Self { key, not_before: unix(validity.not_before), not_after: unix(validity.not_after) })
    }

    /// Checks `signature` over `message` at `now` (Unix seconds).
    ///
    /// # Errors
    ///
    /// [`KeyError::BadKey`] when the certificate is not valid at `now`,
    /// [`KeyError::BadSignature`] when the signature does not verify.
    pub fn verify(&self, hash: Hash, message: &[u8], signature: &[u8], now: i64) -> Result<(), KeyError> {
        if now < self.not_before || now > self.not_after {
            return Err(KeyError::BadKey {
                problem: "the certificate is not valid now (expired or not yet valid)",
            });
        }
        let signature = Signature::try_from(signature).map_err(|_| KeyError::BadSignature)?;
        let verified = match hash {
            Hash::Sha1 => VerifyingKey::<sha1::Sha1>::new(self.key.clone()).verify(message, &signature),
            Hash::Sha256 => VerifyingKey::<sha2::Sha256>::new(self.key.clone()).verify(message, &signature),
        };
        verified.map_err(|_| KeyError::BadSignature)
    }
}
