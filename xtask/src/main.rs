//! `cargo xtask …`: the project's tasks. Run `cargo xtask --help`.

mod diff;
mod fetch;
mod lock;
mod output;
mod regen;
mod update_spec;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Loading a spec is millions of small allocations (JSON values, then openapiv3's types, then
/// the IR): glibc's malloc was a fifth of `xtask diff`'s time, mimalloc halves the load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "xapi project tasks")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every task takes.
#[derive(clap::Args)]
pub struct Global {
    /// The repository to work on (default: the one xtask was built in).
    #[arg(long, global = true, default_value_os_t = default_root())]
    pub root: PathBuf,
    /// No progress lines on stderr.
    #[arg(long, global = true)]
    pub quiet: bool,
    /// Print each stage's time.
    #[arg(long, global = true)]
    pub timings: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the `xapi-types` crate from the pinned spec (or --spec).
    Regen(regen::RegenArgs),
    /// Report what changes between two specs (Markdown or JSON); exit 2 on bad input.
    Diff(diff::DiffArgs),
    /// Move the pin to a new spec, regenerate and write the spec-diff report for the PR.
    UpdateSpec(update_spec::UpdateSpecArgs),
    /// Explain a response: what it means and what to do (runs `xapi explain` from cli/; see
    /// `cargo xtask explain --help`).
    #[command(disable_help_flag = true)]
    Explain {
        /// Passed to `xapi explain` unchanged.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Dry-run a request: the HTTP request it becomes, or every constraint it breaks (runs
    /// `xapi request`; see `cargo xtask request --help`).
    #[command(disable_help_flag = true)]
    Request {
        /// Passed to `xapi request` unchanged.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// The repository root (xtask lives one level below it).
fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = cli.global;
    let result = match cli.command {
        Command::Regen(args) => regen::run(&global, args),
        Command::Diff(args) => Ok(diff::run(&args, &global.root)),
        Command::UpdateSpec(args) => update_spec::run(&global, args),
        Command::Explain { args } => forward(&global.root, "explain", &args),
        Command::Request { args } => forward(&global.root, "request", &args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Forwards to a subcommand of the `xapi` binary (cli/, built on demand: it depends on the
/// generated crate, which xtask must not), keeping its exit status.
fn forward(root: &Path, subcommand: &str, args: &[String]) -> Result<ExitCode, String> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xapi-cli", "--bin", "xapi", "--", subcommand])
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("running xapi {subcommand}: {e}"))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
