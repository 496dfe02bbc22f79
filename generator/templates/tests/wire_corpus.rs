//! Responses X really sent (`../shared/wire-corpus/responses.jsonl`, or the file named by
//! `XAPI_WIRE_CORPUS`) decode into their operation's success type, and serializing the value
//! back loses nothing: no property, no `null`, no legacy spelling. Each response is matched to
//! its operation by method and path. Crates generated from older spec versions run it too.
//! Error responses are checked end to end by the runtime's own corpus test.

use serde_json::Value;
use xapi_types::meta::Operation;
use xapi_types::response::Endpoint;

type Decode = fn(&[u8]) -> Result<Value, String>;

/// Decodes a body as `E`'s success type and serializes it back.
#[allow(dead_code)] // a spec without operations has no success types
fn decode<E: Endpoint>(body: &[u8]) -> Result<Value, String>
where
    E::Success: serde::Serialize,
{
    let body: &[u8] = if body.trim_ascii().is_empty() { b"null" } else { body };
    let typed: E::Success = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

macro_rules! decoders {
    ($($op:ident),* $(,)?) => {
        vec![$((xapi_types::operations::$op::OPERATION.id, decode::<xapi_types::operations::$op::Op> as Decode)),*]
    };
}

fn corpus() -> Option<String> {
    let path = match std::env::var_os("XAPI_WIRE_CORPUS") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wire-corpus/responses.jsonl"),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        // Named explicitly: it must be there.
        Err(e) if std::env::var_os("XAPI_WIRE_CORPUS").is_some() => panic!("{}: {e}", path.display()),
        Err(_) => None,
    }
}

#[test]
fn every_recorded_success_decodes_and_loses_nothing() {
    let Some(text) = corpus() else {
        eprintln!("no wire corpus beside this crate (set XAPI_WIRE_CORPUS): nothing to check");
        return;
    };
    let decoders: std::collections::BTreeMap<&str, Decode> =
        xapi_types::for_each_operation!(decoders).into_iter().collect();
    let (mut successes, mut unmatched, mut failures) = (0, Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).expect("a JSON line");
        let (source, method, url) =
            (r["source"].as_str().unwrap_or("?"), r["method"].as_str().unwrap_or(""), r["url"].as_str().unwrap_or(""));
        let status = r["status"].as_u64().unwrap_or(0);
        let body = r["body"].as_str().unwrap_or_default();
        let Some(op): Option<&Operation> = xapi_types::operations::route(method, url) else {
            unmatched.push(format!("{method} {url}"));
            continue;
        };
        if !(200..300).contains(&status) {
            continue;
        }
        successes += 1;
        match decoders[op.id](body.as_bytes()) {
            Err(e) => failures.push(format!("{source} ({}): does not decode: {e}", op.id)),
            Ok(back) if !body.trim().is_empty() => {
                let sent: Value = serde_json::from_str(body).expect("a JSON body");
                let lost = xapi_types::wire::differences(&sent, &back);
                if !lost.is_empty() {
                    failures.push(format!("{source} ({}): {}", op.id, lost.join("; ")));
                }
            }
            Ok(_) => {}
        }
    }
    eprintln!(
        "wire corpus, spec {}: {successes} successes decoded, {} lossless; {} responses match no operation: {unmatched:?}",
        xapi_types::SPEC_VERSION,
        successes - failures.len(),
        unmatched.len()
    );
    assert!(successes > 0, "the corpus has successes this spec's operations answer");
    assert!(failures.is_empty(), "{} of {successes}:\n{}", failures.len(), failures.join("\n"));
}
