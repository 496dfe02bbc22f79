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

use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::Value;
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
        // Asked of every property of the spec, and most rename nothing: check before building.
        let renames = |w: &str| self.vocabulary.words.get(w).is_some_and(|l| l != w);
        if !name.split('_').any(renames) {
            return None;
        }
        let words: Vec<&str> = name.split('_').collect();
        let renamed: Vec<&str> =
            words.iter().map(|w| self.vocabulary.words.get(*w).map_or(*w, String::as_str)).collect();
        (renamed != words).then(|| renamed.join("_"))
    }
}

mod apply;
pub(crate) use apply::{walks_into, Part, Target};

#[cfg(test)]
mod tests;
