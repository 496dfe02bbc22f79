//! The words every stage shares: the generator reads the tables with them, generated code and
//! the runtime classify responses with them. Always compiled, also without the `api` feature.

use serde::Deserialize;
use std::borrow::Cow;

/// What a caller should do about an outcome. Retry *timing* is the runtime's business; this is
/// the class the tables assign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RetryClass {
    /// Success: nothing to retry.
    None,
    /// A client error: retrying the same request gives the same answer; fix it first.
    Never,
    /// Retry after an instant the response names (rate-limit reset, `retry-after`).
    After,
    /// A transient server-side error: retry with exponential backoff.
    Backoff,
    /// A dropped stream: reconnect, backing off as X asks.
    Reconnect,
}

impl RetryClass {
    /// The class as the tables and JSON output spell it (`"backoff"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Never => "never",
            Self::After => "after",
            Self::Backoff => "backoff",
            Self::Reconnect => "reconnect",
        }
    }
}

/// Which 429 it is (the tables spell it as [`as_str`](Self::as_str) does). Decided from headers and problem types, never from message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TooManyRequests {
    /// The endpoint's request window (`x-rate-limit-*`).
    RateWindow,
    /// The 24-hour per-user limit.
    #[serde(rename = "user_24h")]
    User24h,
    /// The 24-hour per-app limit.
    #[serde(rename = "app_24h")]
    App24h,
    /// A usage cap (e.g. the monthly post cap), from a `usage-capped` problem.
    UsageCap,
    /// Too many connections to a stream.
    Connections,
    /// A 429 that says nothing more.
    Unknown,
}

impl TooManyRequests {
    /// `"rate_window"`, `"user_24h"`, `"app_24h"`, `"usage_cap"`, `"connections"`, `"unknown"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RateWindow => "rate_window",
            Self::User24h => "user_24h",
            Self::App24h => "app_24h",
            Self::UsageCap => "usage_cap",
            Self::Connections => "connections",
            Self::Unknown => "unknown",
        }
    }
}

/// An X API family, as the tables spell it (`v1.1`, `v2`, `ads`, `streaming`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[non_exhaustive]
pub enum Family {
    /// The v1.1 REST API (`/1.1/…`).
    #[serde(rename = "v1.1")]
    V1,
    /// The v2 API (`/2/…`).
    #[serde(rename = "v2")]
    V2,
    /// The Ads API.
    #[serde(rename = "ads")]
    Ads,
    /// The streaming endpoints (long-lived connections).
    #[serde(rename = "streaming")]
    Streaming,
}

impl Family {
    /// The family as the tables spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1.1",
            Self::V2 => "v2",
            Self::Ads => "ads",
            Self::Streaming => "streaming",
        }
    }
}

/// The slug of a problem type URI: what follows `/2/problems/` on any host, compared without
/// regard to case (`https://api.X.com/2/problems/Usage-Capped` → `usage-capped`);
/// `about:blank` is its own slug. Borrowed when already lowercase.
pub fn problem_slug(type_uri: &str) -> Option<Cow<'_, str>> {
    const MARKER: &str = "/2/problems/";
    if type_uri.eq_ignore_ascii_case("about:blank") {
        return Some("about:blank".into());
    }
    // X's two hosts as X spells them first (cheap), then any host in any case.
    let rest = ["https://api.x.com/2/problems/", "https://api.twitter.com/2/problems/"]
        .iter()
        .find_map(|prefix| type_uri.strip_prefix(prefix))
        .or_else(|| {
            let at =
                type_uri.as_bytes().windows(MARKER.len()).position(|w| w.eq_ignore_ascii_case(MARKER.as_bytes()))?;
            Some(&type_uri[at + MARKER.len()..])
        })?;
    let slug = rest.trim_end_matches('/');
    if slug.is_empty() {
        None
    } else if slug.bytes().any(|b| b.is_ascii_uppercase()) {
        Some(slug.to_ascii_lowercase().into())
    } else {
        Some(slug.into())
    }
}

/// Whether HTTP makes a method idempotent (RFC 9110 §9.2.2): GET, HEAD, PUT, DELETE, OPTIONS
/// and TRACE, by its upper-case name. The generator marks operations with it; the runtime
/// judges a request without an operation by it.
pub fn idempotent_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE")
}

/// The constraints the spec puts on a value. `NONE` is the empty set.
///
/// One type for every stage: generated metadata holds `Constraints` (text as
/// `&'static str`), the generator's IR holds `Constraints<String>`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Constraints<S = &'static str> {
    /// The spec's `format` (e.g. `date-time`, the only one checked).
    pub format: Option<S>,
    /// A regular expression text values must match (`pattern`).
    pub pattern: Option<S>,
    /// The fewest characters a text value may have (`minLength`).
    pub min_length: Option<u64>,
    /// The most characters a text value may have (`maxLength`).
    pub max_length: Option<u64>,
    /// The smallest number allowed (`minimum`, inclusive).
    pub minimum: Option<f64>,
    /// The largest number allowed (`maximum`, inclusive).
    pub maximum: Option<f64>,
    /// The fewest items an array may have (`minItems`).
    pub min_items: Option<u64>,
    /// The most items an array may have (`maxItems`).
    pub max_items: Option<u64>,
    /// An array's items must all differ (`uniqueItems`).
    pub unique_items: bool,
}

impl<S> Constraints<S> {
    /// No constraint at all; literals fill in the rest with `..Constraints::NONE`.
    pub const NONE: Self = Self {
        format: None,
        pattern: None,
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        unique_items: false,
    };

    /// Whether no constraint is stated.
    pub fn is_empty(&self) -> bool {
        // Destructured, so a new field cannot be forgotten here.
        let Self { format, pattern, min_length, max_length, minimum, maximum, min_items, max_items, unique_items } =
            self;
        format.is_none()
            && pattern.is_none()
            && min_length.is_none()
            && max_length.is_none()
            && minimum.is_none()
            && maximum.is_none()
            && min_items.is_none()
            && max_items.is_none()
            && !unique_items
    }
}

impl<S: Clone> Constraints<S> {
    /// Takes each constraint `other` states that this one does not.
    pub fn fill_from(&mut self, other: &Self) {
        self.format = self.format.take().or_else(|| other.format.clone());
        self.pattern = self.pattern.take().or_else(|| other.pattern.clone());
        self.min_length = self.min_length.or(other.min_length);
        self.max_length = self.max_length.or(other.max_length);
        self.minimum = self.minimum.or(other.minimum);
        self.maximum = self.maximum.or(other.maximum);
        self.min_items = self.min_items.or(other.min_items);
        self.max_items = self.max_items.or(other.max_items);
        self.unique_items |= other.unique_items;
    }
}

impl<S: AsRef<str>> Constraints<S> {
    /// One short line per constraint, e.g. "pattern `^[0-9]{1,19}$`", "length 1..=512".
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(f) = &self.format {
            out.push(format!("format `{}`", f.as_ref()));
        }
        if let Some(p) = &self.pattern {
            out.push(format!("pattern `{}`", p.as_ref()));
        }
        let range = |lo: Option<String>, hi: Option<String>, what: &str| match (lo, hi) {
            (Some(lo), Some(hi)) => Some(format!("{what} {lo}..={hi}")),
            (Some(lo), None) => Some(format!("{what} >= {lo}")),
            (None, Some(hi)) => Some(format!("{what} <= {hi}")),
            (None, None) => None,
        };
        let int = |v: Option<u64>| v.map(|v| v.to_string());
        out.extend(range(int(self.min_length), int(self.max_length), "length"));
        out.extend(range(self.minimum.map(number), self.maximum.map(number), "value"));
        out.extend(range(int(self.min_items), int(self.max_items), "items"));
        if self.unique_items {
            out.push("unique items".to_owned());
        }
        out
    }
}

/// A bound as the spec would write it: 100.0 as `100`, 0.5 as `0.5`.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// What JSON type a schema expects (request bodies are checked against it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemaKind {
    /// Any JSON value (the schema states no `type`).
    #[default]
    Any,
    /// A JSON string.
    String,
    /// A JSON number without a fraction.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A JSON array.
    Array,
    /// A JSON object.
    Object,
}

impl SchemaKind {
    /// The variant's name, as generated code writes it (`SchemaKind::String`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Any => "Any",
            Self::String => "String",
            Self::Integer => "Integer",
            Self::Number => "Number",
            Self::Boolean => "Boolean",
            Self::Array => "Array",
            Self::Object => "Object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_ignore_host_case_and_trailing_slash() {
        for uri in [
            "https://api.twitter.com/2/problems/usage-capped",
            "https://api.x.com/2/problems/usage-capped",
            "https://API.X.com/2/Problems/Usage-Capped/",
            "http://localhost:8080/2/problems/usage-capped",
        ] {
            assert_eq!(problem_slug(uri).as_deref(), Some("usage-capped"), "{uri}");
        }
        assert_eq!(problem_slug("About:Blank").as_deref(), Some("about:blank"));
        for not in ["", "https://api.x.com/2/problems/", "https://api.x.com/2/errors/x", "/2/problem/x"] {
            assert_eq!(problem_slug(not), None, "{not}");
        }
    }

    #[test]
    fn lowercase_slugs_are_borrowed() {
        assert!(matches!(problem_slug("https://api.x.com/2/problems/a-b"), Some(Cow::Borrowed("a-b"))));
    }

    #[test]
    fn too_many_kinds_read_as_the_tables_spell_them() {
        use TooManyRequests as T;
        for kind in [T::RateWindow, T::User24h, T::App24h, T::UsageCap, T::Connections, T::Unknown] {
            let read: T = serde::de::Deserialize::deserialize(serde::de::value::StrDeserializer::<
                serde::de::value::Error,
            >::new(kind.as_str()))
            .unwrap();
            assert_eq!(read, kind);
        }
    }

    #[test]
    fn retry_classes_read_as_the_tables_spell_them() {
        for class in
            [RetryClass::None, RetryClass::Never, RetryClass::After, RetryClass::Backoff, RetryClass::Reconnect]
        {
            let read: RetryClass = serde::de::Deserialize::deserialize(serde::de::value::StrDeserializer::<
                serde::de::value::Error,
            >::new(class.as_str()))
            .unwrap();
            assert_eq!(read, class);
        }
    }

    #[test]
    fn constraints_describe_fill_and_compare_alike_for_both_text_types() {
        let owned = Constraints::<String> {
            pattern: Some("^[0-9]{1,19}$".to_owned()),
            min_length: Some(1),
            maximum: Some(100.0),
            unique_items: true,
            ..Constraints::NONE
        };
        let borrowed = Constraints {
            pattern: Some("^[0-9]{1,19}$"),
            min_length: Some(1),
            maximum: Some(100.0),
            unique_items: true,
            ..Constraints::NONE
        };
        let lines = ["pattern `^[0-9]{1,19}$`", "length >= 1", "value <= 100", "unique items"];
        assert_eq!(owned.describe(), lines);
        assert_eq!(borrowed.describe(), lines);
        assert!(!owned.is_empty() && Constraints::<String>::NONE.is_empty());
        assert_eq!(Constraints::<&str>::default(), Constraints::NONE);

        let mut filled = Constraints::<String> { min_length: Some(3), ..Constraints::NONE };
        filled.fill_from(&owned);
        assert_eq!(filled.min_length, Some(3), "what is stated stays");
        assert_eq!(filled.pattern, owned.pattern, "what is missing is taken");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-2.0), "-2");
    }
}
