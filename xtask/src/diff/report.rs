//! The report's data: what the comparison found, before it is written as Markdown or JSON.
//! Field names are the JSON report's keys.

use serde::Serialize;

/// Who a change can break. "Wire" clients speak HTTP against the API (any language); "Rust"
/// users compile against the generated `xapi-types` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    BreakingWireAndRust,
    BreakingWire,
    BreakingRust,
    /// Adds something, or otherwise keeps everything that worked working.
    Additive,
}

impl Class {
    pub fn of(wire: bool, rust: bool) -> Self {
        match (wire, rust) {
            (true, true) => Self::BreakingWireAndRust,
            (true, false) => Self::BreakingWire,
            (false, true) => Self::BreakingRust,
            (false, false) => Self::Additive,
        }
    }

    pub fn wire(self) -> bool {
        matches!(self, Self::BreakingWireAndRust | Self::BreakingWire)
    }

    pub fn rust(self) -> bool {
        matches!(self, Self::BreakingWireAndRust | Self::BreakingRust)
    }

    /// The class of two changes reported as one.
    pub fn max(self, other: Self) -> Self {
        Self::of(self.wire() || other.wire(), self.rust() || other.rust())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::BreakingWireAndRust => "breaking: wire + Rust",
            Self::BreakingWire => "breaking: wire",
            Self::BreakingRust => "breaking: Rust",
            Self::Additive => "additive",
        }
    }
}

/// One change to one thing: `subject` (e.g. "query parameter `ids`") and `detail`
/// (e.g. "max items 100 → 50"), classified, with the reason for the class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Change {
    pub subject: String,
    pub detail: String,
    pub class: Class,
    pub reason: String,
    /// The wire drift this change is or holds (renames, new required properties, enum values
    /// removed), for the reviewer's list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<Drift>,
}

impl Change {
    pub fn new(subject: impl Into<String>, detail: impl Into<String>, class: Class, reason: impl Into<String>) -> Self {
        Self { subject: subject.into(), detail: detail.into(), class, reason: reason.into(), drift: Vec::new() }
    }
}

/// What kind of wire drift a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    /// A property renamed within its schema (same shape, new name).
    Renamed,
    /// A property that became required.
    Required,
    /// Enum values the spec no longer lists.
    ValuesRemoved,
}

/// One piece of wire drift, and whether spec/wire.yaml covers it (X's old spelling is still
/// read, the property X omits is known, the values X still takes are kept).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Drift {
    pub kind: DriftKind,
    pub covered: bool,
    /// What drifted, when the change holding it says more (a replaced parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A drift entry of the whole report: where, what, and whether spec/wire.yaml covers it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DriftItem {
    pub kind: DriftKind,
    pub covered: bool,
    /// The schema or operation it is in.
    pub place: String,
    pub subject: String,
    pub detail: String,
}

/// Something that appeared or went away (an operation, schema, problem type or Rust item).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub name: String,
    /// The operation id (operations only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub class: Class,
    pub reason: String,
    /// Operations that use it (schemas), if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

/// A remove + add that is one thing under a new name: same structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rename {
    pub old: String,
    pub new: String,
    /// Operation ids, old and new (operations only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids: Option<(String, String)>,
    pub class: Class,
    pub reason: String,
    /// Differences that do not make it a different thing (security, streaming, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

/// Changes to one thing that exists in both specs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    pub name: String,
    /// The operation id (operations only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub changes: Vec<Change>,
    /// Operations it affects (shared component schemas).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

/// A change found identically on several operations (typically a shared component
/// parameter), reported once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shared {
    #[serde(flatten)]
    pub change: Change,
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Operations {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub renamed: Vec<Rename>,
    /// Removed + added with the same operationId or URL but a different structure: not a
    /// rename, but worth reading side by side.
    pub replaced: Vec<Rename>,
    /// Changes shared by several operations, each listed once.
    pub shared: Vec<Shared>,
    /// Changes of one operation only.
    pub changed: Vec<Changed>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Section {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub renamed: Vec<Rename>,
    /// Removed + added where the old one's uses moved to the new one, structure differing.
    pub replaced: Vec<Rename>,
    pub changed: Vec<Changed>,
}

/// Per-endpoint error surfaces: the variants spec/errors/endpoint_rules.yaml derives for each
/// operation present on both sides, compared.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorSurface {
    pub available: bool,
    pub note: String,
    pub changes: Vec<ErrorSurfaceChange>,
}

/// One operation whose error enum gains or loses variants. Losing one is breaking for Rust
/// users (a match arm on it stops compiling); gaining one is additive (the enums are
/// `#[non_exhaustive]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorSurfaceChange {
    pub operation: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Names (operations: METHOD + path) only in NEW; renames are counted here too.
    pub added: usize,
    /// Names only in OLD; renames are counted here too.
    pub removed: usize,
    /// Removed/added pairs with the same structure (a subset of both counts above).
    pub renamed: usize,
    /// Removed/added pairs that took each other's place with a different structure (a
    /// subset of both counts above, disjoint from `renamed`).
    pub replaced: usize,
    /// Names in both with differences.
    pub changed: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClassCounts {
    /// Entries that can break wire clients (including those that also break Rust users).
    pub breaking_wire: usize,
    /// Entries that can break Rust users (including those that also break wire clients).
    pub breaking_rust: usize,
    pub additive: usize,
}

impl ClassCounts {
    pub fn add(&mut self, class: Class) {
        if class.wire() {
            self.breaking_wire += 1;
        }
        if class.rust() {
            self.breaking_rust += 1;
        }
        if class == Class::Additive {
            self.additive += 1;
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub operations: Counts,
    pub schemas: Counts,
    pub problem_types: Counts,
    pub rust_api: Counts,
    pub classes: ClassCounts,
}

/// Which spec a side is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecInfo {
    /// The file it was read from.
    pub source: String,
    /// How it was chosen, for pinned specs ("pinned at origin/main").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<String>,
    /// `info.version`.
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub old: SpecInfo,
    pub new: SpecInfo,
    pub summary: Summary,
    pub operations: Operations,
    pub schemas: Section,
    pub problem_types: Section,
    pub error_surface: ErrorSurface,
    pub rust_api: Section,
    /// What the new spec states that our tables lack (regen generates it from the spec and
    /// lists it; a maintainer describes it in `spec/`).
    pub review: Vec<String>,
    /// Wire drift found anywhere in the report, uncovered first.
    pub drift: Vec<DriftItem>,
}

impl Report {
    /// Every classified entry, once each.
    pub fn classes(&self) -> Vec<Class> {
        let mut out = Vec::new();
        let ops = &self.operations;
        out.extend(ops.added.iter().chain(&ops.removed).map(|i| i.class));
        for r in ops.renamed.iter().chain(&ops.replaced) {
            out.push(r.class);
            out.extend(r.changes.iter().map(|c| c.class));
        }
        out.extend(ops.shared.iter().map(|s| s.change.class));
        out.extend(ops.changed.iter().flat_map(|c| &c.changes).map(|c| c.class));
        for section in [&self.schemas, &self.problem_types, &self.rust_api] {
            out.extend(section.added.iter().chain(&section.removed).map(|i| i.class));
            for r in section.renamed.iter().chain(&section.replaced) {
                out.push(r.class);
                out.extend(r.changes.iter().map(|c| c.class));
            }
            out.extend(section.changed.iter().flat_map(|c| &c.changes).map(|c| c.class));
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.classes().is_empty()
    }

    /// Every change that is wire drift, with the schema or operation it is in.
    pub fn collect_drift(&self) -> Vec<DriftItem> {
        let mut out = Vec::new();
        let mut add = |place: &str, c: &Change| {
            for d in &c.drift {
                out.push(DriftItem {
                    kind: d.kind,
                    covered: d.covered,
                    place: place.to_owned(),
                    subject: c.subject.clone(),
                    detail: d.detail.clone().unwrap_or_else(|| c.detail.clone()),
                });
            }
        };
        let ops = &self.operations;
        for c in &ops.changed {
            c.changes.iter().for_each(|x| add(&c.name, x));
        }
        for s in &ops.shared {
            add(&format!("{} operations", s.operations.len()), &s.change);
        }
        for r in ops.renamed.iter().chain(&ops.replaced) {
            r.changes.iter().for_each(|x| add(&r.new, x));
        }
        for section in [&self.schemas] {
            for c in &section.changed {
                c.changes.iter().for_each(|x| add(&c.name, x));
            }
            for r in section.renamed.iter().chain(&section.replaced) {
                r.changes.iter().for_each(|x| add(&r.new, x));
            }
        }
        out.sort_by(|a, b| (a.covered, a.kind, &a.place, &a.subject).cmp(&(b.covered, b.kind, &b.place, &b.subject)));
        out.dedup();
        out
    }
}
