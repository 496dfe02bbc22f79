//! Responses X really sent (`../shared/wire-corpus/responses.jsonl` beside the repo, or the
//! file named by `XAPI_WIRE_CORPUS`) decode into their operation's success type, and
//! serializing the value back loses nothing: no property, no `null`, no legacy spelling. Each
//! response is matched to its operation by method and path. Crates generated from older spec
//! versions run it too. Error responses are checked end to end by the runtime's corpus test.

use crate::meta::Operation;
use crate::response::Endpoint;
use serde_json::Value;
use std::collections::BTreeMap;

/// Decodes a body as one operation's success type and serializes it back.
pub type Decode = fn(&[u8]) -> Result<Value, String>;

/// Decodes a body as `E`'s success type and serializes it back.
pub fn decode<E: Endpoint>(body: &[u8]) -> Result<Value, String>
where
    E::Success: serde::Serialize,
{
    let body: &[u8] = if body.trim_ascii().is_empty() { b"null" } else { body };
    let typed: E::Success = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// The corpus text: `XAPI_WIRE_CORPUS` (which must exist), else `default` if it exists.
fn corpus(default: &str) -> Option<String> {
    let named = std::env::var_os("XAPI_WIRE_CORPUS");
    let path = named.clone().map_or_else(|| std::path::PathBuf::from(default), std::path::PathBuf::from);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if named.is_some() => panic!("{}: {e}", path.display()),
        Err(_) => None,
    }
}

/// Decodes every 2xx response of the corpus with its operation's decoder (operation id →
/// decoder; `route` finds the operation) and panics listing each one that fails or loses data.
pub fn check(
    spec_version: &str,
    default_corpus: &str,
    decoders: BTreeMap<&str, Decode>,
    route: fn(&str, &str) -> Option<&'static Operation>,
) {
    let Some(text) = corpus(default_corpus) else {
        eprintln!("no wire corpus at {default_corpus} (set XAPI_WIRE_CORPUS): nothing to check");
        return;
    };
    let (mut successes, mut unmatched, mut failures) = (0, Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).expect("a JSON line");
        let (source, method, url) =
            (r["source"].as_str().unwrap_or("?"), r["method"].as_str().unwrap_or(""), r["url"].as_str().unwrap_or(""));
        let status = r["status"].as_u64().unwrap_or(0);
        let body = r["body"].as_str().unwrap_or_default();
        let Some(op) = route(method, url) else {
            unmatched.push(format!("{method} {url}"));
            continue;
        };
        if !(200..300).contains(&status) {
            continue;
        }
        successes += 1;
        let Some(decode) = decoders.get(op.id) else {
            failures.push(format!("{source} ({}): no decoder", op.id));
            continue;
        };
        match decode(body.as_bytes()) {
            Err(e) => failures.push(format!("{source} ({}): does not decode: {e}", op.id)),
            Ok(back) if !body.trim().is_empty() => {
                let sent: Value = serde_json::from_str(body).expect("a JSON body");
                let lost = crate::wire::differences(&sent, &back);
                if !lost.is_empty() {
                    failures.push(format!("{source} ({}): {}", op.id, lost.join("; ")));
                }
            }
            Ok(_) => {}
        }
    }
    eprintln!(
        "wire corpus, spec {spec_version}: {successes} successes decoded, {} lossless; {} responses match no operation: {unmatched:?}",
        successes - failures.len(),
        unmatched.len()
    );
    assert!(successes > 0, "the corpus has successes this spec's operations answer");
    assert!(failures.is_empty(), "{} of {successes}:\n{}", failures.len(), failures.join("\n"));
}
