//! The owned error value and its parts: what an error response said, typed by format, with
//! every header and the raw body kept.

use super::{ErrorClass, RateLimit, RetryAdvice, TooManyRequests};
use crate::errors::{AdsErrorCode, OAuthErrorCode, Problem, V1ErrorCode};
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};
use std::fmt;

/// What kind of bytes the body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// A JSON value (it may still be in a shape xapi does not recognise).
    Json,
    /// An HTML page (X's proxies answer 404s and 503s with these).
    Html,
    /// Anything else with bytes in it, e.g. `Enhance Your Calm`.
    Text,
    /// Nothing, or only white space.
    Empty,
}

impl BodyFormat {
    /// `"json"`, `"html"`, `"text"` or `"empty"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Html => "html",
            Self::Text => "text",
            Self::Empty => "empty",
        }
    }
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

/// An OAuth 2.0 error (RFC 6749 §5.2), from the token, revoke and authorize endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    /// `error`: the code, matched on (never the description).
    pub code: OAuthErrorCode,
    /// `error_description`: for people.
    pub description: Option<String>,
    /// `error_uri`.
    pub uri: Option<String>,
    /// Every other member, as sent (X adds `errors[]` at times).
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
    /// An OAuth 2.0 error: `{"error": "invalid_request", "error_description": …}`.
    OAuth(OAuthError),
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
    /// A success whose body did not fit the operation's type: where (the JSON path and the
    /// spec pointer of the property) and what. The body is in [`ApiError::body`].
    Decode(crate::wire::DecodeFailure),
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
            ErrorDetails::OAuth(o) => write!(f, ": OAuth 2.0 error {}", o.code),
            ErrorDetails::Http { format, .. } => write!(f, " ({} body)", format.as_str()),
            ErrorDetails::BodyTooLarge { len } => write!(f, ": body of {len} bytes over the size limit"),
            ErrorDetails::Decode(failure) => write!(f, ": the body does not fit its type: {failure}"),
        }
    }
}

impl std::error::Error for ApiError {}
