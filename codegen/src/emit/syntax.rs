//! Syntax trees built directly, for the items repeated most in a module.
//!
//! Everything else is emitted as tokens and parsed before printing. Parsing
//! costs several times what building the same trees costs (syn's parser,
//! working without a compiler, allocates for every identifier it looks at),
//! so the items a module is mostly made of are built with these
//! constructors: structs and their types (`structs`), their `Deserialize`
//! impls (`de`), string enums' impls (`enums`), operation methods (`ops`)
//! and validation checks (`checks`). The printed text is the same either
//! way.
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
    /// The root `path` (`::apigen_runtime`, `crate::rt`), which has no
    /// generic arguments.
    pub(super) fn new(path: &Path) -> Root {
        Root {
            leading_colon: path.leading_colon.is_some(),
            segments: path.segments.iter().map(|s| s.ident.clone()).collect(),
        }
    }

    /// `use root::name as rename;`.
    pub(super) fn use_as(&self, name: &str, rename: &str) -> syn::ItemUse {
        let mut tree = syn::UseTree::Rename(syn::UseRename {
            ident: ident(name),
            as_token: Default::default(),
            rename: ident(rename),
        });
        for seg in self.segments.iter().rev() {
            tree = syn::UseTree::Path(syn::UsePath {
                ident: seg.clone(),
                colon2_token: Default::default(),
                tree: Box::new(tree),
            });
        }
        syn::ItemUse {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            use_token: Default::default(),
            leading_colon: self.leading_colon.then(Default::default),
            tree,
            semi_token: Default::default(),
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

/// `()`.
pub(super) fn unit_expr() -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: Punctuated::new(),
    })
}

/// The block expression `{ stmts… }`.
pub(super) fn block_expr(stmts: Vec<Stmt>) -> Expr {
    Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: block(stmts),
    })
}

/// An identifier with the call-site span, raw (`r#type`) when `name` says so.
pub(super) fn ident(name: &str) -> Ident {
    super::ident(name)
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
    Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// The type `path<args…>`.
pub(super) fn generic(path: Path, args: Vec<Type>) -> Type {
    ty(with_args(
        path,
        false,
        args.into_iter().map(GenericArgument::Type).collect(),
    ))
}

/// The tuple type `(elems,…)`, each element followed by a comma as
/// `quote!((#(#elems,)*))` writes it; `()` without elements.
pub(super) fn tuple_ty(elems: Vec<Type>) -> Type {
    let mut punctuated = Punctuated::new();
    for elem in elems {
        punctuated.push_value(elem);
        punctuated.push_punct(Default::default());
    }
    Type::Tuple(syn::TypeTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: punctuated,
    })
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
    borrow(true, expr)
}

/// `&expr`.
pub(super) fn ref_(expr: Expr) -> Expr {
    borrow(false, expr)
}

fn borrow(mutable: bool, expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: mutable.then(Default::default),
        expr: Box::new(expr),
    })
}

/// `base.name`.
pub(super) fn field(base: Expr, name: &str) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(ident(name)),
    })
}

/// `place = value`.
pub(super) fn assign(place: Expr, value: Expr) -> Expr {
    Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(place),
        eq_token: Default::default(),
        right: Box::new(value),
    })
}

/// `expr.await`.
pub(super) fn await_(expr: Expr) -> Expr {
    Expr::Await(syn::ExprAwait {
        attrs: Vec::new(),
        base: Box::new(expr),
        dot_token: Default::default(),
        await_token: Default::default(),
    })
}

/// `Path { name: value, … }`.
pub(super) fn struct_expr(path: Path, fields: Vec<(&str, Expr)>) -> Expr {
    let mut fields: syn::punctuated::Punctuated<syn::FieldValue, syn::Token![,]> = fields
        .into_iter()
        .map(|(name, expr)| syn::FieldValue {
            attrs: Vec::new(),
            member: syn::Member::Named(ident(name)),
            colon_token: Some(Default::default()),
            expr,
        })
        .collect();
    if !fields.is_empty() {
        fields.push_punct(Default::default());
    }
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: Default::default(),
        fields,
        dot2_token: None,
        rest: None,
    })
}

/// `[elems…]`.
pub(super) fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `|inputs…| body`.
pub(super) fn closure(inputs: impl IntoIterator<Item = syn::Pat>, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        modifiers: Default::default(),
        constness: None,
        asyncness: None,
        capture: None,
        inputs_begin: Default::default(),
        inputs: inputs.into_iter().collect(),
        inputs_end: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `if let pat = scrutinee { stmts… }`.
pub(super) fn if_let(pat: syn::Pat, scrutinee: Expr, stmts: Vec<Stmt>) -> Expr {
    Expr::If(syn::ExprIf {
        attrs: Vec::new(),
        if_token: Default::default(),
        cond: Box::new(Expr::Let(syn::ExprLet {
            attrs: Vec::new(),
            let_token: Default::default(),
            pat: Box::new(pat),
            eq_token: Default::default(),
            expr: Box::new(scrutinee),
        })),
        then_branch: block(stmts),
        else_branch: None,
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

/// The literal `true` or `false`.
pub(super) fn bool_lit(value: bool) -> syn::Lit {
    syn::Lit::Bool(syn::LitBool::new(value, Span::call_site()))
}

/// The unsuffixed integer literal `value` (an integer).
pub(super) fn int_lit(value: impl std::fmt::Display) -> syn::Lit {
    syn::Lit::Int(syn::LitInt::new(&value.to_string(), Span::call_site()))
}

/// `let mut name = init;`.
pub(super) fn let_mut(name: Ident, init: Expr) -> Stmt {
    let_(true, name, init)
}

/// `let name = init;`, `let mut` when `mutable`.
pub(super) fn let_(mutable: bool, name: Ident, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat: syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: mutable.then(Default::default),
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

/// `pat => body,`.
pub(super) fn arm(pat: syn::Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// `#[allow(deprecated)]` when `on`.
pub(super) fn allow_deprecated(on: bool) -> Vec<syn::Attribute> {
    if !on {
        return Vec::new();
    }
    vec![allow(quote::quote!(deprecated))]
}

/// `#[allow(lint)]`.
pub(super) fn allow(lint: proc_macro2::TokenStream) -> syn::Attribute {
    outer_attr(syn::Meta::List(syn::MetaList {
        path: Path::from(ident("allow")),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens: lint,
    }))
}

/// `::std::…`.
pub(super) fn std(rest: &[&str]) -> Path {
    Path {
        leading_colon: Some(Default::default()),
        segments: std::iter::once("std")
            .chain(rest.iter().copied())
            .map(|seg| PathSegment::from(ident(seg)))
            .collect(),
    }
}

/// `&'lifetime mut elem` (`lifetime` with its quote, e.g. `'static`).
pub(super) fn reference(lifetime: Option<&str>, mutable: bool, elem: Type) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: lifetime.map(|l| syn::Lifetime::new(l, Span::call_site())),
        mutability: mutable.then(Default::default),
        elem: Box::new(elem),
    })
}

/// The path `a::b::…` (no leading `::`).
pub(super) fn relative(segments: &[&Ident]) -> Path {
    Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|&seg| PathSegment::from(seg.clone()))
            .collect(),
    }
}

/// The pattern binding `name`.
pub(super) fn bind(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: ident(name),
        subpat: None,
    })
}

/// The pattern `path(elems…)`.
pub(super) fn tuple_pat(path: Path, elems: impl IntoIterator<Item = syn::Pat>) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// The literal pattern `lit`.
pub(super) fn lit_pat(lit: syn::Lit) -> syn::Pat {
    syn::Pat::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// The pattern `lo..=hi`.
pub(super) fn range_pat(lo: syn::Lit, hi: syn::Lit) -> syn::Pat {
    syn::Pat::Range(syn::ExprRange {
        attrs: Vec::new(),
        start: Some(Box::new(self::lit(lo))),
        limits: syn::RangeLimits::Closed(Default::default()),
        end: Some(Box::new(self::lit(hi))),
    })
}

/// The pattern `()`.
pub(super) fn unit_pat() -> syn::Pat {
    syn::Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: Punctuated::new(),
    })
}

/// The pattern `::std::option::Option::Some(name)`.
pub(super) fn some_pat(name: &str) -> syn::Pat {
    tuple_pat(std(&["option", "Option", "Some"]), [bind(name)])
}

/// The pattern `_`.
pub(super) fn wild() -> syn::Pat {
    syn::Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Default::default(),
    })
}

/// `match scrutinee { arms… }`.
pub(super) fn match_(scrutinee: Expr, arms: Vec<syn::Arm>) -> Expr {
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(scrutinee),
        brace_token: Default::default(),
        arms,
    })
}

/// `#[name]`, e.g. `#[inline]`.
pub(super) fn word_attr(name: &str) -> syn::Attribute {
    outer_attr(syn::Meta::Path(Path::from(ident(name))))
}

/// `/// text` (`text` with its leading space).
pub(super) fn doc_attr(text: &str) -> syn::Attribute {
    doc_lit_attr(str_lit(text))
}

/// `#[doc = value]`.
pub(super) fn doc_lit_attr(value: syn::Lit) -> syn::Attribute {
    outer_attr(syn::Meta::NameValue(syn::MetaNameValue {
        path: Path::from(ident("doc")),
        eq_token: Default::default(),
        value: lit(value),
    }))
}

/// `#[meta]`.
pub(super) fn outer_attr(meta: syn::Meta) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// The argument `name: ty`.
pub(super) fn arg(name: &str, ty: Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(bind(name)),
        colon_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// The receiver `&self`.
pub(super) fn ref_self() -> syn::FnArg {
    syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        mutability: None,
        self_token: Default::default(),
        kind: syn::ReceiverKind::Reference(Default::default(), None, None),
    })
}

/// A method `fn name(inputs…) -> output { body }` without generics.
pub(super) fn method_item(
    attrs: Vec<syn::Attribute>,
    public: bool,
    name: &str,
    inputs: Vec<syn::FnArg>,
    output: Type,
    body: Expr,
) -> syn::ImplItem {
    syn::ImplItem::Fn(syn::ImplItemFn {
        attrs,
        vis: if public {
            syn::Visibility::Public(Default::default())
        } else {
            syn::Visibility::Inherited
        },
        modifiers: Default::default(),
        sig: signature(name, syn::Generics::default(), inputs, output),
        block: block(vec![Stmt::Expr(body, None)]),
    })
}

/// `fn name<generics>(inputs…) -> output`.
pub(super) fn signature(
    name: &str,
    generics: syn::Generics,
    inputs: Vec<syn::FnArg>,
    output: Type,
) -> syn::Signature {
    syn::Signature {
        constness: None,
        asyncness: None,
        safety: syn::Safety::Default,
        abi: None,
        fn_token: Default::default(),
        ident: ident(name),
        generics,
        paren_token: Default::default(),
        inputs: inputs.into_iter().collect(),
        variadic: None,
        output: syn::ReturnType::Type(Default::default(), Box::new(output)),
    }
}

/// `impl trait_ for self_ty { items… }` (an inherent impl without
/// `trait_`), without generics.
pub(super) fn impl_item(
    attrs: Vec<syn::Attribute>,
    trait_: Option<Path>,
    self_ty: Type,
    items: Vec<syn::ImplItem>,
) -> syn::Item {
    syn::Item::Impl(syn::ItemImpl {
        attrs,
        modifiers: Default::default(),
        unsafety: None,
        impl_token: Default::default(),
        generics: syn::Generics::default(),
        trait_: trait_.map(|path| (path, Default::default())),
        self_ty: Box::new(self_ty),
        brace_token: Default::default(),
        items,
    })
}
