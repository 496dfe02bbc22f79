//! Property tests: no status, header or byte sequence makes classification panic.

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use proptest::prelude::*;

/// Bodies that look like what X sends, mutated, plus raw bytes.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let templates = prop::sample::select(vec![
        r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
        r#"{"type":"https://api.x.com/2/problems/usage-capped","title":"t","period":"Monthly"}"#,
        r#"{"errors":[{"code":"INVALID_PARAMETER","message":"m"}],"request":{"params":{}}}"#,
        r#"{"request":"/1.1/x.json","error":"Not authorized."}"#,
        r#"{"data":[{"id":"1"}],"errors":[{"type":"https://api.twitter.com/2/problems/resource-not-found"}]}"#,
        "<html><body>503</body></html>",
        "Enhance Your Calm",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        (templates.clone(), any::<usize>(), prop::collection::vec(any::<u8>(), 0..8)).prop_map(|(t, at, bytes)| {
            let mut b = t.as_bytes().to_vec();
            let at = at % (b.len() + 1);
            b.splice(at..at, bytes);
            b
        }),
        (templates, any::<usize>()).prop_map(|(t, cut)| t.as_bytes()[..cut % (t.len() + 1)].to_vec()),
    ]
}

fn header_maps() -> impl Strategy<Value = HeaderMap> {
    let names = prop::sample::select(vec![
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
        "x-user-limit-24hour-remaining",
        "x-user-limit-24hour-reset",
        "x-app-limit-24hour-remaining",
        "retry-after",
        "content-type",
    ]);
    prop::collection::vec((names, prop::collection::vec(any::<u8>(), 0..24)), 0..6).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_bytes(&value) {
                map.append(HeaderName::from_static(name), v);
            }
        }
        map
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn classify_is_total(status in 100u16..=999, streaming in any::<bool>(), post in any::<bool>(), headers in header_maps(), body in bodies()) {
        let status = StatusCode::from_u16(status).unwrap();
        let method = if post { Method::POST } else { Method::GET };
        let options = xapi::Options { streaming, body_limit: 256, ..xapi::Options::default() };
        let o = xapi::classify_with(&options, &method, status, &headers, &body);
        let e = o.to_error(&headers);
        prop_assert_eq!(&e.body, &body);
        let _ = (o.problems(), o.v1_errors(), o.ads_errors(), o.legacy(), o.snippet(), e.to_string());
        let _ = xapi::stream::classify_line(&body);
    }
}

/// Any JSON, with the keys and values request bodies use most often mixed in.
fn json_values() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let keys = prop::sample::select(vec!["text", "media", "reply", "poll", "segment_index", "ids", "", "é\u{0}"]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        "[0-9]{1,25}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 20, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every body schema takes any JSON (and any multipart text) without panicking, and every
    /// violation says where it is and which rule of the spec it breaks.
    #[test]
    fn body_checks_are_total(body in json_values(), text in ".{0,24}", bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        use xapi::request::{check_body, validate, Body, Multipart, Params};
        for op in xapi::operations::ALL {
            let form = Multipart::new().text("segment_index", text.clone()).text("media_category", text.clone()).bytes("media", bytes.clone());
            for body in [Body::Json(body.clone()), Body::Multipart(form)] {
                for v in check_body(op, Some(&body)) {
                    prop_assert!(v.param.starts_with("body") && v.pointer.starts_with('#') && !v.rule.is_empty(), "{:?}", v);
                }
            }
            let params: Params = op.params.iter().map(|p| (p.name.to_owned(), vec![text.clone()])).collect();
            let _ = validate(op, &params);
        }
    }
}
