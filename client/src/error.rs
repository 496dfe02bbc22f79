//! What a call returns when it does not succeed: the operation's own error enum (after any
//! retries), a transport failure, or a spent rate-limit window, each with every earlier
//! attempt's response kept.

use crate::auth::AuthError;
use std::time::{Duration, SystemTime};
use xapi::ApiError;

/// One attempt that did not succeed and was retried.
#[derive(Debug)]
#[non_exhaustive]
pub struct Attempt {
    /// 1 for the first.
    pub number: u32,
    /// How long the client waited before sending it.
    pub waited: Duration,
    /// What came back.
    pub outcome: AttemptOutcome,
}

/// What an attempt got.
#[derive(Debug)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// X answered with an error: status, headers, body, advice.
    Error(Box<ApiError>),
    /// No answer.
    Transport(reqwest::Error),
}

/// A failed call to an operation whose error enum is `E`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError<E: std::error::Error> {
    /// X answered with an error the policy does not retry (or retries ran out): the
    /// operation's own enum, and the attempts before it.
    #[error("{error}")]
    Api {
        /// The last answer, typed for the operation.
        error: E,
        /// The attempts before the last.
        attempts: Vec<Attempt>,
    },
    /// The last attempt got no answer (connection, TLS, timeout, body read).
    #[error("transport: {error}")]
    Transport {
        /// The failure.
        error: reqwest::Error,
        /// The attempts before the last.
        attempts: Vec<Attempt>,
    },
    /// The window of this operation and token is spent and the policy does not wait (fails
    /// fast, or the reset is further than the longest wait): nothing was sent.
    #[error("the rate-limit window of `{operation}` is spent until {reset_at:?}")]
    RateLimited {
        /// The operation id.
        operation: &'static str,
        /// When the window resets.
        reset_at: SystemTime,
        /// The attempts before.
        attempts: Vec<Attempt>,
    },
    /// The token source could not authorize the request: nothing was sent.
    #[error("authorization: {0}")]
    Auth(#[from] AuthError),
}

impl<E: std::error::Error> CallError<E> {
    /// The operation's error, when X answered.
    pub fn api(&self) -> Option<&E> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The attempts before the last (empty when the first was the last).
    pub fn attempts(&self) -> &[Attempt] {
        match self {
            Self::Api { attempts, .. } | Self::Transport { attempts, .. } | Self::RateLimited { attempts, .. } => {
                attempts
            }
            Self::Auth(_) => &[],
        }
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The token cannot be used.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// reqwest refused the configuration (TLS backend, …).
    #[error("http client: {0}")]
    Http(#[from] reqwest::Error),
}
