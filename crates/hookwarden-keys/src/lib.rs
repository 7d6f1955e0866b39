//! Webhook schemes whose verification key is **fetched**: AWS SNS ([`SnsVerifier`]), PayPal
//! ([`PayPalVerifier`]) and JWT-signed webhooks checked against a JWKS ([`JwksVerifier`]).
//!
//! The core crate `hookwarden` does no I/O; these schemes must fetch a certificate or a key
//! set named by the sender (SNS's `SigningCertURL`, PayPal's `PAYPAL-CERT-URL`) or by the
//! receiver (a JWKS URL). So they live here, with what makes fetching safe:
//!
//! - a strict [`UrlPolicy`] per provider (HTTPS, an exact host allowlist, the provider's path
//!   shape): a sender cannot point the receiver at a key it made itself;
//! - a [`Fetcher`] with timeouts and a size cap ([`HttpFetcher`]: hyper on rustls), so a
//!   slow or huge answer is a rejection ([`KeyError::FetchTimeout`],
//!   [`KeyError::FetchTooLarge`]), never a hang;
//! - a [`KeyCache`] with expiry, so a key is fetched once per TTL, not per delivery.
//!
//! Each verifier is `async` (it may fetch) and answers either what was verified or a
//! [`KeyError`] with a stable [`reason`](KeyError::reason) and an HTTP
//! [`status`](KeyError::status), like the core's `VerifyError`. The verified value gives a
//! [`ReplayKey`](hookwarden::ReplayKey) made of signed data only (SNS `MessageId`, PayPal's
//! transmission id, a JWT's `jti`), to claim in any of the core's replay stores with
//! [`Claim::acquire`](hookwarden::replay::Claim::acquire).

mod cache;
mod cert;
mod error;
mod fetch;
mod jwks;
mod paypal;
mod policy;
mod sns;

pub use cache::{FAILURE_TTL, KeyCache, MAX_ENTRIES};
pub use cert::{CertKey, Hash};
pub use error::KeyError;
pub use fetch::{DEFAULT_MAX_LEN, DEFAULT_TIMEOUT, FetchFuture, Fetcher, HttpFetcher};
pub use jsonwebtoken::Algorithm as JwtAlgorithm;
pub use jwks::{JwksVerifier, JwksVerifierBuilder, JwtClaims};
pub use paypal::{
    DEFAULT_MAX_AGE as PAYPAL_DEFAULT_MAX_AGE, PayPalDelivery, PayPalVerifier, PayPalVerifierBuilder,
};
pub use policy::UrlPolicy;
pub use sns::{DEFAULT_MAX_AGE as SNS_DEFAULT_MAX_AGE, SnsKind, SnsMessage, SnsVerifier, SnsVerifierBuilder};

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A clock shared by a verifier, printable.
#[derive(Clone)]
struct SharedClock(Arc<dyn hookwarden::Clock>);

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// An RFC 3339 timestamp (`2026-12-06T07:00:00.123Z`) in Unix seconds.
fn rfc3339(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
}

/// Refuses a timestamp further than `max_age` from `now`, either way.
fn check_age(timestamp: i64, now: i64, max_age: Duration) -> Result<(), KeyError> {
    let skew_secs = now.saturating_sub(timestamp);
    let limit = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    if skew_secs.unsigned_abs() > limit.unsigned_abs() {
        return Err(KeyError::Stale { skew_secs });
    }
    Ok(())
}

/// Whether `body` hashes to `expected` (lowercase hex SHA-256), compared in constant time.
fn sha256_hex_matches(body: &[u8], expected: &str) -> bool {
    use sha2::Digest as _;
    use subtle::ConstantTimeEq as _;
    let actual = sha2::Sha256::digest(body);
    let mut hex = [0u8; 64];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(actual.iter()) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0x0f)];
    }
    bool::from(hex.as_slice().ct_eq(expected.as_bytes()))
}
