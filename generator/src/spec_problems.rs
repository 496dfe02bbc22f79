//! The problem types a spec defines, found two ways: discriminator mappings keyed by type URI
//! (2.159 and older: `Problem` maps URIs to `*Problem` schemas) and `type` properties whose
//! enum lists a type URI (2.167: each `*Problem` schema pins its own). Cross-checked against
//! `spec/errors/problems.yaml` so a new problem type cannot slip in unnoticed.

use crate::collect::component_id;
use crate::error::{pointer, Error, Result};
use crate::ir::{Api, TypeKind, TypeRef};
use crate::load::Spec;
use crate::tables::{problem_slug, FieldType, Tables};
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

const COMMON: [&str; 4] = ["type", "title", "detail", "status"];

/// One problem type the spec defines (keyed by its slug in [`spec_problems`]' map).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// The type URI as the spec writes it (first found).
    pub uri: String,
    /// Where the spec defines it.
    pub pointer: String,
    /// The component schema that defines it, if one does.
    pub schema: Option<String>,
    /// Extension properties (everything but type/title/detail/status) and their types.
    pub fields: BTreeMap<String, FieldType>,
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

fn extension_fields(api: &Api, id: &str) -> BTreeMap<String, FieldType> {
    struct_fields(api, id)
        .into_iter()
        .filter(|f| !COMMON.contains(&f.wire.as_str()))
        .map(|f| (f.wire.clone(), field_type(api, &f.ty)))
        .collect()
}

/// The table's name for the type of an extension field.
fn field_type(api: &Api, ty: &TypeRef) -> FieldType {
    match api.alias_chain(ty).1 {
        TypeRef::String => FieldType::String,
        TypeRef::Integer => FieldType::Integer,
        TypeRef::Boolean => FieldType::Boolean,
        TypeRef::Vec(item) if api.alias_chain(&item).1 == TypeRef::String => FieldType::StringList,
        TypeRef::Named(id) if matches!(api.types.get(&id).map(|d| &d.kind), Some(TypeKind::StringEnum(_))) => {
            FieldType::String
        }
        _ => FieldType::Json,
    }
}

/// Problem types by slug.
pub fn spec_problems(spec: &Spec, api: &Api) -> BTreeMap<String, SpecProblem> {
    let mut found: BTreeMap<String, SpecProblem> = BTreeMap::new();
    let mut add = |slug: String, uri: &str, at: String, schema: &str, fields: BTreeMap<String, FieldType>| {
        let entry = found.entry(slug).or_insert_with(|| SpecProblem {
            uri: uri.to_owned(),
            pointer: at,
            schema: Some(schema.to_owned()),
            fields: BTreeMap::new(),
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
                    add(slug, value, here, &target, extension_fields(api, &component_id(&target)));
                }
            }
        }
        for field in struct_fields(api, &at) {
            if field.wire != "type" {
                continue;
            }
            for value in enum_values(api, &field.ty) {
                if let Some(slug) = problem_slug(&value) {
                    add(slug, &value, field.pointer.clone(), name, extension_fields(api, &at));
                }
            }
        }
    }
    found
}

/// What the spec states about problem types that `spec/errors/problems.yaml` lacks. Regen
/// generates it from the spec's facts and lists it for a maintainer to review; `--strict`
/// makes it an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    /// Where the spec states it.
    pub pointer: String,
    /// The problem type's slug, the key in `problems.yaml`.
    pub slug: String,
    /// The problem type's URI as the spec writes it.
    pub uri: String,
    /// `None`: the whole type is new; `Some`: one extension field of a known type.
    pub field: Option<(String, FieldType)>,
}

impl std::fmt::Display for ReviewItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            None => write!(
                f,
                "{}: problem type `{}` (slug `{}`) is not in spec/errors/problems.yaml",
                self.pointer, self.uri, self.slug
            ),
            Some((name, _)) => write!(
                f,
                "{}: problem type `{}` has field `{name}` that spec/errors/problems.yaml does not list",
                self.pointer, self.slug
            ),
        }
    }
}

/// The outcome of comparing a spec's problem types with the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrossCheck {
    /// Table slugs this spec does not define.
    pub documented_only: Vec<String>,
    /// Types and fields the spec defines that the table lacks, in slug order.
    pub review: Vec<ReviewItem>,
}

impl CrossCheck {
    /// All review items as one error (for `--strict`): the first one's pointer, then the rest.
    pub fn strict(&self) -> Result<()> {
        let Some(first) = self.review.first() else { return Ok(()) };
        let mut reason = first.to_string();
        reason = reason.split_once(": ").map(|(_, r)| r.to_owned()).unwrap_or(reason);
        if self.review.len() > 1 {
            let rest: Vec<String> = self.review[1..].iter().map(ToString::to_string).collect();
            reason.push_str(&format!(" (and {} more: {})", rest.len(), rest.join("; ")));
        }
        Err(Error::at(&first.pointer, reason))
    }
}

/// Compares the spec's problem types with the table, collecting every difference at once.
pub fn cross_check(problems: &BTreeMap<String, SpecProblem>, tables: &Tables) -> CrossCheck {
    let mut review = Vec::new();
    for (slug, p) in problems {
        let item = |field| ReviewItem { pointer: p.pointer.clone(), slug: slug.clone(), uri: p.uri.clone(), field };
        match tables.problems.get(slug) {
            None => review.push(item(None)),
            Some(entry) => review.extend(
                p.fields
                    .iter()
                    .filter(|(name, _)| !entry.fields.contains_key(*name))
                    .map(|(name, ty)| item(Some((name.clone(), *ty)))),
            ),
        }
    }
    let documented_only = tables.problems.keys().filter(|s| !problems.contains_key(*s)).cloned().collect();
    CrossCheck { documented_only, review }
}
