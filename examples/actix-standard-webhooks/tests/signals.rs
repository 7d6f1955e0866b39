//! The receiver stops on SIGTERM and on Ctrl-C (SIGINT) with exit code 0: it refuses new
//! connections at once, and answers the delivery already in flight first.
#![cfg(unix)]

use std::process::Command;
use std::time::Duration;

use hookwarden::{Message, Verifier, preset::StandardWebhooks};
use tests::running::{Running, finish_delivery, start_delivery, wait_until_refusing};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &[u8] = br#"{"type":"user.created","timestamp":"2024-01-01T00:00:00Z","data":{"id":"user_1"}}"#;

/// The example, listening on a free port, and its address.
fn start() -> (Running, String) {
    let running = Running::start(
        Command::new(env!("CARGO_BIN_EXE_actix-standard-webhooks"))
            .env("WEBHOOK_SECRET", SECRET)
            .env_remove("WEBHOOK_SECRET_PREVIOUS")
            .env("BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info"),
    );
    let line = running.line_with("receiving Standard Webhooks deliveries on POST http://");
    let address = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
    (running, address)
}

/// The head of a signed delivery to `address`, asking for `100 Continue` before its body.
fn head(address: &str) -> String {
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
    head
}

#[test]
fn sigterm_answers_the_delivery_in_flight_then_exits_0() {
    let (mut running, address) = start();
    let delivery = start_delivery(&address, &head(&address));

    running.signal("TERM");
    wait_until_refusing(&address);
    let response = finish_delivery(delivery, BODY);
    assert!(response.starts_with("HTTP/1.1 204"), "{response}");
    assert!(running.line_with("SIGTERM").contains("stopping once the deliveries in flight are answered"));
    // Then the handler ran.
    assert!(running.line_with("handling delivery").contains("msg_signals_1"));
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}

#[test]
fn sigint_exits_0() {
    let (mut running, _) = start();
    running.signal("INT");
    let status = running.exit_within(Duration::from_secs(5));
    assert!(status.success(), "{status}");
}
