//! PayPal webhooks: signed with the certificate at `PAYPAL-CERT-URL`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hookwarden::headers::{HeaderName, Headers};
use hookwarden::scheme::{self, Request};
use hookwarden::{Clock, ReplayKey, SystemClock};

use crate::SharedClock;
use crate::cache::KeyCache;
use crate::cert::{CertKey, Hash};
use crate::error::KeyError;
use crate::fetch::{Fetcher, HttpFetcher};
use crate::policy::UrlPolicy;

static TRANSMISSION_ID: HeaderName = HeaderName::from_static("paypal-transmission-id");
static TRANSMISSION_TIME: HeaderName = HeaderName::from_static("paypal-transmission-time");
static TRANSMISSION_SIG: HeaderName = HeaderName::from_static("paypal-transmission-sig");
static CERT_URL: HeaderName = HeaderName::from_static("paypal-cert-url");
static AUTH_ALGO: HeaderName = HeaderName::from_static("paypal-auth-algo");

/// How old a PayPal delivery may be: PayPal retries a delivery for three days; a day more for
/// clocks and queues.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(4 * 24 * 60 * 60);

/// An authentic PayPal delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayPalDelivery {
    /// `PAYPAL-TRANSMISSION-ID`.
    pub transmission_id: String,
    /// `PAYPAL-TRANSMISSION-TIME`, in Unix seconds.
    pub timestamp: i64,
    /// The event's `id` (`WH-...`) from the body, when it is JSON with one. The body is bound
    /// only by its CRC32 (see [`PayPalVerifier`]): do not trust it to identify the event.
    pub event_id: Option<String>,
}

impl PayPalDelivery {
    /// The replay key: the transmission id, which the signature covers directly.
    ///
    /// Not the event's `id`: the body is bound only by its CRC32, which anyone can match with
    /// another body (another `id`, another amount), so a key read from the body would let a
    /// captured delivery be replayed as a "new" event.
    pub fn replay_key(&self) -> ReplayKey {
        ReplayKey::new(format!("paypal:transmission:{}", self.transmission_id))
    }
}

/// Verifies PayPal webhook deliveries without calling PayPal's verify API.
///
/// - Headers: `PAYPAL-TRANSMISSION-ID`, `PAYPAL-TRANSMISSION-TIME`, `PAYPAL-TRANSMISSION-SIG`
///   (base64), `PAYPAL-CERT-URL`, `PAYPAL-AUTH-ALGO` (`SHA256withRSA`; nothing else is taken).
/// - Signed content: `{transmission id}|{transmission time}|{webhook id}|{CRC32 of the raw
///   body, unsigned decimal}`, RSA PKCS#1 v1.5 over SHA-256. The webhook id is the one PayPal
///   gave the receiving webhook: a delivery for another webhook does not verify. Source:
///   PayPal, "Verify webhook signature" (self-verification).
/// - The certificate: only from [`UrlPolicy::paypal`] (`https://api.paypal.com` or
///   `api.sandbox.paypal.com`, under `/v1/notifications/certs/`), cached an hour, checked for
///   its validity period.
/// - **CRC32 is not a hash**: PayPal signs the body's CRC32, and anyone can write another body
///   with the same CRC32 (the committed vector `crc32_collision` is one). So a captured
///   delivery can be replayed with another body. What stops it: the replay key is the
///   transmission id, which the signature covers directly
///   ([`PayPalDelivery::replay_key`]), and deliveries older than three days are refused
///   ([`max_age`](PayPalVerifierBuilder::max_age), PayPal's retry period); keep the replay
///   store's TTL at least that long. Where the body matters, fetch the event from PayPal's API
///   by its id before acting on it.
///
/// # Example
///
/// ```no_run
/// use hookwarden_keys::PayPalVerifier;
///
/// # async fn handle(headers: &http::HeaderMap, body: &[u8]) -> Result<(), hookwarden_keys::KeyError> {
/// let verifier = PayPalVerifier::builder("8PT597110X687430LKGECATA").build();
/// let delivery = verifier.verify(headers, body).await?;
/// println!("event {:?}", delivery.event_id);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct PayPalVerifier {
    webhook_id: String,
    policy: UrlPolicy,
    fetcher: Arc<dyn Fetcher>,
    cache: KeyCache<CertKey>,
    clock: SharedClock,
    max_age: Option<Duration>,
}

/// Builds a [`PayPalVerifier`].
#[derive(Debug)]
#[must_use]
pub struct PayPalVerifierBuilder {
    webhook_id: String,
    policy: UrlPolicy,
    fetcher: Option<Arc<dyn Fetcher>>,
    ttl: Duration,
    clock: SharedClock,
    max_age: Option<Duration>,
}

impl PayPalVerifierBuilder {
    /// Where certificates may come from, instead of [`UrlPolicy::paypal`].
    pub fn policy(mut self, policy: UrlPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How certificates are fetched, instead of a default [`HttpFetcher`].
    pub fn fetcher(mut self, fetcher: impl Fetcher) -> Self {
        self.fetcher = Some(Arc::new(fetcher));
        self
    }

    /// How long a fetched certificate is kept (one hour by default).
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The clock for certificate validity and [`max_age`](Self::max_age).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = SharedClock(Arc::new(clock));
        self
    }

    /// Refuse deliveries whose transmission time is older than this (or further ahead);
    /// [`DEFAULT_MAX_AGE`] by default.
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }

    /// Accept deliveries of any age: only the replay store, for as long as it remembers them,
    /// stops a captured delivery (or one with another body of the same CRC32) from being
    /// processed.
    pub fn skip_timestamp_check(mut self) -> Self {
        self.max_age = None;
        self
    }

    /// The verifier.
    pub fn build(self) -> PayPalVerifier {
        PayPalVerifier {
            webhook_id: self.webhook_id,
            policy: self.policy,
            fetcher: self.fetcher.unwrap_or_else(|| Arc::new(HttpFetcher::new())),
            cache: KeyCache::new(self.ttl),
            clock: self.clock,
            max_age: self.max_age,
        }
    }
}

impl PayPalVerifier {
    /// A builder for the webhook `webhook_id` (from PayPal's dashboard or API).
    pub fn builder(webhook_id: impl Into<String>) -> PayPalVerifierBuilder {
        PayPalVerifierBuilder {
            webhook_id: webhook_id.into(),
            policy: UrlPolicy::paypal(),
            fetcher: None,
            ttl: Duration::from_secs(3600),
            clock: SharedClock(Arc::new(SystemClock)),
            max_age: Some(DEFAULT_MAX_AGE),
        }
    }

    /// Verifies a delivery.
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] for missing or repeated headers, another algorithm or bad
    /// base64, [`KeyError::UrlRefused`], the fetch errors, [`KeyError::BadSignature`],
    /// [`KeyError::Stale`].
    pub async fn verify(
        &self,
        headers: &(impl Headers + ?Sized),
        body: &[u8],
    ) -> Result<PayPalDelivery, KeyError> {
        let request = Request::new(&headers, body);
        let header = |name: &HeaderName| {
            scheme::required(&request, name)
                .ok()
                .and_then(|value| std::str::from_utf8(value).ok())
                .ok_or(KeyError::malformed("a PAYPAL-* header is missing, repeated or not text"))
        };
        let (id, time, sig, cert_url, algo) = (
            header(&TRANSMISSION_ID)?,
            header(&TRANSMISSION_TIME)?,
            header(&TRANSMISSION_SIG)?,
            header(&CERT_URL)?,
            header(&AUTH_ALGO)?,
        );
        if algo != "SHA256withRSA" {
            return Err(KeyError::malformed("PAYPAL-AUTH-ALGO is not SHA256withRSA"));
        }
        let signature = base64::engine::general_purpose::STANDARD
            .decode(sig)
            .map_err(|_| KeyError::malformed("PAYPAL-TRANSMISSION-SIG is not base64"))?;
        let timestamp =
            crate::rfc3339(time).ok_or(KeyError::malformed("PAYPAL-TRANSMISSION-TIME is not RFC 3339"))?;
        let url = self.policy.check(cert_url)?;
        let now = self.clock.0.now_unix();
        if let Some(max_age) = self.max_age {
            crate::check_age(timestamp, now, max_age)?;
        }
        let content = format!("{id}|{time}|{}|{}", self.webhook_id, crc32fast::hash(body));
        let key = self.cache.get(&url, &*self.fetcher, CertKey::from_pem).await?;
        key.verify(Hash::Sha256, content.as_bytes(), &signature, now)?;
        let event_id = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|json| json.get("id")?.as_str().map(str::to_owned));
        Ok(PayPalDelivery { transmission_id: id.to_owned(), timestamp, event_id })
    }
}
