//! Each kind of `spec/wire.yaml` entry, applied to small specs; the rot check; the real table
//! on the real specs.

use super::*;
use serde_json::json;

const EVIDENCE: &str = "evidence: [\"a recorded body\"]";

fn table(body: &str) -> String {
    format!("vocabulary:\n  words: {{post: tweet, posts: tweets, repost: retweet}}\n  {EVIDENCE}\n{body}")
}

fn wire(body: &str) -> Wire {
    Wire::parse("spec/wire.yaml", &table(body)).unwrap_or_else(|e| panic!("{e}"))
}

/// A spec with one object schema `Thing` and a parameter enum.
fn spec() -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"title": "wire", "version": "1"},
        "paths": {},
        "components": {
            "parameters": {"Fields": {"name": "thing.fields", "in": "query",
                "schema": {"type": "array", "items": {"type": "string", "enum": ["id", "text"]}}}},
            "schemas": {
                "Thing": {"type": "object", "required": ["id", "post_count"],
                    "properties": {"id": {"type": "string"}, "post_count": {"type": "integer"},
                                   "posts": {"type": "array", "items": {"type": "string"}},
                                   "meta": {"type": "object", "properties": {"total_post_count": {"type": "integer"}}},
                                   "example": {"type": "string"}},
                    "example": {"properties": {"post_id": 1}}},
                "Both": {"type": "object", "properties": {"post_id": {"type": "string"}, "tweet_id": {"type": "string"}}},
                "Kept": {"type": "object", "properties": {"post_id": {"type": "string"}}}
            }
        }
    })
}

#[test]
fn legacy_names_rename_whole_words_only() {
    let w = wire("");
    assert_eq!(w.legacy_name("post_count").as_deref(), Some("tweet_count"));
    assert_eq!(w.legacy_name("edit_history_post_ids").as_deref(), Some("edit_history_tweet_ids"));
    assert_eq!(w.legacy_name("posts").as_deref(), Some("tweets"));
    assert_eq!(w.legacy_name("repost_count").as_deref(), Some("retweet_count"));
    for unchanged in ["postal_code", "reposted", "postedTimestamp", "tweet_count", "id"] {
        assert_eq!(w.legacy_name(unchanged), None, "{unchanged}");
    }
}

#[test]
fn vocabulary_derives_legacy_spellings_except_kept_and_declared_ones() {
    let w = wire("  keep:\n    - at: \"#/components/schemas/Kept/properties/post_id\"\n      why: always post_id\n      evidence: [\"an older spec\"]\n");
    let mut s = spec();
    let applied = w.apply(&mut s, true).unwrap();
    let thing = &s["components"]["schemas"]["Thing"];
    assert_eq!(thing[LEGACY], json!({"post_count": "tweet_count", "posts": "tweets"}));
    // Inline objects too; examples are data, never schemas.
    assert_eq!(thing["properties"]["meta"][LEGACY], json!({"total_post_count": "total_tweet_count"}));
    assert!(thing["example"].get(LEGACY).is_none());
    // Both spellings declared: two properties. A kept property: no alias.
    assert!(s["components"]["schemas"]["Both"].get(LEGACY).is_none());
    assert!(s["components"]["schemas"]["Kept"].get(LEGACY).is_none());
    assert_eq!(applied.legacy.len(), 3);
}

#[test]
fn values_are_appended_to_the_enum() {
    let w = wire("values:\n  - at: \"#/components/parameters/Fields/schema/items\"\n    values: [author_id]\n    why: X takes it\n    evidence: [\"a request X answered\"]\n");
    let mut s = spec();
    let applied = w.apply(&mut s, true).unwrap();
    assert_eq!(s["components"]["parameters"]["Fields"]["schema"]["items"]["enum"], json!(["id", "text", "author_id"]));
    assert!(applied
        .values
        .contains(&("#/components/parameters/Fields/schema/items".to_owned(), "author_id".to_owned())));
}

#[test]
fn absent_marks_required_properties_x_omits() {
    let w = wire("absent:\n  - at: \"#/components/schemas/Thing/properties/post_count\"\n    why: older things lack it\n    evidence: [\"a recorded body\"]\n");
    let mut s = spec();
    let applied = w.apply(&mut s, true).unwrap();
    assert_eq!(s["components"]["schemas"]["Thing"][ABSENT], json!(["post_count"]));
    // The spec still requires it; the decode policy decides what that means.
    assert_eq!(s["components"]["schemas"]["Thing"]["required"], json!(["id", "post_count"]));
    assert_eq!(applied.absent.len(), 1);
}

#[test]
fn properties_are_added_with_their_reason() {
    let w = wire("properties:\n  - at: \"#/components/schemas/Thing\"\n    name: resumable\n    schema: {type: boolean}\n    why: X sends it\n    evidence: [\"a recorded body\"]\n");
    let mut s = spec();
    w.apply(&mut s, true).unwrap();
    assert_eq!(
        s["components"]["schemas"]["Thing"]["properties"]["resumable"],
        json!({"type": "boolean", ADDED: "X sends it"})
    );
    // Through the IR: the field is there and says where it came from.
    let bytes = serde_json::to_vec(&spec()).unwrap();
    let (parsed, _) = crate::load::Spec::parse_with(&bytes, Some(&w), true).unwrap();
    let api = crate::build_ir_from(&parsed).unwrap();
    let crate::ir::TypeKind::Struct(thing) = &api.types["#/components/schemas/Thing"].kind else { panic!() };
    let f = thing.fields.iter().find(|f| f.wire == "resumable").unwrap();
    assert!(f.added && f.optional);
    let f = thing.fields.iter().find(|f| f.wire == "post_count").unwrap();
    assert_eq!((f.legacy.as_deref(), f.required), (Some("tweet_count"), true));
}

#[test]
fn an_entry_that_no_longer_applies_is_an_error_on_the_pinned_spec_and_a_note_elsewhere() {
    let stale = [
        // the spec lists the value now
        "values:\n  - at: \"#/components/parameters/Fields/schema/items\"\n    values: [text]\n    why: w\n    evidence: [e]\n",
        // the spec no longer requires it
        "absent:\n  - at: \"#/components/schemas/Thing/properties/posts\"\n    why: w\n    evidence: [e]\n",
        // the spec has the property now
        "properties:\n  - at: \"#/components/schemas/Thing\"\n    name: id\n    schema: {type: string}\n    why: w\n    evidence: [e]\n",
        // the pointer names nothing in this spec
        "absent:\n  - at: \"#/components/schemas/Gone/properties/x\"\n    why: w\n    evidence: [e]\n",
        // nothing to keep: no vocabulary word
        "  keep:\n    - at: \"#/components/schemas/Thing/properties/id\"\n      why: w\n      evidence: [e]\n",
    ];
    for body in stale {
        let w = wire(body);
        let e = w.apply(&mut spec(), true).unwrap_err();
        assert!(e.location.starts_with("spec/wire.yaml:") && e.reason.contains("update or remove it"), "{body}: {e}");
        let line: usize = e.location.rsplit(':').next().unwrap().parse().unwrap();
        assert!(table(body).lines().nth(line - 1).unwrap().contains("#/"), "{e} names the entry's line");
        let applied = w.apply(&mut spec(), false).unwrap();
        assert_eq!(applied.notes.len(), 1, "{body}: {:?}", applied.notes);
    }
    // A vocabulary that renames nothing in the spec is stale too.
    let e = Wire::parse("w.yaml", &format!("vocabulary:\n  words: {{colour: color}}\n  {EVIDENCE}\n"))
        .unwrap()
        .apply(&mut spec(), true)
        .unwrap_err();
    assert!(e.reason.contains("derives no legacy spelling"), "{e}");
}

#[test]
fn a_bad_table_is_one_error_with_its_line() {
    let cases = [
        ("vocabulary:\n  words: {post: tweet}\n  evidence: []\n", "needs words and evidence"),
        ("vocabulary:\n  words: {Post: tweet}\n  evidence: [e]\n", "lowercase words"),
        (&table("absent:\n  - at: Thing\n    why: w\n    evidence: [e]\n"), "JSON pointers"),
        (&table("absent:\n  - at: \"#/x\"\n    why: \"\"\n    evidence: [e]\n"), "needs `why` and `evidence`"),
        (&table("values:\n  - at: \"#/x\"\n    values: []\n    why: w\n    evidence: [e]\n"), "`values` is empty"),
        (&table("colour: red\n"), "unknown field `colour`"),
        (&table("absent: [unclosed\n"), ""),
    ];
    for (text, expect) in cases {
        let e = Wire::parse("spec/wire.yaml", text).unwrap_err();
        assert!(e.location.starts_with("spec/wire.yaml:") && e.reason.contains(expect), "{text}: {e}");
        assert!(!e.to_string().contains('\n'));
    }
}

/// The committed table applies strictly to the pinned spec (nothing in it has rotted) and
/// loosely to every other version.
#[test]
fn the_committed_table_applies_to_every_spec_version() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let w = Wire::read(&root.join("spec").join(FILE)).unwrap();
    let lock = std::fs::read_to_string(root.join("spec/x-api.lock.yaml")).unwrap();
    let pinned = lock.lines().find_map(|l| l.strip_prefix("file:")).unwrap().trim().to_owned();
    for version in ["2025-07-15", "2.152", "2.157", "2.159", "2.167", "2.169", "staging"] {
        let file = format!("x-openapi-{version}.json");
        let mut s: Value =
            serde_json::from_slice(&std::fs::read(root.join("../shared/spec").join(&file)).unwrap()).unwrap();
        let applied = w.apply(&mut s, file == pinned).unwrap_or_else(|e| panic!("{file}: {e}"));
        if file == pinned {
            assert!(applied.notes.is_empty(), "{:?}", applied.notes);
            assert!(applied.legacy.iter().any(|(at, current, legacy)| at == "#/components/schemas/UserPublicMetrics"
                && current == "post_count"
                && legacy == "tweet_count"));
        }
    }
}
