//! Phase one for operations: every path item method becomes an `ir::Operation` with resolved
//! parameters, security, bodies and success type. Parameter enums land in the `params` module,
//! once per distinct (name, values): the shared `*.fields`/`expansions` enums are not repeated
//! per operation.

use crate::body_schemas::BodySchemas;
use crate::collect::{enum_values, Collector};
use crate::error::{pointer, Error, Result};
use crate::ir::{
    AuthKind, Body, Module, Operation, Param, ParamLocation, SchemaNode, Security, Success, TypeDef, TypeId, TypeKind,
    TypeRef,
};
use crate::load::Spec;
use crate::names::{self, Scope};
use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, Schema, SchemaKind, SecurityScheme,
    StatusCode, Type,
};
use std::collections::{BTreeMap, BTreeSet};

pub struct OperationBuilder<'c, 's> {
    spec: &'s Spec,
    collector: &'c mut Collector<'s>,
    /// Type name wanted → (values, the params enum already made for them).
    param_enums: BTreeMap<String, Vec<(Vec<String>, TypeId)>>,
    modules: Scope,
    /// The schemas request bodies are checked against.
    pub body_schemas: BodySchemas<'s>,
}

impl<'c, 's> OperationBuilder<'c, 's> {
    pub fn new(spec: &'s Spec, collector: &'c mut Collector<'s>) -> Self {
        Self {
            spec,
            collector,
            param_enums: BTreeMap::new(),
            modules: Scope::new(),
            body_schemas: BodySchemas::default(),
        }
    }

    /// The operations, sorted by id, and the schemas their bodies are checked against.
    pub fn build(mut self) -> Result<(Vec<Operation>, BTreeMap<String, SchemaNode>)> {
        self.collector.module = Module::Params;
        // Shared component parameters first, so they get the plain names (`PostFields`).
        if let Some(components) = &self.spec.api.components {
            let mut params: Vec<_> = components.parameters.iter().collect();
            params.sort_by(|a, b| a.0.cmp(b.0));
            for (name, item) in params {
                let at = pointer::push("#/components/parameters", name);
                let (param, at) = self.spec.parameter(item, &at)?;
                let base = names::type_name(name.strip_suffix("Parameter").unwrap_or(name));
                self.param(param, &at, &base, "")?;
            }
        }
        let mut found = Vec::new();
        let mut paths: Vec<_> = self.spec.api.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let path_at = pointer::push("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                return Err(Error::at(path_at, "unsupported construct: $ref on a path item"));
            };
            for (method, op) in item.iter() {
                found.push((path, method, op, item, pointer::push(&path_at, method)));
            }
        }
        // Operation ids decide module names, so claim them in id order.
        found.sort_by(|a, b| a.2.operation_id.cmp(&b.2.operation_id).then(a.0.cmp(b.0)).then(a.1.cmp(b.1)));
        let mut ops = Vec::with_capacity(found.len());
        for (path, method, op, item, at) in found {
            ops.push(self.operation(path, method, op, &item.parameters, &at)?);
        }
        self.collector.module = Module::Models;
        Ok((ops, self.body_schemas.nodes))
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'s openapiv3::Operation,
        shared: &'s [ReferenceOr<Parameter>],
        at: &str,
    ) -> Result<Operation> {
        let id = op.operation_id.clone().unwrap_or_else(|| format!("{method}_{path}"));
        let camel = names::type_name(&id);
        let module = self.modules.claim(names::unraw(&names::field_name(&id)));

        // Path-item parameters apply unless the operation redefines the same name and location.
        let mut params: Vec<Param> = Vec::new();
        let sources = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, pointer::push(&pointer::push(at, "parameters"), &i.to_string())))
            .chain(shared.iter().enumerate().map(|(i, p)| {
                let path_at = at.rsplit_once('/').map(|(p, _)| p).unwrap_or(at);
                (p, pointer::push(&pointer::push(path_at, "parameters"), &i.to_string()))
            }));
        for (item, here) in sources {
            let (param, here) = self.spec.parameter(item, &here)?;
            let base = names::type_name(&param.parameter_data_ref().name);
            let p = self.param(param, &here, &base, &camel)?;
            if !params.iter().any(|q| q.name == p.name && q.location == p.location) {
                params.push(p);
            }
        }

        self.collector.module = Module::Models;
        let mut request_body = Vec::new();
        let mut body_required = false;
        if let Some(rb) = &op.request_body {
            let (rb, rb_at) = self.spec.request_body(rb, &pointer::push(at, "requestBody"))?;
            body_required = rb.required;
            let mut media: Vec<_> = rb.content.iter().collect();
            media.sort_by(|a, b| a.0.cmp(b.0));
            for (media_type, content) in media {
                let here = pointer::push(&pointer::push(&pointer::push(&rb_at, "content"), media_type), "schema");
                let ty = match &content.schema {
                    Some(s) => self.collector.type_ref(s, &here, &format!("{camel}Request"))?,
                    None if media_type.contains("json") => TypeRef::Json,
                    None => TypeRef::Bytes,
                };
                let schema = match &content.schema {
                    Some(s) => Some(self.body_schemas.add(self.spec, s, &here)?),
                    None => None,
                };
                request_body.push(Body { media_type: media_type.clone(), ty, schema });
            }
        }
        let success = self.success(op, at, &camel)?;
        self.collector.module = Module::Params;

        let security = self.security(op.security.as_ref().or(self.spec.api.security.as_ref()));
        let streaming = op.extensions.get("x-twitter-streaming").and_then(|v| v.as_bool()).unwrap_or(false);
        let method = method.to_ascii_uppercase();
        Ok(Operation {
            id,
            module,
            idempotent: xapi_core::vocabulary::idempotent_method(&method),
            method,
            path: path.to_owned(),
            tags: op.tags.clone(),
            params,
            security,
            streaming,
            request_body,
            body_required,
            success,
            pointer: at.to_owned(),
            docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
            errors: Vec::new(),
            error_set: String::new(),
        })
    }

    fn success(&mut self, op: &'s openapiv3::Operation, at: &str, camel: &str) -> Result<Option<Success>> {
        let mut codes: Vec<(u16, &'s ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
                _ => None,
            })
            .collect();
        codes.sort_by_key(|(c, _)| *c);
        let Some((status, response)) = codes.first().copied() else { return Ok(None) };
        let resp_at = pointer::push(&pointer::push(at, "responses"), &status.to_string());
        let (response, resp_at) = self.spec.response(response, &resp_at)?;
        let mut media: Vec<_> = response.content.iter().collect();
        media.sort_by_key(|(mt, _)| (!mt.contains("json"), mt.as_str()));
        let Some((media_type, content)) = media.first() else {
            return Ok(Some(Success { status, media_type: None, ty: None }));
        };
        let here = pointer::push(&pointer::push(&pointer::push(&resp_at, "content"), media_type), "schema");
        let ty = match &content.schema {
            Some(_) if !media_type.contains("json") => TypeRef::Bytes,
            Some(s) => self.collector.type_ref(s, &here, &format!("{camel}Response"))?,
            None => TypeRef::Bytes,
        };
        Ok(Some(Success { status, media_type: Some((*media_type).clone()), ty: Some(ty) }))
    }

    fn security(&self, reqs: Option<&Vec<openapiv3::SecurityRequirement>>) -> Vec<Security> {
        let schemes = self.spec.api.components.as_ref().map(|c| &c.security_schemes);
        let kind_of = |name: &str| match schemes.and_then(|s| s.get(name)) {
            Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) if scheme.eq_ignore_ascii_case("bearer") => {
                AuthKind::AppOnly
            }
            Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) if scheme.eq_ignore_ascii_case("oauth") => {
                AuthKind::OAuth1User
            }
            Some(ReferenceOr::Item(SecurityScheme::OAuth2 { .. })) => AuthKind::OAuth2User,
            _ => AuthKind::Other,
        };
        reqs.into_iter()
            .flatten()
            .filter(|req| !req.is_empty())
            .map(|req| {
                // A requirement naming several schemes needs all of them at once.
                let mut names: Vec<&String> = req.keys().collect();
                names.sort();
                let scheme = names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" + ");
                let kind = if names.len() == 1 { kind_of(names[0]) } else { AuthKind::Other };
                let mut scopes: Vec<String> = req.values().flatten().cloned().collect();
                scopes.sort();
                scopes.dedup();
                Security { scheme, kind, scopes }
            })
            .collect()
    }

    fn param(&mut self, param: &'s Parameter, at: &str, base: &str, op_camel: &str) -> Result<Param> {
        let data = param.parameter_data_ref();
        let (location, comma_style) = match param {
            Parameter::Query { style, .. } => {
                (ParamLocation::Query, matches!(style, QueryStyle::Form) && data.explode == Some(false))
            }
            Parameter::Path { style, .. } => (ParamLocation::Path, matches!(style, PathStyle::Simple)),
            Parameter::Header { .. } => (ParamLocation::Header, true),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, false),
        };
        let schema_at = pointer::push(at, "schema");
        let (ty, constraints, items) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let (c, items) = match schema {
                    ReferenceOr::Item(s) => (crate::collect::constraints(s), inline_item_constraints(s)),
                    ReferenceOr::Reference { .. } => Default::default(),
                };
                (self.param_type(schema, &schema_at, base, op_camel)?, c, items)
            }
            ParameterSchemaOrContent::Content(_) => (TypeRef::String, Default::default(), Default::default()),
        };
        let comma_joined = comma_style && matches!(ty, TypeRef::Vec(_));
        Ok(Param {
            name: data.name.clone(),
            location,
            required: data.required,
            comma_joined,
            ty,
            pointer: schema_at,
            constraints,
            items,
        })
    }

    /// Parameter types; inline string enums (also as array items) become shared params enums.
    fn param_type(&mut self, schema: &'s ReferenceOr<Schema>, at: &str, base: &str, op_camel: &str) -> Result<TypeRef> {
        let ReferenceOr::Item(s) = schema else { return self.collector.type_ref(schema, at, base) };
        if let Some(values) = string_enum(s) {
            return Ok(self.param_enum(values, at, base, op_camel));
        }
        if let SchemaKind::Type(Type::Array(a)) = &s.schema_kind {
            if let Some(ReferenceOr::Item(items)) = &a.items {
                if let Some(values) = string_enum(items) {
                    return Ok(TypeRef::Vec(Box::new(self.param_enum(
                        values,
                        &pointer::push(at, "items"),
                        base,
                        op_camel,
                    ))));
                }
            }
        }
        self.collector.type_ref(schema, at, base)
    }

    fn param_enum(&mut self, values: Vec<&str>, at: &str, base: &str, op_camel: &str) -> TypeRef {
        // Keyed by the distinct values in order (what `enum_values` keeps); variant names are
        // only made for an enum not seen yet, as most (`*.fields`) repeat per operation.
        let mut seen = BTreeSet::new();
        let distinct: Vec<&str> = values.iter().copied().filter(|v| seen.insert(*v)).collect();
        let same = |known: &&(Vec<String>, TypeId)| known.0.iter().map(String::as_str).eq(distinct.iter().copied());
        if let Some((_, id)) = self.param_enums.get(base).and_then(|known| known.iter().find(same)) {
            return TypeRef::Named(id.clone());
        }
        let values = enum_values(values.into_iter());
        let wanted = if self.collector.names.contains(base) && !op_camel.is_empty() {
            format!("{op_camel}{base}")
        } else {
            base.to_owned()
        };
        let name = self.collector.names.claim(&wanted);
        let def = TypeDef {
            id: at.to_owned(),
            name,
            module: Module::Params,
            kind: TypeKind::StringEnum(values),
            constraints: Default::default(),
            notes: Vec::new(),
        };
        self.collector.types.insert(at.to_owned(), def);
        let key = distinct.iter().map(|v| (*v).to_owned()).collect();
        self.param_enums.entry(base.to_owned()).or_default().push((key, at.to_owned()));
        TypeRef::Named(at.to_owned())
    }
}

fn string_enum(s: &Schema) -> Option<Vec<&str>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.iter().any(Option::is_some) => {
            Some(st.enumeration.iter().flatten().map(String::as_str).collect())
        }
        _ => None,
    }
}

/// The constraints an inline array schema states on its inline items.
fn inline_item_constraints(schema: &Schema) -> crate::ir::Constraints {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(a)) => match &a.items {
            Some(ReferenceOr::Item(items)) => crate::collect::constraints(items),
            _ => Default::default(),
        },
        _ => Default::default(),
    }
}
