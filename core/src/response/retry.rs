//! Retry advice, kept apart from the error types (as smithy-rs does): an outcome has an
//! [`ErrorClass`] (what went wrong) and a [`RetryAdvice`] (what to do, and when).

use std::time::{Duration, SystemTime};

/// What went wrong, independent of what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// Not an error.
    Success,
    /// The request is wrong (4xx other than throttling).
    Client,
    /// A rate limit, usage cap or connection limit (429, 420).
    Throttling,
    /// A server-side failure (5xx).
    Server,
    /// A stream was disconnected.
    Stream,
    /// X answered with success, but the body does not fit the operation's type: an error on
    /// this side of the wire, kept apart from the errors X sends.
    Decode,
}

pub use crate::vocabulary::TooManyRequests;

/// Why a stream must be reconnected, which decides X's documented back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reconnect {
    /// A network-level drop or a disconnect message: back off linearly from 250 ms (max 16 s).
    Network,
    /// An HTTP error on connect: back off exponentially from 5 s (max 320 s).
    Http,
    /// A 429 on connect: back off exponentially from 1 min.
    RateLimited,
}

impl Reconnect {
    /// The wait before reconnect attempt `attempt` (0 for the first).
    pub fn delay(self, attempt: u32) -> Duration {
        match self {
            Self::Network => Duration::from_millis(250 * (u64::from(attempt) + 1)).min(Duration::from_secs(16)),
            Self::Http => Duration::from_secs(5).saturating_mul(1 << attempt.min(6)).min(Duration::from_secs(320)),
            Self::RateLimited => Duration::from_secs(60).saturating_mul(1 << attempt.min(10)),
        }
    }
}

/// What to do about an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAdvice {
    /// Success: nothing to retry.
    None,
    /// Do not retry as is: a client error, or a server error on a request that is not
    /// idempotent and got no `retry-after`.
    Never,
    /// Retry at (not before) this instant: a rate-limit reset, `retry-after`, or the end of a
    /// usage-cap period. `None` when the response did not say when.
    After(Option<SystemTime>),
    /// Retry with exponential backoff, starting from this delay.
    Backoff(Duration),
    /// Reconnect the stream, backing off as X documents.
    Reconnect(Reconnect),
}

impl RetryAdvice {
    /// `"never"`, `"after"`, `"backoff"` or `"reconnect"` (success reads `"never"`: there is
    /// nothing to retry).
    pub const fn class(&self) -> &'static str {
        match self {
            Self::None | Self::Never => "never",
            Self::After(_) => "after",
            Self::Backoff(_) => "backoff",
            Self::Reconnect(_) => "reconnect",
        }
    }

    /// Seconds from `now` until the first retry may go out.
    pub fn after_secs(&self, now: SystemTime) -> Option<u64> {
        match self {
            Self::After(Some(at)) => Some(at.duration_since(now).map(|d| d.as_secs()).unwrap_or(0)),
            Self::Backoff(d) => Some(d.as_secs()),
            Self::Reconnect(r) => Some(r.delay(0).as_secs()),
            _ => None,
        }
    }
}

/// The first delay for `Backoff`.
pub const INITIAL_BACKOFF: Duration = Duration::from_secs(1);
