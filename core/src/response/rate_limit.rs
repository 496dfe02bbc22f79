//! Rate-limit headers, read from every response (success included): the request window
//! (`x-rate-limit-*`), the 24-hour user and app limits (`x-user-limit-24hour-*`,
//! `x-app-limit-24hour-*`) and `retry-after` (seconds or an HTTP date).

use http::{HeaderMap, HeaderName};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One quota: how many requests it allows, how many are left, and when it resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quota {
    /// Requests the quota allows.
    pub limit: Option<u64>,
    /// Requests left.
    pub remaining: Option<u64>,
    /// When the quota resets, in seconds since the Unix epoch (as X sends it).
    pub reset: Option<u64>,
}

impl Quota {
    /// The reset instant.
    pub fn reset_at(&self) -> Option<SystemTime> {
        self.reset.map(|s| UNIX_EPOCH + Duration::from_secs(s))
    }

    /// Whether the quota is used up.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0)
    }

    fn read(headers: &HeaderMap, [limit, remaining, reset]: &[HeaderName; 3]) -> Option<Self> {
        let q = Self {
            limit: number(headers, limit),
            remaining: number(headers, remaining),
            reset: number(headers, reset),
        };
        (q != Self::default()).then_some(q)
    }
}

/// What the server said about when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `retry-after: 120`
    Seconds(u64),
    /// `retry-after: Wed, 21 Oct 2015 07:28:00 GMT`
    At(SystemTime),
}

impl RetryAfter {
    /// The instant, counting seconds from `now`.
    pub fn instant(self, now: SystemTime) -> SystemTime {
        match self {
            Self::Seconds(s) => now + Duration::from_secs(s),
            Self::At(t) => t,
        }
    }
}

/// Every rate-limit fact a response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// The endpoint's request window (`x-rate-limit-limit/-remaining/-reset`).
    pub window: Option<Quota>,
    /// The 24-hour per-user limit (`x-user-limit-24hour-*`).
    pub user_24h: Option<Quota>,
    /// The 24-hour per-app limit (`x-app-limit-24hour-*`).
    pub app_24h: Option<Quota>,
    /// `retry-after`, seconds or a date.
    pub retry_after: Option<RetryAfter>,
}

impl RateLimit {
    /// Reads the headers; absent or malformed values are `None`, never an error.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        if headers.is_empty() {
            return Self::default();
        }
        Self {
            window: Quota::read(headers, &WINDOW),
            user_24h: Quota::read(headers, &USER_24H),
            app_24h: Quota::read(headers, &APP_24H),
            retry_after: retry_after(headers),
        }
    }

    /// Whether any rate-limit header was present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

// Parsed once: looking a header up by `&str` parses the name on every call.
const WINDOW: [HeaderName; 3] = [
    HeaderName::from_static("x-rate-limit-limit"),
    HeaderName::from_static("x-rate-limit-remaining"),
    HeaderName::from_static("x-rate-limit-reset"),
];
const USER_24H: [HeaderName; 3] = [
    HeaderName::from_static("x-user-limit-24hour-limit"),
    HeaderName::from_static("x-user-limit-24hour-remaining"),
    HeaderName::from_static("x-user-limit-24hour-reset"),
];
const APP_24H: [HeaderName; 3] = [
    HeaderName::from_static("x-app-limit-24hour-limit"),
    HeaderName::from_static("x-app-limit-24hour-remaining"),
    HeaderName::from_static("x-app-limit-24hour-reset"),
];

fn text<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn number(headers: &HeaderMap, name: &HeaderName) -> Option<u64> {
    text(headers, name)?.parse().ok()
}

fn retry_after(headers: &HeaderMap) -> Option<RetryAfter> {
    let value = text(headers, &http::header::RETRY_AFTER)?;
    if let Ok(secs) = value.parse::<u64>() {
        return Some(RetryAfter::Seconds(secs));
    }
    httpdate::parse_http_date(value).ok().map(RetryAfter::At)
}
