//! Every constraint the spec states on a parameter reaches the metadata the pre-flight checks
//! read. The spec is walked as raw JSON (not through the generator), so a constraint the IR
//! drops fails here: pattern, lengths, range and format of each value (an array's items, inline
//! or by `$ref`), item count and uniqueness of an array, and the values of an enum.

use serde_json::Value;
use std::collections::BTreeMap;
use xapi::meta::{Constraints, Location, Method, Operation, Param};
use xapi::request::{validate, Params};

fn spec() -> Option<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../shared/spec/x-openapi-{}.json", xapi::types::SPEC_VERSION));
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).expect("the pinned spec is JSON"))
}

/// Follows `$ref`s (local ones only) to the object they name.
fn resolve<'a>(spec: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else { return v };
        let Some(target) = r.strip_prefix('#').and_then(|p| spec.pointer(p)) else { return v };
        v = target;
    }
    v
}

/// What the spec states about a value: the first schema along a `$ref` chain that states
/// anything (as the metadata takes it from the first named type that has constraints).
#[derive(Debug, Default, PartialEq)]
struct Stated {
    pattern: Option<String>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    date_time: bool,
    values: Vec<String>,
}

fn stated(spec: &Value, schema: &Value) -> Stated {
    let mut s = schema;
    for _ in 0..32 {
        let here = Stated {
            pattern: s.get("pattern").and_then(Value::as_str).map(str::to_owned),
            min_length: s.get("minLength").and_then(Value::as_u64),
            max_length: s.get("maxLength").and_then(Value::as_u64),
            minimum: s.get("minimum").and_then(Value::as_f64),
            maximum: s.get("maximum").and_then(Value::as_f64),
            date_time: s.get("format").and_then(Value::as_str) == Some("date-time"),
            values: s
                .get("enum")
                .and_then(Value::as_array)
                .map(|e| e.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect())
                .unwrap_or_default(),
        };
        if here != Stated::default() {
            return here;
        }
        let Some(next) = s.get("$ref").and_then(Value::as_str).and_then(|r| spec.pointer(r.strip_prefix('#')?)) else {
            return here;
        };
        s = next;
    }
    Stated::default()
}

fn method(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "patch" => Method::Patch,
        _ => return None,
    })
}

fn location(name: &str) -> Option<Location> {
    Some(match name {
        "path" => Location::Path,
        "query" => Location::Query,
        "header" => Location::Header,
        _ => return None,
    })
}

fn check_value(at: &str, c: &Constraints, s: &Stated, problems: &mut Vec<String>) {
    let mut differs = |what: &str, ok: bool| {
        if !ok {
            problems.push(format!("{at}: {what} {s:?} vs {c:?}"));
        }
    };
    differs("pattern", c.pattern == s.pattern.as_deref());
    differs("minLength", c.min_length == s.min_length);
    differs("maxLength", c.max_length == s.max_length);
    differs("minimum", c.minimum == s.minimum);
    differs("maximum", c.maximum == s.maximum);
    differs("format", !s.date_time || c.format == Some("date-time"));
}

#[test]
fn every_parameter_constraint_the_spec_states_reaches_the_metadata() {
    let Some(spec) = spec() else {
        eprintln!("no spec beside the repository: nothing to check");
        return;
    };
    let ops: BTreeMap<(Method, &str), &Operation> =
        xapi::operations::ALL.iter().map(|o| ((o.method, o.path), *o)).collect();
    let (mut checked, mut problems) = (0, Vec::new());
    for (path, item) in spec["paths"].as_object().expect("paths") {
        let item = resolve(&spec, item);
        let shared = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for (m, op) in item.as_object().into_iter().flatten() {
            let Some(method) = method(m) else { continue };
            let Some(meta) = ops.get(&(method, path.as_str())) else {
                problems.push(format!("{m} {path}: no operation in the metadata"));
                continue;
            };
            let own = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for p in shared.iter().chain(&own) {
                let p = resolve(&spec, p);
                let (Some(name), Some(loc)) = (p["name"].as_str(), p["in"].as_str().and_then(location)) else {
                    continue;
                };
                let at = format!("{} {name}", meta.id);
                let Some(param): Option<&Param> = meta.params.iter().find(|q| q.name == name && q.location == loc)
                else {
                    problems.push(format!("{at}: not in the metadata"));
                    continue;
                };
                let schema = resolve(&spec, &p["schema"]);
                let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
                let value = if is_array { stated(&spec, &schema["items"]) } else { stated(&spec, &p["schema"]) };
                check_value(&at, &param.item, &value, &mut problems);
                if is_array {
                    let c = &param.constraints;
                    if c.min_items != schema.get("minItems").and_then(Value::as_u64)
                        || c.max_items != schema.get("maxItems").and_then(Value::as_u64)
                        || c.unique_items != schema.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false)
                    {
                        problems.push(format!("{at}: item count or uniqueness {schema} vs {c:?}"));
                    }
                }
                // spec/wire.yaml may add values X sends; none the spec lists may be missing.
                let missing: Vec<_> = value.values.iter().filter(|v| !param.values.contains(&v.as_str())).collect();
                if !missing.is_empty() {
                    problems.push(format!("{at}: enum values {missing:?} missing"));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} parameters checked");
    assert!(problems.is_empty(), "{} of {checked}:\n{}", problems.len(), problems.join("\n"));
}

/// The operations whose array items carry a pattern only inline reject a value that breaks it
/// before anything is sent.
#[test]
fn array_items_are_checked_one_by_one() {
    let cases = [
        ("deleteActivitySubscriptionsByIds", "ids"),
        ("getMediaByMediaKeys", "media_keys"),
        ("getSpacesByIds", "ids"),
        ("getUsersByUsernames", "usernames"),
        ("getRules", "ids"),
    ];
    for (id, name) in cases {
        let op = xapi::operations::ALL.iter().find(|o| o.id == id).unwrap_or_else(|| panic!("{id}"));
        let mut params = Params::new();
        for p in op.params.iter().filter(|p| p.required && p.name != name) {
            params.insert(p.name.to_owned(), vec!["1234567890".to_owned()]);
        }
        params.insert(name.to_owned(), vec!["abc!".to_owned()]);
        let violations = validate(op, &params).expect_err(id);
        assert!(
            violations.iter().any(|v| v.param == name && v.rule.to_string().starts_with("pattern")),
            "{id}: {violations:?}"
        );
    }
}
