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
}
