//! Pagination against a local server: three pages, then the end; resuming from a token; an
//! error ends the stream.

use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi::operations::{get_posts_by_id, search_posts_recent};
use xapi_client::{Client, RetryPolicy};

fn page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "text": "t"})).collect();
    let mut meta = json!({"result_count": ids.len()});
    if let Some(next) = next {
        meta["next_token"] = json!(next);
    }
    ResponseTemplate::new(200).set_body_raw(json!({"data": data, "meta": meta}).to_string(), "application/json")
}

async fn server_with_three_pages() -> MockServer {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/2/tweets/search/recent")).and(query_param("query", "rust"));
    route().and(query_param_is_missing("next_token")).respond_with(page(&["1", "2"], Some("t2"))).mount(&server).await;
    route().and(query_param("next_token", "t2")).respond_with(page(&["3", "4"], Some("t3"))).mount(&server).await;
    route().and(query_param("next_token", "t3")).respond_with(page(&["5"], None)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    let retry = RetryPolicy::never();
    Client::builder().base_url(server.uri()).retry_policy(retry).without_timers().build().unwrap()
}

fn ids(page: &xapi_client::Page<search_posts_recent::Success>) -> Vec<String> {
    let value = serde_json::to_value(&page.parsed.data).unwrap();
    value["data"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(start_paused = true)]
async fn three_pages_then_the_end() {
    let server = server_with_three_pages().await;
    let client = client(&server);
    let pages: Vec<_> = client.pages(&search_posts_recent::Request::new("rust")).collect().await;
    let pages: Vec<_> = pages.into_iter().map(Result::unwrap).collect();
    let all: Vec<Vec<String>> = pages.iter().map(ids).collect();
    assert_eq!(all, [vec!["1", "2"], vec!["3", "4"], vec!["5"]]);
    let tokens: Vec<_> = pages.iter().map(|p| p.next_token.as_deref()).collect();
    assert_eq!(tokens, [Some("t2"), Some("t3"), None]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn resuming_from_a_saved_token_starts_there() {
    let server = server_with_three_pages().await;
    let client = client(&server);
    let request = search_posts_recent::Request::new("rust");
    let pages: Vec<_> = client.pages_from(&request, Some("t3".into())).collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(ids(pages[0].as_ref().unwrap()), ["5"]);
}

#[tokio::test(start_paused = true)]
async fn an_error_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let client = client(&server);
    let pages: Vec<_> = client.pages(&search_posts_recent::Request::new("rust")).collect().await;
    assert_eq!(pages.len(), 1);
    assert!(matches!(pages[0].as_ref().unwrap_err().api(), Some(search_posts_recent::Error::ServerError(_))));
}

#[tokio::test(start_paused = true)]
async fn an_operation_that_does_not_paginate_yields_one_page() {
    let server = MockServer::start().await;
    let one = ResponseTemplate::new(200)
        .set_body_raw(r#"{"data": {"id": "20", "text": "t"}, "meta": {"next_token": "x"}}"#, "application/json");
    Mock::given(method("GET")).respond_with(one).mount(&server).await;
    let pages: Vec<_> = client(&server).pages(&get_posts_by_id::Request::new("20")).collect().await;
    assert_eq!(pages.len(), 1);
}

/// Every operation of the pinned spec that takes a page token is found by its metadata.
#[test]
fn every_paginated_operation_is_found() {
    let found: Vec<&str> =
        xapi::operations::ALL.iter().filter(|op| xapi_client::token_param(op).is_some()).map(|op| op.id).collect();
    assert!(found.len() >= 46, "{} paginated operations: {found:?}", found.len());
    assert!(found.contains(&"searchPostsRecent") && found.contains(&"getUsersFollowers"), "{found:?}");
}
