//! Macros the generated modules use, so each enum is a few lines instead of a few dozen.
#![allow(unused_macros)]

/// Implements the wire mapping, `Display`, `FromStr` and serde for a string enum whose last
/// variant is `Unknown(String)`: a value this spec version does not list is kept, never an error.
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

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::from_wire(&value))
            }
        }
    };
}

/// `Display` and `Error` for a per-endpoint error enum, through `EndpointError`.
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
            $(typed_request!(@set $shape $set : $ty);)*

            /// Checks every parameter and the body against the spec; all violations at once.
            pub fn validate(&self) -> ::std::result::Result<(), Vec<$crate::request::Violation>> {
                <Self as $crate::request::TypedRequest>::validate(self)
            }

            /// Validates, then builds the HTTP request X would receive at `base_url`.
            pub fn to_http_request(
                &self,
                base_url: &str,
            ) -> ::std::result::Result<::http::Request<Vec<u8>>, Vec<$crate::request::Violation>> {
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

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_u32(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <u32 as ::serde::Deserialize>::deserialize(d).map(Self::from_code)
            }
        }
    };
}

/// Serde for a union told apart by a tag property: the tag picks the variant; an unknown tag,
/// a missing tag or a body that does not fit its variant is kept whole in `Unknown`.
macro_rules! tagged_union {
    ($name:ident, $tag:literal { $($($wire:literal)|+ => $variant:ident),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                let parsed = match value.get($tag).and_then(::serde_json::Value::as_str) {
                    $($(Some($wire))|+ => ::serde::Deserialize::deserialize(&value).ok().map(Self::$variant),)*
                    _ => None,
                };
                Ok(parsed.unwrap_or(Self::Unknown(value)))
            }
        }
        union_serialize!($name { $($variant,)* Unknown });
    };
}

/// Serde for a union without a readable tag: members are tried in order, and a value that fits
/// none is kept whole in `Unknown` (or, when a member is itself any JSON, taken by that member).
macro_rules! untagged_union {
    ($name:ident { $($variant:ident),* $(,)? } $($unknown:ident)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                $(if let Ok(v) = ::serde::Deserialize::deserialize(&value) {
                    return Ok(Self::$variant(v));
                })*
                $(return Ok(Self::$unknown(value));)?
                #[allow(unreachable_code)]
                Err(::serde::de::Error::custom(concat!("no member of ", stringify!($name), " matches")))
            }
        }
        union_serialize!($name { $($variant,)* $($unknown)? });
    };
}

/// Serializes a union as its member, without any wrapping.
macro_rules! union_serialize {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(v) => ::serde::Serialize::serialize(v, s),)*
                }
            }
        }
    };
}

/// Serde for a struct, one short line per field instead of the visitor machinery
/// `#[derive(Deserialize)]` expands to: this crate's `cargo check` time is a measured goal and
/// derives would triple it. `req` fields must be present and not `null`; `opt` fields may be
/// absent or `null` and are left out when `None`; `rest` collects the remaining properties.
/// Unknown properties are ignored. Errors name the property path: `data.author_id: …`.
macro_rules! json_object {
    (@take $o:ident req $wire:literal) => { $o.req($wire)? };
    (@take $o:ident opt $wire:literal) => { $o.opt($wire) };
    ($name:ident { $($kind:ident $field:ident = $wire:literal),* $(,)? } $(rest $rest:ident)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                fn build(o: &mut $crate::support::Object) -> Option<$name> {
                    Some($name { $($field: json_object!(@take o $kind $wire),)* $($rest: o.rest(),)? })
                }
                $crate::support::Object::deserialize_with(d, build)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut w = $crate::support::Writer::default();
                $(w.$kind($wire, &self.$field);)*
                $(w.rest(&self.$rest);)?
                w.finish(s)
            }
        }
    };
}

type Map = serde_json::Map<String, serde_json::Value>;

/// A JSON object being taken apart; the first error is kept and reported.
pub(crate) struct Object {
    map: Map,
    error: Option<serde_json::Error>,
}

impl Object {
    /// Reads an object and builds `T` from it with `build`.
    pub(crate) fn deserialize_with<'de, D: serde::Deserializer<'de>, T>(
        d: D,
        build: fn(&mut Object) -> Option<T>,
    ) -> Result<T, D::Error> {
        use serde::de::Error as _;
        let map = <Map as serde::Deserialize>::deserialize(d)?;
        let mut object = Object { map, error: None };
        let built = build(&mut object);
        match (built, object.error) {
            (Some(value), None) => Ok(value),
            (_, Some(e)) => Err(D::Error::custom(e)),
            (None, None) => Err(D::Error::custom("invalid object")),
        }
    }

    fn fail<T>(&mut self, e: serde_json::Error) -> Option<T> {
        self.error.get_or_insert(e);
        None
    }

    /// A property that must be present.
    #[allow(dead_code)]
    pub(crate) fn req<T: serde::de::DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        match self.map.remove(key) {
            Some(value) => T::deserialize(value).map_err(|e| in_property(key, e)).map_or_else(|e| self.fail(e), Some),
            None => self.fail(serde::de::Error::missing_field(key)),
        }
    }

    /// A property that may be absent or `null`.
    #[allow(dead_code)]
    pub(crate) fn opt<T: serde::de::DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        match self.map.remove(key) {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => T::deserialize(value).map_err(|e| in_property(key, e)).map_or_else(|e| self.fail(e), Some),
        }
    }

    /// Every property not taken yet.
    #[allow(dead_code)]
    pub(crate) fn rest<T: serde::de::DeserializeOwned>(&mut self) -> std::collections::BTreeMap<String, T> {
        let mut out = std::collections::BTreeMap::new();
        for (k, v) in std::mem::take(&mut self.map) {
            match T::deserialize(v) {
                Ok(v) => {
                    out.insert(k, v);
                }
                Err(e) => {
                    let e = in_property(&k, e);
                    self.fail::<()>(e);
                }
            }
        }
        out
    }
}

/// Prefixes an error with the property it happened in, so nested errors read `data.id: …`.
fn in_property(key: &str, e: serde_json::Error) -> serde_json::Error {
    let text = e.to_string();
    let nested = text.split_once(": ").is_some_and(|(head, _)| !head.contains(' '));
    serde::de::Error::custom(format_args!("{key}{}{text}", if nested { "." } else { ": " }))
}

/// A JSON object being put together; the first error is kept and reported.
#[derive(Default)]
pub(crate) struct Writer {
    map: Map,
    error: Option<serde_json::Error>,
}

impl Writer {
    #[allow(dead_code)]
    pub(crate) fn req<T: serde::Serialize>(&mut self, key: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.map.insert(key.to_owned(), v);
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    #[allow(dead_code)]
    pub(crate) fn opt<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.req(key, v);
        }
    }

    #[allow(dead_code)]
    pub(crate) fn rest<T: serde::Serialize>(&mut self, rest: &std::collections::BTreeMap<String, T>) {
        for (k, v) in rest {
            self.req(k, v);
        }
    }

    pub(crate) fn finish<S: serde::Serializer>(self, s: S) -> Result<S::Ok, S::Error> {
        match self.error {
            Some(e) => Err(serde::ser::Error::custom(e)),
            None => serde::Serialize::serialize(&self.map, s),
        }
    }
}
