//! `fast` against openapiv3's own `Deserialize`: the same value, or a failure where serde
//! fails; on the real specs, on documents made to hit each rule, and on random schemas.

use super::*;
use proptest::prelude::*;
use serde_json::json;

/// serde's reading of a document, and this module's.
fn both(doc: &Value) -> (Result<OpenAPI, serde_json::Error>, R<OpenAPI>) {
    (serde::Deserialize::deserialize(doc), openapi(doc.clone()))
}

/// What `fast` does with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fast {
    /// Reads it, to what serde reads.
    Reads,
    /// Gives up (`load` then uses serde, so that is only slower, and where serde fails it
    /// must).
    GivesUp,
}
use Fast::{GivesUp, Reads};

/// The two agree (equal values, or `fast` gives up where serde fails), and what `fast` did.
fn agree(doc: &Value) -> Result<Fast, String> {
    match both(doc) {
        (Ok(a), Ok(b)) if a == b => Ok(Reads),
        (Ok(a), Ok(b)) => Err(format!("{doc}\nserde: {a:#?}\nfast: {b:#?}")),
        (Err(_), Ok(b)) => Err(format!("{doc}\nserde fails, fast reads {b:#?}")),
        (_, Err(Abort)) => Ok(GivesUp),
    }
}

/// Each case, put in a document by `doc`, agrees and `fast` does with it what it says; all
/// that do not are reported together.
fn expect(cases: &[(Fast, Value)], doc: impl Fn(&Value) -> Value) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(want, case)| match agree(&doc(case)) {
            Ok(got) if got == *want => None,
            Ok(got) => Some(format!("{case}: fast {got:?}, expected {want:?}")),
            Err(e) => Some(e),
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A document with `schema` as a component schema, a parameter's schema and a body's.
fn with_schema(schema: &Value) -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": {
            "parameters": [{"name": "p", "in": "query", "schema": schema.clone()}],
            "requestBody": {"content": {"application/json": {"schema": schema.clone()}}},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": {"S": schema}}
    })
}

#[test]
fn the_specs_read_the_same() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let wire = crate::wire::Wire::read(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/wire.yaml")));
    for entry in entries.flatten() {
        let mut doc: Value = serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
        for pass in 0..2 {
            if pass == 1 {
                wire.as_ref().unwrap().apply(&mut doc, false).unwrap();
            }
            let (slow, fast) = both(&doc);
            assert!(fast.is_ok(), "{}: fast gave up", entry.path().display());
            assert!(slow.unwrap() == fast.unwrap(), "{}", entry.path().display());
        }
    }
}

#[test]
fn schemas_of_every_kind_read_the_same() {
    let schemas = [
        (Reads, json!({"type": "string", "format": "date-time", "pattern": "^a$", "minLength": 1, "maxLength": 9})),
        (Reads, json!({"type": "string", "enum": ["a", null, "b"], "nullable": true})),
        (Reads, json!({"type": "string", "enum": ["a", 1]})),
        (Reads, json!({"type": "string", "format": "uuid", "x-a": {"b": [1, 2.5, null]}})),
        (Reads, json!({"type": "integer", "format": "int64", "minimum": -3, "maximum": 9007199254740993_u64})),
        (Reads, json!({"type": "integer", "minimum": 1.5})),
        (Reads, json!({"type": "integer", "multipleOf": 2, "exclusiveMinimum": true, "enum": [1, null, 3]})),
        (Reads, json!({"type": "number", "minimum": 0.5, "maximum": 10, "multipleOf": 0.1, "enum": [1.5, 2]})),
        (Reads, json!({"type": "boolean", "enum": [true, null]})),
        (Reads, json!({"type": "boolean", "format": "flag"})),
        (
            Reads,
            json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/c"}}, "required": ["a"]}),
        ),
        (Reads, json!({"type": "object", "additionalProperties": true, "minProperties": 1})),
        (Reads, json!({"type": "object", "additionalProperties": false})),
        (Reads, json!({"type": "object", "additionalProperties": {"type": "integer"}})),
        (Reads, json!({"type": "object", "additionalProperties": {"$ref": "#/c"}})),
        (Reads, json!({"type": "object", "additionalProperties": null})),
        (GivesUp, json!({"type": "object", "additionalProperties": 3})),
        (Reads, json!({"type": "object", "properties": {"a": {}}, "oneOf": [{"required": ["a"]}]})),
        (
            Reads,
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3, "uniqueItems": true}),
        ),
        (Reads, json!({"type": "array"})),
        (Reads, json!({"type": "array", "items": {"$ref": "#/c", "description": "beside a ref"}})),
        (Reads, json!({"oneOf": [{"$ref": "#/a"}, {"type": "string"}], "discriminator": {"propertyName": "t"}})),
        (Reads, json!({"allOf": [{"$ref": "#/a"}, {"properties": {"x": {}}}]})),
        (Reads, json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "description": "d", "title": "t"})),
        (Reads, json!({"not": {"type": "string"}})),
        (Reads, json!({"oneOf": [{}], "allOf": [{}]})),
        (Reads, json!({"type": "thing", "properties": {}})),
        (Reads, json!({"properties": {"a": {}}, "required": ["a"], "readOnly": true, "writeOnly": false})),
        (Reads, json!({"enum": [1, "a", null], "default": 1, "example": {"a": 1}, "deprecated": true})),
        (Reads, json!({"externalDocs": {"url": "https://x"}, "example": null, "default": null})),
        (Reads, json!({"description": null})),
        (Reads, json!({"type": null})),
        (GivesUp, json!({"minLength": -1})),
        (GivesUp, json!({"minLength": 1.0})),
        (GivesUp, json!({"required": "a"})),
        (Reads, json!({"$ref": 5})),
        (Reads, json!({"$ref": "#/a", "$comment": "x"})),
        (Reads, json!({})),
        (GivesUp, json!(true)),
        (GivesUp, json!(null)),
        (GivesUp, json!([])),
    ];
    expect(&schemas, with_schema);
}

#[test]
fn operations_parameters_and_responses_read_the_same() {
    let operations = [
        (
            Reads,
            json!({"responses": {"200": {"description": "ok"}, "2XX": {"description": "r"}, "4xx": {"$ref": "#/r"},
               "default": {"description": "d"}, "x-a": 1, "junk": 2, "1000": {"description": "n"}}}),
        ),
        (
            Reads,
            json!({"responses": {"200": {"description": "ok", "content": {"a/b": {"schema": {"type": "string"},
               "example": 3, "examples": {"e": {"value": 1}}, "encoding": {}, "x-m": true}},
               "headers": {"H": {"schema": {"type": "string"}}}, "links": {}}}}),
        ),
        (GivesUp, json!({"responses": {"200": {"content": {}}}})),
        (GivesUp, json!({"responses": {"default": 5}})),
        (GivesUp, json!({"responses": {"200": null}})),
        (GivesUp, json!({})),
        (
            Reads,
            json!({"tags": ["a", "b"], "summary": "s", "description": "d", "operationId": "id", "deprecated": true,
               "externalDocs": {"url": "https://x"}, "security": [{"a": ["s"]}], "servers": [{"url": "/"}],
               "callbacks": {}, "x-twitter-streaming": true, "responses": {}}),
        ),
        (GivesUp, json!({"tags": ["a", 1], "responses": {}})),
        (Reads, json!({"operationId": null, "responses": {}})),
        (Reads, json!({"requestBody": {"$ref": "#/b"}, "responses": {}})),
        (
            Reads,
            json!({"requestBody": {"required": true, "description": "b", "content": {"a/b": {}}}, "responses": {}}),
        ),
        (GivesUp, json!({"requestBody": {"content": {"a/b": 1}}, "responses": {}})),
    ];
    let parameters = [
        (
            Reads,
            json!({"name": "a", "in": "query", "schema": {"type": "string"}, "style": "form", "explode": false,
               "allowReserved": true, "allowEmptyValue": false, "required": true, "deprecated": false,
               "description": "d", "example": 1, "examples": {}, "x-p": 1}),
        ),
        (Reads, json!({"name": "a", "in": "query", "style": "deepObject", "schema": {"$ref": "#/s"}})),
        (GivesUp, json!({"name": "a", "in": "query", "style": "simple", "schema": {}})),
        (Reads, json!({"name": "a", "in": "path", "style": "label", "required": true, "schema": {}})),
        (Reads, json!({"name": "a", "in": "header", "schema": {}, "allowReserved": "x"})),
        (Reads, json!({"name": "a", "in": "cookie", "schema": {}})),
        (GivesUp, json!({"name": "a", "in": "body", "schema": {}})),
        (GivesUp, json!({"name": "a", "schema": {}})),
        (GivesUp, json!({"in": "query", "schema": {}})),
        (Reads, json!({"name": "a", "in": "query", "content": {"a/b": {"schema": {}}}})),
        (Reads, json!({"name": "a", "in": "query", "content": {"a/b": {}}, "schema": {}})),
        (GivesUp, json!({"name": "a", "in": "query"})),
        (Reads, json!({"name": "a", "in": "query", "schema": {}, "example": null})),
        (Reads, json!({"$ref": "#/p"})),
    ];
    // Without a parameter to test, `P` is one `fast` reads (`{}` would give up on all).
    let fine = json!({"name": "q", "in": "query", "schema": {}});
    let doc = |op: &Value, params: Vec<Value>| {
        json!({
            "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": op, "parameters": params, "summary": "s", "x-i": 1}, "x-p": 1, "other": 2},
            "components": {"parameters": {"P": params.first().cloned().unwrap_or_else(|| fine.clone())},
                           "responses": {"R": {"description": "r"}}, "requestBodies": {"B": {"content": {}}},
                           "securitySchemes": {"s": {"type": "http", "scheme": "bearer"}}, "x-c": 1}
        })
    };
    expect(&operations, |op| doc(op, Vec::new()));
    expect(&parameters, |p| doc(&json!({"responses": {}}), vec![p.clone()]));
}

#[test]
fn documents_serde_refuses_are_refused() {
    let refused = [
        json!({"info": {"title": "t", "version": "1"}, "paths": {}}),
        json!({"openapi": "3.0.0", "paths": {}}),
        json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}}),
        json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {}}}}),
        json!({"openapi": 3, "info": {"title": "t", "version": "1"}, "paths": {}}),
        json!([]),
    ];
    for doc in &refused {
        assert!(both(doc).0.is_err(), "serde reads {doc}");
    }
    expect(&refused.map(|doc| (GivesUp, doc)), Value::clone);
}

#[test]
fn a_top_fast_does_not_read_is_left_to_serde() {
    // Valid (`components` is optional), but not an object: `load` gives the value to serde.
    let doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": null});
    assert!(!reads_top(&doc));
    expect(&[(GivesUp, doc)], Value::clone);
}

/// Random schemas from openapiv3's vocabulary: mostly values of the type each member takes,
/// sometimes of another (`null`, a number for a string).
fn schema() -> impl Strategy<Value = Value> {
    let leaf = || {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..5).prop_map(|n| json!(n)),
            Just(json!(1.5)),
            Just(json!("a")),
        ]
    };
    let word = |words: &'static [&'static str]| prop::sample::select(words).prop_map(|w| json!(w));
    let scalar = move |k: &'static str| -> BoxedStrategy<Value> {
        let typed: BoxedStrategy<Value> = match k {
            "type" => word(&["string", "integer", "number", "boolean", "object", "array", "thing"]).boxed(),
            "format" => word(&["date-time", "int64", "int32", "float", "binary", "uuid"]).boxed(),
            "pattern" | "description" | "title" | "$ref" => word(&["^a$", "#/components/schemas/A", "x"]).boxed(),
            "minimum" | "maximum" | "multipleOf" => {
                prop_oneof![(-3i64..100).prop_map(|n| json!(n)), Just(json!(0.5))].boxed()
            }
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" => {
                (0u64..9).prop_map(|n| json!(n)).boxed()
            }
            "nullable" | "readOnly" | "deprecated" | "uniqueItems" | "exclusiveMinimum" => {
                any::<bool>().prop_map(Value::Bool).boxed()
            }
            "enum" => prop::collection::vec(leaf(), 0..4).prop_map(Value::Array).boxed(),
            "required" => prop::collection::vec(word(&["a", "b"]), 0..3).prop_map(Value::Array).boxed(),
            "discriminator" => Just(json!({"propertyName": "t", "mapping": {"a": "#/components/schemas/A"}})).boxed(),
            _ => leaf().boxed(),
        };
        prop_oneof![9 => typed, 1 => leaf()].boxed()
    };
    let keys: &'static [&'static str] = &[
        "type",
        "format",
        "pattern",
        "enum",
        "minimum",
        "maximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "required",
        "nullable",
        "readOnly",
        "deprecated",
        "description",
        "title",
        "example",
        "default",
        "exclusiveMinimum",
        "discriminator",
        "x-e",
        "other",
        "$ref",
        "properties",
        "items",
        "oneOf",
        "allOf",
        "anyOf",
        "not",
        "additionalProperties",
    ];
    let flat =
        prop::collection::vec(prop::sample::select(&keys[..26]).prop_flat_map(move |k| (Just(k), scalar(k))), 0..5)
            .prop_map(|members| Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
    flat.prop_recursive(3, 40, 5, move |inner| {
        let nested = prop::sample::select(keys).prop_flat_map(move |k| {
            let value: BoxedStrategy<Value> = match k {
                "properties" => prop::collection::btree_map(
                    word(&["a", "b", "c"]).prop_map(|w| w.as_str().unwrap_or("a").to_owned()),
                    inner.clone(),
                    0..3,
                )
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed(),
                "items" | "not" => inner.clone().boxed(),
                "additionalProperties" => prop_oneof![any::<bool>().prop_map(Value::Bool), inner.clone()].boxed(),
                "oneOf" | "allOf" | "anyOf" => {
                    prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array).boxed()
                }
                k => scalar(k),
            };
            (Just(k), value)
        });
        prop::collection::vec(nested, 0..6)
            .prop_map(|members| Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
    })
}

/// The least share (in percent) of random documents `fast` must read: it gives up on every
/// one serde refuses and may on others, but a `fast` that gave up on all would agree with
/// serde too. (It read 86-89% of 2000 in five runs when this was written.)
const RANDOM_READ_FLOOR: u32 = 60;

#[test]
fn random_schemas_read_the_same() {
    let cases = 2000;
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let (total, read) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let result = proptest::test_runner::TestRunner::new(config).run(&schema(), |s| {
        let fast = agree(&with_schema(&s)).map_err(TestCaseError::fail)?;
        total.set(total.get() + 1);
        read.set(read.get() + u32::from(fast == Reads));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (total, read) = (total.get(), read.get());
    eprintln!("fast read {read} of {total} random documents");
    assert!(total >= cases && read * 100 >= total * RANDOM_READ_FLOOR, "fast read only {read} of {total}");
}
