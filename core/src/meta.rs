//! Operation metadata: the facts the spec states about each endpoint, as constants that
//! tools and the runtime read (method, path, parameters, security, streaming, bodies, and the
//! errors `spec/errors/endpoint_rules.yaml` derives from them).
//!
//! The structs are not `#[non_exhaustive]`: generated crates build them as statics. Their
//! fields change only with this crate's version, which regen's output matches.

use crate::errors::{ProblemKind, RetryClass};
use crate::response::TooManyRequests;

/// What the spec states about a value (shared with the generator, hence in the vocabulary).
pub use crate::vocabulary::{number, Constraints, SchemaKind};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// The method as it goes on the wire (`GET`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }

    /// The method as the `http` crate spells it; every variant has one (a match in this
    /// crate, so a new variant cannot silently become another method).
    pub fn to_http(self) -> http::Method {
        match self {
            Self::Get => http::Method::GET,
            Self::Put => http::Method::PUT,
            Self::Post => http::Method::POST,
            Self::Delete => http::Method::DELETE,
            Self::Options => http::Method::OPTIONS,
            Self::Head => http::Method::HEAD,
            Self::Patch => http::Method::PATCH,
            Self::Trace => http::Method::TRACE,
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// Substituted into a `{name}` segment of the path template.
    Path,
    /// Sent in the query string.
    Query,
    /// Sent as a request header.
    Header,
    /// A cookie: listed for completeness; requests built here do not send it.
    Cookie,
}

/// One path, query or header parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// The name as sent (`max_results`, `tweet.fields`).
    pub name: &'static str,
    /// Where the parameter goes.
    pub location: Location,
    /// The request is invalid without it.
    pub required: bool,
    /// An array sent as one comma-joined value (`explode: false`), e.g. `ids=1,2,3`.
    pub comma_joined: bool,
    /// The Rust type, as written in this crate (e.g. `Vec<PostFields>`).
    pub rust_type: &'static str,
    /// JSON pointer of the parameter's schema in the spec.
    pub pointer: &'static str,
    /// Constraints on the parameter as a whole (for arrays: the item count).
    pub constraints: Constraints,
    /// An array (several values).
    pub is_array: bool,
    /// Constraints on each value (an array's items, or a scalar's referenced schema).
    pub item: Constraints,
    /// What each value is.
    pub value_kind: ValueKind,
    /// The values allowed, when the spec lists them (an enum).
    pub values: &'static [&'static str],
}

impl Param {
    /// The defaults a parameter literal fills in with `..Param::BASE`: an optional, scalar
    /// query string without constraints.
    pub const BASE: Self = Self {
        name: "",
        location: Location::Query,
        required: false,
        comma_joined: false,
        rust_type: "String",
        pointer: "",
        constraints: Constraints::NONE,
        is_array: false,
        item: Constraints::NONE,
        value_kind: ValueKind::String,
        values: &[],
    };
}

/// What kind of value a parameter carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// Any text.
    String,
    /// A whole number that fits `i64`.
    Integer,
    /// A finite decimal number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Anything else (objects, untyped schemas): not checked by kind.
    Other,
}

/// What kind of credentials a security scheme stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthKind {
    /// App-only bearer token.
    AppOnly,
    /// OAuth 2.0 user context.
    OAuth2User,
    /// OAuth 1.0a user context.
    OAuth1User,
    /// A scheme this crate does not classify.
    Other,
}

impl AuthKind {
    /// Whether the credentials act for a user (rather than only the app).
    pub const fn is_user_context(self) -> bool {
        matches!(self, Self::OAuth2User | Self::OAuth1User)
    }
}

/// One way to authenticate; an operation accepts any one of its `security` entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Security {
    /// The scheme name in the spec (`BearerToken`, `OAuth2UserToken`, `UserToken`).
    pub scheme: &'static str,
    /// What credentials the scheme stands for.
    pub kind: AuthKind,
    /// OAuth 2.0 scopes the token must carry.
    pub scopes: &'static [&'static str],
}

/// One media type a request body may be sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyMedia {
    /// The media type, e.g. `application/json` or `multipart/form-data`.
    pub media_type: &'static str,
    /// The Rust type of the body, as written in the generated crate.
    pub rust_type: &'static str,
    /// The schema the body is checked against (in `crate::schemas`).
    pub schema: Option<&'static Schema>,
}

/// One schema from the spec that request bodies are checked against: every constraint it
/// states, with the pointer where it states them. Schemas refer to each other (and may be
/// recursive), so `Debug` and `PartialEq` look at the pointer only.
#[derive(Clone, Copy)]
pub struct Schema {
    /// JSON pointer of the schema in the spec.
    pub pointer: &'static str,
    /// The JSON type a value must have.
    pub kind: SchemaKind,
    /// `null` is allowed.
    pub nullable: bool,
    /// The constraints on the value itself (length, range, item count, …).
    pub constraints: Constraints,
    /// The values allowed, when the spec lists them (numbers in decimal).
    pub values: &'static [&'static str],
    /// An array's items.
    pub items: Option<&'static Schema>,
    /// Named properties and their schemas, in spec order.
    pub properties: &'static [(&'static str, &'static Schema)],
    /// Properties an object must have.
    pub required: &'static [&'static str],
    /// Properties other than `properties` are allowed.
    pub additional: bool,
    /// At least one must match (`oneOf`, `anyOf`).
    pub any_of: &'static [&'static Schema],
    /// All must match (`allOf`).
    pub all_of: &'static [&'static Schema],
}

impl Schema {
    /// The defaults a schema literal fills in with `..Schema::ANY`: accepts any value.
    pub const ANY: Self = Self {
        pointer: "",
        kind: SchemaKind::Any,
        nullable: false,
        constraints: Constraints::NONE,
        values: &[],
        items: None,
        properties: &[],
        required: &[],
        additional: true,
        any_of: &[],
        all_of: &[],
    };

    /// A schema that states only its kind. Generated code points at these instead of writing
    /// one static per such schema; checks then name the pointer of the place that uses it.
    pub const STRING: Self = Self::only(SchemaKind::String);
    /// Any integer (see [`STRING`](Self::STRING)).
    pub const INTEGER: Self = Self::only(SchemaKind::Integer);
    /// Any number (see [`STRING`](Self::STRING)).
    pub const NUMBER: Self = Self::only(SchemaKind::Number);
    /// Any boolean (see [`STRING`](Self::STRING)).
    pub const BOOLEAN: Self = Self::only(SchemaKind::Boolean);
    /// Any array, items unchecked (see [`STRING`](Self::STRING)).
    pub const ARRAY: Self = Self::only(SchemaKind::Array);
    /// Any object, properties unchecked (see [`STRING`](Self::STRING)).
    pub const OBJECT: Self = Self::only(SchemaKind::Object);

    const fn only(kind: SchemaKind) -> Self {
        Self { kind, ..Self::ANY }
    }

    /// The schema of a named property, if listed.
    pub fn property(&self, name: &str) -> Option<&'static Schema> {
        self.properties.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Schema({})", self.pointer)
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other) || (!self.pointer.is_empty() && self.pointer == other.pointer)
    }
}

impl Eq for Schema {}

/// The response the operation answers with when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuccessResponse {
    /// The 2xx status the spec lists (the lowest, when it lists several).
    pub status: u16,
    /// The media type of its body (a JSON one, when there are several); `None` when it has
    /// no body.
    pub media_type: Option<&'static str>,
    /// The Rust type the body decodes to (`Vec<u8>` when it is not JSON); `None` when it has no
    /// body.
    pub rust_type: Option<&'static str>,
}

/// One error an operation can return: what it matches in a classified response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantInfo {
    /// The variant's name in the operation's `Error` enum.
    pub name: &'static str,
    /// What the error means, for people (from the endpoint rules).
    pub meaning: &'static str,
    /// Problem kinds that select it (tried first).
    pub problems: &'static [ProblemKind],
    /// 429 kinds that select it.
    pub too_many: &'static [TooManyRequests],
    /// Statuses that select it when the body names no problem the operation knows.
    pub statuses: &'static [u16],
    /// The status it usually comes with.
    pub status: Option<u16>,
    /// What a caller should do about it.
    pub retry: RetryClass,
}

/// Everything the spec states about one operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`, e.g. `getPostsByIds`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/2/tweets/{id}`.
    pub path: &'static str,
    /// The spec's `tags` (e.g. `Posts`), in spec order.
    pub tags: &'static [&'static str],
    /// Path, query and header parameters, in spec order.
    pub params: &'static [Param],
    /// Alternatives; empty means no authentication.
    pub security: &'static [Security],
    /// Marked `x-twitter-streaming`: a long-lived response of newline-delimited JSON.
    pub streaming: bool,
    /// Sending it twice has the effect of sending it once, so a server error on it may be
    /// retried: its method is idempotent (GET, PUT, DELETE, …), or, for a POST,
    /// `spec/errors/endpoint_rules.yaml` says so with its evidence.
    pub idempotent: bool,
    /// The media types the body may be sent as; empty when the operation takes no body.
    pub request_body: &'static [BodyMedia],
    /// The request is invalid without a body.
    pub body_required: bool,
    /// The success response, when the spec lists one.
    pub success: Option<SuccessResponse>,
    /// JSON pointer of the operation in the spec.
    pub pointer: &'static str,
    /// X's documentation page for the operation (`externalDocs.url`).
    pub docs_url: Option<&'static str>,
    /// The errors it can return (matching order), besides `Unhandled`.
    pub errors: &'static [VariantInfo],
}

impl Operation {
    /// Whether some accepted scheme is app-only.
    pub fn accepts_app_only(&self) -> bool {
        self.security.iter().any(|s| s.kind == AuthKind::AppOnly)
    }

    /// Whether some accepted scheme acts for a user.
    pub fn accepts_user_context(&self) -> bool {
        self.security.iter().any(|s| s.kind.is_user_context())
    }

    /// The OAuth 2.0 scopes a user token must carry (empty when OAuth 2.0 is not accepted).
    pub fn scopes(&self) -> &'static [&'static str] {
        self.security.iter().find(|s| s.kind == AuthKind::OAuth2User).map_or(&[], |s| s.scopes)
    }

    /// The parameter with this name, if the operation has it.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Whether a request path (no host, no query: `/2/tweets/20`) is this operation's path,
    /// and how many of its segments are literal (more is more specific: `/2/users/me` before
    /// `/2/users/{id}`).
    pub fn path_match(&self, path: &str) -> Option<usize> {
        let mut literal = 0;
        let mut sent = path.trim_end_matches('/').split('/');
        for template in self.path.split('/') {
            let segment = sent.next()?;
            if template.starts_with('{') && template.ends_with('}') {
                if segment.is_empty() {
                    return None;
                }
            } else if template == segment {
                literal += 1;
            } else {
                return None;
            }
        }
        sent.next().is_none().then_some(literal)
    }
}

/// The operation a request went to: same method, and the path template that matches the most
/// literal segments. `url` may be a full URL or a path; its host and query are ignored.
pub fn route(operations: &[&'static Operation], method: &str, url: &str) -> Option<&'static Operation> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = match path.find("://") {
        Some(at) => path[at + 3..].find('/').map_or("/", |slash| &path[at + 3 + slash..]),
        None => path,
    };
    operations
        .iter()
        .filter(|op| op.method.as_str().eq_ignore_ascii_case(method))
        .filter_map(|op| Some((op.path_match(path)?, *op)))
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, op)| op)
}
