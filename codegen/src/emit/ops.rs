//! The `Client` method of an operation, built as a syntax tree
//! ([`super::syntax`]): these methods are a large part of a module and
//! nearly all alike, so parsing them costs more than building them. Form
//! and multipart bodies, which are rare, are still emitted as tokens and
//! parsed as statements. For `GET /pets/{id}` with a
//! query parameter the method reads:
//!
//! ```text
//! pub async fn get_pet(
//!     &self,
//!     id: i64,
//!     params: &GetPetParams,
//! ) -> ::std::result::Result<
//!     ::apigen_runtime::ResponseValue<types::Pet>,
//!     ::apigen_runtime::Error<GetPetError>,
//! > {
//!     let mut request = self
//!         .core
//!         .request(::apigen_runtime::reqwest::Method::GET)
//!         .operation("getPet", "/pets/{id}")
//!         .path("/pets/")
//!         .path_param(&id)
//!         .auth(&[]);
//!     if let ::std::option::Option::Some(value) = &params.verbose {
//!         request = request.query("verbose", value);
//!     }
//!     let response = request.send().await?;
//!     match response.status().as_u16() {
//!         200 => response.json_value(),
//!         404 => ::std::result::Result::Err(response.error(GetPetError::Status404)),
//!         _ => ::std::result::Result::Err(response.unexpected()),
//!     }
//! }
//! ```

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Expr, GenericArgument, ImplItem, Pat, Stmt, Type};

use super::syntax::{
    allow, arm, array, assign, await_, bool_lit, call, closure, doc_attr, field, ident, if_let,
    int_lit, let_, lit, lit_pat, match_, method, path_expr, range_pat, ref_, ref_self, semi,
    some_pat, std, str_lit, struct_expr, try_, ty, unit_pat, var, wild, with_args, word_attr,
};
use super::{Cx, doc_attr_items};
use crate::ir::{
    BodyKind, Case, Operation, Pagination, Param, PartKind, Payload, Segment, StreamKind,
    StreamMethod,
};
use crate::spec::{ParamLocation, ParamStyle, StatusKey};

impl Cx<'_> {
    /// The `Client` methods of `op`: the one decoding its response, and
    /// the one reading it as a stream, when it has one (see
    /// [`StreamMethod`]). Fails only if the tokens emitted for a form or
    /// multipart body do not parse (a bug).
    pub(super) fn op_methods(&self, op: &Operation) -> syn::Result<Vec<ImplItem>> {
        let mut methods = Vec::new();
        if let Some(p) = &op.paging {
            // The method calls the one fetching any page, for the first.
            let mut method = self.op_method(op, None, None)?;
            if let ImplItem::Fn(f) = &mut method {
                f.block = super::syntax::block(vec![Stmt::Expr(
                    await_(method_call_self(&p.page_fn, op, var_none())),
                    None,
                )]);
            }
            methods.push(method);
            methods.push(self.op_method(op, None, Some(p))?);
            methods.extend(self.paging_methods(op, p)?);
            return Ok(methods);
        }
        if !op.stream.as_ref().is_some_and(|s| s.replaces) {
            methods.push(self.op_method(op, None, None)?);
        }
        if let Some(s) = &op.stream {
            methods.push(self.op_method(op, Some(s), None)?);
        }
        Ok(methods)
    }

    /// The `Client` method of `op`, its stream form `stream`, or the
    /// private method fetching any page of `page`.
    fn op_method(
        &self,
        op: &Operation,
        stream: Option<&StreamMethod>,
        page: Option<&Pagination>,
    ) -> syn::Result<ImplItem> {
        let rt = &self.rt_root;
        let mut attrs = match page {
            Some(_) => doc_attr_items(Some(&format!(
                "One page of [`Client::{}`]: the first with `next` `None`.",
                op.fn_name
            ))),
            None => doc_attr_items(op_doc(op).as_deref()),
        };
        if let Some(note) = stream.map(|s| stream_note(op, s)) {
            if !attrs.is_empty() {
                attrs.push(doc_attr(""));
            }
            attrs.push(doc_attr(&note));
        }
        if let Some(server) = &op.server {
            if !attrs.is_empty() {
                attrs.push(doc_attr(""));
            }
            attrs.push(doc_attr(&format!(
                " Sent to {} instead of the base URL (see [`Client::with_server_override`]).",
                crate::ir::code_span(server)
            )));
        }
        // The private page method is no user's to be warned about.
        if op.deprecated && page.is_none() {
            attrs.push(word_attr("deprecated"));
        }
        attrs.extend(super::syntax::allow_deprecated(
            self.op_names_deprecated(op),
        ));

        let mut inputs = vec![ref_self()];
        for p in op.params.iter().filter(|p| p.required) {
            inputs.push(super::syntax::arg(&p.ident, self.arg_ty(&p.ty)));
        }
        if let Some(b) = &op.body {
            let t = match (&b.kind, b.required) {
                // Bytes, a file or a stream (`Vec<u8>` still works).
                (BodyKind::Binary { .. }, true) => {
                    let rt = &self.rt;
                    syn::parse2(quote!(impl ::std::convert::Into<#rt::upload::Upload>))?
                }
                (BodyKind::Binary { .. }, false) => super::syntax::generic(
                    std(&["option", "Option"]),
                    vec![ty(rt.join(&["upload", "Upload"]))],
                ),
                (kind, true) => self.body_arg_ty(kind),
                (kind, false) => {
                    super::syntax::generic(std(&["option", "Option"]), vec![self.body_arg_ty(kind)])
                }
            };
            inputs.push(super::syntax::arg("body", t));
            if b.kind == (BodyKind::Binary { content_type: None }) {
                inputs.push(super::syntax::arg("content_type", str_ref()));
            }
        }
        if let Some(ps) = &op.params_struct {
            let ps = ty(syn::Path::from(ident(ps)));
            inputs.push(super::syntax::arg(
                "params",
                super::syntax::reference(None, false, ps),
            ));
        }
        if page.is_some() {
            let next = super::syntax::generic(
                std(&["option", "Option"]),
                vec![ty(rt.join(&["page", "Next"]))],
            );
            inputs.push(super::syntax::arg("next", next));
        }
        // `&self` is not counted.
        if inputs.len() > 7 {
            attrs.push(allow(quote!(clippy::too_many_arguments)));
        }
        // `200 => …` before `200..=299 => …`: exact codes are meant to win.
        if op
            .successes
            .iter()
            .chain(&op.errors)
            .any(|c| matches!(c.status, StatusKey::Range(_)))
        {
            attrs.push(allow(quote!(clippy::match_overlapping_arm)));
        }

        let mut stmts = Vec::new();
        stmts.extend(self.op_checks(op));
        let request = self.request_stmts(op, stream, page)?;
        stmts.extend(request);
        // let response = request.send().await?;
        let send = if stream.is_some() {
            "send_streaming"
        } else {
            "send"
        };
        stmts.push(let_(
            false,
            ident("response"),
            try_(await_(method(var("request"), ident(send), []))),
        ));
        let err = ident(&op.error_enum);
        let (ok_ty, mut arms) = match stream {
            Some(s) => self.stream_success(s, &err),
            None => self.success(op),
        };
        let mut error_arms = Vec::new();
        for c in sorted(&op.errors) {
            let v = path_expr(super::syntax::relative(&[&err, &ident(&c.variant)]));
            let expr = match &c.payload {
                Payload::Json(_) => "error",
                Payload::Empty => "error_empty",
                Payload::Text => "error_text",
                Payload::Bytes => "error_bytes",
            };
            error_arms.push(arm(
                status_pat(c.status),
                result("Err", response(expr, [v])),
            ));
        }
        let has_default = op.errors.iter().any(|c| c.status == StatusKey::Default)
            || (stream.is_none() && op.successes.iter().any(|c| c.status == StatusKey::Default));
        if !has_default {
            error_arms.push(arm(wild(), result("Err", response("unexpected", []))));
        }
        let status = || method(response("status", []), ident("as_u16"), []);
        if stream.is_some() {
            // Any other status: the body is read whole and decoded as usual.
            // `_ => { let response = response.into_response().await?; match … }`
            let read = let_(
                false,
                ident("response"),
                try_(await_(method(var("response"), ident("into_response"), []))),
            );
            // One arm for every status (no documented errors, or only a
            // `default`): its body, without a match.
            let decide = match <[syn::Arm; 1]>::try_from(error_arms) {
                Ok([only]) if matches!(only.pat, Pat::Wild(_)) => *only.body,
                Ok([only]) => match_(status(), vec![only]),
                Err(arms) => match_(status(), arms),
            };
            let rest = super::syntax::block_expr(vec![read, Stmt::Expr(decide, None)]);
            arms.push(arm(wild(), rest));
        } else {
            arms.extend(error_arms);
        }
        stmts.push(Stmt::Expr(match_(status(), arms), None));

        // ::std::result::Result<rt::ResponseValue<ok>, rt::Error<err>>
        let output = ty(with_args(
            std(&["result", "Result"]),
            false,
            vec![
                GenericArgument::Type(ty(with_args(
                    rt.join(&["ResponseValue"]),
                    false,
                    vec![GenericArgument::Type(ok_ty)],
                ))),
                GenericArgument::Type(ty(with_args(
                    rt.join(&["Error"]),
                    false,
                    vec![GenericArgument::Type(ty(syn::Path::from(err)))],
                ))),
            ],
        ));
        let name = match (stream, page) {
            (Some(s), _) => &s.fn_name,
            (_, Some(p)) => &p.page_fn,
            _ => &op.fn_name,
        };
        let mut sig = super::syntax::signature(name, syn::Generics::default(), inputs, output);
        sig.asyncness = Some(Default::default());
        let vis = match page {
            Some(_) => syn::Visibility::Inherited,
            None => syn::Visibility::Public(Default::default()),
        };
        Ok(ImplItem::Fn(syn::ImplItemFn {
            attrs,
            vis,
            modifiers: Default::default(),
            sig,
            block: super::syntax::block(stmts),
        }))
    }

    /// `let request = self.core.request(…)…;` and the statements adding
    /// the parameters other than path ones, and the body: as `stream` asks
    /// for its media type, and sets its flag in the body.
    fn request_stmts(
        &self,
        op: &Operation,
        stream: Option<&StreamMethod>,
        page: Option<&Pagination>,
    ) -> syn::Result<Vec<Stmt>> {
        let rt = &self.rt_root;
        // Methods without a `reqwest::Method` constant (3.2's `QUERY`,
        // `additionalOperations`) go by name, as the spec spells them.
        let mut chain = if STANDARD_METHODS.contains(&op.method.as_str()) {
            method(
                field(var("self"), "core"),
                ident("request"),
                [path_expr(rt.join(&["reqwest", "Method", &op.method]))],
            )
        } else {
            method(
                field(var("self"), "core"),
                ident("request_named"),
                [lit(str_lit(&op.method))],
            )
        };
        chain = method(
            chain,
            ident("operation"),
            [lit(str_lit(&op.operation_id)), lit(str_lit(&op.path))],
        );
        if let Some(server) = &op.server {
            chain = method(chain, ident("server"), [lit(str_lit(server))]);
        }
        for seg in &op.segments {
            chain = match seg {
                Segment::Literal(l) => method(chain, ident("path"), [lit(str_lit(l))]),
                Segment::Param(i) => {
                    let p = &op.params[*i];
                    let a = || ref_(var(&p.ident));
                    if p.json {
                        let json = call(path_expr(rt.join(&["param", "json"])), [a()]);
                        method(chain, ident("path_param"), [ref_(json)])
                    } else if self.displayable(&p.ty) && p.style == ParamStyle::Simple {
                        if p.keep_slashes || p.may_be_empty {
                            let rules = struct_expr(
                                rt.join(&["PathParam"]),
                                vec![
                                    ("keep_slashes", lit(bool_lit(p.keep_slashes))),
                                    ("may_be_empty", lit(bool_lit(p.may_be_empty))),
                                ],
                            );
                            method(chain, ident("path_param_with"), [a(), rules])
                        } else {
                            method(chain, ident("path_param"), [a()])
                        }
                    } else {
                        let encoded = call(
                            path_expr(rt.join(&["param", "path"])),
                            [
                                lit(str_lit(&p.name)),
                                a(),
                                self.style(p.style),
                                lit(bool_lit(p.explode)),
                            ],
                        );
                        method(chain, ident("path_encoded"), [ref_(encoded)])
                    }
                }
            };
        }
        for (name, value) in &op.fixed_query {
            chain = match value {
                Some(value) => method(
                    chain,
                    ident("query"),
                    [lit(str_lit(name)), ref_(lit(str_lit(value)))],
                ),
                None => method(chain, ident("query_name"), [lit(str_lit(name))]),
            };
        }
        if let Some(accept) = stream.map(|s| &s.media_type).or(op.accept.as_ref()) {
            chain = method(chain, ident("accept"), [lit(str_lit(accept))]);
        }
        let security = op
            .security
            .iter()
            .map(|alt| ref_(array(alt.iter().map(|&i| lit(int_lit(i))))));
        chain = method(chain, ident("auth"), [ref_(array(security))]);
        for (scheme, scopes) in &op.scopes {
            let scopes = array(scopes.iter().map(|s| lit(str_lit(s))));
            chain = method(
                chain,
                ident("scopes"),
                [lit(int_lit(*scheme)), ref_(scopes)],
            );
        }

        let mut stmts = Vec::new();
        if let Some(page) = page {
            stmts.extend(self.next_page_stmts(page)?);
        }
        for p in op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
        {
            if p.required {
                stmts.push(self.param_stmt(p, ref_(var(&p.ident))));
            } else {
                let add = self.param_stmt(p, var("value"));
                stmts.push(semi(if_let(
                    some_pat("value"),
                    ref_(field(var("params"), &p.ident)),
                    vec![add],
                )));
            }
        }
        if let Some(b) = &op.body {
            let add = match (stream.and_then(|s| s.flag.as_deref()), &b.kind) {
                (Some(flag), BodyKind::Json { content_type, .. }) => vec![add_to_request(
                    "json_flagged",
                    vec![lit(str_lit(content_type)), var("body"), lit(str_lit(flag))],
                )],
                _ => self.body_stmts(&b.kind)?,
            };
            if b.required {
                stmts.extend(add);
            } else {
                stmts.push(semi(if_let(some_pat("body"), var("body"), add)));
            }
        }
        let mut out = page.map_or_else(Vec::new, |p| self.paged_params_stmts(p));
        out.push(let_(!stmts.is_empty(), ident("request"), chain));
        out.extend(stmts);
        Ok(out)
    }

    /// `rt::param::Style::…`.
    fn style(&self, style: ParamStyle) -> Expr {
        let name = match style {
            ParamStyle::Form => "Form",
            ParamStyle::SpaceDelimited => "SpaceDelimited",
            ParamStyle::PipeDelimited => "PipeDelimited",
            ParamStyle::DeepObject => "DeepObject",
            ParamStyle::Simple => "Simple",
            ParamStyle::Label => "Label",
            ParamStyle::Matrix => "Matrix",
        };
        path_expr(self.rt_root.join(&["param", "Style", name]))
    }

    /// The statement adding one parameter value (`value`, a reference) to
    /// `request`.
    fn param_stmt(&self, p: &Param, value: Expr) -> Stmt {
        let rt = &self.rt_root;
        let name = || lit(str_lit(&p.name));
        let explode = || lit(bool_lit(p.explode));
        let param = |f: &str, args: Vec<Expr>| ref_(call(path_expr(rt.join(&["param", f])), args));
        if p.location == ParamLocation::QueryString {
            return self.query_string_stmt(p, value);
        }
        let (add, args) = if p.json {
            let text = param("json", vec![value]);
            let add = match p.location {
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
                _ => "query",
            };
            (add, vec![name(), text])
        } else {
            let scalar = self.displayable(&p.ty);
            match p.location {
                ParamLocation::Header if scalar => ("header", vec![name(), value]),
                ParamLocation::Header => (
                    "header",
                    vec![name(), param("header", vec![value, explode()])],
                ),
                ParamLocation::Cookie if scalar => ("cookie", vec![name(), value]),
                ParamLocation::Cookie => (
                    "cookie_pairs",
                    vec![param("cookie", vec![name(), value, explode()])],
                ),
                _ if scalar => ("query", vec![name(), value]),
                _ => (
                    "query_encoded",
                    vec![param(
                        "query",
                        vec![name(), value, self.style(p.style), explode()],
                    )],
                ),
            }
        };
        add_to_request(add, args)
    }

    /// The statement setting the whole query string from an `in:
    /// querystring` parameter: a form-urlencoded object as a form body
    /// would be encoded, form-urlencoded text as it is, anything else (JSON,
    /// text) percent-encoded.
    fn query_string_stmt(&self, p: &Param, value: Expr) -> Stmt {
        let rt = &self.rt_root;
        let form = p
            .content_type
            .as_deref()
            .is_some_and(|m| crate::spec::media_essence(m) == "application/x-www-form-urlencoded");
        let (add, arg) = if p.json {
            (
                "query_string",
                ref_(call(path_expr(rt.join(&["param", "json"])), [value])),
            )
        } else if form && !self.displayable(&p.ty) {
            ("query_string_form", value)
        } else {
            let text = method(value, ident("to_string"), []);
            let add = if form {
                "query_string_serialized"
            } else {
                "query_string"
            };
            (add, ref_(text))
        };
        add_to_request(add, vec![arg])
    }

    /// The argument type of a request body.
    fn body_arg_ty(&self, kind: &BodyKind) -> Type {
        let by_ref = |t: Type| super::syntax::reference(None, false, t);
        match kind {
            BodyKind::Json { ty, .. }
            | BodyKind::Form { ty, .. }
            | BodyKind::MultipartValue(ty) => by_ref(self.ty_syn(ty, super::Scope::Root)),
            BodyKind::Multipart(m) => by_ref(ty(syn::Path::from(ident(&m.name)))),
            BodyKind::Text { .. } => str_ref(),
            BodyKind::Binary { .. } => {
                super::syntax::generic(std(&["vec", "Vec"]), vec![ty(syn::Path::from(ident("u8")))])
            }
        }
    }

    /// Statements setting the request body from `body`.
    fn body_stmts(&self, kind: &BodyKind) -> syn::Result<Vec<Stmt>> {
        let body = || var("body");
        let ct = |ct: &str| lit(str_lit(ct));
        let add = match kind {
            BodyKind::Json { content_type, .. } if content_type == "application/json" => {
                add_to_request("json", vec![body()])
            }
            BodyKind::Json { content_type, .. } => {
                add_to_request("json_as", vec![ct(content_type), body()])
            }
            BodyKind::Text { content_type } => {
                add_to_request("text", vec![ct(content_type), body()])
            }
            BodyKind::Binary {
                content_type: Some(content_type),
            } => add_to_request("upload", vec![ct(content_type), into(body())]),
            BodyKind::Binary { content_type: None } => {
                add_to_request("upload", vec![var("content_type"), into(body())])
            }
            BodyKind::Form { .. } | BodyKind::Multipart(_) | BodyKind::MultipartValue(_) => {
                return parse_stmts(self.encoded_body_stmts(kind));
            }
        };
        Ok(vec![add])
    }

    /// [`Cx::body_stmts`] of form and multipart bodies, as tokens.
    fn encoded_body_stmts(&self, kind: &BodyKind) -> TokenStream {
        let rt = &self.rt;
        match kind {
            BodyKind::Form {
                content_type,
                fields,
                ..
            } => {
                let fields = fields.iter().map(|f| {
                    let name = &f.name;
                    let style = self.style(f.style);
                    let explode = f.explode;
                    quote!(#rt::body::FormField { name: #name, style: #style, explode: #explode })
                });
                quote!(request = request.form(#content_type, body, &[#(#fields),*]);)
            }
            BodyKind::Multipart(m) => {
                let parts = m.fields.iter().map(|f| {
                    let a = ident(&f.ident);
                    let name = &f.name;
                    let ct = &f.file_content_type;
                    let add_file = |base64: bool| {
                        if base64 {
                            quote!(file_base64)
                        } else {
                            quote!(file)
                        }
                    };
                    let add = |v: TokenStream| match &f.kind {
                        PartKind::File { base64 } => {
                            let m = add_file(*base64);
                            quote!(form.#m(#name, #v, #ct);)
                        }
                        PartKind::Files { base64 } => {
                            let m = add_file(*base64);
                            quote! {
                                for file in #v {
                                    form.#m(#name, file, #ct);
                                }
                            }
                        }
                        PartKind::Value(_) => quote!(form.value(#name, #v);),
                    };
                    if f.required {
                        add(quote!(&body.#a))
                    } else {
                        let s = add(quote!(value));
                        quote! {
                            if let ::std::option::Option::Some(value) = &body.#a {
                                #s
                            }
                        }
                    }
                });
                quote! {
                    let mut form = #rt::body::Multipart::new();
                    #(#parts)*
                    request = request.multipart(form);
                }
            }
            _ => quote! {
                let mut form = #rt::body::Multipart::new();
                form.fields(body);
                request = request.multipart(form);
            },
        }
    }

    /// The success type (inside `ResponseValue`) and the match arms of
    /// the documented successes.
    fn success(&self, op: &Operation) -> (Type, Vec<syn::Arm>) {
        if op.successes.is_empty() {
            let unit = super::syntax::tuple_ty(Vec::new());
            let arm = arm(
                range_pat(int_lit(200), int_lit(299)),
                response("empty_value", []),
            );
            return (unit, vec![arm]);
        }
        let decode = |p: &Payload| {
            response(
                match p {
                    Payload::Json(_) => "json_value",
                    Payload::Empty => "empty_value",
                    Payload::Text => "text_value",
                    Payload::Bytes => "bytes_value",
                },
                [],
            )
        };
        let cases = sorted(&op.successes);
        match &op.success_enum {
            None => {
                let ty = self.payload_ty(&op.successes[0].payload);
                let arms = cases
                    .iter()
                    .map(|c| arm(status_pat(c.status), decode(&c.payload)))
                    .collect();
                (ty, arms)
            }
            Some(name) => {
                let e = ident(name);
                let arms = cases
                    .iter()
                    .map(|c| {
                        let variant =
                            || path_expr(super::syntax::relative(&[&e, &ident(&c.variant)]));
                        // `.map(|value| rt::ResponseValue::map(value, wrap))`
                        let wrap = match &c.payload {
                            Payload::Empty => closure([unit_pat()], variant()),
                            _ => variant(),
                        };
                        let map = call(
                            path_expr(self.rt_root.join(&["ResponseValue", "map"])),
                            [var("value"), wrap],
                        );
                        let expr = method(
                            decode(&c.payload),
                            ident("map"),
                            [closure([super::syntax::bind("value")], map)],
                        );
                        arm(status_pat(c.status), expr)
                    })
                    .collect();
                (ty(syn::Path::from(e)), arms)
            }
        }
    }
}

impl Cx<'_> {
    /// The return type of a stream method and its arm for the streamed
    /// status (`200 => response.events_value()`).
    fn stream_success(&self, s: &StreamMethod, err: &syn::Ident) -> (Type, Vec<syn::Arm>) {
        let rt = &self.rt_root;
        let err_ty = || GenericArgument::Type(ty(syn::Path::from(err.clone())));
        let item = |t: &crate::ir::Ty| GenericArgument::Type(self.ty_syn(t, super::Scope::Root));
        let stream_ty = |name: &str, args: Vec<GenericArgument>| {
            ty(with_args(rt.join(&["stream", name]), false, args))
        };
        let (ok_ty, value) = match &s.kind {
            StreamKind::Bytes => (
                stream_ty("ByteStream", vec![err_ty()]),
                response("bytes_value", []),
            ),
            StreamKind::Events(t) => (
                stream_ty("EventStream", vec![item(t), err_ty()]),
                response("events_value", []),
            ),
            StreamKind::RawEvents => (
                stream_ty("RawEventStream", vec![err_ty()]),
                response("raw_events_value", []),
            ),
            StreamKind::JsonLines(t) | StreamKind::JsonSeq(t) => {
                let framing = match &s.kind {
                    StreamKind::JsonSeq(_) => "JsonSeq",
                    _ => "Lines",
                };
                let framing = path_expr(rt.join(&["seq", "Framing", framing]));
                (
                    stream_ty("JsonStream", vec![item(t), err_ty()]),
                    response("json_seq_value", [framing]),
                )
            }
        };
        (ok_ty, vec![arm(status_pat(s.status), value)])
    }
}

/// The doc line of a stream method: what it reads, and how it asks for it.
fn stream_note(op: &Operation, s: &StreamMethod) -> String {
    let what = match &s.kind {
        StreamKind::Bytes => "as a stream of bytes, never held whole in memory".to_owned(),
        StreamKind::Events(_) => "as server-sent events, each `data` decoded".to_owned(),
        StreamKind::RawEvents => "as server-sent events, as parsed".to_owned(),
        StreamKind::JsonLines(_) | StreamKind::JsonSeq(_) => {
            "as a stream of JSON items, each decoded".to_owned()
        }
    };
    let mut note = if s.replaces {
        format!(" Reads the response ({}) {what}.", code(&s.media_type))
    } else {
        format!(
            " [`Client::{}`], reading the response ({}) {what}.",
            op.fn_name,
            code(&s.media_type)
        )
    };
    if let Some(flag) = &s.flag {
        note.push_str(&format!(" Sends the body with `\"{flag}\": true`."));
    }
    note
}

/// A Markdown code span.
fn code(text: &str) -> String {
    crate::ir::code_span(text)
}

/// The method's doc text: the operation's, and a note on the media types
/// it accepts but the method does not send.
fn op_doc(op: &Operation) -> Option<String> {
    let mut doc = op.doc.clone().unwrap_or_default();
    if let Some(b) = op.body.as_ref().filter(|b| !b.others.is_empty()) {
        let sent = match &b.kind {
            BodyKind::Json { content_type, .. }
            | BodyKind::Form { content_type, .. }
            | BodyKind::Text { content_type }
            | BodyKind::Binary {
                content_type: Some(content_type),
            } => format!("`{content_type}`"),
            BodyKind::Multipart(_) | BodyKind::MultipartValue(_) => {
                "`multipart/form-data`".to_owned()
            }
            BodyKind::Binary { content_type: None } => "given".to_owned(),
        };
        let others: Vec<String> = b.others.iter().map(|m| format!("`{m}`")).collect();
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!(
            "The body is sent as {sent}; the operation also accepts {}.",
            others.join(", ")
        ));
    }
    (!doc.is_empty()).then_some(doc)
}

/// `request = request.add(args…);`.
fn add_to_request(add: &str, args: Vec<Expr>) -> Stmt {
    semi(assign(
        var("request"),
        method(var("request"), ident(add), args),
    ))
}

/// `response.name(args…)`.
fn response(name: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    method(var("response"), ident(name), args)
}

/// `::std::result::Result::variant(value)`.
fn result(variant: &str, value: Expr) -> Expr {
    call(path_expr(std(&["result", "Result", variant])), [value])
}

/// Cases in match order: exact codes, then ranges, then `default`.
fn sorted(cases: &[Case]) -> Vec<&Case> {
    let mut v: Vec<&Case> = cases.iter().collect();
    v.sort_by_key(|c| match c.status {
        StatusKey::Code(_) => 0,
        StatusKey::Range(_) => 1,
        StatusKey::Default => 2,
    });
    v
}

/// The pattern matching a status: `404`, `400..=499` or `_`.
fn status_pat(s: StatusKey) -> Pat {
    match s {
        StatusKey::Code(c) => lit_pat(int_lit(c)),
        StatusKey::Range(d) => {
            let lo = u16::from(d) * 100;
            range_pat(int_lit(lo), int_lit(lo + 99))
        }
        StatusKey::Default => wild(),
    }
}

/// `&str`.
fn str_ref() -> Type {
    super::syntax::reference(None, false, ty(syn::Path::from(ident("str"))))
}

/// Statements emitted as tokens.
fn parse_stmts(tokens: TokenStream) -> syn::Result<Vec<Stmt>> {
    syn::parse::Parser::parse2(syn::Block::parse_within, tokens)
}

/// `self.<name>(<the operation's arguments>, <extra>)`.
fn method_call_self(name: &str, op: &Operation, extra: Expr) -> Expr {
    let mut args: Vec<Expr> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| var(&p.ident))
        .collect();
    if let Some(b) = &op.body {
        args.push(var("body"));
        if b.kind == (BodyKind::Binary { content_type: None }) {
            args.push(var("content_type"));
        }
    }
    if op.params_struct.is_some() {
        args.push(var("params"));
    }
    args.push(extra);
    method(var("self"), ident(name), args)
}

/// `::std::option::Option::None`.
fn var_none() -> Expr {
    path_expr(std(&["option", "Option", "None"]))
}

/// `::std::convert::Into::into(value)`.
fn into(value: Expr) -> Expr {
    call(path_expr(std(&["convert", "Into", "into"])), [value])
}

/// The methods `reqwest::Method` has a constant for.
const STANDARD_METHODS: [&str; 9] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT",
];
