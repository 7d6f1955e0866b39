//! The verify path on `wasm32-unknown-unknown`, run in Node by `wasm-bindgen-test-runner` (CI
//! installs it): what a Cloudflare Worker or a browser runs. The system clock there is
//! JavaScript's, so fresh and stale deliveries are told apart by the real time, and the replay
//! store's claims work without threads.
//!
//! ```sh
//! cargo install wasm-bindgen-cli --version <the wasm-bindgen in Cargo.lock>
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test -p hookwarden --target wasm32-unknown-unknown --test wasm
//! ```
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use hookwarden::preset::{GitHub, Slack, StandardWebhooks, Stripe};
use hookwarden::replay::OnSuccess;
use hookwarden::scheme::Request;
use hookwarden::{Clock, MemoryStore, Message, SystemClock, Verifier, VerifyError};
use wasm_bindgen_test::wasm_bindgen_test;

const BODY: &[u8] = br#"{"id":"evt_1","object":"event","type":"invoice.paid"}"#;

/// The providers' own vectors verify, as natively (the fixed-time ones use their own clock).
#[wasm_bindgen_test]
fn provider_vectors_verify() {
    let github = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build().unwrap();
    let headers =
        [("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")];
    assert!(github.verify(&headers[..], b"Hello, World!").is_ok());
    let tampered = github.verify(&headers[..], b"Hello, World?").unwrap_err();
    assert_eq!(tampered.reason(), "no_matching_signature");

    let standard = Verifier::builder(StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .clock(hookwarden::FixedClock::at(1_614_265_330))
        .build()
        .unwrap();
    let headers = [
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
    ];
    assert!(standard.verify(&headers[..], br#"{"test": 2432232314}"#).is_ok());
}

/// The default clock is JavaScript's: a delivery signed now is fresh, one signed an hour ago
/// is stale, with the skew said.
#[wasm_bindgen_test]
fn the_system_clock_tells_fresh_from_stale() {
    let now = SystemClock.now_unix();
    assert!(now > 1_700_000_000, "the clock reads {now}");
    for verifier in [
        Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build().unwrap(),
        Verifier::builder(Slack).secret("8f742231b10e8888abcd99yyyzzz85a5").build().unwrap(),
    ] {
        let fresh = verifier.sign(&Message::new(BODY).timestamp(now)).unwrap();
        assert!(verifier.verify(&fresh, BODY).is_ok(), "{}", verifier.scheme());
        let stale = verifier.sign(&Message::new(BODY).timestamp(now - 3600)).unwrap();
        let error = verifier.verify(&stale, BODY).unwrap_err();
        assert_eq!(error.reason(), "timestamp_too_old", "{}", verifier.scheme());
    }
}

/// Claims, commits and the duplicate answer, in one thread: a Worker's isolate.
#[wasm_bindgen_test]
async fn a_replay_is_a_duplicate() {
    let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build().unwrap();
    let store = Arc::new(MemoryStore::new());
    let headers = verifier.sign(&Message::new(BODY)).unwrap();
    let request = Request::new(&headers, BODY);
    let mut verified = verifier.verify_request(&request).unwrap();
    let claim = verifier.claim(&store, &request, &mut verified).await.unwrap();
    assert!(claim.settle(200, &OnSuccess).await.unwrap());
    let mut again = verifier.verify_request(&request).unwrap();
    let copy = verifier.claim(&store, &request, &mut again).await;
    assert_eq!(copy.unwrap_err(), VerifyError::Duplicate);
}
