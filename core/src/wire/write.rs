//! Writing a model back as the object it came from, for `json_object!`: its fields under the
//! spelling they were read under, lists sent as one object as one object, then what `extra`
//! kept.

use super::{Extra, WITHOUT_EXTRA};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::collections::BTreeMap;

/// Writes an object: its fields, then what `extra` kept. It keeps the first error and
/// reports it at `finish` (the generated code writes each field without checking).
#[doc(hidden)]
pub struct Writer<M: SerializeMap> {
    map: Result<M, M::Error>,
}

impl<M: SerializeMap> Writer<M> {
    pub fn begin<S: Serializer<SerializeMap = M, Error = M::Error>>(s: S) -> Self {
        Self { map: s.serialize_map(None) }
    }

    fn put<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Ok(map) = &mut self.map {
            if let Err(e) = map.serialize_entry(name, value) {
                self.map = Err(e);
            }
        }
    }

    pub fn req<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.put(name, value);
    }

    /// An optional field: its value, or `null` when it came as `null`.
    pub fn opt<T: Serialize>(&mut self, name: &str, value: &Option<T>, null: bool) {
        match value {
            Some(v) => self.put(name, v),
            None if null => self.put(name, &()),
            None => {}
        }
    }

    /// A list, as one object when it was read as one.
    pub fn many<T: Serialize>(&mut self, name: &str, value: &[T], single: bool) {
        match value {
            [one] if single => self.put(name, one),
            all => self.put(name, all),
        }
    }

    /// An optional list, as one object when it was read as one, or `null` when it came so.
    pub fn opt_many<T: Serialize>(&mut self, name: &str, value: &Option<Vec<T>>, single: bool, null: bool) {
        match value {
            Some(v) => self.many(name, v, single),
            None if null => self.put(name, &()),
            None => {}
        }
    }

    pub fn additional<T: Serialize>(&mut self, values: &BTreeMap<String, T>) {
        for (k, v) in values {
            self.put(k, v);
        }
    }

    pub fn finish(self, extra: &Extra) -> Result<M::Ok, M::Error> {
        let mut map = self.map?;
        if !WITHOUT_EXTRA.with(std::cell::Cell::get) {
            for (k, v) in &extra.map {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}
