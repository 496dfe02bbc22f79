//! What classification returns: a cheap, borrowed [`Outcome`] for every response, and an
//! owned [`ApiError`] that keeps everything (status, all headers, the raw body) when a caller
//! wants an error value to return or store.

use crate::body::{self, BodyFormat};
use crate::rate_limit::RateLimit;
use crate::retry::{ErrorClass, RetryAdvice, TooManyRequests};
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};
use std::fmt;
use xapi_types::errors::{AdsErrorCode, Problem, ProblemKind, V1ErrorCode};

/// Which format the response is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A 1xx–3xx response (possibly with partial errors).
    Success,
    /// v2 problem(s): a bare problem object, or `errors[]` of problems.
    Problem,
    /// v1.1: `errors[]` with numeric codes.
    V1,
    /// Ads API: `errors[]` with `CAPS_CASE` codes, and the `request` echo.
    Ads,
    /// Old v1.1 form `{"request": "/1.1/…", "error": "…"}`.
    Legacy,
    /// Nothing readable in the body (HTML, text, empty, other JSON): the status decides.
    Http,
}

impl Kind {
    /// `"success"`, `"problem"`, `"v1"`, `"ads"`, `"legacy"` or `"http"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Problem => "problem",
            Self::V1 => "v1",
            Self::Ads => "ads",
            Self::Legacy => "legacy",
            Self::Http => "http",
        }
    }
}

/// A response, classified. Borrows the body; typed details are parsed on demand.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<'a> {
    /// The request's method (it decides whether a server error may be retried).
    pub method: Method,
    /// The response status.
    pub status: StatusCode,
    /// Which format the body is in.
    pub kind: Kind,
    /// What kind of bytes the body holds.
    pub body_format: BodyFormat,
    /// Rate-limit headers, read on every response.
    pub rate_limit: RateLimit,
    /// For a 429: which limit it was.
    pub too_many_requests: Option<TooManyRequests>,
    /// What went wrong, independent of what to do about it.
    pub error_class: ErrorClass,
    /// What to do about it, and when.
    pub retry: RetryAdvice,
    /// The kind of the (first) problem, when the body has a known one.
    pub problem_kind: Option<ProblemKind>,
    /// How many errors the body carries (partial errors, for a success).
    pub error_count: usize,
    /// The body has a `data` member.
    pub has_data: bool,
    /// The body was over the size limit and was not read.
    pub body_too_large: bool,
    pub(crate) body: &'a [u8],
}

/// One v1.1 error.
#[derive(Debug, Clone, PartialEq)]
pub struct V1Error {
    /// The numeric code.
    pub code: V1ErrorCode,
    /// X's message, for people; never matched on.
    pub message: Option<String>,
}

/// One Ads API error; fields beyond code and message are kept in `extra`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdsError {
    /// The `CAPS_CASE` code.
    pub code: AdsErrorCode,
    /// X's message, for people; never matched on.
    pub message: Option<String>,
    /// The request parameter the error is about, if any.
    pub parameter: Option<String>,
    /// Every other member (`details`, `value`, …), as sent.
    pub extra: Map<String, Value>,
}

/// The old `{"request": …, "error": …}` form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyError {
    /// The request path X echoes (`/1.1/…`).
    pub request: Option<String>,
    /// X's message.
    pub error: String,
}

fn parse_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn errors_array(map: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    match map.get("errors") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(item)) => vec![item],
        _ => Vec::new(),
    }
}

fn string(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

impl<'a> Outcome<'a> {
    /// Whether the status is a success (1xx–3xx).
    pub fn is_success(&self) -> bool {
        self.kind == Kind::Success
    }

    /// The raw body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The start of the body as text (at most [`body::SNIPPET_BYTES`] bytes).
    pub fn snippet(&self) -> &'a str {
        body::snippet(self.body)
    }

    fn object(&self) -> Option<Map<String, Value>> {
        if self.body_too_large || self.body_format != BodyFormat::Json {
            return None;
        }
        parse_object(self.body)
    }

    /// The problems in the body: the body itself when it is a problem, else the problem
    /// objects in `errors[]`. For a success these are the partial errors.
    pub fn problems(&self) -> Vec<Problem> {
        let Some(map) = self.object() else { return Vec::new() };
        if map.contains_key("type") && !self.is_success() {
            return vec![Problem::from_map(map)];
        }
        errors_array(&map)
            .into_iter()
            .filter(|e| e.contains_key("type"))
            .map(|e| Problem::from_map(e.clone()))
            .collect()
    }

    /// For a success: the errors that came next to the data.
    pub fn partial_errors(&self) -> Vec<Problem> {
        if self.is_success() {
            self.problems()
        } else {
            Vec::new()
        }
    }

    /// v1.1 errors (numeric codes).
    pub fn v1_errors(&self) -> Vec<V1Error> {
        let Some(map) = self.object() else { return Vec::new() };
        errors_array(&map)
            .into_iter()
            .filter_map(|e| {
                let code = u32::try_from(e.get("code")?.as_u64()?).ok()?;
                Some(V1Error { code: V1ErrorCode::from_code(code), message: string(e, "message") })
            })
            .collect()
    }

    /// Ads API errors and the `request` echo.
    pub fn ads_errors(&self) -> (Vec<AdsError>, Option<Value>) {
        let Some(map) = self.object() else { return (Vec::new(), None) };
        let errors = errors_array(&map)
            .into_iter()
            .filter_map(|e| {
                let code = AdsErrorCode::from_wire(e.get("code")?.as_str()?);
                let mut extra = e.clone();
                for k in ["code", "message", "parameter"] {
                    extra.remove(k);
                }
                Some(AdsError { code, message: string(e, "message"), parameter: string(e, "parameter"), extra })
            })
            .collect();
        (errors, map.get("request").filter(|r| r.is_object()).cloned())
    }

    /// The legacy `{"request", "error"}` error.
    pub fn legacy(&self) -> Option<LegacyError> {
        let map = self.object()?;
        Some(LegacyError { request: string(&map, "request"), error: string(&map, "error")? })
    }

    /// The typed details of the error this outcome describes.
    pub fn details(&self) -> ErrorDetails {
        if self.body_too_large {
            return ErrorDetails::BodyTooLarge { len: self.body.len() };
        }
        match self.kind {
            Kind::Problem => ErrorDetails::Problems(self.problems()),
            Kind::V1 => ErrorDetails::V1(self.v1_errors()),
            Kind::Ads => {
                let (errors, request) = self.ads_errors();
                ErrorDetails::Ads { errors, request }
            }
            Kind::Legacy => match self.legacy() {
                Some(l) => ErrorDetails::Legacy(l),
                None => self.http_details(),
            },
            Kind::Success | Kind::Http => self.http_details(),
        }
    }

    fn http_details(&self) -> ErrorDetails {
        ErrorDetails::Http { format: self.body_format, snippet: self.snippet().to_owned() }
    }

    /// An owned error with everything: status, all headers, the raw body and typed details.
    pub fn to_error(&self, headers: &HeaderMap) -> ApiError {
        ApiError {
            method: self.method.clone(),
            status: self.status,
            headers: headers.clone(),
            body: self.body.to_vec(),
            details: self.details(),
            rate_limit: self.rate_limit,
            too_many_requests: self.too_many_requests,
            error_class: self.error_class,
            retry: self.retry,
        }
    }
}

/// What the body said, typed by its format.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorDetails {
    /// v2 problems (the body itself, or the problems in `errors[]`).
    Problems(Vec<Problem>),
    /// v1.1 errors with numeric codes.
    V1(Vec<V1Error>),
    /// Ads API errors and the `request` echo.
    Ads {
        /// `errors[]`.
        errors: Vec<AdsError>,
        /// The `request` member (`{"params": …}`).
        request: Option<Value>,
    },
    /// The old `{"request", "error"}` form.
    Legacy(LegacyError),
    /// No readable error body: HTML, text, empty or unrecognised JSON. A bounded snippet.
    Http {
        /// What the body was.
        format: BodyFormat,
        /// Its start (bounded).
        snippet: String,
    },
    /// The body was over the size limit and was not read.
    BodyTooLarge {
        /// How long the body was.
        len: usize,
    },
    /// A success whose body did not match the expected type.
    Decode {
        /// serde_json's message, with the property path.
        message: String,
    },
}

/// An error response from X, with everything it carried.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The request's method.
    pub method: Method,
    /// The response status.
    pub status: StatusCode,
    /// Every header, as received.
    pub headers: HeaderMap,
    /// The raw body, as received (up to the size limit).
    pub body: Vec<u8>,
    /// What the body said, typed.
    pub details: ErrorDetails,
    /// Rate-limit headers.
    pub rate_limit: RateLimit,
    /// For a 429: which limit it was.
    pub too_many_requests: Option<TooManyRequests>,
    /// What went wrong.
    pub error_class: ErrorClass,
    /// What to do about it, and when.
    pub retry: RetryAdvice,
}

impl ApiError {
    /// The first problem, if the body was a v2 problem.
    pub fn problem(&self) -> Option<&Problem> {
        match &self.details {
            ErrorDetails::Problems(p) => p.first(),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.status)?;
        match &self.details {
            ErrorDetails::Problems(p) => match p.first() {
                Some(p) => {
                    let slug = p.slug().map(|s| s.into_owned()).unwrap_or_else(|| "problem".to_owned());
                    write!(f, ": {slug}")?;
                    if let Some(detail) = p.details().detail.as_deref().or(p.details().title.as_deref()) {
                        write!(f, " ({detail})")?;
                    }
                    Ok(())
                }
                None => Ok(()),
            },
            ErrorDetails::V1(errors) => {
                let codes: Vec<String> = errors.iter().map(|e| e.code.to_string()).collect();
                write!(f, ": v1.1 error code {}", codes.join(", "))
            }
            ErrorDetails::Ads { errors, .. } => {
                let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
                write!(f, ": {}", codes.join(", "))
            }
            ErrorDetails::Legacy(l) => write!(f, ": {}", l.error),
            ErrorDetails::Http { format, .. } => write!(f, " ({} body)", format.as_str()),
            ErrorDetails::BodyTooLarge { len } => write!(f, ": body of {len} bytes over the size limit"),
            ErrorDetails::Decode { message } => write!(f, ": unexpected body: {message}"),
        }
    }
}

impl std::error::Error for ApiError {}
