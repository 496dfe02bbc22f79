//! What a call is for: a typed operation (`operations::<op>::Op`: its success type and error
//! enum) or, for tools that pick the operation at run time (the `xapi` binary), its metadata
//! alone (success as JSON, errors as `ApiError`). The call loop, pages and streams are written
//! once over this.

use std::marker::PhantomData;
use xapi::meta::Operation;
use xapi::{ApiError, Endpoint, EndpointError};

/// The operation a call is for, and how its answers are typed.
pub trait Target: Copy + Send + Sync + 'static {
    /// The success body.
    type Success: serde::de::DeserializeOwned + 'static;
    /// The error.
    type Error: std::error::Error + 'static;
    /// The operation's metadata.
    fn operation(self) -> &'static Operation;
    /// The error for an answer X sent.
    fn error(self, error: ApiError) -> Self::Error;
}

/// A generated operation, typed.
pub struct Typed<E>(PhantomData<fn() -> E>);

impl<E> Typed<E> {
    /// The target for operation `E`.
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<E> Default for Typed<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for Typed<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Typed<E> {}

impl<E: Endpoint> Target for Typed<E> {
    type Success = E::Success;
    type Error = E::Error;

    fn operation(self) -> &'static Operation {
        E::OPERATION
    }

    fn error(self, error: ApiError) -> E::Error {
        E::Error::from_api_error(error, E::OPERATION)
    }
}

/// An operation known by its metadata only (`xapi::operations::find("getPostsById")`):
/// success bodies as JSON, errors as the classified `ApiError`.
#[derive(Debug, Clone, Copy)]
pub struct Dynamic(pub &'static Operation);

impl Target for Dynamic {
    type Success = serde_json::Value;
    type Error = ApiError;

    fn operation(self) -> &'static Operation {
        self.0
    }

    fn error(self, error: ApiError) -> ApiError {
        error
    }
}
