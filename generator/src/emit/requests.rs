//! The typed `Request` struct of each operation: one field per parameter (enums for the
//! field and expansion lists), the body, a constructor taking what is required, and setters
//! (through `typed_request!`) for the rest.
//!
//! They sit behind the crate feature `typed-requests`: they add about a quarter to the
//! crate's `cargo check` time, which every user pays, while the dynamic checks in
//! `crate::request` stay available to all.

use super::{code, rust_type};
use crate::ir::{Api, Operation, Param, ParamLocation, TypeKind, TypeRef};
use crate::names::{self, Scope};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Methods a `Request` has or inherits through its derives and blanket impls; a setter of the
/// same name would shadow them, so such parameters get a suffix. `body` is the body's field.
const METHODS: &[&str] = &[
    "new",
    "validate",
    "to_http_request",
    "to_params",
    "to_body",
    "body",
    "clone",
    "clone_from",
    "clone_into",
    "eq",
    "ne",
    "fmt",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// One field of the struct.
struct FieldPlan {
    ident: proc_macro2::Ident,
    wire: String,
    /// The element type (`PostFields` for `post.fields`).
    element: TokenStream,
    many: bool,
    required: bool,
    doc: String,
}

/// How the body is carried and encoded.
enum BodyPlan {
    None,
    /// `application/json` only: the typed body, serialized.
    Json(TokenStream),
    /// JSON or `multipart/form-data`: `JsonOrMultipart<T>`.
    Either(TokenStream),
    /// `multipart/form-data` only: a `Multipart` form.
    Multipart,
    /// Another media type (`application/octet-stream`): the bytes, sent as they are.
    Bytes(String),
}

pub fn request(api: &Api, op: &Operation) -> TokenStream {
    let fields = field_plans(api, op);
    let body = body_plan(api, op);

    let mut struct_fields = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    let mut params = Vec::new();
    let mut setters = Vec::new();
    for f in &fields {
        let FieldPlan { ident, wire, element, many, required, doc } = f;
        let ty = if *many { quote!(Vec<#element>) } else { element.clone() };
        let how = format_ident!("{}{}", if *required { "" } else { "opt_" }, if *many { "many" } else { "one" });
        params.push(quote!(#how #wire #ident));
        if *required {
            struct_fields.push(quote!(#[doc = #doc] pub #ident: #ty));
            if *many {
                new_args.push(quote!(#ident: impl IntoIterator<Item = impl Into<#element>>));
                new_inits.push(quote!(#ident: #ident.into_iter().map(Into::into).collect()));
            } else {
                new_args.push(quote!(#ident: impl Into<#element>));
                new_inits.push(quote!(#ident: #ident.into()));
            }
        } else {
            struct_fields.push(quote!(#[doc = #doc] pub #ident: Option<#ty>));
            new_inits.push(quote!(#ident: None));
            let shape = format_ident!("{}", if *many { "many" } else { "one" });
            setters.push(quote!(#shape #ident: #element));
        }
    }
    let body_ty = match &body {
        BodyPlan::None => None,
        BodyPlan::Json(ty) => Some(ty.clone()),
        BodyPlan::Either(ty) => Some(quote!(crate::request::JsonOrMultipart<#ty>)),
        BodyPlan::Multipart => Some(quote!(crate::request::Multipart)),
        BodyPlan::Bytes(_) => Some(quote!(Vec<u8>)),
    };
    let body_fn = match (&body, op.body_required) {
        (BodyPlan::None, _) => quote!(|_| Ok(None)),
        (BodyPlan::Json(_), true) => quote!(|r| crate::request::json_body(&r.body).map(Some)),
        (BodyPlan::Json(_), false) => quote!(|r| r.body.as_ref().map(crate::request::json_body).transpose()),
        (BodyPlan::Either(_), true) => quote!(|r| r.body.to_body().map(Some)),
        (BodyPlan::Either(_), false) => quote!(|r| r.body.as_ref().map(|b| b.to_body()).transpose()),
        (BodyPlan::Multipart, true) => quote!(|r| Ok(Some(crate::request::Body::Multipart(r.body.clone())))),
        (BodyPlan::Multipart, false) => {
            quote!(|r| Ok(r.body.clone().map(crate::request::Body::Multipart)))
        }
        (BodyPlan::Bytes(media), true) => {
            quote!(|r| Ok(Some(crate::request::Body::Bytes { media_type: #media.to_owned(), data: r.body.clone() })))
        }
        (BodyPlan::Bytes(media), false) => quote!(|r| Ok(r
            .body
            .clone()
            .map(|data| crate::request::Body::Bytes { media_type: #media.to_owned(), data }))),
    };
    if let Some(ty) = &body_ty {
        if op.body_required {
            struct_fields.push(quote!(#[doc = " The body."] pub body: #ty));
            match &body {
                BodyPlan::Either(_) => new_args.push(quote!(body: impl Into<#ty>)),
                _ => new_args.push(quote!(body: #ty)),
            }
            match &body {
                BodyPlan::Either(_) => new_inits.push(quote!(body: body.into())),
                _ => new_inits.push(quote!(body)),
            }
        } else {
            struct_fields.push(quote!(#[doc = " The body, if any."] pub body: Option<#ty>));
            new_inits.push(quote!(body: None));
            setters.push(quote!(one body: #ty));
        }
    }
    let doc = format!(" A typed {} request: `new` takes what is required, setters the rest.", code(&op.id));
    let new_doc = match (&body_ty, op.body_required) {
        (Some(_), true) => " A request with the required parameters and the body; the rest start unset.",
        _ => " A request with the required parameters; the rest start unset.",
    };
    // #[non_exhaustive] pub struct Request { pub id: PostId, pub post_fields: Option<Vec<PostFields>>, … }
    // impl Request { pub fn new(id: impl Into<PostId>) -> Self { … } }
    // typed_request!(Request { params { one "id" id, opt_many "post.fields" post_fields } setters { many post_fields: PostFields } body |_| Ok(None) });
    quote! {
        #[doc = #doc]
        #[cfg(feature = "typed-requests")]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct Request { #(#struct_fields,)* }

        #[cfg(feature = "typed-requests")]
        impl Request {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits,)* }
            }
        }

        #[cfg(feature = "typed-requests")]
        typed_request!(Request { params { #(#params),* } setters { #(#setters),* } body #body_fn });
    }
}

/// One field per parameter, named clear of the struct's own methods.
fn field_plans(api: &Api, op: &Operation) -> Vec<FieldPlan> {
    let mut scope = Scope::new();
    for m in METHODS {
        scope.reserve(m);
    }
    op.params.iter().map(|p| field(api, p, &mut scope)).collect()
}

fn field(api: &Api, p: &Param, scope: &mut Scope) -> FieldPlan {
    let ident = scope.claim(&names::field_name(&p.name));
    let (many, element) = match &p.ty {
        TypeRef::Vec(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    // Values go on the wire as text through `Display`; a type without it is taken as text.
    let element = if displayable(api, element) { rust_type(api, element) } else { quote!(String) };
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    FieldPlan {
        ident: format_ident!("{}", ident),
        wire: p.name.clone(),
        element,
        many,
        required: p.required,
        doc: format!(" {} in the {location}.", code(&p.name)),
    }
}

/// Whether values of the type print as the text X expects (`Display`).
fn displayable(api: &Api, ty: &TypeRef) -> bool {
    let (chain, end) = api.alias_chain(ty);
    if chain.last().is_some_and(|d| matches!(d.kind, TypeKind::StringEnum(_))) {
        return true;
    }
    matches!(end, TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean)
}

/// `application/json` for `application/json; charset=utf-8` and `application/problem+json`.
pub fn media_essence(media_type: &str) -> &str {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/json") || essence.to_ascii_lowercase().ends_with("+json") {
        "application/json"
    } else if essence.eq_ignore_ascii_case("multipart/form-data") {
        "multipart/form-data"
    } else {
        essence
    }
}

fn body_plan(api: &Api, op: &Operation) -> BodyPlan {
    let json = op.request_body.iter().find(|b| media_essence(&b.media_type) == "application/json");
    let multipart = op.request_body.iter().any(|b| media_essence(&b.media_type) == "multipart/form-data");
    match (json, multipart) {
        (Some(j), true) => BodyPlan::Either(rust_type(api, &j.ty)),
        (Some(j), false) => BodyPlan::Json(rust_type(api, &j.ty)),
        (None, true) => BodyPlan::Multipart,
        (None, false) => match op.request_body.first() {
            Some(b) => BodyPlan::Bytes(media_essence(&b.media_type).to_owned()),
            None => BodyPlan::None,
        },
    }
}

/// `tests/typed_requests.rs`: the round trip `xapi_core::testing::requests` runs, over the
/// cases beside it. Plain text in rustfmt's layout (`cargo fmt` leaves it alone).
pub const TEST_FILE: &str = r#"//! Every operation's typed `Request` round-trips (see `xapi_core::testing::requests`).
#![cfg(feature = "typed-requests")]

#[rustfmt::skip]
#[path = "typed_requests/cases.rs"]
mod cases;

#[test]
fn every_operation_round_trips_an_example() {
    xapi_core::testing::requests::round_trip(cases::all(), xapi_types::operations::ALL.len());
}
"#;

/// `tests/typed_requests/cases.rs`: for every operation, a closure that builds its typed
/// `Request` from example params and body (see `xapi_core::testing::requests`).
pub fn test_cases(api: &Api) -> TokenStream {
    let cases = api.operations.iter().map(|op| {
        let module = format_ident!("{}", op.module);
        let fields = field_plans(api, op);
        let value = |f: &FieldPlan| {
            let (element, wire) = (&f.element, &f.wire);
            if f.many {
                quote!(many::<#element>(p, #wire))
            } else {
                quote!(one::<#element>(p, #wire))
            }
        };
        let mut args: Vec<TokenStream> = fields.iter().filter(|f| f.required).map(value).collect();
        let mut setters: Vec<TokenStream> = fields
            .iter()
            .filter(|f| !f.required)
            .map(|f| {
                let (ident, v) = (&f.ident, value(f));
                quote!(.#ident(#v))
            })
            .collect();
        let body = match body_plan(api, op) {
            BodyPlan::None => None,
            BodyPlan::Json(ty) | BodyPlan::Either(ty) => Some(quote!(body::<#ty>(b))),
            BodyPlan::Multipart => Some(quote!(xapi_types::request::Multipart::new())),
            BodyPlan::Bytes(_) => Some(quote!(EXAMPLE_BYTES.to_vec())),
        };
        match body {
            Some(body) if op.body_required => args.push(body),
            Some(body) => setters.push(quote!(.body(#body))),
            None => {}
        }
        // (&get_posts_by_id::OPERATION, (|p: &Params, b: &Option<Value>| get_posts_by_id::Request::new(one::<PostId>(p, "id")).post_fields(…).to_http_request(BASE)) as Build)
        quote! {
            (
                &#module::OPERATION,
                (|p: &Params, b: &Option<Value>| #module::Request::new(#(#args),*) #(#setters)* .to_http_request(BASE)) as Build,
            )
        }
    });
    quote! {
        //! One case per operation, in operation id order.
        #![allow(unused_variables, unused_imports, clippy::all)]
        use serde_json::Value;
        use xapi_core::testing::requests::{body, many, one, Build, BASE, EXAMPLE_BYTES};
        use xapi_types::meta::Operation;
        use xapi_types::models::*;
        use xapi_types::operations::*;
        use xapi_types::params::*;
        use xapi_types::request::Params;

        pub fn all() -> Vec<(&'static Operation, Build)> {
            vec![#(#cases),*]
        }
    }
}
