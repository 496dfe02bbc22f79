//! `cargo xtask explain`: what a response means and what to do, for a person or (`--json`) a
//! tool. Thin: all the knowledge is in the runtime's classifier and the generated tables.

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{json, Map, Value};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::SystemTime;
use xapi::errors::{http_status, Problem};
use xapi::{Kind, Outcome, Quota, RateLimit};

#[derive(clap::Args)]
pub struct Args {
    /// The HTTP status of the response.
    #[arg(long)]
    status: u16,
    /// A response header, `Name: value` (repeatable).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The request method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// The operation that was called (its operationId), for endpoint-specific advice.
    #[arg(long = "op", value_name = "OPERATION_ID")]
    op: Option<String>,
    /// Read the body from this file (otherwise from stdin, when it is not a terminal).
    #[arg(long)]
    body_file: Option<PathBuf>,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs explain; `Err` is a usage problem (exit 2).
pub fn run(args: Args) -> Result<String, String> {
    let status = StatusCode::from_u16(args.status)
        .map_err(|_| format!("--status {}: not an HTTP status (100-999)", args.status))?;
    let method = Method::from_bytes(args.method.as_bytes())
        .map_err(|_| format!("--method {}: not an HTTP method", args.method))?;
    let mut headers = HeaderMap::new();
    for h in &args.headers {
        let (name, value) = h.split_once(':').ok_or_else(|| format!("--header {h:?}: expected `Name: value`"))?;
        let name =
            HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| format!("--header {h:?}: bad header name"))?;
        let value = HeaderValue::from_str(value.trim()).map_err(|_| format!("--header {h:?}: bad header value"))?;
        headers.append(name, value);
    }
    let operation = match &args.op {
        Some(id) => Some(
            xapi::operations::find(id)
                .ok_or_else(|| format!("--op {id}: no such operation in spec {}", xapi::types::SPEC_VERSION))?,
        ),
        None => None,
    };
    let body = match &args.body_file {
        Some(path) => std::fs::read(path).map_err(|e| format!("--body-file {}: {e}", path.display()))?,
        None if !std::io::stdin().is_terminal() => {
            let mut body = Vec::new();
            std::io::stdin().read_to_end(&mut body).map_err(|e| format!("reading the body from stdin: {e}"))?;
            body
        }
        None => Vec::new(),
    };
    let options = xapi::Options { streaming: operation.is_some_and(|o| o.streaming), ..xapi::Options::default() };
    let outcome = xapi::classify_with(&options, &method, status, &headers, &body);
    let now = SystemTime::now();
    // Which of the operation's error variants this is (null for a success).
    let endpoint = operation.map(|op| {
        if outcome.is_success() {
            (None, true)
        } else {
            let index = xapi::types::response::select(op.errors, &outcome.to_error(&headers));
            (Some(index.map_or("Unhandled", |i| op.errors[i].name)), index.is_some())
        }
    });
    if args.json {
        let mut json = to_json(&outcome, now);
        if let (Some((variant, expected)), Value::Object(map)) = (endpoint, &mut json) {
            map.insert("endpoint_error".into(), json!(variant));
            map.insert("expected_for_endpoint".into(), json!(expected));
        }
        Ok(serde_json::to_string_pretty(&json).unwrap_or_default())
    } else {
        let mut text = to_text(&outcome, now);
        if let (Some((Some(variant), expected)), Some(op)) = (endpoint, operation) {
            let how = if expected { "one of its errors" } else { "not an error it is expected to return" };
            text.push_str(&format!("\n{}: {variant} ({how})", op.id));
        }
        Ok(text)
    }
}

fn quota(q: Option<Quota>) -> Value {
    q.map_or(Value::Null, |q| json!({"limit": q.limit, "remaining": q.remaining, "reset": q.reset}))
}

fn rate_limit_json(r: &RateLimit, now: SystemTime) -> Value {
    let retry_after = r.retry_after.map(|a| a.instant(now).duration_since(now).map(|d| d.as_secs()).unwrap_or(0));
    json!({"window": quota(r.window), "user_24h": quota(r.user_24h), "app_24h": quota(r.app_24h), "retry_after_secs": retry_after})
}

fn problem_json(p: &Problem) -> Value {
    let d = p.details();
    let mut fields = p.to_map();
    for common in ["type", "title", "detail", "status"] {
        fields.remove(common);
    }
    json!({"slug": p.slug(), "type": d.type_uri, "title": d.title, "detail": d.detail, "fields": Value::Object(fields)})
}

fn codes_json(o: &Outcome<'_>) -> Vec<Value> {
    match o.kind {
        Kind::V1 => o.v1_errors().iter().map(|e| json!({"code": e.code.code(), "message": e.message})).collect(),
        Kind::Ads => o.ads_errors().0.iter().map(|e| json!({"code": e.code.as_str(), "message": e.message})).collect(),
        _ => Vec::new(),
    }
}

/// The stable JSON contract (tests and tools read these keys).
pub fn to_json(o: &Outcome<'_>, now: SystemTime) -> Value {
    let problems: Vec<Value> =
        if o.kind == Kind::Problem { o.problems().iter().map(problem_json).collect() } else { Vec::new() };
    let partial: Vec<Value> = o.partial_errors().iter().map(problem_json).collect();
    let mut out = Map::new();
    out.insert("kind".into(), json!(o.kind.as_str()));
    out.insert("status".into(), json!(o.status.as_u16()));
    out.insert("problems".into(), json!(problems));
    out.insert("codes".into(), json!(codes_json(o)));
    out.insert("body_format".into(), json!(o.body_format.as_str()));
    out.insert("too_many_requests".into(), json!(o.too_many_requests.map(|t| t.as_str())));
    out.insert("rate_limit".into(), rate_limit_json(&o.rate_limit, now));
    out.insert("retry".into(), json!({"class": o.retry.class(), "after_secs": o.retry.after_secs(now)}));
    out.insert("partial_errors".into(), json!(partial));
    out.insert("body_too_large".into(), json!(o.body_too_large));
    Value::Object(out)
}

fn to_text(o: &Outcome<'_>, now: SystemTime) -> String {
    let mut lines = Vec::new();
    let status = http_status(o.status.as_u16());
    lines.push(format!(
        "{} {} ({} body, {})",
        o.status.as_u16(),
        status.map_or("", |s| s.name),
        o.body_format.as_str(),
        o.kind.as_str()
    ));
    let mut said = false;
    for p in o.problems() {
        let slug = p.slug().map(|s| s.into_owned()).unwrap_or_else(|| "(no type)".into());
        lines.push(format!(
            "problem {slug}: {}",
            p.details().detail.as_deref().or(p.details().title.as_deref()).unwrap_or("")
        ));
        if let Some(info) = p.info() {
            lines.push(format!("  means: {}", info.meaning));
            lines.push(format!("  do:    {}", info.action));
            said = true;
        }
    }
    for e in o.v1_errors() {
        lines.push(format!("v1.1 code {}: {}", e.code, e.message.as_deref().unwrap_or("")));
        if let Some(info) = e.code.info() {
            lines.push(format!("  means: {}\n  do:    {}", info.meaning, info.action));
            said = true;
        }
    }
    for e in o.ads_errors().0 {
        lines.push(format!("Ads code {}: {}", e.code, e.message.as_deref().unwrap_or("")));
        if let Some(info) = e.code.info() {
            lines.push(format!("  means: {}\n  do:    {}", info.meaning, info.action));
            said = true;
        }
    }
    if let Some(l) = o.legacy() {
        lines.push(format!("error: {}", l.error));
    }
    if let (false, Some(s)) = (said, status) {
        lines.push(format!("  means: {}\n  do:    {}", s.meaning, s.action));
    }
    if matches!(o.kind, Kind::Http) && !o.snippet().is_empty() {
        lines.push(format!("body starts: {}", o.snippet().chars().take(120).collect::<String>()));
    }
    if let Some(t) = o.too_many_requests {
        lines.push(format!("429 kind: {}", t.as_str()));
    }
    let retry = match o.retry.after_secs(now) {
        Some(secs) => format!("retry: {} (in {secs} s)", o.retry.class()),
        None => format!("retry: {}", o.retry.class()),
    };
    lines.push(retry);
    if !o.rate_limit.is_empty() {
        lines.push(format!("rate limit: {}", rate_limit_json(&o.rate_limit, now)));
    }
    lines.join("\n")
}
