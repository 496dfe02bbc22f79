//! The maintainer's loop on a copy of the repository: `update-spec` moves the pin to the
//! staging spec, regenerates and writes the report; `regen --offline` never downloads.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `dir/repo` with spec/ and generated/ copied, and `dir/shared` pointing at the real one.
fn repo_copy(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    copy_dir(&root().join("spec"), &repo.join("spec"));
    copy_dir(&root().join("generated"), &repo.join("generated"));
    let shared = std::fs::canonicalize(root().join("../shared")).unwrap();
    std::os::unix::fs::symlink(shared, dir.join("shared")).unwrap();
    repo
}

fn xtask(repo: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).arg("--root").arg(repo).args(args).output().unwrap()
}

#[test]
fn update_spec_moves_the_pin_to_staging() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_copy(dir.path());
    let staging = dir.path().join("shared/spec/x-openapi-staging.json");
    let out = xtask(&repo, &["--timings", "update-spec", "--from", staging.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    // Staging (built after 2.167) lacks operations 2.169 has: a breaking move, exit status 1.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the new spec has breaking changes"), "{err}");
    assert!(err.contains("generate") && err.contains(" ms"), "stages with timings: {err}");

    let lock = std::fs::read_to_string(repo.join("spec/x-api.lock.yaml")).unwrap();
    assert!(lock.contains("version: \"2.development\"") && lock.contains("file: x-openapi-staging.json"), "{lock}");
    assert!(lock.contains("url: https://api.x.com/2/openapi.json"), "the rest of the lock is kept");
    let version = std::fs::read_to_string(repo.join("generated/src/lib.rs")).unwrap();
    assert!(version.contains("2.development"), "regenerated from staging");

    let report = std::fs::read_to_string(repo.join("target/spec-diff.md")).unwrap();
    // Operations staging adds and drops, by their METHOD + path as the report lists them.
    let old = xapi_ops(&root().join("generated/API-DIGEST.txt"));
    let new = xapi_ops(&repo.join("generated/API-DIGEST.txt"));
    let added: Vec<_> = new.iter().filter(|o| !old.contains(o)).collect();
    let removed: Vec<_> = old.iter().filter(|o| !new.contains(o)).collect();
    assert!(!added.is_empty() && !removed.is_empty(), "{added:?} {removed:?}");
    for op in added.into_iter().chain(removed) {
        assert!(report.contains(op.as_str()), "report names {op}");
    }
    // And regen agrees the tree is current.
    let check = xtask(&repo, &["--quiet", "regen", "--check", "--offline"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// `GET /2/…` of every operation line in an API digest.
fn xapi_ops(digest: &Path) -> Vec<String> {
    std::fs::read_to_string(digest)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("op "))
        .filter_map(|l| {
            let mut parts = l.split(' ');
            let (_, method, path) = (parts.next()?, parts.next()?, parts.next()?);
            Some(format!("{method} {path}"))
        })
        .collect()
}

/// The sha256 the committed lock pins.
fn pinned_sha256() -> String {
    let lock = std::fs::read_to_string(root().join("spec/x-api.lock.yaml")).unwrap();
    let line = lock.lines().find_map(|l| l.strip_prefix("sha256:")).expect("a sha256 line");
    line.trim().to_owned()
}

#[test]
fn offline_regen_without_the_spec_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&root().join("spec"), &repo.join("spec"));
    // No ../shared beside this copy, and no cache.
    let out = xtask(&repo, &["regen", "--offline"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("--offline") && err.contains("https://api.x.com/2/openapi.json") && err.contains("--spec PATH"),
        "{err}"
    );
    assert!(err.contains(&pinned_sha256()), "{err}");
}

#[test]
fn regen_uses_the_cache_when_the_spec_is_not_beside_the_repo() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&root().join("spec"), &repo.join("spec"));
    copy_dir(&root().join("generated"), &repo.join("generated"));
    copy_dir(&root().join("core/src/errors/tables"), &repo.join("core/src/errors/tables"));
    let spec = std::fs::read(root().join("../shared/spec/x-openapi-2.169.json")).unwrap();
    let cache = repo.join("target/spec-cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join(format!("{}.json", pinned_sha256())), spec).unwrap();
    let out = xtask(&repo, &["--quiet", "regen", "--check", "--offline"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
