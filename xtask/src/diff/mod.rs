//! `cargo xtask diff OLD NEW` / `cargo xtask diff --base GITREF [NEW]`: what changes between
//! two specs, for wire clients and for users of the generated crate, as Markdown or JSON.
//!
//! Both specs go through the generator's own pipeline (`load` → IR → API digest), so the
//! report describes exactly what regen would make of them; there is no second spec model.

mod operations;
mod render;
mod report;
mod rust_api;
mod schemas;
mod shape;
mod types;

use crate::lock::{self, Lock};
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use xapi_gen::ir::Api;
use xapi_gen::spec_problems::SpecProblem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any change that can break wire clients or Rust users.
    Breaking,
    /// Changes that can break wire clients.
    BreakingWire,
    /// Changes that can break Rust users.
    BreakingRust,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW spec files (JSON or YAML); with --base, only NEW (default: the pinned spec).
    #[arg(value_name = "SPEC", num_args = 0..=2)]
    specs: Vec<PathBuf>,
    /// Compare against the spec pinned in spec/x-api.lock.yaml at this git ref.
    #[arg(long, value_name = "GITREF")]
    base: Option<String>,
    #[arg(long, value_enum, default_value = "md")]
    format: Format,
    /// Exit with status 1 when the report has changes of this class.
    #[arg(long, value_enum, value_name = "CLASS")]
    fail_on: Option<FailOn>,
    /// Cut the Markdown's lists until it fits (GitHub comments hold 65536 characters).
    #[arg(long, value_name = "N")]
    max_chars: Option<usize>,
}

/// Exit status for bad input (unreadable file, not a spec, bad git ref).
const BAD_INPUT: u8 = 2;

/// The tables a side is read with (either may be missing).
#[derive(Clone, Copy)]
struct Tables<'t> {
    wire: Option<&'t xapi_gen::wire::Wire>,
    rules: Option<&'t xapi_gen::endpoint_rules::EndpointRules>,
}

/// One spec, read and run through the generator.
struct Side {
    api: Api,
    /// What spec/wire.yaml added to this spec.
    wire: xapi_gen::wire::Applied,
    problems: BTreeMap<String, SpecProblem>,
    digest: String,
    /// Which operations use which component schemas: computed with the rest of the side, so
    /// in parallel with the other one.
    usage: shape::Usage,
    /// The parsed spec, kept rather than freed here: freeing is left to whoever drops the
    /// side (and skipped by [`run`], which exits right after).
    _spec: xapi_gen::load::Spec,
}

impl Side {
    /// The spec as regen reads it: with spec/wire.yaml applied (never strictly: either side
    /// may be a spec the table was not written for).
    /// With the endpoint rules, each operation gets its error variants and enum name, which
    /// the digest lists.
    fn load(source: &str, bytes: &[u8], tables: Tables<'_>) -> Result<Self, String> {
        Self::read(source, bytes, tables.wire)?.finish(source, tables.rules)
    }

    /// The first half of [`load`](Self::load), which needs only the wire table: the spec
    /// parsed, and its IR.
    fn read(source: &str, bytes: &[u8], wire: Option<&xapi_gen::wire::Wire>) -> Result<Read, String> {
        let (spec, wire) =
            xapi_gen::load::Spec::parse_with(bytes, wire, false).map_err(|e| format!("{source}: {e}"))?;
        let api = xapi_gen::build_ir_from(&spec).map_err(|e| format!("{source}: {e}"))?;
        Ok(Read { api, wire, spec })
    }
}

/// A side before the endpoint rules apply (see [`Side::read`]).
struct Read {
    api: Api,
    wire: xapi_gen::wire::Applied,
    spec: xapi_gen::load::Spec,
}

impl Read {
    /// The second half of [`Side::load`]: the endpoint rules, the problems, the digest.
    fn finish(self, source: &str, rules: Option<&xapi_gen::endpoint_rules::EndpointRules>) -> Result<Side, String> {
        let Self { mut api, wire, spec } = self;
        if let Some(rules) = rules {
            xapi_gen::apply_endpoint_rules(&mut api, rules, false).map_err(|e| format!("{source}: {e}"))?;
        }
        let problems = xapi_gen::spec_problems::spec_problems(&spec, &api);
        let digest = xapi_gen::emit::digest::render(&api);
        let usage = shape::Usage::of(&api);
        Ok(Side { api, wire, problems, digest, usage, _spec: spec })
    }
}

impl Side {
    fn as_ref(&self) -> types::SideRef<'_> {
        types::SideRef { api: &self.api, usage: &self.usage, wire: &self.wire }
    }
}

/// A spec to compare: where it came from (for the report) and its bytes.
struct Input {
    source: String,
    pinned: Option<String>,
    bytes: Vec<u8>,
}

fn read(path: &Path) -> Result<Input, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Input { source: path.display().to_string(), pinned: None, bytes })
}

/// The spec pinned at a git ref: the lock file as committed there, then the file it names
/// (checked against the committed sha256).
fn pinned_at(root: &Path, gitref: &str) -> Result<Input, String> {
    // `git show -x…` would read an option, not a ref.
    if gitref.starts_with('-') || gitref.is_empty() {
        return Err(format!("`{gitref}` is not a git ref"));
    }
    let object = format!("{gitref}:{}", lock::LOCK_PATH);
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &object])
        .output()
        .map_err(|e| format!("running git show {object}: {e}"))?;
    if !out.status.success() {
        return Err(format!("git show {object} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let lock: Lock = serde_yaml::from_slice(&out.stdout).map_err(|e| format!("{object}: {e}"))?;
    let (path, bytes) = lock.load_pinned(root)?;
    Ok(Input { source: path.display().to_string(), pinned: Some(format!("pinned at {gitref}")), bytes })
}

fn inputs(args: &DiffArgs, root: &Path) -> Result<(Input, Input), String> {
    match (&args.base, args.specs.as_slice()) {
        (Some(gitref), [new]) => Ok((pinned_at(root, gitref)?, read(new)?)),
        (Some(gitref), []) => {
            let (path, bytes) = Lock::read(root)?.load_pinned(root)?;
            let new = Input {
                source: path.display().to_string(),
                pinned: Some("pinned in the working tree".to_owned()),
                bytes,
            };
            Ok((pinned_at(root, gitref)?, new))
        }
        (Some(_), _) => Err("with --base, give at most one spec (NEW)".to_owned()),
        (None, [old, new]) => Ok((read(old)?, read(new)?)),
        (None, _) => Err("give two specs (OLD NEW), or --base GITREF [NEW]".to_owned()),
    }
}

/// Runs `f` on both sides at once, each with its input and its value (the old side on a
/// thread of its own): each takes milliseconds and they are independent.
fn both<V: Send, T: Send>(
    (old, a): (&Input, V),
    (new, b): (&Input, V),
    f: impl Fn(&Input, V) -> Result<T, String> + Sync,
) -> Result<(T, T), String> {
    let f = &f;
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(move || f(old, a));
        (a.join(), f(new, b))
    });
    let a = a.map_err(|_| format!("{}: internal error while reading the spec", old.source))??;
    Ok((a, b?))
}

/// The error tables, the endpoint rules and spec/wire.yaml, as regen reads them.
type ErrorTables = Result<xapi_gen::tables::Tables, xapi_gen::Error>;

fn read_tables(root: &Path) -> ErrorTables {
    xapi_gen::tables::Tables::read_dir(&root.join("spec/errors"))
}

/// spec/wire.yaml alone, as [`read_tables`] reads it (`None` when there is none).
fn read_wire(root: &Path) -> Result<Option<xapi_gen::wire::Wire>, xapi_gen::Error> {
    let path = root.join("spec").join(xapi_gen::wire::FILE);
    path.exists().then(|| xapi_gen::wire::Wire::read(&path)).transpose()
}

/// The report, and the sides it was made from (one when both specs are the same bytes): the
/// caller decides whether freeing them is worth its time.
fn build(old: &Input, new: &Input, tables: &ErrorTables) -> Result<(report::Report, Vec<Side>), String> {
    build_from(old, new, tables, None)
}

/// [`build`], with both sides read already when `read` has them (see [`run`]).
fn build_from(
    old: &Input,
    new: &Input,
    tables: &ErrorTables,
    read: Option<(Read, Read)>,
) -> Result<(report::Report, Vec<Side>), String> {
    let info = |input: &Input, api: &Api| report::SpecInfo {
        source: input.source.clone(),
        pinned: input.pinned.clone(),
        version: api.version.clone(),
    };
    // The endpoint rules give each operation its error variants; without them (no readable
    // tables) the error-surface section says why it is empty.
    let review = |side: &Side| match tables {
        Ok(t) => {
            xapi_gen::spec_problems::cross_check(&side.problems, t).review.iter().map(ToString::to_string).collect()
        }
        Err(_) => Vec::new(),
    };
    let rules = tables.as_ref().map(|t| t.endpoint_rules.as_ref());
    let wire = tables.as_ref().ok().and_then(|t| t.wire.as_ref());
    let sides = Tables { wire, rules: tables.as_ref().ok().and_then(|t| t.endpoint_rules.as_ref()) };
    if old.bytes == new.bytes {
        // The same spec twice: still checked to be a spec, and reported as no change.
        let side = Side::load(&old.source, &old.bytes, sides)?;
        let mut r = compare(info(old, &side.api), info(new, &side.api), (&side, &side), true, rules, wire);
        r.review = review(&side);
        return Ok((r, vec![side]));
    }
    let (a, b) = match read {
        Some((a, b)) => both((old, a), (new, b), |input, read| read.finish(&input.source, sides.rules))?,
        None => both((old, ()), (new, ()), |input, ()| Side::load(&input.source, &input.bytes, sides))?,
    };
    let mut r = compare(info(old, &a.api), info(new, &b.api), (&a, &b), false, rules, wire);
    r.review = review(&b);
    Ok((r, vec![a, b]))
}

type Rules<'t> = Result<Option<&'t xapi_gen::endpoint_rules::EndpointRules>, &'t xapi_gen::Error>;

fn error_surface(a: &Side, b: &Side, rules: Rules<'_>) -> report::ErrorSurface {
    match rules {
        Ok(Some(_)) => {}
        Ok(None) => {
            return report::ErrorSurface { available: false, note: "no endpoint rules".to_owned(), changes: Vec::new() }
        }
        Err(e) => {
            return report::ErrorSurface {
                available: false,
                note: format!("error tables unreadable: {e}"),
                changes: Vec::new(),
            }
        }
    };
    // Both sides were read with the rules, so each operation carries its variants.
    fn errors(side: &Side) -> BTreeMap<&str, &[String]> {
        side.api.operations.iter().map(|op| (op.id.as_str(), op.errors.as_slice())).collect()
    }
    let (old, new) = (errors(a), errors(b));
    let mut changes = Vec::new();
    for (id, before) in &old {
        let Some(after) = new.get(id) else { continue };
        let added: Vec<String> = after.iter().filter(|v| !before.contains(v)).cloned().collect();
        let removed: Vec<String> = before.iter().filter(|v| !after.contains(v)).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            changes.push(report::ErrorSurfaceChange { operation: (*id).to_owned(), added, removed });
        }
    }
    let note = "Variants derived by spec/errors/endpoint_rules.yaml for operations present in both specs. \
                A removed variant breaks Rust code that matches on it; an added one is additive \
                (the enums are #[non_exhaustive])."
        .to_owned();
    report::ErrorSurface { available: true, note, changes }
}

fn compare(
    old_info: report::SpecInfo,
    new_info: report::SpecInfo,
    (a, b): (&Side, &Side),
    same: bool,
    rules: Rules<'_>,
    wire: Option<&xapi_gen::wire::Wire>,
) -> report::Report {
    let mut r = report::Report {
        old: old_info,
        new: new_info,
        summary: report::Summary::default(),
        operations: report::Operations::default(),
        schemas: report::Section::default(),
        problem_types: report::Section::default(),
        error_surface: report::ErrorSurface::default(),
        rust_api: report::Section::default(),
        review: Vec::new(),
        drift: Vec::new(),
    };
    if same {
        r.error_surface = error_surface(a, b, rules);
        return r;
    }
    let no_words = BTreeMap::new();
    let words = wire.map_or(&no_words, |w| &w.vocabulary.words);
    // Operations and schemas share the pair's memos; the other sections need neither, so they
    // are compared on a second thread meanwhile.
    let ((ops, schemas), (surface, problems, rust)) = std::thread::scope(|s| {
        let others = s.spawn(|| {
            let surface = error_surface(a, b, rules);
            (surface, schemas::problems(&a.problems, &b.problems), rust_api::compare(&a.digest, &b.digest))
        });
        let mut pair = types::Pair::new(a.as_ref(), b.as_ref(), words);
        let ops = operations::compare(&mut pair);
        let schemas = schemas::compare(&mut pair);
        ((ops, schemas), others.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    r.error_surface = surface;
    (r.operations, r.summary.operations) = ops;
    (r.schemas, r.summary.schemas) = schemas;
    (r.problem_types, r.summary.problem_types) = problems;
    (r.rust_api, r.summary.rust_api) = rust;
    for class in r.classes() {
        r.summary.classes.add(class);
    }
    r.drift = r.collect_drift();
    r
}

/// The Markdown report between two specs and whether any change breaks wire clients or Rust
/// users (for `update-spec`).
pub fn markdown_between(old: (&str, &[u8]), new: (&str, &[u8]), root: &Path) -> Result<(String, bool), String> {
    let input = |(source, bytes): (&str, &[u8]), pinned: &str| Input {
        source: source.to_owned(),
        pinned: Some(pinned.to_owned()),
        bytes: bytes.to_vec(),
    };
    let (report, _sides) = build(&input(old, "pinned before"), &input(new, "pinned now"), &read_tables(root))?;
    let c = report.summary.classes;
    Ok((render::markdown(&report, None), c.breaking_wire + c.breaking_rust > 0))
}

pub fn run(args: &DiffArgs, root: &Path) -> ExitCode {
    // The tables and the specs are independent files: read at once. The first half of each
    // side needs only spec/wire.yaml, so it runs while the other tables are read.
    let (tables, specs, read) = std::thread::scope(|s| {
        let tables = s.spawn(|| read_tables(root));
        let specs = inputs(args, root);
        let read = match (&specs, read_wire(root)) {
            (Ok((old, new)), Ok(wire)) if old.bytes != new.bytes => {
                Some(both((old, ()), (new, ()), |input, ()| Side::read(&input.source, &input.bytes, wire.as_ref())))
            }
            _ => None,
        };
        (tables.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), specs, read)
    });
    // Without readable tables a side is read with no wire table at all, as regen would: the
    // early read is dropped then.
    let result = specs.and_then(|(old, new)| match (read, &tables) {
        (Some(Err(e)), Ok(_)) => Err(e),
        (Some(Ok(read)), Ok(_)) => build_from(&old, &new, &tables, Some(read)),
        _ => build(&old, &new, &tables),
    });
    let (report, sides) = match result {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let text = match args.format {
        Format::Md => Ok(render::markdown(&report, args.max_chars)),
        Format::Json => render::json(&report),
    };
    // Written by hand: `print!` panics when stdout is closed early; a reader that stops
    // early (`| head`) is no error.
    let written = text.and_then(|t| {
        let mut out = std::io::stdout().lock();
        match out.write_all(t.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("writing the report: {e}")),
            _ => Ok(()),
        }
    });
    if let Err(message) = written {
        eprintln!("error: {message}");
        return ExitCode::FAILURE;
    }
    let c = report.summary.classes;
    // The process exits next: freeing both specs, IRs and the report one allocation at a
    // time would take milliseconds for nothing, so the OS gets the memory back instead.
    std::mem::forget(sides);
    std::mem::forget(report);
    std::mem::forget(tables);
    let failed = match args.fail_on {
        Some(FailOn::Breaking) => c.breaking_wire + c.breaking_rust > 0,
        Some(FailOn::BreakingWire) => c.breaking_wire > 0,
        Some(FailOn::BreakingRust) => c.breaking_rust > 0,
        None => false,
    };
    if failed {
        eprintln!("diff: {} changes can break wire clients, {} can break Rust users", c.breaking_wire, c.breaking_rust);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
