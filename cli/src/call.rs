//! `xapi call` and `xapi stream`: what `curl` is to HTTP, for the X API, over `xapi-client`:
//! check, send (with retries and rate-limit waits), print the success body; on an error, print
//! what `xapi explain` prints and exit 1.

use crate::request::{violations_text, RequestArgs};
use futures_util::StreamExt;
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use xapi::meta::Operation;
use xapi::ApiError;
use xapi_client::{
    AuthKind, BearerToken, CallError, Client, FileTokenStore, OAuth1User, OAuth2App, OAuth2User, RetryPolicy,
    StreamEvent, StreamOptions, TokenPair, TokenSource,
};

/// Which credentials a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Auth {
    /// App-only: `--bearer-token` or `X_BEARER_TOKEN`.
    App,
    /// OAuth 1.0a user context: `X_API_KEY`, `X_API_SECRET`, `X_ACCESS_TOKEN`,
    /// `X_ACCESS_TOKEN_SECRET`.
    Oauth1,
    /// OAuth 2.0 user context: the pair in `--token-file` (or `X_OAUTH2_TOKEN_FILE`), else
    /// `X_OAUTH2_ACCESS_TOKEN` (with `X_OAUTH2_REFRESH_TOKEN` and `X_CLIENT_ID` to refresh).
    Oauth2,
}

/// How the client is set up: shared by `call` and `stream`.
#[derive(clap::Args)]
pub struct ClientArgs {
    /// An app-only bearer token (default: the `X_BEARER_TOKEN` environment variable).
    #[arg(long, value_name = "TOKEN")]
    bearer_token: Option<String>,
    /// Which credentials (default: the first the environment provides that the operation
    /// accepts, in the order app, oauth2, oauth1).
    #[arg(long, value_enum)]
    auth: Option<Auth>,
    /// The OAuth 2.0 pair, as `xapi auth login --token-file` writes it; a refreshed pair is
    /// written back, since X stops taking the old refresh token (default:
    /// `X_OAUTH2_TOKEN_FILE`).
    #[arg(long, value_name = "PATH")]
    token_file: Option<std::path::PathBuf>,
    /// The longest wait for a rate-limit reset or `retry-after`, in seconds (default 900).
    #[arg(long, value_name = "SECS")]
    max_wait: Option<u64>,
    /// One JSON line per attempt on stderr: `{"attempt": n, "status": s, "wait_ms": w}`.
    #[arg(long)]
    trace: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl ClientArgs {
    /// The credentials of a kind, when the arguments or the environment provide them.
    fn source(&self, auth: Auth) -> Option<Result<Arc<dyn TokenSource>, String>> {
        Some(match auth {
            Auth::App => {
                let token = self.bearer_token.clone().or_else(|| env("X_BEARER_TOKEN"))?;
                BearerToken::new(token).map(|t| Arc::new(t) as Arc<dyn TokenSource>).map_err(|e| e.to_string())
            }
            Auth::Oauth1 => {
                let [ck, cs, t, ts] = ["X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"].map(env);
                Ok(Arc::new(OAuth1User::new(ck?, cs?, t?, ts?)))
            }
            Auth::Oauth2 => {
                let file = self.token_file.clone().or_else(|| env("X_OAUTH2_TOKEN_FILE").map(Into::into));
                let store = file.map(FileTokenStore::new);
                let stored = match store.as_ref().map(FileTokenStore::load).transpose() {
                    Ok(pair) => pair.flatten(),
                    Err(e) => return Some(Err(e.to_string())),
                };
                let pair = match stored {
                    Some(pair) => pair,
                    None => TokenPair {
                        access_token: env("X_OAUTH2_ACCESS_TOKEN")?,
                        refresh_token: env("X_OAUTH2_REFRESH_TOKEN"),
                        expires_at: None,
                        scopes: None,
                    },
                };
                let client_id = env("X_CLIENT_ID");
                if client_id.is_none() && pair.refresh_token.is_some() {
                    crate::note("X_CLIENT_ID is not set, so the OAuth 2.0 token cannot be refreshed when it expires");
                }
                let app = OAuth2App::new(client_id.unwrap_or_default(), "http://127.0.0.1/callback");
                let user = OAuth2User::new(app, pair);
                Ok(Arc::new(match store {
                    Some(store) => user.store(store),
                    // The new pair lives in this process only: say so (never what it is).
                    None => user.on_refresh(|_| {
                        crate::note(
                            "the OAuth 2.0 token was refreshed, so X_OAUTH2_REFRESH_TOKEN no longer works; \
                             pass --token-file to keep refreshed pairs",
                        );
                    }),
                }))
            }
        })
    }

    /// The credentials to use for `op`: the chosen kind, or the first available it accepts.
    fn credentials(&self, op: &'static Operation) -> Result<Option<Arc<dyn TokenSource>>, String> {
        if let Some(auth) = self.auth {
            let missing = || format!("--auth {auth:?}: the environment does not provide these credentials");
            return self.source(auth).ok_or_else(missing)?.map(Some);
        }
        let accepts = |kind: AuthKind| op.security.is_empty() || op.security.iter().any(|s| s.kind == kind);
        let order = [
            (Auth::App, AuthKind::AppOnly),
            (Auth::Oauth2, AuthKind::OAuth2User),
            (Auth::Oauth1, AuthKind::OAuth1User),
        ];
        for (auth, kind) in order {
            if accepts(kind) {
                if let Some(source) = self.source(auth) {
                    return source.map(Some);
                }
            }
        }
        // None it accepts: any there is, so the pre-flight check says why it is refused.
        order.iter().find_map(|(auth, _)| self.source(*auth)).transpose()
    }

    pub(crate) fn client(&self, base_url: &str, op: &'static Operation) -> Result<Client, String> {
        let mut retry = RetryPolicy::default();
        if let Some(secs) = self.max_wait {
            retry = retry.max_wait(Duration::from_secs(secs));
        }
        let mut builder = Client::builder().base_url(base_url).retry_policy(retry);
        if let Some(source) = self.credentials(op)? {
            builder = builder.shared_token_source(source);
        }
        if self.trace {
            builder = builder.on_attempt(|a| {
                let line = json!({"attempt": a.attempt, "status": a.status, "wait_ms": a.wait.as_millis() as u64});
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            });
        }
        // The token is never part of the message: BuildError names the problem only.
        builder.build().map_err(|e| e.to_string())
    }
}

/// `xapi call`.
#[derive(clap::Args)]
pub struct CallArgs {
    #[command(flatten)]
    request: RequestArgs,
    #[command(flatten)]
    client: ClientArgs,
    /// Pages to read, following `meta.next_token` (operations that paginate).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pages: usize,
    /// One JSON line per page (and, on an error, `explain --json`'s object).
    #[arg(long)]
    json: bool,
}

/// `xapi stream`.
#[derive(clap::Args)]
pub struct StreamArgs {
    #[command(flatten)]
    request: RequestArgs,
    #[command(flatten)]
    client: ClientArgs,
    /// Stop after this many items.
    #[arg(long, value_name = "N")]
    max_items: Option<usize>,
    /// Events (reconnects, disconnects) as JSON lines on stderr; errors as `explain --json`.
    #[arg(long)]
    json: bool,
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("tokio: {e}"))
}

/// What `call` and `stream` start from.
struct Ready {
    op: &'static Operation,
    request: http::Request<Vec<u8>>,
    client: Client,
    runtime: tokio::runtime::Runtime,
}

/// The request, the client and a runtime, or the exit code to leave with.
fn prepare(request: &RequestArgs, client: &ClientArgs, json: bool) -> Result<Ready, ExitCode> {
    let (op, built) = request.build().map_err(|m| crate::usage(&m))?;
    let http = built.map_err(|violations| {
        crate::print(&violations_text(&violations, json));
        ExitCode::FAILURE
    })?;
    let client = client.client(&request.base_url, op).map_err(|m| crate::usage(&m))?;
    let runtime = runtime().map_err(|m| crate::usage(&m))?;
    Ok(Ready { op, request: http, client, runtime })
}

/// Runs `xapi call`.
pub fn call(args: CallArgs) -> ExitCode {
    let Ready { op, request, client, runtime } = match prepare(&args.request, &args.client, args.json) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    runtime.block_on(async {
        let mut pages = std::pin::pin!(client.pages_dynamic(op, request, None).take(args.pages.max(1)));
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) if args.json => crate::print(&page.parsed.data.to_string()),
                Ok(page) => crate::print(&serde_json::to_string_pretty(&page.parsed.data).unwrap_or_default()),
                Err(error) => {
                    print_error(&error, op, args.json);
                    return ExitCode::FAILURE;
                }
            }
        }
        ExitCode::SUCCESS
    })
}

/// Runs `xapi stream`.
pub fn stream(args: StreamArgs) -> ExitCode {
    let Ready { op, request, client, runtime } = match prepare(&args.request, &args.client, args.json) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    runtime.block_on(async {
        let mut events = std::pin::pin!(client.stream_dynamic(op, request, StreamOptions::default()));
        let mut items = 0usize;
        while args.max_items.is_none_or(|max| items < max) {
            let Some(event) = events.next().await else { break };
            match event {
                Ok(StreamEvent::Item(item)) => {
                    items += 1;
                    crate::print(&item.to_string());
                }
                Ok(other) => note(&other, args.json),
                Err(error) => {
                    print_error(&error, op, args.json);
                    return ExitCode::FAILURE;
                }
            }
        }
        ExitCode::SUCCESS
    })
}

/// A stream event other than an item, on stderr.
fn note(event: &StreamEvent<serde_json::Value>, json: bool) {
    let line = match event {
        StreamEvent::Reconnecting { attempt, wait, reason } if json => {
            json!({"event": "reconnecting", "attempt": attempt, "wait_ms": wait.as_millis() as u64, "reason": format!("{reason:?}")}).to_string()
        }
        StreamEvent::Reconnecting { attempt, wait, reason } => format!("reconnecting in {wait:?} (attempt {attempt}, {reason:?})"),
        StreamEvent::Disconnected { reason, disconnect_type } if json => {
            json!({"event": "disconnected", "reason": format!("{reason:?}"), "disconnect_type": disconnect_type}).to_string()
        }
        StreamEvent::Disconnected { reason, .. } => format!("X disconnected the stream ({reason:?})"),
        StreamEvent::Unreadable { reason, .. } => format!("an unreadable line ({reason})"),
        other => format!("{other:?}"),
    };
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// What `explain` prints for an error X sent; a short message for the others.
fn print_error(error: &CallError<ApiError>, op: &'static Operation, json: bool) {
    let text = match error {
        CallError::Api { error, .. } => {
            crate::explain::describe(&error.method, error.status, &error.headers, &error.body, Some(op), json)
        }
        CallError::RateLimited { reset_at, .. } if json => {
            let reset = reset_at.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            json!({"kind": "rate_limited", "operation": op.id, "reset": reset}).to_string()
        }
        CallError::Transport { error, .. } if json => {
            json!({"kind": "transport", "error": error.to_string()}).to_string()
        }
        other if json => json!({"kind": "error", "error": other.to_string()}).to_string(),
        other => format!("error: {other}"),
    };
    crate::print(&text);
}
