//! Every operation's typed `Request` round-trips. Each is built from example values that meet
//! the spec's constraints (found at run time from the metadata and body schemas); it passes
//! `validate`, and `to_http_request` gives exactly the request the dynamic
//! `request::to_http_request` builds from the same values, so the typed fields and the typed
//! body (serialized through the models) lose nothing. A generated crate's test passes in one
//! case per operation: a closure building its typed request with [`one`], [`many`], [`body`].

use crate::meta::{Operation, Param, Schema, SchemaKind, ValueKind};
use crate::request::{self, Body, Params, Violation};
use serde_json::Value;
use std::fmt::Debug;
use std::str::FromStr;

/// The base URL the examples are built against.
pub const BASE: &str = "https://api.x.com";

/// The body of operations that take raw bytes.
pub const EXAMPLE_BYTES: &[u8] = b"id\n1234567890\n";

/// Texts tried, in order, for a string that must match a pattern.
const CANDIDATES: &[&str] = &[
    "1234567890",
    "123456789012345",
    "2024-02-15T12:00:00Z",
    "abc_123",
    "abc",
    "en",
    "a1b2c3d4",
    "3_1460323725123452929",
    "1h",
    "day",
    "AbC123",
    "https://example.com/x",
    "a-b",
    "ABC",
    "EN",
    "202402151200",
    "123-456",
    "123",
    "g1234567890",
];

/// A text that matches a regular expression of the kind specs use (literals, escapes, classes,
/// groups with alternatives, quantifiers, anchors), built by taking the first choice of each
/// construct with its minimum repetition (at least one); `None` for what it does not know.
fn example_for_pattern(pattern: &str) -> Option<String> {
    fn sequence(chars: &[char], at: &mut usize, out: &mut String) -> Option<()> {
        while *at < chars.len() {
            let start = out.len();
            match chars[*at] {
                '^' | '$' => {
                    *at += 1;
                    continue;
                }
                '|' | ')' => return Some(()),
                '(' => {
                    *at += 1;
                    if chars.get(*at) == Some(&'?') {
                        *at += 2; // `(?:`
                    }
                    sequence(chars, at, out)?;
                    // Skip the other alternatives of the group.
                    let mut depth = 0;
                    while *at < chars.len() {
                        match chars[*at] {
                            '\\' => *at += 1,
                            '(' => depth += 1,
                            ')' if depth == 0 => break,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        *at += 1;
                    }
                    *at += 1;
                }
                '[' => {
                    *at += 1;
                    if chars.get(*at) == Some(&'^') {
                        return None;
                    }
                    let first = match chars.get(*at)? {
                        '\\' => {
                            *at += 1;
                            escaped(*chars.get(*at)?)
                        }
                        c => *c,
                    };
                    out.push(first);
                    while *at < chars.len() && chars[*at] != ']' {
                        *at += if chars[*at] == '\\' { 2 } else { 1 };
                    }
                    *at += 1;
                }
                '\\' => {
                    out.push(escaped(*chars.get(*at + 1)?));
                    *at += 2;
                }
                '.' => {
                    out.push('a');
                    *at += 1;
                }
                c => {
                    out.push(c);
                    *at += 1;
                }
            }
            let atom = out[start..].to_owned();
            let times = match chars.get(*at) {
                Some('*' | '?') => {
                    *at += 1;
                    1
                }
                Some('+') => {
                    *at += 1;
                    1
                }
                Some('{') => {
                    let end = chars[*at..].iter().position(|c| *c == '}')? + *at;
                    let spec: String = chars[*at + 1..end].iter().collect();
                    *at = end + 1;
                    spec.split(',').next()?.trim().parse::<usize>().ok()?.max(1)
                }
                _ => 1,
            };
            for _ in 1..times {
                out.push_str(&atom);
            }
        }
        Some(())
    }
    fn escaped(c: char) -> char {
        match c {
            'd' => '1',
            'w' => 'a',
            's' => ' ',
            other => other,
        }
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    sequence(&chars, &mut at, &mut out)?;
    Some(out)
}

/// Texts to try for a string: one built from its pattern, a plain one, then the candidates.
fn string_tries(c: &crate::meta::Constraints) -> Vec<String> {
    let plain = "a".repeat(c.min_length.unwrap_or(1).max(1) as usize);
    let built = c.pattern.and_then(example_for_pattern);
    built.into_iter().chain(std::iter::once(plain)).chain(CANDIDATES.iter().map(|t| (*t).to_owned())).collect()
}

/// `count` distinct values that meet a parameter's constraints.
fn param_values(op: &Operation, p: &Param, count: usize) -> Vec<String> {
    if !p.values.is_empty() {
        return p.values.iter().take(count).map(|v| (*v).to_owned()).collect();
    }
    let c = &p.item;
    let numeric = |i: usize| (c.minimum.map_or(10.0, |m| m.max(10.0)) + i as f64).min(c.maximum.unwrap_or(f64::MAX));
    let numeric = |i: usize| numeric(i).to_string();
    match p.value_kind {
        ValueKind::Integer | ValueKind::Number => return (0..count).map(numeric).collect(),
        ValueKind::Boolean => return vec!["true".to_owned()],
        _ => {}
    }
    let fits = |text: &str| {
        let mut one = Params::new();
        one.insert(p.name.to_owned(), vec![text.to_owned()]);
        !request::validate(op, &one).err().unwrap_or_default().iter().any(|v| v.param == p.name)
    };
    let mut out: Vec<String> = Vec::new();
    for candidate in string_tries(c) {
        if out.len() < count && !out.contains(&candidate) && fits(&candidate) {
            out.push(candidate);
        }
    }
    assert!(out.len() == count, "{}: no {count} examples for {} ({:?})", op.id, p.name, c.pattern);
    out
}

/// Every parameter, with as many values as it needs.
fn example_params(op: &Operation) -> Params {
    let mut params = Params::new();
    for p in op.params {
        let count = if p.is_array { p.constraints.min_items.unwrap_or(1).max(1) as usize } else { 1 };
        params.insert(p.name.to_owned(), param_values(op, p, count));
    }
    params
}

/// How deep examples nest: past it, a recursive schema gets `null`.
const EXAMPLE_DEPTH: usize = 12;

/// A value that meets `schema` (depth-limited: recursive schemas get their required parts).
fn example_body(schema: &Schema, depth: usize) -> Value {
    // A schema that only reaches itself (`oneOf` holding an `allOf` of itself) has no value
    // of its own down there; the members around it supply one.
    if depth > EXAMPLE_DEPTH {
        return Value::Null;
    }
    if let Some(v) = schema.values.first() {
        return match schema.kind {
            SchemaKind::String => Value::String((*v).to_owned()),
            _ => serde_json::from_str(v).unwrap_or(Value::String((*v).to_owned())),
        };
    }
    if !schema.any_of.is_empty() && schema.properties.is_empty() {
        let tries: Vec<Value> = schema.any_of.iter().map(|m| example_body(m, depth + 1)).collect();
        let fits = tries.iter().find(|v| request::validate_body(schema, v).is_empty());
        return fits.cloned().unwrap_or_else(|| tries[0].clone());
    }
    let c = &schema.constraints;
    match schema.kind {
        SchemaKind::String => {
            let tries: Vec<Value> = string_tries(c).into_iter().map(Value::String).collect();
            let fits = tries.iter().find(|v| request::validate_body(schema, v).is_empty());
            fits.unwrap_or(&tries[0]).clone()
        }
        SchemaKind::Integer => Value::from(c.minimum.map_or(1, |m| m as i64)),
        SchemaKind::Number => Value::from(c.minimum.unwrap_or(1.0)),
        SchemaKind::Boolean => Value::Bool(true),
        SchemaKind::Array => {
            let items = schema.items.unwrap_or(&Schema::STRING);
            let n = c.min_items.unwrap_or(1).max(1).min(c.max_items.unwrap_or(u64::MAX)) as usize;
            if depth > 8 && c.min_items.unwrap_or(0) == 0 {
                return Value::Array(Vec::new());
            }
            Value::Array((0..n).map(|_| example_body(items, depth + 1)).collect())
        }
        _ => {
            let mut base = serde_json::Map::new();
            for member in schema.all_of {
                if let Value::Object(m) = example_body(member, depth + 1) {
                    base.extend(m);
                }
            }
            let with = |base: &serde_json::Map<String, Value>, keep: &dyn Fn(&str) -> bool| {
                let mut map = base.clone();
                for (name, property) in schema.properties.iter().filter(|(n, _)| keep(n)) {
                    map.insert((*name).to_owned(), example_body(property, depth + 1));
                }
                map
            };
            let required = |n: &str| schema.required.contains(&n);
            if schema.any_of.is_empty() {
                return Value::Object(with(&base, &|n| required(n) || depth < 2));
            }
            // `anyOf` members constrain the properties: try every property, only the required
            // ones, then each member's own demands, and keep the first that fits.
            let mut tries = vec![with(&base, &|_| true), with(&base, &required)];
            for member in schema.any_of {
                let mut map = with(&base, &|n| required(n) || member.required.contains(&n));
                if let Value::Object(own) = example_body(member, depth + 1) {
                    map.extend(own);
                }
                tries.push(map);
            }
            let tries: Vec<Value> = tries.into_iter().map(Value::Object).collect();
            let fits = tries.iter().find(|v| request::validate_body(schema, v).is_empty());
            fits.cloned().unwrap_or_else(|| tries[0].clone())
        }
    }
}

/// The body example for an operation's JSON media type, when it takes one.
fn example_json(op: &Operation) -> Option<Value> {
    let media = op.request_body.iter().find(|m| m.media_type == "application/json")?;
    Some(media.schema.map_or(Value::Object(Default::default()), |s| example_body(s, 0)))
}

/// The body the dynamic request gets: the JSON example, else (an operation that takes neither
/// JSON nor multipart) the example bytes under its media type.
fn example_body_for(op: &Operation, json: &Option<Value>) -> Option<Body> {
    if let Some(v) = json {
        return Some(Body::Json(v.clone()));
    }
    let media = op.request_body.first().filter(|m| m.media_type != "multipart/form-data")?;
    Some(Body::Bytes { media_type: media.media_type.to_owned(), data: EXAMPLE_BYTES.to_vec() })
}

/// The example value of a parameter, parsed as the typed field takes it.
pub fn one<T: FromStr>(p: &Params, name: &str) -> T
where
    T::Err: Debug,
{
    p[name][0].parse().unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The example values of a list parameter, parsed as the typed field takes them.
pub fn many<T: FromStr>(p: &Params, name: &str) -> Vec<T>
where
    T::Err: Debug,
{
    p[name].iter().map(|v| v.parse().unwrap_or_else(|e| panic!("{name}: {e:?}"))).collect()
}

/// The example JSON body, read as the operation's body model.
pub fn body<T: serde::de::DeserializeOwned>(b: &Option<Value>) -> T {
    let b = b.clone().expect("the operation takes a JSON body");
    serde_json::from_value(b.clone()).unwrap_or_else(|e| panic!("the model does not take the example {b}: {e}"))
}

/// Builds an operation's typed request from the example params and JSON body.
pub type Build = fn(&Params, &Option<Value>) -> Result<http::Request<Vec<u8>>, Vec<Violation>>;

/// Checks every case (one per operation: `operations` of them) and panics at the first that
/// does not round-trip.
pub fn round_trip(cases: Vec<(&'static Operation, Build)>, operations: usize) {
    assert_eq!(cases.len(), operations, "one case per operation");
    for (op, build) in cases {
        let params = example_params(op);
        let json = example_json(op);
        let dynamic_body = example_body_for(op, &json);
        let expected = request::to_http_request(op, BASE, &params, dynamic_body.as_ref())
            .unwrap_or_else(|v| panic!("{}: the example breaks the spec: {v:?}", op.id));
        let typed = build(&params, &json).unwrap_or_else(|v| panic!("{}: {v:?}", op.id));
        assert_eq!(typed.method(), expected.method(), "{}", op.id);
        assert_eq!(typed.uri(), expected.uri(), "{}", op.id);
        assert_eq!(typed.headers(), expected.headers(), "{}", op.id);
        if json.is_some() {
            let sent: Option<Value> = serde_json::from_slice(typed.body()).ok();
            assert_eq!(sent, json, "{}: the typed body serializes to what was checked", op.id);
        } else {
            assert_eq!(typed.body(), expected.body(), "{}: the same bytes", op.id);
        }
        let uri = typed.uri().to_string();
        assert!(uri.starts_with("https://api.x.com/") && !uri.contains('{'), "{}: {uri}", op.id);
    }
}
