//! The policy: what an adapter knows of the connection, and who may deliver.

use std::fmt;
use std::net::IpAddr;

use super::{ClientInfo, IpRanges, Proto};
use crate::error::VerifyError;
use crate::headers::HeaderValues;

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

/// Who may deliver: an optional IP allowlist, an optional HTTPS requirement, and the proxies
/// whose forwarding headers are believed. See the [module](super) docs.
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
    /// forwarding headers. See the [module](super) docs.
    pub fn client<'a>(&self, connection: &Connection<'a>) -> ClientInfo<'a> {
        let own_proto = if connection.tls { Proto::Https } else { Proto::Http };
        let Some(peer) = connection.peer else {
            // Without a peer nothing says whether forwarding headers may be believed: the
            // connection's own protocol is all there is, and only when no proxy is expected.
            let proto = (connection.tls || self.trusted_proxies.is_empty()).then_some(own_proto);
            return ClientInfo::direct(None, proto);
        };
        if !self.trusts(peer) {
            return ClientInfo::direct(Some(peer), Some(own_proto));
        }
        ClientInfo::forwarded(peer, connection.headers, &self.trusted_proxies)
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
    pub fn check<'a>(&self, connection: &Connection<'a>) -> Result<ClientInfo<'a>, VerifyError> {
        let client = self.client(connection);
        if let Some(allow) = &self.allow {
            if connection.peer.is_none() {
                return Err(VerifyError::PeerUnknown);
            }
            match client.addr() {
                Some(addr) if allow.contains(addr) => {}
                addr => return Err(VerifyError::IpNotAllowed { client: addr }),
            }
        }
        if self.require_https && client.proto() != Some(Proto::Https) {
            return Err(match client.proto() {
                None if connection.peer.is_none() => VerifyError::PeerUnknown,
                _ => VerifyError::HttpsRequired,
            });
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::testing::{NONE, behind_proxy, client_of, ip, ranges};

    #[test]
    fn the_peer_is_canonical() {
        let connection = Connection::new(Some(ip("::ffff:10.0.0.1")), &NONE);
        assert_eq!(connection.peer(), Some(ip("10.0.0.1")));
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
}
