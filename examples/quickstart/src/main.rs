//! Signs a delivery the way a provider would, then verifies it and a series of bad copies,
//! printing what hookwarden decides for each.
//!
//! Run with `cargo run -p quickstart`.

use std::sync::Arc;

use hookwarden::{
    FixedClock, MemoryStore, Message, SignedHeaders, Verifier, VerifyError, preset::StandardWebhooks,
};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let clock = FixedClock::at(NOW);
    let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).clock(clock.clone()).build()?;
    let store = Arc::new(MemoryStore::new().clock(clock));
    let other_key = Verifier::builder(StandardWebhooks)
        .secret("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .clock(FixedClock::at(NOW))
        .build()?;

    let body = br#"{"type":"invoice.paid","data":{"amount":4200}}"#;
    let sign =
        |verifier: &Verifier, id: &str, at: i64| verifier.sign(&Message::new(body).id(id).timestamp(at));

    let valid = sign(&verifier, "msg_1", NOW)?;
    let cases: Vec<(&str, SignedHeaders, &[u8])> = vec![
        ("valid delivery", valid.clone(), body),
        ("replay of the same delivery", valid.clone(), body),
        (
            "tampered body",
            sign(&verifier, "msg_2", NOW)?,
            br#"{"type":"invoice.paid","data":{"amount":9900}}"#,
        ),
        ("signed with another key", sign(&other_key, "msg_3", NOW)?, body),
        ("timestamp 10 minutes old", sign(&verifier, "msg_4", NOW - 600)?, body),
        ("timestamp 10 minutes ahead", sign(&verifier, "msg_5", NOW + 600)?, body),
        ("signature header missing", without(&valid, "webhook-signature"), body),
        ("timestamp not a number", replaced(&valid, "webhook-timestamp", "yesterday"), body),
    ];

    println!("{:<30} {:<7} {:<24} detail", "delivery", "status", "reason");
    for (name, headers, body) in cases {
        let outcome = verify_once(&verifier, &store, &headers, body);
        let (status, reason, detail) = match &outcome {
            Ok(id) => (202, "accepted", format!("id {id}")),
            Err(err) => (err.status(), err.reason(), err.to_string()),
        };
        println!("{name:<30} {status:<7} {reason:<24} {detail}");
    }
    Ok(())
}

/// Verifies, claims and commits, as an adapter would around a handler that succeeds.
fn verify_once(
    verifier: &Verifier,
    store: &Arc<MemoryStore>,
    headers: &SignedHeaders,
    body: &[u8],
) -> Result<String, VerifyError> {
    let verified = verifier.verify(headers, body)?;
    let claim = block_on(verifier.claim(store, &verified))?;
    // MemoryStore answers at once, so its futures complete on the first poll.
    block_on(claim.commit()).map_err(VerifyError::from)?;
    Ok(verified.id().unwrap_or_default().to_owned())
}

fn without(headers: &SignedHeaders, name: &str) -> SignedHeaders {
    let mut out = SignedHeaders::default();
    headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case(name)).for_each(|(n, v)| out.push(n, v));
    out
}

fn replaced(headers: &SignedHeaders, name: &str, value: &str) -> SignedHeaders {
    let mut out = without(headers, name);
    out.push(name, value);
    out
}

/// Drives a future that is already complete (MemoryStore never waits).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}
