//! Facts the IR does not keep, read from the parsed spec: the constraints on the items of
//! array parameters (`ids` items have a pattern; the IR's `Param` keeps only the array's
//! own constraints, and its item type is a plain `String`).

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};
use std::collections::HashMap;
use xapi_gen::error::pointer;
use xapi_gen::ir::{Api, Constraints};
use xapi_gen::load::Spec;

/// Parameter schema pointer → constraints of its inline array items, where there are any.
pub fn item_constraints(spec: &Spec, api: &Api) -> HashMap<String, Constraints> {
    let mut out = HashMap::new();
    for op in &api.operations {
        for p in &op.params {
            if out.contains_key(&p.pointer) {
                continue;
            }
            if let Some(c) = parameter_at(spec, &p.pointer).and_then(items).filter(|c| !c.is_empty()) {
                out.insert(p.pointer.clone(), c);
            }
        }
    }
    out
}

fn items(param: &Parameter) -> Option<Constraints> {
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &param.parameter_data_ref().format else {
        return None;
    };
    let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind else { return None };
    match array.items.as_ref()? {
        ReferenceOr::Item(item) => Some(xapi_gen::collect::constraints(item)),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The parameter whose schema a pointer names: `#/components/parameters/N/schema`,
/// `#/paths/P/M/parameters/I/schema` or `#/paths/P/parameters/I/schema`.
fn parameter_at<'s>(spec: &'s Spec, at: &str) -> Option<&'s Parameter> {
    let tokens: Vec<String> = at.strip_prefix("#/")?.split('/').map(pointer::unescape).collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let item = match tokens.as_slice() {
        ["components", "parameters", name, "schema"] => spec.api.components.as_ref()?.parameters.get(*name)?,
        ["paths", path, rest @ ..] => {
            let ReferenceOr::Item(path_item) = spec.api.paths.paths.get(*path)? else { return None };
            match rest {
                ["parameters", i, "schema"] => path_item.parameters.get(i.parse::<usize>().ok()?)?,
                [method, "parameters", i, "schema"] => {
                    let (_, op) = path_item.iter().find(|(m, _)| m == method)?;
                    op.parameters.get(i.parse::<usize>().ok()?)?
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    match item {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { .. } => None,
    }
}
