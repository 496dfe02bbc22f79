//! `xapi-request` (run as `cargo xtask request …`): a dry run of the HTTP request the
//! generated code would send for an operation, or every constraint the parameters break.

use clap::Parser;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use xapi::types::request::{to_http_request, Body, Multipart, Params};

#[derive(Parser)]
#[command(
    name = "cargo xtask request",
    about = "Dry-run a request: the HTTP request it becomes, or why it would be a 400"
)]
struct Cli {
    /// The operationId.
    #[arg(long = "op", value_name = "OPERATION_ID")]
    op: String,
    /// A parameter, `name=value` (repeatable; arrays take comma-separated values).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// A JSON body to send (checked against the operation's schema).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["form", "form_file"])]
    body_file: Option<PathBuf>,
    /// A text field of a multipart/form-data body, `name=value` (repeatable).
    #[arg(long = "form", value_name = "NAME=VALUE")]
    form: Vec<String>,
    /// A file field of a multipart/form-data body, `name=path` (repeatable).
    #[arg(long = "form-file", value_name = "NAME=PATH")]
    form_file: Vec<String>,
    /// The API's base URL.
    #[arg(long, default_value = "https://api.x.com")]
    base_url: String,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
}

fn print(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// The body from `--body-file` (JSON) or `--form`/`--form-file` (multipart), if any.
fn body(cli: &Cli) -> Result<Option<Body>, String> {
    if let Some(path) = &cli.body_file {
        let bytes = std::fs::read(path).map_err(|e| format!("--body-file {}: {e}", path.display()))?;
        let value =
            serde_json::from_slice(&bytes).map_err(|e| format!("--body-file {}: not JSON: {e}", path.display()))?;
        return Ok(Some(Body::Json(value)));
    }
    if cli.form.is_empty() && cli.form_file.is_empty() {
        return Ok(None);
    }
    let mut form = Multipart::new();
    for field in &cli.form {
        let (name, value) = field.split_once('=').ok_or_else(|| format!("--form {field:?}: expected name=value"))?;
        form = form.text(name, value);
    }
    for field in &cli.form_file {
        let (name, path) = field.split_once('=').ok_or_else(|| format!("--form-file {field:?}: expected name=path"))?;
        let data = std::fs::read(path).map_err(|e| format!("--form-file {path}: {e}"))?;
        let filename = std::path::Path::new(path).file_name().map_or(name.into(), |f| f.to_string_lossy());
        form = form.file(name, filename, "application/octet-stream", data);
    }
    Ok(Some(Body::Multipart(form)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(op) = xapi::operations::find(&cli.op) else {
        eprintln!("error: --op {}: no such operation in spec {}", cli.op, xapi::types::SPEC_VERSION);
        return ExitCode::from(2);
    };
    let mut params = Params::new();
    for p in &cli.params {
        let Some((name, value)) = p.split_once('=') else {
            eprintln!("error: --param {p:?}: expected name=value");
            return ExitCode::from(2);
        };
        let is_array = op.param(name).is_some_and(|p| p.is_array);
        let values: Vec<String> =
            if is_array { value.split(',').map(str::to_owned).collect() } else { vec![value.to_owned()] };
        params.entry(name.to_owned()).or_default().extend(values);
    }
    let body = match body(&cli) {
        Ok(body) => body,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match to_http_request(op, &cli.base_url, &params, body.as_ref()) {
        Ok(request) => {
            if cli.json {
                print(
                    &json!({"valid": true, "method": request.method().as_str(), "url": request.uri().to_string()})
                        .to_string(),
                );
            } else {
                let mut text = format!("{} {}", request.method(), request.uri());
                for (name, value) in request.headers() {
                    text.push_str(&format!("\n{name}: {}", value.to_str().unwrap_or("")));
                }
                match std::str::from_utf8(request.body()) {
                    Ok("") => {}
                    Ok(body) => text.push_str(&format!("\n\n{}", body.trim_end())),
                    Err(_) => text.push_str(&format!("\n\n[{} bytes, not UTF-8]", request.body().len())),
                }
                print(&text);
            }
            ExitCode::SUCCESS
        }
        Err(violations) => {
            if cli.json {
                let list: Vec<_> = violations
                    .iter()
                    .map(|v| json!({"param": v.param, "rule": v.rule, "pointer": v.pointer, "value": v.value}))
                    .collect();
                print(&json!({"valid": false, "violations": list}).to_string());
            } else {
                for v in &violations {
                    print(&v.to_string());
                }
            }
            ExitCode::FAILURE
        }
    }
}
