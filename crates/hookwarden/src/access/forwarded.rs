//! The forwarding headers (`Forwarded`, `X-Forwarded-For`, `-Proto`, `-Host`, `-Port`), walked
//! from the right past the trusted proxies, and what they say about the client: [`ClientInfo`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::IpRanges;
use crate::headers::{HeaderName, HeaderValues};

static FORWARDED: HeaderName = HeaderName::from_static("forwarded");
static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
static X_FORWARDED_PORT: HeaderName = HeaderName::from_static("x-forwarded-port");

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
/// of [`AccessPolicy::client`](super::AccessPolicy::client) and
/// [`check`](super::AccessPolicy::check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientInfo<'a> {
    addr: Option<IpAddr>,
    proto: Option<Proto>,
    via_proxy: bool,
    host: Said<&'a str>,
    port: Said<u16>,
}

impl<'a> ClientInfo<'a> {
    /// A client that reached this server without a trusted proxy: no header is read.
    pub(super) fn direct(addr: Option<IpAddr>, proto: Option<Proto>) -> Self {
        Self { addr, proto, via_proxy: false, host: Said::Silent, port: Said::Silent }
    }

    /// A client behind `peer`, a trusted proxy: what the forwarding headers say, walked from
    /// the right past the `trusted` proxies.
    pub(super) fn forwarded(peer: IpAddr, headers: &'a dyn HeaderValues, trusted: &IpRanges) -> Self {
        let forwarded = walk_forwarded(headers, trusted);
        let addr = forwarded.client.and(walk_x_forwarded_for(headers, trusted));
        let proto = forwarded.proto.and(right_most(headers, &X_FORWARDED_PROTO, Proto::parse));
        let host = forwarded.host.and(right_most(headers, &X_FORWARDED_HOST, host_str));
        let port = right_most(headers, &X_FORWARDED_PORT, parse_port);
        Self {
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
}

impl ClientInfo<'_> {
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

/// Splits `host[:port]` (or `[v6][:port]`): a name of the characters a host name can have, or
/// an IPv6 address in brackets.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(literal) = host.strip_prefix('[') {
        let end = literal.find(']')?;
        if literal[..end].parse::<Ipv6Addr>().is_err() {
            return None;
        }
        let name = &host[..end + 2];
        match &literal[end + 1..] {
            "" => (name, None),
            rest => (name, Some(rest.strip_prefix(':')?)),
        }
    } else {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        };
        let plausible = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        if name.is_empty() || name.len() > 255 || !name.chars().all(plausible) {
            return None;
        }
        (name, port)
    };
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

/// The `Forwarded` header: the element naming the client, walked from the right.
fn walk_forwarded<'a>(headers: &'a dyn HeaderValues, trusted: &IpRanges) -> ForwardedSays<'a> {
    let mut walk = Walk::default();
    let mut last = None;
    headers.for_each_value(&FORWARDED, &mut |value| {
        for raw in Split::new(value, b',') {
            if raw.trim_ascii().is_empty() {
                continue;
            }
            let element = Element::parse(raw);
            if let Some(node) = element.for_ {
                walk.push(element, node.is_some_and(|addr| trusted.contains(addr)));
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
fn walk_x_forwarded_for(headers: &dyn HeaderValues, trusted: &IpRanges) -> Said<IpAddr> {
    let mut walk = Walk::default();
    headers.for_each_value(&X_FORWARDED_FOR, &mut |value| {
        for entry in value.split(|&b| b == b',') {
            let entry = entry.trim_ascii();
            if entry.is_empty() {
                continue;
            }
            let addr = node(entry);
            walk.push(addr, addr.is_some_and(|addr| trusted.contains(addr)));
        }
    });
    match walk.result() {
        None => Said::Silent,
        Some(Some(addr)) => Said::That(addr),
        Some(None) => Said::Unclear,
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
        let mut pairs = Split::new(raw, b';');
        for pair in &mut pairs {
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
        // A quoted-string left open swallowed the rest of the line: the elements the proxies
        // appended after a client's `x="` are in it, and the client's `for=` is not the client.
        malformed |= pairs.ended_quoted;
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
    /// Whether the value ended inside a quoted-string (known once the last part is out).
    ended_quoted: bool,
}

impl<'a> Split<'a> {
    fn new(value: &'a [u8], separator: u8) -> Self {
        Self { rest: Some(value), separator, ended_quoted: false }
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
        self.ended_quoted = quoted;
        Some(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Connection;
    use crate::access::testing::{NONE, behind_proxy, client_of, ip};

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
        // A quote the client leaves open swallows what its proxy appends to the line: unknown,
        // never the client's own `for=` (found by tests/forwarded.rs).
        assert_eq!(forwarded(r#"for=198.51.100.66;x=", for=203.0.113.7"#), None);
        assert_eq!(forwarded(r#"for=198.51.100.66, x=", for=203.0.113.7"#), None);
        assert_eq!(forwarded(r#"""for=", for=203.0.113.7"#), None, "not the proxy either");
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
        // Brackets only around an IPv6 address, colons only before a port (found by the
        // `forwarded` fuzz target: `https://fF]C_J` was an origin).
        for host in ["fF]C_J", "a[b", "::1", "a:b:8443", "[nope]", "[2001:db8::1", "[2001:db8::1]x"] {
            assert_eq!(origin("10.0.0.1", &https, Some(host)), None, "{host}");
        }
        let port = [("x-forwarded-proto", "http"), ("x-forwarded-port", "80")];
        assert_eq!(origin("10.0.0.1", &port, Some("internal:8080")).as_deref(), Some("http://internal"));
        let bad_port = [("x-forwarded-proto", "https"), ("x-forwarded-port", "https")];
        assert_eq!(origin("10.0.0.1", &bad_port, Some("hooks.example.com")), None);
    }

    #[cfg(feature = "http")]
    #[test]
    fn the_lines_of_a_header_map_are_one_list() {
        let mut map = http::HeaderMap::new();
        map.append("x-forwarded-for", http::HeaderValue::from_static("198.51.100.1"));
        map.append("X-Forwarded-For", http::HeaderValue::from_static("203.0.113.7"));
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
