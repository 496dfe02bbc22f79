//! End to end over real HTTP on 127.0.0.1: a local server answers like X, reqwest calls it,
//! and xapi's typed errors drive the decision.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi_examples::{lookup_post, next_step, Next};

async fn respond(template: ResponseTemplate) -> Result<xapi::models::GetPostsByIdResponse, Box<xapi::ApiError>> {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/2/tweets/20")).respond_with(template).mount(&server).await;
    let client = reqwest::Client::new();
    lookup_post(&client, &server.uri(), "20").await.map_err(|e| match e {
        xapi::reqwest::Error::Api(api) => api,
        other => panic!("transport error: {other}"),
    })
}

#[tokio::test]
async fn success_with_rate_limits() {
    let body = json!({"data": {"id": "20", "text": "just setting up my twttr", "edit_history_post_ids": ["20"]}});
    let post = respond(ResponseTemplate::new(200).set_body_json(body).insert_header("x-rate-limit-remaining", "299"))
        .await
        .unwrap();
    assert_eq!(post.data.unwrap().text.as_deref(), Some("just setting up my twttr"));
}

#[tokio::test]
async fn problem_404_keeps_headers_and_body() {
    let body = json!({"title": "Not Found Error", "detail": "Could not find post with id: [20].", "type": "https://api.twitter.com/2/problems/resource-not-found",
                      "resource_type": "post", "resource_id": "20", "parameter": "id", "value": "20"});
    let e = respond(ResponseTemplate::new(404).set_body_json(body).insert_header("x-transaction-id", "t-1"))
        .await
        .unwrap_err();
    assert_eq!(e.headers["x-transaction-id"], "t-1");
    assert!(String::from_utf8_lossy(&e.body).contains("resource-not-found"));
    assert_eq!(next_step(&e), Next::Gone { id: Some("20".into()) });
}

#[tokio::test]
async fn usage_cap_429() {
    let body = json!({"title": "UsageCapExceeded", "detail": "Usage cap exceeded: Monthly product cap", "type": "https://api.twitter.com/2/problems/usage-capped", "period": "Monthly", "scope": "Product"});
    let e = respond(ResponseTemplate::new(429).set_body_json(body)).await.unwrap_err();
    assert_eq!(e.too_many_requests, Some(xapi::TooManyRequests::UsageCap));
    assert_eq!(next_step(&e), Next::CapReached { period: Some("Monthly".into()) });
}

#[tokio::test]
async fn rate_window_429_says_when() {
    let template = ResponseTemplate::new(429)
        .set_body_string("Too Many Requests")
        .insert_header("x-rate-limit-limit", "900")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", "1708000000");
    let e = respond(template).await.unwrap_err();
    assert_eq!(e.too_many_requests, Some(xapi::TooManyRequests::RateWindow));
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_708_000_000);
    assert_eq!(next_step(&e), Next::RetryAt(Some(at)));
}

#[tokio::test]
async fn html_503_is_retried_with_backoff() {
    let template = ResponseTemplate::new(503).set_body_raw("<html><body>Over capacity</body></html>", "text/html");
    let e = respond(template).await.unwrap_err();
    assert!(matches!(e.details, xapi::ErrorDetails::Http { format: xapi::BodyFormat::Html, .. }));
    assert_eq!(next_step(&e), Next::RetryIn(xapi::INITIAL_BACKOFF));
}

#[tokio::test]
async fn unsupported_authentication() {
    let body = json!({"title": "Unsupported Authentication", "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.", "type": "https://api.twitter.com/2/problems/unsupported-authentication", "status": 403});
    let e = respond(ResponseTemplate::new(403).set_body_json(body)).await.unwrap_err();
    assert_eq!(next_step(&e), Next::FixCredentials("unsupported-authentication".into()));
}

#[tokio::test]
async fn oversized_bodies_stop_being_read() {
    let big = "x".repeat(xapi::DEFAULT_BODY_LIMIT + 10);
    let e = respond(ResponseTemplate::new(500).set_body_string(big)).await.unwrap_err();
    assert!(matches!(e.details, xapi::ErrorDetails::BodyTooLarge { .. }));
    assert!(e.body.len() <= xapi::DEFAULT_BODY_LIMIT + 64 * 1024);
}

/// A server that answers `GET /2/tweets?ids=1,2&post.fields=created_at,lang`, once.
async fn posts_server() -> MockServer {
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    let body = json!({"data": [{"id": "1", "text": "a"}, {"id": "2", "text": "b"}]});
    Mock::given(method("GET"))
        .and(path("/2/tweets"))
        .and(query_param("ids", "1,2"))
        .and(query_param("post.fields", "created_at,lang"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// The request the metadata builds is exactly what reaches the server (comma-joined fields,
/// percent-encoding), and the reply goes through the operation's own error enum.
#[tokio::test]
async fn validated_request_reaches_the_server_as_x_expects() {
    use xapi::operations::get_posts_by_ids;
    use xapi::types::request::{to_http_request, Params};

    let server = posts_server().await;
    let mut params = Params::new();
    params.insert("ids".into(), vec!["1".into(), "2".into()]);
    params.insert("post.fields".into(), vec!["created_at".into(), "lang".into()]);
    let request = to_http_request(&get_posts_by_ids::OPERATION, &server.uri(), &params, None).unwrap();
    assert!(request.uri().to_string().ends_with("/2/tweets?ids=1,2&post.fields=created_at,lang"));
    let client = reqwest::Client::new();
    let builder = client.request(request.method().clone(), request.uri().to_string());
    let parsed = xapi::reqwest::send_for::<get_posts_by_ids::Op>(builder).await.unwrap();
    assert_eq!(parsed.data.data.unwrap().len(), 2);

    // A bad id never leaves the process: the same invalid-request shape, marked local.
    params.insert("ids".into(), vec!["x".into()]);
    let violations = to_http_request(&get_posts_by_ids::OPERATION, &server.uri(), &params, None).unwrap_err();
    let problem = xapi::types::request::as_problem(&violations);
    assert_eq!(problem.kind(), Some(xapi::errors::ProblemKind::InvalidRequest));
}

/// The typed request reaches the server exactly as X expects (comma-joined ids and fields),
/// the reply parses; a bad id never leaves the process and lands in the same error enum.
#[tokio::test]
async fn typed_request_is_checked_sent_and_classified() {
    use xapi::operations::get_posts_by_ids::Error;
    use xapi_examples::lookup_posts;

    let server = posts_server().await;
    let client = reqwest::Client::new();
    let posts = lookup_posts(&client, &server.uri(), &["1", "2"]).await.unwrap();
    assert_eq!(posts.iter().map(|p| p.id.as_deref()).collect::<Vec<_>>(), [Some("1"), Some("2")]);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.path(), "/2/tweets");
    assert_eq!(received[0].url.query(), Some("ids=1,2&post.fields=created_at,lang"));

    // Locally rejected: the same variant a server-side 400 would select, marked local.
    let local = lookup_posts(&client, &server.uri(), &["1", "two"]).await.unwrap_err();
    let xapi::reqwest::EndpointCallError::Api(Error::InvalidRequest(e)) = local else { panic!("{local:?}") };
    assert_eq!(e.response.status, 400);
    let problem = e.response.problem().unwrap();
    assert_eq!(problem.details().extra["local"], true);
    let errors = e.problem.as_ref().and_then(|p| p.errors.clone()).unwrap();
    assert_eq!(errors[0]["parameter"], "ids");
    assert_eq!(errors[0]["value"], "two");

    // The server's own 400 for the same thing goes to the same variant.
    let server_400 = json!({"errors": [{"parameters": {"ids": ["two"]}, "message": "bad"}],
        "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.x.com/2/problems/invalid-request"});
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_json(server_400)).mount(&server).await;
    let remote = lookup_posts(&client, &server.uri(), &["1"]).await.unwrap_err();
    assert!(matches!(remote, xapi::reqwest::EndpointCallError::Api(Error::InvalidRequest(_))), "{remote:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
