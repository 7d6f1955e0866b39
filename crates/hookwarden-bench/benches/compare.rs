//! Time per verify: hookwarden beside the other crates, a hand-written `hmac` + `sha2`
//! verifier and the SHA-256 floor, in one criterion run.
//!
//! - Groups `<scheme>-<size>` (`standard_webhooks-1KiB`, `stripe-64B`, ...): for each body size
//!   (64 B, 1 KiB, 16 KiB, 1 MiB), each scheme's contenders one after the other, so that they
//!   run under the same machine conditions. Each scheme's delivery is signed right before its
//!   contenders run (every contender checks the timestamp against the system clock).
//! - Groups `rotation-<size>`: verifying with 1, 2 and 5 keys where the matching key is the
//!   last one, Standard Webhooks at 1 KiB (every contender) and 1 MiB (hookwarden and the
//!   hand-written verifier).
//!
//! Before a contender is timed, it must accept the valid delivery and reject a tampered, a
//! wrongly keyed and a stale one; after it was timed it must still accept the delivery (so a
//! timestamp gone stale during the run cannot turn the figures into timings of a rejection).
//!
//! ```sh
//! cd crates/hookwarden-bench
//! cargo bench --bench compare -- --save-baseline pass1   # repeat as pass2, pass3
//! cargo run --release --bin report -- --baselines pass1,pass2,pass3   # tables and charts
//! ```
//!
//! `bench.sh` beside `Cargo.toml` runs this, and everything else `BENCHMARKS.md` quotes.

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};
use hookwarden_bench::{
    Contender, Delivery, FLOOR, HOOKWARDEN, RAW, SIZES, Scheme, check_contenders, checked_contenders,
    floor_sha256, verifiers,
};

fn bench_contender(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    contender: &dyn Contender,
    delivery: &Delivery,
) {
    let (headers, body) = (&delivery.headers, delivery.body.as_slice());
    assert!(contender.verify(headers, body), "{name} refused the delivery it is about to be timed on");
    group.bench_function(name, |b| b.iter(|| contender.verify(black_box(headers), black_box(body))));
    assert!(contender.verify(headers, body), "{name} stopped accepting the delivery during its benchmark");
}

fn compare(c: &mut Criterion) {
    for (len, size) in SIZES {
        for scheme in Scheme::ALL {
            let (contenders, delivery) = checked_contenders(scheme, len);

            let mut group = c.benchmark_group(format!("{}-{size}", scheme.id()));
            group.throughput(Throughput::Bytes(len as u64));
            let pieces = delivery.signed_pieces();
            group.bench_function(FLOOR, |b| b.iter(|| floor_sha256(black_box(&pieces))));
            for (name, contender) in &contenders {
                bench_contender(&mut group, name, contender.as_ref(), &delivery);
            }
            group.finish();
        }
    }
}

fn rotation(c: &mut Criterion) {
    let scheme = Scheme::StandardWebhooks;
    for (len, size, only) in [(1024, "1KiB", None), (1024 * 1024, "1MiB", Some([RAW, HOOKWARDEN]))] {
        let mut group = c.benchmark_group(format!("rotation-{size}"));
        group.throughput(Throughput::Bytes(len as u64));
        for keys in [1, 2, 5] {
            let secrets = scheme.secrets(keys);
            check_contenders(scheme, &secrets, len);
            let delivery = Delivery::new(scheme, len, secrets.last().expect("keys"));
            for (name, contender) in verifiers(scheme, &secrets) {
                if only.is_some_and(|only| !only.contains(&name)) {
                    continue;
                }
                let id = format!("{name}-{keys}key{}", if keys == 1 { "" } else { "s" });
                bench_contender(&mut group, &id, contender.as_ref(), &delivery);
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // 50 samples, 1 s of warm-up and 3 s of measurement per benchmark (the
    // command line can override them).
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = compare, rotation
}
criterion_main!(benches);
