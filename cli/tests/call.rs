//! `xapi call` and `xapi stream` against a local server: exit codes, what is printed, the
//! per-attempt trace and the number of requests. Waits X asks for are zero here (a reset or
//! `retry-after` already due), so nothing sleeps; the delays themselves are asserted in
//! xapi-client's paused-clock tests.

use serde_json::{json, Value};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CREDENTIALS: [&str; 8] = [
    "X_BEARER_TOKEN",
    "X_API_KEY",
    "X_API_SECRET",
    "X_ACCESS_TOKEN",
    "X_ACCESS_TOKEN_SECRET",
    "X_OAUTH2_ACCESS_TOKEN",
    "X_OAUTH2_REFRESH_TOKEN",
    "X_CLIENT_ID",
];

async fn xapi(args: Vec<String>) -> Output {
    xapi_with(args, &[]).await
}

/// Runs the binary with only these credentials in its environment.
async fn xapi_with(args: Vec<String>, env: &[(&'static str, &'static str)]) -> Output {
    let env = env.to_vec();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xapi"));
        for name in CREDENTIALS {
            command.env_remove(name);
        }
        command.args(args).envs(env).output().unwrap()
    })
    .await
    .unwrap()
}

fn args(server: &MockServer, rest: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
    all.extend(["--base-url".to_owned(), server.uri()]);
    all
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn post(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"id": id, "text": "hi"}}))
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_success_prints_the_body_and_exits_0() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/2/tweets/20")).respond_with(post("20")).mount(&server).await;
    let o = xapi(args(&server, &["call", "--op", "getPostsById", "--param", "id=20", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(line["data"]["id"], "20");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spent_window_is_retried_and_every_attempt_traced() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429)
        .set_body_raw(r#"{"title":"Too Many Requests","type":"about:blank"}"#, "application/problem+json")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", (now_secs() - 1).to_string().as_str());
    Mock::given(method("GET")).respond_with(throttled).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(post("20")).mount(&server).await;
    let o = xapi(args(&server, &["call", "--op", "getPostsById", "--param", "id=20", "--trace"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let trace: Vec<Value> = stderr(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(trace.len(), 2, "{trace:?}");
    assert_eq!((trace[0]["attempt"].as_u64(), trace[0]["status"].as_u64()), (Some(1), Some(429)));
    assert_eq!(trace[0]["wait_ms"], 0, "the reset is already due");
    assert_eq!((trace[1]["attempt"].as_u64(), trace[1]["status"].as_u64()), (Some(2), Some(200)));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_usage_cap_prints_explain_and_exits_1_without_retrying() {
    let server = MockServer::start().await;
    let capped = ResponseTemplate::new(429).set_body_raw(
        r#"{"title":"UsageCapExceeded","period":"Monthly","scope":"Product","type":"https://api.twitter.com/2/problems/usage-capped"}"#,
        "application/problem+json",
    );
    Mock::given(method("GET")).respond_with(capped).mount(&server).await;
    let o = xapi(args(&server, &["call", "--op", "getPostsById", "--param", "id=20", "--json"])).await;
    assert_eq!(o.status.code(), Some(1));
    let explained: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(explained["too_many_requests"], "usage_cap");
    assert_eq!(explained["endpoint_error"], "UsageCapped");
    assert_eq!(requests(&server).await, 1);
    let text = xapi(args(&server, &["call", "--op", "getPostsById", "--param", "id=20"])).await;
    assert_eq!(text.status.code(), Some(1));
    assert!(stdout(&text).contains("UsageCapped"), "{}", stdout(&text));
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_are_followed_one_json_line_each() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "text": "t"})).collect();
        let meta = next.map_or(json!({}), |n| json!({"next_token": n}));
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "meta": meta}))
    };
    let route = || Mock::given(method("GET")).and(path("/2/tweets/search/recent"));
    route().and(query_param_is_missing("next_token")).respond_with(page(&["1"], Some("b"))).mount(&server).await;
    route().and(query_param("next_token", "b")).respond_with(page(&["2"], Some("c"))).mount(&server).await;
    route().and(query_param("next_token", "c")).respond_with(page(&["3"], Some("d"))).mount(&server).await;
    let o =
        xapi(args(&server, &["call", "--op", "searchPostsRecent", "--param", "query=rust", "--pages", "3", "--json"]))
            .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["data"][0]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["1", "2", "3"], "three pages, the fourth not fetched");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_prints_one_line_per_item() {
    let server = MockServer::start().await;
    let body = "{\"data\":{\"id\":\"1\",\"text\":\"a\"}}\r\n\r\n{\"data\":{\"id\":\"2\",\"text\":\"b\"}}\r\n{\"data\":{\"id\":\"3\",\"text\":\"c\"}}\r\n";
    let stream = ResponseTemplate::new(200).set_body_raw(body, "application/json");
    Mock::given(method("GET")).and(path("/2/tweets/search/stream")).respond_with(stream).mount(&server).await;
    let o = xapi(args(&server, &["stream", "--op", "streamPosts", "--max-items", "2"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["data"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["1", "2"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_exit_2_and_a_request_that_breaks_the_spec_exits_1_unsent() {
    let server = MockServer::start().await;
    for bad in [&["call", "--op", "noSuchOp"][..], &["call", "--op", "getPostsById", "--param", "id"]] {
        let o = xapi(args(&server, bad)).await;
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
    let o = xapi(args(&server, &["call", "--op", "getPostsById", "--param", "id=abc", "--json"])).await;
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(serde_json::from_str::<Value>(&stdout(&o)).unwrap()["valid"], false);
    assert_eq!(requests(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_is_sent_and_never_printed() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let secret = "AAAA-very-secret-token";
    let o =
        xapi(args(&server, &["call", "--op", "getPostsById", "--param", "id=20", "--bearer-token", secret, "--trace"]))
            .await;
    assert_eq!(o.status.code(), Some(1));
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].headers.get("authorization").unwrap(), &format!("Bearer {secret}")[..]);
    assert!(!stdout(&o).contains(secret) && !stderr(&o).contains(secret));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environments_credentials_the_operation_accepts_are_used() {
    let server = MockServer::start().await;
    let me = ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "1", "name": "n", "username": "u"}}));
    Mock::given(method("GET")).and(path("/2/users/me")).respond_with(me).mount(&server).await;
    let env = [
        ("X_BEARER_TOKEN", "app-token"),
        ("X_API_KEY", "ck"),
        ("X_API_SECRET", "cs"),
        ("X_ACCESS_TOKEN", "at"),
        ("X_ACCESS_TOKEN_SECRET", "ts"),
    ];
    // getUsersMe takes no app-only token: the OAuth 1.0a user credentials sign it.
    let o = xapi_with(args(&server, &["call", "--op", "getUsersMe"]), &env).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sent = server.received_requests().await.unwrap();
    let auth = sent[0].headers.get("authorization").unwrap().to_str().unwrap().to_owned();
    assert!(auth.starts_with("OAuth ") && auth.contains("oauth_signature="), "{auth}");
    // Forcing the app-only token is refused before sending, as X's 403 would be.
    let o = xapi_with(args(&server, &["call", "--op", "getUsersMe", "--auth", "app", "--json"]), &env).await;
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(serde_json::from_str::<Value>(&stdout(&o)).unwrap()["endpoint_error"], "UnsupportedAuthentication");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let o = xapi_with(args(&server, &["call", "--op", "getUsersMe", "--auth", "oauth2"]), &env).await;
    assert_eq!(o.status.code(), Some(2), "no OAuth 2.0 token in the environment");
}

#[tokio::test]
async fn an_oauth2_pair_is_read_from_the_token_file() {
    let server = MockServer::start().await;
    let me = ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "1", "name": "n", "username": "u"}}));
    Mock::given(method("GET")).and(path("/2/users/me")).respond_with(me).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token.json");
    std::fs::write(&file, r#"{"access_token": "at-from-file", "refresh_token": "rt-from-file"}"#).unwrap();
    let file = file.to_str().unwrap().to_owned();
    // The file wins over the environment.
    let env = [("X_OAUTH2_ACCESS_TOKEN", "at-from-env")];
    let o = xapi_with(args(&server, &["call", "--op", "getUsersMe", "--auth", "oauth2", "--token-file", &file]), &env)
        .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].headers.get("authorization").unwrap(), "Bearer at-from-file");
    std::fs::write(&file, "not json").unwrap();
    let o =
        xapi_with(args(&server, &["call", "--op", "getUsersMe", "--auth", "oauth2", "--token-file", &file]), &[]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a token pair"), "{}", stderr(&o));
}
