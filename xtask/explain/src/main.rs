//! `xapi-explain` (run as `cargo xtask explain …`): classify one response and say what it
//! means. A crate of its own because it depends on the runtime, which depends on the generated
//! crate: `cargo xtask regen` must build even when generated/ is stale or broken.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

mod explain;
mod text;

#[derive(Parser)]
#[command(name = "cargo xtask explain", about = "Explain an X API response: what it means and what to do")]
struct Cli {
    #[command(flatten)]
    args: explain::Args,
}

fn main() -> ExitCode {
    match explain::run(Cli::parse().args) {
        Ok(text) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
