//! Constraints (`pattern`, `minLength`/`maxLength`, `minimum`/`maximum`/
//! `exclusive*`, `multipleOf`, `minItems`/`maxItems`/`uniqueItems`,
//! `minProperties`/`maxProperties`) checked before a request is sent.
//!
//! Generated types stay plain, so reading never fails on a constraint the API
//! itself breaks; requests are checked before anything is sent. This part of
//! `ir` decides what is checked where:
//!
//! 1. [`Builder::raw_checks`] reads the constraint keywords of the schema of
//!    a parameter or body (while operations are built), or of a field, union
//!    variant, extra-keys map or alias (once every type is built): its own,
//!    those of the schemas it only wraps or refers to (unless they are a
//!    generated type, which checks its own), and those of its array items
//!    and map values. Patterns are compiled with `regex-lite`, the engine the
//!    runtime uses: one it cannot compile (invalid, or look-around and other
//!    unsupported syntax) is reported as a warning naming its JSON pointer,
//!    and not checked.
//! 2. Once the type graph is complete, [`Builder::resolve_checks`] merges in
//!    the constraints of alias types (`type Id = String;` has no method of
//!    its own), keeps the constraints that apply to the Rust type (`minLength`
//!    to strings, `minimum` to numbers, …), decides which structs and unions
//!    get a `validate` method (those with constraints anywhere beneath them,
//!    a fixed point over the possibly cyclic graph) and marks where such a
//!    method must be called.
//!
//! Emit only walks the resulting [`Check`]s.

use serde_json::{Number, Value};

use super::{BodyKind, Builder, Operation, Ty, TypeDef, TypeId, TypeKind, is_null_schema};
use crate::diag::push_pointer;
use crate::spec;

/// What is checked on one value before a request is sent.
///
/// A check mirrors the value's [`Ty`] with `Option`s and aliases looked
/// through: `rules` apply to the value itself, `each` to every item of a
/// `Vec` or value of a map, and `nested` says the value is a generated struct
/// or union whose own `validate` method must be called.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Check {
    /// Constraints on the value itself, in a fixed keyword order.
    pub rules: Vec<Rule>,
    /// Checks of each array item or map value.
    pub each: Option<Box<Check>>,
    /// Whether the value has a `validate` method to call.
    pub nested: bool,
}

impl Check {
    fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.each.is_none() && !self.nested
    }

    fn push(&mut self, rule: Rule) {
        if !self.rules.contains(&rule) {
            self.rules.push(rule);
        }
    }

    /// `self` with the rules of `other` added (deduplicated), recursively.
    fn merged(&self, other: Option<&Check>) -> Check {
        let mut out = self.clone();
        let Some(other) = other else { return out };
        for r in &other.rules {
            out.push(r.clone());
        }
        out.each = match (&self.each, &other.each) {
            (Some(a), b) => Some(Box::new(a.merged(b.as_deref()))),
            (None, Some(b)) => Some(b.clone()),
            (None, None) => None,
        };
        out.nested |= other.nested;
        out
    }
}

/// One constraint keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// `minLength` (Unicode code points).
    MinLength(u64),
    /// `maxLength` (Unicode code points).
    MaxLength(u64),
    /// `pattern`, known to compile with `regex-lite`.
    Pattern(String),
    /// `minimum`.
    Minimum(Number),
    /// 3.1 `exclusiveMinimum: n`, or 3.0 `minimum` with `exclusiveMinimum: true`.
    ExclusiveMinimum(Number),
    /// `maximum`.
    Maximum(Number),
    /// 3.1 `exclusiveMaximum: n`, or 3.0 `maximum` with `exclusiveMaximum: true`.
    ExclusiveMaximum(Number),
    /// `multipleOf` (positive).
    MultipleOf(Number),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `minProperties` (maps only).
    MinProperties(u64),
    /// `maxProperties` (maps only).
    MaxProperties(u64),
}

/// What kind of value a rule constrains.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Applies {
    String,
    Number,
    Array,
    Map,
}

impl Rule {
    fn applies(&self) -> Applies {
        match self {
            Rule::MinLength(_) | Rule::MaxLength(_) | Rule::Pattern(_) => Applies::String,
            Rule::Minimum(_)
            | Rule::ExclusiveMinimum(_)
            | Rule::Maximum(_)
            | Rule::ExclusiveMaximum(_)
            | Rule::MultipleOf(_) => Applies::Number,
            Rule::MinItems(_) | Rule::MaxItems(_) | Rule::UniqueItems => Applies::Array,
            Rule::MinProperties(_) | Rule::MaxProperties(_) => Applies::Map,
        }
    }
}

/// What a generated struct's or union's `validate` method checks. Present
/// (in [`TypeDef::checks`]) exactly on the types that have the method.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeChecks {
    /// Struct: one entry per field (index-aligned with its fields).
    pub fields: Vec<Option<Check>>,
    /// Union: one entry per variant (index-aligned with its variants).
    pub variants: Vec<Option<Check>>,
    /// Struct: the flattened map of extra keys.
    pub extra: Option<Check>,
}

impl TypeChecks {
    fn is_empty(&self) -> bool {
        self.fields
            .iter()
            .chain(&self.variants)
            .all(Option::is_none)
            && self.extra.is_none()
    }
}

/// `ty` without `Option` layers.
fn strip_option(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => strip_option(inner),
        other => other,
    }
}

/// Makes the rule of a count keyword (`minLength`, …).
type CountRule = fn(u64) -> Rule;
/// Makes the rule of a bound keyword (`minimum`, …).
type BoundRule = fn(Number) -> Rule;

/// A non-negative integer keyword value (`1` or `1.0`).
fn count(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f <= u64::MAX as f64)
            .map(|f| f as u64)
    })
}

impl<'a> Builder<'_, 'a> {
    /// The constraints of schema `v` (at `ptr`) used as a value of type `ty`;
    /// `None` when it has none. Applicability is decided later, by
    /// [`Self::resolve_checks`], when every type is known.
    pub(super) fn raw_checks(&mut self, v: &'a Value, ptr: &str, ty: &Ty) -> Option<Check> {
        let mut c = Check::default();
        self.collect_checks(v, ptr, ty, &mut c, 0);
        (!c.is_empty()).then_some(c)
    }

    fn collect_checks(&mut self, v: &'a Value, ptr: &str, ty: &Ty, c: &mut Check, depth: usize) {
        if depth > 32 || !v.is_object() {
            return;
        }
        let base = strip_option(ty);
        // A type generated for this very schema checks it itself.
        if matches!(base, Ty::Named(id) if self.types[*id].pointer == ptr) {
            return;
        }
        self.own_rules(v, ptr, c);
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            if let Some(target) = spec::local_ref_pointer(r) {
                if let Some(t) = self.doc.lookup(&target) {
                    self.collect_checks(t, &target, ty, c, depth + 1);
                }
            }
            return;
        }
        // Every `allOf` member must hold; a `oneOf`/`anyOf` with one non-null
        // member is that member.
        if let Some(all) = v.get("allOf").and_then(Value::as_array) {
            for (i, m) in all.iter().enumerate() {
                self.collect_checks(m, &format!("{ptr}/allOf/{i}"), ty, c, depth + 1);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = v.get(key).and_then(Value::as_array) {
                let members: Vec<usize> = (0..list.len())
                    .filter(|&i| !is_null_schema(&list[i]))
                    .collect();
                if let [i] = members[..] {
                    self.collect_checks(&list[i], &format!("{ptr}/{key}/{i}"), ty, c, depth + 1);
                }
            }
        }
        let (inner, key) = match base {
            Ty::Vec(inner) => (inner, "items"),
            Ty::Map(inner) => (inner, "additionalProperties"),
            _ => return,
        };
        if let Some(sub) = v.get(key).filter(|s| s.is_object()) {
            let mut each = c.each.take().map(|b| *b).unwrap_or_default();
            self.collect_checks(sub, &push_pointer(ptr, key), inner, &mut each, depth + 1);
            c.each = (!each.is_empty()).then(|| Box::new(each));
        }
    }

    /// The constraint keywords written on `v` itself.
    fn own_rules(&mut self, v: &'a Value, ptr: &str, c: &mut Check) {
        let counts: [(&str, CountRule); 6] = [
            ("minLength", Rule::MinLength),
            ("maxLength", Rule::MaxLength),
            ("minItems", Rule::MinItems),
            ("maxItems", Rule::MaxItems),
            ("minProperties", Rule::MinProperties),
            ("maxProperties", Rule::MaxProperties),
        ];
        for (key, make) in counts {
            if let Some(x) = v.get(key) {
                match count(x) {
                    Some(n) => c.push(make(n)),
                    None => self.warn_once(
                        &push_pointer(ptr, key),
                        format!("`{key}` must be a non-negative integer; it is not checked"),
                    ),
                }
            }
        }
        if let Some(p) = v.get("pattern") {
            let pp = push_pointer(ptr, "pattern");
            match p.as_str() {
                Some(source) => match regex_lite::Regex::new(source) {
                    Ok(_) => c.push(Rule::Pattern(source.to_owned())),
                    Err(e) => self.warn_once(
                        &pp,
                        format!("pattern `{source}` is not checked before sending: {e}"),
                    ),
                },
                None => self.warn_once(&pp, "`pattern` must be a string; it is not checked"),
            }
        }
        // 3.0: `minimum` + `exclusiveMinimum: true`; 3.1: `exclusiveMinimum: n`.
        // Both forms are read in either version.
        let bounds: [(&str, &str, BoundRule, BoundRule); 2] = [
            (
                "minimum",
                "exclusiveMinimum",
                Rule::Minimum,
                Rule::ExclusiveMinimum,
            ),
            (
                "maximum",
                "exclusiveMaximum",
                Rule::Maximum,
                Rule::ExclusiveMaximum,
            ),
        ];
        for (key, exclusive_key, inclusive, exclusive) in bounds {
            let flag = v.get(exclusive_key).and_then(Value::as_bool) == Some(true);
            match v.get(key) {
                Some(Value::Number(n)) if flag => c.push(exclusive(n.clone())),
                Some(Value::Number(n)) => c.push(inclusive(n.clone())),
                Some(_) => self.warn_once(
                    &push_pointer(ptr, key),
                    format!("`{key}` must be a number; it is not checked"),
                ),
                None => {}
            }
            match v.get(exclusive_key) {
                Some(Value::Number(n)) => c.push(exclusive(n.clone())),
                Some(Value::Bool(_)) | None => {}
                Some(_) => self.warn_once(
                    &push_pointer(ptr, exclusive_key),
                    format!("`{exclusive_key}` must be a number or a boolean; it is not checked"),
                ),
            }
        }
        if let Some(m) = v.get("multipleOf") {
            match m {
                Value::Number(n) if n.as_f64().is_some_and(|f| f > 0.0) => {
                    c.push(Rule::MultipleOf(n.clone()))
                }
                _ => self.warn_once(
                    &push_pointer(ptr, "multipleOf"),
                    "`multipleOf` must be a number greater than 0; it is not checked",
                ),
            }
        }
        if v.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            c.push(Rule::UniqueItems);
        }
    }

    /// A warning, unless one was already given for `pointer` (a schema can
    /// be reached from several places).
    fn warn_once(&mut self, pointer: &str, msg: impl Into<String>) {
        if !self.diags.iter().any(|d| d.pointer == pointer) {
            self.warning(pointer, msg);
        }
    }

    /// Finishes every [`Check`] once the type graph is complete (see the
    /// module documentation): sets [`TypeDef::checks`] on the types that get
    /// a `validate` method, and the checks of parameters and bodies.
    pub(super) fn resolve_checks(&mut self, operations: &mut [Operation]) {
        let n = self.types.len();
        let mut raw = vec![Raw::default(); n];
        for (id, slot) in raw.iter_mut().enumerate() {
            *slot = self.raw_type_checks(id);
        }
        let mut cx = Resolve {
            types: &self.types,
            raw,
            validates: vec![false; n],
        };
        // Which types get a `validate` method: a fixed point, as the graph
        // may be cyclic (a type validates if anything beneath it does).
        loop {
            let mut changed = false;
            for id in 0..n {
                if !cx.validates[id] && !cx.type_checks(id).is_empty() {
                    cx.validates[id] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for op in operations.iter_mut() {
            for p in &mut op.params {
                p.checks = cx.finish(p.checks.as_ref(), &p.ty, 0);
            }
            if let Some(b) = &mut op.body {
                b.checks = match b.kind.serde_ty() {
                    Some(ty) if !matches!(b.kind, BodyKind::MultipartValue(_)) => {
                        cx.finish(b.checks.as_ref(), ty, 0)
                    }
                    _ => None,
                };
            }
        }
        let finished: Vec<Option<TypeChecks>> = (0..n)
            .map(|id| cx.validates[id].then(|| cx.type_checks(id)))
            .collect();
        for (t, checks) in self.types.iter_mut().zip(finished) {
            t.checks = checks;
        }
    }

    /// The raw checks of a type's parts, read from the schemas they come from.
    fn raw_type_checks(&mut self, id: TypeId) -> Raw {
        let ptr = self.types[id].pointer.clone();
        let schema = self.doc.lookup(&ptr).filter(|v| v.is_object());
        let mut out = Raw::default();
        match &self.types[id].kind {
            TypeKind::Alias(ty) => {
                let ty = ty.clone();
                if let Some(v) = schema {
                    out.alias = self.raw_checks(v, &ptr, &ty);
                }
            }
            TypeKind::Struct(s) => {
                let fields: Vec<(String, Ty)> = s
                    .fields
                    .iter()
                    .map(|f| (f.pointer.clone(), f.ty.clone()))
                    .collect();
                let extra = s.extra.as_ref().map(|(_, ty)| ty.clone());
                for (fp, ty) in fields {
                    let c = match self.doc.lookup(&fp) {
                        Some(v) => self.raw_checks(v, &fp, &ty),
                        None => None,
                    };
                    out.slots.push(c);
                }
                // Extra values: the constraints of `additionalProperties`
                // when the schema declares it itself (not through `allOf`).
                if let Some(inner) = extra {
                    let mut each = Check::default();
                    let ap = schema.and_then(|v| v.get("additionalProperties"));
                    if let Some(ap) = ap.filter(|a| a.is_object()) {
                        let app = push_pointer(&ptr, "additionalProperties");
                        self.collect_checks(ap, &app, &inner, &mut each, 0);
                    }
                    out.extra = Some(Check {
                        each: (!each.is_empty()).then(|| Box::new(each)),
                        ..Check::default()
                    });
                    out.extra_ty = Some(Ty::Map(Box::new(inner)));
                }
            }
            TypeKind::Union(u) => {
                let tys: Vec<Ty> = u.variants.iter().map(|v| v.ty.clone()).collect();
                out.slots = vec![None; tys.len()];
                let Some(v) = schema else { return out };
                // `oneOf`/`anyOf`: each non-null member is a variant, in
                // order; `type: [a, b]`: the schema itself, per type.
                let members: Vec<(String, &'a Value)> = ["oneOf", "anyOf"]
                    .into_iter()
                    .find_map(|key| {
                        v.get(key).and_then(Value::as_array).map(|list| {
                            list.iter()
                                .enumerate()
                                .filter(|(_, m)| !is_null_schema(m))
                                .map(|(i, m)| (format!("{ptr}/{key}/{i}"), m))
                                .collect()
                        })
                    })
                    .unwrap_or_default();
                if members.is_empty() {
                    for (i, ty) in tys.iter().enumerate() {
                        out.slots[i] = self.raw_checks(v, &ptr, ty);
                    }
                } else if members.len() == tys.len() {
                    for (i, ((mp, m), ty)) in members.into_iter().zip(&tys).enumerate() {
                        out.slots[i] = self.raw_checks(m, &mp, ty);
                    }
                }
            }
            _ => {}
        }
        out
    }
}

/// Raw checks of one type's parts.
#[derive(Debug, Clone, Default)]
struct Raw {
    /// Alias: the aliased schema's own checks, merged into every use.
    alias: Option<Check>,
    /// Struct fields or union variants, index-aligned.
    slots: Vec<Option<Check>>,
    /// Struct: checks of the extra-keys map, and its type.
    extra: Option<Check>,
    extra_ty: Option<Ty>,
}

/// Whether every value of integer type `ty` satisfies `rule`.
fn implied_by_type(rule: &Rule, ty: &Ty) -> bool {
    let (min, max): (i128, i128) = match ty {
        Ty::I8 => (i8::MIN.into(), i8::MAX.into()),
        Ty::I16 => (i16::MIN.into(), i16::MAX.into()),
        Ty::I32 => (i32::MIN.into(), i32::MAX.into()),
        Ty::I64 => (i64::MIN.into(), i64::MAX.into()),
        Ty::U8 => (0, u8::MAX.into()),
        Ty::U16 => (0, u16::MAX.into()),
        Ty::U32 => (0, u32::MAX.into()),
        Ty::U64 => (0, u64::MAX.into()),
        _ => return false,
    };
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match rule {
        Rule::Minimum(n) => int(n).is_some_and(|b| b <= min),
        Rule::ExclusiveMinimum(n) => int(n).is_some_and(|b| b < min),
        Rule::Maximum(n) => int(n).is_some_and(|b| b >= max),
        Rule::ExclusiveMaximum(n) => int(n).is_some_and(|b| b > max),
        _ => false,
    }
}

/// State of [`Builder::resolve_checks`].
struct Resolve<'t> {
    types: &'t [TypeDef],
    raw: Vec<Raw>,
    /// Whether each type has a `validate` method (so far).
    validates: Vec<bool>,
}

impl Resolve<'_> {
    /// What a type's `validate` method would check (empty: no method).
    fn type_checks(&self, id: TypeId) -> TypeChecks {
        let raw = &self.raw[id];
        let slot =
            |i: usize, ty: &Ty| self.finish(raw.slots.get(i).and_then(Option::as_ref), ty, 0);
        match &self.types[id].kind {
            TypeKind::Struct(s) => TypeChecks {
                fields: s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| slot(i, &f.ty))
                    .collect(),
                variants: Vec::new(),
                extra: raw
                    .extra_ty
                    .as_ref()
                    .and_then(|ty| self.finish(raw.extra.as_ref(), ty, 0)),
            },
            TypeKind::Union(u) => TypeChecks {
                fields: Vec::new(),
                variants: u
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| slot(i, &v.ty))
                    .collect(),
                extra: None,
            },
            _ => TypeChecks::default(),
        }
    }

    /// The final check of a value of type `ty` with raw checks `raw`: alias
    /// constraints merged in, only applicable rules kept, `nested` set where
    /// a `validate` method exists. `None` when nothing is to be checked.
    fn finish(&self, raw: Option<&Check>, ty: &Ty, depth: usize) -> Option<Check> {
        if depth > self.types.len() + 32 {
            return None;
        }
        let empty = Check::default();
        let raw = raw.unwrap_or(&empty);
        let keep = |applies: Applies| -> Vec<Rule> {
            raw.rules
                .iter()
                .filter(|r| r.applies() == applies)
                .cloned()
                .collect()
        };
        let mut out = Check::default();
        match ty {
            Ty::Option(inner) => return self.finish(Some(raw), inner, depth + 1),
            Ty::Named(id) => match &self.types[*id].kind {
                // A recursive alias is a newtype: its contents are not
                // checked (it would need a `validate` of its own).
                TypeKind::Alias(_) if self.types[*id].newtype => {}
                TypeKind::Alias(inner) => {
                    let merged = raw.merged(self.raw[*id].alias.as_ref());
                    return self.finish(Some(&merged), inner, depth + 1);
                }
                TypeKind::Struct(_) | TypeKind::Union(_) => out.nested = self.validates[*id],
                _ => {}
            },
            Ty::String => out.rules = keep(Applies::String),
            t if t.is_fixed_number() || *t == Ty::Number => {
                out.rules = keep(Applies::Number);
                // Bounds the Rust type already guarantees (`minimum: 0` on
                // an unsigned integer) are not worth a check.
                out.rules.retain(|r| !implied_by_type(r, ty));
            }
            Ty::Vec(inner) => {
                out.rules = keep(Applies::Array);
                out.each = self
                    .finish(raw.each.as_deref(), inner, depth + 1)
                    .map(Box::new);
            }
            Ty::Map(inner) => {
                out.rules = keep(Applies::Map);
                out.each = self
                    .finish(raw.each.as_deref(), inner, depth + 1)
                    .map(Box::new);
            }
            _ => {}
        }
        (!out.is_empty()).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::ir::Api;

    fn build_api(schemas: &str, paths: &str) -> (Api, Diagnostics) {
        let (api, diags) = crate::ir::tests::build_api(schemas, paths);
        (api.unwrap_or_else(|| panic!("{diags}")), diags)
    }

    fn checks<'a>(api: &'a Api, name: &str) -> Option<&'a TypeChecks> {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap()
            .checks
            .as_ref()
    }

    fn n(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    fn rules(rules: Vec<Rule>) -> Option<Check> {
        Some(Check {
            rules,
            ..Check::default()
        })
    }

    #[test]
    fn alias_constraints_are_merged_into_uses_and_kept_where_they_apply() {
        let (api, diags) = build_api(
            r##"{
                "Id": {"type": "string", "pattern": "^a", "maxLength": 3},
                "Count": {"type": "integer", "minimum": 1, "minLength": 2},
                "P": {"type": "object", "properties": {
                    "id": {"$ref": "#/components/schemas/Id", "minLength": 1},
                    "n": {"$ref": "#/components/schemas/Count"},
                    "ids": {"type": "array", "items": {"$ref": "#/components/schemas/Id"}, "minItems": 1},
                    "free": {"type": "string"},
                    "flag": {"type": "boolean", "minimum": 1}}}
            }"##,
            "{}",
        );
        assert!(diags.is_empty(), "{diags}");
        let p = checks(&api, "P").expect("P has constraints");
        let id = vec![
            Rule::MinLength(1),
            Rule::MaxLength(3),
            Rule::Pattern("^a".into()),
        ];
        assert_eq!(p.fields[0], rules(id));
        // `minLength` does not apply to an integer, nor `minimum` to a bool.
        assert_eq!(p.fields[1], rules(vec![Rule::Minimum(n("1"))]));
        assert_eq!(
            p.fields[2],
            Some(Check {
                rules: vec![Rule::MinItems(1)],
                each: Some(Box::new(Check {
                    rules: vec![Rule::MaxLength(3), Rule::Pattern("^a".into())],
                    ..Check::default()
                })),
                nested: false,
            })
        );
        assert_eq!(p.fields[3], None);
        assert_eq!(p.fields[4], None);
        // Aliases have no method of their own.
        assert_eq!(checks(&api, "Id"), None);
    }

    #[test]
    fn validate_methods_follow_the_graph_through_cycles() {
        let (api, _) = build_api(
            r##"{
                "A": {"type": "object", "properties": {
                    "b": {"$ref": "#/components/schemas/B"},
                    "more": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}},
                "B": {"type": "object", "properties": {
                    "a": {"$ref": "#/components/schemas/A"},
                    "s": {"type": "string", "minLength": 1}}},
                "C": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/C"}, "x": {"type": "string"}}},
                "D": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/C"}}}
            }"##,
            "{}",
        );
        let nested = Some(Check {
            nested: true,
            ..Check::default()
        });
        let a = checks(&api, "A").expect("A reaches B's constraint");
        assert_eq!(a.fields[0], nested);
        assert_eq!(
            a.fields[1],
            Some(Check {
                each: Some(Box::new(nested.clone().unwrap())),
                ..Check::default()
            })
        );
        let b = checks(&api, "B").expect("B has a constraint");
        assert_eq!(b.fields[0], nested);
        assert_eq!(b.fields[1], rules(vec![Rule::MinLength(1)]));
        assert_eq!(checks(&api, "C"), None, "a cycle with nothing to check");
        assert_eq!(checks(&api, "D"), None);
    }

    #[test]
    fn both_exclusive_forms_are_read() {
        let (api, _) = build_api(
            r##"{"P": {"type": "object", "properties": {
                "a": {"type": "number", "minimum": 1, "exclusiveMinimum": true, "maximum": 2, "exclusiveMaximum": false},
                "b": {"type": "integer", "exclusiveMinimum": -1, "exclusiveMaximum": 5, "multipleOf": 2}}}}"##,
            "{}",
        );
        let p = checks(&api, "P").unwrap();
        assert_eq!(
            p.fields[0],
            rules(vec![Rule::ExclusiveMinimum(n("1")), Rule::Maximum(n("2"))])
        );
        assert_eq!(
            p.fields[1],
            rules(vec![
                Rule::ExclusiveMinimum(n("-1")),
                Rule::ExclusiveMaximum(n("5")),
                Rule::MultipleOf(n("2")),
            ])
        );
    }

    #[test]
    fn bounds_the_rust_type_guarantees_are_dropped() {
        let (api, _) = build_api(
            r##"{"P": {"type": "object", "properties": {
                "a": {"type": "integer", "format": "uint32", "minimum": 0, "maximum": 4294967295},
                "b": {"type": "integer", "format": "int32", "exclusiveMinimum": -2147483649},
                "c": {"type": "integer", "format": "uint8", "minimum": 1, "maximum": 255},
                "d": {"type": "integer", "minimum": 0}}}}"##,
            "{}",
        );
        let p = checks(&api, "P").unwrap();
        assert_eq!(p.fields[0], None);
        assert_eq!(p.fields[1], None);
        assert_eq!(p.fields[2], rules(vec![Rule::Minimum(n("1"))]));
        assert_eq!(p.fields[3], rules(vec![Rule::Minimum(n("0"))]));
    }

    #[test]
    fn unusable_constraints_warn_once_with_their_pointer() {
        let (api, diags) = build_api(
            r##"{
                "Q": {"type": "object", "properties": {
                    "x": {"type": "string", "pattern": "(?=x)", "minLength": -1},
                    "y": {"type": "number", "multipleOf": 0}}},
                "P": {"type": "object", "properties": {
                    "a": {"$ref": "#/components/schemas/Q/properties/x"},
                    "b": {"$ref": "#/components/schemas/Q/properties/x"}}}
            }"##,
            "{}",
        );
        let shown: Vec<(String, String)> = diags
            .iter()
            .map(|d| (d.pointer.clone(), d.message.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "/components/schemas/Q/properties/x/minLength".to_owned(),
                    "`minLength` must be a non-negative integer; it is not checked".to_owned()
                ),
                (
                    "/components/schemas/Q/properties/x/pattern".to_owned(),
                    "pattern `(?=x)` is not checked before sending: look-around is not supported"
                        .to_owned()
                ),
                (
                    "/components/schemas/Q/properties/y/multipleOf".to_owned(),
                    "`multipleOf` must be a number greater than 0; it is not checked".to_owned()
                ),
            ]
        );
        assert_eq!(checks(&api, "Q"), None);
        assert_eq!(checks(&api, "P"), None);
    }

    #[test]
    fn parameters_and_bodies() {
        let (api, _) = build_api(
            r##"{"Id": {"type": "string", "pattern": "^id_"},
                 "Item": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 9}}}}"##,
            r##"{"/x/{id}": {"post": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Id"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "array", "maxItems": 2, "items": {"$ref": "#/components/schemas/Item"}}}}},
                "responses": {"204": {"description": "ok"}}}}}"##,
        );
        let op = &api.operations[0];
        assert_eq!(
            op.params[0].checks,
            rules(vec![Rule::Pattern("^id_".into())])
        );
        assert_eq!(op.params[1].checks, None);
        assert_eq!(
            op.body.as_ref().unwrap().checks,
            Some(Check {
                rules: vec![Rule::MaxItems(2)],
                each: Some(Box::new(Check {
                    nested: true,
                    ..Check::default()
                })),
                nested: false,
            })
        );
    }
}
