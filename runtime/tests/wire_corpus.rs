//! Every response X really sent (`../shared/wire-corpus/responses.jsonl`: tweepy's recorded
//! cassettes, bodies from X's docs in go-twitter's tests), through `parse_for::<Op>` of the
//! operation it went to (matched by method and path):
//! - a success decodes, and its data serialized back loses no key path (legacy spellings,
//!   `null`s and unknown properties included);
//! - an error lands in one of the operation's named variants, never `Unhandled` or `Decode`.
//!
//! It also reports how much of what X sent landed in typed fields rather than `extra`.

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::Value;
use std::collections::BTreeMap;
use xapi::types::wire::{differences, without_extra};
use xapi::{parse_for, Endpoint, EndpointError};

/// What `parse_for` made of one response.
enum Parsed {
    /// The data serialized back, whole and without `extra`.
    Data { whole: Value, typed: Value },
    /// The variant an error selected, and how it reads.
    Error { variant: &'static str, text: String },
}

type Parse = fn(StatusCode, &HeaderMap, &[u8]) -> Parsed;

fn parse<E: Endpoint>(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Parsed
where
    E::Success: serde::Serialize,
{
    match parse_for::<E>(status, headers, body) {
        Ok(parsed) => Parsed::Data {
            whole: serde_json::to_value(&parsed.data).unwrap(),
            typed: without_extra(|| serde_json::to_value(&parsed.data).unwrap()),
        },
        Err(e) => Parsed::Error { variant: e.variant(), text: e.to_string() },
    }
}

macro_rules! parsers {
    ($($op:ident),* $(,)?) => {
        vec![$((xapi::operations::$op::OPERATION.id, parse::<xapi::operations::$op::Op> as Parse)),*]
    };
}

fn headers(value: &Value) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (k, v) in value.as_object().into_iter().flatten() {
        if let (Ok(name), Some(Ok(value))) = (HeaderName::try_from(k.as_str()), v.as_str().map(HeaderValue::from_str)) {
            out.insert(name, value);
        }
    }
    out
}

#[test]
fn every_recorded_response_parses_into_its_operation() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wire-corpus/responses.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsers: BTreeMap<&str, Parse> = xapi::types::for_each_operation!(parsers).into_iter().collect();
    let (mut successes, mut errors, mut unmatched, mut failures) = (0, 0, 0, Vec::new());
    // Key names only `extra` kept (not typed by this spec), and how often.
    let mut untyped: BTreeMap<String, usize> = BTreeMap::new();
    let mut typed_paths = 0usize;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).unwrap();
        let source = r["source"].as_str().unwrap_or("?");
        let Some(op) = xapi::operations::route(r["method"].as_str().unwrap(), r["url"].as_str().unwrap()) else {
            unmatched += 1;
            continue;
        };
        let status = StatusCode::from_u16(r["status"].as_u64().unwrap() as u16).unwrap();
        let body = r["body"].as_str().unwrap_or_default();
        match parsers[op.id](status, &headers(&r["headers"]), body.as_bytes()) {
            Parsed::Data { whole, typed } if status.is_success() => {
                successes += 1;
                let sent: Value =
                    if body.trim().is_empty() { Value::Null } else { serde_json::from_str(body).unwrap() };
                let lost = differences(&sent, &whole);
                if !lost.is_empty() {
                    failures.push(format!("{source} ({}): lost {}", op.id, lost.join("; ")));
                }
                let only_extra = differences(&sent, &typed);
                typed_paths += count_paths(&sent) - only_extra.len();
                for d in only_extra {
                    let key = d.trim_end_matches(": lost").rsplit('.').next().unwrap_or_default();
                    *untyped
                        .entry(key.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit() || c == '[').to_owned())
                        .or_default() += 1;
                }
            }
            Parsed::Error { variant, text } if status.is_success() => {
                failures.push(format!("{source} ({}): a success became {variant}: {text}", op.id));
            }
            Parsed::Error { variant, text } => {
                errors += 1;
                if variant == "Unhandled" || variant == "Decode" {
                    failures.push(format!("{source} ({}): {status} landed in {variant}: {text}", op.id));
                }
            }
            Parsed::Data { .. } => failures.push(format!("{source} ({}): {status} parsed as data", op.id)),
        }
    }
    eprintln!(
        "wire corpus, spec {}: {successes} successes ({typed_paths} key paths typed), {errors} errors, {unmatched} unmatched; \
         kept only in `extra`: {untyped:?}",
        xapi::types::SPEC_VERSION
    );
    assert!(successes >= 200 && errors >= 1, "the corpus is there ({successes} successes, {errors} errors)");
    assert!(failures.is_empty(), "{} responses:\n{}", failures.len(), failures.join("\n"));
}

/// How many key paths (object members, at any depth) a value has.
fn count_paths(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.values().map(|v| 1 + count_paths(v)).sum(),
        Value::Array(a) => a.iter().map(count_paths).sum(),
        _ => 0,
    }
}
