//! The impls of a string enum (`as_str`, `From<String>`, `Into<String>`,
//! `Display`), built as syntax trees ([`super::syntax`]): every string enum
//! has all four, which makes them, after the `Deserialize` impls of
//! structs, the most repeated code of a module. For `enum Kind { A, Other(String) }`:
//!
//! ```text
//! impl Kind {
//!     /// The value as it appears in JSON.
//!     #[inline]
//!     pub fn as_str(&self) -> &str {
//!         match self {
//!             Self::A => "a",
//!             Self::Other(value) => value,
//!         }
//!     }
//! }
//! impl ::std::convert::From<String> for Kind {
//!     #[inline]
//!     fn from(value: String) -> Self {
//!         match value.as_str() {
//!             "a" => Self::A,
//!             _ => Self::Other(value),
//!         }
//!     }
//! }
//! impl ::std::convert::From<Kind> for String {
//!     #[inline]
//!     fn from(value: Kind) -> Self {
//!         match value {
//!             Kind::Other(value) => value,
//!             known => known.as_str().to_owned(),
//!         }
//!     }
//! }
//! impl ::std::fmt::Display for Kind {
//!     #[inline]
//!     fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
//!         f.write_str(self.as_str())
//!     }
//! }
//! ```
//!
//! The helpers are `#[inline]`: like generic code, they are compiled in the
//! crates that call them, not every time the client is.

use proc_macro2::Ident;
use syn::{GenericArgument, Item, Path, Type};

use super::syntax::{
    allow_deprecated, arg, arm, bind, call, doc_attr, ident, impl_item, lit, match_, method,
    method_item, path_expr, ref_self, reference, relative, std, str_lit, tuple_pat, ty, var, wild,
    with_args, word_attr,
};
use super::{Cx, Scope};
use crate::ir::StrEnum;

impl Cx<'_> {
    /// The four impls of the string enum `name`, each with
    /// `#[allow(deprecated)]` when `allow`.
    pub(super) fn str_enum_impls(&self, name: &Ident, e: &StrEnum, allow: bool) -> [Item; 4] {
        let string = || self.std_path("String", Scope::Types);
        let self_ = ident("Self");
        let other = super::ident(&e.other);
        let variants: Vec<(Ident, &str)> = e
            .variants
            .iter()
            .map(|(v, value)| (super::ident(v), value.as_str()))
            .collect();
        let str_ty = || ty(Path::from(ident("str")));
        let inline = || vec![word_attr("inline")];

        let mut as_str: Vec<syn::Arm> = variants
            .iter()
            .map(|(v, value)| {
                let pat = syn::Pat::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: relative(&[&self_, v]),
                });
                arm(pat, lit(str_lit(value)))
            })
            .collect();
        as_str.push(arm(
            tuple_pat(relative(&[&self_, &other]), [bind("value")]),
            var("value"),
        ));
        let inherent = impl_item(
            allow_deprecated(allow),
            None,
            ty(Path::from(name.clone())),
            vec![method_item(
                vec![
                    doc_attr(" The value as it appears in JSON."),
                    word_attr("inline"),
                ],
                true,
                "as_str",
                vec![ref_self()],
                reference(None, false, str_ty()),
                match_(var("self"), as_str),
            )],
        );

        let mut from: Vec<syn::Arm> = variants
            .iter()
            .map(|(v, value)| {
                let pat = syn::Pat::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: str_lit(value),
                });
                arm(pat, path_expr(relative(&[&self_, v])))
            })
            .collect();
        from.push(arm(
            wild(),
            call(path_expr(relative(&[&self_, &other])), [var("value")]),
        ));
        let from_trait = |arg_ty: Type| {
            with_args(
                std(&["convert", "From"]),
                false,
                vec![GenericArgument::Type(arg_ty)],
            )
        };
        let from_string = impl_item(
            allow_deprecated(allow),
            Some(from_trait(ty(string()))),
            ty(Path::from(name.clone())),
            vec![method_item(
                inline(),
                false,
                "from",
                vec![arg("value", ty(string()))],
                ty(Path::from(self_.clone())),
                match_(method(var("value"), ident("as_str"), []), from),
            )],
        );

        let into_string = impl_item(
            allow_deprecated(allow),
            Some(from_trait(ty(Path::from(name.clone())))),
            ty(string()),
            vec![method_item(
                inline(),
                false,
                "from",
                vec![arg("value", ty(Path::from(name.clone())))],
                ty(Path::from(self_.clone())),
                match_(
                    var("value"),
                    vec![
                        arm(
                            tuple_pat(relative(&[name, &other]), [bind("value")]),
                            var("value"),
                        ),
                        arm(
                            bind("known"),
                            method(
                                method(var("known"), ident("as_str"), []),
                                ident("to_owned"),
                                [],
                            ),
                        ),
                    ],
                ),
            )],
        );

        let formatter = with_args(
            std(&["fmt", "Formatter"]),
            false,
            vec![GenericArgument::Lifetime(syn::Lifetime::new(
                "'_",
                proc_macro2::Span::call_site(),
            ))],
        );
        let display = impl_item(
            allow_deprecated(allow),
            Some(std(&["fmt", "Display"])),
            ty(Path::from(name.clone())),
            vec![method_item(
                inline(),
                false,
                "fmt",
                vec![ref_self(), arg("f", reference(None, true, ty(formatter)))],
                ty(std(&["fmt", "Result"])),
                method(
                    var("f"),
                    ident("write_str"),
                    [method(var("self"), ident("as_str"), [])],
                ),
            )],
        );
        [inherent, from_string, into_string, display]
    }
}
