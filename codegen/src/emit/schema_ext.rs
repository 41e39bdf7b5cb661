//! Emission of the schema constructs decided in `ir::schema_ext`: tuple and
//! base64 types, open integer and mixed-type enums, and the accessors of
//! fields that have a `default`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{Cx, Scope, allow_deprecated, ident, syntax, value_doc};
use crate::ir::{
    DefaultValue, EnumRepr, Field, FieldDefault, Presence, Struct, Ty, TypeDef, TypeKind, ValueEnum,
};
use crate::options::DateTimeRepr;

impl Cx<'_> {
    /// `apigen_runtime::Base64`, a tuple `(A, B)`,
    /// `apigen_runtime::Prefixed<(A, B), R>`, or a date type of the chosen
    /// representation.
    pub(super) fn ext_ty(&self, ty: &Ty, scope: Scope) -> syn::Type {
        let rt = |rest: &[&str]| syntax::ty(self.rt_root.join(rest));
        match (ty, self.date_time) {
            (Ty::DateTime, DateTimeRepr::Chrono) => syntax::generic(
                self.rt_root.join(&["chrono", "DateTime"]),
                vec![rt(&["chrono", "FixedOffset"])],
            ),
            (Ty::Date, DateTimeRepr::Chrono) => rt(&["chrono", "NaiveDate"]),
            (Ty::DateTime, DateTimeRepr::Time) => rt(&["rfc3339", "OffsetDateTime"]),
            (Ty::Date, DateTimeRepr::Time) => rt(&["rfc3339", "Date"]),
            // Not built unless a representation other than `String` is set.
            (Ty::DateTime | Ty::Date, _) => syntax::ty(self.std_path("String", scope)),
            (Ty::Bytes, _) => rt(&["Base64"]),
            (Ty::Tuple(elements, rest), _) => {
                let tuple =
                    syntax::tuple_ty(elements.iter().map(|e| self.ty_syn(e, scope)).collect());
                match rest {
                    None => tuple,
                    Some(r) => syntax::generic(
                        self.rt_root.join(&["Prefixed"]),
                        vec![tuple, self.ty_syn(r, scope)],
                    ),
                }
            }
            (other, _) => self.ty_syn(other, scope),
        }
    }

    /// Whether an open value enum implements `Display` (integer ones do).
    pub(super) fn value_enum_displayable(e: &ValueEnum) -> bool {
        e.repr == EnumRepr::Integer
    }

    /// An open integer enum (`From<i64>` / `Into<i64>`) or an open enum over
    /// JSON values (`From<Value>` / `Into<Value>`); unknown values are kept
    /// in the catch-all variant and written back unchanged.
    pub(super) fn value_enum_def(
        &self,
        name: &Ident,
        e: &ValueEnum,
        allow: &TokenStream,
    ) -> TokenStream {
        let (ser, de) = self.serde_derives();
        let rt = &self.rt;
        let other = ident(&e.other);
        let default_derive = e.default.as_ref().map(|_| quote!(Default,));
        let variants: Vec<TokenStream> = e
            .variants
            .iter()
            .map(|(v, value)| {
                let doc = format!(" {}", value_doc(&value.to_string()));
                let default = (e.default.as_ref() == Some(v)).then(|| quote!(#[default]));
                let v = ident(v);
                quote!(#[doc = #doc] #default #v,)
            })
            .collect();
        let other_doc = quote! {
            /// A value this client does not know (added to the API later); kept verbatim.
        };
        if e.repr == EnumRepr::Integer {
            let to: Vec<TokenStream> = e
                .variants
                .iter()
                .map(|(v, value)| {
                    let v = ident(v);
                    let n = Literal::i64_unsuffixed(value.as_i64().unwrap_or_default());
                    quote!(Self::#v => #n,)
                })
                .collect();
            let from: Vec<TokenStream> = e
                .variants
                .iter()
                .map(|(v, value)| {
                    let v = ident(v);
                    let n = Literal::i64_unsuffixed(value.as_i64().unwrap_or_default());
                    quote!(#n => Self::#v,)
                })
                .collect();
            let serde = self.serde_attr(quote!(from = "i64", into = "i64"));
            // `#[inline]` helpers: compiled where they are called (see
            // `enum_def`).
            return quote! {
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #default_derive #ser, #de)]
                #serde
                pub enum #name {
                    #(#variants)*
                    #other_doc
                    #other(i64),
                }

                #allow
                impl #name {
                    /// The value as it appears in JSON.
                    #[inline]
                    pub fn value(self) -> i64 {
                        match self {
                            #(#to)*
                            Self::#other(value) => value,
                        }
                    }
                }

                #allow
                impl ::std::convert::From<i64> for #name {
                    #[inline]
                    fn from(value: i64) -> Self {
                        match value {
                            #(#from)*
                            _ => Self::#other(value),
                        }
                    }
                }

                #allow
                impl ::std::convert::From<#name> for i64 {
                    #[inline]
                    fn from(value: #name) -> Self {
                        value.value()
                    }
                }

                #allow
                impl ::std::fmt::Display for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.value(), f)
                    }
                }
            };
        }
        let value_ty = quote!(#rt::serde_json::Value);
        let to: Vec<TokenStream> = e
            .variants
            .iter()
            .map(|(v, value)| {
                let v = ident(v);
                let expr = json_scalar(&value_ty, value);
                quote!(Self::#v => #expr,)
            })
            .collect();
        let from: Vec<TokenStream> = e
            .variants
            .iter()
            .map(|(v, value)| {
                let v = ident(v);
                let pat = json_pattern(&value_ty, value);
                quote!(#pat => Self::#v,)
            })
            .collect();
        let path = format!("{}::serde_json::Value", self.rt_str);
        let serde = self.serde_attr(quote!(from = #path, into = #path));
        quote! {
            #[derive(Debug, Clone, PartialEq, #default_derive #ser, #de)]
            #serde
            pub enum #name {
                #(#variants)*
                #other_doc
                #other(#value_ty),
            }

            #allow
            impl #name {
                /// The value as it appears in JSON.
                #[inline]
                pub fn to_value(&self) -> #value_ty {
                    match self {
                        #(#to)*
                        Self::#other(value) => value.clone(),
                    }
                }
            }

            #allow
            impl ::std::convert::From<#value_ty> for #name {
                #[inline]
                fn from(value: #value_ty) -> Self {
                    match &value {
                        #(#from)*
                        _ => Self::#other(value),
                    }
                }
            }

            #allow
            impl ::std::convert::From<#name> for #value_ty {
                #[inline]
                fn from(value: #name) -> Self {
                    match value {
                        #name::#other(value) => value,
                        known => known.to_value(),
                    }
                }
            }
        }
    }

    /// `Default,` for the derive list of a struct that implements `Default`
    /// (every field is optional, or of a single-valued type).
    pub(super) fn struct_default_derive(&self, s: &Struct) -> TokenStream {
        if s.has_default {
            quote!(Default,)
        } else {
            quote!()
        }
    }

    /// For a struct with `default`s: one accessor per defaulted field,
    /// returning its value or, when absent, the default (`bool` and other
    /// `Copy` values by value, strings as `&str`, the rest as a `Cow`).
    pub(super) fn default_accessors(&self, t: &TypeDef) -> TokenStream {
        let TypeKind::Struct(s) = &t.kind else {
            return quote!();
        };
        let fns: Vec<TokenStream> = s
            .fields
            .iter()
            .filter_map(|f| Some(self.accessor(f, f.default.as_ref()?)))
            .collect();
        if fns.is_empty() {
            return quote!();
        }
        let name = ident(&t.name);
        // Accessors read the fields (some may be deprecated).
        let allow = allow_deprecated(
            t.deprecated
                || s.fields
                    .iter()
                    .any(|f| f.default.is_some() && (f.deprecated || self.names_deprecated(&f.ty))),
        );
        quote! {
            #allow
            impl #name {
                #(#fns)*
            }
        }
    }

    /// The accessor of the defaulted field `f`.
    fn accessor(&self, f: &Field, d: &FieldDefault) -> TokenStream {
        let field = ident(&f.name);
        let method = ident(&d.accessor);
        let d = &d.value;
        let inner = self.ty(&f.ty, Scope::Types);
        let kind = match (self.accessor_kind(&f.ty), d) {
            (AccessorKind::Str, DefaultValue::Str(_)) => AccessorKind::Str,
            (AccessorKind::Str, _) => AccessorKind::Cow,
            (kind, _) => kind,
        };
        let (ty, present, absent) = match (&kind, d) {
            (AccessorKind::Copy, _) => (inner, quote!(*value), self.default_expr(d)),
            (AccessorKind::Str, DefaultValue::Str(text)) => {
                (quote!(&str), quote!(value.as_str()), quote!(#text))
            }
            _ => {
                let cow = quote!(::std::borrow::Cow);
                let borrowed = if f.boxed {
                    quote!(&**value)
                } else {
                    quote!(value)
                };
                let d = self.default_expr(d);
                (
                    quote!(#cow<'_, #inner>),
                    quote!(#cow::Borrowed(#borrowed)),
                    quote!(#cow::Owned(#d)),
                )
            }
        };
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        if f.presence == Presence::OptionalNullable {
            let rt = &self.rt;
            let some = quote!(::std::option::Option::Some);
            let doc = format!(
                " The value of `{}`: `None` when it is `null`, its default when it is absent.",
                f.json_name
            );
            return quote! {
                #[doc = #doc]
                #deprecated
                #[inline]
                pub fn #method(&self) -> ::std::option::Option<#ty> {
                    match &self.#field {
                        #rt::Nullable::Value(value) => #some(#present),
                        #rt::Nullable::Null => ::std::option::Option::None,
                        #rt::Nullable::Absent => #some(#absent),
                    }
                }
            };
        }
        let body = match kind {
            AccessorKind::Copy => quote!(self.#field.unwrap_or(#absent)),
            AccessorKind::Str => quote!(self.#field.as_deref().unwrap_or(#absent)),
            AccessorKind::Cow => quote! {
                match &self.#field {
                    ::std::option::Option::Some(value) => #present,
                    ::std::option::Option::None => #absent,
                }
            },
        };
        let doc = format!(
            " The value of `{}`, or its default when it is absent.",
            f.json_name
        );
        quote! {
            #[doc = #doc]
            #deprecated
            #[inline]
            pub fn #method(&self) -> #ty {
                #body
            }
        }
    }

    /// The doc line of a field with a `default`, after the spec's own text.
    pub(super) fn default_note(&self, owner: &str, f: &Field) -> Option<String> {
        let d = f.default.as_ref()?;
        let call = if d.accessor.starts_with("r#") {
            format!("`{}()`", d.accessor)
        } else {
            format!("[`{owner}::{}()`]", d.accessor)
        };
        Some(format!(
            " Absent means {}: {call} returns the value or that default. \
             Nothing is sent for an absent value.",
            crate::ir::code_span(&d.json)
        ))
    }

    /// How an accessor returns a value of type `ty`.
    fn accessor_kind(&self, ty: &Ty) -> AccessorKind {
        match ty {
            Ty::Bool | Ty::Unit => AccessorKind::Copy,
            t if t.is_fixed_number() => AccessorKind::Copy,
            Ty::String => AccessorKind::Str,
            Ty::Named(id) => match &self.api.types[*id].kind {
                TypeKind::ValueEnum(e) if e.repr == EnumRepr::Integer => AccessorKind::Copy,
                TypeKind::Alias(inner) => self.accessor_kind(inner),
                _ => AccessorKind::Cow,
            },
            _ => AccessorKind::Cow,
        }
    }

    /// A Rust expression for a checked `default`.
    fn default_expr(&self, d: &DefaultValue) -> TokenStream {
        let rt = &self.rt;
        match d {
            DefaultValue::Bool(b) => quote!(#b),
            DefaultValue::Int(n) => {
                let n = Literal::i64_unsuffixed(*n);
                quote!(#n)
            }
            DefaultValue::UInt(n) => {
                let n = Literal::u64_unsuffixed(*n);
                quote!(#n)
            }
            DefaultValue::Float(x) => {
                let x = Literal::f64_unsuffixed(*x);
                quote!(#x)
            }
            DefaultValue::Str(s) => quote!(#s.to_owned()),
            DefaultValue::Number(n) => {
                let number = quote!(#rt::serde_json::Number);
                if let Some(i) = n.as_i64() {
                    let i = Literal::i64_suffixed(i);
                    quote!(#number::from(#i))
                } else if let Some(u) = n.as_u64() {
                    let u = Literal::u64_suffixed(u);
                    quote!(#number::from(#u))
                } else {
                    let x = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                    quote!(#number::from_f64(#x).unwrap_or_else(|| #number::from(0u8)))
                }
            }
            DefaultValue::Json(v) => {
                let v = json_tokens(v);
                quote!(#rt::serde_json::json!(#v))
            }
            DefaultValue::Variant(id, v) => {
                let t = ident(&self.api.types[*id].name);
                let v = ident(v);
                quote!(#t::#v)
            }
            DefaultValue::TypeDefault => quote!(::std::default::Default::default()),
            DefaultValue::Null => quote!(::std::option::Option::None),
            DefaultValue::Present(inner) => {
                let inner = self.default_expr(inner);
                quote!(::std::option::Option::Some(#inner))
            }
            DefaultValue::List(items) if items.is_empty() => quote!(::std::vec::Vec::new()),
            DefaultValue::List(items) => {
                let items = items.iter().map(|i| self.default_expr(i));
                quote!(::std::vec![#(#items),*])
            }
            DefaultValue::Map(entries) if entries.is_empty() => {
                quote!(::std::collections::BTreeMap::new())
            }
            DefaultValue::Map(entries) => {
                let entries = entries.iter().map(|(k, v)| {
                    let v = self.default_expr(v);
                    quote!((#k.to_owned(), #v))
                });
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
            DefaultValue::Tuple(items) => {
                let items = items.iter().map(|i| self.default_expr(i));
                quote!((#(#items,)*))
            }
            DefaultValue::Bytes(text) => quote!(#rt::Base64::decode(#text).unwrap_or_default()),
            DefaultValue::Union(id, v, catch_all) => {
                let t = ident(&self.api.types[*id].name);
                let catch_all = ident(catch_all);
                let v = json_tokens(v);
                quote! {
                    #rt::serde_json::from_value(#rt::serde_json::json!(#v))
                        .unwrap_or_else(|_| #t::#catch_all(#rt::serde_json::json!(#v)))
                }
            }
            DefaultValue::Prefixed(prefix, rest) => {
                let prefix = prefix.iter().map(|i| self.default_expr(i));
                let rest = self.default_expr(&DefaultValue::List(rest.clone()));
                quote!(#rt::Prefixed { prefix: (#(#prefix,)*), rest: #rest })
            }
        }
    }
}

/// How a defaulted field's accessor returns its value.
enum AccessorKind {
    /// By value (`bool`, numbers, integer enums).
    Copy,
    /// As `&str`.
    Str,
    /// As `Cow<'_, T>`: borrowed when present, the default when absent.
    Cow,
}

/// The tokens of `value` for `serde_json::json!`.
fn json_tokens(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let i = Literal::i64_unsuffixed(i);
                quote!(#i)
            } else if let Some(u) = n.as_u64() {
                let u = Literal::u64_unsuffixed(u);
                quote!(#u)
            } else {
                let x = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
                quote!(#x)
            }
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}

/// A `serde_json::Value` expression for a string, number or boolean.
fn json_scalar(value_ty: &TokenStream, value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Bool(b) => quote!(#value_ty::Bool(#b)),
        Value::String(s) => quote!(#value_ty::from(#s)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let i = Literal::i64_suffixed(i);
                quote!(#value_ty::from(#i))
            } else if let Some(u) = n.as_u64() {
                let u = Literal::u64_suffixed(u);
                quote!(#value_ty::from(#u))
            } else {
                let x = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(#value_ty::from(#x))
            }
        }
        _ => quote!(#value_ty::Null),
    }
}

/// A pattern matching exactly that JSON value (numbers as written: `1`
/// does not match `1.0`, which is kept as an unknown value instead).
fn json_pattern(value_ty: &TokenStream, value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Bool(b) => quote!(#value_ty::Bool(#b)),
        // `s == ""` is a clippy warning (`comparison_to_empty`).
        Value::String(s) if s.is_empty() => quote!(#value_ty::String(s) if s.is_empty()),
        Value::String(s) => quote!(#value_ty::String(s) if s == #s),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let i = Literal::i64_suffixed(i);
                quote!(#value_ty::Number(n) if n.as_i64() == ::std::option::Option::Some(#i))
            } else if let Some(u) = n.as_u64() {
                let u = Literal::u64_suffixed(u);
                quote!(#value_ty::Number(n) if n.as_u64() == ::std::option::Option::Some(#u))
            } else {
                let x = n.to_string();
                quote!(#value_ty::Number(n) if n.is_f64() && n.to_string() == #x)
            }
        }
        _ => quote!(#value_ty::Null),
    }
}
