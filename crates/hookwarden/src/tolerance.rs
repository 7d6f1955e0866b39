//! How far a signed timestamp may be from now.

use std::time::Duration;

use crate::error::{ConfigError, VerifyError};

/// A two-sided window around the verifier's clock.
///
/// Each provider's preset brings its documented window (five minutes for most). Both sides must
/// be positive: a zero is never a way to switch the check off; that is
/// [`VerifierBuilder::skip_timestamp_check`](crate::VerifierBuilder::skip_timestamp_check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tolerance {
    past: Duration,
    future: Duration,
}

impl Tolerance {
    /// The same window on both sides.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroTolerance`] when `window` is zero.
    pub fn symmetric(window: Duration) -> Result<Self, ConfigError> {
        Self::new(window, window)
    }

    /// How old and how far in the future a timestamp may be.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroTolerance`] when either side is shorter than a second.
    pub fn new(past: Duration, future: Duration) -> Result<Self, ConfigError> {
        if past.as_secs() == 0 || future.as_secs() == 0 {
            return Err(ConfigError::ZeroTolerance);
        }
        Ok(Self { past, future })
    }

    /// Five minutes either way.
    pub const FIVE_MINUTES: Self = Self { past: Duration::from_secs(300), future: Duration::from_secs(300) };

    /// How old a timestamp may be.
    pub fn past(&self) -> Duration {
        self.past
    }

    /// How far in the future a timestamp may be.
    pub fn future(&self) -> Duration {
        self.future
    }

    /// The whole acceptance window; a replay key must be kept at least this long.
    pub fn window(&self) -> Duration {
        self.past.saturating_add(self.future)
    }

    /// Checks `timestamp` against `now` (both Unix seconds). The edges are inside the window.
    pub(crate) fn check(&self, timestamp: i64, now: i64) -> Result<(), VerifyError> {
        // i128 cannot overflow for any pair of i64 values.
        let skew = i128::from(now) - i128::from(timestamp);
        let secs = |s: i128| Duration::from_secs(u64::try_from(s.unsigned_abs()).unwrap_or(u64::MAX));
        if skew > i128::from(self.past.as_secs()) {
            Err(VerifyError::TimestampTooOld { skew: secs(skew) })
        } else if -skew > i128::from(self.future.as_secs()) {
            Err(VerifyError::TimestampTooNew { skew: secs(skew) })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_inside_and_one_past_is_outside() {
        let t = Tolerance::new(Duration::from_secs(300), Duration::from_secs(60)).unwrap();
        let now = 1_000_000;
        assert!(t.check(now - 300, now).is_ok());
        assert!(t.check(now + 60, now).is_ok());
        assert_eq!(
            t.check(now - 301, now),
            Err(VerifyError::TimestampTooOld { skew: Duration::from_secs(301) })
        );
        assert_eq!(
            t.check(now + 61, now),
            Err(VerifyError::TimestampTooNew { skew: Duration::from_secs(61) })
        );
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let t = Tolerance::FIVE_MINUTES;
        assert!(matches!(t.check(i64::MIN, i64::MAX), Err(VerifyError::TimestampTooOld { .. })));
        assert!(matches!(t.check(i64::MAX, i64::MIN), Err(VerifyError::TimestampTooNew { .. })));
    }

    #[test]
    fn zero_is_refused() {
        assert_eq!(Tolerance::symmetric(Duration::ZERO), Err(ConfigError::ZeroTolerance));
        assert_eq!(
            Tolerance::new(Duration::from_secs(1), Duration::from_millis(500)),
            Err(ConfigError::ZeroTolerance)
        );
    }
}
