//! Getting the pinned spec when it is not on disk: download it from the lock's URL (blocking,
//! rustls), check its sha256, and keep it in `target/spec-cache/` for next time.

use crate::lock::sha256_hex;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a download may wait for a connection, and between bytes.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { connect: Duration::from_secs(10), read: Duration::from_secs(30) }
    }
}

/// Specs larger than this are refused (X's is under 1 MB).
const MAX_SPEC_BYTES: u64 = 64 << 20;

/// Where a spec with this sha256 is cached.
pub fn cache_path(root: &Path, sha256: &str) -> PathBuf {
    root.join("target").join("spec-cache").join(format!("{sha256}.json"))
}

/// The cached copy, if there is one and it still has its hash.
pub fn cached(root: &Path, sha256: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(cache_path(root, sha256)).ok()?;
    (sha256_hex(&bytes) == sha256).then_some(bytes)
}

/// Stores a spec in the cache (best effort: a failure only costs a download next time).
pub fn store(root: &Path, bytes: &[u8]) -> PathBuf {
    let path = cache_path(root, &sha256_hex(bytes));
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&path, bytes);
    path
}

/// Downloads `url`; with `expected`, the body must have that sha256. Errors name the URL,
/// the expected hash and the way out (`--spec PATH`).
pub fn download(url: &str, expected: Option<&str>, timeouts: Timeouts, quiet: bool) -> Result<Vec<u8>, String> {
    let hint = |what: String| {
        let hash = expected.map(|h| format!(" (expected sha256 {h})")).unwrap_or_default();
        format!("downloading {url}{hash}: {what}\nhint: pass --spec PATH to use a spec file you have, or --offline to never download")
    };
    let agent = ureq::AgentBuilder::new().timeout_connect(timeouts.connect).timeout_read(timeouts.read).build();
    let response = match agent.get(url).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(code, _)) => return Err(hint(format!("HTTP {code}"))),
        Err(e) => return Err(hint(e.to_string())),
    };
    let total: Option<u64> = response.header("content-length").and_then(|v| v.parse().ok());
    let mut reader = response.into_reader().take(MAX_SPEC_BYTES + 1);
    let mut body = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let mut next_report = 1 << 20;
    loop {
        let n = reader.read(&mut buf).map_err(|e| hint(format!("reading the body: {e}")))?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
        if !quiet && body.len() >= next_report {
            let of = total.map(|t| format!(" of {} KiB", t / 1024)).unwrap_or_default();
            eprintln!("  downloaded {} KiB{of}", body.len() / 1024);
            next_report += 1 << 20;
        }
    }
    if body.len() as u64 > MAX_SPEC_BYTES {
        return Err(hint(format!("larger than {MAX_SPEC_BYTES} bytes")));
    }
    if let Some(total) = total.filter(|t| *t != body.len() as u64) {
        return Err(hint(format!("truncated: got {} of {total} bytes", body.len())));
    }
    if let Some(expected) = expected {
        let actual = sha256_hex(&body);
        if actual != expected {
            return Err(hint(format!("got sha256 {actual}")));
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    /// A one-request HTTP server on 127.0.0.1 that answers with `response` (raw bytes), after
    /// `delay`. Returns its URL.
    fn serve(response: Vec<u8>, delay: Duration) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/2/openapi.json", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                std::thread::sleep(delay);
                let _ = stream.write_all(&response);
            }
        });
        url
    }

    fn ok(body: &[u8]) -> Vec<u8> {
        let mut r =
            format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len()).into_bytes();
        r.extend_from_slice(body);
        r
    }

    const SPEC: &[u8] = br#"{"openapi":"3.0.0","info":{"title":"t","version":"9"},"paths":{}}"#;

    #[test]
    fn right_hash() {
        let url = serve(ok(SPEC), Duration::ZERO);
        assert_eq!(download(&url, Some(&sha256_hex(SPEC)), Timeouts::default(), true).unwrap(), SPEC);
    }

    #[test]
    fn wrong_hash() {
        let url = serve(ok(SPEC), Duration::ZERO);
        let e = download(&url, Some("00ff"), Timeouts::default(), true).unwrap_err();
        assert!(e.contains(&url) && e.contains("expected sha256 00ff") && e.contains("--spec PATH"), "{e}");
    }

    #[test]
    fn not_found() {
        let url =
            serve(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(), Duration::ZERO);
        let e = download(&url, Some("ab"), Timeouts::default(), true).unwrap_err();
        assert!(e.contains("HTTP 404") && e.contains(&url), "{e}");
    }

    #[test]
    fn truncated_body() {
        let mut r = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n".to_vec();
        r.extend_from_slice(&SPEC[..20]);
        let url = serve(r, Duration::ZERO);
        let e = download(&url, Some(&sha256_hex(SPEC)), Timeouts::default(), true).unwrap_err();
        assert!(e.contains(&url), "{e}");
    }

    #[test]
    fn slow_server_times_out() {
        let url = serve(ok(SPEC), Duration::from_secs(3));
        let quick = Timeouts { connect: Duration::from_secs(1), read: Duration::from_millis(300) };
        let e = download(&url, None, quick, true).unwrap_err();
        assert!(e.contains(&url), "{e}");
    }

    #[test]
    fn nothing_listening() {
        // Bind then drop: the port is free, so the connection is refused.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let e = download(&format!("http://127.0.0.1:{port}/x"), Some("ab"), Timeouts::default(), true).unwrap_err();
        assert!(e.contains("--offline"), "{e}");
    }

    #[test]
    fn cache_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = store(dir.path(), SPEC);
        assert!(path.starts_with(dir.path().join("target/spec-cache")));
        assert_eq!(cached(dir.path(), &sha256_hex(SPEC)).unwrap(), SPEC);
        std::fs::write(&path, b"tampered").unwrap();
        assert!(cached(dir.path(), &sha256_hex(SPEC)).is_none());
    }
}
