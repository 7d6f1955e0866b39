//! The contenders of `compare`, timed a second way that a busy machine disturbs less: within
//! each group (scheme and body size) the contenders take turns, each running a short batch of
//! verifies per turn, and the fastest batch of each counts. Load that comes and goes then falls
//! on every contender alike instead of on whichever criterion was timing at the moment, and a
//! minimum is only ever raised by noise, never lowered. The ratios between contenders, the bars
//! of `BENCHMARKS.md` among them, are steadier this way than from criterion's medians.
//!
//! Prints one JSON object a line, `{"group":…,"function":…,"ns":…}`, the same names as
//! `compare`; `report --interleaved FILE` reads them.
//!
//! ```sh
//! cd crates/hookwarden-bench && cargo bench --bench interleaved > target/interleaved.jsonl
//! ```
//!
//! `INTERLEAVED_TURNS` (default 1000) sets how many turns each group takes.

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use hookwarden_bench::{FLOOR, SIZES, Scheme, checked_contenders, floor_sha256};

/// About this many body bytes per batch: thousands of verifies at 64 B, one at 1 MiB.
const BATCH_BYTES: usize = 128 * 1024;

/// The fastest of `turns` batches of `batch` runs of each closure, taking turns, in ns per run.
fn fastest(runs: &[&dyn Fn()], batch: usize, turns: u32) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; runs.len()];
    for _ in 0..turns {
        for (run, best) in runs.iter().zip(&mut best) {
            let started = Instant::now();
            for _ in 0..batch {
                run();
            }
            *best = best.min(started.elapsed().as_secs_f64() * 1e9 / batch as f64);
        }
    }
    best
}

fn main() {
    // `cargo bench` passes `--bench`; a filter is not supported.
    let turns = std::env::var("INTERLEAVED_TURNS").ok().and_then(|t| t.parse().ok()).unwrap_or(1000);
    for (len, size) in SIZES {
        for scheme in Scheme::ALL {
            let (contenders, delivery) = checked_contenders(scheme, len);
            let (headers, body) = (&delivery.headers, delivery.body.as_slice());
            let pieces = delivery.signed_pieces();

            let mut names = vec![FLOOR];
            let mut runs: Vec<Box<dyn Fn() + '_>> = vec![Box::new(|| {
                black_box(floor_sha256(black_box(&pieces)));
            })];
            for (name, contender) in &contenders {
                assert!(
                    contender.verify(headers, body),
                    "{name} refused the delivery it is about to be timed on"
                );
                names.push(name);
                runs.push(Box::new(move || assert!(contender.verify(black_box(headers), black_box(body)))));
            }
            let runs: Vec<&dyn Fn()> = runs.iter().map(|run| &**run).collect();
            let batch = (BATCH_BYTES / len).max(1);
            for (name, ns) in names.iter().zip(fastest(&runs, batch, turns)) {
                println!(r#"{{"group":"{}-{size}","function":"{name}","ns":{ns:.1}}}"#, scheme.id());
            }
        }
    }
}
