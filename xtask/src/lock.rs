//! `spec/x-api.lock.yaml`: which spec `generated/` comes from, and how to find and verify it.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Where X publishes the spec.
    #[allow(dead_code)] // read by update-spec (issue 9)
    pub url: String,
    /// The spec's `info.version`.
    pub version: String,
    /// The file name under `../shared/spec`.
    pub file: String,
    pub sha256: String,
}

pub const LOCK_PATH: &str = "spec/x-api.lock.yaml";

impl Lock {
    pub fn read(root: &Path) -> Result<Self, String> {
        let path = root.join(LOCK_PATH);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Where the pinned file is expected: `../shared/spec/FILE` beside the repository.
    pub fn default_path(&self, root: &Path) -> PathBuf {
        root.join("..").join("shared").join("spec").join(&self.file)
    }

    /// Reads the pinned spec and checks its hash. Errors say what was expected and how to
    /// point regen at another file.
    pub fn load_pinned(&self, root: &Path) -> Result<(PathBuf, Vec<u8>), String> {
        let path = self.default_path(root);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "pinned spec {} (version {}, sha256 {}) not readable at {}: {e}\n\
                 hint: put it there, or pass --spec PATH to generate from another file",
                self.file,
                self.version,
                self.sha256,
                path.display()
            )
        })?;
        let actual = sha256_hex(&bytes);
        if actual != self.sha256 {
            return Err(format!(
                "{} has sha256 {actual}, but {LOCK_PATH} pins {} (version {})\n\
                 hint: restore the pinned file, or pass --spec PATH to generate from another file",
                path.display(),
                self.sha256,
                self.version
            ));
        }
        Ok((path, bytes))
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(contents: &[u8]) -> (tempfile::TempDir, PathBuf, Lock) {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(dir.path().join("shared/spec")).unwrap();
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(dir.path().join("shared/spec/x.json"), contents).unwrap();
        let lock = Lock {
            url: "https://api.x.com/2/openapi.json".into(),
            version: "9.9".into(),
            file: "x.json".into(),
            sha256: sha256_hex(b"{}"),
        };
        (dir, repo, lock)
    }

    #[test]
    fn pinned_file_with_the_right_hash_loads() {
        let (_dir, repo, lock) = layout(b"{}");
        assert_eq!(lock.load_pinned(&repo).unwrap().1, b"{}");
    }

    #[test]
    fn hash_mismatch_says_what_was_expected() {
        let (_dir, repo, lock) = layout(b"{ }");
        let e = lock.load_pinned(&repo).unwrap_err();
        assert!(e.contains(&lock.sha256) && e.contains("9.9") && e.contains("--spec PATH"), "{e}");
    }

    #[test]
    fn missing_file_says_where_and_how() {
        let (_dir, repo, mut lock) = layout(b"{}");
        lock.file = "gone.json".into();
        let e = lock.load_pinned(&repo).unwrap_err();
        assert!(e.contains("gone.json") && e.contains(&lock.sha256) && e.contains("--spec PATH"), "{e}");
    }

    #[test]
    fn the_committed_lock_pins_2_169() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let lock = Lock::read(root).unwrap();
        assert_eq!((lock.version.as_str(), lock.url.as_str()), ("2.169", "https://api.x.com/2/openapi.json"));
    }
}
