//! `xapi`: the X API from the command line, over `xapi-client` (install with
//! `cargo install --path cli`):
//! - `xapi call --op ID --param name=value…`: check, send (retries, rate-limit waits), print;
//! - `xapi stream --op ID`: one line per item, reconnecting by X's rules;
//! - `xapi explain --status N …`: what a response means and what to do;
//! - `xapi request --op ID …`: the HTTP request a call becomes, or why it would be a 400;
//! - `xapi media upload FILE`: a chunked upload, printing the media id;
//! - `xapi auth login --scopes …`: OAuth 2.0 with PKCE and a local callback.
//!
//! Exit codes: 0 success, 1 an error from X (or a request that breaks the spec), 2 bad
//! arguments. `cargo xtask explain` and `cargo xtask request` run this binary.

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

mod account;
mod call;
mod explain;
mod request;
mod text;

#[derive(Parser)]
#[command(name = "xapi", version, about = "The X API from the command line: call, stream, explain, request")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check, send (with retries and rate-limit waits) and print the success body.
    Call(call::CallArgs),
    /// Follow a streaming operation: one line per item, reconnecting by X's rules.
    Stream(call::StreamArgs),
    /// Explain an X API response: what it means and what to do.
    Explain(explain::Args),
    /// Dry-run a request: the HTTP request it becomes, or why it would be a 400.
    Request(request::Args),
    /// Media: `xapi media upload FILE`.
    #[command(subcommand)]
    Media(MediaCommand),
    /// OAuth 2.0: `xapi auth login`.
    #[command(subcommand)]
    Auth(AuthCommand),
}

#[derive(Subcommand)]
enum MediaCommand {
    /// Upload a file in chunks; print its id and media key.
    Upload(account::UploadArgs),
}

#[derive(Subcommand)]
enum AuthCommand {
    /// Log in with OAuth 2.0 (PKCE, a local callback): the token pair goes to --token-file,
    /// or is printed as `export` lines.
    Login(account::LoginArgs),
}

/// Prints a line on stdout; a closed pipe (`| head`) is not worth a panic.
fn print(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Something to know, on stderr.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "note: {text}");
}

/// A usage problem: the message on stderr, exit 2.
fn usage(message: &str) -> ExitCode {
    error(message);
    ExitCode::from(2)
}

/// A failure that is not the arguments' fault: the message on stderr, exit 1.
fn failure(message: &str) -> ExitCode {
    error(message);
    ExitCode::FAILURE
}

fn error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Call(args) => call::call(args),
        Command::Stream(args) => call::stream(args),
        Command::Explain(args) => match explain::run(args) {
            Ok(text) => {
                print(&text);
                ExitCode::SUCCESS
            }
            Err(message) => usage(&message),
        },
        Command::Request(args) => request::run(args),
        Command::Media(MediaCommand::Upload(args)) => account::upload(args),
        Command::Auth(AuthCommand::Login(args)) => account::login(args),
    }
}
