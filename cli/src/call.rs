//! `xapi call` and `xapi stream`: what `curl` is to HTTP, for the X API, over `xapi-client`:
//! check, send (with retries and rate-limit waits), print the success body; on an error, print
//! what `xapi explain` prints and exit 1.

use crate::request::{violations_text, RequestArgs};
use futures_util::StreamExt;
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, UNIX_EPOCH};
use xapi::meta::Operation;
use xapi::ApiError;
use xapi_client::{CallError, Client, RetryPolicy, StreamEvent, StreamOptions};

/// How the client is set up: shared by `call` and `stream`.
#[derive(clap::Args)]
pub struct ClientArgs {
    /// An app-only bearer token (default: the `X_BEARER_TOKEN` environment variable).
    #[arg(long, value_name = "TOKEN")]
    bearer_token: Option<String>,
    /// The longest wait for a rate-limit reset or `retry-after`, in seconds (default 900).
    #[arg(long, value_name = "SECS")]
    max_wait: Option<u64>,
    /// One JSON line per attempt on stderr: `{"attempt": n, "status": s, "wait_ms": w}`.
    #[arg(long)]
    trace: bool,
}

impl ClientArgs {
    fn client(&self, base_url: &str) -> Result<Client, String> {
        let mut retry = RetryPolicy::default();
        if let Some(secs) = self.max_wait {
            retry = retry.max_wait(Duration::from_secs(secs));
        }
        let mut builder = Client::builder().base_url(base_url).retry_policy(retry);
        let token = self.bearer_token.clone().or_else(|| std::env::var("X_BEARER_TOKEN").ok());
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            builder = builder.bearer_token(token);
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

fn runtime() -> Result<tokio::runtime::Runtime, String> {
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
    let client = client.client(&request.base_url).map_err(|m| crate::usage(&m))?;
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
