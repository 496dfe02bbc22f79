//! `cargo xtask …`: the project's tasks. Run `cargo xtask --help`.

mod diff;
mod lock;
mod output;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "xapi project tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the `xapi-types` crate from the pinned spec (or --spec).
    Regen {
        /// Generate from this spec file (JSON or YAML) instead of the pinned one.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Write a complete standalone crate here instead of `generated/`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; fail and list the stale files if the output differs.
        #[arg(long)]
        check: bool,
    },
    /// Report what changes between two specs (Markdown or JSON); exit 2 on bad input.
    Diff(diff::DiffArgs),
    /// Explain a response: what it means and what to do (runs the xapi-explain crate; see
    /// `cargo xtask explain --help`).
    #[command(disable_help_flag = true)]
    Explain {
        /// Passed to xapi-explain unchanged.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// The repository root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen { spec, out, check } => regen(spec, out, check),
        Command::Diff(args) => Ok(diff::run(&args, &root())),
        Command::Explain { args } => explain(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Forwards to the xapi-explain crate, built on demand, keeping its exit status.
fn explain(args: &[String]) -> Result<ExitCode, String> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xapi-explain", "--"])
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("running xapi-explain: {e}"))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

fn regen(spec: Option<PathBuf>, out: Option<PathBuf>, check: bool) -> Result<ExitCode, String> {
    let root = root();
    let pinned = spec.is_none();
    let (spec_path, bytes) = match spec {
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            (path, bytes)
        }
        None => lock::Lock::read(&root)?.load_pinned(&root)?,
    };
    let tables_dir = root.join("spec/errors");
    let started = Instant::now();
    let tables = xapi_gen::tables::Tables::read_dir(&tables_dir).map_err(|e| e.to_string())?;
    let options = xapi_gen::CrateOptions { standalone: out.is_some(), strict_rules: pinned };
    let output = xapi_gen::generate(&bytes, &tables, &options).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let files = output.files;
    let generated_in = started.elapsed();
    let dir = out.unwrap_or_else(|| root.join("generated"));
    if check {
        let stale = output::stale_files(&dir, &files);
        if stale.is_empty() {
            eprintln!("regen --check: {} is up to date", dir.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("regen --check: {} is stale; run `cargo xtask regen`:", dir.display());
        for f in stale {
            eprintln!("  {f}");
        }
        return Ok(ExitCode::FAILURE);
    }
    for note in &output.notes {
        eprintln!("note: {note}");
    }
    output::write_atomically(&dir, &files).map_err(|e| format!("writing {}: {e}", dir.display()))?;
    let lines: usize = files.values().map(|f| f.lines().count()).sum();
    eprintln!(
        "regen: {} files, {lines} lines in {} from {} (generated in {:.0} ms)",
        files.len(),
        dir.display(),
        spec_path.display(),
        generated_in.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
