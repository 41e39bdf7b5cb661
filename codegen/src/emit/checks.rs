//! Emits the constraint checks decided in `ir` (see `ir::checks`): a
//! `validate` method on each struct or union with [`TypeDef::checks`], and
//! the checks an operation runs on its parameters and body before anything
//! is built or sent. The logic lives in `apigen_runtime::validate`; generated
//! code only calls its helpers.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Number;

use super::{Cx, allow_deprecated, ident, location_word};
use crate::ir::{Check, Operation, Presence, Rule, Ty, TypeDef, TypeKind};

/// A value to check: an expression of type `&T`, or a place of type `T`.
#[derive(Clone)]
enum Val {
    Ref(TokenStream),
    Place(TokenStream),
}

impl Val {
    /// An expression of type `&T`.
    fn by_ref(&self) -> TokenStream {
        match self {
            Val::Ref(e) => e.clone(),
            Val::Place(e) => quote!(&#e),
        }
    }

    /// An expression methods can be called on.
    fn receiver(&self) -> TokenStream {
        match self {
            Val::Ref(e) | Val::Place(e) => e.clone(),
        }
    }
}

/// `Ok(())`.
fn ok() -> TokenStream {
    quote!(::std::result::Result::Ok(()))
}

/// One expression running `parts` (each a `Result<(), ValidationError>`) in
/// order, stopping at the first error.
fn sequence(parts: Vec<TokenStream>) -> TokenStream {
    match parts.as_slice() {
        [] => ok(),
        [one] => one.clone(),
        [init @ .., last] => quote!({
            #(#init?;)*
            #last
        }),
    }
}

/// The compiled patterns of one function: one `static` per distinct source,
/// named after where it is first used (`INTEGRATION_ID`), declared at the top
/// of the function so each is compiled once, on first use.
#[derive(Default)]
struct Statics {
    /// (source, name).
    patterns: Vec<(String, Ident)>,
}

impl Statics {
    fn pattern(&mut self, source: &str, hint: &str) -> Ident {
        if let Some((_, name)) = self.patterns.iter().find(|(s, _)| s == source) {
            return name.clone();
        }
        let base = crate::names::bare(hint).to_ascii_uppercase();
        let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            format!("PATTERN_{base}")
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 1;
        while self.patterns.iter().any(|(_, i)| *i == name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        let name = format_ident!("{}", name);
        self.patterns.push((source.to_owned(), name.clone()));
        name
    }

    fn decls(&self) -> TokenStream {
        let decls = self
            .patterns
            .iter()
            .map(|(source, name)| quote!(static #name: v::Pattern = v::Pattern::new(#source);));
        quote!(#(#decls)*)
    }
}

/// A number from the spec as a Rust literal expression (`1i64`, `-2i64`,
/// `18446744073709551615u64`, `0.5f64`).
fn number(n: &Number) -> TokenStream {
    if let Some(u) = n.as_u64() {
        if i64::try_from(u).is_ok() {
            let l = Literal::i64_suffixed(u as i64);
            return quote!(#l);
        }
        let l = Literal::u64_suffixed(u);
        return quote!(#l);
    }
    if let Some(i) = n.as_i64() {
        if i == i64::MIN {
            return quote!(i64::MIN);
        }
        let l = Literal::i64_suffixed(-i);
        return quote!(-#l);
    }
    let f = n.as_f64().unwrap_or(0.0);
    let l = Literal::f64_suffixed(f.abs());
    if f < 0.0 { quote!(-#l) } else { quote!(#l) }
}

/// A length or count as an unsuffixed literal.
fn count(n: u64) -> Literal {
    Literal::u64_unsuffixed(n)
}

/// Whether emitting `c` uses `apigen_runtime::validate` (not only methods).
fn uses_helpers(c: &Check) -> bool {
    !c.rules.is_empty() || c.each.is_some()
}

impl Cx<'_> {
    /// `impl T { pub fn validate(&self) … }` for a struct or union with
    /// constraints beneath it; nothing for other types. `#[inline]`: it is
    /// compiled where it is called (operations are async, so they are
    /// compiled where awaited), not every time the client is.
    pub(super) fn validate_impl(&self, t: &TypeDef) -> TokenStream {
        let Some(checks) = &t.checks else {
            return quote!();
        };
        let rt = &self.rt;
        let name = ident(&t.name);
        let mut st = Statics::default();
        let (body, helpers, deprecated_fields) = match &t.kind {
            TypeKind::Struct(s) => {
                let mut stmts = Vec::new();
                for (f, c) in s.fields.iter().zip(&checks.fields) {
                    let Some(c) = c else { continue };
                    let field = ident(&f.name);
                    let json = &f.json_name;
                    let (binding, value) = match f.presence {
                        Presence::Required => (None, Val::Place(quote!(self.#field))),
                        Presence::RequiredNullable | Presence::Optional => (
                            Some(quote!(::std::option::Option::Some(value))),
                            Val::Ref(quote!(value)),
                        ),
                        Presence::OptionalNullable => (
                            Some(quote!(#rt::Nullable::Value(value))),
                            Val::Ref(quote!(value)),
                        ),
                    };
                    let check = self.check_expr(c, &f.ty, &value, &f.name, &mut st);
                    let stmt = quote!(v::at(#json, || #check)?;);
                    stmts.push(match binding {
                        None => stmt,
                        Some(pat) => quote!(if let #pat = &self.#field { #stmt }),
                    });
                }
                if let (Some((extra, ty)), Some(c)) = (&s.extra, &checks.extra) {
                    let extra = ident(extra);
                    let map = Ty::Map(Box::new(ty.clone()));
                    let value = Val::Place(quote!(self.#extra));
                    let check = self.check_expr(c, &map, &value, "extra", &mut st);
                    stmts.push(quote!(#check?;));
                }
                let ok = ok();
                (
                    quote!(#(#stmts)* #ok),
                    true,
                    s.fields.iter().any(|f| f.deprecated),
                )
            }
            TypeKind::Union(u) => {
                let mut arms = Vec::new();
                let mut helpers = false;
                for (v, c) in u.variants.iter().zip(&checks.variants) {
                    let Some(c) = c else { continue };
                    helpers |= uses_helpers(c);
                    let n = ident(&v.name);
                    let value = Val::Ref(quote!(value));
                    let check = self.check_expr(c, &v.ty, &value, &v.name, &mut st);
                    arms.push(quote!(Self::#n(value) => #check,));
                }
                // Variants without checks, and the fallback keeping unknown
                // values, have nothing to check.
                let all = arms.len() == u.variants.len();
                let unreachable = all.then(|| quote!(#[allow(unreachable_patterns)]));
                let ok = ok();
                (
                    quote!(match self {
                        #(#arms)*
                        #unreachable
                        _ => #ok,
                    }),
                    helpers,
                    false,
                )
            }
            _ => return quote!(),
        };
        let statics = st.decls();
        let import = helpers.then(|| quote!(use #rt::validate as v;));
        let allow = allow_deprecated(t.deprecated || deprecated_fields);
        quote! {
            #allow
            impl #name {
                /// Checks the constraints the API description puts on this value and on
                /// everything in it (`pattern`, `minLength`, `minimum`, `minItems`, …).
                /// Operations call it before sending a request; values read from
                /// responses are never checked.
                #[inline]
                pub fn validate(&self) -> ::std::result::Result<(), #rt::ValidationError> {
                    #import
                    #statics
                    #body
                }
            }
        }
    }

    /// Statements checking an operation's parameters and body, run before
    /// the request is built: a violation returns `Error::InvalidRequest`.
    pub(super) fn op_checks(&self, op: &Operation) -> TokenStream {
        let rt = &self.rt;
        let mut st = Statics::default();
        let mut stmts = Vec::new();
        for p in &op.params {
            let Some(c) = &p.checks else { continue };
            let label = format!("{} parameter {}", location_word(p.location), p.name);
            let a = ident(&p.ident);
            if p.required {
                let by_ref = self.arg_ty(&p.ty).to_string().starts_with('&');
                let value = if by_ref {
                    Val::Ref(quote!(#a))
                } else {
                    Val::Place(quote!(#a))
                };
                let check = self.check_expr(c, &p.ty, &value, &p.ident, &mut st);
                stmts.push(quote!(v::at(#label, || #check)?;));
            } else {
                let value = Val::Ref(quote!(value));
                let check = self.check_expr(c, &p.ty, &value, &p.ident, &mut st);
                stmts.push(quote! {
                    if let ::std::option::Option::Some(value) = &params.#a {
                        v::at(#label, || #check)?;
                    }
                });
            }
        }
        if let Some(b) = &op.body {
            if let (Some(ty), Some(c)) = (b.kind.serde_ty(), &b.checks) {
                let check = self.check_expr(c, ty, &Val::Ref(quote!(body)), "body", &mut st);
                let stmt = quote!(v::at("body", || #check)?;);
                stmts.push(if b.required {
                    stmt
                } else {
                    quote!(if let ::std::option::Option::Some(body) = body { #stmt })
                });
            }
        }
        if stmts.is_empty() {
            return quote!();
        }
        let statics = st.decls();
        quote! {
            {
                use #rt::validate as v;
                #statics
                #(#stmts)*
            }
        }
    }

    /// An expression of type `Result<(), ValidationError>` running check `c`
    /// on `value` of type `ty` (`Option`s and aliases looked through, as in
    /// the IR).
    fn check_expr(
        &self,
        c: &Check,
        ty: &Ty,
        value: &Val,
        hint: &str,
        st: &mut Statics,
    ) -> TokenStream {
        match ty {
            Ty::Option(inner) => {
                let r = value.by_ref();
                let check = self.check_expr(c, inner, &Val::Ref(quote!(value)), hint, st);
                let ok = ok();
                return quote! {
                    match #r {
                        ::std::option::Option::Some(value) => #check,
                        ::std::option::Option::None => #ok,
                    }
                };
            }
            Ty::Named(id) => {
                if let TypeKind::Alias(inner) = &self.api.types[*id].kind {
                    if !self.api.types[*id].newtype {
                        return self.check_expr(c, inner, value, hint, st);
                    }
                }
            }
            _ => {}
        }
        let r = value.by_ref();
        let mut parts = Vec::new();
        for rule in &c.rules {
            parts.push(match rule {
                Rule::MinLength(n) => {
                    let n = count(*n);
                    quote!(v::min_length(#r, #n))
                }
                Rule::MaxLength(n) => {
                    let n = count(*n);
                    quote!(v::max_length(#r, #n))
                }
                Rule::Pattern(p) => {
                    let s = st.pattern(p, hint);
                    quote!(v::pattern(#r, &#s))
                }
                Rule::Minimum(n) => {
                    let n = number(n);
                    quote!(v::minimum(#r, #n))
                }
                Rule::ExclusiveMinimum(n) => {
                    let n = number(n);
                    quote!(v::exclusive_minimum(#r, #n))
                }
                Rule::Maximum(n) => {
                    let n = number(n);
                    quote!(v::maximum(#r, #n))
                }
                Rule::ExclusiveMaximum(n) => {
                    let n = number(n);
                    quote!(v::exclusive_maximum(#r, #n))
                }
                Rule::MultipleOf(n) => {
                    let n = number(n);
                    quote!(v::multiple_of(#r, #n))
                }
                Rule::MinItems(n) => {
                    let n = count(*n);
                    quote!(v::min_items(#r, #n))
                }
                Rule::MaxItems(n) => {
                    let n = count(*n);
                    quote!(v::max_items(#r, #n))
                }
                Rule::UniqueItems => quote!(v::unique_items(#r)),
                Rule::MinProperties(n) => {
                    let n = count(*n);
                    quote!(v::min_properties(#r, #n))
                }
                Rule::MaxProperties(n) => {
                    let n = count(*n);
                    quote!(v::max_properties(#r, #n))
                }
            });
        }
        // The IR only sets `each` on arrays and maps.
        let each = match (&c.each, ty) {
            (Some(each), Ty::Vec(inner)) => Some((quote!(v::each), each, inner)),
            (Some(each), Ty::Map(inner)) => Some((quote!(v::each_value), each, inner)),
            _ => None,
        };
        if let Some((helper, each, inner)) = each {
            let check = self.check_expr(each, inner, &Val::Ref(quote!(item)), hint, st);
            parts.push(quote!(#helper(#r, |item| #check)));
        }
        if c.nested {
            let recv = value.receiver();
            parts.push(quote!(#recv.validate()));
        }
        sequence(parts)
    }
}
