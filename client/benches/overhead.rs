//! What `Client::call` costs over calling X with reqwest directly, for one successful call to
//! a local server: the same typed request sent by `xapi::reqwest::call` (check, send, classify,
//! decode, no retries) and by the client (plus its window check, attempt loop, trace and
//! rate-limit record). Run: `cargo bench -p xapi-client --bench overhead`.

use criterion::{criterion_group, criterion_main, Criterion};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi::operations::get_posts_by_id;

fn overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        let body = r#"{"data": {"id": "20", "text": "just setting up my twttr", "edit_history_tweet_ids": ["20"]}}"#;
        let ok = ResponseTemplate::new(200)
            .set_body_raw(body, "application/json")
            .insert_header("x-rate-limit-limit", "900")
            .insert_header("x-rate-limit-remaining", "899")
            .insert_header("x-rate-limit-reset", "4000000000");
        Mock::given(method("GET")).respond_with(ok).mount(&server).await;
        server
    });
    let base = server.uri();
    let request = get_posts_by_id::Request::new("20");
    let bare = reqwest::Client::new();
    let client = xapi_client::Client::builder().base_url(&base).bearer_token("bench").build().unwrap();
    let mut group = c.benchmark_group("one successful call");
    group.bench_function("reqwest + xapi::reqwest::call", |b| {
        b.iter(|| rt.block_on(async { xapi::reqwest::call(&bare, &base, &request).await.unwrap() }))
    });
    group.bench_function("xapi_client::Client::call", |b| {
        b.iter(|| rt.block_on(async { client.call(&request).await.unwrap() }))
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
