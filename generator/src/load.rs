//! Loading: bytes (JSON or YAML) → `openapiv3::OpenAPI`, and `$ref` resolution against it.
//!
//! A JSON spec is read a part at a time (`stream`) and converted without serde for most of
//! it (`fast`); anything either is not sure of is read the plain way, whole and with serde,
//! which also gives every error its pointer.

use crate::error::{pointer, Error, Result};
use crate::wire::{Applied, Wire};
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

mod fast;
mod stream;

/// A parsed spec. The generator only ever reads it.
pub struct Spec {
    /// The document, with `spec/wire.yaml` applied when it was given.
    pub api: OpenAPI,
}

const SCHEMAS: &str = "#/components/schemas/";

impl Spec {
    /// Parses JSON (if the first non-blank byte is `{`) or YAML, then the OpenAPI structure.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        Ok(Self::parse_with(bytes, None, false)?.0)
    }

    /// Like [`Spec::parse`], with `spec/wire.yaml` applied to the document first (`strict`:
    /// an entry that no longer applies is an error), and what it did.
    pub fn parse_with(bytes: &[u8], wire: Option<&Wire>, strict: bool) -> Result<(Self, Applied)> {
        if is_json(bytes) {
            if let Some((api, applied)) = stream::parse(bytes, wire, strict) {
                return Ok((Self { api }, applied));
            }
        }
        let mut value = json_or_yaml(bytes)?;
        let applied = match wire {
            Some(wire) => wire.apply(&mut value, strict)?,
            None => Applied::default(),
        };
        // A top `fast` does not read (`"components": null`) leaves the value whole: serde
        // reads it as it is, with the same result or error as after reading it again.
        if fast::reads_top(&value) {
            if let Ok(api) = fast::openapi(value) {
                return Ok((Self { api }, applied));
            }
            // Given up on below the top (most likely not a valid document): serde on all of
            // it, for the error and its pointer. `fast` took the value apart, so it is read again.
            value = json_or_yaml(bytes)?;
            if let Some(wire) = wire {
                wire.apply(&mut value, strict)?;
            }
        }
        let api: OpenAPI = deserialize_at(&value, "#").map_err(|e| narrow(&value, e))?;
        Ok((Self { api }, applied))
    }

    /// Component schemas in name order (the spec's IndexMap order is not ours to keep).
    pub fn schemas(&self) -> Vec<(&str, &ReferenceOr<Schema>)> {
        let mut all: Vec<_> = match &self.api.components {
            Some(c) => c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            None => Vec::new(),
        };
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    /// The name of the component schema a `$ref` points at, checking that it exists.
    /// `at` is where the reference stands, for the error.
    pub fn schema_ref_name(&self, reference: &str, at: &str) -> Result<String> {
        let Some(token) = reference.strip_prefix(SCHEMAS).filter(|t| !t.contains('/')) else {
            return Err(Error::at(
                at,
                format!("unsupported $ref `{reference}`: only #/components/schemas/NAME is supported here"),
            ));
        };
        let name = pointer::unescape(token);
        let exists = self.api.components.as_ref().is_some_and(|c| c.schemas.contains_key(&name));
        if !exists {
            return Err(Error::at(at, format!("dangling $ref `{reference}`: no such schema")));
        }
        Ok(name)
    }

    /// Looks a component schema up by name (the name must come from `schema_ref_name`).
    pub fn schema(&self, name: &str) -> Option<&ReferenceOr<Schema>> {
        self.api.components.as_ref()?.schemas.get(name)
    }

    /// Resolves a schema reference through any chain of `$ref` aliases to an inline schema,
    /// failing on dangling references and on cycles. Returns the schema and its pointer.
    pub fn resolve_schema<'s>(&'s self, item: &'s ReferenceOr<Schema>, at: &str) -> Result<(&'s Schema, String)> {
        let mut current = item;
        let mut here = at.to_owned();
        let mut seen: Vec<String> = Vec::new();
        loop {
            match current {
                ReferenceOr::Item(schema) => return Ok((schema, here)),
                ReferenceOr::Reference { reference } => {
                    let name = self.schema_ref_name(reference, &here)?;
                    if seen.contains(&name) {
                        return Err(Error::at(here, format!("$ref cycle through `{reference}`")));
                    }
                    here = pointer::push("#/components/schemas", &name);
                    seen.push(name);
                    current = self
                        .schema(seen.last().map(String::as_str).unwrap_or_default())
                        .ok_or_else(|| Error::at(&here, "dangling $ref"))?;
                }
            }
        }
    }

    /// A parameter, following a `$ref` into `components/parameters`; with the pointer of
    /// the one found.
    pub fn parameter<'s>(&'s self, item: &'s ReferenceOr<Parameter>, at: &str) -> Result<(&'s Parameter, String)> {
        resolve_component(item, at, "parameters", |name| self.api.components.as_ref()?.parameters.get(name))
    }

    /// A request body, following a `$ref` into `components/requestBodies`; with the pointer of
    /// the one found.
    pub fn request_body<'s>(
        &'s self,
        item: &'s ReferenceOr<RequestBody>,
        at: &str,
    ) -> Result<(&'s RequestBody, String)> {
        resolve_component(item, at, "requestBodies", |name| self.api.components.as_ref()?.request_bodies.get(name))
    }

    /// A response, following a `$ref` into `components/responses`; with the pointer of the one
    /// found.
    pub fn response<'s>(&'s self, item: &'s ReferenceOr<Response>, at: &str) -> Result<(&'s Response, String)> {
        resolve_component(item, at, "responses", |name| self.api.components.as_ref()?.responses.get(name))
    }
}

/// Whether the document is JSON: its first non-blank byte is `{`.
fn is_json(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The document as JSON (if the first non-blank byte is `{`) or YAML, checked to be
/// OpenAPI 3.0.
fn json_or_yaml(bytes: &[u8]) -> Result<serde_json::Value> {
    let value: serde_json::Value = if is_json(bytes) {
        serde_json::from_slice(bytes)
            .map_err(|e| Error::at("#", format!("not valid JSON (line {}, column {}): {e}", e.line(), e.column())))?
    } else {
        serde_yaml::from_slice(bytes).map_err(|e| {
            let at = e.location().map(|l| format!(" (line {}, column {})", l.line(), l.column()));
            Error::at("#", format!("not valid JSON or YAML{}: {e}", at.unwrap_or_default()))
        })?
    };
    match value.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0") => Ok(value),
        Some(v) => Err(Error::at("#/openapi", format!("OpenAPI {v} is not supported (3.0.x is)"))),
        None => Err(Error::at("#/openapi", "missing: this is not an OpenAPI 3.0 document")),
    }
}

/// Deserializes `value` (found at `at`), reporting a failure with the JSON pointer serde
/// reached.
fn deserialize_at<T: serde::de::DeserializeOwned>(value: &serde_json::Value, at: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut here = at.to_owned();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => here = pointer::push(&here, &index.to_string()),
                Segment::Map { key } => here = pointer::push(&here, key),
                Segment::Enum { variant } => here = pointer::push(&here, variant),
                Segment::Unknown => {}
            }
        }
        Error::at(here, format!("not a valid OpenAPI 3.0 construct: {}", e.inner()))
    })
}

/// The members of a JSON object with their pointers.
fn members(v: &serde_json::Value, at: &str) -> Vec<(String, serde_json::Value)> {
    v.as_object().map(|m| m.iter().map(|(k, v)| (pointer::push(at, k), v.clone())).collect()).unwrap_or_default()
}

/// The first member that does not deserialize as `T`, as an error with its pointer.
fn first_failure<T: serde::de::DeserializeOwned>(candidates: Vec<(String, serde_json::Value)>) -> Option<Error> {
    candidates.into_iter().find_map(|(at, v)| deserialize_at::<T>(&v, &at).err())
}

/// openapiv3 flattens and buffers parts of the document, so serde's path often stops early
/// (at `#/paths`). Re-reading the parts below that point one by one finds the deepest failure.
fn narrow(root: &serde_json::Value, error: Error) -> Error {
    use openapiv3::{Operation, PathItem};
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let in_paths = || {
        let paths = root.get("paths")?;
        members(paths, "#/paths").into_iter().find_map(|(at, item)| {
            let ops =
                members(&item, &at).into_iter().filter(|(p, _)| METHODS.iter().any(|m| p.ends_with(&format!("/{m}"))));
            first_failure::<Operation>(ops.collect())
                .or_else(|| deserialize_at::<ReferenceOr<PathItem>>(&item, &at).err())
        })
    };
    let in_components = || {
        let c = root.get("components")?;
        let part = |name: &str| c.get(name).map(|v| members(v, &format!("#/components/{name}"))).unwrap_or_default();
        first_failure::<ReferenceOr<Schema>>(part("schemas"))
            .or_else(|| first_failure::<ReferenceOr<Parameter>>(part("parameters")))
            .or_else(|| first_failure::<ReferenceOr<RequestBody>>(part("requestBodies")))
            .or_else(|| first_failure::<ReferenceOr<Response>>(part("responses")))
    };
    let found = match error.location.as_str() {
        "#" | "#/paths" => in_paths(),
        "#/components" => in_components(),
        _ => None,
    };
    found.unwrap_or(error)
}

/// Resolves a `$ref` to `#/components/{kind}/NAME` through alias chains, with cycle detection.
fn resolve_component<'s, T>(
    item: &'s ReferenceOr<T>,
    at: &str,
    kind: &str,
    lookup: impl Fn(&str) -> Option<&'s ReferenceOr<T>>,
) -> Result<(&'s T, String)> {
    let prefix = format!("#/components/{kind}/");
    let mut current = item;
    let mut here = at.to_owned();
    let mut hops = 0usize;
    loop {
        match current {
            ReferenceOr::Item(x) => return Ok((x, here)),
            ReferenceOr::Reference { reference } => {
                let Some(token) = reference.strip_prefix(&prefix).filter(|t| !t.contains('/')) else {
                    return Err(Error::at(here, format!("unsupported $ref `{reference}`: expected {prefix}NAME")));
                };
                let name = pointer::unescape(token);
                hops += 1;
                if hops > 64 {
                    return Err(Error::at(here, format!("$ref cycle through `{reference}`")));
                }
                current = lookup(&name).ok_or_else(|| Error::at(&here, format!("dangling $ref `{reference}`")))?;
                here = pointer::push(&format!("#/components/{kind}"), &name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A document with `"components": null` (valid: it is optional), a top `fast` does not
    /// read, so `parse_with` gives serde the value it built; `get` at `/x`.
    fn doc(get: Value) -> Vec<u8> {
        let doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "components": null,
                         "paths": {"/x": {"get": get}}});
        assert!(!fast::reads_top(&doc));
        serde_json::to_vec(&doc).unwrap_or_default()
    }

    #[test]
    fn a_top_fast_does_not_read_is_read_by_serde() {
        let bytes = doc(json!({"responses": {}}));
        let spec = Spec::parse(&bytes).unwrap_or_else(|e| panic!("{e}"));
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(spec.api == serde_json::from_value::<OpenAPI>(value).unwrap());
    }

    #[test]
    fn an_invalid_document_with_such_a_top_still_names_where() {
        let bytes = doc(json!({"operationId": 5, "responses": "nope"}));
        let wire = Wire::parse("spec/wire.yaml", "vocabulary:\n  words: {post: tweet}\n  evidence: [e]\n").unwrap();
        let want = "#/paths/~1x/get/operationId: not a valid OpenAPI 3.0 construct: invalid type: integer `5`, \
                    expected a string";
        for wire in [None, Some(&wire)] {
            let e = Spec::parse_with(&bytes, wire, false).err().map(|e| e.to_string());
            assert_eq!(e.as_deref(), Some(want));
        }
    }
}
