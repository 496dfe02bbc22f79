//! The typed side: each `operations::<op>::Request` implements [`TypedRequest`] (through the
//! `typed_request!` macro), turning its fields into [`Params`] and a [`Body`] that the same
//! checks and encoder as the dynamic API then handle.

use super::{check, to_http_request, validate, Body, Multipart, Params, Violation};
use crate::meta::Operation;
use std::fmt::Display;

/// A typed request for one operation.
pub trait TypedRequest {
    /// The operation it is for.
    const OPERATION: &'static Operation;

    /// The same operation, for parsing the reply (`operations::<op>::Op`).
    type Endpoint: crate::response::Endpoint;

    /// Its path, query and header parameters, as text.
    fn to_params(&self) -> Params;

    /// Its body, when the operation takes one and it is set. Fails only when the body cannot
    /// be serialized.
    fn to_body(&self) -> Result<Option<Body>, Violation>;

    /// Checks every parameter and the body against the spec; all violations at once.
    fn validate(&self) -> Result<(), Vec<Violation>> {
        match self.to_body() {
            Ok(body) => check(Self::OPERATION, &self.to_params(), body.as_ref()),
            // The body cannot be sent; the parameters' violations come with that one.
            Err(v) => {
                let mut violations = validate(Self::OPERATION, &self.to_params()).err().unwrap_or_default();
                violations.push(v);
                Err(violations)
            }
        }
    }

    /// Validates, then builds the HTTP request X would receive at `base_url`
    /// (`https://api.x.com`).
    fn to_http_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Vec<Violation>> {
        let body = self.to_body().map_err(|v| vec![v])?;
        to_http_request(Self::OPERATION, base_url, &self.to_params(), body.as_ref())
    }
}

/// The body of an operation that takes JSON or a multipart form (media uploads).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum JsonOrMultipart<T> {
    /// The typed body, sent as `application/json`.
    Json(T),
    /// A form, sent as `multipart/form-data`.
    Multipart(Multipart),
}

impl<T> From<T> for JsonOrMultipart<T> {
    fn from(body: T) -> Self {
        Self::Json(body)
    }
}

impl<T: serde::Serialize> JsonOrMultipart<T> {
    /// The body as it will be sent.
    pub fn to_body(&self) -> Result<Body, Violation> {
        match self {
            Self::Json(body) => json_body(body),
            Self::Multipart(form) => Ok(Body::Multipart(form.clone())),
        }
    }
}

/// A typed JSON body as it will be sent.
pub fn json_body<T: serde::Serialize>(body: &T) -> Result<Body, Violation> {
    serde_json::to_value(body).map(Body::Json).map_err(|e| Violation {
        param: "body".into(),
        rule: format!("serializable: {e}"),
        pointer: String::new(),
        value: String::new(),
    })
}

/// Collects typed fields into [`Params`], by wire name.
#[derive(Debug, Default)]
pub struct ParamsBuilder(Params);

impl ParamsBuilder {
    /// A required scalar.
    pub fn one(mut self, name: &str, value: &impl Display) -> Self {
        self.0.insert(name.to_owned(), vec![value.to_string()]);
        self
    }

    /// A required array.
    pub fn many<T: Display>(mut self, name: &str, values: &[T]) -> Self {
        self.0.insert(name.to_owned(), values.iter().map(ToString::to_string).collect());
        self
    }

    /// An optional scalar.
    pub fn opt_one(self, name: &str, value: &Option<impl Display>) -> Self {
        match value {
            Some(v) => self.one(name, v),
            None => self,
        }
    }

    /// An optional array.
    pub fn opt_many<T: Display>(self, name: &str, values: &Option<Vec<T>>) -> Self {
        match values {
            Some(v) => self.many(name, v),
            None => self,
        }
    }

    /// The parameters collected.
    pub fn build(self) -> Params {
        self.0
    }
}
