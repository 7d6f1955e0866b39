//! The layer under load over loopback: the same axum endpoint with and without
//! `WebhookVerifyLayer`, 1 KiB signed deliveries, load from a second process.
//!
//! Run with `cargo bench -p hookwarden-tower --bench loopback`. The bench serves both apps,
//! then runs itself again as the load generator (`HOOKWARDEN_LOADGEN` set), alternating the
//! two endpoints for several rounds, and prints the requests per second of each and their
//! ratio (medians over the rounds), and the server's CPU time per request, which is steadier
//! on a shared machine. The server and the load generator each run on one tokio
//! worker thread, so on a two-core machine each has a core and the server is the bottleneck.
//! `LOOPBACK_SECS` (default 5), `LOOPBACK_ROUNDS` (default 5), `LOOPBACK_CONNECTIONS`
//! (default 32) and `LOOPBACK_THREADS` (worker threads of each side, default 1) tune it.

#![allow(missing_docs)]

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use hookwarden::{Message, Verifier, preset::StandardWebhooks};
use hookwarden_tower::WebhookVerifyLayer;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const LOADGEN: &str = "HOOKWARDEN_LOADGEN";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    match std::env::var(LOADGEN) {
        Ok(target) => load_generator(&target),
        Err(_) => bench(),
    }
}

/// The handler of both apps: takes the body, answers 200.
async fn handler(body: Bytes) -> StatusCode {
    std::hint::black_box(body.len());
    StatusCode::OK
}

fn bench() {
    let secs = env_or("LOOPBACK_SECS", 5);
    let rounds = env_or("LOOPBACK_ROUNDS", 5);
    let connections = env_or("LOOPBACK_CONNECTIONS", 32);
    let runtime = runtime();
    let (bare, layered) = runtime.block_on(async {
        let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap();
        let bare = Router::new().route("/webhooks", post(handler));
        let layered =
            Router::new().route("/webhooks", post(handler)).route_layer(WebhookVerifyLayer::new(verifier));
        (serve(bare).await, serve(layered).await)
    });

    println!(
        "loopback: {secs}s per run, {rounds} rounds, {connections} connections, {} worker thread(s) per side, 1 KiB bodies",
        env_or("LOOPBACK_THREADS", 1)
    );
    let mut rps: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let endpoints = [("without layer", bare), ("with layer", layered)];
    for round in 1..=rounds {
        // Alternate which goes first, so a change in the machine's load favours neither.
        let order = if round % 2 == 1 { [0, 1] } else { [1, 0] };
        for index in order {
            let (name, addr) = endpoints[index];
            let before = server_cpu_seconds();
            let (run_rps, requests) = run_load_generator(addr, secs, connections);
            let micros = (server_cpu_seconds() - before) * 1e6 / requests;
            println!(
                "  round {round}: {name:<14} {run_rps:>9.0} req/s  {micros:>6.1} µs server CPU per request"
            );
            rps[index].push(run_rps);
            cpu[index].push(micros);
        }
    }
    let [without, with] = rps.map(median);
    let [cpu_without, cpu_with] = cpu.map(median);
    println!(
        "median: without layer {without:.0} req/s, with layer {with:.0} req/s, ratio {:.3}",
        with / without
    );
    println!(
        "median server CPU per request: without {cpu_without:.1} µs, with {cpu_with:.1} µs, capacity ratio {:.3}",
        cpu_without / cpu_with
    );
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

/// CPU time (user + system) this process has used: the server side, on Linux; 0 elsewhere.
/// On a shared machine it is steadier than requests per second.
fn server_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // After the command name (which ends with ')'), utime and stime are the 12th and 13th
    // fields, in clock ticks (100 per second on Linux).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn runtime() -> tokio::runtime::Runtime {
    let threads = usize::try_from(env_or("LOOPBACK_THREADS", 1)).unwrap();
    tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build().unwrap()
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// Requests per second in the measured window, and all requests the run completed.
fn run_load_generator(addr: SocketAddr, secs: u64, connections: u64) -> (f64, f64) {
    let output = Command::new(std::env::current_exe().unwrap())
        .env(LOADGEN, format!("{addr},{secs},{connections}"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (rps, total) = stdout.trim().split_once(' ').unwrap();
    (rps.parse().unwrap(), total.parse().unwrap())
}

/// The second process: keep-alive HTTP/1.1 connections posting the same signed 1 KiB
/// delivery in a loop; prints the completed requests per second.
fn load_generator(target: &str) {
    let mut fields = target.split(',');
    let addr: SocketAddr = fields.next().unwrap().parse().unwrap();
    let secs: u64 = fields.next().unwrap().parse().unwrap();
    let connections: u64 = fields.next().unwrap().parse().unwrap();

    let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap();
    let body = Bytes::from((0..1024).map(|i| b'a' + (i % 26) as u8).collect::<Vec<u8>>());
    let headers = verifier.sign(&Message::new(&body).id("msg_load")).unwrap().to_header_map();

    let runtime = runtime();
    let completed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let elapsed = runtime.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let (headers, body, completed, stop) =
                (headers.clone(), body.clone(), completed.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let (mut sender, connection) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
                tokio::spawn(connection);
                while !stop.load(Ordering::Relaxed) {
                    let mut request = http::Request::post(format!("http://{addr}/webhooks"))
                        .body(Full::new(body.clone()))
                        .unwrap();
                    request.headers_mut().extend(headers.clone());
                    sender.ready().await.unwrap();
                    let response = sender.send_request(request).await.unwrap();
                    assert_eq!(response.status(), StatusCode::OK);
                    response.into_body().collect().await.unwrap();
                    completed.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        // Warm up, then count.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let start = (Instant::now(), completed.load(Ordering::Relaxed));
        tokio::time::sleep(Duration::from_secs(secs)).await;
        let counted = completed.load(Ordering::Relaxed) - start.1;
        let elapsed = start.0.elapsed();
        stop.store(true, Ordering::Relaxed);
        for task in tasks {
            task.await.unwrap();
        }
        (counted as f64 / elapsed.as_secs_f64(), completed.load(Ordering::Relaxed))
    });
    println!("{} {}", elapsed.0, elapsed.1);
}
