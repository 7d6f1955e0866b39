//! What the layer knows about a request's connection, for the access controls.

use std::net::SocketAddr;

/// The connection a request arrived on: the peer's address, and whether this server terminated
/// TLS on it. The [access controls](hookwarden::Endpoint::ip_allowlist) need it, and a tower
/// service sees requests, not connections, so the server must say, in the request's extensions:
///
/// 1. a `ConnectionInfo`, inserted by the code that accepts connections (a hyper accept loop,
///    or a middleware that knows the listener is TLS);
/// 2. else, with the `axum` feature, axum's `ConnectInfo<SocketAddr>`, which `axum::serve`
///    inserts for `app.into_make_service_with_connect_info::<SocketAddr>()`: the peer, never
///    TLS (`axum::serve` does not terminate it).
///
/// Without either, a configured access control answers `500 peer_unknown`: it cannot tell who
/// is asking, and a 500 makes the sender retry until the receiver is fixed. The URI's scheme and
/// the forwarding headers come from the client, so only this says a request arrived over TLS.
///
/// # Example: a hyper accept loop behind a TLS acceptor
///
/// ```
/// use std::convert::Infallible;
/// use std::net::SocketAddr;
///
/// use hookwarden_tower::ConnectionInfo;
/// use tower::ServiceExt;
///
/// # async fn example(stream: tokio::net::TcpStream, peer: SocketAddr) {
/// let app = tower::service_fn(|_: http::Request<hyper::body::Incoming>| async {
///     Ok::<_, Infallible>(http::Response::new(String::new()))
/// });
/// // Per connection: every request on it carries the peer, and that the listener is TLS.
/// let info = ConnectionInfo::new(peer).tls(true);
/// let service = app.map_request(move |mut request: http::Request<hyper::body::Incoming>| {
///     request.extensions_mut().insert(info);
///     request
/// });
/// # let _ = (service, stream);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionInfo {
    peer_addr: SocketAddr,
    tls: bool,
}

impl ConnectionInfo {
    /// A plain TCP connection from `peer_addr`.
    pub fn new(peer_addr: SocketAddr) -> Self {
        Self { peer_addr, tls: false }
    }

    /// Whether the connection is TLS, terminated by this server (default: no).
    #[must_use]
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// The socket peer's address.
    pub fn peer_addr(&self) -> SocketAddr {
        self.peer_addr
    }

    /// Whether the connection is TLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// What the request's extensions say about its connection.
    pub(crate) fn of(extensions: &http::Extensions) -> Option<Self> {
        if let Some(info) = extensions.get::<Self>() {
            return Some(*info);
        }
        #[cfg(feature = "axum")]
        if let Some(axum::extract::ConnectInfo(peer)) =
            extensions.get::<axum::extract::ConnectInfo<SocketAddr>>()
        {
            return Some(Self::new(*peer));
        }
        None
    }
}
