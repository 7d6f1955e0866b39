//! The forwarding headers against a model of the walk from the right.
//!
//! A delivery travels from a client through a chain of proxies to the receiver, which trusts
//! the proxies in 10.0.0.0/8 and fd00::/8. Each proxy appends the address it received the
//! request from to `X-Forwarded-For`, to `Forwarded` (an element `for=...`, with the protocol it
//! was called with), or to both, in the same header line or a new one; the last proxy is the
//! socket peer. The model reads the hops, not the headers (see [`model`]).
//!
//! To the left of its own entry the client writes what it likes: lists of addresses, `unknown`
//! and obfuscated names in the first properties; raw text in the last ones, which must never
//! let it choose its address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hookwarden::access::{AccessPolicy, ClientInfo, Connection, IpRanges, Proto};
use hookwarden::headers::HeaderValues;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// The receiver's policy: the proxies in 10.0.0.0/8 and fd00::/8 are trusted.
fn policy() -> AccessPolicy {
    AccessPolicy::new().trusted_proxies(IpRanges::parse(["10.0.0.0/8", "fd00::/8"]).unwrap())
}

/// One entry of a forwarding list, as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Addr(IpAddr),
    /// `unknown`.
    Unknown,
    /// An obfuscated name, `_hidden`.
    Obfuscated,
}

/// An entry and how it is written.
#[derive(Debug, Clone)]
struct Entry {
    node: Node,
    /// A port after the address (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
    port: Option<u16>,
    /// An IPv4 address written IPv4-mapped (`::ffff:192.0.2.1`).
    mapped: bool,
    /// The protocol in its `Forwarded` element (`;proto=...`).
    proto: Option<Proto>,
    /// Whether the entry starts a new header line rather than joining the last one.
    new_line: bool,
    /// `", "`, `","` or `" ,  "` before it in a line; `For=` rather than `for=` when odd.
    spelling: u8,
}

impl Entry {
    fn node_text(&self) -> String {
        match self.node {
            Node::Unknown => "unknown".to_owned(),
            Node::Obfuscated => "_hidden".to_owned(),
            Node::Addr(addr) => {
                let addr = match addr {
                    IpAddr::V4(v4) if self.mapped => IpAddr::V6(v4.to_ipv6_mapped()),
                    addr => addr,
                };
                match (addr, self.port) {
                    (addr, None) => addr.to_string(),
                    (IpAddr::V4(v4), Some(port)) => format!("{v4}:{port}"),
                    (IpAddr::V6(v6), Some(port)) => format!("[{v6}]:{port}"),
                }
            }
        }
    }

    fn x_forwarded_for(&self) -> String {
        self.node_text()
    }

    fn forwarded(&self) -> String {
        let node = self.node_text();
        // RFC 7239: a node with a colon (IPv6, a port) is a quoted-string, in brackets if IPv6.
        let node = match self.node {
            Node::Addr(IpAddr::V6(_)) if self.port.is_none() && !self.mapped => format!("\"[{node}]\""),
            Node::Addr(IpAddr::V4(_)) if self.mapped && self.port.is_none() => format!("\"[{node}]\""),
            _ if node.contains(':') => format!("\"{node}\""),
            _ => node,
        };
        let name = if self.spelling % 2 == 1 { "For" } else { "for" };
        match self.proto {
            None => format!("{name}={node}"),
            Some(proto) => format!("{name}={node};proto={}", proto.as_str()),
        }
    }

    fn separator(&self) -> &'static str {
        [", ", ",", " ,  "][usize::from(self.spelling / 2 % 3)]
    }
}

/// Appends `entries` to the header `lines`, each written by `write`.
fn append(lines: &mut Vec<String>, entries: &[Entry], write: fn(&Entry) -> String) {
    for entry in entries {
        match lines.last_mut() {
            Some(line) if !entry.new_line => {
                line.push_str(entry.separator());
                line.push_str(&write(entry));
            }
            _ => lines.push(write(entry)),
        }
    }
}

/// Whether the receiver trusts `addr`: the model's own test, not `IpRanges`.
fn is_trusted(addr: IpAddr) -> bool {
    match addr.to_canonical() {
        IpAddr::V4(v4) => v4.octets()[0] == 10,
        IpAddr::V6(v6) => v6.octets()[0] == 0xfd,
    }
}

/// The model of the walk from the right.
mod model {
    use super::*;

    /// What one header says of the client.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) enum Says {
        Silent,
        That(IpAddr),
        Unclear,
    }

    /// The entry naming the client: the right-most that is not a trusted proxy, or the
    /// left-most when all of them are.
    pub(super) fn named(list: &[Entry]) -> Option<&Entry> {
        let untrusted = list.iter().rposition(|entry| !matches!(entry.node, Node::Addr(a) if is_trusted(a)));
        list.get(untrusted.unwrap_or(0))
    }

    pub(super) fn says(list: &[Entry]) -> Says {
        match named(list).map(|entry| entry.node) {
            None => Says::Silent,
            Some(Node::Addr(addr)) => Says::That(addr),
            Some(Node::Unknown | Node::Obfuscated) => Says::Unclear,
        }
    }

    /// Both headers: either alone, or both when they agree (the module docs: "both must name
    /// the same client, or it is unknown").
    pub(super) fn both(a: Says, b: Says) -> Says {
        match (a, b) {
            (Says::Silent, said) | (said, Says::Silent) => said,
            (Says::That(a), Says::That(b)) if a == b => Says::That(a),
            _ => Says::Unclear,
        }
    }

    /// The client: the socket peer, unless it is a trusted proxy; then what the lists say, or
    /// the peer when they say nothing.
    pub(super) fn client(peer: IpAddr, x_forwarded_for: &[Entry], forwarded: &[Entry]) -> Option<IpAddr> {
        if !is_trusted(peer) {
            return Some(peer);
        }
        match both(says(x_forwarded_for), says(forwarded)) {
            Says::Silent => Some(peer),
            Says::That(addr) => Some(addr),
            Says::Unclear => None,
        }
    }

    /// The protocol: the connection's own from an untrusted peer (plain TCP here); else the one
    /// in the `Forwarded` element naming the client (no `X-Forwarded-Proto` is sent).
    pub(super) fn proto(peer: IpAddr, forwarded: &[Entry]) -> Option<Proto> {
        if !is_trusted(peer) {
            return Some(Proto::Http);
        }
        named(forwarded).and_then(|entry| entry.proto)
    }
}

fn trusted_addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 3]>().prop_map(|[a, b, c]| IpAddr::V4(Ipv4Addr::new(10, a, b, c))),
        any::<u16>().prop_map(|x| IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, x))),
    ]
}

fn untrusted_addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u8>().prop_map(|d| IpAddr::V4(Ipv4Addr::new(203, 0, 113, d))),
        any::<u8>().prop_map(|d| IpAddr::V4(Ipv4Addr::new(198, 51, 100, d))),
        any::<u16>().prop_map(|x| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, x))),
    ]
}

fn addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![trusted_addr(), untrusted_addr()]
}

fn entry(node: impl Strategy<Value = Node>) -> impl Strategy<Value = Entry> {
    let proto = proptest::option::of(prop_oneof![Just(Proto::Http), Just(Proto::Https)]);
    (
        node,
        proptest::option::of(1..=u16::MAX),
        any::<bool>(),
        proto,
        proptest::bool::weighted(0.3),
        any::<u8>(),
    )
        .prop_map(|(node, port, mapped, proto, new_line, spelling)| Entry {
            node,
            port,
            mapped: mapped && matches!(node, Node::Addr(IpAddr::V4(_))),
            proto,
            new_line,
            spelling,
        })
}

/// A hop: always an address.
fn hop(addr: impl Strategy<Value = IpAddr>) -> impl Strategy<Value = Entry> {
    entry(addr.prop_map(Node::Addr))
}

/// What a client may write into a list about itself: addresses (trusted ones too), `unknown`,
/// obfuscated names.
fn forged_entry() -> impl Strategy<Value = Entry> {
    entry(prop_oneof![
        4 => addr().prop_map(Node::Addr),
        1 => Just(Node::Unknown),
        1 => Just(Node::Obfuscated),
    ])
}

/// Which headers the proxies write.
#[derive(Debug, Clone, Copy)]
enum Writes {
    XForwardedFor,
    Forwarded,
    Both,
}

/// A delivery: what the client sent, and the hops it went through.
#[derive(Debug, Clone)]
struct Delivery {
    /// The client's own `X-Forwarded-For` and `Forwarded` lists, if it sent them.
    sent_x_forwarded_for: Option<Vec<Entry>>,
    sent_forwarded: Option<Vec<Entry>>,
    /// The client, then each proxy; the last is the socket peer. Proxy `k` appends hop `k - 1`.
    hops: Vec<Entry>,
    writes: Writes,
}

impl Delivery {
    fn peer(&self) -> IpAddr {
        match self.hops.last().map(|hop| hop.node) {
            Some(Node::Addr(addr)) => addr,
            _ => unreachable!("hops are addresses"),
        }
    }

    /// The entries the proxies appended.
    fn appended(&self) -> &[Entry] {
        &self.hops[..self.hops.len() - 1]
    }

    /// The `X-Forwarded-For` and `Forwarded` lists the receiver gets, as the model sees them.
    fn lists(&self) -> (Vec<Entry>, Vec<Entry>) {
        let list = |sent: &Option<Vec<Entry>>, written: bool| {
            let mut list = sent.clone().unwrap_or_default();
            if written {
                list.extend_from_slice(self.appended());
            }
            list
        };
        let (xff, forwarded) = match self.writes {
            Writes::XForwardedFor => (true, false),
            Writes::Forwarded => (false, true),
            Writes::Both => (true, true),
        };
        (list(&self.sent_x_forwarded_for, xff), list(&self.sent_forwarded, forwarded))
    }

    /// The header lines the receiver gets.
    fn headers(&self) -> Vec<(&'static str, String)> {
        let (xff, forwarded) = self.lists();
        let lines = |name: &'static str, sent: &Option<Vec<Entry>>, list: &[Entry], write| {
            // A client that sent the header with no entry sent one empty line.
            let mut lines =
                if sent.as_ref().is_some_and(Vec::is_empty) { vec![String::new()] } else { vec![] };
            append(&mut lines, list, write);
            lines.into_iter().map(move |line| (name, line))
        };
        lines("x-forwarded-for", &self.sent_x_forwarded_for, &xff, Entry::x_forwarded_for)
            .chain(lines("forwarded", &self.sent_forwarded, &forwarded, Entry::forwarded))
            .collect()
    }
}

fn delivery() -> impl Strategy<Value = Delivery> {
    let sent = || proptest::option::weighted(0.3, vec(forged_entry(), 0..4));
    let writes = prop_oneof![Just(Writes::XForwardedFor), Just(Writes::Forwarded), Just(Writes::Both)];
    (sent(), sent(), hop(addr()), vec(hop(addr()), 0..5), writes).prop_map(
        |(sent_x_forwarded_for, sent_forwarded, client, proxies, writes)| Delivery {
            sent_x_forwarded_for,
            sent_forwarded,
            hops: std::iter::once(client).chain(proxies).collect(),
            writes,
        },
    )
}

fn client_of<H: HeaderValues>(peer: IpAddr, headers: &H) -> ClientInfo<'_> {
    policy().client(&Connection::new(Some(peer), headers))
}

/// Pieces of what a client may write in a raw header line: quotes and escapes included.
const FRAGMENTS: &[&str] = &[
    "for=",
    "For=",
    "proto=https",
    "host=",
    "by=",
    "203.0.113.66",
    "\"[2001:db8::66]\"",
    ":80",
    "\"",
    "\\",
    ",",
    ";",
    "=",
    " ",
    "unknown",
    "_x",
    "10.0.0.66",
    "a",
];

fn raw_line() -> impl Strategy<Value = String> {
    vec(select(FRAGMENTS), 0..12).prop_map(|fragments| fragments.concat())
}

/// Whether `line` ends inside a quoted-string (where `\` escapes the next character).
fn ends_quoted(line: &str) -> bool {
    let (mut quoted, mut escaped) = (false, false);
    for c in line.chars() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        }
    }
    quoted
}

/// A client that writes a raw line, then proxies that append to it: `(raw, hops)` where the
/// client is not trusted and the socket peer (the last hop) is.
fn raw_delivery() -> impl Strategy<Value = (String, Vec<Entry>)> {
    (raw_line(), hop(untrusted_addr()), vec(hop(addr()), 0..4), hop(trusted_addr())).prop_map(
        |(raw, client, proxies, peer)| {
            (raw, std::iter::once(client).chain(proxies).chain(std::iter::once(peer)).collect())
        },
    )
}

/// The right-most untrusted hop the proxies wrote (the client at the latest), and its index.
fn right_most_untrusted(hops: &[Entry]) -> (usize, IpAddr) {
    let appended = &hops[..hops.len() - 1];
    appended
        .iter()
        .enumerate()
        .rev()
        .find_map(|(at, hop)| match hop.node {
            Node::Addr(addr) if !is_trusted(addr) => Some((at, addr)),
            _ => None,
        })
        .expect("the client is not trusted")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any chain, any lists the client sent, either header or both: the client the model finds.
    #[test]
    fn the_walk_finds_the_client_the_model_finds(delivery in delivery()) {
        let headers = delivery.headers();
        let (xff, forwarded) = delivery.lists();
        let peer = delivery.peer();
        let client = client_of(peer, &headers);
        prop_assert_eq!(client.addr(), model::client(peer, &xff, &forwarded), "{:?}", headers);
        prop_assert_eq!(client.proto(), model::proto(peer, &forwarded), "{:?}", headers);
        prop_assert_eq!(client.via_proxy(), is_trusted(peer));
        // The same twice.
        prop_assert_eq!(client_of(peer, &headers), client);
    }

    /// One chain written in both headers: they agree, and name the client either alone names.
    #[test]
    fn both_headers_from_one_chain_agree(mut delivery in delivery()) {
        delivery.sent_forwarded.clone_from(&delivery.sent_x_forwarded_for);
        delivery.writes = Writes::Both;
        let headers = delivery.headers();
        let (xff, forwarded) = delivery.lists();
        let peer = delivery.peer();
        let expected = model::client(peer, &xff, &[]);
        prop_assert_eq!(model::client(peer, &[], &forwarded), expected);
        prop_assert_eq!(client_of(peer, &headers).addr(), expected, "{:?}", headers);
        for name in ["x-forwarded-for", "forwarded"] {
            let alone: Vec<_> = headers.iter().filter(|(n, _)| *n == name).cloned().collect();
            prop_assert_eq!(client_of(peer, &alone).addr(), expected, "{:?}", alone);
        }
    }

    /// A trusted proxy passes the other header through from the client: when the client's copy
    /// names someone else, the client is unknown.
    #[test]
    fn disagreeing_headers_make_the_client_unknown(
        mut delivery in delivery(),
        peer in hop(trusted_addr()),
        forged in vec(forged_entry(), 1..4),
        forwarded_forged in any::<bool>(),
    ) {
        delivery.hops.push(peer);
        delivery.writes = if forwarded_forged { Writes::XForwardedFor } else { Writes::Forwarded };
        delivery.sent_x_forwarded_for = None;
        delivery.sent_forwarded = None;
        let honest = model::says(delivery.appended());
        if forwarded_forged {
            delivery.sent_forwarded = Some(forged);
        } else {
            delivery.sent_x_forwarded_for = Some(forged);
        }
        let (xff, forwarded) = delivery.lists();
        let forged = model::says(if forwarded_forged { &forwarded } else { &xff });
        let peer = delivery.peer();
        prop_assume!(forged != honest);
        let headers = delivery.headers();
        prop_assert_eq!(client_of(peer, &headers).addr(), None, "{:?}", headers);
    }

    /// A client that writes raw text into `X-Forwarded-For` cannot choose its address: the
    /// right-most untrusted hop the proxies wrote is the client.
    #[test]
    fn raw_x_forwarded_for_text_cannot_choose_the_client((raw, hops) in raw_delivery()) {
        let mut lines = vec![raw];
        append(&mut lines, &hops[..hops.len() - 1], Entry::x_forwarded_for);
        let headers: Vec<_> = lines.into_iter().map(|line| ("x-forwarded-for", line)).collect();
        let Node::Addr(peer) = hops[hops.len() - 1].node else { unreachable!() };
        let (_, expected) = right_most_untrusted(&hops);
        prop_assert_eq!(client_of(peer, &headers).addr(), Some(expected), "{:?}", headers);
    }

    /// The same for `Forwarded`, where a quoted-string the client leaves open swallows what the
    /// proxies append to its line: then the client is unknown, never the client's choice.
    #[test]
    fn raw_forwarded_text_cannot_choose_the_client((raw, hops) in raw_delivery()) {
        let open = ends_quoted(&raw);
        let mut lines = vec![raw];
        let appended = &hops[..hops.len() - 1];
        append(&mut lines, appended, Entry::forwarded);
        let headers: Vec<_> = lines.into_iter().map(|line| ("forwarded", line)).collect();
        let Node::Addr(peer) = hops[hops.len() - 1].node else { unreachable!() };
        let (at, addr) = right_most_untrusted(&hops);
        let swallowed = open && appended[..=at].iter().all(|hop| !hop.new_line);
        let expected = if swallowed { None } else { Some(addr) };
        prop_assert_eq!(client_of(peer, &headers).addr(), expected, "{:?}", headers);
    }
}

/// What the property tests found: a client's unterminated quoted-string used to swallow the
/// element its proxy appended to the same line, so the client's own `for=` was believed.
#[test]
fn an_unterminated_quote_does_not_hide_the_proxys_element() {
    let peer: IpAddr = "10.0.0.1".parse().unwrap();
    for sent in [r#"for=198.51.100.66;x=""#, r#"for=198.51.100.66;host="a\""#, r#"for=198.51.100.66, x=""#] {
        let headers = [("forwarded", format!("{sent}, for=203.0.113.7"))];
        let headers = headers.to_vec();
        assert_eq!(client_of(peer, &headers).addr(), None, "{sent}");
        // On a line of its own, the proxy's element is read as usual.
        let lines = vec![("forwarded", sent.to_owned()), ("forwarded", "for=203.0.113.7".to_owned())];
        assert_eq!(client_of(peer, &lines).addr(), Some("203.0.113.7".parse().unwrap()), "{sent}");
    }
}
