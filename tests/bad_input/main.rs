//! The bad-input matrix: every hostile request in `cases.rs`, written byte by byte to a
//! raw socket, against an axum receiver with `hookwarden_tower::WebhookVerifyLayer` and an
//! actix-web receiver with `hookwarden_actix::WebhookVerify`, both with the same short body
//! deadline. Each answer must be the row's (a 4xx with its stable reason code), the handler must
//! run only for the control rows, and no answer may be a 5xx.
//!
//! Raw sockets rather than an HTTP client, because a client refuses to send most of these:
//! lying lengths, bytes no header may hold, broken chunking, a body that stalls.

mod cases;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cases::{BODY_TIMEOUT_MS, Body, Edit, Expect, Framing, LIMIT, NOW, ROWS, Route, Row};
use hookwarden::Endpoint;
use hookwarden::preset::{GitHub, StandardWebhooks, Stripe};
use hookwarden::{FixedClock, MemoryStore, Message, Verifier};

/// How long an answer may take, for every row but the slow-body ones.
const PROMPT: Duration = Duration::from_secs(3);
/// The body deadline of every route.
const BODY_TIMEOUT: Duration = Duration::from_millis(BODY_TIMEOUT_MS);

impl Route {
    const ALL: [Self; 3] = [Self::Standard, Self::Stripe, Self::GitHub];

    fn path(self) -> &'static str {
        match self {
            Self::Standard => "/standard",
            Self::Stripe => "/stripe",
            Self::GitHub => "/github",
        }
    }

    fn verifier(self) -> Verifier {
        let builder = match self {
            Self::Standard => {
                Verifier::builder(StandardWebhooks).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            }
            Self::Stripe => Verifier::builder(Stripe).secret("whsec_bad_input_matrix_0123456789"),
            Self::GitHub => Verifier::builder(GitHub).secret("bad-input-matrix-github-secret"),
        };
        builder.clock(FixedClock::at(NOW)).build().unwrap()
    }

    fn signature_header(self) -> &'static str {
        match self {
            Self::Standard => "webhook-signature",
            Self::Stripe => "stripe-signature",
            Self::GitHub => "x-hub-signature-256",
        }
    }

    /// The encoded MAC inside a signature header this route's verifier wrote.
    fn mac(self, signature: &str) -> String {
        let (_, mac) = match self {
            Self::Standard => signature.split_once(','),
            Self::Stripe => signature.split_once("v1="),
            Self::GitHub => signature.split_once('='),
        }
        .unwrap();
        mac.to_owned()
    }
}

/// Serves the three routes with axum and the tower layer; `calls` counts handler runs.
fn serve_axum(calls: Arc<AtomicUsize>) -> SocketAddr {
    use axum::routing::post;
    let mut app = axum::Router::new();
    for route in Route::ALL {
        let layer = hookwarden_tower::WebhookVerifyLayer::new(
            Endpoint::new(route.verifier())
                .body_limit(LIMIT as u64)
                .body_timeout(BODY_TIMEOUT)
                .replay_store(MemoryStore::new()),
        );
        let calls = Arc::clone(&calls);
        let handler = move || async move {
            calls.fetch_add(1, Ordering::SeqCst);
            "handled"
        };
        app = app.route(route.path(), post(handler).route_layer(layer));
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    addr
}

/// Serves the three routes with actix-web and its middleware; `calls` counts handler runs.
fn serve_actix(calls: Arc<AtomicUsize>) -> SocketAddr {
    use actix_web::{App, HttpServer, web};
    let routes: Vec<(Route, hookwarden_actix::WebhookVerify)> = Route::ALL
        .into_iter()
        .map(|route| {
            let verify = hookwarden_actix::WebhookVerify::new(
                Endpoint::new(route.verifier())
                    .body_limit(LIMIT as u64)
                    .body_timeout(BODY_TIMEOUT)
                    .replay_store(MemoryStore::new()),
            );
            (route, verify)
        })
        .collect();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                routes.iter().fold(App::new(), |app, (route, verify)| {
                    let calls = Arc::clone(&calls);
                    let handler = move || {
                        calls.fetch_add(1, Ordering::SeqCst);
                        async { "handled" }
                    };
                    app.service(
                        web::resource(route.path()).wrap(verify.clone()).route(web::post().to(handler)),
                    )
                })
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
            .await
        })
    });
    addr
}

/// A row's request, ready to write.
struct Request {
    head: Vec<u8>,
    body: Vec<u8>,
    /// A chunked trailer section, already templated.
    trailer: Vec<u8>,
}

/// Signs the row's delivery, then applies its edits.
fn build(row: &Row, index: usize) -> Request {
    let signed_body = match row.body {
        Body::Json => format!(r#"{{"type":"invoice.paid","row":{index}}}"#).into_bytes(),
        // The row's number first, so that two rows never send the same delivery.
        Body::Filler(n) => format!("{index:04}").bytes().chain(std::iter::repeat(b'a')).take(n).collect(),
    };
    let id = format!("msg_row_{index}");
    let at = row
        .edits
        .iter()
        .fold(NOW, |at, edit| if let Edit::SignedAt(offset) = edit { NOW + offset } else { at });
    let signed = row.route.verifier().sign(&Message::new(&signed_body).id(&id).timestamp(at)).unwrap();
    let signature = signed.get(row.route.signature_header()).unwrap().to_owned();
    let mac = row.route.mac(&signature);
    let template = |text: &str| {
        text.replace("{sig}", &signature)
            .replace("{mac-unpadded}", mac.trim_end_matches('='))
            .replace("{mac}", &mac)
            .replace("{MAC}", &mac.to_uppercase())
            .replace("{ts}", &at.to_string())
            .replace("{id}", &id)
            .into_bytes()
    };

    let mut headers: Vec<(String, Vec<u8>)> =
        signed.iter().map(|(name, value)| (name.to_owned(), value.as_bytes().to_vec())).collect();
    let set = |headers: &mut Vec<(String, Vec<u8>)>, name: &str, value: Vec<u8>| match headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        Some((_, old)) => *old = value,
        None => headers.push((name.to_owned(), value)),
    };
    let mut body = signed_body;
    for edit in row.edits {
        match *edit {
            Edit::Set(name, value) => set(&mut headers, name, template(value)),
            Edit::SetBytes(name, value) => set(&mut headers, name, value.to_vec()),
            Edit::Remove(name) => headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name)),
            Edit::Add(name, value) => headers.push((name.to_owned(), template(value))),
            Edit::Lines(name, value, count) => {
                headers.extend(std::iter::repeat_n((name.to_owned(), template(value)), count));
            }
            Edit::Repeat { header, head, item, sep, count, tail } => {
                let items = vec![template(item); count].join(sep.as_bytes());
                set(&mut headers, header, [template(head), items, template(tail)].concat());
            }
            Edit::SignedAt(_) => {}
            Edit::SendBytes(bytes) => body = bytes.to_vec(),
            Edit::AppendByte => body.push(b'!'),
        }
    }

    let mut head = format!("POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", row.route.path())
        .into_bytes();
    for (name, value) in &headers {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value);
        head.extend_from_slice(b"\r\n");
    }
    let length = |len: usize| format!("Content-Length: {len}\r\n");
    let framing = match row.framing {
        Framing::Length | Framing::Trickle(_) | Framing::Stall(_) => length(body.len()),
        Framing::Declared(value) => format!("Content-Length: {value}\r\n"),
        Framing::LongerThanSent(more) => length(body.len() + more),
        Framing::TransferEncoding(value) => format!("Transfer-Encoding: {value}\r\n"),
        Framing::LengthAndChunked => length(body.len()) + "Transfer-Encoding: chunked\r\n",
        Framing::Chunked(_)
        | Framing::RawChunked(_)
        | Framing::RawChunkedThenEof(_)
        | Framing::HugeChunk(_)
        | Framing::Unterminated
        | Framing::Trailer(_) => "Transfer-Encoding: chunked\r\n".to_owned(),
    };
    head.extend_from_slice(framing.as_bytes());
    head.extend_from_slice(b"\r\n");
    let trailer = match row.framing {
        Framing::Trailer(text) => template(text),
        _ => Vec::new(),
    };
    Request { head, body, trailer }
}

/// `body` in chunks of `size`, with or without the last chunk and a trailer section.
fn chunked(body: &[u8], size: usize, last: bool, trailer: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(size.max(1)) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    if last {
        out.extend_from_slice(b"0\r\n");
        out.extend_from_slice(trailer);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Response {
        status: u16,
        body: String,
    },
    /// The connection closed (or broke) without a complete response.
    Closed(String),
}

impl Answer {
    fn meets(&self, expect: &Expect) -> bool {
        let Self::Response { status, body } = self else { return false };
        let client_error = (400..500).contains(status);
        match expect {
            Expect::Rejected(s, reason) => status == s && *body == format!(r#"{{"reason":"{reason}"}}"#),
            Expect::Refused => client_error && !body.starts_with(r#"{"reason":"#),
            Expect::Handled => *status == 200 && body == "handled",
            Expect::ClientError => client_error,
            Expect::OneOf(any) => any.iter().any(|e| self.meets(e)),
        }
    }
}

/// Reads one response: its head, then a `Content-Length` or chunked body, or up to EOF.
fn read_response(stream: &mut TcpStream) -> Answer {
    let mut buffer = Vec::new();
    let mut chunk = [0; 8192];
    loop {
        if let Some(answer) = parse_response(&buffer) {
            return answer;
        }
        match stream.read(&mut chunk) {
            Ok(0) => {
                return parse_response(&buffer)
                    .unwrap_or(Answer::Closed(format!("EOF after {} bytes", buffer.len())));
            }
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Answer::Closed(format!("{e} after {} bytes", buffer.len())),
        }
    }
}

/// A complete response in `bytes`, if there is one yet.
fn parse_response(bytes: &[u8]) -> Option<Answer> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..end]);
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let header = |name: &str| {
        head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    let rest = &bytes[end + 4..];
    let body = if let Some(len) = header("content-length") {
        rest.get(..len.parse::<usize>().ok()?)?.to_vec()
    } else if header("transfer-encoding").is_some_and(|te| te.eq_ignore_ascii_case("chunked")) {
        dechunk(rest)?
    } else {
        return None; // until EOF
    };
    Some(Answer::Response { status, body: String::from_utf8_lossy(&body).into_owned() })
}

/// A complete chunked body, decoded.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = rest.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..line]).ok()?.split(';').next()?, 16).ok()?;
        rest = &rest[line + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// Sends `row` to `addr` and reads the answer; also says what happened during a stall.
fn send(addr: SocketAddr, row: &Row, request: &Request) -> (Answer, Option<String>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // A server may answer and close before it read everything (a 431, a 413): a failed write
    // is not the answer, the response is.
    let mut write = |bytes: &[u8]| {
        let _ = stream.write_all(bytes);
    };
    write(&request.head);
    let body = &request.body;
    let mut note = None;
    // Only a request cut short closes the write side: the EOF is then what the server must
    // notice. After a complete request, a client waits with the connection open. hyper, as
    // `axum::serve` runs it (`http1::Builder::half_close` off), takes an EOF after a complete
    // request for the client going away and drops the request in flight, so the axum answer
    // would race the EOF.
    let mut close_write = false;
    match row.framing {
        Framing::Length | Framing::Declared(_) => write(body),
        Framing::LongerThanSent(_) => {
            write(body);
            close_write = true;
        }
        Framing::Chunked(size) => write(&chunked(body, size, true, b"")),
        Framing::TransferEncoding(_) | Framing::LengthAndChunked => write(&chunked(body, 16, true, b"")),
        Framing::Trailer(_) => write(&chunked(body, 16, true, &request.trailer)),
        Framing::Unterminated => {
            write(&chunked(body, 16, false, b""));
            close_write = true;
        }
        Framing::RawChunked(bytes) => write(bytes),
        Framing::RawChunkedThenEof(bytes) => {
            write(bytes);
            close_write = true;
        }
        Framing::HugeChunk(sent) => {
            write(b"100000\r\n");
            write(&vec![b'a'; sent]);
            close_write = true;
        }
        Framing::Trickle(ms) => {
            for byte in body {
                // A server that gave up (the body deadline) has answered: stop sending.
                if answered(&stream) {
                    break;
                }
                let _ = stream.write_all(std::slice::from_ref(byte));
                std::thread::sleep(Duration::from_millis(ms));
            }
        }
        Framing::Stall(ms) => {
            write(&body[..body.len() / 2]);
            // Does the server give up on a stalled body by itself, and when?
            let stalled = Instant::now();
            stream.set_read_timeout(Some(Duration::from_millis(ms))).unwrap();
            let probe = stream.peek(&mut [0; 1]);
            let after = stalled.elapsed().as_millis();
            note = Some(match probe {
                Ok(0) => format!("closed the connection {after} ms into a {ms} ms stall"),
                Ok(_) => format!("answered {after} ms into a {ms} ms stall"),
                Err(_) => format!("waited {ms} ms without an answer (within the body deadline)"),
            });
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            close_write = true;
        }
    }
    if close_write {
        let _ = stream.shutdown(Shutdown::Write);
    }
    (read_response(&mut stream), note)
}

/// Whether the server has answered (or closed the connection) yet, without waiting.
fn answered(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let waiting = matches!(stream.peek(&mut [0; 1]), Err(e) if e.kind() == ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    !waiting
}

fn describe(answer: &Answer) -> String {
    match answer {
        Answer::Response { status, body } if body.len() > 40 => format!("{status} {}...", &body[..40]),
        Answer::Response { status, body } => format!("{status} {body}"),
        Answer::Closed(why) => format!("closed ({why})"),
    }
}

#[test]
fn every_hostile_request_is_refused_by_both_adapters() {
    assert!(ROWS.len() >= 100, "the matrix has {} rows", ROWS.len());
    let servers = [("axum", serve_axum as fn(Arc<AtomicUsize>) -> SocketAddr), ("actix", serve_actix)].map(
        |(name, serve)| {
            let calls = Arc::new(AtomicUsize::new(0));
            (name, serve(Arc::clone(&calls)), calls)
        },
    );

    let mut failures = Vec::new();
    let mut notes = Vec::new();
    println!("{:<56} | {:<44} | actix + hookwarden-actix", "request", "axum + hookwarden-tower");
    for (index, row) in ROWS.iter().enumerate() {
        let request = build(row, index);
        let mut answers = Vec::new();
        for (framework, addr, calls) in &servers {
            let before = calls.load(Ordering::SeqCst);
            let started = Instant::now();
            let (answer, note) = send(*addr, row, &request);
            let elapsed = started.elapsed();
            let ran = calls.load(Ordering::SeqCst) - before;
            let problem = |what: String| format!("{} {} ({framework}): {what}", row.route.path(), row.name);
            if !answer.meets(&row.expect) {
                failures.push(problem(format!("got {}, expected {:?}", describe(&answer), row.expect)));
            }
            if matches!(answer, Answer::Response { status: 500.., .. }) {
                failures.push(problem("a 5xx".to_owned()));
            }
            let expected_runs = usize::from(row.expect == Expect::Handled);
            if ran != expected_runs {
                failures.push(problem(format!("the handler ran {ran} times, expected {expected_runs}")));
            }
            let slow = matches!(row.framing, Framing::Trickle(_) | Framing::Stall(_));
            if !slow && elapsed > PROMPT {
                failures.push(problem(format!("took {elapsed:?}")));
            }
            if let Some(note) = note {
                notes.push(format!("{} ({framework}): the server {note}", row.name));
            }
            answers.push(describe(&answer));
        }
        println!(
            "{:<56} | {:<44} | {}",
            format!("{} {}", row.route.path(), row.name),
            answers[0],
            answers[1]
        );
    }
    for note in &notes {
        println!("note: {note}");
    }
    println!("{} rows, each sent to 2 receivers", ROWS.len());
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}
