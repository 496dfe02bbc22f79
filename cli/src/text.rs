//! `cargo xtask explain` for a person: the status and its reason phrase, what X said, what it
//! means, what to do and when to retry, in plain lines. Everything it says comes from the
//! runtime's classification and the tables (`spec/errors/`); nothing here knows a problem type.

use serde_json::Value;
use std::time::{Duration, SystemTime};
use xapi::errors::{http_status, Problem};
use xapi::meta::Operation;
use xapi::types::request::{validate, Params};
use xapi::{Kind, Outcome, Quota, RateLimit, Reconnect, RetryAdvice, TooManyRequests};

/// `45 s`, `2 min 40 s`, `3 h 5 min`, `12 days 4 h`.
fn span(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 if s % 60 == 0 => format!("{} min", s / 60),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        3600..=172_799 if s % 3600 / 60 == 0 => format!("{} h", s / 3600),
        3600..=172_799 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} days {} h", s / 86_400, s % 86_400 / 3600),
    }
}

/// When (and how) to try again, as a sentence.
fn retry_line(retry: &RetryAdvice, now: SystemTime) -> String {
    let when = match retry {
        RetryAdvice::None => "nothing to retry: it worked".to_owned(),
        RetryAdvice::Never => "never as it is: the same request gets the same answer".to_owned(),
        RetryAdvice::After(Some(at)) => match at.duration_since(now) {
            Ok(d) if d.as_secs() > 0 => format!("in {} (not before)", span(d)),
            _ => "now: the wait is over".to_owned(),
        },
        RetryAdvice::After(None) => "after a wait X did not state".to_owned(),
        RetryAdvice::Backoff(first) => format!("with exponential back-off, the first wait {}", span(*first)),
        RetryAdvice::Reconnect(why) => {
            let how = match why {
                Reconnect::Network => "a dropped connection: wait 250 ms more each time, up to 16 s",
                Reconnect::Http => "an HTTP error: double the wait from 5 s, up to 320 s",
                Reconnect::RateLimited => "throttled: double the wait from 1 minute",
            };
            format!("reconnect the stream ({how})")
        }
        _ => retry.class().to_owned(),
    };
    format!("When to retry: {when}.")
}

/// One quota in words: `0 of 300 left, resets in 12 min`.
fn quota(q: Quota, now: SystemTime) -> String {
    let mut out = match (q.remaining, q.limit) {
        (Some(r), Some(l)) => format!("{r} of {l} left"),
        (Some(r), None) => format!("{r} left"),
        (None, Some(l)) => format!("{l} allowed"),
        (None, None) => "no counts".to_owned(),
    };
    if let Some(at) = q.reset_at() {
        match at.duration_since(now) {
            Ok(d) => out.push_str(&format!(", resets in {}", span(d))),
            Err(_) => out.push_str(", reset already passed"),
        }
    }
    out
}

fn rate_lines(r: &RateLimit, now: SystemTime) -> Vec<String> {
    let mut lines = Vec::new();
    for (name, q) in
        [("this endpoint's window", r.window), ("24 hours, per user", r.user_24h), ("24 hours, per app", r.app_24h)]
    {
        if let Some(q) = q {
            lines.push(format!("Rate limit ({name}): {}.", quota(q, now)));
        }
    }
    if let Some(after) = r.retry_after {
        let d = after.instant(now).duration_since(now).unwrap_or_default();
        lines.push(format!("X asked to wait {} (retry-after).", span(d)));
    }
    lines
}

fn which_limit(t: TooManyRequests) -> &'static str {
    match t {
        TooManyRequests::RateWindow => "the endpoint's request window",
        TooManyRequests::User24h => "the 24-hour limit per user",
        TooManyRequests::App24h => "the 24-hour limit per app",
        TooManyRequests::UsageCap => "a usage cap of the plan (not the request window)",
        TooManyRequests::Connections => "too many open stream connections",
        _ => "a limit X did not name",
    }
}

/// The parameters an invalid-request problem names (`errors[].parameters`, or its own
/// `parameter`/`value`), each with X's message and, given the operation, the rule of the spec
/// the value breaks.
fn parameter_lines(p: &Problem, op: Option<&'static Operation>) -> Vec<String> {
    let map = p.to_map();
    let mut named: Vec<(String, String, Option<String>)> = Vec::new();
    for item in map.get("errors").and_then(Value::as_array).into_iter().flatten() {
        let message = item.get("message").and_then(Value::as_str).map(str::to_owned);
        for (name, values) in item.get("parameters").and_then(Value::as_object).into_iter().flatten() {
            let value = match values {
                Value::Array(v) => v.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned)).collect(),
                Value::String(s) => vec![s.clone()],
                other => vec![other.to_string()],
            };
            named.push((name.clone(), value.join(","), message.clone()));
        }
    }
    if let (Some(name), true) = (map.get("parameter").and_then(Value::as_str), named.is_empty()) {
        let value = map.get("value").and_then(Value::as_str).unwrap_or_default();
        named.push((name.to_owned(), value.to_owned(), p.details().detail.clone()));
    }
    let mut lines = Vec::new();
    if named.is_empty() {
        return lines;
    }
    lines.push("Parameters X named:".to_owned());
    for (name, value, message) in named {
        lines.push(format!("  - `{name}` = {value:?}: {}", message.as_deref().unwrap_or("(no message)")));
        let Some(op) = op else { continue };
        let mut params = Params::new();
        params.insert(name.clone(), value.split(',').map(str::to_owned).collect());
        let broken: Vec<String> = validate(op, &params)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| v.param == name)
            .map(|v| match v.rule.as_str() {
                "unknown parameter" => {
                    let known: Vec<&str> = op.params.iter().map(|p| p.name).collect();
                    format!("{} takes no `{name}`; it takes {}", op.id, known.join(", "))
                }
                rule => format!("{rule} ({})", v.pointer),
            })
            .collect();
        if !broken.is_empty() {
            lines.push(format!("    the spec: {}", broken.join("; ")));
        }
    }
    lines
}

/// What a person reads.
pub fn render(o: &Outcome<'_>, op: Option<&'static Operation>, now: SystemTime) -> String {
    let mut lines = Vec::new();
    let status = http_status(o.status.as_u16());
    let phrase = status.map(|s| s.name).or(o.status.canonical_reason()).unwrap_or("");
    lines.push(format!(
        "{} {phrase} ({} body, read as {}).",
        o.status.as_u16(),
        o.body_format.as_str(),
        o.kind.as_str()
    ));
    // What X said, and what the tables make of it; the status speaks when nothing else does.
    let mut explained: Vec<(String, String)> = Vec::new();
    let mut said = |lines: &mut Vec<String>, what: String, meaning: Option<(&str, &str)>| {
        lines.push(what);
        if let Some((m, a)) = meaning {
            explained.push((m.to_owned(), a.to_owned()));
        }
    };
    if o.kind == Kind::Problem {
        for p in o.problems() {
            let slug = p.slug().map(|s| s.into_owned()).unwrap_or_else(|| "untyped".into());
            let text = p.details().detail.as_deref().or(p.details().title.as_deref()).unwrap_or("(no detail)");
            said(&mut lines, format!("X says: {text} (problem {slug})"), p.info().map(|i| (i.meaning, i.action)));
            lines.extend(parameter_lines(&p, op));
        }
    }
    for e in o.v1_errors() {
        let text = e.message.as_deref().unwrap_or("(no message)");
        said(
            &mut lines,
            format!("X says: {text} (v1.1 code {})", e.code),
            e.code.info().map(|i| (i.meaning, i.action)),
        );
    }
    for e in o.ads_errors().0 {
        let text = e.message.as_deref().unwrap_or("(no message)");
        said(&mut lines, format!("X says: {text} (Ads code {})", e.code), e.code.info().map(|i| (i.meaning, i.action)));
    }
    if let Some(e) = o.oauth() {
        let text = e.description.as_deref().unwrap_or("(no description)");
        said(
            &mut lines,
            format!("X says: {text} (OAuth 2.0 error {})", e.code),
            e.code.info().map(|i| (i.meaning, i.action)),
        );
    }
    if let Some(l) = o.legacy() {
        said(&mut lines, format!("X says: {} (legacy v1.1 error)", l.error), None);
    }
    if o.kind == Kind::Http && !o.snippet().is_empty() {
        lines.push(format!("The body starts: {}", o.snippet().chars().take(120).collect::<String>()));
    }
    let partial = o.partial_errors();
    if !partial.is_empty() {
        lines.push(format!("It carries {} partial error(s) beside the data:", partial.len()));
        for p in &partial {
            let slug = p.slug().map(|s| s.into_owned()).unwrap_or_else(|| "untyped".into());
            let text = p.details().detail.as_deref().or(p.details().title.as_deref()).unwrap_or("");
            lines.push(format!("  - {slug}: {text}"));
        }
    }
    if explained.is_empty() {
        if let Some(s) = status {
            explained.push((s.meaning.to_owned(), s.action.to_owned()));
        }
    }
    for (meaning, action) in explained {
        lines.push(format!("What it means: {meaning}"));
        lines.push(format!("What to do: {action}"));
    }
    if let Some(t) = o.too_many_requests {
        lines.push(format!("Which limit: {}.", which_limit(t)));
    }
    lines.push(retry_line(&o.retry, now));
    lines.extend(rate_lines(&o.rate_limit, now));
    lines.join("\n")
}
