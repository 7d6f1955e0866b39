//! The receiver stops on SIGTERM and on Ctrl-C (SIGINT) with exit code 0: it refuses new
//! connections at once, and answers the delivery already in flight first.
#![cfg(unix)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use hookwarden::{Message, Verifier, preset::StandardWebhooks};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &[u8] = br#"{"type":"user.created","timestamp":"2024-01-01T00:00:00Z","data":{"id":"user_1"}}"#;
const WAIT: Duration = Duration::from_secs(20);

/// The example, listening on a free port; killed if the test ends before it exits.
struct Running {
    child: Child,
    lines: Receiver<String>,
    address: String,
}

impl Running {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_actix-standard-webhooks"))
            .env("WEBHOOK_SECRET", SECRET)
            .env_remove("WEBHOOK_SECRET_PREVIOUS")
            .env("BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut running = Self { child, lines, address: String::new() };
        let line = running.line_with("receiving Standard Webhooks deliveries on POST http://");
        running.address = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
        running
    }

    /// The next line of its output that contains `needle`.
    fn line_with(&self, needle: &str) -> String {
        loop {
            let line = self.lines.recv_timeout(WAIT).unwrap_or_else(|_| panic!("no line with {needle}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Sends `signal` (`TERM`, `INT`) the way a terminal, systemd or Docker would.
    fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").arg(format!("-{signal}")).arg(pid).status().unwrap();
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Waits until it refuses new connections: it has begun to stop.
    fn wait_until_refusing(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(&self.address).is_ok() {
            assert!(Instant::now() < deadline, "still accepting connections 5 s after the signal");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// How it exited; fails when it still runs after `limit`.
    fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "still running {limit:?} after the signal");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a signed delivery up to its body, and returns once the receiver asked for the body
/// (`100 Continue`): the request is in flight.
fn start_delivery(address: &str) -> TcpStream {
    let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap();
    let mut head = format!(
        "POST /webhooks HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nexpect: 100-continue\r\nconnection: close\r\n",
        BODY.len()
    );
    for (name, value) in verifier.sign(&Message::new(BODY).id("msg_signals_1")).unwrap().iter() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut interim = [0; 25];
    stream.read_exact(&mut interim).unwrap();
    assert_eq!(String::from_utf8_lossy(&interim), "HTTP/1.1 100 Continue\r\n\r\n");
    stream
}

/// Sends the rest of the delivery; returns the answer.
fn finish_delivery(mut stream: TcpStream) -> String {
    stream.write_all(BODY).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn sigterm_answers_the_delivery_in_flight_then_exits_0() {
    let mut running = Running::start();
    let delivery = start_delivery(&running.address);

    running.signal("TERM");
    running.wait_until_refusing();
    let response = finish_delivery(delivery);
    assert!(response.starts_with("HTTP/1.1 204"), "{response}");
    assert!(running.line_with("SIGTERM").contains("stopping once the deliveries in flight are answered"));
    // Then the handler ran.
    assert!(running.line_with("handling delivery").contains("msg_signals_1"));
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}

#[test]
fn sigint_exits_0() {
    let mut running = Running::start();
    running.signal("INT");
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}
