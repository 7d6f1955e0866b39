//! `redis-multi-instance serve` stops on SIGTERM and on Ctrl-C (SIGINT) with exit code 0: one
//! signal stops both instances, and each refuses new connections at once and answers the
//! delivery already in flight first.
//!
//! It needs Redis at `HOOKWARDEN_REDIS_URL` (`source .ci/redis.sh` starts one). Without it (and
//! outside CI) the test runner reports the tests as ignored; under `CI=true` they run, and a
//! missing Redis fails them (see the package's build script).
#![cfg(unix)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hookwarden::{Message, Verifier, preset::StandardWebhooks};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"invoice":"in_42","amount":4200}}"#;
const WAIT: Duration = Duration::from_secs(20);

/// The Redis to use.
///
/// # Panics
///
/// Without `HOOKWARDEN_REDIS_URL`.
fn redis_url(test: &str) -> String {
    match std::env::var("HOOKWARDEN_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("{test}: HOOKWARDEN_REDIS_URL is not set (source .ci/redis.sh to start a redis-server)"),
    }
}

/// The example in serve mode, both instances on free ports; killed if the test ends before it
/// exits.
struct Running {
    child: Child,
    lines: Receiver<String>,
    axum: String,
    actix: String,
}

impl Running {
    fn start(redis_url: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redis-multi-instance"))
            .arg("serve")
            .env("REDIS_URL", redis_url)
            .env("WEBHOOK_SECRET", SECRET)
            .env("AXUM_ADDR", "127.0.0.1:0")
            .env("ACTIX_ADDR", "127.0.0.1:0")
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
        let mut running = Self { child, lines, axum: String::new(), actix: String::new() };
        // "one receiver, two instances sharing ...: axum on http://A/webhook, actix-web on http://B/webhook"
        let line = running.line_with("two instances sharing");
        let mut addresses =
            line.split("http://").skip(1).map(|rest| rest.split('/').next().unwrap().to_owned());
        (running.axum, running.actix) = (addresses.next().unwrap(), addresses.next().unwrap());
        running.line_with("serving;");
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

/// Waits until `address` refuses new connections: its instance has begun to stop.
fn wait_until_refusing(address: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(address).is_ok() {
        assert!(Instant::now() < deadline, "{address} still accepts connections 5 s after the signal");
        thread::sleep(Duration::from_millis(20));
    }
}

/// Sends a new signed delivery up to its body, and returns once the instance asked for the
/// body (`100 Continue`): the request is in flight.
fn start_delivery(address: &str) -> TcpStream {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let id = format!("msg_signals_{nanos}");
    let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap();
    let mut head = format!(
        "POST /webhook HTTP/1.1\r\nhost: {address}\r\ncontent-length: {}\r\nexpect: 100-continue\r\n\
         connection: close\r\n",
        BODY.len()
    );
    for (name, value) in verifier.sign(&Message::new(BODY).id(&id)).unwrap().iter() {
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
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
fn sigterm_stops_both_instances_once_their_deliveries_are_answered() {
    let redis_url = redis_url("sigterm_stops_both_instances_once_their_deliveries_are_answered");
    let mut running = Running::start(&redis_url);
    let to_axum = start_delivery(&running.axum);
    let to_actix = start_delivery(&running.actix);

    running.signal("TERM");
    assert!(running.line_with("SIGTERM").contains("stopping both instances"));
    wait_until_refusing(&running.axum);
    wait_until_refusing(&running.actix);
    // Both handlers run now, slowly (200 ms), and are answered.
    let (axum, actix) = (finish_delivery(to_axum), finish_delivery(to_actix));
    assert!(axum.starts_with("HTTP/1.1 202") && axum.ends_with("processed by axum"), "{axum}");
    assert!(actix.starts_with("HTTP/1.1 202") && actix.ends_with("processed by actix"), "{actix}");
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}

#[test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
fn sigint_stops_both_instances() {
    let redis_url = redis_url("sigint_stops_both_instances");
    let mut running = Running::start(&redis_url);
    running.signal("INT");
    assert!(running.line_with("SIGINT").contains("stopping both instances"));
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}
