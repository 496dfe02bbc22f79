//! Writing a model back as the object it came from, for `json_object!`: its fields under the
//! spelling they were read under, lists sent as one object as one object, then what `extra`
//! kept.

use super::{Extra, WITHOUT_EXTRA};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::collections::BTreeMap;

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
        if !WITHOUT_EXTRA.with(std::cell::Cell::get) {
            for (k, v) in &extra.map {
                self.map.serialize_entry(k, v)?;
            }
        }
        self.map.end()
    }
}

