//! OAuth 2.0 user context, with the `oauth2` crate: the authorization-code flow with PKCE
//! (the authorize URL with the scopes the chosen operations need, the code exchange), and a
//! token source that refreshes before the token expires and once on a 401 that says it
//! expired (one refresh at a time, however many calls need it), storing each new pair.

use super::store::TokenStore;
use super::{token_id, AuthError, AuthKind, BoxFuture, TokenId, TokenSource};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};
use xapi::meta::Operation;

/// X's authorize page.
pub const AUTHORIZE_URL: &str = "https://x.com/i/oauth2/authorize";
/// X's token endpoint.
pub const TOKEN_URL: &str = "https://api.x.com/2/oauth2/token";
/// How long before expiry a token is refreshed.
const EARLY: Duration = Duration::from_secs(60);

/// An access token with what came with it. `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenPair {
    /// The bearer token requests carry.
    pub access_token: String,
    /// The token that gets the next pair (with the `offline.access` scope).
    pub refresh_token: Option<String>,
    /// When the access token expires, when X said.
    pub expires_at: Option<SystemTime>,
    /// The scopes granted, when X said.
    pub scopes: Option<Vec<String>>,
}

impl fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenPair")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// An app registered for OAuth 2.0 (its client id, and secret for confidential clients),
/// with the endpoints of the flow (X's by default).
#[derive(Clone)]
pub struct OAuth2App {
    client_id: String,
    client_secret: Option<String>,
    authorize_url: String,
    token_url: String,
    redirect_url: String,
    http: reqwest::Client,
}

impl fmt::Debug for OAuth2App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2App").field("token_url", &self.token_url).finish_non_exhaustive()
    }
}

/// A login under way: the URL to open, and what the callback must bring back.
pub struct PkceLogin {
    /// Open this in a browser.
    pub url: String,
    /// The `state` the callback must carry.
    pub state: String,
    verifier: PkceCodeVerifier,
}

impl fmt::Debug for PkceLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PkceLogin").field("url", &self.url).finish_non_exhaustive()
    }
}

impl OAuth2App {
    /// A public client (no secret) calling back to `redirect_url`.
    pub fn new(client_id: impl Into<String>, redirect_url: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: None,
            authorize_url: AUTHORIZE_URL.to_owned(),
            token_url: TOKEN_URL.to_owned(),
            redirect_url: redirect_url.into(),
            // The token endpoint is never followed through a redirect (the oauth2 crate's advice).
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default(),
        }
    }

    /// A confidential client's secret (sent with HTTP basic auth).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Other endpoints (a local server in tests).
    pub fn endpoints(mut self, authorize_url: impl Into<String>, token_url: impl Into<String>) -> Self {
        self.authorize_url = authorize_url.into();
        self.token_url = token_url.into();
        self
    }

    /// The scopes the operations need (their OAuth 2.0 security), sorted, with
    /// `offline.access` so the token can be refreshed.
    pub fn scopes_for(operations: &[&Operation]) -> Vec<&'static str> {
        let mut scopes: Vec<&'static str> = operations
            .iter()
            .flat_map(|op| op.security.iter().filter(|s| s.kind == AuthKind::OAuth2User).take(1))
            .flat_map(|s| s.scopes.iter().copied())
            .chain(["offline.access"])
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        scopes
    }

    /// Starts a login: the authorize URL (with a PKCE S256 challenge and a random state).
    pub fn login(&self, scopes: &[&str]) -> Result<PkceLogin, AuthError> {
        let client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri(AuthUrl::new(self.authorize_url.clone()).map_err(|e| AuthError::Url(e.to_string()))?)
            .set_redirect_uri(RedirectUrl::new(self.redirect_url.clone()).map_err(|e| AuthError::Url(e.to_string()))?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|s| Scope::new((*s).to_owned())))
            .set_pkce_challenge(challenge)
            .url();
        Ok(PkceLogin { url: url.to_string(), state: state.secret().clone(), verifier })
    }

    /// Exchanges the code of the callback (after checking its `state`) for a token pair.
    pub async fn exchange(&self, login: PkceLogin, code: &str, state: &str) -> Result<TokenPair, AuthError> {
        if state != login.state {
            return Err(AuthError::Refused { code: "state_mismatch".into(), description: None });
        }
        let client = self.token_client()?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(login.verifier)
            .request_async(&self.http)
            .await
            .map_err(refused)?;
        Ok(pair(&token, None))
    }

    /// Gets a new pair with a refresh token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        let client = self.token_client()?;
        let token = client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(refused)?;
        Ok(pair(&token, Some(refresh_token)))
    }

    fn token_client(
        &self,
    ) -> Result<
        BasicClient<
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointSet,
        >,
        AuthError,
    > {
        let mut client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_token_uri(TokenUrl::new(self.token_url.clone()).map_err(|e| AuthError::Url(e.to_string()))?);
        if let Some(secret) = &self.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.clone()));
        }
        let redirect = RedirectUrl::new(self.redirect_url.clone()).map_err(|e| AuthError::Url(e.to_string()))?;
        Ok(client.set_redirect_uri(redirect))
    }
}

/// The pair a token response gives (keeping the old refresh token when X sends no new one).
fn pair(token: &oauth2::basic::BasicTokenResponse, old_refresh: Option<&str>) -> TokenPair {
    TokenPair {
        access_token: token.access_token().secret().clone(),
        refresh_token: token.refresh_token().map(|r| r.secret().clone()).or(old_refresh.map(str::to_owned)),
        expires_at: token.expires_in().map(|d| SystemTime::now() + d),
        scopes: token.scopes().map(|s| s.iter().map(|s| s.to_string()).collect()),
    }
}

/// The RFC 6749 error the endpoint sent, or why there is none.
fn refused<RE: std::error::Error + 'static>(e: RequestTokenError<RE, oauth2::basic::BasicErrorResponse>) -> AuthError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            AuthError::Refused { code: r.error().to_string(), description: r.error_description().cloned() }
        }
        RequestTokenError::Request(e) => AuthError::Endpoint(e.to_string()),
        // Where, not what: the parser's message can quote a value, and values here are tokens.
        RequestTokenError::Parse(e, _) => AuthError::Endpoint(format!("unreadable token response at `{}`", e.path())),
        RequestTokenError::Other(e) => AuthError::Endpoint(e),
    }
}

/// Called with each new pair, to persist it.
pub type OnRefresh = Arc<dyn Fn(&TokenPair) + Send + Sync>;

/// A user's OAuth 2.0 token, refreshed when it is about to expire (and once when X answers
/// 401 to it), each new pair saved to the [`TokenStore`] and handed to the hook.
///
/// Calls that need a refresh at the same time wait for one: X rotates refresh tokens, so a
/// second refresh with the same token would be refused.
pub struct OAuth2User {
    app: OAuth2App,
    pair: RwLock<TokenPair>,
    on_refresh: Option<OnRefresh>,
    store: Option<Arc<dyn TokenStore>>,
    /// A refreshed pair the store has not taken yet: stored, then used, by the next refresh.
    unsaved: Mutex<Option<TokenPair>>,
    /// Held while refreshing; holds the last refresh's outcome for the calls that waited.
    refreshing: tokio::sync::Mutex<Result<bool, AuthError>>,
    /// Refreshes finished so far: a call that waited for one does not start another.
    rounds: AtomicU64,
    id: TokenId,
}

impl fmt::Debug for OAuth2User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OAuth2User(<redacted>)")
    }
}

impl OAuth2User {
    /// A token pair of `app`'s.
    pub fn new(app: OAuth2App, pair: TokenPair) -> Self {
        // The identity is the user's, not the current access token's: it survives refreshes.
        let id = token_id("oauth2", &[&app.client_id, pair.refresh_token.as_deref().unwrap_or(&pair.access_token)]);
        Self {
            app,
            pair: RwLock::new(pair),
            on_refresh: None,
            store: None,
            unsaved: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(Ok(false)),
            rounds: AtomicU64::new(0),
            id,
        }
    }

    /// Calls `hook` with every new pair, once it is stored.
    pub fn on_refresh(mut self, hook: impl Fn(&TokenPair) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(hook));
        self
    }

    /// Saves every new pair to `store` before its token is used (the old refresh token may
    /// stop working, so a pair that is not stored can lock the user out).
    pub fn store(mut self, store: impl TokenStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// The current pair.
    pub fn pair(&self) -> TokenPair {
        self.pair.read().map(|p| p.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }
}

impl TokenSource for OAuth2User {
    fn authorize(&self, request: &mut reqwest::Request) -> Result<(), AuthError> {
        let token = self.pair().access_token;
        request.headers_mut().insert(http::header::AUTHORIZATION, super::sensitive(&format!("Bearer {token}"))?);
        Ok(())
    }

    fn id(&self) -> TokenId {
        self.id
    }

    fn kind(&self) -> AuthKind {
        AuthKind::OAuth2User
    }

    fn scopes(&self) -> Option<Vec<String>> {
        self.pair().scopes
    }

    fn needs_refresh(&self) -> bool {
        let pair = self.pair();
        let expiring = pair.expires_at.is_some_and(|at| at <= SystemTime::now() + EARLY);
        (pair.refresh_token.is_some() && expiring) || self.pending().is_some()
    }

    fn refresh<'a>(&'a self, _: &'a reqwest::Client) -> BoxFuture<'a, Result<bool, AuthError>> {
        Box::pin(async move {
            let round = self.rounds.load(Ordering::Acquire);
            let mut last = self.refreshing.lock().await;
            // Another call refreshed (or tried to) while this one waited: its outcome is
            // this one's, and its refresh token is spent either way.
            if self.rounds.load(Ordering::Acquire) != round {
                return last.clone();
            }
            let outcome = self.refresh_now().await;
            *last = outcome.clone();
            self.rounds.fetch_add(1, Ordering::AcqRel);
            outcome
        })
    }
}

impl OAuth2User {
    fn pending(&self) -> Option<TokenPair> {
        self.unsaved.lock().map(|p| p.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    fn set_pending(&self, pair: Option<TokenPair>) {
        *self.unsaved.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = pair;
    }

    /// A new pair, stored before it is used. It is held as pending from the moment X sends it
    /// until the store has it, so neither a failed save nor a call dropped mid-save loses it;
    /// a pending pair is stored first, by the next refresh.
    async fn refresh_now(&self) -> Result<bool, AuthError> {
        let new = match self.pending() {
            Some(pending) => pending,
            None => {
                let Some(refresh) = self.pair().refresh_token else { return Ok(false) };
                let new = self.app.refresh(&refresh).await?;
                self.set_pending(Some(new.clone()));
                new
            }
        };
        if let Some(store) = &self.store {
            store.save(&new).await?;
        }
        if let Ok(mut pair) = self.pair.write() {
            *pair = new.clone();
        }
        self.set_pending(None);
        if let Some(hook) = &self.on_refresh {
            hook(&new);
        }
        Ok(true)
    }
}
