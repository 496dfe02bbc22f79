//! `xapi-gen`: turns X's OpenAPI spec into the `xapi-types` crate.
//!
//! The pipeline, one module per stage:
//! 1. [`load`]: bytes (JSON or YAML) → `openapiv3::OpenAPI`, with `$ref` resolution;
//! 2. `collect` and `operations`: spec → [`ir::Api`] (types with stable ids, operations);
//! 3. [`emit`]: IR → Rust files (`quote!` → `syn` → `prettyplease`).
//!
//! Every failure is an [`Error`] naming a JSON pointer; nothing panics on input.
//!
//! The public API is what `xtask` (regen, diff) and the tests use: [`generate`],
//! [`build_ir`], the IR, the tables and the spec loader; the passes stay private.

#![warn(missing_docs)]

mod body_schemas;
mod collect;
mod cycles;
mod dedupe;
pub mod emit;
pub mod endpoint_rules;
pub mod error;
pub mod ir;
pub mod load;
mod names;
mod operations;
mod policy;
pub mod spec_problems;
pub mod tables;
pub mod wire;

pub use emit::CrateOptions;
pub use error::{Error, Result};

use std::collections::BTreeMap;

/// What regen produces: the crate's files and notes for the person running it.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Relative path → contents.
    pub files: BTreeMap<String, String>,
    /// `core/src/errors/tables/`: the error tables as Rust (relative path → contents), the
    /// same for every spec.
    pub core_tables: BTreeMap<String, String>,
    /// Things worth saying that are not errors (e.g. problem types only the docs define).
    pub notes: Vec<String>,
    /// What the spec states that our tables lack: each item wants a maintainer to describe it
    /// in `spec/errors/` (`--strict` fails on any). Until then such a problem decodes as
    /// `Problem::Unknown` and a field stays in `details.extra`, kept whole.
    pub review: Vec<String>,
}

/// Parses a spec and builds its IR.
pub fn build_ir(spec_bytes: &[u8]) -> Result<ir::Api> {
    build_ir_from(&load::Spec::parse(spec_bytes)?)
}

/// Builds the IR of a spec already parsed (callers that also need [`load::Spec`] parse once).
pub fn build_ir_from(spec: &load::Spec) -> Result<ir::Api> {
    let mut collector = collect::Collector::new(spec);
    collector.collect_components()?;
    let (operations, body_schemas) = operations::OperationBuilder::new(spec, &mut collector).build()?;
    let mut types = collector.types;
    cycles::resolve(&mut types);
    dedupe::alias_duplicates(&mut types);
    let mut api = ir::Api {
        title: spec.api.info.title.clone(),
        version: spec.api.info.version.clone(),
        types,
        operations,
        body_schemas,
    };
    policy::apply(&mut api);
    policy::box_nested_objects(&mut api);
    Ok(api)
}

/// Gives each operation its error variants and the name of its error enum, from the
/// endpoint rules; returns the notes (with `strict`, what would be a note is an error).
pub fn apply_endpoint_rules(
    api: &mut ir::Api,
    rules: &endpoint_rules::EndpointRules,
    strict: bool,
) -> Result<Vec<String>> {
    let (errors, mut notes) = rules.apply(&api.operations, strict)?;
    for op in &mut api.operations {
        op.errors = errors.get(&op.id).cloned().unwrap_or_default();
    }
    notes.extend(rules.name_sets(&mut api.operations, strict)?);
    notes.extend(rules.mark_idempotent(&mut api.operations, strict)?);
    Ok(notes)
}

/// Generates the whole `xapi-types` crate from a spec and the error tables.
pub fn generate(spec_bytes: &[u8], tables: &tables::Tables, options: &CrateOptions) -> Result<Output> {
    // The wire table is written against the pinned spec: there, an entry that no longer
    // applies is an error; on any other spec, a note.
    let (spec, applied) = load::Spec::parse_with(spec_bytes, tables.wire.as_ref(), options.strict_rules)?;
    let mut api = build_ir_from(&spec)?;
    let problems = spec_problems::spec_problems(&spec, &api);
    let check = spec_problems::cross_check(&problems, tables);
    if options.strict_tables {
        check.strict()?;
    }
    let documented_only = check.documented_only;
    let review = check.review.iter().map(ToString::to_string).collect();
    let mut notes = Vec::new();
    if tables.wire.is_some() {
        notes.push(applied.summary());
        notes.extend(applied.notes);
    }
    notes.push(policy::summary(&api));
    if let Some(rules) = &tables.endpoint_rules {
        notes.extend(apply_endpoint_rules(&mut api, rules, options.strict_rules)?);
    }
    if !documented_only.is_empty() {
        notes.push(format!(
            "{} problem types are documented only (not in this spec): {}",
            documented_only.len(),
            documented_only.join(", ")
        ));
    }
    let slugs = problems.into_keys().collect();
    let files = emit::render(&api, tables, &slugs, options)?;
    let core_tables = emit::core_tables(tables)?;
    Ok(Output { files, core_tables, notes, review })
}
