//! Does verification take longer when a forged signature gets more of its bytes right?
//!
//! A dudect-style test (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", 2017):
//! two classes of forged signatures, wrong in the first byte and wrong in the last byte, are
//! verified in random interleaved order and each verification is timed. If the comparison
//! stopped at the first differing byte, the first class would be faster. Welch's t statistic
//! compares the two timing distributions, on all measurements and on measurements cropped at
//! a series of percentiles (which removes the long tail that interrupts and a busy machine
//! add); |t| above 4.5 is evidence of a leak.
//!
//! `cargo bench -p hookwarden --bench timing` (a report, not a CI gate). The number of
//! measurements is `TIMING_MEASUREMENTS` (default 1,000,000). `TIMING_CONTROL=1` measures a
//! hand-written verifier that stops at the first differing byte instead: the test must flag it.

use std::hint::black_box;
use std::time::Instant;

use hookwarden::{Verifier, preset::GitHub};

const BODY: &[u8] = br#"{"action":"opened","number":1347,"repository":{"full_name":"octo/hello"}}"#;
/// Measurements are taken in batches whose classes are drawn before any is timed, so drawing
/// them never sits between two timings.
const BATCH: usize = 10_000;
/// Crop thresholds, as in dudect: percentiles 1 - 0.5^(10 (i + 1) / CROPS).
const CROPS: usize = 100;
/// Above this |t|, the two classes are told apart with overwhelming confidence.
const THRESHOLD: f64 = 4.5;

/// Running mean and variance (Welford), for one class.
#[derive(Debug, Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        self.m2 / (self.n - 1.0)
    }
}

/// Welch's t statistic of two classes.
fn welch_t(a: &Moments, b: &Moments) -> f64 {
    let difference = a.mean - b.mean;
    let spread = (a.variance() / a.n + b.variance() / b.n).sqrt();
    // A crop can hold only the clock's smallest reading, in both classes: no spread at all.
    // Then equal means are no evidence (0/0 would be NaN, which failed the run), and
    // different ones are all the evidence there is.
    if spread == 0.0 {
        return if difference == 0.0 { 0.0 } else { difference.signum() * f64::INFINITY };
    }
    difference / spread
}

/// xorshift64*: the class of each measurement only needs to be unpredictable to the code
/// under test, not cryptographically random.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The `X-Hub-Signature-256` header for `mac` with one byte changed.
fn forged(mac: &[u8], byte: usize) -> String {
    let mut wrong = mac.to_vec();
    wrong[byte] ^= 0x01;
    format!("sha256={}", base16ct::lower::encode_string(&wrong))
}

/// A hand-written verifier that stops at the first differing byte: the positive control,
/// which this test must catch (`TIMING_CONTROL=1`), or it could not catch anything.
fn early_exit(key: &[u8], header: &str, body: &[u8]) -> bool {
    use hmac::{KeyInit as _, Mac as _};
    let mut hmac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    hmac.update(body);
    let expected = hmac.finalize().into_bytes();
    let mut got = [0; 32];
    let Some(hex) = header.strip_prefix("sha256=") else { return false };
    if base16ct::lower::decode(hex, &mut got).is_err() {
        return false;
    }
    // `black_box` keeps the compiler from turning the loop into a (vectorised) `bcmp`.
    for (a, b) in expected.iter().zip(&got) {
        if black_box(a) != black_box(b) {
            return false;
        }
    }
    true
}

/// Times `verify` on the two classes of header, interleaved at random: (class, nanoseconds).
fn measure(
    classes: &[String; 2],
    measurements: usize,
    mut verify: impl FnMut(&str) -> bool,
) -> Vec<(u8, f64)> {
    // Both classes are verified from the same buffer, so that where their bytes sit in memory
    // (alignment, cache lines) cannot tell them apart; only their contents differ.
    let mut value = String::with_capacity(classes[0].len());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let mut rng = Rng((now.as_nanos() as u64 ^ u64::from(std::process::id()) << 32) | 1);
    let mut samples = Vec::with_capacity(measurements);
    let mut batch = [0u8; BATCH];
    // The first batch warms caches and branch predictors and is thrown away, as dudect does.
    let mut warm = true;
    while samples.len() < measurements {
        batch.iter_mut().for_each(|class| *class = (rng.next() >> 63) as u8);
        for &class in &batch {
            value.clear();
            value.push_str(&classes[usize::from(class)]);
            let start = Instant::now();
            let verified = verify(black_box(value.as_str()));
            let elapsed = start.elapsed();
            assert!(!black_box(verified), "a forged signature verified");
            if !warm {
                samples.push((class, elapsed.as_nanos() as f64));
            }
        }
        warm = false;
    }
    samples.truncate(measurements);
    samples
}

/// Welch's t on all samples and on samples cropped at each percentile; returns the largest |t|.
fn report(samples: &[(u8, f64)]) -> f64 {
    let mut sorted: Vec<f64> = samples.iter().map(|(_, t)| *t).collect();
    sorted.sort_by(f64::total_cmp);
    let quantile = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
    let crops: Vec<f64> =
        (0..CROPS).map(|i| quantile(1.0 - 0.5f64.powf(10.0 * (i + 1) as f64 / CROPS as f64))).collect();

    // Test 0: every measurement; test i: those below crop i.
    let mut tests = vec![[Moments::default(); 2]; CROPS + 1];
    for &(class, t) in samples {
        tests[0][usize::from(class)].push(t);
        for (i, crop) in crops.iter().enumerate() {
            if t < *crop {
                tests[i + 1][usize::from(class)].push(t);
            }
        }
    }
    let ts: Vec<f64> =
        tests.iter().filter(|m| m[0].n > 1.0 && m[1].n > 1.0).map(|m| welch_t(&m[0], &m[1])).collect();
    let (worst_index, worst) =
        ts.iter().enumerate().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs())).expect("at least one test");

    let [first, last] = tests[0];
    println!("measurements: {} (first byte: {}, last byte: {})", samples.len(), first.n, last.n);
    println!("mean: first byte {:.1} ns, last byte {:.1} ns", first.mean, last.mean);
    println!("median {:.0} ns, 99th percentile {:.0} ns", quantile(0.5), quantile(0.99));
    println!("t (all measurements): {:+.3}", ts[0]);
    println!(
        "max |t| over {} tests (all, and cropped at {} percentiles): {:.3} (test {worst_index})",
        ts.len(),
        CROPS,
        worst.abs()
    );
    worst.abs()
}

fn main() {
    let measurements: usize =
        std::env::var("TIMING_MEASUREMENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let control = std::env::var_os("TIMING_CONTROL").is_some();
    let secret = "timing-test-secret-0123456789";
    let verifier = Verifier::builder(GitHub).secret(secret).build().expect("a valid secret");
    let signed = verifier.sign(&hookwarden::Message::new(BODY)).expect("GitHub signs");
    let header = signed.get("X-Hub-Signature-256").expect("the signature header");
    let mut mac = vec![0; 32];
    base16ct::lower::decode(header.trim_start_matches("sha256="), &mut mac).expect("hex");
    let classes = [forged(&mac, 0), forged(&mac, mac.len() - 1)];

    let samples = if control {
        println!("CONTROL: a verifier that stops at the first differing byte (this must be caught)");
        measure(&classes, measurements, |value| early_exit(secret.as_bytes(), value, BODY))
    } else {
        println!("verify(), GitHub preset, signature wrong in its first byte vs its last byte");
        measure(&classes, measurements, |value| {
            verifier.verify(&[("X-Hub-Signature-256", value)][..], black_box(BODY)).is_ok()
        })
    };
    let t = report(&samples);
    if t < THRESHOLD {
        println!("no evidence of a timing leak (|t| < {THRESHOLD})");
    } else {
        println!("TIMING LEAK SUSPECTED (|t| >= {THRESHOLD})");
        std::process::exit(1);
    }
}
