//! `schemas.rs`: one static per schema a request body is checked against.

use super::operations::constraints;
use crate::ir::{Api, NodeKind, SchemaNode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn file(api: &Api) -> TokenStream {
    let statics = api
        .body_schemas
        .iter()
        .filter(|(_, node)| kind_only(node).is_none())
        .map(|(pointer, node)| schema_static(api, pointer, node));
    quote! {
        //! The schemas request bodies are checked against, one static per schema of the spec,
        //! named after its pointer. `crate::request` walks them; operation metadata points at the
        //! root of each body (`BodyMedia::schema`).
        #![allow(unused_imports)]
        use crate::meta::*;

        #(#statics)*
    }
}

/// A node that states nothing but its kind: it becomes `Schema::STRING` and the like.
fn kind_only(node: &SchemaNode) -> Option<&'static str> {
    let only_kind = SchemaNode { name: node.name.clone(), kind: node.kind, additional: true, ..SchemaNode::default() };
    if *node != only_kind {
        return None;
    }
    Some(kind_name(node.kind).unwrap_or("ANY"))
}

fn kind_name(kind: NodeKind) -> Option<&'static str> {
    (kind != NodeKind::Any).then(|| kind.name())
}

/// The static's path for a node pointer, from another module.
pub fn path(api: &Api, pointer: &str) -> TokenStream {
    reference(api, pointer, quote!(crate::schemas::))
}

fn local(api: &Api, pointer: &str) -> TokenStream {
    reference(api, pointer, TokenStream::new())
}

fn reference(api: &Api, pointer: &str, prefix: TokenStream) -> TokenStream {
    let Some(node) = api.body_schemas.get(pointer) else { return quote!(&Schema::ANY) };
    if let Some(kind) = kind_only(node) {
        let kind = format_ident!("{}", kind.to_ascii_uppercase());
        return quote!(&Schema::#kind);
    }
    let name = format_ident!("{}", node.name);
    quote!(&#prefix #name)
}

fn schema_static(api: &Api, pointer: &str, node: &SchemaNode) -> TokenStream {
    let name = format_ident!("{}", node.name);
    // Only what differs from `Schema::ANY` is written out.
    let mut set = vec![quote!(pointer: #pointer)];
    if let Some(kind) = kind_name(node.kind) {
        let kind = format_ident!("{kind}");
        set.push(quote!(kind: SchemaKind::#kind));
    }
    if node.nullable {
        set.push(quote!(nullable: true));
    }
    if !node.constraints.is_empty() {
        let c = constraints(&node.constraints);
        set.push(quote!(constraints: #c));
    }
    if !node.values.is_empty() {
        let values = &node.values;
        set.push(quote!(values: &[#(#values),*]));
    }
    if let Some(items) = &node.items {
        let items = local(api, items);
        set.push(quote!(items: Some(#items)));
    }
    if !node.properties.is_empty() {
        let props = node.properties.iter().map(|(name, target)| {
            let target = local(api, target);
            quote!((#name, #target))
        });
        set.push(quote!(properties: &[#(#props),*]));
    }
    if !node.required.is_empty() {
        let required = &node.required;
        set.push(quote!(required: &[#(#required),*]));
    }
    if !node.additional {
        set.push(quote!(additional: false));
    }
    for (field, list) in [("any_of", &node.any_of), ("all_of", &node.all_of)] {
        if !list.is_empty() {
            let field = format_ident!("{field}");
            let members = list.iter().map(|m| local(api, m));
            set.push(quote!(#field: &[#(#members),*]));
        }
    }
    // pub static TWEET_CREATE_REQUEST: Schema = Schema { pointer: "#/…", kind: SchemaKind::Object, …, ..Schema::ANY };
    quote!(pub static #name: Schema = Schema { #(#set,)* ..Schema::ANY };)
}
