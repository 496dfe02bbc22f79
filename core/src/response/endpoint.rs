//! Per-endpoint errors: the payloads their variants carry, the matching of a classified
//! response to a variant, and the traits the generated `Error` enums and operations implement.

use super::{ApiError, RateLimit, RetryAdvice, TooManyRequests};
use crate::errors::{Problem, ProblemDetails, ProblemKind};
use crate::meta::{Operation, VariantInfo};

/// Problem payloads a variant can carry.
pub trait FromProblem: Sized {
    /// The payload, if the problem is of this kind.
    fn from_problem(problem: &Problem) -> Option<Self>;
}

impl FromProblem for Problem {
    fn from_problem(problem: &Problem) -> Option<Self> {
        Some(problem.clone())
    }
}

impl FromProblem for ProblemDetails {
    fn from_problem(problem: &Problem) -> Option<Self> {
        Some(problem.details().clone())
    }
}

/// A problem of the kind the variant names, with the response it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemError<P> {
    /// The typed problem; `None` when the status matched without a problem body (e.g. an
    /// HTML 404 page).
    pub problem: Option<P>,
    /// The whole response, as classified.
    pub response: Box<ApiError>,
}

impl<P: FromProblem> ProblemError<P> {
    /// Takes the typed problem out of the response, when it is of kind `P`.
    pub fn new(response: ApiError) -> Self {
        let problem = response.problem().and_then(P::from_problem);
        Self { problem, response: Box::new(response) }
    }
}

/// A 429 (or 420): which limit, the rate-limit headers and when to retry.
#[derive(Debug, Clone, PartialEq)]
pub struct ThrottleError {
    /// Which limit was hit ([`TooManyRequests::Unknown`] when the response does not say).
    pub kind: TooManyRequests,
    /// The rate-limit headers of the response.
    pub rate_limit: RateLimit,
    /// When to try again.
    pub retry: RetryAdvice,
    /// The whole response, as classified.
    pub response: Box<ApiError>,
}

impl ThrottleError {
    /// Copies the limit, headers and advice out of the response.
    pub fn new(response: ApiError) -> Self {
        Self {
            kind: response.too_many_requests.unwrap_or(TooManyRequests::Unknown),
            rate_limit: response.rate_limit,
            retry: response.retry,
            response: Box::new(response),
        }
    }
}

/// A success whose body did not fit the operation's type (never an error X sent): where and
/// what, with the whole response kept.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// The JSON path, the spec pointer and serde's message.
    pub failure: crate::wire::DecodeFailure,
    /// The whole response, body included.
    pub response: Box<ApiError>,
}

impl DecodeError {
    /// The decode error, if `response` is one (else `response` is handed back, boxed).
    pub fn from_response(response: Box<ApiError>) -> Result<Self, Box<ApiError>> {
        match &response.details {
            super::ErrorDetails::Decode(failure) => Ok(Self { failure: failure.clone(), response }),
            _ => Err(response),
        }
    }
}

/// A refusal, with the OAuth 2.0 scopes the operation requires (to check the token against).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeError {
    /// The OAuth 2.0 scopes the operation requires (empty when it does not take OAuth 2.0).
    pub scopes: &'static [&'static str],
    /// The whole response, as classified.
    pub response: Box<ApiError>,
}

impl ScopeError {
    /// The refusal, with the scopes `operation` requires.
    pub fn new(response: ApiError, operation: &'static Operation) -> Self {
        Self { scopes: operation.scopes(), response: Box::new(response) }
    }
}

/// Which variant a response selects: a problem kind the variants list first, then the 429
/// kind, then the status. A known problem kind that no variant lists selects none (the
/// operation cannot produce it: it stays unhandled); `about:blank` and unknown types leave
/// the decision to the status.
pub fn select(variants: &[VariantInfo], error: &ApiError) -> Option<usize> {
    let kind = error.problem().and_then(Problem::kind).filter(|k| *k != ProblemKind::AboutBlank);
    if let Some(kind) = kind {
        return variants.iter().position(|v| v.problems.contains(&kind));
    }
    if let Some(t) = error.too_many_requests {
        if let Some(i) = variants.iter().position(|v| v.too_many.contains(&t)) {
            return Some(i);
        }
    }
    variants.iter().position(|v| v.statuses.contains(&error.status.as_u16()))
}

/// The payloads print as the response they came in (status, problem type, detail), so a
/// matched variant can be shown or logged as it is.
macro_rules! display_as_response {
    ($($ty:ty),*) => {$(
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&*self.response, f)
            }
        }
    )*};
}
display_as_response!(ThrottleError, DecodeError, ScopeError);

impl<P> std::fmt::Display for ProblemError<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&*self.response, f)
    }
}

/// The generated per-endpoint error enums.
pub trait EndpointError: Sized + std::error::Error {
    /// The variant a response selects, or `Unhandled` with everything kept.
    fn from_api_error(error: ApiError, operation: &'static Operation) -> Self;
    /// The variant's name (`"NotFound"`, `"Unhandled"`, …).
    fn variant(&self) -> &'static str;
    /// The response, whichever the variant.
    fn response(&self) -> &ApiError;
    /// Whether the error is one the operation is not expected to return.
    fn is_unhandled(&self) -> bool {
        self.variant() == "Unhandled"
    }
}

/// An operation: its success type, its error enum and its metadata. Each operation module
/// has one (`operations::get_posts_by_id::Op`). Everything in it is `'static` (owned data,
/// unit types), so callers that keep them in futures and streams need not say so.
pub trait Endpoint: 'static {
    /// What a success response's body decodes to.
    type Success: serde::de::DeserializeOwned + 'static;
    /// The operation's error enum.
    type Error: EndpointError + 'static;
    /// What the spec states about the operation.
    const OPERATION: &'static Operation;
}
