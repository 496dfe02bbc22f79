//! `xapi-request` (run as `cargo xtask request …`): a dry run of the HTTP request the
//! generated code would send for an operation, or every constraint the parameters break.

use clap::Parser;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use xapi::types::request::{to_http_request, Params};

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
    /// A JSON body to send.
    #[arg(long)]
    body_file: Option<PathBuf>,
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
    let body = match &cli.body_file {
        Some(path) => match std::fs::read(path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: --body-file {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    match to_http_request(op, &cli.base_url, &params, body) {
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
                if !request.body().is_empty() {
                    text.push_str(&format!("\n\n{}", String::from_utf8_lossy(request.body())));
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
                    print(&format!("{}: breaks {} (value {:?}, {})", v.param, v.rule, v.value, v.pointer));
                }
            }
            ExitCode::FAILURE
        }
    }
}
