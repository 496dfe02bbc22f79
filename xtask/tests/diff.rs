//! `cargo xtask diff` end to end: Markdown snapshots of small fixture pairs (one per kind of
//! change), exact counts for X's consecutive spec versions, empty reports for a spec against
//! itself, and clear errors (exit 2, never a panic) for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn fixtures() -> PathBuf {
    root().join("xtask/tests/fixtures/diff")
}

fn spec(version: &str) -> String {
    root().join(format!("../shared/spec/x-openapi-{version}.json")).display().to_string()
}

/// Runs xtask from the fixture directory, so reports name fixtures by relative paths.
fn xtask(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(fixtures()).output().expect("run xtask");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "xtask panicked on {args:?}: {err}");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 report")
}

fn markdown(kind: &str) -> String {
    let out = xtask(&["diff", &format!("{kind}/old.yaml"), &format!("{kind}/new.yaml")]);
    assert!(out.status.success(), "{kind}: {}", String::from_utf8_lossy(&out.stderr));
    stdout(&out)
}

fn json(old: &str, new: &str) -> serde_json::Value {
    let out = xtask(&["diff", old, new, "--format", "json"]);
    assert!(out.status.success(), "{old} {new}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn operations_added_removed_renamed_replaced() {
    insta::assert_snapshot!("operations", markdown("operations"));
}

#[test]
fn parameters_added_removed_required_types_patterns_ranges_enums() {
    insta::assert_snapshot!("parameters", markdown("parameters"));
}

#[test]
fn a_shared_parameter_change_is_one_entry_listing_its_operations() {
    insta::assert_snapshot!("shared_parameter", markdown("shared_parameter"));
}

#[test]
fn success_schema_status_and_media_type() {
    insta::assert_snapshot!("success", markdown("success"));
}

#[test]
fn security_schemes_and_scopes() {
    insta::assert_snapshot!("security", markdown("security"));
}

#[test]
fn streaming_flag_and_request_media_types() {
    insta::assert_snapshot!("streaming_media", markdown("streaming_media"));
}

#[test]
fn component_schemas_and_the_operations_they_affect() {
    insta::assert_snapshot!("schemas", markdown("schemas"));
}

/// Renames, newly required properties and removed enum values are listed as wire drift, each
/// marked covered when spec/wire.yaml keeps the old form working.
#[test]
fn vocabulary_drift_is_marked_and_marked_again_when_the_wire_table_covers_it() {
    insta::assert_snapshot!("vocabulary", markdown("vocabulary"));
    let r = json("vocabulary/old.yaml", "vocabulary/new.yaml");
    let drift: Vec<(String, bool)> = r["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap().to_owned(), d["covered"].as_bool().unwrap()))
        .collect();
    let expect = |kind: &str, covered: bool| drift.iter().filter(|d| d.0 == kind && d.1 == covered).count();
    for kind in ["renamed", "required", "values-removed"] {
        assert_eq!((expect(kind, true), expect(kind, false)), (1, 1), "{kind}: {drift:?}");
    }
}

#[test]
fn problem_types_added_removed_changed() {
    insta::assert_snapshot!("problems", markdown("problems"));
}

/// What the new spec states that spec/errors/ lacks is listed first, for the reviewer.
#[test]
fn problem_types_the_tables_lack_are_review_items() {
    let gaps = root().join("generator/tests/fixtures/review/problem_gaps.yaml").display().to_string();
    let report = json("problems/old.yaml", &gaps);
    let review: Vec<&str> = report["review"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(review.len(), 2, "{review:?}");
    assert!(review[0].contains("`brand-new`") && review[1].contains("`shiny_new_field`"), "{review:?}");
    let out = xtask(&["diff", "problems/old.yaml", &gaps]);
    let md = stdout(&out);
    assert!(md.contains("## To review: what the new spec states that `spec/` lacks (2)"), "{md}");
}

fn count(report: &serde_json::Value, section: &str, what: &str) -> u64 {
    report["summary"][section][what].as_u64().unwrap_or_else(|| panic!("summary.{section}.{what} missing"))
}

#[test]
fn consecutive_spec_versions_have_the_expected_counts() {
    // (old, new, operations +/−, component schemas +/−), METHOD + path and schema names.
    let pairs = [
        ("2025-07-15", "2.152", (9, 7), (16, 13)),
        ("2.152", "2.157", (4, 0), (13, 0)),
        ("2.157", "2.159", (14, 0), (31, 0)),
        ("2.159", "2.167", (24, 9), (438, 350)),
        ("2.167", "staging", (5, 0), (13, 0)),
    ];
    for (old, new, ops, schemas) in pairs {
        let r = json(&spec(old), &spec(new));
        let got = (
            (count(&r, "operations", "added"), count(&r, "operations", "removed")),
            (count(&r, "schemas", "added"), count(&r, "schemas", "removed")),
        );
        assert_eq!(got, (ops, schemas), "{old} → {new}");
        // Renamed and replaced pairs are among the added and removed, listed apart.
        for section in ["operations", "schemas"] {
            let listed = |key: &str| r[section][key].as_array().map_or(0, Vec::len) as u64;
            let pairs = listed("renamed") + listed("replaced");
            assert_eq!(listed("added") + pairs, count(&r, section, "added"), "{old} → {new} {section}");
            assert_eq!(listed("removed") + pairs, count(&r, section, "removed"), "{old} → {new} {section}");
        }
    }
}

#[test]
fn tweet_fields_to_post_fields_is_one_entry_listing_35_operations() {
    let r = json(&spec("2.159"), &spec("2.167"));
    let shared = r["operations"]["shared"].as_array().expect("shared changes");
    let entries: Vec<&serde_json::Value> = shared
        .iter()
        .filter(|s| s["subject"].as_str().is_some_and(|t| t.contains("`tweet.fields` → `post.fields`")))
        .collect();
    assert_eq!(entries.len(), 1, "one entry");
    assert_eq!(entries[0]["operations"].as_array().map(Vec::len), Some(35));
    assert_eq!(entries[0]["class"], "breaking-wire");
    // Nothing else mentions the parameter on those operations.
    let per_op = r["operations"]["changed"].to_string();
    assert!(!per_op.contains("`post.fields`"), "post.fields reported again per operation");
}

#[test]
fn a_spec_against_itself_is_an_empty_report() {
    for path in [spec("2.167"), "schemas/old.yaml".to_owned()] {
        let out = xtask(&["diff", &path, &path, "--fail-on", "breaking"]);
        assert!(out.status.success(), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout(&out).contains("\nNo differences.\n"), "{path}: {}", stdout(&out));
        let r = json(&path, &path);
        for section in ["operations", "schemas", "problem_types", "rust_api"] {
            assert_eq!(
                r["summary"][section],
                serde_json::json!({"added": 0, "removed": 0, "renamed": 0, "replaced": 0, "changed": 0})
            );
        }
    }
}

#[test]
fn fail_on_breaking_sets_the_exit_status() {
    let breaking = xtask(&["diff", "schemas/old.yaml", "schemas/new.yaml", "--fail-on", "breaking"]);
    assert_eq!(breaking.status.code(), Some(1));
    let rust_only = xtask(&["diff", "problems/old.yaml", "problems/new.yaml", "--fail-on", "breaking-wire"]);
    assert_eq!(rust_only.status.code(), Some(0), "problem type changes break no wire client");
    let rust = xtask(&["diff", "problems/old.yaml", "problems/new.yaml", "--fail-on", "breaking-rust"]);
    assert_eq!(rust.status.code(), Some(1));
    // Accepting other tokens moves operations to other error enums: Rust users see that.
    let security = xtask(&["diff", "security/old.yaml", "security/new.yaml", "--fail-on", "breaking-rust"]);
    assert_eq!(security.status.code(), Some(1));
    let additive = xtask(&["diff", &spec("2.167"), &spec("staging"), "--fail-on", "breaking"]);
    assert_eq!(additive.status.code(), Some(0), "staging only adds: {}", String::from_utf8_lossy(&additive.stderr));
}

#[test]
fn error_surface_lists_variants_gained_and_lost() {
    let r = json(&spec("2.159"), &spec("2.167"));
    assert_eq!(r["error_surface"]["available"], true);
    let changes = r["error_surface"]["changes"].as_array().unwrap();
    let recent =
        changes.iter().find(|c| c["operation"] == "getPostsCountsRecent").expect("getPostsCountsRecent changes");
    assert!(recent["removed"].as_array().unwrap().iter().any(|v| v == "UnsupportedAuthentication"), "{recent}");
    assert!(markdown("operations").contains("## Error surface ("));
    let same = json(&spec("2.167"), &spec("2.167"));
    assert_eq!(same["error_surface"]["changes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn max_chars_cuts_lists_until_the_comment_fits() {
    let out = xtask(&["diff", &spec("2.159"), &spec("2.167"), "--max-chars", "60000"]);
    assert!(out.status.success());
    let md = stdout(&out);
    assert!(md.len() <= 60000, "{} characters", md.len());
    assert!(md.contains("| Operations (METHOD + path) | 24 | 9 |"), "the summary stays whole");
}

#[test]
fn base_compares_the_spec_pinned_at_a_git_ref() {
    let r = {
        let out = xtask(&["diff", "--base", "HEAD", &spec("staging"), "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(r["old"]["pinned"], "pinned at HEAD");
    // The same report as naming the spec HEAD pins directly.
    let lock = std::fs::read_to_string(root().join("spec/x-api.lock.yaml")).unwrap();
    let file = lock.lines().find_map(|l| l.strip_prefix("file:")).unwrap().trim();
    let direct = json(&root().join("../shared/spec").join(file).display().to_string(), &spec("staging"));
    assert_eq!(r["operations"], direct["operations"]);
    assert_eq!(r["summary"], direct["summary"]);
    assert!(count(&r, "operations", "added") + count(&r, "operations", "removed") > 0);
}

/// Exit 2 and one line on stderr naming the problem.
fn assert_bad(args: &[&str], expect: &str) {
    let out = xtask(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(expect), "{args:?}: expected {expect:?} in {err}");
    assert!(out.stdout.is_empty(), "{args:?} printed a report");
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    assert_bad(&["diff", "nope.yaml", "operations/new.yaml"], "nope.yaml");
    assert_bad(&["diff", "operations/old.yaml", "nope.yaml"], "nope.yaml");
    assert_bad(&["diff", "bad/not-a-spec.json", "operations/new.yaml"], "#/openapi");
    assert_bad(&["diff", "operations/old.yaml", "bad/empty.yaml"], "empty.yaml");
    assert_bad(&["diff", "operations/old.yaml"], "OLD NEW");
    assert_bad(&["diff", "--base", "no-such-ref-xyz"], "no-such-ref-xyz");
    assert_bad(&["diff", "--base=--output=x", "a.yaml"], "not a git ref");
    assert_bad(&["diff", "--base", "HEAD", "a.yaml", "b.yaml"], "at most one");
    let generator_bad = root().join("generator/tests/fixtures/bad");
    for entry in std::fs::read_dir(generator_bad).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Problem types unknown to our tables fail regen's cross-check, not the diff.
        if name.starts_with("unknown_problem") {
            continue;
        }
        let path = entry.path().display().to_string();
        assert_bad(&["diff", &path, "operations/new.yaml"], ": #");
        assert_bad(&["diff", "operations/old.yaml", &path], ": #");
    }
}
