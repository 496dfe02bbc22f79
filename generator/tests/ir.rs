//! What the IR decides for the fixture specs, checked without reading generated text.

use std::path::Path;
use xapi_gen::ir::{Api, AuthKind, ParamLocation, TypeKind, TypeRef};

fn ir(fixture: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    xapi_gen::build_ir(&std::fs::read(path).unwrap()).unwrap()
}

fn by_name<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types.values().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}")).kind
}

#[test]
fn duplicate_enum_values_are_emitted_once() {
    let api = ir("models.yaml");
    let TypeKind::StringEnum(values) = by_name(&api, "Colour") else { panic!() };
    let wires: Vec<_> = values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["red", "green", "dark-blue", "2x", ""]);
    let idents: Vec<_> = values.iter().map(|v| v.ident.as_str()).collect();
    assert_eq!(idents, ["Red", "Green", "DarkBlue", "V2x", "Empty"]);
}

#[test]
fn discriminated_union_is_tagged_with_every_mapping_value() {
    let api = ir("models.yaml");
    let TypeKind::Union(u) = by_name(&api, "Pet") else { panic!() };
    assert_eq!(u.tag.as_deref(), Some("kind"));
    let tags: Vec<_> = u.variants.iter().map(|v| (v.ident.as_str(), v.tags.clone())).collect();
    assert_eq!(tags, [("Cat", vec!["cat".to_owned(), "kitten".to_owned()]), ("Dog", vec!["dog".to_owned()])]);
    // Without a mapping the schema names are the tags.
    let TypeKind::Union(u) = by_name(&api, "PetByName") else { panic!() };
    assert_eq!(u.variants[0].tags, ["Cat"]);
}

#[test]
fn parent_discriminator_falls_back_to_untagged() {
    let api = ir("models.yaml");
    let TypeKind::Union(u) = by_name(&api, "Payload") else { panic!() };
    assert_eq!(u.tag, None);
    assert_eq!(u.variants.len(), 2);
}

#[test]
fn all_of_is_merged_and_same_primitive_any_of_collapses() {
    let api = ir("models.yaml");
    let TypeKind::Struct(cat) = by_name(&api, "Cat") else { panic!() };
    // `required` merges across the members; X sends cats, so every field is optional in Rust.
    let fields: Vec<_> = cat.fields.iter().map(|f| (f.wire.as_str(), f.required, f.optional)).collect();
    assert_eq!(fields, [("kind", true, true), ("name", false, true), ("lives", true, true)]);
    assert!(matches!(by_name(&api, "Chunk"), TypeKind::Alias(TypeRef::String)));
}

#[test]
fn recursion_is_boxed_and_identical_shapes_alias() {
    let api = ir("models.yaml");
    let TypeKind::Struct(node) = by_name(&api, "Node") else { panic!() };
    assert!(node.fields.iter().find(|f| f.wire == "next").unwrap().boxed);
    let TypeKind::Struct(widget) = by_name(&api, "Widget") else { panic!() };
    assert!(widget.fields.iter().find(|f| f.wire == "parent").unwrap().boxed);
    assert!(!widget.fields.iter().find(|f| f.wire == "children").unwrap().boxed, "Vec is already indirect");
    assert!(
        matches!(by_name(&api, "OtherMeta"), TypeKind::Alias(TypeRef::Named(id)) if id == "#/components/schemas/Meta")
    );
}

#[test]
fn operations_carry_their_facts() {
    let api = ir("operations.yaml");
    let ids: Vec<_> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        ["createNote", "deleteThing", "getSpec", "getThingById", "getThings", "streamThings", "uploadMedia"]
    );
    let op = |id: &str| api.operations.iter().find(|o| o.id == id).unwrap();
    let get = op("getThings");
    let ids_param = &get.params[0];
    assert_eq!(
        (ids_param.name.as_str(), ids_param.location, ids_param.required, ids_param.comma_joined),
        ("ids", ParamLocation::Query, true, true)
    );
    assert_eq!(ids_param.constraints.max_items, Some(100));
    assert_eq!(get.security[0].kind, AuthKind::AppOnly, "inherits the global security");
    assert_eq!(get.docs_url.as_deref(), Some("https://example.com/docs/things"));

    let by_id = op("getThingById");
    assert_eq!(by_id.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["thing.fields", "granularity", "id"]);
    assert_eq!(by_id.security[0].scopes, ["thing.read", "users.read"]);
    assert_eq!(
        by_id.security.iter().map(|s| s.kind).collect::<Vec<_>>(),
        [AuthKind::OAuth2User, AuthKind::OAuth1User, AuthKind::AppOnly]
    );
    assert!(op("getSpec").security.is_empty(), "security: [] means no authentication");
    assert!(op("streamThings").streaming);
    let upload = op("uploadMedia");
    let media: Vec<_> = upload.request_body.iter().map(|b| b.media_type.as_str()).collect();
    assert_eq!(media, ["application/json", "multipart/form-data"]);
    assert_eq!(upload.success.as_ref().map(|s| s.status), Some(201));
    assert_eq!(op("getSpec").success.as_ref().and_then(|s| s.ty.clone()), Some(TypeRef::Bytes));
}

#[test]
fn parameter_enums_are_shared_by_values() {
    let api = ir("operations.yaml");
    let params: Vec<_> =
        api.types.values().filter(|t| t.module == xapi_gen::ir::Module::Params).map(|t| t.name.as_str()).collect();
    // `granularity` [day, hour] twice → one type; [minute, second] → a second, named after its operation.
    let mut sorted = params.clone();
    sorted.sort();
    assert_eq!(sorted, ["Granularity", "StreamThingsGranularity", "ThingFields", "Type"]);
}

/// A body schema reached through thousands of nested `$ref`s, and one whose `anyOf` loops back
/// to itself, are read without recursion: one node per schema, the loop kept as a loop.
#[test]
fn deep_and_looping_body_schemas() {
    let depth = 3000;
    let mut schemas = serde_json::Map::new();
    for i in 0..depth {
        let next = serde_json::json!({"$ref": format!("#/components/schemas/A{}", i + 1)});
        schemas.insert(format!("A{i}"), serde_json::json!({"type": "array", "items": next}));
    }
    schemas.insert(format!("A{depth}"), serde_json::json!({"type": "string"}));
    schemas.insert(
        "Loop".into(),
        serde_json::json!({"type": "object", "anyOf": [{"$ref": "#/components/schemas/Loop"}, {"required": ["x"]}]}),
    );
    let body = |name: &str| serde_json::json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
    let spec = serde_json::json!({
        "openapi": "3.0.0",
        "info": {"title": "deep", "version": "1"},
        "paths": {
            "/deep": {"post": {"operationId": "deep", "requestBody": body("A0"), "responses": {"204": {"description": "ok"}}}},
            "/loop": {"post": {"operationId": "loop", "requestBody": body("Loop"), "responses": {"204": {"description": "ok"}}}}
        },
        "components": {"schemas": schemas}
    });
    let bytes = serde_json::to_vec(&spec).unwrap();
    let api = xapi_gen::build_ir(&bytes).unwrap().body_schemas;
    assert!(api.len() > depth, "{}", api.len());
    let looped = &api["#/components/schemas/Loop"];
    assert_eq!(looped.any_of[0], "#/components/schemas/Loop");
}
