//! `multipart/form-data` bodies (RFC 7578), for the operations that take them (media
//! uploads). The encoding is deterministic: the boundary comes from a hash of the content, and
//! is lengthened until no part contains it.

use crate::meta::{Schema, SchemaKind};
use serde_json::Value;

/// One part: a form field, text or bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Part {
    /// The form field's name (`name="…"` in `Content-Disposition`).
    pub name: String,
    /// Set for file parts: `filename="…"` in `Content-Disposition`.
    pub filename: Option<String>,
    /// Set for file parts (e.g. `application/octet-stream`).
    pub content_type: Option<String>,
    /// The part's content, sent as it is.
    pub data: Vec<u8>,
}

/// A form of named parts, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field (`segment_index`, `media_category`).
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: value.into().into_bytes(),
        });
        self
    }

    /// Adds raw bytes (the `media` of an upload), sent as `application/octet-stream`.
    pub fn bytes(self, name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        let name = name.into();
        self.file(name.clone(), name, "application/octet-stream", data)
    }

    /// Adds a file part with its own file name and media type.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The parts added so far, in the order they are sent.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The boundary and the encoded body.
    pub fn encode(&self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(&part.name));
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(filename)));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            if let Some(media) = &part.content_type {
                let media = media.replace(['\r', '\n'], "");
                out.extend_from_slice(format!("Content-Type: {media}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (boundary, out)
    }

    /// `xapi-` and 16 hex digits of an FNV-1a hash of the parts, lengthened while any part
    /// contains it.
    fn boundary(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.parts.iter().flat_map(|p| p.name.bytes().chain(p.data.iter().copied())) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut boundary = format!("xapi-{hash:016x}");
        while self.parts.iter().any(|p| contains(&p.data, boundary.as_bytes()) || p.name.contains(&boundary)) {
            boundary.push('x');
        }
        boundary
    }

    /// The form as JSON, for the schema check: text parts take the kind their property
    /// declares (`"3"` becomes `3` for an integer); byte parts count as present strings; a
    /// name sent several times becomes an array.
    pub fn to_json(&self, schema: &Schema) -> Value {
        let mut map = serde_json::Map::new();
        for part in &self.parts {
            let value = if part.filename.is_some() {
                Value::String(String::new())
            } else {
                let text = String::from_utf8_lossy(&part.data).into_owned();
                let kind = property(schema, &part.name, 0).map(|s| s.items.map_or(s.kind, |items| items.kind));
                let parsed = match kind {
                    Some(SchemaKind::Integer | SchemaKind::Number | SchemaKind::Boolean) => {
                        serde_json::from_str::<Value>(&text).ok().filter(|v| v.is_number() || v.is_boolean())
                    }
                    _ => None,
                };
                parsed.unwrap_or(Value::String(text))
            };
            match map.get_mut(&part.name) {
                Some(Value::Array(items)) => items.push(value),
                Some(first) => *first = Value::Array(vec![first.take(), value]),
                None => {
                    map.insert(part.name.clone(), value);
                }
            }
        }
        Value::Object(map)
    }
}

/// A property's schema, looked up through `allOf` members too.
fn property(schema: &Schema, name: &str, depth: usize) -> Option<&'static Schema> {
    if depth > 16 {
        return None;
    }
    schema.property(name).or_else(|| schema.all_of.iter().find_map(|m| property(m, name, depth + 1)))
}

/// RFC 7578 §2: names are quoted strings; `"`, CR and LF are percent-encoded.
fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
