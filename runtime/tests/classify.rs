//! Table-driven classification: bodies written for these tests in each format X uses.

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use xapi::errors::{AdsErrorCode, Problem, ProblemKind, V1ErrorCode};
use xapi::{
    classify_with, BodyFormat, ErrorClass, ErrorDetails, Kind, Options, Reconnect, RetryAdvice, TooManyRequests,
};

/// 2024-02-15T12:00:00Z, so instants in the expectations are fixed.
const NOW: u64 = 1_707_998_400;

struct Case {
    name: &'static str,
    method: Method,
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    streaming: bool,
    kind: Kind,
    format: BodyFormat,
    too_many: Option<TooManyRequests>,
    retry: RetryAdvice,
    problem: Option<ProblemKind>,
    errors: usize,
}

fn at(secs: u64) -> Option<SystemTime> {
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

const fn base(name: &'static str, status: u16, body: &'static str) -> Case {
    Case {
        name,
        method: Method::GET,
        status,
        headers: &[],
        body,
        streaming: false,
        kind: Kind::Http,
        format: BodyFormat::Json,
        too_many: None,
        retry: RetryAdvice::Never,
        problem: None,
        errors: 0,
    }
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.append(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    map
}

const WINDOW: &[(&str, &str)] =
    &[("x-rate-limit-limit", "300"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", "1708000000")];

fn cases() -> Vec<Case> {
    vec![
        // --- success, partial errors, rate-limit headers on success
        Case { kind: Kind::Success, retry: RetryAdvice::None, ..base("plain success", 200, r#"{"data":{"id":"1","text":"hi"}}"#) },
        Case { kind: Kind::Success, retry: RetryAdvice::None, headers: WINDOW, ..base("success with window headers", 200, r#"{"data":[]}"#) },
        Case {
            kind: Kind::Success, retry: RetryAdvice::None, errors: 2, problem: Some(ProblemKind::ResourceNotFound),
            ..base("partial errors next to data", 200, r#"{"data":[{"id":"1"}],"errors":[
              {"value":"2","detail":"Could not find post with ids: [2].","title":"Not Found Error","resource_type":"post","parameter":"ids","resource_id":"2","type":"https://api.twitter.com/2/problems/resource-not-found"},
              {"value":"3","detail":"d","title":"t","resource_type":"post","parameter":"ids","resource_id":"3","type":"https://api.x.com/2/problems/some-brand-new-type"}]}"#)
        },
        Case {
            kind: Kind::Success, retry: RetryAdvice::None, errors: 1, problem: Some(ProblemKind::ResourceNotFound),
            ..base("only errors in a 200", 200, r#"{"errors":[{"value":"9","detail":"d","title":"Not Found Error","resource_type":"user","parameter":"id","resource_id":"9","type":"https://api.x.com/2/problems/resource-not-found"}]}"#)
        },
        Case { kind: Kind::Success, retry: RetryAdvice::None, format: BodyFormat::Empty, ..base("204 no content", 204, "") },
        Case { kind: Kind::Success, retry: RetryAdvice::None, ..base("201 created", 201, r#"{"data":{"id":"5","text":"new"}}"#) },
        // --- v2 problems
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::InvalidRequest), errors: 2,
            ..base("invalid request with details", 400, r#"{"errors":[{"parameters":{"ids":["x"]},"message":"The `ids` query parameter value [x] is not valid"}],
              "title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::UnsupportedAuthentication), errors: 1,
            ..base("unsupported authentication", 403, r#"{"title":"Unsupported Authentication","detail":"Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].","type":"https://api.twitter.com/2/problems/unsupported-authentication","status":403}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::ClientForbidden), errors: 1,
            ..base("client forbidden", 403, r#"{"client_id":"123","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.","registration_url":"https://developer.x.com/","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::ResourceNotFound), errors: 1,
            ..base("problem on api.X.com", 404, r#"{"type":"https://api.X.com/2/problems/resource-not-found","title":"Not Found Error","detail":"d","resource_type":"post","resource_id":"1"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::NotAuthorizedForResource), errors: 1,
            ..base("problem in errors array", 403, r#"{"errors":[{"type":"https://api.x.com/2/problems/not-authorized-for-resource","title":"Authorization Error","detail":"Sorry, you are not authorized to see the Post with id: [1].","resource_type":"post","resource_id":"1","parameter":"id","value":"1","section":"data"}]}"#)
        },
        Case {
            kind: Kind::Problem, problem: None, errors: 1,
            ..base("unknown problem type", 400, r#"{"type":"https://api.x.com/2/problems/some-new-thing","title":"New","detail":"d"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::AboutBlank), errors: 1,
            ..base("about:blank", 401, r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::DuplicateRules), errors: 1,
            ..base("duplicate rule", 400, r#"{"errors":[{"value":"cat has:media","id":"1273026480692322304","title":"DuplicateRule","type":"https://api.twitter.com/2/problems/duplicate-rules"}]}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::RuleCap), errors: 1,
            ..base("rule cap", 400, r#"{"errors":[{"title":"RulesCapExceeded","type":"https://api.twitter.com/2/problems/rule-cap","detail":"You have exceeded the maximum number of rules."}]}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::Conflict), errors: 1,
            ..base("filtered stream without rules", 409, r#"{"title":"ConnectionException","detail":"This stream has no rules.","type":"https://api.twitter.com/2/problems/conflict"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::InternalError), errors: 1, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("internal error problem", 500, r#"{"type":"https://api.x.com/2/problems/internal-error","title":"Internal Error","detail":"d"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::InvalidRequest), errors: 1,
            ..base("escaped slashes in the type", 400, r#"{"type":"https:\/\/api.twitter.com\/2\/problems\/invalid-request","title":"Invalid Request"}"#)
        },
        // --- 429s
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::UsageCapped), errors: 1, too_many: Some(TooManyRequests::UsageCap),
            retry: RetryAdvice::After(at(1_709_251_200)), // 2024-03-01
            ..base("usage cap, monthly", 429, r#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::AboutBlank), errors: 1,
            too_many: Some(TooManyRequests::RateWindow), headers: WINDOW, retry: RetryAdvice::After(at(1_708_000_000)),
            ..base("request window", 429, r#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#)
        },
        Case {
            kind: Kind::Http, too_many: Some(TooManyRequests::User24h), format: BodyFormat::Text,
            headers: &[("x-rate-limit-remaining", "5"), ("x-user-limit-24hour-limit", "17"), ("x-user-limit-24hour-remaining", "0"), ("x-user-limit-24hour-reset", "1708050000")],
            retry: RetryAdvice::After(at(1_708_050_000)),
            ..base("user 24h limit", 429, "Too Many Requests")
        },
        Case {
            kind: Kind::Http, too_many: Some(TooManyRequests::App24h), format: BodyFormat::Empty,
            headers: &[("x-app-limit-24hour-limit", "1667"), ("x-app-limit-24hour-remaining", "0"), ("x-app-limit-24hour-reset", "1708060000")],
            retry: RetryAdvice::After(at(1_708_060_000)),
            ..base("app 24h limit", 429, "")
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::StreamingConnection), errors: 1, too_many: Some(TooManyRequests::Connections), streaming: true,
            retry: RetryAdvice::Reconnect(Reconnect::RateLimited),
            ..base("too many stream connections", 429, r#"{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}"#)
        },
        Case {
            kind: Kind::Http, too_many: Some(TooManyRequests::Unknown), format: BodyFormat::Empty,
            ..base("bare 429", 429, "").default_wait()
        },
        Case {
            kind: Kind::Http, too_many: Some(TooManyRequests::Unknown), format: BodyFormat::Empty, headers: &[("retry-after", "120")],
            retry: RetryAdvice::After(at(NOW + 120)),
            ..base("429 with retry-after seconds", 429, "")
        },
        Case {
            kind: Kind::Http, too_many: Some(TooManyRequests::Unknown), format: BodyFormat::Empty, headers: &[("retry-after", "Thu, 15 Feb 2024 12:05:00 GMT")],
            retry: RetryAdvice::After(at(NOW + 300)),
            ..base("429 with retry-after date", 429, "")
        },
        Case {
            kind: Kind::V1, errors: 1, too_many: Some(TooManyRequests::RateWindow), headers: WINDOW, retry: RetryAdvice::After(at(1_708_000_000)),
            ..base("v1.1 rate limit code 88", 429, r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#)
        },
        // --- v1.1
        Case { kind: Kind::V1, errors: 1, ..base("v1.1 bad auth", 401, r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#) },
        Case { kind: Kind::V1, errors: 2, ..base("v1.1 several codes", 403, r#"{"errors":[{"code":187,"message":"Status is a duplicate."},{"code":186,"message":"Tweet needs to be a bit shorter."}]}"#) },
        Case {
            kind: Kind::V1, errors: 1, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("v1.1 over capacity", 503, r#"{"errors":[{"code":130,"message":"Over capacity"}]}"#)
        },
        Case {
            kind: Kind::V1, errors: 1, method: Method::POST,
            ..base("v1.1 internal error on a POST is not retried", 500, r#"{"errors":[{"code":131,"message":"Internal error"}]}"#)
        },
        // --- Ads
        Case {
            kind: Kind::Ads, errors: 1,
            ..base("ads invalid parameter", 400, r#"{"errors":[{"parameter":"start_time","details":"invalid date","code":"INVALID_PARAMETER","value":"","message":"Expected time, got \"\" for start_time"}],"request":{"params":{"account_id":"hkk5"}}}"#)
        },
        Case {
            kind: Kind::Ads, errors: 1, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("ads lock timeout", 423, r#"{"errors":[{"code":"LOCK_ACQUISITION_TIMEOUT","message":"Could not acquire lock"}],"request":{"params":{}}}"#)
        },
        Case {
            kind: Kind::Ads, errors: 1, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("ads over capacity", 503, r#"{"errors":[{"code":"OVER_CAPACITY","message":"Over capacity"}],"request":{"params":{"account_id":"a"}}}"#)
        },
        Case {
            kind: Kind::Ads, errors: 1, too_many: Some(TooManyRequests::RateWindow), retry: RetryAdvice::After(at(NOW + 60)),
            ..base("ads too many requests", 429, r#"{"errors":[{"code":"TOO_MANY_REQUESTS","message":"Rate limit exceeded"}],"request":{"params":{}}}"#)
        },
        Case { kind: Kind::Ads, errors: 1, ..base("ads unknown code", 400, r#"{"errors":[{"code":"SOMETHING_NEW","message":"?"}],"request":{"params":{}}}"#) },
        // --- legacy
        Case { kind: Kind::Legacy, ..base("legacy not authorized", 401, r#"{"request":"/1.1/statuses/user_timeline.json","error":"Not authorized."}"#) },
        // --- OAuth 2.0 token endpoint (RFC 6749 §5.2)
        Case { kind: Kind::OAuth, ..base("oauth bad refresh token", 400, r#"{"error":"invalid_request","error_description":"The refresh token passed does not look right."}"#) },
        Case { kind: Kind::OAuth, ..base("oauth client without basic auth", 401, r#"{"error":"unauthorized_client","error_description":"Basic authorization is missing"}"#) },
        Case { kind: Kind::OAuth, ..base("oauth code only", 400, r#"{"error":"invalid_grant"}"#) },
        Case {
            kind: Kind::OAuth, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("oauth server busy", 503, r#"{"error":"temporarily_unavailable","error_description":"try later"}"#)
        },
        // --- pay-per-use (2026)
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::Credits), errors: 1, headers: &[("x-rate-limit-remaining", "3999")],
            ..base("credits spent, old host", 402, r#"{"account_id": 2036532529868496897, "title": "CreditsDepleted", "detail": "No credits left on account [2036532529868496897].", "type": "https://api.twitter.com/2/problems/credits"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::CreditsDepleted), errors: 1,
            ..base("credits depleted, new host", 402, r#"{"title": "Payment Required", "type": "https://api.x.com/2/problems/credits-depleted", "detail": "no credits", "status": 402}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::UserSuspended), errors: 1,
            ..base("user suspended", 403, r#"{"detail": "The acting user is suspended", "status": 403, "title": "Forbidden", "type": "https://api.twitter.com/2/problems/user-suspended"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::UsageCapped), errors: 1, too_many: Some(TooManyRequests::UsageCap),
            // No reset header, period Monthly: the first of next month, 2024-03-01.
            headers: &[("x-rate-limit-limit", "40000"), ("x-rate-limit-remaining", "39990")],
            retry: RetryAdvice::After(at(1_709_251_200)),
            ..base("pay-per-use usage cap without reset", 429, r#"{"account_id": "1553086854915936256", "product_name": "standard-basic", "title": "UsageCapExceeded", "period": "Monthly", "scope": "Product", "detail": "cap reached", "type": "https://api.twitter.com/2/problems/usage-capped"}"#)
        },
        Case {
            kind: Kind::Problem, problem: Some(ProblemKind::UsageCapped), errors: 1, too_many: Some(TooManyRequests::UsageCap),
            // Neither a reset nor a period: the next UTC day, 2024-02-16.
            retry: RetryAdvice::After(at(1_708_041_600)),
            ..base("usage cap without period or reset", 429, r#"{"title": "UsageCapExceeded", "type": "https://api.twitter.com/2/problems/usage-capped"}"#)
        },
        Case {
            kind: Kind::Http, format: BodyFormat::Empty,
            ..base("unavailable endpoint: zero bytes, no content type", 404, "")
        },
        // --- not JSON
        Case {
            kind: Kind::Http, format: BodyFormat::Html, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF), headers: &[("content-type", "text/html; charset=utf-8")],
            ..base("html 503", 503, "<!DOCTYPE html><html><head><title>Over capacity</title></head><body><h1>Something is technically wrong.</h1></body></html>")
        },
        Case { kind: Kind::Http, format: BodyFormat::Html, ..base("html 404", 404, "\n  <html><body>Page not found</body></html>") },
        Case {
            kind: Kind::Http, format: BodyFormat::Text, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("420 enhance your calm", 420, "Enhance Your Calm")
        },
        Case {
            kind: Kind::Http, format: BodyFormat::Text, streaming: true, retry: RetryAdvice::Reconnect(Reconnect::RateLimited),
            ..base("420 on a stream", 420, "Enhance Your Calm")
        },
        Case {
            kind: Kind::Http, format: BodyFormat::Empty, streaming: true, retry: RetryAdvice::Reconnect(Reconnect::Http),
            ..base("503 on a stream", 503, "")
        },
        Case { kind: Kind::Http, format: BodyFormat::Empty, ..base("empty 401", 401, "") },
        Case {
            kind: Kind::Http, format: BodyFormat::Empty, retry: RetryAdvice::Backoff(xapi::INITIAL_BACKOFF),
            ..base("empty 502", 502, "   \r\n")
        },
        Case { kind: Kind::Http, format: BodyFormat::Text, ..base("truncated JSON", 400, r#"{"errors":[{"code":"#) },
        Case { kind: Kind::Http, ..base("JSON array body", 400, r#"[1,2,3]"#) },
        Case { kind: Kind::Http, ..base("JSON with nothing known", 403, r#"{"message":"Forbidden"}"#) },
        Case { kind: Kind::Http, format: BodyFormat::Text, ..base("binary garbage", 400, "\u{1}\u{2}binary\u{0}") },
        Case {
            kind: Kind::Http, format: BodyFormat::Empty, method: Method::POST,
            ..base("503 on a POST without retry-after is not retried", 503, "")
        },
        Case {
            kind: Kind::Http, format: BodyFormat::Empty, method: Method::POST, headers: &[("retry-after", "30")],
            retry: RetryAdvice::After(at(NOW + 30)),
            ..base("503 on a POST with retry-after", 503, "")
        },
        // --- stream disconnect in a body
        Case {
            kind: Kind::Success, problem: Some(ProblemKind::OperationalDisconnect), errors: 1, streaming: true,
            retry: RetryAdvice::Reconnect(Reconnect::Network),
            ..base("operational disconnect", 200, r#"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}"#)
        },
    ]
}

impl Case {
    /// A 429 that names no reset still waits: [`xapi::DEFAULT_THROTTLE_WAIT`].
    fn default_wait(self) -> Self {
        Case { retry: RetryAdvice::After(at(NOW + xapi::DEFAULT_THROTTLE_WAIT.as_secs())), ..self }
    }
}

#[test]
fn table() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut names = std::collections::BTreeSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "duplicate case name {}", c.name);
        let options = Options { streaming: c.streaming, now: at(NOW), ..Options::default() };
        let h = headers(c.headers);
        let status = StatusCode::from_u16(c.status).unwrap();
        let o = classify_with(&options, &c.method, status, &h, c.body.as_bytes());
        let got = (o.kind, o.body_format, o.too_many_requests, o.retry, o.problem_kind, o.error_count);
        let want = (c.kind, c.format, c.too_many, c.retry, c.problem, c.errors);
        assert_eq!(got, want, "case `{}`", c.name);
        // Every error turns into an owned error that keeps headers and body whole.
        let e = o.to_error(&h);
        assert_eq!((e.status, &e.headers, e.body.as_slice()), (status, &h, c.body.as_bytes()), "case `{}`", c.name);
        assert!(!e.to_string().is_empty());
    }
}

fn outcome<'a>(status: u16, hdrs: &[(&str, &str)], body: &'a str) -> (xapi::Outcome<'a>, HeaderMap) {
    let h = headers(hdrs);
    let o = classify_with(
        &Options { now: at(NOW), ..Options::default() },
        &Method::GET,
        StatusCode::from_u16(status).unwrap(),
        &h,
        body.as_bytes(),
    );
    (o, h)
}

#[test]
fn typed_details() {
    let (o, h) = outcome(
        403,
        &[],
        r#"{"errors":[{"code":187,"message":"Status is a duplicate."},{"code":9999,"message":"new"}]}"#,
    );
    let errors = o.v1_errors();
    assert_eq!(
        errors.iter().map(|e| e.code).collect::<Vec<_>>(),
        [V1ErrorCode::from_code(187), V1ErrorCode::Unknown(9999)]
    );
    assert!(matches!(o.to_error(&h).details, ErrorDetails::V1(v) if v.len() == 2));

    let (o, _) = outcome(
        400,
        &[],
        r#"{"errors":[{"parameter":"start_time","details":"invalid date","code":"INVALID_PARAMETER","value":"","message":"m"}],"request":{"params":{"account_id":"hkk5"}}}"#,
    );
    let (errors, request) = o.ads_errors();
    assert_eq!(errors[0].code, AdsErrorCode::from_wire("INVALID_PARAMETER"));
    assert_eq!(errors[0].parameter.as_deref(), Some("start_time"));
    assert_eq!(errors[0].extra["details"], "invalid date");
    assert_eq!(request.unwrap()["params"]["account_id"], "hkk5");

    let (o, _) = outcome(401, &[], r#"{"request":"/1.1/statuses/user_timeline.json","error":"Not authorized."}"#);
    let legacy = o.legacy().unwrap();
    assert_eq!(
        (legacy.request.as_deref(), legacy.error.as_str()),
        (Some("/1.1/statuses/user_timeline.json"), "Not authorized.")
    );

    let (o, _) = outcome(
        429,
        &[],
        r#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#,
    );
    match &o.problems()[..] {
        [Problem::UsageCapped(u)] => {
            assert_eq!((u.period.as_deref(), u.scope.as_deref()), (Some("Monthly"), Some("Product")))
        }
        other => panic!("{other:?}"),
    }

    // Partial errors: an unknown type is kept, not an error.
    let (o, _) = outcome(
        200,
        &[],
        r#"{"data":[{"id":"1"}],"errors":[{"type":"https://api.x.com/2/problems/brand-new","title":"t","x":1}]}"#,
    );
    let partial = o.partial_errors();
    assert!(matches!(&partial[..], [Problem::Unknown(u)] if u.details.extra["x"] == 1));
}

#[test]
fn rate_limits_on_success_and_snippets() {
    let (o, _) = outcome(
        200,
        &[
            ("x-rate-limit-limit", "900"),
            ("x-rate-limit-remaining", "899"),
            ("x-rate-limit-reset", "1708000000"),
            ("x-app-limit-24hour-limit", "10000"),
            ("x-app-limit-24hour-remaining", "9999"),
        ],
        r#"{"data":{}}"#,
    );
    let w = o.rate_limit.window.unwrap();
    assert_eq!((w.limit, w.remaining, w.reset), (Some(900), Some(899), Some(1_708_000_000)));
    assert_eq!(o.rate_limit.app_24h.unwrap().remaining, Some(9999));
    assert_eq!(o.rate_limit.user_24h, None);

    let long = format!("<html>{}</html>", "x".repeat(10_000));
    let (o, h) = outcome(503, &[], &long);
    assert!(o.snippet().len() <= xapi::SNIPPET_BYTES);
    match o.to_error(&h).details {
        ErrorDetails::Http { format: BodyFormat::Html, snippet } => assert!(snippet.len() <= xapi::SNIPPET_BYTES),
        other => panic!("{other:?}"),
    }
    // Multi-byte text is cut at a character boundary.
    let text = "é".repeat(300);
    let (o, _) = outcome(500, &[], &text);
    assert!(o.snippet().chars().all(|c| c == 'é'));
}

#[test]
fn oversized_bodies_are_not_read() {
    let body = format!(r#"{{"errors":[{{"code":88,"message":"{}"}}]}}"#, "x".repeat(2048));
    let options = Options { body_limit: 1024, ..Options::default() };
    let h = HeaderMap::new();
    let o = classify_with(&options, &Method::GET, StatusCode::BAD_REQUEST, &h, body.as_bytes());
    assert!(o.body_too_large);
    assert_eq!(o.kind, Kind::Http);
    assert!(matches!(o.to_error(&h).details, ErrorDetails::BodyTooLarge { len } if len == body.len()));
}

#[test]
fn error_class_is_separate_from_retry() {
    let (o, _) = outcome(503, &[], "");
    assert_eq!((o.error_class, o.retry.class()), (ErrorClass::Server, "backoff"));
    let h = HeaderMap::new();
    let o = classify_with(&Options::default(), &Method::POST, StatusCode::SERVICE_UNAVAILABLE, &h, b"");
    assert_eq!((o.error_class, o.retry), (ErrorClass::Server, RetryAdvice::Never));
    let (o, _) = outcome(429, &[], "");
    assert_eq!(o.error_class, ErrorClass::Throttling);
    let (o, _) = outcome(404, &[], "");
    assert_eq!(o.error_class, ErrorClass::Client);
}

#[test]
fn reconnect_backoff_follows_x() {
    assert_eq!(Reconnect::Network.delay(0), Duration::from_millis(250));
    assert_eq!(Reconnect::Network.delay(3), Duration::from_millis(1000));
    assert_eq!(Reconnect::Network.delay(1000), Duration::from_secs(16));
    assert_eq!(Reconnect::Http.delay(0), Duration::from_secs(5));
    assert_eq!(Reconnect::Http.delay(2), Duration::from_secs(20));
    assert_eq!(Reconnect::Http.delay(100), Duration::from_secs(320));
    assert_eq!(Reconnect::RateLimited.delay(0), Duration::from_secs(60));
    assert_eq!(Reconnect::RateLimited.delay(1), Duration::from_secs(120));
}

#[test]
fn a_server_error_is_retried_where_the_operation_says_sending_again_is_safe() {
    let h = HeaderMap::new();
    let advice = |options: &Options, method: &Method| {
        classify_with(options, method, StatusCode::SERVICE_UNAVAILABLE, &h, b"").retry.class()
    };
    // Marked idempotent by the endpoint rules: a POST that backs off like a GET.
    let append = xapi::operations::append_media_upload::OPERATION;
    assert_eq!((append.method, append.idempotent), (xapi::meta::Method::Post, true));
    assert_eq!(advice(&xapi::options_for(&append), &Method::POST), "backoff");
    // Any other POST is not sent again.
    let create = xapi::operations::create_posts::OPERATION;
    assert!(!create.idempotent);
    assert_eq!(advice(&xapi::options_for(&create), &Method::POST), "never");
    // An operation can also say no for a method that would be retried.
    assert_eq!(advice(&Options { idempotent: Some(false), ..Options::default() }, &Method::GET), "never");
    assert_eq!(advice(&Options::default(), &Method::GET), "backoff");
}
