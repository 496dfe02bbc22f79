//! `xapi`: every response X sends, as a typed value that says what happened and whether and
//! when to retry.
//!
//! ```
//! use http::{HeaderMap, Method, StatusCode};
//!
//! let body = br#"{"title": "Usage cap exceeded", "detail": "Monthly product cap",
//!                 "type": "https://api.twitter.com/2/problems/usage-capped", "period": "Monthly"}"#;
//! let outcome = xapi::classify(&Method::GET, StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), body);
//! assert_eq!(outcome.kind, xapi::Kind::Problem);
//! assert_eq!(outcome.too_many_requests, Some(xapi::TooManyRequests::UsageCap));
//! assert_eq!(outcome.retry.class(), "after");
//! ```
//!
//! - [`classify`] reads any response (status, headers, body) without allocating on the common
//!   path; [`Outcome`] parses typed details on demand and [`Outcome::to_error`] makes an owned
//!   [`ApiError`] that keeps every header and the raw body.
//! - [`parse`] / [`ResponseExt::parse_as`] give the data of a success as `T` with its partial
//!   errors and rate limits, or the error.
//! - [`parse_for`] does the same for one operation (`operations::<op>::Op`), with the
//!   operation's own `#[non_exhaustive]` error enum: one variant per error it can return,
//!   `Unhandled` for anything else.
//! - [`stream::classify_line`] reads streaming endpoints line by line.
//! - [`request`] checks a request against the spec before it is sent (every parameter and
//!   body constraint, all violations at once) and encodes it; [`rejected_locally`] turns the
//!   violations into the operation's error, the same `invalid-request` a server 400 gives.
//!   With the `typed-requests` feature each operation also has a typed `Request` struct.
//! - With the `reqwest` feature, [`reqwest::send`] does all of it for a request, and
//!   [`reqwest::call`] checks, sends and parses a typed request in one step.
//!
//! The generated types are re-exported: [`models`], [`params`], [`operations`], [`errors`].

#![warn(missing_docs)]

mod body;
mod classify;
mod outcome;
mod response;
pub mod stream;

#[cfg(feature = "reqwest")]
pub mod reqwest;

pub use body::SNIPPET_BYTES;
pub use classify::{
    classify, classify_with, Options, DEFAULT_BODY_LIMIT, DEFAULT_SUCCESS_BODY_LIMIT, DEFAULT_THROTTLE_WAIT,
};
pub use outcome::{Kind, Outcome};
pub use response::{http_method, options_for, parse, parse_for, rejected_locally, Parsed, ResponseExt};
pub use xapi_core::response::{
    AdsError, ApiError, BodyFormat, DecodeError, Endpoint, EndpointError, ErrorClass, ErrorDetails, LegacyError,
    ProblemError, Quota, RateLimit, Reconnect, RetryAdvice, RetryAfter, ScopeError, ThrottleError, TooManyRequests,
    V1Error, INITIAL_BACKOFF,
};

pub use xapi_core::wire::{DecodeFailure, Extra};
pub use xapi_core::{errors, meta, request, vocabulary, wire};
pub use xapi_types as types;
pub use xapi_types::{models, operations, params};
