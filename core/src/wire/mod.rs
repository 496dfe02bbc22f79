//! Reading objects as X sends them, for the generated models: properties no field takes are
//! kept ([`Extra`]) and written back, a legacy spelling (`tweet_count`) is read into its field
//! (`post_count`) and written back as it came, a list sent as one object is read as a list of
//! one, and a value that does not fit fails with the JSON path and the spec pointer:
//! `data[3].public_metrics.like_count: invalid type: string "x", expected i64 (spec:
//! #/components/schemas/PostPublicMetrics/properties/like_count)`.
//!
//! The models' `Deserialize` impls visit the JSON directly (no `serde_json::Value` in
//! between); the macros in `support.rs` write them in a few lines per type.

mod read;
mod write;

pub use read::{read, read_into, Key, Object, Reader};
pub use write::Writer;

use serde::de;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// What an object carried that no typed field took: properties this spec version does not
/// list, as X sent them, written back when the object is serialized. It also remembers how
/// the typed fields came (a legacy spelling, a single object for a list, `null`), so
/// serializing gives back what was read. Compares and prints as its map (two values with the
/// same data are equal whichever spelling they came in). How fields came is tracked for the
/// first 128 fields of a struct (the largest of X's has 36).
#[derive(Clone, Default)]
pub struct Extra {
    map: BTreeMap<String, Value>,
    /// Bit `i`: field `i` came under its legacy spelling.
    legacy: u128,
    /// Bit `i`: field `i`, a list, came as a single object.
    single: u128,
    /// Bit `i`: field `i` came as `null` (it is `None`, and is written back as `null`).
    null: u128,
}

#[inline]
fn bit(i: u32) -> u128 {
    1u128.checked_shl(i).unwrap_or(0)
}

impl Extra {
    /// Whether field `i` came under its legacy spelling.
    #[doc(hidden)]
    #[inline]
    pub fn is_legacy(&self, i: u32) -> bool {
        self.legacy & bit(i) != 0
    }

    /// Whether field `i` (a list) came as a single object.
    #[doc(hidden)]
    #[inline]
    pub fn is_single(&self, i: u32) -> bool {
        self.single & bit(i) != 0
    }

    /// Whether field `i` came as `null`.
    #[doc(hidden)]
    #[inline]
    pub fn is_null(&self, i: u32) -> bool {
        self.null & bit(i) != 0
    }

    /// The name field `i` is written under: the spelling it was read under.
    #[doc(hidden)]
    #[inline]
    pub fn name(&self, i: u32, current: &'static str, legacy: &'static str) -> &'static str {
        if self.is_legacy(i) {
            legacy
        } else {
            current
        }
    }

    /// The map of what no field took.
    pub fn into_map(self) -> BTreeMap<String, Value> {
        self.map
    }
}

impl std::ops::Deref for Extra {
    type Target = BTreeMap<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.map
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.map.fmt(f)
    }
}

impl From<BTreeMap<String, Value>> for Extra {
    fn from(map: BTreeMap<String, Value>) -> Self {
        Self { map, legacy: 0, single: 0, null: 0 }
    }
}

/// Where the message of a decode failure says the spec states the rule it broke.
const SPEC: &str = " (spec: ";
/// Stands for "no pointer yet" while a failure climbs out of a list.
const NO_POINTER: &str = "-";

/// A decode failure read back from its message: the JSON path, what went wrong, and the spec
/// pointer of the property whose value did not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    /// `data[3].public_metrics.like_count`; empty at the top level.
    pub path: String,
    /// serde's words for what went wrong.
    pub message: String,
    /// The JSON pointer of the property in the spec, when a generated model reported it.
    pub pointer: Option<String>,
}

/// A pointer the models write: `#/…` with no space or quote (a value quoted in serde's
/// message can hold anything else), or the placeholder.
fn is_pointer(p: &str) -> bool {
    p == NO_POINTER || (p.starts_with("#/") && !p.contains(|c: char| c.is_whitespace() || c == '"'))
}

impl DecodeFailure {
    /// Reads a serde_json error's message (`path: message (spec: pointer) at line L column C`):
    /// the form the models give their failures. Any other message is all message.
    pub fn from_message(text: &str) -> Self {
        let text = strip_position(text);
        let marked = text.strip_suffix(')').and_then(|t| t.rfind(SPEC).map(|at| (at, &t[at + SPEC.len()..])));
        match marked.filter(|(_, p)| is_pointer(p)) {
            Some((at, pointer)) => {
                let (path, message) = text[..at].split_once(": ").unwrap_or(("", &text[..at]));
                let pointer = (pointer != NO_POINTER).then(|| pointer.to_owned());
                Self { path: path.to_owned(), message: message.to_owned(), pointer }
            }
            None => Self { path: String::new(), message: text.to_owned(), pointer: None },
        }
    }

    /// The message form [`Self::from_message`] reads back: `path: message (spec: pointer)`.
    fn marked(&self) -> String {
        let pointer = self.pointer.as_deref().unwrap_or(NO_POINTER);
        format!("{}: {}{SPEC}{pointer})", self.path, self.message)
    }
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        match &self.pointer {
            Some(p) => write!(f, "{SPEC}{p})"),
            None => Ok(()),
        }
    }
}

/// serde_json ends messages with ` at line L column C`; the path says where instead.
fn strip_position(text: &str) -> &str {
    let Some(at) = text.rfind(" at line ") else { return text };
    let tail = &text[at + " at line ".len()..];
    let is_position = tail.split_once(" column ").is_some_and(|(l, c)| {
        !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) && !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())
    });
    if is_position {
        &text[..at]
    } else {
        text
    }
}

/// The error a failure inside `segment` becomes one level up: the path grows, the spec
/// pointer of the innermost property stays (a list item has none of its own: `pointer` gives
/// `None` and the property holding the list fills it in).
pub(crate) fn within<E: de::Error>(
    segment: fmt::Arguments<'_>,
    error: &dyn fmt::Display,
    pointer: &dyn Fn() -> Option<String>,
) -> E {
    let text = error.to_string();
    let inner = DecodeFailure::from_message(&text);
    let path = match (segment.to_string(), inner.path.as_str()) {
        (s, "") => s,
        (s, rest) if rest.starts_with('[') => format!("{s}{rest}"),
        (s, rest) => format!("{s}.{rest}"),
    };
    let pointer = inner.pointer.or_else(pointer);
    E::custom(DecodeFailure { path, message: inner.message, pointer }.marked())
}

thread_local! {
    pub(crate) static WITHOUT_EXTRA: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Extra`] left out of what models serialize: only what the spec types.
/// (`differences(sent, without_extra(|| to_value(&typed)))` lists what only `extra` kept.)
pub fn without_extra<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            WITHOUT_EXTRA.with(|w| w.set(self.0));
        }
    }
    let _restore = Restore(WITHOUT_EXTRA.with(|w| w.replace(true)));
    f()
}

/// How deep unions may nest on one value before the innermost keeps it whole: a backstop
/// for member chains [`within_union`] cannot see as a loop.
pub const UNION_DEPTH: usize = 64;

thread_local! {
    /// The unions trying their members right now, each with the value it tries.
    static UNIONS: std::cell::RefCell<Vec<(std::any::TypeId, usize)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs union `U`'s attempts at its members on `value`. Members are read from the value
/// already parsed, so unions that list each other (`A` is `B` or text, `B` is `A` or a
/// number) would otherwise recurse without end on a value that fits neither: a union asked
/// again for the same value while it is still trying it answers `None` (it cannot find
/// anything new), as does one past [`UNION_DEPTH`].
#[doc(hidden)]
pub fn within_union<U: 'static, R>(value: &Value, f: impl FnOnce() -> Option<R>) -> Option<R> {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            UNIONS.with(|u| u.borrow_mut().pop());
        }
    }
    let key = (std::any::TypeId::of::<U>(), value as *const Value as usize);
    let entered = UNIONS.with(|u| {
        let mut u = u.borrow_mut();
        let fresh = u.len() < UNION_DEPTH && !u.contains(&key);
        if fresh {
            u.push(key);
        }
        fresh
    });
    if !entered {
        return None;
    }
    let _leave = Leave;
    f()
}

/// A union's members without its fallback: the member `value` fits, if any. A union that is
/// a member of another is tried through this, so the outer union, not the inner one's
/// `Unknown`, keeps a value no member fits.
#[doc(hidden)]
pub trait Members: Sized {
    fn members(value: &Value) -> Option<Self>;
}

/// What a union member's schema says about the objects it describes: the property names it
/// reads (both spellings) and the ones its spec requires. Untagged unions compare members by it.
#[doc(hidden)]
pub trait Fit {
    const KNOWN: &'static [&'static str];
    /// Each required property with its spellings.
    const REQUIRED: &'static [&'static [&'static str]];
}

impl<T: Fit> Fit for Box<T> {
    const KNOWN: &'static [&'static str] = T::KNOWN;
    const REQUIRED: &'static [&'static [&'static str]] = T::REQUIRED;
}

/// How well an object fits a union member, best highest.
#[doc(hidden)]
pub type Score = (bool, std::cmp::Reverse<usize>, usize, usize);

/// How well an object fits member `T`, best highest: every required property present, then
/// fewer properties it does not know, then more of its required ones present (the more
/// specific member wins), then more it knows. `None` for a value that is not an object.
#[doc(hidden)]
pub fn score<T: Fit>(value: &Value) -> Option<Score> {
    let object = value.as_object()?;
    let present = T::REQUIRED.iter().filter(|names| names.iter().any(|n| object.contains_key(*n))).count();
    let known = object.keys().filter(|k| T::KNOWN.contains(&k.as_str())).count();
    Some((present == T::REQUIRED.len(), std::cmp::Reverse(object.len() - known), present, known))
}

/// Whether the tag a value carries selects a union member: equal, or, for problem type URIs,
/// the same slug on any host (`https://api.twitter.com/2/problems/x` is `https://api.x.com/2/problems/x`).
#[doc(hidden)]
pub fn same_tag(sent: &str, listed: &str) -> bool {
    if sent == listed {
        return true;
    }
    const PROBLEMS: &str = "/2/problems/";
    match (sent.find(PROBLEMS), listed.find(PROBLEMS)) {
        (Some(a), Some(b)) => sent[a..].eq_ignore_ascii_case(&listed[b..]),
        _ => false,
    }
}

/// Decodes a body X sent: UTF-8 is checked once for the whole body (serde_json otherwise checks
/// every string on its own), then the JSON is read as `T`.
pub fn from_slice<'a, T: de::Deserialize<'a>>(body: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        // Let serde_json say where the bad byte is.
        Err(_) => serde_json::from_slice(body),
    }
}

/// Whether two numbers are the same value: integers exactly (an id past 2^53 read into a
/// float and written back changes), else as floats (`1` and `1.0`).
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e38).map(|f| f as i128))
    };
    match (a.is_f64(), b.is_f64()) {
        (false, _) | (_, false) => int(a).is_some() && int(a) == int(b),
        (true, true) => a.as_f64() == b.as_f64(),
    }
}

/// Where a value read back differs from the value X sent: the JSON paths of properties lost or
/// added and of values that changed (numbers compare by value: `1` and `1.0` are the same).
/// Empty when decoding and serializing again kept everything.
pub fn differences(sent: &Value, back: &Value) -> Vec<String> {
    let mut out = Vec::new();
    differ(sent, back, &mut String::new(), &mut out);
    out
}

fn differ(sent: &Value, back: &Value, path: &mut String, out: &mut Vec<String>) {
    let at = |path: &str| if path.is_empty() { "(the whole value)".to_owned() } else { path.to_owned() };
    match (sent, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                match b.get(k) {
                    Some(w) => differ(v, w, path, out),
                    None => out.push(format!("{path}: lost")),
                }
                path.truncate(len);
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{}{}{k}: added", path, if path.is_empty() { "" } else { "." }));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                differ(v, w, path, out);
                path.truncate(len);
            }
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{}: {a} became {b}", at(path))),
    }
}
