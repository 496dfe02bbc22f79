//! classify vs the naive way (parsing the same bodies into `serde_json::Value`).
//! Run: `cargo bench -p xapi --bench classify`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use http::{HeaderMap, Method, StatusCode};

mod corpus;
use corpus::CORPUS;

fn bench(c: &mut Criterion) {
    let headers = HeaderMap::new();
    let corpus: Vec<(StatusCode, &[u8])> =
        CORPUS.iter().map(|(s, b)| (StatusCode::from_u16(*s).unwrap(), b.as_bytes())).collect();
    let mut group = c.benchmark_group("corpus");
    group.bench_function("xapi::classify", |b| {
        b.iter(|| {
            for (status, body) in &corpus {
                black_box(xapi::classify(&Method::GET, *status, &headers, black_box(body)));
            }
        })
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            for (_, body) in &corpus {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(body)).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
