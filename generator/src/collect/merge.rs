//! Objects from parts: the properties of an object schema, or of every member of an `allOf`
//! (through `$ref`s, nested `allOf`s and union members), gathered and then built into one
//! struct. Also the `allOf`s that merge no object at all (primitives and their constraints).

use super::{any_shape, constraints, AnyShape, Collector};
use crate::error::{pointer, Error, Result};
use crate::ir::{Constraints, Field, Struct, TypeKind, TypeRef};
use crate::names::{self, Scope};
use crate::wire;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

/// One property as gathered: its name, schema, pointer and the legacy spelling X also sends.
struct Part<'s> {
    wire: String,
    schema: &'s ReferenceOr<Box<Schema>>,
    at: String,
    legacy: Option<String>,
}

/// Properties gathered from an object schema or from the members of an `allOf`.
#[derive(Default)]
pub(super) struct ObjectParts<'s> {
    properties: Vec<Part<'s>>,
    required: BTreeSet<String>,
    /// Required by the spec, omitted by X (`spec/wire.yaml`).
    absent: BTreeSet<String>,
    additional: Option<(&'s AdditionalProperties, String)>,
    /// The first `allOf` member that describes no object (a string beside an object): no
    /// value fits them all, so the type is any JSON rather than a struct nothing reads.
    not_object: Option<String>,
}

impl<'s> Collector<'s> {
    /// Adds one object schema's own properties, `required`, wire extensions and
    /// `additionalProperties` (found at `at`) to `parts`.
    pub(super) fn object_parts(
        &self,
        properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'s AdditionalProperties>,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
        at: &str,
        parts: &mut ObjectParts<'s>,
    ) {
        let props_at = pointer::push(at, "properties");
        let legacy = extensions.get(wire::LEGACY).and_then(serde_json::Value::as_object);
        for (name, schema) in properties {
            let here = pointer::push(&props_at, name);
            let legacy = legacy.and_then(|l| l.get(name)).and_then(serde_json::Value::as_str).map(str::to_owned);
            let part = Part { wire: name.clone(), schema, at: here, legacy };
            if let Some(slot) = parts.properties.iter_mut().find(|p| p.wire == *name) {
                // A later allOf member redefines the property: the later one wins.
                *slot = part;
            } else {
                parts.properties.push(part);
            }
        }
        parts.required.extend(required.iter().cloned());
        let absent = extensions.get(wire::ABSENT).and_then(serde_json::Value::as_array);
        parts.absent.extend(absent.into_iter().flatten().filter_map(|v| v.as_str()).map(str::to_owned));
        if let Some(ap) = additional {
            parts.additional = Some((ap, pointer::push(at, "additionalProperties")));
        }
    }

    /// Adds one `allOf` member's properties (following `$ref`s and nested `allOf`s).
    pub(super) fn merge_member(
        &mut self,
        member: &'s ReferenceOr<Schema>,
        at: &str,
        parts: &mut ObjectParts<'s>,
    ) -> Result<()> {
        let (schema, where_) = match member {
            ReferenceOr::Reference { reference } => {
                let name = self.spec.schema_ref_name(reference, at)?;
                // Already being merged further up: `A` and `A` is `A`, nothing to add.
                if self.merging.contains(&name) {
                    return Ok(());
                }
                let (schema, target) = self.spec.resolve_schema(member, at)?;
                self.merging.push(name);
                let r = self.merge_schema(schema, &target, parts);
                self.merging.pop();
                return r.map_err(|e| if e.location == target { Error::at(at, e.reason) } else { e });
            }
            ReferenceOr::Item(s) => (s, at.to_owned()),
        };
        self.merge_schema(schema, &where_, parts)
    }

    /// Adds what one resolved `allOf` member contributes: its properties, its own members',
    /// or, when it describes no object, a mark in `not_object`.
    fn merge_schema(&mut self, schema: &'s Schema, at: &str, parts: &mut ObjectParts<'s>) -> Result<()> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                let ext = &schema.schema_data.extensions;
                self.object_parts(&o.properties, &o.required, o.additional_properties.as_ref(), ext, at, parts);
            }
            SchemaKind::AllOf { all_of } => {
                for (i, m) in all_of.iter().enumerate() {
                    self.merge_member(m, &pointer::push(&pointer::push(at, "allOf"), &i.to_string()), parts)?;
                }
            }
            SchemaKind::Any(any) if matches!(any_shape(any), AnyShape::Object) => {
                for (i, m) in any.all_of.iter().enumerate() {
                    self.merge_member(m, &pointer::push(&pointer::push(at, "allOf"), &i.to_string()), parts)?;
                }
                let ext = &schema.schema_data.extensions;
                self.object_parts(&any.properties, &any.required, any.additional_properties.as_ref(), ext, at, parts);
            }
            SchemaKind::OneOf { one_of } => self.merge_union(one_of, "oneOf", at, parts)?,
            SchemaKind::AnyOf { any_of } => self.merge_union(any_of, "anyOf", at, parts)?,
            SchemaKind::Any(any) if matches!(any_shape(any), AnyShape::Union) => {
                let (members, word) =
                    if any.one_of.is_empty() { (&any.any_of, "anyOf") } else { (&any.one_of, "oneOf") };
                self.merge_union(members, word, at, parts)?;
            }
            // A member that says nothing about the object (`{}`, a description) adds nothing.
            SchemaKind::Any(any) if matches!(any_shape(any), AnyShape::Primitive(TypeRef::Json)) => {}
            _ => {
                parts.not_object.get_or_insert_with(|| at.to_owned());
            }
        }
        Ok(())
    }

    /// An `allOf` member that is a union: the object is one of several shapes, so each object
    /// member's properties are merged, none of them required (a member that is no object,
    /// such as a string, adds no property).
    fn merge_union(
        &mut self,
        members: &'s [ReferenceOr<Schema>],
        word: &str,
        at: &str,
        parts: &mut ObjectParts<'s>,
    ) -> Result<()> {
        for (i, member) in members.iter().enumerate() {
            let here = pointer::push(&pointer::push(at, word), &i.to_string());
            if !self.object_like(member, &here)? {
                continue;
            }
            let mut shape = ObjectParts::default();
            self.merge_member(member, &here, &mut shape)?;
            for part in shape.properties {
                if !parts.properties.iter().any(|p| p.wire == part.wire) {
                    parts.properties.push(part);
                }
            }
            parts.absent.extend(shape.absent);
            if parts.additional.is_none() {
                parts.additional = shape.additional;
            }
        }
        Ok(())
    }

    /// Whether some `allOf` member describes objects (if none does, they merge as primitives).
    pub(super) fn any_object_like(&self, members: &'s [ReferenceOr<Schema>], at: &str) -> Result<bool> {
        for (i, member) in members.iter().enumerate() {
            if self.object_like(member, &pointer::push(&pointer::push(at, "allOf"), &i.to_string()))? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether a schema (through `$ref`s) describes objects, so `allOf` can merge it.
    fn object_like(&self, member: &'s ReferenceOr<Schema>, at: &str) -> Result<bool> {
        let (schema, _) = self.spec.resolve_schema(member, at)?;
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(any) => matches!(any_shape(any), AnyShape::Object | AnyShape::Union),
            _ => false,
        })
    }

    /// An `allOf` none of whose members is an object (`string` and `minLength: 1`): the one
    /// primitive they agree on, with the constraints they state; any JSON when they disagree.
    pub(super) fn merge_primitives(
        &self,
        members: &'s [ReferenceOr<Schema>],
        at: &str,
    ) -> Result<(TypeRef, Constraints)> {
        let mut found: Option<TypeRef> = None;
        let mut merged = Constraints::default();
        for (i, member) in members.iter().enumerate() {
            let here = pointer::push(&pointer::push(at, "allOf"), &i.to_string());
            let (schema, _) = self.spec.resolve_schema(member, &here)?;
            let ty = match &schema.schema_kind {
                SchemaKind::Type(Type::String(_)) => TypeRef::String,
                SchemaKind::Type(Type::Integer(_)) => TypeRef::Integer,
                SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
                SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
                SchemaKind::Any(any) => match any_shape(any) {
                    AnyShape::Primitive(t) => t,
                    _ => TypeRef::Json,
                },
                _ => TypeRef::Json,
            };
            merged.fill_from(&constraints(schema));
            match (&found, ty) {
                (_, TypeRef::Json) => {}
                (None, t) => found = Some(t),
                (Some(f), t) if *f == t => {}
                _ => return Ok((TypeRef::Json, Constraints::default())),
            }
        }
        Ok((found.unwrap_or(TypeRef::Json), merged))
    }

    /// The struct of merged `allOf` members, or any JSON when a member is no object.
    pub(super) fn merged(&mut self, parts: ObjectParts<'s>, name: &str, notes: &mut Vec<String>) -> Result<TypeKind> {
        if let Some(at) = &parts.not_object {
            notes.push(format!("`allOf` of an object and `{at}`, which is none: no value fits both, kept as any JSON"));
            return Ok(TypeKind::Alias(TypeRef::Json));
        }
        Ok(TypeKind::Struct(self.build_struct(parts, name)?))
    }

    /// The struct of the gathered parts; inline field types are named after `owner` and the
    /// property.
    pub(super) fn build_struct(&mut self, parts: ObjectParts<'s>, owner: &str) -> Result<Struct> {
        let mut idents = Scope::new();
        // The struct's own members: what the wire carries beyond the fields, and the typed map.
        idents.reserve("extra");
        idents.reserve("additional_properties");
        let mut fields = Vec::with_capacity(parts.properties.len());
        for Part { wire, schema, at, legacy } in parts.properties {
            // A `$ref` needs no name for its type: the hint is only made for inline schemas.
            let hint = match schema {
                ReferenceOr::Item(_) => format!("{owner}{}", names::type_name(&wire)),
                ReferenceOr::Reference { .. } => String::new(),
            };
            let ty = self.type_ref(schema, &at, &hint)?;
            let required = parts.required.contains(&wire);
            let optional = !required || self.nullable(schema);
            let ident = idents.claim(&names::field_name(&wire));
            let (constraints, added) = match schema {
                ReferenceOr::Item(s) => (constraints(s), s.schema_data.extensions.contains_key(wire::ADDED)),
                ReferenceOr::Reference { .. } => (Constraints::default(), false),
            };
            let absent = parts.absent.contains(&wire);
            fields.push(Field {
                ident,
                ty,
                optional,
                required,
                boxed: false,
                pointer: at,
                constraints,
                legacy,
                absent,
                added,
                wire,
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(s), at)) => Some(self.type_ref(s, &at, &format!("{owner}Value"))?),
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        Ok(Struct { fields, additional })
    }
}
