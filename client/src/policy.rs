//! What the client does with xapi's advice: how often and how long it retries, and what it
//! does when a rate-limit window is spent. Pure values; the call loop applies them.

use std::time::Duration;

/// Retries by the advice of each response (`RetryAdvice`):
/// - `never` is never retried;
/// - `after` waits until the instant X named (a rate-limit reset, `retry-after`) when that is
///   at most [`max_wait`](Self::max_wait) away, else the error comes back at once; a usage
///   cap is never waited out (it lasts until the next day or month);
/// - `backoff` (a transient server error on an idempotent request, or a network failure)
///   retries with exponential back-off and full jitter.
///
/// Every retry counts against [`max_attempts`](Self::max_attempts) and, when set, the
/// overall [`deadline`](Self::deadline): a wait that would end past it is not started.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub max_attempts: u32,
    /// The first back-off delay; each next one doubles.
    pub base_delay: Duration,
    /// The longest back-off delay.
    pub max_delay: Duration,
    /// The longest wait for an instant X named.
    pub max_wait: Duration,
    /// How long one call may take, waits included (`None`: no limit).
    pub deadline: Option<Duration>,
    /// Full jitter (a delay drawn uniformly from zero to the back-off) so that many clients
    /// failing together do not retry together. Off: the back-off itself.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_wait: Duration::from_secs(15 * 60),
            deadline: None,
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn never() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Sets the number of attempts (the first included; at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first back-off delay and the longest.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max.max(base);
        self
    }

    /// Sets the longest wait for an instant X named.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Sets how long one call may take, waits included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Turns full jitter on or off.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// The back-off before retry `retry` (1 for the first), starting from at least `floor`
    /// (the delay X's advice suggests), capped at `max_delay`; with jitter, a uniform draw
    /// from zero to that.
    pub fn backoff_delay(&self, retry: u32, floor: Duration, rng: &mut fastrand::Rng) -> Duration {
        let base = self.base_delay.max(floor);
        let exp = base.saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX));
        let cap = exp.min(self.max_delay.max(base));
        if self.jitter {
            let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
            Duration::from_nanos(rng.u64(0..=nanos))
        } else {
            cap
        }
    }
}

/// What a call does when the window of its operation and token is spent (remaining 0, reset
/// ahead), known from the headers of an earlier response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimitPolicy {
    /// Wait for the reset (at most the retry policy's `max_wait`), then send.
    #[default]
    Wait,
    /// Return [`CallError::RateLimited`](crate::CallError::RateLimited) without sending.
    FailFast,
    /// Send anyway: X decides (a 429 is then handled by the retry policy).
    Ignore,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default().jitter(false).backoff(Duration::from_secs(1), Duration::from_secs(5));
        let mut rng = fastrand::Rng::with_seed(1);
        let delays: Vec<u64> = (1..=5).map(|r| p.backoff_delay(r, Duration::ZERO, &mut rng).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 5, 5]);
        assert_eq!(p.backoff_delay(1, Duration::from_secs(3), &mut rng), Duration::from_secs(3), "advice is a floor");
        assert_eq!(p.backoff_delay(u32::MAX, Duration::ZERO, &mut rng), Duration::from_secs(5), "no overflow");
    }

    #[test]
    fn full_jitter_stays_between_zero_and_the_backoff() {
        let p = RetryPolicy::default().backoff(Duration::from_secs(1), Duration::from_secs(60));
        let mut rng = fastrand::Rng::with_seed(7);
        let draws: Vec<Duration> = (0..200).map(|_| p.backoff_delay(3, Duration::ZERO, &mut rng)).collect();
        assert!(draws.iter().all(|d| *d <= Duration::from_secs(4)));
        assert!(draws.iter().any(|d| *d < Duration::from_secs(2)) && draws.iter().any(|d| *d > Duration::from_secs(2)));
    }
}
