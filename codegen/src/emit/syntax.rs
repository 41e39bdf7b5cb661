//! Syntax trees built directly, for the items repeated most in a module.
//!
//! Everything else is emitted as tokens and parsed before printing. For the
//! per-struct `Deserialize` code that parse costs several times what
//! building the same trees costs (syn's parser, working without a compiler,
//! allocates for every identifier it looks at), so `de` builds them with
//! these constructors instead. The printed text is the same either way.
//!
//! syn's `clone-impls` feature is off (it would slow every build of apigen),
//! so nothing here is cloned: each call builds a new tree.

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::{Expr, GenericArgument, Path, PathArguments, PathSegment, Stmt, Type, token};

/// The segments of a path such as `::apigen_runtime`, from which paths
/// below it are built.
pub(super) struct Root {
    leading_colon: bool,
    segments: Vec<Ident>,
}

impl Root {
    /// `path` as [`super::path_tokens`] reads it.
    pub(super) fn new(path: &str) -> Root {
        let trimmed = path.trim();
        Root {
            leading_colon: trimmed.starts_with("::"),
            segments: trimmed
                .trim_start_matches("::")
                .split("::")
                .map(|seg| super::ident(seg.trim()))
                .collect(),
        }
    }

    /// The path `root::rest[0]::rest[1]…`.
    pub(super) fn join(&self, rest: &[&str]) -> Path {
        let mut path = Path {
            leading_colon: self.leading_colon.then(Default::default),
            segments: Punctuated::new(),
        };
        for seg in &self.segments {
            path.segments.push(PathSegment::from(seg.clone()));
        }
        for seg in rest {
            path.segments.push(PathSegment::from(ident(seg)));
        }
        path
    }
}

/// An identifier with the call-site span.
pub(super) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `path` with `args` in angle brackets on its last segment, with the
/// turbofish when `turbofish` (`f::<A>` in an expression, `T<A>` in a type).
pub(super) fn with_args(mut path: Path, turbofish: bool, args: Vec<GenericArgument>) -> Path {
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: turbofish.then(Default::default),
            lt_token: Default::default(),
            args: args.into_iter().collect(),
            gt_token: Default::default(),
        });
    }
    path
}

/// The type named `path`.
pub(super) fn ty(path: Path) -> Type {
    Type::Path(syn::TypePath { qself: None, path })
}

/// The generic argument `name` (a type parameter or `Self`).
pub(super) fn ty_arg(name: &str) -> GenericArgument {
    GenericArgument::Type(ty(Path::from(ident(name))))
}

/// The expression `path`.
pub(super) fn path_expr(path: Path) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// The local variable (or other single-segment path) `name`.
pub(super) fn var(name: &str) -> Expr {
    path_expr(Path::from(ident(name)))
}

/// `func(args…)`.
pub(super) fn call(func: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.method(args…)`.
pub(super) fn method(receiver: Expr, method: Ident, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method,
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `&mut expr`.
pub(super) fn ref_mut(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: Some(Default::default()),
        expr: Box::new(expr),
    })
}

/// `expr?`.
pub(super) fn try_(expr: Expr) -> Expr {
    Expr::Try(syn::ExprTry {
        attrs: Vec::new(),
        expr: Box::new(expr),
        question_token: Default::default(),
    })
}

/// A literal expression.
pub(super) fn lit(lit: syn::Lit) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// The string literal `value`.
pub(super) fn str_lit(value: &str) -> syn::Lit {
    syn::Lit::Str(syn::LitStr::new(value, Span::call_site()))
}

/// The unsuffixed integer literal `value`.
pub(super) fn int_lit(value: usize) -> syn::Lit {
    syn::Lit::Int(syn::LitInt::new(&value.to_string(), Span::call_site()))
}

/// `let mut name = init;`.
pub(super) fn let_mut(name: Ident, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: Some(Default::default()),
            ident: name,
            subpat: None,
        }),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

/// `expr;`.
pub(super) fn semi(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(token::Semi::default()))
}

/// A block of `stmts`.
pub(super) fn block(stmts: Vec<Stmt>) -> syn::Block {
    syn::Block {
        brace_token: Default::default(),
        stmts,
    }
}
