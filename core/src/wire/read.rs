//! Reading an object's properties into a model, for `json_object!`. Models whose fields are
//! all optional (everything X sends) are read in place: each object is filled where it will
//! live (in its box, in its list), never built on the stack and moved there.

use super::{within, Extra};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use super::bit;

/// An object key, borrowed from the input when it can be (no allocation for known keys).
#[doc(hidden)]
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    #[inline]
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

/// A model that reads an object into itself (every field optional: it starts as `Default`).
/// The generated impl only says which key goes where; [`read_into`] does the rest.
#[doc(hidden)]
pub trait Object: Default {
    /// The schema's JSON pointer (for decode failures).
    const SCHEMA: &'static str;

    /// Where the properties no field takes go.
    fn extra_mut(&mut self) -> &mut Extra;

    /// Reads the value of `key` (the next value of `map`) into its field, or into `extra`.
    fn read_key<'de, A: MapAccess<'de>>(&mut self, r: &mut Reader<'_, A::Error>, map: &mut A, key: Key<'de>);
}

/// Reads the object `d` holds into `place`, which is `Default` (or holds a value read before,
/// for a key sent twice: later properties win).
#[doc(hidden)]
pub fn read_into<'de, D: Deserializer<'de>, T: Object>(d: D, place: &mut T) -> Result<(), D::Error> {
    d.deserialize_map(ObjectVisitor(place))
}

/// `T::deserialize` for a lenient model: `Default`, then read in place.
#[doc(hidden)]
pub fn read<'de, D: Deserializer<'de>, T: Object>(d: D) -> Result<T, D::Error> {
    let mut out = T::default();
    read_into(d, &mut out)?;
    Ok(out)
}

struct ObjectVisitor<'a, T>(&'a mut T);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object of schema {}", T::SCHEMA)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let place = self.0;
        let mut extra = std::mem::take(place.extra_mut());
        let mut r = Reader::new(T::SCHEMA, &mut extra);
        let result = loop {
            match map.next_key::<Key<'de>>() {
                Ok(Some(key)) => {
                    place.read_key(&mut r, &mut map, key);
                    if let Some(e) = r.take_error() {
                        break Err(e);
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        *place.extra_mut() = extra;
        result
    }
}

/// Reads one object's properties into its fields and `extra`. Its methods keep the first
/// error (the generated code checks once per key, not once per field).
#[doc(hidden)]
pub struct Reader<'x, E> {
    /// The object's schema pointer.
    schema: &'static str,
    extra: &'x mut Extra,
    error: Option<E>,
    /// While a legacy spelling is read: the current one, which names the property in the spec.
    current: Option<&'static str>,
}

/// A property's pointer within its object's schema.
pub(super) fn property_pointer(schema: &str, name: &str) -> String {
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

impl<'x, E: de::Error> Reader<'x, E> {
    #[inline]
    pub fn new(schema: &'static str, extra: &'x mut Extra) -> Self {
        Self { schema, extra, error: None, current: None }
    }

    /// The first error, if reading failed.
    #[inline]
    pub fn take_error(&mut self) -> Option<E> {
        self.error.take()
    }

    /// Keeps the first failure, at `name` in the JSON (the spelling that came) and at the
    /// property in the spec (its current spelling).
    fn fail(&mut self, name: &str, error: &dyn fmt::Display) {
        let property = self.current.unwrap_or(name);
        let e = within(format_args!("{name}"), error, &|| Some(property_pointer(self.schema, property)));
        self.error.get_or_insert(e);
    }

    /// Field `i` came as `null`: it is `None`, and is written back as `null`.
    fn null(&mut self, i: u32) {
        self.extra.null |= bit(i);
    }

    /// Field `i` came with a value.
    fn value(&mut self, i: u32) {
        self.extra.null &= !bit(i);
    }

    /// A property's value into its field; `null` is kept in `extra` (the field stays `None`).
    pub fn one<'de, A: MapAccess<'de, Error = E>, T: Deserialize<'de>>(
        &mut self,
        map: &mut A,
        slot: &mut Option<T>,
        i: u32,
        name: &'static str,
    ) {
        match map.next_value::<Option<T>>() {
            Ok(Some(v)) => {
                *slot = Some(v);
                self.value(i);
            }
            Ok(None) => {
                *slot = None;
                self.null(i);
            }
            Err(e) => self.fail(name, &e),
        }
    }

    /// A nested object, read into its box.
    pub fn object<'de, A: MapAccess<'de, Error = E>, T: Object>(
        &mut self,
        map: &mut A,
        slot: &mut Option<Box<T>>,
        i: u32,
        name: &'static str,
    ) {
        match map.next_value_seed(BoxInto(slot)) {
            Ok(true) => self.value(i),
            Ok(false) => {
                *slot = None;
                self.null(i);
            }
            Err(e) => self.fail(name, &e),
        }
    }

    /// A list: element failures name their index; one object where the list belongs is read
    /// as a list of one (and written back as one object).
    pub fn many<'de, A: MapAccess<'de, Error = E>, T: Deserialize<'de>>(
        &mut self,
        map: &mut A,
        slot: &mut Option<Vec<T>>,
        i: u32,
        name: &'static str,
    ) {
        let listed = map.next_value_seed(Many::<T, Copied>(slot, PhantomData));
        self.listed(listed, slot, i, name)
    }

    /// A list of objects, each read where it lands in the list.
    pub fn objects<'de, A: MapAccess<'de, Error = E>, T: Object>(
        &mut self,
        map: &mut A,
        slot: &mut Option<Vec<T>>,
        i: u32,
        name: &'static str,
    ) {
        let listed = map.next_value_seed(Many::<T, InPlace>(slot, PhantomData));
        self.listed(listed, slot, i, name)
    }

    fn listed<T>(&mut self, listed: Result<Listed, E>, slot: &mut Option<Vec<T>>, i: u32, name: &'static str) {
        match listed {
            Ok(Listed::Null) => {
                *slot = None;
                self.null(i);
            }
            Ok(Listed::List) => {
                self.value(i);
                self.extra.single &= !bit(i);
            }
            Ok(Listed::Single) => {
                self.value(i);
                self.extra.single |= bit(i);
            }
            Err(e) => self.fail(name, &e),
        }
    }

    /// The current spelling of a field that also has a legacy one, read by `read` (`one`,
    /// `many`, …): it wins over a legacy value read before, which moves to `extra` as it came
    /// (both spellings in one object are both kept).
    pub fn current<'de, A, T, F>(
        &mut self,
        map: &mut A,
        slot: &mut Option<T>,
        i: u32,
        names: (&'static str, &'static str),
        read: F,
    ) where
        A: MapAccess<'de, Error = E>,
        T: Serialize,
        F: FnOnce(&mut Self, &mut A, &mut Option<T>, u32, &'static str),
    {
        let (name, legacy) = names;
        if self.extra.is_legacy(i) {
            let old = match slot.take() {
                Some(old) => match serde_json::to_value(old) {
                    // A list that came as one object goes back as one object.
                    Ok(Value::Array(mut items)) if items.len() == 1 && self.extra.is_single(i) => items.remove(0),
                    Ok(v) => v,
                    Err(e) => return self.fail(legacy, &e),
                },
                None => Value::Null,
            };
            self.extra.map.insert(legacy.to_owned(), old);
            self.extra.legacy &= !bit(i);
        }
        read(self, map, slot, i, name)
    }

    /// The legacy spelling of a field, read by `read`: into the field unless the current
    /// spelling came first (then it is kept in `extra`, as it came).
    pub fn legacy<'de, A, T, F>(
        &mut self,
        map: &mut A,
        slot: &mut Option<T>,
        i: u32,
        names: (&'static str, &'static str),
        read: F,
    ) where
        A: MapAccess<'de, Error = E>,
        F: FnOnce(&mut Self, &mut A, &mut Option<T>, u32, &'static str),
    {
        let (current, legacy) = names;
        let came_current = (slot.is_some() || self.extra.is_null(i)) && !self.extra.is_legacy(i);
        if came_current {
            match map.next_value::<Value>() {
                Ok(v) => {
                    self.extra.map.insert(legacy.to_owned(), v);
                }
                Err(e) => self.fail(legacy, &e),
            }
            return;
        }
        self.current = Some(current);
        read(self, map, slot, i, legacy);
        self.current = None;
        self.extra.legacy |= bit(i);
    }

    /// A property no field takes, kept as sent.
    pub fn unknown<'de, A: MapAccess<'de, Error = E>>(&mut self, map: &mut A, key: Key<'de>) {
        match map.next_value::<Value>() {
            Ok(value) => {
                self.extra.map.insert(key.into_string(), value);
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    /// A property no field takes, into the typed `additionalProperties` map (`null`s are kept
    /// in `extra`).
    pub fn additional<'de, A: MapAccess<'de, Error = E>, T: Deserialize<'de>>(
        &mut self,
        map: &mut A,
        key: Key<'de>,
        into: &mut BTreeMap<String, T>,
    ) {
        match map.next_value::<Option<T>>() {
            Ok(Some(v)) => {
                into.insert(key.into_string(), v);
            }
            Ok(None) => {
                self.extra.map.insert(key.into_string(), Value::Null);
            }
            Err(e) => {
                let name = key.as_str();
                let pointer = || Some(format!("{}/additionalProperties", self.schema));
                let e = within(format_args!("{name}"), &e, &pointer);
                self.error.get_or_insert(e);
            }
        }
    }

    /// The error for a required property that is missing (request models only).
    pub fn missing(&self, name: &'static str) -> E {
        let message = format!("missing field `{name}`");
        within(format_args!("{name}"), &message, &|| Some(property_pointer(self.schema, name)))
    }
}

/// Reads an optional nested object into its box: `false` for `null`.
struct BoxInto<'a, T>(&'a mut Option<Box<T>>);

impl<'de, T: Object> DeserializeSeed<'de> for BoxInto<'_, T> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: Object> Visitor<'de> for BoxInto<'_, T> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        // A key sent twice: the later object replaces the earlier, as serde_json reads it.
        let place = self.0.insert(Box::default());
        read_into(d, &mut **place)?;
        Ok(true)
    }
}

/// Reads a value into `place` (an object, in place).
struct Into<'a, T>(&'a mut T);

impl<'de, T: Object> DeserializeSeed<'de> for Into<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        read_into(d, self.0)
    }
}

/// What a list property held (its items are in the slot).
enum Listed {
    Null,
    List,
    Single,
}

/// How list items are read: built and moved in (any type), or read in place (objects).
trait Items<'de, T> {
    fn next<S: SeqAccess<'de>>(seq: &mut S, out: &mut Vec<T>) -> Result<bool, S::Error>;
    fn single<M: MapAccess<'de>>(map: M, out: &mut Vec<T>) -> Result<(), M::Error>;
}

struct Copied;
struct InPlace;

impl<'de, T: Deserialize<'de>> Items<'de, T> for Copied {
    fn next<S: SeqAccess<'de>>(seq: &mut S, out: &mut Vec<T>) -> Result<bool, S::Error> {
        Ok(match seq.next_element::<T>()? {
            Some(v) => {
                out.push(v);
                true
            }
            None => false,
        })
    }

    fn single<M: MapAccess<'de>>(map: M, out: &mut Vec<T>) -> Result<(), M::Error> {
        out.push(T::deserialize(de::value::MapAccessDeserializer::new(map))?);
        Ok(())
    }
}

impl<'de, T: Object> Items<'de, T> for InPlace {
    fn next<S: SeqAccess<'de>>(seq: &mut S, out: &mut Vec<T>) -> Result<bool, S::Error> {
        out.push(T::default());
        let i = out.len() - 1;
        let read = seq.next_element_seed(Into(&mut out[i]));
        if !matches!(read, Ok(Some(()))) {
            out.pop();
        }
        Ok(read?.is_some())
    }

    fn single<M: MapAccess<'de>>(map: M, out: &mut Vec<T>) -> Result<(), M::Error> {
        out.push(T::default());
        let i = out.len() - 1;
        read_into(de::value::MapAccessDeserializer::new(map), &mut out[i])
    }
}

struct Many<'a, T, How>(&'a mut Option<Vec<T>>, PhantomData<How>);

impl<'de, T, How: Items<'de, T>> DeserializeSeed<'de> for Many<'_, T, How> {
    type Value = Listed;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Listed, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T, How: Items<'de, T>> Visitor<'de> for Many<'_, T, How> {
    type Value = Listed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Listed, E> {
        Ok(Listed::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Listed, E> {
        Ok(Listed::Null)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Listed, S::Error> {
        // serde_json gives no size hint; most lists X sends have a few to a hundred items.
        let out = self.0.insert(Vec::with_capacity(seq.size_hint().unwrap_or(8).min(4096)));
        loop {
            match How::next(&mut seq, out) {
                Ok(true) => {}
                Ok(false) => return Ok(Listed::List),
                Err(e) => {
                    let i = out.len();
                    return Err(within(format_args!("[{i}]"), &e, &|| None));
                }
            }
        }
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Listed, M::Error> {
        let out = self.0.insert(Vec::with_capacity(1));
        How::single(map, out)?;
        Ok(Listed::Single)
    }
}
