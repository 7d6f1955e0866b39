//! Producing signed deliveries, exactly as a provider would send them.

use std::fmt;

use crate::headers::{HeaderName, Headers, Lookup};

/// A delivery to sign: the body and, where the scheme signs them, an id, a timestamp, the URL
/// the provider calls and the HTTP method.
///
/// # Example
///
/// ```
/// use hookwarden::{Message, Verifier, preset::StandardWebhooks};
///
/// let verifier = Verifier::builder(StandardWebhooks)
///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
///     .build()?;
/// let headers = verifier.sign(&Message::new(br#"{"test": 2432232314}"#)
///     .id("msg_p5jXN8AQM9LWM0D4loKWxJek")
///     .timestamp(1614265330))?;
/// assert_eq!(headers.get("webhook-signature"), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub(crate) body: &'a [u8],
    pub(crate) id: Option<&'a str>,
    pub(crate) timestamp: Option<i64>,
    pub(crate) url: Option<&'a str>,
    pub(crate) method: Option<&'a str>,
}

impl<'a> Message<'a> {
    /// A message with this body (any bytes; UTF-8 is not required).
    pub fn new(body: &'a [u8]) -> Self {
        Self { body, id: None, timestamp: None, url: None, method: None }
    }

    /// The delivery id, for schemes that send one.
    pub fn id(mut self, id: &'a str) -> Self {
        self.id = Some(id);
        self
    }

    /// The timestamp in Unix seconds; without it the verifier's clock is used. Schemes that
    /// send milliseconds or RFC 3339 write it their way.
    pub fn timestamp(mut self, unix: i64) -> Self {
        self.timestamp = Some(unix);
        self
    }

    /// The URL the provider calls, for schemes that sign it (Twilio, Square, HubSpot).
    pub fn url(mut self, url: &'a str) -> Self {
        self.url = Some(url);
        self
    }

    /// The HTTP method, for schemes that sign it (HubSpot).
    pub fn method(mut self, method: &'a str) -> Self {
        self.method = Some(method);
        self
    }
}

/// The headers of a signed delivery, in the order a sender writes them.
///
/// They implement [`Headers`], so a signed delivery can be verified directly.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SignedHeaders {
    pairs: Vec<(String, String)>,
}

impl SignedHeaders {
    /// Appends a header.
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.pairs.push((name.to_owned(), value.into()));
    }

    /// The value of the first header called `name`, ignoring ASCII case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The headers as name/value pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The headers as an `http::HeaderMap`.
    #[cfg(feature = "http")]
    pub fn to_header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::with_capacity(self.pairs.len());
        for (name, value) in &self.pairs {
            // Every scheme writes token names and visible-ASCII values, so both parse.
            if let (Ok(name), Ok(value)) =
                (http::HeaderName::from_bytes(name.as_bytes()), http::HeaderValue::from_str(value))
            {
                map.append(name, value);
            }
        }
        map
    }
}

impl Headers for SignedHeaders {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        self.pairs.as_slice().lookup(name)
    }
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
