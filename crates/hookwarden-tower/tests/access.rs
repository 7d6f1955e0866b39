//! Access controls (IP allowlist, HTTPS requirement, trusted proxies) and the public URL a
//! trusted proxy reports, through real servers on loopback.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

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
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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

/// Serves `POST /hook` behind `layer`, with axum's `ConnectInfo<SocketAddr>` when `connect_info`.
async fn serve(layer: WebhookVerifyLayer, connect_info: bool) -> Server {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app(layer, &calls);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    if connect_info {
        #[cfg(feature = "axum")]
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap()
        });
        #[cfg(not(feature = "axum"))]
        serve_with_connection_info(listener, app, false);
    } else {
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    }
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

async fn send(addr: SocketAddr, headers: &SignedHeaders, extra: &[(&str, &str)], body: &[u8]) -> Answer {
    send_to(addr, "/hook", headers, extra, body).await
}

async fn send_to(
    addr: SocketAddr,
    path: &str,
    headers: &SignedHeaders,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut request = http::Request::post(format!("http://{addr}{path}"))
        .body(Full::new(Bytes::copy_from_slice(body)))
        .unwrap();
    request.headers_mut().extend(headers.to_header_map());
    for (name, value) in extra {
        request.headers_mut().append(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_str(value).unwrap(),
        );
    }
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    let status = response.status();
    Answer { status, body: response.into_body().collect().await.unwrap().to_bytes() }
}

/// Sends raw bytes and reads the whole answer: a request whose body is never sent.
async fn raw_exchange(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn an_allowlisted_peer_reaches_the_handler() {
    let server = serve(
        WebhookVerifyLayer::new(Endpoint::new(verifier()).ip_allowlist(ranges(&["127.0.0.0/8"]))),
        true,
    )
    .await;
    send(server.addr, &signed(BODY), &[], BODY).await.assert_handled();
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn a_peer_outside_the_allowlist_gets_403_before_its_body_is_read() {
    let layer = WebhookVerifyLayer::new(
        Endpoint::new(verifier()).ip_allowlist(ranges(&["203.0.113.0/24", "2001:db8::/32"])),
    );
    let server = serve(layer, true).await;
    send(server.addr, &signed(BODY), &[], BODY).await.assert_rejected(403, "ip_not_allowed");

    // Headers that declare a body, and no body: the answer comes anyway.
    let mut request = String::from("POST /hook HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100000\r\n");
    for (name, value) in signed(BODY).iter() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("connection: close\r\n\r\n");
    let answer = raw_exchange(server.addr, &request).await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.ends_with(r#"{"reason":"ip_not_allowed"}"#), "{answer}");
    // Refused before the size check too: a stranger does not learn the limit.
    let big = vec![b'a'; 2 * 1024 * 1024];
    send(server.addr, &signed(&big), &[], &big).await.assert_rejected(403, "ip_not_allowed");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn ipv6_peers_match_ipv6_ranges() {
    let Ok(listener) = TcpListener::bind("[::1]:0").await else {
        eprintln!("no IPv6 loopback here: skipped");
        return;
    };
    let addr = listener.local_addr().unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let allowed =
        app(WebhookVerifyLayer::new(Endpoint::new(verifier()).ip_allowlist(ranges(&["::1/128"]))), &calls);
    serve_with_connection_info(listener, allowed, false);
    send(addr, &signed(BODY), &[], BODY).await.assert_handled();

    let listener = TcpListener::bind("[::1]:0").await.unwrap();
    let other = listener.local_addr().unwrap();
    let denied = app(
        WebhookVerifyLayer::new(
            Endpoint::new(verifier()).ip_allowlist(ranges(&["127.0.0.1", "2001:db8::/32"])),
        ),
        &calls,
    );
    serve_with_connection_info(listener, denied, false);
    send(other, &signed(BODY), &[], BODY).await.assert_rejected(403, "ip_not_allowed");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn forwarding_headers_count_only_from_trusted_proxies() {
    let allow = ranges(&["203.0.113.0/24"]);
    let direct =
        serve(WebhookVerifyLayer::new(Endpoint::new(verifier()).ip_allowlist(allow.clone())), true).await;
    let behind = serve(
        WebhookVerifyLayer::new(
            Endpoint::new(verifier()).ip_allowlist(allow).trusted_proxies(ranges(&["127.0.0.1"])),
        ),
        true,
    )
    .await;
    let headers = signed(BODY);
    let claims = [("x-forwarded-for", "203.0.113.7")];
    // Anyone can send the header: from a peer that is not a trusted proxy it proves nothing.
    send(direct.addr, &headers, &claims, BODY).await.assert_rejected(403, "ip_not_allowed");
    send(behind.addr, &headers, &claims, BODY).await.assert_handled();
    send(behind.addr, &headers, &[("forwarded", "for=203.0.113.7;proto=https")], BODY).await.assert_handled();
    // The client wrote the left part; the right-most untrusted address decides.
    let spoofed = [("x-forwarded-for", "203.0.113.7, 198.51.100.9")];
    send(behind.addr, &headers, &spoofed, BODY).await.assert_rejected(403, "ip_not_allowed");
    let trusted_hops = [("x-forwarded-for", "198.51.100.9, 203.0.113.7, 127.0.0.1")];
    send(behind.addr, &headers, &trusted_hops, BODY).await.assert_handled();
    // A `Forwarded` the proxy passed through from the client does not outvote X-Forwarded-For.
    let injected = [("forwarded", "for=203.0.113.7"), ("x-forwarded-for", "198.51.100.9")];
    send(behind.addr, &headers, &injected, BODY).await.assert_rejected(403, "ip_not_allowed");
    let unknown = [("x-forwarded-for", "unknown")];
    send(behind.addr, &headers, &unknown, BODY).await.assert_rejected(403, "ip_not_allowed");
    // No forwarding header: the proxy itself is the client.
    send(behind.addr, &headers, &[], BODY).await.assert_rejected(403, "ip_not_allowed");
    assert_eq!((direct.calls(), behind.calls()), (0, 3));
}

#[tokio::test]
async fn without_a_peer_address_an_allowlist_fails_closed() {
    // Served without `into_make_service_with_connect_info`: the layer cannot know the peer.
    let server = serve(
        WebhookVerifyLayer::new(Endpoint::new(verifier()).ip_allowlist(ranges(&["0.0.0.0/0", "::/0"]))),
        false,
    )
    .await;
    send(server.addr, &signed(BODY), &[], BODY).await.assert_rejected(500, "peer_unknown");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn https_is_required_from_the_connection_or_a_trusted_proxy() {
    let plain = serve(WebhookVerifyLayer::new(Endpoint::new(verifier()).require_https(true)), true).await;
    let headers = signed(BODY);
    send(plain.addr, &headers, &[], BODY).await.assert_rejected(403, "https_required");
    // Not from a peer that is not a trusted proxy.
    send(plain.addr, &headers, &[("x-forwarded-proto", "https")], BODY)
        .await
        .assert_rejected(403, "https_required");

    let behind = serve(
        WebhookVerifyLayer::new(
            Endpoint::new(verifier()).require_https(true).trusted_proxies(ranges(&["127.0.0.0/8"])),
        ),
        true,
    )
    .await;
    send(behind.addr, &headers, &[("x-forwarded-proto", "https")], BODY).await.assert_handled();
    send(behind.addr, &headers, &[("forwarded", "for=192.0.2.1;proto=https")], BODY).await.assert_handled();
    send(behind.addr, &headers, &[("x-forwarded-proto", "http")], BODY)
        .await
        .assert_rejected(403, "https_required");
    // A trusted proxy that does not say: unknown, so refused.
    send(behind.addr, &headers, &[], BODY).await.assert_rejected(403, "https_required");
    assert_eq!((plain.calls(), behind.calls()), (0, 2));
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

    send(tls_addr, &signed(BODY), &[], BODY).await.assert_handled();
    send(plain_addr, &signed(BODY), &[], BODY).await.assert_rejected(403, "https_required");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A verifier for a preset that signs the URL, and the headers it signs `body` with for `url`.
fn url_signed(name: &str, url: &str, body: &[u8]) -> (Verifier, SignedHeaders) {
    let verifier = match name {
        "twilio" => Verifier::builder(preset::Twilio).secret("12345-auth-token-67890").build(),
        "square" => Verifier::builder(preset::Square).secret("Ibxx_5AKakO-3qeNVR61Dw").build(),
        "hubspot" => Verifier::builder(preset::HubSpot).secret("hubspot-app-secret-0123456789").build(),
        other => panic!("{other}"),
    }
    .unwrap();
    let headers = verifier.sign(&Message::new(body).method("POST").url(url)).unwrap();
    (verifier, headers)
}

#[tokio::test]
async fn url_signing_presets_take_the_public_url_from_a_trusted_proxy() {
    let url = "https://hooks.example.com/hook?tenant=7";
    for (name, body) in [
        ("twilio", &b"CallSid=CA1234567890ABCDE&From=%2B14158675309"[..]),
        ("square", br#"{"type":"payment.updated"}"#),
        ("hubspot", br#"[{"eventId":1}]"#),
    ] {
        let (verifier, headers) = url_signed(name, url, body);
        let trusted =
            WebhookVerifyLayer::new(Endpoint::new(verifier.clone()).trusted_proxies(ranges(&["127.0.0.1"])));
        let behind = serve(trusted, true).await;
        let proxy = [("x-forwarded-proto", "https"), ("x-forwarded-host", "hooks.example.com")];
        send_to(behind.addr, "/hook?tenant=7", &headers, &proxy, body).await.assert_handled();
        // RFC 7239, and a port the proxy reports as the default one.
        let forwarded =
            [("forwarded", "for=192.0.2.1;proto=https;host=hooks.example.com"), ("x-forwarded-port", "443")];
        send_to(behind.addr, "/hook?tenant=7", &headers, &forwarded, body).await.assert_handled();
        // A proxy that passes the Host on and forwards only the protocol.
        let host_kept = [("x-forwarded-proto", "https"), ("host", "hooks.example.com")];
        send_to(behind.addr, "/hook?tenant=7", &headers, &host_kept, body).await.assert_handled();
        // Another path than the one signed.
        send_to(behind.addr, "/hook?tenant=8", &headers, &proxy, body)
            .await
            .assert_rejected(401, "no_matching_signature");
        // Without the protocol the URL is unknown: a 500, never a guess.
        send_to(behind.addr, "/hook?tenant=7", &headers, &[("x-forwarded-host", "hooks.example.com")], body)
            .await
            .assert_rejected(500, "url_unknown");

        // The same headers from a peer that is not a trusted proxy are ignored.
        let untrusted = serve(
            WebhookVerifyLayer::new(Endpoint::new(verifier.clone()).trusted_proxies(ranges(&["10.0.0.0/8"]))),
            true,
        )
        .await;
        send_to(untrusted.addr, "/hook?tenant=7", &headers, &proxy, body)
            .await
            .assert_rejected(500, "url_unknown");

        // A configured origin is preferred over what any proxy says.
        let configured = WebhookVerifyLayer::new(
            Endpoint::new(verifier)
                .public_origin("https://hooks.example.com")
                .trusted_proxies(ranges(&["127.0.0.1"])),
        );
        let configured = serve(configured, true).await;
        let lying = [("x-forwarded-proto", "http"), ("x-forwarded-host", "elsewhere.example")];
        send_to(configured.addr, "/hook?tenant=7", &headers, &lying, body).await.assert_handled();
        assert_eq!((behind.calls(), untrusted.calls(), configured.calls()), (3, 0, 1), "{name}");
    }
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
    send(addr, &signed(BODY), &[], BODY).await.assert_handled();
}
