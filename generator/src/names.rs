//! Rust identifiers from spec names: sanitising, keyword escaping and collision-free allocation.

use heck::{ToSnakeCase, ToUpperCamelCase};
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

/// Keeps ASCII alphanumerics and turns everything else into word breaks, so heck sees words.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `UpperCamelCase` type or variant name; never empty, never starts with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
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
    let mut name = words(raw).to_snake_case();
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
    let name = heck::ToShoutySnakeCase::to_shouty_snake_case(words(raw).as_str());
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
