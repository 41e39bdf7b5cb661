//! `Deserialize` for generated structs, through the runtime's `de::Fields`:
//! per struct only what depends on its fields (reading each one into a
//! slot, then building the struct); the visitor, key matching and errors
//! are shared runtime code. This is much less code for the compiler than
//! `#[derive(Deserialize)]`, which also writes a field-identifier type and
//! a visitor for arrays per struct.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::schema_ext::default_fn;
use super::{Cx, allow_deprecated};
use crate::ir::{Presence, Struct, TypeDef};

impl Cx<'_> {
    /// `impl de::Fields` and `impl Deserialize` for a struct without
    /// extra keys (those derive `Deserialize`: serde gathers the keys).
    pub(super) fn fields_impl(
        &self,
        t: &TypeDef,
        name: &proc_macro2::Ident,
        s: &Struct,
    ) -> TokenStream {
        let rt = &self.rt;
        let allow = allow_deprecated(
            self.def_names_deprecated(t) || t.deprecated || s.fields.iter().any(|f| f.deprecated),
        );
        let type_name = t.name.trim_start_matches("r#");
        let json_names: Vec<&str> = s.fields.iter().map(|f| f.json_name.as_str()).collect();
        let deny = self.deny_unknown;
        let slots: Vec<proc_macro2::Ident> =
            (0..s.fields.len()).map(|i| format_ident!("f{i}")).collect();
        // The slots' types are inferred from the struct's fields (naming
        // them costs the compiler more).
        let lets = slots
            .iter()
            .map(|slot| quote!(let mut #slot = ::std::option::Option::None;));
        let arms = s
            .fields
            .iter()
            .zip(&slots)
            .enumerate()
            .map(|(i, (f, slot))| {
                let i = Literal::usize_unsuffixed(i);
                let json = &f.json_name;
                quote!(#i => #rt::de::value(&mut map, &mut #slot, #json),)
            });
        let inits = s.fields.iter().zip(&slots).map(|(f, slot)| {
            let field = super::ident(&f.name);
            let json = &f.json_name;
            let value = if f.default.is_some() {
                let default = default_fn(f);
                quote!(#slot.unwrap_or_else(Self::#default))
            } else {
                match f.presence {
                    Presence::Optional | Presence::OptionalNullable => {
                        quote!(#slot.unwrap_or_default())
                    }
                    Presence::Required | Presence::RequiredNullable => {
                        quote!(#rt::de::required(#slot, #json)?)
                    }
                }
            };
            quote!(#field: #value,)
        });
        // `__A`, `__D`: generic names no schema type (UpperCamelCase) has.
        let read = if s.fields.is_empty() {
            quote! {
                while #rt::de::next_key::<Self, __A>(&mut map)?.is_some() {
                    #rt::de::skip(&mut map)?;
                }
            }
        } else {
            quote! {
                #(#lets)*
                // One `?` for all arms: less for the compiler to check.
                while let ::std::option::Option::Some(key) = #rt::de::next_key::<Self, __A>(&mut map)? {
                    match key {
                        #(#arms)*
                        _ => #rt::de::skip(&mut map),
                    }?;
                }
            }
        };
        quote! {
            #allow
            impl #rt::de::Fields for #name {
                const NAME: &'static str = #type_name;
                const FIELDS: &'static [&'static str] = &[#(#json_names),*];
                const DENY_UNKNOWN: bool = #deny;

                fn from_map<'de, __A: #rt::serde::de::MapAccess<'de>>(
                    mut map: __A,
                ) -> ::std::result::Result<Self, __A::Error> {
                    #read
                    ::std::result::Result::Ok(Self {
                        #(#inits)*
                    })
                }
            }

            #allow
            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<__D: #rt::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    #rt::de::deserialize(deserializer)
                }
            }
        }
    }
}
