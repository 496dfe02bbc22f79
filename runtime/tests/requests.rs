//! Pre-flight validation and encoding from the operations' metadata.

use xapi::meta::{Operation, ValueKind};
use xapi::operations::{find, ALL};
use xapi::types::request::{as_problem, path_and_query, to_http_request, validate, Params, Violation};

/// A value that satisfies a parameter's constraints, from a few candidates.
fn example(op: &Operation, name: &str) -> String {
    let p = op.param(name).unwrap();
    if let Some(v) = p.values.first() {
        return (*v).to_owned();
    }
    let c = &p.item;
    match p.value_kind {
        ValueKind::Integer | ValueKind::Number => {
            return c.minimum.map_or(10.0, |m| m.max(10.0).min(c.maximum.unwrap_or(f64::MAX))).to_string()
        }
        ValueKind::Boolean => return "true".to_owned(),
        _ => {}
    }
    if c.format == Some("date-time") {
        return "2024-02-15T12:00:00Z".to_owned();
    }
    if c.pattern.is_none() {
        return "a".repeat(c.min_length.unwrap_or(1).max(1) as usize);
    }
    let candidates = [
        "1234567890",
        "123456789012345",
        "2024-02-15T12:00:00Z",
        "abc_123",
        "abc",
        "en",
        "a1b2c3d4",
        "3_1460323725123452929",
        "1h",
        "day",
        "AbC123",
        "https://example.com/x",
        "a-b",
        "ABC",
    ];
    for candidate in candidates {
        let mut params = Params::new();
        params.insert(name.to_owned(), vec![candidate.to_owned()]);
        let errors = validate(op, &params).err().unwrap_or_default();
        if !errors.iter().any(|v| v.param == name) {
            return candidate.to_owned();
        }
    }
    panic!("{}: no example for {name} ({:?})", op.id, c.pattern);
}

/// The required parameters, filled with examples (arrays with one item).
fn required(op: &Operation) -> Params {
    op.params.iter().filter(|p| p.required).map(|p| (p.name.to_owned(), vec![example(op, p.name)])).collect()
}

#[test]
fn every_operation_round_trips_an_example() {
    assert_eq!(ALL.len(), 171);
    for op in ALL {
        let mut params = required(op);
        // And every optional one too, to check their examples encode.
        for p in op.params.iter().filter(|p| !p.required) {
            params.insert(p.name.to_owned(), vec![example(op, p.name)]);
        }
        let request =
            to_http_request(op, "https://api.x.com", &params, None).unwrap_or_else(|v| panic!("{}: {v:?}", op.id));
        assert_eq!(request.method().as_str(), op.method.as_str());
        let uri = request.uri().to_string();
        assert!(uri.starts_with("https://api.x.com/2/") && !uri.contains('{'), "{}: {uri}", op.id);
    }
}

fn violations(op: &str, params: &[(&str, &[&str])]) -> Vec<Violation> {
    let op = find(op).unwrap();
    let mut p = required(op);
    for (k, v) in params {
        p.insert((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect());
    }
    validate(op, &p).err().unwrap_or_default()
}

#[test]
fn each_constraint_kind_is_checked_with_its_boundary() {
    // pattern on a path id
    let v = violations("getPostsById", &[("id", &["12ab"])]);
    assert_eq!((v[0].param.as_str(), v[0].rule.as_str(), v[0].value.as_str()), ("id", "pattern ^[0-9]{1,19}$", "12ab"));
    assert!(v[0].pointer.starts_with("#/"), "{}", v[0].pointer);
    assert!(violations("getPostsById", &[("id", &["1234567890123456789"])]).is_empty(), "19 digits is the boundary");
    // enum membership
    let v = violations("getPostsById", &[("post.fields", &["created_at", "not_a_field"])]);
    assert!(v.iter().any(|x| x.rule.starts_with("one of ") && x.value == "not_a_field"), "{v:?}");
    // items count
    let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let v = violations("getPostsByIds", &[("ids", &many)]);
    assert!(v.iter().any(|x| x.param == "ids" && x.rule == "items 1..=100"), "{v:?}");
    assert!(violations("getPostsByIds", &[("ids", &many[..100])]).is_empty(), "exactly maxItems passes");
    // minimum / maximum
    let op = ALL.iter().find(|o| o.param("max_results").is_some_and(|p| p.item.maximum.is_some())).unwrap();
    let p = op.param("max_results").unwrap();
    let max = p.item.maximum.unwrap() as i64;
    let at = violations(op.id, &[("max_results", &[&max.to_string()])]);
    assert!(at.iter().all(|x| x.param != "max_results"), "maximum itself passes: {at:?}");
    let over = violations(op.id, &[("max_results", &[&(max + 1).to_string()])]);
    assert!(over.iter().any(|x| x.param == "max_results" && x.rule.starts_with("maximum")), "{over:?}");
    // date-time format
    let op = ALL.iter().find(|o| o.params.iter().any(|p| p.item.format == Some("date-time"))).unwrap();
    let name = op.params.iter().find(|p| p.item.format == Some("date-time")).unwrap().name;
    assert!(violations(op.id, &[(name, &["yesterday"])]).iter().any(|x| x.rule == "format date-time"));
    assert!(violations(op.id, &[(name, &["2024-02-15T12:00:00Z"])]).iter().all(|x| x.param != name));
    // required and unknown
    let op = find("getPostsByIds").unwrap();
    let v = validate(op, &Params::new()).unwrap_err();
    assert!(v.iter().any(|x| x.param == "ids" && x.rule == "required"));
    let v = violations("getPostsByIds", &[("colour", &["red"])]);
    assert!(v.iter().any(|x| x.param == "colour" && x.rule == "unknown parameter"));
}

#[test]
fn all_violations_at_once_as_a_local_invalid_request() {
    let v = violations("getPostsById", &[("id", &["x"]), ("colour", &["red"])]);
    assert!(v.len() >= 2, "{v:?}");
    let problem = as_problem(&v);
    assert_eq!(problem.kind(), Some(xapi::errors::ProblemKind::InvalidRequest));
    assert_eq!(problem.details().extra["local"], true);
}

#[test]
fn comma_joined_arrays_and_percent_encoding() {
    let op = find("getPostsByIds").unwrap();
    let mut p = Params::new();
    p.insert("ids".into(), vec!["1".into(), "2".into()]);
    let fields = op.params.iter().find(|x| x.name.ends_with(".fields") && x.comma_joined).unwrap();
    p.insert(fields.name.into(), vec![fields.values[0].into(), fields.values[1].into()]);
    let pq = path_and_query(op, &p);
    assert!(pq.starts_with("/2/tweets?"), "{pq}");
    assert!(pq.contains("ids=1,2"), "{pq}");
    assert!(pq.contains(&format!("{}={},{}", fields.name, fields.values[0], fields.values[1])), "{pq}");
    let op = find("getUsersByUsername").unwrap();
    let mut p = Params::new();
    p.insert("username".into(), vec!["a b/c".into()]);
    assert!(path_and_query(op, &p).contains("a%20b%2Fc"));
}
