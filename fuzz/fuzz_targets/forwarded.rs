//! The access controls on arbitrary forwarding headers. A client sends any headers it likes
//! (mostly `Forwarded`, `X-Forwarded-For`, `-Proto`, `-Host`, `-Port`, with any bytes), then a
//! chain of proxies appends the hop before it to `X-Forwarded-For`, `Forwarded` or both, in the
//! same line or a new one; the last proxy is the socket peer. The trusted set and the allowlist
//! are the input's too. Beyond not panicking:
//!
//! - `client` and `check` answer the same twice, from name/value pairs and from a `HeaderMap`;
//!   `check` passes only a client the allowlist contains, over HTTPS when required, and refuses
//!   with a 403 (or a 500 `peer_unknown`, only without a peer);
//! - from a peer that is not trusted, the client is the peer and there is no origin;
//! - the client is the peer or an address written in a forwarding header;
//! - when a hop the proxies wrote is not trusted, the client is the right-most such hop, or
//!   unknown: never something the client wrote, and never a trusted proxy;
//! - a forwarded origin is `http(s)://host[:port]` with the client's protocol, a host that is a
//!   name or a bracketed IPv6 address, and a port that is a number other than the default.

#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use arbitrary::Arbitrary;
use hookwarden::access::{AccessPolicy, ClientInfo, Connection, IpRange, IpRanges, Proto};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Trusted proxies besides 10.0.0.0/8 and fd00::/8.
    trusted: Vec<Range>,
    allow: Option<Vec<Range>>,
    require_https: bool,
    tls: bool,
    /// What the client sent itself: any headers, then a line of each list the proxies append
    /// to (last, so that the first proxy may join it).
    sent: Vec<(Name, Vec<u8>)>,
    sent_x_forwarded_for: Option<Vec<u8>>,
    sent_forwarded: Option<Vec<u8>>,
    /// The client, then the proxies it went through: proxy `k` appends the hop before it (the
    /// client first). The last is the socket peer: the client itself when there is no proxy.
    client: Hop,
    proxies: Vec<Proxy>,
    /// Bit 0: the proxies write `X-Forwarded-For`; bit 1: `Forwarded`.
    writes: u8,
    /// The adapter does not know the peer.
    peer_unknown: bool,
    request_host: Option<String>,
}

/// An address: mostly from a pool of trusted ones (by the base ranges) and one of others, in
/// several spellings.
#[derive(Debug, Clone, Arbitrary)]
enum Addr {
    Trusted(u8),
    Other(u8),
    V4(u32),
    V6(u128),
}

const TRUSTED: &[&str] = &["10.0.0.1", "10.1.2.3", "::ffff:10.0.0.2", "fd00::1"];
const OTHERS: &[&str] =
    &["203.0.113.7", "198.51.100.1", "::ffff:203.0.113.9", "2001:db8::7", "127.0.0.1", "::1"];

impl Addr {
    fn get(&self) -> IpAddr {
        let pick = |pool: &[&str], i: u8| pool[usize::from(i) % pool.len()].parse().expect("the pools parse");
        match self {
            Self::Trusted(i) => pick(TRUSTED, *i),
            Self::Other(i) => pick(OTHERS, *i),
            Self::V4(bits) => IpAddr::V4(Ipv4Addr::from(*bits)),
            Self::V6(bits) => IpAddr::V6(Ipv6Addr::from(*bits)),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Range {
    Pool(u8),
    Raw(Addr, u8),
}

const RANGES: &[&str] =
    &["10.0.0.0/8", "fd00::/8", "203.0.113.0/24", "::ffff:10.0.0.0/104", "0.0.0.0/0", "::/0", "127.0.0.1"];

impl Range {
    fn get(&self) -> Option<IpRange> {
        match self {
            Self::Pool(i) => RANGES[usize::from(*i) % RANGES.len()].parse().ok(),
            Self::Raw(addr, prefix) => IpRange::new(addr.get(), *prefix).ok(),
        }
    }
}

fn ranges(ranges: &[Range]) -> IpRanges {
    ranges.iter().filter_map(Range::get).collect()
}

/// A header name: mostly one the access controls read, in any case.
#[derive(Debug, Arbitrary)]
enum Name {
    Pool(u8),
    Raw(String),
}

const NAMES: &[&str] = &[
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
];

impl Name {
    fn as_str(&self) -> &str {
        match self {
            Self::Pool(i) => NAMES[usize::from(*i) % NAMES.len()],
            Self::Raw(name) => name,
        }
    }
}

/// A proxy: mostly a trusted one.
#[derive(Debug, Arbitrary)]
enum Proxy {
    Trusted { pool: u8, port: Option<u16>, proto: Option<bool>, new_line: bool },
    Any(Hop),
}

impl Proxy {
    fn hop(&self) -> Hop {
        match *self {
            Self::Trusted { pool, port, proto, new_line } => {
                Hop { addr: Addr::Trusted(pool), port, proto, new_line }
            }
            Self::Any(ref hop) => hop.clone(),
        }
    }
}

#[derive(Debug, Clone, Arbitrary)]
struct Hop {
    addr: Addr,
    port: Option<u16>,
    /// The protocol in its `Forwarded` element: https, http or none.
    proto: Option<bool>,
    /// Whether the proxy that writes this hop starts a new line rather than joining the last.
    new_line: bool,
}

impl Hop {
    /// The node as `X-Forwarded-For` has it.
    fn node(&self) -> String {
        match (self.addr.get(), self.port) {
            (addr, None) => addr.to_string(),
            (IpAddr::V4(v4), Some(port)) => format!("{v4}:{port}"),
            (IpAddr::V6(v6), Some(port)) => format!("[{v6}]:{port}"),
        }
    }

    /// The element as `Forwarded` has it (RFC 7239: brackets for IPv6, quotes around a colon).
    fn element(&self) -> String {
        let node = match (self.addr.get(), self.port) {
            (IpAddr::V4(v4), None) => v4.to_string(),
            (IpAddr::V4(v4), Some(port)) => format!("\"{v4}:{port}\""),
            (IpAddr::V6(v6), None) => format!("\"[{v6}]\""),
            (IpAddr::V6(v6), Some(port)) => format!("\"[{v6}]:{port}\""),
        };
        match self.proto {
            None => format!("for={node}"),
            Some(https) => format!("for={node};proto={}", if https { "https" } else { "http" }),
        }
    }
}

/// Appends `entry` to the last line of the header `name`, or adds a line.
fn append(headers: &mut Vec<(String, Vec<u8>)>, name: &str, entry: String, new_line: bool) {
    let last = headers.iter_mut().rev().find(|(n, _)| n.eq_ignore_ascii_case(name));
    match last {
        Some((_, line)) if !new_line => {
            line.extend_from_slice(b", ");
            line.extend_from_slice(entry.as_bytes());
        }
        _ => headers.push((name.to_owned(), entry.into_bytes())),
    }
}

/// Every address written in `headers`' forwarding lists, however it is spelled: each run of
/// characters an address or port can have, parsed as it is or without a `:port` at its end.
fn written(headers: &[(String, Vec<u8>)]) -> Vec<IpAddr> {
    let lists = headers.iter().filter(|(name, _)| {
        name.eq_ignore_ascii_case("forwarded") || name.eq_ignore_ascii_case("x-forwarded-for")
    });
    let mut found = Vec::new();
    for (_, value) in lists {
        for run in value.split(|b| !(b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))) {
            let Ok(run) = std::str::from_utf8(run) else { continue };
            let without_port = run.rsplit_once(':').map(|(addr, _)| addr);
            for text in std::iter::once(run).chain(without_port) {
                if let Ok(addr) = text.parse::<IpAddr>() {
                    found.push(addr.to_canonical());
                }
            }
        }
    }
    found
}

/// Checks a forwarded origin's shape.
fn check_origin(origin: &str, client: &ClientInfo<'_>) {
    let proto = client.proto().expect("an origin has a protocol");
    let authority = origin
        .strip_prefix(proto.as_str())
        .and_then(|rest| rest.strip_prefix("://"))
        .unwrap_or_else(|| panic!("{origin:?} does not start with {}://", proto.as_str()));
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (v6, after) = v6.split_once(']').unwrap_or_else(|| panic!("{origin:?}: an open bracket"));
            assert!(v6.parse::<Ipv6Addr>().is_ok(), "{origin:?}: not an IPv6 address in brackets");
            (v6, after.strip_prefix(':'))
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    assert!(
        !host.is_empty()
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')),
        "{origin:?}: not a host name"
    );
    if let Some(port) = port {
        let port: u16 = port.parse().unwrap_or_else(|_| panic!("{origin:?}: the port is not a number"));
        let default = if proto == Proto::Https { 443 } else { 80 };
        assert_ne!(port, default, "{origin:?}: the default port is written");
    }
}

fuzz_target!(|input: Input| {
    let mut trusted = ranges(&input.trusted);
    trusted.extend(
        ["10.0.0.0/8", "fd00::/8"].map(|range| range.parse::<IpRange>().expect("the base ranges parse")),
    );
    let mut policy = AccessPolicy::new().trusted_proxies(trusted).require_https(input.require_https);
    if let Some(allow) = &input.allow {
        policy = policy.allow_ips(ranges(allow));
    }

    // The client's headers, then what each proxy appends.
    let lists = [("x-forwarded-for", &input.sent_x_forwarded_for), ("forwarded", &input.sent_forwarded)];
    let lists = lists.into_iter().filter_map(|(name, line)| Some((name.to_owned(), line.clone()?)));
    let sent = input.sent.iter().map(|(name, value)| (name.as_str().to_owned(), value.clone()));
    let mut headers: Vec<(String, Vec<u8>)> = sent.chain(lists).collect();
    let hops: Vec<Hop> =
        std::iter::once(input.client.clone()).chain(input.proxies.iter().map(Proxy::hop)).collect();
    let appended = &hops[..hops.len() - 1];
    for hop in appended {
        if input.writes & 1 != 0 {
            append(&mut headers, "x-forwarded-for", hop.node(), hop.new_line);
        }
        if input.writes & 2 != 0 {
            append(&mut headers, "forwarded", hop.element(), hop.new_line);
        }
    }
    let peer = hops.last().filter(|_| !input.peer_unknown).map(|hop| hop.addr.get().to_canonical());

    let connection = Connection::new(peer, &headers).tls(input.tls);
    let client = policy.client(&connection);
    assert_eq!(client, policy.client(&connection), "not deterministic");
    let request_host = input.request_host.as_deref();
    let origin = client.origin(request_host);

    // Who the client is.
    let via_proxy = peer.is_some_and(|peer| policy.trusts(peer));
    assert_eq!(client.via_proxy(), via_proxy);
    if !via_proxy {
        assert_eq!(client.addr(), peer, "not the peer, from a peer that is not trusted");
        assert_eq!(origin, None, "an origin from a peer that is not trusted");
    }
    if let Some(addr) = client.addr() {
        assert!(
            Some(addr) == peer || written(&headers).contains(&addr),
            "{addr} is neither the peer nor written in a forwarding header: {headers:?}"
        );
    }
    // The proxies wrote an untrusted hop: the right-most is the client, or nobody can tell.
    let honest = if input.writes & 3 != 0 { appended } else { &[] };
    let untrusted =
        honest.iter().map(|hop| hop.addr.get().to_canonical()).rfind(|addr| !policy.trusts(*addr));
    if let (true, Some(hop)) = (via_proxy, untrusted) {
        assert!(
            client.addr().is_none_or(|addr| addr == hop),
            "{:?} rather than the right-most untrusted hop {hop}: {headers:?}",
            client.addr()
        );
    }
    if let Some(origin) = &origin {
        check_origin(origin, &client);
    }

    // The decision.
    let checked = policy.check(&connection);
    assert_eq!(checked, policy.check(&connection), "not deterministic");
    match checked {
        Ok(passed) => {
            assert_eq!(passed, client);
            if let Some(allow) = policy.allowlist() {
                assert!(client.addr().is_some_and(|addr| allow.contains(addr)), "{client:?} let in");
            }
            if policy.https_required() {
                assert_eq!(client.proto(), Some(Proto::Https), "{client:?} let in without HTTPS");
            }
        }
        Err(error) => match error.reason() {
            "ip_not_allowed" | "https_required" => assert_eq!(error.status(), 403),
            "peer_unknown" => assert!(peer.is_none() && error.status() == 500, "{error:?}"),
            _ => panic!("access refused with {error:?}"),
        },
    }

    // The same headers in an `http::HeaderMap`, where they can be one.
    let mut map = http::HeaderMap::new();
    for (name, value) in &headers {
        let (Ok(name), Ok(value)) =
            (http::HeaderName::from_bytes(name.as_bytes()), http::HeaderValue::from_bytes(value))
        else {
            return;
        };
        map.append(name, value);
    }
    let from_map = policy.client(&Connection::new(peer, &map).tls(input.tls));
    assert_eq!(
        (from_map.addr(), from_map.proto(), from_map.via_proxy(), from_map.origin(request_host)),
        (client.addr(), client.proto(), client.via_proxy(), origin),
        "name/value pairs and HeaderMap disagree"
    );
});
