//! Emits the constraint checks decided in `ir` (see `ir::checks`): a
//! `validate` method on each struct or union with [`TypeDef::checks`], and
//! the checks an operation runs on its parameters and body before anything
//! is built or sent. The logic lives in `apigen_runtime::validate`; generated
//! code only calls its helpers.
//!
//! Both are built as syntax trees ([`super::syntax`]); an operation's checks
//! read:
//!
//! ```text
//! {
//!     use ::apigen_runtime::validate as v;
//!     static NAME: v::Pattern = v::Pattern::new("^[a-z]+$");
//!     v::at("path parameter name", || v::pattern(name, &NAME))?;
//!     if let ::std::option::Option::Some(value) = &params.limit {
//!         v::at("query parameter limit", || v::maximum(value, 100i64))?;
//!     }
//! }
//! ```

use proc_macro2::{Ident, Literal};
use serde_json::Number;
use syn::{Expr, Stmt};

use super::syntax::{
    self, arm, bind, block, call, closure, doc_attr, field, if_let, lit, match_, method, path_expr,
    ref_, relative, semi, some_pat, std, str_lit, try_, tuple_pat, var, wild, word_attr,
};
use super::{Cx, ident, location_word};
use crate::ir::{Check, Operation, Presence, Rule, Ty, TypeDef, TypeKind};

/// Where a checked value is: a variable or a field of `self`.
#[derive(Clone, Copy)]
enum Access<'n> {
    Var(&'n str),
    SelfField(&'n str),
}

impl Access<'_> {
    fn expr(self) -> Expr {
        match self {
            Access::Var(name) => var(name),
            Access::SelfField(name) => field(var("self"), name),
        }
    }
}

/// A value to check: an expression of type `&T`, or a place of type `T`.
#[derive(Clone, Copy)]
enum Val<'n> {
    Ref(Access<'n>),
    Place(Access<'n>),
}

impl Val<'_> {
    /// An expression of type `&T`.
    fn by_ref(self) -> Expr {
        match self {
            Val::Ref(a) => a.expr(),
            Val::Place(a) => ref_(a.expr()),
        }
    }

    /// An expression methods can be called on.
    fn receiver(self) -> Expr {
        match self {
            Val::Ref(a) | Val::Place(a) => a.expr(),
        }
    }
}

/// `Ok(())`.
fn ok() -> Expr {
    call(
        path_expr(std(&["result", "Result", "Ok"])),
        [syntax::unit_expr()],
    )
}

/// `v::name`, a helper of `apigen_runtime::validate`.
fn v(name: &str) -> syn::Path {
    relative(&[&ident("v"), &ident(name)])
}

/// `v::name(args…)`.
fn helper(name: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    call(path_expr(v(name)), args)
}

/// `v::at(label, || check)?;`: `check` run with `label` added to its error.
fn at(label: &str, check: Expr) -> Stmt {
    semi(try_(helper(
        "at",
        [lit(str_lit(label)), closure([], check)],
    )))
}

/// One expression running `parts` (each a `Result<(), ValidationError>`) in
/// order, stopping at the first error.
fn sequence(mut parts: Vec<Expr>) -> Expr {
    let Some(last) = parts.pop() else {
        return ok();
    };
    if parts.is_empty() {
        return last;
    }
    let mut stmts: Vec<Stmt> = parts.into_iter().map(|p| semi(try_(p))).collect();
    stmts.push(Stmt::Expr(last, None));
    syntax::block_expr(stmts)
}

/// The compiled patterns of one function: one `static` per distinct source,
/// named after where it is first used (`INTEGRATION_ID`), declared at the top
/// of the function so each is compiled once, on first use.
#[derive(Default)]
struct Statics {
    /// (source, name).
    patterns: Vec<(String, String)>,
}

impl Statics {
    fn pattern(&mut self, source: &str, hint: &str) -> Ident {
        if let Some((_, name)) = self.patterns.iter().find(|(s, _)| s == source) {
            return ident(name);
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
        let id = ident(&name);
        self.patterns.push((source.to_owned(), name));
        id
    }

    /// `static NAME: v::Pattern = v::Pattern::new("source");` for each.
    fn decls(self) -> impl Iterator<Item = Stmt> {
        self.patterns.into_iter().map(|(source, name)| {
            let new = relative(&[&ident("v"), &ident("Pattern"), &ident("new")]);
            Stmt::Item(syn::Item::Static(syn::ItemStatic {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                static_token: Default::default(),
                mutability: syn::StaticMutability::None,
                ident: ident(&name),
                colon_token: Default::default(),
                ty: Box::new(syntax::ty(v("Pattern"))),
                eq_token: Default::default(),
                expr: Box::new(call(path_expr(new), [lit(str_lit(&source))])),
                semi_token: Default::default(),
            }))
        })
    }
}

/// A number from the spec as a Rust literal expression (`1i64`, `-2i64`,
/// `18446744073709551615u64`, `0.5f64`).
fn number(n: &Number) -> Expr {
    let literal = |l: Literal| lit(syn::Lit::new(l));
    let neg = |e: Expr| {
        Expr::Unary(syn::ExprUnary {
            attrs: Vec::new(),
            op: syn::UnOp::Neg(Default::default()),
            expr: Box::new(e),
        })
    };
    if let Some(u) = n.as_u64() {
        return match i64::try_from(u) {
            Ok(i) => literal(Literal::i64_suffixed(i)),
            Err(_) => literal(Literal::u64_suffixed(u)),
        };
    }
    if let Some(i) = n.as_i64() {
        if i == i64::MIN {
            return path_expr(relative(&[&ident("i64"), &ident("MIN")]));
        }
        return neg(literal(Literal::i64_suffixed(-i)));
    }
    let f = n.as_f64().unwrap_or(0.0);
    let l = literal(Literal::f64_suffixed(f.abs()));
    if f < 0.0 { neg(l) } else { l }
}

/// A length or count as an unsuffixed literal.
fn count(n: u64) -> Expr {
    lit(syntax::int_lit(n))
}

/// Whether emitting `c` uses `apigen_runtime::validate` (not only methods).
fn uses_helpers(c: &Check) -> bool {
    !c.rules.is_empty() || c.each.is_some()
}

impl Cx<'_> {
    /// `use <runtime>::validate as v;`.
    fn use_validate(&self) -> Stmt {
        Stmt::Item(syn::Item::Use(self.rt_root.use_as("validate", "v")))
    }

    /// `impl T { pub fn validate(&self) … }` for a struct or union with
    /// constraints beneath it; nothing for other types. `#[inline]`: it is
    /// compiled where it is called (operations are async, so they are
    /// compiled where awaited), not every time the client is.
    pub(super) fn validate_impl(&self, t: &TypeDef) -> Option<syn::Item> {
        let checks = t.checks.as_ref()?;
        let mut st = Statics::default();
        let (body, helpers, deprecated_fields) = match &t.kind {
            TypeKind::Struct(s) => {
                let mut stmts = Vec::new();
                for (f, c) in s.fields.iter().zip(&checks.fields) {
                    let Some(c) = c else { continue };
                    let (binding, value) = match f.presence {
                        Presence::Required => (None, Val::Place(Access::SelfField(&f.name))),
                        Presence::RequiredNullable | Presence::Optional => {
                            (Some(some_pat("value")), Val::Ref(Access::Var("value")))
                        }
                        Presence::OptionalNullable => (
                            Some(tuple_pat(
                                self.rt_root.join(&["Nullable", "Value"]),
                                [bind("value")],
                            )),
                            Val::Ref(Access::Var("value")),
                        ),
                    };
                    let check = self.check_expr(c, &f.ty, value, &f.name, &mut st);
                    let stmt = at(&f.json_name, check);
                    stmts.push(match binding {
                        None => stmt,
                        Some(pat) => {
                            semi(if_let(pat, ref_(field(var("self"), &f.name)), vec![stmt]))
                        }
                    });
                }
                if let (Some((extra, ty)), Some(c)) = (&s.extra, &checks.extra) {
                    let map = Ty::Map(Box::new(ty.clone()));
                    let value = Val::Place(Access::SelfField(extra));
                    let check = self.check_expr(c, &map, value, "extra", &mut st);
                    stmts.push(semi(try_(check)));
                }
                stmts.push(Stmt::Expr(ok(), None));
                (stmts, true, s.fields.iter().any(|f| f.deprecated))
            }
            TypeKind::Union(u) => {
                let mut arms = Vec::new();
                let mut helpers = false;
                for (variant, c) in u.variants.iter().zip(&checks.variants) {
                    let Some(c) = c else { continue };
                    helpers |= uses_helpers(c);
                    let value = Val::Ref(Access::Var("value"));
                    let check = self.check_expr(c, &variant.ty, value, &variant.name, &mut st);
                    let pat = relative(&[&ident("Self"), &ident(&variant.name)]);
                    arms.push(arm(tuple_pat(pat, [bind("value")]), check));
                }
                // Variants without checks, and the fallback keeping unknown
                // values, have nothing to check.
                let all = arms.len() == u.variants.len();
                let mut fallback = arm(wild(), ok());
                if all {
                    fallback
                        .attrs
                        .push(syntax::allow(quote::quote!(unreachable_patterns)));
                }
                arms.push(fallback);
                let body = match_(var("self"), arms);
                (vec![Stmt::Expr(body, None)], helpers, false)
            }
            _ => return None,
        };
        let mut stmts = Vec::new();
        if helpers {
            stmts.push(self.use_validate());
        }
        stmts.extend(st.decls());
        stmts.extend(body);
        let output = syntax::generic(
            std(&["result", "Result"]),
            vec![
                syntax::tuple_ty(Vec::new()),
                syntax::ty(self.rt_root.join(&["ValidationError"])),
            ],
        );
        let doc = [
            " Checks the constraints the API description puts on this value and on",
            " everything in it (`pattern`, `minLength`, `minimum`, `minItems`, …).",
            " Operations call it before sending a request; values read from",
            " responses are never checked.",
        ];
        let mut attrs: Vec<syn::Attribute> = doc.into_iter().map(doc_attr).collect();
        attrs.push(word_attr("inline"));
        let validate = syn::ImplItem::Fn(syn::ImplItemFn {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            modifiers: Default::default(),
            sig: syntax::signature(
                "validate",
                syn::Generics::default(),
                vec![syntax::ref_self()],
                output,
            ),
            block: block(stmts),
        });
        Some(syntax::impl_item(
            syntax::allow_deprecated(t.deprecated || deprecated_fields),
            None,
            syntax::ty(syn::Path::from(ident(&t.name))),
            vec![validate],
        ))
    }

    /// The statement checking an operation's parameters and body, run
    /// before the request is built (a violation returns
    /// `Error::InvalidRequest`); `None` when nothing is checked.
    pub(super) fn op_checks(&self, op: &Operation) -> Option<Stmt> {
        let mut st = Statics::default();
        let mut stmts = Vec::new();
        for p in &op.params {
            let Some(c) = &p.checks else { continue };
            let label = format!("{} parameter {}", location_word(p.location), p.name);
            if p.required {
                let a = Access::Var(&p.ident);
                let value = if self.arg_by_ref(&p.ty) {
                    Val::Ref(a)
                } else {
                    Val::Place(a)
                };
                let check = self.check_expr(c, &p.ty, value, &p.ident, &mut st);
                stmts.push(at(&label, check));
            } else {
                let value = Val::Ref(Access::Var("value"));
                let check = self.check_expr(c, &p.ty, value, &p.ident, &mut st);
                stmts.push(semi(if_let(
                    some_pat("value"),
                    ref_(field(var("params"), &p.ident)),
                    vec![at(&label, check)],
                )));
            }
        }
        if let Some(b) = &op.body {
            if let (Some(ty), Some(c)) = (b.kind.serde_ty(), &b.checks) {
                let value = Val::Ref(Access::Var("body"));
                let check = self.check_expr(c, ty, value, "body", &mut st);
                let stmt = at("body", check);
                stmts.push(if b.required {
                    stmt
                } else {
                    semi(if_let(some_pat("body"), var("body"), vec![stmt]))
                });
            }
        }
        if stmts.is_empty() {
            return None;
        }
        let mut all = vec![self.use_validate()];
        all.extend(st.decls());
        all.extend(stmts);
        Some(Stmt::Expr(syntax::block_expr(all), None))
    }

    /// An expression of type `Result<(), ValidationError>` running check `c`
    /// on `value` of type `ty` (`Option`s and aliases looked through, as in
    /// the IR).
    fn check_expr(&self, c: &Check, ty: &Ty, value: Val<'_>, hint: &str, st: &mut Statics) -> Expr {
        match ty {
            Ty::Option(inner) => {
                let check = self.check_expr(c, inner, Val::Ref(Access::Var("value")), hint, st);
                let none = syn::Pat::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: std(&["option", "Option", "None"]),
                });
                return match_(
                    value.by_ref(),
                    vec![arm(some_pat("value"), check), arm(none, ok())],
                );
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
        let mut parts = Vec::new();
        for rule in &c.rules {
            let r = value.by_ref();
            parts.push(match rule {
                Rule::MinLength(n) => helper("min_length", [r, count(*n)]),
                Rule::MaxLength(n) => helper("max_length", [r, count(*n)]),
                Rule::Pattern(p) => {
                    let s = st.pattern(p, hint);
                    helper("pattern", [r, ref_(path_expr(syn::Path::from(s)))])
                }
                Rule::Minimum(n) => helper("minimum", [r, number(n)]),
                Rule::ExclusiveMinimum(n) => helper("exclusive_minimum", [r, number(n)]),
                Rule::Maximum(n) => helper("maximum", [r, number(n)]),
                Rule::ExclusiveMaximum(n) => helper("exclusive_maximum", [r, number(n)]),
                Rule::MultipleOf(n) => helper("multiple_of", [r, number(n)]),
                Rule::MinItems(n) => helper("min_items", [r, count(*n)]),
                Rule::MaxItems(n) => helper("max_items", [r, count(*n)]),
                Rule::UniqueItems => helper("unique_items", [r]),
                Rule::MinProperties(n) => helper("min_properties", [r, count(*n)]),
                Rule::MaxProperties(n) => helper("max_properties", [r, count(*n)]),
            });
        }
        // The IR only sets `each` on arrays and maps.
        let each = match (&c.each, ty) {
            (Some(each), Ty::Vec(inner)) => Some(("each", each, inner)),
            (Some(each), Ty::Map(inner)) => Some(("each_value", each, inner)),
            _ => None,
        };
        if let Some((name, each, inner)) = each {
            let check = self.check_expr(each, inner, Val::Ref(Access::Var("item")), hint, st);
            parts.push(helper(
                name,
                [value.by_ref(), closure([bind("item")], check)],
            ));
        }
        if c.nested {
            parts.push(method(value.receiver(), ident("validate"), []));
        }
        sequence(parts)
    }
}
