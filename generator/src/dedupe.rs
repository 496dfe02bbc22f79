//! Structurally identical types become aliases of one canonical type.
//!
//! X's spec repeats shapes: 22 `…ResponseMeta` objects with the same three fields, entity
//! items under posts, users and DMs, and so on. Each generated struct costs compile time, so
//! a struct (or string enum) identical to another — same properties, types, optionality,
//! constraints — is emitted as `pub type Dup = Canonical;`. Names stay as the spec has them.
//! The canonical one is the smallest id, so component schemas win over inline ones.

use crate::ir::{Struct, TypeDef, TypeId, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub fn alias_duplicates(types: &mut BTreeMap<TypeId, TypeDef>) {
    // canonical[id] = the id that stands for id's shape; starts as the identity.
    let mut canonical: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    loop {
        let mut first_by_key: BTreeMap<String, TypeId> = BTreeMap::new();
        let mut merged = Vec::new();
        for (id, def) in types.iter() {
            let key = match &def.kind {
                TypeKind::Struct(s) => format!("{:?}S{}", def.module, struct_key(s, &canonical)),
                TypeKind::StringEnum(values) => format!("{:?}E{values:?}", def.module),
                _ => continue,
            };
            match first_by_key.get(&key) {
                Some(first) => merged.push((id.clone(), first.clone())),
                None => {
                    first_by_key.insert(key, id.clone());
                }
            }
        }
        if merged.is_empty() {
            break;
        }
        for (dup, first) in merged {
            let name = types.get(&first).map(|t| t.name.clone()).unwrap_or_default();
            if let Some(def) = types.get_mut(&dup) {
                def.kind = TypeKind::Alias(TypeRef::Named(first.clone()));
                def.notes.push(format!("same shape as [`{name}`]"));
            }
            canonical.insert(dup, first);
        }
    }
}

fn canon(ty: &TypeRef, canonical: &BTreeMap<TypeId, TypeId>) -> TypeRef {
    match ty {
        TypeRef::Named(id) => {
            let mut id = id;
            while let Some(next) = canonical.get(id) {
                id = next;
            }
            TypeRef::Named(id.clone())
        }
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(canon(inner, canonical))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(canon(inner, canonical))),
        other => other.clone(),
    }
}

fn struct_key(s: &Struct, canonical: &BTreeMap<TypeId, TypeId>) -> String {
    let mut key = String::new();
    for f in &s.fields {
        // Everything the emitted struct and its docs say: two types that read a legacy
        // spelling differently, or document the spec differently, are not the same type.
        key.push_str(&format!(
            "[{}|{}|{:?}|{}|{}|{:?}|{:?}|{}|{}|{}]",
            f.wire,
            f.ident,
            canon(&f.ty, canonical),
            f.optional,
            f.boxed,
            f.constraints,
            f.legacy,
            f.required,
            f.absent,
            f.added
        ));
    }
    if let Some(a) = &s.additional {
        key.push_str(&format!("+{:?}", canon(a, canonical)));
    }
    key
}
