//! Chunked media upload against a local server on tokio's paused clock: waits cost no wall
//! time, and the time that passed is exactly what the upload waited. Bodies are shaped as
//! X's v2 media docs show them; each test asserts the requests X received, not just the
//! outcome.

use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};
use xapi_client::media::{upload, MediaCategory, MediaType, Phase, Progress, Resume, UploadError, UploadOptions};
use xapi_client::{CallError, Client, OAuth1User, RetryPolicy};

const ID: &str = "1880028106020515840";
const KEY: &str = "13_1880028106020515840";
const TOKEN: &str = "1880000000000000000-access-token";
const SECRET: &str = "token-secret-never-shown";
const APPEND: &str = r"^/2/media/upload/1880028106020515840/append$";

fn client(server: &MockServer) -> Client {
    client_with(server, RetryPolicy::default())
}

/// Retries without jitter, so the waits are exact: 1 s, then doubled.
fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    // Media upload takes user context only: an app-only token is refused before sending.
    let user = OAuth1User::new("consumer-key", "consumer-secret", TOKEN, SECRET);
    let retry = retry.jitter(false).backoff(Duration::from_secs(1), Duration::from_secs(30));
    Client::builder().base_url(server.uri()).token_source(user).retry_policy(retry).without_timers().build().unwrap()
}

/// `len` bytes that differ from segment to segment, so a misplaced segment shows.
fn media(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn json_body(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

fn problem(status: u16, title: &str) -> ResponseTemplate {
    let body = json!({"title": title, "detail": title, "type": "about:blank", "status": status});
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

/// An image: FINALIZE answers at once with no `processing_info`.
fn finalized(size: usize) -> ResponseTemplate {
    json_body(json!({"data": {"id": ID, "media_key": KEY, "size": size, "expires_after_secs": 86400,
                               "image": {"image_type": "image/png", "w": 1200, "h": 675}}}))
}

/// A video still being processed.
fn processing(state: &str, check_after_secs: u64, percent: u64) -> ResponseTemplate {
    json_body(json!({"data": {"id": ID, "media_key": KEY, "size": 10240, "expires_after_secs": 86400,
        "processing_info": {"state": state, "check_after_secs": check_after_secs, "progress_percent": percent}}}))
}

/// INIT and APPEND answering as X does; FINALIZE answered by `finalize`.
async fn mount(server: &MockServer, finalize: ResponseTemplate) {
    let init = json!({"data": {"id": ID, "media_key": KEY, "expires_after_secs": 1295999}});
    Mock::given(method("POST"))
        .and(path("/2/media/upload/initialize"))
        .respond_with(json_body(init))
        .mount(server)
        .await;
    let appended = json!({"data": {"expires_at": 1_736_899_200}});
    Mock::given(method("POST")).and(path_regex(APPEND)).respond_with(json_body(appended)).mount(server).await;
    let route = format!("/2/media/upload/{ID}/finalize");
    Mock::given(method("POST")).and(path(route)).respond_with(finalize).mount(server).await;
}

/// Answers `template` to the first `times` APPENDs of `segment` (before the mounted successes).
async fn fail_segment(server: &MockServer, segment: u32, times: u64, template: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path_regex(APPEND))
        .and(Segment(segment))
        .respond_with(template)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

/// Matches an APPEND of one `segment_index`.
struct Segment(u32);

impl Match for Segment {
    fn matches(&self, request: &Request) -> bool {
        form(request).iter().any(|(name, value)| name == "segment_index" && *value == self.0.to_string().as_bytes())
    }
}

/// The parts of a multipart request: (name, content).
fn form(request: &Request) -> Vec<(String, Vec<u8>)> {
    let kind = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(boundary) = kind.split("boundary=").nth(1) else { return Vec::new() };
    let delimiter = format!("\r\n--{boundary}");
    let body = [b"\r\n".as_slice(), &request.body].concat();
    let mut parts = Vec::new();
    for raw in split(&body, delimiter.as_bytes()).into_iter().skip(1) {
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&raw[..end]);
        let Some(name) = head.split("name=\"").nth(1).and_then(|r| r.split('"').next()) else { continue };
        parts.push((name.to_owned(), raw[end + 4..].to_vec()));
    }
    parts
}

fn split<'a>(body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(delimiter.len()).position(|w| w == delimiter) {
        out.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    out.push(rest);
    out
}

/// The APPENDs X received, in order: (segment_index, media bytes).
async fn appends(server: &MockServer) -> Vec<(u32, Vec<u8>)> {
    let requests = server.received_requests().await.unwrap_or_default();
    let appends = requests.iter().filter(|r| r.url.path().ends_with("/append"));
    appends
        .map(|r| {
            let parts = form(r);
            let field = |n: &str| parts.iter().find(|(name, _)| name == n).map(|(_, v)| v.clone()).unwrap_or_default();
            (String::from_utf8(field("segment_index")).unwrap().parse().unwrap(), field("media"))
        })
        .collect()
}

/// The media bytes of `appends`, put together.
fn joined(appends: &[(u32, Vec<u8>)]) -> Vec<u8> {
    appends.iter().flat_map(|(_, m)| m.iter().copied()).collect()
}

async fn count(server: &MockServer, verb: &str, suffix: &str) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().filter(|r| r.method.as_str() == verb && r.url.path().ends_with(suffix)).count()
}

fn image(chunk: usize) -> UploadOptions {
    UploadOptions::new(MediaType::ImagePng).category(MediaCategory::TweetImage).chunk_size(chunk)
}

#[tokio::test(start_paused = true)]
async fn a_full_upload_sends_init_each_segment_in_order_then_finalize() {
    let server = MockServer::start().await;
    let png = media(2500);
    mount(&server, finalized(png.len())).await;
    let uploaded = upload(&client(&server), &png, image(1000)).await.unwrap();
    assert_eq!((uploaded.id.as_str(), uploaded.media_key.as_deref()), (ID, Some(KEY)));
    assert_eq!(uploaded.data.size, Some(2500));
    let sent = appends(&server).await;
    assert_eq!(sent.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(sent.iter().map(|(_, m)| m.len()).collect::<Vec<_>>(), [1000, 1000, 500]);
    assert_eq!(joined(&sent), png, "the segments put together are the media");
    let requests = server.received_requests().await.unwrap();
    let init: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(init, json!({"media_type": "image/png", "media_category": "tweet_image", "total_bytes": 2500}));
    assert_eq!(count(&server, "POST", "/finalize").await, 1);
    assert_eq!(count(&server, "GET", "/2/media/upload").await, 0, "no processing_info: no STATUS");
}

#[tokio::test(start_paused = true)]
async fn processing_is_polled_after_each_check_after_secs_until_it_succeeds() {
    let server = MockServer::start().await;
    let video = media(3000);
    mount(&server, processing("pending", 5, 0)).await;
    let status = || Mock::given(method("GET")).and(path("/2/media/upload")).and(query_param("media_id", ID));
    let status = || status().and(query_param("command", "STATUS"));
    status().respond_with(processing("in_progress", 10, 60)).up_to_n_times(1).with_priority(1).mount(&server).await;
    status().respond_with(processing("succeeded", 0, 100)).mount(&server).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let hook = seen.clone();
    let options = UploadOptions::new(MediaType::VideoMp4).category(MediaCategory::TweetVideo).chunk_size(1024);
    let start = Instant::now();
    let uploaded =
        upload(&client(&server), &video, options.on_progress(move |p| hook.lock().unwrap().push(p))).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(5 + 10), "waited check_after_secs, then the next one");
    assert_eq!(count(&server, "GET", "/2/media/upload").await, 2);
    assert_eq!(uploaded.data.processing_info.unwrap().state.as_deref(), Some("succeeded"));
    let phases: Vec<Phase> = seen.lock().unwrap().iter().map(|p| p.phase.clone()).collect();
    let pending = Phase::Processing { state: "pending".into(), percent: Some(0) };
    let in_progress = Phase::Processing { state: "in_progress".into(), percent: Some(60) };
    assert_eq!(phases[phases.len() - 4..], [Phase::Finalized, pending, in_progress, Phase::Done]);
}

#[tokio::test(start_paused = true)]
async fn a_segment_that_fails_once_is_sent_again_and_the_upload_succeeds() {
    let server = MockServer::start().await;
    let png = media(3000);
    mount(&server, finalized(png.len())).await;
    fail_segment(&server, 1, 1, problem(500, "Internal Server Error")).await;
    let start = Instant::now();
    // A POST, retried by the client's own policy: the endpoint rules mark APPEND idempotent.
    const { assert!(xapi::operations::append_media_upload::OPERATION.idempotent) };
    let uploaded = upload(&client(&server), &png, image(1000)).await.unwrap();
    assert_eq!(uploaded.id, ID);
    let sent = appends(&server).await;
    assert_eq!(sent.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 1, 2], "segment 1 twice");
    assert_eq!(sent[1].1, sent[2].1, "the same bytes again");
    assert_eq!(start.elapsed(), Duration::from_secs(1), "one back-off");
}

#[tokio::test(start_paused = true)]
async fn spent_tries_return_a_resume_point_that_sends_only_the_missing_segments() {
    let server = MockServer::start().await;
    let png = media(4000);
    mount(&server, finalized(png.len())).await;
    fail_segment(&server, 2, 3, problem(503, "Service Unavailable")).await;
    let options = image(1000);
    let start = Instant::now();
    let error =
        upload(&client_with(&server, RetryPolicy::default().max_attempts(3)), &png, options.clone()).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(1 + 2), "1 s, then doubled");
    let UploadError::Append { segment: 2, error: CallError::Api { .. }, resume } = &error else {
        panic!("not the append error: {error:?}");
    };
    assert_eq!(resume, &Resume::new(ID, 2, 1000));
    assert!(error.to_string().starts_with("append segment 2: ServerError: POST 503"), "{error}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "credentials are never shown");
    }
    let before = appends(&server).await;
    assert_eq!(before.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2, 2, 2]);
    assert_eq!(count(&server, "POST", "/finalize").await, 0);

    // The resume point, saved as JSON and read back, finishes the upload.
    let saved: Resume = serde_json::from_str(&serde_json::to_string(resume).unwrap()).unwrap();
    let uploaded = upload(&client(&server), &png, options.chunk_size(64).resume(saved)).await.unwrap();
    assert_eq!(uploaded.id, ID);
    let after = appends(&server).await;
    let resumed = after[before.len()..].to_vec();
    assert_eq!(resumed.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [2, 3], "only the missing segments");
    assert_eq!(joined(&resumed), png[2000..], "cut at the resume point's size, not the new option");
    assert_eq!(count(&server, "POST", "/initialize").await, 1, "no second INIT");
    assert_eq!(count(&server, "POST", "/finalize").await, 1);
}

#[tokio::test(start_paused = true)]
async fn a_client_error_is_not_tried_again() {
    let server = MockServer::start().await;
    let png = media(2000);
    mount(&server, finalized(png.len())).await;
    fail_segment(&server, 0, 1, problem(400, "Invalid Request")).await;
    let error = upload(&client(&server), &png, image(1000)).await.unwrap_err();
    assert!(matches!(error, UploadError::Append { segment: 0, .. }), "{error:?}");
    assert_eq!(appends(&server).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn progress_rises_to_the_total() {
    let server = MockServer::start().await;
    let png = media(2049);
    mount(&server, finalized(png.len())).await;
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let hook = seen.clone();
    upload(&client(&server), &png, image(512).on_progress(move |p| hook.lock().unwrap().push(p))).await.unwrap();
    let seen = seen.lock().unwrap();
    let sent: Vec<u64> = seen.iter().map(|p| p.sent).collect();
    assert_eq!(sent, [0, 512, 1024, 1536, 2048, 2049, 2049, 2049], "INIT, five segments, FINALIZE, done");
    assert!(sent.windows(2).all(|w| w[0] <= w[1]), "never decreases");
    assert!(seen.iter().all(|p| p.total == 2049));
    assert_eq!(seen.last().unwrap().phase, Phase::Done);
    let segments: Vec<u32> = seen
        .iter()
        .filter_map(|p| if let Phase::Appended { segment } = p.phase { Some(segment) } else { None })
        .collect();
    assert_eq!(segments, [0, 1, 2, 3, 4]);
}

#[tokio::test(start_paused = true)]
async fn failed_processing_comes_back_as_x_reported_it() {
    let server = MockServer::start().await;
    mount(&server, processing("pending", 3, 0)).await;
    let failed = json!({"data": {"id": ID, "media_key": KEY, "processing_info": {"state": "failed", "progress_percent": 12,
        "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}}}});
    Mock::given(method("GET")).and(path("/2/media/upload")).respond_with(json_body(failed)).mount(&server).await;
    let error = upload(&client(&server), &media(100), UploadOptions::new(MediaType::VideoMp4)).await.unwrap_err();
    let UploadError::Processing { media_id, state, error: Some(detail) } = &error else { panic!("{error:?}") };
    assert_eq!((media_id.as_str(), state.as_str(), &detail["name"]), (ID, "failed", &json!("InvalidMedia")));
    assert!(error.to_string().contains("Unsupported video format"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn what_x_cannot_take_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    // The upload is a `Send` future: it can be spawned.
    fn spawnable<F: std::future::Future + Send>(future: F) -> F {
        future
    }
    let empty = spawnable(upload(&client, &[], image(1000))).await.unwrap_err();
    assert!(matches!(empty, UploadError::Empty), "{empty:?}");
    let many = upload(&client, &media(10_001), image(1)).await.unwrap_err();
    assert!(matches!(many, UploadError::TooManySegments { segments: 10_001, chunk_size: 1 }), "{many:?}");
    let past = upload(&client, &media(10), image(1000).resume(Resume::new(ID, 3, 5))).await.unwrap_err();
    assert!(matches!(past, UploadError::ResumeOutOfRange { segments: 2, .. }), "{past:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
