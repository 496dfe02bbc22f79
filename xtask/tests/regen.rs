//! `cargo xtask regen` end to end: the committed crate is current, output is deterministic,
//! every spec version (and every fixture spec) generates a crate that compiles, and bad input
//! changes nothing on disk.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The spec versions this project is known to generate from; any other file in ../shared/spec
/// is covered too.
const KNOWN_VERSIONS: [&str; 7] = ["2025-07-15", "2.152", "2.157", "2.159", "2.167", "2.169", "staging"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("run xtask")
}

fn regen_out(spec: &Path, out: &Path) {
    let o = xtask(&["regen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}: {}", spec.display(), String::from_utf8_lossy(&o.stderr));
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn committed_crate_is_current() {
    let o = xtask(&["regen", "--check"]);
    assert!(o.status.success(), "generated/ is stale:\n{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn check_lists_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let spec = root().join("generator/tests/fixtures/operations.yaml");
    regen_out(&spec, dir.path());
    std::fs::write(dir.path().join("src/models.rs"), "// edited by hand\n").unwrap();
    std::fs::write(dir.path().join("src/extra.rs"), "").unwrap();
    let o = xtask(&["regen", "--spec", spec.to_str().unwrap(), "--out", dir.path().to_str().unwrap(), "--check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("src/models.rs (changed)") && err.contains("src/extra.rs (not generated)"), "{err}");
}

#[test]
fn regen_twice_gives_identical_bytes() {
    let spec = root().join("generator/tests/fixtures/models.yaml");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    regen_out(&spec, a.path());
    regen_out(&spec, b.path());
    assert_eq!(read_tree(a.path()), read_tree(b.path()));
}

#[test]
fn bad_spec_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let good = root().join("generator/tests/fixtures/operations.yaml");
    regen_out(&good, &out);
    let before = read_tree(dir.path());
    let bad_dir = root().join("generator/tests/fixtures/bad");
    for entry in std::fs::read_dir(&bad_dir).unwrap().flatten() {
        // --quiet drops the progress lines, so stderr is only what went wrong.
        let o = xtask(&["--quiet", "regen", "--spec", entry.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{}", entry.path().display());
        assert_eq!(err.lines().count(), 1, "one error line: {err}");
        assert!(err.contains(": #"), "names a JSON pointer: {err}");
        // Nothing changed, and no temp dir was left beside the output.
        assert_eq!(read_tree(dir.path()), before, "{} changed the output", entry.path().display());
    }
}

/// Problem types the tables lack are listed for review (and left untyped); `--strict` refuses
/// them on one line and writes nothing.
#[test]
fn review_items_are_listed_and_strict_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let spec = root().join("generator/tests/fixtures/review/problem_gaps.yaml");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let o = xtask(&["--quiet", "regen", "--strict", "--spec", spec, "--out", out_arg]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.lines().count() == 1 && err.contains("(and 1 more: #/"), "{err}");
    assert!(!out.exists(), "--strict wrote nothing");
    let o = xtask(&["--quiet", "regen", "--spec", spec, "--out", out_arg]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.starts_with("review: 2 things the spec states that spec/errors/ lacks"), "{err}");
    assert!(std::fs::read_to_string(out.join("ERRORS.md")).unwrap().contains("also defines `brand-new`"));
}

#[test]
fn unreadable_spec_is_a_clear_error() {
    let o = xtask(&["regen", "--spec", "/nonexistent/spec.json", "--check"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/spec.json"));
}

/// Every spec version in ../shared/spec and every fixture spec generates a crate that passes
/// `cargo check` without warnings, with and without typed requests, and whose typed requests
/// round-trip (its generated `tests/typed_requests.rs`); every real version's crate also
/// decodes the wire corpus losslessly (`tests/wire_corpus.rs`). The crates share one target
/// directory so dependencies build once.
#[test]
fn every_spec_version_and_fixture_compiles() {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root().join("../shared/spec"))
        .expect("../shared/spec beside the repository")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    for version in KNOWN_VERSIONS {
        let name = format!("x-openapi-{version}.json");
        assert!(specs.iter().any(|p| p.ends_with(&name)), "../shared/spec lacks {name}");
    }
    let real = specs.len();
    specs.push(root().join("generator/tests/fixtures/models.yaml"));
    specs.push(root().join("generator/tests/fixtures/operations.yaml"));
    specs.push(root().join("generator/tests/fixtures/cycles.yaml"));
    let corpus = root().join("../shared/wire-corpus/responses.jsonl");
    let work = tempfile::tempdir().unwrap();
    let target = root().join("target/spec-check");
    for (i, spec) in specs.iter().enumerate() {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let out = work.path().join(&name);
        regen_out(spec, &out);
        std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        let mut test = vec!["test", "--features", "typed-requests", "--test", "typed_requests"];
        if i < real {
            test.extend(["--test", "wire_corpus"]);
        }
        for args in [&["check", "--all-targets"][..], &test[..]] {
            let o = Command::new(env!("CARGO"))
                .args(args)
                .args(["--offline", "--quiet"])
                .current_dir(&out)
                .env("CARGO_TARGET_DIR", &target)
                .env("RUSTFLAGS", "-D warnings")
                .env("XAPI_WIRE_CORPUS", &corpus)
                .output()
                .unwrap();
            let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
            assert!(o.status.success(), "{name}: cargo {args:?} fails:\n{out}\n{err}");
        }
    }
}

/// `cargo xtask explain` forwards to `xapi explain` (cli/) and keeps its exit status.
#[test]
fn explain_is_forwarded() {
    let o = xtask(&["explain", "--status", "abc"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = xtask(&["explain", "--status", "404", "--json", "--body-file", "/dev/null"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"kind\": \"http\""));
}
