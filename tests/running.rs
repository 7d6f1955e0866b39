//! A server binary under test (an example, `hookwarden serve`): started, read line by line,
//! sent a signal, waited for; and a delivery held in flight across the signal.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// How long a line, a refusal or an answer may take on a busy machine.
pub const WAIT: Duration = Duration::from_secs(20);

/// The running binary; killed if the test ends before it exits.
#[derive(Debug)]
pub struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    /// Spawns `command` with its standard output read line by line.
    ///
    /// # Panics
    ///
    /// When it cannot be spawned.
    pub fn start(command: &mut Command) -> Self {
        let mut child = command.stdout(Stdio::piped()).spawn().expect("the binary starts");
        let stdout = child.stdout.take().expect("piped standard output");
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Self { child, lines }
    }

    /// The next line of its output that contains `needle`.
    ///
    /// # Panics
    ///
    /// When no such line comes within [`WAIT`].
    pub fn line_with(&self, needle: &str) -> String {
        loop {
            let line = self.lines.recv_timeout(WAIT).unwrap_or_else(|_| panic!("no line with {needle}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Sends `signal` (`TERM`, `INT`) the way a terminal, systemd or Docker would.
    ///
    /// # Panics
    ///
    /// When `kill` fails.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").arg(format!("-{signal}")).arg(pid).status().expect("kill runs");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// How it exited.
    ///
    /// # Panics
    ///
    /// When it still runs after `limit`.
    pub fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
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

/// Waits until `address` refuses new connections: the server has begun to stop.
///
/// # Panics
///
/// When it still accepts them 5 s later.
pub fn wait_until_refusing(address: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(address).is_ok() {
        assert!(Instant::now() < deadline, "still accepting connections 5 s after the signal");
        thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `head` (a request head asking `Expect: 100-continue`, with its blank line) and returns
/// once the server asked for the body: the delivery is in flight.
///
/// # Panics
///
/// When the server answers anything but `100 Continue`.
pub fn start_delivery(address: &str, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("the server listens");
    stream.set_read_timeout(Some(WAIT)).expect("a read timeout");
    stream.write_all(head.as_bytes()).expect("the head is sent");
    let mut interim = [0; 25];
    stream.read_exact(&mut interim).expect("an interim answer");
    assert_eq!(String::from_utf8_lossy(&interim), "HTTP/1.1 100 Continue\r\n\r\n");
    stream
}

/// Sends the rest of the delivery, `body`; returns the answer.
///
/// # Panics
///
/// When the connection fails.
pub fn finish_delivery(mut stream: TcpStream, body: &[u8]) -> String {
    stream.write_all(body).expect("the body is sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("an answer");
    response
}
