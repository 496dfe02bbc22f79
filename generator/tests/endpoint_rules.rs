//! Per-endpoint error mappings from spec/errors/endpoint_rules.yaml, on every real spec and on
//! fixtures.

use std::path::Path;
use xapi_gen::endpoint_rules::{auth_of, EndpointRules};
use xapi_gen::tables::Tables;

fn tables() -> Tables {
    Tables::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/errors")).unwrap()
}

fn rules(t: &Tables) -> &EndpointRules {
    t.endpoint_rules.as_ref().unwrap()
}

/// Each spec version in ../shared/spec, by name; 2.169 is the pinned one.
const VERSIONS: [&str; 7] = ["2025-07-15", "2.152", "2.157", "2.159", "2.167", "2.169", "staging"];

#[test]
fn every_operation_of_every_spec_gets_the_errors_its_traits_imply() {
    let t = tables();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec");
    for version in VERSIONS {
        let pinned = version == "2.169";
        let file = format!("x-openapi-{version}.json");
        let api = xapi_gen::build_ir(&std::fs::read(dir.join(&file)).unwrap()).unwrap();
        let (errors, _) = rules(&t).apply(&api.operations, pinned).unwrap();
        assert_eq!(errors.len(), api.operations.len());
        for op in &api.operations {
            let e = &errors[&op.id];
            for general in ["Unauthorized", "RateLimited", "ServerError", "PaymentRequired", "EndpointUnavailable"] {
                assert!(e.iter().any(|v| v == general), "{}: {} lacks {general}", file, op.id);
            }
            let auth = auth_of(op);
            if auth == "user_only" || auth == "app_only" {
                assert!(e.iter().any(|v| v == "UnsupportedAuthentication"), "{}", op.id);
            }
            if auth != "none" {
                assert!(e.iter().any(|v| v == "ClientForbidden") && e.iter().any(|v| v == "Forbidden"), "{}", op.id);
            }
            if op.streaming {
                assert!(e.iter().any(|v| v == "TooManyConnections"), "{}", op.id);
            }
            if auth == "user_only" || auth == "mixed" {
                assert!(e.iter().any(|v| v == "UserSuspended"), "{}", op.id);
            }
        }
        let count = |a: &str| api.operations.iter().filter(|o| auth_of(o) == a).count();
        let counts = (count("user_only"), count("app_only"), count("none"), count("mixed"));
        if version == "2.167" {
            // 87 accept OAuth 2.0 or OAuth 1.0a user tokens and 5 only OAuth 2.0 ones: 92 user-only.
            assert_eq!(counts, (92, 39, 1, 39));
        }
        if pinned {
            // 218 operations: the new chat, bot and broadcast endpoints are user-context ones.
            assert_eq!(counts, (129, 44, 1, 44));
            assert!(errors["streamPosts"].contains(&"StreamHasNoRules".to_owned()));
            assert!(errors["updateRules"].contains(&"RuleCap".to_owned()));
            assert!(!errors["getRuleCounts"].contains(&"RuleCap".to_owned()));
            assert!(errors["getPostsById"].contains(&"NotFound".to_owned()));
        }
    }
}

#[test]
fn an_operation_no_rule_targets_still_gets_the_general_variants() {
    let t = tables();
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.yaml")).unwrap();
    let api = xapi_gen::build_ir(&bytes).unwrap();
    let (errors, notes) = rules(&t).apply(&api.operations, false).unwrap();
    assert_eq!(
        errors["getSpec"],
        ["PaymentRequired", "RateLimited", "EndpointUnavailable", "Unauthorized", "ServerError"]
    );
    // Rules written for X's spec that match nothing here are notes, not errors, off the pinned spec.
    assert!(notes.iter().any(|n| n.contains("stream rules")), "{notes:?}");
    let e = rules(&t).apply(&api.operations, true).unwrap_err();
    assert!(
        e.location.starts_with("spec/errors/endpoint_rules.yaml:") || e.location.contains("endpoint_rules.yaml:"),
        "{e}"
    );
}

fn parse(text: &str) -> Result<EndpointRules, xapi_gen::Error> {
    EndpointRules::parse("endpoint_rules.yaml", text, &tables())
}

#[test]
fn bad_rules_name_file_and_line() {
    let e = parse("variants:\n  A:\n    meaning: m\n    statuses: [400]\n    payload: response\nrules:\n  - name: r\n    when: {}\n    add: [B]\n").unwrap_err();
    assert_eq!(e.to_string(), "endpoint_rules.yaml:7: rule `r` adds unknown variant `B`");
    let e =
        parse("variants:\n  A:\n    meaning: m\n    problems: [no-such-problem]\n    payload: problem\nrules: []\n")
            .unwrap_err();
    assert_eq!(e.to_string(), "endpoint_rules.yaml:4: variant `A`: problem `no-such-problem` is not in problems.yaml");
    let e = parse("variants: {}\nrules:\n  - name: r\n    when: {colour: red}\n    add: []\n").unwrap_err();
    assert!(e.location == "endpoint_rules.yaml:4" && e.reason.contains("unknown field `colour`"), "{e}");
    let api = xapi_gen::build_ir(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.yaml")).unwrap(),
    )
    .unwrap();
    let r = parse("variants:\n  A:\n    meaning: m\n    statuses: [400]\n    payload: response\nrules: []\noverrides:\n  noSuchOp:\n    add: [A]\n").unwrap();
    let e = r.apply(&api.operations, true).unwrap_err();
    assert_eq!(e.to_string(), "endpoint_rules.yaml:8: override for unknown operation `noSuchOp`");
}

/// The error enum each operation of a generated crate uses (`pub type Error = …` in its module).
fn error_enums(spec: &[u8]) -> Result<Vec<(String, String)>, xapi_gen::Error> {
    let out = xapi_gen::generate(spec, &tables(), &xapi_gen::CrateOptions::default())?;
    let ops = &out.files["src/operations.rs"];
    let mut found = Vec::new();
    let mut module = None;
    for line in ops.lines() {
        if let Some(m) = line.strip_prefix("pub mod ").and_then(|l| l.strip_suffix(" {")) {
            module = Some(m.to_owned());
        }
        if let Some(e) = line.trim().strip_prefix("pub type Error = crate::endpoint_errors::") {
            found.push((module.clone().unwrap_or_default(), e.trim_end_matches(';').to_owned()));
        }
    }
    Ok(found)
}

#[test]
fn error_enum_names_stay_put_when_an_operation_joins_their_set() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let before = error_enums(text.as_bytes()).unwrap();
    assert!(before.contains(&("create_note".to_owned(), "UserRequestError".to_owned())), "{before:?}");
    // An operation sorting before every other, with createNote's traits.
    let joined = text.replacen("operationId: createNote", "operationId: aaaCreateNote", 1).replacen(
        "paths:\n",
        "paths:\n  /2/aaa:\n    post:\n      operationId: createNote\n      security:\n        - OAuth2UserToken: [thing.write]\n      parameters:\n        - {name: kind, in: query, schema: {type: string}}\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object}\n      responses:\n        \"200\": {description: ok}\n",
        1,
    );
    let after = error_enums(joined.as_bytes()).unwrap();
    assert!(after.contains(&("aaa_create_note".to_owned(), "UserRequestError".to_owned())), "{after:?}");
    for (module, name) in &before {
        assert!(after.contains(&(module.clone(), name.clone())), "{module}: {name} renamed: {after:?}");
    }
}

#[test]
fn a_set_the_table_does_not_name_fails_a_strict_regen_and_says_what_to_add() {
    let spec = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /2/tweets/search/stream/rules/x/{id}:\n    delete:\n      operationId: oddOne\n      security: [{OAuth2UserToken: [a]}]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";
    let t = tables();
    let mut api = xapi_gen::build_ir(spec.as_bytes()).unwrap();
    let (errors, _) = rules(&t).apply(&api.operations, false).unwrap();
    api.operations[0].errors = errors["oddOne"].clone();
    let e = rules(&t).name_sets(&mut api.operations, true).unwrap_err();
    assert!(e.reason.contains("no name for the error set of `oddOne`") && e.reason.contains("under `sets:`"), "{e}");
    let lax = error_enums(spec.as_bytes()).unwrap();
    assert_eq!(lax, [("odd_one".to_owned(), "OddOneError".to_owned())]);
}

#[test]
fn sets_are_checked_when_the_table_is_read() {
    let head = "variants:\n  A:\n    meaning: m\n    statuses: [400]\n    payload: response\nrules: []\n";
    let e = parse(&format!("{head}sets:\n  Lower: [A]\n")).unwrap_err();
    assert!(e.reason.contains("ending in Error"), "{e}");
    let e = parse(&format!("{head}sets:\n  AError: [B]\n")).unwrap_err();
    assert!(e.reason.contains("unknown variant `B`"), "{e}");
    let e = parse(&format!("{head}sets:\n  AError: [A]\n  BError: [A]\n")).unwrap_err();
    assert_eq!(e.to_string(), "endpoint_rules.yaml:9: sets `AError` and `BError` hold the same variants");
}

/// ENDPOINTS.md names the 429 kinds as the table spells them, never as Rust prints them.
#[test]
fn the_endpoint_catalog_spells_429_kinds_as_the_table_does() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.yaml");
    let out = xapi_gen::generate(&std::fs::read(path).unwrap(), &tables(), &xapi_gen::CrateOptions::default()).unwrap();
    let md = &out.files["ENDPOINTS.md"];
    let t = tables();
    for (name, v) in &rules(&t).variants {
        for kind in &v.too_many {
            assert!(md.contains(&format!("429 `{}`", kind.as_str())), "{name}: {}", kind.as_str());
            assert!(!md.contains(&format!("429 {kind:?}")), "{name}: Debug output {kind:?}");
        }
    }
}

#[test]
fn the_idempotent_table_marks_posts_and_refuses_what_it_cannot_mean() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.yaml");
    let api = || xapi_gen::build_ir(&std::fs::read(&fixture).unwrap()).unwrap();
    let head = "variants: {}\nrules: []\n";
    let entry = |id: &str| format!("{head}idempotent:\n  {id}:\n    why: w\n    evidence: [e]\n");

    // By method alone: GET and DELETE are, POST is not.
    let by_method: Vec<(String, bool)> = api().operations.iter().map(|o| (o.id.clone(), o.idempotent)).collect();
    assert!(by_method.contains(&("getThings".into(), true)) && by_method.contains(&("deleteThing".into(), true)));
    assert!(by_method.contains(&("uploadMedia".into(), false)) && by_method.contains(&("createNote".into(), false)));

    let mut marked = api();
    let notes = parse(&entry("uploadMedia")).unwrap().mark_idempotent(&mut marked.operations, true).unwrap();
    assert!(notes.is_empty());
    let idempotent = |api: &xapi_gen::ir::Api, id: &str| api.operations.iter().any(|o| o.id == id && o.idempotent);
    assert!(idempotent(&marked, "uploadMedia") && !idempotent(&marked, "createNote"), "only the listed POST");

    let e = parse(&entry("noSuchOp")).unwrap().mark_idempotent(&mut api().operations, true).unwrap_err();
    assert_eq!(e.to_string(), "endpoint_rules.yaml:4: idempotent entry for unknown operation `noSuchOp`");
    let e = parse(&entry("deleteThing")).unwrap().mark_idempotent(&mut api().operations, true).unwrap_err();
    assert!(e.to_string().ends_with("DELETE is idempotent already (remove the entry)"), "{e}");
    let notes = parse(&entry("noSuchOp")).unwrap().mark_idempotent(&mut api().operations, false).unwrap();
    assert_eq!(notes.len(), 1, "another spec version: a note, not an error");
    let e = parse(&format!("{head}idempotent:\n  uploadMedia:\n    why: w\n    evidence: []\n")).unwrap_err();
    assert!(e.to_string().contains("needs a `why` and its evidence"), "{e}");
}
