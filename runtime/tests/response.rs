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
