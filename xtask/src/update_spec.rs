//! `cargo xtask update-spec`: the maintainer's loop when X publishes a new spec. Fetch (or
//! take) it, pin it in the lock, regenerate, and write the spec-diff report for the PR. The
//! exit status says whether anything breaks.

use crate::{fetch, lock, regen, Global};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct UpdateSpecArgs {
    /// The new spec: a URL or a file (default: the URL in the lock).
    #[arg(long, value_name = "URL|PATH")]
    from: Option<String>,
    /// Where to write the Markdown report (default: target/spec-diff.md).
    #[arg(long)]
    report: Option<PathBuf>,
}

/// `info.version` of a spec, checking that it is one.
fn version_of(bytes: &[u8], source: &str) -> Result<String, String> {
    let spec = xapi_gen::load::Spec::parse(bytes).map_err(|e| format!("{source}: {e}"))?;
    Ok(spec.api.info.version)
}

/// Rewrites the `version`, `file` and `sha256` lines of the lock, keeping everything else.
fn write_lock(root: &std::path::Path, version: &str, file: &str, sha256: &str) -> Result<(), String> {
    let path = root.join(lock::LOCK_PATH);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = String::new();
    for line in text.lines() {
        let replaced = if line.starts_with("version:") {
            format!("version: {version:?}")
        } else if line.starts_with("file:") {
            format!("file: {file}")
        } else if line.starts_with("sha256:") {
            format!("sha256: {sha256}")
        } else {
            line.to_owned()
        };
        out.push_str(&replaced);
        out.push('\n');
    }
    std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(global: &Global, args: UpdateSpecArgs) -> Result<ExitCode, String> {
    let root = &global.root;
    let say = |line: String| {
        if !global.quiet {
            eprintln!("{line}");
        }
    };
    let old_lock = lock::Lock::read(root)?;
    let (old_path, old_bytes) = regen::pinned_spec(root, false, global.quiet)?;
    let source = args.from.clone().unwrap_or_else(|| old_lock.url.clone());
    let remote = source.starts_with("http://") || source.starts_with("https://");
    let new_bytes = if remote {
        say(format!("update-spec: downloading {source}"));
        fetch::download(&source, None, fetch::Timeouts::default(), global.quiet)?
    } else {
        std::fs::read(&source).map_err(|e| format!("{source}: {e}"))?
    };
    let version = version_of(&new_bytes, &source)?;
    let sha256 = lock::sha256_hex(&new_bytes);
    if sha256 == old_lock.sha256 {
        say(format!("update-spec: {source} is the pinned spec already (version {version})"));
        return Ok(ExitCode::SUCCESS);
    }
    // A file already in ../shared/spec is found there by name; anything else goes to the cache,
    // where regen looks it up by hash.
    let in_shared = PathBuf::from(&source).file_name().map(|n| n.to_string_lossy().into_owned()).filter(|name| {
        !remote && std::fs::read(root.join("../shared/spec").join(name)).is_ok_and(|b| lock::sha256_hex(&b) == sha256)
    });
    let file = match in_shared {
        Some(name) => name,
        None => {
            fetch::store(root, &new_bytes);
            format!("x-openapi-{version}.json")
        }
    };
    write_lock(root, &version, &file, &sha256)?;
    say(format!(
        "update-spec: pinned {file} (version {version}, sha256 {sha256}); was {} ({})",
        old_lock.file, old_lock.version
    ));

    let regen_args = regen::RegenArgs { spec: None, out: None, check: false, offline: true, strict: false };
    let code = regen::run(global, regen_args)?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    let (report, breaking) =
        crate::diff::markdown_between((&old_path.display().to_string(), &old_bytes), (&source, &new_bytes), root)?;
    let report_path = args.report.unwrap_or_else(|| root.join("target").join("spec-diff.md"));
    if let Some(dir) = report_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&report_path, report).map_err(|e| format!("{}: {e}", report_path.display()))?;
    say(format!("update-spec: report written to {} (paste it into the PR)", report_path.display()));
    if breaking {
        eprintln!("update-spec: the new spec has breaking changes (see the report)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
