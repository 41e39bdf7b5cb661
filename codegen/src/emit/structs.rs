//! Struct declarations, built as syntax trees ([`super::syntax`]): with
//! their fields' attributes and types they are the largest part of a
//! typical `types` module after the `Deserialize` impls. Attribute
//! arguments (`serde(rename = "…")`) are token lists in the tree, as a
//! parser leaves them, so they are still written with `quote!`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::punctuated::Punctuated;

use super::syntax::{self, doc_attr, word_attr};
use super::{Cx, Scope, doc_attr_items as doc_attrs, ident};
use crate::ir::{Field, Presence, Struct, Ty, TypeDef, TypeKind};

impl Cx<'_> {
    /// The outer attributes every type declaration starts with: its doc,
    /// `#[deprecated]`, and `#[allow(deprecated)]` where it names a
    /// deprecated type.
    pub(super) fn type_attrs(&self, t: &TypeDef) -> Vec<syn::Attribute> {
        let mut attrs = doc_attrs(t.doc.as_deref());
        if t.deprecated {
            attrs.push(word_attr("deprecated"));
        }
        attrs.extend(syntax::allow_deprecated(self.def_names_deprecated(t)));
        attrs
    }

    /// `pub struct Name { … }` with `attrs` first. A struct that keeps
    /// extra keys derives `Deserialize` (serde gathers them: `flatten`);
    /// the others get it through `de::Fields` (see `de`).
    pub(super) fn struct_item(
        &self,
        mut attrs: Vec<syn::Attribute>,
        name: &Ident,
        s: &Struct,
    ) -> syn::Item {
        let (ser, de) = self.serde_derives();
        let default = self.struct_default_derive(s);
        let derives = if s.extra.is_some() {
            quote!(Debug, Clone, PartialEq, #default #ser, #de)
        } else {
            quote!(Debug, Clone, PartialEq, #default #ser)
        };
        attrs.push(list_attr("derive", derives));
        let c = &self.serde_crate;
        attrs.push(list_attr("serde", quote!(crate = #c)));
        if s.extra.is_none() && self.deny_unknown {
            // What `DENY_UNKNOWN` of its `de::Fields` does.
            attrs.push(list_attr("serde", quote!(deny_unknown_fields)));
        }
        let mut fields: Punctuated<syn::Field, syn::token::Comma> = s
            .fields
            .iter()
            .map(|f| self.field_item(&name.to_string(), f))
            .collect();
        if let Some((fname, ty)) = &s.extra {
            let ty = self.ty_syn(&Ty::Map(Box::new(ty.clone())), Scope::Types);
            let attrs = vec![
                doc_attr(
                    " Keys not declared in the schema, kept so that writing the value back loses nothing.",
                ),
                list_attr("serde", quote!(flatten)),
            ];
            fields.push(pub_field(attrs, ident(fname), ty));
        }
        // A trailing comma, as `quote!` writes each field.
        if !fields.empty_or_trailing() {
            fields.push_punct(Default::default());
        }
        syn::Item::Struct(syn::ItemStruct {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            struct_token: Default::default(),
            ident: name.clone(),
            generics: syn::Generics::default(),
            fields: syn::Fields::Named(syn::FieldsNamed {
                brace_token: Default::default(),
                named: fields,
            }),
            semi_token: None,
        })
    }

    /// One field of struct `owner`, with its doc and serde attributes.
    fn field_item(&self, owner: &str, f: &Field) -> syn::Field {
        let mut attrs = doc_attrs(f.doc.as_deref());
        if let Some(note) = self.default_note(owner, f) {
            if !attrs.is_empty() {
                attrs.push(doc_attr(""));
            }
            attrs.push(doc_attr(&note));
        }
        if f.deprecated {
            attrs.push(word_attr("deprecated"));
        }
        if crate::names::bare(&f.name) != f.json_name {
            let j = &f.json_name;
            attrs.push(list_attr("serde", quote!(rename = #j)));
        }
        if self.defaults_when_missing(f) {
            // What its `de::Fields` does (and the derive, where there is one).
            attrs.push(list_attr("serde", quote!(default)));
        }
        let inner = self.ty_syn(&f.ty, Scope::Types);
        let inner = if f.boxed {
            syntax::generic(self.std_path("Box", Scope::Types), vec![inner])
        } else {
            inner
        };
        let ty = match f.presence {
            Presence::Required => inner,
            Presence::RequiredNullable => {
                syntax::generic(self.std_path("Option", Scope::Types), vec![inner])
            }
            Presence::Optional => {
                let skip = if self.api.shadowed_std.contains(&"Option") {
                    "::std::option::Option::is_none"
                } else {
                    "Option::is_none"
                };
                attrs.push(list_attr(
                    "serde",
                    quote!(default, skip_serializing_if = #skip),
                ));
                syntax::generic(self.std_path("Option", Scope::Types), vec![inner])
            }
            Presence::OptionalNullable => {
                let skip = format!("{}::Nullable::is_absent", self.rt_str);
                attrs.push(list_attr(
                    "serde",
                    quote!(default, skip_serializing_if = #skip),
                ));
                syntax::generic(self.rt_root.join(&["Nullable"]), vec![inner])
            }
        };
        pub_field(attrs, ident(&f.name), ty)
    }

    /// Whether the required field `f` decodes as its type's default when
    /// absent (`MissingFields::Default`, and the type has one).
    pub(super) fn defaults_when_missing(&self, f: &Field) -> bool {
        self.default_missing
            && match f.presence {
                Presence::RequiredNullable => true,
                Presence::Required => self.has_default_impl(&f.ty),
                Presence::Optional | Presence::OptionalNullable => false,
            }
    }

    /// Whether the Rust type of `ty` implements `Default`.
    fn has_default_impl(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Any | Ty::Unit | Ty::Bool | Ty::String | Ty::Bytes => true,
            Ty::Vec(_) | Ty::Map(_) | Ty::Option(_) => true,
            t if t.is_fixed_number() => true,
            Ty::Tuple(items, None) => {
                items.len() <= 12 && items.iter().all(|t| self.has_default_impl(t))
            }
            Ty::Named(id) => {
                let t = &self.api.types[*id];
                match &t.kind {
                    TypeKind::Struct(s) => s.has_default,
                    TypeKind::Enum(e) => e.default.is_some(),
                    TypeKind::ValueEnum(e) => e.default.is_some(),
                    TypeKind::Alias(inner) => !t.newtype && self.has_default_impl(inner),
                    TypeKind::Union(_) => false,
                }
            }
            // `Number`, dates, `Prefixed` tuples and replacement types:
            // not known to, or do not, implement `Default`.
            _ => false,
        }
    }
}

/// `pub name: ty` with `attrs`.
fn pub_field(attrs: Vec<syn::Attribute>, name: Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        modifiers: Default::default(),
        ident: Some(name),
        colon_token: Some(Default::default()),
        ty,
        default: None,
    }
}

/// `#[name(args)]`.
fn list_attr(name: &str, args: TokenStream) -> syn::Attribute {
    syntax::outer_attr(syn::Meta::List(syn::MetaList {
        path: syn::Path::from(syntax::ident(name)),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens: args,
    }))
}
