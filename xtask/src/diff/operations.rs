//! Operations, keyed by METHOD + path: added, removed, renamed (same structure under a new
//! path), replaced (same operationId or URL shape, different structure: a remove + add shown
//! side by side), and changed (parameters, bodies, success, security, streaming). A change
//! found identically on several operations — a shared component parameter, typically — is
//! reported once with the operations it affects.

use super::report::{Change, Changed, Class, Counts, Item, Operations, Rename, Shared};
use super::shape::{component_parameter, hash_constraints, location, op_key, Shapes};
use super::types::{Dir, Pair};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use xapi_gen::ir::{Operation, Param, ParamLocation};

/// A parameter that only one side has, kept so that a remove + add pair on the same
/// operations can be reported as one replacement.
#[derive(Clone, Copy)]
enum Lone<'a> {
    Removed(&'a Param),
    Added(&'a Param),
}

struct Event<'a> {
    change: Change,
    lone: Option<Lone<'a>>,
}

impl<'a> Event<'a> {
    fn plain(change: Change) -> Self {
        Self { change, lone: None }
    }
}

fn path_params(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
}

/// `/2/users/{id}/likes` → `/2/users/{}/likes`: the URL shape, path parameter names aside.
fn skeleton(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}

/// Path parameters are matched by position (their names are not on the wire).
fn param_key(op: &Operation, p: &Param) -> (&'static str, String) {
    if p.location == ParamLocation::Path {
        if let Some(i) = path_params(&op.path).iter().position(|n| *n == p.name) {
            return ("path", format!("#{i}"));
        }
    }
    (location(p.location), p.name.clone())
}

fn subject(p: &Param) -> String {
    format!("{} parameter `{}`", location(p.location), p.name)
}

fn shared_suffix(p: &Param) -> String {
    component_parameter(&p.pointer).map(|c| format!(" (shared `{c}`)")).unwrap_or_default()
}

/// What makes an operation the same thing under another path: its parameters, bodies and
/// success response, shapes only.
fn op_shape(shapes: &mut Shapes, op: &Operation) -> u64 {
    let mut params: Vec<_> = op
        .params
        .iter()
        .map(|p| {
            let (loc, name) = param_key(op, p);
            let mut h = DefaultHasher::new();
            hash_constraints(&p.constraints, &mut h);
            hash_constraints(&p.items, &mut h);
            (loc, name, p.required, p.comma_joined, h.finish(), shapes.of_ref(&p.ty))
        })
        .collect();
    params.sort();
    let bodies: Vec<_> = op.request_body.iter().map(|b| (b.media_type.clone(), shapes.of_ref(&b.ty))).collect();
    let success =
        op.success.as_ref().map(|s| (s.status, s.media_type.clone(), s.ty.as_ref().map(|t| shapes.of_ref(t))));
    let mut h = DefaultHasher::new();
    (&op.method, params, bodies, op.body_required, success).hash(&mut h);
    h.finish()
}

/// Pairs (i, j) such that `related(i, j)` holds for that j only and that i only.
fn one_to_one(olds: usize, news: usize, related: impl Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..olds {
        let to: Vec<usize> = (0..news).filter(|&j| related(i, j)).collect();
        if let [j] = to[..] {
            if (0..olds).filter(|&k| related(k, j)).count() == 1 {
                out.push((i, j));
            }
        }
    }
    out
}

pub fn compare(pair: &mut Pair) -> (Operations, Counts) {
    let (old_api, new_api) = (pair.old, pair.new);
    let old: BTreeMap<String, &Operation> = old_api.operations.iter().map(|o| (op_key(o), o)).collect();
    let new: BTreeMap<String, &Operation> = new_api.operations.iter().map(|o| (op_key(o), o)).collect();
    let removed: Vec<&Operation> = old.iter().filter(|(k, _)| !new.contains_key(*k)).map(|(_, o)| *o).collect();
    let added: Vec<&Operation> = new.iter().filter(|(k, _)| !old.contains_key(*k)).map(|(_, o)| *o).collect();
    let mut report = Operations::default();
    let mut counts = Counts { added: added.len(), removed: removed.len(), ..Counts::default() };

    // Renames: a removed and an added operation with the same method, the same id or URL
    // shape, and the same structure, matched one to one. Replacements: related the same way
    // but shaped differently (a remove + add, described side by side).
    let old_shapes: Vec<u64> = removed.iter().map(|o| op_shape(&mut pair.old_shapes, o)).collect();
    let new_shapes: Vec<u64> = added.iter().map(|o| op_shape(&mut pair.new_shapes, o)).collect();
    let related = |i: usize, j: usize| {
        let (r, a) = (removed[i], added[j]);
        r.method == a.method && (r.id == a.id || skeleton(&r.path) == skeleton(&a.path))
    };
    let renamed = one_to_one(removed.len(), added.len(), |i, j| related(i, j) && old_shapes[i] == new_shapes[j]);
    let (mut old_paired, mut new_paired): (BTreeSet<usize>, BTreeSet<usize>) = renamed.iter().copied().unzip();
    let replaced = one_to_one(removed.len(), added.len(), |i, j| {
        related(i, j) && !old_paired.contains(&i) && !new_paired.contains(&j)
    });
    old_paired.extend(replaced.iter().map(|p| p.0));
    new_paired.extend(replaced.iter().map(|p| p.1));
    counts.renamed = renamed.len();
    counts.replaced = replaced.len();
    for (&(i, j), same_structure) in renamed.iter().map(|p| (p, true)).chain(replaced.iter().map(|p| (p, false))) {
        let (r, a) = (removed[i], added[j]);
        let same_url = skeleton(&r.path) == skeleton(&a.path);
        let mut why = Vec::new();
        if same_url {
            why.push("only path parameter names changed; the URLs are the same".to_owned());
        } else {
            why.push("requests to the old path fail".to_owned());
        }
        if r.id != a.id {
            why.push(format!("the Rust module for `{}` is now the one for `{}`", r.id, a.id));
        }
        let events = op_changes(pair, r, a);
        let list = if same_structure { &mut report.renamed } else { &mut report.replaced };
        list.push(Rename {
            old: op_key(r),
            new: op_key(a),
            ids: Some((r.id.clone(), a.id.clone())),
            class: Class::of(!same_url, r.id != a.id),
            reason: why.join("; "),
            changes: events.into_iter().map(|e| e.change).collect(),
            operations: Vec::new(),
        });
    }

    let new_ids: BTreeSet<&str> = new_api.operations.iter().map(|o| o.id.as_str()).collect();
    for (_, r) in removed.iter().enumerate().filter(|(i, _)| !old_paired.contains(i)) {
        // The module stays when another operation (added or kept) carries the same id.
        let rust = !new_ids.contains(r.id.as_str());
        let reason = if rust {
            format!("requests to it fail; the Rust module for `{}` is removed", r.id)
        } else {
            format!("requests to it fail; operationId `{}` now names another operation", r.id)
        };
        report.removed.push(Item {
            name: op_key(r),
            id: Some(r.id.clone()),
            class: Class::of(true, rust),
            reason,
            operations: Vec::new(),
        });
    }
    for (_, a) in added.iter().enumerate().filter(|(j, _)| !new_paired.contains(j)) {
        report.added.push(Item {
            name: op_key(a),
            id: Some(a.id.clone()),
            class: Class::Additive,
            reason: "a new endpoint".to_owned(),
            operations: Vec::new(),
        });
    }

    // Changes of operations in both, grouped so that each distinct change is listed once.
    let mut groups: BTreeMap<Change, (BTreeSet<String>, Option<Lone>)> = BTreeMap::new();
    for (key, o) in &old {
        let Some(n) = new.get(key) else { continue };
        let events = op_changes(pair, o, n);
        if !events.is_empty() {
            counts.changed += 1;
        }
        for e in events {
            groups.entry(e.change).or_insert_with(|| (BTreeSet::new(), e.lone)).0.insert(key.clone());
        }
    }
    merge_replacements(pair, &mut groups);
    let mut per_op: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for (change, (ops, _)) in groups {
        if ops.len() > 1 {
            report.shared.push(Shared { change, operations: ops.into_iter().collect() });
        } else if let Some(key) = ops.into_iter().next() {
            per_op.entry(key).or_default().push(change);
        }
    }
    report.shared.sort_by(|a, b| b.operations.len().cmp(&a.operations.len()).then(a.change.cmp(&b.change)));
    for (key, changes) in per_op {
        let id = new.get(&key).map(|o| o.id.clone());
        report.changed.push(Changed { name: key, id, changes, operations: Vec::new() });
    }
    (report, counts)
}

/// A parameter removed and another added at the same location on exactly the same
/// operations is one replacement (`tweet.fields` → `post.fields` on 35 operations): a rename
/// when the structure matches, a remove + add otherwise, reported as one entry either way.
fn merge_replacements(pair: &mut Pair, groups: &mut BTreeMap<Change, (BTreeSet<String>, Option<Lone>)>) {
    type Bucket = (Vec<Change>, Vec<Change>);
    let mut buckets: BTreeMap<(BTreeSet<String>, &str), Bucket> = BTreeMap::new();
    for (change, (ops, lone)) in groups.iter() {
        match lone {
            Some(Lone::Removed(p)) => {
                buckets.entry((ops.clone(), location(p.location))).or_default().0.push(change.clone())
            }
            Some(Lone::Added(p)) => {
                buckets.entry((ops.clone(), location(p.location))).or_default().1.push(change.clone())
            }
            None => {}
        }
    }
    for ((ops, _), (removed, added)) in buckets {
        let ([r], [a]) = (&removed[..], &added[..]) else { continue };
        let (Some((_, Some(Lone::Removed(old)))), Some((_, Some(Lone::Added(new))))) =
            (groups.remove(r), groups.remove(a))
        else {
            continue;
        };
        let mut diffs: Vec<String> = Vec::new();
        if old.required != new.required {
            diffs.push(if new.required { "optional → required" } else { "required → optional" }.to_owned());
        }
        if old.comma_joined != new.comma_joined {
            diffs.push("serialized differently".to_owned());
        }
        let mut cmp = pair.compare("", Dir::REQUEST, false);
        cmp.constraints("[]", &old.items, &new.items);
        cmp.uses("", (&old.ty, &old.constraints), (&new.ty, &new.constraints));
        let inner = cmp.finish();
        // Each inner drift keeps its own words (a replaced parameter holds several).
        let drift: Vec<_> = inner
            .iter()
            .flat_map(|c| {
                let detail = if c.subject.trim().is_empty() {
                    c.detail.clone()
                } else {
                    format!("{}: {}", c.subject.trim(), c.detail)
                };
                c.drift.iter().map(move |d| crate::diff::report::Drift { detail: Some(detail.clone()), ..d.clone() })
            })
            .collect();
        diffs.extend(inner.into_iter().map(|c| {
            if c.subject.trim().is_empty() {
                c.detail
            } else {
                format!("{}: {}", c.subject.trim(), c.detail)
            }
        }));
        let same = diffs.is_empty();
        let shared = match (component_parameter(&old.pointer), component_parameter(&new.pointer)) {
            (Some(x), Some(y)) => format!("; shared `{x}` → `{y}`"),
            (Some(x), None) => format!("; was shared `{x}`, now inline"),
            (None, Some(y)) => format!("; now shared `{y}`"),
            (None, None) => String::new(),
        };
        let detail = if same {
            format!("renamed (same structure){shared}")
        } else {
            format!("replaced: not a rename, the structure differs ({}){shared}", diffs.join("; "))
        };
        let class = r.class.max(a.class);
        let reason = format!("requests that send `{}` may be rejected; `{}`: {}", old.name, new.name, a.reason);
        let subject = format!("{} parameter `{}` → `{}`", location(old.location), old.name, new.name);
        let mut change = Change::new(subject, detail, class, reason);
        change.drift = drift;
        groups.insert(change, (ops, None));
    }
}

fn op_changes<'a>(pair: &mut Pair, o: &'a Operation, n: &'a Operation) -> Vec<Event<'a>> {
    let mut out: Vec<Event> = Vec::new();
    let push = |out: &mut Vec<Event>, s: &str, d: String, class: Class, why: &str| {
        out.push(Event::plain(Change::new(s, d, class, why)));
    };
    if o.id != n.id && op_key(o) == op_key(n) {
        let why = format!("the Rust module for `{}` is now the one for `{}`", o.id, n.id);
        push(&mut out, "operationId", format!("`{}` → `{}`", o.id, n.id), Class::BreakingRust, &why);
    }
    params(pair, o, n, &mut out);
    bodies(pair, o, n, &mut out);
    success(pair, o, n, &mut out);
    security(o, n, &mut out);
    if o.streaming != n.streaming {
        let (d, why) = if n.streaming {
            ("no → yes", "responses now come as a long-lived stream of JSON lines")
        } else {
            ("yes → no", "responses are no longer a stream")
        };
        push(&mut out, "streaming", d.to_owned(), Class::BreakingWire, why);
    }
    out
}

fn params<'a>(pair: &mut Pair, o: &'a Operation, n: &'a Operation, out: &mut Vec<Event<'a>>) {
    let old: BTreeMap<_, &Param> = o.params.iter().map(|p| (param_key(o, p), p)).collect();
    let new: BTreeMap<_, &Param> = n.params.iter().map(|p| (param_key(n, p), p)).collect();
    for (key, po) in &old {
        let Some(pn) = new.get(key) else {
            let change = Change::new(
                format!("{}{}", subject(po), shared_suffix(po)),
                "removed",
                Class::BreakingWire,
                "requests that send it may be rejected",
            );
            out.push(Event { change, lone: Some(Lone::Removed(po)) });
            continue;
        };
        let s = subject(po);
        if po.name != pn.name {
            let change =
                Change::new(&s, format!("renamed `{}`", pn.name), Class::Additive, "path parameter names are not sent");
            out.push(Event::plain(change));
        }
        if po.required != pn.required {
            let change = if pn.required {
                Change::new(&s, "optional → required", Class::BreakingWire, "requests without it are rejected")
            } else {
                Change::new(&s, "required → optional", Class::Additive, "requests may omit it")
            };
            out.push(Event::plain(change));
        }
        if po.comma_joined != pn.comma_joined {
            let d = if pn.comma_joined { "now sent comma-joined" } else { "no longer sent comma-joined" };
            out.push(Event::plain(Change::new(&s, d, Class::BreakingWire, "values are serialized differently")));
        }
        let mut cmp = pair.compare(s, Dir::REQUEST, false);
        cmp.constraints("[]", &po.items, &pn.items);
        cmp.uses("", (&po.ty, &po.constraints), (&pn.ty, &pn.constraints));
        out.extend(cmp.finish().into_iter().map(Event::plain));
    }
    for (key, pn) in &new {
        if old.contains_key(key) {
            continue;
        }
        let (d, class, why) = if pn.required {
            ("added (required)", Class::BreakingWire, "requests without it are rejected")
        } else {
            ("added (optional)", Class::Additive, "a new optional parameter")
        };
        let change = Change::new(format!("{}{}", subject(pn), shared_suffix(pn)), d, class, why);
        out.push(Event { change, lone: Some(Lone::Added(pn)) });
    }
}

fn bodies(pair: &mut Pair, o: &Operation, n: &Operation, out: &mut Vec<Event>) {
    let s = "request body";
    let old: BTreeMap<&str, _> = o.request_body.iter().map(|b| (b.media_type.as_str(), &b.ty)).collect();
    let new: BTreeMap<&str, _> = n.request_body.iter().map(|b| (b.media_type.as_str(), &b.ty)).collect();
    let mut push = |d: String, class: Class, why: &str| out.push(Event::plain(Change::new(s, d, class, why)));
    if old.is_empty() && !new.is_empty() {
        let (class, why) = if n.body_required {
            (Class::BreakingWire, "requests without a body are rejected")
        } else {
            (Class::Additive, "an optional body")
        };
        let media: Vec<String> = new.keys().map(|m| format!("`{m}`")).collect();
        return push(format!("added ({})", media.join(", ")), class, why);
    }
    if !old.is_empty() && new.is_empty() {
        return push("removed".to_owned(), Class::BreakingWire, "requests with a body may be rejected");
    }
    for m in old.keys().filter(|m| !new.contains_key(*m)) {
        push(format!("media type `{m}` removed"), Class::BreakingWire, "requests sent this way are rejected");
    }
    for m in new.keys().filter(|m| !old.contains_key(*m)) {
        push(format!("media type `{m}` added"), Class::Additive, "another way to send the body");
    }
    if o.body_required != n.body_required && !old.is_empty() {
        if n.body_required {
            push("optional → required".to_owned(), Class::BreakingWire, "requests without a body are rejected");
        } else {
            push("required → optional".to_owned(), Class::Additive, "requests may omit the body");
        }
    }
    for (m, a) in &old {
        if let Some(b) = new.get(m) {
            let mut cmp = pair.compare(format!("request body (`{m}`)"), Dir::REQUEST, true);
            cmp.refs("", a, b);
            out.extend(cmp.finish().into_iter().map(Event::plain));
        }
    }
}

fn success(pair: &mut Pair, o: &Operation, n: &Operation, out: &mut Vec<Event>) {
    let mut push = |s: &str, d: String, class: Class, why: &str| out.push(Event::plain(Change::new(s, d, class, why)));
    let (a, b) = match (&o.success, &n.success) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(_)) => {
            return push(
                "success response",
                "now described".to_owned(),
                Class::Additive,
                "the spec now says what it is",
            );
        }
        (Some(_), None) => {
            let why = "the spec no longer describes it; the `Success` alias goes";
            return push("success response", "no longer described".to_owned(), Class::BreakingWireAndRust, why);
        }
        (None, None) => return,
    };
    if a.status != b.status {
        let why = "clients that check the exact status see another one";
        push("success status", format!("`{}` → `{}`", a.status, b.status), Class::BreakingWire, why);
    }
    if a.media_type != b.media_type {
        let show = |m: &Option<String>| m.as_deref().map(|m| format!("`{m}`")).unwrap_or_else(|| "none".to_owned());
        let d = format!("{} → {}", show(&a.media_type), show(&b.media_type));
        push("success media type", d, Class::BreakingWire, "responses come as another content type");
    }
    match (&a.ty, &b.ty) {
        (Some(x), Some(y)) => {
            let mut cmp = pair.compare("success body", Dir::RESPONSE, true);
            cmp.refs("", x, y);
            out.extend(cmp.finish().into_iter().map(Event::plain));
        }
        (None, Some(_)) => push("success body", "added".to_owned(), Class::Additive, "responses now carry a body"),
        (Some(_), None) => {
            let why = "responses no longer carry a body; the `Success` alias goes";
            push("success body", "removed".to_owned(), Class::BreakingWireAndRust, why);
        }
        (None, None) => {}
    }
}

fn security(o: &Operation, n: &Operation, out: &mut Vec<Event>) {
    let map = |op: &Operation| -> BTreeMap<String, BTreeSet<String>> {
        op.security.iter().map(|s| (s.scheme.clone(), s.scopes.iter().cloned().collect())).collect()
    };
    let (old, new) = (map(o), map(n));
    let mut push = |d: String, class: Class, why: &str| out.push(Event::plain(Change::new("security", d, class, why)));
    let names =
        |m: &BTreeMap<String, BTreeSet<String>>| m.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    if old.is_empty() && !new.is_empty() {
        let why = "requests without credentials are rejected";
        return push(format!("authentication now required ({})", names(&new)), Class::BreakingWire, why);
    }
    if !old.is_empty() && new.is_empty() {
        return push("no authentication needed".to_owned(), Class::Additive, "credentials are no longer needed");
    }
    let scopes = |s: &BTreeSet<String>| s.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
    for (scheme, a) in &old {
        match new.get(scheme) {
            None => {
                push(format!("`{scheme}` no longer accepted"), Class::BreakingWire, "callers using it are rejected")
            }
            Some(b) => {
                let more: BTreeSet<String> = b.difference(a).cloned().collect();
                let fewer: BTreeSet<String> = a.difference(b).cloned().collect();
                if !more.is_empty() {
                    let why = "tokens without these scopes are rejected";
                    push(format!("`{scheme}` needs scopes {}", scopes(&more)), Class::BreakingWire, why);
                }
                if !fewer.is_empty() {
                    let why = "fewer scopes needed";
                    push(format!("`{scheme}` no longer needs scopes {}", scopes(&fewer)), Class::Additive, why);
                }
            }
        }
    }
    for scheme in new.keys().filter(|s| !old.contains_key(*s)) {
        push(format!("`{scheme}` now accepted"), Class::Additive, "another way to authenticate");
    }
}
