//! How the peer and the connection reach the layer's access controls, through real servers on
//! loopback: without axum's `ConnectInfo`, from a TLS acceptor's `ConnectionInfo`, and in front
//! of a bare tower service.
//!
//! The access controls themselves (IP allowlist, HTTPS requirement, trusted proxies, the public
//! URL a trusted proxy reports) are rows of the workspace's HTTP matrix, `tests/http_matrix`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use hookwarden::Endpoint;
use hookwarden::access::IpRanges;
use hookwarden::{FixedClock, Message, SignedHeaders, Verifier, preset};
use hookwarden_tower::{ConnectionInfo, WebhookVerifyLayer};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::net::TcpListener;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"invoice.paid"}"#;

fn verifier() -> Verifier {
    Verifier::builder(preset::StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap()
}

fn ranges(list: &[&str]) -> IpRanges {
    IpRanges::parse(list).unwrap()
}

fn signed(body: &[u8]) -> SignedHeaders {
    verifier().sign(&Message::new(body).id("msg_access")).unwrap()
}

struct Server {
    addr: SocketAddr,
    calls: Arc<AtomicUsize>,
}

impl Server {
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn app(layer: WebhookVerifyLayer, calls: &Arc<AtomicUsize>) -> Router {
    let calls = Arc::clone(calls);
    Router::new()
        .route(
            "/hook",
            post(move |_: Bytes| async move {
                calls.fetch_add(1, Ordering::SeqCst);
                "handled"
            }),
        )
        .route_layer(layer)
}

/// Serves `POST /hook` behind `layer`, without axum's `ConnectInfo<SocketAddr>`: the layer
/// cannot know the peer.
async fn serve_without_connect_info(layer: WebhookVerifyLayer) -> Server {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app(layer, &calls);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { addr, calls }
}

/// A hyper accept loop that inserts a [`ConnectionInfo`] into every request, as a TLS
/// acceptor's loop would (with `tls`).
fn serve_with_connection_info(listener: TcpListener, app: Router, tls: bool) {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;
    tokio::spawn(async move {
        loop {
            let (stream, peer) = listener.accept().await.unwrap();
            let info = ConnectionInfo::new(peer).tls(tls);
            let service =
                app.clone().map_request(move |mut request: http::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(info);
                    request
                });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)),
            );
        }
    });
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    body: Bytes,
}

impl Answer {
    #[track_caller]
    fn assert_rejected(&self, status: u16, reason: &str) {
        assert_eq!(self.status.as_u16(), status, "{self:?}");
        assert_eq!(self.body, format!(r#"{{"reason":"{reason}"}}"#), "{self:?}");
    }

    #[track_caller]
    fn assert_handled(&self) {
        assert_eq!((self.status, &self.body[..]), (StatusCode::OK, &b"handled"[..]), "{self:?}");
    }
}

/// Posts `body` with the signed `headers` to `/hook`.
async fn send(addr: SocketAddr, headers: &SignedHeaders, body: &[u8]) -> Answer {
    let mut request = http::Request::post(format!("http://{addr}/hook"))
        .body(Full::new(Bytes::copy_from_slice(body)))
        .unwrap();
    request.headers_mut().extend(headers.to_header_map());
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    let status = response.status();
    Answer { status, body: response.into_body().collect().await.unwrap().to_bytes() }
}

#[tokio::test]
async fn without_a_peer_address_an_allowlist_fails_closed() {
    // Served without `into_make_service_with_connect_info`: the layer cannot know the peer.
    let server = serve_without_connect_info(WebhookVerifyLayer::new(
        Endpoint::new(verifier()).ip_allowlist(ranges(&["0.0.0.0/0", "::/0"])),
    ))
    .await;
    send(server.addr, &signed(BODY), BODY).await.assert_rejected(500, "peer_unknown");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn a_tls_connection_info_satisfies_the_https_requirement() {
    let layer = WebhookVerifyLayer::new(
        Endpoint::new(verifier()).require_https(true).ip_allowlist(ranges(&["127.0.0.1"])),
    );
    let calls = Arc::new(AtomicUsize::new(0));
    let tls = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let tls_addr = tls.local_addr().unwrap();
    serve_with_connection_info(tls, app(layer.clone(), &calls), true);
    let plain = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let plain_addr = plain.local_addr().unwrap();
    serve_with_connection_info(plain, app(layer, &calls), false);

    send(tls_addr, &signed(BODY), BODY).await.assert_handled();
    send(plain_addr, &signed(BODY), BODY).await.assert_rejected(403, "https_required");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_bare_tower_service_gets_the_connection_from_an_extension() {
    use hookwarden_tower::{VerifiedBody, WebhookVerify};
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    use tower::{Layer, ServiceExt};

    let handler = tower::service_fn(|_: http::Request<VerifiedBody>| async {
        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from_static(b"handled"))))
    });
    let service = WebhookVerifyLayer::new(Endpoint::new(verifier()).ip_allowlist(ranges(&["127.0.0.1"])))
        .layer(handler);
    let _: &WebhookVerify<_> = &service;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, peer) = listener.accept().await.unwrap();
            let service =
                service.clone().map_request(move |mut request: http::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectionInfo::new(peer));
                    request
                });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)),
            );
        }
    });
    send(addr, &signed(BODY), BODY).await.assert_handled();
}
