//! `operations.rs`: one module per operation with its metadata constant and type aliases.

use super::{code, rust_type, rust_type_text};
use crate::ir::{Api, AuthKind, Constraints, Operation, Param, ParamLocation, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// `tests/wire_corpus.rs`: every recorded success decodes and loses nothing (see
/// `xapi_core::testing::corpus`), with one decoder per operation of this spec. Plain text in
/// rustfmt's layout (`cargo fmt` leaves it alone).
pub const CORPUS_TEST_FILE: &str = r#"//! Responses X really sent decode into their operation's success type and serialize back
//! without loss (see `xapi_core::testing::corpus`).

use xapi_core::testing::corpus;

/// Operation id → decoder of its success type, for every operation.
macro_rules! decoders {
    ($($op:ident),* $(,)?) => {
        vec![$((
            xapi_types::operations::$op::OPERATION.id,
            corpus::decode::<xapi_types::operations::$op::Op> as corpus::Decode,
        )),*]
    };
}

#[test]
fn every_recorded_success_decodes_and_loses_nothing() {
    corpus::check(
        xapi_types::SPEC_VERSION,
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wire-corpus/responses.jsonl"),
        xapi_types::for_each_operation!(decoders).into_iter().collect(),
        xapi_types::operations::route,
    );
}
"#;

pub fn file(api: &Api, sets: &super::endpoints::Sets) -> TokenStream {
    let shared = shared_params(api);
    let modules = api.operations.iter().map(|op| module(api, op, sets, &shared));
    let all = api.operations.iter().map(|op| {
        let m = format_ident!("{}", op.module);
        quote!(&#m::OPERATION)
    });
    let count = api.operations.len();
    let modules_list: Vec<_> = api.operations.iter().map(|op| format_ident!("{}", op.module)).collect();
    // macro_rules! for_each_operation { ($m:ident) => { $m!(activity_stream, …) }; }
    let for_each = quote! {
        /// Calls the macro `$m` once with every operation module's name, in operation id order
        /// (`$m!(activity_stream, add_chat_group_admins, …)`): for code that needs something per
        /// operation and its types, such as a dispatch table from operation to success type.
        #[macro_export]
        macro_rules! for_each_operation {
            ($m:ident) => { $m!(#(#modules_list),*) };
        }
    };
    let constants = shared.values().map(|(name, literal)| {
        let name = format_ident!("{name}");
        quote!(pub const #name: Param = #literal;)
    });
    // pub mod components { pub const POST_FIELDS_PARAMETER: Param = Param { … }; … }
    // pub mod get_posts_by_ids { … }
    // pub static ALL: [&Operation; N] = [&get_posts_by_ids::OPERATION, …];
    quote! {
        //! One module per operation, named after its `operationId` in snake case.
        #![allow(unused_imports)]
        use crate::meta::*;
        use crate::models::*;
        use crate::params::*;
        use std::collections::BTreeMap;

        /// Parameters defined once under `#/components/parameters` and shared by operations.
        pub mod components {
            use crate::meta::*;
            use crate::params::*;
            #(#constants)*
        }

        #(#modules)*

        /// Every operation, sorted by operation id.
        pub static ALL: [&Operation; #count] = [#(#all),*];

        /// The operation with this `operationId`.
        pub fn find(id: &str) -> Option<&'static Operation> {
            ALL.binary_search_by(|op| op.id.cmp(id)).ok().map(|i| ALL[i])
        }

        /// The operation a request went to, by method and path (`GET`,
        /// `https://api.x.com/2/users/me?user.fields=id`); see [`crate::meta::route`].
        pub fn route(method: &str, url: &str) -> Option<&'static Operation> {
            crate::meta::route(&ALL, method, url)
        }

        #for_each
    }
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn module(
    api: &Api,
    op: &Operation,
    sets: &super::endpoints::Sets,
    shared: &BTreeMap<String, (String, TokenStream)>,
) -> TokenStream {
    let name = format_ident!("{}", op.module);
    let mut doc = vec![
        format!(" {}: `{} {}`.", code(&op.id), op.method, op.path),
        String::new(),
        format!(" Spec {}.", code(&op.pointer)),
    ];
    if let Some(url) = &op.docs_url {
        doc.push(format!(" Docs <{url}>."));
    }
    if op.streaming {
        doc.push(" Streaming: newline-delimited JSON on a long-lived connection.".to_owned());
    }
    let id = &op.id;
    let method =
        format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(op.method.to_ascii_lowercase().as_str()));
    let path = &op.path;
    let tags = &op.tags;
    let params = op.params.iter().map(|p| match shared.get(&p.pointer) {
        Some((name, _)) => {
            let name = format_ident!("{name}");
            quote!(components::#name)
        }
        None => param(api, p),
    });
    let security = op.security.iter().map(|s| {
        let scheme = &s.scheme;
        let kind = format_ident!(
            "{}",
            match s.kind {
                AuthKind::AppOnly => "AppOnly",
                AuthKind::OAuth2User => "OAuth2User",
                AuthKind::OAuth1User => "OAuth1User",
                AuthKind::Other => "Other",
            }
        );
        let scopes = &s.scopes;
        quote!(Security { scheme: #scheme, kind: AuthKind::#kind, scopes: &[#(#scopes),*] })
    });
    let streaming = op.streaming;
    let idempotent = op.idempotent;
    let bodies = op.request_body.iter().map(|b| {
        let media = &b.media_type;
        let ty = rust_type_text(api, &b.ty);
        let schema = match &b.schema {
            Some(pointer) => {
                let path = super::schemas::path(api, pointer);
                quote!(Some(#path))
            }
            None => quote!(None),
        };
        quote!(BodyMedia { media_type: #media, rust_type: #ty, schema: #schema })
    });
    let body_required = op.body_required;
    let success = match &op.success {
        Some(s) => {
            let status = proc_macro2::Literal::u16_unsuffixed(s.status);
            let media = opt_str(s.media_type.as_deref());
            let ty = opt_str(s.ty.as_ref().map(|t| rust_type_text(api, t)).as_deref());
            quote!(Some(SuccessResponse { status: #status, media_type: #media, rust_type: #ty }))
        }
        None => quote!(None),
    };
    let pointer = &op.pointer;
    let docs_url = opt_str(op.docs_url.as_deref());
    let success_alias = op.success.as_ref().and_then(|s| s.ty.as_ref()).map(|ty| {
        let ty = rust_type(api, ty);
        // pub type Success = GetPostsByIdsResponse;
        quote! {
            /// The body of a successful response.
            pub type Success = #ty;
        }
    });
    // One alias when every media type carries the same body type.
    let body_alias =
        op.request_body.first().filter(|first| op.request_body.iter().all(|b| b.ty == first.ty)).map(|b| {
            let ty = rust_type(api, &b.ty);
            quote! {
                /// The request body.
                pub type Body = #ty;
            }
        });
    let request = super::requests::request(api, op);
    let set = format_ident!("{}", sets.by_op.get(&op.id).map(String::as_str).unwrap_or("Unhandled"));
    let set_variants = super::endpoints::variants_static(&set.to_string());
    let success_type = match op.success.as_ref().and_then(|s| s.ty.as_ref()) {
        Some(_) => quote!(Success),
        None => quote!(()),
    };
    // pub mod get_posts_by_ids { use super::*; pub type Success = …; pub type Error = …;
    //     pub const OPERATION: Operation = …; pub struct Op; impl Endpoint for Op { … } }
    quote! {
        #(#[doc = #doc])*
        pub mod #name {
            use super::*;
            #success_alias
            #body_alias
            /// What the spec states about this operation.
            pub const OPERATION: Operation = Operation {
                id: #id,
                method: Method::#method,
                path: #path,
                tags: &[#(#tags),*],
                params: &[#(#params),*],
                security: &[#(#security),*],
                streaming: #streaming,
                idempotent: #idempotent,
                request_body: &[#(#bodies),*],
                body_required: #body_required,
                success: #success,
                pointer: #pointer,
                docs_url: #docs_url,
                errors: &crate::endpoint_errors::#set_variants,
            };

            /// The errors this operation can return.
            pub type Error = crate::endpoint_errors::#set;

            /// This operation, for typed calls (`xapi::parse_for::<Op>`).
            pub struct Op;

            #request

            impl crate::response::Endpoint for Op {
                type Success = #success_type;
                type Error = Error;
                const OPERATION: &'static Operation = &OPERATION;
            }
        }
    }
}

/// Parameters from `#/components/parameters`, by schema pointer: the constant's name and its
/// literal. A name whose uses disagree (which a well-formed spec cannot produce) stays inline.
fn shared_params(api: &Api) -> BTreeMap<String, (String, TokenStream)> {
    let mut found: BTreeMap<String, (String, TokenStream)> = BTreeMap::new();
    let mut clash = BTreeSet::new();
    for p in api.operations.iter().flat_map(|op| &op.params) {
        let Some(component) = p.pointer.strip_prefix("#/components/parameters/").and_then(|r| r.split('/').next())
        else {
            continue;
        };
        let name = crate::names::const_name(component);
        let literal = param(api, p);
        match found.get(&p.pointer) {
            Some((_, seen)) if seen.to_string() != literal.to_string() => {
                clash.insert(p.pointer.clone());
            }
            Some(_) => {}
            None => {
                found.insert(p.pointer.clone(), (name, literal));
            }
        }
    }
    let mut names = BTreeSet::new();
    found.retain(|pointer, (name, _)| !clash.contains(pointer) && names.insert(name.clone()));
    found
}

fn param(api: &Api, p: &Param) -> TokenStream {
    let name = &p.name;
    let location = format_ident!(
        "{}",
        match p.location {
            ParamLocation::Path => "Path",
            ParamLocation::Query => "Query",
            ParamLocation::Header => "Header",
            ParamLocation::Cookie => "Cookie",
        }
    );
    let required = p.required;
    let comma_joined = p.comma_joined;
    let ty = rust_type_text(api, &p.ty);
    let pointer = &p.pointer;
    let is_array = matches!(p.ty, TypeRef::Vec(_));
    let element = match &p.ty {
        TypeRef::Vec(inner) => inner.as_ref(),
        other => other,
    };
    // Constraints on each value: an array's items (inline, or their `$ref`), or a scalar's
    // own (or what its `$ref` points at).
    let item = match (is_array, p.constraints.is_empty()) {
        (true, _) if !p.items.is_empty() => p.items.clone(),
        (false, false) => p.constraints.clone(),
        _ => named_constraints(api, element),
    };
    let whole = if is_array { p.constraints.clone() } else { Constraints::default() };
    let (kind, values) = value_kind(api, element);
    let kind_ident = format_ident!("{kind}");
    // An enum's values come from the enum itself (`PostFields::WIRE`), not repeated here.
    let values = match values {
        Some(name) => {
            let name = format_ident!("{name}");
            quote!(#name::WIRE)
        }
        None => TokenStream::new(),
    };
    // Only what differs from `Param::BASE` is written out.
    let mut set = vec![quote!(name: #name)];
    if p.location != ParamLocation::Query {
        set.push(quote!(location: Location::#location));
    }
    if required {
        set.push(quote!(required: true));
    }
    if comma_joined {
        set.push(quote!(comma_joined: true));
    }
    if ty != "String" {
        set.push(quote!(rust_type: #ty));
    }
    set.push(quote!(pointer: #pointer));
    if !whole.is_empty() {
        let whole = constraints(&whole);
        set.push(quote!(constraints: #whole));
    }
    if is_array {
        set.push(quote!(is_array: true));
    }
    if !item.is_empty() {
        let item = constraints(&item);
        set.push(quote!(item: #item));
    }
    if kind != "String" {
        set.push(quote!(value_kind: ValueKind::#kind_ident));
    }
    if !values.is_empty() {
        set.push(quote!(values: #values));
    }
    // Param { name: "max_results", rust_type: "i64", pointer: "#/…", ..Param::BASE }
    quote!(Param { #(#set,)* ..Param::BASE })
}

/// The constraints of the first named type along an alias chain that has any.
fn named_constraints(api: &Api, ty: &TypeRef) -> Constraints {
    api.alias_chain(ty)
        .0
        .into_iter()
        .find(|d| !d.constraints.is_empty())
        .map(|d| d.constraints.clone())
        .unwrap_or_default()
}

/// The kind of a value and, for enums, the enum's name.
fn value_kind(api: &Api, ty: &TypeRef) -> (&'static str, Option<String>) {
    let (chain, end) = api.alias_chain(ty);
    if let Some(def) = chain.last().filter(|d| matches!(d.kind, TypeKind::StringEnum(_))) {
        return ("String", Some(def.name.clone()));
    }
    let kind = match end {
        TypeRef::String => "String",
        TypeRef::Integer => "Integer",
        TypeRef::Number => "Number",
        TypeRef::Boolean => "Boolean",
        _ => "Other",
    };
    (kind, None)
}

/// `Constraints { pattern: Some("…"), ..Constraints::NONE }`, naming only what is set.
pub(super) fn constraints(c: &Constraints) -> TokenStream {
    if c.is_empty() {
        return quote!(Constraints::NONE);
    }
    let mut set = Vec::new();
    let mut add = |name: &str, value: TokenStream| {
        let name = format_ident!("{}", name);
        set.push(quote!(#name: #value));
    };
    if let Some(v) = &c.format {
        add("format", quote!(Some(#v)));
    }
    if let Some(v) = &c.pattern {
        add("pattern", quote!(Some(#v)));
    }
    for (name, v) in [
        ("min_length", c.min_length),
        ("max_length", c.max_length),
        ("min_items", c.min_items),
        ("max_items", c.max_items),
    ] {
        if let Some(v) = v {
            let lit = proc_macro2::Literal::u64_unsuffixed(v);
            add(name, quote!(Some(#lit)));
        }
    }
    for (name, v) in [("minimum", c.minimum), ("maximum", c.maximum)] {
        if let Some(v) = v {
            let lit = proc_macro2::Literal::f64_unsuffixed(v);
            add(name, quote!(Some(#lit)));
        }
    }
    if c.unique_items {
        add("unique_items", quote!(true));
    }
    quote!(Constraints { #(#set,)* ..Constraints::NONE })
}
