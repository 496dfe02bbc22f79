//! The client against a local server on tokio's paused clock: waits cost no wall time, and the
//! time that passed is exactly what the client waited. Each test asserts the delays and the
//! number of requests, not just the outcome.

use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi::operations::{create_posts, get_posts_by_id};
use xapi_client::{CallError, Client, RateLimitPolicy, RetryPolicy};

const POST: &str = r#"{"data": {"id": "20", "text": "just setting up my twttr"}}"#;

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("AAAA-test-token")
        .retry_policy(retry.jitter(false))
        .without_timers()
        .build()
        .unwrap()
}

/// A client with user-context credentials (OAuth 1.0a), for operations that need a user.
fn user_client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_source(xapi_client::OAuth1User::new("ck", "cs", "token", "ts"))
        .retry_policy(retry.jitter(false))
        .without_timers()
        .build()
        .unwrap()
}

fn epoch_in(secs: u64) -> String {
    (SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + secs).to_string()
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(POST, "application/json")
}

fn problem(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

/// Mounts `first` for one request, then `then` for the rest.
async fn first_then(server: &MockServer, route: &str, verb: &str, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(method(verb)).and(path(route)).respond_with(first).up_to_n_times(1).mount(server).await;
    Mock::given(method(verb)).and(path(route)).respond_with(then).mount(server).await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

/// Whole seconds that passed on the paused clock (the client's waits; the network takes none).
fn secs(since: Instant) -> u64 {
    since.elapsed().as_secs()
}

fn create_request() -> create_posts::Request {
    create_posts::Request::new(serde_json::from_value(json!({"text": "hello"})).unwrap())
}

#[tokio::test(start_paused = true)]
async fn a_spent_window_waits_for_its_reset_then_retries_once() {
    let server = MockServer::start().await;
    let throttled = problem(429, json!({"title": "Too Many Requests", "type": "about:blank", "status": 429}))
        .insert_header("x-rate-limit-limit", "300")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", epoch_in(30).as_str());
    first_then(&server, "/2/tweets/20", "GET", throttled, ok()).await;
    let start = Instant::now();
    let parsed = client(&server, RetryPolicy::default()).call(&get_posts_by_id::Request::new("20")).await.unwrap();
    assert_eq!(serde_json::to_value(&parsed.data).unwrap()["data"]["id"], "20");
    assert_eq!(requests(&server).await, 2);
    assert!((29..=31).contains(&secs(start)), "waited {} s for a reset 30 s ahead", secs(start));
}

#[tokio::test(start_paused = true)]
async fn a_usage_cap_is_not_retried_and_comes_back_typed() {
    let server = MockServer::start().await;
    let capped = problem(
        429,
        json!({"title": "UsageCapExceeded", "period": "Monthly", "scope": "Product",
               "type": "https://api.twitter.com/2/problems/usage-capped", "detail": "Usage cap exceeded"}),
    );
    Mock::given(method("GET")).respond_with(capped).mount(&server).await;
    let start = Instant::now();
    let err = client(&server, RetryPolicy::default()).call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    assert!(matches!(err.api(), Some(get_posts_by_id::Error::UsageCapped(_))), "{err:?}");
    assert!(err.attempts().is_empty());
    assert_eq!((requests(&server).await, secs(start)), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn an_html_503_on_get_backs_off_then_succeeds() {
    let server = MockServer::start().await;
    let html = ResponseTemplate::new(503).set_body_raw("<html><body>Over capacity</body></html>", "text/html");
    first_then(&server, "/2/tweets/20", "GET", html, ok()).await;
    let start = Instant::now();
    let policy = RetryPolicy::default().backoff(Duration::from_secs(2), Duration::from_secs(60));
    client(&server, policy).call(&get_posts_by_id::Request::new("20")).await.unwrap();
    assert_eq!(requests(&server).await, 2);
    assert_eq!(secs(start), 2, "the first back-off, jitter off");
}

#[tokio::test(start_paused = true)]
async fn an_html_503_on_post_is_not_retried() {
    let server = MockServer::start().await;
    let html = ResponseTemplate::new(503).set_body_raw("<html><body>Over capacity</body></html>", "text/html");
    first_then(&server, "/2/tweets", "POST", html, ok()).await;
    let err = user_client(&server, RetryPolicy::default()).call(&create_request()).await.unwrap_err();
    assert!(matches!(err.api(), Some(create_posts::Error::ServerError(_))), "{err:?}");
    assert_eq!(requests(&server).await, 1, "a POST may have been applied: not sent twice");
}

#[tokio::test(start_paused = true)]
async fn payment_required_is_not_retried() {
    let server = MockServer::start().await;
    let broke = problem(402, json!({"title": "Payment Required", "type": "https://api.x.com/2/problems/credits"}));
    Mock::given(method("GET")).respond_with(broke).mount(&server).await;
    let err = client(&server, RetryPolicy::default()).call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    assert!(matches!(err.api(), Some(get_posts_by_id::Error::PaymentRequired(_))), "{err:?}");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_waited_out_even_on_post() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "7");
    first_then(&server, "/2/tweets", "POST", busy, ok()).await;
    let start = Instant::now();
    user_client(&server, RetryPolicy::default()).call(&create_request()).await.unwrap();
    assert_eq!(requests(&server).await, 2, "X said when: safe to send again");
    assert!((6..=7).contains(&secs(start)), "{}", secs(start));
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_waited_out() {
    let server = MockServer::start().await;
    let at = SystemTime::now() + Duration::from_secs(12);
    let busy = ResponseTemplate::new(503).insert_header("retry-after", httpdate::fmt_http_date(at).as_str());
    first_then(&server, "/2/tweets/20", "GET", busy, ok()).await;
    let start = Instant::now();
    client(&server, RetryPolicy::default()).call(&get_posts_by_id::Request::new("20")).await.unwrap();
    assert_eq!(requests(&server).await, 2);
    assert!((10..=12).contains(&secs(start)), "{}", secs(start));
}

#[tokio::test(start_paused = true)]
async fn a_reset_beyond_the_longest_wait_comes_back_at_once() {
    let server = MockServer::start().await;
    let throttled = problem(429, json!({"title": "Too Many Requests", "type": "about:blank"}))
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", epoch_in(7200).as_str());
    first_then(&server, "/2/tweets/20", "GET", throttled, ok()).await;
    let start = Instant::now();
    let policy = RetryPolicy::default().max_wait(Duration::from_secs(60));
    let err = client(&server, policy).call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    assert!(matches!(err.api(), Some(get_posts_by_id::Error::RateLimited(_))), "{err:?}");
    assert_eq!((requests(&server).await, secs(start)), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn attempts_stop_at_the_maximum_and_are_all_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let start = Instant::now();
    let policy = RetryPolicy::default().max_attempts(3).backoff(Duration::from_secs(1), Duration::from_secs(60));
    let err = client(&server, policy).call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    assert_eq!(requests(&server).await, 3);
    assert_eq!(err.attempts().len(), 2, "the two before the last");
    assert_eq!(err.attempts()[1].waited, Duration::from_secs(1));
    assert_eq!(secs(start), 1 + 2, "1 s then 2 s");
}

#[tokio::test(start_paused = true)]
async fn a_deadline_stops_waits_that_would_end_past_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let policy = RetryPolicy::default().max_attempts(10).backoff(Duration::from_secs(4), Duration::from_secs(60));
    let err =
        client(&server, policy.deadline(Duration::from_secs(10))).call(&get_posts_by_id::Request::new("20")).await;
    // 4 s, then 8 s would end at 12 s: past the deadline.
    assert_eq!(requests(&server).await, 2, "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_window_spent_by_a_success_delays_the_next_call_instead_of_earning_a_429() {
    let server = MockServer::start().await;
    let last =
        ok().insert_header("x-rate-limit-remaining", "0").insert_header("x-rate-limit-reset", epoch_in(20).as_str());
    first_then(&server, "/2/tweets/20", "GET", last, ok()).await;
    let client = client(&server, RetryPolicy::default());
    let start = Instant::now();
    client.call(&get_posts_by_id::Request::new("20")).await.unwrap();
    assert_eq!(secs(start), 0);
    client.call(&get_posts_by_id::Request::new("20")).await.unwrap();
    assert_eq!(requests(&server).await, 2, "no 429 earned");
    assert!((19..=21).contains(&secs(start)), "waited {} s for the reset", secs(start));
}

#[tokio::test(start_paused = true)]
async fn fail_fast_returns_rate_limited_without_sending() {
    let server = MockServer::start().await;
    let last =
        ok().insert_header("x-rate-limit-remaining", "0").insert_header("x-rate-limit-reset", epoch_in(20).as_str());
    Mock::given(method("GET")).respond_with(last).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .rate_limit_policy(RateLimitPolicy::FailFast)
        .without_timers()
        .build()
        .unwrap();
    client.call(&get_posts_by_id::Request::new("20")).await.unwrap();
    let err = client.call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    assert!(matches!(err, CallError::RateLimited { operation: "getPostsById", .. }), "{err:?}");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test(start_paused = true)]
async fn a_request_that_breaks_the_spec_is_not_sent() {
    let server = MockServer::start().await;
    let err =
        client(&server, RetryPolicy::default()).call(&get_posts_by_id::Request::new("not-an-id")).await.unwrap_err();
    assert!(matches!(err.api(), Some(get_posts_by_id::Error::InvalidRequest(_))), "{err:?}");
    assert_eq!(requests(&server).await, 0);
}

#[tokio::test(start_paused = true)]
async fn the_token_goes_in_the_header_and_never_in_debug_output() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = client(&server, RetryPolicy::default());
    let err = client.call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].headers.get("authorization").unwrap(), "Bearer AAAA-test-token");
    assert!(sent[0].headers.get("user-agent").unwrap().to_str().unwrap().starts_with("xapi/"));
    for shown in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!shown.contains("AAAA-test-token"), "{shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn every_attempt_is_reported_with_its_status_wait_and_reason() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "3");
    first_then(&server, "/2/tweets/20", "GET", busy, ok()).await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .without_timers()
        .on_attempt(move |a| sink.lock().unwrap().push((a.operation, a.attempt, a.status, a.wait.as_secs(), a.reason)))
        .build()
        .unwrap();
    client.call(&get_posts_by_id::Request::new("20")).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!((seen[0].0, seen[0].1, seen[0].2, seen[0].4), ("getPostsById", 1, Some(503), "after"));
    assert!((2..=3).contains(&seen[0].3), "{seen:?}");
    assert_eq!(seen[1], ("getPostsById", 2, Some(200), 0, "success"));
}

#[tokio::test(start_paused = true)]
async fn a_server_that_is_not_there_is_retried_then_reported_as_transport() {
    // A port nothing listens on: the connection is refused, so nothing was sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let policy = RetryPolicy::default().max_attempts(3).backoff(Duration::from_secs(1), Duration::from_secs(60));
    let client = Client::builder().base_url(url).retry_policy(policy.jitter(false)).without_timers().build().unwrap();
    let start = Instant::now();
    let err = client.call(&create_request()).await.unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    assert_eq!(err.attempts().len(), 2, "a refused connection sent nothing: safe to retry even a POST");
    assert_eq!(secs(start), 1 + 2);
}

#[tokio::test(start_paused = true)]
async fn one_operation_can_retry_by_a_policy_of_its_own() {
    let server = MockServer::start().await;
    let html = ResponseTemplate::new(503).set_body_raw("<html><body>Over capacity</body></html>", "text/html");
    first_then(&server, "/2/tweets/20", "GET", html, ok()).await;
    // The client's policy would retry this GET; the operation's own says one attempt.
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("AAAA-test-token")
        .retry_policy(RetryPolicy::default().jitter(false))
        .retry_policy_for(&get_posts_by_id::OPERATION, RetryPolicy::never())
        .without_timers()
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
    assert!(matches!(err.api(), Some(get_posts_by_id::Error::ServerError(_))), "{err:?}");
    assert_eq!((requests(&server).await, secs(start)), (1, 0), "not retried, nothing waited");
    // Another operation keeps the client's policy.
    let other = MockServer::start().await;
    let html = ResponseTemplate::new(503).set_body_raw("<html><body>Over capacity</body></html>", "text/html");
    first_then(&other, "/2/users/me", "GET", html, ok()).await;
    let me = Client::builder()
        .base_url(other.uri())
        .token_source(xapi_client::OAuth1User::new("ck", "cs", "token", "ts"))
        .retry_policy(RetryPolicy::default().jitter(false))
        .retry_policy_for(&get_posts_by_id::OPERATION, RetryPolicy::never())
        .without_timers()
        .build()
        .unwrap();
    me.call(&xapi::operations::get_users_me::Request::new()).await.unwrap();
    assert_eq!(requests(&other).await, 2, "retried by the client's policy");
}
