//! The methods of a paginated operation (see [`crate::ir::Pagination`]):
//! `<name>_pages` and `<name>_stream`, which return the runtime's
//! `page::Pages` and `page::Items`, and the statements by which the private
//! `<name>_page` sends the next page's cursor, offset, page number or URL.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, Stmt};

use super::{Cx, Scope, ident};
use crate::ir::{ItemsAt, Operation, PageScheme, Pagination};

impl Cx<'_> {
    /// Whether the paging methods name or read something deprecated: the
    /// item type, or a field of the page (items, cursor, `has_more`, at any
    /// depth) or a type reached through its fields.
    fn page_reads_deprecated(&self, op: &Operation, p: &Pagination) -> bool {
        let mut any = false;
        p.item_ty
            .visit_named(&mut |id| any |= self.api.types[id].deprecated);
        let mut todo = Vec::new();
        for case in &op.successes {
            if let crate::ir::Payload::Json(t) = &case.payload {
                t.visit_named(&mut |id| todo.push(id));
            }
        }
        let mut seen = std::collections::HashSet::new();
        while let Some(id) = todo.pop() {
            if any || !seen.insert(id) {
                continue;
            }
            let t = &self.api.types[id];
            any |= t.deprecated;
            if let crate::ir::TypeKind::Struct(s) = &t.kind {
                any |= s.fields.iter().any(|f| f.deprecated);
                t.visit_named(&mut |id| todo.push(id));
            }
        }
        any
    }

    /// `let mut paged = params.clone(); if let Some(Next::Cursor(v)) = &next
    /// { paged.cursor = Some(v.clone()); } let params = &paged;` for the
    /// schemes that set a parameter.
    pub(super) fn paged_params_stmts(&self, p: &Pagination) -> Vec<Stmt> {
        let rt = &self.rt;
        let set = match &p.scheme {
            PageScheme::Cursor { field, .. } => {
                let f = ident(field);
                quote! {
                    if let ::std::option::Option::Some(#rt::page::Next::Cursor(value)) = &next {
                        paged.#f = ::std::option::Option::Some(::std::clone::Clone::clone(value));
                    }
                }
            }
            PageScheme::Offset { field } => {
                let f = ident(field);
                quote! {
                    if let ::std::option::Option::Some(#rt::page::Next::Offset(value)) = &next {
                        paged.#f = ::std::option::Option::Some(*value as _);
                    }
                }
            }
            PageScheme::Page { field, .. } => {
                let f = ident(field);
                quote! {
                    if let ::std::option::Option::Some(#rt::page::Next::Page(value)) = &next {
                        paged.#f = ::std::option::Option::Some(*value as _);
                    }
                }
            }
            PageScheme::Link | PageScheme::NextUrl { .. } => return Vec::new(),
        };
        parse_stmts(quote! {
            let mut paged = ::std::clone::Clone::clone(params);
            #set
            let params = &paged;
        })
    }

    /// `if let Some(Next::Url(url)) = &next { request = request.next_page_url(url); }`
    /// for the schemes that follow URLs.
    pub(super) fn next_page_stmts(&self, p: &Pagination) -> syn::Result<Vec<Stmt>> {
        let rt = &self.rt;
        Ok(match &p.scheme {
            PageScheme::Link | PageScheme::NextUrl { .. } => parse_stmts(quote! {
                if let ::std::option::Option::Some(#rt::page::Next::Url(url)) = &next {
                    request = request.next_page_url(url);
                }
            }),
            _ => Vec::new(),
        })
    }

    /// `<name>_pages` and `<name>_stream`.
    pub(super) fn paging_methods(
        &self,
        op: &Operation,
        p: &Pagination,
    ) -> syn::Result<Vec<ImplItem>> {
        let rt = &self.rt;
        let err = ident(&op.error_enum);
        let page_ty = match op.successes.first().map(|c| &c.payload) {
            Some(crate::ir::Payload::Json(t)) => self.ty(t, Scope::Root),
            _ => quote!(()),
        };
        let item_ty = self.ty(&p.item_ty, Scope::Root);
        // Arguments, each reference living for `'a`.
        let mut params: Vec<TokenStream> = Vec::new();
        let mut args: Vec<TokenStream> = Vec::new();
        for q in op.params.iter().filter(|q| q.required) {
            let name = ident(&q.ident);
            let mut t = self.arg_ty(&q.ty);
            with_lifetime(&mut t);
            params.push(quote!(#name: #t));
            args.push(quote!(#name));
        }
        if op.params_struct.is_some() {
            let ps = ident(op.params_struct.as_deref().unwrap_or_default());
            params.push(quote!(params: &'a #ps));
            args.push(quote!(params));
        }
        let page_fn = ident(&p.page_fn);
        let pages_fn = ident(&p.pages_fn);
        let items_fn = ident(&p.items_fn);
        let op_fn = &op.fn_name;
        let count = match &p.items {
            ItemsAt::Whole => quote!(page.len()),
            ItemsAt::Field {
                ident: f,
                optional: false,
            } => {
                let f = ident(f);
                quote!(page.#f.len())
            }
            ItemsAt::Field { ident: f, .. } => {
                let f = ident(f);
                quote!(page.#f.as_ref().map_or(0, ::std::vec::Vec::len))
            }
        };
        let nonempty = match &p.items {
            ItemsAt::Whole => quote!(!page.is_empty()),
            ItemsAt::Field {
                ident: f,
                optional: false,
            } => {
                let f = ident(f);
                quote!(!page.#f.is_empty())
            }
            ItemsAt::Field { ident: f, .. } => {
                let f = ident(f);
                quote!(page.#f.as_ref().is_some_and(|items| !items.is_empty()))
            }
        };
        let (first, next) = match &p.scheme {
            PageScheme::Link => (
                quote!(),
                quote!(#rt::page::next_link(page.headers()).map(#rt::page::Next::Url)),
            ),
            PageScheme::NextUrl { pointer } => (
                quote!(),
                quote!(#rt::page::string_at(&**page, #pointer).map(#rt::page::Next::Url)),
            ),
            PageScheme::Cursor { pointer, .. } => (
                quote!(),
                quote!(#rt::page::string_at(&**page, #pointer).map(#rt::page::Next::Cursor)),
            ),
            PageScheme::Offset { field } => {
                let f = ident(field);
                (
                    quote! {
                        let first = params.#f.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
                    },
                    quote! {{
                        let at = match current {
                            ::std::option::Option::Some(#rt::page::Next::Offset(n)) => *n,
                            _ => first,
                        };
                        let count = #count as u64;
                        (count > 0).then(|| #rt::page::Next::Offset(at + count))
                    }},
                )
            }
            PageScheme::Page { field, first } => {
                let f = ident(field);
                (
                    quote! {
                        let first = params.#f.and_then(|n| u64::try_from(n).ok()).unwrap_or(#first);
                    },
                    quote! {{
                        let at = match current {
                            ::std::option::Option::Some(#rt::page::Next::Page(n)) => *n,
                            _ => first,
                        };
                        (#nonempty).then(|| #rt::page::Next::Page(at + 1))
                    }},
                )
            }
        };
        let next = match &p.has_more {
            Some(flag) => quote! {
                if #rt::page::bool_at(&**page, #flag) == ::std::option::Option::Some(false) {
                    ::std::option::Option::None
                } else {
                    #next
                }
            },
            None => next,
        };
        let uses_current = matches!(
            p.scheme,
            PageScheme::Offset { .. } | PageScheme::Page { .. }
        );
        let current = if uses_current {
            quote!(current)
        } else {
            quote!(_current)
        };
        let items = match &p.items {
            ItemsAt::Whole => quote!(|page| page),
            ItemsAt::Field {
                ident: f,
                optional: false,
            } => {
                let f = ident(f);
                quote!(|page| page.#f)
            }
            ItemsAt::Field { ident: f, .. } => {
                let f = ident(f);
                quote!(|page| page.#f.unwrap_or_default())
            }
        };
        let how = match &p.scheme {
            PageScheme::Link => "following the `Link` header's `rel=\"next\"`".to_owned(),
            PageScheme::NextUrl { pointer } => format!("following the URL at `{pointer}`"),
            PageScheme::Cursor { pointer, .. } => format!("sending back the cursor at `{pointer}`"),
            PageScheme::Offset { .. } => "advancing the offset by each page's items".to_owned(),
            PageScheme::Page { .. } => "counting pages up".to_owned(),
        };
        let pages_doc = format!(
            " The pages of [`Client::{op_fn}`], {how}, fetched as they are read: each \
             a normal call (credentials, retries, errors), with its status and headers."
        );
        let items_doc = format!(
            " The items of every page of [`Client::{op_fn}`] (see [`Client::{}`]), one by one.",
            p.pages_fn
        );
        let many = (params.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        // Deprecated with the operation; `_stream` calls `_pages`, and both
        // may name deprecated types.
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        let allow =
            (op.deprecated || self.op_names_deprecated(op) || self.page_reads_deprecated(op, p))
                .then(|| quote!(#[allow(deprecated)]));
        let allow = quote!(#many #deprecated #allow);
        let pages: ImplItem = syn::parse2(quote! {
            #[doc = #pages_doc]
            #allow
            pub fn #pages_fn<'a>(&'a self, #(#params),*) -> #rt::page::Pages<'a, #page_ty, #err> {
                #first
                #rt::page::Pages::new(
                    move |next| ::std::boxed::Box::pin(self.#page_fn(#(#args,)* next)),
                    move |page, #current| #next,
                )
            }
        })?;
        let items: ImplItem = syn::parse2(quote! {
            #[doc = #items_doc]
            #allow
            pub fn #items_fn<'a>(&'a self, #(#params),*) -> #rt::page::Items<'a, #page_ty, #item_ty, #err> {
                self.#pages_fn(#(#args),*).items(#items)
            }
        })?;
        Ok(vec![pages, items])
    }
}

/// Gives every elided reference lifetime in `t` the lifetime `'a`.
fn with_lifetime(t: &mut syn::Type) {
    match t {
        syn::Type::Reference(r) => {
            if r.lifetime.is_none() {
                r.lifetime = Some(syn::Lifetime::new("'a", proc_macro2::Span::call_site()));
            }
            with_lifetime(&mut r.elem);
        }
        syn::Type::Slice(s) => with_lifetime(&mut s.elem),
        syn::Type::Array(a) => with_lifetime(&mut a.elem),
        syn::Type::Tuple(t) => t.elems.iter_mut().for_each(with_lifetime),
        syn::Type::Path(p) => {
            for seg in &mut p.path.segments {
                if let syn::PathArguments::AngleBracketed(a) = &mut seg.arguments {
                    for arg in &mut a.args {
                        if let syn::GenericArgument::Type(t) = arg {
                            with_lifetime(t);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Statements from tokens (built above, so they parse).
fn parse_stmts(tokens: TokenStream) -> Vec<Stmt> {
    syn::parse2::<syn::Block>(quote!({ #tokens }))
        .map(|b| b.stmts)
        .unwrap_or_default()
}
