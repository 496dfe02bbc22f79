//! [`Client`] and its builder: one `call` that checks, sends, retries by the advice and
//! tracks rate-limit windows, returning the operation's success type or its error enum.

use crate::auth::{AuthError, BearerToken, TokenId, TokenSource};
use crate::clock::Clock;
use crate::error::{Attempt, AttemptOutcome, BuildError, CallError};
use crate::limits::{window_of, InMemoryStore, LimitKey, RateLimitStore};
use crate::policy::{RateLimitPolicy, RetryPolicy};
use crate::target::{Dynamic, Target, Typed};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use xapi::request::TypedRequest;
use xapi::{ApiError, Endpoint, Parsed, RetryAdvice, TooManyRequests};

/// What goes in `user-agent`: xapi and its version.
pub const USER_AGENT: &str = concat!("xapi/", env!("CARGO_PKG_VERSION"));

/// The X API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.x.com";

/// An X API client. Cheap to clone (the state is shared): clones share connections and
/// rate-limit windows.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: Option<Arc<dyn TokenSource>>,
    retry: RetryPolicy,
    /// Policies for single operations, by id.
    retry_for: BTreeMap<&'static str, RetryPolicy>,
    limits: RateLimitPolicy,
    store: Arc<dyn RateLimitStore>,
    clock: Clock,
    on_attempt: Option<AttemptHook>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the token: only whether there is one.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.inner.retry)
            .field("retry_for", &self.inner.retry_for)
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    token: Option<Result<Arc<dyn TokenSource>, BuildError>>,
    retry: RetryPolicy,
    retry_for: BTreeMap<&'static str, RetryPolicy>,
    limits: RateLimitPolicy,
    store: Option<Arc<dyn RateLimitStore>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    user_agent: String,
    on_attempt: Option<AttemptHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: None,
            retry: RetryPolicy::default(),
            retry_for: BTreeMap::new(),
            limits: RateLimitPolicy::default(),
            store: None,
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(10)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            user_agent: USER_AGENT.to_owned(),
            on_attempt: None,
        }
    }
}

impl ClientBuilder {
    /// Where requests go (default `https://api.x.com`; a local server in tests).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// An app-only bearer token.
    pub fn bearer_token(mut self, token: impl AsRef<str>) -> Self {
        self.token = Some(BearerToken::new(token).map(|t| Arc::new(t) as Arc<dyn TokenSource>).map_err(Into::into));
        self
    }

    /// Any token source (OAuth user context, signing).
    pub fn token_source(self, source: impl TokenSource) -> Self {
        self.shared_token_source(Arc::new(source))
    }

    /// A token source shared with other clients (or chosen at run time).
    pub fn shared_token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token = Some(Ok(source));
        self
    }

    /// How calls retry (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How calls to one operation retry, instead of [`retry_policy`](Self::retry_policy):
    /// e.g. more attempts for a media APPEND, or none for a POST that must not repeat even
    /// when X names a `retry-after`.
    pub fn retry_policy_for(mut self, operation: &xapi::meta::Operation, policy: RetryPolicy) -> Self {
        self.retry_for.insert(operation.id, policy);
        self
    }

    /// What a call does when its window is spent (default: wait for the reset).
    pub fn rate_limit_policy(mut self, policy: RateLimitPolicy) -> Self {
        self.limits = policy;
        self
    }

    /// Where windows are kept (default: this process's memory).
    pub fn rate_limit_store(mut self, store: Arc<dyn RateLimitStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// The longest one attempt may take (default 30 s; `None`: no limit). On a paused tokio
    /// clock (tests), see [`without_timers`](Self::without_timers).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest a connection may take to open (default 10 s; `None`: no limit).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an idle connection is kept for reuse (default 90 s; `None`: for ever).
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Turns off every timer of the HTTP layer (timeouts, idle-connection expiry), for
    /// tests on a paused tokio clock: there, a pending timer fires as soon as the runtime
    /// waits for the network, and the clock jumps by its duration.
    pub fn without_timers(self) -> Self {
        self.timeout(None).connect_timeout(None).pool_idle_timeout(None)
    }

    /// Calls `hook` once per attempt (operation, attempt, status, wait, reason), beside the
    /// `tracing` event.
    pub fn on_attempt(mut self, hook: impl Fn(&AttemptInfo) + Send + Sync + 'static) -> Self {
        self.on_attempt = Some(Arc::new(hook));
        self
    }

    /// Replaces the user agent (default `xapi/VERSION`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let token = self.token.transpose()?;
        let mut http = reqwest::Client::builder().user_agent(self.user_agent).pool_idle_timeout(self.pool_idle_timeout);
        if let Some(t) = self.timeout {
            http = http.timeout(t);
        }
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        let inner = Inner {
            http: http.build()?,
            base_url: self.base_url,
            token,
            retry: self.retry,
            retry_for: self.retry_for,
            limits: self.limits,
            store: self.store.unwrap_or_else(|| Arc::new(InMemoryStore::default())),
            clock: Clock::new(),
            on_attempt: self.on_attempt,
        };
        Ok(Client { inner: Arc::new(inner) })
    }
}

/// The result of a call to operation `E`.
pub type CallResult<E> = Result<Parsed<<E as Endpoint>::Success>, CallError<<E as Endpoint>::Error>>;

/// The result of a call for a [`Target`].
pub(crate) type TargetResult<T> = Result<Parsed<<T as Target>::Success>, CallError<<T as Target>::Error>>;

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Checks a typed request against the spec (a request that breaks it is not sent: the
    /// operation's `InvalidRequest` comes back, as X's 400 would), then sends it, retrying by
    /// the policy, and parses the answer into the operation's success type or error enum.
    pub async fn call<R: TypedRequest>(&self, request: &R) -> CallResult<R::Endpoint> {
        self.send_to(Typed::<R::Endpoint>::new(), self.build(request)?).await
    }

    /// A typed request as HTTP for this client's base URL; one that breaks the spec is the
    /// operation's `InvalidRequest` instead, as X's 400 would be (calls, pages and streams
    /// all start here).
    pub(crate) fn build<R: TypedRequest>(
        &self,
        request: &R,
    ) -> Result<http::Request<Vec<u8>>, CallError<<R::Endpoint as Endpoint>::Error>> {
        request.to_http_request(&self.inner.base_url).map_err(|violations| CallError::Api {
            error: xapi::rejected_locally::<R::Endpoint>(&violations),
            attempts: Vec::new(),
        })
    }

    /// Sends a request already built for operation `E` (its URL complete), with the same
    /// retries, waits and parsing as [`call`](Self::call).
    pub async fn send<E>(&self, request: http::Request<Vec<u8>>) -> CallResult<E>
    where
        E: Endpoint,
    {
        self.send_to(Typed::<E>::new(), request).await
    }

    /// Sends a request for an operation known by its metadata only (a tool that picks the
    /// operation at run time): the success body as JSON, an error as the classified
    /// `ApiError`, with the same retries and waits.
    pub async fn send_dynamic(
        &self,
        operation: &'static xapi::meta::Operation,
        request: http::Request<Vec<u8>>,
    ) -> Result<Parsed<serde_json::Value>, CallError<ApiError>> {
        self.send_to(Dynamic(operation), request).await
    }

    /// The call loop, for any target.
    pub(crate) async fn send_to<T: Target>(&self, target: T, request: http::Request<Vec<u8>>) -> TargetResult<T> {
        let inner = &*self.inner;
        let operation = target.operation();
        let policy = inner.retry_for.get(operation.id).unwrap_or(&inner.retry);
        let key = LimitKey { operation: operation.id, token: self.token_id() };
        let started = inner.clock.now();
        let mut rng = fastrand::Rng::new();
        let mut attempts = Vec::new();
        let mut waited = Duration::ZERO;
        if let Some(error) = self.refused(target) {
            return Err(CallError::Api { error, attempts });
        }
        // A 401 is answered by one refresh of a token that can be refreshed, then one retry.
        let mut refreshed = false;
        let mut number = 0u32;
        loop {
            number = number.saturating_add(1);
            if let Some(wait) = self.window_wait(&key, policy, started, &mut attempts)? {
                self.trace(operation.id, number, None, wait, "window spent: waiting for the reset");
                tokio::time::sleep(wait).await;
                waited += wait;
            }
            let answer = self.attempt(target, &request).await?;
            let last = number >= policy.max_attempts;
            match answer {
                Ok(parsed) => {
                    self.record(&key, &parsed.rate_limit);
                    self.trace(operation.id, number, Some(parsed.status.as_u16()), Duration::ZERO, "success");
                    return Ok(parsed);
                }
                Err(AttemptOutcome::Error(error)) => {
                    self.record(&key, &error.rate_limit);
                    let status = Some(error.status.as_u16());
                    if error.status == http::StatusCode::UNAUTHORIZED && !refreshed && !last {
                        if let Some(token) = &inner.token {
                            refreshed = true;
                            if token.refresh(&inner.http).await? {
                                self.trace(operation.id, number, status, Duration::ZERO, "token refreshed");
                                attempts.push(Attempt { number, waited, outcome: AttemptOutcome::Error(error) });
                                waited = Duration::ZERO;
                                continue;
                            }
                        }
                    }
                    let next = self
                        .retry_wait(&error, policy, number, &mut rng)
                        .filter(|w| !last && self.fits(policy, started, *w));
                    let Some(wait) = next else {
                        self.trace(operation.id, number, status, Duration::ZERO, "not retried");
                        let error = target.error(*error);
                        return Err(CallError::Api { error, attempts });
                    };
                    self.trace(operation.id, number, status, wait, error.retry.class());
                    attempts.push(Attempt { number, waited, outcome: AttemptOutcome::Error(error) });
                    tokio::time::sleep(wait).await;
                    waited = wait;
                }
                Err(AttemptOutcome::Transport(error)) => {
                    // A connection that never opened sent nothing: safe to retry any method.
                    // A request that cannot be built (a bad base URL) never will be: no retry.
                    let safe = !error.is_builder() && (error.is_connect() || operation.idempotent);
                    let wait = policy.backoff_delay(number, Duration::ZERO, &mut rng);
                    if !safe || last || !self.fits(policy, started, wait) {
                        self.trace(operation.id, number, None, Duration::ZERO, "transport failure, not retried");
                        return Err(CallError::Transport { error, attempts });
                    }
                    self.trace(operation.id, number, None, wait, "transport failure");
                    attempts.push(Attempt { number, waited, outcome: AttemptOutcome::Transport(error) });
                    tokio::time::sleep(wait).await;
                    waited = wait;
                }
            }
        }
    }

    /// The error X's 403 would bring when the token is not one the operation accepts.
    pub(crate) fn refused<T: Target>(&self, target: T) -> Option<T::Error> {
        let token = self.inner.token.as_ref()?;
        let operation = target.operation();
        let refusal = crate::auth::preflight::check(operation, token.as_ref())?;
        Some(target.error(crate::auth::preflight::as_response(operation, &refusal)))
    }

    /// One attempt: authorize, send, parse. `Err` only when nothing could be sent.
    #[allow(clippy::type_complexity)]
    async fn attempt<T: Target>(
        &self,
        target: T,
        request: &http::Request<Vec<u8>>,
    ) -> Result<Result<Parsed<T::Success>, AttemptOutcome>, CallError<T::Error>> {
        let inner = &*self.inner;
        let mut outgoing = match to_reqwest(request) {
            Ok(r) => r,
            Err(error) => return Ok(Err(AttemptOutcome::Transport(error))),
        };
        self.authorize(&mut outgoing).await?;
        let response = match inner.http.execute(outgoing).await {
            Ok(r) => r,
            Err(error) => return Ok(Err(AttemptOutcome::Transport(error))),
        };
        let options = xapi::Options { now: Some(inner.clock.now()), ..xapi::options_for(target.operation()) };
        let method = target.operation().method.to_http();
        let parsed = xapi::reqwest::parse_with::<T::Success>(&options, &method, response).await;
        Ok(parsed.map_err(|e| match e.into_api() {
            Ok(error) => AttemptOutcome::Error(error),
            Err(error) => AttemptOutcome::Transport(error),
        }))
    }

    /// The wait before sending when the window is spent; an error when the policy does not
    /// wait that long.
    fn window_wait<F: std::error::Error>(
        &self,
        key: &LimitKey,
        policy: &RetryPolicy,
        started: std::time::SystemTime,
        attempts: &mut Vec<Attempt>,
    ) -> Result<Option<Duration>, CallError<F>> {
        let inner = &*self.inner;
        if inner.limits == RateLimitPolicy::Ignore {
            return Ok(None);
        }
        let Some(window) = inner.store.get(key).filter(|w| w.is_spent(inner.clock.now())) else {
            return Ok(None);
        };
        let wait = inner.clock.until(window.reset_at);
        if inner.limits == RateLimitPolicy::FailFast || wait > policy.max_wait || !self.fits(policy, started, wait) {
            return Err(CallError::RateLimited {
                operation: key.operation,
                reset_at: window.reset_at,
                attempts: std::mem::take(attempts),
            });
        }
        Ok(Some(wait))
    }

    /// How long to wait before retrying after `error`, by its advice and the policy; `None`
    /// when it is not retried.
    fn retry_wait(
        &self,
        error: &ApiError,
        policy: &RetryPolicy,
        number: u32,
        rng: &mut fastrand::Rng,
    ) -> Option<Duration> {
        // A usage cap lasts until the next day or month: never waited out in a call.
        if error.too_many_requests == Some(TooManyRequests::UsageCap) {
            return None;
        }
        match error.retry {
            RetryAdvice::After(Some(at)) => Some(self.inner.clock.until(at)).filter(|w| *w <= policy.max_wait),
            RetryAdvice::After(None) => Some(policy.backoff_delay(number, Duration::ZERO, rng)),
            RetryAdvice::Backoff(floor) => Some(policy.backoff_delay(number, floor, rng)),
            _ => None,
        }
    }

    /// Whether a wait still ends within the call's deadline.
    fn fits(&self, policy: &RetryPolicy, started: std::time::SystemTime, wait: Duration) -> bool {
        policy.deadline.is_none_or(|d| self.inner.clock.now() + wait <= started + d)
    }

    fn record(&self, key: &LimitKey, rate_limit: &xapi::RateLimit) {
        if let Some(window) = window_of(rate_limit) {
            self.inner.store.record(key.clone(), window);
        }
    }

    /// Adds the credentials to a request about to go out, refreshing them first when they
    /// are about to expire (calls, pages and streams alike).
    pub(crate) async fn authorize(&self, outgoing: &mut reqwest::Request) -> Result<(), AuthError> {
        let Some(token) = &self.inner.token else { return Ok(()) };
        if token.needs_refresh() {
            token.refresh(&self.inner.http).await?;
        }
        token.authorize(outgoing)
    }

    pub(crate) fn token(&self) -> Option<&Arc<dyn TokenSource>> {
        self.inner.token.as_ref()
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn now(&self) -> std::time::SystemTime {
        self.inner.clock.now()
    }

    fn token_id(&self) -> TokenId {
        self.inner.token.as_ref().map_or(TokenId(0), |t| t.id())
    }
}

/// What one attempt got and what the client does next, for [`ClientBuilder::on_attempt`]
/// (the same facts go to `tracing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptInfo {
    /// The operation id.
    pub operation: &'static str,
    /// 1 for the first attempt (for streams: the reconnect in a row).
    pub attempt: u32,
    /// The status X answered, if it answered.
    pub status: Option<u16>,
    /// How long the client waits before the next attempt (zero: none follows).
    pub wait: Duration,
    /// Why (`success`, `after`, `backoff`, `not retried`, `stream reconnect`, …).
    pub reason: &'static str,
}

/// Called once per attempt.
pub type AttemptHook = Arc<dyn Fn(&AttemptInfo) + Send + Sync>;

impl Client {
    /// One `tracing` event per attempt (and the hook, when set): what happened and how long
    /// the client waits next.
    pub(crate) fn trace(
        &self,
        operation: &'static str,
        attempt: u32,
        status: Option<u16>,
        wait: Duration,
        reason: &'static str,
    ) {
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        tracing::info!(target: "xapi_client", operation, attempt, status, wait_ms, reason, "attempt");
        if let Some(hook) = &self.inner.on_attempt {
            hook(&AttemptInfo { operation, attempt, status, wait, reason });
        }
    }
}

/// A fresh `reqwest::Request` for each attempt (the body is bytes, so it can be sent again).
pub(crate) fn to_reqwest(request: &http::Request<Vec<u8>>) -> Result<reqwest::Request, reqwest::Error> {
    reqwest::Request::try_from(clone_request(request))
}

/// A copy of a request (its body is bytes): each attempt and each page sends a fresh one.
pub(crate) fn clone_request(request: &http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}
