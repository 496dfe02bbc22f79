//! Authentication: OAuth 1.0a signatures against RFC 5849's and X's published examples, the
//! OAuth 2.0 PKCE flow and refresh against a local token endpoint (RFC 6749 error bodies
//! included), and the pre-flight check that refuses a token the operation does not accept.

use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xapi::operations::{create_posts, get_posts_by_id, get_users_me};
use xapi_client::auth::Fixed;
use xapi_client::{
    AuthError, CallError, Client, FileTokenStore, OAuth1User, OAuth2App, OAuth2User, TokenPair, TokenStore,
};

fn signature(header: &str) -> &str {
    let start = header.find("oauth_signature=\"").unwrap() + "oauth_signature=\"".len();
    &header[start..start + header[start..].find('"').unwrap()]
}

#[test]
fn oauth1_signs_rfc_5849s_example() {
    let user = OAuth1User::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
    let fixed = Fixed { nonce: Some("chapoH"), timestamp: Some(137_131_202), version: false };
    let header = user
        .authorization("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", None, &fixed)
        .unwrap();
    assert_eq!(signature(&header), "MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", "{header}");
}

#[test]
fn oauth1_signs_xs_documented_example_with_the_form_body() {
    let user = OAuth1User::new(
        "xvz1evFS4wEEPTGEFPHBog",
        "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    );
    let fixed = Fixed {
        nonce: Some("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
        timestamp: Some(1_318_622_958),
        version: true,
    };
    let body = b"status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21";
    let url = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true";
    let header = user.authorization("POST", url, Some(body), &fixed).unwrap();
    assert_eq!(signature(&header), "hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", "{header}");
    assert!(header.contains("oauth_version=\"1.0\""));
}

#[tokio::test]
async fn an_app_only_token_on_a_user_context_operation_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).bearer_token("app").without_timers().build().unwrap();
    let err = client.call(&get_users_me::Request::new()).await.unwrap_err();
    assert!(matches!(err.api(), Some(get_users_me::Error::UnsupportedAuthentication(_))), "{err:?}");
    let body = String::from_utf8(err.api().map(|e| xapi::EndpointError::response(e).body.clone()).unwrap()).unwrap();
    assert!(body.contains("\"local\":true"), "{body}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

fn app(server: &MockServer) -> OAuth2App {
    OAuth2App::new("client-id", "http://127.0.0.1:8765/callback")
        .endpoints(format!("{}/i/oauth2/authorize", server.uri()), format!("{}/2/oauth2/token", server.uri()))
}

fn pair(access: &str, refresh: Option<&str>, expires_in: Duration, scopes: &[&str]) -> TokenPair {
    TokenPair {
        access_token: access.into(),
        refresh_token: refresh.map(Into::into),
        expires_at: Some(SystemTime::now() + expires_in),
        scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
    }
}

/// A user whose token expires in 10 s (so it is refreshed first) and can be refreshed with
/// `rt-1`.
fn expiring(server: &MockServer) -> OAuth2User {
    OAuth2User::new(app(server), pair("at-1", Some("rt-1"), Duration::from_secs(10), &["users.read", "tweet.read"]))
}

fn client_for(server: &MockServer, user: OAuth2User) -> Client {
    Client::builder().base_url(server.uri()).token_source(user).without_timers().build().unwrap()
}

#[tokio::test]
async fn a_token_without_a_needed_scope_is_refused_with_the_scopes() {
    let server = MockServer::start().await;
    let user = OAuth2User::new(app(&server), pair("at", None, Duration::from_secs(3600), &["users.read"]));
    let client = Client::builder().base_url(server.uri()).token_source(user).without_timers().build().unwrap();
    let request = create_posts::Request::new(serde_json::from_value(json!({"text": "hi"})).unwrap());
    let err = client.call(&request).await.unwrap_err();
    let Some(create_posts::Error::Forbidden(forbidden)) = err.api() else { panic!("{err:?}") };
    assert!(forbidden.scopes.contains(&"tweet.write"), "{:?}", forbidden.scopes);
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn pkce_login_builds_the_url_and_exchanges_the_code() {
    let server = MockServer::start().await;
    let token = json!({"token_type": "bearer", "access_token": "at-1", "refresh_token": "rt-1", "expires_in": 7200,
                       "scope": "tweet.read users.read offline.access"});
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code_verifier="))
        .and(body_string_contains("code=the-code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .mount(&server)
        .await;
    let app = app(&server);
    let scopes = OAuth2App::scopes_for(&[&get_posts_by_id::OPERATION, &get_users_me::OPERATION]);
    assert!(scopes.contains(&"offline.access") && scopes.contains(&"users.read"), "{scopes:?}");
    let login = app.login(&scopes).unwrap();
    for part in ["code_challenge_method=S256", "code_challenge=", "client_id=client-id", "response_type=code", "scope="]
    {
        assert!(login.url.contains(part), "{part}: {}", login.url);
    }
    let state = login.state.clone();
    let pair = app.exchange(login, "the-code", &state).await.unwrap();
    assert_eq!((pair.access_token.as_str(), pair.refresh_token.as_deref()), ("at-1", Some("rt-1")));
    assert!(!format!("{pair:?}").contains("at-1"), "no secret in Debug");
}

#[tokio::test]
async fn the_token_endpoints_refusal_is_its_rfc_6749_error() {
    let server = MockServer::start().await;
    let refusal = json!({"error": "invalid_request", "error_description": "Value passed for the token was invalid."});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(refusal)).mount(&server).await;
    let err = app(&server).refresh("stale").await.unwrap_err();
    let AuthError::Refused { code, description } = err else { panic!("{err:?}") };
    assert_eq!(code, "invalid_request");
    assert_eq!(description.as_deref(), Some("Value passed for the token was invalid."));
}

async fn refresh_server() -> MockServer {
    let server = MockServer::start().await;
    let token = json!({"token_type": "bearer", "access_token": "at-2", "refresh_token": "rt-2", "expires_in": 7200});
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=rt-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .mount(&server)
        .await;
    let me = ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "1", "name": "n", "username": "u"}}));
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .and(header("authorization", "Bearer at-2"))
        .respond_with(me)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/2/users/me")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    server
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_first_and_the_new_pair_handed_over() {
    let server = refresh_server().await;
    let saved = Arc::new(Mutex::new(None));
    let sink = saved.clone();
    let client = client_for(&server, expiring(&server).on_refresh(move |p| *sink.lock().unwrap() = Some(p.clone())));
    client.call(&get_users_me::Request::new()).await.unwrap();
    let saved = saved.lock().unwrap().clone().unwrap();
    assert_eq!((saved.access_token.as_str(), saved.refresh_token.as_deref()), ("at-2", Some("rt-2")));
    let calls: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(calls, ["/2/oauth2/token", "/2/users/me"], "refreshed before, no 401 earned");
}

#[tokio::test]
async fn a_401_is_answered_by_one_refresh_and_one_retry() {
    let server = refresh_server().await;
    let user = OAuth2User::new(
        app(&server),
        pair("at-1", Some("rt-1"), Duration::from_secs(3600), &["users.read", "tweet.read"]),
    );
    let client = Client::builder().base_url(server.uri()).token_source(user).without_timers().build().unwrap();
    client.call(&get_users_me::Request::new()).await.unwrap();
    let calls: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(calls, ["/2/users/me", "/2/oauth2/token", "/2/users/me"]);
}

#[tokio::test]
async fn a_401_that_a_refresh_does_not_cure_comes_back() {
    let server = MockServer::start().await;
    let token = json!({"token_type": "bearer", "access_token": "at-still-bad", "expires_in": 7200});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(token)).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let user = OAuth2User::new(
        app(&server),
        pair("at-1", Some("rt-1"), Duration::from_secs(3600), &["users.read", "tweet.read"]),
    );
    let client = Client::builder().base_url(server.uri()).token_source(user).without_timers().build().unwrap();
    let err = client.call(&get_users_me::Request::new()).await.unwrap_err();
    assert!(matches!(err, CallError::Api { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "one refresh, one retry, no loop");
}

/// Known secrets planted in every kind of credentials never appear in what the client and
/// its errors print.
#[tokio::test]
async fn planted_secrets_appear_in_no_output() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let secrets = ["S3CRET-bearer", "S3CRET-ck", "S3CRET-cs", "S3CRET-at", "S3CRET-ts", "S3CRET-o2", "S3CRET-rt"];
    let oauth1 = OAuth1User::new(secrets[1], secrets[2], secrets[3], secrets[4]);
    let pair2 = pair(secrets[5], Some(secrets[6]), Duration::from_secs(3600), &["users.read", "tweet.read"]);
    let oauth2 = OAuth2User::new(app(&server).client_secret("S3CRET-client"), pair2.clone());
    let mut shown = vec![
        format!("{oauth1:?}"),
        format!("{oauth2:?}"),
        format!("{pair2:?}"),
        format!("{:?}", app(&server).client_secret("S3CRET-client")),
    ];
    let clients = [
        Client::builder().base_url(server.uri()).bearer_token(secrets[0]).without_timers().build().unwrap(),
        Client::builder().base_url(server.uri()).token_source(oauth1).without_timers().build().unwrap(),
        Client::builder().base_url(server.uri()).token_source(oauth2).without_timers().build().unwrap(),
    ];
    for client in &clients {
        shown.push(format!("{client:?}"));
        let err = client.call(&get_users_me::Request::new()).await.unwrap_err();
        shown.extend([format!("{err:?}"), err.to_string()]);
        let err = client.call(&get_posts_by_id::Request::new("20")).await.unwrap_err();
        shown.extend([format!("{err:?}"), err.to_string()]);
    }
    for text in &shown {
        for secret in secrets.iter().chain(&["S3CRET-client"]) {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

#[tokio::test]
async fn calls_that_need_a_refresh_together_wait_for_one() {
    let server = refresh_server().await;
    let client = client_for(&server, expiring(&server));
    // A second refresh would send rt-1 again, which the token endpoint no longer takes.
    let requests: Vec<_> = (0..8).map(|_| get_users_me::Request::new()).collect();
    let calls = requests.iter().map(|r| client.call(r));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let refreshes =
        server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/2/oauth2/token").count();
    assert_eq!(refreshes, 1);
}

#[tokio::test]
async fn a_refreshed_pair_is_in_the_file_store_before_its_token_is_used() {
    let server = refresh_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token.json");
    let client = client_for(&server, expiring(&server).store(FileTokenStore::new(&file)));
    client.call(&get_users_me::Request::new()).await.unwrap();
    let stored = FileTokenStore::new(&file).load().unwrap().unwrap();
    assert_eq!((stored.access_token.as_str(), stored.refresh_token.as_deref()), ("at-2", Some("rt-2")));
    assert!(stored.expires_at.is_some_and(|at| at > SystemTime::now()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "owner only");
    }
    assert_eq!(FileTokenStore::new(dir.path().join("none.json")).load().unwrap(), None);
}

/// Fails its first save.
struct Flaky(Mutex<u32>, Arc<Mutex<Vec<String>>>);

impl TokenStore for Flaky {
    fn save<'a>(&'a self, pair: &'a TokenPair) -> xapi_client::auth::BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            let mut tries = self.0.lock().unwrap();
            *tries += 1;
            if *tries == 1 {
                return Err(AuthError::Store("disk full".into()));
            }
            self.1.lock().unwrap().push(pair.access_token.clone());
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_failed_save_fails_the_call_and_is_tried_again_before_the_next() {
    let server = refresh_server().await;
    let saved = Arc::new(Mutex::new(Vec::new()));
    let client = client_for(&server, expiring(&server).store(Flaky(Mutex::new(0), saved.clone())));
    let err = client.call(&get_users_me::Request::new()).await.unwrap_err();
    assert!(matches!(err, CallError::Auth(AuthError::Store(_))), "{err:?}");
    client.call(&get_users_me::Request::new()).await.unwrap();
    assert_eq!(*saved.lock().unwrap(), ["at-2"], "the pair refreshed first, saved on the second call");
    let paths: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/2/oauth2/token", "/2/users/me"], "one refresh; nothing sent before the pair was stored");
}

#[tokio::test]
async fn calls_waiting_on_a_refresh_whose_save_failed_send_nothing_unsaved() {
    let server = refresh_server().await;
    let saved = Arc::new(Mutex::new(Vec::new()));
    let client = client_for(&server, expiring(&server).store(Flaky(Mutex::new(0), saved.clone())));
    let requests: Vec<_> = (0..4).map(|_| get_users_me::Request::new()).collect();
    let results = futures_util::future::join_all(requests.iter().map(|r| client.call(r))).await;
    for result in &results {
        assert!(matches!(result, Err(CallError::Auth(AuthError::Store(_)))), "{result:?}");
    }
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.iter().filter(|r| r.url.path() == "/2/oauth2/token").count(), 1, "one refresh");
    assert!(sent.iter().all(|r| r.url.path() != "/2/users/me"), "no call went out with the unsaved token");
    client.call(&get_users_me::Request::new()).await.unwrap();
    assert_eq!(*saved.lock().unwrap(), ["at-2"]);
}

#[tokio::test]
async fn calls_waiting_on_a_refused_refresh_share_its_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})))
        .mount(&server)
        .await;
    let client = client_for(&server, expiring(&server));
    let requests: Vec<_> = (0..4).map(|_| get_users_me::Request::new()).collect();
    for result in futures_util::future::join_all(requests.iter().map(|r| client.call(r))).await {
        let refused =
            matches!(&result, Err(CallError::Auth(AuthError::Refused { code, .. })) if code == "invalid_grant");
        assert!(refused, "{result:?}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "one token request, not one per call");
}
