//! `redis-multi-instance serve` stops on SIGTERM and on Ctrl-C (SIGINT) with exit code 0: one
//! signal stops both instances, and each refuses new connections at once and answers the
//! delivery already in flight first.
//!
//! It needs Redis at `HOOKWARDEN_REDIS_URL` (`source .ci/redis.sh` starts one). Without it (and
//! outside CI) the test runner reports the tests as ignored; under `CI=true` they run, and a
//! missing Redis fails them (see the package's build script).
#![cfg(unix)]

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookwarden::{Message, Verifier, preset::StandardWebhooks};
use tests::running::{Running, finish_delivery, start_delivery, wait_until_refusing};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"invoice":"in_42","amount":4200}}"#;

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

/// The example in serve mode, both instances on free ports, and their addresses (axum, actix).
fn start(redis_url: &str) -> (Running, String, String) {
    let running = Running::start(
        Command::new(env!("CARGO_BIN_EXE_redis-multi-instance"))
            .arg("serve")
            .env("REDIS_URL", redis_url)
            .env("WEBHOOK_SECRET", SECRET)
            .env("AXUM_ADDR", "127.0.0.1:0")
            .env("ACTIX_ADDR", "127.0.0.1:0"),
    );
    // "one receiver, two instances sharing ...: axum on http://A/webhook, actix-web on http://B/webhook"
    let line = running.line_with("two instances sharing");
    let mut addresses = line.split("http://").skip(1).map(|rest| rest.split('/').next().unwrap().to_owned());
    let (axum, actix) = (addresses.next().unwrap(), addresses.next().unwrap());
    running.line_with("serving;");
    (running, axum, actix)
}

/// The head of a new signed delivery to `address`, asking for `100 Continue` before its body.
fn head(address: &str) -> String {
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
    head
}

#[test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
fn sigterm_stops_both_instances_once_their_deliveries_are_answered() {
    let redis_url = redis_url("sigterm_stops_both_instances_once_their_deliveries_are_answered");
    let (mut running, axum, actix) = start(&redis_url);
    let to_axum = start_delivery(&axum, &head(&axum));
    let to_actix = start_delivery(&actix, &head(&actix));

    running.signal("TERM");
    assert!(running.line_with("SIGTERM").contains("stopping both instances"));
    wait_until_refusing(&axum);
    wait_until_refusing(&actix);
    // Both handlers run now, slowly (200 ms), and are answered.
    let (axum, actix) = (finish_delivery(to_axum, BODY), finish_delivery(to_actix, BODY));
    assert!(axum.starts_with("HTTP/1.1 202") && axum.ends_with("processed by axum"), "{axum}");
    assert!(actix.starts_with("HTTP/1.1 202") && actix.ends_with("processed by actix"), "{actix}");
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}

#[test]
#[cfg_attr(not(redis_server), ignore = "needs a redis-server: source .ci/redis.sh")]
fn sigint_stops_both_instances() {
    let redis_url = redis_url("sigint_stops_both_instances");
    let (mut running, _, _) = start(&redis_url);
    running.signal("INT");
    assert!(running.line_with("SIGINT").contains("stopping both instances"));
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}
