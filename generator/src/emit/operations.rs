//! `operations.rs`: one module per operation with its metadata constant and type aliases.

use super::{code, rust_type, rust_type_text};
use crate::ir::{Api, AuthKind, Constraints, Operation, Param, ParamLocation, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn file(api: &Api, sets: &super::endpoints::Sets) -> TokenStream {
    let modules = api.operations.iter().map(|op| module(api, op, sets));
    let all = api.operations.iter().map(|op| {
        let m = format_ident!("{}", op.module);
        quote!(&#m::OPERATION)
    });
    let count = api.operations.len();
    // pub mod get_posts_by_ids { … }
    // pub static ALL: [&Operation; N] = [&get_posts_by_ids::OPERATION, …];
    quote! {
        //! One module per operation, named after its `operationId` in snake case.
        #![allow(unused_imports)]
        use crate::meta::*;
        use crate::models::*;
        use crate::params::*;
        use std::collections::BTreeMap;

        #(#modules)*

        /// Every operation, sorted by operation id.
        pub static ALL: [&Operation; #count] = [#(#all),*];

        /// The operation with this `operationId`.
        pub fn find(id: &str) -> Option<&'static Operation> {
            ALL.binary_search_by(|op| op.id.cmp(id)).ok().map(|i| ALL[i])
        }
    }
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn module(api: &Api, op: &Operation, sets: &super::endpoints::Sets) -> TokenStream {
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
    let params = op.params.iter().map(|p| param(api, p));
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
    let bodies = op.request_body.iter().map(|b| {
        let media = &b.media_type;
        let ty = rust_type_text(api, &b.ty);
        quote!(BodyMedia { media_type: #media, rust_type: #ty })
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

            impl crate::response::Endpoint for Op {
                type Success = #success_type;
                type Error = Error;
                const OPERATION: &'static Operation = &OPERATION;
            }
        }
    }
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
    // Constraints on each value: an array's items, or what a scalar's `$ref` points at.
    let item = match (is_array, p.constraints.is_empty()) {
        (false, false) => p.constraints.clone(),
        _ => named_constraints(api, element),
    };
    let whole = if is_array { p.constraints.clone() } else { Constraints::default() };
    let (kind, values) = value_kind(api, element);
    let kind = format_ident!("{kind}");
    // An enum's values come from the enum itself (`PostFields::WIRE`), not repeated here.
    let values = match values {
        Some(name) => {
            let name = format_ident!("{name}");
            quote!(#name::WIRE)
        }
        None => quote!(&[]),
    };
    let item = constraints(&item);
    let whole = constraints(&whole);
    quote! {
        Param {
            name: #name,
            location: Location::#location,
            required: #required,
            comma_joined: #comma_joined,
            rust_type: #ty,
            pointer: #pointer,
            constraints: #whole,
            is_array: #is_array,
            item: #item,
            value_kind: ValueKind::#kind,
            values: #values,
        }
    }
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
fn constraints(c: &Constraints) -> TokenStream {
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
