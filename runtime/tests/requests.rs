//! Pre-flight validation and encoding from the operations' metadata and body schemas.
//! (Every operation's round trip is in xapi-types' generated `tests/typed_requests.rs`.)

use serde_json::json;
use xapi::operations::{find, ALL};
use xapi::types::request::{
    as_problem, check_body, path_and_query, to_http_request, validate, validate_body, Body, Multipart, Params,
    Violation,
};

fn violations(op: &str, params: &[(&str, &[&str])]) -> Vec<Violation> {
    let op = find(op).unwrap();
    let mut p = Params::new();
    for (k, v) in params {
        p.insert((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect());
    }
    validate(op, &p).err().unwrap_or_default()
}

/// Values X takes that the spec lost in the post rename (spec/wire.yaml) pass the checks.
#[test]
fn values_the_wire_table_adds_are_accepted() {
    let fields: &[&str] = &["text", "author_id", "in_reply_to_user_id"];
    assert_eq!(violations("getPostsById", &[("id", &["20"]), ("post.fields", fields)]), vec![]);
    let expansions: &[&str] = &["referenced_tweets.id", "referenced_posts.id", "edit_history_tweet_ids"];
    assert_eq!(violations("getPostsById", &[("id", &["20"]), ("expansions", expansions)]), vec![]);
    // Anything else is still refused.
    assert!(!violations("getPostsById", &[("id", &["20"]), ("post.fields", &["tweet_soup"])]).is_empty());
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

/// Violations of a JSON body for an operation, as `(place, rule)`.
fn body_violations(op: &str, body: serde_json::Value) -> Vec<(String, String)> {
    let op = find(op).unwrap();
    check_body(op, Some(&Body::Json(body))).into_iter().map(|v| (v.param, v.rule)).collect()
}

#[test]
fn json_bodies_are_checked_against_their_schema() {
    assert_eq!(body_violations("createPosts", json!({"text": "hi"})), vec![]);
    // pattern, nested, with the pointer of the property that states it
    let op = find("createPosts").unwrap();
    let v = check_body(op, Some(&Body::Json(json!({"text": "hi", "reply": {"in_reply_to_tweet_id": "12x"}}))));
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].param, "body.reply.in_reply_to_tweet_id");
    assert_eq!(v[0].rule, "pattern ^[0-9]{1,19}$");
    assert_eq!(v[0].value, "12x");
    assert!(v[0].pointer.ends_with("/properties/in_reply_to_tweet_id"), "{}", v[0].pointer);
    // unknown property (additionalProperties: false) and a wrong type, both at once
    let v = body_violations("createPosts", json!({"text": 5, "colour": "red"}));
    assert!(v.contains(&("body.colour".into(), "unknown property".into())), "{v:?}");
    assert!(v.contains(&("body.text".into(), "type string".into())), "{v:?}");
    // required property; a missing required body; a body where none is taken
    let v = body_violations("createDirectMessagesByConversationId", json!({}));
    assert!(v.iter().any(|(p, r)| p == "body" && r.starts_with("any of 2 schemas")), "{v:?}");
    assert_eq!(check_body(op, None)[0].rule, "required");
    let get = find("getPostsById").unwrap();
    assert_eq!(check_body(get, Some(&Body::Json(json!({}))))[0].rule, "no body");
}

#[test]
fn body_boundaries_pass_and_one_past_them_fails() {
    // maximum (0..=9999 since 2.169) on a multipart upload's segment index, through the JSON media type
    let ok = body_violations("appendMediaUpload", json!({"media": "AAAA", "segment_index": 9999}));
    assert_eq!(ok, vec![]);
    let over = body_violations("appendMediaUpload", json!({"media": "AAAA", "segment_index": 10000}));
    assert_eq!(over, vec![("body.segment_index".to_owned(), "maximum 9999".to_owned())]);
    let under = body_violations("appendMediaUpload", json!({"media": "AAAA", "segment_index": -1}));
    assert_eq!(under, vec![("body.segment_index".to_owned(), "minimum 0".to_owned())]);
    let missing = body_violations("appendMediaUpload", json!({"media": "AAAA"}));
    assert_eq!(missing, vec![("body.segment_index".to_owned(), "required".to_owned())]);
    // enum membership and integer type
    let v = body_violations("mediaUpload", json!({"media": "AAAA", "media_category": "holiday_photo"}));
    assert!(v.iter().any(|(p, r)| p == "body.media_category" && r.starts_with("one of tweet_image")), "{v:?}");
    let v = body_violations("appendMediaUpload", json!({"media": "AAAA", "segment_index": 1.5}));
    assert_eq!(v, vec![("body.segment_index".to_owned(), "type integer".to_owned())]);
}

#[test]
fn item_counts_and_lengths_in_bodies() {
    // Find a body array with maxItems and a string with maxLength, wherever the spec has them.
    let mut seen_items = false;
    let mut seen_length = false;
    for op in ALL {
        let Some(schema) = op.request_body.iter().find_map(|m| m.schema) else { continue };
        for (name, field) in schema.properties {
            let c = &field.constraints;
            if let (Some(max), false) = (c.max_items, seen_items) {
                let item = json!("1");
                let at = validate_body(field, &json!(vec![item.clone(); max as usize]));
                assert!(at.iter().all(|v| !v.rule.starts_with("items")), "{name}: {at:?}");
                let over = validate_body(field, &json!(vec![item; max as usize + 1]));
                assert!(over.iter().any(|v| v.rule.starts_with("items")), "{name}: {over:?}");
                seen_items = true;
            }
            if let (Some(max), false) = (c.max_length, seen_length) {
                assert!(validate_body(field, &json!("a".repeat(max as usize)))
                    .iter()
                    .all(|v| !v.rule.starts_with("length")));
                let over = validate_body(field, &json!("a".repeat(max as usize + 1)));
                assert!(over.iter().any(|v| v.rule.starts_with("length")), "{name}: {over:?}");
                seen_length = true;
            }
        }
    }
    assert!(seen_items && seen_length, "the spec has both kinds");
}

#[test]
fn multipart_bodies_are_checked_and_encoded() {
    let op = find("appendMediaUpload").unwrap();
    let mut params = Params::new();
    params.insert("id".into(), vec!["1234567890".into()]);
    let form = Multipart::new().text("segment_index", "10000").bytes("media", b"\x00\x01--xapi".to_vec());
    let v = to_http_request(op, "https://api.x.com", &params, Some(&Body::Multipart(form))).unwrap_err();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!((v[0].param.as_str(), v[0].rule.as_str()), ("body.segment_index", "maximum 9999"));

    let form = Multipart::new().text("segment_index", "3").bytes("media", b"\x00\x01".to_vec());
    let request = to_http_request(op, "https://api.x.com", &params, Some(&Body::Multipart(form.clone()))).unwrap();
    let content_type = request.headers()["content-type"].to_str().unwrap().to_owned();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"segment_index\"\r\n\r\n3\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"media\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--{boundary}--\r\n"
    );
    assert_eq!(request.body(), expected.as_bytes());
    assert_eq!(form.encode(), form.encode(), "the same form encodes to the same bytes");
    // The boundary occurs only as a delimiter, even when a part holds boundary-like bytes.
    let (boundary, _) = form.encode();
    let tricky = Multipart::new().bytes("media", format!("--{boundary}\r\n--xapi-").into_bytes());
    let (boundary, bytes) = tricky.encode();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches(&format!("--{boundary}")).count(), 2, "{text}");
    // A JSON-only operation refuses a form.
    let posts = find("createPosts").unwrap();
    let v = check_body(posts, Some(&Body::Multipart(Multipart::new().text("text", "hi"))));
    assert_eq!(v[0].rule, "media type one of application/json");
}
