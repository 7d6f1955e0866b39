//! The middleware under load over loopback: the same actix-web endpoint bare, with
//! `WebhookVerify`, and with `WebhookVerify` plus a `MemoryStore`, 1 KiB signed deliveries,
//! load from another process (`wrk`).
//!
//! Run with `cargo bench -p hookwarden-actix --bench loopback` (needs `wrk`, e.g.
//! `apt-get install wrk`; without it the bench says so and exits). Each endpoint is served by a
//! process of its own (this bench, run again with `HOOKWARDEN_ACTIX_SERVE` set) with one
//! worker. The bench alternates the endpoints for several rounds and prints, for each, the
//! requests per second and the server's CPU time per request (from `/proc`), then the median of
//! the per-round ratios to the bare endpoint. On a shared machine the requests per second
//! swing with other load; CPU time per request barely does. `LOOPBACK_SECS` (default 5),
//! `LOOPBACK_ROUNDS` (default 5) and `LOOPBACK_CONNECTIONS` (default 32) tune it.
//!
//! `wrk` cycles through 4096 deliveries with distinct ids. The replay-store endpoint answers
//! duplicates with 409 (which `wrk` would count as errors, failing the bench), and its store's
//! clock jumps a day every 20 ms, so each id's previous entry has expired when it comes round
//! again: every delivery takes the full claim-and-commit path.

#![allow(missing_docs)]

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use hookwarden::Endpoint;
use hookwarden::{FixedClock, MemoryStore, Message, Verifier, preset::StandardWebhooks};
use hookwarden_actix::WebhookVerify;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const POOL: usize = 4096;
const SERVE: &str = "HOOKWARDEN_ACTIX_SERVE";
const MODES: [&str; 3] = ["bare", "WebhookVerify", "WebhookVerify+store"];

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn verifier() -> Verifier {
    Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap()
}

fn main() {
    if let Ok(mode) = std::env::var(SERVE) {
        serve(&mode);
        return;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("loopback: `wrk` not found (apt-get install wrk); skipping");
        return;
    }
    let secs = env_or("LOOPBACK_SECS", 5);
    let rounds = env_or("LOOPBACK_ROUNDS", 5);
    let connections = env_or("LOOPBACK_CONNECTIONS", 32);
    let script = write_script();
    let servers: Vec<Server> = MODES.iter().map(|mode| Server::start(mode)).collect();

    println!(
        "loopback: {secs}s per run, {rounds} rounds, {connections} connections, 1 KiB bodies, \
         1 server worker per endpoint, wrk -t1"
    );
    // results[endpoint][round] = (requests per second, server CPU microseconds per request)
    let mut results = vec![Vec::new(); MODES.len()];
    for round in 1..=rounds {
        for (index, server) in servers.iter().enumerate() {
            let cpu_before = server.cpu_ticks();
            let (rps, requests) = wrk(&server.url, &script, secs, connections);
            let cpu = (server.cpu_ticks() - cpu_before) as f64 / ticks_per_second();
            let cpu_per_request = 1e6 * cpu / requests.max(1) as f64;
            println!(
                "  round {round}: {:<20} {rps:>9.0} req/s  {cpu_per_request:>6.1} µs CPU/request",
                MODES[index]
            );
            results[index].push((rps, cpu_per_request));
        }
    }
    drop(servers);
    let _ = std::fs::remove_file(&script);

    // Rounds are paired: each ratio compares runs made seconds apart, so drifts in the
    // machine's load largely cancel out.
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    for index in 1..MODES.len() {
        let rps_ratio =
            median(results[index].iter().zip(&results[0]).map(|(with, bare)| with.0 / bare.0).collect());
        let cpu_ratio =
            median(results[0].iter().zip(&results[index]).map(|(bare, with)| bare.1 / with.1).collect());
        println!(
            "{:<20} median {:.0} req/s (bare {:.0}); ratio to bare: {rps_ratio:.3} by req/s, \
             {cpu_ratio:.3} by CPU/request ({:.1} vs {:.1} µs)",
            MODES[index],
            median(results[index].iter().map(|r| r.0).collect()),
            median(results[0].iter().map(|r| r.0).collect()),
            median(results[index].iter().map(|r| r.1).collect()),
            median(results[0].iter().map(|r| r.1).collect()),
        );
    }
}

/// One endpoint's server process.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(mode: &str) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(SERVE, mode)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Self { child, url: format!("http://{}/webhooks", line.trim()) }
    }

    /// User plus system CPU time of the server process, in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        // Fields after the command name, which is in parentheses: utime and stime are the
        // 12th and 13th.
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ticks_per_second() -> f64 {
    let output = Command::new("getconf").arg("CLK_TCK").output();
    output.ok().and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok()).unwrap_or(100.0)
}

/// The handler of every endpoint: takes the body, answers 200.
async fn handler(body: web::Bytes) -> HttpResponse {
    std::hint::black_box(body.len());
    HttpResponse::Ok().finish()
}

/// The server process: prints its address, then serves `/webhooks` on one worker until killed.
fn serve(mode: &str) {
    let verify = match mode {
        "bare" => None,
        "WebhookVerify" => Some(WebhookVerify::new(verifier())),
        _ => {
            let clock = FixedClock::at(NOW);
            let ticking = clock.clone();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(20));
                    ticking.advance(Duration::from_secs(24 * 60 * 60));
                }
            });
            Some(WebhookVerify::new(
                Endpoint::new(verifier())
                    .replay_store(MemoryStore::new().clock(clock))
                    .duplicate_status(StatusCode::CONFLICT.as_u16()),
            ))
        }
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    println!("{}", listener.local_addr().unwrap());
    actix_web::rt::System::new()
        .block_on(async move {
            match verify {
                None => {
                    HttpServer::new(|| {
                        App::new().service(web::resource("/webhooks").route(web::post().to(handler)))
                    })
                    .workers(1)
                    .listen(listener)
                    .unwrap()
                    .run()
                    .await
                }
                Some(verify) => {
                    HttpServer::new(move || {
                        App::new().service(
                            web::resource("/webhooks").wrap(verify.clone()).route(web::post().to(handler)),
                        )
                    })
                    .workers(1)
                    .listen(listener)
                    .unwrap()
                    .run()
                    .await
                }
            }
        })
        .unwrap();
}

/// A wrk script cycling through `POOL` signed 1 KiB deliveries with distinct ids.
fn write_script() -> std::path::PathBuf {
    let verifier = verifier();
    let body: String = (0..1024).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    let mut lua = String::from("local requests = {}\nlocal n = 0\nlocal body = \"");
    lua.push_str(&body);
    lua.push_str("\"\nlocal signed = {\n");
    for i in 0..POOL {
        let id = format!("msg_{i}");
        let headers = verifier.sign(&Message::new(body.as_bytes()).id(&id)).unwrap();
        lua.push_str("  {");
        for (name, value) in headers.iter() {
            write!(lua, "[\"{name}\"]=\"{value}\",").unwrap();
        }
        lua.push_str("},\n");
    }
    lua.push_str(
        "}\n\
         init = function(args)\n\
         \x20 for i, headers in ipairs(signed) do\n\
         \x20   headers[\"content-type\"] = \"application/octet-stream\"\n\
         \x20   requests[i] = wrk.format(\"POST\", \"/webhooks\", headers, body)\n\
         \x20 end\n\
         end\n\
         request = function()\n\
         \x20 n = n % #requests + 1\n\
         \x20 return requests[n]\n\
         end\n",
    );
    let path = std::env::temp_dir().join(format!("hookwarden-actix-loopback-{}.lua", std::process::id()));
    std::fs::write(&path, lua).unwrap();
    path
}

/// Runs wrk against `url`; returns requests per second and the number of requests.
fn wrk(url: &str, script: &std::path::Path, secs: u64, connections: u64) -> (f64, u64) {
    let output = Command::new("wrk")
        .args(["-t1", &format!("-c{connections}"), &format!("-d{secs}s"), "-s"])
        .arg(script)
        .arg(url)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    assert!(!text.contains("Non-2xx"), "some deliveries were not handled:\n{text}");
    let rps = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap();
    let requests = text
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    (rps, requests)
}
