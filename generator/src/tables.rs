//! The error tables in `spec/errors/` (authored by us): HTTP statuses, v2 problem types,
//! Ads API codes and v1.1 codes. Read with serde_yaml and validated; every failure is one
//! error naming `file:line`.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

pub use xapi_core::vocabulary::{Family, RetryClass};

/// The type of a problem's extension field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FieldType {
    /// A JSON string (`String`).
    #[serde(rename = "string")]
    String,
    /// A JSON integer (`i64`).
    #[serde(rename = "integer")]
    Integer,
    /// `true` or `false`.
    #[serde(rename = "boolean")]
    Boolean,
    /// An array of strings (`Vec<String>`).
    #[serde(rename = "string[]")]
    StringList,
    /// Any JSON value, kept as sent.
    #[serde(rename = "json")]
    Json,
    /// An id X sends as a bare integer or a string: read as its digits, exactly (never
    /// through a float), and written back as it came.
    #[serde(rename = "id")]
    Id,
}

impl FieldType {
    /// The type as the tables spell it (`string[]`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Boolean => "boolean",
            Self::StringList => "string[]",
            Self::Json => "json",
            Self::Id => "id",
        }
    }
}

/// One HTTP status in `http_status.yaml`, keyed by its code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusEntry {
    /// The reason phrase (`Too Many Requests`).
    pub name: String,
    /// The API families X documents the status for (never empty).
    pub families: Vec<Family>,
    /// What it means, in a sentence for people (ours, not X's wording).
    pub meaning: String,
    /// What to do about it, in a sentence for people.
    pub action: String,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// One v2 problem type in `problems.yaml`, keyed by its slug.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemEntry {
    /// The title X gives the type.
    pub title: String,
    /// The HTTP status it usually comes with.
    pub status: u16,
    /// The component schema that describes it in the spec (`GenericProblem`), if any.
    #[serde(default)]
    pub schema: Option<String>,
    /// Extension fields beyond `type`, `title`, `detail` and `status`, with their types.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldType>,
    /// The spec versions that define it; empty when only X's docs do.
    pub spec_versions: Vec<String>,
    /// What it means, in a sentence for people (ours, not X's wording).
    pub meaning: String,
    /// What to do about it, in a sentence for people.
    pub action: String,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// One text error code, keyed by the code: an Ads API code in `ads_codes.yaml` or an OAuth
/// 2.0 code in `oauth_codes.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsEntry {
    /// The HTTP status the code comes with.
    pub status: u16,
    /// What it means, in a sentence for people (ours, not X's wording).
    pub meaning: String,
    /// What to do about it, in a sentence for people.
    pub action: String,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// One v1.1 error code in `v1_codes.yaml`, keyed by the number.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct V1Entry {
    /// A snake_case name for the code, unique in the table (ours; X only gives numbers).
    pub name: String,
    /// The HTTP status X documents for it.
    pub status: u16,
    /// What it means, in a sentence for people (ours, not X's wording).
    pub meaning: String,
    /// What to do about it, in a sentence for people.
    pub action: String,
    /// What a caller should do about it, as a class.
    pub retry: RetryClass,
}

/// All five tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    /// HTTP statuses by code.
    pub statuses: BTreeMap<u16, StatusEntry>,
    /// v2 problem types by slug.
    pub problems: BTreeMap<String, ProblemEntry>,
    /// Ads API error codes by code.
    pub ads: BTreeMap<String, AdsEntry>,
    /// v1.1 error codes by number.
    pub v1: BTreeMap<u32, V1Entry>,
    /// OAuth 2.0 error codes (same shape as the Ads ones).
    pub oauth: BTreeMap<String, AdsEntry>,
    /// `endpoint_rules.yaml`, when read (see [`Tables::read_dir`]).
    pub endpoint_rules: Option<crate::endpoint_rules::EndpointRules>,
    /// `spec/wire.yaml` (beside `spec/errors/`), when read.
    pub wire: Option<crate::wire::Wire>,
}

/// The file names under `spec/errors/`, in the order `Tables::parse` takes their contents.
pub const FILES: [&str; 5] =
    ["http_status.yaml", "problems.yaml", "ads_codes.yaml", "v1_codes.yaml", "oauth_codes.yaml"];

/// Where each top-level key of a table file stands, found by reading its lines: serde_yaml
/// would silently keep the last of two equal keys, and semantic errors need a line too.
struct KeyLines {
    file: String,
    lines: BTreeMap<String, usize>,
}

impl KeyLines {
    fn scan(file: &str, text: &str) -> Result<Self> {
        let mut lines = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let first = line.chars().next();
            if first.is_none_or(|c| c.is_whitespace() || c == '#' || c == '-') {
                continue;
            }
            let key = match line.rfind(':') {
                Some(_) if line.starts_with('"') || line.starts_with('\'') => {
                    line[1..].split(['"', '\'']).next().unwrap_or_default()
                }
                Some(at) => line[..at].trim(),
                None => continue,
            };
            if let Some(previous) = lines.insert(key.to_owned(), i + 1) {
                return Err(Error::at(
                    format!("{file}:{}", i + 1),
                    format!("duplicate key `{key}` (first at line {previous})"),
                ));
            }
        }
        Ok(Self { file: file.to_owned(), lines })
    }

    fn error(&self, key: &str, reason: impl Into<String>) -> Error {
        let line = self.lines.get(key).copied().unwrap_or(1);
        Error::at(format!("{}:{line}", self.file), reason)
    }
}

fn parse_file<K: Ord + serde::de::DeserializeOwned, V: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<(BTreeMap<K, V>, KeyLines)> {
    let keys = KeyLines::scan(file, text)?;
    let map = crate::error::from_yaml(file, text)?;
    Ok((map, keys))
}

fn require_text(keys: &KeyLines, key: &str, what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(keys.error(key, format!("`{key}`: {what} is empty")));
    }
    Ok(())
}

fn require_status(keys: &KeyLines, key: &str, status: u16) -> Result<()> {
    if !(100..=599).contains(&status) {
        return Err(keys.error(key, format!("`{key}`: {status} is not an HTTP status")));
    }
    Ok(())
}

impl Tables {
    /// Parses and validates the five tables; `texts` follow [`FILES`], `dir` prefixes file names
    /// in errors.
    pub fn parse(dir: &str, texts: [&str; 5]) -> Result<Self> {
        let path = |name: &str| if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") };

        let (statuses, keys) = parse_file::<u16, StatusEntry>(&path(FILES[0]), texts[0])?;
        for (code, e) in &statuses {
            let key = code.to_string();
            require_status(&keys, &key, *code)?;
            require_text(&keys, &key, "name", &e.name)?;
            require_text(&keys, &key, "meaning", &e.meaning)?;
            require_text(&keys, &key, "action", &e.action)?;
            if e.families.is_empty() {
                return Err(keys.error(&key, format!("`{key}`: families is empty")));
            }
        }

        let (problems, keys) = parse_file::<String, ProblemEntry>(&path(FILES[1]), texts[1])?;
        for (slug, e) in &problems {
            let valid = slug == "about:blank"
                || (!slug.is_empty()
                    && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            if !valid {
                return Err(
                    keys.error(slug, format!("`{slug}` is not a problem slug (lowercase letters, digits, `-`)"))
                );
            }
            require_status(&keys, slug, e.status)?;
            require_text(&keys, slug, "title", &e.title)?;
            require_text(&keys, slug, "meaning", &e.meaning)?;
            require_text(&keys, slug, "action", &e.action)?;
            for field in e.fields.keys() {
                if ["type", "title", "detail", "status"].contains(&field.as_str()) {
                    return Err(keys.error(slug, format!("`{slug}`: `{field}` is a common field, not an extension")));
                }
            }
        }

        let (ads, keys) = parse_file::<String, AdsEntry>(&path(FILES[2]), texts[2])?;
        for (code, e) in &ads {
            let valid = code.starts_with(|c: char| c.is_ascii_uppercase())
                && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(keys.error(code, format!("`{code}` is not an Ads API code (CAPS_CASE)")));
            }
            require_status(&keys, code, e.status)?;
            require_text(&keys, code, "meaning", &e.meaning)?;
            require_text(&keys, code, "action", &e.action)?;
        }

        let (v1, keys) = parse_file::<u32, V1Entry>(&path(FILES[3]), texts[3])?;
        let mut names = BTreeMap::new();
        for (code, e) in &v1 {
            let key = code.to_string();
            require_status(&keys, &key, e.status)?;
            require_text(&keys, &key, "meaning", &e.meaning)?;
            require_text(&keys, &key, "action", &e.action)?;
            let valid = e.name.starts_with(|c: char| c.is_ascii_lowercase())
                && e.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(keys.error(&key, format!("`{key}`: name `{}` is not snake_case", e.name)));
            }
            if let Some(other) = names.insert(e.name.clone(), *code) {
                return Err(keys.error(&key, format!("`{key}`: name `{}` is already used by code {other}", e.name)));
            }
        }

        let (oauth, keys) = parse_file::<String, AdsEntry>(&path(FILES[4]), texts[4])?;
        for (code, e) in &oauth {
            let valid = !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !valid {
                return Err(keys.error(code, format!("`{code}` is not an OAuth 2.0 error code (snake_case)")));
            }
            require_status(&keys, code, e.status)?;
            require_text(&keys, code, "meaning", &e.meaning)?;
            require_text(&keys, code, "action", &e.action)?;
        }

        Ok(Self { statuses, problems, ads, v1, oauth, endpoint_rules: None, wire: None })
    }
}

impl Tables {
    /// Reads the five tables and the endpoint rules from a directory (normally `spec/errors`),
    /// and `wire.yaml` from its parent when there is one.
    pub fn read_dir(dir: &std::path::Path) -> Result<Self> {
        let mut texts: [String; 5] = Default::default();
        for (text, name) in texts.iter_mut().zip(FILES) {
            let path = dir.join(name);
            *text = std::fs::read_to_string(&path).map_err(|e| Error::at(path.display().to_string(), e.to_string()))?;
        }
        let mut tables =
            Self::parse(&dir.display().to_string(), [&texts[0], &texts[1], &texts[2], &texts[3], &texts[4]])?;
        let path = dir.join(crate::endpoint_rules::FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::at(path.display().to_string(), e.to_string()))?;
        tables.endpoint_rules =
            Some(crate::endpoint_rules::EndpointRules::parse(&path.display().to_string(), &text, &tables)?);
        let wire = dir.parent().map(|p| p.join(crate::wire::FILE)).filter(|p| p.exists());
        tables.wire = wire.map(|p| crate::wire::Wire::read(&p)).transpose()?;
        Ok(tables)
    }
}

/// The slug of a problem type URI, owned (see [`xapi_core::vocabulary::problem_slug`]).
pub fn problem_slug(type_uri: &str) -> Option<String> {
    xapi_core::vocabulary::problem_slug(type_uri).map(std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(replace: usize, with: &str) -> Result<Tables> {
        let mut t = ["", "", "", "", ""];
        t[replace] = with;
        Tables::parse("spec/errors", t)
    }

    #[test]
    fn duplicate_key_names_both_lines() {
        let e =
            texts(2, "A:\n  status: 400\n  meaning: m\n  action: a\n  retry: never\nA:\n  status: 401\n").unwrap_err();
        assert_eq!(e.to_string(), "spec/errors/ads_codes.yaml:6: duplicate key `A` (first at line 1)");
    }

    #[test]
    fn quoted_and_bare_numeric_keys_are_the_same_code() {
        let e = texts(3, "88:\n  name: a\n\"88\":\n  name: b\n").unwrap_err();
        assert!(e.to_string().starts_with("spec/errors/v1_codes.yaml:3: duplicate key `88`"), "{e}");
    }

    #[test]
    fn unknown_field_and_bad_status_give_a_line() {
        let e = texts(2, "A:\n  status: 400\n  meaning: m\n  action: a\n  retry: never\n  colour: red\n").unwrap_err();
        assert!(e.location == "spec/errors/ads_codes.yaml:6" && e.reason.contains("unknown field `colour`"), "{e}");
        let e = texts(2, "A:\n  status: four hundred\n  meaning: m\n  action: a\n  retry: never\n").unwrap_err();
        assert!(e.location == "spec/errors/ads_codes.yaml:2" && e.reason.contains("invalid type"), "{e}");
        let e = texts(2, "A:\n  status: 4000\n  meaning: m\n  action: a\n  retry: never\n").unwrap_err();
        assert_eq!(e.to_string(), "spec/errors/ads_codes.yaml:1: `A`: 4000 is not an HTTP status");
    }

    #[test]
    fn bad_yaml_and_bad_values() {
        let e = texts(0, "200:\n  name: [unclosed\n").unwrap_err();
        assert!(e.location.starts_with("spec/errors/http_status.yaml:"), "{e}");
        let e = texts(2, "lower_case:\n  status: 400\n  meaning: m\n  action: a\n  retry: never\n").unwrap_err();
        assert!(e.reason.contains("CAPS_CASE"), "{e}");
        let e = texts(2, "A:\n  status: 400\n  meaning: m\n  action: a\n  retry: sometimes\n").unwrap_err();
        assert!(e.location == "spec/errors/ads_codes.yaml:5" && e.reason.contains("unknown variant"), "{e}");
        let e = texts(3, "1:\n  name: same\n  status: 400\n  meaning: m\n  action: a\n  retry: never\n2:\n  name: same\n  status: 400\n  meaning: m\n  action: a\n  retry: never\n").unwrap_err();
        assert_eq!(e.to_string(), "spec/errors/v1_codes.yaml:7: `2`: name `same` is already used by code 1");
    }
}
