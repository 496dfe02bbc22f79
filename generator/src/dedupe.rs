//! Structurally identical types become aliases of one canonical type.
//!
//! X's spec repeats shapes: 22 `…ResponseMeta` objects with the same three fields, entity
//! items under posts, users and DMs, and so on. Each generated struct costs compile time, so
//! a struct (or string enum) identical to another — same properties, types, optionality,
//! constraints — is emitted as `pub type Dup = Canonical;`. Names stay as the spec has them.
//! The canonical one is the smallest id, so component schemas win over inline ones.
//!
//! Merging runs in passes until none merges anything: a pass compares types with the
//! merges of the passes before it applied to the types they name, so two structs whose
//! fields only differ by duplicates merge one pass after those did. A type's key is split
//! into what never changes (interned once, as a number) and the ids it names (looked up
//! again each pass), so a pass costs a hash per type rather than a printed key.

use crate::ir::{Constraints, Module, TypeDef, TypeId, TypeKind, TypeRef};
use std::collections::{BTreeMap, HashMap};

/// A constraint set as a key: floats by their bits (distinct values never compare equal,
/// as their printed forms would not).
type ConstraintsKey<'t> = (Option<&'t str>, Option<&'t str>, [Option<u64>; 6], bool);

/// Everything a field's key says except its type.
type FieldKey<'t> = (&'t str, &'t str, [bool; 5], ConstraintsKey<'t>, Option<&'t str>);

/// What a type's key says except the ids it names; equal shapes with equal (canonical) ids
/// are the same type. A struct's field types (then `additionalProperties`, after a 9) are one
/// string of [`ref_shape`] codes, which no code is a prefix of another.
#[derive(PartialEq, Eq, Hash)]
enum Shape<'t> {
    Struct(Module, Vec<FieldKey<'t>>, Vec<u8>),
    Enum(Module, Vec<(&'t str, &'t str)>),
}

/// FxHash (rustc's): the keys are trusted and short, and SipHash was most of a pass.
#[derive(Default)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Aliases every struct and string enum to the first (smallest id) one of the same shape.
pub fn alias_duplicates(types: &mut BTreeMap<TypeId, TypeDef>) {
    let merges = find_merges(types);
    for (dup, first) in merges {
        let name = types.get(&first).map(|t| t.name.clone()).unwrap_or_default();
        if let Some(def) = types.get_mut(&dup) {
            def.kind = TypeKind::Alias(TypeRef::Named(first.clone()));
            def.notes.push(format!("same shape as [`{name}`]"));
        }
    }
}

/// (duplicate, the type it is an alias of), in the order the passes find them.
fn find_merges(types: &BTreeMap<TypeId, TypeDef>) -> Vec<(TypeId, TypeId)> {
    let capacity = types.len() + types.len() / 2;
    let mut ids =
        Ids { index: FxMap::with_capacity_and_hasher(capacity, Default::default()), ids: Vec::with_capacity(capacity) };
    for id in types.keys() {
        ids.number(id);
    }
    // (type, shape class, ids named in key order) for every struct and string enum.
    let mut classes: FxMap<Shape<'_>, u32> = FxMap::with_capacity_and_hasher(types.len(), Default::default());
    let mut live: Vec<(u32, u32, Vec<u32>)> = Vec::new();
    for (i, def) in types.values().enumerate() {
        let mut named = Vec::new();
        let shape = match &def.kind {
            TypeKind::Struct(s) => {
                let mut shapes = Vec::with_capacity(s.fields.len() + 2);
                let fields = s
                    .fields
                    .iter()
                    .map(|f| {
                        let flags = [f.optional, f.boxed, f.required, f.absent, f.added];
                        ref_shape(&f.ty, &mut shapes, &mut named, &mut ids);
                        (f.wire.as_str(), f.ident.as_str(), flags, constraints_key(&f.constraints), f.legacy.as_deref())
                    })
                    .collect();
                if let Some(a) = &s.additional {
                    shapes.push(9);
                    ref_shape(a, &mut shapes, &mut named, &mut ids);
                }
                Shape::Struct(def.module, fields, shapes)
            }
            TypeKind::StringEnum(values) => {
                Shape::Enum(def.module, values.iter().map(|v| (v.ident.as_str(), v.wire.as_str())).collect())
            }
            _ => continue,
        };
        let next = classes.len() as u32;
        let class = *classes.entry(shape).or_insert(next);
        live.push((i as u32, class, named));
    }
    let ids = ids.ids;

    // canonical[id] = the type id was made an alias of (itself while it is not one); chains
    // only lead to smaller ids, so they end.
    let mut canonical: Vec<u32> = (0..ids.len() as u32).collect();
    let root = |canonical: &[u32], mut id: u32| {
        while canonical[id as usize] != id {
            id = canonical[id as usize];
        }
        id
    };
    let mut merges = Vec::new();
    let mut keys: Vec<u32> = Vec::new();
    loop {
        keys.clear();
        for (_, _, named) in &live {
            keys.extend(named.iter().map(|&id| root(&canonical, id)));
        }
        let mut first_by_key: FxMap<(u32, &[u32]), u32> =
            FxMap::with_capacity_and_hasher(live.len(), Default::default());
        let mut merged = Vec::new();
        let mut at = 0;
        for (id, class, named) in &live {
            let key = (*class, &keys[at..at + named.len()]);
            at += named.len();
            match first_by_key.get(&key) {
                Some(&first) => merged.push((*id, first)),
                None => {
                    first_by_key.insert(key, *id);
                }
            }
        }
        if merged.is_empty() {
            break;
        }
        for &(dup, first) in &merged {
            canonical[dup as usize] = first;
            merges.push((ids[dup as usize].to_owned(), ids[first as usize].to_owned()));
        }
        live.retain(|(id, _, _)| canonical[*id as usize] == *id);
    }
    merges
}

/// Ids as numbers: the types in id order, then ids named but not defined.
struct Ids<'t> {
    index: FxMap<&'t str, u32>,
    ids: Vec<&'t str>,
}

impl<'t> Ids<'t> {
    fn number(&mut self, id: &'t str) -> u32 {
        *self.index.entry(id).or_insert_with(|| {
            self.ids.push(id);
            (self.ids.len() - 1) as u32
        })
    }
}

/// A use of a type with the ids it names taken out (pushed to `named`, in order), as codes
/// pushed to `shape`: 7 and 8 for `Vec` and `Map` before their item, 0 to 6 for the rest.
fn ref_shape<'t>(ty: &'t TypeRef, shape: &mut Vec<u8>, named: &mut Vec<u32>, ids: &mut Ids<'t>) {
    let mut ty = ty;
    loop {
        let (tag, inner) = match ty {
            TypeRef::String => (0, None),
            TypeRef::Integer => (1, None),
            TypeRef::Number => (2, None),
            TypeRef::Boolean => (3, None),
            TypeRef::Json => (4, None),
            TypeRef::Bytes => (5, None),
            TypeRef::Named(id) => {
                named.push(ids.number(id));
                (6, None)
            }
            TypeRef::Vec(inner) => (7, Some(inner)),
            TypeRef::Map(inner) => (8, Some(inner)),
        };
        shape.push(tag);
        match inner {
            Some(inner) => ty = inner,
            None => return,
        }
    }
}

fn constraints_key(c: &Constraints) -> ConstraintsKey<'_> {
    let numbers = [
        c.min_length,
        c.max_length,
        c.minimum.map(f64::to_bits),
        c.maximum.map(f64::to_bits),
        c.min_items,
        c.max_items,
    ];
    (c.format.as_deref(), c.pattern.as_deref(), numbers, c.unique_items)
}
