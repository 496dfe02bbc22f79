//! `xapi`: typed X API responses.
//!
//! For now this crate re-exports the generated types ([`types`]); the response classifier
//! comes next. Depend on `xapi`, not on `xapi-types` directly.

pub use xapi_types as types;
pub use xapi_types::{errors, meta, models, operations, params};
