//! `spec/errors/endpoint_rules.yaml`: which error variants each operation can return, derived
//! from the traits the spec states (security, parameters, body, streaming, method, tags, path).

use crate::error::{Error, Result};
use crate::ir::{AuthKind, Operation, ParamLocation};
use crate::tables::Tables;
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

pub use xapi_core::vocabulary::TooManyRequests;

/// What a variant carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    /// The typed problem (and the response).
    Problem,
    /// The 429 kind, rate limits and retry advice (and the response).
    Throttle,
    /// The operation's OAuth 2.0 scopes (and the response).
    Scopes,
    /// The response as received.
    Response,
}

/// One error variant under `variants:`: what selects it in a response and what it carries.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantDef {
    /// What the error means, for the variant's doc comment.
    pub meaning: String,
    /// Problem slugs that select it (each in `problems.yaml`); tried before anything else.
    #[serde(default)]
    pub problems: Vec<String>,
    /// Statuses that select it when the body names no problem the operation knows.
    #[serde(default)]
    pub statuses: Vec<u16>,
    /// 429 kinds that select it.
    #[serde(default)]
    pub too_many: Vec<TooManyRequests>,
    /// What the variant carries.
    pub payload: Payload,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Auth {
    UserOnly,
    AppOnly,
    Mixed,
    None,
    Authenticated,
    /// Accepts a user-context token (user-only or mixed).
    UserContext,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct When {
    auth: Option<Auth>,
    scopes: Option<bool>,
    path_params: Option<bool>,
    query_params: Option<bool>,
    body: Option<bool>,
    streaming: Option<bool>,
    method: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    path_prefix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    name: String,
    when: When,
    add: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    #[serde(default)]
    add: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    variants: IndexMap<String, VariantDef>,
    rules: Vec<Rule>,
    #[serde(default)]
    overrides: BTreeMap<String, Override>,
    #[serde(default)]
    sets: IndexMap<String, Vec<String>>,
    #[serde(default)]
    idempotent: BTreeMap<String, Idempotent>,
}

/// A POST that is safe to send again, and why we believe so.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Idempotent {
    why: String,
    evidence: Vec<String>,
}

/// The parsed rules.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRules {
    /// In file order, which is matching order.
    pub variants: IndexMap<String, VariantDef>,
    rules: Vec<Rule>,
    overrides: BTreeMap<String, Override>,
    /// Error enum names, by the variants they hold beyond every operation's.
    sets: Vec<(String, BTreeSet<String>)>,
    /// POSTs that are safe to repeat, by operation id.
    idempotent: BTreeMap<String, Idempotent>,
    file: String,
    text: String,
}

/// The file name under `spec/errors/`.
pub const FILE: &str = "endpoint_rules.yaml";

impl EndpointRules {
    /// No variants and no rules: every operation gets only `Unhandled`.
    pub fn empty() -> Self {
        Self {
            variants: IndexMap::new(),
            rules: Vec::new(),
            overrides: BTreeMap::new(),
            sets: Vec::new(),
            idempotent: BTreeMap::new(),
            file: FILE.to_owned(),
            text: String::new(),
        }
    }

    /// Parses and validates the rules against the problem table.
    pub fn parse(path: &str, text: &str, tables: &Tables) -> Result<Self> {
        let file: File = crate::error::from_yaml(path, text)?;
        let rules = Self {
            variants: file.variants,
            rules: file.rules,
            overrides: file.overrides,
            sets: file.sets.into_iter().map(|(name, vs)| (name, vs.into_iter().collect())).collect(),
            idempotent: file.idempotent,
            file: path.to_owned(),
            text: text.to_owned(),
        };
        for (id, entry) in &rules.idempotent {
            if entry.why.trim().is_empty() || entry.evidence.is_empty() {
                return Err(
                    rules.error(&format!("  {id}:"), format!("idempotent `{id}` needs a `why` and its evidence"))
                );
            }
        }
        for (name, v) in &rules.variants {
            let ok =
                name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !ok || name == "Unhandled" || name == "Decode" {
                return Err(rules.error(
                    &format!("  {name}:"),
                    format!("variant `{name}` must be an UpperCamelCase name other than Unhandled and Decode"),
                ));
            }
            if let Some(slug) = v.problems.iter().find(|s| !tables.problems.contains_key(*s)) {
                return Err(rules.error(slug, format!("variant `{name}`: problem `{slug}` is not in problems.yaml")));
            }
            if v.problems.is_empty() && v.statuses.is_empty() && v.too_many.is_empty() {
                return Err(rules.error(&format!("  {name}:"), format!("variant `{name}` matches nothing")));
            }
            if v.payload == Payload::Problem && v.problems.is_empty() {
                return Err(
                    rules.error(&format!("  {name}:"), format!("variant `{name}`: a problem payload needs problems"))
                );
            }
        }
        let known = |n: &String| rules.variants.contains_key(n);
        for rule in &rules.rules {
            if let Some(n) = rule.add.iter().find(|n| !known(n)) {
                return Err(rules.error(
                    &format!("name: {}", rule.name),
                    format!("rule `{}` adds unknown variant `{n}`", rule.name),
                ));
            }
        }
        for (op, o) in &rules.overrides {
            if let Some(n) = o.add.iter().chain(&o.remove).find(|n| !known(n)) {
                return Err(rules.error(&format!("  {op}:"), format!("override `{op}` names unknown variant `{n}`")));
            }
        }
        for (i, (name, variants)) in rules.sets.iter().enumerate() {
            let ok = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
                && name.ends_with("Error");
            if !ok {
                return Err(rules.error(
                    &format!("  {name}:"),
                    format!("set `{name}` must be an UpperCamelCase name ending in Error"),
                ));
            }
            if let Some(n) = variants.iter().find(|n| !known(n)) {
                return Err(rules.error(&format!("  {name}:"), format!("set `{name}` names unknown variant `{n}`")));
            }
            if let Some((other, _)) = rules.sets[..i].iter().find(|(_, v)| v == variants) {
                return Err(
                    rules.error(&format!("  {name}:"), format!("sets `{other}` and `{name}` hold the same variants"))
                );
            }
        }
        Ok(rules)
    }

    /// The variants every operation gets: those of the rules without conditions.
    fn base(&self) -> BTreeSet<&str> {
        let every = self.rules.iter().filter(|r| r.when == When::default());
        every.flat_map(|r| r.add.iter().map(String::as_str)).collect()
    }

    /// The error enum name the table gives a variant set, if any.
    pub fn set_name(&self, variants: &[String]) -> Option<&str> {
        self.set_name_beyond(variants, &self.base())
    }

    /// [`EndpointRules::set_name`] with the base set already made (it is the same for every
    /// operation).
    fn set_name_beyond(&self, variants: &[String], base: &BTreeSet<&str>) -> Option<&str> {
        let beyond: BTreeSet<String> = variants.iter().filter(|v| !base.contains(v.as_str())).cloned().collect();
        self.sets.iter().find(|(_, s)| *s == beyond).map(|(name, _)| name.as_str())
    }

    /// Names each operation's error enum (`Operation::error_set`) after its variant set. A
    /// set the table does not name is named after its first operation, with a note (an error
    /// when `strict`: the table is written against the pinned spec).
    pub fn name_sets(&self, ops: &mut [Operation], strict: bool) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        let mut fallback: BTreeMap<Vec<String>, String> = BTreeMap::new();
        let base = self.base();
        for op in ops.iter_mut() {
            if let Some(name) = self.set_name_beyond(&op.errors, &base) {
                op.error_set = name.to_owned();
                continue;
            }
            if let Some(name) = fallback.get(&op.errors) {
                op.error_set = name.clone();
                continue;
            }
            let beyond: Vec<&str> = op.errors.iter().map(String::as_str).filter(|v| !base.contains(v)).collect();
            let message = format!(
                "no name for the error set of `{}` (and any operation with the same variants): add `  NameError: [{}]` under `sets:`",
                op.id,
                beyond.join(", ")
            );
            // Not one entry's fault: the error is at the file's first line.
            self.stale(strict, "", message, &mut notes)?;
            let name = format!("{}Error", crate::names::type_name(&op.id));
            fallback.insert(op.errors.clone(), name.clone());
            op.error_set = name;
        }
        Ok(notes)
    }

    /// An error at the first line that mentions `needle`.
    /// An entry that does not apply to this spec: an error at the first line holding
    /// `needle` on the pinned spec (`strict`), a note on any other.
    fn stale(&self, strict: bool, needle: &str, message: String, notes: &mut Vec<String>) -> Result<()> {
        if strict {
            return Err(self.error(needle, message));
        }
        notes.push(message);
        Ok(())
    }

    fn error(&self, needle: &str, reason: String) -> Error {
        let line = self.text.lines().position(|l| l.contains(needle)).map_or(1, |i| i + 1);
        Error::at(format!("{}:{line}", self.file), reason)
    }

    /// Marks the operations the `idempotent` table lists. With `strict`, an entry for an
    /// unknown operation, or for one whose method is idempotent already, is an error;
    /// otherwise it is a note.
    pub fn mark_idempotent(&self, ops: &mut [Operation], strict: bool) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        for id in self.idempotent.keys() {
            let message = match ops.iter_mut().find(|op| &op.id == id) {
                Some(op) if !op.idempotent => {
                    op.idempotent = true;
                    continue;
                }
                Some(op) => format!("idempotent `{id}`: {} is idempotent already (remove the entry)", op.method),
                None => format!("idempotent entry for unknown operation `{id}`"),
            };
            self.stale(strict, &format!("  {id}:"), message, &mut notes)?;
        }
        Ok(notes)
    }

    /// The variants each operation can return (in matching order), by operation id. With
    /// `strict`, a rule that matches no operation or an override for an unknown operation is
    /// an error; otherwise it is returned as a note.
    pub fn apply(&self, ops: &[Operation], strict: bool) -> Result<(ErrorsByOperation, Vec<String>)> {
        let mut notes = Vec::new();
        let mut sets: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        // Each operation's authentication, once rather than per rule.
        let auths: Vec<(&Operation, &str)> = ops.iter().map(|op| (op, auth_of(op))).collect();
        for rule in &self.rules {
            let mut matched = false;
            for (op, _) in auths.iter().filter(|(op, auth)| rule.when.holds(op, auth)) {
                matched = true;
                sets.entry(op.id.as_str()).or_default().extend(rule.add.iter().map(String::as_str));
            }
            if !matched {
                let message = format!("rule `{}` matches no operation", rule.name);
                self.stale(strict, &format!("name: {}", rule.name), message, &mut notes)?;
            }
        }
        for (id, o) in &self.overrides {
            if !ops.iter().any(|op| &op.id == id) {
                self.stale(strict, &format!("  {id}:"), format!("override for unknown operation `{id}`"), &mut notes)?;
                continue;
            }
            let set = sets.entry(id.as_str()).or_default();
            set.extend(o.add.iter().map(String::as_str));
            for r in &o.remove {
                set.remove(r.as_str());
            }
        }
        let mut out = BTreeMap::new();
        for op in ops {
            let set = sets.remove(op.id.as_str()).unwrap_or_default();
            // File order is matching order.
            out.insert(op.id.clone(), self.variants.keys().filter(|v| set.contains(v.as_str())).cloned().collect());
        }
        Ok((out, notes))
    }
}

/// Operation id → the variants it can return, in matching order.
pub type ErrorsByOperation = BTreeMap<String, Vec<String>>;

/// How an operation authenticates, summed up.
pub fn auth_of(op: &Operation) -> &'static str {
    let kinds: BTreeSet<_> = op.security.iter().map(|s| s.kind).collect();
    if kinds.is_empty() {
        "none"
    } else if kinds.iter().all(|k| matches!(k, AuthKind::OAuth2User | AuthKind::OAuth1User)) {
        "user_only"
    } else if kinds.iter().all(|k| *k == AuthKind::AppOnly) {
        "app_only"
    } else {
        "mixed"
    }
}

impl When {
    /// Whether the operation, authenticated as `auth` (its [`auth_of`]), is one the rule is for.
    fn holds(&self, op: &Operation, auth: &str) -> bool {
        let flag = |want: Option<bool>, have: bool| want.is_none_or(|w| w == have);
        let auth_ok = match &self.auth {
            None => true,
            Some(Auth::Authenticated) => auth != "none",
            Some(Auth::UserOnly) => auth == "user_only",
            Some(Auth::AppOnly) => auth == "app_only",
            Some(Auth::Mixed) => auth == "mixed",
            Some(Auth::None) => auth == "none",
            Some(Auth::UserContext) => auth == "user_only" || auth == "mixed",
        };
        auth_ok
            && flag(self.scopes, op.security.iter().any(|s| !s.scopes.is_empty()))
            && flag(self.path_params, op.params.iter().any(|p| p.location == ParamLocation::Path))
            && flag(self.query_params, op.params.iter().any(|p| p.location == ParamLocation::Query))
            && flag(self.body, !op.request_body.is_empty())
            && flag(self.streaming, op.streaming)
            && self.method.as_ref().is_none_or(|m| m.iter().any(|m| m.eq_ignore_ascii_case(&op.method)))
            && self.tags.as_ref().is_none_or(|t| t.iter().any(|t| op.tags.contains(t)))
            && self.path_prefix.as_ref().is_none_or(|p| op.path.starts_with(p.as_str()))
    }
}
