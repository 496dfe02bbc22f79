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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// `models`: component schemas and the inline schemas inside them and in operations.
    Models,
    /// `params`: enums of query/path parameters (the shared `*.fields`/`expansions` ones first).
    Params,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Anything: `serde_json::Value`.
    Json,
    /// Raw bytes (`application/octet-stream` bodies).
    Bytes,
    /// A type defined in [`Api::types`], by id.
    Named(TypeId),
    /// `Vec<T>` (an array).
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>` (additionalProperties).
    Map(Box<TypeRef>),
}

/// Facts about a schema that go into doc comments and operation metadata (no prose from the
/// spec): the core vocabulary's type, with owned text.
pub type Constraints = xapi_core::vocabulary::Constraints<String>;

/// Prints 100.0 as `100` and 0.5 as `0.5` (the core vocabulary's spelling).
pub use xapi_core::vocabulary::number as fmt_num;

/// A named type the generated crate defines.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The pointer of the schema that defines it (its key in [`Api::types`]).
    pub id: TypeId,
    /// The Rust name; unique across all modules.
    pub name: String,
    /// The module it is written to.
    pub module: Module,
    /// What Rust item it becomes.
    pub kind: TypeKind,
    /// What the schema itself states (for the doc comment).
    pub constraints: Constraints,
    /// Free-form facts for the doc comment (e.g. "discriminator `type`").
    pub notes: Vec<String>,
}

/// The Rust item a [`TypeDef`] becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named properties (also a merged `allOf`).
    Struct(Struct),
    /// A string `enum`; values X adds later decode as `Unknown`.
    StringEnum(Vec<EnumValue>),
    /// `oneOf`/`anyOf`: an enum with one variant per member.
    Union(Union),
    /// `pub type Name = T;`
    Alias(TypeRef),
}

/// The fields of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Its properties, in spec order (merged `allOf` members in member order).
    pub fields: Vec<Field>,
    /// additionalProperties next to named properties: a flattened map.
    pub additional: Option<TypeRef>,
}

/// One property of a [`Struct`].
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire: String,
    /// The Rust field name as written (may be `r#type`).
    pub ident: String,
    /// The property's type (without the `Option` or `Box`).
    pub ty: TypeRef,
    /// `Option<T>`: not required, nullable, or in a type X sends (see the `policy` pass).
    pub optional: bool,
    /// The spec lists it in `required`.
    pub required: bool,
    /// `Box<T>`, to break a cycle of direct containment. Set after collection.
    pub boxed: bool,
    /// Pointer of the property's schema (`…/properties/<name>`).
    pub pointer: String,
    /// What the property's schema states inline (a `$ref` carries its own on the named type).
    pub constraints: Constraints,
    /// The legacy spelling X also sends (`tweet_count` for `post_count`), from `spec/wire.yaml`.
    pub legacy: Option<String>,
    /// Required by the spec, omitted by X (`spec/wire.yaml`).
    pub absent: bool,
    /// Not in the spec: `spec/wire.yaml` adds it.
    pub added: bool,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The variant name, unique in the enum (never `Unknown`).
    pub ident: String,
    /// The value as sent.
    pub wire: String,
}

/// A `oneOf`/`anyOf`: what its members are and how a value picks one.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `Some(property)` when the members are told apart by a property of their own.
    pub tag: Option<String>,
    /// One per distinct member, in spec order; then discriminator mapping targets that are
    /// not members.
    pub variants: Vec<Variant>,
}

/// One member of a [`Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The variant name, unique in the union (the member's type name, minus the union's name
    /// as a suffix).
    pub ident: String,
    /// The member's type.
    pub ty: TypeRef,
    /// Discriminator values that select this variant (tagged unions only), sorted.
    pub tags: Vec<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{name}` segment of the path template.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// One parameter of an [`Operation`].
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name as sent.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// The spec marks it `required`.
    pub required: bool,
    /// Arrays sent as one comma-joined value (`style: form, explode: false`, or path `simple`).
    pub comma_joined: bool,
    /// The Rust type of its value.
    pub ty: TypeRef,
    /// Pointer of the parameter's schema.
    pub pointer: String,
    /// Constraints on the parameter as a whole (for an array: its item count, uniqueness).
    pub constraints: Constraints,
    /// Constraints the spec states inline on an array's items (`items: {pattern: …}`); items
    /// that are a `$ref` carry theirs on the named type.
    pub items: Constraints,
}

/// One `security` requirement of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security {
    /// The scheme's name, or the names joined with ` + ` when the requirement needs several.
    pub scheme: String,
    /// What credentials it stands for ([`AuthKind::Other`] for several at once).
    pub kind: AuthKind,
    /// OAuth 2.0 scopes the token must carry, sorted and without repeats.
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
    /// A scheme not classified above, or several schemes required together.
    Other,
}

/// One media type a request body may be sent as.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The media type (`application/json`, `multipart/form-data`).
    pub media_type: String,
    /// The body's type (any JSON or bytes when the spec gives no schema).
    pub ty: TypeRef,
    /// Pointer of its node in [`Api::body_schemas`], when the spec gives a schema.
    pub schema: Option<String>,
}

/// What JSON type a body schema node expects: the core vocabulary's.
pub use xapi_core::vocabulary::SchemaKind as NodeKind;

/// One schema a request body is checked against; children are named by pointer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaNode {
    /// The generated static's name, unique.
    pub name: String,
    /// The JSON type a value must have.
    pub kind: NodeKind,
    /// `null` is allowed.
    pub nullable: bool,
    /// What the schema states (length, range, item count, …).
    pub constraints: Constraints,
    /// Enum values, as text (numbers in their decimal form).
    pub values: Vec<String>,
    /// Pointer of the node an array's items are checked against.
    pub items: Option<String>,
    /// Property name → node pointer, in spec order.
    pub properties: Vec<(String, String)>,
    /// Properties an object must have.
    pub required: Vec<String>,
    /// Whether properties not listed are allowed (`additionalProperties` is not `false`).
    pub additional: bool,
    /// `oneOf` and `anyOf` members: at least one must match.
    pub any_of: Vec<String>,
    /// `allOf` members: all must match.
    pub all_of: Vec<String>,
}

/// The response an operation answers with when it succeeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The lowest 2xx status the spec lists.
    pub status: u16,
    /// The media type of its body (a JSON one, when there are several); `None` when it has
    /// no body.
    pub media_type: Option<String>,
    /// The type its body decodes to ([`TypeRef::Bytes`] when it is not JSON); `None` when it
    /// has no body.
    pub ty: Option<TypeRef>,
}

/// One operation of the spec (a path and method).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// Module name (snake_case of the id), unique.
    pub module: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template (`/2/tweets/{id}`).
    pub path: String,
    /// The spec's `tags`, in spec order.
    pub tags: Vec<String>,
    /// The operation's parameters, then those of its path item that it does not redefine.
    pub params: Vec<Param>,
    /// Alternatives: any one of these is enough. Empty: no authentication.
    pub security: Vec<Security>,
    /// Marked `x-twitter-streaming`: a long-lived response of newline-delimited JSON.
    pub streaming: bool,
    /// Sending it twice has the effect of sending it once: its method says so (GET, PUT,
    /// DELETE, …), or the endpoint rules' `idempotent` table does for a POST.
    pub idempotent: bool,
    /// The media types its body may be sent as, sorted; empty when it takes no body.
    pub request_body: Vec<Body>,
    /// The spec marks the request body `required`.
    pub body_required: bool,
    /// The success response, when the spec lists a 2xx.
    pub success: Option<Success>,
    /// Pointer of the operation in the spec (`#/paths/…/get`).
    pub pointer: String,
    /// `externalDocs.url`: X's page for the operation.
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
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.version`, which the generated crate records.
    pub version: String,
    /// Every named type, by id.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Sorted by operation id.
    pub operations: Vec<Operation>,
    /// Schemas reachable from request bodies, by pointer.
    pub body_schemas: BTreeMap<String, SchemaNode>,
}

impl Api {
    /// The Rust name of a type by id; `serde_json::Value` for an id with no type.
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
