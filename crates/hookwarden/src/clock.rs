//! Where "now" comes from.
//!
//! The core never reads the system clock directly: a verifier asks its [`Clock`], so tests (and
//! tools that verify a captured delivery "as of" some time) can fix it.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// A source of the current time, in whole Unix seconds.
pub trait Clock: Send + Sync + 'static {
    /// Seconds since the Unix epoch (negative before it).
    fn now_unix(&self) -> i64;
}

/// The system's wall clock.
///
/// On Linux and Android it reads the coarse real-time clock (`CLOCK_REALTIME_COARSE`): at most
/// a scheduler tick (a few milliseconds) behind the precise one, which a tolerance counted in
/// seconds cannot tell, at about a tenth of the cost of `SystemTime::now`, which was a
/// twentieth of a 1 KiB verify (BENCHMARKS.md, "Notes"). On `wasm32-unknown-unknown` (a
/// browser, Cloudflare Workers), where `std::time::SystemTime::now` traps, it reads JavaScript's
/// `Date.now()`; elsewhere, `SystemTime::now`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn now_unix(&self) -> i64 {
        rustix::time::clock_gettime(rustix::time::ClockId::RealtimeCoarse).tv_sec
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn now_unix(&self) -> i64 {
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        use std::time::{SystemTime, UNIX_EPOCH};
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        use web_time::{SystemTime, UNIX_EPOCH};
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
        }
    }
}

/// A clock that stands still until it is told to move. Clones share the same time.
///
/// # Example
///
/// ```
/// use hookwarden::{Clock, FixedClock};
/// use std::time::Duration;
///
/// let clock = FixedClock::at(1_700_000_000);
/// clock.advance(Duration::from_secs(5));
/// assert_eq!(clock.now_unix(), 1_700_000_005);
/// ```
#[derive(Clone)]
pub struct FixedClock {
    now: Arc<AtomicI64>,
}

impl FixedClock {
    /// A clock stopped at `unix` seconds.
    pub fn at(unix: i64) -> Self {
        Self { now: Arc::new(AtomicI64::new(unix)) }
    }

    /// Moves the clock to `unix` seconds.
    pub fn set(&self, unix: i64) {
        self.now.store(unix, Ordering::Relaxed);
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        let _ =
            self.now.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| Some(now.saturating_add(secs)));
    }
}

impl Clock for FixedClock {
    fn now_unix(&self) -> i64 {
        self.now.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for FixedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FixedClock").field(&self.now_unix()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use super::*;

    #[test]
    fn the_system_clock_agrees_with_the_precise_one() {
        let precise = || SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        let before = precise();
        let ours = SystemClock.now_unix();
        let after = precise();
        // The coarse clock lags by at most a tick: it may still show the previous second.
        assert!((before - 1..=after).contains(&ours), "{before} <= {ours} <= {after}");
    }
}
