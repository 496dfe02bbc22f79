//! `xapi media upload` and `xapi auth login` against a local server.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: [(&str, &str); 4] =
    [("X_API_KEY", "ck"), ("X_API_SECRET", "cs"), ("X_ACCESS_TOKEN", "at"), ("X_ACCESS_TOKEN_SECRET", "ts")];

fn xapi() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xapi"));
    for name in ["X_BEARER_TOKEN", "X_OAUTH2_ACCESS_TOKEN", "X_CLIENT_ID"] {
        command.env_remove(name);
    }
    command
}

async fn media_server(finalize: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let init = json!({"data": {"id": "1880028106020515840", "media_key": "3_1880028106020515840", "expires_after_secs": 86400}});
    Mock::given(method("POST"))
        .and(path("/2/media/upload/initialize"))
        .respond_with(ResponseTemplate::new(200).set_body_json(init))
        .mount(&server)
        .await;
    let appended = json!({"data": {"expires_at": 1_736_899_200}});
    let append = "/2/media/upload/1880028106020515840/append";
    Mock::given(method("POST"))
        .and(path(append))
        .respond_with(ResponseTemplate::new(200).set_body_json(appended))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/media/upload/1880028106020515840/finalize"))
        .respond_with(finalize)
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn media_upload_prints_the_id_and_media_key() {
    let done = json!({"data": {"id": "1880028106020515840", "media_key": "3_1880028106020515840", "size": 4, "expires_after_secs": 86400}});
    let server = media_server(ResponseTemplate::new(200).set_body_json(done)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cat.png");
    std::fs::write(&file, b"\x89PNG").unwrap();
    let uri = server.uri();
    let o = tokio::task::spawn_blocking(move || upload_at(&uri, &file)).await.unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let printed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(printed, json!({"id": "1880028106020515840", "media_key": "3_1880028106020515840"}));
    let init = server.received_requests().await.unwrap()[0].body.clone();
    assert_eq!(serde_json::from_slice::<Value>(&init).unwrap()["media_type"], "image/png", "from the extension");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_upload_exits_1_with_the_typed_error_explained() {
    let refused = ResponseTemplate::new(400).set_body_raw(
        r#"{"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#,
        "application/problem+json",
    );
    let server = media_server(refused).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cat.png");
    std::fs::write(&file, b"\x89PNG").unwrap();
    let uri = server.uri();
    let o = tokio::task::spawn_blocking(move || upload_at(&uri, &file)).await.unwrap();
    assert_eq!(o.status.code(), Some(1));
    let explained: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(explained["endpoint_error"], "InvalidRequest", "{explained}");
}

fn upload_at(uri: &str, file: &std::path::Path) -> std::process::Output {
    xapi()
        .args(["media", "upload", file.to_str().unwrap(), "--category", "tweet_image", "--json", "--base-url", uri])
        .envs(USER)
        .output()
        .unwrap()
}

/// Runs `xapi auth login` with `extra` arguments against a token endpoint that takes the
/// code, answers X's redirect as a browser would, and returns the exit code and stdout.
async fn login(extra: &[&str]) -> (Option<i32>, String) {
    let server = MockServer::start().await;
    let token =
        json!({"token_type": "bearer", "access_token": "at-new", "refresh_token": "rt-new", "expires_in": 7200});
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("code_verifier="))
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .mount(&server)
        .await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (authorize, token_url) =
        (format!("{}/i/oauth2/authorize", server.uri()), format!("{}/2/oauth2/token", server.uri()));
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut child = xapi()
            .args([
                "auth",
                "login",
                "--client-id",
                "cid",
                "--scopes",
                "tweet.read,users.read",
                "--port",
                &port.to_string(),
            ])
            .args(["--authorize-url", &authorize, "--token-url", &token_url])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut url = String::new();
        while !url.starts_with("http") {
            url.clear();
            stderr.read_line(&mut url).unwrap();
        }
        let url = url::Url::parse(url.trim()).unwrap();
        let get = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap();
        assert!(get("scope").contains("offline.access"), "{url}");
        assert_eq!(get("code_challenge_method"), "S256");
        let callback = format!("http://127.0.0.1:{port}/callback?code=the-code&state={}", get("state"));
        let reply = browser::blocking_get(&callback);
        assert!(reply.contains("close this tab"), "{reply}");
        let mut stdout = String::new();
        child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
        (child.wait().unwrap().code(), stdout)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_login_prints_the_url_takes_the_callback_and_exchanges_the_code() {
    let (code, stdout) = login(&[]).await;
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "export X_OAUTH2_ACCESS_TOKEN=at-new\nexport X_OAUTH2_REFRESH_TOKEN=rt-new\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_login_can_write_the_pair_to_a_token_file_instead() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token.json");
    let (code, stdout) = login(&["--token-file", file.to_str().unwrap()]).await;
    assert_eq!((code, stdout.as_str()), (Some(0), ""), "nothing printed");
    let pair = xapi_client::FileTokenStore::new(&file).load().unwrap().unwrap();
    assert_eq!((pair.access_token.as_str(), pair.refresh_token.as_deref()), ("at-new", Some("rt-new")));
}

/// A tiny blocking GET, as a browser following X's redirect would.
mod browser {
    use std::io::{Read, Write};

    pub fn blocking_get(url: &str) -> String {
        let url = url::Url::parse(url).unwrap();
        let mut socket = std::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap())).unwrap();
        let target = format!("{}?{}", url.path(), url.query().unwrap_or(""));
        write!(socket, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        socket.read_to_string(&mut reply).unwrap();
        reply
    }
}
