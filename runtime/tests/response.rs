//! Whole responses: `http::Response` in, data with partial errors or a complete error out.

use http::{Method, Response, StatusCode};
use xapi::errors::Problem;
use xapi::models::{GetPostsByIdsResponse, GetUsersByIdResponse};
use xapi::{ErrorClass, ErrorDetails, Kind, ResponseExt, RetryAdvice};

#[test]
fn success_gives_data_partial_errors_and_rate_limits() {
    let body = r#"{"data":[{"id":"1","text":"hi"}],"errors":[{"type":"https://api.x.com/2/problems/brand-new","title":"t","detail":"d"}]}"#;
    let response =
        Response::builder().status(200).header("x-rate-limit-remaining", "41").body(body.as_bytes().to_vec()).unwrap();
    let parsed = response.parse_as::<GetPostsByIdsResponse>(&Method::GET).unwrap();
    assert_eq!(parsed.data.data.unwrap()[0].text.as_deref(), Some("hi"));
    assert!(matches!(&parsed.partial_errors[..], [Problem::Unknown(_)]));
    assert_eq!(parsed.rate_limit.window.and_then(|w| w.remaining), Some(41));
}

#[test]
fn errors_keep_status_headers_and_body() {
    let body = r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#;
    let response = Response::builder()
        .status(401)
        .header("x-transaction-id", "abc123")
        .header("www-authenticate", "OAuth realm=\"https://api.x.com\"")
        .body(body)
        .unwrap();
    assert_eq!(response.classify(&Method::GET).kind, Kind::Problem);
    let e = response.parse_as::<GetUsersByIdResponse>(&Method::GET).unwrap_err();
    assert_eq!(e.status, StatusCode::UNAUTHORIZED);
    assert_eq!(e.headers["x-transaction-id"], "abc123");
    assert_eq!(e.headers.len(), 2);
    assert_eq!(e.body, body.as_bytes());
    assert_eq!(e.problem().and_then(|p| p.slug()).as_deref(), Some("about:blank"));
    assert_eq!(e.to_string(), "GET 401 Unauthorized: about:blank (Unauthorized)");
}

#[test]
fn a_success_that_does_not_fit_the_type_is_a_decode_error_with_its_path_and_pointer() {
    let body = r#"{"data": {"id": "1", "public_metrics": "oops"}}"#;
    let response = Response::builder().status(200).body(body).unwrap();
    let e = response.parse_as::<GetUsersByIdResponse>(&Method::GET).unwrap_err();
    let ErrorDetails::Decode(failure) = &e.details else { panic!("{e}") };
    assert_eq!(failure.path, "data.public_metrics");
    assert_eq!(failure.pointer.as_deref(), Some("#/components/schemas/User/properties/public_metrics"));
    assert!(failure.message.starts_with("invalid type: string \"oops\""), "{failure}");
    // Not an error X sent: its own class, never retried, the body kept.
    assert_eq!((e.error_class, e.retry), (ErrorClass::Decode, RetryAdvice::Never));
    assert_eq!(e.body, body.as_bytes());
    assert!(e.to_string().contains("data.public_metrics: invalid type"), "{e}");
}

#[test]
fn a_page_bigger_than_the_error_limit_still_decodes() {
    // 1.5 MB of posts: over the 1 MiB that bounds error bodies, under the success limit.
    let post = r#"{"id":"1460323737035677698","text":"padding padding padding padding padding padding","author_id":"2244994945"}"#;
    let posts = vec![post; 1_500_000 / post.len()].join(",");
    let body = format!(r#"{{"data":[{posts}],"meta":{{"result_count":500}}}}"#);
    assert!(body.len() > xapi::DEFAULT_BODY_LIMIT);
    let response = Response::builder().status(200).body(body.clone().into_bytes()).unwrap();
    let parsed = response.parse_as::<GetPostsByIdsResponse>(&Method::GET).unwrap();
    assert_eq!(parsed.data.data.unwrap().len(), 1_500_000 / post.len());
    // An error body that large is not scanned: it is reported as too large, kept whole.
    let response = Response::builder().status(500).body(body.into_bytes()).unwrap();
    let e = response.parse_as::<GetPostsByIdsResponse>(&Method::GET).unwrap_err();
    assert!(matches!(e.details, ErrorDetails::BodyTooLarge { .. }), "{e}");
    // Both limits can be set.
    let options = xapi::Options { success_body_limit: 10, ..xapi::Options::default() };
    let e = xapi::parse::<GetPostsByIdsResponse>(
        &options,
        &Method::GET,
        StatusCode::OK,
        &http::HeaderMap::new(),
        br#"{"data":[]}"#,
    )
    .unwrap_err();
    assert!(matches!(e.details, ErrorDetails::BodyTooLarge { len: 11 }), "{e}");
}

#[test]
fn empty_success_bodies_parse_as_unit() {
    let response = Response::builder().status(204).body(Vec::new()).unwrap();
    let parsed = response.parse_as::<()>(&Method::DELETE).unwrap();
    assert_eq!(parsed.status, StatusCode::NO_CONTENT);
}

#[test]
fn next_token_is_read_from_meta_and_only_there() {
    let parse = |status: u16, body: &str| {
        let response = Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap();
        response.parse_as::<serde_json::Value>(&Method::GET).map(|p| p.next_token)
    };
    assert_eq!(
        parse(200, r#"{"data":[],"meta":{"result_count":0,"next_token":"b26v89c19zqg8o3f"}}"#).unwrap().as_deref(),
        Some("b26v89c19zqg8o3f")
    );
    // As any JSON reader sees it: escaped keys, and the last of duplicates.
    for (body, token) in [
        (r#"{"meta":{"next\u005ftoken":"escaped"}}"#, "escaped"),
        (r#"{"meta":{"next_token":"first"},"meta":{"next_token":"last"}}"#, "last"),
        (r#"{"meta":{"next_token":"a","next_token":"b"}}"#, "b"),
    ] {
        let as_json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(as_json.pointer("/meta/next_token").and_then(|t| t.as_str()), Some(token));
        assert_eq!(parse(200, body).unwrap().as_deref(), Some(token), "{body}");
    }
    for none in [
        r#"{"data":[],"meta":{"result_count":0}}"#,
        r#"{"data":[{"text":"\"next_token\": in the data"}]}"#,
        r#"{"data":[],"meta":{"next_token":7}}"#,
        r#"{"data":[],"meta":{"next_token":""}}"#,
        r#"{"data":[],"meta":"next_token"}"#,
        "",
    ] {
        assert_eq!(parse(200, none).unwrap(), None, "{none}");
    }
    assert!(parse(429, r#"{"title":"Too Many Requests","meta":{"next_token":"x"}}"#).is_err());
}

#[test]
fn next_token_matches_every_recorded_page() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wire-corpus/responses.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut pages = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let (Some(status), Some(body)) = (entry["status"].as_u64(), entry["body"].as_str()) else { continue };
        if !(200..300).contains(&status) {
            continue;
        }
        let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else { continue };
        let want = json.pointer("/meta/next_token").and_then(|t| t.as_str()).filter(|t| !t.is_empty());
        let response = Response::builder().status(status as u16).body(body.as_bytes().to_vec()).unwrap();
        let got = response.parse_as::<serde_json::Value>(&Method::GET).map(|p| p.next_token);
        assert_eq!(got.as_ref().ok().and_then(Option::as_deref), want, "{}", entry["source"]);
        pages += usize::from(want.is_some());
    }
    assert!(pages > 0, "the corpus holds pages with a next_token");
}
