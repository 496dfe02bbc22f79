//! Phase one for types: every component schema, and every inline schema that needs a name,
//! becomes a `TypeDef` with a stable id (its JSON pointer) and a unique Rust name.
//!
//! Merging `allOf` members and gathering an object's properties into a struct live in
//! [`merge`]; this module decides what each schema becomes.

mod merge;

use crate::error::{pointer, Error, Result};
use crate::ir::{Constraints, EnumValue, Module, TypeDef, TypeId, TypeKind, TypeRef, Union, Variant};
use crate::load::Spec;
use crate::names::{self, Scope};
use merge::ObjectParts;
use openapiv3::{AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Names the generated code uses unqualified; a schema called e.g. `String` gets `String2`.
const PRELUDE: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "BTreeMap",
    "Value",
    "Serialize",
    "Deserialize",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Extra",
];

/// Turns schemas into [`TypeDef`]s, naming inline ones on first use.
pub struct Collector<'s> {
    spec: &'s Spec,
    pub types: BTreeMap<TypeId, TypeDef>,
    pub names: Scope,
    /// Component schema name → Rust name, claimed up front so components keep their names.
    component_names: BTreeMap<String, String>,
    /// Component schemas whose `allOf` members are being merged (cycle detection).
    merging: Vec<String>,
    /// Inline schemas being defined: one met again inside itself (an `allOf` member that
    /// leads back to the property holding it) refers to itself.
    defining: BTreeSet<TypeId>,
    /// The module that inline types found now belong to.
    pub module: Module,
    /// `$ref` → the id it names, for references already checked.
    refs: HashMap<&'s str, TypeId>,
}

/// The id of the component schema `name` (`#/components/schemas/<name>`, escaped).
pub fn component_id(name: &str) -> TypeId {
    pointer::push("#/components/schemas", name)
}

impl<'s> Collector<'s> {
    pub fn new(spec: &'s Spec) -> Self {
        let mut names = Scope::new();
        for p in PRELUDE {
            names.reserve(p);
        }
        let component_names = spec
            .schemas()
            .into_iter()
            .map(|(name, _)| (name.to_owned(), names.claim(&names::type_name(name))))
            .collect();
        Self {
            spec,
            types: BTreeMap::new(),
            names,
            component_names,
            merging: Vec::new(),
            defining: BTreeSet::new(),
            module: Module::Models,
            refs: HashMap::new(),
        }
    }

    /// Defines every component schema, in name order.
    pub fn collect_components(&mut self) -> Result<()> {
        for (name, item) in self.spec.schemas() {
            let id = component_id(name);
            let rust = self.component_names[name].clone();
            let def = match item {
                // A component that is only a `$ref` to another is an alias of it.
                ReferenceOr::Reference { .. } => {
                    // Fails on dangling references and alias cycles, with this pointer.
                    self.spec.resolve_schema(item, &id)?;
                    let ty = self.type_ref(item, &id, &rust)?;
                    TypeDef {
                        id: id.clone(),
                        name: rust,
                        module: Module::Models,
                        kind: TypeKind::Alias(ty),
                        constraints: Constraints::default(),
                        notes: Vec::new(),
                    }
                }
                ReferenceOr::Item(schema) => self.define(schema, &id, rust)?,
            };
            self.types.insert(id, def);
        }
        Ok(())
    }

    /// The type to use for a schema found at `at`; inline schemas that need a name get one
    /// derived from `hint`.
    pub fn type_ref<S: AsSchema>(&mut self, item: &'s ReferenceOr<S>, at: &str, hint: &str) -> Result<TypeRef> {
        match item {
            ReferenceOr::Reference { reference } => {
                if let Some(id) = self.refs.get(reference.as_str()) {
                    return Ok(TypeRef::Named(id.clone()));
                }
                let id = component_id(&self.spec.schema_ref_name(reference, at)?);
                self.refs.insert(reference, id.clone());
                Ok(TypeRef::Named(id))
            }
            ReferenceOr::Item(schema) => self.inline(schema.as_schema(), at, hint),
        }
    }

    /// Whether a use of this schema may be `null` (its own `nullable`, or its target's).
    pub fn nullable<S: AsSchema>(&self, item: &'s ReferenceOr<S>) -> bool {
        match item {
            ReferenceOr::Item(s) => s.as_schema().schema_data.nullable,
            ReferenceOr::Reference { reference } => self
                .spec
                .schema_ref_name(reference, "#")
                .ok()
                .and_then(|n| self.spec.schema(&n))
                .is_some_and(|s| matches!(s, ReferenceOr::Item(s) if s.schema_data.nullable)),
        }
    }

    fn inline(&mut self, schema: &'s Schema, at: &str, hint: &str) -> Result<TypeRef> {
        if let Some(ty) = self.anonymous(schema, at, hint)? {
            return Ok(ty);
        }
        let id = at.to_owned();
        if !self.types.contains_key(&id) && self.defining.insert(id.clone()) {
            let name = self.names.claim(&names::type_name(hint));
            let def = self.define(schema, &id, name);
            self.defining.remove(&id);
            self.types.insert(id.clone(), def?);
        }
        Ok(TypeRef::Named(id))
    }

    /// Schemas that need no named type of their own: primitives, arrays, plain maps.
    fn anonymous(&mut self, schema: &'s Schema, at: &str, hint: &str) -> Result<Option<TypeRef>> {
        Ok(Some(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.iter().any(Option::is_some) => TypeRef::String,
            SchemaKind::Type(Type::Integer(_)) => TypeRef::Integer,
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), at, hint)?,
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map(o.additional_properties.as_ref(), at, hint)?
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref(&all_of[0], &pointer::push(&pointer::push(at, "allOf"), "0"), hint)?
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } if members.len() == 1 => {
                let word = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                self.type_ref(&members[0], &pointer::push(&pointer::push(at, word), "0"), hint)?
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                match self.same_primitive(members) {
                    Some(t) => t,
                    None => return Ok(None),
                }
            }
            SchemaKind::Any(any) => match any_shape(any) {
                AnyShape::Object | AnyShape::Union => return Ok(None),
                AnyShape::Primitive(t) => t,
                AnyShape::Array => self.array(any.items.as_ref(), at, hint)?,
            },
            SchemaKind::Not { .. } => return Err(Error::at(at, "unsupported construct `not`")),
            _ => return Ok(None),
        }))
    }

    fn array(&mut self, items: Option<&'s ReferenceOr<Box<Schema>>>, at: &str, hint: &str) -> Result<TypeRef> {
        Ok(match items {
            Some(items) => {
                TypeRef::Vec(Box::new(self.type_ref(items, &pointer::push(at, "items"), &format!("{hint}Item"))?))
            }
            None => TypeRef::Vec(Box::new(TypeRef::Json)),
        })
    }

    fn map(&mut self, additional: Option<&'s AdditionalProperties>, at: &str, hint: &str) -> Result<TypeRef> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(s)) => TypeRef::Map(Box::new(self.type_ref(
                s,
                &pointer::push(at, "additionalProperties"),
                &format!("{hint}Value"),
            )?)),
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        })
    }

    /// `oneOf`/`anyOf` whose members are all one primitive (e.g. binary or base64 string).
    fn same_primitive(&self, members: &'s [ReferenceOr<Schema>]) -> Option<TypeRef> {
        let mut found: Option<TypeRef> = None;
        for m in members {
            let ReferenceOr::Item(s) = m else { return None };
            let t = match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) if !st.enumeration.iter().any(Option::is_some) => TypeRef::String,
                SchemaKind::Type(Type::Integer(_)) => TypeRef::Integer,
                SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
                SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
                _ => return None,
            };
            if found.as_ref().is_some_and(|f| *f != t) {
                return None;
            }
            found = Some(t);
        }
        found
    }

    /// Defines a named type for a schema.
    fn define(&mut self, schema: &'s Schema, id: &str, name: String) -> Result<TypeDef> {
        let mut notes = Vec::new();
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                TypeKind::StringEnum(enum_values(s.enumeration.iter().flatten().map(String::as_str)))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let mut parts = ObjectParts::default();
                let ext = &schema.schema_data.extensions;
                self.object_parts(&o.properties, &o.required, o.additional_properties.as_ref(), ext, id, &mut parts);
                TypeKind::Struct(self.build_struct(parts, &name)?)
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 && !self.any_object_like(all_of, id)? => {
                let (ty, merged) = self.merge_primitives(all_of, id)?;
                notes.push(format!("merges {} `allOf` members, none of them an object", all_of.len()));
                let mut def = TypeDef {
                    id: id.to_owned(),
                    name,
                    module: self.module,
                    kind: TypeKind::Alias(ty),
                    constraints: merged,
                    notes,
                };
                def.constraints.fill_from(&constraints(schema));
                return Ok(def);
            }
            SchemaKind::AllOf { all_of } if all_of.len() != 1 => {
                let mut parts = ObjectParts::default();
                for (i, member) in all_of.iter().enumerate() {
                    let at = pointer::push(&pointer::push(id, "allOf"), &i.to_string());
                    self.merge_member(member, &at, &mut parts)?;
                }
                notes.push(format!("merges {} `allOf` members", all_of.len()));
                self.merged(parts, &name, &mut notes)?
            }
            // A union of one is that one member, under this schema's name.
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } if members.len() == 1 => {
                match &members[0] {
                    ReferenceOr::Item(inner) => return self.define(inner, id, name),
                    member => TypeKind::Alias(self.type_ref(member, id, &name)?),
                }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if self.same_primitive(members).is_some() =>
            {
                TypeKind::Alias(self.same_primitive(members).unwrap_or(TypeRef::Json))
            }
            SchemaKind::OneOf { one_of } => {
                TypeKind::Union(self.union(schema, one_of, "oneOf", id, &name, &mut notes)?)
            }
            SchemaKind::AnyOf { any_of } => {
                TypeKind::Union(self.union(schema, any_of, "anyOf", id, &name, &mut notes)?)
            }
            SchemaKind::Any(any) => match any_shape(any) {
                AnyShape::Object => {
                    if !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() {
                        notes.push(
                            "object with extra `oneOf`/`anyOf`/`allOf` constraints, kept as one struct".to_owned(),
                        );
                    }
                    let mut parts = ObjectParts::default();
                    for (i, member) in any.all_of.iter().enumerate() {
                        let at = pointer::push(&pointer::push(id, "allOf"), &i.to_string());
                        self.merge_member(member, &at, &mut parts)?;
                    }
                    self.object_parts(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        &schema.schema_data.extensions,
                        id,
                        &mut parts,
                    );
                    self.merged(parts, &name, &mut notes)?
                }
                AnyShape::Union => {
                    let (members, word) =
                        if any.one_of.is_empty() { (&any.any_of, "anyOf") } else { (&any.one_of, "oneOf") };
                    TypeKind::Union(self.union(schema, members, word, id, &name, &mut notes)?)
                }
                _ => TypeKind::Alias(self.anonymous(schema, id, &name)?.unwrap_or(TypeRef::Json)),
            },
            SchemaKind::Not { .. } => return Err(Error::at(id, "unsupported construct `not`")),
            _ => TypeKind::Alias(self.anonymous(schema, id, &name)?.unwrap_or(TypeRef::Json)),
        };
        if let Some(d) = &schema.schema_data.discriminator {
            if !matches!(kind, TypeKind::Union(_)) {
                notes.push(format!("base of subtypes told apart by `{}`", d.property_name));
            }
        }
        Ok(TypeDef { id: id.to_owned(), name, module: self.module, kind, constraints: constraints(schema), notes })
    }

    fn union(
        &mut self,
        schema: &'s Schema,
        members: &'s [ReferenceOr<Schema>],
        word: &str,
        id: &str,
        name: &str,
        notes: &mut Vec<String>,
    ) -> Result<Union> {
        let members_at = pointer::push(id, word);
        let discriminator = schema.schema_data.discriminator.as_ref();
        // A tag we can read is a plain property name; `../event_type` (2.157+) points outside the
        // object, so those members are told apart by shape instead.
        let tag = discriminator.map(|d| d.property_name.as_str()).filter(|p| {
            !p.is_empty() && !p.contains('/') && members.iter().all(|m| matches!(m, ReferenceOr::Reference { .. }))
        });
        if let (Some(d), None) = (discriminator, tag) {
            notes.push(format!(
                "discriminator `{}` cannot be read from the value itself; members are tried in order",
                d.property_name
            ));
        }
        let mut variants: Vec<Variant> = Vec::new();
        let mut idents = Scope::new();
        idents.reserve("Unknown");
        let mut push = |collector: &mut Self, ty: TypeRef, tags: Vec<String>, variants: &mut Vec<Variant>| {
            let base = collector.variant_name(&ty, name);
            variants.push(Variant { ident: idents.claim(&base), ty, tags });
        };
        for (i, member) in members.iter().enumerate() {
            let at = pointer::push(&members_at, &i.to_string());
            let ty = self.type_ref(member, &at, &format!("{name}Variant{}", i + 1))?;
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let tags = match (tag, member) {
                (Some(_), ReferenceOr::Reference { reference }) => {
                    let target = self.spec.schema_ref_name(reference, &at)?;
                    mapping_tags(discriminator, &target, self.spec, id)?
                }
                _ => Vec::new(),
            };
            push(self, ty, tags, &mut variants);
        }
        if let (Some(tag), Some(d)) = (tag, discriminator) {
            notes.push(format!("tagged by `{tag}`"));
            // Mapping entries whose target is not among the members still name a variant.
            let mut extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (value, reference) in &d.mapping {
                let at = pointer::push(&pointer::push(&pointer::push(id, "discriminator"), "mapping"), value);
                let target = self.spec.schema_ref_name(reference, &at)?;
                let ty = TypeRef::Named(component_id(&target));
                if !variants.iter().any(|v| v.ty == ty) {
                    extra.entry(target).or_default().push(value.clone());
                }
            }
            for (target, mut tags) in extra {
                tags.sort();
                push(self, TypeRef::Named(component_id(&target)), tags, &mut variants);
            }
        }
        Ok(Union { tag: tag.map(str::to_owned), variants })
    }

    /// `ResourceNotFoundProblem` in union `Problem` → `ResourceNotFound`.
    fn variant_name(&self, ty: &TypeRef, union: &str) -> String {
        let base = match ty {
            TypeRef::Named(id) => self.name_of(id),
            TypeRef::String => "String".to_owned(),
            TypeRef::Integer => "Integer".to_owned(),
            TypeRef::Number => "Number".to_owned(),
            TypeRef::Boolean => "Boolean".to_owned(),
            TypeRef::Json => "Json".to_owned(),
            TypeRef::Bytes => "Bytes".to_owned(),
            TypeRef::Vec(_) => "Array".to_owned(),
            TypeRef::Map(_) => "Map".to_owned(),
        };
        match base.strip_suffix(union) {
            Some(stripped) if !stripped.is_empty() => stripped.to_owned(),
            _ => base,
        }
    }

    pub fn name_of(&self, id: &str) -> String {
        if let Some(t) = self.types.get(id) {
            return t.name.clone();
        }
        id.strip_prefix("#/components/schemas/")
            .and_then(|n| self.component_names.get(&pointer::unescape(n)))
            .cloned()
            .unwrap_or_else(|| "Value".to_owned())
    }
}

/// Discriminator values that select `target`, or its schema name when the mapping has none.
fn mapping_tags(
    discriminator: Option<&openapiv3::Discriminator>,
    target: &str,
    spec: &Spec,
    at: &str,
) -> Result<Vec<String>> {
    let mut tags = Vec::new();
    if let Some(d) = discriminator {
        for (value, reference) in &d.mapping {
            let here = pointer::push(&pointer::push(&pointer::push(at, "discriminator"), "mapping"), value);
            if spec.schema_ref_name(reference, &here)? == target {
                tags.push(value.clone());
            }
        }
    }
    if tags.is_empty() {
        tags.push(target.to_owned());
    }
    tags.sort();
    Ok(tags)
}

/// Unique variant names for the (de-duplicated) values of a string enum.
pub fn enum_values<'a>(values: impl Iterator<Item = &'a str>) -> Vec<EnumValue> {
    let mut seen = BTreeSet::new();
    let mut idents = Scope::new();
    idents.reserve("Unknown");
    values
        .filter(|v| seen.insert(*v))
        .map(|v| EnumValue { ident: idents.claim(&names::type_name(v)), wire: v.to_owned() })
        .collect()
}

enum AnyShape {
    Object,
    Union,
    Array,
    Primitive(TypeRef),
}

/// What a schema that mixes keywords (openapiv3's `AnySchema`) should become.
fn any_shape(any: &AnySchema) -> AnyShape {
    match any.typ.as_deref() {
        _ if !any.properties.is_empty() => AnyShape::Object,
        Some("object") => AnyShape::Object,
        Some("array") => AnyShape::Array,
        Some("string") => AnyShape::Primitive(TypeRef::String),
        Some("integer") => AnyShape::Primitive(TypeRef::Integer),
        Some("number") => AnyShape::Primitive(TypeRef::Number),
        Some("boolean") => AnyShape::Primitive(TypeRef::Boolean),
        _ if !any.one_of.is_empty() || !any.any_of.is_empty() => AnyShape::Union,
        _ if !any.all_of.is_empty() => AnyShape::Object,
        _ => AnyShape::Primitive(TypeRef::Json),
    }
}

/// The constraints a schema states, for docs and (later) validation.
pub fn constraints(schema: &Schema) -> Constraints {
    use openapiv3::VariantOrUnknownOrEmpty as V;
    let mut c = Constraints::default();
    let fmt = |f: String| Some(f).filter(|f| !f.is_empty());
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.format = match &s.format {
                V::Item(f) => fmt(format!("{f:?}").to_lowercase().replace("datetime", "date-time")),
                V::Unknown(u) => fmt(u.clone()),
                V::Empty => None,
            };
            c.pattern = s.pattern.clone();
            c.min_length = s.min_length.map(|v| v as u64);
            c.max_length = s.max_length.map(|v| v as u64);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.format = match &i.format {
                V::Item(f) => fmt(format!("{f:?}").to_lowercase()),
                V::Unknown(u) => fmt(u.clone()),
                V::Empty => None,
            };
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items.map(|v| v as u64);
            c.max_items = a.max_items.map(|v| v as u64);
            c.unique_items = a.unique_items;
        }
        SchemaKind::Any(any) => {
            c.format = any.format.clone();
            c.pattern = any.pattern.clone();
            c.min_length = any.min_length.map(|v| v as u64);
            c.max_length = any.max_length.map(|v| v as u64);
            c.minimum = any.minimum;
            c.maximum = any.maximum;
            c.min_items = any.min_items.map(|v| v as u64);
            c.max_items = any.max_items.map(|v| v as u64);
            c.unique_items = any.unique_items.unwrap_or(false);
        }
        _ => {}
    }
    c
}

/// Both `Schema` and `Box<Schema>` appear inside `ReferenceOr`.
pub trait AsSchema {
    fn as_schema(&self) -> &Schema;
}
impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}
impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}
