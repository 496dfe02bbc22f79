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

/// Schemas that are only references to each other say nothing at all; an `allOf` cycle, by
/// contrast, is legal and generates (`fixtures/cycles.yaml`).
#[test]
fn ref_cycle() {
    let e = error_for("ref_cycle.yaml");
    assert!(e.starts_with("#/components/schemas/") && e.contains("cycle"), "{e}");
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

/// Each spec version in ../shared/spec, by name.
const VERSIONS: [&str; 7] = ["2025-07-15", "2.152", "2.157", "2.159", "2.167", "2.169", "staging"];

/// Every real spec's problem types and fields are in the table, and the table says which
/// versions define each type.
#[test]
fn every_real_spec_passes_the_problem_cross_check() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec");
    let tables = tables();
    let mut defined: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for version in VERSIONS {
        let bytes = std::fs::read(dir.join(format!("x-openapi-{version}.json"))).unwrap();
        let api = xapi_gen::build_ir(&bytes).unwrap();
        let spec = xapi_gen::load::Spec::parse(&bytes).unwrap();
        let problems = xapi_gen::spec_problems::spec_problems(&spec, &api);
        assert!(problems.len() >= 9, "{version}: {} problem types", problems.len());
        let check = xapi_gen::spec_problems::cross_check(&problems, &tables);
        assert_eq!(check.review, vec![], "{version}");
        check.strict().unwrap();
        for slug in problems.keys() {
            defined.entry(slug.clone()).or_default().push(version);
        }
    }
    for (slug, entry) in &tables.problems {
        let versions = defined.get(slug).cloned().unwrap_or_default();
        assert_eq!(entry.spec_versions, versions, "spec_versions of `{slug}` in spec/errors/problems.yaml");
    }
}

/// A spec whose problem types and fields the table lacks still generates (they stay untyped:
/// core's tables follow spec/errors/ only), lists every gap at once, and fails with all of them
/// on one line under `strict_tables`.
#[test]
fn problem_gaps_are_review_items_unless_strict() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/review/problem_gaps.yaml");
    let bytes = std::fs::read(path).unwrap();
    let lenient = xapi_gen::generate(&bytes, &tables(), &xapi_gen::CrateOptions::default()).unwrap();
    assert_eq!(
        lenient.review,
        [
            "#/components/schemas/BrandNewProblem/properties/type: problem type `https://api.x.com/2/problems/brand-new` (slug `brand-new`) is not in spec/errors/problems.yaml",
            "#/components/schemas/Problem/discriminator/mapping/https:~1~1api.twitter.com~12~1problems~1usage-capped: problem type `usage-capped` has field `shiny_new_field` that spec/errors/problems.yaml does not list",
        ]
    );
    assert_eq!(lenient.core_tables, xapi_gen::emit::core_tables(&tables()).unwrap(), "the same tables for any spec");
    assert!(!lenient.core_tables["problems.rs"].contains("brand-new"));
    assert!(lenient.files["ERRORS.md"].contains("also defines `brand-new`"), "the catalog names the untyped type");

    let strict = xapi_gen::CrateOptions { strict_tables: true, ..Default::default() };
    let e = xapi_gen::generate(&bytes, &tables(), &strict).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    assert!(e.starts_with("#/components/schemas/BrandNewProblem/properties/type: problem type `https://api.x.com/2/problems/brand-new`"), "{e}");
    assert!(e.ends_with("(and 1 more: #/components/schemas/Problem/discriminator/mapping/https:~1~1api.twitter.com~12~1problems~1usage-capped: problem type `usage-capped` has field `shiny_new_field` that spec/errors/problems.yaml does not list)"), "{e}");
}
