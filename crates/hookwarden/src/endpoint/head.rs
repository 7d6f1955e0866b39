//! What an adapter knows of a request before it reads the body.

use std::fmt;
use std::net::IpAddr;

use crate::headers::{HeaderValues, Headers};

/// Headers an [`Endpoint`](crate::Endpoint) can read both ways: one value per name, for the
/// signature ([`Headers`]), and every line, for the forwarding headers ([`HeaderValues`]).
/// Implemented for everything that implements both.
pub trait RequestHeaders: Headers + HeaderValues {}

impl<T: Headers + HeaderValues + ?Sized> RequestHeaders for T {}

/// A request's method, target, headers and connection: what the first steps of a delivery
/// read, before and without its body.
///
/// # Example
///
/// ```
/// use hookwarden::endpoint::Head;
///
/// let headers = http::HeaderMap::new();
/// let head = Head::new("POST", "/webhooks?tenant=7", &headers).peer(Some("192.0.2.1".parse()?)).tls(true);
/// assert_eq!(head.path_and_query(), "/webhooks?tenant=7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Head<'a> {
    method: &'a str,
    path_and_query: &'a str,
    authority: Option<&'a str>,
    headers: &'a dyn RequestHeaders,
    peer: Option<IpAddr>,
    tls: bool,
    body_len_at_least: u64,
}

impl<'a> Head<'a> {
    /// A request for `path_and_query` (such as `/webhooks?tenant=7`) with these headers.
    pub fn new(method: &'a str, path_and_query: &'a str, headers: &'a dyn RequestHeaders) -> Self {
        Self {
            method,
            path_and_query,
            authority: None,
            headers,
            peer: None,
            tls: false,
            body_len_at_least: 0,
        }
    }

    /// The host (and port) of the request's target, when it carried one (HTTP/2, or an
    /// absolute URI); otherwise the `Host` header is read.
    #[must_use]
    pub fn authority(mut self, authority: Option<&'a str>) -> Self {
        self.authority = authority;
        self
    }

    /// The socket address the request came from, where the server knows it.
    #[must_use]
    pub fn peer(mut self, peer: Option<IpAddr>) -> Self {
        self.peer = peer;
        self
    }

    /// Whether the connection itself is TLS.
    #[must_use]
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// A size the body is known to reach, beside its `Content-Length` (a body type's size
    /// hint, say), so that a body known to be too large is refused unread.
    #[must_use]
    pub fn body_len_at_least(mut self, len: u64) -> Self {
        self.body_len_at_least = len;
        self
    }

    /// The method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The path and query.
    pub fn path_and_query(&self) -> &'a str {
        self.path_and_query
    }

    /// The headers.
    pub fn headers(&self) -> &'a dyn RequestHeaders {
        self.headers
    }

    pub(crate) fn authority_or_host(&self) -> Option<&'a str> {
        self.authority.or_else(|| match self.headers.lookup(&HOST) {
            crate::headers::Lookup::One(host) => std::str::from_utf8(host).ok(),
            _ => None,
        })
    }

    pub(crate) fn peer_addr(&self) -> Option<IpAddr> {
        self.peer
    }

    pub(crate) fn is_tls(&self) -> bool {
        self.tls
    }

    /// The body's declared length (`Content-Length`), or what it is known to reach, whichever
    /// is more.
    pub(crate) fn declared_len(&self) -> Option<u64> {
        let declared = match self.headers.lookup(&CONTENT_LENGTH) {
            crate::headers::Lookup::One(value) => {
                std::str::from_utf8(value).ok().and_then(|value| value.trim().parse::<u64>().ok())
            }
            _ => None,
        };
        match (declared, self.body_len_at_least) {
            (declared, 0) => declared,
            (declared, at_least) => Some(declared.map_or(at_least, |declared| declared.max(at_least))),
        }
    }
}

static HOST: crate::headers::HeaderName = crate::headers::HeaderName::from_static("host");
static CONTENT_LENGTH: crate::headers::HeaderName = crate::headers::HeaderName::from_static("content-length");

impl fmt::Debug for Head<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Head")
            .field("method", &self.method)
            .field("path_and_query", &self.path_and_query)
            .field("authority", &self.authority)
            .field("peer", &self.peer)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}
