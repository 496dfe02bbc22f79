//! Typed decode of every success body in the shared wire corpus (`../shared/wire-corpus`) into
//! its operation's success type, against parsing the same bodies into `serde_json::Value`, and
//! the whole `parse_for` (classify, partial errors, decode).
//! Run: `cargo bench -p xapi --bench decode`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use http::{HeaderMap, StatusCode};
use xapi::Endpoint;

type Decode = fn(&[u8]) -> bool;
type ParseFor = fn(StatusCode, &HeaderMap, &[u8]) -> bool;

fn decode<E: Endpoint>(body: &[u8]) -> bool {
    xapi::types::wire::from_slice::<E::Success>(body).is_ok()
}

fn parse_for<E: Endpoint>(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> bool {
    xapi::parse_for::<E>(status, headers, body).is_ok()
}

macro_rules! table {
    ($($op:ident),* $(,)?) => {
        vec![$((
            xapi::operations::$op::OPERATION.id,
            decode::<xapi::operations::$op::Op> as Decode,
            parse_for::<xapi::operations::$op::Op> as ParseFor,
        )),*]
    };
}

/// (decode, parse_for, status, body) of every corpus success with a JSON body.
fn corpus() -> Vec<(Decode, ParseFor, StatusCode, Vec<u8>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wire-corpus/responses.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table = xapi::types::for_each_operation!(table);
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let status = r["status"].as_u64().unwrap_or(0) as u16;
        let body = r["body"].as_str().unwrap_or_default();
        let Some(op) = xapi::operations::route(r["method"].as_str().unwrap(), r["url"].as_str().unwrap()) else {
            continue;
        };
        if !(200..300).contains(&status) || body.trim().is_empty() {
            continue;
        }
        let (_, decode, parse) = table.iter().find(|(id, _, _)| *id == op.id).unwrap();
        assert!(decode(body.as_bytes()), "{}: decodes", r["source"]);
        out.push((*decode, *parse, StatusCode::from_u16(status).unwrap(), body.as_bytes().to_vec()));
    }
    out
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let headers = HeaderMap::new();
    let bytes: usize = corpus.iter().map(|c| c.3.len()).sum();
    eprintln!("{} success bodies, {bytes} bytes", corpus.len());
    let mut group = c.benchmark_group("wire-corpus");
    group.throughput(criterion::Throughput::Bytes(bytes as u64));
    group.bench_function("typed decode", |b| {
        b.iter(|| {
            for (decode, _, _, body) in &corpus {
                black_box(decode(black_box(body)));
            }
        })
    });
    // The naive way, from the bytes X sent.
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            for (_, _, _, body) in &corpus {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(body)).ok());
            }
        })
    });
    // The same, given UTF-8 checked once up front (as the typed decode does).
    group.bench_function("serde_json::Value from_str", |b| {
        b.iter(|| {
            for (_, _, _, body) in &corpus {
                let text = std::str::from_utf8(black_box(body)).unwrap();
                black_box(serde_json::from_str::<serde_json::Value>(text).ok());
            }
        })
    });
    group.bench_function("parse_for", |b| {
        b.iter(|| {
            for (_, parse, status, body) in &corpus {
                black_box(parse(*status, &headers, black_box(body)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
