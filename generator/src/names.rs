//! Rust identifiers from spec names: sanitising, keyword escaping and collision-free allocation.

use std::collections::BTreeSet;

/// Words that cannot be identifiers even as raw identifiers (`r#self` is rejected by rustc).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keywords of Rust 2021 (strict and reserved) that need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// How [`words`] writes each word of a name.
#[derive(Clone, Copy)]
enum Case {
    /// `Word`: the first letter upper case, the rest lower.
    Capital,
    /// `word`.
    Lower,
    /// `WORD`.
    Upper,
}

/// The words of `raw`, each written in `case` and joined by `sep`: heck's word rules
/// (`UpperCamelCase`, `snake_case`, `SHOUTY_SNAKE_CASE`) on the ASCII alphanumerics, with every
/// other character a word break. heck itself goes through `fmt` one character at a time, which
/// showed up as much of the IR's time; `tests::same_as_heck` holds the two to the same result.
fn words(raw: &str, case: Case, sep: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    // Bytes: every one pushed is ASCII.
    let mut out: Vec<u8> = Vec::with_capacity(raw.len() + 4);
    let mut push = |word: &[u8]| {
        if !out.is_empty() {
            out.extend_from_slice(sep.as_bytes());
        }
        match case {
            Case::Upper => out.extend(word.iter().map(u8::to_ascii_uppercase)),
            Case::Lower => out.extend(word.iter().map(u8::to_ascii_lowercase)),
            Case::Capital => {
                if let Some((first, rest)) = word.split_first() {
                    out.push(first.to_ascii_uppercase());
                    out.extend(rest.iter().map(u8::to_ascii_lowercase));
                }
            }
        }
    };
    for run in raw.as_bytes().split(|b| !b.is_ascii_alphanumeric()).filter(|r| !r.is_empty()) {
        // heck's `transform`: a break after a lower-case letter followed by an upper-case one,
        // and before the last of several upper-case letters followed by a lower-case one.
        let mut init = 0;
        let mut mode = Mode::Boundary;
        for i in 0..run.len() {
            let c = run[i];
            let Some(&next) = run.get(i + 1) else {
                push(&run[init..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                push(&run[init..=i]);
                init = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                push(&run[init..i]);
                init = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
    // Every byte pushed is ASCII, so this never falls back.
    String::from_utf8(out).unwrap_or_default()
}

/// `UpperCamelCase` type or variant name; never empty, never starts with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw, Case::Capital, "");
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// `snake_case` field or module name, as it is written in source (with `r#` where needed).
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw, Case::Lower, "_");
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// `SHOUTY_SNAKE_CASE` constant or static name; never empty, never starts with a digit.
pub fn const_name(raw: &str) -> String {
    let name = words(raw, Case::Upper, "_");
    match name.chars().next() {
        None => "UNNAMED".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("N_{name}"),
        Some(_) => name,
    }
}

/// The name without a raw-identifier prefix: what serde sees as the field's default name.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out names that are unique within one scope, adding `2`, `3`, … to repeats.
#[derive(Default, Debug)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a name that must not be handed out (e.g. `Unknown` in enums).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Returns `wanted`, or `wanted` with the smallest number suffix that is still free.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = 2u32;
        loop {
            let candidate = format!("{wanted}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("tweet.fields"), "TweetFields");
        assert_eq!(type_name("attachments.media_keys"), "AttachmentsMediaKeys");
        assert_eq!(type_name("1st"), "V1st");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("--"), "Empty");
        assert_eq!(type_name("self"), "Self_");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("createdAt"), "created_at");
        assert_eq!(field_name("post.fields"), "post_fields");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(const_name("PostFieldsParameter"), "POST_FIELDS_PARAMETER");
        assert_eq!(const_name("1x"), "N_1X");
        assert_eq!(const_name("é"), "UNNAMED");
    }

    /// What `type_name`, `field_name` and `const_name` were built on: heck, after turning
    /// everything but ASCII alphanumerics into spaces.
    fn with_heck(raw: &str) -> [String; 3] {
        use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
        let spaced: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
        [spaced.to_upper_camel_case(), spaced.to_snake_case(), spaced.to_shouty_snake_case()]
    }

    fn ours(raw: &str) -> [String; 3] {
        [words(raw, Case::Capital, ""), words(raw, Case::Lower, "_"), words(raw, Case::Upper, "_")]
    }

    proptest::proptest! {
        // Cheap cases: many of them, since a name that differs from heck's renames a type.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn same_as_heck(raw in "[a-zA-Z0-9 ._/{}é-]{0,24}") {
            proptest::prop_assert_eq!(ours(&raw), with_heck(&raw));
        }
    }

    #[test]
    fn same_as_heck_on_tricky_names() {
        for raw in
            ["HTTPServer", "getXMLHttpRequest", "a1B2c3", "ABC", "aBC", "AbC1d", "1A", "x.y_z-W", "ÉtéA", "A", ""]
        {
            assert_eq!(ours(raw), with_heck(raw), "{raw}");
        }
    }

    /// Every name the specs in `../../shared/spec` (when there) hold: object keys and string
    /// values, which covers schema, property, parameter and operation names and enum values.
    #[test]
    fn same_as_heck_on_the_specs() {
        fn visit(v: &serde_json::Value, names: &mut std::collections::BTreeSet<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        names.insert(k.clone());
                        visit(v, names);
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| visit(v, names)),
                serde_json::Value::String(s) if s.len() < 200 => {
                    names.insert(s.clone());
                }
                _ => {}
            }
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec");
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut names = std::collections::BTreeSet::new();
        for entry in entries.flatten() {
            let Ok(bytes) = std::fs::read(entry.path()) else { continue };
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                visit(&v, &mut names);
            }
        }
        for raw in &names {
            assert_eq!(ours(raw), with_heck(raw), "{raw}");
        }
    }

    #[test]
    fn scope_suffixes() {
        let mut s = Scope::new();
        assert_eq!(s.claim("Foo"), "Foo");
        assert_eq!(s.claim("Foo"), "Foo2");
        assert_eq!(s.claim("Foo"), "Foo3");
        assert_eq!(s.claim("V2"), "V2");
        assert_eq!(s.claim("V2"), "V2_2");
    }
}
