//! `xapi request` (also `cargo xtask request`): a dry run of the HTTP request the generated
//! code would send for an operation, or every constraint the parameters break. `xapi call`
//! and `xapi stream` build their requests the same way.

use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use xapi::meta::Operation;
use xapi::types::request::{to_http_request, Body, Multipart, Params, Violation};

/// The operation and what goes in the request: shared by `request`, `call` and `stream`.
#[derive(clap::Args)]
pub struct RequestArgs {
    /// The operationId.
    #[arg(long = "op", value_name = "OPERATION_ID")]
    pub op: String,
    /// A parameter, `name=value` (repeatable; arrays take comma-separated values).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// A JSON body to send (checked against the operation's schema).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["form", "form_file"])]
    pub body_file: Option<PathBuf>,
    /// A text field of a multipart/form-data body, `name=value` (repeatable).
    #[arg(long = "form", value_name = "NAME=VALUE")]
    pub form: Vec<String>,
    /// A file field of a multipart/form-data body, `name=path` (repeatable).
    #[arg(long = "form-file", value_name = "NAME=PATH")]
    pub form_file: Vec<String>,
    /// The API's base URL.
    #[arg(long, default_value = "https://api.x.com")]
    pub base_url: String,
}

impl RequestArgs {
    /// The operation, the request, or the violations; `Err` is a usage problem (exit 2).
    #[allow(clippy::type_complexity)]
    pub fn build(&self) -> Result<(&'static Operation, Result<http::Request<Vec<u8>>, Vec<Violation>>), String> {
        let op = xapi::operations::find(&self.op)
            .ok_or_else(|| format!("--op {}: no such operation in spec {}", self.op, xapi::types::SPEC_VERSION))?;
        let mut params = Params::new();
        for p in &self.params {
            let (name, value) = p.split_once('=').ok_or_else(|| format!("--param {p:?}: expected name=value"))?;
            let is_array = op.param(name).is_some_and(|p| p.is_array);
            let values: Vec<String> =
                if is_array { value.split(',').map(str::to_owned).collect() } else { vec![value.to_owned()] };
            params.entry(name.to_owned()).or_default().extend(values);
        }
        let body = body(self)?;
        Ok((op, to_http_request(op, &self.base_url, &params, body.as_ref())))
    }
}

/// `xapi request`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    request: RequestArgs,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// The body from `--body-file` (JSON) or `--form`/`--form-file` (multipart), if any.
fn body(cli: &RequestArgs) -> Result<Option<Body>, String> {
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

/// The violations, one per line (or, with `json`, one object).
pub fn violations_text(violations: &[Violation], json: bool) -> String {
    if json {
        let list: Vec<_> = violations
            .iter()
            .map(|v| json!({"param": v.param, "rule": v.rule, "pointer": v.pointer, "value": v.value}))
            .collect();
        json!({"valid": false, "violations": list}).to_string()
    } else {
        violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    }
}

/// Runs `xapi request`.
pub fn run(args: Args) -> ExitCode {
    let (_, built) = match args.request.build() {
        Ok(built) => built,
        Err(message) => return crate::usage(&message),
    };
    match built {
        Ok(request) => {
            if args.json {
                crate::print(
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
                crate::print(&text);
            }
            ExitCode::SUCCESS
        }
        Err(violations) => {
            crate::print(&violations_text(&violations, args.json));
            ExitCode::FAILURE
        }
    }
}
