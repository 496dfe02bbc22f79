//! Per-endpoint errors: `endpoint_errors.rs` (one enum per distinct set of variants, named
//! after the first operation that has it; every operation's `Error` is an alias of one) and
//! `ENDPOINTS.md` (the error surface of the whole API on one page).

use super::errors::problem_idents;
use crate::endpoint_rules::{auth_of, EndpointRules, Payload, TooManyRequests, VariantDef};
use crate::ir::Api;
use crate::names;
use crate::tables::{RetryClass, Tables};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The error sets, in first-use order: (enum name, variants, operations using it).
pub struct Sets {
    pub sets: Vec<(String, Vec<String>, Vec<String>)>,
    /// Operation id → enum name.
    pub by_op: BTreeMap<String, String>,
}

pub fn sets(api: &Api) -> Sets {
    let mut sets: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    let mut by_op = BTreeMap::new();
    for op in &api.operations {
        let name = match sets.iter_mut().find(|(_, v, _)| *v == op.errors) {
            Some((name, _, ops)) => {
                ops.push(op.id.clone());
                name.clone()
            }
            None => {
                let name = match op.error_set.as_str() {
                    "" => format!("{}Error", names::type_name(&op.id)),
                    named => named.to_owned(),
                };
                sets.push((name.clone(), op.errors.clone(), vec![op.id.clone()]));
                name
            }
        };
        by_op.insert(op.id.clone(), name);
    }
    // By name: the file's order depends on the sets, not on which operations hold them.
    sets.sort_by(|a, b| a.0.cmp(&b.0));
    Sets { sets, by_op }
}

/// `GET_POSTS_BY_ID_ERROR_VARIANTS`
pub fn variants_static(set: &str) -> Ident {
    format_ident!("{}_VARIANTS", heck::ToShoutySnakeCase::to_shouty_snake_case(set))
}

fn too_many(t: TooManyRequests) -> TokenStream {
    // A fieldless enum's derived Debug is its variant name: the same type on both sides.
    let v = format_ident!("{}", format!("{t:?}"));
    quote!(TooManyRequests::#v)
}

/// The usual status and retry class of a variant, from the tables.
fn usual(def: &VariantDef, tables: &Tables) -> (Option<u16>, RetryClass) {
    let problem = def.problems.first().and_then(|s| tables.problems.get(s));
    let status = def.statuses.first().copied().or(problem.map(|p| p.status)).or(def.too_many.first().map(|_| 429));
    let retry = problem
        .map(|p| p.retry)
        .or_else(|| status.and_then(|s| tables.statuses.get(&s)).map(|s| s.retry))
        .unwrap_or(RetryClass::Never);
    (status, retry)
}

/// The payload type of a variant.
fn payload_type(def: &VariantDef, tables: &Tables, idents: &BTreeMap<String, String>) -> TokenStream {
    match def.payload {
        Payload::Problem => {
            let inner = match &def.problems[..] {
                [slug] if tables.problems.get(slug).is_some_and(|p| !p.fields.is_empty()) => {
                    let ident = format_ident!("{}", idents[slug]);
                    quote!(#ident)
                }
                [_] => quote!(ProblemDetails),
                _ => quote!(Problem),
            };
            quote!(ProblemError<#inner>)
        }
        Payload::Throttle => quote!(ThrottleError),
        Payload::Scopes => quote!(ScopeError),
        Payload::Response => quote!(Box<ApiError>),
    }
}

pub fn file(sets: &Sets, rules: &EndpointRules, tables: &Tables) -> TokenStream {
    let idents = problem_idents(tables);
    let items = sets.sets.iter().map(|(name, variants, ops)| {
        let enum_name = format_ident!("{name}");
        let statik = variants_static(name);
        let count = variants.len();
        let defs: Vec<(&String, &VariantDef)> =
            variants.iter().filter_map(|v| rules.variants.get_key_value(v)).collect();
        let infos = defs.iter().map(|(v, def)| {
            let problems = def.problems.iter().map(|s| format_ident!("{}", idents[s]));
            let statuses = def.statuses.iter().map(|s| Literal::u16_unsuffixed(*s));
            let many = def.too_many.iter().map(|t| too_many(*t));
            let (status, retry) = usual(def, tables);
            let status = match status {
                Some(s) => {
                    let s = Literal::u16_unsuffixed(s);
                    quote!(Some(#s))
                }
                None => quote!(None),
            };
            let retry = format_ident!("{}", format!("{retry:?}"));
            let meaning = &def.meaning;
            quote! {
                VariantInfo {
                    name: #v, meaning: #meaning, problems: &[#(ProblemKind::#problems),*], too_many: &[#(#many),*],
                    statuses: &[#(#statuses),*], status: #status, retry: RetryClass::#retry,
                }
            }
        });
        let decls = defs.iter().map(|(v, def)| {
            let ident = format_ident!("{v}");
            let ty = payload_type(def, tables, &idents);
            let doc = format!(" {}", def.meaning);
            quote!(#[doc = #doc] #ident(#ty),)
        });
        let arms = defs.iter().enumerate().map(|(i, (v, def))| {
            let ident = format_ident!("{v}");
            let i = Literal::usize_unsuffixed(i);
            let build = match def.payload {
                Payload::Problem => quote!(ProblemError::new(error)),
                Payload::Throttle => quote!(ThrottleError::new(error)),
                Payload::Scopes => quote!(ScopeError::new(error, operation)),
                Payload::Response => quote!(Box::new(error)),
            };
            quote!(Some(#i) => Self::#ident(#build),)
        });
        let names_arms = defs.iter().map(|(v, _)| {
            let ident = format_ident!("{v}");
            quote!(Self::#ident(_) => #v,)
        });
        let response_arms = defs.iter().map(|(v, def)| {
            let ident = format_ident!("{v}");
            match def.payload {
                Payload::Response => quote!(Self::#ident(e) => e,),
                _ => quote!(Self::#ident(e) => &e.response,),
            }
        });
        let shown: Vec<_> = ops.iter().take(8).map(|o| format!("`{o}`")).collect();
        let more = if ops.len() > 8 { format!(" and {} more", ops.len() - 8) } else { String::new() };
        let doc = format!(" Errors of {}{more} ({} operations).", shown.join(", "), ops.len());
        let vdoc = format!(" The variants of [`{name}`], in matching order.");
        // pub enum GetPostsByIdError { NotFound(ProblemError<ResourceNotFound>), …, Unhandled(Box<ApiError>) }
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #enum_name {
                #(#decls)*
                /// A success whose body did not fit the operation's type: not an error X sent.
                Decode(DecodeError),
                /// A response this operation is not expected to give, kept whole.
                Unhandled(Box<ApiError>),
            }

            #[doc = #vdoc]
            pub static #statik: [VariantInfo; #count] = [#(#infos),*];

            impl EndpointError for #enum_name {
                fn from_api_error(error: ApiError, operation: &'static Operation) -> Self {
                    let _ = operation;
                    let error = match DecodeError::from_response(Box::new(error)) {
                        Ok(decode) => return Self::Decode(decode),
                        Err(error) => *error,
                    };
                    match select(&#statik, &error) {
                        #(#arms)*
                        _ => Self::Unhandled(Box::new(error)),
                    }
                }

                fn variant(&self) -> &'static str {
                    match self {
                        #(#names_arms)*
                        Self::Decode(_) => "Decode",
                        Self::Unhandled(_) => "Unhandled",
                    }
                }

                fn response(&self) -> &ApiError {
                    match self {
                        #(#response_arms)*
                        Self::Decode(e) => &e.response,
                        Self::Unhandled(e) => e,
                    }
                }
            }

            endpoint_error!(#enum_name);
        }
    });
    quote! {
        //! Per-endpoint error enums, derived from `spec/errors/endpoint_rules.yaml`. Operations
        //! with the same possible errors share an enum; each operation module has `Error` as
        //! an alias of its enum.
        #![allow(unused_imports)]
        use crate::errors::*;
        use crate::meta::{Operation, VariantInfo};
        use crate::response::*;

        #(#items)*
    }
}

/// `ENDPOINTS.md`.
pub fn markdown(api: &Api, rules: &EndpointRules, tables: &Tables) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated by `cargo xtask regen` — do not edit. Source: spec/errors/endpoint_rules.yaml -->\n"
    );
    let _ = writeln!(out, "# Error surface of the X API ({} operations, spec {})\n", api.operations.len(), api.version);
    let _ = writeln!(
        out,
        "Every operation can also fail with `Decode` (a success whose body does not fit its type, with the JSON \
         path and spec pointer) and `Unhandled` (a response it is not expected to give, kept whole). \
         Variants are listed in matching order with their usual status and retry class.\n"
    );
    let _ = writeln!(out, "## Variants\n\n| variant | matches | status | retry | meaning |\n|---|---|---|---|---|");
    for (name, def) in &rules.variants {
        let mut matches: Vec<String> = def.problems.iter().map(|p| format!("`{p}`")).collect();
        matches.extend(def.too_many.iter().map(|t| format!("429 `{}`", t.as_str())));
        matches.extend(def.statuses.iter().map(|s| s.to_string()));
        let (status, retry) = usual(def, tables);
        let status = status.map(|s| s.to_string()).unwrap_or_default();
        let _ =
            writeln!(out, "| `{name}` | {} | {status} | `{}` | {} |", matches.join(", "), retry.as_str(), def.meaning);
    }
    let _ = writeln!(out, "\n## Operations\n\n| operation | method and path | auth | errors |\n|---|---|---|---|");
    for op in &api.operations {
        let errors: Vec<String> = op.errors.iter().map(|e| format!("`{e}`")).collect();
        let auth = auth_of(op).replace('_', " ");
        let streaming = if op.streaming { " (stream)" } else { "" };
        let _ =
            writeln!(out, "| `{}` | `{} {}`{streaming} | {auth} | {} |", op.id, op.method, op.path, errors.join(", "));
    }
    out
}
