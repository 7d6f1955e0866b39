//! AWS SNS HTTP(S) deliveries: messages signed by SNS with the certificate at
//! `SigningCertURL`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hookwarden::{Clock, ReplayKey, SystemClock};
use serde::Deserialize;

use crate::SharedClock;
use crate::cache::KeyCache;
use crate::cert::{CertKey, Hash};
use crate::error::KeyError;
use crate::fetch::{Fetcher, HttpFetcher};
use crate::policy::UrlPolicy;

/// How old an SNS message may be by default: the core's default replay TTL
/// ([`hookwarden::DEFAULT_REPLAY_TTL`]), so a message the store no longer remembers is refused.
pub const DEFAULT_MAX_AGE: Duration = hookwarden::DEFAULT_REPLAY_TTL;

/// What kind of message SNS sent (its `Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnsKind {
    /// A message published to the topic: give it to the handler.
    Notification,
    /// SNS asks to confirm the subscription: see [`SnsVerifier::confirm_subscription`].
    SubscriptionConfirmation,
    /// The subscription was removed.
    UnsubscribeConfirmation,
}

/// The fields of an SNS message, as SNS's JSON names them.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Wire {
    #[serde(rename = "Type")]
    kind: String,
    message_id: String,
    topic_arn: String,
    message: String,
    timestamp: String,
    signature_version: String,
    signature: String,
    #[serde(rename = "SigningCertURL")]
    signing_cert_url: String,
    subject: Option<String>,
    token: Option<String>,
    #[serde(rename = "SubscribeURL")]
    subscribe_url: Option<String>,
}

/// An authentic SNS message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsMessage {
    /// Its kind.
    pub kind: SnsKind,
    /// `MessageId`: the same on every retry of one message, hence the replay key.
    pub message_id: String,
    /// `TopicArn`, one the verifier was told to accept.
    pub topic_arn: String,
    /// `Subject`, when the publisher gave one.
    pub subject: Option<String>,
    /// `Message`: the published payload (for confirmations, SNS's explanation).
    pub message: String,
    /// `Timestamp`, in Unix seconds.
    pub timestamp: i64,
    /// `SubscribeURL` of a confirmation.
    pub subscribe_url: Option<String>,
}

impl SnsMessage {
    /// The key under which a replay store remembers this message: its `MessageId`, which SNS
    /// signs and keeps across retries. Use it with [`hookwarden::replay::Claim::acquire`].
    pub fn replay_key(&self) -> ReplayKey {
        ReplayKey::new(format!("sns:id:{}", self.message_id))
    }
}

/// Verifies SNS messages (the raw JSON body of SNS's POST).
///
/// - `SignatureVersion` 1 is RSA PKCS#1 v1.5 over SHA-1, 2 over SHA-256, of SNS's canonical
///   string: `Name\nvalue\n` for `Message`, `MessageId`, `Subject` (when present), `Timestamp`,
///   `TopicArn`, `Type` (notifications), or `Message`, `MessageId`, `SubscribeURL`,
///   `Timestamp`, `Token`, `TopicArn`, `Type` (confirmations). Source: AWS, "Verifying the
///   signatures of Amazon SNS messages".
/// - The certificate comes from `SigningCertURL`, only when [`UrlPolicy::sns`] allows it
///   (HTTPS, `sns.<region>.amazonaws.com`, a `.pem` path), through the [`Fetcher`], and is
///   cached for an hour ([`cache_ttl`](SnsVerifierBuilder::cache_ttl)). Its validity period is
///   checked against the clock.
/// - **Topics**: anyone can create a topic and subscribe your endpoint, and SNS signs their
///   messages too. The builder requires the topic ARNs to accept
///   ([`topic_arn`](SnsVerifierBuilder::topic_arn)); others are [`KeyError::NotForUs`] (403).
/// - Freshness: SNS retries a message unchanged (same `Timestamp`, same signature), so the
///   `MessageId` replay key stops repeats; a message older than [`DEFAULT_MAX_AGE`] (one day,
///   the core's default replay TTL) is refused, so that one the replay store has forgotten
///   cannot be replayed. [`max_age`](SnsVerifierBuilder::max_age) changes the window (keep it
///   within the store's TTL), [`skip_timestamp_check`](SnsVerifierBuilder::skip_timestamp_check)
///   removes it.
/// - **Subscription handshake**: a `SubscriptionConfirmation` verifies like any message; the
///   receiver then calls [`SnsVerifier::confirm_subscription`], which GETs its
///   `SubscribeURL` (checked against the same host rule, without the `.pem` rule) and answers
///   200 itself. Without that GET the subscription stays pending; SNS does not read the
///   answer's body.
///
/// # Example
///
/// ```no_run
/// use hookwarden_keys::{SnsKind, SnsVerifier};
///
/// # async fn handle(body: &[u8]) -> Result<u16, hookwarden_keys::KeyError> {
/// let verifier = SnsVerifier::builder().topic_arn("arn:aws:sns:eu-west-1:123456789012:orders").build();
/// let message = verifier.verify(body).await?;
/// if message.kind == SnsKind::SubscriptionConfirmation {
///     verifier.confirm_subscription(&message).await?;
/// }
/// # Ok(200) }
/// ```
#[derive(Debug)]
pub struct SnsVerifier {
    topics: Vec<String>,
    policy: UrlPolicy,
    fetcher: Arc<dyn Fetcher>,
    cache: KeyCache<CertKey>,
    clock: SharedClock,
    max_age: Option<Duration>,
}

/// Builds an [`SnsVerifier`].
#[derive(Debug)]
#[must_use]
pub struct SnsVerifierBuilder {
    topics: Vec<String>,
    policy: UrlPolicy,
    fetcher: Option<Arc<dyn Fetcher>>,
    ttl: Duration,
    clock: SharedClock,
    max_age: Option<Duration>,
}

impl SnsVerifierBuilder {
    /// Accept messages of this topic (call once per topic).
    pub fn topic_arn(mut self, arn: impl Into<String>) -> Self {
        self.topics.push(arn.into());
        self
    }

    /// Where certificates may come from, instead of [`UrlPolicy::sns`] (a loopback server in
    /// tests).
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

    /// Refuse messages whose `Timestamp` is older than this (or further ahead);
    /// [`DEFAULT_MAX_AGE`] by default.
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }

    /// Accept messages of any age: only the replay store, for as long as it remembers them,
    /// stops a captured message from being processed again.
    pub fn skip_timestamp_check(mut self) -> Self {
        self.max_age = None;
        self
    }

    /// The verifier. Without any [`topic_arn`](Self::topic_arn) it refuses every message.
    pub fn build(self) -> SnsVerifier {
        SnsVerifier {
            topics: self.topics,
            policy: self.policy,
            fetcher: self.fetcher.unwrap_or_else(|| Arc::new(HttpFetcher::new())),
            cache: KeyCache::new(self.ttl),
            clock: self.clock,
            max_age: self.max_age,
        }
    }
}

impl SnsVerifier {
    /// A builder with SNS's URL policy, a default fetcher and no topic yet.
    pub fn builder() -> SnsVerifierBuilder {
        SnsVerifierBuilder {
            topics: Vec::new(),
            policy: UrlPolicy::sns(),
            fetcher: None,
            ttl: Duration::from_secs(3600),
            clock: SharedClock(Arc::new(SystemClock)),
            max_age: Some(DEFAULT_MAX_AGE),
        }
    }

    /// Verifies the raw body of an SNS POST.
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] for a body that is not an SNS message, [`KeyError::NotForUs`]
    /// for another topic, [`KeyError::UrlRefused`] for a certificate URL off the policy, the
    /// fetch errors, [`KeyError::BadSignature`], [`KeyError::Stale`].
    pub async fn verify(&self, body: &[u8]) -> Result<SnsMessage, KeyError> {
        let wire: Wire = serde_json::from_slice(body)
            .map_err(|_| KeyError::malformed("not an SNS message (JSON with its fields)"))?;
        let kind = match wire.kind.as_str() {
            "Notification" => SnsKind::Notification,
            "SubscriptionConfirmation" => SnsKind::SubscriptionConfirmation,
            "UnsubscribeConfirmation" => SnsKind::UnsubscribeConfirmation,
            _ => return Err(KeyError::malformed("unknown `Type`")),
        };
        let hash = match wire.signature_version.as_str() {
            "1" => Hash::Sha1,
            "2" => Hash::Sha256,
            _ => return Err(KeyError::malformed("`SignatureVersion` is neither 1 nor 2")),
        };
        let signature = base64::engine::general_purpose::STANDARD
            .decode(&wire.signature)
            .map_err(|_| KeyError::malformed("`Signature` is not base64"))?;
        let timestamp =
            crate::rfc3339(&wire.timestamp).ok_or(KeyError::malformed("`Timestamp` is not RFC 3339"))?;
        let content = canonical(&wire, kind)?;
        // Cheap checks first: a message for another topic costs no fetch.
        if !self.topics.contains(&wire.topic_arn) {
            return Err(KeyError::NotForUs { problem: "the topic is not one this receiver accepts" });
        }
        let url = self.policy.check(&wire.signing_cert_url)?;
        let now = self.clock.0.now_unix();
        if let Some(max_age) = self.max_age {
            crate::check_age(timestamp, now, max_age)?;
        }
        let key = self.cache.get(&url, &*self.fetcher, CertKey::from_pem).await?;
        key.verify(hash, &content, &signature, now)?;
        Ok(SnsMessage {
            kind,
            message_id: wire.message_id,
            topic_arn: wire.topic_arn,
            subject: wire.subject,
            message: wire.message,
            timestamp,
            subscribe_url: wire.subscribe_url,
        })
    }

    /// Confirms a verified `SubscriptionConfirmation` by fetching its `SubscribeURL`, which
    /// must be on the same hosts as the certificates.
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] for another kind of message, [`KeyError::UrlRefused`] for a
    /// `SubscribeURL` off the policy, the fetch errors.
    pub async fn confirm_subscription(&self, message: &SnsMessage) -> Result<(), KeyError> {
        let url = match (message.kind, &message.subscribe_url) {
            (SnsKind::SubscriptionConfirmation, Some(url)) => url,
            _ => return Err(KeyError::malformed("not a SubscriptionConfirmation with a SubscribeURL")),
        };
        let url = self.policy.clone().without_path_rules().check(url)?;
        // Only SNS's own confirmation call: a signed message cannot make the receiver GET
        // anything else on SNS's hosts.
        if !url.query_pairs().any(|(name, value)| name == "Action" && value == "ConfirmSubscription") {
            return Err(KeyError::UrlRefused {
                problem: "the SubscribeURL is not a ConfirmSubscription call",
            });
        }
        self.fetcher.fetch(&url).await.map(|_| ())
    }
}

/// SNS's canonical string for `kind`.
fn canonical(wire: &Wire, kind: SnsKind) -> Result<Vec<u8>, KeyError> {
    let mut out = Vec::with_capacity(wire.message.len() + 512);
    let mut line = |name: &str, value: &str| {
        for part in [name, "\n", value, "\n"] {
            out.extend_from_slice(part.as_bytes());
        }
    };
    line("Message", &wire.message);
    line("MessageId", &wire.message_id);
    if kind == SnsKind::Notification {
        if let Some(subject) = &wire.subject {
            line("Subject", subject);
        }
    } else {
        let missing = KeyError::malformed("a confirmation without `SubscribeURL` or `Token`");
        line("SubscribeURL", wire.subscribe_url.as_deref().ok_or(missing.clone())?);
        line("Timestamp", &wire.timestamp);
        line("Token", wire.token.as_deref().ok_or(missing)?);
        line("TopicArn", &wire.topic_arn);
        line("Type", &wire.kind);
        return Ok(out);
    }
    line("Timestamp", &wire.timestamp);
    line("TopicArn", &wire.topic_arn);
    line("Type", &wire.kind);
    Ok(out)
}
