//! The Worker's delivery path on the host, where `cargo test --workspace` runs it: the same
//! deliveries as `tests/node.rs` runs in Node, on a `futures-executor` thread instead of
//! JavaScript's event loop.
#![cfg(not(target_arch = "wasm32"))]

mod cases;

use futures_executor::block_on;

#[test]
fn a_valid_delivery_gets_the_handlers_answer() {
    block_on(cases::a_valid_delivery_gets_the_handlers_answer());
}

#[test]
fn a_tampered_body_is_refused() {
    block_on(cases::a_tampered_body_is_refused());
}

#[test]
fn a_stale_delivery_is_refused() {
    block_on(cases::a_stale_delivery_is_refused());
}

#[test]
fn a_replayed_delivery_is_acknowledged_once_processed() {
    block_on(cases::a_replayed_delivery_is_acknowledged_once_processed());
}

#[test]
fn a_delivery_without_or_with_a_broken_signature_header_is_refused() {
    block_on(cases::a_delivery_without_or_with_a_broken_signature_header_is_refused());
}

#[test]
fn a_failed_handler_releases_the_claim() {
    block_on(cases::a_failed_handler_releases_the_claim());
}

#[test]
fn a_copy_in_flight_is_told_to_retry_after() {
    block_on(cases::a_copy_in_flight_is_told_to_retry_after());
}

#[test]
fn a_body_over_the_limit_is_refused() {
    block_on(cases::a_body_over_the_limit_is_refused());
}

#[test]
fn other_paths_and_methods_are_not_deliveries() {
    cases::other_paths_and_methods_are_not_deliveries();
}

/// Verify time per delivery on the host, beside the Node figure (`measure.sh` runs both, in
/// release builds): `cargo test --release -p cloudflare-worker --test native -- --ignored
/// --nocapture timing`.
#[test]
#[ignore = "a measurement: run it in a release build"]
fn timing() {
    println!("{}", block_on(cases::time(200_000, 20_000)).line("native"));
}
