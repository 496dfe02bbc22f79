//! Bad specs fail with one error naming a JSON pointer, never a panic.

use std::path::Path;

fn tables() -> xapi_gen::tables::Tables {
    xapi_gen::tables::Tables::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/errors")).unwrap()
}

fn error_for(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad").join(fixture);
    let bytes = std::fs::read(path).unwrap();
    match xapi_gen::generate(&bytes, &tables(), &xapi_gen::CrateOptions::default()) {
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
        let _ = xapi_gen::generate(input, &tables(), &xapi_gen::CrateOptions::default());
    }
}

#[test]
fn problem_type_missing_from_the_table() {
    assert_eq!(
        error_for("unknown_problem.yaml"),
        "#/components/schemas/BrandNewProblem/properties/type: problem type `https://api.x.com/2/problems/brand-new` (slug `brand-new`) is not in spec/errors/problems.yaml"
    );
}

#[test]
fn problem_field_missing_from_the_table() {
    assert_eq!(
        error_for("unknown_problem_field.yaml"),
        "#/components/schemas/Problem/discriminator/mapping/https:~1~1api.twitter.com~12~1problems~1usage-capped: problem type `usage-capped` has field `shiny_new_field` that spec/errors/problems.yaml does not list"
    );
}

#[test]
fn every_real_spec_passes_the_problem_cross_check() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let api = xapi_gen::build_ir(&bytes).unwrap();
        let spec = xapi_gen::load::Spec::parse(&bytes).unwrap();
        let problems = xapi_gen::spec_problems::spec_problems(&spec, &api);
        assert!(problems.len() >= 9, "{}: {} problem types", entry.path().display(), problems.len());
        xapi_gen::spec_problems::cross_check(&problems, &tables()).unwrap();
        seen += 1;
    }
    assert_eq!(seen, 6);
}
