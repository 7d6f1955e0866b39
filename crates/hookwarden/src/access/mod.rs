//! Access controls an adapter applies before it reads a body: an IP allowlist, an HTTPS
//! requirement, and the forwarding headers of trusted proxies.
//!
//! A webhook endpoint is open to the whole internet. Providers that publish the addresses they
//! send from (GitHub's `hooks` ranges, Stripe's webhook IPs, ...) let a receiver refuse everyone
//! else before reading a byte of the body, and a receiver can refuse deliveries that did not
//! travel over HTTPS. This module decides; it does no I/O and knows no framework. The adapters
//! say what they know of the connection in a [`Connection`] and apply an [`AccessPolicy`].
//!
//! # Who is the client?
//!
//! The client is the socket's peer, unless the peer is one of the configured
//! [trusted proxies](AccessPolicy::trusted_proxies). Only then are forwarding headers read;
//! from any other peer they are ignored, since anyone can send them. Nothing is trusted by
//! default. [`AccessPolicy::client`] says what it found in a [`ClientInfo`].
//!
//! - `Forwarded` (RFC 7239) `for=` and `X-Forwarded-For` are lists that each proxy appends the
//!   address it received the request from to. The client is the **right-most address that is
//!   not a trusted proxy**: everything to its left was written by that client and proves
//!   nothing. When every address is a trusted proxy, the left-most one is the client; when a
//!   trusted proxy forwards no address at all, the proxy itself is.
//! - An entry that is not an address (`unknown`, an obfuscated `_name`, garbage) makes the
//!   client unknown. So does a `Forwarded` quoted-string left open: it hides whatever the
//!   proxies appended to its line.
//! - When a request carries both headers, both must name the same client, or it is unknown: a
//!   proxy that writes one of them passes the other through from the client, who would
//!   otherwise choose their own address.
//! - The protocol and host the client used come from the `Forwarded` element that named the
//!   client, or from `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-Port` (their
//!   right-most value: the one the nearest trusted proxy wrote). Again, where both kinds of
//!   header say something, they must agree.
//!
//! A proxy can only be trusted if it writes these headers itself: it must append to (or
//! replace) `X-Forwarded-For` or `Forwarded`, and replace `X-Forwarded-Proto` and
//! `X-Forwarded-Host` when it sends them. Otherwise a client's own copies pass through it.
//!
//! # Example
//!
//! ```
//! use std::net::IpAddr;
//! use hookwarden::access::{AccessPolicy, Connection, IpRanges, Proto};
//!
//! // GitHub's webhook ranges, and a load balancer in 10.0.0.0/8 that sets X-Forwarded-*.
//! let policy = AccessPolicy::new()
//!     .allow_ips(IpRanges::parse(["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20"])?)
//!     .trusted_proxies(IpRanges::parse(["10.0.0.0/8"])?)
//!     .require_https(true);
//!
//! let load_balancer: IpAddr = "10.1.2.3".parse()?;
//! let headers = [("x-forwarded-for", "6.6.6.6, 192.30.252.41"), ("x-forwarded-proto", "https")];
//! let client = policy.check(&Connection::new(Some(load_balancer), &headers))?;
//! assert_eq!(client.addr(), Some("192.30.252.41".parse()?));
//! assert_eq!(client.proto(), Some(Proto::Https));
//!
//! // The same headers straight from the internet prove nothing.
//! let stranger: IpAddr = "192.0.2.1".parse()?;
//! let denied = policy.check(&Connection::new(Some(stranger), &headers)).unwrap_err();
//! assert_eq!((denied.status(), denied.reason()), (403, "ip_not_allowed"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod forwarded;
mod ip_range;
mod policy;

pub use forwarded::{ClientInfo, Proto};
pub use ip_range::{IpRange, IpRanges};
pub use policy::{AccessPolicy, Connection};

// Beside `Headers` in `headers`; `Connection::new` takes one, so it is also found here.
#[doc(no_inline)]
pub use crate::headers::HeaderValues;

/// What the tests of the submodules share.
#[cfg(test)]
mod testing {
    use std::net::IpAddr;

    use super::{AccessPolicy, ClientInfo, Connection, IpRanges};
    use crate::headers::HeaderValues;

    pub(super) fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    pub(super) fn ranges(list: &[&str]) -> IpRanges {
        IpRanges::parse(list).unwrap()
    }

    /// Behind a proxy at 10.0.0.1 (trusted, like the rest of 10.0.0.0/8).
    pub(super) fn behind_proxy() -> AccessPolicy {
        AccessPolicy::new().trusted_proxies(ranges(&["10.0.0.0/8"]))
    }

    pub(super) fn client_of<'a, H: HeaderValues>(
        policy: &AccessPolicy,
        peer: &str,
        headers: &'a H,
    ) -> ClientInfo<'a> {
        policy.client(&Connection::new(Some(ip(peer)), headers))
    }

    pub(super) const NONE: [(&str, &str); 0] = [];
}
