//! What the layer knows about a request's connection, for the access controls.

use std::net::SocketAddr;

/// The connection a request arrived on: the socket peer's address, and whether it arrived over
/// TLS. The layer reads it from the request's extensions for its
/// [access controls](hookwarden::Endpoint::ip_allowlist).
///
/// A tower service sees requests, not connections, so the server must say. The layer looks for,
/// in order:
///
/// 1. a `ConnectionInfo` in the request's extensions, which the code that accepts connections
///    inserts (a hyper accept loop, or a middleware that knows the listener is TLS);
/// 2. with the `axum` feature, axum's `ConnectInfo<SocketAddr>`, which `axum::serve` inserts
///    when the app is served with
///    `app.into_make_service_with_connect_info::<SocketAddr>()`; that tells the peer, but not
///    TLS (`axum::serve` does not terminate TLS).
///
/// Without either, the peer is unknown: a configured IP allowlist then answers
/// `500 {"reason":"peer_unknown"}` for every request (it cannot tell who is asking, and a 500
/// makes the sender retry until the receiver is fixed). A request is only ever TLS by what the
/// server says here: the request's URI scheme and the `Forwarded` headers come from the client
/// (an absolute-form request line, HTTP/2's `:scheme`), so they prove nothing.
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
