//! `xapi-client`: an X API client that does what xapi's advice says. `client.call(&request)`
//! takes the typed requests of `xapi::operations` and returns the operation's success type or
//! its own error enum, after
//! - **retries by the advice**: `never` is never retried; `after` waits for the instant X
//!   named, up to a maximum; `backoff` retries idempotent requests with exponential back-off
//!   and full jitter; usage caps and 402s are never retried; every earlier attempt's
//!   response is kept on the final error;
//! - **rate-limit awareness**: the window of each (operation, token) is learnt from every
//!   response's headers, and a call whose window is spent waits for the reset (or fails
//!   fast) instead of earning a 429;
//! - **pagination**: [`Client::pages`] streams the typed pages of any operation the spec
//!   paginates, following `meta.next_token`, resumable from a saved token;
//! - **streams that stay up**: [`Client::stream`] yields typed items and disconnect events,
//!   reconnecting by X's rules (network 250 ms linear to 16 s, HTTP 5 s doubling to 320 s,
//!   429 from a minute, doubling; a stall reconnects), and ends with the typed error on too
//!   many connections, 402 or an error that will not heal;
//! - **credentials** ([`auth`]): app-only bearer, OAuth 2.0 user tokens (PKCE login,
//!   refresh before expiry and once on a 401, one refresh at a time, each new pair saved to a
//!   `TokenStore` such as `FileTokenStore` first), OAuth 1.0a signing; a token the operation does
//!   not accept, or one without a needed scope, is refused before sending with the variant
//!   X's 403 would select;
//! - **chunked media upload** ([`media::upload`]): initialize, append, finalize, poll while
//!   processing, with progress and a resume point after a failed chunk;
//! - one `tracing` event per attempt (operation, attempt, status, wait, reason).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use xapi::operations::get_posts_by_id;
//! let client = xapi_client::Client::builder().bearer_token(std::env::var("X_BEARER_TOKEN")?).build()?;
//! match client.call(&get_posts_by_id::Request::new("20")).await {
//!     Ok(post) => println!("{:?}", post.data),
//!     Err(xapi_client::CallError::Api { error: get_posts_by_id::Error::NotFound(e), .. }) => println!("gone: {e}"),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod auth;
mod client;
mod clock;
mod error;
mod limits;
pub mod media;
mod pages;
mod policy;
mod stream;
mod target;

pub use auth::{
    AuthError, AuthKind, BearerToken, FileTokenStore, OAuth1User, OAuth2App, OAuth2User, TokenId, TokenPair,
    TokenSource, TokenStore,
};
pub use client::{AttemptHook, AttemptInfo, CallResult, Client, ClientBuilder, DEFAULT_BASE_URL, USER_AGENT};
pub use error::{Attempt, AttemptOutcome, BuildError, CallError};
pub use limits::{InMemoryStore, LimitKey, RateLimitStore, Window};
pub use pages::{token_param, Page};
pub use policy::{RateLimitPolicy, RetryPolicy};
pub use stream::{ReconnectReason, StreamEvent, StreamOptions};
pub use target::{Dynamic, Target, Typed};
