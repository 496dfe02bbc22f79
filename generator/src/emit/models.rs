//! Types: structs, string enums, unions and aliases, for `models.rs` and `params.rs`.

use super::{code, rust_type};
use crate::ir::{Api, Field, Module, Struct, TypeDef, TypeKind, TypeRef, Union};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn file(api: &Api, module: Module) -> TokenStream {
    let mut defs: Vec<&TypeDef> = api.types.values().filter(|t| t.module == module).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    let fits = union_struct_members(api);
    let items = defs.into_iter().map(|def| item(api, def, &fits));
    let other = match module {
        Module::Models => quote!(
            use crate::params::*;
            use crate::wire::Extra;
        ),
        Module::Params => quote!(
            use crate::models::*;
        ),
    };
    let doc = match module {
        Module::Models => {
            " Types of the spec's schemas: component schemas by their names, inline ones named after where they stand."
        }
        Module::Params => " Enums of parameter values (`*.fields`, `expansions`, …), one per distinct set of values.",
    };
    // //! …
    // use …;
    // <items>
    quote! {
        #![doc = #doc]
        #![allow(unused_imports)]
        #other
        use std::collections::BTreeMap;
        #(#items)*
    }
}

fn type_doc(def: &TypeDef) -> Vec<String> {
    let mut doc = vec![format!(" Schema {}.", code(&def.id))];
    let facts: Vec<String> = def.notes.iter().cloned().chain(def.constraints.describe()).collect();
    if !facts.is_empty() {
        doc.push(String::new());
        doc.extend(facts.iter().map(|f| format!(" - {f}")));
    }
    doc
}

fn item(api: &Api, def: &TypeDef, fits: &BTreeSet<String>) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = type_doc(def);
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty);
            // pub type PostId = String;
            quote! {
                #(#[doc = #doc])*
                pub type #name = #ty;
            }
        }
        TypeKind::StringEnum(values) => {
            let variants: Vec<_> = values.iter().map(|v| format_ident!("{}", v.ident)).collect();
            let wires: Vec<_> = values.iter().map(|v| &v.wire).collect();
            let variant_docs = wires.iter().map(|w| format!(" {}", code(w)));
            // pub enum PostFields { CreatedAt, …, Unknown(String) }
            // string_enum!(PostFields { CreatedAt => "created_at", … });
            quote! {
                #(#[doc = #doc])*
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #(#[doc = #variant_docs] #variants,)*
                    /// A value this spec version does not list, kept as sent.
                    Unknown(String),
                }
                string_enum!(#name { #(#variants => #wires),* });
            }
        }
        TypeKind::Struct(s) => struct_item(api, def, fits, &name, &doc, s),
        TypeKind::Union(u) => union_item(api, &name, &doc, u),
    }
}

/// Whether a type is a struct whose fields are all optional (read in place).
fn lenient_struct(api: &Api, ty: &TypeRef) -> bool {
    match api.alias_chain(ty).0.last().map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().all(|f| f.optional),
        _ => false,
    }
}

/// How `json_object!` reads and writes a field.
fn field_kind(api: &Api, f: &Field) -> &'static str {
    let end = api.alias_chain(&f.ty).1;
    let list = !f.boxed && matches!(end, TypeRef::Vec(_));
    match (f.optional, list) {
        (true, false) if f.boxed && lenient_struct(api, &f.ty) => "obj",
        (true, false) => "opt",
        (true, true) => match end {
            TypeRef::Vec(item) if lenient_struct(api, &item) => "objs",
            _ => "many",
        },
        (false, false) => "req",
        (false, true) => "reqmany",
    }
}

fn struct_item(
    api: &Api,
    def: &TypeDef,
    fits: &BTreeSet<String>,
    name: &proc_macro2::Ident,
    doc: &[String],
    s: &Struct,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(api, f));
    let entries = s.fields.iter().enumerate().map(|(i, f)| {
        let ident = field_ident(f);
        let kind = format_ident!("{}", field_kind(api, f));
        let bit = Literal::u32_unsuffixed(i as u32);
        let wire = &f.wire;
        match &f.legacy {
            Some(legacy) => quote!(#kind #ident #bit #wire | #legacy),
            None => quote!(#kind #ident #bit #wire),
        }
    });
    let (additional, rest) = match &s.additional {
        Some(ty) => {
            let ty = rust_type(api, ty);
            (
                Some(quote! {
                    /// Properties beyond the named ones (`additionalProperties`).
                    pub additional_properties: BTreeMap<String, #ty>,
                }),
                Some(quote!(rest additional_properties)),
            )
        }
        None => (None, None),
    };
    // Union members are told apart by the properties their spec requires.
    // Union members are told apart by their properties: `fit ["post_count" | "tweet_count", …]`
    // lists the required ones with their spellings.
    let fit = fits.contains(&def.id).then(|| {
        let known = s.fields.iter().flat_map(|f| std::iter::once(&f.wire).chain(f.legacy.as_ref()));
        let required = s.fields.iter().filter(|f| f.required).map(|f| {
            let wire = &f.wire;
            match &f.legacy {
                Some(legacy) => quote!(#wire | #legacy),
                None => quote!(#wire),
            }
        });
        quote!(fit [#(#known),*] [#(#required),*])
    });
    let lenient = s.fields.iter().all(|f| f.optional);
    let defaults = lenient.then(|| quote!(Default,));
    let how = format_ident!("{}", if lenient { "lenient" } else { "strict" });
    let schema = &def.id;
    // #[derive(…)] pub struct Post { pub id: Option<PostId>, …, pub extra: Extra }
    // json_object!(lenient Post "#/components/schemas/Post" { opt id 0 "id", many edit_history_post_ids 9 "edit_history_post_ids" | "edit_history_tweet_ids", … });
    quote! {
        #(#[doc = #doc])*
        #[derive(Debug, Clone, PartialEq, #defaults)]
        pub struct #name {
            #(#fields)*
            #additional
            /// What X sent that no field takes (kept, and written back on serialize).
            pub extra: Extra,
        }
        json_object!(#how #name #schema { #(#entries),* } #rest #fit);
    }
}

/// The structs some untagged union has as a member (through aliases): they implement
/// `wire::Fit`, so the union can pick the member that fits best.
fn union_struct_members(api: &Api) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for def in api.types.values() {
        let TypeKind::Union(u) = &def.kind else { continue };
        if u.tag.is_some() {
            continue;
        }
        for v in &u.variants {
            if let Some(member) = struct_member(api, &v.ty) {
                out.insert(member);
            }
        }
    }
    out
}

/// The struct a union member is, through aliases.
fn struct_member(api: &Api, ty: &TypeRef) -> Option<String> {
    let (chain, _) = api.alias_chain(ty);
    chain.last().filter(|d| matches!(d.kind, TypeKind::Struct(_))).map(|d| d.id.clone())
}

/// How an untagged union tries a member: `fit` for a struct (ranked by its properties),
/// `union` for another union (its members only, so the outer union keeps what fits none and
/// unions that list each other stop), `any` for the rest.
fn member_how(api: &Api, ty: &TypeRef) -> &'static str {
    let (chain, _) = api.alias_chain(ty);
    match chain.last().map(|d| &d.kind) {
        Some(TypeKind::Struct(_)) => "fit",
        Some(TypeKind::Union(_)) => "union",
        _ => "any",
    }
}

fn field_ident(f: &Field) -> syn::Ident {
    syn::parse_str(&f.ident).unwrap_or_else(|_| format_ident!("field"))
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let ident = field_ident(f);
    let mut ty = rust_type(api, &f.ty);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.optional {
        ty = quote!(Option<#ty>);
    }
    let mut facts = f.constraints.describe();
    if let Some(legacy) = &f.legacy {
        facts.push(format!("also read from `{legacy}`, the spelling X also sends"));
    }
    if f.required && f.optional {
        let why = if f.absent { "required by the spec; X omits it (spec/wire.yaml)" } else { "required by the spec" };
        facts.push(why.to_owned());
    }
    if f.added {
        facts.push("not in the spec; X sends it (spec/wire.yaml)".to_owned());
    }
    let doc = (!facts.is_empty()).then(|| {
        let text = format!(" {}", facts.join("; "));
        quote!(#[doc = #text])
    });
    // pub id: Option<PostId>,
    quote! {
        #doc
        pub #ident: #ty,
    }
}

fn union_item(api: &Api, name: &proc_macro2::Ident, doc: &[String], u: &Union) -> TokenStream {
    let catch_all = !u.variants.iter().any(|v| v.ty == crate::ir::TypeRef::Json);
    let variants = u.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.ident);
        let ty = rust_type(api, &v.ty);
        // Named members are boxed: it keeps the enum small and breaks recursion.
        let ty = if matches!(v.ty, crate::ir::TypeRef::Named(_)) { quote!(Box<#ty>) } else { ty };
        let tags = v.tags.iter().map(|t| code(t)).collect::<Vec<_>>().join(", ");
        let vdoc = (!tags.is_empty()).then(|| {
            let text = format!(" Tag {tags}.");
            quote!(#[doc = #text])
        });
        quote!(#vdoc #ident(#ty),)
    });
    let unknown = catch_all.then(|| {
        quote! {
            /// A value that matches no member this spec version lists, kept whole.
            Unknown(serde_json::Value),
        }
    });
    match &u.tag {
        Some(tag) => {
            let arms = u.variants.iter().map(|v| {
                let ident = format_ident!("{}", v.ident);
                let tags = &v.tags;
                quote!(#(#tags)|* => #ident)
            });
            // pub enum Problem { A(Box<A>), …, Unknown(Value) }
            // tagged_union!(Problem, "type" { "uri-a" => A, … });
            quote! {
                #(#[doc = #doc])*
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value with a tag this spec version does not list, or that does not fit its member, kept whole.
                    Unknown(serde_json::Value),
                }
                tagged_union!(#name, #tag { #(#arms),* });
            }
        }
        None => {
            let idents = u.variants.iter().map(|v| {
                let ident = format_ident!("{}", v.ident);
                let ty = rust_type(api, &v.ty);
                let how = format_ident!("{}", member_how(api, &v.ty));
                quote!(#ident(#ty) #how)
            });
            let fallback = catch_all.then(|| format_ident!("Unknown"));
            // pub enum Media { Photo(Box<Photo>), …, Unknown(Value) }
            // untagged_union!(Media { Photo(Photo) fit, … } Unknown);
            quote! {
                #(#[doc = #doc])*
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #unknown
                }
                untagged_union!(#name { #(#idents),* } #fallback);
            }
        }
    }
}
