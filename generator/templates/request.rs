//! Pre-flight checks and encoding for requests, driven by each operation's metadata: every
//! constraint the spec states on a parameter (pattern, length, range, item count, uniqueness,
//! enum membership, date-time format, required) is checked before anything is sent, and all
//! violations are reported at once. Patterns are compiled once per process.

use crate::errors::Problem;
use crate::meta::{Location, Operation, Param, ValueKind};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The parameter's name.
    pub param: String,
    /// The rule, e.g. `pattern ^[0-9]{1,19}$` or `required`.
    pub rule: String,
    /// JSON pointer of the constraint's schema in the spec.
    pub pointer: String,
    /// The value that broke it (empty for a missing parameter).
    pub value: String,
}

/// Parameter values by name, as text; arrays hold one entry per item.
pub type Params = BTreeMap<String, Vec<String>>;

/// Every violation, as the `invalid-request` problem X itself would answer with, marked local
/// (`"local": true`) so a caller handles both in one `match`.
pub fn as_problem(violations: &[Violation]) -> Problem {
    let errors: Vec<serde_json::Value> = violations
        .iter()
        .map(|v| serde_json::json!({"parameter": v.param, "rule": v.rule, "pointer": v.pointer, "value": v.value}))
        .collect();
    let mut map = serde_json::Map::new();
    map.insert("type".into(), "https://api.x.com/2/problems/invalid-request".into());
    map.insert("title".into(), "Invalid Request".into());
    map.insert("detail".into(), format!("{} parameter value(s) break the spec's constraints", violations.len()).into());
    map.insert("errors".into(), errors.into());
    map.insert("local".into(), true.into());
    Problem::from_map(map)
}

fn regex(pattern: &'static str) -> Option<regex::Regex> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.entry(pattern).or_insert_with(|| regex::Regex::new(pattern).ok()).clone()
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse().ok()
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

fn check_value(param: &Param, value: &str, out: &mut Vec<Violation>) {
    let c = &param.item;
    let mut broke = |rule: String| {
        out.push(Violation { param: param.name.to_owned(), rule, pointer: param.pointer.to_owned(), value: value.to_owned() });
    };
    if !param.values.is_empty() && !param.values.contains(&value) {
        broke(format!("one of {}", param.values.join(", ")));
    }
    match param.value_kind {
        ValueKind::Integer if value.trim().parse::<i64>().is_err() => broke("integer".to_owned()),
        ValueKind::Number if number(value).is_none() => broke("number".to_owned()),
        ValueKind::Boolean if !matches!(value, "true" | "false") => broke("boolean".to_owned()),
        _ => {}
    }
    if let Some(p) = c.pattern {
        if regex(p).is_some_and(|r| !r.is_match(value)) {
            broke(format!("pattern {p}"));
        }
    }
    let len = value.chars().count() as u64;
    if c.min_length.is_some_and(|m| len < m) || c.max_length.is_some_and(|m| len > m) {
        broke(format!("length {}..={}", c.min_length.unwrap_or(0), c.max_length.map_or("".to_owned(), |m| m.to_string())));
    }
    if let Some(n) = number(value) {
        if c.minimum.is_some_and(|m| n < m) {
            broke(format!("minimum {}", c.minimum.unwrap_or_default()));
        }
        if c.maximum.is_some_and(|m| n > m) {
            broke(format!("maximum {}", c.maximum.unwrap_or_default()));
        }
    }
    if c.format == Some("date-time") && !is_date_time(value) {
        broke("format date-time".to_owned());
    }
}

/// Checks parameter values against the operation's constraints; every violation is returned.
pub fn validate(operation: &Operation, params: &Params) -> Result<(), Vec<Violation>> {
    let mut out = Vec::new();
    for name in params.keys() {
        if operation.param(name).is_none() {
            out.push(Violation { param: name.clone(), rule: "unknown parameter".into(), pointer: operation.pointer.into(), value: String::new() });
        }
    }
    for param in operation.params {
        let values = params.get(param.name).filter(|v| !v.is_empty());
        let Some(values) = values else {
            if param.required {
                out.push(Violation { param: param.name.into(), rule: "required".into(), pointer: param.pointer.into(), value: String::new() });
            }
            continue;
        };
        if !param.is_array && values.len() > 1 {
            out.push(Violation { param: param.name.into(), rule: "one value".into(), pointer: param.pointer.into(), value: values.join(",") });
        }
        let c = &param.constraints;
        let n = values.len() as u64;
        if c.min_items.is_some_and(|m| n < m) || c.max_items.is_some_and(|m| n > m) {
            let rule = format!("items {}..={}", c.min_items.unwrap_or(0), c.max_items.map_or("".to_owned(), |m| m.to_string()));
            out.push(Violation { param: param.name.into(), rule, pointer: param.pointer.into(), value: values.join(",") });
        }
        if c.unique_items {
            let mut seen = std::collections::BTreeSet::new();
            if let Some(dup) = values.iter().find(|v| !seen.insert(v.as_str())) {
                out.push(Violation { param: param.name.into(), rule: "unique items".into(), pointer: param.pointer.into(), value: dup.clone() });
            }
        }
        for value in values {
            check_value(param, value, &mut out);
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The path with its parameters filled in, and the query string. Values are percent-encoded
/// per RFC 3986; the commas joining an `explode: false` array stay commas (`ids=1,2`).
pub fn path_and_query(operation: &Operation, params: &Params) -> String {
    let mut path = operation.path.to_owned();
    let mut query = Vec::new();
    for param in operation.params {
        let Some(values) = params.get(param.name).filter(|v| !v.is_empty()) else { continue };
        let encoded: Vec<String> = values.iter().map(|v| utf8_percent_encode(v, COMPONENT).to_string()).collect();
        match param.location {
            Location::Path => path = path.replace(&format!("{{{}}}", param.name), &encoded.join(",")),
            Location::Query if param.comma_joined || !param.is_array => {
                query.push(format!("{}={}", utf8_percent_encode(param.name, COMPONENT), encoded.join(",")))
            }
            Location::Query => {
                query.extend(encoded.iter().map(|v| format!("{}={v}", utf8_percent_encode(param.name, COMPONENT))))
            }
            _ => {}
        }
    }
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Validates, then builds the HTTP request X would receive. `body` is the JSON body (if the
/// operation takes one).
pub fn to_http_request(
    operation: &Operation,
    base_url: &str,
    params: &Params,
    body: Option<Vec<u8>>,
) -> Result<http::Request<Vec<u8>>, Vec<Violation>> {
    validate(operation, params)?;
    let mut builder = http::Request::builder()
        .method(operation.method.as_str())
        .uri(format!("{}{}", base_url.trim_end_matches('/'), path_and_query(operation, params)));
    for param in operation.params.iter().filter(|p| p.location == Location::Header) {
        if let Some(v) = params.get(param.name).and_then(|v| v.first()) {
            builder = builder.header(param.name, v.as_str());
        }
    }
    if body.is_some() {
        builder = builder.header(http::header::CONTENT_TYPE, "application/json");
    }
    builder.body(body.unwrap_or_default()).map_err(|e| {
        vec![Violation { param: String::new(), rule: format!("request: {e}"), pointer: operation.pointer.into(), value: String::new() }]
    })
}
