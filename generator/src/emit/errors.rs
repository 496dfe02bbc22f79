//! `errors/{problems,codes,status}.rs`: the error tables as Rust.

use crate::names::{self, Scope};
use crate::tables::{FieldType, RetryClass, Tables};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

fn retry(r: RetryClass) -> TokenStream {
    // The variant names are the Debug names (`Backoff`).
    let v = format_ident!("{}", format!("{r:?}"));
    quote!(RetryClass::#v)
}

pub fn status_file(tables: &Tables) -> TokenStream {
    let entries = tables.statuses.iter().map(|(code, e)| {
        let code = Literal::u16_unsuffixed(*code);
        let (name, meaning, action) = (&e.name, &e.meaning, &e.action);
        let families = e.families.iter().map(|f| {
            let f = format_ident!("{}", format!("{f:?}"));
            quote!(Family::#f)
        });
        let retry = retry(e.retry);
        quote! {
            HttpStatus { code: #code, name: #name, families: &[#(#families),*], meaning: #meaning, action: #action, retry: #retry }
        }
    });
    let count = tables.statuses.len();
    // pub static HTTP_STATUSES: [HttpStatus; N] = [HttpStatus { code: 200, … }, …];
    quote! {
        //! HTTP statuses X documents, in ascending order.
        use crate::errors::*;

        /// Every status in `spec/errors/http_status.yaml`, sorted by code.
        pub static HTTP_STATUSES: [HttpStatus; #count] = [#(#entries),*];

        /// What X documents about a status, if anything.
        pub fn http_status(code: u16) -> Option<&'static HttpStatus> {
            HTTP_STATUSES.binary_search_by_key(&code, |s| s.code).ok().map(|i| &HTTP_STATUSES[i])
        }
    }
}

struct ProblemNames {
    slug: String,
    variant: proc_macro2::Ident,
    /// The struct holding extension fields, if the type has any.
    payload: Option<proc_macro2::Ident>,
}

/// The `ProblemKind` variant (and payload struct) name of every slug.
pub(crate) fn problem_idents(tables: &Tables) -> std::collections::BTreeMap<String, String> {
    let mut scope = Scope::new();
    let reserved = [
        "Problem",
        "ProblemKind",
        "ProblemDetails",
        "ProblemInfo",
        "UnknownProblem",
        "Unknown",
        "RetryClass",
        "Family",
        "HttpStatus",
    ];
    for r in reserved {
        scope.reserve(r);
    }
    tables.problems.keys().map(|slug| (slug.clone(), scope.claim(&names::type_name(slug)))).collect()
}

pub fn problems_file(tables: &Tables) -> TokenStream {
    let idents = problem_idents(tables);
    let named: Vec<ProblemNames> = tables
        .problems
        .iter()
        .map(|(slug, e)| {
            let variant = format_ident!("{}", idents[slug]);
            let payload = (!e.fields.is_empty()).then(|| variant.clone());
            ProblemNames { slug: slug.clone(), variant, payload }
        })
        .collect();

    let kinds: Vec<_> = named.iter().map(|n| &n.variant).collect();
    let slugs: Vec<_> = named.iter().map(|n| &n.slug).collect();
    let kind_docs = slugs.iter().map(|s| format!(" `{s}`"));
    let count = named.len();
    let infos = tables.problems.iter().map(|(slug, e)| {
        let status = Literal::u16_unsuffixed(e.status);
        let (title, meaning, action) = (&e.title, &e.meaning, &e.action);
        let fields = e.fields.iter().map(|(name, ty)| {
            let ty = field_type_name(*ty);
            quote!((#name, #ty))
        });
        let versions = &e.spec_versions;
        let retry = retry(e.retry);
        quote! {
            ProblemInfo {
                slug: #slug, title: #title, status: #status, fields: &[#(#fields),*],
                spec_versions: &[#(#versions),*], meaning: #meaning, action: #action, retry: #retry,
            }
        }
    });

    let payloads = named.iter().zip(tables.problems.values()).filter_map(|(n, e)| {
        let name = n.payload.as_ref()?;
        let doc = format!(" The extension fields of `{}` problems.", n.slug);
        let mut idents = Scope::new();
        idents.reserve("details");
        let fields: Vec<_> = e
            .fields
            .iter()
            .map(|(wire, ty)| {
                let ident: syn::Ident =
                    syn::parse_str(&idents.claim(&names::field_name(wire))).unwrap_or_else(|_| format_ident!("field"));
                let (rust, convert) = match ty {
                    FieldType::String => (quote!(String), quote!(as_string)),
                    FieldType::Integer => (quote!(i64), quote!(Value::as_i64)),
                    FieldType::Boolean => (quote!(bool), quote!(Value::as_bool)),
                    FieldType::StringList => (quote!(Vec<String>), quote!(as_strings)),
                    FieldType::Json => (quote!(Value), quote!(as_json)),
                    FieldType::Id => (quote!(String), quote!(as_id)),
                };
                (wire, ident, rust, convert)
            })
            .collect();
        let decls = fields.iter().map(|(wire, ident, rust, _)| {
            let doc = format!(" `{wire}`");
            quote!(#[doc = #doc] pub #ident: Option<#rust>,)
        });
        // An id stays in `details.extra` as it came (number or string): the field is its digits.
        let takes = e.fields.values().zip(&fields).map(|(ty, (wire, ident, _, convert))| match ty {
            FieldType::Id => quote!(#ident: map.get(#wire).and_then(#convert),),
            _ => quote!(#ident: take(&mut map, #wire, #convert),),
        });
        let puts =
            e.fields.values().zip(&fields).filter(|(ty, _)| **ty != FieldType::Id).map(|(ty, (wire, ident, _, _))| {
                match ty {
                    FieldType::Json => quote!(put(&mut map, #wire, self.#ident.clone());),
                    _ => quote!(put(&mut map, #wire, self.#ident.clone().map(Value::from));),
                }
            });
        // pub struct ClientForbidden { pub details: ProblemDetails, pub client_id: Option<String>, … }
        let variant = &n.variant;
        Some(quote! {
            impl crate::response::FromProblem for #name {
                fn from_problem(problem: &Problem) -> Option<Self> {
                    match problem {
                        Problem::#variant(p) => Some(p.clone()),
                        _ => None,
                    }
                }
            }

            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct #name {
                /// The common fields, and any property not typed here.
                pub details: ProblemDetails,
                #(#decls)*
            }

            impl #name {
                /// Takes this type's fields out of a problem object.
                #[allow(unused_mut)] // ids are read, not taken out
                pub fn from_map(mut map: Map<String, Value>) -> Self {
                    Self { #(#takes)* details: ProblemDetails::from_map(map) }
                }

                /// The object again, as it was read.
                #[allow(unused_mut, clippy::let_and_return)]
                pub fn to_map(&self) -> Map<String, Value> {
                    let mut map = self.details.to_map();
                    #(#puts)*
                    map
                }
            }
        })
    });

    let variants = named.iter().map(|n| {
        let v = &n.variant;
        let doc = format!(" `{}`", n.slug);
        match &n.payload {
            Some(p) => quote!(#[doc = #doc] #v(#p),),
            None => quote!(#[doc = #doc] #v(ProblemDetails),),
        }
    });
    let from_arms = named.iter().map(|n| {
        let v = &n.variant;
        match &n.payload {
            Some(p) => quote!(Some(ProblemKind::#v) => Self::#v(#p::from_map(map)),),
            None => quote!(Some(ProblemKind::#v) => Self::#v(ProblemDetails::from_map(map)),),
        }
    });
    let details_arms = named.iter().map(|n| {
        let v = &n.variant;
        match &n.payload {
            Some(_) => quote!(Self::#v(p) => &p.details,),
            None => quote!(Self::#v(d) => d,),
        }
    });
    let to_map_arms = named.iter().map(|n| {
        let v = &n.variant;
        quote!(Self::#v(p) => p.to_map(),)
    });

    // pub enum ProblemKind { AboutBlank, … }  pub enum Problem { AboutBlank(ProblemDetails), …, Unknown(UnknownProblem) }
    quote! {
        //! v2 problem types, keyed by slug whatever host the type URI names.
        use crate::errors::*;

        /// The problem types X documents, by slug.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ProblemKind {
            #(#[doc = #kind_docs] #kinds,)*
        }

        impl ProblemKind {
            /// Every kind, sorted by slug.
            pub const ALL: [Self; #count] = [#(Self::#kinds),*];

            /// The slug (`usage-capped`).
            pub fn slug(self) -> &'static str {
                self.info().slug
            }

            /// The kind for a slug (lowercase, as [`problem_slug`] gives it).
            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug {
                    #(#slugs => Some(Self::#kinds),)*
                    _ => None,
                }
            }

            /// What the tables say about this kind.
            pub fn info(self) -> &'static ProblemInfo {
                &PROBLEMS[self as usize]
            }
        }

        /// Every problem type in `spec/errors/problems.yaml`, in [`ProblemKind`] order.
        pub static PROBLEMS: [ProblemInfo; #count] = [#(#infos),*];

        #(#payloads)*

        /// A v2 problem, typed by its slug. Parsing never fails on a JSON object: an unknown
        /// or missing type is [`Problem::Unknown`] with every field kept.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Problem {
            #(#variants)*
            /// A type this crate does not know, or no type at all.
            Unknown(UnknownProblem),
        }

        impl Problem {
            /// Reads a problem object.
            pub fn from_map(map: Map<String, Value>) -> Self {
                let kind = map.get("type").and_then(Value::as_str).and_then(problem_slug).and_then(|s| ProblemKind::from_slug(&s));
                match kind {
                    #(#from_arms)*
                    None => Self::Unknown(UnknownProblem { details: ProblemDetails::from_map(map) }),
                }
            }

            /// The kind, unless the type is unknown.
            pub fn kind(&self) -> Option<ProblemKind> {
                match self {
                    #(Self::#kinds(_) => Some(ProblemKind::#kinds),)*
                    Self::Unknown(_) => None,
                }
            }

            /// The slug: the known kind's, or whatever follows `/2/problems/` in an unknown type.
            pub fn slug(&self) -> Option<std::borrow::Cow<'_, str>> {
                self.details().type_uri.as_deref().and_then(problem_slug)
            }

            /// The common fields (type, title, detail, status) and untyped extras.
            pub fn details(&self) -> &ProblemDetails {
                match self {
                    #(#details_arms)*
                    Self::Unknown(u) => &u.details,
                }
            }

            /// What the tables say about this problem's kind.
            pub fn info(&self) -> Option<&'static ProblemInfo> {
                self.kind().map(ProblemKind::info)
            }

            /// The object again, as it was read.
            pub fn to_map(&self) -> Map<String, Value> {
                match self {
                    #(#to_map_arms)*
                    Self::Unknown(u) => u.details.to_map(),
                }
            }
        }

        impl serde::Serialize for Problem {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_map().serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for Problem {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Map::deserialize(d).map(Self::from_map)
            }
        }
    }
}

fn field_type_name(t: FieldType) -> &'static str {
    match t {
        FieldType::String => "string",
        FieldType::Integer => "integer",
        FieldType::Boolean => "boolean",
        FieldType::StringList => "string[]",
        FieldType::Json => "json",
        FieldType::Id => "id",
    }
}

/// A string-coded table (Ads `CAPS_CASE`, OAuth 2.0 `snake_case`) as an enum with `Unknown`,
/// a static of its facts and the accessors.
fn text_codes(
    table: &std::collections::BTreeMap<String, crate::tables::AdsEntry>,
    enum_name: &str,
    static_name: &str,
    what: &str,
    file: &str,
) -> TokenStream {
    let mut scope = Scope::new();
    scope.reserve("Unknown");
    let codes: Vec<_> =
        table.keys().map(|code| (code, format_ident!("{}", scope.claim(&names::type_name(code))))).collect();
    let variants: Vec<_> = codes.iter().map(|(_, v)| v).collect();
    let wires: Vec<_> = codes.iter().map(|(c, _)| *c).collect();
    let docs = wires.iter().map(|c| format!(" `{c}`"));
    let index = (0..codes.len()).map(Literal::usize_unsuffixed);
    let count = codes.len();
    let infos = table.iter().map(|(code, e)| {
        let status = Literal::u16_unsuffixed(e.status);
        let (meaning, action, retry) = (&e.meaning, &e.action, retry(e.retry));
        quote!(CodeInfo { code: #code, status: #status, meaning: #meaning, action: #action, retry: #retry })
    });
    let (name, statik) = (format_ident!("{enum_name}"), format_ident!("{static_name}"));
    let enum_doc = format!(" {what}.");
    let static_doc = format!(" Every code in `spec/errors/{file}`, sorted.");
    // pub enum AdsErrorCode { AccountLockedOut, …, Unknown(String) }
    quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #docs] #variants,)*
            /// A code this crate does not list, kept as sent.
            Unknown(String),
        }
        string_enum!(#name { #(#variants => #wires),* });

        #[doc = #static_doc]
        pub static #statik: [CodeInfo; #count] = [#(#infos),*];

        impl #name {
            /// What the tables say about the code.
            pub fn info(&self) -> Option<&'static CodeInfo> {
                match self {
                    #(Self::#variants => Some(&#statik[#index]),)*
                    Self::Unknown(_) => None,
                }
            }

            /// The HTTP status the code comes with.
            pub fn http_status(&self) -> Option<u16> {
                self.info().map(|i| i.status)
            }

            /// What a caller should do about the code, as a class.
            pub fn retry_class(&self) -> Option<RetryClass> {
                self.info().map(|i| i.retry)
            }

            /// What the code means, in a sentence for people.
            pub fn meaning(&self) -> Option<&'static str> {
                self.info().map(|i| i.meaning)
            }
        }
    }
}

pub fn codes_file(tables: &Tables) -> TokenStream {
    let ads = text_codes(
        &tables.ads,
        "AdsErrorCode",
        "ADS_CODES",
        "An Ads API error code (`errors[].code`)",
        "ads_codes.yaml",
    );
    let oauth = text_codes(
        &tables.oauth,
        "OAuthErrorCode",
        "OAUTH_CODES",
        "An OAuth 2.0 error code (`error`, RFC 6749 §5.2)",
        "oauth_codes.yaml",
    );
    let mut scope = Scope::new();
    scope.reserve("Unknown");
    let v1: Vec<_> = tables
        .v1
        .iter()
        .map(|(code, e)| (*code, format_ident!("{}", scope.claim(&names::type_name(&e.name)))))
        .collect();
    let v1_variants: Vec<_> = v1.iter().map(|(_, v)| v).collect();
    let v1_codes: Vec<_> = v1.iter().map(|(c, _)| Literal::u32_unsuffixed(*c)).collect();
    let v1_docs = v1.iter().map(|(c, _)| format!(" Code {c}."));
    let v1_index = (0..v1.len()).map(Literal::usize_unsuffixed);
    let v1_count = v1.len();
    let v1_infos = tables.v1.iter().map(|(code, e)| {
        let code = Literal::u32_unsuffixed(*code);
        let status = Literal::u16_unsuffixed(e.status);
        let (name, meaning, action, retry) = (&e.name, &e.meaning, &e.action, retry(e.retry));
        quote!(V1CodeInfo { code: #code, name: #name, status: #status, meaning: #meaning, action: #action, retry: #retry })
    });

    // pub enum AdsErrorCode { AccountLockedOut, …, Unknown(String) }  pub enum V1ErrorCode { …, Unknown(u32) }
    quote! {
        //! Ads API error codes (`CAPS_CASE` strings), OAuth 2.0 error codes (`snake_case`) and
        //! v1.1 error codes (numbers).
        use crate::errors::*;

        #ads
        #oauth

        /// A v1.1 error code (`errors[].code`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum V1ErrorCode {
            #(#[doc = #v1_docs] #v1_variants,)*
            /// A code this crate does not list.
            Unknown(u32),
        }
        numeric_enum!(V1ErrorCode { #(#v1_variants => #v1_codes),* });

        /// Every code in `spec/errors/v1_codes.yaml`, ascending.
        pub static V1_CODES: [V1CodeInfo; #v1_count] = [#(#v1_infos),*];

        impl V1ErrorCode {
            /// What the tables say about the code.
            pub fn info(&self) -> Option<&'static V1CodeInfo> {
                match self {
                    #(Self::#v1_variants => Some(&V1_CODES[#v1_index]),)*
                    Self::Unknown(_) => None,
                }
            }

            /// The HTTP status X documents for the code.
            pub fn http_status(&self) -> Option<u16> {
                self.info().map(|i| i.status)
            }

            /// What a caller should do about the code, as a class.
            pub fn retry_class(&self) -> Option<RetryClass> {
                self.info().map(|i| i.retry)
            }

            /// What the code means, in a sentence for people.
            pub fn meaning(&self) -> Option<&'static str> {
                self.info().map(|i| i.meaning)
            }
        }
    }
}
