//! The generated error tables: problem types on every host spelling, Ads and v1.1 codes, HTTP
//! statuses. Bodies are written for these tests in the formats X documents.

use serde_json::{json, Map, Value};
use std::path::Path;
use xapi::errors::*;

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

const HOSTS: [&str; 3] = ["https://api.twitter.com", "https://api.x.com", "https://api.X.com"];

/// Whether a string is a problem type URI (not prose that mentions one).
fn is_problem_uri(s: &str) -> bool {
    s == "about:blank" || (s.starts_with("https://") && s.contains("/2/problems/") && !s.contains(char::is_whitespace))
}

/// Every string that is a problem type URI in a spec file, found by scanning its JSON
/// (independently of the generator's own extraction).
fn problem_uris(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if is_problem_uri(s) => out.push(s.clone()),
        Value::Object(m) => m.iter().for_each(|(k, v)| {
            if is_problem_uri(k) {
                out.push(k.clone());
            }
            problem_uris(v, out);
        }),
        Value::Array(a) => a.iter().for_each(|v| problem_uris(v, out)),
        _ => {}
    }
}

/// Each spec version in ../shared/spec, by name.
const VERSIONS: [&str; 7] = ["2025-07-15", "2.152", "2.157", "2.159", "2.167", "2.169", "staging"];

#[test]
fn every_problem_type_in_every_spec_version_is_known() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec");
    for version in VERSIONS {
        let path = dir.join(format!("x-openapi-{version}.json"));
        let spec: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let mut uris = Vec::new();
        problem_uris(&spec, &mut uris);
        assert!(uris.len() >= 9, "{version}");
        for uri in uris {
            let p = Problem::from_map(object(json!({"type": uri, "title": "t"})));
            assert!(p.kind().is_some(), "{version}: {uri} is not a known problem type");
        }
    }
}

/// A body for each kind, with every extension field filled with a value of its type.
fn body_for(info: &ProblemInfo, host: &str) -> Value {
    let type_uri =
        if info.slug == "about:blank" { "about:blank".to_owned() } else { format!("{host}/2/problems/{}", info.slug) };
    let mut body = json!({"type": type_uri, "title": info.title, "detail": format!("detail of {}", info.slug), "status": info.status,
                          "an_extra_field": {"kept": [1, 2]}});
    for (name, ty) in info.fields {
        body[*name] = match *ty {
            "string" => json!(format!("{name}-value")),
            "integer" => json!(7),
            "boolean" => json!(true),
            "string[]" => json!(["a", "b"]),
            // An id past 2^53, as X writes account ids: it must come back exactly.
            "id" => json!(1_553_086_854_915_936_257u64),
            _ => json!({"nested": name}),
        };
    }
    body
}

#[test]
fn every_problem_kind_round_trips_on_every_host() {
    assert!(PROBLEMS.len() >= 20);
    for kind in ProblemKind::ALL {
        for host in HOSTS {
            let body = body_for(kind.info(), host);
            let problem: Problem = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(problem.kind(), Some(kind), "{body}");
            assert_eq!(problem.slug().as_deref(), Some(kind.slug()));
            assert_eq!(problem.details().status, Some(kind.info().status));
            assert_eq!(problem.details().extra["an_extra_field"], json!({"kept": [1, 2]}));
            assert_eq!(serde_json::to_value(&problem).unwrap(), body, "every field kept for {}", kind.slug());
        }
    }
}

#[test]
fn typed_fields_are_typed() {
    let p = Problem::from_map(object(json!({
        "type": "https://api.x.com/2/problems/usage-capped", "title": "UsageCapExceeded",
        "detail": "Usage cap exceeded: Monthly product cap", "period": "Monthly", "scope": "Product"})));
    match p {
        Problem::UsageCapped(u) => {
            assert_eq!(u.period.as_deref(), Some("Monthly"));
            assert_eq!(u.scope.as_deref(), Some("Product"));
        }
        other => panic!("{other:?}"),
    }
    // A field with an unexpected JSON type is kept in `extra`, not dropped and not an error.
    let body = json!({"type": "https://api.twitter.com/2/problems/resource-not-found", "title": "Not Found Error",
                      "resource_id": 12345, "resource_type": "user"});
    let p: Problem = serde_json::from_value(body.clone()).unwrap();
    let Problem::ResourceNotFound(r) = &p else { panic!("{p:?}") };
    assert_eq!((r.resource_id.as_deref(), r.resource_type.as_deref()), (None, Some("user")));
    assert_eq!(r.details.extra["resource_id"], 12345);
    assert_eq!(serde_json::to_value(&p).unwrap(), body);
}

#[test]
fn unknown_and_missing_types_are_kept_whole() {
    let body = json!({"type": "https://api.x.com/2/problems/some-new-thing", "title": "Something New", "detail": "d", "status": 418, "x": [1]});
    let p: Problem = serde_json::from_value(body.clone()).unwrap();
    assert!(matches!(p, Problem::Unknown(_)));
    assert_eq!(p.kind(), None);
    assert_eq!(p.slug().as_deref(), Some("some-new-thing"));
    assert_eq!(p.details().type_uri.as_deref(), Some("https://api.x.com/2/problems/some-new-thing"));
    assert_eq!(serde_json::to_value(&p).unwrap(), body);

    let body = json!({"title": "No type at all", "detail": "d", "weird": null});
    let p: Problem = serde_json::from_value(body.clone()).unwrap();
    assert!(matches!(&p, Problem::Unknown(u) if u.details.type_uri.is_none()));
    assert_eq!(p.slug(), None);
    assert_eq!(serde_json::to_value(&p).unwrap(), body);

    // Wrongly typed common fields are kept too.
    let body = json!({"type": 5, "title": ["x"], "status": "four hundred"});
    let p: Problem = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&p).unwrap(), body);
}

#[test]
fn slug_parsing_ignores_host_and_case() {
    assert_eq!(problem_slug("https://api.X.com/2/problems/Usage-Capped").as_deref(), Some("usage-capped"));
    assert_eq!(problem_slug("https://api.twitter.com/2/problems/rule-cap/").as_deref(), Some("rule-cap"));
    assert_eq!(problem_slug("ABOUT:BLANK").as_deref(), Some("about:blank"));
    assert_eq!(problem_slug("https://example.com/problems/x"), None);
    assert_eq!(problem_slug("https://api.x.com/2/problems/"), None);
}

#[derive(serde::Deserialize)]
struct AdsBody {
    errors: Vec<AdsError>,
    request: Value,
}

#[derive(serde::Deserialize)]
struct AdsError {
    code: AdsErrorCode,
    message: String,
    parameter: Option<String>,
}

#[test]
fn all_77_ads_codes_parse_from_the_documented_format() {
    // The seed lists the codes as lines of "STATUS CODE".
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds/001_f55517dbe12f0365.txt"),
    )
    .unwrap();
    let listed: Vec<(u16, &str)> = seed
        .lines()
        .filter_map(|l| {
            let (status, code) = l.trim().split_once(' ')?;
            let ok =
                status.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            Some((status.parse().ok().filter(|_| ok)?, code))
        })
        .collect();
    assert_eq!(listed.len(), 77);
    assert_eq!(AdsErrorCode::ALL.len(), 77);
    for (status, code) in listed {
        let body = json!({"errors": [{"code": code, "message": format!("{code} happened"), "parameter": "account_id"}],
                          "request": {"params": {"account_id": "hkk5", "with_deleted": "true"}}});
        let parsed: AdsBody = serde_json::from_value(body).unwrap();
        let e = &parsed.errors[0];
        assert!(e.code.is_known(), "{code}");
        assert_eq!(e.code.as_str(), code);
        assert_eq!(e.code.http_status(), Some(status), "{code}");
        assert!(e.code.meaning().is_some_and(|m| !m.is_empty()));
        assert_eq!(
            (e.message.as_str(), e.parameter.as_deref()),
            (format!("{code} happened").as_str(), Some("account_id"))
        );
        assert_eq!(parsed.request["params"]["account_id"], "hkk5");
    }
    let unknown: AdsErrorCode = serde_json::from_value(json!("SOMETHING_NEW")).unwrap();
    assert_eq!(unknown, AdsErrorCode::Unknown("SOMETHING_NEW".into()));
    assert_eq!((unknown.http_status(), unknown.retry_class()), (None, None));
    assert_eq!(AdsErrorCode::from_wire("LOCK_ACQUISITION_TIMEOUT").http_status(), Some(423));
    assert_eq!(AdsErrorCode::from_wire("CANCELLED_REQUEST").http_status(), Some(408));
    assert_eq!(AdsErrorCode::from_wire("OVER_CAPACITY").retry_class(), Some(RetryClass::Backoff));
}

#[test]
fn v1_codes() {
    assert!(V1ErrorCode::ALL.len() >= 60);
    for code in [32, 34, 50, 63, 64, 88, 89, 130, 131, 135, 144, 179, 185, 186, 187, 215, 226, 261, 326] {
        assert!(V1ErrorCode::from_code(code).is_known(), "{code}");
    }
    let parsed: Vec<V1ErrorCode> = serde_json::from_value(json!([88, 130, 99999])).unwrap();
    assert_eq!(parsed[0].http_status(), Some(429));
    assert_eq!(parsed[0].retry_class(), Some(RetryClass::After));
    assert_eq!(parsed[1].retry_class(), Some(RetryClass::Backoff));
    assert_eq!(parsed[2], V1ErrorCode::Unknown(99999));
    assert_eq!(serde_json::to_value(parsed).unwrap(), json!([88, 130, 99999]));
}

#[test]
fn http_statuses() {
    for code in
        [200, 201, 204, 304, 400, 401, 403, 404, 406, 408, 409, 410, 420, 422, 423, 429, 500, 501, 502, 503, 504]
    {
        let s = http_status(code).unwrap_or_else(|| panic!("{code}"));
        assert!(!s.meaning.is_empty() && !s.action.is_empty() && !s.families.is_empty());
    }
    assert_eq!(http_status(420).map(|s| s.name), Some("Enhance Your Calm"));
    assert_eq!(http_status(429).map(|s| s.retry), Some(RetryClass::After));
    assert_eq!(http_status(503).map(|s| s.retry), Some(RetryClass::Backoff));
    assert_eq!(http_status(418), None);
}
