//! The effect on the generated Rust API, from the two API digests (`API-DIGEST.txt` as
//! regen would write it for each spec): public items added, removed, renamed (same
//! signature under a new name) and changed signature.

use super::report::{Change, Changed, Class, Counts, Item, Rename, Section};
use std::collections::{BTreeMap, BTreeSet};

/// Item (`type models::Post`, `op getPostsByIds`) → signature.
fn items(digest: &str) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    for line in digest.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let split = if line.starts_with("type ") {
            line.split_once(" = ")
        } else if let Some(rest) = line.strip_prefix("op ") {
            rest.split_once(' ').map(|(id, sig)| (&line[..3 + id.len()], sig))
        } else {
            None
        };
        if let Some((key, sig)) = split {
            out.insert(key, sig);
        }
    }
    out
}

/// Splits `a, B<c, d>, e(f)` at the commas outside brackets.
fn split_top(inner: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '{' => depth += 1,
            '>' | ')' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// `("struct", members)`, `("enum", members)` or `("alias", [target])`.
fn members(sig: &str) -> (&'static str, Vec<&str>) {
    for kind in ["struct", "enum"] {
        if let Some(inner) = sig.strip_prefix(kind).map(str::trim).and_then(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            return (kind, split_top(inner));
        }
    }
    ("alias", vec![sig])
}

fn code_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

fn changed_type(old: &str, new: &str) -> Change {
    let (ko, mo) = members(old);
    let (kn, mn) = members(new);
    let gone: Vec<&str> = mo.iter().filter(|m| !mn.contains(m)).copied().collect();
    let more: Vec<&str> = mn.iter().filter(|m| !mo.contains(m)).copied().collect();
    match (ko, kn) {
        ("enum", "enum") => {
            let mut detail = Vec::new();
            if !gone.is_empty() {
                detail.push(format!("variants removed: {}", code_list(&gone)));
            }
            if !more.is_empty() {
                detail.push(format!("variants added: {}", code_list(&more)));
            }
            let (class, why) = if gone.is_empty() {
                (Class::Additive, "the enum is #[non_exhaustive], so new variants break no match")
            } else {
                (Class::BreakingRust, "code naming the removed variants breaks")
            };
            Change::new("signature", detail.join("; "), class, why)
        }
        ("struct", "struct") => {
            let fields = |m: &[&str]| -> BTreeMap<String, String> {
                m.iter().filter_map(|f| f.split_once(": ")).map(|(n, t)| (n.to_owned(), t.to_owned())).collect()
            };
            let (fo, fnew) = (fields(&mo), fields(&mn));
            let removed: Vec<&str> = fo.keys().filter(|k| !fnew.contains_key(*k)).map(String::as_str).collect();
            let added: Vec<&str> = fnew.keys().filter(|k| !fo.contains_key(*k)).map(String::as_str).collect();
            let retyped: Vec<String> = fo
                .iter()
                .filter_map(|(k, t)| fnew.get(k).filter(|u| *u != t).map(|u| format!("`{k}`: `{t}` → `{u}`")))
                .collect();
            let mut detail = Vec::new();
            let mut why = Vec::new();
            if !removed.is_empty() {
                detail.push(format!("fields removed: {}", code_list(&removed)));
                why.push("code reading removed fields breaks");
            }
            if !added.is_empty() {
                detail.push(format!("fields added: {}", code_list(&added)));
                why.push("struct literals must name the new fields");
            }
            if !retyped.is_empty() {
                detail.push(format!("fields retyped: {}", retyped.join(", ")));
                why.push("code using those fields must follow the new types");
            }
            if detail.is_empty() {
                detail.push("fields reordered".to_owned());
                why.push("nothing that compiled stops compiling");
                return Change::new("signature", detail.join("; "), Class::Additive, why.join("; "));
            }
            Change::new("signature", detail.join("; "), Class::BreakingRust, why.join("; "))
        }
        ("alias", "alias") => {
            Change::new("signature", format!("`{old}` → `{new}`"), Class::BreakingRust, "the alias names another type")
        }
        _ => Change::new("signature", format!("{ko} → {kn}"), Class::BreakingRust, "the item is declared differently"),
    }
}

/// `GET /2/tweets body X -> Y` → (`GET /2/tweets`, `body X -> Y`).
fn op_parts(sig: &str) -> (&str, &str) {
    let mut words = sig.splitn(3, ' ');
    let (method, path, rest) = (words.next().unwrap_or(""), words.next().unwrap_or(""), words.next().unwrap_or(""));
    (&sig[..(method.len() + 1 + path.len()).min(sig.len())], rest)
}

/// `body X -> Y ! E` → (`body X -> Y`, `E`).
fn error_part(types: &str) -> (&str, &str) {
    types.split_once(" ! ").unwrap_or((types, ""))
}

fn changed_op(old: &str, new: &str) -> Change {
    let (wo, to) = op_parts(old);
    let (wn, tn) = op_parts(new);
    let ((to, eo), (tn, en)) = (error_part(to), error_part(tn));
    if to != tn {
        let detail = format!("`{to}` → `{tn}`");
        return Change::new(
            "types",
            detail,
            Class::BreakingRust,
            "the module's `Body`/`Success` aliases name other types",
        );
    }
    if eo != en {
        return Change::new(
            "errors",
            format!("`{eo}` → `{en}`"),
            Class::BreakingRust,
            "the module's `Error` alias names another enum: code naming the enum, or matching a variant it lacks, breaks",
        );
    }
    Change::new("endpoint", format!("`{wo}` → `{wn}`"), Class::Additive, "metadata only (`OPERATION`); the types stay")
}

pub fn compare(old_digest: &str, new_digest: &str) -> (Section, Counts) {
    let old = items(old_digest);
    let new = items(new_digest);
    let removed: Vec<&str> = old.keys().filter(|k| !new.contains_key(*k)).copied().collect();
    let added: Vec<&str> = new.keys().filter(|k| !old.contains_key(*k)).copied().collect();
    let mut section = Section::default();
    let mut counts = Counts { added: added.len(), removed: removed.len(), ..Counts::default() };

    // Same signature under one new name only: a renamed type.
    let mut by_sig: BTreeMap<&str, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for k in removed.iter().filter(|k| k.starts_with("type ")) {
        by_sig.entry(old[k]).or_default().0.push(k);
    }
    for k in added.iter().filter(|k| k.starts_with("type ")) {
        by_sig.entry(new[k]).or_default().1.push(k);
    }
    let mut renamed: BTreeSet<&str> = BTreeSet::new();
    for (r, a) in by_sig.values() {
        if let ([r], [a]) = (&r[..], &a[..]) {
            renamed.insert(r);
            renamed.insert(a);
            section.renamed.push(Rename {
                old: (*r).to_owned(),
                new: (*a).to_owned(),
                ids: None,
                class: Class::BreakingRust,
                reason: "same signature under a new name; code naming the old one breaks".to_owned(),
                changes: Vec::new(),
                operations: Vec::new(),
            });
        }
    }
    section.renamed.sort_by(|a, b| a.old.cmp(&b.old));
    counts.renamed = section.renamed.len();

    for k in removed.iter().filter(|k| !renamed.contains(*k)) {
        let what = if k.starts_with("op ") { "the operation's module" } else { "the type" };
        section.removed.push(Item {
            name: (*k).to_owned(),
            id: None,
            class: Class::BreakingRust,
            reason: format!("{what} is removed; code using it breaks"),
            operations: Vec::new(),
        });
    }
    for k in added.iter().filter(|k| !renamed.contains(*k)) {
        let what = if k.starts_with("op ") { "a new operation module" } else { "a new type" };
        section.added.push(Item {
            name: (*k).to_owned(),
            id: None,
            class: Class::Additive,
            reason: what.to_owned(),
            operations: Vec::new(),
        });
    }
    for (k, old_sig) in &old {
        let Some(new_sig) = new.get(k).filter(|s| *s != old_sig) else { continue };
        let change = if k.starts_with("op ") { changed_op(old_sig, new_sig) } else { changed_type(old_sig, new_sig) };
        section.changed.push(Changed {
            name: (*k).to_owned(),
            id: None,
            changes: vec![change],
            operations: Vec::new(),
        });
    }
    counts.changed = section.changed.len();
    (section, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_top_level_commas_only() {
        assert_eq!(
            split_top("a: Option<BTreeMap<String, X>>, B(Box<C>), c"),
            ["a: Option<BTreeMap<String, X>>", "B(Box<C>)", "c"]
        );
    }

    #[test]
    fn enum_growth_is_additive_and_shrinking_breaks() {
        assert_eq!(
            changed_type("enum { A, Unknown(String) }", "enum { A, B, Unknown(String) }").class,
            Class::Additive
        );
        assert_eq!(
            changed_type("enum { A, B, Unknown(String) }", "enum { A, Unknown(String) }").class,
            Class::BreakingRust
        );
    }

    #[test]
    fn op_path_change_is_metadata_but_type_change_breaks() {
        assert_eq!(changed_op("GET /2/a -> X", "GET /2/b -> X").class, Class::Additive);
        assert_eq!(changed_op("GET /2/a -> X", "GET /2/a -> Y").class, Class::BreakingRust);
    }
}
