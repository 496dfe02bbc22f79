//! Reading a JSON spec a part at a time: each path item and each component schema is parsed,
//! given `spec/wire.yaml`, converted and dropped before the next one is read.
//!
//! Most of a spec is those two maps. As one `serde_json::Value` it takes several times its
//! size (a `BTreeMap` node per object), and the table's walk and the conversion then read all
//! of it back from memory; a part at a time, each part is parsed, walked and converted while
//! it is in cache, and the same memory serves the next one (in `xtask diff`, a few
//! milliseconds a side). The rest of the document (info, tags, the other components) is
//! small and stays JSON until the end.
//!
//! The result is what reading the whole document gives, or nothing: the table is applied to
//! each part as to the whole spec ([`Wire::apply_part`], then [`Wire::finish`] in walk order),
//! and members go into the maps sorted, as `Value`'s `BTreeMap` has them. Anything unusual
//! (a duplicate member, a table pointer at a whole map, a map with a `properties` member,
//! which the walk would read, invalid JSON, a stale entry with `strict`) gives up, and `load`
//! reads the whole document instead, for its exact result or error.

use super::fast;
use crate::error::pointer;
use crate::wire::{walks_into, Applied, Part, Target, Wire};
use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;

/// The maps whose members are read one at a time ([`Container::Paths`],
/// [`Container::Schemas`]) or kept as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Container {
    Root,
    Components,
    Paths,
    Schemas,
}

impl Container {
    fn pointer(self) -> &'static str {
        match self {
            Self::Root => "#",
            Self::Components => "#/components",
            Self::Paths => "#/paths",
            Self::Schemas => "#/components/schemas",
        }
    }
}

/// The table's pointers by the part they point into: by container, then key (so a part's
/// key looks them up as it is, without a `String` made for it).
type Routes<'w> = HashMap<Container, HashMap<String, Vec<Target<'w>>>>;

struct Reader<'w> {
    wire: Option<&'w Wire>,
    routes: Routes<'w>,
    root: Vec<(String, Value)>,
    components: Option<Vec<(String, Value)>>,
    schemas: Option<Vec<(String, ReferenceOr<Schema>, Part)>>,
    /// Every member of `paths` read, and the path items and extensions among them.
    paths: Option<Vec<(String, Part)>>,
    items: Vec<(String, ReferenceOr<PathItem>)>,
    extensions: Vec<(String, Value)>,
}

/// The spec and what the table did to it, when it reads this way (see the module doc).
pub(super) fn parse(bytes: &[u8], wire: Option<&Wire>, strict: bool) -> Option<(OpenAPI, Applied)> {
    let routes = match wire {
        Some(wire) => route(wire)?,
        None => HashMap::new(),
    };
    let mut reader = Reader {
        wire,
        routes,
        root: Vec::new(),
        components: None,
        schemas: None,
        paths: None,
        items: Vec::new(),
        extensions: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    (&mut de).deserialize_map(Members(&mut reader, Container::Root)).ok()?;
    de.end().ok()?;
    reader.finish(strict)
}

/// Where each of the table's pointers lands; `None` when one is not inside a part.
fn route(wire: &Wire) -> Option<Routes<'_>> {
    let mut routes: Routes<'_> = HashMap::new();
    for (slot, p) in wire.targets() {
        let (container, key, rest) = locate(p)?;
        routes.entry(container).or_default().entry(key).or_default().push(Target { slot, pointer: p, rest });
    }
    Some(routes)
}

/// The part a pointer is in and the pointer below it: `#/paths/P/…` is in path item `P`,
/// `#/components/schemas/S/…` in schema `S`, `#/components/K/…` in member `K` of
/// `components`, `#/K/…` in member `K` of the document.
fn locate(p: &str) -> Option<(Container, String, &str)> {
    // One reference token and what follows it (empty, or from the next `/`).
    fn token(s: &str) -> Option<(String, &str)> {
        let s = s.strip_prefix('/')?;
        let end = s.find('/').unwrap_or(s.len());
        Some((pointer::unescape(&s[..end]), &s[end..]))
    }
    let (first, rest) = token(p.strip_prefix('#')?)?;
    Some(match first.as_str() {
        "paths" => {
            let (key, rest) = token(rest)?;
            (Container::Paths, key, rest)
        }
        "components" => match token(rest)? {
            (schemas, rest) if schemas == "schemas" => {
                let (key, rest) = token(rest)?;
                (Container::Schemas, key, rest)
            }
            (key, rest) => (Container::Components, key, rest),
        },
        _ => (Container::Root, first, rest),
    })
}

impl Reader<'_> {
    /// Applies the table to one part, `key` of `container`.
    fn apply(wire: Option<&Wire>, routes: &Routes<'_>, container: Container, key: &str, value: &mut Value) -> Part {
        let Some(wire) = wire else { return Part::default() };
        let targets = routes.get(&container).and_then(|r| r.get(key)).map_or(&[][..], Vec::as_slice);
        wire.apply_part(value, &pointer::push(container.pointer(), key), targets, walks_into(key))
    }

    /// A member of `paths` or `components/schemas`: the table applied, then converted.
    fn read(&mut self, container: Container, key: String, mut value: Value) -> Result<(), fast::Abort> {
        let part = Self::apply(self.wire, &self.routes, container, &key, &mut value);
        match (container, &mut self.paths, &mut self.schemas) {
            (Container::Paths, Some(paths), _) => {
                if key.starts_with('/') {
                    self.items.push((key.clone(), fast::ref_or(value, fast::path_item)?));
                } else if key.starts_with("x-") {
                    self.extensions.push((key.clone(), value));
                }
                paths.push((key, part));
            }
            (Container::Schemas, _, Some(schemas)) => schemas.push((key, fast::ref_or(value, fast::schema)?, part)),
            _ => return Err(fast::Abort),
        }
        Ok(())
    }

    fn finish(self, strict: bool) -> Option<(OpenAPI, Applied)> {
        let Reader { wire, routes, mut root, mut components, mut schemas, mut paths, mut items, extensions } = self;
        let version = root.iter().find(|(k, _)| k == "openapi").and_then(|(_, v)| v.as_str());
        if !version.is_some_and(|v| v.starts_with("3.0")) {
            return None;
        }
        // Sorted as `Value`'s maps are (serde_json without `preserve_order`: a `BTreeMap`,
        // which `tests::value_maps_iterate_sorted` holds); a duplicate member (the last
        // would win) is left to the whole reading.
        fn unique<T>(members: &mut [T], key: fn(&T) -> &str) -> bool {
            members.sort_by(|a, b| key(a).cmp(key(b)));
            members.windows(2).all(|w| key(&w[0]) != key(&w[1]))
        }
        let unique = unique(&mut root, |m| &m.0)
            && components.as_mut().is_none_or(|c| unique(c, |m| &m.0))
            && schemas.as_mut().is_none_or(|s| unique(s, |m| &m.0))
            && paths.as_mut().is_none_or(|p| unique(p, |m| &m.0));
        if !unique {
            return None;
        }

        // Every part in the order a walk of the whole document meets it: by the keys on the
        // way to it (no part is inside another).
        let mut parts: Vec<([&str; 3], Part)> = Vec::new();
        for (key, value) in &mut root {
            parts.push(([key, "", ""], Self::apply(wire, &routes, Container::Root, key, value)));
        }
        for (key, value) in components.iter_mut().flatten() {
            parts.push((["components", key, ""], Self::apply(wire, &routes, Container::Components, key, value)));
        }
        for (key, _, part) in schemas.iter_mut().flatten() {
            parts.push((["components", "schemas", key], std::mem::take(part)));
        }
        for (key, part) in paths.iter_mut().flatten() {
            parts.push((["paths", key, ""], std::mem::take(part)));
        }
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        let parts = parts.into_iter().map(|(_, part)| part).collect();
        let applied = match wire {
            Some(wire) => wire.finish(parts, strict).ok()?,
            None => Applied::default(),
        };

        // The rest of the document, converted with empty maps where the parts go.
        let mut doc: Map<String, Value> = root.into_iter().collect();
        if let Some(members) = components {
            let mut c: Map<String, Value> = members.into_iter().collect();
            if schemas.is_some() {
                c.insert("schemas".to_owned(), Value::Object(Map::new()));
            }
            doc.insert("components".to_owned(), Value::Object(c));
        }
        if paths.is_some() {
            doc.insert("paths".to_owned(), Value::Object(extensions.into_iter().collect()));
        }
        let mut api = fast::openapi(Value::Object(doc)).ok()?;
        // The maps in the order the whole reading has them: `Value`'s, sorted.
        items.sort_by(|a, b| a.0.cmp(&b.0));
        api.paths.paths = items.into_iter().collect();
        if let Some(schemas) = schemas {
            api.components.as_mut()?.schemas = schemas.into_iter().map(|(k, s, _)| (k, s)).collect();
        }
        Some((api, applied))
    }
}

/// Reads the members of a map: those of `paths` and `components/schemas` one at a time,
/// the others kept as JSON.
struct Members<'r, 'w>(&'r mut Reader<'w>, Container);

impl<'de> DeserializeSeed<'de> for Members<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Members<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Members(reader, container) = self;
        let unusual = || de::Error::custom("not read a part at a time");
        while let Some(key) = map.next_key::<String>()? {
            // The walk would derive legacy spellings for the map's own members.
            if key == "properties" {
                return Err(unusual());
            }
            match (container, key.as_str()) {
                (Container::Root, "paths") if reader.paths.is_none() => {
                    reader.paths = Some(Vec::new());
                    map.next_value_seed(Members(reader, Container::Paths))?;
                }
                (Container::Root, "components") if reader.components.is_none() => {
                    reader.components = Some(Vec::new());
                    map.next_value_seed(Members(reader, Container::Components))?;
                }
                (Container::Components, "schemas") if reader.schemas.is_none() => {
                    reader.schemas = Some(Vec::new());
                    map.next_value_seed(Members(reader, Container::Schemas))?;
                }
                (Container::Root, "paths" | "components") | (Container::Components, "schemas") => return Err(unusual()),
                (Container::Root, _) => reader.root.push((key, map.next_value()?)),
                (Container::Components, _) => {
                    let value = map.next_value()?;
                    reader.components.as_mut().ok_or_else(unusual)?.push((key, value));
                }
                (Container::Paths | Container::Schemas, _) => {
                    let value = map.next_value()?;
                    reader.read(container, key, value).map_err(|_| unusual())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
