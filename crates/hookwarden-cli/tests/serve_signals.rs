//! `hookwarden serve` stops on SIGTERM and on Ctrl-C (SIGINT) with exit code 0: it refuses new
//! connections at once, and answers the deliveries already in flight first.
#![cfg(unix)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use hookwarden::{Message, Verifier, preset::GitHub};

const SECRET: &str = "It's a Secret to Everybody";
const BODY: &[u8] = br#"{"id":"evt_1","zen":"Design for failure."}"#;
const WAIT: Duration = Duration::from_secs(20);

/// A running `hookwarden serve`, killed if the test ends before it exits.
struct Serve {
    child: Child,
    lines: Receiver<String>,
    address: String,
}

impl Serve {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hookwarden"))
            .args(["serve", "-p", "github", "-s", SECRET, "--port", "0"])
            .args(args)
            .env_remove("HOOKWARDEN_SECRET")
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
        let mut serve = Self { child, lines, address: String::new() };
        let first = serve.line_with("listening on http://");
        serve.address = first.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
        serve
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

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An app behind `serve --forward` whose handler is slow: it answers its one delivery only when
/// the test releases it. Returns its URL, and the channels that say the delivery arrived and
/// release the answer.
fn slow_app() -> (String, Receiver<()>, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (arrived, arrival) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buffer = [0; 4096];
        // The headers, then the body: `serve` forwards it with a content-length.
        while !request.ends_with(BODY) {
            let read = stream.read(&mut buffer).unwrap();
            assert!(read > 0, "the forwarded delivery was cut short");
            request.extend_from_slice(&buffer[..read]);
        }
        arrived.send(()).unwrap();
        let _ = released.recv_timeout(WAIT);
        let answer = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\nprocessed\n";
        stream.write_all(answer.as_bytes()).unwrap();
    });
    (url, arrival, release)
}

/// Sends a signed GitHub delivery on a thread; the answer comes on the channel.
fn send_delivery(address: &str) -> Receiver<String> {
    let verifier = Verifier::builder(GitHub).secret(SECRET).build().unwrap();
    let mut request = format!(
        "POST /hooks/github HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n",
        BODY.len()
    );
    for (name, value) in verifier.sign(&Message::new(BODY)).unwrap().iter() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let (sender, answer) = mpsc::channel();
    thread::spawn(move || {
        stream.write_all(request.as_bytes()).unwrap();
        stream.write_all(BODY).unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let _ = sender.send(response);
    });
    answer
}

#[test]
fn sigterm_answers_the_delivery_in_flight_then_exits_0() {
    let (app, arrival, release) = slow_app();
    let mut serve = Serve::start(&["--forward", &app]);
    let answer = send_delivery(&serve.address);
    // The delivery is verified, claimed and in the app: in flight.
    arrival.recv_timeout(WAIT).expect("the delivery never reached the app");

    serve.signal("TERM");
    assert!(serve.line_with("SIGTERM").contains("stopping once the deliveries in flight are answered"));
    serve.wait_until_refusing();
    release.send(()).unwrap();

    let response = answer.recv_timeout(WAIT).expect("no answer to the delivery in flight");
    assert!(response.starts_with("HTTP/1.1 200") && response.ends_with("processed\n"), "{response}");
    let line = serve.line_with("POST /hooks/github");
    assert!(line.contains("verified") && line.contains("→ app 200"), "{line}");
    let status = serve.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}

#[test]
fn sigint_exits_0_even_with_an_idle_connection_open() {
    let mut serve = Serve::start(&[]);
    // A client that connected and sent nothing does not hold the server open.
    let _idle = TcpStream::connect(&serve.address).unwrap();

    serve.signal("INT");
    assert!(serve.line_with("SIGINT").contains("stopping"));
    let status = serve.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}
