//! Per-endpoint errors: realistic bodies classify to each operation's own variants, and a
//! problem the operation cannot produce lands in `Unhandled`, intact.

use http::{HeaderMap, HeaderValue, StatusCode};
use xapi::operations::*;
use xapi::{parse_for, EndpointError, TooManyRequests};

fn status(s: u16) -> StatusCode {
    StatusCode::from_u16(s).unwrap()
}

#[test]
fn lookup_by_id() {
    let body = br#"{"title":"Not Found Error","type":"https://api.twitter.com/2/problems/resource-not-found","detail":"Could not find post with id: [20].","resource_type":"post","resource_id":"20","parameter":"id","value":"20"}"#;
    match parse_for::<get_posts_by_id::Op>(status(404), &HeaderMap::new(), body) {
        Err(get_posts_by_id::Error::NotFound(e)) => {
            assert_eq!(e.problem.unwrap().resource_id.as_deref(), Some("20"));
            assert_eq!(e.response.body, body);
        }
        other => panic!("{other:?}"),
    }
    // An HTML 404 is still NotFound, without a typed problem.
    match parse_for::<get_posts_by_id::Op>(status(404), &HeaderMap::new(), b"<html>not found</html>") {
        Err(get_posts_by_id::Error::NotFound(e)) => assert!(e.problem.is_none()),
        other => panic!("{other:?}"),
    }
    // Rule problems are not something a post lookup returns: Unhandled, intact.
    let body = br#"{"errors":[{"title":"RulesCapExceeded","type":"https://api.twitter.com/2/problems/rule-cap"}]}"#;
    let mut headers = HeaderMap::new();
    headers.insert("x-transaction-id", HeaderValue::from_static("t-9"));
    let e = parse_for::<get_posts_by_id::Op>(status(400), &headers, body).unwrap_err();
    assert!(e.is_unhandled());
    match e {
        get_posts_by_id::Error::Unhandled(raw) => {
            assert_eq!(
                (raw.status, raw.headers["x-transaction-id"].to_str().unwrap(), raw.body.as_slice()),
                (status(400), "t-9", &body[..])
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A success whose body does not fit is a `Decode` error of the operation: told apart from the
/// errors X sends, never folded into `Unhandled`.
#[test]
fn a_body_that_does_not_fit_is_decode_not_unhandled() {
    let body = br#"{"data": {"id": "20", "public_metrics": {"like_count": "many"}}}"#;
    let e = parse_for::<get_posts_by_id::Op>(status(200), &HeaderMap::new(), body).unwrap_err();
    assert_eq!(e.variant(), "Decode");
    assert!(!e.is_unhandled());
    match e {
        get_posts_by_id::Error::Decode(d) => {
            assert_eq!(d.failure.path, "data.public_metrics.like_count");
            assert_eq!(
                d.failure.pointer.as_deref(),
                Some("#/components/schemas/PostPublicMetrics/properties/like_count")
            );
            assert_eq!(d.response.body, body);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn multi_id_lookup_partial_errors_and_throttling() {
    let body = br#"{"data":[{"id":"1","text":"a"}],"errors":[{"value":"2","detail":"d","title":"Not Found Error","resource_type":"post","parameter":"ids","resource_id":"2","type":"https://api.x.com/2/problems/resource-not-found"}]}"#;
    let ok = parse_for::<get_posts_by_ids::Op>(status(200), &HeaderMap::new(), body).unwrap();
    assert_eq!((ok.data.data.unwrap().len(), ok.partial_errors.len()), (1, 1));

    let mut headers = HeaderMap::new();
    headers.insert("x-rate-limit-remaining", HeaderValue::from_static("0"));
    headers.insert("x-rate-limit-reset", HeaderValue::from_static("1708000000"));
    match parse_for::<get_posts_by_ids::Op>(status(429), &headers, b"") {
        Err(get_posts_by_ids::Error::RateLimited(t)) => {
            assert_eq!(t.kind, TooManyRequests::RateWindow);
            assert_eq!(t.rate_limit.window.and_then(|w| w.reset), Some(1_708_000_000));
        }
        other => panic!("{other:?}"),
    }
    let body = br#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#;
    match parse_for::<get_posts_by_ids::Op>(status(429), &HeaderMap::new(), body) {
        Err(get_posts_by_ids::Error::UsageCapped(e)) => {
            assert_eq!(e.problem.unwrap().period.as_deref(), Some("Monthly"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn filtered_stream_connect() {
    let body = br#"{"title":"ConnectionException","detail":"This stream has no rules.","type":"https://api.twitter.com/2/problems/conflict"}"#;
    let e = parse_for::<stream_posts::Op>(status(409), &HeaderMap::new(), body).unwrap_err();
    assert_eq!(e.variant(), "StreamHasNoRules");
    let body = br#"{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}"#;
    match parse_for::<stream_posts::Op>(status(429), &HeaderMap::new(), body) {
        Err(stream_posts::Error::TooManyConnections(e)) => {
            assert!(matches!(e.response.retry, xapi::RetryAdvice::Reconnect(xapi::Reconnect::RateLimited)));
        }
        other => panic!("{other:?}"),
    }
    // 503 on a stream: reconnect, as a server error.
    let e = parse_for::<stream_posts::Op>(status(503), &HeaderMap::new(), b"").unwrap_err();
    assert_eq!((e.variant(), e.response().retry), ("ServerError", xapi::RetryAdvice::Reconnect(xapi::Reconnect::Http)));
}

#[test]
fn stream_rules_add_and_delete() {
    let body = br#"{"errors":[{"value":"cat has:media","id":"1273026480692322304","title":"DuplicateRule","type":"https://api.twitter.com/2/problems/duplicate-rules"}]}"#;
    match parse_for::<update_rules::Op>(status(400), &HeaderMap::new(), body) {
        Err(update_rules::Error::DuplicateRules(e)) => {
            assert_eq!(e.problem.unwrap().id.as_deref(), Some("1273026480692322304"))
        }
        other => panic!("{other:?}"),
    }
    let body = br#"{"errors":[{"title":"RulesCapExceeded","type":"https://api.twitter.com/2/problems/rule-cap","detail":"You have exceeded the maximum number of rules."}]}"#;
    assert_eq!(parse_for::<update_rules::Op>(status(400), &HeaderMap::new(), body).unwrap_err().variant(), "RuleCap");
    // A user-context problem is not one this app-only endpoint expects... but unsupported
    // authentication is.
    let body = br#"{"title":"Unsupported Authentication","detail":"d","type":"https://api.twitter.com/2/problems/unsupported-authentication","status":403}"#;
    assert_eq!(
        parse_for::<update_rules::Op>(status(403), &HeaderMap::new(), body).unwrap_err().variant(),
        "UnsupportedAuthentication"
    );
}

#[test]
fn dm_send() {
    let body = br#"{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}"#;
    match parse_for::<create_direct_messages_by_participant_id::Op>(status(403), &HeaderMap::new(), body) {
        Err(create_direct_messages_by_participant_id::Error::Forbidden(e)) => {
            assert!(e.scopes.contains(&"dm.write"), "{:?}", e.scopes);
        }
        other => panic!("{other:?}"),
    }
    let body = br#"{"title":"Not Found Error","type":"https://api.x.com/2/problems/resource-not-found","detail":"d","resource_type":"user","resource_id":"9"}"#;
    assert_eq!(
        parse_for::<create_direct_messages_by_participant_id::Op>(status(404), &HeaderMap::new(), body)
            .unwrap_err()
            .variant(),
        "NotFound"
    );
}

#[test]
fn media_upload() {
    let body = br#"{"errors":[{"parameters":{"media_category":["x"]},"message":"bad"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#;
    match parse_for::<media_upload::Op>(status(400), &HeaderMap::new(), body) {
        Err(media_upload::Error::InvalidRequest(e)) => assert!(e.problem.unwrap().errors.is_some()),
        other => panic!("{other:?}"),
    }
    // Media upload has no path parameter: a not-found problem is unexpected.
    let body = br#"{"title":"Not Found Error","type":"https://api.x.com/2/problems/resource-not-found","detail":"d","resource_type":"media","resource_id":"1"}"#;
    let e = parse_for::<media_upload::Op>(status(404), &HeaderMap::new(), body).unwrap_err();
    assert!(e.is_unhandled());
    assert_eq!(e.to_string(), "Unhandled: POST 404 Not Found: resource-not-found (d)");
}

#[test]
fn every_operation_lists_its_errors() {
    for op in xapi::operations::ALL {
        let names: Vec<_> = op.errors.iter().map(|v| v.name).collect();
        for general in ["Unauthorized", "RateLimited", "ServerError"] {
            assert!(names.contains(&general), "{}: {names:?}", op.id);
        }
        assert!(op.errors.iter().all(|v| !v.meaning.is_empty()));
    }
}
