//! Response types shared by the generated per-endpoint errors and the `xapi` runtime: rate
//! limits, retry advice and the owned [`ApiError`]. They live here, not in the runtime, so
//! that this crate never depends on it. The runtime fills them in.

mod endpoint;
mod error;
mod rate_limit;
mod retry;

pub use endpoint::*;
pub use error::*;
pub use rate_limit::*;
pub use retry::*;
