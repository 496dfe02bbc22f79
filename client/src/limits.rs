//! Rate-limit windows per (operation, token), learnt from the `x-rate-limit-*` headers of
//! every response, success included. The store is a small trait so that processes sharing
//! one app's limits can share one store; [`InMemoryStore`] is the default.

use crate::auth::TokenId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

/// Whose window: an operation (its id, `getPostsById`) called with a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LimitKey {
    /// The operation id.
    pub operation: &'static str,
    /// The credentials' identity.
    pub token: TokenId,
}

/// A window as the last response described it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Requests allowed per window, when X said.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: u64,
    /// When the window resets.
    pub reset_at: SystemTime,
}

impl Window {
    /// Whether the window is spent and not yet reset at `now`.
    pub fn is_spent(&self, now: SystemTime) -> bool {
        self.remaining == 0 && self.reset_at > now
    }
}

/// Where windows are kept. Implementations must be cheap: `get` runs before every request
/// and `record` after every response.
pub trait RateLimitStore: Send + Sync + 'static {
    /// The last window recorded for the key.
    fn get(&self, key: &LimitKey) -> Option<Window>;
    /// Records the window a response described.
    fn record(&self, key: LimitKey, window: Window);
}

/// Windows in this process's memory.
#[derive(Debug, Default)]
pub struct InMemoryStore {
    windows: Mutex<HashMap<LimitKey, Window>>,
}

impl RateLimitStore for InMemoryStore {
    fn get(&self, key: &LimitKey) -> Option<Window> {
        self.windows.lock().ok()?.get(key).copied()
    }

    fn record(&self, key: LimitKey, window: Window) {
        if let Ok(mut windows) = self.windows.lock() {
            windows.insert(key, window);
        }
    }
}

/// The window the rate-limit headers of a response describe, if they describe one.
pub(crate) fn window_of(rate_limit: &xapi::RateLimit) -> Option<Window> {
    let quota = rate_limit.window?;
    Some(Window { limit: quota.limit, remaining: quota.remaining?, reset_at: quota.reset_at()? })
}
