//! Component schemas (added, removed, renamed with the same structure, changed) and the
//! problem types the spec defines. A changed component is reported once, with the
//! operations that use it.

use super::report::{Change, Changed, Class, Counts, Item, Rename, Section};
use super::shape::components;
use super::types::Pair;
use std::collections::{BTreeMap, BTreeSet};
use xapi_gen::spec_problems::SpecProblem;

fn users(pair: &Pair, name: &str, old: bool, new: bool) -> Vec<String> {
    let mut ops = BTreeSet::new();
    if old {
        ops.extend(pair.old_usage.ops(name));
    }
    if new {
        ops.extend(pair.new_usage.ops(name));
    }
    ops.into_iter().map(str::to_owned).collect()
}

fn renamed_entry(old: &str, new: &str, operations: Vec<String>) -> Rename {
    Rename {
        old: old.to_owned(),
        new: new.to_owned(),
        ids: None,
        class: Class::BreakingRust,
        reason: format!("same structure, so the same JSON; code naming the Rust type `{old}` must say `{new}`"),
        changes: Vec::new(),
        operations,
    }
}

pub fn compare(pair: &mut Pair) -> (Section, Counts) {
    let old = components(pair.old);
    let new = components(pair.new);
    let removed: Vec<(&String, &str)> =
        old.iter().filter(|(n, _)| !new.contains_key(*n)).map(|(n, i)| (n, *i)).collect();
    let added: Vec<(&String, &str)> = new.iter().filter(|(n, _)| !old.contains_key(*n)).map(|(n, i)| (n, *i)).collect();
    let mut section = Section::default();
    let mut counts = Counts { added: added.len(), removed: removed.len(), ..Counts::default() };

    // A removed and an added schema with the same structure, and no other schema of that
    // structure on either side, is one schema renamed.
    let mut by_shape: BTreeMap<u64, (Vec<&String>, Vec<&String>)> = BTreeMap::new();
    for (name, id) in &removed {
        by_shape.entry(pair.old_shapes.of_type(id)).or_default().0.push(name);
    }
    for (name, id) in &added {
        by_shape.entry(pair.new_shapes.of_type(id)).or_default().1.push(name);
    }
    let mut renamed_old: BTreeSet<&String> = BTreeSet::new();
    let mut renamed_new: BTreeSet<&String> = BTreeSet::new();
    for (r, a) in by_shape.values() {
        if let ([r], [a]) = (&r[..], &a[..]) {
            renamed_old.insert(r);
            renamed_new.insert(a);
            let operations = users(pair, a, false, true);
            section.renamed.push(renamed_entry(r, a, operations));
        }
    }
    for (name, old_id) in &old {
        let Some(new_id) = new.get(name) else { continue };
        let dir = pair.dir_of(name);
        let mut cmp = pair.compare("schema", dir, true);
        cmp.defs("", old_id, new_id);
        let changes = cmp.finish();
        if !changes.is_empty() {
            let operations = users(pair, name, true, true);
            section.changed.push(Changed { name: name.clone(), id: None, changes, operations });
        }
    }
    counts.changed = section.changed.len();

    // Replacements: a removed schema found, wherever it was used, in the place of one added
    // schema (and that one only in its place): `Tweet` → `Post`. Comparing a pair may find
    // more pairs inside, hence the loop.
    let removed_names: BTreeSet<&str> = removed.iter().map(|(n, _)| n.as_str()).collect();
    let added_names: BTreeSet<&str> = added.iter().map(|(n, _)| n.as_str()).collect();
    let mut done: BTreeSet<(String, String)> = BTreeSet::new();
    loop {
        let candidates: Vec<(String, String)> = pair
            .moves
            .iter()
            .filter(|(a, b)| removed_names.contains(a.as_str()) && added_names.contains(b.as_str()))
            .filter(|(a, b)| !renamed_old.contains(a) && !renamed_new.contains(b))
            .cloned()
            .collect();
        let fresh: Vec<(String, String)> = candidates
            .iter()
            .filter(|(a, b)| candidates.iter().filter(|(x, y)| x == a || y == b).count() == 1)
            .filter(|p| !done.contains(*p))
            .cloned()
            .collect();
        if fresh.is_empty() {
            break;
        }
        for (a, b) in fresh {
            let (Some(old_id), Some(new_id)) = (old.get(&a), new.get(&b)) else { continue };
            let (da, db) = (pair.dir_of(&a), pair.dir_of(&b));
            let dir = super::types::Dir { request: da.request || db.request, response: da.response || db.response };
            let mut cmp = pair.compare("schema", dir, true);
            cmp.defs("", old_id, new_id);
            let changes = cmp.finish();
            let operations = users(pair, &b, false, true);
            // Schemas of one shape are not renames by shape alone (which of two identical
            // `{ list_id }` requests became which?); where they are used says which. No
            // differences but in the schemas they name (reported under those) is a rename too.
            if changes.is_empty() || pair.old_shapes.of_type(old_id) == pair.new_shapes.of_type(new_id) {
                section.renamed.push(renamed_entry(&a, &b, operations));
            } else {
                section.replaced.push(Rename {
                    old: a.clone(),
                    new: b.clone(),
                    ids: None,
                    class: Class::BreakingRust,
                    reason: format!(
                        "not a rename (the structure differs): the Rust type `{a}` is gone, its uses moved to `{b}`"
                    ),
                    changes,
                    operations,
                });
            }
            done.insert((a, b));
        }
    }
    section.renamed.sort_by(|a, b| a.old.cmp(&b.old));
    section.replaced.sort_by(|a, b| a.old.cmp(&b.old));
    counts.renamed = section.renamed.len();
    counts.replaced = section.replaced.len();
    let paired_old: BTreeSet<&String> = section.renamed.iter().chain(&section.replaced).map(|r| &r.old).collect();
    let paired_new: BTreeSet<&String> = section.renamed.iter().chain(&section.replaced).map(|r| &r.new).collect();

    let mut gone = Vec::new();
    for (name, _) in removed.iter().filter(|(n, _)| !paired_old.contains(n)) {
        let operations = users(pair, name, true, false);
        let wire = if operations.is_empty() {
            "no operation used it"
        } else {
            "schema names are not on the wire (what changes for the operations that used it is under Operations)"
        };
        gone.push(Item {
            name: (*name).clone(),
            id: None,
            class: Class::BreakingRust,
            reason: format!("the Rust type is removed; {wire}"),
            operations,
        });
    }
    let mut new_items = Vec::new();
    for (name, _) in added.iter().filter(|(n, _)| !paired_new.contains(n)) {
        new_items.push(Item {
            name: (*name).clone(),
            id: None,
            class: Class::Additive,
            reason: "a new schema and Rust type".to_owned(),
            operations: users(pair, name, false, true),
        });
    }
    section.removed = gone;
    section.added = new_items;
    (section, counts)
}

/// Problem types by slug: added, removed, and changed extension fields.
pub fn problems(old: &BTreeMap<String, SpecProblem>, new: &BTreeMap<String, SpecProblem>) -> (Section, Counts) {
    let mut section = Section::default();
    for (slug, p) in new.iter().filter(|(s, _)| !old.contains_key(*s)) {
        section.added.push(Item {
            name: slug.clone(),
            id: None,
            class: Class::Additive,
            reason: format!(
                "`{}`: a new error responses may carry; the runtime keeps types it does not know whole",
                p.uri
            ),
            operations: Vec::new(),
        });
    }
    for (slug, p) in old.iter().filter(|(s, _)| !new.contains_key(*s)) {
        section.removed.push(Item {
            name: slug.clone(),
            id: None,
            class: Class::Additive,
            reason: format!("`{}`: no longer defined by the spec; clients that handle it keep working", p.uri),
            operations: Vec::new(),
        });
    }
    for (slug, a) in old {
        let Some(b) = new.get(slug) else { continue };
        let mut changes = Vec::new();
        let fields = |s: &BTreeSet<String>| s.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        let names = |p: &SpecProblem| p.fields.keys().cloned().collect::<BTreeSet<String>>();
        let gone: BTreeSet<String> = names(a).difference(&names(b)).cloned().collect();
        let more: BTreeSet<String> = names(b).difference(&names(a)).cloned().collect();
        if !gone.is_empty() {
            let why = "clients reading them no longer get them";
            changes.push(Change::new("fields", format!("removed: {}", fields(&gone)), Class::BreakingWire, why));
        }
        if !more.is_empty() {
            let why = "more detail in the error";
            changes.push(Change::new("fields", format!("added: {}", fields(&more)), Class::Additive, why));
        }
        if a.uri != b.uri {
            let detail = format!("`{}` → `{}`", a.uri, b.uri);
            changes.push(Change::new(
                "type URI",
                detail,
                Class::BreakingWire,
                "clients matching the URI exactly miss it",
            ));
        }
        if !changes.is_empty() {
            section.changed.push(Changed { name: slug.clone(), id: None, changes, operations: Vec::new() });
        }
    }
    let counts = Counts {
        added: section.added.len(),
        removed: section.removed.len(),
        changed: section.changed.len(),
        ..Counts::default()
    };
    (section, counts)
}
