//! Bad specs fail with one error naming a JSON pointer, never a panic.

use std::path::Path;

fn error_for(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad").join(fixture);
    let bytes = std::fs::read(path).unwrap();
    match xapi_gen::generate(&bytes, &xapi_gen::CrateOptions::default()) {
        Ok(_) => panic!("{fixture}: expected an error"),
        Err(e) => {
            let text = e.to_string();
            assert!(!text.contains('\n'), "{fixture}: error is one line: {text}");
            text
        }
    }
}

#[test]
fn not_json() {
    let e = error_for("not_json.json");
    assert!(e.starts_with("#: not valid JSON (line 2"), "{e}");
}

#[test]
fn not_yaml() {
    let e = error_for("not_yaml.yaml");
    assert!(e.starts_with("#: not valid JSON or YAML"), "{e}");
}

#[test]
fn dangling_ref_names_the_property() {
    let e = error_for("dangling_ref.yaml");
    assert_eq!(e, "#/components/schemas/Foo/properties/bar: dangling $ref `#/components/schemas/Nope`: no such schema");
}

#[test]
fn ref_cycle() {
    let e = error_for("ref_cycle.yaml");
    assert!(e.starts_with("#/components/schemas/") && e.contains("cycle"), "{e}");
}

#[test]
fn all_of_cycle() {
    let e = error_for("allof_cycle.yaml");
    assert!(e.starts_with("#/components/schemas/") && e.contains("allOf cycle"), "{e}");
}

#[test]
fn unsupported_not() {
    assert_eq!(
        error_for("unsupported_not.yaml"),
        "#/components/schemas/Foo/properties/bar: unsupported construct `not`"
    );
}

#[test]
fn openapi_31_is_refused() {
    assert_eq!(error_for("openapi_31.yaml"), "#/openapi: OpenAPI 3.1.0 is not supported (3.0.x is)");
}

#[test]
fn dangling_parameter_ref() {
    let e = error_for("bad_param_ref.yaml");
    assert_eq!(e, "#/paths/~1x/get/parameters/0: dangling $ref `#/components/parameters/Missing`");
}

#[test]
fn wrong_shape_names_where() {
    let e = error_for("wrong_shape.yaml");
    assert_eq!(
        e,
        "#/paths/~1x/get/operationId: not a valid OpenAPI 3.0 construct: invalid type: integer `5`, expected a string"
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    for input in
        [&b""[..], b"{", b"[]", b"null", b"\xff\xfe", b"openapi: 3.0.0", b"{\"openapi\":\"3.0.0\"}", b"- a\n- b"]
    {
        let _ = xapi_gen::generate(input, &xapi_gen::CrateOptions::default());
    }
}
