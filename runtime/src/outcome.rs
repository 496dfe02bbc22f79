//! What classification returns: a cheap, borrowed [`Outcome`] for every response, which turns
//! into an owned [`ApiError`] (defined with the generated types) that keeps everything.

use crate::body;
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};
use xapi_core::errors::{AdsErrorCode, OAuthErrorCode, Problem, ProblemKind, V1ErrorCode};
use xapi_core::response::{
    AdsError, ApiError, BodyFormat, ErrorClass, ErrorDetails, LegacyError, OAuthError, RateLimit, RetryAdvice,
    TooManyRequests, V1Error,
};

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
    /// OAuth 2.0 (RFC 6749 §5.2): `{"error": "invalid_request", "error_description": "…"}`,
    /// from the token, revoke and authorize endpoints.
    OAuth,
    /// Nothing readable in the body (HTML, text, empty, other JSON): the status decides.
    Http,
}

impl Kind {
    /// `"success"`, `"problem"`, `"v1"`, `"ads"`, `"legacy"`, `"oauth"` or `"http"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Problem => "problem",
            Self::V1 => "v1",
            Self::Ads => "ads",
            Self::Legacy => "legacy",
            Self::OAuth => "oauth",
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

    /// For a success: the errors that came next to the data. Only `errors` is read (the data,
    /// which may be megabytes, is skipped), and only when the scan found some.
    pub fn partial_errors(&self) -> Vec<Problem> {
        if !self.is_success() || self.error_count == 0 || self.body_too_large || self.body_format != BodyFormat::Json {
            return Vec::new();
        }
        #[derive(serde::Deserialize)]
        struct ErrorsOnly {
            errors: Option<Value>,
        }
        let errors = match serde_json::from_slice::<ErrorsOnly>(self.body) {
            Ok(ErrorsOnly { errors: Some(e) }) => e,
            _ => return Vec::new(),
        };
        let map = Map::from_iter([("errors".to_owned(), errors)]);
        errors_array(&map)
            .into_iter()
            .filter(|e| e.contains_key("type"))
            .map(|e| Problem::from_map(e.clone()))
            .collect()
    }

    /// For a success: `meta.next_token`, the token of the next page of a v2 list. Read only
    /// when the body names it (the data, which may be megabytes, is skipped).
    pub fn next_token(&self) -> Option<String> {
        if !self.is_success() || self.body_too_large || self.body_format != BodyFormat::Json {
            return None;
        }
        // A key can only be spelled without the plain bytes through an escape (`\u005f`).
        if !contains(self.body, b"\"next_token\"") && !contains(self.body, b"\\u") {
            return None;
        }
        #[derive(serde::Deserialize)]
        struct MetaOnly {
            meta: Option<Meta>,
        }
        #[derive(serde::Deserialize)]
        struct Meta {
            // Any JSON: a token that is not text is no token, but not a failure either.
            next_token: Option<Value>,
        }
        let token = match serde_json::from_slice::<MetaOnly>(self.body) {
            Ok(read) => read.meta.and_then(|m| m.next_token),
            // A duplicated member refuses the derive; read the whole body as JSON would
            // (the last of duplicates wins).
            Err(_) => parse_object(self.body)?.remove("meta")?.as_object_mut()?.remove("next_token"),
        };
        match token? {
            Value::String(token) if !token.is_empty() => Some(token),
            _ => None,
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

    /// The OAuth 2.0 error (`error`, `error_description`, `error_uri`, anything else kept).
    pub fn oauth(&self) -> Option<OAuthError> {
        if self.kind != Kind::OAuth {
            return None;
        }
        let mut map = self.object()?;
        let code = match map.remove("error") {
            Some(Value::String(code)) => OAuthErrorCode::from_wire(&code),
            _ => return None,
        };
        let take = |map: &mut Map<String, Value>, key: &str| match map.remove(key) {
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                map.insert(key.to_owned(), other);
                None
            }
            None => None,
        };
        let description = take(&mut map, "error_description");
        let uri = take(&mut map, "error_uri");
        Some(OAuthError { code, description, uri, extra: map })
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
            Kind::OAuth => match self.oauth() {
                Some(o) => ErrorDetails::OAuth(o),
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

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
