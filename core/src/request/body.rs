//! Checks a JSON body against its schema from `crate::schemas`. Each violation names the
//! place in the body (`body.reply.in_reply_to_tweet_id`, `body.media.media_ids[2]`), the rule,
//! the pointer of the schema that states it, and the value.

use super::rules::{self, Value as Checked};
use super::Violation;
use crate::meta::{Schema, SchemaKind};
use serde_json::Value;

/// Longest value text kept in a violation; longer ones are cut (objects, long strings).
const VALUE_CHARS: usize = 120;

/// How deep schemas may nest while checking, and how many (schema, value) visits one check may
/// make. Recursive `anyOf` schemas can make checking exponential or endless; past either limit
/// the rest is not checked (a pre-flight check must never reject what X might accept).
const MAX_DEPTH: usize = 64;
const MAX_VISITS: usize = 100_000;

struct Budget {
    visits: usize,
}

/// Every way `body` breaks `schema` (empty when it conforms).
pub fn validate_body(schema: &Schema, body: &Value) -> Vec<Violation> {
    validate_at(schema, "#", body)
}

/// [`validate_body`], naming `at` as the pointer when the schema has none of its own (the
/// shared `Schema::OBJECT` and the like).
pub(super) fn validate_at(schema: &Schema, at: &str, body: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    walk(schema, at, body, "body", 0, &mut Budget { visits: 0 }, &mut out);
    out
}

fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match text.char_indices().nth(VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn type_fits(kind: SchemaKind, value: &Value) -> bool {
    match kind {
        SchemaKind::String => value.is_string(),
        SchemaKind::Integer => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0),
        SchemaKind::Number => value.is_number(),
        SchemaKind::Boolean => value.is_boolean(),
        SchemaKind::Array => value.is_array(),
        SchemaKind::Object => value.is_object(),
        _ => true,
    }
}

fn kind_name(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::String => "string",
        SchemaKind::Integer => "integer",
        SchemaKind::Number => "number",
        SchemaKind::Boolean => "boolean",
        SchemaKind::Array => "array",
        SchemaKind::Object => "object",
        _ => "any",
    }
}

/// `at` is the schema's pointer, or, for the shared `Schema::STRING`-like schemas that have
/// none, the pointer of the place that uses it.
fn walk(
    schema: &Schema,
    at: &str,
    value: &Value,
    place: &str,
    depth: usize,
    budget: &mut Budget,
    out: &mut Vec<Violation>,
) {
    budget.visits += 1;
    if depth > MAX_DEPTH || budget.visits > MAX_VISITS {
        return;
    }
    let at = if schema.pointer.is_empty() { at } else { schema.pointer };
    let mut broke = |rule: String, value: &Value| {
        out.push(Violation { param: place.to_owned(), rule, pointer: at.to_owned(), value: shown(value) });
    };
    if value.is_null() && schema.nullable {
        return;
    }
    if !type_fits(schema.kind, value) {
        broke(format!("type {}", kind_name(schema.kind)), value);
        return;
    }
    match value {
        Value::String(s) => {
            rules::broken(&schema.constraints, schema.values, &Checked { text: s, is_text: true, number: None }, |r| {
                broke(r, value)
            })
        }
        Value::Number(n) => {
            let text = n.to_string();
            let checked = Checked { text: &text, is_text: false, number: n.as_f64() };
            rules::broken(&schema.constraints, schema.values, &checked, |r| broke(r, value));
        }
        Value::Bool(b) => {
            let text = b.to_string();
            let checked = Checked { text: &text, is_text: false, number: None };
            rules::broken(&schema.constraints, schema.values, &checked, |r| broke(r, value));
        }
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().map(Value::to_string).collect();
            rules::broken_items(&schema.constraints, &texts, |r| broke(r, value));
            let items_at = format!("{at}/items");
            let item_schema = schema.items.unwrap_or(&Schema::ANY);
            for (i, item) in items.iter().enumerate() {
                walk(item_schema, &items_at, item, &format!("{place}[{i}]"), depth + 1, budget, out);
            }
        }
        Value::Object(map) => {
            for name in schema.required.iter().filter(|n| !map.contains_key(**n)) {
                out.push(Violation {
                    param: format!("{place}.{name}"),
                    rule: "required".into(),
                    pointer: at.to_owned(),
                    value: String::new(),
                });
            }
            for (name, field) in map {
                let field_place = format!("{place}.{name}");
                match schema.property(name) {
                    Some(field_schema) => {
                        let field_at = format!("{at}/properties/{}", name.replace('~', "~0").replace('/', "~1"));
                        walk(field_schema, &field_at, field, &field_place, depth + 1, budget, out);
                    }
                    None if !schema.additional => out.push(Violation {
                        param: field_place,
                        rule: "unknown property".into(),
                        pointer: at.to_owned(),
                        value: shown(field),
                    }),
                    None => {}
                }
            }
        }
        Value::Null => {
            let checked = Checked { text: "null", is_text: false, number: None };
            rules::broken(&schema.constraints, schema.values, &checked, |r| broke(r, value));
        }
    }
    for member in schema.all_of {
        walk(member, at, value, place, depth + 1, budget, out);
    }
    if !schema.any_of.is_empty() {
        any_of(schema, at, value, place, depth + 1, budget, out);
    }
}

/// At least one member must fit; when none does, one violation names the closest member's
/// broken rules.
fn any_of(
    schema: &Schema,
    at: &str,
    value: &Value,
    place: &str,
    depth: usize,
    budget: &mut Budget,
    out: &mut Vec<Violation>,
) {
    let mut closest: Option<Vec<Violation>> = None;
    for member in schema.any_of {
        let mut tried = Vec::new();
        walk(member, at, value, place, depth, budget, &mut tried);
        if tried.is_empty() {
            return;
        }
        if closest.as_ref().is_none_or(|c| tried.len() < c.len()) {
            closest = Some(tried);
        }
    }
    let rules: Vec<String> = closest.unwrap_or_default().iter().map(|v| format!("{} {}", v.param, v.rule)).collect();
    out.push(Violation {
        param: place.to_owned(),
        rule: format!("any of {} schemas (closest breaks: {})", schema.any_of.len(), rules.join("; ")),
        pointer: at.to_owned(),
        value: shown(value),
    });
}

#[cfg(test)]
mod tests {
    use super::validate_body;
    use crate::meta::{Schema, SchemaKind};
    use serde_json::json;

    /// `anyOf` that loops back to itself.
    static LOOP: Schema = Schema { pointer: "#/loop", any_of: &[&LOOP, &Schema::STRING], ..Schema::ANY };

    /// A recursive object whose `anyOf` members both descend: exponential without a budget.
    static NODE: Schema = Schema { pointer: "#/node", any_of: &[&NEEDS_A, &NEEDS_B], ..Schema::ANY };
    static NEEDS_A: Schema = Schema {
        pointer: "#/a",
        kind: SchemaKind::Object,
        properties: &[("c", &NODE)],
        required: &["a"],
        ..Schema::ANY
    };
    static NEEDS_B: Schema = Schema { pointer: "#/b", required: &["b"], ..NEEDS_A };

    static LEVEL: Schema = Schema { pointer: "#/level", kind: SchemaKind::Integer, values: &["1", "2"], ..Schema::ANY };
    static MAYBE_LEVEL: Schema = Schema { nullable: true, ..LEVEL };

    #[test]
    fn recursive_schemas_end() {
        assert!(validate_body(&LOOP, &json!({"a": "x"})).len() <= 1);
        let mut deep = json!({});
        for _ in 0..60 {
            deep = json!({"c": deep});
        }
        let _ = validate_body(&NODE, &deep);
    }

    #[test]
    fn null_numbers_and_enums() {
        assert_eq!(validate_body(&LEVEL, &json!(null))[0].rule, "type integer");
        assert!(validate_body(&MAYBE_LEVEL, &json!(null)).is_empty());
        assert!(validate_body(&LEVEL, &json!(1.0)).is_empty(), "1.0 is the listed 1");
        assert_eq!(validate_body(&LEVEL, &json!(3))[0].rule, "one of 1, 2");
    }
}
