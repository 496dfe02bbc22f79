//! `classify`: any response X sends (status, headers, body) → an [`Outcome`]. Total: it never
//! panics and never fails; what it cannot read, the HTTP status decides.

use crate::body::{self, BodyFormat, Peek};
use crate::outcome::{Kind, Outcome};
use http::{HeaderMap, Method, StatusCode};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use xapi_core::errors::{
    http_status, problem_slug, AdsErrorCode, OAuthErrorCode, ProblemKind, RetryClass, V1ErrorCode,
};
use xapi_core::response::RateLimit;
use xapi_core::response::{ErrorClass, Reconnect, RetryAdvice, TooManyRequests, INITIAL_BACKOFF};
use xapi_core::vocabulary::idempotent_method;

/// Error bodies larger than this are not scanned (1 MiB): an error is a few hundred bytes.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// Success bodies larger than this are not decoded (64 MiB): a full-archive search page of
/// 500 posts with expansions is 1.3–1.5 MB.
pub const DEFAULT_SUCCESS_BODY_LIMIT: usize = 64 << 20;

/// How long to wait before retrying a throttled request (a 429, a 420) when X said neither
/// when its window resets nor `retry-after` (X sends such 429s): a minute. A usage cap that
/// names no period waits for the next UTC day instead.
pub const DEFAULT_THROTTLE_WAIT: Duration = Duration::from_secs(60);

/// How to classify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Error bodies (4xx, 5xx) longer than this are reported as too large, unread.
    pub body_limit: usize,
    /// Success bodies longer than this are reported as too large, undecoded.
    pub success_body_limit: usize,
    /// The response is from a streaming endpoint: failures mean "reconnect".
    pub streaming: bool,
    /// Whether sending the request again is safe (the operation's `idempotent`); `None`
    /// judges by the method alone, so a POST's server error is not retried.
    pub idempotent: Option<bool>,
    /// The clock for retry instants; `None` reads the system clock.
    pub now: Option<SystemTime>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            success_body_limit: DEFAULT_SUCCESS_BODY_LIMIT,
            streaming: false,
            idempotent: None,
            now: None,
        }
    }
}

impl Options {
    /// The limit that applies to a body sent with `status` (1xx to 3xx read as successes).
    pub fn limit_for(&self, status: StatusCode) -> usize {
        if status.as_u16() < 400 {
            self.success_body_limit
        } else {
            self.body_limit
        }
    }
}

/// Classifies a response with the default [`Options`].
pub fn classify<'a>(method: &Method, status: StatusCode, headers: &HeaderMap, body: &'a [u8]) -> Outcome<'a> {
    classify_with(&Options::default(), method, status, headers, body)
}

/// Classifies a response.
pub fn classify_with<'a>(
    options: &Options,
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
    body: &'a [u8],
) -> Outcome<'a> {
    let rate_limit = RateLimit::from_headers(headers);
    let content_type = headers.get(http::header::CONTENT_TYPE).map(|v| v.as_bytes());
    let too_large = body.len() > options.limit_for(status);
    let mut format = body::sniff(content_type, &body[..body.len().min(1024)]);
    let mut peek = Peek::default();
    if format == BodyFormat::Json && !too_large && !body::peek_into(body, &mut peek) {
        // Not valid JSON after all (e.g. truncated): read it as text.
        format = BodyFormat::Text;
        peek = Peek::default();
    }
    let kind = kind(status, &peek);

    // The top-level problem's kind, else the first one in `errors[]` (found during the scan).
    let problem_kind = match &peek.top.type_uri {
        Some(t) => problem_slug(t).and_then(|s| ProblemKind::from_slug(&s)),
        None => peek.errors.first_kind,
    };
    let disconnect = peek.errors.disconnect.is_some()
        || matches!(problem_kind, Some(ProblemKind::OperationalDisconnect | ProblemKind::ClientDisconnected));

    let error_class = if disconnect {
        ErrorClass::Stream
    } else {
        match status.as_u16() {
            200..=399 => ErrorClass::Success,
            420 | 429 => ErrorClass::Throttling,
            500..=599 => ErrorClass::Server,
            _ => ErrorClass::Client,
        }
    };
    let too_many_requests =
        (status == StatusCode::TOO_MANY_REQUESTS).then(|| too_many(&peek, problem_kind, &rate_limit));
    let retry = retry(&Facts {
        options,
        method,
        status,
        kind,
        peek: &peek,
        problem_kind,
        disconnect,
        too_many_requests,
        rate_limit: &rate_limit,
    });

    Outcome {
        method: method.clone(),
        status,
        kind,
        body_format: format,
        rate_limit,
        too_many_requests,
        error_class,
        retry,
        problem_kind,
        error_count: peek.errors.count + usize::from(kind == Kind::Problem && peek.top.type_uri.is_some()),
        has_data: peek.has_data,
        body_too_large: too_large,
        body,
    }
}

/// Which error format the body is in (or success).
fn kind(status: StatusCode, peek: &Peek<'_>) -> Kind {
    if status.is_success() || status.is_redirection() || status.is_informational() {
        return Kind::Success;
    }
    if !peek.is_object {
        return Kind::Http;
    }
    let e = &peek.errors;
    // RFC 6749's form names itself: a code in `error` beside an `error_description` (X adds
    // other members at times).
    if peek.oauth_code.is_some() && (peek.error_description || !peek.request_string) && peek.top.type_uri.is_none() {
        return Kind::OAuth;
    }
    if peek.top.type_uri.is_some() || e.problems > 0 {
        Kind::Problem
    } else if e.numeric_codes > 0 {
        Kind::V1
    } else if e.text_codes > 0 {
        Kind::Ads
    } else if peek.error_string {
        Kind::Legacy
    } else {
        Kind::Http
    }
}

fn too_many(peek: &Peek<'_>, problem: Option<ProblemKind>, rate: &RateLimit) -> TooManyRequests {
    let exhausted = |q: Option<xapi_core::response::Quota>| q.is_some_and(|q| q.is_exhausted());
    if peek.errors.usage_capped.is_some() || problem == Some(ProblemKind::UsageCapped) {
        TooManyRequests::UsageCap
    } else if peek.errors.too_many_connections
        || problem == Some(ProblemKind::StreamingConnection)
        || peek.top.connection_issue.as_deref() == Some("TooManyConnections")
    {
        TooManyRequests::Connections
    } else if exhausted(rate.user_24h) {
        TooManyRequests::User24h
    } else if exhausted(rate.app_24h) {
        TooManyRequests::App24h
    } else if rate.window.is_some()
        || peek.errors.code_88
        || problem == Some(ProblemKind::RateLimitExceeded)
        || peek.errors.first_text.as_deref() == Some("TOO_MANY_REQUESTS")
    {
        TooManyRequests::RateWindow
    } else {
        TooManyRequests::Unknown
    }
}

struct Facts<'f, 'a> {
    options: &'f Options,
    method: &'f Method,
    status: StatusCode,
    kind: Kind,
    peek: &'f Peek<'a>,
    problem_kind: Option<ProblemKind>,
    disconnect: bool,
    too_many_requests: Option<TooManyRequests>,
    rate_limit: &'f RateLimit,
}

impl Facts<'_, '_> {
    /// The clock is read only when an instant must be computed from it: reading it costs
    /// more than the rest of classification in some sandboxes.
    fn now(&self) -> SystemTime {
        self.options.now.unwrap_or_else(SystemTime::now)
    }
}

/// The class the tables give the outcome: the first problem's or code's, else the status's.
fn table_class(f: &Facts<'_, '_>) -> RetryClass {
    let from_body = match f.kind {
        Kind::Problem => f.problem_kind.map(|k| k.info().retry),
        Kind::V1 => f
            .peek
            .errors
            .first_number
            .and_then(|n| u32::try_from(n).ok())
            .and_then(|n| V1ErrorCode::from_code(n).retry_class()),
        Kind::Ads => f.peek.errors.first_text.as_deref().and_then(|c| AdsErrorCode::from_wire(c).retry_class()),
        Kind::OAuth => f.peek.oauth_code.as_deref().and_then(|c| OAuthErrorCode::from_wire(c).retry_class()),
        _ => None,
    };
    let from_status = || {
        http_status(f.status.as_u16()).map(|s| s.retry).unwrap_or(match f.status.as_u16() {
            200..=399 => RetryClass::None,
            500..=599 => RetryClass::Backoff,
            _ => RetryClass::Never,
        })
    };
    match from_body {
        // A body saying "never" cannot make a 5xx or a 429 permanent: the status wins there.
        Some(RetryClass::Never | RetryClass::None) => match from_status() {
            s @ (RetryClass::Backoff | RetryClass::After) => s,
            _ => RetryClass::Never,
        },
        Some(b) => b,
        None => from_status(),
    }
}

fn retry(f: &Facts<'_, '_>) -> RetryAdvice {
    if f.disconnect {
        return RetryAdvice::Reconnect(Reconnect::Network);
    }
    if f.kind == Kind::Success {
        return RetryAdvice::None;
    }
    let retry_after = f.rate_limit.retry_after.map(|r| r.instant(f.now()));
    let class = table_class(f);
    if f.options.streaming {
        match (class, f.too_many_requests) {
            (_, Some(TooManyRequests::UsageCap)) => {}
            (_, Some(_)) => return RetryAdvice::Reconnect(Reconnect::RateLimited),
            (RetryClass::After | RetryClass::Backoff | RetryClass::Reconnect, None) => {
                return RetryAdvice::Reconnect(if f.status.as_u16() == 420 {
                    Reconnect::RateLimited
                } else {
                    Reconnect::Http
                });
            }
            _ => {}
        }
    }
    match class {
        RetryClass::None | RetryClass::Never => RetryAdvice::Never,
        RetryClass::Reconnect => RetryAdvice::Reconnect(Reconnect::Http),
        // Always an instant: a 429 that names no reset still says wait, never "whenever".
        RetryClass::After => {
            RetryAdvice::After(Some(retry_after.or_else(|| after_instant(f)).unwrap_or_else(
                || match f.too_many_requests {
                    Some(TooManyRequests::UsageCap) => {
                        period_end("daily", f.now()).unwrap_or_else(|| f.now() + DEFAULT_THROTTLE_WAIT)
                    }
                    _ => f.now() + DEFAULT_THROTTLE_WAIT,
                },
            )))
        }
        RetryClass::Backoff => match retry_after {
            Some(at) => RetryAdvice::After(Some(at)),
            None if f.options.idempotent.unwrap_or_else(|| idempotent_method(f.method.as_str())) => {
                RetryAdvice::Backoff(INITIAL_BACKOFF)
            }
            None => RetryAdvice::Never,
        },
        _ => RetryAdvice::Never,
    }
}

/// When a throttled request may go again, from the quota that ran out.
fn after_instant(f: &Facts<'_, '_>) -> Option<SystemTime> {
    let r = f.rate_limit;
    match f.too_many_requests {
        Some(TooManyRequests::User24h) => r.user_24h.and_then(|q| q.reset_at()),
        Some(TooManyRequests::App24h) => r.app_24h.and_then(|q| q.reset_at()),
        Some(TooManyRequests::UsageCap) => {
            let period = f.peek.errors.usage_capped.clone().flatten().or_else(|| f.peek.top.period.clone());
            period.and_then(|p| period_end(&p, f.now())).or_else(|| r.window.and_then(|q| q.reset_at()))
        }
        _ => r.window.and_then(|q| q.reset_at()),
    }
}

/// The start of the next UTC day or month after `now`, for a usage cap's `period`.
fn period_end(period: &str, now: SystemTime) -> Option<SystemTime> {
    let secs = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let days = secs / 86_400;
    let next = if period.eq_ignore_ascii_case("daily") {
        days + 1
    } else if period.eq_ignore_ascii_case("monthly") {
        let (y, m, _) = civil_from_days(days as i64);
        let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        u64::try_from(days_from_civil(y, m, 1)).ok()?
    } else {
        return None;
    };
    Some(UNIX_EPOCH + Duration::from_secs(next * 86_400))
}

// Howard Hinnant's civil calendar algorithms (public domain), for UTC dates without a
// date-time dependency.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for days in [0, 59, 60, 365, 10_957, 19_000, 20_000, 25_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
    }

    #[test]
    fn usage_cap_periods_end_at_the_next_boundary() {
        // 2024-02-15T12:00:00Z
        let now = UNIX_EPOCH + Duration::from_secs(1_707_998_400);
        let month = period_end("Monthly", now).unwrap().duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(civil_from_days((month / 86_400) as i64), (2024, 3, 1));
        let day = period_end("daily", now).unwrap().duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(civil_from_days((day / 86_400) as i64), (2024, 2, 16));
        assert_eq!(period_end("Fortnightly", now), None);
    }
}
