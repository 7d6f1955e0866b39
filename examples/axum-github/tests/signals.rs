//! The receiver stops on SIGTERM and on Ctrl-C (SIGINT) with exit code 0: it refuses new
//! connections at once, and answers the delivery already in flight first.
#![cfg(unix)]

use std::process::Command;
use std::time::Duration;

use hookwarden::{Message, Verifier, preset::GitHub};
use tests::running::{Running, finish_delivery, start_delivery, wait_until_refusing};

const SECRET: &str = "It's a Secret to Everybody";
const BODY: &[u8] = br#"{"zen":"Design for failure.","hook_id":1,"repository":{"full_name":"octo/hello"}}"#;

/// The example, listening on a free port, and its address.
fn start() -> (Running, String) {
    let running = Running::start(
        Command::new(env!("CARGO_BIN_EXE_axum-github"))
            .env("GITHUB_WEBHOOK_SECRET", SECRET)
            .env_remove("GITHUB_WEBHOOK_SECRET_PREVIOUS")
            .env("BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info"),
    );
    let line = running.line_with("receiving GitHub deliveries on POST http://");
    let address = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
    (running, address)
}

/// The head of a signed delivery to `address`, asking for `100 Continue` before its body.
fn head(address: &str) -> String {
    let verifier = Verifier::builder(GitHub).secret(SECRET).build().unwrap();
    let mut head = format!(
        "POST /webhooks/github HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         x-github-event: ping\r\ncontent-length: {}\r\nexpect: 100-continue\r\nconnection: close\r\n",
        BODY.len()
    );
    for (name, value) in verifier.sign(&Message::new(BODY)).unwrap().iter() {
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
    running.line_with("Design for failure.");
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
