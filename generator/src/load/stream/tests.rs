//! Reading a part at a time against reading the whole document: the same spec and the same
//! [`Applied`] (notes and walk order included), or nothing. Both apply the table with the
//! code written for reading in parts, so `the_specs_get_what_the_old_apply_gave` also holds
//! the result to what `Wire::apply` gave before it (at 1c7c6e3).

use super::*;
use serde_json::json;

/// The whole-document reading: one `Value`, the table applied to it (by the current
/// `Wire::apply`), serde.
fn whole(bytes: &[u8], wire: Option<&Wire>, strict: bool) -> Option<(OpenAPI, Applied)> {
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    let applied = match wire {
        Some(w) => w.apply(&mut value, strict).ok()?,
        None => Applied::default(),
    };
    Some((serde::Deserialize::deserialize(&value).ok()?, applied))
}

fn same(bytes: &[u8], wire: Option<&Wire>, strict: bool) {
    let (parts, whole) = (parse(bytes, wire, strict), whole(bytes, wire, strict));
    match (parts, whole) {
        (Some((a, x)), Some((b, y))) => {
            assert!(a == b, "{}", String::from_utf8_lossy(bytes));
            assert_eq!(x, y, "{}", String::from_utf8_lossy(bytes));
        }
        (None, _) => panic!("not read a part at a time: {}", String::from_utf8_lossy(bytes)),
        (Some(_), None) => panic!("read a part at a time, not whole: {}", String::from_utf8_lossy(bytes)),
    }
}

fn table(body: &str) -> Wire {
    let text = format!("vocabulary:\n  words: {{post: tweet, posts: tweets}}\n  evidence: [e]\n{body}");
    Wire::parse("spec/wire.yaml", &text).unwrap_or_else(|e| panic!("{e}"))
}

/// Parts everywhere the walk goes, and some it does not.
fn spec() -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "a", "properties": {"post_id": {}}}],
        "x-top": {"properties": {"post_id": {}}},
        "paths": {
            "/b": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"post_id": {"type": "string"}}}}}}}}},
            "/a": {"parameters": [{"name": "p", "in": "query", "schema": {"type": "string", "enum": ["x"]}}]},
            "x-p": {"properties": {"post_id": {}}},
            "other": {"properties": {"post_id": {}}}
        },
        "components": {
            "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string", "enum": ["x"]}}},
            "examples": {"E": {"value": {"properties": {"post_id": 1}}}},
            "schemas": {
                "Z": {"type": "object", "required": ["post_count"], "properties": {"post_count": {"type": "integer"}}},
                "A": {"type": "object", "properties": {"posts": {"type": "object", "properties": {"post_id": {}}}}},
                "x-s": {"type": "object", "properties": {"post_id": {}}}
            }
        }
    })
}

const ENTRIES: [&str; 6] = [
    "properties:\n  - at: [\"#/components/schemas/A\", \"#/components/schemas/Gone\", \"#/components/schemas/A\"]\n    name: post_extra\n    schema: {type: string}\n    why: w\n    evidence: [e]\n",
    "values:\n  - at: [\"#/components/parameters/P/schema\", \"#/paths/~1a/parameters/0/schema\"]\n    values: [x, y]\n    why: w\n    evidence: [e]\n",
    "absent:\n  - at: \"#/components/schemas/Z/properties/post_count\"\n    why: w\n    evidence: [e]\n  - at: \"#/components/schemas/A/properties/posts\"\n    why: w\n    evidence: [e]\n",
    "  keep:\n    - at: \"#/components/schemas/A/properties/posts\"\n      why: w\n      evidence: [e]\n",
    "  keep:\n    - at: \"#/components/schemas/Z/properties/nothing\"\n      why: w\n      evidence: [e]\n",
    "",
];

#[test]
fn parts_read_as_the_whole_does() {
    let bytes = serde_json::to_vec(&spec()).unwrap();
    same(&bytes, None, false);
    for body in ENTRIES {
        let wire = table(body);
        same(&bytes, Some(&wire), false);
        // With `strict`, a stale entry leaves the error to the whole reading.
        match whole(&bytes, Some(&wire), true) {
            Some(_) => same(&bytes, Some(&wire), true),
            None => assert!(parse(&bytes, Some(&wire), true).is_none(), "{body}"),
        }
    }
    // All at once: the keep entries belong to the vocabulary, so they come first.
    let keep = ENTRIES[3].to_owned() + ENTRIES[4].trim_start_matches("  keep:\n");
    let all = table(&(keep + ENTRIES[0] + ENTRIES[1] + ENTRIES[2]));
    same(&bytes, Some(&all), false);
}

#[test]
fn the_specs_read_as_the_whole_does() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let Ok(entries) = std::fs::read_dir(root.join("../shared/spec")) else { return };
    let wire = Wire::read(&root.join("spec/wire.yaml")).unwrap();
    for entry in entries.flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        same(&bytes, None, false);
        same(&bytes, Some(&wire), false);
    }
}

#[test]
fn unusual_documents_are_left_to_the_whole_reading() {
    let wire = table("");
    let fine = serde_json::to_string(&spec()).unwrap();
    let cases = [
        fine.replacen("\"/b\":", "\"/a\":{},\"/b\":", 1),
        fine.replacen("\"A\":", "\"Z\":{},\"A\":", 1),
        fine.replacen("\"paths\":", "\"info\":{},\"paths\":", 1),
        fine.replacen("\"paths\":", "\"properties\":{},\"paths\":", 1),
        fine.replacen("\"/b\":", "\"properties\":{},\"/b\":", 1),
        fine.replacen("\"A\":", "\"properties\":{},\"A\":", 1),
        fine.replacen("\"parameters\":{\"P\"", "\"properties\":{},\"parameters\":{\"P\"", 1),
        fine.replacen("\"3.0.0\"", "\"3.1.0\"", 1),
        format!("{fine} trailing"),
        fine[..fine.len() - 1].to_owned(),
        "[]".to_owned(),
    ];
    for case in &cases {
        assert!(parse(case.as_bytes(), Some(&wire), false).is_none(), "{case}");
    }
    // A pointer at a whole map, which is never one part.
    let at_map = table("  keep:\n    - at: \"#/components/schemas\"\n      why: w\n      evidence: [e]\n");
    assert!(parse(fine.as_bytes(), Some(&at_map), false).is_none());
    // Members openapiv3 does not read, and documents without the maps, still read.
    for doc in [
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {}}),
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"x-a": 1, "b": 2}}),
    ] {
        same(&serde_json::to_vec(&doc).unwrap(), Some(&wire), false);
    }
}

#[test]
fn value_maps_iterate_sorted() {
    // `finish` sorts what it read as `Value`'s maps iterate, for the walk order and the
    // maps' order; serde_json's `preserve_order` would change that and break it silently.
    let map: Map<String, Value> = ["b", "c", "a", "B"].into_iter().map(|k| (k.to_owned(), Value::Null)).collect();
    assert_eq!(map.keys().map(String::as_str).collect::<Vec<_>>(), ["B", "a", "b", "c"]);
    let value: Value = serde_json::from_str(r#"{"z": 1, "/b": 2, "/a": 3}"#).unwrap();
    assert_eq!(value.as_object().map(|m| m.keys().map(String::as_str).collect()), Some(vec!["/a", "/b", "z"]));
}

/// FNV-1a: a hash that stays the same across Rust versions, for [`OLD_APPLY`].
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Each list of an [`Applied`] as its length and the hash of its items in order; or the
/// hash of the error.
fn digest(result: &crate::error::Result<Applied>) -> String {
    let a = match result {
        Ok(a) => a,
        Err(e) => return format!("error {:016x}", fnv(e.to_string().as_bytes())),
    };
    let lists: [(&str, Vec<String>); 5] = [
        ("legacy", a.legacy.iter().map(|(o, c, l)| format!("{o} {c} {l}")).collect()),
        ("absent", a.absent.iter().cloned().collect()),
        ("values", a.values.iter().map(|(p, v)| format!("{p} {v}")).collect()),
        ("added", a.added.iter().cloned().collect()),
        ("notes", a.notes.clone()),
    ];
    let each =
        lists.iter().map(|(name, items)| format!("{name} {} {:016x}", items.len(), fnv(items.join("\n").as_bytes())));
    each.collect::<Vec<_>>().join(", ")
}

/// The table [`OLD_APPLY`] was made with: `spec/wire.yaml` as of 1c7c6e3, kept as it was.
const OLD_TABLE: &str = include_str!("../../../tests/fixtures/wire-1c7c6e3.yaml");

/// What `Wire::apply` at 1c7c6e3 (one walk of the whole `Value`, before parts) made of
/// [`OLD_TABLE`] on each spec in ../shared/spec: (file, [`fnv`] of it, strict, [`digest`]).
/// Made by [`digest`] run on that commit's `Wire::apply` in a worktree, the table parsed as
/// `spec/wire.yaml` (the name its notes cite).
const OLD_APPLY: &[(&str, u64, bool, &str)] = &[
    ("x-openapi-2.152.json", 0x3fd6fc6dbe414dcc, false, "legacy 1 0dc15e49195b98a0, absent 0 cbf29ce484222325, values 0 cbf29ce484222325, added 1 f376ede69d5013d6, notes 11 b618c750141d48a3"),
    ("x-openapi-2.152.json", 0x3fd6fc6dbe414dcc, true, "error de1cd025252ab366"),
    ("x-openapi-2.157.json", 0x0f47f4e8550090c1, false, "legacy 1 0dc15e49195b98a0, absent 0 cbf29ce484222325, values 0 cbf29ce484222325, added 1 f376ede69d5013d6, notes 9 60a54ffa70d1bff2"),
    ("x-openapi-2.157.json", 0x0f47f4e8550090c1, true, "error de1cd025252ab366"),
    ("x-openapi-2.159.json", 0xa83ae8c6204f4fe9, false, "legacy 1 0dc15e49195b98a0, absent 0 cbf29ce484222325, values 0 cbf29ce484222325, added 1 f376ede69d5013d6, notes 9 60a54ffa70d1bff2"),
    ("x-openapi-2.159.json", 0xa83ae8c6204f4fe9, true, "error de1cd025252ab366"),
    ("x-openapi-2.167.json", 0xdaea16dc1c8361c6, false, "legacy 15 b2d3b36a4347af75, absent 3 4fd13f0408d50929, values 6 26b48993220f316d, added 3 04c14bb8bcd619bc, notes 0 cbf29ce484222325"),
    ("x-openapi-2.167.json", 0xdaea16dc1c8361c6, true, "legacy 15 b2d3b36a4347af75, absent 3 4fd13f0408d50929, values 6 26b48993220f316d, added 3 04c14bb8bcd619bc, notes 0 cbf29ce484222325"),
    ("x-openapi-2.169.json", 0x2d5c31d18d18583e, false, "legacy 15 b2d3b36a4347af75, absent 3 4fd13f0408d50929, values 6 26b48993220f316d, added 3 04c14bb8bcd619bc, notes 0 cbf29ce484222325"),
    ("x-openapi-2.169.json", 0x2d5c31d18d18583e, true, "legacy 15 b2d3b36a4347af75, absent 3 4fd13f0408d50929, values 6 26b48993220f316d, added 3 04c14bb8bcd619bc, notes 0 cbf29ce484222325"),
    ("x-openapi-2025-07-15.json", 0xd77e7d00b2610a69, false, "legacy 0 cbf29ce484222325, absent 0 cbf29ce484222325, values 0 cbf29ce484222325, added 1 f376ede69d5013d6, notes 13 04073359f4df0815"),
    ("x-openapi-2025-07-15.json", 0xd77e7d00b2610a69, true, "error de1cd025252ab366"),
    ("x-openapi-staging.json", 0x88535549874cdcf5, false, "legacy 15 b2d3b36a4347af75, absent 3 4fd13f0408d50929, values 6 26b48993220f316d, added 3 04c14bb8bcd619bc, notes 0 cbf29ce484222325"),
    ("x-openapi-staging.json", 0x88535549874cdcf5, true, "legacy 15 b2d3b36a4347af75, absent 3 4fd13f0408d50929, values 6 26b48993220f316d, added 3 04c14bb8bcd619bc, notes 0 cbf29ce484222325"),
];

#[test]
fn the_specs_get_what_the_old_apply_gave() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no {} to compare with the old Wire::apply on", dir.display());
        return;
    };
    let wire = Wire::parse("spec/wire.yaml", OLD_TABLE).unwrap_or_else(|e| panic!("{e}"));
    let mut compared = 0;
    for path in entries.flatten().map(|e| e.path()) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        // A spec added or changed since then has no old result to compare with: the other
        // wire tests cover it.
        let old: Vec<_> = OLD_APPLY.iter().filter(|o| o.0 == name && o.1 == fnv(&bytes)).collect();
        if old.is_empty() {
            eprintln!("{name}: not the file OLD_APPLY was made from; not compared");
        }
        for &&(_, _, strict, want) in &old {
            let check = |how: &str, got: &crate::error::Result<Applied>| {
                assert_eq!(digest(got), want, "{name}, strict {strict}, {how}: {got:#?}");
            };
            // What `load` gives (parts when it can), the parts themselves, the whole `Value`.
            check("load", &crate::load::Spec::parse_with(&bytes, Some(&wire), strict).map(|(_, a)| a));
            match parse(&bytes, Some(&wire), strict) {
                Some((_, applied)) => check("parts", &Ok(applied)),
                None => assert!(strict && want.starts_with("error"), "{name}, strict {strict}: not read in parts"),
            }
            let mut value: Value = serde_json::from_slice(&bytes).unwrap();
            check("whole", &wire.apply(&mut value, strict));
            compared += 1;
        }
    }
    assert!(compared > 0, "none of the specs OLD_APPLY was made from is in {}", dir.display());
}
