//! Turning a whole response into data or an error: for `http::Response`, and as a plain
//! function over status, headers and body.

use crate::classify::{classify_with, Options};
use crate::outcome::Outcome;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use xapi_core::errors::Problem;
use xapi_core::request::{problem_json, Violation};
use xapi_core::response::RateLimit;
use xapi_core::response::{ApiError, ErrorClass, ErrorDetails, RetryAdvice};
use xapi_core::response::{Endpoint, EndpointError};
use xapi_core::wire::DecodeFailure;

/// A successful response: the data, the errors that came with it, and the rate limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The response status (200, 201, 204…).
    pub status: StatusCode,
    /// The body, as the operation's success type.
    pub data: T,
    /// Errors next to the data (e.g. ids that were not found). An unknown problem type here
    /// never fails the data.
    pub partial_errors: Vec<Problem>,
    /// Rate-limit headers.
    pub rate_limit: RateLimit,
    /// `meta.next_token`: the token that fetches the next page of a v2 list, when X sent one.
    pub next_token: Option<String>,
}

/// Parses a response as `T` on success, or returns the classified error with everything kept
/// (boxed: it carries every header and the body).
pub fn parse<T: DeserializeOwned>(
    options: &Options,
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Parsed<T>, Box<ApiError>> {
    let outcome = classify_with(options, method, status, headers, body);
    parse_outcome(&outcome, headers)
}

pub(crate) fn parse_outcome<T: DeserializeOwned>(
    outcome: &Outcome<'_>,
    headers: &HeaderMap,
) -> Result<Parsed<T>, Box<ApiError>> {
    if !outcome.is_success() || outcome.body_too_large {
        return Err(Box::new(outcome.to_error(headers)));
    }
    let body = outcome.body();
    let data =
        if body.trim_ascii().is_empty() { serde_json::from_slice(b"null") } else { xapi_core::wire::from_slice(body) };
    match data {
        Ok(data) => Ok(Parsed {
            status: outcome.status,
            data,
            partial_errors: outcome.partial_errors(),
            rate_limit: outcome.rate_limit,
            next_token: outcome.next_token(),
        }),
        Err(e) => {
            // Not an error X sent: the body is kept, and retrying would not change it.
            let mut error = Box::new(outcome.to_error(headers));
            error.details = ErrorDetails::Decode(DecodeFailure::from_message(&e.to_string()));
            error.error_class = ErrorClass::Decode;
            error.retry = RetryAdvice::Never;
            Err(error)
        }
    }
}

/// The HTTP method of an operation, as the `http` crate spells it.
pub fn http_method(method: xapi_core::meta::Method) -> Method {
    method.to_http()
}

/// The options an operation implies (a streaming endpoint reconnects instead of retrying; a
/// server error is retried only where sending again is safe).
pub fn options_for(operation: &xapi_core::meta::Operation) -> Options {
    Options { streaming: operation.streaming, idempotent: Some(operation.idempotent), ..Options::default() }
}

/// Parses a response to operation `E`: its success type, or its own error enum (a response
/// the operation is not expected to give lands in `Unhandled`, kept whole).
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// use xapi::operations::get_posts_by_id::{Error, Op};
///
/// let body = br#"{"title":"Not Found Error","type":"https://api.x.com/2/problems/resource-not-found",
///                 "detail":"Could not find post with id: [20].","resource_type":"post","resource_id":"20"}"#;
/// match xapi::parse_for::<Op>(StatusCode::NOT_FOUND, &HeaderMap::new(), body) {
///     Err(Error::NotFound(e)) => assert_eq!(e.problem.unwrap().resource_id.as_deref(), Some("20")),
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn parse_for<E: Endpoint>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Parsed<E::Success>, E::Error> {
    let operation = E::OPERATION;
    let outcome = classify_with(&options_for(operation), &http_method(operation.method), status, headers, body);
    parse_outcome(&outcome, headers).map_err(|e| E::Error::from_api_error(*e, operation))
}

/// Violations found before sending, as the operation's own error: the `invalid-request`
/// problem a server 400 carries, marked `"local": true`, so one `match` handles both.
///
/// ```
/// use xapi::operations::get_posts_by_id::{Op, OPERATION};
/// use xapi::types::request::{validate, Params};
///
/// let mut params = Params::new();
/// params.insert("id".into(), vec!["not-a-number".into()]);
/// let violations = validate(&OPERATION, &params).unwrap_err();
/// let error = xapi::rejected_locally::<Op>(&violations);
/// let problem = xapi::EndpointError::response(&error).problem().unwrap();
/// assert_eq!(problem.kind(), Some(xapi::errors::ProblemKind::InvalidRequest));
/// assert_eq!(problem.details().extra["local"], true);
/// ```
pub fn rejected_locally<E: Endpoint>(violations: &[Violation]) -> E::Error {
    let body = serde_json::to_vec(&problem_json(violations)).unwrap_or_default();
    let mut headers = HeaderMap::new();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/problem+json"));
    let operation = E::OPERATION;
    let method = http_method(operation.method);
    // However many violations, the problem is kept whole (no body limit: it was made here).
    let options = Options { body_limit: usize::MAX, success_body_limit: usize::MAX, ..options_for(operation) };
    let outcome = classify_with(&options, &method, StatusCode::BAD_REQUEST, &headers, &body);
    E::Error::from_api_error(outcome.to_error(&headers), operation)
}

/// Classification and parsing for `http::Response` with any byte body.
///
/// ```
/// use http::{Method, Response};
/// use xapi::ResponseExt;
///
/// let response = Response::builder().status(503).body("<html>Over capacity</html>").unwrap();
/// let e = response.parse_as::<serde_json::Value>(&Method::GET).unwrap_err();
/// assert_eq!(e.retry.class(), "backoff");
/// assert_eq!(e.body, b"<html>Over capacity</html>");
/// ```
pub trait ResponseExt {
    /// Classifies the response (`method` is the request's).
    fn classify(&self, method: &Method) -> Outcome<'_>;

    /// Parses the body as `T` on success; otherwise the error, with everything kept.
    fn parse_as<T: DeserializeOwned>(&self, method: &Method) -> Result<Parsed<T>, Box<ApiError>>;
}

impl<B: AsRef<[u8]>> ResponseExt for http::Response<B> {
    fn classify(&self, method: &Method) -> Outcome<'_> {
        classify_with(&Options::default(), method, self.status(), self.headers(), self.body().as_ref())
    }

    fn parse_as<T: DeserializeOwned>(&self, method: &Method) -> Result<Parsed<T>, Box<ApiError>> {
        parse(&Options::default(), method, self.status(), self.headers(), self.body().as_ref())
    }
}
