//! Pre-flight checks and encoding for requests, driven by each operation's metadata: every
//! constraint the spec states on a parameter or a body (pattern, length, range, item count,
//! uniqueness, enum membership, date-time format, required, unknown names) is checked before
//! anything is sent, and all violations are reported at once. Patterns are compiled once per
//! process.
//!
//! Two ways in: the typed `operations::<op>::Request` structs ([`TypedRequest`]), or the
//! dynamic [`to_http_request`] over [`Params`] and a [`Body`], which tools use.

mod body;
mod multipart;
mod rules;
mod typed;

pub use body::validate_body;
pub use multipart::{Multipart, Part};
pub use typed::{json_body, JsonOrMultipart, ParamsBuilder, TypedRequest};

use crate::errors::Problem;
use crate::meta::{Location, Operation, Param, ValueKind};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::collections::BTreeMap;

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The parameter's name.
    pub param: String,
    /// The rule, e.g. `pattern ^[0-9]{1,19}$` or `required`.
    pub rule: String,
    /// JSON pointer of the constraint's schema in the spec.
    pub pointer: String,
    /// The value that broke it (empty for a missing parameter).
    pub value: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: breaks {} (value {:?}, {})", self.param, self.rule, self.value, self.pointer)
    }
}

impl std::error::Error for Violation {}

/// Parameter values by name, as text; arrays hold one entry per item.
pub type Params = BTreeMap<String, Vec<String>>;

/// Every violation, as the `invalid-request` problem X itself would answer with, marked local
/// (`"local": true`) so a caller handles both in one `match`.
pub fn as_problem(violations: &[Violation]) -> Problem {
    match problem_json(violations) {
        serde_json::Value::Object(map) => Problem::from_map(map),
        _ => Problem::from_map(serde_json::Map::new()),
    }
}

/// The body of [`as_problem`], as X would send it (`application/problem+json`).
pub fn problem_json(violations: &[Violation]) -> serde_json::Value {
    let errors: Vec<serde_json::Value> = violations
        .iter()
        .map(|v| serde_json::json!({"parameter": v.param, "rule": v.rule, "pointer": v.pointer, "value": v.value}))
        .collect();
    serde_json::json!({
        "type": "https://api.x.com/2/problems/invalid-request",
        "title": "Invalid Request",
        "detail": format!("{} value(s) break the spec's constraints", violations.len()),
        "errors": errors,
        "local": true,
    })
}

fn check_value(param: &Param, value: &str, out: &mut Vec<Violation>) {
    let mut broke = |rule: String| {
        out.push(Violation {
            param: param.name.to_owned(),
            rule,
            pointer: param.pointer.to_owned(),
            value: value.to_owned(),
        });
    };
    match param.value_kind {
        ValueKind::Integer if value.parse::<i64>().is_err() => broke("integer".to_owned()),
        ValueKind::Number if rules::number(value).is_none() => broke("number".to_owned()),
        ValueKind::Boolean if !matches!(value, "true" | "false") => broke("boolean".to_owned()),
        _ => {}
    }
    let checked = rules::Value { text: value, is_text: true, number: rules::number(value) };
    rules::broken(&param.item, param.values, &checked, broke);
}

/// Checks parameter values against the operation's constraints; every violation is returned.
pub fn validate(operation: &Operation, params: &Params) -> Result<(), Vec<Violation>> {
    let mut out = Vec::new();
    for name in params.keys() {
        if operation.param(name).is_none() {
            out.push(Violation {
                param: name.clone(),
                rule: "unknown parameter".into(),
                pointer: operation.pointer.into(),
                value: String::new(),
            });
        }
    }
    for param in operation.params {
        let values = params.get(param.name).filter(|v| !v.is_empty());
        let Some(values) = values else {
            if param.required {
                out.push(Violation {
                    param: param.name.into(),
                    rule: "required".into(),
                    pointer: param.pointer.into(),
                    value: String::new(),
                });
            }
            continue;
        };
        if !param.is_array && values.len() > 1 {
            out.push(Violation {
                param: param.name.into(),
                rule: "one value".into(),
                pointer: param.pointer.into(),
                value: values.join(","),
            });
        }
        rules::broken_items(&param.constraints, values, |rule| {
            out.push(Violation {
                param: param.name.into(),
                rule,
                pointer: param.pointer.into(),
                value: values.join(","),
            });
        });
        for value in values {
            check_value(param, value, &mut out);
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The path with its parameters filled in, and the query string. Values are percent-encoded
/// per RFC 3986; the commas joining an `explode: false` array stay commas (`ids=1,2`).
pub fn path_and_query(operation: &Operation, params: &Params) -> String {
    let mut path = operation.path.to_owned();
    let mut query = Vec::new();
    for param in operation.params {
        let Some(values) = params.get(param.name).filter(|v| !v.is_empty()) else { continue };
        let encoded: Vec<String> = values.iter().map(|v| utf8_percent_encode(v, COMPONENT).to_string()).collect();
        match param.location {
            Location::Path => path = path.replace(&format!("{{{}}}", param.name), &encoded.join(",")),
            Location::Query if param.comma_joined || !param.is_array => {
                query.push(format!("{}={}", utf8_percent_encode(param.name, COMPONENT), encoded.join(",")))
            }
            Location::Query => {
                query.extend(encoded.iter().map(|v| format!("{}={v}", utf8_percent_encode(param.name, COMPONENT))))
            }
            _ => {}
        }
    }
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A request body as it will be sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Body {
    /// `application/json`.
    Json(serde_json::Value),
    /// `multipart/form-data`.
    Multipart(Multipart),
    /// Bytes sent as they are, under a media type the operation names (e.g. a compliance
    /// job's `application/octet-stream` upload).
    Bytes {
        /// The `Content-Type` it goes out with.
        media_type: String,
        /// The bytes.
        data: Vec<u8>,
    },
}

impl Body {
    /// The media type it goes out as (a multipart body adds its boundary in the header).
    pub fn media_type(&self) -> &str {
        match self {
            Self::Json(_) => "application/json",
            Self::Multipart(_) => "multipart/form-data",
            Self::Bytes { media_type, .. } => media_type,
        }
    }
}

/// `application/json` for `application/json; charset=utf-8` and `…+json`; the type itself,
/// without parameters, otherwise.
fn essence(media_type: &str) -> &str {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    let json = essence.eq_ignore_ascii_case("application/json") || essence.to_ascii_lowercase().ends_with("+json");
    if json {
        "application/json"
    } else if essence.eq_ignore_ascii_case("multipart/form-data") {
        "multipart/form-data"
    } else {
        essence
    }
}

/// Checks a body against what the operation accepts: whether it takes one (and requires
/// one), the media type, and the schema of that media type. Every violation is returned.
pub fn check_body(operation: &Operation, body: Option<&Body>) -> Vec<Violation> {
    let at = |rule: &str| Violation {
        param: "body".into(),
        rule: rule.into(),
        pointer: operation.pointer.into(),
        value: String::new(),
    };
    let Some(body) = body else {
        return if operation.body_required { vec![at("required")] } else { Vec::new() };
    };
    if operation.request_body.is_empty() {
        return vec![at("no body")];
    }
    let Some(media) = operation.request_body.iter().find(|m| essence(m.media_type) == essence(body.media_type()))
    else {
        let accepted: Vec<&str> = operation.request_body.iter().map(|m| m.media_type).collect();
        return vec![at(&format!("media type one of {}", accepted.join(", ")))];
    };
    let Some(schema) = media.schema else { return Vec::new() };
    let at = format!("{}/requestBody", operation.pointer);
    match body {
        Body::Json(value) => body::validate_at(schema, &at, value),
        Body::Multipart(form) => body::validate_at(schema, &at, &form.to_json(schema)),
        // The schema of raw bytes says only that they are a (binary) string.
        Body::Bytes { .. } => Vec::new(),
    }
}

/// Checks the parameters ([`validate`]) and the body ([`check_body`]); every violation.
pub fn check(operation: &Operation, params: &Params, body: Option<&Body>) -> Result<(), Vec<Violation>> {
    let mut violations = validate(operation, params).err().unwrap_or_default();
    violations.extend(check_body(operation, body));
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// Validates, then builds the HTTP request X would receive: method, URL (path parameters
/// filled in, query encoded), header parameters, and the body with its `Content-Type`.
pub fn to_http_request(
    operation: &Operation,
    base_url: &str,
    params: &Params,
    body: Option<&Body>,
) -> Result<http::Request<Vec<u8>>, Vec<Violation>> {
    check(operation, params, body)?;
    let mut builder = http::Request::builder().method(operation.method.as_str()).uri(format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        path_and_query(operation, params)
    ));
    for param in operation.params.iter().filter(|p| p.location == Location::Header) {
        if let Some(values) = params.get(param.name).filter(|v| !v.is_empty()) {
            builder = builder.header(param.name, values.join(","));
        }
    }
    let bytes = match body {
        None => Vec::new(),
        Some(Body::Json(value)) => {
            builder = builder.header(http::header::CONTENT_TYPE, "application/json");
            serde_json::to_vec(value).unwrap_or_default()
        }
        Some(Body::Multipart(form)) => {
            let (boundary, bytes) = form.encode();
            builder = builder.header(http::header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
            bytes
        }
        Some(Body::Bytes { media_type, data }) => {
            builder = builder.header(http::header::CONTENT_TYPE, media_type.as_str());
            data.clone()
        }
    };
    builder.body(bytes).map_err(|e| {
        vec![Violation {
            param: String::new(),
            rule: format!("request: {e}"),
            pointer: operation.pointer.into(),
            value: String::new(),
        }]
    })
}
