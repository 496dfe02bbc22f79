//! `spec/wire.yaml`: what X sends or accepts that its spec does not say. Applied to the spec's
//! JSON when it is loaded, before the IR, so the models, the request checks, the digest and the
//! diff all see the wire. Every entry names its evidence. An entry the spec no longer needs is
//! an error on the pinned spec (the table must not rot) and a note on any other spec.
//!
//! What applying leaves in the spec, for the collector to read:
//! - `x-xapi-legacy: {current: legacy}` on an object schema: the legacy spelling X also sends;
//! - `x-xapi-absent: [name, …]` on an object schema: required by the spec, omitted by X;
//! - `x-xapi-wire: why` on a property schema the table added;
//! - enum values appended where the table says X accepts or sends more.

use crate::error::{pointer, Error, Result};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The file name under `spec/`.
pub const FILE: &str = "wire.yaml";
/// Extension on object schemas: current property name → the legacy spelling X also sends.
pub const LEGACY: &str = "x-xapi-legacy";
/// Extension on object schemas: properties the spec requires and X omits.
pub const ABSENT: &str = "x-xapi-absent";
/// Extension on a property schema added from the table: why it is there.
pub const ADDED: &str = "x-xapi-wire";

/// One pointer, or several (the same fact where different spec versions put it).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Targets {
    /// A single JSON pointer.
    One(String),
    /// A list of JSON pointers.
    Many(Vec<String>),
}

impl Targets {
    /// The pointers, in the order written.
    pub fn list(&self) -> Vec<&str> {
        match self {
            Self::One(p) => vec![p.as_str()],
            Self::Many(ps) => ps.iter().map(String::as_str).collect(),
        }
    }
}

/// The rule that derives legacy spellings: whole `_`-separated words of a property name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// Current word → legacy word (`post` → `tweet`).
    pub words: BTreeMap<String, String>,
    /// Where the renaming is seen (recorded responses, issues, docs); never empty.
    pub evidence: Vec<String>,
    /// Properties whose current spelling is not a rename: no legacy spelling is derived.
    #[serde(default)]
    pub keep: Vec<Keep>,
}

/// A property spelled with a vocabulary word that is not a rename (no legacy spelling).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keep {
    /// The property schema(s).
    pub at: Targets,
    /// Why its spelling is not a rename.
    pub why: String,
    /// Where that is seen; never empty.
    pub evidence: Vec<String>,
}

/// A property the spec requires that X omits.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absent {
    /// The property schema(s).
    pub at: Targets,
    /// When and why X leaves it out.
    pub why: String,
    /// Where that is seen; never empty.
    pub evidence: Vec<String>,
}

/// Enum values X sends or accepts beyond the spec's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Values {
    /// The enum schema(s) the values are appended to.
    pub at: Targets,
    /// The values to append.
    pub values: Vec<String>,
    /// Why X sends or accepts them.
    pub why: String,
    /// Where that is seen; never empty.
    pub evidence: Vec<String>,
}

/// A property X sends that the spec lacks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Added {
    /// The object schema it belongs to.
    pub at: Targets,
    /// The property name as X sends it.
    pub name: String,
    /// Its schema (ours, in JSON Schema terms).
    pub schema: Value,
    /// When X sends it.
    pub why: String,
    /// Where that is seen; never empty.
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    vocabulary: Vocabulary,
    #[serde(default)]
    absent: Vec<Absent>,
    #[serde(default)]
    values: Vec<Values>,
    #[serde(default)]
    properties: Vec<Added>,
}

/// The parsed table.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire {
    /// The rule legacy spellings are derived by.
    pub vocabulary: Vocabulary,
    /// Required properties X omits.
    pub absent: Vec<Absent>,
    /// Enum values beyond the spec's.
    pub values: Vec<Values>,
    /// Properties the spec lacks.
    pub properties: Vec<Added>,
    path: String,
    text: String,
}

/// What applying the table did to one spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// (object schema pointer, current name, legacy name), in walk order.
    pub legacy: Vec<(String, String, String)>,
    /// Property pointers the spec requires and X omits.
    pub absent: BTreeSet<String>,
    /// (enum schema pointer, value) pairs added.
    pub values: BTreeSet<(String, String)>,
    /// Property pointers added.
    pub added: BTreeSet<String>,
    /// Entries that did not apply to this spec (errors on the pinned spec).
    pub notes: Vec<String>,
}

impl Applied {
    /// One line for regen's output.
    pub fn summary(&self) -> String {
        format!(
            "spec/wire.yaml: {} legacy spellings derived, {} required properties X omits, {} enum values and {} properties added",
            self.legacy.len(),
            self.absent.len(),
            self.values.len(),
            self.added.len()
        )
    }
}

fn check_evidence(evidence: &[String]) -> bool {
    !evidence.is_empty() && evidence.iter().all(|e| !e.trim().is_empty())
}

impl Wire {
    /// Parses and validates the table; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<Self> {
        let file: File = crate::error::from_yaml(path, text)?;
        let wire = Self {
            vocabulary: file.vocabulary,
            absent: file.absent,
            values: file.values,
            properties: file.properties,
            path: path.to_owned(),
            text: text.to_owned(),
        };
        wire.validate()?;
        Ok(wire)
    }

    /// Reads the table from a file.
    pub fn read(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::at(path.display().to_string(), e.to_string()))?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// `path:line` of the line that states `needle`: a quoted pointer (`"#/…"`), else a key
    /// (`word:`); line 1 when no line does. Comments never count.
    fn at(&self, needle: &str) -> String {
        let quoted = format!("\"{needle}\"");
        let key = format!("{needle}:");
        let line = self
            .text
            .lines()
            .position(|l| !l.trim_start().starts_with('#') && l.contains(&quoted))
            .or_else(|| self.text.lines().position(|l| l.trim_start().starts_with(&key)))
            .map_or(1, |i| i + 1);
        format!("{}:{line}", self.path)
    }

    fn validate(&self) -> Result<()> {
        let v = &self.vocabulary;
        if v.words.is_empty() || !check_evidence(&v.evidence) {
            return Err(Error::at(self.at("vocabulary"), "vocabulary needs words and evidence"));
        }
        for (word, legacy) in &v.words {
            let ok = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if !ok(word) || !ok(legacy) || word == legacy {
                return Err(Error::at(self.at(word), format!("`{word}: {legacy}` is not a pair of lowercase words")));
            }
        }
        let mut entries: Vec<(&Targets, &str, &[String])> = Vec::new();
        entries.extend(v.keep.iter().map(|k| (&k.at, k.why.as_str(), k.evidence.as_slice())));
        entries.extend(self.absent.iter().map(|a| (&a.at, a.why.as_str(), a.evidence.as_slice())));
        entries.extend(self.values.iter().map(|a| (&a.at, a.why.as_str(), a.evidence.as_slice())));
        entries.extend(self.properties.iter().map(|a| (&a.at, a.why.as_str(), a.evidence.as_slice())));
        for (targets, why, evidence) in entries {
            let list = targets.list();
            let first = list.first().copied().unwrap_or_default();
            if list.is_empty() || list.iter().any(|p| !p.starts_with("#/")) {
                return Err(Error::at(self.at(first), "`at` must be one or more JSON pointers (`#/…`)"));
            }
            if why.trim().is_empty() || !check_evidence(evidence) {
                return Err(Error::at(self.at(first), format!("`{first}`: every entry needs `why` and `evidence`")));
            }
        }
        for v in &self.values {
            if v.values.is_empty() {
                return Err(Error::at(self.at(v.at.list()[0]), "`values` is empty"));
            }
        }
        for p in &self.properties {
            if !p.schema.is_object() || p.name.is_empty() {
                return Err(Error::at(self.at(p.at.list()[0]), "a property needs a `name` and a `schema` mapping"));
            }
        }
        Ok(())
    }

    /// The legacy spelling of a property name, if the words rule renames any of its words.
    pub fn legacy_name(&self, name: &str) -> Option<String> {
        let words: Vec<&str> = name.split('_').collect();
        let renamed: Vec<&str> =
            words.iter().map(|w| self.vocabulary.words.get(*w).map_or(*w, String::as_str)).collect();
        (renamed != words).then(|| renamed.join("_"))
    }

    /// Applies the table to a spec's JSON. `strict` (the pinned spec): an entry that does not
    /// apply is an error; otherwise it is a note.
    pub fn apply(&self, spec: &mut Value, strict: bool) -> Result<Applied> {
        let mut applied = Applied::default();
        let stale = |applied: &mut Applied, at: &str, pointer: &str, why: String| -> Result<()> {
            let text = format!("entry `{pointer}`: {why} (update or remove it)");
            if strict {
                return Err(Error::at(self.at(at), text));
            }
            applied.notes.push(format!("{}: {text}", self.at(at)));
            Ok(())
        };

        for entry in &self.properties {
            let found = resolving(spec, &entry.at);
            if found.is_empty() {
                stale(&mut applied, entry.at.list()[0], entry.at.list()[0], "matches nothing in this spec".into())?;
            }
            for target in found {
                // openapiv3 ignores everything beside a `$ref`: a property added there would be lost.
                let object = spec
                    .pointer_mut(&target[1..])
                    .and_then(Value::as_object_mut)
                    .filter(|o| !o.contains_key("$ref") && o.get("properties").is_none_or(Value::is_object));
                let Some(object) = object else {
                    stale(&mut applied, &target, &target, "is not an object schema a property can be added to".into())?;
                    continue;
                };
                let properties = object.entry("properties").or_insert_with(|| Value::Object(Map::new()));
                let Some(properties) = properties.as_object_mut() else { continue };
                if properties.contains_key(&entry.name) {
                    stale(&mut applied, &target, &target, format!("the spec lists `{}` now", entry.name))?;
                    continue;
                }
                let mut schema = entry.schema.clone();
                if let Some(s) = schema.as_object_mut() {
                    s.insert(ADDED.to_owned(), Value::String(entry.why.clone()));
                }
                properties.insert(entry.name.clone(), schema);
                applied.added.insert(pointer::push(&pointer::push(&target, "properties"), &entry.name));
            }
        }

        for entry in &self.values {
            let found = resolving(spec, &entry.at);
            if found.is_empty() {
                stale(&mut applied, entry.at.list()[0], entry.at.list()[0], "matches nothing in this spec".into())?;
            }
            for target in found {
                let Some(list) =
                    spec.pointer_mut(&target[1..]).and_then(|s| s.get_mut("enum")).and_then(Value::as_array_mut)
                else {
                    stale(&mut applied, &target, &target, "is not a schema with `enum`".into())?;
                    continue;
                };
                for value in &entry.values {
                    if list.iter().any(|v| v.as_str() == Some(value)) {
                        stale(&mut applied, &target, &target, format!("the spec lists `{value}` now"))?;
                        continue;
                    }
                    list.push(Value::String(value.clone()));
                    applied.values.insert((target.clone(), value.clone()));
                }
            }
        }

        for entry in &self.absent {
            let found = resolving(spec, &entry.at);
            if found.is_empty() {
                stale(&mut applied, entry.at.list()[0], entry.at.list()[0], "matches nothing in this spec".into())?;
            }
            for target in found {
                let Some((object, name)) = property_parent(&target) else {
                    stale(&mut applied, &target, &target, "is not a property (`…/properties/NAME`)".into())?;
                    continue;
                };
                let Some(object) = spec.pointer_mut(&object[1..]).and_then(Value::as_object_mut) else { continue };
                let required = object.get("required").and_then(Value::as_array);
                if !required.is_some_and(|r| r.iter().any(|v| v.as_str() == Some(&name))) {
                    stale(&mut applied, &target, &target, "the spec no longer requires it".into())?;
                    continue;
                }
                let absent = object.entry(ABSENT).or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = absent.as_array_mut() {
                    list.push(Value::String(name));
                }
                applied.absent.insert(target);
            }
        }

        let mut keep: BTreeSet<String> = BTreeSet::new();
        for entry in &self.vocabulary.keep {
            let found = resolving(spec, &entry.at);
            if found.is_empty() {
                stale(&mut applied, entry.at.list()[0], entry.at.list()[0], "matches nothing in this spec".into())?;
            }
            for target in found {
                let renamed = property_parent(&target).and_then(|(_, name)| self.legacy_name(&name));
                if renamed.is_none() {
                    stale(&mut applied, &target, &target, "has no word the vocabulary renames".into())?;
                }
                keep.insert(target);
            }
        }
        walk_objects(spec, "#", &mut |object, at| {
            let Some(properties) = object.get("properties").and_then(Value::as_object) else { return };
            let mut pairs = Map::new();
            for name in properties.keys() {
                let Some(legacy) = self.legacy_name(name) else { continue };
                let here = pointer::push(&pointer::push(at, "properties"), name);
                // Both spellings declared: two properties, no alias.
                if keep.contains(&here) || properties.contains_key(&legacy) {
                    continue;
                }
                applied.legacy.push((at.to_owned(), name.clone(), legacy.clone()));
                pairs.insert(name.clone(), Value::String(legacy));
            }
            if !pairs.is_empty() {
                object.insert(LEGACY.to_owned(), Value::Object(pairs));
            }
        });
        if applied.legacy.is_empty() {
            stale(&mut applied, "vocabulary", "vocabulary", "derives no legacy spelling in this spec".into())?;
        }
        Ok(applied)
    }
}

/// The entry's pointers that resolve in this spec.
fn resolving(spec: &Value, targets: &Targets) -> Vec<String> {
    targets.list().into_iter().filter(|p| spec.pointer(&p[1..]).is_some()).map(str::to_owned).collect()
}

/// `#/a/properties/b` → (`#/a`, `b`).
fn property_parent(at: &str) -> Option<(String, String)> {
    let (rest, name) = at.rsplit_once('/')?;
    let object = rest.strip_suffix("/properties")?;
    Some((object.to_owned(), pointer::unescape(name)))
}

/// Calls `f` on every JSON object of the spec that can be a schema, with its pointer; skips
/// examples and extensions, whose objects are data. Recursion is bounded: serde_json and
/// serde_yaml refuse documents nested deeper than 128 levels.
fn walk_objects(value: &mut Value, at: &str, f: &mut impl FnMut(&mut Map<String, Value>, &str)) {
    match value {
        Value::Object(map) => {
            f(map, at);
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" && !key.starts_with("x-") {
                    walk_objects(child, &pointer::push(at, key), f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_objects(child, &pointer::push(at, &i.to_string()), f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
