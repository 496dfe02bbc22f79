//! Everything X documents about its errors, from the tables in `spec/errors/`: HTTP statuses
//! ([`http_status`]), v2 problem types ([`Problem`]), Ads API codes ([`AdsErrorCode`]) and
//! v1.1 codes ([`V1ErrorCode`]), each with its meaning, what to do and a [`RetryClass`].

use serde_json::{Map, Value};

mod tables;

pub use crate::vocabulary::{problem_slug, Family, RetryClass};
pub use tables::*;

/// Facts about one problem type (from `spec/errors/problems.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemInfo {
    /// The part of the type URI after `/2/problems/` (or `about:blank`).
    pub slug: &'static str,
    /// The title X gives the type.
    pub title: &'static str,
    /// The HTTP status it usually comes with.
    pub status: u16,
    /// Extension fields and their JSON types (`string`, `integer`, `boolean`, `string[]`, `json`).
    pub fields: &'static [(&'static str, &'static str)],
    /// The spec versions that define it; empty when only X's docs do.
    pub spec_versions: &'static [&'static str],
    /// What it means, in a sentence for people.
    pub meaning: &'static str,
    /// What to do about it, in a sentence for people.
    pub action: &'static str,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// Facts about one HTTP status (from `spec/errors/http_status.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpStatus {
    /// The status code (`429`).
    pub code: u16,
    /// Its reason phrase (`Too Many Requests`).
    pub name: &'static str,
    /// The API families X documents it for.
    pub families: &'static [Family],
    /// What it means, in a sentence for people.
    pub meaning: &'static str,
    /// What to do about it, in a sentence for people.
    pub action: &'static str,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// Facts about one text error code: an Ads API code (`spec/errors/ads_codes.yaml`) or an
/// OAuth 2.0 code (`spec/errors/oauth_codes.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code as X sends it (`ACCOUNT_NOT_FOUND`, `invalid_grant`).
    pub code: &'static str,
    /// The HTTP status the code comes with.
    pub status: u16,
    /// What it means, in a sentence for people.
    pub meaning: &'static str,
    /// What to do about it, in a sentence for people.
    pub action: &'static str,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// The facts of an Ads API code (the same shape as every text code's).
pub type AdsCodeInfo = CodeInfo;

/// Facts about one v1.1 error code (from `spec/errors/v1_codes.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V1CodeInfo {
    /// The numeric code (`88`).
    pub code: u32,
    /// A snake_case name for the code (ours; X only gives numbers).
    pub name: &'static str,
    /// The HTTP status X documents for it.
    pub status: u16,
    /// What it means, in a sentence for people.
    pub meaning: &'static str,
    /// What to do about it, in a sentence for people.
    pub action: &'static str,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// The fields every problem has (RFC 7807 style), plus any the variant does not type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProblemDetails {
    /// The `type` URI exactly as sent (host and case kept), if there was one.
    pub type_uri: Option<String>,
    /// `title`: a short summary of the type, for people.
    pub title: Option<String>,
    /// `detail`: what went wrong this time, for people; never matched on.
    pub detail: Option<String>,
    /// `status`: the HTTP status as the body states it.
    pub status: Option<u16>,
    /// Every other property, kept as sent. Typed fields that arrived with an unexpected JSON
    /// type stay here too, so nothing is ever dropped.
    pub extra: Map<String, Value>,
}

impl ProblemDetails {
    /// Takes the common fields out of an object; the rest stays in `extra`.
    pub fn from_map(mut map: Map<String, Value>) -> Self {
        let type_uri = take_string(&mut map, "type");
        let title = take_string(&mut map, "title");
        let detail = take_string(&mut map, "detail");
        let status = match map.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()) {
            Some(s) => {
                map.remove("status");
                Some(s)
            }
            None => None,
        };
        Self { type_uri, title, detail, status, extra: map }
    }

    /// The object again, as it was read.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = self.extra.clone();
        put(&mut map, "type", self.type_uri.clone().map(Value::String));
        put(&mut map, "title", self.title.clone().map(Value::String));
        put(&mut map, "detail", self.detail.clone().map(Value::String));
        put(&mut map, "status", self.status.map(Value::from));
        map
    }
}

/// A problem whose type this crate does not know (or that has no `type`), kept whole.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnknownProblem {
    /// Everything the problem object held.
    pub details: ProblemDetails,
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v);
    }
}

/// Removes `key` if it holds a string.
fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            map.insert(key.to_owned(), other);
            None
        }
        None => None,
    }
}

/// Removes `key` if `convert` accepts its value; otherwise leaves it in place.
fn take<T>(map: &mut Map<String, Value>, key: &str, convert: fn(&Value) -> Option<T>) -> Option<T> {
    let value = convert(map.get(key)?)?;
    map.remove(key);
    Some(value)
}

#[allow(dead_code)]
fn as_string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

#[allow(dead_code)]
fn as_strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|s| s.as_str().map(str::to_owned)).collect()
}

#[allow(dead_code)]
fn as_json(v: &Value) -> Option<Value> {
    Some(v.clone())
}

/// An id sent as a string or a bare integer, as its digits (serde_json keeps integers up to
/// 64 bits exactly).
#[allow(dead_code)]
fn as_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}
