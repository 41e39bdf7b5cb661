//! The less common schema constructs (issue 3), each decided here and called
//! from one place in `ir.rs`:
//!
//! * 3.1 `prefixItems` → tuples ([`Ty::Tuple`]);
//! * `patternProperties` → map values (beside declared properties, in the
//!   flattened `extra` map);
//! * integer and mixed-type `enum` / `const` → open [`ValueEnum`]s; the only
//!   value of a single-value enum is its `Default`;
//! * `default` → [`DefaultValue`]s applied when a property is absent;
//! * `readOnly` / `writeOnly` → required properties made optional;
//! * `format` → sized integers, [`Ty::Bytes`], and a doc line for the rest;
//! * 3.1 `$ref` beside structural keywords → `allOf: [{$ref}, {siblings}]`;
//! * unsupported keywords → one warning each, and the nearest sound type.

use serde_json::Value;

use super::{
    Builder, ExtraAcc, Field, FieldDefault, ObjectAcc, Presence, Ty, TypeId, TypeKind, Union,
    Variant, str_enum, type_names, variant_name,
};
use crate::diag::push_pointer;
use crate::names::{Namespace, type_ident};
use crate::spec::{self, Version};

/// How the values of a [`ValueEnum`] are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// Every value is an integer: `From<i64>` / `Into<i64>`, unknown values
    /// kept as `Other(i64)`.
    Integer,
    /// Values of several JSON types (or non-integer numbers): converted
    /// from and into `serde_json::Value`, unknown values kept as
    /// `Other(serde_json::Value)`.
    Json,
}

/// An open enum of integer or mixed-type values.
#[derive(Debug, Clone)]
pub struct ValueEnum {
    /// How values are held.
    pub repr: EnumRepr,
    /// (Rust variant name, JSON value: a string, number or boolean).
    pub variants: Vec<(String, Value)>,
    /// Name of the catch-all variant holding unknown values.
    pub other: String,
    /// Variant returned by `Default::default()` (see [`super::StrEnum::default`]).
    pub default: Option<String>,
}

/// A `default` value, checked against the type of its field; emit writes it
/// as a Rust expression of that type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// `true` / `false`.
    Bool(bool),
    /// A signed integer (any of `i8` … `i64`).
    Int(i64),
    /// An unsigned integer (any of `u8` … `u64`).
    UInt(u64),
    /// `f32` / `f64`.
    Float(f64),
    /// A `String`.
    Str(String),
    /// A `serde_json::Number`.
    Number(serde_json::Number),
    /// A `serde_json::Value`.
    Json(Value),
    /// A variant of a generated enum: (the enum, the variant).
    Variant(TypeId, String),
    /// `Default::default()` of a generated struct (`default: {}`).
    TypeDefault,
    /// `None` of an `Option` (a `null` item).
    Null,
    /// `Some(…)` of an `Option`.
    Present(Box<DefaultValue>),
    /// A `Vec`.
    List(Vec<DefaultValue>),
    /// A `BTreeMap<String, _>`.
    Map(Vec<(String, DefaultValue)>),
    /// A tuple.
    Tuple(Vec<DefaultValue>),
    /// An `apigen_runtime::Prefixed`: (prefix, rest).
    Prefixed(Vec<DefaultValue>, Vec<DefaultValue>),
    /// An `apigen_runtime::Base64` from its (checked) base64 text.
    Bytes(String),
    /// A value of a generated union, decoded from this JSON; the named
    /// variant (the fallback, or the one holding any JSON value) keeps it
    /// should it match no alternative.
    Union(TypeId, Value, String),
}

/// Keywords that, beside a `$ref` in a 3.1 schema, add to the referenced
/// object (so the pair is read as `allOf: [{$ref}, {siblings}]`).
const STRUCTURAL: [&str; 5] = [
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "allOf",
];

/// How the values listed by `enum` / `const` are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EnumClass {
    /// All strings: an open string enum.
    Str,
    /// All integers that fit `i64`: an open integer enum.
    Int,
    /// All booleans: `bool`.
    Bool,
    /// Strings, numbers and booleans mixed: an open enum over JSON values.
    Mixed,
    /// Objects or arrays among the values, or no non-null value: any JSON value.
    Any,
}

/// The non-null values listed by `enum`, or the value of `const`.
fn listed_values(v: &Value) -> Option<Vec<&Value>> {
    if let Some(e) = v.get("enum").and_then(Value::as_array) {
        return Some(e.iter().filter(|x| !x.is_null()).collect());
    }
    v.get("const")
        .map(|c| if c.is_null() { Vec::new() } else { vec![c] })
}

/// How an `enum` / `const` schema is typed, if it lists values.
pub(super) fn enum_class(v: &Value) -> Option<EnumClass> {
    let values = listed_values(v)?;
    Some(if values.is_empty() {
        EnumClass::Any
    } else if values.iter().all(|x| x.is_string()) {
        EnumClass::Str
    } else if values.iter().all(|x| x.is_i64()) {
        EnumClass::Int
    } else if values.iter().all(|x| x.is_boolean()) {
        EnumClass::Bool
    } else if values
        .iter()
        .all(|x| x.is_string() || x.is_number() || x.is_boolean())
    {
        EnumClass::Mixed
    } else {
        EnumClass::Any
    })
}

/// Whether `enum` / `const` makes the schema a declared enum type.
pub(super) fn is_declared_enum(v: &Value) -> bool {
    matches!(
        enum_class(v),
        Some(EnumClass::Str | EnumClass::Int | EnumClass::Mixed)
    )
}

/// `{type: object, additionalProperties: false}` with no properties: only
/// `{}` is valid, so it becomes an empty struct (which writes `{}`).
pub(super) fn is_closed_empty_object(v: &Value) -> bool {
    let types: Vec<&str> = type_names(v).into_iter().filter(|t| *t != "null").collect();
    types.iter().all(|t| *t == "object")
        && v.get("additionalProperties") == Some(&Value::Bool(false))
        && v.get("properties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
        && v.get("patternProperties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
        && ["allOf", "oneOf", "anyOf", "$ref"]
            .iter()
            .all(|k| v.get(k).is_none())
}

/// `integer` with a `format`: the sized Rust integer it names; other and
/// unknown formats are `i64`.
pub(super) fn integer_ty(format: &str) -> Ty {
    match format {
        "int8" => Ty::I8,
        "int16" => Ty::I16,
        "int32" => Ty::I32,
        "uint8" => Ty::U8,
        "uint16" => Ty::U16,
        "uint32" => Ty::U32,
        "uint64" | "uint" => Ty::U64,
        _ => Ty::I64,
    }
}

/// `string` with a `format`: bytes for `byte` (base64), dates for
/// `date-time` and `date` when `dates` (a representation other than
/// `String` is chosen), else `String`.
pub(super) fn string_ty(format: &str, dates: bool) -> Ty {
    match format {
        "byte" => Ty::Bytes,
        "date-time" if dates => Ty::DateTime,
        "date" if dates => Ty::Date,
        _ => Ty::String,
    }
}

/// A doc line naming a `format` that the Rust type does not reflect
/// (`date-time`, `uuid`, `email`, `binary`, …): such values stay `String`
/// (or the base type), and the format is at least documented.
fn format_note(v: &Value) -> Option<String> {
    let format = v.get("format")?.as_str()?.trim();
    if format.is_empty() {
        return None;
    }
    let types = type_names(v);
    let reflected = (types.contains(&"integer") && integer_ty(format) != Ty::I64)
        || (types.contains(&"integer") && format == "int64")
        || (types.contains(&"number") && matches!(format, "float" | "double"))
        || (types.contains(&"string") && format == "byte");
    if reflected {
        return None;
    }
    let note = if format == "binary" {
        format!("Format: {} (kept as text in JSON).", code_span(format))
    } else {
        format!("Format: {}.", code_span(format))
    };
    Some(note)
}

/// `text` plus the notes a schema's keywords add to its documentation.
pub(super) fn with_schema_notes(text: Option<String>, v: &Value) -> Option<String> {
    join_doc(text, format_note(v))
}

/// Methods a struct has, or that a derive or a blanket impl gives it, which
/// an accessor must not shadow (`x.clone()` must stay `Clone::clone`).
const TAKEN_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "from_map",
    "hash",
    "into",
    "ne",
    "serialize",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
    "validate",
];

/// The name of the accessor of field `i`: the field's own name, or
/// `<name>_or_default` when that is a method the struct already has (or
/// another field's accessor).
fn accessor_name(s: &super::Struct, i: usize) -> String {
    let name = &s.fields[i].name;
    let bare = name.trim_start_matches("r#");
    if !TAKEN_METHODS.contains(&bare) {
        return name.clone();
    }
    let mut candidate = format!("{bare}_or_default");
    while s.fields.iter().any(|f| f.name == candidate) {
        candidate.push('_');
    }
    candidate
}

/// Appends `note` as its own paragraph.
fn join_doc(text: Option<String>, note: Option<String>) -> Option<String> {
    match (text, note) {
        (Some(t), Some(n)) => Some(format!("{t}\n\n{n}")),
        (t, n) => t.or(n),
    }
}

/// A Markdown code span around `text`, fenced to survive backticks inside.
pub(crate) fn code_span(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Whether a property is only sent by the server or only by the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
    WriteOnly,
}

/// What a kept JSON value looks like in a variant name or doc.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl<'a> Builder<'_, 'a> {
    // -- unsupported keywords ------------------------------------------------

    /// Warns once per occurrence of a keyword apigen does not model, naming
    /// its pointer, and returns the type the whole schema degrades to when
    /// the rest of it cannot stand (`$dynamicRef`: any JSON value).
    pub(super) fn unsupported_keywords(&mut self, v: &Value, ptr: &str) -> Option<Ty> {
        let obj = v.as_object()?;
        let mut found: Vec<(String, String)> = Vec::new();
        let kept = "ignored; the rest of the schema is kept";
        if obj.contains_key("not") {
            found.push(("not".into(), format!("unsupported keyword `not` {kept}")));
        }
        if let Some(k) = ["if", "then", "else"]
            .into_iter()
            .find(|k| obj.contains_key(*k))
        {
            found.push((
                k.into(),
                format!("unsupported conditional `if`/`then`/`else` {kept}"),
            ));
        }
        for k in [
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
            "contains",
        ] {
            if obj.contains_key(k) {
                found.push((k.into(), format!("unsupported keyword `{k}` {kept}")));
            }
        }
        let dynamic = obj.contains_key("$dynamicRef");
        if dynamic {
            found.push((
                "$dynamicRef".into(),
                "unsupported keyword `$dynamicRef`; typed as any JSON value".into(),
            ));
        }
        for (keyword, message) in found {
            let at = push_pointer(ptr, &keyword);
            // A schema reached again (through another `$ref`) warns once.
            if !self
                .diags
                .iter()
                .any(|d| d.pointer == at && d.message == message)
            {
                self.warning(&at, message);
            }
        }
        dynamic.then_some(Ty::Any)
    }

    // -- enums ---------------------------------------------------------------

    /// The declaration of a schema listing its values (`enum` / `const`):
    /// strings → an open string enum, integers → an open integer enum, a
    /// mix → an open enum over JSON values. `None` for booleans (`bool`)
    /// and for values that are objects or arrays (any JSON value).
    pub(super) fn enum_kind(&mut self, v: &Value) -> Option<TypeKind> {
        let class = enum_class(v)?;
        let values = listed_values(v)?;
        // The only value of a single-value enum, else the schema's `default`.
        let default = match values.as_slice() {
            [only] => Some(*only),
            _ => v.get("default").filter(|d| values.contains(d)),
        };
        match class {
            EnumClass::Str => {
                let strs: Vec<&str> = values.iter().filter_map(|x| x.as_str()).collect();
                let mut e = str_enum(&strs);
                e.default = default.and_then(Value::as_str).and_then(|d| {
                    e.variants
                        .iter()
                        .find(|(_, value)| value == d)
                        .map(|(name, _)| name.clone())
                });
                Some(TypeKind::Enum(e))
            }
            EnumClass::Int | EnumClass::Mixed => {
                let repr = if class == EnumClass::Int {
                    EnumRepr::Integer
                } else {
                    EnumRepr::Json
                };
                let given = given_variant_names(v);
                let mut names = Namespace::new();
                let mut variants: Vec<(String, Value)> = Vec::new();
                for (i, value) in v
                    .get("enum")
                    .and_then(Value::as_array)
                    .map_or_else(|| values.clone(), |e| e.iter().collect())
                    .into_iter()
                    .enumerate()
                {
                    if value.is_null() || variants.iter().any(|(_, x)| x == value) {
                        continue;
                    }
                    let wanted = match given.as_ref().and_then(|g| g.get(i)) {
                        Some(name) => type_ident(name, "Value"),
                        None => {
                            let fallback = if value == "" { "Empty" } else { "Value" };
                            type_ident(&value_text(value), fallback)
                        }
                    };
                    variants.push((names.claim(&wanted), value.clone()));
                }
                let other = names.claim("Other");
                let default = default.and_then(|d| {
                    variants
                        .iter()
                        .find(|(_, value)| value == d)
                        .map(|(name, _)| name.clone())
                });
                Some(TypeKind::ValueEnum(ValueEnum {
                    repr,
                    variants,
                    other,
                    default,
                }))
            }
            EnumClass::Bool | EnumClass::Any => None,
        }
    }

    // -- tuples --------------------------------------------------------------

    /// `prefixItems` (non-empty) → a tuple of its schemas' types. When
    /// further elements are forbidden (`items: false`, or `maxItems` at
    /// most the prefix length) that is exactly `(A, B, …)`; otherwise the
    /// further elements are kept, typed by `items` (any JSON value when
    /// absent), in an `apigen_runtime::Prefixed`.
    pub(super) fn tuple_ty(&mut self, v: &'a Value, ptr: &str, hint: &str) -> Option<Ty> {
        let prefix = v.get("prefixItems")?.as_array()?;
        if prefix.is_empty() {
            return None;
        }
        if prefix.len() > 16 {
            self.warning(
                &push_pointer(ptr, "prefixItems"),
                "`prefixItems` with more than 16 schemas is typed as a list of any JSON values",
            );
            return Some(Ty::Vec(Box::new(Ty::Any)));
        }
        let mut elements = Vec::new();
        for (i, s) in prefix.iter().enumerate() {
            let t = self.ty_of(
                s,
                &format!("{ptr}/prefixItems/{i}"),
                &format!("{hint}Item{}", i + 1),
            );
            elements.push(self.wrap_nullable(s, t));
        }
        let closed = v.get("items") == Some(&Value::Bool(false))
            || v.get("unevaluatedItems") == Some(&Value::Bool(false))
            || v.get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|m| m <= prefix.len() as u64);
        let rest = if closed {
            None
        } else {
            let t = match v.get("items") {
                Some(items) if items != &Value::Bool(true) => {
                    let t = self.ty_of(items, &push_pointer(ptr, "items"), &format!("{hint}Rest"));
                    self.wrap_nullable(items, t)
                }
                _ => Ty::Any,
            };
            Some(Box::new(t))
        };
        Some(Ty::Tuple(elements, rest))
    }

    // -- patternProperties ---------------------------------------------------

    /// A map typed by `patternProperties` (and `additionalProperties`, when
    /// it allows more keys), for an object without declared properties.
    pub(super) fn pattern_map_ty(&mut self, v: &'a Value, ptr: &str, hint: &str) -> Option<Ty> {
        let patterns = pattern_schemas(v, ptr);
        if patterns.is_empty() {
            return None;
        }
        let extra = match v.get("additionalProperties") {
            Some(Value::Bool(true)) => Some(ExtraAcc::Any),
            Some(ap @ Value::Object(o)) if !o.is_empty() => Some(ExtraAcc::Schema(
                ap,
                push_pointer(ptr, "additionalProperties"),
            )),
            Some(Value::Object(_)) => Some(ExtraAcc::Any),
            _ => None,
        };
        let t = self.extra_value_ty(extra, patterns, hint)?;
        Some(Ty::Map(Box::new(t)))
    }

    /// Records the `patternProperties` of an object schema being merged.
    pub(super) fn collect_patterns(&mut self, v: &'a Value, ptr: &str, acc: &mut ObjectAcc<'a>) {
        for (schema, at) in pattern_schemas(v, ptr) {
            if !acc.patterns.iter().any(|(_, p)| *p == at) {
                acc.patterns.push((schema, at));
            }
        }
    }

    /// The type of the values of extra keys: those `additionalProperties`
    /// allows and those `patternProperties` describe. One schema gives its
    /// type; several distinct ones an untagged union `{hint}Value` (with a
    /// fallback keeping anything else); `additionalProperties: true` any
    /// JSON value. Keys are not checked against the patterns.
    pub(super) fn extra_value_ty(
        &mut self,
        extra: Option<ExtraAcc<'a>>,
        patterns: Vec<(&'a Value, String)>,
        hint: &str,
    ) -> Option<Ty> {
        let mut members = patterns;
        match extra {
            None if members.is_empty() => return None,
            None => {}
            Some(ExtraAcc::Any) => return Some(Ty::Any),
            Some(ExtraAcc::Schema(ap, app)) => members.push((ap, app)),
        }
        let single = members.len() == 1;
        // Several members start with a pattern: the union is declared at
        // `…/patternProperties`.
        let union_ptr = members[0]
            .1
            .rsplit_once('/')
            .map_or_else(String::new, |(parent, _)| parent.to_owned());
        let mut typed: Vec<(&'a Value, Ty)> = Vec::new();
        for (i, (schema, at)) in members.into_iter().enumerate() {
            let member_hint = if single {
                format!("{hint}Value")
            } else {
                format!("{hint}Value{}", i + 1)
            };
            let t = self.ty_of(schema, &at, &member_hint);
            let t = self.wrap_nullable(schema, t);
            if t == Ty::Any {
                return Some(Ty::Any);
            }
            if !typed.iter().any(|(_, seen)| *seen == t) {
                typed.push((schema, t));
            }
        }
        if typed.len() == 1 {
            return typed.pop().map(|(_, t)| t);
        }
        if let Some(&id) = self.by_pointer.get(&union_ptr) {
            return Some(Ty::Named(id));
        }
        let name = self.type_name(&union_ptr, &format!("{hint}Value"));
        let id = self.new_type(name, &union_ptr, &Value::Null);
        let mut names = Namespace::new();
        let variants = typed
            .into_iter()
            .enumerate()
            .map(|(i, (schema, ty))| Variant {
                name: names.claim(&variant_name(schema, i)),
                ty,
                boxed: false,
                tags: Vec::new(),
                writes_tag: false,
            })
            .collect();
        let fallback = names.claim("Unknown");
        self.types[id].kind = TypeKind::Union(Union {
            variants,
            tag: None,
            fallback,
            default: None,
        });
        Some(Ty::Named(id))
    }

    // -- $ref siblings -------------------------------------------------------

    /// Whether a 3.1 `$ref` has structural siblings, read as `allOf:
    /// [{$ref}, {siblings}]`. (In 3.0 siblings of `$ref` are ignored, as the
    /// specification says; `description` and `title` still document a field.)
    pub(super) fn merges_ref_siblings(&self, v: &Value) -> bool {
        self.doc.version >= Version::V3_1
            && v.get("$ref").is_some()
            && STRUCTURAL.iter().any(|k| v.get(k).is_some())
    }

    /// The type of a `$ref` with structural siblings used somewhere: a new
    /// struct named `hint` merging the target's properties with the siblings.
    pub(super) fn ref_with_siblings_ty(&mut self, v: &'a Value, ptr: &str, hint: &str) -> Ty {
        if let Some(&id) = self.by_pointer.get(ptr) {
            return Ty::Named(id);
        }
        let name = self.type_name(ptr, &type_ident(hint, "Type"));
        let id = self.new_type(name, ptr, v);
        let kind = self.ref_with_siblings_kind(v, ptr, hint);
        self.types[id].kind = kind;
        Ty::Named(id)
    }

    /// The declaration of a `$ref` with structural siblings: the merged
    /// struct, or (when the target is not an object) the target's type.
    pub(super) fn ref_with_siblings_kind(
        &mut self,
        v: &'a Value,
        ptr: &str,
        name: &str,
    ) -> TypeKind {
        let mut acc = ObjectAcc::default();
        self.collect_object(v, ptr, &mut acc, 0);
        if acc.props.is_empty() && acc.extra.is_none() && acc.patterns.is_empty() {
            let r = &v["$ref"];
            return TypeKind::Alias(self.ref_ty(r, ptr, name));
        }
        TypeKind::Struct(self.object(acc, name))
    }

    // -- fields: read/write-only, docs, defaults ----------------------------

    /// Whether the keywords of schema `v` itself count: in 3.0 everything
    /// beside a `$ref` is ignored (only its `description` documents a field).
    fn own_keywords_count(&self, v: &Value) -> bool {
        !(self.doc.version == Version::V3_0 && v.get("$ref").is_some())
    }

    /// Whether a property is `readOnly` or `writeOnly` (on itself, or on the
    /// schema its `$ref` names).
    fn access(&self, p: &'a Value) -> Access {
        let flag = |s: &Value, k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
        let target = self.follow_refs(p);
        let own = self.own_keywords_count(p);
        let on = |k: &str| (own && flag(p, k)) || target.is_some_and(|t| flag(t, k));
        if on("readOnly") {
            Access::ReadOnly
        } else if on("writeOnly") {
            Access::WriteOnly
        } else {
            Access::ReadWrite
        }
    }

    /// Whether a property listed in `required` is nevertheless optional
    /// here: a read-only one is left out of requests and a write-only one
    /// out of responses, and the same type serves both.
    pub(super) fn required_relaxed(&self, p: &'a Value) -> bool {
        self.access(p) != Access::ReadWrite
    }

    /// The doc of a field with its read/write-only note.
    pub(super) fn field_doc(
        &self,
        p: &'a Value,
        doc: Option<String>,
        required: bool,
    ) -> Option<String> {
        let note = match (self.access(p), required) {
            (Access::ReadWrite, _) => None,
            (Access::ReadOnly, false) => {
                Some("Read-only: set by the server; requests leave it out.")
            }
            (Access::ReadOnly, true) => Some(
                "Read-only: set by the server; requests leave it out. Required in the \
                 schema, optional here so that request bodies can omit it.",
            ),
            (Access::WriteOnly, false) => {
                Some("Write-only: sent in requests; responses leave it out.")
            }
            (Access::WriteOnly, true) => Some(
                "Write-only: sent in requests; responses leave it out. Required in the \
                 schema, optional here so that responses can omit it.",
            ),
        };
        join_doc(doc, note.map(str::to_owned))
    }

    /// Applies `default`s now that every type is built: an optional
    /// property with a `default` of its type stays optional (what was absent
    /// stays absent, on reading and on writing) and gets an accessor method
    /// returning its value or the default; a `default` of another type is
    /// reported and not applied. Then decides which structs implement
    /// `Default`.
    pub(super) fn resolve_defaults(&mut self) {
        let mut updates: Vec<(TypeId, usize, DefaultValue, String)> = Vec::new();
        let mut warnings: Vec<(String, String)> = Vec::new();
        for id in 0..self.types.len() {
            let TypeKind::Struct(s) = &self.types[id].kind else {
                continue;
            };
            for (i, f) in s.fields.iter().enumerate() {
                if !matches!(f.presence, Presence::Optional | Presence::OptionalNullable) {
                    continue;
                }
                let Some((value, at)) = self.default_of(&f.pointer) else {
                    continue;
                };
                if value.is_null() && f.presence == Presence::OptionalNullable {
                    // Absent already reads as null; nothing to fill in.
                    continue;
                }
                match self.default_value(&f.ty, value, 0) {
                    Ok(d) => updates.push((id, i, d, value.to_string())),
                    Err(why) => {
                        warnings.push((at, format!("`default: {value}` {why}; not applied")));
                    }
                }
            }
        }
        for (at, message) in warnings {
            self.warning(&at, message);
        }
        for (id, i, value, json) in updates {
            if let TypeKind::Struct(s) = &mut self.types[id].kind {
                let accessor = accessor_name(s, i);
                s.fields[i].default = Some(FieldDefault {
                    value,
                    json,
                    accessor,
                });
            }
        }
        for id in 0..self.types.len() {
            let has_default = match &self.types[id].kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| self.field_has_default(f)),
                _ => continue,
            };
            if let TypeKind::Struct(s) = &mut self.types[id].kind {
                s.has_default = has_default;
            }
        }
    }

    /// The `default` of the property at `pointer` (its own, or that of the
    /// schema its `$ref` names), with the pointer of the `default` keyword.
    fn default_of(&self, pointer: &str) -> Option<(&'a Value, String)> {
        let mut cur = self.doc.lookup(pointer)?;
        let mut at = pointer.to_owned();
        for _ in 0..32 {
            if let Some(d) = cur.get("default").filter(|_| self.own_keywords_count(cur)) {
                return Some((d, push_pointer(&at, "default")));
            }
            let r = cur.get("$ref")?.as_str()?;
            at = spec::local_ref_pointer(r)?;
            cur = self.doc.lookup(&at)?;
        }
        None
    }

    /// Whether `Default::default()` of a field's type is a valid value of it.
    fn field_has_default(&self, f: &Field) -> bool {
        matches!(f.presence, Presence::Optional | Presence::OptionalNullable)
            || f.default.is_some()
            || (f.presence == Presence::Required && self.single_valued(&f.ty, 0))
    }

    /// Types with exactly one value, whose `Default` is that value: `()`
    /// and single-value (`const`) enums.
    fn single_valued(&self, ty: &Ty, depth: usize) -> bool {
        match ty {
            Ty::Unit => true,
            Ty::Named(id) if depth < 32 => match &self.types[*id].kind {
                TypeKind::Enum(e) => e.variants.len() == 1 && e.default.is_some(),
                TypeKind::ValueEnum(e) => e.variants.len() == 1 && e.default.is_some(),
                TypeKind::Alias(inner) => self.single_valued(inner, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }

    /// `value` as a default of type `ty`, or why it cannot be one.
    fn default_value(
        &self,
        ty: &Ty,
        value: &Value,
        depth: usize,
    ) -> Result<DefaultValue, &'static str> {
        const MISMATCH: &str = "does not match the property's type";
        const UNSUPPORTED: &str = "is not supported for this type";
        let fits = |min: i64, max: i64| {
            value
                .as_i64()
                .filter(|n| (min..=max).contains(n))
                .map(DefaultValue::Int)
                .ok_or(MISMATCH)
        };
        let fits_unsigned = |max: u64| {
            value
                .as_u64()
                .filter(|n| *n <= max)
                .map(DefaultValue::UInt)
                .ok_or(MISMATCH)
        };
        if depth > 32 {
            return Err(UNSUPPORTED);
        }
        match (ty, value) {
            (Ty::Any, v) => Ok(DefaultValue::Json(v.clone())),
            (Ty::Bool, Value::Bool(b)) => Ok(DefaultValue::Bool(*b)),
            (Ty::String, Value::String(s)) => Ok(DefaultValue::Str(s.clone())),
            (Ty::I8, _) => fits(i8::MIN.into(), i8::MAX.into()),
            (Ty::I16, _) => fits(i16::MIN.into(), i16::MAX.into()),
            (Ty::I32, _) => fits(i32::MIN.into(), i32::MAX.into()),
            (Ty::I64, _) => fits(i64::MIN, i64::MAX),
            (Ty::U8, _) => fits_unsigned(u8::MAX.into()),
            (Ty::U16, _) => fits_unsigned(u16::MAX.into()),
            (Ty::U32, _) => fits_unsigned(u32::MAX.into()),
            (Ty::U64, _) => fits_unsigned(u64::MAX),
            (Ty::F32 | Ty::F64, Value::Number(n)) => {
                n.as_f64().map(DefaultValue::Float).ok_or(MISMATCH)
            }
            (Ty::Number, Value::Number(n)) => Ok(DefaultValue::Number(n.clone())),
            (Ty::Option(_), Value::Null) => Ok(DefaultValue::Null),
            (Ty::Option(inner), v) => Ok(DefaultValue::Present(Box::new(self.default_value(
                inner,
                v,
                depth + 1,
            )?))),
            (Ty::Vec(inner), Value::Array(items)) => items
                .iter()
                .map(|x| self.default_value(inner, x, depth + 1))
                .collect::<Result<_, _>>()
                .map(DefaultValue::List),
            (Ty::Map(inner), Value::Object(entries)) => entries
                .iter()
                .map(|(k, x)| Ok((k.clone(), self.default_value(inner, x, depth + 1)?)))
                .collect::<Result<_, _>>()
                .map(DefaultValue::Map),
            (Ty::Tuple(elements, rest), Value::Array(items)) => {
                let n = elements.len();
                if items.len() < n || (rest.is_none() && items.len() > n) {
                    return Err(MISMATCH);
                }
                let prefix = elements
                    .iter()
                    .zip(items)
                    .map(|(t, x)| self.default_value(t, x, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                match rest {
                    None => Ok(DefaultValue::Tuple(prefix)),
                    Some(r) => items[n..]
                        .iter()
                        .map(|x| self.default_value(r, x, depth + 1))
                        .collect::<Result<_, _>>()
                        .map(|more| DefaultValue::Prefixed(prefix, more)),
                }
            }
            // The generator does not parse dates; the field keeps no default.
            (Ty::DateTime | Ty::Date, _) => Err(UNSUPPORTED),
            (Ty::Bytes, Value::String(s)) => {
                let text = s.trim_end_matches('=');
                let alphabet =
                    |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_');
                if text.chars().all(alphabet) && text.len() % 4 != 1 {
                    Ok(DefaultValue::Bytes(s.clone()))
                } else {
                    Err(MISMATCH)
                }
            }
            (Ty::Named(id), v) => match &self.types[*id].kind {
                TypeKind::Alias(inner) => self.default_value(inner, v, depth + 1),
                TypeKind::Enum(e) => e
                    .variants
                    .iter()
                    .find(|(_, x)| Some(x.as_str()) == v.as_str())
                    .map(|(name, _)| DefaultValue::Variant(*id, name.clone()))
                    .ok_or(MISMATCH),
                TypeKind::ValueEnum(e) => e
                    .variants
                    .iter()
                    .find(|(_, x)| x == v)
                    .map(|(name, _)| DefaultValue::Variant(*id, name.clone()))
                    .ok_or(MISMATCH),
                TypeKind::Struct(s) => match v {
                    Value::Object(o) if o.is_empty() => {
                        // Optional fields stay optional or get their own
                        // default, so the struct will implement `Default`.
                        if s.fields.iter().all(|f| self.field_has_default(f)) {
                            Ok(DefaultValue::TypeDefault)
                        } else {
                            Err(MISMATCH)
                        }
                    }
                    Value::Object(_) => Err(UNSUPPORTED),
                    _ => Err(MISMATCH),
                },
                TypeKind::Union(u) => {
                    // Unions keep any value (an unknown shape in the fallback).
                    let catch_all = u
                        .variants
                        .iter()
                        .find(|x| u.tag.is_none() && x.ty == Ty::Any)
                        .map_or_else(|| u.fallback.clone(), |x| x.name.clone());
                    Ok(DefaultValue::Union(*id, v.clone(), catch_all))
                }
            },
            _ => Err(MISMATCH),
        }
    }
}

/// Whether a schema has a non-empty `patternProperties`.
pub(super) fn has_pattern_properties(v: &Value) -> bool {
    v.get("patternProperties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// `patternProperties` schemas with their pointers, in document order.
fn pattern_schemas<'v>(v: &'v Value, ptr: &str) -> Vec<(&'v Value, String)> {
    let Some(patterns) = v.get("patternProperties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let base = push_pointer(ptr, "patternProperties");
    patterns
        .iter()
        .map(|(k, s)| (s, push_pointer(&base, k)))
        .collect()
}

/// Variant names given by `x-enum-varnames` (or `x-enumNames`), aligned with
/// the `enum` list, when there is one name per value.
fn given_variant_names(v: &Value) -> Option<Vec<String>> {
    let values = v.get("enum")?.as_array()?;
    let names = v
        .get("x-enum-varnames")
        .or_else(|| v.get("x-enumNames"))?
        .as_array()?;
    let names: Vec<String> = names
        .iter()
        .map(|n| n.as_str().map(str::to_owned))
        .collect::<Option<_>>()?;
    (names.len() == values.len()).then_some(names)
}
