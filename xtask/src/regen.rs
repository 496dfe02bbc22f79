//! `cargo xtask regen`: find (or download) the spec, generate, write or check.

use crate::{fetch, lock, output, Global};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct RegenArgs {
    /// Generate from this spec file (JSON or YAML) instead of the pinned one.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Write a complete standalone crate here instead of `generated/`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write nothing; fail and list the stale files if the output differs.
    #[arg(long)]
    pub check: bool,
    /// Never download: the pinned spec must be in ../shared/spec or the cache.
    #[arg(long)]
    pub offline: bool,
    /// Fail when the spec defines problem types or fields that spec/errors/ lacks, instead of
    /// generating them from the spec's facts and listing them for review (CI on the pin).
    #[arg(long)]
    pub strict: bool,
}

/// Reports each stage on stderr (unless `--quiet`) and its time (with `--timings`).
pub struct Stages<'g> {
    global: &'g Global,
    started: Instant,
    stage: Instant,
}

impl<'g> Stages<'g> {
    pub fn new(global: &'g Global) -> Self {
        Self { global, started: Instant::now(), stage: Instant::now() }
    }

    /// Marks the end of a stage.
    pub fn done(&mut self, what: &str) {
        let took = self.stage.elapsed();
        if !self.global.quiet {
            if self.global.timings {
                eprintln!("  {what:<10} {:>7.1} ms", took.as_secs_f64() * 1000.0);
            } else {
                eprintln!("  {what}");
            }
        }
        self.stage = Instant::now();
    }

    pub fn total_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }
}

/// The pinned spec: ../shared/spec, else the cache, else (online) a download into the cache.
pub fn pinned_spec(root: &Path, offline: bool, quiet: bool) -> Result<(PathBuf, Vec<u8>), String> {
    let lock = lock::Lock::read(root)?;
    match lock.load_pinned(root) {
        Ok(found) => return Ok(found),
        Err(e) if lock.default_path(root).exists() => return Err(e), // there, but wrong: say so
        Err(_) => {}
    }
    if let Some(bytes) = fetch::cached(root, &lock.sha256) {
        return Ok((fetch::cache_path(root, &lock.sha256), bytes));
    }
    if offline {
        return Err(format!(
            "pinned spec {} (version {}, sha256 {}) is neither at {} nor in the cache, and --offline forbids downloading it from {}\n\
             hint: pass --spec PATH to generate from another file",
            lock.file,
            lock.version,
            lock.sha256,
            lock.default_path(root).display(),
            lock.url
        ));
    }
    if !quiet {
        eprintln!("  downloading {}", lock.url);
    }
    let bytes = fetch::download(&lock.url, Some(&lock.sha256), fetch::Timeouts::default(), quiet)?;
    Ok((fetch::store(root, &bytes), bytes))
}

pub fn run(global: &Global, args: RegenArgs) -> Result<ExitCode, String> {
    let root = &global.root;
    let mut stages = Stages::new(global);
    let pinned = args.spec.is_none();
    let (spec_path, bytes) = match &args.spec {
        Some(path) => (path.clone(), std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => pinned_spec(root, args.offline, global.quiet)?,
    };
    stages.done("load");
    let tables = xapi_gen::tables::Tables::read_dir(&root.join("spec/errors")).map_err(|e| e.to_string())?;
    // A crate written elsewhere names the repo's `core/` by its absolute path.
    let core_path = match &args.out {
        Some(_) => Some(std::fs::canonicalize(root.join("core")).map_err(|e| format!("core/: {e}"))?),
        None => None,
    };
    let options = xapi_gen::CrateOptions {
        standalone: args.out.is_some(),
        strict_rules: pinned,
        strict_tables: args.strict,
        core_path: core_path.map(|p| p.to_string_lossy().replace('\\', "/")),
    };
    let generated =
        xapi_gen::generate(&bytes, &tables, &options).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    stages.done("generate");
    // Said even with --quiet or --check: each item is work for the person running regen.
    if !generated.review.is_empty() {
        eprintln!(
            "review: {} things the spec states that spec/errors/ lacks (kept untyped until described there):",
            generated.review.len()
        );
        for item in &generated.review {
            eprintln!("  {item}");
        }
    }
    // The crate, and core's error tables (the same for every spec: they follow spec/errors/).
    let dir = args.out.clone().unwrap_or_else(|| root.join("generated"));
    let targets = [(dir, &generated.files), (root.join("core/src/errors/tables"), &generated.core_tables)];
    if args.check {
        let mut fresh = true;
        for (dir, files) in &targets {
            let stale = output::stale_files(dir, files);
            if stale.is_empty() {
                if !global.quiet {
                    eprintln!("regen --check: {} is up to date", dir.display());
                }
                continue;
            }
            fresh = false;
            eprintln!("regen --check: {} is stale; run `cargo xtask regen`:", dir.display());
            for f in stale {
                eprintln!("  {f}");
            }
        }
        stages.done("check");
        return Ok(if fresh { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    if !global.quiet {
        for note in &generated.notes {
            eprintln!("note: {note}");
        }
    }
    for (dir, files) in &targets {
        // Unchanged core tables are left alone (no rewrite, no rebuild).
        if output::stale_files(dir, files).is_empty() && dir.ends_with("core/src/errors/tables") {
            continue;
        }
        output::write_atomically(dir, files).map_err(|e| format!("writing {}: {e}", dir.display()))?;
    }
    stages.done("write");
    if !global.quiet {
        let files = &generated.files;
        let lines: usize = files.values().map(|f| f.lines().count()).sum();
        eprintln!(
            "regen: {} files, {lines} lines in {} from {} ({:.0} ms)",
            files.len(),
            targets[0].0.display(),
            spec_path.display(),
            stages.total_ms()
        );
    }
    Ok(ExitCode::SUCCESS)
}
