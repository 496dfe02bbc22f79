//! OAuth 1.0a user context: every request signed with HMAC-SHA1 (RFC 5849) by the
//! `oauth1-request` crate, over the query parameters and, for form posts, the body
//! parameters. The secrets never leave this type: `Debug` prints none of them.

use super::{token_id, AuthError, AuthKind, TokenId, TokenSource};
use std::fmt;
use std::num::NonZeroU64;

/// An app's consumer key and secret with a user's access token and secret.
#[derive(Clone)]
pub struct OAuth1User {
    consumer_key: String,
    consumer_secret: String,
    token: String,
    token_secret: String,
    id: TokenId,
}

impl fmt::Debug for OAuth1User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OAuth1User(<redacted>)")
    }
}

/// The fixed parts of a signature, for reproducing published examples.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Fixed<'a> {
    /// `oauth_nonce`.
    pub nonce: Option<&'a str>,
    /// `oauth_timestamp`.
    pub timestamp: Option<u64>,
    /// Whether `oauth_version="1.0"` is sent (X's examples do; RFC 5849's do not).
    pub version: bool,
}

impl OAuth1User {
    /// The four credentials, as X's developer portal shows them (API key and secret, access
    /// token and secret).
    pub fn new(
        consumer_key: impl Into<String>,
        consumer_secret: impl Into<String>,
        token: impl Into<String>,
        token_secret: impl Into<String>,
    ) -> Self {
        let (consumer_key, token) = (consumer_key.into(), token.into());
        let id = token_id("oauth1", &[&consumer_key, &token]);
        Self { consumer_key, consumer_secret: consumer_secret.into(), token, token_secret: token_secret.into(), id }
    }

    /// The `Authorization` header for a request: `method`, its full URL (query included)
    /// and, for `application/x-www-form-urlencoded` bodies, the body.
    #[doc(hidden)]
    pub fn authorization(
        &self,
        method: &str,
        url: &str,
        form: Option<&[u8]>,
        fixed: &Fixed<'_>,
    ) -> Result<String, AuthError> {
        let mut url = reqwest::Url::parse(url).map_err(|e| AuthError::Url(e.to_string()))?;
        let mut params: Vec<(String, String)> =
            url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        if let Some(form) = form {
            params.extend(url::form_urlencoded::parse(form).map(|(k, v)| (k.into_owned(), v.into_owned())));
        }
        // The base string's URI has no query: the parameters above carry it.
        url.set_query(None);
        url.set_fragment(None);
        let list: oauth1_request::ParameterList<String, String, Vec<(String, String)>> = params.into_iter().collect();
        let client = oauth1_request::Credentials::new(self.consumer_key.as_str(), self.consumer_secret.as_str());
        let token = oauth1_request::Credentials::new(self.token.as_str(), self.token_secret.as_str());
        let mut builder = oauth1_request::Builder::<_, _>::new(client, oauth1_request::HmacSha1::new());
        builder.token(token).version(fixed.version);
        if let Some(nonce) = fixed.nonce {
            builder.nonce(nonce);
        }
        if let Some(t) = fixed.timestamp {
            builder.timestamp(NonZeroU64::new(t));
        }
        Ok(builder.authorize(method, url.as_str(), &list))
    }
}

impl TokenSource for OAuth1User {
    fn authorize(&self, request: &mut reqwest::Request) -> Result<(), AuthError> {
        let is_form = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let form = if is_form { request.body().and_then(reqwest::Body::as_bytes) } else { None };
        let fixed = Fixed { version: true, ..Fixed::default() };
        let header = self.authorization(request.method().as_str(), request.url().as_str(), form, &fixed)?;
        request.headers_mut().insert(http::header::AUTHORIZATION, super::sensitive(&header)?);
        Ok(())
    }

    fn id(&self) -> TokenId {
        self.id
    }

    fn kind(&self) -> AuthKind {
        AuthKind::OAuth1User
    }
}
