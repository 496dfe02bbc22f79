//! The paged search example against a local server: three pages read in one go, or two and
//! then resumed from the saved token.

use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi_examples::search::search;

fn page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "text": "t"})).collect();
    let meta = match next {
        Some(n) => json!({"result_count": ids.len(), "next_token": n}),
        None => json!({"result_count": ids.len()}),
    };
    ResponseTemplate::new(200).set_body_json(json!({"data": data, "meta": meta}))
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    let route =
        || Mock::given(method("GET")).and(path("/2/tweets/search/recent")).and(query_param("max_results", "10"));
    route().and(query_param_is_missing("next_token")).respond_with(page(&["1", "2"], Some("b"))).mount(&server).await;
    route().and(query_param("next_token", "b")).respond_with(page(&["3"], Some("c"))).mount(&server).await;
    route().and(query_param("next_token", "c")).respond_with(page(&["4"], None)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> xapi_client::Client {
    xapi_client::Client::builder().base_url(server.uri()).bearer_token("test").build().unwrap()
}

#[tokio::test]
async fn every_page_in_one_go() {
    let server = server().await;
    let found = search(&client(&server), "from:x", 10, None).await.unwrap();
    assert_eq!(found.ids, ["1", "2", "3", "4"]);
    assert_eq!(found.resume_from, None, "complete");
}

#[tokio::test]
async fn two_pages_then_resumed() {
    let server = server().await;
    let client = client(&server);
    let first = search(&client, "from:x", 2, None).await.unwrap();
    assert_eq!(
        (first.ids.as_slice(), first.resume_from.as_deref()),
        (&["1".to_owned(), "2".into(), "3".into()][..], Some("c"))
    );
    let rest = search(&client, "from:x", 2, first.resume_from).await.unwrap();
    assert_eq!(rest.ids, ["4"]);
}
