//! `xapi explain` and `xapi request`: the JSON contract tools read, and clear failures on bad
//! input.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn explain(args: &[&str], body: &str) -> (i32, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xapi"))
        .arg("explain")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn json_has_every_key() {
    let (code, j, _) = explain(
        &[
            "--status",
            "429",
            "--json",
            "--header",
            "x-rate-limit-remaining: 0",
            "--header",
            "x-rate-limit-reset: 4000000000",
        ],
        r#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#,
    );
    assert_eq!(code, 0);
    for key in [
        "kind",
        "status",
        "problems",
        "codes",
        "body_format",
        "too_many_requests",
        "rate_limit",
        "retry",
        "partial_errors",
    ] {
        assert!(j.get(key).is_some(), "missing {key}: {j}");
    }
    assert_eq!(
        (j["kind"].as_str(), j["status"].as_u64(), j["body_format"].as_str()),
        (Some("problem"), Some(429), Some("json"))
    );
    assert_eq!(j["too_many_requests"], "usage_cap");
    assert_eq!(j["problems"][0]["slug"], "usage-capped");
    assert_eq!(j["problems"][0]["fields"]["period"], "Monthly");
    assert_eq!(j["retry"]["class"], "after");
    assert!(j["retry"]["after_secs"].as_u64().is_some());
    assert_eq!(j["rate_limit"]["window"]["remaining"], 0);
}

#[test]
fn every_format() {
    let cases = [
        ("401", r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#, "v1", "json"),
        ("400", r#"{"errors":[{"code":"INVALID_PARAMETER","message":"m"}],"request":{"params":{}}}"#, "ads", "json"),
        ("401", r#"{"request":"/1.1/x.json","error":"Not authorized."}"#, "legacy", "json"),
        ("503", "<html><body>Over capacity</body></html>", "http", "html"),
        ("420", "Enhance Your Calm", "http", "text"),
        ("502", "", "http", "empty"),
        (
            "200",
            r#"{"data":[],"errors":[{"type":"https://api.x.com/2/problems/resource-not-found","title":"t"}]}"#,
            "success",
            "json",
        ),
    ];
    for (status, body, kind, format) in cases {
        let (code, j, err) = explain(&["--status", status, "--json"], body);
        assert_eq!(code, 0, "{err}");
        assert_eq!((j["kind"].as_str(), j["body_format"].as_str()), (Some(kind), Some(format)), "{body}");
    }
    let (_, j, _) =
        explain(&["--status", "401", "--json"], r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#);
    assert_eq!(j["codes"][0]["code"], 32);
    let (_, j, _) = explain(
        &["--status", "200", "--json"],
        r#"{"data":[],"errors":[{"type":"https://api.x.com/2/problems/resource-not-found","title":"t"}]}"#,
    );
    assert_eq!(j["partial_errors"][0]["slug"], "resource-not-found");
    assert_eq!(j["retry"]["class"], "never");
}

#[test]
fn streaming_operation_changes_the_advice() {
    let (_, j, _) = explain(&["--status", "503", "--json", "--op", "streamPostsSample"], "");
    assert_eq!(j["retry"]["class"], "reconnect");
    let (code, _, err) = explain(&["--status", "503", "--op", "noSuchOperation"], "");
    assert_eq!(code, 2);
    assert!(err.contains("noSuchOperation"), "{err}");
}

#[test]
fn text_output_says_what_to_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_xapi"))
        .arg("explain")
        .args(["--status", "404", "--body-file"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/not_found.json"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.starts_with("404 Not Found"), "{text}");
    assert!(
        text.contains("(problem resource-not-found)")
            && text.contains("What it means:")
            && text.contains("What to do:")
            && text.contains("When to retry: never"),
        "{text}"
    );
}

fn text(args: &[&str], body: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xapi"))
        .arg("explain")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// An invalid request lists each parameter X names, with its message and (given the
/// operation) the rule of the spec the value breaks.
#[test]
fn an_invalid_request_names_each_parameter_and_the_rule_it_broke() {
    let body = r#"{"errors":[{"parameters":{"id":["12ab"]},"message":"The `id` value [12ab] is not a number"},
                            {"parameters":{"colour":["red"]},"message":"The query parameter [colour] is not accepted"}],
                  "title":"Invalid Request","detail":"Some parameters were invalid.","type":"https://api.x.com/2/problems/invalid-request"}"#;
    let out = text(&["--status", "400", "--op", "getPostsById"], body);
    assert!(out.contains("Parameters X named:"), "{out}");
    assert!(out.contains(r#"`id` = "12ab": The `id` value [12ab] is not a number"#), "{out}");
    assert!(out.contains("the spec: pattern ^[0-9]{1,19}$"), "{out}");
    assert!(out.contains("getPostsById takes no `colour`"), "{out}");
    // Without the operation the parameters are still listed.
    let out = text(&["--status", "400"], body);
    assert!(out.contains("`colour` = \"red\"") && !out.contains("the spec:"), "{out}");
}

#[test]
fn text_reads_like_a_person_explaining() {
    // 402: the credits are spent and retrying does not help.
    let out = text(
        &["--status", "402", "--header", "x-rate-limit-remaining: 120", "--header", "x-rate-limit-limit: 300"],
        r#"{"account_id": 1553086854915936257, "title": "CreditsDepleted", "type": "https://api.twitter.com/2/problems/credits", "detail": "No credits."}"#,
    );
    assert!(out.starts_with("402 Payment Required"), "{out}");
    assert!(out.contains("no pay-per-use credits") && out.contains("retrying will not help"), "{out}");
    assert!(out.contains("When to retry: never"), "{out}");
    // The rate limit in words, not a JSON object.
    assert!(out.contains("Rate limit (this endpoint's window): 120 of 300 left.") && !out.contains('{'), "{out}");
    // Too many stream connections: which endpoints list and close them.
    let out = text(
        &["--status", "429", "--op", "streamPosts"],
        r#"{"title":"ConnectionException","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}"#,
    );
    assert!(out.contains("GET /2/connections") && out.contains("DELETE /2/connections/all"), "{out}");
    assert!(out.contains("Which limit: too many open stream connections."), "{out}");
    // A 429 with no reset still says how long.
    let out = text(&["--status", "429"], "");
    assert!(out.contains("When to retry: in 1 min (not before)."), "{out}");
}

#[test]
fn json_adds_meaning_action_and_oauth_codes() {
    let (_, j, _) = explain(
        &["--status", "400", "--json"],
        r#"{"error":"invalid_grant","error_description":"The code was used already."}"#,
    );
    assert_eq!((j["kind"].as_str(), j["retry"]["class"].as_str()), (Some("oauth"), Some("never")));
    assert_eq!(j["codes"][0]["code"], "invalid_grant");
    assert_eq!(j["codes"][0]["description"], "The code was used already.");
    assert!(j["meaning"].as_str().is_some_and(|m| m.contains("authorization code")), "{j}");
    assert!(j["action"].as_str().is_some(), "{j}");
    let (_, j, _) = explain(
        &["--status", "402", "--json"],
        r#"{"type":"https://api.x.com/2/problems/credits-depleted","title":"Payment Required"}"#,
    );
    assert_eq!(j["problems"][0]["slug"], "credits-depleted");
    assert!(j["problems"][0]["action"].as_str().is_some_and(|a| a.contains("will not help")), "{j}");
    assert_eq!(j["retry"]["after_secs"], Value::Null);
    let (_, j, _) = explain(&["--status", "429", "--json"], "");
    assert_eq!(j["retry"]["after_secs"], 60, "a 429 without a reset still says wait: {j}");
}

#[test]
fn bad_input_exits_2() {
    for args in [
        &["--status", "abc"][..],
        &["--status", "1000"],
        &["--status", "404", "--body-file", "/nonexistent"],
        &["--status", "200", "--header", "no colon"],
    ] {
        let (code, _, err) = explain(args, "");
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.is_empty());
    }
}

#[test]
fn operation_errors() {
    let body = r#"{"title":"Not Found Error","type":"https://api.x.com/2/problems/resource-not-found","detail":"d","resource_type":"post","resource_id":"20"}"#;
    let (_, j, _) = explain(&["--status", "404", "--json", "--op", "getPostsById"], body);
    assert_eq!((j["endpoint_error"].as_str(), j["expected_for_endpoint"].as_bool()), (Some("NotFound"), Some(true)));
    // Rule problems cannot come from a post lookup.
    let body = r#"{"errors":[{"title":"RulesCapExceeded","type":"https://api.twitter.com/2/problems/rule-cap"}]}"#;
    let (_, j, _) = explain(&["--status", "400", "--json", "--op", "getPostsById"], body);
    assert_eq!((j["endpoint_error"].as_str(), j["expected_for_endpoint"].as_bool()), (Some("Unhandled"), Some(false)));
    let (_, j, _) = explain(&["--status", "400", "--json", "--op", "updateRules"], body);
    assert_eq!((j["endpoint_error"].as_str(), j["expected_for_endpoint"].as_bool()), (Some("RuleCap"), Some(true)));
    let (_, j, _) = explain(&["--status", "200", "--json", "--op", "getPostsById"], r#"{"data":{"id":"1"}}"#);
    assert_eq!((j["endpoint_error"].clone(), j["expected_for_endpoint"].as_bool()), (Value::Null, Some(true)));
}

fn request(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_xapi")).arg("request").args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), serde_json::from_slice(&out.stdout).unwrap_or(Value::Null))
}

#[test]
fn request_dry_run() {
    let (code, j) =
        request(&["--op", "getPostsByIds", "--param", "ids=1,2", "--param", "post.fields=created_at,lang", "--json"]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["valid"], true);
    assert_eq!(j["method"], "GET");
    assert_eq!(j["url"], "https://api.x.com/2/tweets?ids=1,2&post.fields=created_at,lang");
    let (code, j) = request(&["--op", "getPostsById", "--param", "id=abc", "--param", "post.fields=nope", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(j["valid"], false);
    let v = j["violations"].as_array().unwrap();
    assert!(v.iter().any(|x| x["param"] == "id" && x["rule"] == "pattern ^[0-9]{1,19}$" && x["value"] == "abc"), "{j}");
    assert!(
        v.iter().any(|x| x["param"] == "post.fields" && x["pointer"].as_str().is_some_and(|p| p.starts_with("#/"))),
        "{j}"
    );
    let (code, _) = request(&["--op", "noSuchOp", "--json"]);
    assert_eq!(code, 2);
}

#[test]
fn request_bodies_json_and_multipart() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"text": "hi", "reply": {"in_reply_to_tweet_id": "12x"}, "colour": 1}"#).unwrap();
    let (code, j) = request(&["--op", "createPosts", "--body-file", bad.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "{j}");
    let params: Vec<&str> = j["violations"].as_array().unwrap().iter().map(|v| v["param"].as_str().unwrap()).collect();
    assert_eq!(params, ["body.colour", "body.reply.in_reply_to_tweet_id"]);
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"text": "hi"}"#).unwrap();
    let (code, j) = request(&["--op", "createPosts", "--body-file", good.to_str().unwrap(), "--json"]);
    assert_eq!((code, j["method"].as_str()), (0, Some("POST")), "{j}");
    // A required body that is missing.
    let (code, j) = request(&["--op", "createPosts", "--json"]);
    assert_eq!((code, j["violations"][0]["param"].as_str()), (1, Some("body")), "{j}");

    let media = dir.path().join("chunk.bin");
    std::fs::write(&media, [0u8, 1, 2]).unwrap();
    let file = format!("media={}", media.display());
    let args = ["--op", "appendMediaUpload", "--param", "id=123", "--form-file", &file, "--json"];
    let (code, j) = request(&[&args[..], &["--form", "segment_index=10000"]].concat());
    assert_eq!((code, j["violations"][0]["rule"].as_str()), (1, Some("maximum 9999")), "{j}");
    let (code, j) = request(&[&args[..], &["--form", "segment_index=3"]].concat());
    assert_eq!((code, j["url"].as_str()), (0, Some("https://api.x.com/2/media/upload/123/append")), "{j}");
}
