//! Comparing two types structurally: properties, required-ness, types, enum values, union
//! members and constraints, each change classified by where the type is used (a property
//! that disappears breaks readers of responses; a new required one breaks writers of requests).

use super::report::{Change, Class, Drift, DriftKind};
use super::shape::{component_name, resolve, shape_def, type_text, Shapes, Usage, NONE};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use xapi_gen::ir::{fmt_num, Api, Constraints, EnumValue, Field, Struct, TypeKind, TypeRef, Union};
use xapi_gen::wire::Applied;

/// Where a type travels: in requests, in responses, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dir {
    pub request: bool,
    pub response: bool,
}

impl Dir {
    pub const REQUEST: Self = Self { request: true, response: false };
    pub const RESPONSE: Self = Self { request: false, response: true };
}

/// One side of the comparison: its IR, where its component schemas are used (computed
/// while the side is read, in parallel with the other) and what spec/wire.yaml added to it.
#[derive(Clone, Copy)]
pub struct SideRef<'a> {
    pub api: &'a Api,
    pub usage: &'a Usage,
    pub wire: &'a Applied,
}

/// Both sides of the comparison and what is worth computing once per side.
pub struct Pair<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
    pub old_shapes: Shapes<'a>,
    pub new_shapes: Shapes<'a>,
    pub old_usage: &'a Usage,
    pub new_usage: &'a Usage,
    /// (old, new) component names seen in the same place: where uses of one schema moved to
    /// another.
    pub moves: BTreeSet<(String, String)>,
    /// What spec/wire.yaml changed in each spec: changes it covers are marked.
    pub old_wire: &'a Applied,
    pub new_wire: &'a Applied,
    /// The wire table's words rule (current word → legacy word).
    pub words: &'a BTreeMap<String, String>,
}

impl<'a> Pair<'a> {
    /// `words`: the wire table's words rule (empty without a wire table).
    pub fn new(old: SideRef<'a>, new: SideRef<'a>, words: &'a BTreeMap<String, String>) -> Self {
        Self {
            old: old.api,
            new: new.api,
            old_shapes: Shapes::new(old.api),
            new_shapes: Shapes::new(new.api),
            old_usage: old.usage,
            new_usage: new.usage,
            moves: BTreeSet::new(),
            old_wire: old.wire,
            new_wire: new.wire,
            words,
        }
    }

    /// Whether one property name is the other with the wire table's words swapped
    /// (`tweet_count` and `post_count`).
    pub fn vocabulary_related(&self, old: &str, new: &str) -> bool {
        let swap = |name: &str, forward: bool| -> String {
            name.split('_')
                .map(|w| {
                    let hit = self.words.iter().find(|(cur, leg)| if forward { *cur == w } else { *leg == w });
                    match hit {
                        Some((cur, leg)) => {
                            if forward {
                                leg.as_str()
                            } else {
                                cur.as_str()
                            }
                        }
                        None => w,
                    }
                })
                .collect::<Vec<_>>()
                .join("_")
        };
        old != new && (swap(new, true) == old || swap(old, false) == new)
    }

    /// Whether an old and a new type have the same shape, names aside.
    pub fn same_shape(&mut self, old: &TypeRef, new: &TypeRef) -> bool {
        self.old_shapes.of_ref(old) == self.new_shapes.of_ref(new)
    }

    /// Where a component schema is used, on either side.
    pub fn dir_of(&self, name: &str) -> Dir {
        Dir {
            request: self.old_usage.request.contains(name) || self.new_usage.request.contains(name),
            response: self.old_usage.response.contains(name) || self.new_usage.response.contains(name),
        }
    }

    /// A comparison of types used in `dir`, whose changes are reported under `root`
    /// (`"schema"` for a component, `"success body"`, "query parameter `ids`", …).
    /// `rust`: whether the types compared are the Rust API's (parameters are only metadata).
    pub fn compare<'p>(&'p mut self, root: impl Into<String>, dir: Dir, rust: bool) -> Cmp<'p, 'a> {
        Cmp { pair: self, root: root.into(), dir, rust, seen: HashSet::new(), out: Vec::new() }
    }
}

/// Why a change gets its class: the text for each audience it breaks, else why it is fine.
#[derive(Default)]
struct Why {
    /// Breaks clients sending this type in requests, because …
    req: Option<&'static str>,
    /// Breaks clients reading this type in responses, because …
    resp: Option<&'static str>,
    /// Breaks Rust code, because …
    rust: Option<&'static str>,
    /// Otherwise: why nothing breaks.
    ok: &'static str,
}

pub struct Cmp<'p, 'a> {
    pair: &'p mut Pair<'a>,
    root: String,
    dir: Dir,
    rust: bool,
    /// Inline type pairs already compared (types may contain themselves).
    seen: HashSet<(String, String)>,
    out: Vec<Change>,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn list(values: &[&str]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

impl Cmp<'_, '_> {
    pub fn finish(self) -> Vec<Change> {
        self.out
    }

    fn subject(&self, path: &str) -> String {
        match path {
            "" => self.root.clone(),
            "[]" => format!("{} items", self.root),
            p if self.root == "schema" => format!("property `{p}`"),
            p => format!("{} property `{p}`", self.root),
        }
    }

    /// Like `push`, for a change that is wire drift.
    fn push_drift(&mut self, path: &str, detail: String, why: Why, kind: DriftKind, covered: bool) {
        self.push(path, detail, why);
        if let Some(last) = self.out.last_mut() {
            last.drift.push(Drift { kind, covered, detail: None });
        }
    }

    fn push(&mut self, path: &str, detail: String, why: Why) {
        let mut parts: Vec<&str> = Vec::new();
        if let (true, Some(t)) = (self.dir.request, why.req) {
            parts.push(t);
        }
        if let (true, Some(t)) = (self.dir.response, why.resp) {
            if !parts.contains(&t) {
                parts.push(t);
            }
        }
        let wire = !parts.is_empty();
        if !wire && self.dir == Dir::default() && (why.req.is_some() || why.resp.is_some()) {
            parts.push("no operation uses it");
        }
        let rust = if self.rust { why.rust } else { None };
        parts.extend(rust);
        if parts.is_empty() {
            parts.push(if why.ok.is_empty() { "nothing that worked stops working" } else { why.ok });
        }
        let change = Change::new(self.subject(path), detail, Class::of(wire, rust.is_some()), parts.join("; "));
        self.out.push(change);
    }

    /// Compares two uses of a type. Component schemas are compared by name only: their own
    /// changes are reported once, under the component.
    pub fn refs(&mut self, path: &str, old: &TypeRef, new: &TypeRef) {
        self.uses(path, (old, &NONE), (new, &NONE));
    }

    /// Compares two uses of a type with the constraints stated where they are used (a
    /// property's, a parameter's); aliases are looked through, with their constraints.
    pub fn uses(&mut self, path: &str, old: (&TypeRef, &Constraints), new: (&TypeRef, &Constraints)) {
        let (old_api, new_api) = (self.pair.old, self.pair.new);
        let (o, oc) = resolve(old_api, old.0, old.1);
        let (n, nc) = resolve(new_api, new.0, new.1);
        self.constraints(path, oc, nc);
        match (o, n) {
            (TypeRef::Vec(a), TypeRef::Vec(b)) => self.refs(&format!("{path}[]"), a, b),
            (TypeRef::Map(a), TypeRef::Map(b)) => self.refs(&format!("{path}{{}}"), a, b),
            (TypeRef::Named(a), TypeRef::Named(b)) => self.named(path, a, b),
            _ if o == n => {}
            _ => {
                let detail = format!("type {} → {}", type_text(old_api, o), type_text(new_api, n));
                self.push(
                    path,
                    detail,
                    Why {
                        req: Some("requests of the old type no longer fit"),
                        resp: Some("responses come in a different type"),
                        rust: Some("the Rust type changes"),
                        ..Why::default()
                    },
                );
            }
        }
    }

    fn named(&mut self, path: &str, a: &str, b: &str) {
        let (ca, cb) = (component_name(a), component_name(b));
        if ca.is_some() && ca == cb {
            return;
        }
        if ca.is_none() && cb.is_none() {
            return self.defs(path, a, b);
        }
        let same = self.pair.same_shape(&TypeRef::Named(a.to_owned()), &TypeRef::Named(b.to_owned()));
        let text = |api: &Api, id: &str, c: &Option<String>| match c {
            Some(name) => format!("`{name}`"),
            None => format!("inline {}", type_text(api, &TypeRef::Named(id.to_owned()))),
        };
        if let (Some(x), Some(y)) = (&ca, &cb) {
            self.pair.moves.insert((x.clone(), y.clone()));
        }
        let detail = format!("type {} → {}", text(self.pair.old, a, &ca), text(self.pair.new, b, &cb));
        if same {
            let why =
                Why { rust: Some("the Rust type is renamed; the JSON is the same"), ok: "same JSON", ..Why::default() };
            return self.push(path, format!("{detail} (same structure)"), why);
        }
        let why = Why {
            req: Some("requests must follow a different schema"),
            resp: Some("responses follow a different schema"),
            rust: Some("the Rust type changes"),
            ..Why::default()
        };
        self.push(path, detail, why);
        // An inline type is only described here. Two components are not: when the old one
        // went and the new one came, the schema section describes the pair once, as a
        // replacement, however many places use it.
        if ca.is_none() || cb.is_none() {
            self.defs(path, a, b);
        }
    }

    /// Compares two definitions (looking through dedupe's aliases).
    pub fn defs(&mut self, path: &str, a: &str, b: &str) {
        if !self.seen.insert((a.to_owned(), b.to_owned())) {
            return;
        }
        let (old_api, new_api) = (self.pair.old, self.pair.new);
        let (Some(da), Some(db)) = (shape_def(old_api, a), shape_def(new_api, b)) else { return };
        // An inline schema's own constraints are its use's, compared already by `uses`.
        if component_name(a).is_some() && component_name(b).is_some() {
            self.constraints(path, &da.constraints, &db.constraints);
        }
        match (&da.kind, &db.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => self.structs(path, x, y),
            (TypeKind::StringEnum(x), TypeKind::StringEnum(y)) => self.enums(path, (a, x), (b, y)),
            (TypeKind::Union(x), TypeKind::Union(y)) => self.unions(path, x, y),
            (TypeKind::Alias(x), TypeKind::Alias(y)) => self.refs(path, x, y),
            (x, y) => {
                let kind = |api: &Api, k: &TypeKind| match k {
                    TypeKind::Struct(_) => "object".to_owned(),
                    TypeKind::StringEnum(_) => "string enum".to_owned(),
                    TypeKind::Union(_) => "oneOf".to_owned(),
                    TypeKind::Alias(t) => type_text(api, t),
                };
                let detail = format!("type {} → {}", kind(old_api, x), kind(new_api, y));
                if self.pair.same_shape(&TypeRef::Named(a.to_owned()), &TypeRef::Named(b.to_owned())) {
                    let why = Why { rust: Some("the Rust type is declared differently"), ok: "", ..Why::default() };
                    return self.push(path, format!("{detail} (same structure)"), why);
                }
                let why = Why {
                    req: Some("requests must follow a different schema"),
                    resp: Some("responses follow a different schema"),
                    rust: Some("the Rust type changes kind"),
                    ..Why::default()
                };
                self.push(path, detail, why);
            }
        }
    }

    fn structs(&mut self, path: &str, a: &Struct, b: &Struct) {
        // A property that went while one of the same shape came may be a rename (vocabulary
        // drift): when the new one reads the old spelling (the wire table), when the words
        // rule relates the names, or when the shape is an object or list (not a bare string or
        // number, which unrelated properties share) and the pairing is the only one.
        let gone: Vec<&Field> = a.fields.iter().filter(|fa| !b.fields.iter().any(|fb| fb.wire == fa.wire)).collect();
        let came: Vec<&Field> = b.fields.iter().filter(|fb| !a.fields.iter().any(|fa| fa.wire == fb.wire)).collect();
        let mut renamed: Vec<(&Field, &Field)> = Vec::new();
        let claimed = |renamed: &[(&Field, &Field)], f: &Field| renamed.iter().any(|(_, r)| std::ptr::eq(*r, f));
        for fa in &gone {
            if let Some(fb) =
                came.iter().find(|fb| fb.legacy.as_deref() == Some(fa.wire.as_str()) && !claimed(&renamed, fb))
            {
                renamed.push((fa, fb));
            }
        }
        let by_legacy: Vec<&Field> = renamed.iter().map(|(r, _)| *r).collect();
        for fa in gone.iter().filter(|fa| !by_legacy.iter().any(|r| std::ptr::eq(*r, **fa))) {
            let same: Vec<&&Field> =
                came.iter().filter(|fb| !claimed(&renamed, fb) && self.pair.same_shape(&fa.ty, &fb.ty)).collect();
            let related = same.iter().find(|fb| self.pair.vocabulary_related(&fa.wire, &fb.wire));
            let structured = !matches!(
                resolve(self.pair.old, &fa.ty, &NONE).0,
                TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean | TypeRef::Json
            );
            let shape = self.pair.old_shapes.of_ref(&fa.ty);
            let twins = gone.iter().filter(|g| self.pair.old_shapes.of_ref(&g.ty) == shape).count();
            match (related, same.as_slice()) {
                (Some(fb), _) => renamed.push((fa, fb)),
                (None, [fb]) if structured && twins == 1 => renamed.push((fa, fb)),
                _ => {}
            }
        }
        for (fa, fb) in &renamed {
            let here = join(path, &fb.wire);
            let covered = fb.legacy.as_deref() == Some(fa.wire.as_str());
            let why = if covered {
                Why {
                    rust: Some("the Rust field is renamed"),
                    ok: "X's old spelling is still read into it (spec/wire.yaml vocabulary)",
                    ..Why::default()
                }
            } else {
                Why {
                    req: Some("requests must use the new name"),
                    resp: Some("responses under the old name are no longer read into it"),
                    rust: Some("the Rust field is renamed"),
                    ..Why::default()
                }
            };
            let mark = if covered { " — covered by spec/wire.yaml: the old spelling is read too" } else { "" };
            let detail = format!("renamed from `{}` (same shape){mark}", fa.wire);
            self.push_drift(&here, detail, why, DriftKind::Renamed, covered);
        }
        for fa in &a.fields {
            let here = join(path, &fa.wire);
            let Some(fb) = b.fields.iter().find(|f| f.wire == fa.wire) else {
                if renamed.iter().any(|(r, _)| std::ptr::eq(*r, fa)) {
                    continue;
                }
                let why = Why {
                    req: Some("requests that send it may be rejected"),
                    resp: Some("responses no longer carry it"),
                    rust: Some("the Rust field is removed"),
                    ..Why::default()
                };
                self.push(&here, "removed".to_owned(), why);
                continue;
            };
            // The spec's `required` is the wire's contract; `optional` is the Rust type (every
            // property of what X sends is optional, whatever the spec requires).
            let rust = match (fa.optional, fb.optional) {
                (false, true) => Some("the Rust field becomes an Option"),
                (true, false) => Some("the Rust field is no longer an Option"),
                _ => None,
            };
            if fa.required != fb.required {
                let why = if fb.required {
                    Why {
                        req: Some("requests without it are rejected"),
                        rust,
                        ok: "responses carry it (read as optional all the same)",
                        ..Why::default()
                    }
                } else {
                    Why {
                        resp: Some("responses may omit it or send null"),
                        rust,
                        ok: "requests may omit it",
                        ..Why::default()
                    }
                };
                let mut detail = if fb.required { "optional → required" } else { "required → optional" }.to_owned();
                if fb.required && fb.absent {
                    detail.push_str(" — covered by spec/wire.yaml: X omits it");
                }
                if fb.required {
                    self.push_drift(&here, detail, why, DriftKind::Required, fb.absent);
                } else {
                    self.push(&here, detail, why);
                }
            } else if let Some(rust) = rust {
                let why = Why { rust: Some(rust), ok: "", ..Why::default() };
                self.push(&here, "Rust field optionality changes".to_owned(), why);
            }
            self.uses(&here, (&fa.ty, &fa.constraints), (&fb.ty, &fb.constraints));
        }
        for fb in b.fields.iter().filter(|fb| !a.fields.iter().any(|fa| fa.wire == fb.wire)) {
            if renamed.iter().any(|(_, r)| std::ptr::eq(*r, fb)) {
                continue;
            }
            let required = fb.required;
            let why = Why {
                req: required.then_some("requests without it are rejected"),
                rust: Some("a new pub field: struct literals must name it"),
                ok: "a new property",
                ..Why::default()
            };
            let detail = if required { "added (required)" } else { "added (optional)" };
            self.push(&join(path, &fb.wire), detail.to_owned(), why);
        }
        match (&a.additional, &b.additional) {
            (None, Some(_)) => {
                let why = Why { rust: Some("a new pub field `additional_properties`"), ok: "", ..Why::default() };
                self.push(path, "additional properties now allowed".to_owned(), why);
            }
            (Some(_), None) => {
                let why = Why {
                    req: Some("requests with extra properties may be rejected"),
                    resp: Some("responses no longer carry extra properties"),
                    rust: Some("the Rust field `additional_properties` is removed"),
                    ..Why::default()
                };
                self.push(path, "additional properties no longer allowed".to_owned(), why);
            }
            (Some(x), Some(y)) => self.refs(&format!("{path}{{}}"), x, y),
            (None, None) => {}
        }
    }

    /// Enum values, compared as the specs state them; a value the spec dropped that
    /// spec/wire.yaml keeps (X still sends or accepts it) is marked as covered.
    fn enums(&mut self, path: &str, a: (&str, &[EnumValue]), b: (&str, &[EnumValue])) {
        let wire_added = |applied: &Applied, id: &str, v: &str| applied.values.contains(&(id.to_owned(), v.to_owned()));
        let raw = |applied: &Applied, (id, values): (&str, &[EnumValue])| -> BTreeSet<String> {
            values.iter().map(|v| v.wire.clone()).filter(|v| !wire_added(applied, id, v)).collect()
        };
        let old = raw(self.pair.old_wire, a);
        let new = raw(self.pair.new_wire, b);
        let generated: BTreeSet<&str> = b.1.iter().map(|v| v.wire.as_str()).collect();
        let removed: Vec<&str> = old.difference(&new).map(String::as_str).collect();
        let (covered, removed): (Vec<&str>, Vec<&str>) = removed.into_iter().partition(|v| generated.contains(v));
        let added: Vec<&str> = new.difference(&old).map(String::as_str).collect();
        if !removed.is_empty() {
            let why = Why {
                req: Some("requests using them are rejected"),
                rust: Some("enum variants are removed"),
                ok: "responses no longer send them",
                ..Why::default()
            };
            self.push_drift(path, format!("values removed: {}", list(&removed)), why, DriftKind::ValuesRemoved, false);
        }
        if !covered.is_empty() {
            let why = Why { ok: "X still takes them: the generated enum and the checks keep them", ..Why::default() };
            let detail = format!("values removed: {} — covered by spec/wire.yaml", list(&covered));
            self.push_drift(path, detail, why, DriftKind::ValuesRemoved, true);
        }
        if !added.is_empty() {
            let why =
                Why { ok: "new values; the Rust enum keeps values it does not list in `Unknown`", ..Why::default() };
            self.push(path, format!("values added: {}", list(&added)), why);
        }
    }

    fn unions(&mut self, path: &str, a: &Union, b: &Union) {
        if a.tag != b.tag {
            let tag = |t: &Option<String>| t.as_deref().map(|t| format!("`{t}`")).unwrap_or_else(|| "none".to_owned());
            let why = Why {
                req: Some("members are told apart differently"),
                resp: Some("members are told apart differently"),
                ok: "",
                ..Why::default()
            };
            self.push(path, format!("discriminator {} → {}", tag(&a.tag), tag(&b.tag)), why);
        }
        let label = |api: &Api, ty: &TypeRef| match ty {
            TypeRef::Named(id) if component_name(id).is_some() => type_text(api, ty),
            _ => format!("inline {}", type_text(api, ty)),
        };
        let old: BTreeSet<String> = a.variants.iter().map(|v| label(self.pair.old, &v.ty)).collect();
        let new: BTreeSet<String> = b.variants.iter().map(|v| label(self.pair.new, &v.ty)).collect();
        let removed: Vec<&str> = old.difference(&new).map(String::as_str).collect();
        let added: Vec<&str> = new.difference(&old).map(String::as_str).collect();
        if !removed.is_empty() {
            let why = Why {
                req: Some("requests using them are rejected"),
                rust: Some("enum variants are removed"),
                ok: "responses no longer send them",
                ..Why::default()
            };
            self.push(path, format!("oneOf members removed: {}", removed.join(", ")), why);
        }
        if !added.is_empty() {
            let why =
                Why { ok: "new members; the Rust enum keeps values it cannot read in `Unknown`", ..Why::default() };
            self.push(path, format!("oneOf members added: {}", added.join(", ")), why);
        }
        // Inline members have no names: the k-th inline member of one is compared with the
        // k-th of the other, when both have as many.
        let inline = |u: &'_ Union| -> Vec<TypeRef> {
            u.variants
                .iter()
                .filter(|v| !matches!(&v.ty, TypeRef::Named(id) if component_name(id).is_some()))
                .map(|v| v.ty.clone())
                .collect()
        };
        let (ia, ib) = (inline(a), inline(b));
        if ia.len() == ib.len() {
            for (k, (x, y)) in ia.iter().zip(&ib).enumerate() {
                self.refs(&join(path, &format!("oneOf[{k}]")), x, y);
            }
        }
    }

    /// Format, pattern, ranges, lengths, item counts. Narrowing breaks requests; widening and
    /// any change on the response side is additive (nobody validates what X sends).
    pub fn constraints(&mut self, path: &str, a: &Constraints, b: &Constraints) {
        if a == b {
            return;
        }
        let show = |v: Option<String>| v.map(|v| format!("`{v}`")).unwrap_or_else(|| "none".to_owned());
        if a.format != b.format {
            let why = Why {
                req: Some("values must use the new format"),
                resp: Some("values come in a different format"),
                ok: "",
                ..Why::default()
            };
            self.push(path, format!("format {} → {}", show(a.format.clone()), show(b.format.clone())), why);
        }
        if a.pattern != b.pattern {
            let narrowed = b.pattern.is_some();
            let why = Why {
                req: narrowed.then_some("values valid before may be rejected"),
                ok: "accepts any value now",
                ..Why::default()
            };
            self.push(path, format!("pattern {} → {}", show(a.pattern.clone()), show(b.pattern.clone())), why);
        }
        let int = |v: Option<u64>| v.map(|v| v as f64);
        let bounds = [
            ("min length", int(a.min_length), int(b.min_length), true),
            ("max length", int(a.max_length), int(b.max_length), false),
            ("minimum", a.minimum, b.minimum, true),
            ("maximum", a.maximum, b.maximum, false),
            ("min items", int(a.min_items), int(b.min_items), true),
            ("max items", int(a.max_items), int(b.max_items), false),
        ];
        for (name, x, y, lower) in bounds {
            if x == y {
                continue;
            }
            let narrowed = match (x, y) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) => (lower && y > x) || (!lower && y < x),
                _ => false,
            };
            let why = Why {
                req: narrowed.then_some("values valid before may be rejected"),
                ok: if narrowed { "only constrains what X sends" } else { "accepts more values" },
                ..Why::default()
            };
            let num = |v: Option<f64>| v.map(fmt_num).unwrap_or_else(|| "none".to_owned());
            self.push(path, format!("{name} {} → {}", num(x), num(y)), why);
        }
        if a.unique_items != b.unique_items {
            let why = Why {
                req: b.unique_items.then_some("requests with duplicates may be rejected"),
                ok: if b.unique_items { "only constrains what X sends" } else { "accepts duplicates" },
                ..Why::default()
            };
            let detail = if b.unique_items { "items must now be unique" } else { "items need no longer be unique" };
            self.push(path, detail.to_owned(), why);
        }
    }
}
