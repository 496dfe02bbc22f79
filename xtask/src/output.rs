//! Writing a generated crate atomically, or checking that one on disk is current.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Files on disk under `dir` (relative, `/`-separated), skipping build output.
fn existing_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = fs::read_dir(dir.join(&rel)) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = rel.join(&name);
            match entry.file_type() {
                Ok(t) if t.is_dir() && name != "target" => stack.push(rel),
                Ok(t) if t.is_file() && name != "Cargo.lock" => out.push(rel.to_string_lossy().replace('\\', "/")),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// The files that differ from what regen would write: changed, missing or extra.
pub fn stale_files(dir: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut stale = Vec::new();
    for (rel, contents) in files {
        match fs::read(dir.join(rel)) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => stale.push(format!("{rel} (changed)")),
            Err(_) => stale.push(format!("{rel} (missing)")),
        }
    }
    for rel in existing_files(dir) {
        if !files.contains_key(&rel) {
            stale.push(format!("{rel} (not generated)"));
        }
    }
    stale
}

/// Writes `files` into `dir` so that `dir` is either the old tree or the complete new one:
/// everything goes to a sibling temp dir first, which then takes `dir`'s place.
pub fn write_atomically(dir: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let base = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".to_owned());
    let tmp = parent.join(format!(".{base}.regen-{}", std::process::id()));
    let old = parent.join(format!(".{base}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| {
        for (rel, contents) in files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            fs::write(&path, contents)?;
        }
        // Keep build output a standalone crate may have next to its sources.
        let target = dir.join("target");
        if target.is_dir() {
            fs::rename(&target, tmp.join("target"))?;
        }
        if dir.exists() {
            fs::rename(dir, &old)?;
        }
        if let Err(e) = fs::rename(&tmp, dir) {
            let _ = fs::rename(&old, dir);
            return Err(e);
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}
