//! The middleware under load over loopback: the same actix-web endpoint bare, with
//! `WebhookVerify`, and with `WebhookVerify` plus a `MemoryStore`, 1 KiB signed deliveries,
//! load from a second process (`wrk`).
//!
//! Run with `cargo bench -p hookwarden-actix --bench loopback` (needs `wrk`, e.g.
//! `apt-get install wrk`; without it the bench says so and exits). Each server has one worker;
//! the bench alternates the endpoints for several rounds and prints the requests per second
//! of each and the median of the per-round ratios to the bare endpoint. `LOOPBACK_SECS`
//! (default 5), `LOOPBACK_ROUNDS` (default 5) and `LOOPBACK_CONNECTIONS` (default 32) tune it.
//!
//! `wrk` cycles through 4096 deliveries with distinct ids. For the replay-store endpoint the
//! store's clock jumps a day every 20 ms, so each id's previous entry has expired when it comes
//! round again: every delivery takes the full claim-and-commit path (the share that did is
//! printed).

#![allow(missing_docs)]

use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use hookwarden::{FixedClock, MemoryStore, Message, Verifier, preset::StandardWebhooks};
use hookwarden_actix::WebhookVerify;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const POOL: usize = 4096;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The handler of every endpoint: takes the body, answers 200.
async fn handler(body: web::Bytes, calls: web::Data<AtomicU64>) -> HttpResponse {
    std::hint::black_box(body.len());
    calls.fetch_add(1, Ordering::Relaxed);
    HttpResponse::Ok().finish()
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("loopback: `wrk` not found (apt-get install wrk); skipping");
        return;
    }
    let secs = env_or("LOOPBACK_SECS", 5);
    let rounds = env_or("LOOPBACK_ROUNDS", 5);
    let connections = env_or("LOOPBACK_CONNECTIONS", 32);

    let verifier =
        Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap();
    let store_clock = FixedClock::at(NOW);
    let ticking = store_clock.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(20));
            ticking.advance(Duration::from_secs(24 * 60 * 60));
        }
    });

    let script = write_script(&verifier);
    let bare = serve(None);
    let verify = serve(Some(WebhookVerify::new(verifier.clone())));
    let stored =
        serve(Some(WebhookVerify::new(verifier).replay_store(MemoryStore::new().clock(store_clock))));

    println!(
        "loopback: {secs}s per run, {rounds} rounds, {connections} connections, 1 KiB bodies, \
         1 server worker, wrk -t1"
    );
    let endpoints = [("bare", &bare), ("WebhookVerify", &verify), ("WebhookVerify+store", &stored)];
    let mut results = vec![Vec::new(); endpoints.len()];
    for round in 1..=rounds {
        for (index, (name, (addr, calls))) in endpoints.iter().enumerate() {
            let before = calls.load(Ordering::Relaxed);
            let (rps, total) = wrk(*addr, &script, secs, connections);
            let handled = calls.load(Ordering::Relaxed) - before;
            println!(
                "  round {round}: {name:<20} {rps:>9.0} req/s  ({:.1}% reached the handler)",
                100.0 * handled as f64 / total.max(1) as f64
            );
            results[index].push(rps);
        }
    }
    // Rounds are paired: each ratio compares runs made seconds apart, so slow drifts in the
    // machine's load cancel out; the median ratio is the figure to read.
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let ratio = |index: usize| {
        median(results[index].iter().zip(&results[0]).map(|(with, bare)| with / bare).collect())
    };
    println!(
        "median: bare {:.0} req/s, WebhookVerify {:.0} req/s, WebhookVerify+store {:.0} req/s",
        median(results[0].clone()),
        median(results[1].clone()),
        median(results[2].clone()),
    );
    println!(
        "median of per-round ratios to bare: WebhookVerify {:.3}, WebhookVerify+store {:.3}",
        ratio(1),
        ratio(2)
    );
}

/// Serves `/webhooks` (with the middleware when given) on a one-worker server of its own.
fn serve(verify: Option<WebhookVerify>) -> (SocketAddr, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let calls = web::Data::new(AtomicU64::new(0));
    let counter = calls.clone().into_inner();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let route = || web::post().to(handler);
            match verify {
                None => {
                    HttpServer::new(move || {
                        App::new().app_data(calls.clone()).service(web::resource("/webhooks").route(route()))
                    })
                    .workers(1)
                    .disable_signals()
                    .listen(listener)
                    .unwrap()
                    .run()
                    .await
                }
                Some(verify) => {
                    HttpServer::new(move || {
                        App::new()
                            .app_data(calls.clone())
                            .service(web::resource("/webhooks").wrap(verify.clone()).route(route()))
                    })
                    .workers(1)
                    .disable_signals()
                    .listen(listener)
                    .unwrap()
                    .run()
                    .await
                }
            }
        })
    });
    (addr, counter)
}

/// A wrk script cycling through `POOL` signed 1 KiB deliveries with distinct ids.
fn write_script(verifier: &Verifier) -> std::path::PathBuf {
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

/// Runs wrk against `addr`; returns requests per second and the number of requests.
fn wrk(addr: SocketAddr, script: &std::path::Path, secs: u64, connections: u64) -> (f64, u64) {
    let output = Command::new("wrk")
        .args(["-t1", &format!("-c{connections}"), &format!("-d{secs}s"), "-s"])
        .arg(script)
        .arg(format!("http://{addr}/webhooks"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    assert!(!text.contains("Non-2xx"), "some deliveries were rejected:\n{text}");
    let rps = field(&text, "Requests/sec:").parse().unwrap();
    let total = text
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (rps, total)
}

fn field<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines().find_map(|line| line.trim().strip_prefix(name)).map_or("0", str::trim)
}
