//! `xapi-gen`: turns X's OpenAPI spec into the `xapi-types` crate.
//!
//! The pipeline, one module per stage:
//! 1. [`load`]: bytes (JSON or YAML) → `openapiv3::OpenAPI`, with `$ref` resolution;
//! 2. [`collect`] and [`operations`]: spec → [`ir::Api`] (types with stable ids, operations);
//! 3. [`emit`]: IR → Rust files (`quote!` → `syn` → `prettyplease`).
//!
//! Every failure is an [`Error`] naming a JSON pointer; nothing panics on input.

pub mod collect;
pub mod dedupe;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod names;
pub mod operations;

pub use emit::CrateOptions;
pub use error::{Error, Result};

use std::collections::BTreeMap;

/// Parses a spec and builds its IR.
pub fn build_ir(spec_bytes: &[u8]) -> Result<ir::Api> {
    let spec = load::Spec::parse(spec_bytes)?;
    let mut collector = collect::Collector::new(&spec);
    collector.collect_components()?;
    let operations = operations::OperationBuilder::new(&spec, &mut collector).build()?;
    let mut types = collector.types;
    collect::check_alias_cycles(&types)?;
    collect::box_cycles(&mut types);
    dedupe::alias_duplicates(&mut types);
    Ok(ir::Api { title: spec.api.info.title.clone(), version: spec.api.info.version.clone(), types, operations })
}

/// Generates the whole `xapi-types` crate: relative path → contents.
pub fn generate(spec_bytes: &[u8], options: &CrateOptions) -> Result<BTreeMap<String, String>> {
    let api = build_ir(spec_bytes)?;
    emit::render(&api, options)
}
