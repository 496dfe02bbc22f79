//! Applying the table: to a whole spec, or a part of it (one subtree) at a time.
//!
//! `load` reads a large spec a part at a time (each path item, each component schema) and
//! drops each part's JSON once it is converted, so the table is applied per part too: every
//! part records what its targets did ([`Part`]), and [`Wire::finish`] puts the parts
//! together, in the order the whole spec would have been walked, into the same [`Applied`]
//! (notes in table order). Applying to a whole spec is the case of one part, `#`.

use super::{Applied, Wire, ABSENT, ADDED, LEGACY};
use crate::error::{pointer, Error, Result};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The lists of the table, in the order they are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    Properties,
    Values,
    Absent,
    Keep,
}

/// One pointer of one entry, and where it lands in the part it points into.
#[derive(Debug, Clone)]
pub(crate) struct Target<'w> {
    /// The list, the entry in it and the pointer's place in the entry's `at`: the table order.
    pub slot: (Stage, usize, usize),
    /// As the table writes it.
    pub pointer: &'w str,
    /// The pointer below the part (serde_json's form; empty for the part itself).
    pub rest: &'w str,
}

/// What applying the table did to one part of a spec.
#[derive(Debug, Default)]
pub(crate) struct Part {
    /// The targets found in this part, each with its reasons to be a note, in order.
    found: Vec<((Stage, usize, usize), Vec<String>)>,
    legacy: Vec<(String, String, String)>,
    absent: BTreeSet<String>,
    values: BTreeSet<(String, String)>,
    added: BTreeSet<String>,
}

impl Wire {
    /// Applies the table to a spec's JSON. `strict` (the pinned spec): an entry that does not
    /// apply is an error; otherwise it is a note.
    pub fn apply(&self, spec: &mut Value, strict: bool) -> Result<Applied> {
        let targets: Vec<Target<'_>> = self
            .targets()
            .map(|(slot, pointer)| Target { slot, pointer, rest: pointer.strip_prefix('#').unwrap_or(pointer) })
            .collect();
        let part = self.apply_part(spec, "#", &targets, true);
        self.finish(vec![part], strict)
    }

    /// Every pointer of the table, in table order.
    pub(crate) fn targets(&self) -> impl Iterator<Item = ((Stage, usize, usize), &str)> {
        let lists = [
            (Stage::Properties, self.properties.iter().map(|e| &e.at).collect::<Vec<_>>()),
            (Stage::Values, self.values.iter().map(|e| &e.at).collect()),
            (Stage::Absent, self.absent.iter().map(|e| &e.at).collect()),
            (Stage::Keep, self.vocabulary.keep.iter().map(|e| &e.at).collect()),
        ];
        lists.into_iter().flat_map(|(stage, entries)| {
            entries.into_iter().enumerate().flat_map(move |(entry, at)| {
                at.list().into_iter().enumerate().map(move |(index, p)| ((stage, entry, index), p))
            })
        })
    }

    /// Applies the targets that point into `value`, the part of a spec at pointer `at` (in
    /// table order), then derives legacy spellings in it unless `walk` is false (a part
    /// the walk of the whole spec does not enter: an example or an extension).
    pub(crate) fn apply_part(&self, value: &mut Value, at: &str, targets: &[Target<'_>], walk: bool) -> Part {
        let mut part = Part::default();
        let mut keep: BTreeSet<String> = BTreeSet::new();
        // Which of an entry's pointers resolve is decided before any of them is applied.
        for entry in targets.chunk_by(|a, b| (a.slot.0, a.slot.1) == (b.slot.0, b.slot.1)) {
            let found: Vec<&Target<'_>> = entry.iter().filter(|t| value.pointer(t.rest).is_some()).collect();
            for target in found {
                let reasons = self.apply_target(value, target, &mut part);
                if target.slot.0 == Stage::Keep {
                    keep.insert(target.pointer.to_owned());
                }
                part.found.push((target.slot, reasons));
            }
        }
        if walk {
            let legacy = &mut part.legacy;
            walk_objects(value, &mut at.to_owned(), &mut |object, at| {
                let Some(properties) = object.get("properties").and_then(Value::as_object) else { return };
                let mut pairs = Map::new();
                for name in properties.keys() {
                    let Some(spelling) = self.legacy_name(name) else { continue };
                    let here = pointer::push(&pointer::push(at, "properties"), name);
                    // Both spellings declared: two properties, no alias.
                    if keep.contains(&here) || properties.contains_key(&spelling) {
                        continue;
                    }
                    legacy.push((at.to_owned(), name.clone(), spelling.clone()));
                    pairs.insert(name.clone(), Value::String(spelling));
                }
                if !pairs.is_empty() {
                    object.insert(LEGACY.to_owned(), Value::Object(pairs));
                }
            });
        }
        part
    }

    /// Applies one target that resolves in `value`; returns why it did not apply (or not
    /// all of it), one note each.
    fn apply_target(&self, value: &mut Value, target: &Target<'_>, part: &mut Part) -> Vec<String> {
        let (stage, entry, _) = target.slot;
        match stage {
            Stage::Properties => {
                let entry = &self.properties[entry];
                // openapiv3 ignores everything beside a `$ref`: a property added there would be lost.
                let object = value
                    .pointer_mut(target.rest)
                    .and_then(Value::as_object_mut)
                    .filter(|o| !o.contains_key("$ref") && o.get("properties").is_none_or(Value::is_object));
                let Some(object) = object else {
                    return vec!["is not an object schema a property can be added to".into()];
                };
                let properties = object.entry("properties").or_insert_with(|| Value::Object(Map::new()));
                let Some(properties) = properties.as_object_mut() else { return Vec::new() };
                if properties.contains_key(&entry.name) {
                    return vec![format!("the spec lists `{}` now", entry.name)];
                }
                let mut schema = entry.schema.clone();
                if let Some(s) = schema.as_object_mut() {
                    s.insert(ADDED.to_owned(), Value::String(entry.why.clone()));
                }
                properties.insert(entry.name.clone(), schema);
                part.added.insert(pointer::push(&pointer::push(target.pointer, "properties"), &entry.name));
                Vec::new()
            }
            Stage::Values => {
                let entry = &self.values[entry];
                let list = value.pointer_mut(target.rest).and_then(|s| s.get_mut("enum")).and_then(Value::as_array_mut);
                let Some(list) = list else { return vec!["is not a schema with `enum`".into()] };
                let mut reasons = Vec::new();
                for v in &entry.values {
                    if list.iter().any(|x| x.as_str() == Some(v)) {
                        reasons.push(format!("the spec lists `{v}` now"));
                        continue;
                    }
                    list.push(Value::String(v.clone()));
                    part.values.insert((target.pointer.to_owned(), v.clone()));
                }
                reasons
            }
            Stage::Absent => {
                let Some((object, name)) = property_parent(target.pointer) else {
                    return vec!["is not a property (`…/properties/NAME`)".into()];
                };
                // The object's pointer below the part: `rest` without the same `/properties/NAME`.
                let below = target.rest.strip_suffix(&target.pointer[object.len()..]);
                let Some(object) = below.and_then(|p| value.pointer_mut(p)).and_then(Value::as_object_mut) else {
                    return Vec::new();
                };
                let required = object.get("required").and_then(Value::as_array);
                if !required.is_some_and(|r| r.iter().any(|v| v.as_str() == Some(&name))) {
                    return vec!["the spec no longer requires it".into()];
                }
                let absent = object.entry(ABSENT).or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = absent.as_array_mut() {
                    list.push(Value::String(name));
                }
                part.absent.insert(target.pointer.to_owned());
                Vec::new()
            }
            Stage::Keep => match property_parent(target.pointer).and_then(|(_, name)| self.legacy_name(&name)) {
                None => vec!["has no word the vocabulary renames".into()],
                Some(_) => Vec::new(),
            },
        }
    }

    /// What the table did to a spec, from its parts in the order a walk of the whole spec
    /// meets them; each target that did not apply and each entry that matches nothing is a
    /// note (with `strict`, an error), in table order.
    pub(crate) fn finish(&self, parts: Vec<Part>, strict: bool) -> Result<Applied> {
        let mut applied = Applied::default();
        let mut found = BTreeMap::new();
        for part in parts {
            applied.legacy.extend(part.legacy);
            applied.absent.extend(part.absent);
            applied.values.extend(part.values);
            applied.added.extend(part.added);
            found.extend(part.found);
        }
        let derives_nothing = applied.legacy.is_empty();
        let mut stale = |at: &str, why: &str| -> Result<()> {
            let text = format!("entry `{at}`: {why} (update or remove it)");
            if strict {
                return Err(Error::at(self.at(at), text));
            }
            applied.notes.push(format!("{}: {text}", self.at(at)));
            Ok(())
        };
        let entries = self
            .properties
            .iter()
            .map(|e| (Stage::Properties, &e.at))
            .chain(self.values.iter().map(|e| (Stage::Values, &e.at)))
            .chain(self.absent.iter().map(|e| (Stage::Absent, &e.at)))
            .chain(self.vocabulary.keep.iter().map(|e| (Stage::Keep, &e.at)));
        let mut counts: BTreeMap<Stage, usize> = BTreeMap::new();
        for (stage, at) in entries {
            let count = counts.entry(stage).or_default();
            let entry = *count;
            *count += 1;
            let list = at.list();
            let hits: Vec<_> = found.range((stage, entry, 0)..=(stage, entry, usize::MAX)).collect();
            if hits.is_empty() {
                stale(list.first().copied().unwrap_or_default(), "matches nothing in this spec")?;
            }
            for ((_, _, index), reasons) in hits {
                for why in reasons {
                    stale(list.get(*index).copied().unwrap_or_default(), why)?;
                }
            }
        }
        if derives_nothing {
            stale("vocabulary", "derives no legacy spelling in this spec")?;
        }
        Ok(applied)
    }
}

/// `#/a/properties/b` → (`#/a`, `b`).
fn property_parent(at: &str) -> Option<(&str, String)> {
    let (rest, name) = at.rsplit_once('/')?;
    let object = rest.strip_suffix("/properties")?;
    Some((object, pointer::unescape(name)))
}

/// Calls `f` on every JSON object of the spec that can be a schema, with its pointer; skips
/// examples and extensions, whose objects are data. Recursion is bounded: serde_json and
/// serde_yaml refuse documents nested deeper than 128 levels. `at` is one buffer for the
/// whole walk (a pointer per node was a good part of its time), restored on return.
fn walk_objects(value: &mut Value, at: &mut String, f: &mut impl FnMut(&mut Map<String, Value>, &str)) {
    let len = at.len();
    match value {
        Value::Object(map) => {
            f(map, at);
            for (key, child) in map.iter_mut() {
                if (child.is_object() || child.is_array()) && walks_into(key) {
                    pointer::append(at, key);
                    walk_objects(child, at, f);
                    at.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                if child.is_object() || child.is_array() {
                    use std::fmt::Write;
                    let _ = write!(at, "/{i}");
                    walk_objects(child, at, f);
                    at.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// Whether the walk enters an object's member: not examples or extensions, which are data.
pub(crate) fn walks_into(key: &str) -> bool {
    key != "example" && key != "examples" && !key.starts_with("x-")
}
