//! The spec's JSON → `openapiv3`'s types without going through serde for most of it.
//!
//! openapiv3's derived `Deserialize` buffers every object with `flatten` (nearly all of
//! them: extensions) or behind an untagged enum (`ReferenceOr`, the schema kinds) into
//! serde's `Content`, and copies it again at each level below: for X's spec that was most of
//! the load. Here each object is read once, by moving its members out of the `Value`.
//!
//! What this module builds is what serde builds, or nothing. Each object is first checked
//! against the members it knows (names and JSON types); one it is not sure about, such as a
//! `null` where openapiv3 expects a string, is handed to openapiv3's own `Deserialize`,
//! which is exact. A failure there gives up on the whole document ([`Abort`]), and the
//! caller runs serde on all of it, for the error and its pointer. `tests` holds the result
//! equal to serde's on every spec in `../../shared/spec`, on tricky documents and on random
//! schemas.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Components, IntegerType, MediaType, NumberType,
    ObjectType, OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, Paths, ReferenceOr,
    RequestBody, Response, Responses, Schema, SchemaData, SchemaKind, StatusCode, StringType, Type,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The document is left to serde as a whole (it will most likely fail there).
#[derive(Debug)]
pub(super) struct Abort;

type R<T> = Result<T, Abort>;

/// What a member must be for this module to read its object; anything else leaves the
/// object to serde.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    /// A non-negative integer (openapiv3's `usize` fields).
    Uint,
    Number,
    Object,
    Array,
    /// An array of strings.
    Strings,
    /// Anything but `null` (an `Option<Value>`).
    Some,
    /// `true`, `false` or an object (`additionalProperties`).
    BoolOrObject,
    /// Read by serde whatever it is.
    Serde,
}

fn fits(v: &Value, kind: Kind) -> bool {
    match kind {
        Kind::Str => v.is_string(),
        Kind::Bool => v.is_boolean(),
        Kind::Uint => v.as_u64().is_some(),
        Kind::Number => v.is_number(),
        Kind::Object => v.is_object(),
        Kind::Array => v.is_array(),
        Kind::Strings => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        Kind::Some => !v.is_null(),
        Kind::BoolOrObject => v.is_boolean() || v.is_object(),
        Kind::Serde => true,
    }
}

/// `v` as an object this module reads: every member it knows is of its kind.
fn known(v: &Value, kind_of: fn(&str) -> Option<Kind>) -> bool {
    v.as_object().is_some_and(|m| m.iter().all(|(k, v)| kind_of(k).is_none_or(|kind| fits(v, kind))))
}

fn serde<T: DeserializeOwned>(v: Value) -> R<T> {
    T::deserialize(v).map_err(|_| Abort)
}

fn object(v: Value) -> R<Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(Abort),
    }
}

fn string(v: Value) -> R<String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(Abort),
    }
}

fn boolean(v: Value) -> R<bool> {
    v.as_bool().ok_or(Abort)
}

fn uint(v: Value) -> R<usize> {
    v.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or(Abort)
}

fn strings(v: Value) -> R<Vec<String>> {
    list(v, string)
}

// Sized up front: the items are large (a `ReferenceOr<Schema>` is about a kilobyte), and
// `collect` into a `Result` would grow the vector (and move them) as it goes.
fn list<T>(v: Value, each: fn(Value) -> R<T>) -> R<Vec<T>> {
    let Value::Array(items) = v else { return Err(Abort) };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(each(item)?);
    }
    Ok(out)
}

fn map_of<T>(v: Value, each: fn(Value) -> R<T>) -> R<IndexMap<String, T>> {
    let members = object(v)?;
    let mut out = IndexMap::with_capacity(members.len());
    for (k, v) in members {
        out.insert(k, each(v)?);
    }
    Ok(out)
}

/// openapiv3's `ReferenceOr`: an object with a string `$ref` is a reference (whatever else
/// it says), any other object the item.
pub(super) fn ref_or<T: DeserializeOwned>(v: Value, item: fn(Value) -> R<T>) -> R<ReferenceOr<T>> {
    match &v {
        Value::Object(m) => match m.get("$ref") {
            Some(Value::String(_)) => {
                let reference = object(v)?.remove("$ref").map(string).ok_or(Abort)??;
                Ok(ReferenceOr::Reference { reference })
            }
            Some(_) => serde(v),
            None => item(v).map(ReferenceOr::Item),
        },
        _ => serde(v),
    }
}

/// `x-…` members, as openapiv3's flattened `extensions` collect them.
fn extension(extensions: &mut IndexMap<String, Value>, k: String, v: Value) {
    if k.starts_with("x-") {
        extensions.insert(k, v);
    }
}

/// Whether this module reads the document's top (its members, not what is below them): when
/// it does not, `load` can give serde the value untouched.
pub(super) fn reads_top(v: &Value) -> bool {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "openapi" => Kind::Str,
            "paths" | "components" => Kind::Object,
            "info" | "servers" | "security" | "tags" | "externalDocs" => Kind::Serde,
            _ => return None,
        })
    }
    known(v, kind)
}

/// The whole document.
pub(super) fn openapi(v: Value) -> R<OpenAPI> {
    if !reads_top(&v) {
        return Err(Abort);
    }
    let (mut openapi, mut info, mut paths) = (None, None, None);
    let mut api = OpenAPI::default();
    for (k, v) in object(v)? {
        match k.as_str() {
            "openapi" => openapi = Some(string(v)?),
            "info" => info = Some(serde(v)?),
            "servers" => api.servers = serde(v)?,
            "paths" => paths = Some(self::paths(v)?),
            "components" => api.components = Some(components(v)?),
            "security" => api.security = serde(v)?,
            "tags" => api.tags = serde(v)?,
            "externalDocs" => api.external_docs = serde(v)?,
            _ => extension(&mut api.extensions, k, v),
        }
    }
    api.openapi = openapi.ok_or(Abort)?;
    api.info = info.ok_or(Abort)?;
    api.paths = paths.ok_or(Abort)?;
    Ok(api)
}

fn paths(v: Value) -> R<Paths> {
    let mut paths = Paths::default();
    for (k, v) in object(v)? {
        if k.starts_with('/') {
            let item = ref_or(v, path_item)?;
            paths.paths.insert(k, item);
        } else {
            extension(&mut paths.extensions, k, v);
        }
    }
    Ok(paths)
}

pub(super) fn path_item(v: Value) -> R<PathItem> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "summary" | "description" => Kind::Str,
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => Kind::Object,
            "parameters" => Kind::Array,
            "servers" => Kind::Serde,
            _ => return None,
        })
    }
    if !known(&v, kind) {
        return serde(v);
    }
    let mut item = PathItem::default();
    for (k, v) in object(v)? {
        match k.as_str() {
            "summary" => item.summary = Some(string(v)?),
            "description" => item.description = Some(string(v)?),
            "get" => item.get = Some(operation(v)?),
            "put" => item.put = Some(operation(v)?),
            "post" => item.post = Some(operation(v)?),
            "delete" => item.delete = Some(operation(v)?),
            "options" => item.options = Some(operation(v)?),
            "head" => item.head = Some(operation(v)?),
            "patch" => item.patch = Some(operation(v)?),
            "trace" => item.trace = Some(operation(v)?),
            "servers" => item.servers = serde(v)?,
            "parameters" => item.parameters = list(v, |p| ref_or(p, parameter))?,
            _ => extension(&mut item.extensions, k, v),
        }
    }
    Ok(item)
}

fn operation(v: Value) -> R<Operation> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "tags" => Kind::Strings,
            "summary" | "description" | "operationId" => Kind::Str,
            "parameters" => Kind::Array,
            "requestBody" | "responses" => Kind::Object,
            "deprecated" => Kind::Bool,
            "externalDocs" | "callbacks" | "security" | "servers" => Kind::Serde,
            _ => return None,
        })
    }
    if !known(&v, kind) {
        return serde(v);
    }
    let mut op = Operation::default();
    let mut responses = None;
    for (k, v) in object(v)? {
        match k.as_str() {
            "tags" => op.tags = strings(v)?,
            "summary" => op.summary = Some(string(v)?),
            "description" => op.description = Some(string(v)?),
            "externalDocs" => op.external_docs = serde(v)?,
            "operationId" => op.operation_id = Some(string(v)?),
            "parameters" => op.parameters = list(v, |p| ref_or(p, parameter))?,
            "requestBody" => op.request_body = Some(ref_or(v, request_body)?),
            "responses" => responses = Some(self::responses(v)?),
            "callbacks" => op.callbacks = serde(v)?,
            "deprecated" => op.deprecated = boolean(v)?,
            "security" => op.security = serde(v)?,
            "servers" => op.servers = serde(v)?,
            _ => extension(&mut op.extensions, k, v),
        }
    }
    op.responses = responses.ok_or(Abort)?;
    Ok(op)
}

/// openapiv3's `Parameter`, tagged by `in`, each variant with its `style` values.
fn parameter(v: Value) -> R<Parameter> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "in" | "name" | "description" | "style" => Kind::Str,
            "required" | "deprecated" | "explode" | "allowReserved" | "allowEmptyValue" => Kind::Bool,
            "schema" => Kind::Object,
            "example" => Kind::Some,
            "examples" => Kind::Serde,
            _ => return None,
        })
    }
    let styles: &[&str] = match v.get("in").and_then(Value::as_str) {
        Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        Some("header") => &["simple"],
        Some("path") => &["matrix", "label", "simple"],
        Some("cookie") => &["form"],
        _ => &[],
    };
    let style = v.get("style").and_then(Value::as_str);
    // Exactly one of `schema` and `content`, and only the `in`s and `style`s there are.
    let fine = known(&v, kind)
        && !styles.is_empty()
        && style.is_none_or(|s| styles.contains(&s))
        && v.get("name").is_some()
        && v.get("schema").is_some()
        && v.get("content").is_none();
    if !fine {
        return serde(v);
    }
    let mut data = ParameterData {
        name: String::new(),
        description: None,
        required: false,
        deprecated: None,
        format: ParameterSchemaOrContent::Content(IndexMap::new()),
        example: None,
        examples: IndexMap::new(),
        explode: None,
        extensions: IndexMap::new(),
    };
    let (mut location, mut style, mut allow_reserved, mut allow_empty_value) = (String::new(), None, false, None);
    for (k, v) in object(v)? {
        match k.as_str() {
            "in" => location = string(v)?,
            "style" => style = Some(string(v)?),
            "allowReserved" => allow_reserved = boolean(v)?,
            "allowEmptyValue" => allow_empty_value = Some(boolean(v)?),
            "name" => data.name = string(v)?,
            "description" => data.description = Some(string(v)?),
            "required" => data.required = boolean(v)?,
            "deprecated" => data.deprecated = Some(boolean(v)?),
            "schema" => data.format = ParameterSchemaOrContent::Schema(ref_or(v, schema)?),
            "example" => data.example = Some(v),
            "examples" => data.examples = serde(v)?,
            "explode" => data.explode = Some(boolean(v)?),
            _ => extension(&mut data.extensions, k, v),
        }
    }
    // The style's own serde, on a string checked above.
    fn style_or<T: DeserializeOwned>(style: &Option<String>, default: &str) -> R<T> {
        serde(Value::String(style.clone().unwrap_or_else(|| default.to_owned())))
    }
    Ok(match location.as_str() {
        "query" => Parameter::Query {
            parameter_data: data,
            allow_reserved,
            style: style_or(&style, "form")?,
            allow_empty_value,
        },
        "header" => Parameter::Header { parameter_data: data, style: style_or(&style, "simple")? },
        "path" => Parameter::Path { parameter_data: data, style: style_or(&style, "simple")? },
        "cookie" => Parameter::Cookie { parameter_data: data, style: style_or(&style, "form")? },
        _ => return Err(Abort),
    })
}

fn request_body(v: Value) -> R<RequestBody> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "description" => Kind::Str,
            "content" => Kind::Object,
            "required" => Kind::Bool,
            _ => return None,
        })
    }
    if !known(&v, kind) {
        return serde(v);
    }
    let mut body = RequestBody::default();
    for (k, v) in object(v)? {
        match k.as_str() {
            "description" => body.description = Some(string(v)?),
            "content" => body.content = map_of(v, media_type)?,
            "required" => body.required = boolean(v)?,
            _ => extension(&mut body.extensions, k, v),
        }
    }
    Ok(body)
}

fn media_type(v: Value) -> R<MediaType> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "schema" => Kind::Object,
            "example" => Kind::Some,
            "examples" | "encoding" => Kind::Serde,
            _ => return None,
        })
    }
    if !known(&v, kind) {
        return serde(v);
    }
    let mut media = MediaType::default();
    for (k, v) in object(v)? {
        match k.as_str() {
            "schema" => media.schema = Some(ref_or(v, schema)?),
            "example" => media.example = Some(v),
            "examples" => media.examples = serde(v)?,
            "encoding" => media.encoding = serde(v)?,
            _ => extension(&mut media.extensions, k, v),
        }
    }
    Ok(media)
}

fn responses(v: Value) -> R<Responses> {
    if !v.get("default").is_none_or(Value::is_object) {
        return serde(v);
    }
    let mut responses = Responses::default();
    for (k, v) in object(v)? {
        if k == "default" {
            responses.default = Some(ref_or(v, response)?);
        } else if let Ok(code) = status_code(&k) {
            responses.responses.insert(code, ref_or(v, response)?);
        } else {
            // Members that are neither a status code nor an extension are not read.
            extension(&mut responses.extensions, k, v);
        }
    }
    Ok(responses)
}

/// A response key as openapiv3 reads it (`200`, `2XX`).
fn status_code(k: &str) -> Result<StatusCode, serde::de::value::Error> {
    serde::Deserialize::deserialize(serde::de::value::StrDeserializer::new(k))
}

fn response(v: Value) -> R<Response> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "description" => Kind::Str,
            "content" => Kind::Object,
            "headers" | "links" => Kind::Serde,
            _ => return None,
        })
    }
    if !known(&v, kind) || v.get("description").is_none() {
        return serde(v);
    }
    let mut response = Response::default();
    for (k, v) in object(v)? {
        match k.as_str() {
            "description" => response.description = string(v)?,
            "headers" => response.headers = serde(v)?,
            "content" => response.content = map_of(v, media_type)?,
            "links" => response.links = serde(v)?,
            _ => extension(&mut response.extensions, k, v),
        }
    }
    Ok(response)
}

fn components(v: Value) -> R<Components> {
    fn kind(k: &str) -> Option<Kind> {
        Some(match k {
            "schemas" | "responses" | "parameters" | "requestBodies" => Kind::Object,
            "examples" | "headers" | "securitySchemes" | "links" | "callbacks" => Kind::Serde,
            _ => return None,
        })
    }
    if !known(&v, kind) {
        return serde(v);
    }
    let mut c = Components::default();
    for (k, v) in object(v)? {
        match k.as_str() {
            "schemas" => c.schemas = map_of(v, |s| ref_or(s, schema))?,
            "responses" => c.responses = map_of(v, |r| ref_or(r, response))?,
            "parameters" => c.parameters = map_of(v, |p| ref_or(p, parameter))?,
            "examples" => c.examples = serde(v)?,
            "requestBodies" => c.request_bodies = map_of(v, |b| ref_or(b, request_body))?,
            "headers" => c.headers = serde(v)?,
            "securitySchemes" => c.security_schemes = serde(v)?,
            "links" => c.links = serde(v)?,
            "callbacks" => c.callbacks = serde(v)?,
            _ => extension(&mut c.extensions, k, v),
        }
    }
    Ok(c)
}

/// Where a schema member goes, read from its value.
type Put = fn(&mut SchemaData, &mut Raw, Value) -> R<()>;

/// The members of a schema openapiv3 reads, the one list of them: each with its [`Kind`],
/// its bit in [`Raw::present`] (0 for `SchemaData`'s; the others are those openapiv3 chooses
/// the `SchemaKind` by, its `RawAnySchema`) and where it goes.
fn schema_member(k: &str) -> Option<(Kind, u32, Put)> {
    let member: (Kind, u32, Put) = match k {
        "nullable" => (Kind::Bool, 0, |d, _, v| put(&mut d.nullable, boolean(v))),
        "readOnly" => (Kind::Bool, 0, |d, _, v| put(&mut d.read_only, boolean(v))),
        "writeOnly" => (Kind::Bool, 0, |d, _, v| put(&mut d.write_only, boolean(v))),
        "deprecated" => (Kind::Bool, 0, |d, _, v| put(&mut d.deprecated, boolean(v))),
        "externalDocs" => (Kind::Serde, 0, |d, _, v| put(&mut d.external_docs, serde(v))),
        "example" => (Kind::Some, 0, |d, _, v| some(&mut d.example, Ok(v))),
        "title" => (Kind::Str, 0, |d, _, v| some(&mut d.title, string(v))),
        "description" => (Kind::Str, 0, |d, _, v| some(&mut d.description, string(v))),
        "discriminator" => (Kind::Serde, 0, |d, _, v| put(&mut d.discriminator, serde(v))),
        "default" => (Kind::Some, 0, |d, _, v| some(&mut d.default, Ok(v))),
        "type" => (Kind::Str, TYPE, |_, r, v| some(&mut r.typ, string(v))),
        "pattern" => (Kind::Str, PATTERN, |_, r, v| some(&mut r.pattern, string(v))),
        "multipleOf" => (Kind::Number, MULTIPLE_OF, |_, r, v| some(&mut r.multiple_of, number(v))),
        "exclusiveMinimum" => (Kind::Bool, EXCLUSIVE_MINIMUM, |_, r, v| some(&mut r.exclusive_minimum, boolean(v))),
        "exclusiveMaximum" => (Kind::Bool, EXCLUSIVE_MAXIMUM, |_, r, v| some(&mut r.exclusive_maximum, boolean(v))),
        "minimum" => (Kind::Number, MINIMUM, |_, r, v| some(&mut r.minimum, number(v))),
        "maximum" => (Kind::Number, MAXIMUM, |_, r, v| some(&mut r.maximum, number(v))),
        "properties" => (Kind::Object, PROPERTIES, |_, r, v| some(&mut r.properties, map_of(v, boxed_schema))),
        "required" => (Kind::Strings, REQUIRED, |_, r, v| some(&mut r.required, strings(v))),
        "additionalProperties" => (Kind::BoolOrObject, ADDITIONAL_PROPERTIES, |_, r, v| {
            some(&mut r.additional_properties, additional_properties(v))
        }),
        "minProperties" => (Kind::Uint, MIN_PROPERTIES, |_, r, v| some(&mut r.min_properties, uint(v))),
        "maxProperties" => (Kind::Uint, MAX_PROPERTIES, |_, r, v| some(&mut r.max_properties, uint(v))),
        "items" => (Kind::Object, ITEMS, |_, r, v| some(&mut r.items, boxed_schema(v))),
        "minItems" => (Kind::Uint, MIN_ITEMS, |_, r, v| some(&mut r.min_items, uint(v))),
        "maxItems" => (Kind::Uint, MAX_ITEMS, |_, r, v| some(&mut r.max_items, uint(v))),
        "uniqueItems" => (Kind::Bool, UNIQUE_ITEMS, |_, r, v| some(&mut r.unique_items, boolean(v))),
        "enum" => (Kind::Array, ENUM, |_, r, v| some(&mut r.enumeration, list(v, Ok))),
        "format" => (Kind::Str, FORMAT, |_, r, v| some(&mut r.format, string(v))),
        "minLength" => (Kind::Uint, MIN_LENGTH, |_, r, v| some(&mut r.min_length, uint(v))),
        "maxLength" => (Kind::Uint, MAX_LENGTH, |_, r, v| some(&mut r.max_length, uint(v))),
        "oneOf" => (Kind::Array, ONE_OF, |_, r, v| some(&mut r.one_of, schemas(v))),
        "allOf" => (Kind::Array, ALL_OF, |_, r, v| some(&mut r.all_of, schemas(v))),
        "anyOf" => (Kind::Array, ANY_OF, |_, r, v| some(&mut r.any_of, schemas(v))),
        "not" => (Kind::Object, NOT, |_, r, v| some(&mut r.not, ref_or(v, schema).map(Box::new))),
        _ => return None,
    };
    Some(member)
}

fn put<T>(slot: &mut T, v: R<T>) -> R<()> {
    *slot = v?;
    Ok(())
}

fn some<T>(slot: &mut Option<T>, v: R<T>) -> R<()> {
    *slot = Some(v?);
    Ok(())
}

const TYPE: u32 = 1;
const PATTERN: u32 = 1 << 1;
const MULTIPLE_OF: u32 = 1 << 2;
const EXCLUSIVE_MINIMUM: u32 = 1 << 3;
const EXCLUSIVE_MAXIMUM: u32 = 1 << 4;
const MINIMUM: u32 = 1 << 5;
const MAXIMUM: u32 = 1 << 6;
const PROPERTIES: u32 = 1 << 7;
const REQUIRED: u32 = 1 << 8;
const ADDITIONAL_PROPERTIES: u32 = 1 << 9;
const MIN_PROPERTIES: u32 = 1 << 10;
const MAX_PROPERTIES: u32 = 1 << 11;
const ITEMS: u32 = 1 << 12;
const MIN_ITEMS: u32 = 1 << 13;
const MAX_ITEMS: u32 = 1 << 14;
const UNIQUE_ITEMS: u32 = 1 << 15;
const ENUM: u32 = 1 << 16;
const FORMAT: u32 = 1 << 17;
const MIN_LENGTH: u32 = 1 << 18;
const MAX_LENGTH: u32 = 1 << 19;
const ONE_OF: u32 = 1 << 20;
const ALL_OF: u32 = 1 << 21;
const ANY_OF: u32 = 1 << 22;
const NOT: u32 = 1 << 23;

/// openapiv3's `RawAnySchema`: the members a schema's kind is chosen by.
#[derive(Default)]
struct Raw {
    /// Which of these members the schema has (their bits, from [`schema_member`]).
    present: u32,
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<serde_json::Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<serde_json::Number>,
    maximum: Option<serde_json::Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

fn number(v: Value) -> R<serde_json::Number> {
    match v {
        Value::Number(n) => Ok(n),
        _ => Err(Abort),
    }
}

fn boxed_schema(v: Value) -> R<ReferenceOr<Box<Schema>>> {
    ref_or(v, |s| schema(s).map(Box::new))
}

fn schemas(v: Value) -> R<Vec<ReferenceOr<Schema>>> {
    list(v, |s| ref_or(s, schema))
}

fn additional_properties(v: Value) -> R<AdditionalProperties> {
    match v {
        Value::Bool(b) => Ok(AdditionalProperties::Any(b)),
        Value::Object(_) => Ok(AdditionalProperties::Schema(Box::new(ref_or(v, schema)?))),
        _ => Err(Abort),
    }
}

pub(super) fn schema(v: Value) -> R<Schema> {
    if !known(&v, |k| schema_member(k).map(|(kind, _, _)| kind)) {
        return serde(v);
    }
    let mut data = SchemaData::default();
    let mut raw = Raw::default();
    for (k, v) in object(v)? {
        match schema_member(&k) {
            Some((_, bit, put)) => {
                raw.present |= bit;
                put(&mut data, &mut raw, v)?;
            }
            None => extension(&mut data.extensions, k, v),
        }
    }
    Ok(Schema { schema_data: data, schema_kind: schema_kind(raw)? })
}

/// openapiv3's choice of `SchemaKind` (its `Deserialize for SchemaKind`, in the same order):
/// a typed schema when only that type's members are present, a combinator when only it is,
/// otherwise `Any`.
fn schema_kind(raw: Raw) -> R<SchemaKind> {
    let only = |allowed: u32| raw.present & !allowed == 0;
    let enum_of = |check: fn(&Value) -> bool| raw.enumeration.iter().flatten().all(|v| v.is_null() || check(v));
    let int = |n: &Option<serde_json::Number>| n.as_ref().is_none_or(serde_json::Number::is_i64);
    let typ = raw.typ.as_deref();
    let numeric = TYPE | MULTIPLE_OF | EXCLUSIVE_MINIMUM | EXCLUSIVE_MAXIMUM | MINIMUM | MAXIMUM | ENUM | FORMAT;
    if typ == Some("string")
        && only(TYPE | PATTERN | ENUM | FORMAT | MIN_LENGTH | MAX_LENGTH)
        && enum_of(Value::is_string)
    {
        let enumeration = raw.enumeration.iter().flatten().map(|v| v.as_str().map(String::from)).collect();
        return Ok(SchemaKind::Type(Type::String(StringType {
            format: raw.format.into(),
            pattern: raw.pattern,
            enumeration,
            min_length: raw.min_length,
            max_length: raw.max_length,
        })));
    }
    if typ == Some("number") && only(numeric) && enum_of(Value::is_number) {
        return Ok(SchemaKind::Type(Type::Number(NumberType {
            enumeration: values(&raw.enumeration, Value::as_f64),
            format: raw.format.into(),
            multiple_of: raw.multiple_of.and_then(|v| v.as_f64()),
            exclusive_minimum: raw.exclusive_minimum.unwrap_or_default(),
            exclusive_maximum: raw.exclusive_maximum.unwrap_or_default(),
            minimum: raw.minimum.and_then(|v| v.as_f64()),
            maximum: raw.maximum.and_then(|v| v.as_f64()),
        })));
    }
    if typ == Some("integer")
        && only(numeric)
        && enum_of(Value::is_i64)
        && int(&raw.multiple_of)
        && int(&raw.minimum)
        && int(&raw.maximum)
    {
        return Ok(SchemaKind::Type(Type::Integer(IntegerType {
            enumeration: values(&raw.enumeration, Value::as_i64),
            format: raw.format.into(),
            multiple_of: raw.multiple_of.and_then(|v| v.as_i64()),
            exclusive_minimum: raw.exclusive_minimum.unwrap_or_default(),
            exclusive_maximum: raw.exclusive_maximum.unwrap_or_default(),
            minimum: raw.minimum.and_then(|v| v.as_i64()),
            maximum: raw.maximum.and_then(|v| v.as_i64()),
        })));
    }
    if typ == Some("boolean") && only(TYPE | ENUM) && enum_of(Value::is_boolean) {
        return Ok(SchemaKind::Type(Type::Boolean(BooleanType {
            enumeration: values(&raw.enumeration, Value::as_bool),
        })));
    }
    if typ == Some("object")
        && only(TYPE | PROPERTIES | REQUIRED | ADDITIONAL_PROPERTIES | MIN_PROPERTIES | MAX_PROPERTIES)
    {
        return Ok(SchemaKind::Type(Type::Object(ObjectType {
            properties: raw.properties.unwrap_or_default(),
            required: raw.required.unwrap_or_default(),
            additional_properties: raw.additional_properties,
            min_properties: raw.min_properties,
            max_properties: raw.max_properties,
        })));
    }
    if typ == Some("array") && only(TYPE | ITEMS | MIN_ITEMS | MAX_ITEMS | UNIQUE_ITEMS) {
        return Ok(SchemaKind::Type(Type::Array(ArrayType {
            items: raw.items,
            min_items: raw.min_items,
            max_items: raw.max_items,
            unique_items: raw.unique_items.unwrap_or_default(),
        })));
    }
    match (raw.present, raw.one_of, raw.all_of, raw.any_of, raw.not) {
        (ONE_OF, Some(one_of), _, _, _) => Ok(SchemaKind::OneOf { one_of }),
        (ALL_OF, _, Some(all_of), _, _) => Ok(SchemaKind::AllOf { all_of }),
        (ANY_OF, _, _, Some(any_of), _) => Ok(SchemaKind::AnyOf { any_of }),
        (NOT, _, _, _, Some(not)) => Ok(SchemaKind::Not { not }),
        (_, one_of, all_of, any_of, not) => Ok(SchemaKind::Any(AnySchema {
            typ: raw.typ,
            pattern: raw.pattern,
            multiple_of: raw.multiple_of.and_then(|n| n.as_f64()),
            exclusive_minimum: raw.exclusive_minimum,
            exclusive_maximum: raw.exclusive_maximum,
            minimum: raw.minimum.and_then(|n| n.as_f64()),
            maximum: raw.maximum.and_then(|n| n.as_f64()),
            properties: raw.properties.unwrap_or_default(),
            required: raw.required.unwrap_or_default(),
            additional_properties: raw.additional_properties,
            min_properties: raw.min_properties,
            max_properties: raw.max_properties,
            items: raw.items,
            min_items: raw.min_items,
            max_items: raw.max_items,
            unique_items: raw.unique_items,
            enumeration: raw.enumeration.unwrap_or_default(),
            format: raw.format,
            min_length: raw.min_length,
            max_length: raw.max_length,
            one_of: one_of.unwrap_or_default(),
            all_of: all_of.unwrap_or_default(),
            any_of: any_of.unwrap_or_default(),
            not,
        })),
    }
}

/// openapiv3's `enumerated_values_transform`: `null` is `None`, the rest converted.
fn values<T>(enumeration: &Option<Vec<Value>>, convert: fn(&Value) -> Option<T>) -> Vec<Option<T>> {
    enumeration.iter().flatten().map(|v| if v.is_null() { None } else { convert(v) }).collect()
}

#[cfg(test)]
mod tests;
