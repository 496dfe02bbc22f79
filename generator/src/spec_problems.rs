//! The problem types a spec defines, found two ways: discriminator mappings keyed by type URI
//! (2.159 and older: `Problem` maps URIs to `*Problem` schemas) and `type` properties whose
//! enum lists a type URI (2.167: each `*Problem` schema pins its own). Cross-checked against
//! `spec/errors/problems.yaml` so a new problem type cannot slip in unnoticed.

use crate::collect::component_id;
use crate::error::{pointer, Error, Result};
use crate::ir::{Api, TypeKind, TypeRef};
use crate::load::Spec;
use crate::tables::{problem_slug, Tables};
use openapiv3::ReferenceOr;
use std::collections::{BTreeMap, BTreeSet};

const COMMON: [&str; 4] = ["type", "title", "detail", "status"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    pub uri: String,
    /// Where the spec defines it.
    pub pointer: String,
    /// Extension properties (everything but type/title/detail/status).
    pub fields: BTreeSet<String>,
}

/// The fields of the struct that defines a type, through any aliases.
fn struct_fields<'a>(api: &'a Api, id: &str) -> Vec<&'a crate::ir::Field> {
    match api.alias_chain(&TypeRef::Named(id.to_owned())).0.last().map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().collect(),
        _ => Vec::new(),
    }
}

/// The values of the string enum a type is, through any aliases.
fn enum_values(api: &Api, ty: &TypeRef) -> Vec<String> {
    match api.alias_chain(ty).0.last().map(|d| &d.kind) {
        Some(TypeKind::StringEnum(values)) => values.iter().map(|v| v.wire.clone()).collect(),
        _ => Vec::new(),
    }
}

fn extension_fields(api: &Api, id: &str) -> BTreeSet<String> {
    struct_fields(api, id).into_iter().map(|f| f.wire.clone()).filter(|w| !COMMON.contains(&w.as_str())).collect()
}

/// Problem types by slug.
pub fn spec_problems(spec: &Spec, api: &Api) -> BTreeMap<String, SpecProblem> {
    let mut found: BTreeMap<String, SpecProblem> = BTreeMap::new();
    let mut add = |slug: String, uri: &str, at: String, fields: BTreeSet<String>| {
        let entry = found.entry(slug).or_insert_with(|| SpecProblem {
            uri: uri.to_owned(),
            pointer: at,
            fields: BTreeSet::new(),
        });
        entry.fields.extend(fields);
    };
    for (name, item) in spec.schemas() {
        let at = component_id(name);
        if let ReferenceOr::Item(schema) = item {
            if let Some(d) = &schema.schema_data.discriminator {
                for (value, reference) in &d.mapping {
                    let (Some(slug), Ok(target)) = (problem_slug(value), spec.schema_ref_name(reference, &at)) else {
                        continue;
                    };
                    let here = pointer::push(&pointer::push(&pointer::push(&at, "discriminator"), "mapping"), value);
                    add(slug, value, here, extension_fields(api, &component_id(&target)));
                }
            }
        }
        for field in struct_fields(api, &at) {
            if field.wire != "type" {
                continue;
            }
            for value in enum_values(api, &field.ty) {
                if let Some(slug) = problem_slug(&value) {
                    add(slug, &value, field.pointer.clone(), extension_fields(api, &at));
                }
            }
        }
    }
    found
}

/// Fails on a problem type (or one of its fields) the table lacks; returns the table's slugs
/// that this spec does not define ("documented only").
pub fn cross_check(problems: &BTreeMap<String, SpecProblem>, tables: &Tables) -> Result<Vec<String>> {
    for (slug, p) in problems {
        let Some(entry) = tables.problems.get(slug) else {
            return Err(Error::at(
                &p.pointer,
                format!("problem type `{}` (slug `{slug}`) is not in spec/errors/problems.yaml", p.uri),
            ));
        };
        if let Some(field) = p.fields.iter().find(|f| !entry.fields.contains_key(*f)) {
            return Err(Error::at(
                &p.pointer,
                format!("problem type `{slug}` has field `{field}` that spec/errors/problems.yaml does not list"),
            ));
        }
    }
    Ok(tables.problems.keys().filter(|s| !problems.contains_key(*s)).cloned().collect())
}
