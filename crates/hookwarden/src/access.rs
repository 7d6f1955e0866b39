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
//! default.
//!
//! - `Forwarded` (RFC 7239) `for=` and `X-Forwarded-For` are lists that each proxy appends the
//!   address it received the request from to. The client is the **right-most address that is
//!   not a trusted proxy**: everything to its left was written by that client and proves
//!   nothing. When every address is a trusted proxy, the left-most one is the client; when a
//!   trusted proxy forwards no address at all, the proxy itself is.
//! - An entry that is not an address (`unknown`, an obfuscated `_name`, garbage) makes the
//!   client unknown.
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

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::error::{ConfigError, VerifyError};
use crate::headers::HeaderName;

static FORWARDED: HeaderName = HeaderName::from_static("forwarded");
static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
static X_FORWARDED_PORT: HeaderName = HeaderName::from_static("x-forwarded-port");

/// A range of IP addresses in CIDR notation, such as `192.30.252.0/22` or `2a0a:a440::/29`.
///
/// A bare address is a range of one (`/32` or `/128`). The address must be the range's first
/// one: `10.0.0.1/8` is refused as a likely typo. IPv4-mapped IPv6 addresses
/// (`::ffff:192.0.2.1`, as dual-stack sockets report IPv4 peers) match the IPv4 ranges.
///
/// # Example
///
/// ```
/// use hookwarden::access::IpRange;
///
/// let range: IpRange = "192.30.252.0/22".parse()?;
/// assert!(range.contains("192.30.255.255".parse()?));
/// assert!(range.contains("::ffff:192.30.252.1".parse()?));
/// assert!(!range.contains("192.30.251.255".parse()?));
/// assert_eq!("10.0.0.1/8".parse::<IpRange>().unwrap_err().reason(), "invalid_ip_range");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// The range of the addresses sharing the first `prefix` bits of `network`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidIpRange`] when `prefix` is longer than the address, or `network`
    /// has bits set after it.
    pub fn new(network: IpAddr, prefix: u8) -> Result<Self, ConfigError> {
        Self::checked(network, prefix)
            .map_err(|problem| ConfigError::InvalidIpRange { range: format!("{network}/{prefix}"), problem })
    }

    fn checked(network: IpAddr, prefix: u8) -> Result<Self, &'static str> {
        if prefix > bits(network) {
            return Err("the prefix is longer than the address");
        }
        // `::ffff:a.b.c.d/n` is an IPv4 range; peers are matched in their IPv4 form.
        let (network, prefix) = match network {
            IpAddr::V6(v6) if prefix >= 96 => match v6.to_ipv4_mapped() {
                Some(v4) => (IpAddr::V4(v4), prefix - 96),
                None => (network, prefix),
            },
            _ => (network, prefix),
        };
        if masked(network, prefix) != network {
            return Err("bits are set after the prefix: give the range's first address, such as 10.0.0.0/8");
        }
        Ok(Self { network, prefix })
    }

    /// Whether `addr` is in the range.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        let same_family =
            matches!((self.network, addr), (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)));
        same_family && masked(addr, self.prefix) == self.network
    }

    /// The range's first address.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// How many leading bits the addresses of the range share.
    pub fn prefix_len(&self) -> u8 {
        self.prefix
    }
}

/// The number of bits in an address of `addr`'s family.
fn bits(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// `addr` with every bit after the first `prefix` cleared.
fn masked(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// A single address: a range of one.
impl From<IpAddr> for IpRange {
    fn from(addr: IpAddr) -> Self {
        let addr = addr.to_canonical();
        Self { network: addr, prefix: bits(addr) }
    }
}

impl FromStr for IpRange {
    type Err = ConfigError;

    /// `address/prefix`, or a bare address.
    fn from_str(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim();
        let invalid = |problem| ConfigError::InvalidIpRange { range: text.to_owned(), problem };
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| invalid("not an IPv4 or IPv6 address"))?;
        let prefix = match prefix {
            None => bits(addr),
            Some(digits) if (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse().map_err(|_| invalid("the prefix is longer than the address"))?
            }
            Some(_) => return Err(invalid("the prefix length is not a number")),
        };
        match addr {
            // A bare mapped address is the IPv4 address it maps.
            IpAddr::V6(_) if prefix == 128 => Ok(Self::from(addr)),
            _ => Self::checked(addr, prefix).map_err(invalid),
        }
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The CIDR notation, as for `Display`.
impl fmt::Debug for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A set of [`IpRange`]s: an allowlist, or the addresses of trusted proxies.
///
/// An empty set contains nothing: as an allowlist, it lets nobody in.
///
/// # Example
///
/// ```
/// use hookwarden::access::IpRanges;
///
/// // Stripe's webhook addresses, say, from configuration.
/// let ranges: IpRanges = "3.18.12.63, 3.130.192.231 2600:1f18::/32".parse()?;
/// assert_eq!(ranges.len(), 3);
/// assert!(ranges.contains("3.130.192.231".parse()?));
/// assert!(ranges.contains("2600:1f18:1234::1".parse()?));
/// assert!(!ranges.contains("3.18.12.64".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IpRanges {
    ranges: Vec<IpRange>,
}

impl IpRanges {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses every range in `ranges` (see [`IpRange`]).
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidIpRange`] for the first range that does not parse.
    pub fn parse<I>(ranges: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        ranges
            .into_iter()
            .map(|range| range.as_ref().parse())
            .collect::<Result<_, _>>()
            .map(|ranges| Self { ranges })
    }

    /// Whether any range contains `addr`.
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.ranges.iter().any(|range| range.contains(addr))
    }

    /// Whether the set has no range.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// How many ranges the set has.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// The ranges, in the order they were given.
    pub fn iter(&self) -> std::slice::Iter<'_, IpRange> {
        self.ranges.iter()
    }
}

/// Ranges separated by commas or whitespace, as they come from an environment variable.
impl FromStr for IpRanges {
    type Err = ConfigError;

    fn from_str(text: &str) -> Result<Self, ConfigError> {
        Self::parse(text.split(|c: char| c == ',' || c.is_whitespace()).filter(|range| !range.is_empty()))
    }
}

impl FromIterator<IpRange> for IpRanges {
    fn from_iter<I: IntoIterator<Item = IpRange>>(iter: I) -> Self {
        Self { ranges: iter.into_iter().collect() }
    }
}

impl Extend<IpRange> for IpRanges {
    fn extend<I: IntoIterator<Item = IpRange>>(&mut self, iter: I) {
        self.ranges.extend(iter);
    }
}

impl From<IpRange> for IpRanges {
    fn from(range: IpRange) -> Self {
        Self { ranges: vec![range] }
    }
}

impl From<Vec<IpRange>> for IpRanges {
    fn from(ranges: Vec<IpRange>) -> Self {
        Self { ranges }
    }
}

impl<const N: usize> From<[IpRange; N]> for IpRanges {
    fn from(ranges: [IpRange; N]) -> Self {
        Self { ranges: ranges.into() }
    }
}

impl<'a> IntoIterator for &'a IpRanges {
    type Item = &'a IpRange;
    type IntoIter = std::slice::Iter<'a, IpRange>;

    fn into_iter(self) -> Self::IntoIter {
        self.ranges.iter()
    }
}

impl fmt::Debug for IpRanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.ranges).finish()
    }
}

/// Every value of a header, in the order received.
///
/// Forwarding headers are lists that proxies append to, in one header line or in several, so
/// unlike [`Headers`](crate::headers::Headers) (which reports a repeated header as such) this
/// sees every line. Implemented for `http::HeaderMap` (feature `http`) and for lists of
/// name/value pairs; adapters implement it for their framework's headers.
pub trait HeaderValues {
    /// Calls `each` with every value of the header called `name`, ignoring ASCII case, in the
    /// order they were received.
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8]));
}

impl<H: HeaderValues + ?Sized> HeaderValues for &H {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        (**self).for_each_value(name, each);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderValues for [(K, V)] {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.iter()
            .filter(|(key, _)| key.as_ref().eq_ignore_ascii_case(name.as_str()))
            .for_each(|(_, value)| each(value.as_ref()));
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> HeaderValues for [(K, V); N] {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().for_each_value(name, each);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderValues for Vec<(K, V)> {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().for_each_value(name, each);
    }
}

#[cfg(feature = "http")]
impl HeaderValues for http::HeaderMap {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.get_all(name.as_str()).iter().for_each(|value| each(value.as_bytes()));
    }
}

/// What an adapter knows about how a request reached it.
///
/// # Example
///
/// ```
/// use hookwarden::access::Connection;
///
/// let headers = [("x-forwarded-proto", "https")];
/// let connection = Connection::new(Some("10.0.0.7".parse()?), &headers).tls(false);
/// assert_eq!(connection.peer(), Some("10.0.0.7".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Connection<'a> {
    peer: Option<IpAddr>,
    tls: bool,
    headers: &'a dyn HeaderValues,
}

impl<'a> Connection<'a> {
    /// A request from the socket peer `peer` (`None` when the adapter does not know it), with
    /// these headers, over plain TCP.
    pub fn new(peer: Option<IpAddr>, headers: &'a dyn HeaderValues) -> Self {
        Self { peer: peer.map(|peer| peer.to_canonical()), tls: false, headers }
    }

    /// Whether the request arrived at this server over TLS (default: no). Only the server's
    /// own knowledge counts (the listener it accepted the connection on), never a header or
    /// the request's URI, which the client chooses.
    #[must_use]
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// The socket peer, in canonical form (an IPv4-mapped IPv6 address as IPv4).
    pub fn peer(&self) -> Option<IpAddr> {
        self.peer
    }

    /// Whether the request arrived over TLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }
}

impl fmt::Debug for Connection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection").field("peer", &self.peer).field("tls", &self.tls).finish_non_exhaustive()
    }
}

/// The protocol a client used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS.
    Https,
}

impl Proto {
    /// `"http"` or `"https"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }

    fn parse(value: &[u8]) -> Option<Self> {
        if value.eq_ignore_ascii_case(b"https") {
            Some(Self::Https)
        } else if value.eq_ignore_ascii_case(b"http") {
            Some(Self::Http)
        } else {
            None
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }
}

/// What forwarding headers said about one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said<T> {
    /// Nothing.
    Silent,
    /// This.
    That(T),
    /// Something unusable, or two headers that disagree.
    Unclear,
}

impl<T: PartialEq> Said<T> {
    /// What `Forwarded` and the `X-Forwarded-*` header said together: either alone, or both
    /// if they agree.
    fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Silent, said) | (said, Self::Silent) => said,
            (Self::That(a), Self::That(b)) if a == b => Self::That(a),
            _ => Self::Unclear,
        }
    }
}

/// Who the client of a request is, believed as far as the trusted proxies allow: the result
/// of [`AccessPolicy::client`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client<'a> {
    addr: Option<IpAddr>,
    proto: Option<Proto>,
    via_proxy: bool,
    host: Said<&'a str>,
    port: Said<u16>,
}

impl Client<'_> {
    /// The client's address: the socket peer, or the right-most forwarded address that is not
    /// a trusted proxy. `None` when it cannot be told: the adapter does not know the peer, or
    /// a trusted proxy forwarded something that is not an address (or two headers that
    /// disagree).
    pub fn addr(&self) -> Option<IpAddr> {
        self.addr
    }

    /// The protocol the client used: the connection's own, or what a trusted proxy reported.
    /// `None` when a trusted proxy did not say (or said something unusable).
    pub fn proto(&self) -> Option<Proto> {
        self.proto
    }

    /// Whether the socket peer is a trusted proxy, so that forwarding headers were read.
    pub fn via_proxy(&self) -> bool {
        self.via_proxy
    }

    /// The public origin (`https://host[:port]`) the client called, as a trusted proxy
    /// reported it: for schemes that sign the URL, when no public origin is configured.
    ///
    /// The protocol must have been forwarded. The host is the forwarded one
    /// (`Forwarded: host=` or `X-Forwarded-Host`) or, when the proxy forwarded none,
    /// `request_host` (the request's `Host`, which proxies usually pass on); a forwarded
    /// `X-Forwarded-Port` replaces any port in it, and the protocol's default port is left out.
    /// `None` when the peer is not a trusted proxy, or something is missing, unclear or not a
    /// plausible host.
    ///
    /// ```
    /// use hookwarden::access::{AccessPolicy, Connection, IpRanges};
    ///
    /// let policy = AccessPolicy::new().trusted_proxies(IpRanges::parse(["127.0.0.1"])?);
    /// let headers = [("x-forwarded-proto", "https"), ("x-forwarded-port", "443")];
    /// let client = policy.client(&Connection::new(Some("127.0.0.1".parse()?), &headers));
    /// assert_eq!(client.origin(Some("hooks.example.com:8080")).as_deref(), Some("https://hooks.example.com"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn origin(&self, request_host: Option<&str>) -> Option<String> {
        if !self.via_proxy {
            return None;
        }
        let proto = self.proto?;
        let host = match self.host {
            Said::That(host) => host,
            Said::Silent => request_host?,
            Said::Unclear => return None,
        };
        let (name, port_in_host) = split_host(host)?;
        let port = match self.port {
            Said::That(port) => Some(port),
            Said::Silent => port_in_host,
            Said::Unclear => return None,
        };
        let mut origin = String::with_capacity(proto.as_str().len() + 3 + host.len() + 6);
        origin.push_str(proto.as_str());
        origin.push_str("://");
        origin.push_str(name);
        if let Some(port) = port.filter(|port| *port != proto.default_port()) {
            origin.push(':');
            origin.push_str(&port.to_string());
        }
        Some(origin)
    }
}

/// Splits `host[:port]` (or `[v6][:port]`), accepting only characters a host can have.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        match &host[end + 1..] {
            "" => (host, None),
            rest => (&host[..=end], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let plausible = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':');
    if name.is_empty() || name.len() > 255 || !name.chars().all(plausible) {
        return None;
    }
    let port = match port {
        Some(port) => Some(parse_port(port.as_bytes())?),
        None => None,
    };
    Some((name, port))
}

fn parse_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Who may deliver: an optional IP allowlist, an optional HTTPS requirement, and the proxies
/// whose forwarding headers are believed. See the [module](self) docs.
///
/// The default checks nothing and believes no forwarding header. Adapters hold one and call
/// [`check`](Self::check) before reading a body.
///
/// # Example
///
/// ```
/// use hookwarden::access::{AccessPolicy, Connection, IpRanges};
///
/// let policy = AccessPolicy::new().allow_ips(IpRanges::parse(["203.0.113.0/24", "2001:db8::/32"])?);
/// let none: [(&str, &str); 0] = [];
/// assert!(policy.check(&Connection::new(Some("203.0.113.9".parse()?), &none)).is_ok());
/// assert!(policy.check(&Connection::new(Some("2001:db8::7".parse()?), &none)).is_ok());
/// let denied = policy.check(&Connection::new(Some("198.51.100.1".parse()?), &none)).unwrap_err();
/// assert_eq!((denied.status(), denied.reason()), (403, "ip_not_allowed"));
/// // No peer address while an allowlist is configured: the receiver cannot tell, so it refuses.
/// let unknown = policy.check(&Connection::new(None, &none)).unwrap_err();
/// assert_eq!((unknown.status(), unknown.reason()), (500, "peer_unknown"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessPolicy {
    allow: Option<IpRanges>,
    trusted_proxies: IpRanges,
    require_https: bool,
}

impl AccessPolicy {
    /// A policy that lets every request through and believes no forwarding header.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets only clients in `ranges` deliver (default: everyone). An empty set lets nobody in.
    #[must_use]
    pub fn allow_ips(mut self, ranges: impl Into<IpRanges>) -> Self {
        self.allow = Some(ranges.into());
        self
    }

    /// The proxies (load balancers, CDNs, ingress controllers) whose forwarding headers are
    /// believed, by their socket address (default: none).
    #[must_use]
    pub fn trusted_proxies(mut self, ranges: impl Into<IpRanges>) -> Self {
        self.trusted_proxies = ranges.into();
        self
    }

    /// Whether deliveries must have travelled over HTTPS (default: no): over a TLS connection
    /// to this server, or to a trusted proxy that says so (`X-Forwarded-Proto: https`,
    /// `Forwarded: proto=https`).
    #[must_use]
    pub fn require_https(mut self, required: bool) -> Self {
        self.require_https = required;
        self
    }

    /// The allowlist, if there is one.
    pub fn allowlist(&self) -> Option<&IpRanges> {
        self.allow.as_ref()
    }

    /// The trusted proxies.
    pub fn proxies(&self) -> &IpRanges {
        &self.trusted_proxies
    }

    /// Whether HTTPS is required.
    pub fn https_required(&self) -> bool {
        self.require_https
    }

    /// Whether [`check`](Self::check) lets every request through (no allowlist, no HTTPS
    /// requirement), so that an adapter can skip it.
    pub fn is_open(&self) -> bool {
        self.allow.is_none() && !self.require_https
    }

    /// Whether `addr` is a trusted proxy.
    pub fn trusts(&self, addr: IpAddr) -> bool {
        self.trusted_proxies.contains(addr)
    }

    /// Who the client is, by the socket peer and, when the peer is a trusted proxy, the
    /// forwarding headers. See the [module](self) docs.
    pub fn client<'a>(&self, connection: &Connection<'a>) -> Client<'a> {
        let own_proto = if connection.tls { Proto::Https } else { Proto::Http };
        let Some(peer) = connection.peer else {
            // Without a peer nothing says whether forwarding headers may be believed: the
            // connection's own protocol is all there is, and only when no proxy is expected.
            let proto = (connection.tls || self.trusted_proxies.is_empty()).then_some(own_proto);
            return Client { addr: None, proto, via_proxy: false, host: Said::Silent, port: Said::Silent };
        };
        if !self.trusts(peer) {
            return Client {
                addr: Some(peer),
                proto: Some(own_proto),
                via_proxy: false,
                host: Said::Silent,
                port: Said::Silent,
            };
        }
        let headers = connection.headers;
        let forwarded = self.walk_forwarded(headers);
        let addr = forwarded.client.and(self.walk_x_forwarded_for(headers));
        let proto = forwarded.proto.and(right_most(headers, &X_FORWARDED_PROTO, Proto::parse));
        let host = forwarded.host.and(right_most(headers, &X_FORWARDED_HOST, host_str));
        let port = right_most(headers, &X_FORWARDED_PORT, parse_port);
        Client {
            addr: match addr {
                Said::Silent => Some(peer),
                Said::That(addr) => Some(addr),
                Said::Unclear => None,
            },
            proto: match proto {
                Said::That(proto) => Some(proto),
                Said::Silent | Said::Unclear => None,
            },
            via_proxy: true,
            host,
            port,
        }
    }

    /// Applies the policy: the [`client`](Self::client) if it may deliver.
    ///
    /// # Errors
    ///
    /// - [`VerifyError::PeerUnknown`] (500) when an allowlist is configured and the adapter
    ///   does not know the socket peer (or HTTPS is required, the connection is not TLS, and
    ///   without the peer the trusted proxies cannot be told apart): a receiver
    ///   misconfiguration.
    /// - [`VerifyError::IpNotAllowed`] (403) when the client is not in the allowlist, or cannot
    ///   be told.
    /// - [`VerifyError::HttpsRequired`] (403) when HTTPS is required and the client's request
    ///   did not travel over it (or a trusted proxy did not say).
    pub fn check<'a>(&self, connection: &Connection<'a>) -> Result<Client<'a>, VerifyError> {
        let client = self.client(connection);
        if let Some(allow) = &self.allow {
            if connection.peer.is_none() {
                return Err(VerifyError::PeerUnknown);
            }
            match client.addr {
                Some(addr) if allow.contains(addr) => {}
                addr => return Err(VerifyError::IpNotAllowed { client: addr }),
            }
        }
        if self.require_https && client.proto != Some(Proto::Https) {
            return Err(match client.proto {
                None if connection.peer.is_none() => VerifyError::PeerUnknown,
                _ => VerifyError::HttpsRequired,
            });
        }
        Ok(client)
    }

    /// The `Forwarded` header: the element naming the client, walked from the right.
    fn walk_forwarded<'a>(&self, headers: &'a dyn HeaderValues) -> ForwardedSays<'a> {
        let mut walk = Walk::default();
        let mut last = None;
        headers.for_each_value(&FORWARDED, &mut |value| {
            for raw in Split::new(value, b',') {
                if raw.trim_ascii().is_empty() {
                    continue;
                }
                let element = Element::parse(raw);
                if let Some(node) = element.for_ {
                    walk.push(element, node.is_some_and(|addr| self.trusts(addr)));
                }
                last = Some(element);
            }
        });
        let named = walk.result();
        // Without any `for=`, the element the nearest proxy wrote still says how the client came.
        let Some(element) = named.or(last) else {
            return ForwardedSays { client: Said::Silent, proto: Said::Silent, host: Said::Silent };
        };
        ForwardedSays {
            client: match (named.is_some(), element.for_) {
                (true, Some(Some(addr))) => Said::That(addr),
                (true, _) => Said::Unclear,
                (false, _) => Said::Silent,
            },
            proto: element.proto.map_or(Said::Silent, |proto| proto.map_or(Said::Unclear, Said::That)),
            host: element.host.map_or(Said::Silent, |host| host.map_or(Said::Unclear, Said::That)),
        }
    }

    /// `X-Forwarded-For`, walked from the right.
    fn walk_x_forwarded_for(&self, headers: &dyn HeaderValues) -> Said<IpAddr> {
        let mut walk = Walk::default();
        headers.for_each_value(&X_FORWARDED_FOR, &mut |value| {
            for entry in value.split(|&b| b == b',') {
                let entry = entry.trim_ascii();
                if entry.is_empty() {
                    continue;
                }
                let addr = node(entry);
                walk.push(addr, addr.is_some_and(|addr| self.trusts(addr)));
            }
        });
        match walk.result() {
            None => Said::Silent,
            Some(Some(addr)) => Said::That(addr),
            Some(None) => Said::Unclear,
        }
    }
}

/// The right-most value of an `X-Forwarded-*` header that carries one value, parsed: the value
/// the nearest proxy wrote.
fn right_most<'a, T>(
    headers: &'a dyn HeaderValues,
    name: &HeaderName,
    parse: impl Fn(&'a [u8]) -> Option<T>,
) -> Said<T> {
    let mut said = Said::Silent;
    headers.for_each_value(name, &mut |value| {
        let last = value.rsplit(|&b| b == b',').next().unwrap_or_default().trim_ascii();
        said = parse(last).map_or(Said::Unclear, Said::That);
    });
    said
}

/// A host as text, if it is ASCII without spaces or controls.
fn host_str(value: &[u8]) -> Option<&str> {
    let host = std::str::from_utf8(value).ok()?;
    (!host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic())).then_some(host)
}

/// What the `Forwarded` header said.
struct ForwardedSays<'a> {
    client: Said<IpAddr>,
    proto: Said<Proto>,
    host: Said<&'a str>,
}

/// The walk from the right: the last entry that is not a trusted proxy, or the first entry
/// when all of them are. Scanning left to right finds the same entry without storing the list.
struct Walk<T> {
    first: Option<T>,
    last_untrusted: Option<T>,
}

impl<T> Default for Walk<T> {
    fn default() -> Self {
        Self { first: None, last_untrusted: None }
    }
}

impl<T: Copy> Walk<T> {
    fn push(&mut self, entry: T, trusted: bool) {
        if self.first.is_none() {
            self.first = Some(entry);
        }
        if !trusted {
            self.last_untrusted = Some(entry);
        }
    }

    fn result(self) -> Option<T> {
        self.last_untrusted.or(self.first)
    }
}

/// One element of a `Forwarded` header (`for=...;proto=...;host=...`). Each parameter is
/// absent (`None`), or present with a usable value (`Some(Some(..))`) or not (`Some(None)`).
#[derive(Debug, Clone, Copy, Default)]
struct Element<'a> {
    for_: Option<Option<IpAddr>>,
    proto: Option<Option<Proto>>,
    host: Option<Option<&'a str>>,
}

impl<'a> Element<'a> {
    fn parse(raw: &'a [u8]) -> Self {
        let mut element = Self::default();
        let mut malformed = false;
        for pair in Split::new(raw, b';') {
            let pair = pair.trim_ascii();
            if pair.is_empty() {
                continue;
            }
            let Some(eq) = pair.iter().position(|&b| b == b'=') else {
                malformed = true;
                continue;
            };
            let (name, value) = (pair[..eq].trim_ascii(), unquote(pair[eq + 1..].trim_ascii()));
            // A parameter given twice in one element is malformed (RFC 7239, section 4).
            let repeated = if name.eq_ignore_ascii_case(b"for") {
                element.for_.replace(value.and_then(node)).is_some()
            } else if name.eq_ignore_ascii_case(b"proto") {
                element.proto.replace(value.and_then(Proto::parse)).is_some()
            } else if name.eq_ignore_ascii_case(b"host") {
                element.host.replace(value.and_then(host_str)).is_some()
            } else {
                false
            };
            malformed |= repeated;
        }
        if malformed {
            // Whatever it says is unusable, but it still says something.
            element.for_ = Some(None);
            element.proto = element.proto.map(|_| None);
            element.host = element.host.map(|_| None);
        }
        element
    }
}

/// A `token` or a `quoted-string` without escapes (an escape in an address, a protocol or a
/// host is never legitimate, so it makes the value unusable).
fn unquote(value: &[u8]) -> Option<&[u8]> {
    match value {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'"') && !inner.contains(&b'\\') => Some(inner),
        _ if !value.is_empty() && !value.contains(&b'"') => Some(value),
        _ => None,
    }
}

/// A node (`192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`, `2001:db8::1`) as an address;
/// `None` for `unknown`, obfuscated names and anything else.
fn node(value: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(value).ok()?;
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Some(addr.to_canonical());
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        if !after.is_empty() && !is_node_port(after.strip_prefix(':')?) {
            return None;
        }
        return v6.parse::<Ipv6Addr>().ok().map(|v6| IpAddr::V6(v6).to_canonical());
    }
    let (v4, port) = text.split_once(':')?;
    if !is_node_port(port) {
        return None;
    }
    v4.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// A port number, or an obfuscated port (`_` then letters, digits, `.`, `_`, `-`).
fn is_node_port(port: &str) -> bool {
    match port.strip_prefix('_') {
        Some(obfuscated) => {
            !obfuscated.is_empty()
                && obfuscated.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        None => parse_port(port.as_bytes()).is_some(),
    }
}

/// Splits at `separator` outside quoted strings.
struct Split<'a> {
    rest: Option<&'a [u8]>,
    separator: u8,
}

impl<'a> Split<'a> {
    fn new(value: &'a [u8], separator: u8) -> Self {
        Self { rest: Some(value), separator }
    }
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        let (mut quoted, mut escaped) = (false, false);
        for (at, &byte) in rest.iter().enumerate() {
            if escaped {
                escaped = false;
            } else if quoted && byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                quoted = !quoted;
            } else if byte == self.separator && !quoted {
                self.rest = Some(&rest[at + 1..]);
                return Some(&rest[..at]);
            }
        }
        self.rest = None;
        Some(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn ranges(list: &[&str]) -> IpRanges {
        IpRanges::parse(list).unwrap()
    }

    /// Behind a proxy at 10.0.0.1 (trusted, like the rest of 10.0.0.0/8).
    fn behind_proxy() -> AccessPolicy {
        AccessPolicy::new().trusted_proxies(ranges(&["10.0.0.0/8"]))
    }

    fn client_of<'a, H: HeaderValues>(policy: &AccessPolicy, peer: &str, headers: &'a H) -> Client<'a> {
        policy.client(&Connection::new(Some(ip(peer)), headers))
    }

    const NONE: [(&str, &str); 0] = [];

    #[test]
    fn ranges_parse_and_match_both_families() {
        let v4: IpRange = "192.30.252.0/22".parse().unwrap();
        assert!(v4.contains(ip("192.30.252.0")) && v4.contains(ip("192.30.255.255")));
        assert!(!v4.contains(ip("192.30.251.255")) && !v4.contains(ip("192.30.0.0")));
        assert!(!v4.contains(ip("::1")), "families never mix");
        let v6: IpRange = "2a0a:a440::/29".parse().unwrap();
        assert!(v6.contains(ip("2a0a:a447:ffff::1")) && !v6.contains(ip("2a0a:a448::")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let host: IpRange = " 203.0.113.7 ".parse().unwrap();
        assert_eq!((host.network(), host.prefix_len()), (ip("203.0.113.7"), 32));
        assert!(host.contains(ip("203.0.113.7")) && !host.contains(ip("203.0.113.8")));
        let everything: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(everything.contains(ip("255.255.255.255")) && !everything.contains(ip("::")));
        assert!("::/0".parse::<IpRange>().unwrap().contains(ip("2001:db8::1")));
        assert_eq!("2001:db8::/32".parse::<IpRange>().unwrap().to_string(), "2001:db8::/32");
    }

    #[test]
    fn ipv4_mapped_addresses_are_their_ipv4_address() {
        let range: IpRange = "192.0.2.0/24".parse().unwrap();
        assert!(range.contains(ip("::ffff:192.0.2.9")));
        let mapped: IpRange = "::ffff:192.0.2.0/120".parse().unwrap();
        assert_eq!(mapped, range);
        assert_eq!("::ffff:192.0.2.9".parse::<IpRange>().unwrap(), IpRange::from(ip("192.0.2.9")));
        let connection = Connection::new(Some(ip("::ffff:10.0.0.1")), &NONE);
        assert_eq!(connection.peer(), Some(ip("10.0.0.1")));
    }

    #[test]
    fn bad_ranges_are_refused_with_the_range_named() {
        for bad in [
            "",
            "10.0.0.0/",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.1/8",
            "10.0.0.0/+8",
            "10.0.0.0/0008",
            "10.0.0.0/8/8",
            "10.0.0",
            "010.0.0.0/8",
            "example.com",
            "fe80::1%eth0",
            "10.0.0.0/ 8",
        ] {
            let error = bad.parse::<IpRange>().unwrap_err();
            assert_eq!(error.reason(), "invalid_ip_range", "{bad}");
            assert!(
                matches!(&error, ConfigError::InvalidIpRange { range, .. } if range == bad.trim()),
                "{error}"
            );
        }
        let error = IpRange::new(ip("10.0.0.1"), 8).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`10.0.0.1/8` is not an IP range: bits are set after the prefix: give the range's first address, such as 10.0.0.0/8"
        );
        assert!(IpRanges::parse(["10.0.0.0/8", "nope"]).is_err());
    }

    #[test]
    fn range_sets_parse_lists_and_an_empty_set_contains_nothing() {
        let set: IpRanges = "10.0.0.0/8,192.168.0.0/16\n  2001:db8::/32".parse().unwrap();
        assert_eq!(set.len(), 3);
        assert_eq!(format!("{set:?}"), "[10.0.0.0/8, 192.168.0.0/16, 2001:db8::/32]");
        assert!(set.contains(ip("192.168.4.4")) && !set.contains(ip("172.16.0.1")));
        assert!(IpRanges::new().is_empty() && !IpRanges::new().contains(ip("127.0.0.1")));
        let collected: IpRanges = [ip("127.0.0.1"), ip("::1")].into_iter().map(IpRange::from).collect();
        assert!(collected.contains(ip("::1")) && collected.iter().count() == 2);
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        let spoofed = [("x-forwarded-for", "203.0.113.7"), ("forwarded", "for=203.0.113.7;proto=https")];
        // Nobody trusted: the headers are ignored.
        let client = client_of(&AccessPolicy::new(), "10.0.0.1", &spoofed);
        assert_eq!(
            (client.addr(), client.proto(), client.via_proxy()),
            (Some(ip("10.0.0.1")), Some(Proto::Http), false)
        );
        // A peer outside the trusted set: ignored too.
        let client = client_of(&behind_proxy(), "192.0.2.1", &spoofed);
        assert_eq!((client.addr(), client.via_proxy()), (Some(ip("192.0.2.1")), false));
        // From the trusted proxy: believed.
        let client = client_of(&behind_proxy(), "10.0.0.1", &spoofed);
        assert_eq!(
            (client.addr(), client.proto(), client.via_proxy()),
            (Some(ip("203.0.113.7")), Some(Proto::Https), true)
        );
    }

    #[test]
    fn x_forwarded_for_is_walked_from_the_right_past_trusted_proxies() {
        let policy = behind_proxy();
        let addr = |value: &str| client_of(&policy, "10.0.0.1", &[("x-forwarded-for", value)]).addr();
        assert_eq!(addr("203.0.113.7"), Some(ip("203.0.113.7")));
        // The client wrote the left part: the right-most untrusted address decides.
        assert_eq!(addr("198.51.100.1, 203.0.113.7"), Some(ip("203.0.113.7")));
        assert_eq!(addr("198.51.100.1, 203.0.113.7, 10.2.3.4, 10.0.0.9"), Some(ip("203.0.113.7")));
        // Every address a trusted proxy: the left-most one.
        assert_eq!(addr("10.9.9.9, 10.0.0.2"), Some(ip("10.9.9.9")));
        // Something that is not an address where the client should be: unknown.
        assert_eq!(addr("198.51.100.1, unknown, 10.0.0.2"), None);
        assert_eq!(addr("garbage"), None);
        // ... but garbage to the left of the client is the client's own business.
        assert_eq!(addr("garbage, 203.0.113.7"), Some(ip("203.0.113.7")));
        // Ports, brackets, IPv6, mapped addresses, odd spacing and empty entries.
        assert_eq!(addr("203.0.113.7:4711"), Some(ip("203.0.113.7")));
        assert_eq!(addr("[2001:db8::7]:4711"), Some(ip("2001:db8::7")));
        assert_eq!(addr(" 2001:db8::7 ,,\t"), Some(ip("2001:db8::7")));
        assert_eq!(addr("::ffff:203.0.113.7"), Some(ip("203.0.113.7")));
        // Several header lines are one list.
        let lines = [("x-forwarded-for", "198.51.100.1"), ("X-Forwarded-For", "203.0.113.7, 10.0.0.3")];
        assert_eq!(client_of(&policy, "10.0.0.1", &lines).addr(), Some(ip("203.0.113.7")));
        // No forwarding header: the proxy itself is the client.
        assert_eq!(client_of(&policy, "10.0.0.1", &NONE).addr(), Some(ip("10.0.0.1")));
    }

    #[test]
    fn forwarded_is_walked_like_x_forwarded_for_and_its_element_says_the_rest() {
        let policy = behind_proxy();
        let headers = [(
            "forwarded",
            r#"for=198.51.100.1;proto=http, for="[2001:db8::7]:4711";proto=https;host=hooks.example.com, for=10.0.0.5;proto=http;host=internal"#,
        )];
        let client = client_of(&policy, "10.0.0.1", &headers);
        assert_eq!((client.addr(), client.proto()), (Some(ip("2001:db8::7")), Some(Proto::Https)));
        assert_eq!(client.origin(None).as_deref(), Some("https://hooks.example.com"));

        let forwarded = |value: &str| client_of(&policy, "10.0.0.1", &[("forwarded", value)]).addr();
        assert_eq!(forwarded("For=203.0.113.7;By=10.0.0.1"), Some(ip("203.0.113.7")));
        assert_eq!(forwarded(r#"for="203.0.113.7:_gazonk""#), Some(ip("203.0.113.7")));
        assert_eq!(forwarded("for=unknown"), None);
        assert_eq!(forwarded("for=_hidden"), None);
        assert_eq!(forwarded("for=203.0.113.7;for=198.51.100.1"), None, "a parameter given twice");
        assert_eq!(forwarded(r#"for="203.0.113.7"#), None, "an unterminated quote");
        assert_eq!(forwarded(r#"for="203.0.\113.7""#), None, "an escape in an address");
        assert_eq!(forwarded("for=203.0.113.7;garbage"), None);
        // Commas and semicolons inside quotes do not split.
        let quoted = client_of(&policy, "10.0.0.1", &[("forwarded", r#"for=203.0.113.7;host="a,b;c""#)]);
        assert_eq!(quoted.addr(), Some(ip("203.0.113.7")));
        // Without any `for=`, the nearest proxy's element still gives the protocol.
        let no_for = client_of(&policy, "10.0.0.1", &[("forwarded", "proto=https;host=hooks.example.com")]);
        assert_eq!((no_for.addr(), no_for.proto()), (Some(ip("10.0.0.1")), Some(Proto::Https)));
    }

    #[test]
    fn forwarded_and_x_forwarded_headers_must_agree() {
        let policy = behind_proxy();
        // A proxy that writes X-Forwarded-For passes a client's `Forwarded` through unchanged.
        let injected = [("forwarded", "for=203.0.113.7"), ("x-forwarded-for", "198.51.100.66")];
        assert_eq!(client_of(&policy, "10.0.0.1", &injected).addr(), None);
        let agreeing = [
            ("forwarded", "for=203.0.113.7;proto=https"),
            ("x-forwarded-for", "203.0.113.7"),
            ("x-forwarded-proto", "https"),
        ];
        let client = client_of(&policy, "10.0.0.1", &agreeing);
        assert_eq!((client.addr(), client.proto()), (Some(ip("203.0.113.7")), Some(Proto::Https)));
        let proto_disagrees = [("forwarded", "proto=https"), ("x-forwarded-proto", "http")];
        assert_eq!(client_of(&policy, "10.0.0.1", &proto_disagrees).proto(), None);
    }

    #[test]
    fn x_forwarded_proto_host_and_port_take_the_right_most_value() {
        let policy = behind_proxy();
        let headers = [
            ("x-forwarded-proto", "http, https"),
            ("x-forwarded-host", "evil.example, hooks.example.com"),
            ("x-forwarded-port", "8443"),
        ];
        let client = client_of(&policy, "10.0.0.1", &headers);
        assert_eq!(client.proto(), Some(Proto::Https));
        assert_eq!(client.origin(Some("ignored")).as_deref(), Some("https://hooks.example.com:8443"));
        assert_eq!(
            client_of(&policy, "10.0.0.1", &[("x-forwarded-proto", "HTTPS")]).proto(),
            Some(Proto::Https)
        );
        assert_eq!(client_of(&policy, "10.0.0.1", &[("x-forwarded-proto", "gopher")]).proto(), None);
        assert_eq!(client_of(&policy, "10.0.0.1", &[("x-forwarded-proto", "")]).proto(), None);
        assert_eq!(client_of(&policy, "10.0.0.1", &NONE).proto(), None, "a trusted proxy that does not say");
    }

    #[test]
    fn the_forwarded_origin_needs_a_trusted_proxy_a_protocol_and_a_plausible_host() {
        let policy = behind_proxy();
        let origin = |peer: &str, headers: &[(&str, &str)], host: Option<&str>| {
            client_of(&policy, peer, &headers).origin(host)
        };
        let https = [("x-forwarded-proto", "https")];
        assert_eq!(
            origin("10.0.0.1", &https, Some("hooks.example.com")).as_deref(),
            Some("https://hooks.example.com")
        );
        assert_eq!(origin("192.0.2.1", &https, Some("hooks.example.com")), None, "not a trusted proxy");
        assert_eq!(origin("10.0.0.1", &NONE, Some("hooks.example.com")), None, "no protocol");
        assert_eq!(origin("10.0.0.1", &https, None), None, "no host");
        assert_eq!(
            origin("10.0.0.1", &https, Some("hooks.example.com:443")).as_deref(),
            Some("https://hooks.example.com")
        );
        assert_eq!(
            origin("10.0.0.1", &https, Some("hooks.example.com:8443")).as_deref(),
            Some("https://hooks.example.com:8443")
        );
        assert_eq!(
            origin("10.0.0.1", &https, Some("[2001:db8::1]:8443")).as_deref(),
            Some("https://[2001:db8::1]:8443")
        );
        assert_eq!(origin("10.0.0.1", &https, Some("a/b")), None);
        assert_eq!(origin("10.0.0.1", &https, Some("user@host")), None);
        assert_eq!(origin("10.0.0.1", &https, Some("host:99999")), None);
        let port = [("x-forwarded-proto", "http"), ("x-forwarded-port", "80")];
        assert_eq!(origin("10.0.0.1", &port, Some("internal:8080")).as_deref(), Some("http://internal"));
        let bad_port = [("x-forwarded-proto", "https"), ("x-forwarded-port", "https")];
        assert_eq!(origin("10.0.0.1", &bad_port, Some("hooks.example.com")), None);
    }

    #[test]
    fn check_applies_the_allowlist_then_the_https_requirement() {
        let policy = behind_proxy().allow_ips(ranges(&["203.0.113.0/24"])).require_https(true);
        let check = |peer: Option<&str>, tls: bool, headers: &[(&str, &str)]| {
            policy.check(&Connection::new(peer.map(ip), &headers).tls(tls)).map(|client| client.addr())
        };
        assert_eq!(check(Some("203.0.113.5"), true, &[]), Ok(Some(ip("203.0.113.5"))));
        assert_eq!(check(Some("203.0.113.5"), false, &[]), Err(VerifyError::HttpsRequired));
        assert_eq!(
            check(Some("198.51.100.5"), true, &[]),
            Err(VerifyError::IpNotAllowed { client: Some(ip("198.51.100.5")) })
        );
        let forwarded = [("x-forwarded-for", "203.0.113.5"), ("x-forwarded-proto", "https")];
        assert_eq!(check(Some("10.0.0.1"), false, &forwarded), Ok(Some(ip("203.0.113.5"))));
        // The same headers from elsewhere prove nothing.
        assert_eq!(
            check(Some("198.51.100.5"), true, &forwarded),
            Err(VerifyError::IpNotAllowed { client: Some(ip("198.51.100.5")) })
        );
        // A TLS hop from the proxy does not make the client's hop HTTPS.
        let plain = [("x-forwarded-for", "203.0.113.5"), ("x-forwarded-proto", "http")];
        assert_eq!(check(Some("10.0.0.1"), true, &plain), Err(VerifyError::HttpsRequired));
        let unclear = [("x-forwarded-for", "203.0.113.5, unknown")];
        assert_eq!(check(Some("10.0.0.1"), true, &unclear), Err(VerifyError::IpNotAllowed { client: None }));
        assert_eq!(check(None, true, &forwarded), Err(VerifyError::PeerUnknown));
        let denied = VerifyError::IpNotAllowed { client: None };
        assert_eq!((denied.status(), denied.reason()), (403, "ip_not_allowed"));
        assert_eq!(
            (VerifyError::HttpsRequired.status(), VerifyError::HttpsRequired.reason()),
            (403, "https_required")
        );
        assert_eq!(
            (VerifyError::PeerUnknown.status(), VerifyError::PeerUnknown.reason()),
            (500, "peer_unknown")
        );
    }

    #[test]
    fn https_alone_needs_no_peer_unless_proxies_are_trusted() {
        let https = AccessPolicy::new().require_https(true);
        let none: [(&str, &str); 0] = [];
        assert!(https.check(&Connection::new(None, &none).tls(true)).is_ok());
        assert_eq!(https.check(&Connection::new(None, &none)).unwrap_err(), VerifyError::HttpsRequired);
        let proxied = https.trusted_proxies(ranges(&["10.0.0.0/8"]));
        assert_eq!(proxied.check(&Connection::new(None, &none)).unwrap_err(), VerifyError::PeerUnknown);
        assert!(AccessPolicy::new().is_open() && !proxied.is_open());
        assert!(AccessPolicy::new().check(&Connection::new(None, &none)).is_ok());
    }

    #[test]
    fn an_empty_allowlist_lets_nobody_in() {
        let policy = AccessPolicy::new().allow_ips(IpRanges::new());
        let none: [(&str, &str); 0] = [];
        let error = policy.check(&Connection::new(Some(ip("127.0.0.1")), &none)).unwrap_err();
        assert_eq!(error.reason(), "ip_not_allowed");
    }

    #[cfg(feature = "http")]
    #[test]
    fn header_maps_give_every_line_in_order() {
        let mut map = http::HeaderMap::new();
        map.append("x-forwarded-for", http::HeaderValue::from_static("198.51.100.1"));
        map.append("X-Forwarded-For", http::HeaderValue::from_static("203.0.113.7"));
        let mut seen = Vec::new();
        map.for_each_value(&X_FORWARDED_FOR, &mut |value| seen.push(value.to_vec()));
        assert_eq!(seen, [b"198.51.100.1".to_vec(), b"203.0.113.7".to_vec()]);
        let client = behind_proxy().client(&Connection::new(Some(ip("10.0.0.1")), &map));
        assert_eq!(client.addr(), Some(ip("203.0.113.7")));
    }

    #[test]
    fn a_long_forwarding_chain_is_walked_in_one_pass() {
        let chain = vec!["10.0.0.2"; 10_000].join(", ");
        let headers = [("x-forwarded-for", format!("203.0.113.7, {chain}"))];
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        assert_eq!(client_of(&behind_proxy(), "10.0.0.1", &headers).addr(), Some(ip("203.0.113.7")));
    }
}
