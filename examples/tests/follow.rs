//! The stream example against a local server whose first connection ends after two posts: the
//! client reconnects and the third post arrives on the second connection.

use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi_examples::follow::{follow, Followed};

fn lines(ids: &[&str]) -> ResponseTemplate {
    let body: String =
        ids.iter().map(|id| format!("{{\"data\":{{\"id\":\"{id}\",\"text\":\"t\"}}}}\r\n\r\n")).collect();
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

#[tokio::test(start_paused = true)]
async fn a_forced_disconnect_is_followed_across() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/2/tweets/search/stream"));
    route().respond_with(lines(&["1", "2"])).up_to_n_times(1).mount(&server).await;
    route().respond_with(lines(&["3"])).mount(&server).await;
    let client = xapi_client::Client::builder().base_url(server.uri()).without_timers().build().unwrap();
    let start = tokio::time::Instant::now();
    let seen = follow(&client, 3).await.unwrap();
    assert_eq!(seen, Followed { ids: vec!["1".into(), "2".into(), "3".into()], reconnects: 1 });
    assert_eq!(start.elapsed(), Duration::from_millis(250), "X's first network back-off");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
