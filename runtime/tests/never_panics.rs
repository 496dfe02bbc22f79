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
