//! The `reqwest` feature: read a `reqwest::Response` (bounded by the size limit) and classify
//! it, keeping status, every header and the raw body in the error.

use crate::classify::{classify_with, Options};
use crate::response::{parse_outcome, Parsed};
use http::Method;
use serde::de::DeserializeOwned;
use xapi_core::request::TypedRequest;
use xapi_core::response::ApiError;
use xapi_core::response::{Endpoint, EndpointError};

/// A failed call: X answered with an error, or the request never got an answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// X answered with an error.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// No answer: connection, TLS, timeout or body-reading failure.
    #[error("transport: {0}")]
    Transport(#[from] reqwest::Error),
}

impl Error {
    /// The API error, if X answered.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            Self::Transport(_) => None,
        }
    }

    /// The API error (`Ok`) or the transport failure (`Err`), owned.
    pub fn into_api(self) -> Result<Box<ApiError>, reqwest::Error> {
        match self {
            Self::Api(e) => Ok(e),
            Self::Transport(e) => Err(e),
        }
    }
}

/// Reads the body, stopping past `limit` bytes (the rest is not read).
async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > limit {
            break;
        }
    }
    Ok(body)
}

/// Parses a response to a request made with `method`.
pub async fn parse<T: DeserializeOwned>(method: &Method, response: reqwest::Response) -> Result<Parsed<T>, Error> {
    parse_with(&Options::default(), method, response).await
}

/// [`parse`] with options (size limit, streaming).
pub async fn parse_with<T: DeserializeOwned>(
    options: &Options,
    method: &Method,
    mut response: reqwest::Response,
) -> Result<Parsed<T>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_body(&mut response, options.limit_for(status)).await?;
    let outcome = classify_with(options, method, status, &headers, &body);
    parse_outcome(&outcome, &headers).map_err(Error::Api)
}

/// A failed call to operation `E`: its own error enum, or no answer at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointCallError<E: std::error::Error + 'static> {
    /// X answered with an error, typed for the operation.
    #[error(transparent)]
    Api(E),
    /// No answer: connection, TLS, timeout or body-reading failure.
    #[error("transport: {0}")]
    Transport(#[from] reqwest::Error),
}

/// Checks a typed request against the spec, sends it to `base_url` (`https://api.x.com`) and
/// parses the reply for its operation. A request that breaks the spec is not sent: its
/// violations come back as the operation's error, the same `invalid-request` problem a server
/// 400 carries, marked `"local": true` (see [`crate::rejected_locally`]).
pub async fn call<R: TypedRequest>(
    client: &reqwest::Client,
    base_url: &str,
    request: &R,
) -> Result<Parsed<<R::Endpoint as Endpoint>::Success>, EndpointCallError<<R::Endpoint as Endpoint>::Error>>
where
    <R::Endpoint as Endpoint>::Error: 'static,
{
    let request = match request.to_http_request(base_url) {
        Ok(request) => request,
        Err(violations) => return Err(EndpointCallError::Api(crate::rejected_locally::<R::Endpoint>(&violations))),
    };
    let request = reqwest::Request::try_from(request)?;
    execute_for::<R::Endpoint>(client, request).await
}

async fn execute_for<E: Endpoint>(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> Result<Parsed<E::Success>, EndpointCallError<E::Error>>
where
    E::Error: 'static,
{
    let operation = E::OPERATION;
    let options = crate::response::options_for(operation);
    let response = client.execute(request).await?;
    match parse_with::<E::Success>(&options, &crate::response::http_method(operation.method), response).await {
        Ok(parsed) => Ok(parsed),
        Err(Error::Api(e)) => Err(EndpointCallError::Api(E::Error::from_api_error(*e, operation))),
        Err(Error::Transport(e)) => Err(EndpointCallError::Transport(e)),
    }
}

/// Sends a request for operation `E` and parses the response into its success type or its
/// error enum.
pub async fn send_for<E: Endpoint>(
    request: reqwest::RequestBuilder,
) -> Result<Parsed<E::Success>, EndpointCallError<E::Error>>
where
    E::Error: 'static,
{
    let (client, request) = request.build_split();
    execute_for::<E>(&client, request?).await
}

/// Sends a request and parses the response.
pub async fn send<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<Parsed<T>, Error> {
    let (client, request) = request.build_split();
    let request = request?;
    let method = request.method().clone();
    let response = client.execute(request).await?;
    parse(&method, response).await
}
