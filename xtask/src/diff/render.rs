//! Writing a report: Markdown for people (a PR comment), JSON for tools.

use super::report::{Change, Changed, Class, Counts, Item, Operations, Rename, Report, Section, Shared};
use std::fmt::Write;

/// Longer lists are folded into `<details>`.
const FOLD: usize = 10;

const RENAMED: &str = "Renamed (same structure)";
const REPLACED: &str = "Replaced (remove + add in the same place, different structure)";

pub fn json(report: &Report) -> Result<String, String> {
    serde_json::to_string_pretty(report).map(|s| s + "\n").map_err(|e| format!("writing JSON: {e}"))
}

/// The Markdown report, with every list in full, or — when it must fit `max_chars` (a PR
/// comment is limited) — with lists cut shorter and shorter until it does.
pub fn markdown(report: &Report, max_chars: Option<usize>) -> String {
    let full = Md::new(None).report(report);
    let Some(max) = max_chars else { return full };
    if full.len() <= max {
        return full;
    }
    // The longest lists that fit: the output only grows with the limit, so bisect.
    let (mut lo, mut hi) = (0usize, longest_list(report));
    let mut best = None;
    while lo <= hi {
        let mid = lo + (hi - lo) / 2;
        let md = Md::new(Some(mid)).report(report);
        if md.len() <= max {
            best = Some(md);
            lo = mid + 1;
        } else if mid == 0 {
            break;
        } else {
            hi = mid - 1;
        }
    }
    if let Some(md) = best {
        return md;
    }
    // Still too long (a tiny limit): cut at a line, keeping room for saying so.
    const CUT: &str = "\n… (cut to fit; the JSON report has everything)\n";
    let md = Md::new(Some(0)).report(report);
    let room = max.saturating_sub(CUT.len());
    let end = md.char_indices().map(|(i, _)| i).take_while(|&i| i <= room).last().unwrap_or(0);
    let end = md[..end].rfind('\n').unwrap_or(0);
    format!("{}{CUT}", &md[..end])
}

fn longest_list(r: &Report) -> usize {
    let o = &r.operations;
    let sections = [&r.schemas, &r.problem_types, &r.rust_api];
    let lens = [o.added.len(), o.removed.len(), o.renamed.len(), o.replaced.len(), o.shared.len(), o.changed.len()]
        .into_iter()
        .chain(
            sections
                .iter()
                .flat_map(|s| [s.added.len(), s.removed.len(), s.renamed.len(), s.replaced.len(), s.changed.len()]),
        );
    lens.max().unwrap_or(0)
}

struct Md {
    out: String,
    /// At most this many entries per list (the rest are counted).
    limit: Option<usize>,
}

fn class(c: Class) -> String {
    match c {
        Class::Additive => "*additive*".to_owned(),
        c => format!("**{}**", c.label()),
    }
}

fn change_line(c: &Change) -> String {
    format!("{}: {} — {}: {}", c.subject, c.detail, class(c.class), c.reason)
}

fn op(name: &str, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("`{name}` (`{id}`)"),
        None => format!("`{name}`"),
    }
}

impl Md {
    fn new(limit: Option<usize>) -> Self {
        Self { out: String::new(), limit }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A bulleted list, folded when long, cut at the limit.
    fn list(&mut self, summary: &str, lines: Vec<String>) {
        if lines.is_empty() {
            return;
        }
        let fold = lines.len() > FOLD;
        if fold {
            let _ = writeln!(self.out, "<details><summary>{summary}</summary>\n");
        }
        let shown = self.limit.unwrap_or(usize::MAX).min(lines.len());
        for l in &lines[..shown] {
            self.line(l);
        }
        if shown < lines.len() {
            let _ = writeln!(self.out, "- … and {} more (the JSON report has them all)", lines.len() - shown);
        }
        if fold {
            self.line("\n</details>");
        }
        self.line("");
    }

    /// "affects 3 operations: `GET /2/a`, …" (folded when long).
    fn operations(ops: &[String], verb: &str) -> String {
        if ops.is_empty() {
            return String::new();
        }
        let n = ops.len();
        let noun = if n == 1 { "operation" } else { "operations" };
        let all = ops.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ");
        if n > FOLD {
            format!(" — {verb} <details><summary>{n} {noun}</summary>{all}</details>")
        } else {
            format!(" — {verb} {n} {noun}: {all}")
        }
    }

    fn report(mut self, r: &Report) -> String {
        let _ = writeln!(self.out, "# Spec diff: `{}` → `{}`\n", r.old.version, r.new.version);
        for (label, side) in [("old", &r.old), ("new", &r.new)] {
            let pinned = side.pinned.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
            let _ = writeln!(self.out, "- {label}: `{}`{pinned} (info.version `{}`)", side.source, side.version);
        }
        self.line("");
        self.review(&r.review);
        if r.is_empty() {
            self.line("No differences.");
            return self.out;
        }
        self.summary(r);
        self.drift(&r.drift);
        self.ops(&r.operations);
        self.section("Component schemas", "schemas", &r.schemas, true);
        self.section("Problem types", "problem types", &r.problem_types, false);
        self.error_surface(&r.error_surface);
        self.section("Rust API (`xapi-types`)", "items", &r.rust_api, false);
        self.out
    }

    /// Wire drift in one list, what spec/wire.yaml does not cover first: each uncovered entry
    /// is a question for the reviewer (does X still send or take the old form?).
    fn drift(&mut self, items: &[crate::diff::report::DriftItem]) {
        if items.is_empty() {
            return;
        }
        let covered = items.iter().filter(|d| d.covered).count();
        self.line(&format!(
            "## Wire drift ({}; {covered} covered by `spec/wire.yaml`, {} not)\n",
            items.len(),
            items.len() - covered
        ));
        self.line(
            "Renamed properties, properties that became required and enum values removed. X often keeps \
             sending or taking the old form: cover each in `spec/wire.yaml` with its evidence, or confirm it.\n",
        );
        let rows: Vec<String> = items
            .iter()
            .map(|d| {
                let mark = if d.covered { "covered" } else { "**not covered**" };
                format!("- {mark}: `{}` {}: {}", d.place, d.subject, d.detail)
            })
            .collect();
        self.list(&format!("{} entries", rows.len()), rows);
    }

    /// What the new spec states that our tables lack: first, as it is work for the reviewer.
    fn review(&mut self, items: &[String]) {
        if items.is_empty() {
            return;
        }
        self.line(&format!(
            "## To review: what the new spec states that `spec/` lacks ({})
",
            items.len()
        ));
        self.line("Regen generates these from the spec's facts; describe each in our tables.\n");
        for item in items {
            self.line(&format!("- {item}"));
        }
        self.line("");
    }

    fn error_surface(&mut self, e: &crate::diff::report::ErrorSurface) {
        if !e.available {
            self.line("## Error surface: not available\n");
            self.line(&e.note);
            self.line("");
            return;
        }
        self.line(&format!("## Error surface ({} operations changed)\n", e.changes.len()));
        self.line(&e.note);
        self.line("");
        if e.changes.is_empty() {
            self.line("No operation present in both specs gains or loses an error variant.\n");
            return;
        }
        self.line(
            "| operation | variants added (additive) | variants removed (breaking for Rust users) |\n|---|---|---|",
        );
        for c in &e.changes {
            let list = |v: &[String]| v.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
            self.line(&format!("| `{}` | {} | {} |", c.operation, list(&c.added), list(&c.removed)));
        }
        self.line("");
    }

    fn summary(&mut self, r: &Report) {
        let s = &r.summary;
        self.line("## Summary\n");
        self.line("| | added | removed | renamed | replaced | changed |");
        self.line("|:--|--:|--:|--:|--:|--:|");
        let rows: [(&str, &Counts); 4] = [
            ("Operations (METHOD + path)", &s.operations),
            ("Component schemas", &s.schemas),
            ("Problem types", &s.problem_types),
            ("Rust API items", &s.rust_api),
        ];
        for (name, c) in rows {
            let _ = writeln!(
                self.out,
                "| {name} | {} | {} | {} | {} | {} |",
                c.added, c.removed, c.renamed, c.replaced, c.changed
            );
        }
        let c = &s.classes;
        let _ = writeln!(
            self.out,
            "\n**{} entries can break wire clients, {} can break Rust users; {} are additive.**\n",
            c.breaking_wire, c.breaking_rust, c.additive
        );
        self.line(
            "*breaking: wire*: a client speaking HTTP that worked with the old spec may fail; \
             *breaking: Rust*: code that compiled against the old `xapi-types` may not; \
             *additive*: nothing that worked stops working. Added and removed count names; \
             renamed (same structure) and replaced (one took the other's place, structure \
             differing) count pairs among them, listed apart.\n",
        );
    }

    fn items(&mut self, title: &str, noun: &str, items: &[Item], show_ops: bool) {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(self.out, "### {title} ({})\n", items.len());
        let lines = items
            .iter()
            .map(|i| {
                let used = if show_ops && !i.operations.is_empty() {
                    format!(
                        " (used by {} operation{})",
                        i.operations.len(),
                        if i.operations.len() == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                };
                format!("- {}{used} — {}: {}", op(&i.name, i.id.as_deref()), class(i.class), i.reason)
            })
            .collect();
        self.list(&format!("{} {noun}", items.len()), lines);
    }

    fn renames(&mut self, title: &str, noun: &str, renames: &[Rename]) {
        if renames.is_empty() {
            return;
        }
        let _ = writeln!(self.out, "### {title} ({})\n", renames.len());
        let lines = renames
            .iter()
            .map(|r| {
                let ids = match &r.ids {
                    Some((a, b)) if a == b => format!(" (`{a}`)"),
                    Some((a, b)) => format!(" (`{a}` → `{b}`)"),
                    None => String::new(),
                };
                let mut line = format!("- `{}` → `{}`{ids} — {}: {}", r.old, r.new, class(r.class), r.reason);
                for c in &r.changes {
                    let _ = write!(line, "\n  - {}", change_line(c));
                }
                line
            })
            .collect();
        self.list(&format!("{} {noun}", renames.len()), lines);
    }

    fn changed(&mut self, title: &str, noun: &str, changed: &[Changed]) {
        if changed.is_empty() {
            return;
        }
        let _ = writeln!(self.out, "### {title} ({})\n", changed.len());
        let lines = changed
            .iter()
            .map(|c| {
                let mut line =
                    format!("- {}{}", op(&c.name, c.id.as_deref()), Self::operations(&c.operations, "affects"));
                for ch in &c.changes {
                    let _ = write!(line, "\n  - {}", change_line(ch));
                }
                line
            })
            .collect();
        self.list(&format!("{} {noun}", changed.len()), lines);
    }

    fn ops(&mut self, o: &Operations) {
        let renames = o.renamed.is_empty() && o.replaced.is_empty();
        if o.added.is_empty() && o.removed.is_empty() && renames && o.shared.is_empty() && o.changed.is_empty() {
            return;
        }
        self.line("## Operations\n");
        self.items("Added", "operations", &o.added, false);
        self.items("Removed", "operations", &o.removed, false);
        self.renames(RENAMED, "operations", &o.renamed);
        self.renames(REPLACED, "operations", &o.replaced);
        if !o.shared.is_empty() {
            let _ = writeln!(self.out, "### Changes shared by several operations ({})\n", o.shared.len());
            let lines = o
                .shared
                .iter()
                .map(|Shared { change, operations }| {
                    format!("- {}{}", change_line(change), Self::operations(operations, "on"))
                })
                .collect();
            self.list(&format!("{} changes", o.shared.len()), lines);
        }
        self.changed("Changed", "operations", &o.changed);
    }

    fn section(&mut self, title: &str, noun: &str, s: &Section, show_ops: bool) {
        if s.added.is_empty()
            && s.removed.is_empty()
            && s.renamed.is_empty()
            && s.replaced.is_empty()
            && s.changed.is_empty()
        {
            return;
        }
        let _ = writeln!(self.out, "## {title}\n");
        self.items("Added", noun, &s.added, show_ops);
        self.items("Removed", noun, &s.removed, show_ops);
        self.renames(RENAMED, noun, &s.renamed);
        self.renames(REPLACED, noun, &s.replaced);
        self.changed("Changed", noun, &s.changed);
    }
}
