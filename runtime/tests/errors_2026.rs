//! What X sends since pay-per-use (2026): 402 credit problems on either host, suspended users,
//! usage caps with account and product, OAuth 2.0 token errors, 429s without a reset, and
//! zero-byte answers. Bodies written for these tests in the shapes X uses.

use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use xapi::errors::{http_status, OAuthErrorCode, Problem, ProblemKind};
use xapi::operations::*;
use xapi::{classify_with, parse_for, EndpointError, ErrorDetails, Kind, Options, RetryAdvice};

/// An account id past 2^53: a float would change its last digits.
const ACCOUNT: u64 = 1_553_086_854_915_936_257;

fn credits_body() -> String {
    format!(
        r#"{{"account_id": {ACCOUNT}, "title": "CreditsDepleted", "type": "https://api.twitter.com/2/problems/credits",
            "detail": "Account [{ACCOUNT}] has no credits for this request."}}"#
    )
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_707_998_400)
}

fn classify(status: u16, headers: &HeaderMap, body: &str) -> xapi::Outcome<'static> {
    let body: &'static str = Box::leak(body.to_owned().into_boxed_str());
    let options = Options { now: Some(now()), ..Options::default() };
    classify_with(&options, &Method::POST, StatusCode::from_u16(status).unwrap(), headers, body.as_bytes())
}

#[test]
fn credits_problems_are_typed_on_either_host_and_never_retried() {
    let mut headers = HeaderMap::new();
    // The window is fine; the wallet is not.
    headers.insert("x-rate-limit-remaining", HeaderValue::from_static("39984"));
    let o = classify(402, &headers, &credits_body());
    assert_eq!((o.kind, o.problem_kind, o.retry), (Kind::Problem, Some(ProblemKind::Credits), RetryAdvice::Never));
    match &o.problems()[..] {
        [Problem::Credits(p)] => {
            assert_eq!(p.account_id.as_deref(), Some(ACCOUNT.to_string().as_str()), "the id's digits, exactly");
            // The number itself survives, not through f64.
            assert_eq!(Problem::Credits(p.clone()).to_map()["account_id"], json!(ACCOUNT));
        }
        other => panic!("{other:?}"),
    }
    let e = o.to_error(&headers);
    let raw: Value = serde_json::from_slice(&e.body).unwrap();
    assert_eq!(raw["account_id"].as_u64(), Some(ACCOUNT));

    let body = r#"{"title": "Payment Required", "type": "https://api.x.com/2/problems/credits-depleted", "detail": "out of credits", "status": 402}"#;
    let o = classify(402, &HeaderMap::new(), body);
    assert_eq!((o.problem_kind, o.retry), (Some(ProblemKind::CreditsDepleted), RetryAdvice::Never));
    // A bare 402 says the same through its status.
    let o = classify(402, &HeaderMap::new(), "");
    assert_eq!((o.kind, o.retry), (Kind::Http, RetryAdvice::Never));
    assert!(http_status(402).unwrap().action.contains("will not help"));
}

/// Big integers anywhere in an error body survive exactly: typed or not, known type or not.
#[test]
fn big_integers_survive_anywhere_in_an_error_body() {
    let body = format!(
        r#"{{"type": "https://api.x.com/2/problems/brand-new", "title": "t", "owner_id": {ACCOUNT},
            "nested": {{"ids": [{ACCOUNT}, 18446744073709551615]}}}}"#
    );
    let o = classify(400, &HeaderMap::new(), &body);
    let map = o.problems()[0].to_map();
    assert_eq!(map["owner_id"].as_u64(), Some(ACCOUNT));
    assert_eq!(map["nested"]["ids"], json!([ACCOUNT, u64::MAX]));
    let v1 = format!(r#"{{"errors": [{{"code": 88, "message": "m", "id": {ACCOUNT}}}]}}"#);
    let e = classify(429, &HeaderMap::new(), &v1).to_error(&HeaderMap::new());
    assert_eq!(serde_json::from_slice::<Value>(&e.body).unwrap()["errors"][0]["id"].as_u64(), Some(ACCOUNT));
}

#[test]
fn every_operation_answers_402_with_payment_required() {
    let body = credits_body();
    let h = HeaderMap::new();
    let variant = |e: &dyn std::error::Error| e.to_string();
    let lookup = parse_for::<get_posts_by_id::Op>(StatusCode::PAYMENT_REQUIRED, &h, body.as_bytes()).unwrap_err();
    assert_eq!(lookup.variant(), "PaymentRequired", "{}", variant(&lookup));
    let create = parse_for::<create_posts::Op>(StatusCode::PAYMENT_REQUIRED, &h, body.as_bytes()).unwrap_err();
    assert_eq!(create.variant(), "PaymentRequired", "{}", variant(&create));
    let stream = parse_for::<stream_posts::Op>(StatusCode::PAYMENT_REQUIRED, &h, body.as_bytes()).unwrap_err();
    assert_eq!(stream.variant(), "PaymentRequired", "{}", variant(&stream));
    match parse_for::<stream_posts::Op>(StatusCode::PAYMENT_REQUIRED, &h, body.as_bytes()) {
        Err(stream_posts::Error::PaymentRequired(e)) => {
            assert_eq!(e.problem.and_then(|p| p.kind()), Some(ProblemKind::Credits));
            // A stream is not reconnected into a wall of 402s.
            assert_eq!(e.response.retry, RetryAdvice::Never);
        }
        other => panic!("{other:?}"),
    }
    for op in ALL {
        assert!(op.errors.iter().any(|v| v.name == "PaymentRequired"), "{}", op.id);
    }
}

#[test]
fn a_suspended_user_is_its_own_variant_on_user_context_operations() {
    let body = br#"{"detail": "The acting user is suspended", "status": 403, "title": "Forbidden", "type": "https://api.twitter.com/2/problems/user-suspended"}"#;
    let e = parse_for::<create_posts::Op>(StatusCode::FORBIDDEN, &HeaderMap::new(), body).unwrap_err();
    assert_eq!(e.variant(), "UserSuspended");
    assert_eq!(e.response().retry, RetryAdvice::Never);
    for op in ALL.iter().filter(|o| o.accepts_user_context()) {
        assert!(op.errors.iter().any(|v| v.name == "UserSuspended"), "{}", op.id);
    }
}

#[test]
fn pay_per_use_usage_caps_keep_account_and_product() {
    let body = format!(
        r#"{{"account_id": {ACCOUNT}, "product_name": "standard-basic", "title": "UsageCapExceeded", "period": "Monthly",
            "scope": "Product", "detail": "cap reached", "type": "https://api.twitter.com/2/problems/usage-capped"}}"#
    );
    let o = classify(429, &HeaderMap::new(), &body);
    match &o.problems()[..] {
        [Problem::UsageCapped(p)] => {
            assert_eq!(p.account_id.as_deref(), Some(ACCOUNT.to_string().as_str()));
            assert_eq!((p.product_name.as_deref(), p.period.as_deref()), (Some("standard-basic"), Some("Monthly")));
        }
        other => panic!("{other:?}"),
    }
    // Sent as a string, an id is the same digits and is written back as a string.
    let body = r#"{"account_id": "1553086854915936256", "type": "https://api.twitter.com/2/problems/usage-capped"}"#;
    match &classify(429, &HeaderMap::new(), body).problems()[..] {
        [p @ Problem::UsageCapped(u)] => {
            assert_eq!(u.account_id.as_deref(), Some("1553086854915936256"));
            assert_eq!(p.to_map()["account_id"], json!("1553086854915936256"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn oauth_token_errors_are_their_own_kind() {
    let body = r#"{"error": "invalid_request", "error_description": "The token given is not valid.", "errors": [{"code": 1}]}"#;
    let o = classify(400, &HeaderMap::new(), body);
    assert_eq!((o.kind, o.retry), (Kind::OAuth, RetryAdvice::Never));
    let e = o.to_error(&HeaderMap::new());
    match &e.details {
        ErrorDetails::OAuth(err) => {
            assert_eq!(err.code, OAuthErrorCode::InvalidRequest);
            assert_eq!(err.description.as_deref(), Some("The token given is not valid."));
            assert!(err.extra.contains_key("errors"), "everything else is kept");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("invalid_request"), "{e}");
    // A code no table lists is kept; a legacy v1.1 sentence is not a code.
    let o = classify(400, &HeaderMap::new(), r#"{"error": "brand_new_code"}"#);
    assert!(matches!(o.oauth().map(|e| e.code), Some(OAuthErrorCode::Unknown(c)) if c == "brand_new_code"));
    let o =
        classify(401, &HeaderMap::new(), r#"{"request": "/1.1/account.json", "error": "Could not authenticate you."}"#);
    assert_eq!(o.kind, Kind::Legacy);
}

#[test]
fn a_429_without_a_reset_still_says_how_long_to_wait() {
    for body in ["", r#"{"title": "Too Many Requests", "type": "about:blank", "status": 429}"#] {
        let o = classify(429, &HeaderMap::new(), body);
        assert_eq!(o.retry.class(), "after");
        assert_eq!(o.retry.after_secs(now()), Some(xapi::DEFAULT_THROTTLE_WAIT.as_secs()), "{body:?}");
    }
}

#[test]
fn a_zero_byte_answer_without_content_type_is_the_status_speaking() {
    let o = classify(404, &HeaderMap::new(), "");
    assert_eq!((o.kind, o.body_format), (Kind::Http, xapi::BodyFormat::Empty));
    let e = o.to_error(&HeaderMap::new());
    assert!(
        matches!(&e.details, ErrorDetails::Http { format: xapi::BodyFormat::Empty, snippet } if snippet.is_empty())
    );
    assert_eq!(http_status(404).unwrap().name, "Not Found");
    // Where no path names an object, it is the endpoint that is unavailable (X answers
    // GET /2/usage/credits so); where a path does, the object is not found.
    let e = parse_for::<get_usage_credits::Op>(StatusCode::NOT_FOUND, &HeaderMap::new(), b"").unwrap_err();
    assert_eq!(e.variant(), "EndpointUnavailable");
    let e = parse_for::<get_posts_by_id::Op>(StatusCode::NOT_FOUND, &HeaderMap::new(), b"").unwrap_err();
    assert_eq!(e.variant(), "NotFound");
}

/// Every problem type the tables name is one some operation's enum can select.
#[test]
fn every_problem_slug_appears_in_some_endpoint_enum() {
    for kind in ProblemKind::ALL {
        if kind == ProblemKind::AboutBlank {
            continue; // the status decides
        }
        let used = ALL.iter().any(|op| op.errors.iter().any(|v| v.problems.contains(&kind)));
        assert!(used, "no operation's error enum selects `{}`", kind.slug());
    }
}
