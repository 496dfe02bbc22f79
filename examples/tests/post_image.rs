//! The post-with-image example against a local server: INIT, APPEND, FINALIZE, then the post
//! carrying the media id, all with the user's OAuth 2.0 token.

use serde_json::{json, Value};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi_client::{OAuth2App, OAuth2User, TokenPair};
use xapi_examples::post_image::post_with_image;

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn upload_then_post() {
    let server = MockServer::start().await;
    let user = || header("authorization", "Bearer user-token");
    let id = "1880028106020515840";
    let media = json!({"data": {"id": id, "media_key": "3_1880028106020515840", "expires_after_secs": 86400}});
    Mock::given(method("POST"))
        .and(path("/2/media/upload/initialize"))
        .and(user())
        .respond_with(ok(media.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/2/media/upload/{id}/append")))
        .respond_with(ok(json!({"data": {}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/2/media/upload/{id}/finalize")))
        .respond_with(ok(media))
        .mount(&server)
        .await;
    let created = json!({"data": {"id": "1445880548472328192", "text": "a cat"}});
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(user())
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .mount(&server)
        .await;

    let pair = TokenPair {
        access_token: "user-token".into(),
        refresh_token: None,
        expires_at: Some(SystemTime::now() + Duration::from_secs(3600)),
        scopes: Some(vec!["tweet.read".into(), "tweet.write".into(), "users.read".into(), "media.write".into()]),
    };
    let token = OAuth2User::new(OAuth2App::new("client-id", "http://127.0.0.1/callback"), pair);
    let client = xapi_client::Client::builder().base_url(server.uri()).token_source(token).build().unwrap();
    let post = post_with_image(&client, "a cat", b"\x89PNG...").await.unwrap();
    assert_eq!(post, "1445880548472328192");
    let sent = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&sent.last().unwrap().body).unwrap();
    assert_eq!(body["media"]["media_ids"], json!([id]), "the post carries the uploaded media");
}
