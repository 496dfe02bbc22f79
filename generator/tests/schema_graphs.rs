//! Random schema graphs: component schemas that refer to each other (and to themselves)
//! through every construct (`allOf`, `oneOf`, `anyOf`, `items`, `additionalProperties`,
//! properties), with odd names, used as request and response bodies. The generator never
//! panics or overflows on them: it writes valid Rust or returns one error naming a JSON
//! pointer; and what it writes compiles (a fixed sample of graphs is built with cargo here;
//! `cycles.yaml`, a fixture with each cycle shape, by xtask's
//! `every_spec_version_and_fixture_compiles`).

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Names a spec may give schemas and properties: keywords, digits first, case twins, symbols.
const NAMES: &[&str] =
    &["A", "a", "Self", "type", "match", "1st", "Ünïcode", "x-y", "x_y", "XY", "Problem", "Extra", "_", "data"];

/// A schema built from `refs` (indices of component schemas) and nested constructs.
fn schema(count: usize) -> impl Strategy<Value = Value> {
    let reference = (0..count).prop_map(|i| json!({ "$ref": format!("#/components/schemas/S{i}") }));
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer"})),
        Just(json!({"type": "string", "enum": ["a", "A", "a"]})),
        Just(json!({})),
        reference,
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        let members = prop::collection::vec(inner.clone(), 0..4);
        prop_oneof![
            members.clone().prop_map(|m| json!({ "allOf": m })),
            members.clone().prop_map(|m| json!({ "oneOf": m })),
            members.prop_map(|m| json!({ "anyOf": m })),
            inner.clone().prop_map(|i| json!({ "type": "array", "items": i })),
            inner.clone().prop_map(|i| json!({ "type": "object", "additionalProperties": i })),
            (prop::collection::vec((prop::sample::select(NAMES), inner), 1..4), any::<bool>()).prop_map(
                |(props, require)| {
                    let required: Vec<&str> = if require { props.iter().map(|(n, _)| *n).collect() } else { vec![] };
                    let properties: Map<String, Value> = props.into_iter().map(|(n, s)| (n.to_owned(), s)).collect();
                    json!({ "type": "object", "properties": properties, "required": required })
                }
            ),
        ]
    })
}

fn spec() -> impl Strategy<Value = Value> {
    (1usize..5).prop_flat_map(|count| {
        (prop::collection::vec(schema(count), count), prop::collection::vec(prop::sample::select(NAMES), count))
    })
    .prop_map(|(schemas, titles)| {
        let components: Map<String, Value> = schemas
            .into_iter()
            .zip(titles)
            .enumerate()
            .map(|(i, (mut s, title))| {
                if let Value::Object(o) = &mut s {
                    o.insert("title".into(), json!(title));
                }
                (format!("S{i}"), s)
            })
            .collect();
        let body = json!({ "$ref": "#/components/schemas/S0" });
        json!({
            "openapi": "3.0.0",
            "info": { "title": "graphs", "version": "1" },
            "paths": { "/x/{id}": { "post": {
                "operationId": "postX",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": body }],
                "requestBody": { "content": { "application/json": { "schema": body } } },
                "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": body } } } }
            } } },
            "components": { "schemas": components }
        })
    })
}

fn tables() -> xapi_gen::tables::Tables {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/errors");
    xapi_gen::tables::Tables::read_dir(&dir).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_schema_graph_generates_or_names_a_pointer(spec in spec()) {
        let bytes = serde_json::to_vec(&spec).unwrap();
        match xapi_gen::generate(&bytes, &tables(), &xapi_gen::CrateOptions::default()) {
            Ok(out) => prop_assert!(out.files.contains_key("src/models.rs")),
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.starts_with("#/") && !text.contains('\n'), "{}", text);
            }
        }
    }
}

/// Graphs drawn with a fixed seed, generated as crates of one workspace and checked by cargo
/// with warnings denied: generating is not enough, the Rust has to type-check.
#[test]
fn a_sample_of_graphs_compiles() {
    use proptest::strategy::ValueTree;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let work = tempfile::tempdir().unwrap();
    let options = xapi_gen::CrateOptions {
        core_path: Some(root.join("core").to_string_lossy().replace('\\', "/")),
        ..xapi_gen::CrateOptions::default()
    };
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut members = Vec::new();
    for _ in 0..200 {
        if members.len() == 8 {
            break;
        }
        let spec = spec().new_tree(&mut runner).unwrap().current();
        let Ok(out) = xapi_gen::generate(&serde_json::to_vec(&spec).unwrap(), &tables(), &options) else { continue };
        let name = format!("graph{}", members.len());
        for (path, text) in &out.files {
            let path = work.path().join(&name).join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = if path.ends_with("Cargo.toml") {
                text.replace("\"xapi-types\"", &format!("\"{name}\""))
            } else {
                text.clone()
            };
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(work.path().join(&name).join("spec.json"), serde_json::to_string_pretty(&spec).unwrap())
            .unwrap();
        members.push(name);
    }
    assert_eq!(members.len(), 8, "too few sample graphs generate");
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = {members:?}\n");
    std::fs::write(work.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), work.path().join("Cargo.lock")).unwrap();
    let o = std::process::Command::new(env!("CARGO"))
        .args(["check", "--workspace", "--offline", "--quiet"])
        .current_dir(work.path())
        .env("CARGO_TARGET_DIR", root.join("target/graph-check"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() {
        // Keep the crates for a look: the failing spec is in each crate's spec.json.
        let kept = work.keep();
        panic!("sample graphs fail to compile (crates kept in {}):\n{err}", kept.display());
    }
}
