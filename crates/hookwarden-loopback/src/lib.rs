//! The harness of the adapters' loopback benches (`benches/loopback.rs` in hookwarden-tower and
//! hookwarden-actix): what an adapter costs a server per request beyond the core's own work.
//!
//! Every delivery is 1 KiB of Standard Webhooks JSON with a webhook-id of its own, signed before
//! the run (by the client, whose CPU is not counted). Each round measures, each in a fresh
//! process:
//!
//! - `bare`: the framework's endpoint on 127.0.0.1 whose handler takes the body and answers 200;
//! - the adapter's run: the same endpoint behind the adapter, driving
//!   `Endpoint::new(verifier).replay_store(MemoryStore::new())`, so every delivery is verified,
//!   claimed and committed;
//! - `steps in handler`: the bare endpoint whose handler itself calls the endpoint's steps
//!   (admit, verify, claim, settle), as the adapter does: a cross-check of the glue that keeps
//!   the core's work inside a busy server;
//! - `core`: no HTTP, the same deliveries through `Endpoint::admit`, `verify`, `claim` and
//!   `settle(claim, Some(200))` in a loop (headers in an `http::HeaderMap`), timed by the
//!   thread's CPU clock.
//!
//! The HTTP runs load the server from a second process (32 keep-alive connections, one request
//! in flight on each) and count the server process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`, read
//! by the server when asked) over the measured requests, after a warm-up. Each server has a fresh
//! store, and the core run the same number of deliveries into a fresh store, so the store is in
//! the same state in both. The glue is `adapter − bare − core` per round; the bench prints every
//! run, then the medians over the rounds of the per-round figures.
//!
//! `LOOPBACK_ROUNDS` (default 15), `LOOPBACK_REQUESTS` (measured requests per run, default
//! 40,000), `LOOPBACK_WARMUP` (default 4,000) and `LOOPBACK_CONNECTIONS` (default 32) tune it.
//! Warm-up plus measured requests stay under the store's default capacity (100,000): with every
//! entry inside its timestamp window, a full store refuses new claims.

use std::hint::black_box;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cpu_time::{ProcessTime, ThreadTime};
use hookwarden::endpoint::Head;
use hookwarden::{Endpoint, MemoryStore, Message, Verifier, preset::StandardWebhooks};
use http::HeaderMap;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The adapter a loopback bench measures, and how its servers run.
#[derive(Debug)]
pub struct Adapter {
    /// The server mode that runs behind the adapter (`layer`, `middleware`).
    pub mode: &'static str,
    /// What its runs are called in the report (`layer+store`).
    pub name: &'static str,
    /// How a server runs, for the report (`one tokio worker`).
    pub workers: &'static str,
    /// Serves `POST /webhooks` on 127.0.0.1 in `mode` (`bare`, `steps` or the adapter's),
    /// through [`endpoint`]: prints the address, calls [`answer_cpu_queries`] on a thread of
    /// its own, then serves until the process exits.
    pub serve: fn(mode: &str),
}

static ADAPTER: OnceLock<&'static Adapter> = OnceLock::new();

fn adapter() -> &'static Adapter {
    ADAPTER.get().expect("run sets the adapter")
}

/// The bench's `main`: plays the part its environment says (the bench itself, a server, the
/// client or the core run).
pub fn run(adapter: &'static Adapter) {
    ADAPTER.set(adapter).expect("run once");
    match std::env::var(ROLE).as_deref() {
        Ok("client") => client(),
        Ok("core") => core(),
        Ok(mode) => (adapter.serve)(mode),
        Err(_) => bench(),
    }
}

/// The runs of one round: the server modes, then the core's steps without HTTP.
fn runs() -> [(&'static str, &'static str); 4] {
    let adapter = adapter();
    [("bare", "bare"), (adapter.mode, adapter.name), ("steps", "steps in handler"), ("core", "core, no HTTP")]
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// Which part this process plays: unset for the bench itself, else a server mode, `client` or
/// `core`.
pub const ROLE: &str = "HOOKWARDEN_LOOPBACK_ROLE";
const TARGET: &str = "HOOKWARDEN_LOOPBACK_TARGET";
const PREFIX: &str = "HOOKWARDEN_LOOPBACK_PREFIX";
const BODY_LEN: usize = 1024;
/// Deliveries the core run signs, then times, at a time: their header maps stay in cache, as a
/// request's do in a server that has just parsed it.
const CORE_CHUNK: usize = 128;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    rounds: usize,
    requests: usize,
    warmup: usize,
    connections: usize,
}

impl Settings {
    fn from_env() -> Self {
        let settings = Self {
            rounds: env_or("LOOPBACK_ROUNDS", 15).max(1),
            requests: env_or("LOOPBACK_REQUESTS", 40_000).max(1),
            warmup: env_or("LOOPBACK_WARMUP", 4_000),
            connections: env_or("LOOPBACK_CONNECTIONS", 32).max(1),
        };
        assert!(
            settings.warmup + settings.requests <= 90_000,
            "LOOPBACK_WARMUP + LOOPBACK_REQUESTS must stay under 90,000: MemoryStore::new() holds \
             100,000 deliveries, and refuses new ones while all are inside their timestamp window"
        );
        settings
    }

    fn deliveries(&self) -> usize {
        self.warmup + self.requests
    }
}

fn verifier() -> Verifier {
    Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap()
}

/// The endpoint of the adapter's server, of the steps in a handler and of the core run. A copy would be answered 409 rather
/// than 200, so the client would notice one (there are none: every id is fresh).
pub fn endpoint() -> Endpoint {
    Endpoint::new(verifier()).replay_store(MemoryStore::new()).duplicate_status(409)
}

/// 1 KiB of JSON.
fn body() -> Bytes {
    let head = r#"{"type":"invoice.paid","data":{"pad":""#;
    let tail = r#""}}"#;
    let mut body = String::from(head);
    body.extend((0..BODY_LEN - head.len() - tail.len()).map(|i| char::from(b'a' + (i % 26) as u8)));
    body.push_str(tail);
    assert_eq!(body.len(), BODY_LEN);
    Bytes::from(body)
}

/// The signed headers of delivery `index`: a 31-character webhook-id of its own.
fn signed(verifier: &Verifier, prefix: &str, index: usize, body: &[u8]) -> hookwarden::SignedHeaders {
    let id = format!("msg_{prefix}{index:0>width$}", width = 27 - prefix.len());
    verifier.sign(&Message::new(body).id(&id)).unwrap()
}

// ----------------------------------------------------------------------------------------------
// The bench: runs the others and reports.

/// One run's figures.
#[derive(Debug, Clone, Copy)]
struct Figures {
    /// Server (or core) CPU per request, in microseconds.
    cpu: f64,
    /// Requests per second, HTTP runs only.
    rps: f64,
    /// Server CPU over wall time, HTTP runs only.
    busy: f64,
    /// The client's CPU per request, HTTP runs only.
    client: f64,
}

fn bench() {
    let settings = Settings::from_env();
    println!(
        "loopback: {} rounds; per run {} requests (after {} warm-up) on {} connections, 1 KiB \
         Standard Webhooks deliveries each with a fresh webhook-id; one server process per run, \
         {}",
        settings.rounds,
        settings.requests,
        settings.warmup,
        settings.connections,
        adapter().workers
    );
    let runs = runs();
    let mut figures: Vec<Vec<Figures>> = vec![Vec::new(); runs.len()];
    for round in 0..settings.rounds {
        // Each round starts with another run, so a change in the machine's load favours none.
        for step in 0..runs.len() {
            let index = (round + step) % runs.len();
            let (mode, name) = runs[index];
            let prefix = format!("{round}{index}_");
            let run = if mode == "core" { core_run(&prefix) } else { http_run(mode, &prefix) };
            if mode == "core" {
                println!("  round {}: {name:<18} {:>26.2} µs CPU/delivery", round + 1, run.cpu);
            } else {
                println!(
                    "  round {}: {name:<18} {:>7.0} req/s {:>8.2} µs server CPU/request (busy {:>3.0}%, \
                     client {:.2} µs)",
                    round + 1,
                    run.rps,
                    run.cpu,
                    run.busy * 100.0,
                    run.client
                );
            }
            figures[index].push(run);
        }
    }
    report(&figures);
}

fn report(figures: &[Vec<Figures>]) {
    let label = adapter().name;
    let cpu = |i: usize| figures[i].iter().map(|f| f.cpu).collect::<Vec<_>>();
    let [bare, adapter, steps, core] = [0, 1, 2, 3].map(cpu);
    let per_round = |f: &dyn Fn(usize) -> f64| (0..bare.len()).map(f).collect::<Vec<f64>>();
    let glue = per_round(&|r| adapter[r] - bare[r] - core[r]);
    let over_steps = per_round(&|r| adapter[r] - steps[r]);
    let steps_over_core = per_round(&|r| steps[r] - bare[r] - core[r]);
    let [fast_bare, fast_adapter, fast_steps, fast_core] = [&bare, &adapter, &steps, &core].map(|v| min(v));
    let fast_glue = fast_adapter - fast_bare - fast_core;
    println!(
        "medians over {} rounds, of each figure and of the per-round differences (in brackets: from \
         each run's fastest round)",
        bare.len()
    );
    for (index, name) in runs().iter().map(|run| run.1).enumerate() {
        let values = cpu(index);
        if index == 3 {
            println!("  {name:<18} {:>6.2} µs CPU/delivery ({:.2})", median(values.clone()), min(&values));
        } else {
            let rps = median(figures[index].iter().map(|f| f.rps).collect());
            println!(
                "  {name:<18} {:>6.2} µs server CPU/request ({:.2}), {rps:.0} req/s",
                median(values.clone()),
                min(&values)
            );
        }
    }
    println!(
        "  {label} − bare: {:.2} µs ({:.2}); capacity ratio bare / {label}: {:.3}",
        median(per_round(&|r| adapter[r] - bare[r])),
        fast_adapter - fast_bare,
        median(per_round(&|r| bare[r] / adapter[r]))
    );
    println!(
        "glue = {label} − bare − core: {:.2} µs per request (rounds {}) ({fast_glue:.2}); bar ≤ 0.30 µs: {}",
        median(glue.clone()),
        spread(&glue),
        if median(glue.clone()) <= 0.30 && fast_glue <= 0.30 { "met" } else { "NOT met" }
    );
    println!(
        "cross-check: {label} − steps in handler: {:.2} µs (rounds {}) ({:.2}); steps in handler − \
         bare − core: {:.2} µs ({:.2})",
        median(over_steps.clone()),
        spread(&over_steps),
        fast_adapter - fast_steps,
        median(steps_over_core.clone()),
        fast_steps - fast_bare - fast_core
    );
    // The server's CPU per request depends on whether the client had the other core to itself
    // (the server then runs flat out) or shared the machine with other work: rounds whose three
    // HTTP runs were all in the same regime, apart.
    for (regime, saturated) in [("saturated", true), ("not saturated", false)] {
        let rounds: Vec<usize> = (0..bare.len())
            .filter(|&r| (0..3).all(|i| (figures[i][r].busy >= SATURATED) == saturated))
            .collect();
        if rounds.is_empty() {
            continue;
        }
        let pick = |values: &[f64]| rounds.iter().map(|&r| values[r]).collect::<Vec<_>>();
        println!(
            "  {} rounds {regime} (every HTTP run {} {:.0}% busy): glue {:.2} µs, {label} − steps in \
             handler {:.2} µs, steps in handler − bare − core {:.2} µs",
            rounds.len(),
            if saturated { "≥" } else { "<" },
            SATURATED * 100.0,
            median(pick(&glue)),
            median(pick(&over_steps)),
            median(pick(&steps_over_core))
        );
    }
}

/// A server this busy (CPU time over wall time, one worker) ran flat out.
const SATURATED: f64 = 0.9;

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

fn spread(values: &[f64]) -> String {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{:.2} to {max:.2}", min(values))
}

/// A child process of this bench in `role`, its stdin and stdout piped.
struct Peer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Peer {
    fn spawn(role: &str, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command.env(ROLE, role).stdin(Stdio::piped()).stdout(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Self { child, stdin, stdout }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "a child process of the bench ended early");
        line.trim().to_owned()
    }

    fn say(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Closes its stdin, which ends it, and waits for it.
    fn finish(mut self) {
        drop(self.stdin.take());
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A server in `mode` and a client in processes of their own: the server's CPU time per
/// request over the measured requests.
fn http_run(mode: &str, prefix: &str) -> Figures {
    let settings = Settings::from_env();
    let mut server = Peer::spawn(mode, &[]);
    let addr = server.line();
    let mut client = Peer::spawn("client", &[(TARGET, &addr), (PREFIX, prefix)]);
    assert_eq!(client.line(), "ready");
    server.say("cpu");
    let before: f64 = server.line().parse().unwrap();
    let started = Instant::now();
    client.say("go");
    let done = client.line();
    let elapsed = started.elapsed().as_secs_f64();
    server.say("cpu");
    let after: f64 = server.line().parse().unwrap();
    client.finish();
    server.finish();
    let client_cpu: f64 = done.strip_prefix("done ").unwrap().parse().unwrap();
    let requests = settings.requests as f64;
    Figures {
        cpu: (after - before) / 1e3 / requests,
        rps: requests / elapsed,
        busy: (after - before) / 1e9 / elapsed,
        client: client_cpu / 1e3 / requests,
    }
}

fn core_run(prefix: &str) -> Figures {
    let mut core = Peer::spawn("core", &[(PREFIX, prefix)]);
    let nanos: f64 = core.line().parse().unwrap();
    core.finish();
    let requests = Settings::from_env().requests as f64;
    Figures { cpu: nanos / 1e3 / requests, rps: 0.0, busy: 0.0, client: 0.0 }
}

/// Answers each line on stdin with the process's CPU time in nanoseconds; exits at its end.
pub fn answer_cpu_queries() {
    for line in std::io::stdin().lock().lines() {
        line.unwrap();
        println!("{}", ProcessTime::now().as_duration().as_nanos());
    }
    std::process::exit(0);
}

// ----------------------------------------------------------------------------------------------
// The core run.

/// The deliveries' headers as a server has them once parsed, in the order the client sends
/// them.
fn header_map(addr: &str, signed: &hookwarden::SignedHeaders) -> HeaderMap {
    let mut map = HeaderMap::with_capacity(8);
    map.append("host", addr.parse().unwrap());
    map.append("content-type", "application/json".parse().unwrap());
    map.append("content-length", BODY_LEN.into());
    map.extend(signed.to_header_map());
    map
}

/// What the adapter asks of the endpoint for one delivery. Never inlined, so that a profiler
/// (`valgrind --tool=callgrind --toggle-collect='*core_steps*'`) can count it alone.
#[inline(never)]
fn core_steps(endpoint: &Endpoint, headers: &HeaderMap, body: &[u8]) {
    let head = Head::new("POST", "/webhooks", headers);
    let admission = endpoint.admit(&head).unwrap();
    let delivery = endpoint.verify(&head, &admission, body).unwrap();
    let claim = now_or_never(endpoint.claim(&delivery)).unwrap();
    assert!(claim.is_some());
    assert!(now_or_never(endpoint.settle(claim, Some(200))));
    black_box(delivery.into_verified());
}

/// The core process: the same deliveries as a server run, through the endpoint's steps; prints
/// the thread's CPU time over the measured ones, in nanoseconds.
fn core() {
    let settings = Settings::from_env();
    let prefix = std::env::var(PREFIX).unwrap();
    let endpoint = endpoint();
    let verifier = endpoint.verifier().clone();
    let body = body();
    let addr = "127.0.0.1:40000";
    let maps = |range: std::ops::Range<usize>| {
        range.map(|i| header_map(addr, &signed(&verifier, &prefix, i, &body))).collect::<Vec<_>>()
    };
    for headers in maps(0..settings.warmup) {
        core_steps(&endpoint, &headers, &body);
    }
    let mut cpu = Duration::ZERO;
    let mut timings = 0u32;
    let mut start = settings.warmup;
    while start < settings.deliveries() {
        let end = (start + CORE_CHUNK).min(settings.deliveries());
        let chunk = maps(start..end);
        let timer = ThreadTime::now();
        for headers in &chunk {
            core_steps(&endpoint, headers, &body);
        }
        cpu += timer.elapsed();
        timings += 1;
        start = end;
    }
    // Less what reading the clock costs, once per chunk.
    let timer = ThreadTime::now();
    for _ in 0..1000 {
        black_box(ThreadTime::now());
    }
    let clock = timer.elapsed() / 1000;
    println!("{}", (cpu.saturating_sub(clock * timings)).as_nanos());
}

/// Polls a future that never waits (the memory store's) once.
fn now_or_never<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => unreachable!("the memory store never waits"),
    }
}

// ----------------------------------------------------------------------------------------------
// The client process.

/// The client: signs every delivery, connects, sends the warm-up, says `ready`; on `go` sends
/// the measured requests and says `done <its CPU nanoseconds>`; exits at the end of its stdin.
fn client() {
    let settings = Settings::from_env();
    let addr: SocketAddr = std::env::var(TARGET).unwrap().parse().unwrap();
    let prefix = std::env::var(PREFIX).unwrap();
    let verifier = verifier();
    let body = body();
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..settings.deliveries())
            .map(|i| {
                let mut request = format!(
                    "POST /webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
                     content-length: {BODY_LEN}\r\n"
                );
                for (name, value) in signed(&verifier, &prefix, i, &body).iter() {
                    request.push_str(&format!("{name}: {value}\r\n"));
                }
                request.push_str("\r\n");
                let mut request = request.into_bytes();
                request.extend_from_slice(&body);
                request
            })
            .collect(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut streams = Vec::new();
        for _ in 0..settings.connections {
            let stream = TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            streams.push(stream);
        }
        let streams = send(streams, &requests, 0..settings.warmup).await;
        println!("ready");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).unwrap();
        let cpu = ProcessTime::now();
        let streams = send(streams, &requests, settings.warmup..settings.deliveries()).await;
        println!("done {}", cpu.elapsed().as_nanos());
        std::io::stdin().read_line(&mut line).unwrap();
        drop(streams);
    });
}

/// Sends the requests of `range` over `streams`, one in flight on each; returns the streams.
async fn send(
    streams: Vec<TcpStream>,
    requests: &Arc<Vec<Vec<u8>>>,
    range: std::ops::Range<usize>,
) -> Vec<TcpStream> {
    let next = Arc::new(AtomicUsize::new(range.start));
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            let (next, requests, end) = (Arc::clone(&next), Arc::clone(requests), range.end);
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(4096);
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= end {
                        return stream;
                    }
                    stream.write_all(&requests[index]).await.unwrap();
                    read_response(&mut stream, &mut buffer).await;
                }
            })
        })
        .collect();
    let mut streams = Vec::new();
    for task in tasks {
        streams.push(task.await.unwrap());
    }
    streams
}

/// Reads one response, which must be a 200 with a `content-length`, and drops it from the
/// front of `buffer` (which may hold the start of the next one).
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            assert!(head.starts_with("http/1.1 200 "), "not a 200: {}", String::from_utf8_lossy(buffer));
            assert!(!head.contains("transfer-encoding"), "a chunked response: {head}");
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |value| value.trim().parse::<usize>().unwrap());
            let total = end + 4 + length;
            if buffer.len() >= total {
                buffer.drain(..total);
                return;
            }
        }
        assert!(stream.read_buf(buffer).await.unwrap() > 0, "the server closed the connection");
    }
}
