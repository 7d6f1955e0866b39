//! Why a verifier could not be built, and why a delivery was rejected.
//!
//! Both error types carry a stable [`Reason`]-style code for logs and metrics. Neither ever holds
//! a secret, an expected MAC or the request body, so both are safe to log.

use std::error::Error;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use crate::headers::HeaderName;

/// A verifier (or a scheme, or a store) could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No key was given.
    NoKeys,
    /// More keys than a verifier tries per delivery.
    TooManyKeys {
        /// The most keys a verifier accepts.
        max: usize,
    },
    /// Two keys share an id, so a match could not be reported unambiguously.
    DuplicateKeyId {
        /// The repeated id.
        key_id: String,
    },
    /// A secret is empty.
    EmptySecret {
        /// The key the secret belongs to.
        key_id: String,
    },
    /// A secret decodes to fewer bytes than is safe for an HMAC key.
    SecretTooShort {
        /// The key the secret belongs to.
        key_id: String,
        /// The minimum length in bytes.
        min: usize,
        /// The length found, in bytes.
        len: usize,
    },
    /// A secret is not in the format the scheme expects.
    SecretFormat {
        /// The key the secret belongs to.
        key_id: String,
        /// What was expected and, where it is recognisable, what was given instead.
        problem: &'static str,
    },
    /// A tolerance of zero was given. Disabling the timestamp check is its own, named setting.
    ZeroTolerance,
    /// A header name is empty or not a valid HTTP token.
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// A custom scheme's configuration is incomplete or unsafe.
    InvalidScheme {
        /// What is wrong with it.
        problem: String,
    },
    /// A replay store's configuration is unusable.
    InvalidStore {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// An IP range (an allowlist entry, a trusted proxy) is not valid CIDR notation.
    InvalidIpRange {
        /// The range as given.
        range: String,
        /// What is wrong with it.
        problem: &'static str,
    },
}

impl ConfigError {
    /// A stable, lowercase code for this kind of error.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::NoKeys => "no_keys",
            Self::TooManyKeys { .. } => "too_many_keys",
            Self::DuplicateKeyId { .. } => "duplicate_key_id",
            Self::EmptySecret { .. } => "empty_secret",
            Self::SecretTooShort { .. } => "secret_too_short",
            Self::SecretFormat { .. } => "secret_format",
            Self::ZeroTolerance => "zero_tolerance",
            Self::InvalidHeaderName { .. } => "invalid_header_name",
            Self::InvalidScheme { .. } => "invalid_scheme",
            Self::InvalidStore { .. } => "invalid_store",
            Self::InvalidIpRange { .. } => "invalid_ip_range",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKeys => f.write_str("no key configured: add at least one secret"),
            Self::TooManyKeys { max } => write!(f, "too many keys: a verifier tries at most {max}"),
            Self::DuplicateKeyId { key_id } => write!(f, "two keys share the id `{key_id}`"),
            Self::EmptySecret { key_id } => write!(f, "the secret of key `{key_id}` is empty"),
            Self::SecretTooShort { key_id, min, len } => {
                write!(f, "the secret of key `{key_id}` is {len} bytes long; at least {min} are required")
            }
            Self::SecretFormat { key_id, problem } => {
                write!(f, "the secret of key `{key_id}` is malformed: {problem}")
            }
            Self::ZeroTolerance => f.write_str(
                "a timestamp tolerance of zero accepts nothing; \
                 use `skip_timestamp_check` to disable the check",
            ),
            Self::InvalidHeaderName { name } => write!(f, "`{name}` is not a valid header name"),
            Self::InvalidScheme { problem } => write!(f, "invalid custom scheme: {problem}"),
            Self::InvalidStore { problem } => write!(f, "invalid replay store: {problem}"),
            Self::InvalidIpRange { range, problem } => write!(f, "`{range}` is not an IP range: {problem}"),
        }
    }
}

impl Error for ConfigError {}

/// Why a delivery was rejected.
///
/// Adapters answer with [`status`](Self::status) and a generic body that names only the
/// [`reason`](Self::reason); the details (which header, the observed skew) are for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// A header the scheme requires is absent.
    MissingHeader {
        /// The header.
        header: HeaderName,
    },
    /// A header that must appear once appears several times.
    DuplicateHeader {
        /// The header.
        header: HeaderName,
    },
    /// A header is present but cannot be parsed.
    MalformedHeader {
        /// The header.
        header: HeaderName,
        /// What is wrong with its value.
        problem: &'static str,
    },
    /// The signed timestamp is further in the past than the tolerance allows.
    TimestampTooOld {
        /// How far in the past it is.
        skew: Duration,
    },
    /// The signed timestamp is further in the future than the tolerance allows.
    TimestampTooNew {
        /// How far in the future it is.
        skew: Duration,
    },
    /// No signature in the request matches any key.
    NoMatchingSignature {
        /// How many keys were tried.
        keys_tried: usize,
        /// How many well-formed signatures the request carried.
        signatures: usize,
    },
    /// The body is larger than the configured limit.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The body could not be read to its end (the client went away or the stream failed).
    BodyUnreadable,
    /// The body did not arrive in full within the adapter's deadline: the client sent the
    /// headers, then sent the body too slowly or stopped sending it. **408**, answered as soon
    /// as the deadline passes, before anything is verified.
    BodyTimeout {
        /// The deadline, counted from when the adapter began reading the body.
        after: Duration,
    },
    /// The delivery was already processed.
    Duplicate,
    /// The same delivery is being processed right now.
    InFlight,
    /// The replay store could not answer, so the delivery was not processed.
    StoreUnavailable,
    /// The scheme signs the URL the provider called (Twilio, Square, HubSpot), and the request
    /// did not say what it was.
    ///
    /// This is a receiver misconfiguration, not a bad delivery: the adapter was not told the
    /// endpoint's public URL (see [`Request::url`](crate::scheme::Request::url)). It answers **500**, so
    /// that the provider keeps retrying until the receiver is fixed instead of recording the
    /// delivery as forged (a 401 can get an endpoint disabled).
    UrlUnknown,
    /// The scheme signs the HTTP method (HubSpot), and the request did not say what it was.
    /// A receiver misconfiguration like [`UrlUnknown`](Self::UrlUnknown): **500**.
    MethodUnknown,
    /// A field the scheme reads out of the body (Mailgun's `signature`, Linear's
    /// `webhookTimestamp`) is absent.
    MissingBodyField {
        /// The field, as a dotted path such as `signature.token`.
        field: &'static str,
    },
    /// The body is not what the scheme reads signed fields out of (not JSON, a field of the
    /// wrong type or repeated).
    MalformedBody {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The client is not in the adapter's IP allowlist (see [`access`](crate::access)).
    /// **403**, answered before the body is read.
    IpNotAllowed {
        /// The client's address; `None` when it could not be told (a trusted proxy forwarded
        /// something that is not an address, or two forwarding headers that disagree).
        client: Option<IpAddr>,
    },
    /// The adapter requires HTTPS, and the request did not travel over it: it did not arrive
    /// over TLS, and no trusted proxy said it did. **403**, before the body is read.
    HttpsRequired,
    /// An access control needs the client's address, and the adapter does not know the socket
    /// peer (a tower service not given the connection's address, a Unix socket). A receiver
    /// misconfiguration like [`UrlUnknown`](Self::UrlUnknown): **500**, so the sender retries
    /// until it is fixed.
    PeerUnknown,
}

impl VerifyError {
    /// A stable, lowercase code for this kind of rejection, safe to send to the client.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingHeader { .. } => "missing_header",
            Self::DuplicateHeader { .. } => "duplicate_header",
            Self::MalformedHeader { .. } => "malformed_header",
            Self::TimestampTooOld { .. } => "timestamp_too_old",
            Self::TimestampTooNew { .. } => "timestamp_too_new",
            Self::NoMatchingSignature { .. } => "no_matching_signature",
            Self::BodyTooLarge { .. } => "body_too_large",
            Self::BodyUnreadable => "body_unreadable",
            Self::BodyTimeout { .. } => "body_timeout",
            Self::Duplicate => "duplicate",
            Self::InFlight => "in_flight",
            Self::StoreUnavailable => "store_unavailable",
            Self::UrlUnknown => "url_unknown",
            Self::MethodUnknown => "method_unknown",
            Self::MissingBodyField { .. } => "missing_body_field",
            Self::MalformedBody { .. } => "malformed_body",
            Self::IpNotAllowed { .. } => "ip_not_allowed",
            Self::HttpsRequired => "https_required",
            Self::PeerUnknown => "peer_unknown",
        }
    }

    /// The HTTP status an adapter answers with.
    ///
    /// 400 malformed, 401 missing or invalid signature and stale timestamps, 413 too large,
    /// 408 for a body that did not arrive within the adapter's deadline,
    /// 200 for a duplicate (the sender may stop retrying), 409 in flight, 503 store unavailable,
    /// 403 for a client outside the IP allowlist or a request without HTTPS where it is
    /// required, 500 when the receiver was not told the URL or method a scheme signs or the
    /// client's address.
    pub fn status(&self) -> u16 {
        match self {
            Self::DuplicateHeader { .. } | Self::MalformedHeader { .. } | Self::MalformedBody { .. } => 400,
            Self::MissingHeader { .. }
            | Self::MissingBodyField { .. }
            | Self::TimestampTooOld { .. }
            | Self::TimestampTooNew { .. }
            | Self::NoMatchingSignature { .. } => 401,
            Self::BodyTooLarge { .. } => 413,
            Self::BodyUnreadable => 400,
            Self::BodyTimeout { .. } => 408,
            Self::Duplicate => 200,
            Self::InFlight => 409,
            Self::StoreUnavailable => 503,
            Self::UrlUnknown | Self::MethodUnknown | Self::PeerUnknown => 500,
            Self::IpNotAllowed { .. } | Self::HttpsRequired => 403,
        }
    }

    /// How far the signed timestamp was outside the window, for the timestamp errors.
    pub fn skew(&self) -> Option<Duration> {
        match self {
            Self::TimestampTooOld { skew } | Self::TimestampTooNew { skew } => Some(*skew),
            _ => None,
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader { header } => write!(f, "missing header `{header}`"),
            Self::DuplicateHeader { header } => write!(f, "header `{header}` appears more than once"),
            Self::MalformedHeader { header, problem } => {
                write!(f, "malformed header `{header}`: {problem}")
            }
            Self::TimestampTooOld { skew } => {
                write!(f, "timestamp is {}s in the past, beyond the tolerance", skew.as_secs())
            }
            Self::TimestampTooNew { skew } => {
                write!(f, "timestamp is {}s in the future, beyond the tolerance", skew.as_secs())
            }
            Self::NoMatchingSignature { keys_tried, signatures } => {
                write!(f, "no signature matches: {signatures} signature(s) tried against {keys_tried} key(s)")
            }
            Self::BodyTooLarge { limit } => write!(f, "body is larger than the {limit}-byte limit"),
            Self::BodyUnreadable => f.write_str("body could not be read to its end"),
            Self::BodyTimeout { after } => write!(f, "body did not arrive in full within {after:?}"),
            Self::Duplicate => f.write_str("delivery was already processed"),
            Self::InFlight => f.write_str("delivery is being processed"),
            Self::StoreUnavailable => f.write_str("replay store is unavailable"),
            Self::UrlUnknown => f.write_str(
                "the scheme signs the URL the provider called, and the receiver does not know its \
                 public URL: configure it in the adapter",
            ),
            Self::MethodUnknown => f.write_str("the scheme signs the HTTP method, and the request has none"),
            Self::MissingBodyField { field } => write!(f, "the body has no `{field}`"),
            Self::MalformedBody { problem } => write!(f, "malformed body: {problem}"),
            Self::IpNotAllowed { client: Some(client) } => {
                write!(f, "client address {client} is not in the IP allowlist")
            }
            Self::IpNotAllowed { client: None } => f.write_str(
                "the client address could not be told from the trusted proxy's forwarding headers",
            ),
            Self::HttpsRequired => f.write_str(
                "HTTPS is required: the request did not arrive over TLS, and no trusted proxy said it did",
            ),
            Self::PeerUnknown => f.write_str(
                "the client address is needed and the adapter does not know the connection's peer: \
                 give it the socket address",
            ),
        }
    }
}

impl Error for VerifyError {}

/// A message could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The scheme signs a delivery id, and none was given.
    MissingId,
    /// The id cannot be sent in a header: empty, too long, or not visible ASCII.
    InvalidId,
    /// The timestamp cannot be written in the scheme's format (before 1970, or too far ahead).
    InvalidTimestamp,
    /// The scheme is asymmetric: a verifier holds public keys only, so it cannot sign.
    NoPrivateKey,
    /// The scheme signs the URL the provider calls; give one with
    /// [`Message::url`](crate::Message::url).
    MissingUrl,
    /// The scheme signs the HTTP method; give one with
    /// [`Message::method`](crate::Message::method).
    MissingMethod,
    /// The scheme carries its signature inside the body (Mailgun, Adyen's classic
    /// notifications), so there are no headers to write: sign with
    /// [`Verifier::sign_body`](crate::Verifier::sign_body).
    SignatureInBody,
    /// The scheme carries its signature in headers: sign with
    /// [`Verifier::sign`](crate::Verifier::sign), not
    /// [`Verifier::sign_body`](crate::Verifier::sign_body).
    SignatureInHeaders,
    /// The body cannot take a signature: it is not what the scheme writes its signature
    /// into (a JSON object of the provider's shape), or it already carries one.
    UnsignableBody {
        /// What is wrong with it.
        problem: &'static str,
    },
}

impl SignError {
    /// A stable, lowercase code for this kind of error.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingId => "missing_id",
            Self::InvalidId => "invalid_id",
            Self::InvalidTimestamp => "invalid_timestamp",
            Self::NoPrivateKey => "no_private_key",
            Self::MissingUrl => "missing_url",
            Self::MissingMethod => "missing_method",
            Self::SignatureInBody => "signature_in_body",
            Self::SignatureInHeaders => "signature_in_headers",
            Self::UnsignableBody { .. } => "unsignable_body",
        }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingId => f.write_str("this scheme signs a delivery id; give one"),
            Self::InvalidId => f.write_str("the id must be 1 to 128 visible ASCII characters"),
            Self::InvalidTimestamp => f.write_str("the timestamp cannot be written in this scheme's format"),
            Self::NoPrivateKey => f.write_str(
                "this scheme is asymmetric and a verifier holds only public keys: sign with the private key",
            ),
            Self::MissingUrl => f.write_str("this scheme signs the URL the provider calls; give one"),
            Self::MissingMethod => f.write_str("this scheme signs the HTTP method; give one"),
            Self::SignatureInBody => f.write_str(
                "this scheme carries its signature inside the body: sign with `Verifier::sign_body`",
            ),
            Self::SignatureInHeaders => {
                f.write_str("this scheme carries its signature in headers: sign with `Verifier::sign`")
            }
            Self::UnsignableBody { problem } => write!(f, "cannot sign this body: {problem}"),
        }
    }
}

impl Error for SignError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_timeout_is_a_408_that_names_the_deadline() {
        let error = VerifyError::BodyTimeout { after: Duration::from_millis(200) };
        assert_eq!((error.reason(), error.status()), ("body_timeout", 408));
        assert_eq!(error.to_string(), "body did not arrive in full within 200ms");
        assert_eq!(error.skew(), None);
    }
}
