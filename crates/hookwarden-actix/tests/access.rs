//! Access controls (IP allowlist, HTTPS requirement, trusted proxies) through the middleware and
//! through the `Webhook` extractor alone, behind real actix-web servers on loopback, and without
//! a peer address (a Unix socket).
//!
//! What both adapters must answer alike, IPv6 peers and the public URL of the URL-signing
//! presets among it, is the workspace's HTTP matrix, `tests/http_matrix`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use bytes::Bytes;
use hookwarden::Endpoint;
use hookwarden::access::IpRanges;
use hookwarden::{FixedClock, Message, SignedHeaders, Verifier, preset};
use hookwarden_actix::{Webhook, WebhookVerify};

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

async fn handled(calls: web::Data<AtomicUsize>, _body: web::Bytes) -> HttpResponse {
    calls.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body("handled")
}

async fn extracted(
    calls: web::Data<AtomicUsize>,
    Webhook(mut webhook): Webhook<web::Bytes>,
) -> actix_web::Result<HttpResponse> {
    calls.fetch_add(1, Ordering::SeqCst);
    webhook.commit().await.map_err(actix_web::error::ErrorServiceUnavailable)?;
    Ok(HttpResponse::Ok().body("handled"))
}

/// The app: `/hook` behind the middleware, `/extract` with the extractor alone.
macro_rules! app {
    ($verify:expr, $calls:expr) => {
        App::new()
            .app_data($calls.clone())
            .app_data($verify.clone())
            .service(web::resource("/hook").wrap($verify.clone()).route(web::post().to(handled)))
            .route("/extract", web::post().to(extracted))
    };
}

/// Starts a one-worker server on `listener`.
fn start_on(listener: TcpListener, verify: WebhookVerify) -> Server {
    let addr = listener.local_addr().unwrap();
    let calls = web::Data::new(AtomicUsize::new(0));
    let shared = calls.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || app!(verify, shared))
                .workers(1)
                .disable_signals()
                .listen(listener)
                .unwrap()
                .run()
                .await
        })
    });
    Server { addr, calls: calls.into_inner() }
}

fn start(verify: WebhookVerify) -> Server {
    start_on(TcpListener::bind("127.0.0.1:0").unwrap(), verify)
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

async fn send(
    addr: SocketAddr,
    path: &str,
    headers: &SignedHeaders,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut request = reqwest::Client::new().post(format!("http://{addr}{path}")).body(body.to_vec());
    for (name, value) in headers.iter().chain(extra.iter().copied()) {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    Answer { status, body: response.bytes().await.unwrap() }
}

/// Writes `request` as it is and reads the whole answer: a request whose body is never sent.
fn raw_exchange(mut stream: impl std::io::Read + std::io::Write, request: &str) -> String {
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Request headers that declare a large body which never comes.
fn headers_only(path: &str) -> String {
    let mut request = format!("POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100000\r\n");
    for (name, value) in signed(BODY).iter() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("connection: close\r\n\r\n");
    request
}

#[tokio::test]
async fn an_allowlisted_peer_reaches_the_handler() {
    let server = start(WebhookVerify::new(Endpoint::new(verifier()).ip_allowlist(ranges(&["127.0.0.0/8"]))));
    send(server.addr, "/hook", &signed(BODY), &[], BODY).await.assert_handled();
    send(server.addr, "/extract", &signed(BODY), &[], BODY).await.assert_handled();
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn a_peer_outside_the_allowlist_gets_403_before_its_body_is_read() {
    let verify = WebhookVerify::new(
        Endpoint::new(verifier()).ip_allowlist(ranges(&["203.0.113.0/24", "2001:db8::/32"])),
    );
    let server = start(verify);
    for path in ["/hook", "/extract"] {
        send(server.addr, path, &signed(BODY), &[], BODY).await.assert_rejected(403, "ip_not_allowed");
        let addr = server.addr;
        let answer = tokio::task::spawn_blocking(move || {
            let stream = TcpStream::connect(addr).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            raw_exchange(stream, &headers_only(path))
        })
        .await
        .unwrap();
        assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
        assert!(answer.ends_with(r#"{"reason":"ip_not_allowed"}"#), "{answer}");
        // Refused before the size check too: a stranger does not learn the limit.
        let big = vec![b'a'; 2 * 1024 * 1024];
        send(server.addr, path, &signed(&big), &[], &big).await.assert_rejected(403, "ip_not_allowed");
    }
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn forwarding_headers_count_only_from_trusted_proxies() {
    let allow = ranges(&["203.0.113.0/24"]);
    let direct = start(WebhookVerify::new(Endpoint::new(verifier()).ip_allowlist(allow.clone())));
    let behind = start(WebhookVerify::new(
        Endpoint::new(verifier()).ip_allowlist(allow).trusted_proxies(ranges(&["127.0.0.1"])),
    ));
    let headers = signed(BODY);
    let claims = [("x-forwarded-for", "203.0.113.7")];
    // Anyone can send the header: from a peer that is not a trusted proxy it proves nothing.
    send(direct.addr, "/hook", &headers, &claims, BODY).await.assert_rejected(403, "ip_not_allowed");
    send(behind.addr, "/hook", &headers, &claims, BODY).await.assert_handled();
    send(behind.addr, "/extract", &headers, &claims, BODY).await.assert_handled();
    send(behind.addr, "/hook", &headers, &[("forwarded", "for=203.0.113.7;proto=https")], BODY)
        .await
        .assert_handled();
    // The client wrote the left part; the right-most untrusted address decides.
    let spoofed = [("x-forwarded-for", "203.0.113.7, 198.51.100.9")];
    send(behind.addr, "/hook", &headers, &spoofed, BODY).await.assert_rejected(403, "ip_not_allowed");
    let trusted_hops = [("x-forwarded-for", "198.51.100.9, 203.0.113.7, 127.0.0.1")];
    send(behind.addr, "/hook", &headers, &trusted_hops, BODY).await.assert_handled();
    // A `Forwarded` the proxy passed through from the client does not outvote X-Forwarded-For.
    let injected = [("forwarded", "for=203.0.113.7"), ("x-forwarded-for", "198.51.100.9")];
    send(behind.addr, "/hook", &headers, &injected, BODY).await.assert_rejected(403, "ip_not_allowed");
    let unknown = [("x-forwarded-for", "unknown")];
    send(behind.addr, "/hook", &headers, &unknown, BODY).await.assert_rejected(403, "ip_not_allowed");
    // No forwarding header: the proxy itself is the client.
    send(behind.addr, "/hook", &headers, &[], BODY).await.assert_rejected(403, "ip_not_allowed");
    assert_eq!((direct.calls(), behind.calls()), (0, 4));
}

#[cfg(unix)]
#[tokio::test]
async fn without_a_peer_address_an_allowlist_fails_closed() {
    // Over a Unix socket actix knows no peer address.
    let dir = std::env::temp_dir().join(format!("hookwarden-actix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("access.sock");
    let _ = std::fs::remove_file(&path);
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let calls = web::Data::new(AtomicUsize::new(0));
    let shared = calls.clone();
    let verify = WebhookVerify::new(Endpoint::new(verifier()).ip_allowlist(ranges(&["0.0.0.0/0", "::/0"])));
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || app!(verify, shared))
                .workers(1)
                .disable_signals()
                .listen_uds(listener)
                .unwrap()
                .run()
                .await
        })
    });
    let mut request = String::from("POST /hook HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n");
    request.push_str(&format!("content-length: {}\r\n", BODY.len()));
    for (name, value) in signed(BODY).iter() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(std::str::from_utf8(BODY).unwrap());
    let answer = tokio::task::spawn_blocking(move || {
        let stream = std::os::unix::net::UnixStream::connect(&path).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let answer = raw_exchange(stream, &request);
        let _ = std::fs::remove_file(&path);
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
    assert!(answer.ends_with(r#"{"reason":"peer_unknown"}"#), "{answer}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn https_is_required_from_the_listener_or_a_trusted_proxy() {
    // A plain listener: only a trusted proxy can say the client used HTTPS.
    let plain = start(WebhookVerify::new(Endpoint::new(verifier()).require_https(true)));
    let headers = signed(BODY);
    send(plain.addr, "/hook", &headers, &[], BODY).await.assert_rejected(403, "https_required");
    let claim = [("x-forwarded-proto", "https")];
    send(plain.addr, "/hook", &headers, &claim, BODY).await.assert_rejected(403, "https_required");
    send(plain.addr, "/extract", &headers, &claim, BODY).await.assert_rejected(403, "https_required");

    let behind = start(WebhookVerify::new(
        Endpoint::new(verifier()).require_https(true).trusted_proxies(ranges(&["127.0.0.0/8"])),
    ));
    send(behind.addr, "/hook", &headers, &claim, BODY).await.assert_handled();
    send(behind.addr, "/hook", &headers, &[("forwarded", "for=192.0.2.1;proto=https")], BODY)
        .await
        .assert_handled();
    send(behind.addr, "/hook", &headers, &[("x-forwarded-proto", "http")], BODY)
        .await
        .assert_rejected(403, "https_required");
    // A trusted proxy that does not say: unknown, so refused.
    send(behind.addr, "/hook", &headers, &[], BODY).await.assert_rejected(403, "https_required");
    assert_eq!((plain.calls(), behind.calls()), (0, 2));
}
