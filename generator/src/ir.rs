//! The intermediate representation: what the generator decided, before any Rust is written.
//!
//! Phase one (`collect`, `operations`) turns the spec into these values, giving every type a
//! stable id (the JSON pointer of the schema that defines it) and a unique Rust name. Phase two
//! (`emit`) only reads them. Everything is kept in `BTreeMap`s or spec order, so output never
//! depends on hashing.

use std::collections::BTreeMap;

/// A type's stable id: the JSON pointer of the schema that defines it.
pub type TypeId = String;

/// Which generated module a named type lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    /// `models`: component schemas and the inline schemas inside them and in operations.
    Models,
    /// `params`: enums of query/path parameters (the shared `*.fields`/`expansions` ones first).
    Params,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Integer,
    Number,
    Boolean,
    /// Anything: `serde_json::Value`.
    Json,
    /// Raw bytes (`application/octet-stream` bodies).
    Bytes,
    Named(TypeId),
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>` (additionalProperties).
    Map(Box<TypeRef>),
}

/// Facts about a schema that go into doc comments and operation metadata. No prose from the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub format: Option<String>,
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Takes each constraint `other` states that this one does not.
    pub fn fill_from(&mut self, other: &Self) {
        self.format = self.format.take().or_else(|| other.format.clone());
        self.pattern = self.pattern.take().or_else(|| other.pattern.clone());
        self.min_length = self.min_length.or(other.min_length);
        self.max_length = self.max_length.or(other.max_length);
        self.minimum = self.minimum.or(other.minimum);
        self.maximum = self.maximum.or(other.maximum);
        self.min_items = self.min_items.or(other.min_items);
        self.max_items = self.max_items.or(other.max_items);
        self.unique_items |= other.unique_items;
    }

    /// One short line per constraint, e.g. "pattern `^[0-9]{1,19}$`".
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(f) = &self.format {
            out.push(format!("format `{f}`"));
        }
        if let Some(p) = &self.pattern {
            out.push(format!("pattern `{p}`"));
        }
        let range = |lo: Option<String>, hi: Option<String>, what: &str| match (lo, hi) {
            (Some(lo), Some(hi)) => Some(format!("{what} {lo}..={hi}")),
            (Some(lo), None) => Some(format!("{what} >= {lo}")),
            (None, Some(hi)) => Some(format!("{what} <= {hi}")),
            (None, None) => None,
        };
        out.extend(range(self.min_length.map(|v| v.to_string()), self.max_length.map(|v| v.to_string()), "length"));
        out.extend(range(self.minimum.map(fmt_num), self.maximum.map(fmt_num), "value"));
        out.extend(range(self.min_items.map(|v| v.to_string()), self.max_items.map(|v| v.to_string()), "items"));
        if self.unique_items {
            out.push("unique items".to_owned());
        }
        out
    }
}

/// Prints 100.0 as `100` and 0.5 as `0.5`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub id: TypeId,
    /// Unique across all modules.
    pub name: String,
    pub module: Module,
    pub kind: TypeKind,
    pub constraints: Constraints,
    /// Free-form facts for the doc comment (e.g. "discriminator `type`").
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    StringEnum(Vec<EnumValue>),
    Union(Union),
    /// `pub type Name = T;`
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// additionalProperties next to named properties: a flattened map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire: String,
    /// The Rust field name as written (may be `r#type`).
    pub ident: String,
    pub ty: TypeRef,
    /// `Option<T>`: not required, nullable, or in a type X sends (see [`crate::policy`]).
    pub optional: bool,
    /// The spec lists it in `required`.
    pub required: bool,
    /// `Box<T>`, to break a cycle of direct containment. Set after collection.
    pub boxed: bool,
    pub pointer: String,
    pub constraints: Constraints,
    /// The legacy spelling X also sends (`tweet_count` for `post_count`), from `spec/wire.yaml`.
    pub legacy: Option<String>,
    /// Required by the spec, omitted by X (`spec/wire.yaml`).
    pub absent: bool,
    /// Not in the spec: `spec/wire.yaml` adds it.
    pub added: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub ident: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `Some(property)` when the members are told apart by a property of their own.
    pub tag: Option<String>,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub ident: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant (tagged unions only), sorted.
    pub tags: Vec<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    /// Arrays sent as one comma-joined value (`style: form, explode: false`, or path `simple`).
    pub comma_joined: bool,
    pub ty: TypeRef,
    pub pointer: String,
    /// Constraints on the parameter as a whole (for an array: its item count, uniqueness).
    pub constraints: Constraints,
    /// Constraints the spec states inline on an array's items (`items: {pattern: …}`); items
    /// that are a `$ref` carry theirs on the named type.
    pub items: Constraints,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security {
    pub scheme: String,
    pub kind: AuthKind,
    pub scopes: Vec<String>,
}

/// What a security scheme means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthKind {
    /// App-only bearer token.
    AppOnly,
    /// OAuth 2.0 user context (authorization code with PKCE).
    OAuth2User,
    /// OAuth 1.0a user context.
    OAuth1User,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub ty: TypeRef,
    /// Pointer of its node in [`Api::body_schemas`], when the spec gives a schema.
    pub schema: Option<String>,
}

/// What JSON type a body schema node expects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NodeKind {
    #[default]
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

/// One schema a request body is checked against; children are named by pointer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaNode {
    /// The generated static's name, unique.
    pub name: String,
    pub kind: NodeKind,
    pub nullable: bool,
    pub constraints: Constraints,
    /// Enum values, as text (numbers in their decimal form).
    pub values: Vec<String>,
    pub items: Option<String>,
    /// Property name → node pointer, in spec order.
    pub properties: Vec<(String, String)>,
    pub required: Vec<String>,
    /// Whether properties not listed are allowed (`additionalProperties` is not `false`).
    pub additional: bool,
    /// `oneOf` and `anyOf` members: at least one must match.
    pub any_of: Vec<String>,
    /// `allOf` members: all must match.
    pub all_of: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    pub status: u16,
    pub media_type: Option<String>,
    pub ty: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// Module name (snake_case of the id), unique.
    pub module: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    /// Alternatives: any one of these is enough. Empty: no authentication.
    pub security: Vec<Security>,
    pub streaming: bool,
    pub request_body: Vec<Body>,
    pub body_required: bool,
    pub success: Option<Success>,
    pub pointer: String,
    pub docs_url: Option<String>,
    /// Error variants it can return (from the endpoint rules; empty until they are applied).
    pub errors: Vec<String>,
    /// The name of its error enum, shared by the operations with the same variants (from
    /// the endpoint rules' `sets`; empty until they are applied).
    pub error_set: String,
}

/// Everything the emitter needs.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Sorted by operation id.
    pub operations: Vec<Operation>,
    /// Schemas reachable from request bodies, by pointer.
    pub body_schemas: BTreeMap<String, SchemaNode>,
}

impl Api {
    pub fn type_name(&self, id: &str) -> &str {
        self.types.get(id).map(|t| t.name.as_str()).unwrap_or("serde_json::Value")
    }

    /// Follows `pub type` aliases (the spec's and dedupe's) from a use of a type: the named
    /// types passed, in order, and where the chain ends (a primitive, a container, or the last
    /// named type, which is not an alias). Stops on a loop.
    pub fn alias_chain(&self, ty: &TypeRef) -> (Vec<&TypeDef>, TypeRef) {
        let mut chain = Vec::new();
        let mut ty = ty.clone();
        while let TypeRef::Named(id) = &ty {
            let Some(def) = self.types.get(id) else { break };
            if chain.len() > self.types.len() {
                break;
            }
            chain.push(def);
            match &def.kind {
                TypeKind::Alias(next) => ty = next.clone(),
                _ => break,
            }
        }
        (chain, ty)
    }
}
