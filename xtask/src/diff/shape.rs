//! Facts about one side's IR that the comparison needs: component names, the definition that
//! states a type's shape (through the aliases dedupe made), structural fingerprints for
//! telling renames from remove + add, and which operations use which component schemas.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use xapi_gen::error::pointer;
use xapi_gen::ir::{Api, Constraints, Operation, ParamLocation, TypeDef, TypeKind, TypeRef};

const SCHEMAS: &str = "#/components/schemas/";
const PARAMETERS: &str = "#/components/parameters/";

/// How deep fingerprints look through named types: deep enough that the many small
/// `{ data: … }` wrappers are told apart by what they wrap.
const DEPTH: u8 = 4;

/// The component schema a type id names, if it is one (not an inline schema inside one).
pub fn component_name(id: &str) -> Option<String> {
    id.strip_prefix(SCHEMAS).filter(|t| !t.contains('/')).map(pointer::unescape)
}

/// The shared component parameter a parameter's schema pointer lies in, if any.
pub fn component_parameter(schema_pointer: &str) -> Option<String> {
    let rest = schema_pointer.strip_prefix(PARAMETERS)?;
    Some(pointer::unescape(rest.split('/').next().unwrap_or(rest)))
}

/// `GET /2/tweets`: how operations are keyed.
pub fn op_key(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

pub fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Dedupe turns a type whose shape repeats another's into an alias of it and says so in a
/// note; such aliases are the generator's choice, not the spec's, so comparisons look through
/// them (and reachability does not count their target as used).
pub fn is_dedupe_alias(def: &TypeDef) -> bool {
    matches!(def.kind, TypeKind::Alias(TypeRef::Named(_))) && def.notes.iter().any(|n| n.starts_with("same shape as"))
}

/// The definition that states a type's shape: `id`'s own, or the one dedupe aliased it to.
pub fn shape_def<'a>(api: &'a Api, id: &str) -> Option<&'a TypeDef> {
    let mut def = api.types.get(id)?;
    // Bounded: the generator rejects alias cycles, but a bound costs nothing.
    for _ in 0..64 {
        match &def.kind {
            TypeKind::Alias(TypeRef::Named(next)) if is_dedupe_alias(def) => def = api.types.get(next)?,
            _ => return Some(def),
        }
    }
    Some(def)
}

/// What a use of a type amounts to: aliases (the spec's `$ref` chains, inline one-member
/// unions, components like `TweetId = string`) are transparent in Rust and on the wire, so a
/// use is followed through them to a primitive, a container or a named struct, enum or union,
/// picking up the constraints the first alias states. Named ids stay as written (dedupe's
/// aliases are not followed here: they change no shape).
pub fn resolve<'x>(api: &'x Api, ty: &'x TypeRef, constraints: &'x Constraints) -> (&'x TypeRef, &'x Constraints) {
    let (mut ty, mut found) = (ty, constraints);
    for _ in 0..64 {
        let TypeRef::Named(id) = ty else { break };
        match shape_def(api, id) {
            Some(TypeDef { kind: TypeKind::Alias(next), constraints, .. }) => {
                if found.is_empty() {
                    found = constraints;
                }
                ty = next;
            }
            _ => break,
        }
    }
    (ty, found)
}

/// No constraints, for [`resolve`]ing a use that states none.
pub static NONE: Constraints = Constraints::NONE;

/// [`resolve`] without the constraints.
pub fn normalize<'x>(api: &'x Api, ty: &'x TypeRef) -> &'x TypeRef {
    resolve(api, ty, &NONE).0
}

/// Hashes constraints field by field (formatting them would cost more than the rest).
pub fn hash_constraints(c: &Constraints, h: &mut impl Hasher) {
    (&c.format, &c.pattern, c.min_length, c.max_length, c.min_items, c.max_items, c.unique_items).hash(h);
    (c.minimum.map(f64::to_bits), c.maximum.map(f64::to_bits)).hash(h);
}

/// A type use as a reviewer reads it: component names, JSON kinds for inline schemas.
pub fn type_text(api: &Api, ty: &TypeRef) -> String {
    match normalize(api, ty) {
        TypeRef::String => "string".to_owned(),
        TypeRef::Integer => "integer".to_owned(),
        TypeRef::Number => "number".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::Json => "any".to_owned(),
        TypeRef::Bytes => "binary".to_owned(),
        TypeRef::Vec(inner) => format!("array of {}", type_text(api, inner)),
        TypeRef::Map(inner) => format!("map of {}", type_text(api, inner)),
        TypeRef::Named(id) => match component_name(id) {
            Some(name) => format!("`{name}`"),
            None => match shape_def(api, id).map(|d| &d.kind) {
                Some(TypeKind::Struct(_)) => "object".to_owned(),
                Some(TypeKind::StringEnum(_)) => "string enum".to_owned(),
                Some(TypeKind::Union(_)) => "oneOf".to_owned(),
                Some(TypeKind::Alias(t)) => type_text(api, t),
                None => "any".to_owned(),
            },
        },
    }
}

/// Structural fingerprints: equal when two types have the same shape whatever their names.
pub struct Shapes<'a> {
    api: &'a Api,
    /// Type id → fingerprint at each depth.
    memo: HashMap<String, [Option<u64>; DEPTH as usize + 1]>,
}

impl<'a> Shapes<'a> {
    pub fn new(api: &'a Api) -> Self {
        Self { api, memo: HashMap::new() }
    }

    pub fn of_ref(&mut self, ty: &TypeRef) -> u64 {
        self.ref_hash(ty, DEPTH)
    }

    pub fn of_type(&mut self, id: &str) -> u64 {
        self.ref_hash(&TypeRef::Named(id.to_owned()), DEPTH)
    }

    /// Uses are hashed as [`resolve`] sees them: through aliases, with the constraints
    /// the first alias states, so that fingerprints agree with what the comparison reports.
    fn ref_hash(&mut self, ty: &TypeRef, depth: u8) -> u64 {
        let (ty, constraints) = resolve(self.api, ty, &NONE);
        self.resolved_hash(ty, constraints, depth)
    }

    fn resolved_hash(&mut self, ty: &TypeRef, constraints: &Constraints, depth: u8) -> u64 {
        let mut h = DefaultHasher::new();
        hash_constraints(constraints, &mut h);
        std::mem::discriminant(ty).hash(&mut h);
        match ty {
            TypeRef::Named(id) => self.def_hash(id, depth).hash(&mut h),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => self.ref_hash(inner, depth).hash(&mut h),
            _ => {}
        }
        h.finish()
    }

    /// The fingerprint of a struct, enum or union (aliases are resolved before this).
    fn def_hash(&mut self, id: &str, depth: u8) -> u64 {
        if let Some(h) = self.memo.get(id).and_then(|m| m[usize::from(depth)]) {
            return h;
        }
        let api = self.api;
        let mut h = DefaultHasher::new();
        match shape_def(api, id).map(|d| &d.kind) {
            None => "missing".hash(&mut h),
            Some(_) if depth == 0 => "deep".hash(&mut h),
            // Only when resolving gave up (an alias loop, which the generator rejects).
            Some(TypeKind::Alias(_)) => "alias".hash(&mut h),
            Some(TypeKind::StringEnum(values)) => {
                let mut wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                wires.sort_unstable();
                ("enum", wires).hash(&mut h);
            }
            Some(TypeKind::Struct(s)) => {
                let mut fields: Vec<(&str, bool, u64)> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let (ty, c) = resolve(api, &f.ty, &f.constraints);
                        (f.wire.as_str(), f.optional, self.resolved_hash(ty, c, depth - 1))
                    })
                    .collect();
                fields.sort();
                let extra = s.additional.as_ref().map(|t| self.ref_hash(t, depth - 1));
                ("struct", fields, extra).hash(&mut h);
            }
            Some(TypeKind::Union(u)) => {
                let mut members: Vec<(Vec<String>, u64)> =
                    u.variants.iter().map(|v| (v.tags.clone(), self.ref_hash(&v.ty, depth - 1))).collect();
                members.sort();
                ("union", &u.tag, members).hash(&mut h);
            }
        }
        let v = h.finish();
        self.memo.entry(id.to_owned()).or_default()[usize::from(depth)] = Some(v);
        v
    }
}

/// Which operations use which component schemas, and in which direction.
#[derive(Debug, Default)]
pub struct Usage {
    /// Operation keys, by operation index.
    keys: Vec<String>,
    /// Component name → indices of the operations that reach it.
    by_component: HashMap<String, Vec<u32>>,
    /// Components reached from parameters or request bodies.
    pub request: HashSet<String>,
    /// Components reached from success responses.
    pub response: HashSet<String>,
}

/// The type graph as indices, so that walking it once per operation allocates nothing.
struct Graph<'a> {
    index: HashMap<&'a str, usize>,
    /// Per type: the component name it is, if any.
    component: Vec<Option<String>>,
    /// Per type: the types it names, and whether the spec names them there (dedupe's aliases
    /// lead to a type of the same shape that the spec does not use at that place).
    children: Vec<Vec<(usize, bool)>>,
}

fn named_in<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(id) => out.push(id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

impl<'a> Graph<'a> {
    fn new(api: &'a Api) -> Self {
        let index: HashMap<&str, usize> = api.types.keys().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let component = api.types.keys().map(|id| component_name(id)).collect();
        let children = api
            .types
            .values()
            .map(|def| {
                let mut ids: Vec<&str> = Vec::new();
                match &def.kind {
                    TypeKind::Struct(s) => {
                        s.fields.iter().for_each(|f| named_in(&f.ty, &mut ids));
                        s.additional.iter().for_each(|t| named_in(t, &mut ids));
                    }
                    TypeKind::Union(u) => u.variants.iter().for_each(|v| named_in(&v.ty, &mut ids)),
                    TypeKind::Alias(t) => named_in(t, &mut ids),
                    TypeKind::StringEnum(_) => {}
                }
                let counted = !is_dedupe_alias(def);
                ids.iter().filter_map(|id| index.get(id)).map(|&i| (i, counted)).collect()
            })
            .collect();
        Self { index, component, children }
    }

    fn roots<'t>(&self, tys: impl Iterator<Item = &'t TypeRef>) -> Vec<usize> {
        let mut ids = Vec::new();
        for ty in tys {
            named_in(ty, &mut ids);
        }
        ids.iter().filter_map(|id| self.index.get(id).copied()).collect()
    }
}

/// Marks for one walk at a time: a slot holds the number of the walk that last set it.
struct Marks {
    seen: Vec<u32>,
    counted: Vec<u32>,
    walk: u32,
}

impl Marks {
    /// The components reached from `roots`, as the spec writes them.
    fn walk(&mut self, graph: &Graph, roots: &[usize]) -> Vec<usize> {
        self.walk += 1;
        let walk = self.walk;
        let mut found = Vec::new();
        let mut stack: Vec<(usize, bool)> = roots.iter().map(|&r| (r, true)).collect();
        while let Some((i, counted)) = stack.pop() {
            if counted && self.counted[i] != walk {
                self.counted[i] = walk;
                if graph.component[i].is_some() {
                    found.push(i);
                }
            }
            if self.seen[i] == walk {
                continue;
            }
            self.seen[i] = walk;
            stack.extend(graph.children[i].iter().copied());
        }
        found
    }
}

impl Usage {
    pub fn of(api: &Api) -> Self {
        let graph = Graph::new(api);
        let n = graph.component.len();
        let mut marks = Marks { seen: vec![0; n], counted: vec![0; n], walk: 0 };
        let mut ops_of: Vec<Vec<u32>> = vec![Vec::new(); n];
        let (mut request, mut response) = (vec![false; n], vec![false; n]);
        let mut keys = Vec::with_capacity(api.operations.len());
        for (k, op) in api.operations.iter().enumerate() {
            keys.push(op_key(op));
            let k = k as u32;
            let req_roots = graph.roots(op.params.iter().map(|p| &p.ty).chain(op.request_body.iter().map(|b| &b.ty)));
            let resp_roots = graph.roots(op.success.iter().filter_map(|s| s.ty.as_ref()));
            for (roots, dir) in [(req_roots, &mut request), (resp_roots, &mut response)] {
                for i in marks.walk(&graph, &roots) {
                    dir[i] = true;
                    if ops_of[i].last() != Some(&k) {
                        ops_of[i].push(k);
                    }
                }
            }
        }
        let mut usage = Self { keys, ..Self::default() };
        for (i, name) in graph.component.into_iter().enumerate() {
            let Some(name) = name else { continue };
            if request[i] {
                usage.request.insert(name.clone());
            }
            if response[i] {
                usage.response.insert(name.clone());
            }
            let mut ops = std::mem::take(&mut ops_of[i]);
            if !ops.is_empty() {
                ops.sort_unstable();
                ops.dedup();
                usage.by_component.insert(name, ops);
            }
        }
        usage
    }

    /// Keys of the operations that use a component schema.
    pub fn ops(&self, component: &str) -> impl Iterator<Item = &str> {
        let ops = self.by_component.get(component).map(Vec::as_slice).unwrap_or_default();
        ops.iter().filter_map(|&k| self.keys.get(k as usize)).map(String::as_str)
    }
}

/// Component name → type id, for every component schema.
pub fn components(api: &Api) -> BTreeMap<String, &str> {
    api.types.keys().filter_map(|id| component_name(id).map(|n| (n, id.as_str()))).collect()
}
