//! `xapi explain` (also `cargo xtask explain`): what a response means and what to do, for a
//! person or (`--json`) a tool. Thin: all the knowledge is in the runtime's classifier and the
//! generated tables. `xapi call` prints the same for the errors it gets.

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
    Ok(describe(&method, status, &headers, &body, operation, args.json))
}

/// What `explain` prints for one response: text, or (`json`) the JSON object.
pub fn describe(
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    operation: Option<&'static xapi::meta::Operation>,
    json: bool,
) -> String {
    // One clock reading for the advice and for saying how long it is from now.
    let now = SystemTime::now();
    // What the operation implies (streaming, whether sending again is safe), as a call would.
    let options = xapi::Options { now: Some(now), ..operation.map(xapi::options_for).unwrap_or_default() };
    let outcome = xapi::classify_with(&options, method, status, headers, body);
    // Which of the operation's error variants this is (null for a success).
    let endpoint = operation.map(|op| {
        if outcome.is_success() {
            (None, true)
        } else {
            let index = xapi::types::response::select(op.errors, &outcome.to_error(headers));
            (Some(index.map_or("Unhandled", |i| op.errors[i].name)), index.is_some())
        }
    });
    if json {
        let mut json = to_json(&outcome, now);
        if let (Some((variant, expected)), Value::Object(map)) = (endpoint, &mut json) {
            map.insert("endpoint_error".into(), json!(variant));
            map.insert("expected_for_endpoint".into(), json!(expected));
        }
        serde_json::to_string_pretty(&json).unwrap_or_default()
    } else {
        let mut text = crate::text::render(&outcome, operation, now);
        if let (Some((Some(variant), expected)), Some(op)) = (endpoint, operation) {
            let how = if expected { "one of its errors" } else { "not an error it is expected to return" };
            text.push_str(&format!("\nFor {}: the {variant} variant ({how}).", op.id));
        }
        text
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
    let (meaning, action) = p.info().map_or((None, None), |i| (Some(i.meaning), Some(i.action)));
    json!({"slug": p.slug(), "type": d.type_uri, "title": d.title, "detail": d.detail, "fields": Value::Object(fields),
           "meaning": meaning, "action": action})
}

fn codes_json(o: &Outcome<'_>) -> Vec<Value> {
    match o.kind {
        Kind::V1 => o.v1_errors().iter().map(|e| json!({"code": e.code.code(), "message": e.message})).collect(),
        Kind::Ads => o.ads_errors().0.iter().map(|e| json!({"code": e.code.as_str(), "message": e.message})).collect(),
        Kind::OAuth => {
            o.oauth().iter().map(|e| json!({"code": e.code.as_str(), "description": e.description})).collect()
        }
        _ => Vec::new(),
    }
}

/// What the tables say the response means and what to do: the first problem's or code's
/// entry, else the status's.
fn meaning_and_action(o: &Outcome<'_>) -> Option<(&'static str, &'static str)> {
    let from_body = match o.kind {
        Kind::Problem => o.problems().first().and_then(Problem::info).map(|i| (i.meaning, i.action)),
        Kind::V1 => o.v1_errors().first().and_then(|e| e.code.info()).map(|i| (i.meaning, i.action)),
        Kind::Ads => o.ads_errors().0.first().and_then(|e| e.code.info()).map(|i| (i.meaning, i.action)),
        Kind::OAuth => o.oauth().and_then(|e| e.code.info()).map(|i| (i.meaning, i.action)),
        _ => None,
    };
    from_body.or_else(|| http_status(o.status.as_u16()).map(|s| (s.meaning, s.action)))
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
    let (meaning, action) = meaning_and_action(o).map_or((None, None), |(m, a)| (Some(m), Some(a)));
    out.insert("meaning".into(), json!(meaning));
    out.insert("action".into(), json!(action));
    Value::Object(out)
}
