//! Where the credentials of a request come from: an app-only [`BearerToken`], an OAuth 2.0
//! user token ([`OAuth2User`], refreshed before it expires and once on a 401 that says it
//! expired), or OAuth 1.0a user credentials ([`OAuth1User`], each request signed). A secret
//! is never printed: `Debug` shows the kind only, and rate limits are tracked by a
//! [`TokenId`] derived from it. Before sending, [`preflight`] refuses a token the operation
//! does not accept, as X's 403 would.

mod oauth1;
mod oauth2;
pub mod preflight;
mod store;

#[doc(hidden)]
pub use self::oauth1::Fixed;
pub use self::oauth1::OAuth1User;
pub use self::oauth2::{OAuth2App, OAuth2User, PkceLogin, TokenPair};
pub use self::store::{FileTokenStore, TokenStore};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
pub use xapi::meta::AuthKind;

/// A boxed future, for the async methods of [`TokenSource`] and [`TokenStore`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Signs or authorizes an outgoing request.
pub trait TokenSource: Send + Sync + 'static {
    /// Adds the credentials to the request (an `authorization` header, a signature).
    fn authorize(&self, request: &mut reqwest::Request) -> Result<(), AuthError>;
    /// A stable identity for rate-limit tracking: equal for the same credentials, and
    /// revealing nothing about them.
    fn id(&self) -> TokenId;
    /// Which kind of credentials these are (checked against what the operation accepts).
    fn kind(&self) -> AuthKind;
    /// The OAuth 2.0 scopes the token carries, when known (checked against the operation's).
    fn scopes(&self) -> Option<Vec<String>> {
        None
    }
    /// Whether the token should be refreshed before the next request (it expires soon).
    fn needs_refresh(&self) -> bool {
        false
    }
    /// Gets a new token (OAuth 2.0 refresh); `Ok(false)` when this source cannot refresh.
    fn refresh<'a>(&'a self, http: &'a reqwest::Client) -> BoxFuture<'a, Result<bool, AuthError>> {
        let _ = http;
        Box::pin(async { Ok(false) })
    }
}

/// Why a request could not be authorized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token cannot go in a header (it holds a control character).
    #[error("the token is not a valid header value")]
    InvalidToken,
    /// The token endpoint refused (RFC 6749 error code and description, as sent).
    #[error("the token endpoint refused: {code}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused {
        /// `invalid_grant`, `invalid_client`, …
        code: String,
        /// X's description, when it sent one.
        description: Option<String>,
    },
    /// The token endpoint could not be reached or answered something else.
    #[error("the token endpoint failed: {0}")]
    Endpoint(String),
    /// A URL of the flow is not valid.
    #[error("invalid URL: {0}")]
    Url(String),
    /// A refreshed pair could not be stored or a stored one read (it is tried again before
    /// the next request; the message never holds a secret).
    #[error("the token store failed: {0}")]
    Store(String),
}

/// A sensitive `authorization` header (kept out of reqwest's and http's debug output).
pub(crate) fn sensitive(value: &str) -> Result<http::HeaderValue, AuthError> {
    let mut header = http::HeaderValue::from_str(value).map_err(|_| AuthError::InvalidToken)?;
    header.set_sensitive(true);
    Ok(header)
}

/// The identity of a secret: a hash, never the secret. FNV-1a over the kind and the parts
/// (each ended by a byte no text holds), so it is the same in every process and every Rust
/// version: a [`RateLimitStore`](crate::RateLimitStore) shared by processes finds one key.
pub(crate) fn token_id(kind: &str, parts: &[&str]) -> TokenId {
    let bytes = std::iter::once(kind).chain(parts.iter().copied()).flat_map(|p| p.bytes().chain([0xff]));
    TokenId(bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)))
}

/// An opaque identity of a set of credentials (a hash, the same in every process; `0` for
/// calls without any).
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
        Ok(Self { header: sensitive(&format!("Bearer {token}"))?, id: token_id("bearer", &[token]) })
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

    fn kind(&self) -> AuthKind {
        AuthKind::AppOnly
    }
}

#[cfg(test)]
mod tests {
    use super::token_id;

    #[test]
    fn token_ids_are_fixed_values_and_keep_parts_apart() {
        // Fixed, so a store shared by processes (or kept across builds) finds the same key.
        assert_eq!(token_id("bearer", &["AAAA"]).0, 0x08f3_f780_35f4_3fea, "FNV-1a of `bearer\\xffAAAA\\xff`");
        assert_ne!(token_id("oauth1", &["ab", "c"]), token_id("oauth1", &["a", "bc"]));
        assert_ne!(token_id("bearer", &["x"]), token_id("oauth2", &["x"]));
    }
}
