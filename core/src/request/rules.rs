//! The rules a single value is checked against, shared by parameters and bodies: enum
//! membership, pattern (compiled once per process), length, range and date-time format.

use crate::meta::Constraints;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

fn regex(pattern: &'static str) -> Option<regex::Regex> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.entry(pattern).or_insert_with(|| regex::Regex::new(pattern).ok()).clone()
}

/// A finite number, as written (no surrounding spaces: they would be sent as they are).
pub(super) fn number(text: &str) -> Option<f64> {
    text.parse().ok().filter(|n: &f64| n.is_finite())
}

/// RFC 3339 date-time, by shape: `2024-02-15T12:00:00Z`, fractions and offsets allowed.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && matches!(b[b.len() - 1], b'Z' | b'z' | b'0'..=b'9')
}

/// One value to check: its text (what enum membership compares), whether the text rules
/// (pattern, length, format) apply, and its number, when it is one.
pub(super) struct Value<'a> {
    pub text: &'a str,
    pub is_text: bool,
    pub number: Option<f64>,
}

/// Every rule the value breaks, e.g. `pattern ^[0-9]{1,19}$`, `maximum 100`.
pub(super) fn broken(c: &Constraints, values: &[&str], v: &Value<'_>, mut broke: impl FnMut(String)) {
    // Numbers match an enum value by magnitude (`1.0` is `1`), text by spelling.
    let listed = |x: &&str| *x == v.text || v.number.is_some_and(|n| x.parse::<f64>().is_ok_and(|y| y == n));
    if !values.is_empty() && !values.iter().any(listed) {
        broke(format!("one of {}", values.join(", ")));
    }
    if v.is_text {
        if let Some(p) = c.pattern {
            if regex(p).is_some_and(|r| !r.is_match(v.text)) {
                broke(format!("pattern {p}"));
            }
        }
        let len = v.text.chars().count() as u64;
        if c.min_length.is_some_and(|m| len < m) || c.max_length.is_some_and(|m| len > m) {
            broke(format!("length {}", range(c.min_length, c.max_length)));
        }
        if c.format == Some("date-time") && !is_date_time(v.text) {
            broke("format date-time".to_owned());
        }
    }
    if let Some(n) = v.number {
        if let Some(m) = c.minimum.filter(|m| n < *m) {
            broke(format!("minimum {m}"));
        }
        if let Some(m) = c.maximum.filter(|m| n > *m) {
            broke(format!("maximum {m}"));
        }
    }
}

/// `1..=10`, `1..=` or `0..=10`.
pub(super) fn range(min: Option<u64>, max: Option<u64>) -> String {
    format!("{}..={}", min.unwrap_or(0), max.map_or(String::new(), |m| m.to_string()))
}

/// Item count and uniqueness of an array.
pub(super) fn broken_items<T: Ord>(c: &Constraints, items: &[T], mut broke: impl FnMut(String)) {
    let n = items.len() as u64;
    if c.min_items.is_some_and(|m| n < m) || c.max_items.is_some_and(|m| n > m) {
        broke(format!("items {}", range(c.min_items, c.max_items)));
    }
    if c.unique_items {
        let mut seen = std::collections::BTreeSet::new();
        if !items.iter().all(|item| seen.insert(item)) {
            broke("unique items".to_owned());
        }
    }
}
