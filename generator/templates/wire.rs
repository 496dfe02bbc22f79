//! Reading objects as X sends them, for the generated models: properties no field takes are
//! kept ([`Extra`]) and written back, a legacy spelling (`tweet_count`) is read into its field
//! (`post_count`) and written back as it came, a list sent as one object is read as a list of
//! one, and a value that does not fit fails with the JSON path and the spec pointer:
//! `data[3].public_metrics.like_count: invalid type: string "x", expected i64 (spec:
//! #/components/schemas/PostPublicMetrics/properties/like_count)`.
//!
//! The models' `Deserialize` impls visit the JSON directly (no `serde_json::Value` in
//! between); the macros in `support.rs` write them in a few lines per type.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// What an object carried that no typed field took: properties this spec version does not
/// list and `null`s, as X sent them, written back when the object is serialized. It also
/// remembers how the typed fields came (a legacy spelling, a single object for a list), so
/// serializing gives back what was read. Compares and prints as its map.
#[derive(Clone, Default)]
pub struct Extra {
    map: BTreeMap<String, Value>,
    /// Bit `i`: field `i` came under its legacy spelling.
    legacy: u64,
    /// Bit `i`: field `i`, a list, came as a single object.
    single: u64,
}

fn bit(i: u32) -> u64 {
    1u64.checked_shl(i).unwrap_or(0)
}

impl Extra {
    /// Whether field `i` came under its legacy spelling.
    #[doc(hidden)]
    pub fn is_legacy(&self, i: u32) -> bool {
        self.legacy & bit(i) != 0
    }

    /// Whether field `i` (a list) came as a single object.
    #[doc(hidden)]
    pub fn is_single(&self, i: u32) -> bool {
        self.single & bit(i) != 0
    }

    /// The name field `i` is written under: the spelling it was read under.
    #[doc(hidden)]
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
        Self { map, legacy: 0, single: 0 }
    }
}

/// An object key, borrowed from the input when it can be (no allocation for known keys).
#[doc(hidden)]
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(s) => s,
            Self::Owned(s) => s,
        }
    }

    fn into_string(self) -> String {
        match self {
            Self::Borrowed(s) => s.to_owned(),
            Self::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Where the message of a decode failure says the spec states the rule it broke.
const SPEC: &str = " (spec: ";

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

impl DecodeFailure {
    /// Reads a serde_json error's message (`path: message (spec: pointer) at line L column C`).
    pub fn from_message(text: &str) -> Self {
        let text = strip_position(text);
        match text.rfind(SPEC).filter(|_| text.ends_with(')')) {
            Some(at) => {
                let pointer = text[at + SPEC.len()..text.len() - 1].to_owned();
                let (path, message) = text[..at].split_once(": ").unwrap_or(("", &text[..at]));
                Self { path: path.to_owned(), message: message.to_owned(), pointer: Some(pointer) }
            }
            None => Self { path: String::new(), message: text.to_owned(), pointer: None },
        }
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
/// pointer (of the innermost property) stays.
fn within<E: de::Error>(segment: fmt::Arguments<'_>, error: &dyn fmt::Display, pointer: &dyn Fn() -> String) -> E {
    let text = error.to_string();
    let inner = DecodeFailure::from_message(&text);
    let path = match (segment.to_string(), inner.path.as_str()) {
        (s, "") => s,
        (s, rest) if rest.starts_with('[') => format!("{s}{rest}"),
        (s, rest) => format!("{s}.{rest}"),
    };
    let pointer = inner.pointer.unwrap_or_else(pointer);
    E::custom(DecodeFailure { path, message: inner.message, pointer: Some(pointer) })
}

/// Reads one object's properties into its fields.
#[doc(hidden)]
pub struct Reader {
    /// The object's schema pointer.
    schema: &'static str,
    extra: Extra,
}

/// A property's pointer within its object's schema.
fn property_pointer(schema: &str, name: &str) -> String {
    let mut out = String::with_capacity(schema.len() + name.len() + 12);
    out.push_str(schema);
    out.push_str("/properties/");
    for c in name.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

impl Reader {
    pub fn new(schema: &'static str) -> Self {
        Self { schema, extra: Extra::default() }
    }

    fn fail<E: de::Error>(&self, name: &str, error: &dyn fmt::Display) -> E {
        within(format_args!("{name}"), error, &|| property_pointer(self.schema, name))
    }

    /// A property's value into its field; `null` is kept in `extra` (the field stays `None`).
    pub fn one<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        &mut self,
        map: &mut A,
        slot: &mut Option<T>,
        _i: u32,
        name: &'static str,
    ) -> Result<(), A::Error> {
        match map.next_value::<Option<T>>() {
            Ok(Some(v)) => *slot = Some(v),
            Ok(None) => {
                self.extra.map.insert(name.to_owned(), Value::Null);
            }
            Err(e) => return Err(self.fail(name, &e)),
        }
        Ok(())
    }

    /// The current spelling of a field that also has a legacy one, read by `read` (`one` or
    /// `many`): it wins over a legacy value read before, which moves to `extra` (both
    /// spellings in one object are both kept).
    pub fn current<'de, A, T, F>(
        &mut self,
        map: &mut A,
        slot: &mut Option<T>,
        i: u32,
        names: (&'static str, &'static str),
        read: F,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Serialize,
        F: FnOnce(&mut Self, &mut A, &mut Option<T>, u32, &'static str) -> Result<(), A::Error>,
    {
        let (name, legacy) = names;
        if self.extra.is_legacy(i) {
            if let Some(old) = slot.take() {
                let old = serde_json::to_value(old).map_err(|e| self.fail::<A::Error>(legacy, &e))?;
                self.extra.map.insert(legacy.to_owned(), old);
            }
            self.extra.legacy &= !bit(i);
        }
        read(self, map, slot, i, name)
    }

    /// The legacy spelling of a field, read by `read`: into the field unless the current
    /// spelling came first (then it is kept in `extra`).
    pub fn legacy<'de, A, T, F>(
        &mut self,
        map: &mut A,
        slot: &mut Option<T>,
        i: u32,
        legacy: &'static str,
        read: F,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        F: FnOnce(&mut Self, &mut A, &mut Option<T>, u32, &'static str) -> Result<(), A::Error>,
    {
        if slot.is_some() && !self.extra.is_legacy(i) {
            let v: Value = map.next_value()?;
            self.extra.map.insert(legacy.to_owned(), v);
            return Ok(());
        }
        read(self, map, slot, i, legacy)?;
        if slot.is_some() {
            self.extra.legacy |= bit(i);
        }
        Ok(())
    }

    /// A list: element failures name their index; one object where the list belongs is read
    /// as a list of one (and written back as one object).
    pub fn many<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        &mut self,
        map: &mut A,
        slot: &mut Option<Vec<T>>,
        i: u32,
        name: &'static str,
    ) -> Result<(), A::Error> {
        match map.next_value_seed(Many::<T>(std::marker::PhantomData)) {
            Ok(Listed::Null) => {
                self.extra.map.insert(name.to_owned(), Value::Null);
            }
            Ok(Listed::List(v)) => {
                *slot = Some(v);
                self.extra.single &= !bit(i);
            }
            Ok(Listed::Single(v)) => {
                *slot = Some(vec![v]);
                self.extra.single |= bit(i);
            }
            Err(e) => return Err(self.fail(name, &e)),
        }
        Ok(())
    }

    /// A property no field takes, kept as sent.
    pub fn unknown<'de, A: MapAccess<'de>>(&mut self, map: &mut A, key: Key<'de>) -> Result<(), A::Error> {
        let value: Value = map.next_value()?;
        self.extra.map.insert(key.into_string(), value);
        Ok(())
    }

    /// A property no field takes, into the typed `additionalProperties` map (`null`s are kept
    /// in `extra`).
    pub fn additional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        &mut self,
        map: &mut A,
        key: Key<'de>,
        into: &mut BTreeMap<String, T>,
    ) -> Result<(), A::Error> {
        match map.next_value::<Option<T>>() {
            Ok(Some(v)) => {
                into.insert(key.into_string(), v);
            }
            Ok(None) => {
                self.extra.map.insert(key.into_string(), Value::Null);
            }
            Err(e) => {
                let name = key.as_str();
                let pointer = || format!("{}/additionalProperties", self.schema);
                return Err(within(format_args!("{name}"), &e, &pointer));
            }
        }
        Ok(())
    }

    /// The error for a required property that is missing (request models only).
    pub fn missing<E: de::Error>(&self, name: &'static str) -> E {
        E::custom(DecodeFailure {
            path: String::new(),
            message: format!("missing field `{name}`"),
            pointer: Some(property_pointer(self.schema, name)),
        })
    }

    pub fn finish(self) -> Extra {
        self.extra
    }
}

/// What a list property held.
enum Listed<T> {
    Null,
    List(Vec<T>),
    Single(T),
}

struct Many<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Many<T> {
    type Value = Listed<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Listed<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Many<T> {
    type Value = Listed<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Listed<T>, E> {
        Ok(Listed::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Listed<T>, E> {
        Ok(Listed::Null)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Listed<T>, S::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            match seq.next_element::<T>() {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Ok(Listed::List(out)),
                Err(e) => {
                    let i = out.len();
                    return Err(within(format_args!("[{i}]"), &e, &String::new));
                }
            }
        }
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Listed<T>, M::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Listed::Single)
    }
}

/// Writes an object: its fields, then what `extra` kept.
#[doc(hidden)]
pub struct Writer<M> {
    map: M,
}

impl<M: SerializeMap> Writer<M> {
    pub fn begin<S: Serializer<SerializeMap = M>>(s: S) -> Result<Self, S::Error> {
        Ok(Self { map: s.serialize_map(None)? })
    }

    pub fn req<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), M::Error> {
        self.map.serialize_entry(name, value)
    }

    pub fn opt<T: Serialize>(&mut self, name: &str, value: &Option<T>) -> Result<(), M::Error> {
        match value {
            Some(v) => self.map.serialize_entry(name, v),
            None => Ok(()),
        }
    }

    /// A list, as one object when it was read as one.
    pub fn many<T: Serialize>(&mut self, name: &str, value: &[T], single: bool) -> Result<(), M::Error> {
        match value {
            [one] if single => self.map.serialize_entry(name, one),
            all => self.map.serialize_entry(name, all),
        }
    }

    pub fn additional<T: Serialize>(&mut self, values: &BTreeMap<String, T>) -> Result<(), M::Error> {
        values.iter().try_for_each(|(k, v)| self.map.serialize_entry(k, v))
    }

    pub fn finish(mut self, extra: &Extra) -> Result<M::Ok, M::Error> {
        for (k, v) in &extra.map {
            self.map.serialize_entry(k, v)?;
        }
        self.map.end()
    }
}

/// How well a decoded union member fits the value it came from: members are told apart by
/// the properties their spec requires (present or not) and by how many properties they did
/// not know.
#[doc(hidden)]
pub trait Fit {
    /// (every required property present, properties left in `extra`).
    fn fit(&self) -> (bool, usize);
}

impl<T: Fit> Fit for Box<T> {
    fn fit(&self) -> (bool, usize) {
        (**self).fit()
    }
}

/// Whether a union member is a better fit than the best so far: required properties present
/// first, then fewer unknown properties; the earlier member wins ties.
#[doc(hidden)]
pub fn better(candidate: (bool, usize), best: Option<(bool, usize)>) -> bool {
    match best {
        None => true,
        Some((req, unknown)) => (candidate.0 && !req) || (candidate.0 == req && candidate.1 < unknown),
    }
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
