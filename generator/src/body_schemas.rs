//! Phase one for request bodies: the schemas a body is checked against before it is sent.
//!
//! The typed models lose facts a check needs (inline item patterns, `additionalProperties:
//! false`, `anyOf` alternatives, the pointer of each constraint), so bodies get their own graph,
//! read straight from the spec: one node per schema, keyed by its JSON pointer after `$ref`
//! resolution. Recursive schemas are fine: a node is visited once and referred to by pointer.

use crate::collect::{constraints, AsSchema};
use crate::error::{pointer, Error, Result};
use crate::ir::{NodeKind, SchemaNode};
use crate::load::Spec;
use crate::names::{self, Scope};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, HashMap};

/// The nodes reachable from request bodies, by pointer.
#[derive(Debug, Default)]
pub struct BodySchemas<'s> {
    pub nodes: BTreeMap<String, SchemaNode>,
    names: Scope,
    /// Claimed nodes whose schema is still to be read.
    pending: Vec<(String, &'s Schema)>,
    /// `$ref` → the schema it resolves to and its pointer, for references already followed.
    resolved: HashMap<&'s str, (&'s Schema, String)>,
}

impl<'s> BodySchemas<'s> {
    /// Adds the schema at `at` and everything it reaches; returns the pointer of its node.
    /// Works through a list rather than recursion, so no chain of `$ref`s is too long.
    pub fn add<S: AsSchema>(&mut self, spec: &'s Spec, item: &'s ReferenceOr<S>, at: &str) -> Result<String> {
        let root = self.target(spec, item, at)?;
        while let Some((here, schema)) = self.pending.pop() {
            let node = self.node(spec, schema, &here)?;
            if let Some(slot) = self.nodes.get_mut(&here) {
                *slot = SchemaNode { name: std::mem::take(&mut slot.name), ..node };
            }
        }
        Ok(root)
    }

    /// The pointer of the node for `item`, claiming it (and queueing its schema) if new.
    fn target<S: AsSchema>(&mut self, spec: &'s Spec, item: &'s ReferenceOr<S>, at: &str) -> Result<String> {
        let (schema, here) = match item {
            ReferenceOr::Item(s) => (s.as_schema(), at.to_owned()),
            ReferenceOr::Reference { reference } => match self.resolved.get(reference.as_str()) {
                Some((schema, here)) => (*schema, here.clone()),
                None => {
                    let name = spec.schema_ref_name(reference, at)?;
                    let target = pointer::push("#/components/schemas", &name);
                    let item =
                        spec.schema(&name).ok_or_else(|| Error::at(at, format!("dangling $ref `{reference}`")))?;
                    let found = spec.resolve_schema(item, &target)?;
                    self.resolved.insert(reference, (found.0, found.1.clone()));
                    found
                }
            },
        };
        if !self.nodes.contains_key(&here) {
            let name = self.names.claim(&static_name(&here));
            self.nodes.insert(here.clone(), SchemaNode { name, ..SchemaNode::default() });
            self.pending.push((here.clone(), schema));
        }
        Ok(here)
    }

    fn node(&mut self, spec: &'s Spec, schema: &'s Schema, at: &str) -> Result<SchemaNode> {
        let mut node = SchemaNode {
            nullable: schema.schema_data.nullable,
            constraints: constraints(schema),
            additional: true,
            ..SchemaNode::default()
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                node.kind = NodeKind::String;
                node.nullable |= s.enumeration.iter().any(Option::is_none);
                node.values = s.enumeration.iter().flatten().cloned().collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                node.kind = NodeKind::Integer;
                node.values = i.enumeration.iter().flatten().map(i64::to_string).collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                node.kind = NodeKind::Number;
                node.values = n.enumeration.iter().flatten().map(|v| v.to_string()).collect();
            }
            SchemaKind::Type(Type::Boolean(_)) => node.kind = NodeKind::Boolean,
            SchemaKind::Type(Type::Array(a)) => {
                node.kind = NodeKind::Array;
                if let Some(items) = &a.items {
                    node.items = Some(self.target(spec, items, &pointer::push(at, "items"))?);
                }
            }
            SchemaKind::Type(Type::Object(o)) => {
                node.kind = NodeKind::Object;
                self.object(spec, &o.properties, &o.required, o.additional_properties.as_ref(), at, &mut node)?;
            }
            SchemaKind::OneOf { one_of } => node.any_of = self.list(spec, one_of, at, "oneOf")?,
            SchemaKind::AnyOf { any_of } => node.any_of = self.list(spec, any_of, at, "anyOf")?,
            SchemaKind::AllOf { all_of } => node.all_of = self.list(spec, all_of, at, "allOf")?,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                node.kind = match any.typ.as_deref() {
                    Some("string") => NodeKind::String,
                    Some("integer") => NodeKind::Integer,
                    Some("number") => NodeKind::Number,
                    Some("boolean") => NodeKind::Boolean,
                    Some("array") => NodeKind::Array,
                    Some("object") => NodeKind::Object,
                    _ => NodeKind::Any,
                };
                node.nullable |= any.enumeration.iter().any(serde_json::Value::is_null);
                node.values = any
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect();
                if let Some(items) = &any.items {
                    node.items = Some(self.target(spec, items, &pointer::push(at, "items"))?);
                }
                self.object(spec, &any.properties, &any.required, any.additional_properties.as_ref(), at, &mut node)?;
                node.any_of = self.list(spec, &any.one_of, at, "oneOf")?;
                node.any_of.extend(self.list(spec, &any.any_of, at, "anyOf")?);
                node.all_of = self.list(spec, &any.all_of, at, "allOf")?;
            }
        }
        Ok(node)
    }

    fn object(
        &mut self,
        spec: &'s Spec,
        properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &str,
        node: &mut SchemaNode,
    ) -> Result<()> {
        let base = pointer::push(at, "properties");
        for (name, schema) in properties {
            let target = self.target(spec, schema, &pointer::push(&base, name))?;
            node.properties.push((name.clone(), target));
        }
        node.required = required.to_vec();
        node.additional = !matches!(additional, Some(AdditionalProperties::Any(false)));
        Ok(())
    }

    fn list(&mut self, spec: &'s Spec, members: &'s [ReferenceOr<Schema>], at: &str, key: &str) -> Result<Vec<String>> {
        let base = pointer::push(at, key);
        let mut out = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            out.push(self.target(spec, member, &pointer::push(&base, &i.to_string()))?);
        }
        Ok(out)
    }
}

/// `TWEET_CREATE_REQUEST_REPLY_IN_REPLY_TO_TWEET_ID` for
/// `#/components/schemas/TweetCreateRequest/properties/reply/properties/in_reply_to_tweet_id`.
fn static_name(at: &str) -> String {
    let rest = at.strip_prefix("#/components/schemas/").unwrap_or(at.trim_start_matches("#/"));
    let mut words = String::with_capacity(rest.len());
    for token in rest.split('/').filter(|t| *t != "properties") {
        if !words.is_empty() {
            words.push(' ');
        }
        if token.contains('~') {
            words.push_str(&pointer::unescape(token));
        } else {
            words.push_str(token);
        }
    }
    names::const_name(&words)
}

#[cfg(test)]
mod tests {
    #[test]
    fn static_names_read_like_the_pointer() {
        assert_eq!(
            super::static_name(
                "#/components/schemas/TweetCreateRequest/properties/reply/properties/in_reply_to_tweet_id"
            ),
            "TWEET_CREATE_REQUEST_REPLY_IN_REPLY_TO_TWEET_ID"
        );
        assert_eq!(super::static_name("#/components/schemas/A/items/anyOf/0"), "A_ITEMS_ANY_OF_0");
        assert_eq!(super::static_name("#/paths/~12~1x/post/requestBody"), "PATHS_2_X_POST_REQUEST_BODY");
        assert_eq!(super::static_name("#/components/schemas/9lives"), "N_9LIVES");
    }
}
