//! The client's clock: wall-clock instants (X's resets and `retry-after` dates are wall-clock
//! times) advanced by tokio's monotonic clock, so waits and instants agree, and tests on a
//! paused tokio clock see time pass exactly by the waits.

use std::time::{Duration, SystemTime};

/// Wall-clock time as the client sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    wall: SystemTime,
    start: tokio::time::Instant,
}

impl Clock {
    pub(crate) fn new() -> Self {
        Self { wall: SystemTime::now(), start: tokio::time::Instant::now() }
    }

    /// Now, on the wall clock.
    pub(crate) fn now(&self) -> SystemTime {
        self.wall + self.start.elapsed()
    }

    /// How long until `at` (zero when it is past).
    pub(crate) fn until(&self, at: SystemTime) -> Duration {
        at.duration_since(self.now()).unwrap_or(Duration::ZERO)
    }
}
