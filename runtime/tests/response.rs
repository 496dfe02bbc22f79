//! Whole responses: `http::Response` in, data with partial errors or a complete error out.

use http::{Method, Response, StatusCode};
use xapi::errors::Problem;
use xapi::models::{GetPostsByIdsResponse, GetUsersByIdResponse};
use xapi::{ErrorDetails, Kind, ResponseExt};

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
fn a_success_that_does_not_fit_the_type_is_a_decode_error() {
    let response = Response::builder().status(200).body(r#"{"data": {"public_metrics": "oops"}}"#).unwrap();
    let e = response.parse_as::<GetUsersByIdResponse>(&Method::GET).unwrap_err();
    assert!(matches!(&e.details, ErrorDetails::Decode { message } if message.contains("public_metrics")), "{e}");
}

#[test]
fn empty_success_bodies_parse_as_unit() {
    let response = Response::builder().status(204).body(Vec::new()).unwrap();
    let parsed = response.parse_as::<()>(&Method::DELETE).unwrap();
    assert_eq!(parsed.status, StatusCode::NO_CONTENT);
}
