//! The request the `preset_headers` and `verify` targets read.
//!
//! A hand-written byte layout rather than `#[derive(Arbitrary)]`, for one reason: seeds. The
//! conformance vectors are written in it ([`FuzzRequest::encode`]), so fuzzing starts from
//! requests that verify and mutates from there. It is still read through
//! [`arbitrary::Unstructured`], so every byte string is some request.
//!
//! Layout, in order:
//!
//! | field | bytes |
//! |---|---|
//! | preset | 1: index into [`PRESETS`](crate::presets::PRESETS), modulo its length |
//! | now | 8: the verifier's clock, little-endian `i64` Unix seconds |
//! | secret, method, url | a chunk each: `u16` little-endian length (clamped to what is left), then the bytes; an empty method or url is "not known" |
//! | header count | 1 |
//! | each header | a name byte (below `0x80`: index into [`HEADER_NAMES`], else a chunk with the raw name follows), then a value chunk |
//! | body | the rest |

use arbitrary::{Arbitrary, Result, Unstructured};

/// Header names the presets read, so that most fuzzed headers are ones a scheme looks at.
pub const HEADER_NAMES: &[&str] = &[
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "stripe-signature",
    "x-hub-signature-256",
    "x-hub-signature",
    "x-slack-signature",
    "x-slack-request-timestamp",
    "x-shopify-hmac-sha256",
    "x-twilio-signature",
    "x-square-hmacsha256-signature",
    "x-hubspot-signature-v3",
    "x-hubspot-request-timestamp",
    "x-signature-ed25519",
    "x-signature-timestamp",
    "x-twilio-email-event-webhook-signature",
    "x-twilio-email-event-webhook-timestamp",
    "linear-signature",
    "twitch-eventsub-message-id",
    "twitch-eventsub-message-timestamp",
    "twitch-eventsub-message-signature",
    "paddle-signature",
    "x-zm-signature",
    "x-zm-request-timestamp",
    "mux-signature",
    "calendly-webhook-signature",
    "x-pagerduty-signature",
    "sentry-hook-signature",
    "typeform-signature",
    "x-signature",
    "x-vercel-signature",
    "x-wc-webhook-signature",
    "x-cc-webhook-signature",
    "x-razorpay-signature",
    "x-xero-signature",
    "hmacsignature",
    "x-docusign-signature-1",
    "x-docusign-signature-2",
    "x-gitlab-token",
    "authorization",
    "content-type",
    "x-twilio-webhooks-signature-settings",
];

/// One request for one preset's verifier.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FuzzRequest {
    /// Which preset (see [`crate::presets::PRESETS`]).
    pub preset: u8,
    /// The verifier's clock.
    pub now: i64,
    /// The secret the `verify` target builds its verifier with.
    pub secret: Vec<u8>,
    /// The HTTP method, where known.
    pub method: Option<String>,
    /// The public URL, where known.
    pub url: Option<String>,
    /// Header names and raw values (not necessarily valid HTTP).
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Names at or above this byte are raw chunks, below it indices into [`HEADER_NAMES`].
const RAW_NAME: u8 = 0x80;

fn chunk<'a>(u: &mut Unstructured<'a>) -> Result<&'a [u8]> {
    let mut len = [0; 2];
    u.fill_buffer(&mut len)?;
    let len = usize::from(u16::from_le_bytes(len)).min(u.len());
    u.bytes(len)
}

fn put_chunk(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u16::try_from(bytes.len()).expect("a seed chunk longer than 64 KiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl<'a> Arbitrary<'a> for FuzzRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let preset = u.arbitrary::<u8>()?;
        let mut now = [0; 8];
        u.fill_buffer(&mut now)?;
        let secret = chunk(u)?.to_vec();
        let known = |bytes: &[u8]| (!bytes.is_empty()).then(|| text(bytes));
        let method = known(chunk(u)?);
        let url = known(chunk(u)?);
        let count = u.arbitrary::<u8>()?;
        let mut headers = Vec::new();
        for _ in 0..count {
            if u.is_empty() {
                break;
            }
            let name = match u.arbitrary::<u8>()? {
                index if index < RAW_NAME => HEADER_NAMES[usize::from(index) % HEADER_NAMES.len()].to_owned(),
                _ => text(chunk(u)?),
            };
            headers.push((name, chunk(u)?.to_vec()));
        }
        let body = u.bytes(u.len())?.to_vec();
        Ok(Self { preset, now: i64::from_le_bytes(now), secret, method, url, headers, body })
    }
}

impl FuzzRequest {
    /// The bytes that read back as this request (for seeds).
    ///
    /// # Panics
    ///
    /// On a field longer than 64 KiB or more than 255 headers: seeds are small.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.preset];
        out.extend_from_slice(&self.now.to_le_bytes());
        put_chunk(&mut out, &self.secret);
        put_chunk(&mut out, self.method.as_deref().unwrap_or_default().as_bytes());
        put_chunk(&mut out, self.url.as_deref().unwrap_or_default().as_bytes());
        out.push(u8::try_from(self.headers.len()).expect("a seed with more than 255 headers"));
        for (name, value) in &self.headers {
            match HEADER_NAMES.iter().position(|known| known.eq_ignore_ascii_case(name)) {
                Some(index) => out.push(u8::try_from(index).expect("fewer than 128 known names")),
                None => {
                    out.push(RAW_NAME);
                    put_chunk(&mut out, name.as_bytes());
                }
            }
            put_chunk(&mut out, value);
        }
        out.extend_from_slice(&self.body);
        out
    }

    /// The request as the core sees it.
    pub fn with<T>(&self, f: impl FnOnce(&hookwarden::scheme::Request<'_>) -> T) -> T {
        self.with_headers(&self.headers, f)
    }

    /// The headers in an `http::HeaderMap`, as a server would hand them over; `None` when a name
    /// or value is not valid HTTP (a server would have refused the request).
    pub fn header_map(&self) -> Option<http::HeaderMap> {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes()).ok()?;
            map.append(name, http::HeaderValue::from_bytes(value).ok()?);
        }
        Some(map)
    }

    /// The request as the core sees it, with `headers` in place of the name/value pairs.
    pub fn with_headers<T>(
        &self,
        headers: &dyn hookwarden::headers::Headers,
        f: impl FnOnce(&hookwarden::scheme::Request<'_>) -> T,
    ) -> T {
        let mut request = hookwarden::scheme::Request::new(headers, &self.body);
        if let Some(method) = &self.method {
            request = request.method(method);
        }
        if let Some(url) = &self.url {
            request = request.url(url);
        }
        f(&request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_reads_back() {
        let request = FuzzRequest {
            preset: 3,
            now: -1_700_000_000,
            secret: b"whsec_abc".to_vec(),
            method: Some("POST".into()),
            url: None,
            headers: vec![
                ("webhook-id".into(), b"msg_1".to_vec()),
                ("X-Custom".into(), b"\xff\x00".to_vec()),
                ("stripe-signature".into(), Vec::new()),
            ],
            body: b"{\"a\":1}".to_vec(),
        };
        let bytes = request.encode();
        assert_eq!(FuzzRequest::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap(), request);
    }

    #[test]
    fn any_bytes_are_a_request() {
        for bytes in [&b""[..], b"\x01", b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"] {
            assert!(FuzzRequest::arbitrary_take_rest(Unstructured::new(bytes)).is_ok());
        }
    }
}
