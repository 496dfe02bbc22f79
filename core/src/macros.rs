//! Macros the generated modules use, so each enum is a few lines instead of a few dozen.

/// Implements the wire mapping, `Display`, `FromStr` and serde for a string enum whose last
/// variant is `Unknown(String)`: a value this spec version does not list is kept, never an error.
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// Every value this spec version lists, in spec order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The same values as X sends them.
            pub const WIRE: &'static [&'static str] = &[$($wire),*];

            /// The value as X sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }

            /// Parses a value as X sends it; unlisted values become `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// Whether this spec version lists the value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::from_wire(&value))
            }
        }
    };
}

/// `Display` and `Error` for a per-endpoint error enum, through `EndpointError`.
#[macro_export]
macro_rules! endpoint_error {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                use $crate::response::EndpointError as _;
                write!(f, "{}: {}", self.variant(), self.response())
            }
        }

        impl ::std::error::Error for $name {}
    };
}

/// The setters, `TypedRequest` impl and inherent `validate`/`to_http_request` of an operation's
/// `Request`. `params` lists every parameter as `how "wire" field` (`how` is a
/// `ParamsBuilder` method); `setters` the optional ones as `one field: T` or `many field: T`;
/// `body` maps the request to its body.
#[macro_export]
macro_rules! typed_request {
    (@set one $field:ident : $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (@set many $field:ident : $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, values: impl IntoIterator<Item = impl Into<$ty>>) -> Self {
            self.$field = Some(values.into_iter().map(Into::into).collect());
            self
        }
    };
    ($name:ident {
        params { $($how:ident $wire:literal $param:ident),* $(,)? }
        setters { $($shape:ident $set:ident : $ty:ty),* $(,)? }
        body $body:expr
    }) => {
        impl $name {
            $($crate::typed_request!(@set $shape $set : $ty);)*

            /// Checks every parameter and the body against the spec; all violations at once.
            pub fn validate(&self) -> ::std::result::Result<(), Vec<$crate::request::Violation>> {
                <Self as $crate::request::TypedRequest>::validate(self)
            }

            /// Validates, then builds the HTTP request X would receive at `base_url`.
            pub fn to_http_request(
                &self,
                base_url: &str,
            ) -> ::std::result::Result<$crate::http::Request<Vec<u8>>, Vec<$crate::request::Violation>> {
                <Self as $crate::request::TypedRequest>::to_http_request(self, base_url)
            }
        }

        impl $crate::request::TypedRequest for $name {
            const OPERATION: &'static $crate::meta::Operation = &OPERATION;
            type Endpoint = Op;

            fn to_params(&self) -> $crate::request::Params {
                $crate::request::ParamsBuilder::default()$(.$how($wire, &self.$param))*.build()
            }

            fn to_body(&self) -> ::std::result::Result<Option<$crate::request::Body>, $crate::request::Violation> {
                let body: fn(&Self) -> ::std::result::Result<Option<$crate::request::Body>, $crate::request::Violation> =
                    $body;
                body(self)
            }
        }
    };
}

/// Like `string_enum!` for numeric codes: the last variant is `Unknown(u32)`.
#[macro_export]
macro_rules! numeric_enum {
    ($name:ident { $($variant:ident => $code:literal),* $(,)? }) => {
        impl $name {
            /// Every code this crate knows, in ascending order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The numeric code as X sends it.
            pub const fn code(&self) -> u32 {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown(other) => *other,
                }
            }

            /// The variant for a code; unlisted codes become `Unknown`.
            pub const fn from_code(code: u32) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }

            /// Whether this crate lists the code.
            pub const fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_u32(self.code())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <u32 as $crate::__private::serde::Deserialize>::deserialize(d).map(Self::from_code)
            }
        }
    };
}

/// Serde for a union told apart by a tag property: the tag picks the variant (problem type
/// URIs match by slug on any host); an unknown tag, a missing tag or a body that does not fit
/// its variant is kept whole in `Unknown`.
#[macro_export]
macro_rules! tagged_union {
    ($name:ident, $tag:literal { $($($wire:literal)|+ => $variant:ident),* $(,)? }) => {
        impl $crate::wire::Members for $name {
            fn members(value: &$crate::serde_json::Value) -> Option<Self> {
                $crate::wire::within_union::<Self, Self>(value, || {
                    let tag = value.get($tag).and_then($crate::serde_json::Value::as_str)?;
                    $(if $($crate::wire::same_tag(tag, $wire))||+ {
                        if let Ok(v) = $crate::__private::serde::Deserialize::deserialize(value) {
                            return Some(Self::$variant(v));
                        }
                    })*
                    None
                })
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <$crate::serde_json::Value as $crate::__private::serde::Deserialize>::deserialize(d)?;
                let parsed = <Self as $crate::wire::Members>::members(&value);
                Ok(parsed.unwrap_or(Self::Unknown(value)))
            }
        }
        $crate::union_serialize!($name { $($variant,)* Unknown });
    };
}

/// Serde for a union without a readable tag. Object members (`fit`) are ranked by how the
/// value's properties fit their schemas (`wire::score`: the required ones present, the fewest
/// unknown properties, the more specific member first); the best that reads wins, and if
/// none reads (a value of the wrong type), no lesser member is taken in its place. Other
/// members are tried in order: `union` ones (themselves unions) by their members only,
/// `any` ones by their `Deserialize`. A value that fits none is kept whole in `Unknown` (or,
/// when a member is itself any JSON, taken by that member).
#[macro_export]
macro_rules! untagged_union {
    (@score $value:ident $ty:ty, fit) => { $crate::wire::score::<$ty>($value) };
    (@score $value:ident $ty:ty, $how:ident) => { None::<$crate::wire::Score> };
    (@fit $value:ident $best:ident $variant:ident $ty:ty, fit) => {
        if $best.is_some() && $crate::wire::score::<$ty>($value) == $best {
            if let Ok(v) = $crate::__private::serde::Deserialize::deserialize($value) {
                return Some(Self::$variant(v));
            }
        }
    };
    (@fit $value:ident $best:ident $variant:ident $ty:ty, $how:ident) => {};
    (@any $value:ident $variant:ident $ty:ty, any) => {
        if let Ok(v) = $crate::__private::serde::Deserialize::deserialize($value) {
            return Some(Self::$variant(v));
        }
    };
    (@any $value:ident $variant:ident $ty:ty, union) => {
        if let Some(v) = <$ty as $crate::wire::Members>::members($value) {
            return Some(Self::$variant(v.into()));
        }
    };
    (@any $value:ident $variant:ident $ty:ty, fit) => {};
    ($name:ident { $($variant:ident($ty:ty) $how:ident),* $(,)? } $($unknown:ident)?) => {
        impl $crate::wire::Members for $name {
            fn members(value: &$crate::serde_json::Value) -> Option<Self> {
                let scores: &[Option<$crate::wire::Score>] = &[$($crate::untagged_union!(@score value $ty, $how)),*];
                let best = scores.iter().flatten().max().copied();
                $crate::wire::within_union::<Self, Self>(value, || {
                    $($crate::untagged_union!(@fit value best $variant $ty, $how);)*
                    if best.is_none() {
                        $($crate::untagged_union!(@any value $variant $ty, $how);)*
                    }
                    None
                })
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <$crate::serde_json::Value as $crate::__private::serde::Deserialize>::deserialize(d)?;
                if let Some(found) = <Self as $crate::wire::Members>::members(&value) {
                    return Ok(found);
                }
                $(return Ok(Self::$unknown(value));)?
                #[allow(unreachable_code)]
                Err($crate::__private::serde::de::Error::custom(concat!("no member of ", stringify!($name), " matches")))
            }
        }
        $crate::union_serialize!($name { $($variant,)* $($unknown)? });
    };
}

/// Serializes a union as its member, without any wrapping.
#[macro_export]
macro_rules! union_serialize {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(v) => $crate::__private::serde::Serialize::serialize(v, s),)*
                }
            }
        }
    };
}

/// Serde for a struct, visiting the JSON directly (see `wire/`), in a few lines per type
/// instead of the machinery `#[derive]` expands to: this crate's `cargo check` time is a
/// measured goal. `lenient` structs (every field optional: everything X sends) are read in
/// place; `strict` ones (request models) check their required fields. Each field is
/// `kind field bit "name"` with an optional `| "legacy"` spelling; kinds: `opt` (`Option<T>`),
/// `obj` (`Option<Box<T>>` of a lenient struct), `many` (`Option<Vec<T>>`), `objs`
/// (`Option<Vec<T>>` of a lenient struct), `req` (`T`, must be present) and `reqmany`
/// (`Vec<T>`). `rest` names the typed `additionalProperties` map; `fit` lists the property
/// names it reads and those its spec requires (how union members are told apart). Properties no field takes,
/// and `null`s, are kept in `extra` and written back.
#[macro_export]
macro_rules! json_object {
    (@how opt) => { $crate::wire::Reader::one };
    (@how req) => { $crate::wire::Reader::one };
    (@how obj) => { $crate::wire::Reader::object };
    (@how many) => { $crate::wire::Reader::many };
    (@how reqmany) => { $crate::wire::Reader::many };
    (@how objs) => { $crate::wire::Reader::objects };
    (@read $r:ident $map:ident $kind:ident $slot:expr, $bit:literal $wire:literal) => {
        ($crate::json_object!(@how $kind))($r, $map, &mut $slot, $bit, $wire)
    };
    (@read $r:ident $map:ident $kind:ident $slot:expr, $bit:literal $wire:literal | $legacy:literal) => {
        $r.current($map, &mut $slot, $bit, ($wire, $legacy), $crate::json_object!(@how $kind))
    };
    (@legacy $r:ident $map:ident $kind:ident $slot:expr, $bit:literal $wire:literal $legacy:literal) => {
        $r.legacy($map, &mut $slot, $bit, ($wire, $legacy), $crate::json_object!(@how $kind))
    };
    (@rest $r:ident $map:ident $key:ident) => { $r.unknown($map, $key) };
    (@rest $r:ident $map:ident $key:ident $rest:expr) => { $r.additional($map, $key, &mut $rest) };
    (@done $r:ident req $f:ident $wire:literal) => { match $f { Some(v) => v, None => return Err($r.missing($wire)) } };
    (@done $r:ident reqmany $f:ident $wire:literal) => { match $f { Some(v) => v, None => return Err($r.missing($wire)) } };
    (@done $r:ident $kind:ident $f:ident $wire:literal) => { $f };
    (@name $s:ident $bit:literal $wire:literal) => { $wire };
    (@name $s:ident $bit:literal $wire:literal | $legacy:literal) => { $s.extra.name($bit, $wire, $legacy) };
    (@write $w:ident $s:ident req $f:ident $name:expr, $bit:literal) => { $w.req($name, &$s.$f) };
    (@write $w:ident $s:ident reqmany $f:ident $name:expr, $bit:literal) => { $w.many($name, &$s.$f, $s.extra.is_single($bit)) };
    (@write $w:ident $s:ident many $f:ident $name:expr, $bit:literal) => {
        $w.opt_many($name, &$s.$f, $s.extra.is_single($bit), $s.extra.is_null($bit))
    };
    (@write $w:ident $s:ident objs $f:ident $name:expr, $bit:literal) => {
        $w.opt_many($name, &$s.$f, $s.extra.is_single($bit), $s.extra.is_null($bit))
    };
    (@write $w:ident $s:ident $kind:ident $f:ident $name:expr, $bit:literal) => { $w.opt($name, &$s.$f, $s.extra.is_null($bit)) };
    (@common $name:ident { $($kind:ident $field:ident $bit:literal $wire:literal $(| $legacy:literal)?),* }
        $(rest $rest:ident)? $(fit [$($known:literal),*] [$($rw:literal $(| $rl:literal)?),*])?) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut w = $crate::wire::Writer::begin(s);
                $($crate::json_object!(@write w self $kind $field $crate::json_object!(@name self $bit $wire $(| $legacy)?), $bit);)*
                $(w.additional(&self.$rest);)?
                w.finish(&self.extra)
            }
        }

        $(impl $crate::wire::Fit for $name {
            const KNOWN: &'static [&'static str] = &[$($known),*];
            const REQUIRED: &'static [&'static [&'static str]] = &[$(&[$rw $(, $rl)?]),*];
        })?
    };
    (lenient $name:ident $schema:literal {
        $($kind:ident $field:ident $bit:literal $wire:literal $(| $legacy:literal)?),* $(,)?
    } $(rest $rest:ident)? $(fit [$($known:literal),* $(,)?] [$($rw:literal $(| $rl:literal)?),* $(,)?])?) => {
        impl $crate::wire::Object for $name {
            const SCHEMA: &'static str = $schema;

            fn extra_mut(&mut self) -> &mut $crate::wire::Extra {
                &mut self.extra
            }

            #[inline]
            fn read_key<'de, A: $crate::__private::serde::de::MapAccess<'de>>(
                &mut self,
                r: &mut $crate::wire::Reader<'_, A::Error>,
                map: &mut A,
                key: $crate::wire::Key<'de>,
            ) {
                match key.as_str() {
                    $($wire => $crate::json_object!(@read r map $kind self.$field, $bit $wire $(| $legacy)?),
                    $($legacy => $crate::json_object!(@legacy r map $kind self.$field, $bit $wire $legacy),)?)*
                    _ => $crate::json_object!(@rest r map key $(self.$rest)?),
                }
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::read(d)
            }
        }

        $crate::json_object!(@common $name { $($kind $field $bit $wire $(| $legacy)?),* } $(rest $rest)? $(fit [$($known),*] [$($rw $(| $rl)?),*])?);
    };
    (strict $name:ident $schema:literal {
        $($kind:ident $field:ident $bit:literal $wire:literal $(| $legacy:literal)?),* $(,)?
    } $(rest $rest:ident)? $(fit [$($known:literal),* $(,)?] [$($rw:literal $(| $rl:literal)?),* $(,)?])?) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct V;
                impl<'de> $crate::__private::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object of schema ", $schema))
                    }
                    fn visit_map<A: $crate::__private::serde::de::MapAccess<'de>>(self, mut access: A) -> ::std::result::Result<$name, A::Error> {
                        let map = &mut access;
                        let mut extra = $crate::wire::Extra::default();
                        let mut reader = $crate::wire::Reader::new($schema, &mut extra);
                        let r = &mut reader;
                        $(let mut $field = None;)*
                        $(let mut $rest = ::std::collections::BTreeMap::new();)?
                        while let Some(key) = map.next_key::<$crate::wire::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => $crate::json_object!(@read r map $kind $field, $bit $wire $(| $legacy)?),
                                $($legacy => $crate::json_object!(@legacy r map $kind $field, $bit $wire $legacy),)?)*
                                _ => $crate::json_object!(@rest r map key $($rest)?),
                            }
                            if let Some(e) = r.take_error() {
                                return Err(e);
                            }
                        }
                        $(let $field = $crate::json_object!(@done r $kind $field $wire);)*
                        Ok($name { $($field,)* $($rest,)? extra })
                    }
                }
                d.deserialize_map(V)
            }
        }

        $crate::json_object!(@common $name { $($kind $field $bit $wire $(| $legacy)?),* } $(rest $rest)? $(fit [$($known),*] [$($rw $(| $rl)?),*])?);
    };
}
