//! Webhooks that carry a JWT signed with a key from the sender's JWKS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hookwarden::ReplayKey;
use hookwarden::headers::{HeaderName, Headers};
use hookwarden::scheme::{self, Request};

use crate::sha256_hex_matches;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use std::sync::Mutex;
use url::Url;

use crate::cache::KeyCache;
use crate::error::KeyError;
use crate::fetch::{Fetcher, HttpFetcher};
use crate::policy::UrlPolicy;

/// The claims of a verified token.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtClaims {
    /// Every claim, as JSON.
    pub claims: Value,
}

impl JwtClaims {
    /// The replay key: the token's `jti`, when it has one (the verifier can require it).
    pub fn replay_key(&self) -> Option<ReplayKey> {
        self.claims.get("jti")?.as_str().map(|jti| ReplayKey::new(format!("jwt:jti:{jti}")))
    }
}

/// Verifies webhooks that carry a JWT (in `Authorization: Bearer <jwt>` by default) signed
/// with a key of the sender's JWKS.
///
/// - The JWKS URL is fixed at construction; its host is the only host fetched from, over
///   HTTPS. Keys are cached ten minutes; a token whose `kid` is not in the cached set fetches
///   the set again, at most once a minute (key rotation without a fetch per forged `kid`).
/// - Algorithms: RS256, RS384, RS512, PS256, ES256, ES384 and EdDSA by default; never `none`
///   nor an HMAC (a public key used as an HMAC secret is the classic JWT confusion). The
///   token's `alg` must also match its key's.
/// - Claims: `iss` and `aud` must equal the configured ones, `exp` is required and `nbf` is
///   honoured, with 60 s of leeway; [`claim`](JwksVerifierBuilder::claim) requires others.
/// - Google Cloud Pub/Sub push subscriptions with authentication are one such sender:
///   `JwksVerifier::builder("https://www.googleapis.com/oauth2/v3/certs",
///   "https://accounts.google.com", "<the audience you set>")?.issuer("accounts.google.com")
///   .claim("email", "<the push service account>")`.
/// - The body: a JWT alone does not cover the body. When the sender puts the body's SHA-256
///   in a claim, [`body_hash_claim`](JwksVerifierBuilder::body_hash_claim) names it (hex) and
///   the body must match.
///
/// # Example
///
/// ```no_run
/// use hookwarden_keys::JwksVerifier;
///
/// # async fn handle(headers: &http::HeaderMap, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = JwksVerifier::builder("https://issuer.example/.well-known/jwks.json", "https://issuer.example", "my-app")?
///     .body_hash_claim("body_sha256")
///     .build();
/// let claims = verifier.verify(headers, body).await?;
/// println!("{}", claims.claims["sub"]);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct JwksVerifier {
    url: Url,
    header: HeaderName,
    bearer: bool,
    issuers: Vec<String>,
    audience: String,
    required: Vec<(String, Value)>,
    algorithms: Vec<Algorithm>,
    body_hash_claim: Option<String>,
    require_jti: bool,
    fetcher: Arc<dyn Fetcher>,
    cache: KeyCache<JwkSet>,
    last_refresh: Mutex<Option<Instant>>,
}

/// Builds a [`JwksVerifier`].
#[derive(Debug)]
#[must_use]
pub struct JwksVerifierBuilder {
    inner: JwksVerifier,
}

impl JwksVerifierBuilder {
    /// Read the token from this header, as it is (not `Bearer <jwt>`).
    pub fn header(mut self, name: &'static str) -> Self {
        self.inner.header = HeaderName::from_static(name);
        self.inner.bearer = false;
        self
    }

    /// Accept only these algorithms (HMAC ones and `none` are never accepted).
    pub fn algorithms(mut self, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        self.inner.algorithms = algorithms
            .into_iter()
            .filter(|alg| !matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512))
            .collect();
        self
    }

    /// The claim holding the lowercase hex SHA-256 of the body, which must then match.
    pub fn body_hash_claim(mut self, claim: impl Into<String>) -> Self {
        self.inner.body_hash_claim = Some(claim.into());
        self
    }

    /// Also accept tokens of this issuer (Google signs with both `https://accounts.google.com`
    /// and `accounts.google.com`, say).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.inner.issuers.push(issuer.into());
        self
    }

    /// Require the claim `name` to equal `value` (Pub/Sub push: `email`, the pushing service
    /// account); a token without it, or with another value, is not for this receiver.
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.inner.required.push((name.into(), value.into()));
        self
    }

    /// Refuse tokens without a `jti` (the replay key).
    pub fn require_jti(mut self) -> Self {
        self.inner.require_jti = true;
        self
    }

    /// How the JWKS is fetched, instead of a default [`HttpFetcher`].
    pub fn fetcher(mut self, fetcher: impl Fetcher) -> Self {
        self.inner.fetcher = Arc::new(fetcher);
        self
    }

    /// How long a fetched JWKS is kept (ten minutes by default).
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.inner.cache = KeyCache::new(ttl);
        self
    }

    /// The verifier.
    pub fn build(self) -> JwksVerifier {
        self.inner
    }
}

impl JwksVerifier {
    /// A builder for tokens of `issuer` for `audience`, with keys at `jwks_url`.
    ///
    /// # Errors
    ///
    /// [`KeyError::UrlRefused`] when `jwks_url` is not an HTTPS URL without user or port.
    pub fn builder(
        jwks_url: &str,
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<JwksVerifierBuilder, KeyError> {
        let host = Url::parse(jwks_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .ok_or(KeyError::UrlRefused { problem: "not an absolute URL" })?;
        Self::builder_with_policy(jwks_url, UrlPolicy::hosts([host]), issuer, audience)
    }

    /// As [`builder`](Self::builder), with the URL checked against `policy` (a loopback
    /// server over `http` in tests).
    ///
    /// # Errors
    ///
    /// [`KeyError::UrlRefused`] when `policy` refuses `jwks_url`.
    pub fn builder_with_policy(
        jwks_url: &str,
        policy: UrlPolicy,
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<JwksVerifierBuilder, KeyError> {
        let url = policy.check(jwks_url)?;
        Ok(JwksVerifierBuilder {
            inner: Self {
                url,
                header: HeaderName::from_static("authorization"),
                bearer: true,
                issuers: vec![issuer.into()],
                audience: audience.into(),
                required: Vec::new(),
                algorithms: vec![
                    Algorithm::RS256,
                    Algorithm::RS384,
                    Algorithm::RS512,
                    Algorithm::PS256,
                    Algorithm::ES256,
                    Algorithm::ES384,
                    Algorithm::EdDSA,
                ],
                body_hash_claim: None,
                require_jti: false,
                fetcher: Arc::new(HttpFetcher::new()),
                cache: KeyCache::new(Duration::from_secs(600)),
                last_refresh: Mutex::new(None),
            },
        })
    }

    /// Verifies the token of a delivery, and the body when a hash claim is configured.
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] for a missing or unreadable token or an algorithm not allowed,
    /// the fetch errors, [`KeyError::BadKey`] when no key of the set has the token's `kid`,
    /// [`KeyError::BadSignature`] for a bad signature, [`KeyError::Stale`] for an expired
    /// token, [`KeyError::NotForUs`] for another issuer or audience.
    pub async fn verify(
        &self,
        headers: &(impl Headers + ?Sized),
        body: &[u8],
    ) -> Result<JwtClaims, KeyError> {
        let request = Request::new(&headers, body);
        let value = scheme::required(&request, &self.header)
            .ok()
            .and_then(|value| std::str::from_utf8(value).ok())
            .ok_or(KeyError::malformed("the token's header is missing, repeated or not text"))?;
        let token = if self.bearer {
            value.strip_prefix("Bearer ").ok_or(KeyError::malformed("not `Bearer <token>`"))?
        } else {
            value
        };
        let header = jsonwebtoken::decode_header(token).map_err(|_| KeyError::malformed("not a JWT"))?;
        if !self.algorithms.contains(&header.alg) {
            return Err(KeyError::malformed("the token's `alg` is not allowed"));
        }
        let kid = header.kid.ok_or(KeyError::malformed("the token has no `kid`"))?;
        let parse = |document: &[u8]| {
            serde_json::from_slice::<JwkSet>(document).map_err(|_| KeyError::BadKey { problem: "not a JWKS" })
        };
        let mut set = self.cache.get(&self.url, &*self.fetcher, parse).await?;
        if set.find(&kid).is_none() && self.may_refresh() {
            set = self.cache.refresh(&self.url, &*self.fetcher, parse).await?;
        }
        let jwk =
            set.find(&kid).ok_or(KeyError::BadKey { problem: "no key in the JWKS has the token's `kid`" })?;
        let key =
            DecodingKey::from_jwk(jwk).map_err(|_| KeyError::BadKey { problem: "a JWKS key is unusable" })?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&self.issuers);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = 60;
        let data = jsonwebtoken::decode::<Value>(token, &key, &validation).map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            match err.kind() {
                ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => KeyError::BadSignature,
                ErrorKind::ExpiredSignature => KeyError::Stale { skew_secs: 1 },
                ErrorKind::ImmatureSignature => KeyError::Stale { skew_secs: -1 },
                ErrorKind::InvalidIssuer => KeyError::NotForUs { problem: "another issuer" },
                ErrorKind::InvalidAudience => KeyError::NotForUs { problem: "another audience" },
                ErrorKind::MissingRequiredClaim(_) => {
                    KeyError::malformed("the token lacks `exp`, `iss` or `aud`")
                }
                _ => KeyError::malformed("the token does not decode"),
            }
        })?;
        let claims = JwtClaims { claims: data.claims };
        if self.required.iter().any(|(name, value)| claims.claims.get(name) != Some(value)) {
            return Err(KeyError::NotForUs { problem: "a required claim is missing or differs" });
        }
        if let Some(name) = &self.body_hash_claim {
            let expected = claims
                .claims
                .get(name)
                .and_then(Value::as_str)
                .ok_or(KeyError::malformed("the token lacks its body hash claim"))?;
            if !sha256_hex_matches(body, expected) {
                return Err(KeyError::BadSignature);
            }
        }
        if self.require_jti && claims.replay_key().is_none() {
            return Err(KeyError::malformed("the token has no `jti`"));
        }
        Ok(claims)
    }

    /// Whether a JWKS fetch for an unknown `kid` is allowed now: once a minute at most.
    fn may_refresh(&self) -> bool {
        let mut last = self.last_refresh.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < Duration::from_secs(60)) {
            return false;
        }
        *last = Some(now);
        true
    }
}
