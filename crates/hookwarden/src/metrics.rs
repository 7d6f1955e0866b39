//! Metrics: what every delivery and every replay-store operation records, through the
//! [`metrics`](https://docs.rs/metrics) crate's facade (feature `metrics`).
//!
//! The recording happens in the core's [`Endpoint`](crate::Endpoint) and
//! [`Claim`](crate::Claim), so the tower layer, the actix middleware and code that drives the
//! endpoint's steps by hand emit the same series. Install the recorder of the exporter you run
//! (Prometheus, OpenTelemetry, StatsD, ...) and call [`describe`] once, for the units and help
//! texts. Without a recorder, or without the feature, nothing is recorded and nothing is paid.
//!
//! Names follow the Prometheus and OpenTelemetry conventions: a `hookwarden_` prefix,
//! `_total` on counters, durations in seconds with the unit in the name. Every label takes a
//! small, fixed set of values (a preset's name, a reason code): never an id, a path, a key id
//! or a header value, so the number of series stays bounded whatever the senders send.
//!
//! | name | kind | labels | what it counts |
//! |---|---|---|---|
//! | `hookwarden_deliveries_total` | counter | `preset`, `outcome`, `reason` | deliveries by how they ended: `outcome` is `processed` (the handler's answer committed the claim, or the handler committed it through an extractor), `failed` (the handler answered otherwise, failed, or dropped an extractor's claim), `rejected` (refused, `reason` says why), `duplicate` (a copy: `reason` is `duplicate` or `in_flight`) or `handshake` (a provider's endpoint check answered); `reason` is the [reason code](crate::VerifyError::reason), `none` unless rejected or a copy |
//! | `hookwarden_verification_duration_seconds` | histogram | `preset`, `result` | the verify step (signature, timestamp, identity), `result` `verified` or `rejected` |
//! | `hookwarden_handler_duration_seconds` | histogram | `preset`, `outcome` | from the claim to the handler's answer (`processed` or `failed`); recorded for deliveries claimed in a replay store |
//! | `hookwarden_replay_store_operations_total` | counter | `operation`, `result` | store calls: `operation` `claim`, `commit`, `release` or `release_detached`; `result` `fresh`, `duplicate`, `in_flight` (claims), `ok` or `error` |
//! | `hookwarden_replay_store_operation_duration_seconds` | histogram | `operation` | how long each awaited store call took, errors included |
//! | `hookwarden_replay_store_errors_total` | counter | `operation`, `kind` | store calls that failed, `kind` `full`, `timeout` or `unavailable` |
//! | `hookwarden_claims_in_flight` | gauge | | claims acquired and not yet committed or released, in this process |
//!
//! `preset` is the [scheme's name](crate::Scheme::name) (`stripe`, `github`, or a custom
//! scheme's own).
//!
//! # Example
//!
//! ```
//! # #[cfg(feature = "metrics")] {
//! // Once, at startup, after installing the exporter's recorder:
//! hookwarden::metrics::describe();
//! # }
//! ```

/// Deliveries by preset, outcome and reason (counter).
pub const DELIVERIES: &str = "hookwarden_deliveries_total";
/// How long the verify step took, by preset and result (histogram, seconds).
pub const VERIFICATION_DURATION: &str = "hookwarden_verification_duration_seconds";
/// How long the handler took, by preset and outcome (histogram, seconds).
pub const HANDLER_DURATION: &str = "hookwarden_handler_duration_seconds";
/// Replay-store calls by operation and result (counter).
pub const STORE_OPERATIONS: &str = "hookwarden_replay_store_operations_total";
/// How long replay-store calls took, by operation (histogram, seconds).
pub const STORE_OPERATION_DURATION: &str = "hookwarden_replay_store_operation_duration_seconds";
/// Replay-store calls that failed, by operation and kind (counter).
pub const STORE_ERRORS: &str = "hookwarden_replay_store_errors_total";
/// Claims held right now (gauge).
pub const CLAIMS_IN_FLIGHT: &str = "hookwarden_claims_in_flight";

/// Registers the unit and help text of every series with the installed recorder, for
/// exporters that publish them (Prometheus' `# HELP` lines). Call it once, after installing
/// the recorder; the series are recorded without it too.
#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
pub fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(DELIVERIES, Unit::Count, "Webhook deliveries by preset, outcome and reason.");
    describe_histogram!(
        VERIFICATION_DURATION,
        Unit::Seconds,
        "Time spent verifying a delivery's signature, timestamp and identity."
    );
    describe_histogram!(
        HANDLER_DURATION,
        Unit::Seconds,
        "Time from a delivery's claim to its handler's answer."
    );
    describe_counter!(STORE_OPERATIONS, Unit::Count, "Replay-store calls by operation and result.");
    describe_histogram!(STORE_OPERATION_DURATION, Unit::Seconds, "Time replay-store calls took.");
    describe_counter!(STORE_ERRORS, Unit::Count, "Replay-store calls that failed, by operation and kind.");
    describe_gauge!(CLAIMS_IN_FLIGHT, Unit::Count, "Replay claims acquired and not yet resolved.");
}

/// A start time when the feature is on; nothing (and no clock read) when it is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stopwatch {
    #[cfg(feature = "metrics")]
    started: Instant,
}

#[cfg(all(feature = "metrics", not(all(target_arch = "wasm32", target_os = "unknown"))))]
use std::time::Instant;
// `std::time::Instant::now` traps in a browser or a Worker.
#[cfg(all(feature = "metrics", target_arch = "wasm32", target_os = "unknown"))]
use web_time::Instant;

impl Stopwatch {
    /// Starts timing (or, as the end of a span, stops it): one clock read shared by the end of
    /// one step and the start of the next.
    #[inline]
    pub(crate) fn start() -> Self {
        Self {
            #[cfg(feature = "metrics")]
            started: Instant::now(),
        }
    }
}

/// The value of the `outcome` and `reason` labels of a refused delivery.
pub(crate) fn refusal_labels(reason: &'static str) -> (&'static str, &'static str) {
    match reason {
        "duplicate" | "in_flight" => ("duplicate", reason),
        _ => ("rejected", reason),
    }
}

#[cfg(feature = "metrics")]
mod record {
    use super::*;
    use metrics::{Counter, Gauge, Histogram, counter, gauge, histogram};
    use std::cell::RefCell;

    /// A registered series.
    enum Handle {
        Counter(Counter),
        Gauge(Gauge),
        Histogram(Histogram),
    }

    /// One cached series: its name, its label values, and the recorder's handle.
    struct Entry {
        name: &'static str,
        values: [&'static str; 3],
        handle: Handle,
    }

    /// The handles this thread registered with the current recorder.
    ///
    /// Registering a series with a recorder hashes its name and labels and looks them up in
    /// the recorder's registry on every call: for the dozen series of one delivery through a
    /// store, a quarter of the layer's cost with Prometheus' recorder. A thread's handles are
    /// kept here instead, and found again by comparing a few pointers. They are forgotten when
    /// the recorder in force (a thread's local one, or the global one) changes.
    struct Cache {
        recorder: usize,
        entries: Vec<Entry>,
    }

    /// More series than every preset's outcomes, reasons and store calls: a cache that grows
    /// past it (custom schemes made by the thousand?) starts again.
    const MAX_ENTRIES: usize = 1024;

    thread_local! {
        static CACHE: RefCell<Cache> = const { RefCell::new(Cache { recorder: 0, entries: Vec::new() }) };
    }

    fn same(a: &'static str, b: &'static str) -> bool {
        std::ptr::eq(a, b)
    }

    /// Runs `act` on the handle of the series `name` with label `values`, registering it with
    /// `register` the first time this thread sees it under the current recorder.
    #[inline]
    fn with_handle(
        name: &'static str,
        values: [&'static str; 3],
        register: fn(&'static str, [&'static str; 3]) -> Handle,
        act: impl FnOnce(&Handle),
    ) {
        let recorder = metrics::with_recorder(|recorder| std::ptr::from_ref(recorder).cast::<()>() as usize);
        // `try_with`: a thread being torn down records nothing rather than panic.
        let _ = CACHE.try_with(|cache| {
            let Ok(mut cache) = cache.try_borrow_mut() else { return };
            if cache.recorder != recorder || cache.entries.len() >= MAX_ENTRIES {
                cache.recorder = recorder;
                cache.entries.clear();
            }
            let found = cache.entries.iter().find(|entry| {
                same(entry.name, name) && entry.values.iter().zip(values).all(|(a, b)| same(a, b))
            });
            match found {
                Some(entry) => act(&entry.handle),
                None => {
                    let handle = register(name, values);
                    act(&handle);
                    cache.entries.push(Entry { name, values, handle });
                }
            }
        });
    }

    fn increment(handle: &Handle) {
        if let Handle::Counter(counter) = handle {
            counter.increment(1);
        }
    }

    fn record_between(handle: &Handle, start: Stopwatch, end: Stopwatch) {
        if let Handle::Histogram(histogram) = handle {
            histogram.record(end.started.saturating_duration_since(start.started));
        }
    }

    #[inline]
    pub(crate) fn delivery(preset: &'static str, outcome: &'static str, reason: &'static str) {
        let register = |name, [preset, outcome, reason]: [&'static str; 3]| {
            Handle::Counter(counter!(name, "preset" => preset, "outcome" => outcome, "reason" => reason))
        };
        with_handle(DELIVERIES, [preset, outcome, reason], register, increment);
    }

    #[inline]
    pub(crate) fn verification(preset: &'static str, result: &'static str, watch: Stopwatch) -> Stopwatch {
        let register = |name, [preset, result, _]: [&'static str; 3]| {
            Handle::Histogram(histogram!(name, "preset" => preset, "result" => result))
        };
        let end = Stopwatch::start();
        with_handle(VERIFICATION_DURATION, [preset, result, ""], register, |h| record_between(h, watch, end));
        end
    }

    #[inline]
    pub(crate) fn handler(preset: &'static str, outcome: &'static str, start: Stopwatch, end: Stopwatch) {
        let register = |name, [preset, outcome, _]: [&'static str; 3]| {
            Handle::Histogram(histogram!(name, "preset" => preset, "outcome" => outcome))
        };
        with_handle(HANDLER_DURATION, [preset, outcome, ""], register, |h| record_between(h, start, end));
    }

    #[inline]
    pub(crate) fn store_call(
        operation: &'static str,
        result: &'static str,
        error: Option<&'static str>,
        start: Stopwatch,
        end: Stopwatch,
    ) {
        let register = |name, [operation, _, _]: [&'static str; 3]| {
            Handle::Histogram(histogram!(name, "operation" => operation))
        };
        with_handle(STORE_OPERATION_DURATION, [operation, "", ""], register, |h| {
            record_between(h, start, end)
        });
        store_result(operation, result, error);
    }

    #[inline]
    pub(crate) fn store_result(operation: &'static str, result: &'static str, error: Option<&'static str>) {
        let register = |name, [operation, result, _]: [&'static str; 3]| {
            Handle::Counter(counter!(name, "operation" => operation, "result" => result))
        };
        with_handle(STORE_OPERATIONS, [operation, result, ""], register, increment);
        if let Some(kind) = error {
            let register = |name, [operation, kind, _]: [&'static str; 3]| {
                Handle::Counter(counter!(name, "operation" => operation, "kind" => kind))
            };
            with_handle(STORE_ERRORS, [operation, kind, ""], register, increment);
        }
    }

    #[inline]
    pub(crate) fn claims_in_flight(delta: f64) {
        let register = |name, _: [&'static str; 3]| Handle::Gauge(gauge!(name));
        with_handle(CLAIMS_IN_FLIGHT, ["", "", ""], register, |handle| {
            if let Handle::Gauge(gauge) = handle {
                gauge.increment(delta);
            }
        });
    }
}

/// Without the feature every recording is an empty function the compiler removes.
#[cfg(not(feature = "metrics"))]
mod record {
    use super::Stopwatch;

    #[inline(always)]
    pub(crate) fn delivery(_: &'static str, _: &'static str, _: &'static str) {}
    #[inline(always)]
    pub(crate) fn verification(_: &'static str, _: &'static str, watch: Stopwatch) -> Stopwatch {
        watch
    }
    #[inline(always)]
    pub(crate) fn handler(_: &'static str, _: &'static str, _: Stopwatch, _: Stopwatch) {}
    #[inline(always)]
    pub(crate) fn store_call(
        _: &'static str,
        _: &'static str,
        _: Option<&'static str>,
        _: Stopwatch,
        _: Stopwatch,
    ) {
    }
    #[inline(always)]
    pub(crate) fn store_result(_: &'static str, _: &'static str, _: Option<&'static str>) {}
    #[inline(always)]
    pub(crate) fn claims_in_flight(_: f64) {}
}

pub(crate) use record::*;

/// The `kind` label of a store error.
pub(crate) fn store_error_kind(error: &crate::StoreError) -> &'static str {
    match error.kind() {
        crate::StoreErrorKind::Full => "full",
        crate::StoreErrorKind::Timeout => "timeout",
        _ => "unavailable",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn copies_are_told_apart_from_rejections() {
        assert_eq!(super::refusal_labels("duplicate"), ("duplicate", "duplicate"));
        assert_eq!(super::refusal_labels("in_flight"), ("duplicate", "in_flight"));
        assert_eq!(super::refusal_labels("no_matching_signature"), ("rejected", "no_matching_signature"));
    }
}
