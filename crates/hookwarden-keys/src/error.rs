//! Why a delivery whose key is fetched was refused, with a stable reason and an HTTP status.

use std::fmt;

/// A refused delivery (or a key that could not be had). Like the core's
/// [`VerifyError`](hookwarden::VerifyError), each variant has a stable
/// [`reason`](Self::reason) code and a [`status`](Self::status) for the answer; the message
/// never holds a key, a signature or the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The delivery is not what the scheme expects (bad JSON, a missing field, a bad header). 400.
    Malformed {
        /// What is wrong, for logs.
        problem: &'static str,
    },
    /// The key's URL is not one the policy allows: not HTTPS, a host off the allowlist, a
    /// user or port in it, a path of the wrong shape. 400: a sender that names such a URL is
    /// not the provider.
    UrlRefused {
        /// Why, for logs.
        problem: &'static str,
    },
    /// The key could not be fetched: connection refused, TLS failure, a status other than 200,
    /// a redirect. 502: the provider's key server failed us, a retry may succeed.
    FetchFailed {
        /// What failed, for logs.
        problem: String,
    },
    /// The key server did not answer within the fetcher's timeout. 504.
    FetchTimeout,
    /// The key server's answer is larger than the fetcher's cap. 502.
    FetchTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// What was fetched is not a usable key (not a PEM certificate, not RSA, expired, a JWKS
    /// without the token's key). 502 when the document is broken, 401 when it lacks the key.
    BadKey {
        /// What is wrong, for logs.
        problem: &'static str,
    },
    /// The signature does not verify with the fetched key. 401.
    BadSignature,
    /// The signed timestamp is outside the allowed window. 401.
    Stale {
        /// How far the timestamp is from now, in seconds (positive: in the past).
        skew_secs: i64,
    },
    /// The delivery is authentic but not for this receiver (an SNS topic or a JWT issuer or
    /// audience that was not configured). 403.
    NotForUs {
        /// Which check, for logs.
        problem: &'static str,
    },
}

impl KeyError {
    /// A stable, snake_case code for logs, metrics and the response body.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::UrlRefused { .. } => "key_url_refused",
            Self::FetchFailed { .. } => "key_fetch_failed",
            Self::FetchTimeout => "key_fetch_timeout",
            Self::FetchTooLarge { .. } => "key_fetch_too_large",
            Self::BadKey { .. } => "bad_key",
            Self::BadSignature => "no_matching_signature",
            Self::Stale { skew_secs } if *skew_secs < 0 => "timestamp_too_new",
            Self::Stale { .. } => "timestamp_too_old",
            Self::NotForUs { .. } => "not_for_this_receiver",
        }
    }

    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Malformed { .. } | Self::UrlRefused { .. } => 400,
            Self::BadSignature | Self::Stale { .. } => 401,
            Self::BadKey { problem } if problem.starts_with("no key") => 401,
            Self::NotForUs { .. } => 403,
            Self::FetchTimeout => 504,
            Self::FetchFailed { .. } | Self::FetchTooLarge { .. } | Self::BadKey { .. } => 502,
        }
    }

    pub(crate) fn malformed(problem: &'static str) -> Self {
        Self::Malformed { problem }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { problem } => write!(f, "malformed delivery: {problem}"),
            Self::UrlRefused { problem } => write!(f, "key URL refused: {problem}"),
            Self::FetchFailed { problem } => write!(f, "key fetch failed: {problem}"),
            Self::FetchTimeout => f.write_str("key fetch timed out"),
            Self::FetchTooLarge { limit } => write!(f, "key document larger than {limit} bytes"),
            Self::BadKey { problem } => write!(f, "unusable key: {problem}"),
            Self::BadSignature => f.write_str("the signature does not verify with the fetched key"),
            Self::Stale { skew_secs } => write!(f, "timestamp {skew_secs} s away from now"),
            Self::NotForUs { problem } => write!(f, "authentic but not for this receiver: {problem}"),
        }
    }
}

impl std::error::Error for KeyError {}
