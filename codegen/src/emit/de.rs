//! `Deserialize` for generated structs, through the runtime's `de::Fields`:
//! per struct only what depends on its fields (reading each one into a
//! slot, then building the struct); the visitor, key matching and errors
//! are shared runtime code. This is much less code for the compiler than
//! `#[derive(Deserialize)]`, which also writes a field-identifier type and
//! a visitor for arrays per struct.
//!
//! These two impls are a third of a typical module, so they are built as
//! syntax trees ([`super::syntax`]) rather than emitted as tokens and
//! parsed. For a struct `Pet { id, name }` they read:
//!
//! ```text
//! impl ::apigen_runtime::de::Fields for Pet {
//!     const NAME: &'static str = "Pet";
//!     const FIELDS: &'static [&'static str] = &["id", "name"];
//!     const DENY_UNKNOWN: bool = false;
//!     fn from_map<'de, __A: ::apigen_runtime::serde::de::MapAccess<'de>>(
//!         mut map: __A,
//!     ) -> ::std::result::Result<Self, __A::Error> {
//!         let mut f0 = ::std::option::Option::None;
//!         let mut f1 = ::std::option::Option::None;
//!         // One `?` for all arms: less for the compiler to check.
//!         while let ::std::option::Option::Some(key) = ::apigen_runtime::de::next_key::<Self, __A>(&mut map)? {
//!             match key {
//!                 0 => ::apigen_runtime::de::value(&mut map, &mut f0, "id"),
//!                 1 => ::apigen_runtime::de::value(&mut map, &mut f1, "name"),
//!                 _ => ::apigen_runtime::de::skip(&mut map),
//!             }?;
//!         }
//!         ::std::result::Result::Ok(Self {
//!             id: ::apigen_runtime::de::required(f0, "id")?,
//!             name: f1.unwrap_or_default(),
//!         })
//!     }
//! }
//! impl<'de> ::apigen_runtime::serde::Deserialize<'de> for Pet {
//!     fn deserialize<__D: ::apigen_runtime::serde::Deserializer<'de>>(
//!         deserializer: __D,
//!     ) -> ::std::result::Result<Self, __D::Error> {
//!         ::apigen_runtime::de::deserialize(deserializer)
//!     }
//! }
//! ```
//!
//! A struct without fields loops with `while next_key(..)?.is_some()` and
//! skips every value. `__A` and `__D` are generic names no schema type
//! (UpperCamelCase) has. The slots' types are inferred from the struct's
//! fields (naming them costs the compiler more).

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::{Expr, GenericArgument, ImplItem, Item, Path, Type};

use super::syntax::{
    allow_deprecated, arm, bind, block, call, ident, int_lit, let_mut, lit, match_, method,
    path_expr, ref_mut, reference, relative, semi, std, str_lit, try_, tuple_pat, ty, ty_arg, var,
    wild, with_args,
};
use super::{Cx, syntax};
use crate::ir::{Presence, Struct, TypeDef};

impl Cx<'_> {
    /// `impl de::Fields` and `impl Deserialize` for a struct without
    /// extra keys (those derive `Deserialize`: serde gathers the keys).
    pub(super) fn fields_impl(&self, t: &TypeDef, name: &Ident, s: &Struct) -> [Item; 2] {
        let rt = &self.rt_root;
        let allow =
            self.def_names_deprecated(t) || t.deprecated || s.fields.iter().any(|f| f.deprecated);
        let de = |f: &str| path_expr(rt.join(&["de", f]));
        let map = || ref_mut(var("map"));
        let next_key = try_(call(
            path_expr(with_args(
                rt.join(&["de", "next_key"]),
                true,
                vec![ty_arg("Self"), ty_arg("__A")],
            )),
            [map()],
        ));
        let slots: Vec<Ident> = (0..s.fields.len())
            .map(|i| ident(&format!("f{i}")))
            .collect();
        let mut stmts: Vec<syn::Stmt> = slots
            .iter()
            .map(|slot| let_mut(slot.clone(), path_expr(std(&["option", "Option", "None"]))))
            .collect();
        let read = if s.fields.is_empty() {
            syn::ExprWhile {
                attrs: Vec::new(),
                label: None,
                while_token: Default::default(),
                cond: Box::new(method(next_key, ident("is_some"), [])),
                body: block(vec![semi(try_(call(de("skip"), [map()])))]),
            }
        } else {
            let mut arms: Vec<syn::Arm> = s
                .fields
                .iter()
                .zip(&slots)
                .enumerate()
                .map(|(i, (f, slot))| {
                    let value = call(
                        de("value"),
                        [map(), ref_mut(var_of(slot)), lit(str_lit(&f.json_name))],
                    );
                    arm(
                        syn::Pat::Lit(syn::ExprLit {
                            attrs: Vec::new(),
                            lit: int_lit(i),
                        }),
                        value,
                    )
                })
                .collect();
            arms.push(arm(wild(), call(de("skip"), [map()])));
            let some_key = tuple_pat(std(&["option", "Option", "Some"]), [bind("key")]);
            let matched = match_(var("key"), arms);
            syn::ExprWhile {
                attrs: Vec::new(),
                label: None,
                while_token: Default::default(),
                cond: Box::new(Expr::Let(syn::ExprLet {
                    attrs: Vec::new(),
                    let_token: Default::default(),
                    pat: Box::new(some_key),
                    eq_token: Default::default(),
                    expr: Box::new(next_key),
                })),
                body: block(vec![semi(try_(matched))]),
            }
        };
        stmts.push(syn::Stmt::Expr(Expr::While(read), None));
        let mut inits: Punctuated<syn::FieldValue, syn::Token![,]> = s
            .fields
            .iter()
            .zip(&slots)
            .map(|(f, slot)| {
                let value = match f.presence {
                    Presence::Optional | Presence::OptionalNullable => {
                        method(var_of(slot), ident("unwrap_or_default"), [])
                    }
                    _ if self.defaults_when_missing(f) => {
                        method(var_of(slot), ident("unwrap_or_default"), [])
                    }
                    Presence::Required | Presence::RequiredNullable => try_(call(
                        de("required"),
                        [var_of(slot), lit(str_lit(&f.json_name))],
                    )),
                };
                syn::FieldValue {
                    attrs: Vec::new(),
                    member: syn::Member::Named(super::ident(&f.name)),
                    colon_token: Some(Default::default()),
                    expr: value,
                }
            })
            .collect();
        if !inits.is_empty() {
            inits.push_punct(Default::default());
        }
        let built = Expr::Struct(syn::ExprStruct {
            attrs: Vec::new(),
            qself: None,
            path: Path::from(ident("Self")),
            brace_token: Default::default(),
            fields: inits,
            dot2_token: None,
            rest: None,
        });
        stmts.push(syn::Stmt::Expr(
            call(path_expr(std(&["result", "Result", "Ok"])), [built]),
            None,
        ));

        let type_name = t.name.trim_start_matches("r#");
        let static_str = || reference(Some("'static"), false, ty(Path::from(ident("str"))));
        let fields_list = Expr::Reference(syn::ExprReference {
            attrs: Vec::new(),
            and_token: Default::default(),
            mutability: None,
            expr: Box::new(Expr::Array(syn::ExprArray {
                attrs: Vec::new(),
                bracket_token: Default::default(),
                elems: s
                    .fields
                    .iter()
                    .map(|f| lit(str_lit(&f.json_name)))
                    .collect(),
            })),
        });
        let from_map = syn::ImplItemFn {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            modifiers: Default::default(),
            sig: signature(
                "from_map",
                true,
                "__A",
                rt.join(&["serde", "de", "MapAccess"]),
                "map",
                true,
            ),
            block: block(stmts),
        };
        let fields = syn::ItemImpl {
            attrs: allow_deprecated(allow),
            modifiers: Default::default(),
            unsafety: None,
            impl_token: Default::default(),
            generics: syn::Generics::default(),
            trait_: Some((rt.join(&["de", "Fields"]), Default::default())),
            self_ty: Box::new(ty(Path::from(name.clone()))),
            brace_token: Default::default(),
            items: vec![
                constant("NAME", static_str(), lit(str_lit(type_name))),
                constant(
                    "FIELDS",
                    reference(
                        Some("'static"),
                        false,
                        Type::Slice(syn::TypeSlice {
                            attrs: Vec::new(),
                            bracket_token: Default::default(),
                            elem: Box::new(static_str()),
                        }),
                    ),
                    fields_list,
                ),
                constant(
                    "DENY_UNKNOWN",
                    ty(Path::from(ident("bool"))),
                    lit(syn::Lit::Bool(syn::LitBool::new(
                        self.deny_unknown,
                        Span::call_site(),
                    ))),
                ),
                ImplItem::Fn(from_map),
            ],
        };

        let deserialize = syn::ImplItemFn {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            modifiers: Default::default(),
            sig: signature(
                "deserialize",
                false,
                "__D",
                rt.join(&["serde", "Deserializer"]),
                "deserializer",
                false,
            ),
            block: block(vec![syn::Stmt::Expr(
                call(de("deserialize"), [var("deserializer")]),
                None,
            )]),
        };
        let deserialize_impl = syn::ItemImpl {
            attrs: allow_deprecated(allow),
            modifiers: Default::default(),
            unsafety: None,
            impl_token: Default::default(),
            generics: generics(vec![syn::GenericParam::Lifetime(syn::LifetimeParam::new(
                de_lt(),
            ))]),
            trait_: Some((
                with_args(
                    rt.join(&["serde", "Deserialize"]),
                    false,
                    vec![GenericArgument::Lifetime(de_lt())],
                ),
                Default::default(),
            )),
            self_ty: Box::new(ty(Path::from(name.clone()))),
            brace_token: Default::default(),
            items: vec![ImplItem::Fn(deserialize)],
        };
        [Item::Impl(fields), Item::Impl(deserialize_impl)]
    }
}

/// The slot `slot` as an expression.
fn var_of(slot: &Ident) -> Expr {
    path_expr(Path::from(slot.clone()))
}

/// `const name: ty = value;` in an impl.
fn constant(name: &str, ty: Type, value: Expr) -> ImplItem {
    ImplItem::Const(syn::ImplItemConst {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: Default::default(),
        const_token: Default::default(),
        ident: ident(name),
        generics: syn::Generics::default(),
        colon_token: Default::default(),
        ty,
        eq_token: Default::default(),
        expr: value,
        semi_token: Default::default(),
    })
}

/// The lifetime `'de`.
fn de_lt() -> syn::Lifetime {
    syn::Lifetime::new("'de", Span::call_site())
}

/// `<params…>`.
fn generics(params: Vec<syn::GenericParam>) -> syn::Generics {
    syn::Generics {
        lt_token: Some(Default::default()),
        params: params.into_iter().collect(),
        gt_token: Some(Default::default()),
        where_clause: None,
    }
}

/// `fn name<'de, P: bound<'de>>(arg: P) -> ::std::result::Result<Self, P::Error>`,
/// without `'de` when the impl declares it (`own_lifetime` false), with
/// `mut arg` when `arg_mut`.
fn signature(
    name: &str,
    own_lifetime: bool,
    param: &str,
    bound: Path,
    arg: &str,
    arg_mut: bool,
) -> syn::Signature {
    let bound = with_args(bound, false, vec![GenericArgument::Lifetime(de_lt())]);
    let param_ty = || ty(Path::from(ident(param)));
    let mut params = Vec::new();
    if own_lifetime {
        params.push(syn::GenericParam::Lifetime(
            syn::LifetimeParam::new(de_lt()),
        ));
    }
    params.push(syn::GenericParam::Type(syn::TypeParam {
        attrs: Vec::new(),
        ident: ident(param),
        colon_token: Some(Default::default()),
        bounds: std::iter::once(syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            lifetimes: None,
            modifiers: Default::default(),
            maybe: None,
            path: bound,
        }))
        .collect(),
        default: None,
    }));
    let input = syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: arg_mut.then(Default::default),
            ident: ident(arg),
            subpat: None,
        })),
        colon_token: Default::default(),
        ty: Box::new(param_ty()),
    });
    let error = relative(&[&ident(param), &ident("Error")]);
    let result = with_args(
        std(&["result", "Result"]),
        false,
        vec![ty_arg("Self"), GenericArgument::Type(ty(error))],
    );
    syntax::signature(name, generics(params), vec![input], ty(result))
}
