//! Streams against a scripted local HTTP server on tokio's paused clock: each connection plays
//! a script (chunks, pauses, a close, or an error status), and the server records when each
//! connection came, so the reconnect delays are asserted exactly.

use futures_util::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;
use xapi::operations::stream_posts;
use xapi_client::{Client, StreamEvent, StreamOptions};

/// One step of a connection's script.
#[derive(Clone)]
enum Step {
    /// Send these bytes as one chunk.
    Send(&'static str),
    Pause(Duration),
    /// End the response and close.
    Close,
    /// Answer with this status and problem body instead of a stream.
    Status(u16, &'static str),
}

struct Server {
    url: String,
    connects: Arc<Mutex<Vec<Duration>>>,
}

/// Serves the scripts in order, one per connection; later connections hang.
async fn serve(scripts: Vec<Vec<Step>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connects = Arc::new(Mutex::new(Vec::new()));
    let seen = connects.clone();
    let start = Instant::now();
    tokio::spawn(async move {
        let mut scripts = scripts.into_iter();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            seen.lock().unwrap().push(start.elapsed());
            let script = scripts.next().unwrap_or_else(|| vec![Step::Pause(Duration::from_secs(86_400))]);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let Ok(n) = socket.read(&mut byte).await else { return };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&byte[..n]);
                }
                let mut started = false;
                for step in script {
                    match step {
                        Step::Status(status, body) => {
                            let text = format!(
                                "HTTP/1.1 {status} X\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                                body.len()
                            );
                            let _ = socket.write_all(text.as_bytes()).await;
                            return;
                        }
                        Step::Send(bytes) => {
                            if !started {
                                started = true;
                                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                                let _ = socket.write_all(head.as_bytes()).await;
                            }
                            let chunk = format!("{:x}\r\n{bytes}\r\n", bytes.len());
                            let _ = socket.write_all(chunk.as_bytes()).await;
                        }
                        Step::Pause(d) => tokio::time::sleep(d).await,
                        Step::Close => {
                            let _ = socket.write_all(b"0\r\n\r\n").await;
                            let _ = socket.shutdown().await;
                            return;
                        }
                    }
                }
            });
        }
    });
    Server { url, connects }
}

fn client(server: &Server) -> Client {
    Client::builder().base_url(&server.url).bearer_token("test").without_timers().build().unwrap()
}

/// A short description of each event, to compare whole sequences.
fn describe(event: &StreamEvent<stream_posts::Success>) -> String {
    match event {
        StreamEvent::Item(item) => {
            format!("item {}", serde_json::to_value(item).unwrap()["data"]["id"].as_str().unwrap())
        }
        StreamEvent::Reconnecting { attempt, wait, reason } => {
            format!("reconnect {attempt} after {wait:?} ({reason:?})")
        }
        StreamEvent::Disconnected { reason, .. } => format!("disconnected {reason:?}"),
        other => format!("{other:?}"),
    }
}

async fn events(client: &Client, options: StreamOptions, n: usize) -> Vec<String> {
    let stream = client.stream(&stream_posts::Request::new(), options).take(n);
    stream.map(|e| e.map(|e| describe(&e)).unwrap_or_else(|e| format!("error {e}"))).collect().await
}

const ONE: &str = "{\"data\":{\"id\":\"1\",\"text\":\"a\"}}\r\n";
const THREE: &str = "{\"data\":{\"id\":\"3\",\"text\":\"c\"}}\r\n";

#[tokio::test(start_paused = true)]
async fn split_lines_are_joined_keep_alives_skipped_and_a_drop_reconnects_after_250_ms() {
    let server = serve(vec![
        vec![
            Step::Send(ONE),
            Step::Send("{\"data\":{\"id\":\"2\","),
            Step::Pause(Duration::from_secs(1)),
            Step::Send("\"text\":\"b\"}}\r\n"),
            Step::Send("\r\n"),
            Step::Close,
        ],
        vec![Step::Send(THREE), Step::Pause(Duration::from_secs(3600))],
    ])
    .await;
    let got = events(&client(&server), StreamOptions::default(), 4).await;
    assert_eq!(got, ["item 1", "item 2", "reconnect 1 after 250ms (Network)", "item 3"]);
    let connects = server.connects.lock().unwrap().clone();
    assert_eq!(connects.len(), 2);
    assert_eq!(connects[1] - connects[0], Duration::from_millis(1250), "1 s of script, then 250 ms");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_stream_reconnects() {
    let server = serve(vec![
        vec![Step::Send(ONE), Step::Pause(Duration::from_secs(3600))],
        vec![Step::Send(THREE), Step::Pause(Duration::from_secs(3600))],
    ])
    .await;
    let options = StreamOptions::default().stall(Duration::from_secs(30));
    let got = events(&client(&server), options, 3).await;
    assert_eq!(got, ["item 1", "reconnect 1 after 250ms (Stall)", "item 3"]);
    let connects = server.connects.lock().unwrap().clone();
    assert_eq!(connects[1] - connects[0], Duration::from_millis(30_250));
}

#[tokio::test(start_paused = true)]
async fn too_many_connections_ends_the_stream_with_the_typed_error() {
    let body = r#"{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}"#;
    let server = serve(vec![vec![Step::Status(429, body)]]).await;
    let client = client(&server);
    let all: Vec<_> = client.stream(&stream_posts::Request::new(), StreamOptions::default()).collect().await;
    assert_eq!(all.len(), 1, "no loop");
    let error = all[0].as_ref().unwrap_err();
    assert!(matches!(error.api(), Some(stream_posts::Error::TooManyConnections(_))), "{error:?}");
    assert_eq!(server.connects.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn http_errors_back_off_from_5_s_and_429s_from_a_minute() {
    let limited = r#"{"title":"Too Many Requests","type":"about:blank"}"#;
    let server = serve(vec![
        vec![Step::Status(503, "{}")],
        vec![Step::Status(503, "{}")],
        vec![Step::Status(429, limited)],
        vec![Step::Send(ONE), Step::Pause(Duration::from_secs(3600))],
    ])
    .await;
    let got = events(&client(&server), StreamOptions::default(), 4).await;
    assert_eq!(
        got,
        [
            "reconnect 1 after 5s (Http(503))",
            "reconnect 2 after 10s (Http(503))",
            "reconnect 3 after 60s (RateLimited)",
            "item 1"
        ]
    );
    let connects = server.connects.lock().unwrap().clone();
    let gaps: Vec<u64> = connects.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect();
    assert_eq!(gaps, [5, 10, 60], "each kind backs off from its own start");
}

#[tokio::test(start_paused = true)]
async fn payment_required_ends_the_stream() {
    let body = r#"{"title":"Payment Required","type":"https://api.x.com/2/problems/credits"}"#;
    let server = serve(vec![vec![Step::Status(402, body)]]).await;
    let got = events(&client(&server), StreamOptions::default(), 5).await;
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("error"), "{got:?}");
}

#[tokio::test(start_paused = true)]
async fn a_disconnect_message_is_an_event_then_a_reconnect() {
    let disconnect = "{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":\"UpstreamOperationalDisconnect\",\"detail\":\"This stream has been disconnected upstream for operational reasons.\",\"type\":\"https://api.twitter.com/2/problems/operational-disconnect\"}]}\r\n";
    let server = serve(vec![
        vec![Step::Send(ONE), Step::Send(disconnect), Step::Pause(Duration::from_secs(3600))],
        vec![Step::Send(THREE), Step::Pause(Duration::from_secs(3600))],
    ])
    .await;
    let got = events(&client(&server), StreamOptions::default(), 3).await;
    assert_eq!(got, ["item 1", "disconnected Operational", "item 3"]);
}

#[tokio::test(start_paused = true)]
async fn a_token_the_stream_does_not_accept_is_refused_before_connecting() {
    let server = serve(vec![vec![Step::Send(ONE)]]).await;
    let user = xapi_client::OAuth1User::new("ck", "cs", "t", "ts");
    let client = Client::builder().base_url(&server.url).token_source(user).without_timers().build().unwrap();
    let all: Vec<_> = client.stream(&stream_posts::Request::new(), StreamOptions::default()).collect().await;
    assert_eq!(all.len(), 1);
    let error = all[0].as_ref().unwrap_err();
    assert!(matches!(error.api(), Some(stream_posts::Error::UnsupportedAuthentication(_))), "{error:?}");
    assert!(server.connects.lock().unwrap().is_empty(), "never connected");
}
