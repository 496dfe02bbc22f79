//! The decode policy: which properties are strict and which are lenient, derived from the spec.
//!
//! - **Request models** (types only request bodies reach): a property the spec requires is
//!   typed `T` and must be present; the caller builds these values and the checks hold them to
//!   the spec.
//! - **Everything X sends** (any other type): every property is `Option<T>`. X's spec marks
//!   properties required that X omits (metrics on older posts, renamed counts, fields that
//!   depend on the `*.fields` asked for), so absence is never a decode failure: a page of 500
//!   posts does not fail because one nested metric is missing. The spec's `required` is kept in
//!   the IR (`Field::required`) for docs, the digest's notes and the diff.
//!
//! What stays strict everywhere: a value that is present must have its type (a string where an
//! integer belongs fails, naming the JSON path and the spec pointer), tags pick union members,
//! and unknown enum values are kept as `Unknown`, never an error.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// Every named type a use of a type can reach.
fn reachable(api: &Api, roots: impl Iterator<Item = TypeRef>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeRef> = roots.collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => stack.push(*inner),
            TypeRef::Named(id) => {
                if !seen.insert(id.clone()) {
                    continue;
                }
                match api.types.get(&id).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => {
                        stack.extend(s.fields.iter().map(|f| f.ty.clone()));
                        stack.extend(s.additional.clone());
                    }
                    Some(TypeKind::Union(u)) => stack.extend(u.variants.iter().map(|v| v.ty.clone())),
                    Some(TypeKind::Alias(t)) => stack.push(t.clone()),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    seen
}

/// The types only request bodies reach: the ones whose required properties stay strict.
pub fn request_only(api: &Api) -> BTreeSet<TypeId> {
    let requests = reachable(api, api.operations.iter().flat_map(|o| o.request_body.iter().map(|b| b.ty.clone())));
    let responses = reachable(api, api.operations.iter().filter_map(|o| o.success.as_ref()?.ty.clone()));
    requests.difference(&responses).cloned().collect()
}

/// Boxes every field whose type is an object (through aliases): a `Post` holds a dozen
/// nested objects, and inline they make it 1.7 KB, moved and copied whenever a list of them
/// grows; boxed it is under 800 bytes. (Measured on the wire corpus: about a tenth fewer
/// instructions to decode.)
pub fn box_nested_objects(api: &mut Api) {
    let is_struct = |ty: &TypeRef| api.alias_chain(ty).0.last().is_some_and(|d| matches!(d.kind, TypeKind::Struct(_)));
    let nested: Vec<(TypeId, usize)> = api
        .types
        .iter()
        .filter_map(|(id, d)| match &d.kind {
            TypeKind::Struct(s) => Some((id, s)),
            _ => None,
        })
        .flat_map(|(id, s)| {
            s.fields.iter().enumerate().filter(|(_, f)| is_struct(&f.ty)).map(move |(i, _)| (id.clone(), i))
        })
        .collect();
    for (id, i) in nested {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(&id).map(|d| &mut d.kind) {
            s.fields[i].boxed = true;
        }
    }
}

/// Makes every property of every type X sends optional. Returns how many required properties
/// became lenient (a figure regen reports).
pub fn apply(api: &mut Api) -> usize {
    let strict = request_only(api);
    let mut lenient = 0;
    for (id, def) in api.types.iter_mut() {
        let TypeKind::Struct(s) = &mut def.kind else { continue };
        if strict.contains(id) {
            continue;
        }
        for field in &mut s.fields {
            if !field.optional {
                field.optional = true;
                lenient += 1;
            }
        }
    }
    lenient
}

/// One line for regen's output: how many properties the spec requires and which of them
/// decode leniently.
pub fn summary(api: &Api) -> String {
    let strict = request_only(api);
    let (mut lenient, mut kept) = (0, 0);
    for (id, def) in &api.types {
        let TypeKind::Struct(s) = &def.kind else { continue };
        let required = s.fields.iter().filter(|f| f.required).count();
        if strict.contains(id) {
            kept += required;
        } else {
            lenient += required;
        }
    }
    format!(
        "decode policy: {lenient} properties the spec requires are optional in what X sends; {kept} stay required in request models"
    )
}
