//! Where the credentials of a request come from. A token is never printed: `Debug` shows its
//! kind only, and rate limits are tracked by a [`TokenId`] derived from it, not by the token.

use std::fmt;
use std::hash::{Hash, Hasher};

/// Signs or authorizes an outgoing request. Implemented by [`BearerToken`]; the OAuth
/// sources (user context, OAuth 1.0a signing) implement it too.
pub trait TokenSource: Send + Sync + 'static {
    /// Adds the credentials to the request (an `authorization` header, a signature).
    fn authorize(&self, request: &mut reqwest::Request) -> Result<(), AuthError>;
    /// A stable identity for rate-limit tracking: equal for the same credentials, and
    /// revealing nothing about them.
    fn id(&self) -> TokenId;
}

/// Why a request could not be authorized.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token cannot go in a header (it holds a control character).
    #[error("the token is not a valid header value")]
    InvalidToken,
}

/// An opaque identity of a set of credentials (a hash; `0` for calls without any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenId(pub u64);

/// An app-only bearer token (`Authorization: Bearer …`).
#[derive(Clone)]
pub struct BearerToken {
    header: http::HeaderValue,
    id: TokenId,
}

impl BearerToken {
    /// The token as X issued it.
    pub fn new(token: impl AsRef<str>) -> Result<Self, AuthError> {
        let token = token.as_ref();
        let mut header =
            http::HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| AuthError::InvalidToken)?;
        header.set_sensitive(true);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        ("bearer", token).hash(&mut hasher);
        Ok(Self { header, id: TokenId(hasher.finish()) })
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl TokenSource for BearerToken {
    fn authorize(&self, request: &mut reqwest::Request) -> Result<(), AuthError> {
        request.headers_mut().insert(http::header::AUTHORIZATION, self.header.clone());
        Ok(())
    }

    fn id(&self) -> TokenId {
        self.id
    }
}
