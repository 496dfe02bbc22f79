//! IR passes for schemas that refer to themselves. Any cycle a spec can state (through
//! `allOf`, `oneOf`, `anyOf`, `items`, `additionalProperties`, properties) ends as Rust that
//! compiles and reads any input without recursing forever:
//! - an alias chain that only loops (`A` is `B`, `B` is `A`) says nothing: any JSON;
//! - an alias whose container holds itself (`A` is a list of `A`) cannot be a Rust alias: it
//!   becomes a one-member union (an enum, so it may recur, with `Unknown` beside it);
//! - a union that is one of its own members drops that member (`A | B` with `A` in it is `B`);
//! - a struct field whose type contains the struct without an indirection is boxed.

use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef, Union, Variant};
use std::collections::{BTreeMap, BTreeSet};

/// Runs every pass, in the order they depend on each other.
pub fn resolve(types: &mut BTreeMap<TypeId, TypeDef>) {
    alias_loops_are_any_json(types);
    recursive_containers_are_unions(types);
    unions_drop_themselves(types);
    box_cycles(types);
}

/// Where a chain of aliases from `id` ends: the first non-alias type, or `None` for a loop.
fn alias_end(types: &BTreeMap<TypeId, TypeDef>, id: &str) -> Option<TypeRef> {
    let mut ty = TypeRef::Named(id.to_owned());
    for _ in 0..=types.len() {
        match &ty {
            TypeRef::Named(next) => match types.get(next).map(|d| &d.kind) {
                Some(TypeKind::Alias(t)) => ty = t.clone(),
                _ => return Some(ty),
            },
            _ => return Some(ty),
        }
    }
    None
}

fn alias_loops_are_any_json(types: &mut BTreeMap<TypeId, TypeDef>) {
    let looping: Vec<TypeId> = types
        .iter()
        .filter(|(id, d)| matches!(d.kind, TypeKind::Alias(TypeRef::Named(_))) && alias_end(types, id).is_none())
        .map(|(id, _)| id.clone())
        .collect();
    for id in looping {
        if let Some(def) = types.get_mut(&id) {
            def.kind = TypeKind::Alias(TypeRef::Json);
            def.notes.push("defined only as itself (a `$ref` loop): any JSON".to_owned());
        }
    }
}

/// Whether `ty` holds `id` through containers and aliases only (no struct or union between).
fn holds(types: &BTreeMap<TypeId, TypeDef>, ty: &TypeRef, id: &str, seen: &mut BTreeSet<TypeId>) -> bool {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) => holds(types, inner, id, seen),
        TypeRef::Named(next) if next == id => true,
        TypeRef::Named(next) => match types.get(next).map(|d| &d.kind) {
            Some(TypeKind::Alias(t)) if seen.insert(next.clone()) => holds(types, t, id, seen),
            _ => false,
        },
        _ => false,
    }
}

fn recursive_containers_are_unions(types: &mut BTreeMap<TypeId, TypeDef>) {
    let recursive: Vec<TypeId> = types
        .iter()
        .filter(|(id, d)| {
            matches!(&d.kind, TypeKind::Alias(t @ (TypeRef::Vec(_) | TypeRef::Map(_))) if holds(types, t, id, &mut BTreeSet::new()))
        })
        .map(|(id, _)| id.clone())
        .collect();
    for id in recursive {
        let Some(def) = types.get_mut(&id) else { continue };
        let TypeKind::Alias(ty) = &def.kind else { continue };
        let ident = if matches!(ty, TypeRef::Vec(_)) { "List" } else { "Map" }.to_owned();
        def.kind =
            TypeKind::Union(Union { tag: None, variants: vec![Variant { ident, ty: ty.clone(), tags: Vec::new() }] });
        def.notes.push("holds itself: an enum, as a Rust alias cannot".to_owned());
    }
}

fn unions_drop_themselves(types: &mut BTreeMap<TypeId, TypeDef>) {
    let ids: Vec<TypeId> = types.keys().cloned().collect();
    for id in ids {
        let Some(TypeKind::Union(u)) = types.get(&id).map(|d| &d.kind) else { continue };
        let keep: Vec<Variant> = u
            .variants
            .iter()
            .filter(|v| match &v.ty {
                TypeRef::Named(target) => target != &id && alias_end(types, target) != Some(TypeRef::Named(id.clone())),
                _ => true,
            })
            .cloned()
            .collect();
        if keep.len() == u.variants.len() {
            continue;
        }
        if let Some(def) = types.get_mut(&id) {
            if let TypeKind::Union(u) = &mut def.kind {
                u.variants = keep;
            }
            def.notes.push("lists itself among its members: that member adds nothing".to_owned());
        }
    }
}

/// Marks struct fields that must be boxed: those whose type contains the struct itself
/// without an indirection (`Vec`/`Map`/boxed union variants already are one). Structs are
/// taken in id order and a field boxed earlier is an indirection for the ones after.
pub fn box_cycles(types: &mut BTreeMap<TypeId, TypeDef>) {
    let ids: Vec<TypeId> = types.keys().cloned().collect();
    for id in ids {
        let Some(TypeKind::Struct(s)) = types.get(&id).map(|d| &d.kind) else { continue };
        let mut cyclic_fields = Vec::new();
        let mut stack: Vec<&str> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (i, field) in s.fields.iter().enumerate() {
            let TypeRef::Named(target) = &field.ty else { continue };
            // Depth-first search from the field's type back to the struct.
            stack.clear();
            seen.clear();
            stack.push(target);
            while let Some(next) = stack.pop() {
                if next == id {
                    cyclic_fields.push(i);
                    break;
                }
                if !seen.insert(next) {
                    continue;
                }
                match types.get(next).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => {
                        stack.extend(s.fields.iter().filter(|f| !f.boxed).filter_map(|f| match &f.ty {
                            TypeRef::Named(id) => Some(id.as_str()),
                            _ => None,
                        }))
                    }
                    Some(TypeKind::Alias(TypeRef::Named(id))) => stack.push(id),
                    _ => {}
                }
            }
        }
        // The search never expands the struct itself, so its own fields are boxed after.
        if let Some(TypeKind::Struct(s)) = types.get_mut(&id).map(|d| &mut d.kind) {
            for i in cyclic_fields {
                s.fields[i].boxed = true;
            }
        }
    }
}
