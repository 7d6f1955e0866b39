//! Rate-limited warnings: a burst of forged deliveries must not become a burst of log lines.
//!
//! Each kind of trouble an operator must see ([`Trouble`]) may write one line per
//! [`INTERVAL_SECS`] for the whole process; the deliveries in between are counted, and the next
//! line says how many were not logged. Every rejection is still logged at DEBUG, and counted in
//! the metrics, one by one.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// At most one line per kind of trouble in this many seconds.
pub(crate) const INTERVAL_SECS: i64 = 10;

/// What an operator must hear about at the default level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trouble {
    /// No signature matched: a forgery, or a secret this endpoint does not hold (rotated at the
    /// provider and not here, or the wrong environment's).
    Signature,
    /// A signed timestamp outside the window: a replayed capture, or a clock that is off.
    Clock,
    /// The replay store could not answer: deliveries are refused (503) until it does.
    Store,
    /// The store could not record a handler's outcome.
    StoreWrite,
    /// The endpoint cannot verify anything as configured (no public URL, no peer address).
    Config,
}

#[derive(Debug)]
struct Slot {
    /// The Unix second from which the next line may be written.
    next: AtomicI64,
    /// Lines not written since the last one.
    suppressed: AtomicU64,
}

impl Slot {
    const fn new() -> Self {
        Self { next: AtomicI64::new(i64::MIN), suppressed: AtomicU64::new(0) }
    }
}

/// One slot per kind of trouble.
#[derive(Debug)]
pub(crate) struct Throttle {
    slots: [Slot; 5],
}

/// The process's throttle: the lines it guards describe the process's situation (a secret, a
/// clock, a store), not one endpoint's.
pub(crate) static THROTTLE: Throttle = Throttle::new();

impl Throttle {
    pub(crate) const fn new() -> Self {
        Self { slots: [Slot::new(), Slot::new(), Slot::new(), Slot::new(), Slot::new()] }
    }

    /// Whether a line about `trouble` may be written at `now` (Unix seconds): `Some` with the
    /// number of lines suppressed since the last one, or `None` (and counted).
    pub(crate) fn admit(&self, trouble: Trouble, now: i64) -> Option<u64> {
        let slot = &self.slots[trouble as usize];
        let next = slot.next.load(Ordering::Relaxed);
        // One thread wins the interval; the others count themselves as suppressed.
        if now >= next
            && slot
                .next
                .compare_exchange(
                    next,
                    now.saturating_add(INTERVAL_SECS),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_ok()
        {
            Some(slot.suppressed.swap(0, Ordering::Relaxed))
        } else {
            slot.suppressed.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_becomes_one_line_then_a_count() {
        let throttle = Throttle::new();
        assert_eq!(throttle.admit(Trouble::Signature, 1_000), Some(0));
        for _ in 0..999 {
            assert_eq!(throttle.admit(Trouble::Signature, 1_005), None);
        }
        // Another kind of trouble has its own budget.
        assert_eq!(throttle.admit(Trouble::Store, 1_005), Some(0));
        assert_eq!(throttle.admit(Trouble::Signature, 1_009), None);
        assert_eq!(throttle.admit(Trouble::Signature, 1_010), Some(1_000));
        assert_eq!(throttle.admit(Trouble::Signature, 1_011), None);
    }
}
