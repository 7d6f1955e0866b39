//! How a provider signs: the [`Scheme`] trait and what a scheme reads out of a request.
//!
//! A scheme knows three things: where the signature, timestamp and id are in the request
//! ([`Scheme::parse`]), which bytes are signed ([`Scheme::signed_content`]), and how to write the
//! headers a sender would send ([`Scheme::write_headers`]). Everything else (keys, tolerance,
//! the constant-time comparison, replay keys) is the [`Verifier`](crate::Verifier)'s job, so a
//! new provider is one small file.
//!
//! The [presets](crate::preset) implement this trait; [`Custom`] implements it from
//! configuration, without code.

mod custom;
mod event_id;
mod signed;

pub use custom::{Custom, CustomBuilder, Encoding};
pub use event_id::EventId;
pub use signed::{MAX_SIGNATURES, MAX_VARIANTS, Signed};

use std::fmt;

use crate::error::{SignError, VerifyError};
use crate::headers::{HeaderName, Headers, Lookup};
use crate::key::KeyFormat;
use crate::mac::Algorithm;
use crate::sign::SignedHeaders;
use crate::timestamp::TimestampFormat;
use crate::tolerance::Tolerance;

/// One provider's way of signing deliveries.
///
/// # Example: a provider that signs `"{timestamp}:{body}"`
///
/// ```
/// use hookwarden::headers::HeaderName;
/// use hookwarden::scheme::{self, Request, Scheme, Signed};
/// use hookwarden::{Algorithm, KeyFormat, SignError, SignedHeaders, Tag, Timestamp, Tolerance, VerifyError};
///
/// static SIGNATURE: HeaderName = HeaderName::from_static("x-acme-signature");
/// static TIMESTAMP: HeaderName = HeaderName::from_static("x-acme-timestamp");
///
/// #[derive(Debug)]
/// struct Acme;
///
/// impl Scheme for Acme {
///     fn name(&self) -> &'static str { "acme" }
///     fn algorithm(&self) -> Algorithm { Algorithm::HmacSha256 }
///     fn key_format(&self) -> KeyFormat { KeyFormat::Raw }
///     fn tolerance(&self) -> Option<Tolerance> { Some(Tolerance::FIVE_MINUTES) }
///
///     fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
///         let [raw, sig] = scheme::required_each(request, [&TIMESTAMP, &SIGNATURE])?;
///         signed.set_timestamp(Timestamp::parse_seconds(raw).map_err(|problem| scheme::malformed(&TIMESTAMP, problem))?);
///         signed.push_signature(Tag::from_hex(sig, self.algorithm()).map_err(|problem| scheme::malformed(&SIGNATURE, problem))?)
///             .map_err(|problem| scheme::malformed(&SIGNATURE, problem))
///     }
///
///     fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
///         feed(signed.timestamp_bytes());
///         feed(b":");
///         feed(body);
///     }
///
///     fn write_headers(&self, signed: &Signed<'_>, tag: &Tag, out: &mut SignedHeaders) -> Result<(), SignError> {
///         out.push(TIMESTAMP.as_str(), String::from_utf8_lossy(signed.timestamp_bytes()));
///         out.push(SIGNATURE.as_str(), scheme::hex(tag));
///         Ok(())
///     }
/// }
///
/// let verifier = hookwarden::Verifier::builder(Acme).secret("a-long-enough-secret").build().unwrap();
/// let headers = verifier.sign(&hookwarden::Message::new(b"{}")).unwrap();
/// assert!(verifier.verify(&headers, b"{}").is_ok());
/// ```
pub trait Scheme: fmt::Debug + Send + Sync + 'static {
    /// A stable, lowercase name such as `"stripe"`; it scopes replay keys and appears in logs.
    fn name(&self) -> &'static str;

    /// The MAC the provider signs with.
    fn algorithm(&self) -> Algorithm;

    /// How the provider's secret string becomes key bytes.
    fn key_format(&self) -> KeyFormat;

    /// The provider's documented timestamp window, or `None` when it signs no timestamp.
    fn tolerance(&self) -> Option<Tolerance>;

    /// How the provider writes its timestamp, so that signing writes it the same way (default:
    /// Unix seconds).
    fn timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::Seconds
    }

    /// Checks a secret for mistakes this provider's users make (an API key given instead of a
    /// webhook secret, say) before it is decoded. The default accepts everything.
    ///
    /// # Errors
    ///
    /// A short description of the mistake.
    fn check_secret(&self, secret: &[u8]) -> Result<(), &'static str> {
        let _ = secret;
        Ok(())
    }

    /// Reads the signatures, the timestamp and the id out of `request`.
    ///
    /// # Errors
    ///
    /// A missing, repeated or malformed header. A scheme that signs a timestamp must set it.
    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError>;

    /// Feeds the signed bytes to `feed`, in order, piece by piece (never concatenated).
    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8]));

    /// Writes the headers a sender would send with `tag` as its signature.
    ///
    /// # Errors
    ///
    /// [`SignError::MissingId`] when the scheme signs an id and `signed` has none.
    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &crate::Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError>;

    /// How long the provider keeps retrying a delivery it did not see answered 2xx, where its
    /// documentation says: processed events are remembered at least that long, so that a late
    /// retry of one is still a duplicate. `None` (the default):
    /// [`DEFAULT_REPLAY_TTL`](crate::DEFAULT_REPLAY_TTL).
    fn retries_for(&self) -> Option<std::time::Duration> {
        None
    }

    /// Where the provider puts its event id in the signed JSON body, as a path of member names
    /// joined by `.` (`"id"` for Stripe, `"event.id"` for Coinbase), or `None` (the default)
    /// when it puts none there. The id must stay the same across the provider's retries of
    /// one event; a body without it falls back to the signed id or the content (see
    /// [`replay`](crate::replay)). Read only when a delivery is claimed.
    fn event_id_field(&self) -> Option<&'static str> {
        None
    }

    /// Feeds what identifies a delivery when no id does: everything this scheme signs except
    /// what changes when the provider retries (the timestamp), with a URL in the one spelling
    /// every accepted variant maps to. The verifier digests it with the first key.
    ///
    /// The default feeds [`signed_content`](Self::signed_content) of the first variant, with
    /// the timestamp left out. Schemes that accept several spellings of a URL, or carry their
    /// timestamp inside the body, override it. Not called for deliveries without a signed
    /// timestamp, URL or variants: their signed content, already digested while verifying, is
    /// their identity.
    fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        self.signed_content(&signed.without_timestamp(), body, feed);
    }

    /// The header in which the provider names each delivery, signed or not (GitHub's
    /// `X-GitHub-Delivery`), or `None` (the default). Its value becomes
    /// [`Verified::delivery_id`](crate::Verified::delivery_id) and the `delivery_id` of the
    /// delivery's span: for correlation with the provider's dashboard and logs, **never** for
    /// replay keys (an unsigned header can be changed by anyone).
    fn delivery_id_header(&self) -> Option<&'static HeaderName> {
        None
    }

    /// Whether the signature covers the whole body (the default). Schemes that sign only some
    /// fields of it (Mailgun, Adyen's classic notifications) answer `false`, so that a
    /// [custom identity](crate::VerifierBuilder::identity) never reads unsigned bytes.
    fn signs_whole_body(&self) -> bool {
        true
    }

    /// For schemes whose signature travels **inside the body** (Mailgun, Adyen's classic
    /// notifications): the body a sender would send, `body` with `tag` written into it.
    /// Such schemes answer [`SignError::SignatureInBody`] from
    /// [`write_headers`](Self::write_headers).
    ///
    /// The default, for schemes that sign with headers, is [`SignError::SignatureInHeaders`].
    ///
    /// # Errors
    ///
    /// [`SignError::UnsignableBody`] when `body` is not what the signature is written into,
    /// and the errors of [`write_headers`](Self::write_headers).
    fn write_body(&self, signed: &Signed<'_>, tag: &crate::Tag, body: &[u8]) -> Result<Vec<u8>, SignError> {
        let _ = (signed, tag, body);
        Err(SignError::SignatureInHeaders)
    }
}

/// What a scheme may read of an incoming request: its headers and body and, for schemes that
/// sign them, its method and the URL the provider called.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Request<'r> {
    /// The request headers.
    pub headers: &'r dyn Headers,
    /// The body, exactly as received.
    pub body: &'r [u8],
    /// The method, such as `POST`, where known.
    pub method: Option<&'r str>,
    /// The public URL the provider sent the request to (scheme, host, path and query), where
    /// known. Behind a proxy this is not the URL the server sees; adapters take it from
    /// configuration.
    pub url: Option<&'r str>,
}

impl<'r> Request<'r> {
    /// A request with these headers and body.
    pub fn new(headers: &'r dyn Headers, body: &'r [u8]) -> Self {
        Self { headers, body, method: None, url: None }
    }

    /// Sets the method.
    #[must_use]
    pub fn method(mut self, method: &'r str) -> Self {
        self.method = Some(method);
        self
    }

    /// Sets the public URL the provider called.
    #[must_use]
    pub fn url(mut self, url: &'r str) -> Self {
        self.url = Some(url);
        self
    }
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("body_len", &self.body.len())
            .field("method", &self.method)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// The value of a header that must appear exactly once.
///
/// # Errors
///
/// [`VerifyError::MissingHeader`] or [`VerifyError::DuplicateHeader`].
pub fn required<'r>(request: &Request<'r>, name: &HeaderName) -> Result<&'r [u8], VerifyError> {
    exactly_one(request.headers.lookup(name), name)
}

/// [`required`] for several headers, found in one call to [`Headers::lookup_each`].
///
/// # Errors
///
/// For the first of `names` that is missing or repeated, as [`required`].
///
/// # Example
///
/// ```
/// use hookwarden::headers::HeaderName;
/// use hookwarden::scheme::{self, Request};
///
/// static ID: HeaderName = HeaderName::from_static("webhook-id");
/// static TIMESTAMP: HeaderName = HeaderName::from_static("webhook-timestamp");
///
/// let headers = [("Webhook-Id", "msg_1"), ("Webhook-Timestamp", "1700000000")];
/// let [id, timestamp] = scheme::required_each(&Request::new(&headers, b"{}"), [&ID, &TIMESTAMP])?;
/// assert_eq!((id, timestamp), (&b"msg_1"[..], &b"1700000000"[..]));
/// # Ok::<(), hookwarden::VerifyError>(())
/// ```
pub fn required_each<'r, const N: usize>(
    request: &Request<'r>,
    names: [&HeaderName; N],
) -> Result<[&'r [u8]; N], VerifyError> {
    let mut found = [Lookup::Missing; N];
    request.headers.lookup_each(&names, &mut found);
    let mut values: [&[u8]; N] = [&[]; N];
    for ((value, found), name) in values.iter_mut().zip(found).zip(names) {
        *value = exactly_one(found, name)?;
    }
    Ok(values)
}

fn exactly_one<'r>(found: Lookup<'r>, name: &HeaderName) -> Result<&'r [u8], VerifyError> {
    match found {
        Lookup::One(value) => Ok(value),
        Lookup::Missing => Err(VerifyError::MissingHeader { header: name.clone() }),
        Lookup::Many => Err(VerifyError::DuplicateHeader { header: name.clone() }),
    }
}

/// The public URL the provider called, for schemes that sign it.
///
/// # Errors
///
/// [`VerifyError::UrlUnknown`] when the adapter did not say (a receiver misconfiguration).
pub fn url<'r>(request: &Request<'r>) -> Result<&'r str, VerifyError> {
    request.url.ok_or(VerifyError::UrlUnknown)
}

/// The HTTP method, for schemes that sign it.
///
/// # Errors
///
/// [`VerifyError::MethodUnknown`] when the adapter did not say.
pub fn method<'r>(request: &Request<'r>) -> Result<&'r str, VerifyError> {
    request.method.ok_or(VerifyError::MethodUnknown)
}

/// The items of a header list between `separator`s, as `<[u8]>::split` yields them (empty
/// items included), found with `memchr`, which looks at many bytes at a time: signature
/// lists are mostly long hex or base64, and a byte-by-byte search was a tenth of a verify.
pub fn split(list: &[u8], separator: u8) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(list);
    std::iter::from_fn(move || {
        let current = rest?;
        let (item, after) = match memchr::memchr(separator, current) {
            Some(at) => (&current[..at], Some(&current[at + 1..])),
            None => (current, None),
        };
        rest = after;
        Some(item)
    })
}

/// A [`VerifyError::MalformedHeader`] for `name`.
pub fn malformed(name: &HeaderName, problem: &'static str) -> VerifyError {
    VerifyError::MalformedHeader { header: name.clone(), problem }
}

/// Lowercase hex of a tag, for [`Scheme::write_headers`].
pub fn hex(tag: &crate::Tag) -> String {
    base16ct::lower::encode_string(tag.as_bytes())
}

/// Standard padded base64 of a tag, for [`Scheme::write_headers`].
pub fn base64(tag: &crate::Tag) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(tag.as_bytes())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn split_yields_what_slice_split_yields(list in prop::collection::vec(prop::sample::select(vec![b'a', b',', b' ', 0xff]), 0..40)) {
            for separator in [b',', b' '] {
                let ours: Vec<&[u8]> = super::split(&list, separator).collect();
                let std: Vec<&[u8]> = list.split(|&b| b == separator).collect();
                prop_assert_eq!(ours, std);
            }
        }
    }
}
