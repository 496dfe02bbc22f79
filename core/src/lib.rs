//! Hand-written support for the crates `xapi-gen` writes (`xapi-types`), and what the runtime
//! (`xapi`) re-exports: operation metadata, request checks, error and rate-limit types, how
//! models read what X sends, and the macros generated modules expand.
//!
//! Only [`errors`]' tables (`src/errors/tables/`) are written by `cargo xtask regen`, from
//! `spec/errors/`; everything else here is ordinary code with its own tests.
//!
//! - [`vocabulary`]: the words every stage shares (problem slugs, retry classes, families);
//! - [`errors`]: HTTP statuses, problem types, Ads, v1.1 and OAuth codes;
//! - [`meta`]: what the spec states about each operation, as constants;
//! - [`request`]: checks requests against the spec and encodes them, before anything is sent;
//! - [`response`]: rate limits, retry advice, the owned `ApiError` and per-endpoint errors;
//! - [`wire`]: unknown properties kept in [`wire::Extra`], legacy spellings, decode failures.

#![warn(missing_docs)]

pub mod vocabulary;

#[cfg(feature = "api")]
#[macro_use]
mod macros;
#[cfg(feature = "api")]
pub mod errors;
#[cfg(feature = "api")]
pub mod meta;
#[cfg(feature = "api")]
pub mod request;
#[cfg(feature = "api")]
pub mod response;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "api")]
pub mod wire;

/// The HTTP types requests and responses are built from (a re-export, so generated code and
/// users name one version).
#[cfg(feature = "api")]
pub use http;
/// The JSON value type models and errors keep unknown data in.
#[cfg(feature = "api")]
pub use serde_json;

/// What the macros name through `$crate`, so a generated crate needs no serde of its own.
#[cfg(feature = "api")]
#[doc(hidden)]
pub mod __private {
    pub use serde;
}
