//! Stage 4, `emit`: [`Api`] → `proc_macro2::TokenStream`, with `quote!`,
//! except the most repeated items, which are built as syntax trees (see
//! `emit::syntax`): [`emit`] gives their tokens, the chunked renderer uses the
//! trees as they are.
//!
//! This stage makes no decisions of its own: names, presence, boxing and
//! union shapes all come from the IR.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::ir::{
    Api, BodyKind, Case, MultipartBody, Operation, PartKind, Payload, StrEnum, Ty, TypeDef, TypeId,
    TypeKind, Union, UrlPiece, Variant,
};
use crate::options::OptionError;
use crate::spec::{ParamLocation, SchemeKind, StatusKey};

// `validate` methods and the checks operations run before sending.
mod checks;
// Tuples, base64, open integer/mixed enums and field defaults (issue 3).
mod schema_ext;
// `Deserialize` of structs through the runtime's `de::Fields`.
mod de;
// Syntax trees built without parsing (for most items).
mod syntax;
// The impls of string enums.
mod enums;
// The methods of operations.
mod ops;
// The methods of paginated operations.
mod paging;
// Struct declarations.
mod structs;
// Token sources of OAuth 2 and OpenID Connect schemes.
mod auth;

pub use crate::options::EmitOptions;

/// Emits the whole module for `api`. Fails if `opts.runtime` is not a
/// Rust path, or (a bug) if code emitted for part of an item does not parse.
pub fn emit(api: &Api, opts: &EmitOptions) -> Result<TokenStream, String> {
    let cx = Cx::new(api, opts).map_err(|e| e.to_string())?;
    let mut out = TokenStream::new();
    for section in layout(api) {
        let mut items = TokenStream::new();
        for &part in &section.parts {
            cx.part(part).append_tokens(&mut items).map_err(|e| {
                format!("internal error: generated code does not parse ({e}); please report this")
            })?;
        }
        out.extend(cx.framed(section.frame, items, true));
    }
    Ok(out)
}

/// The Rust type of `ty` as the generated module names it at its root
/// (`types::Pet`, `Vec<types::Pet>`), for code written beside it. Fails if
/// `opts.runtime` is not a Rust path.
pub fn root_type(api: &Api, opts: &EmitOptions, ty: &Ty) -> Result<String, String> {
    let cx = Cx::new(api, opts).map_err(|e| e.to_string())?;
    Ok(cx.ty(ty, Scope::Root).to_string())
}

/// The items a [`Part`] emits, in order: mostly tokens, which are parsed
/// before printing, and some syntax trees built directly (see
/// [`syntax`]).
#[derive(Default)]
pub(crate) struct Emitted {
    pieces: Vec<Piece>,
}

enum Piece {
    Tokens(TokenStream),
    Item(Box<syn::Item>),
    /// A method of `impl Client`.
    Method(Box<syn::ImplItem>),
    /// Tokens emitted for part of a built item did not parse (a bug).
    Failed(syn::Error),
}

impl From<TokenStream> for Emitted {
    fn from(tokens: TokenStream) -> Self {
        Emitted {
            pieces: vec![Piece::Tokens(tokens)],
        }
    }
}

impl Emitted {
    fn push_tokens(&mut self, tokens: TokenStream) {
        if tokens.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Tokens(last)) => last.extend(tokens),
            _ => self.pieces.push(Piece::Tokens(tokens)),
        }
    }

    fn push_item(&mut self, item: syn::Item) {
        self.pieces.push(Piece::Item(Box::new(item)));
    }

    fn methods(methods: Vec<syn::ImplItem>) -> Self {
        Emitted {
            pieces: methods
                .into_iter()
                .map(|m| Piece::Method(Box::new(m)))
                .collect(),
        }
    }

    fn failed(error: syn::Error) -> Self {
        Emitted {
            pieces: vec![Piece::Failed(error)],
        }
    }

    /// Whether every item is tokens.
    pub(crate) fn is_tokens(&self) -> bool {
        self.pieces.iter().all(|p| matches!(p, Piece::Tokens(_)))
    }

    /// Appends the tokens of every item to `out`.
    pub(crate) fn append_tokens(self, out: &mut TokenStream) -> syn::Result<()> {
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => out.extend(tokens),
                Piece::Item(item) => item.to_tokens(out),
                Piece::Method(method) => method.to_tokens(out),
                Piece::Failed(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Appends every item to `out`, parsing the tokens.
    pub(crate) fn into_items(self, out: &mut Vec<syn::Item>) -> syn::Result<()> {
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => out.extend(syn::parse2::<syn::File>(tokens)?.items),
                Piece::Item(item) => out.push(*item),
                Piece::Method(_) => {
                    return Err(syn::Error::new(
                        Span::call_site(),
                        "a method outside `impl Client`",
                    ));
                }
                Piece::Failed(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Appends every item to `out` as items of an impl, parsing the
    /// tokens.
    pub(crate) fn into_impl_items(self, out: &mut Vec<syn::ImplItem>) -> syn::Result<()> {
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => {
                    let items = syn::parse::Parser::parse2(
                        |input: syn::parse::ParseStream<'_>| {
                            let mut items = Vec::new();
                            while !input.is_empty() {
                                items.push(input.parse::<syn::ImplItem>()?);
                            }
                            Ok(items)
                        },
                        tokens,
                    )?;
                    out.extend(items);
                }
                Piece::Method(method) => out.push(*method),
                Piece::Item(_) => {
                    return Err(syn::Error::new(
                        Span::call_site(),
                        "an item inside `impl Client`",
                    ));
                }
                Piece::Failed(error) => return Err(error),
            }
        }
        Ok(())
    }
}

/// One piece of the generated module, emitted on its own: the module is its
/// [`layout`]'s parts in order, each in its section's [`Frame`]. Every part
/// emits at least one item, so that `render` can print parts in separate
/// chunks (see [`crate::render`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The `use` of the serde derives at the top of `types` (listed only
    /// when a type derives one of them).
    TypesImport,
    /// A type of `types`, with its impls.
    Type(TypeId),
    /// `SECURITY_SCHEMES`, the types of the server's variables and the
    /// `Client` struct.
    ClientDecl,
    /// The methods of `Client` that are not operations.
    ClientMethods,
    /// The `Client` method of the operation with this index.
    OpMethod(usize),
    /// `impl Default for Client` (listed only when there is a default
    /// server).
    ClientDefault,
    /// The own types of the operation with this index, at module root.
    OpTypes(usize),
}

/// Where the items of a [`Section`] go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame {
    /// The module root.
    Root,
    /// Inside `pub mod types { … }`.
    Types,
    /// Inside `impl Client { … }`.
    ClientImpl,
}

/// Consecutive parts that share a frame: a `pub mod types { … }` or
/// `impl Client { … }` block, or a run of root items.
#[derive(Debug)]
pub(crate) struct Section {
    pub(crate) frame: Frame,
    pub(crate) parts: Vec<Part>,
}

/// The sections of the module for `api`, in order.
pub(crate) fn layout(api: &Api) -> Vec<Section> {
    let ops = 0..api.operations.len();
    let import = (!serde_imports(api).is_empty()).then_some(Part::TypesImport);
    let default = api.default_server.is_some().then_some(Part::ClientDefault);
    vec![
        Section {
            frame: Frame::Types,
            parts: import
                .into_iter()
                .chain((0..api.types.len()).map(Part::Type))
                .collect(),
        },
        Section {
            frame: Frame::Root,
            parts: vec![Part::ClientDecl],
        },
        Section {
            frame: Frame::ClientImpl,
            parts: std::iter::once(Part::ClientMethods)
                .chain(ops.clone().map(Part::OpMethod))
                .collect(),
        },
        Section {
            frame: Frame::Root,
            parts: default.into_iter().chain(ops.map(Part::OpTypes)).collect(),
        },
    ]
}

/// The serde derives `types` imports: those some type uses, unless a
/// generated type has their name.
fn serde_imports(api: &Api) -> Vec<&'static str> {
    // Structs and enums derive both; untagged unions derive `Serialize`
    // only (their `Deserialize` is written out); tagged unions neither.
    let derives_ser = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_) => true,
        TypeKind::Union(u) => u.tag.is_none(),
        TypeKind::Alias(_) => t.newtype,
    });
    // Structs implement `Deserialize` by hand unless they keep extra keys.
    let derives_de = api.types.iter().any(|t| {
        t.newtype
            || match &t.kind {
                TypeKind::Struct(s) => s.extra.is_some(),
                TypeKind::Enum(_) | TypeKind::ValueEnum(_) => true,
                TypeKind::Union(_) | TypeKind::Alias(_) => false,
            }
    });
    [("Deserialize", derives_de), ("Serialize", derives_ser)]
        .into_iter()
        .filter(|(n, used)| *used && !api.shadowed_std.contains(n))
        .map(|(n, _)| n)
        .collect()
}

/// The emitter: what every part needs, computed once.
pub(crate) struct Cx<'a> {
    api: &'a Api,
    /// The runtime crate's path (`EmitOptions::runtime`) as tokens…
    rt: TokenStream,
    /// …as the root of the paths of syntax trees…
    rt_root: syntax::Root,
    /// …and as text, for attributes that name paths in strings.
    rt_str: String,
    /// `<rt_str>::serde`, for `#[serde(crate = "…")]`.
    serde_crate: String,
    date_time: crate::options::DateTimeRepr,
    /// Structs reject unknown keys (`UnknownFields::Deny`).
    deny_unknown: bool,
    /// Absent required fields decode as their type's default, where it has
    /// one (`MissingFields::Default`).
    default_missing: bool,
}

/// Whether a type is referenced from inside `types` or from the module root.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Types,
    Root,
}

impl<'a> Cx<'a> {
    /// Fails if `opts.runtime` is not a path (it is a public field, so may
    /// have been set without [`EmitOptions::set_runtime`]).
    pub(crate) fn new(api: &'a Api, opts: &EmitOptions) -> Result<Self, OptionError> {
        let runtime = crate::options::parse_runtime(&opts.runtime)?;
        let rt = runtime.to_token_stream();
        let rt_str = rt.to_string().replace(' ', "");
        Ok(Cx {
            api,
            rt,
            rt_root: syntax::Root::new(&runtime),
            serde_crate: format!("{rt_str}::serde"),
            rt_str,
            date_time: opts.date_time,
            deny_unknown: opts.unknown_fields == crate::options::UnknownFields::Deny,
            default_missing: opts.missing_fields == crate::options::MissingFields::Default,
        })
    }

    fn std(&self, name: &str, scope: Scope) -> TokenStream {
        self.std_path(name, scope).into_token_stream()
    }

    /// The path of the std name (or serde derive) `name`: the name alone,
    /// or its full path where a generated type shadows it (see
    /// [`Api::shadowed_std`]).
    fn std_path(&self, name: &str, scope: Scope) -> syn::Path {
        if scope == Scope::Types && self.api.shadowed_std.contains(&name) {
            match name {
                "String" => return syntax::std(&["string", "String"]),
                "Vec" => return syntax::std(&["vec", "Vec"]),
                "Option" => return syntax::std(&["option", "Option"]),
                "Box" => return syntax::std(&["boxed", "Box"]),
                "Result" => return syntax::std(&["result", "Result"]),
                "Serialize" | "Deserialize" => return self.rt_root.join(&["serde", name]),
                _ => {}
            }
        }
        syn::Path::from(syntax::ident(name))
    }

    fn ty(&self, ty: &Ty, scope: Scope) -> TokenStream {
        self.ty_syn(ty, scope).into_token_stream()
    }

    /// The Rust type of `ty`, as a syntax tree.
    fn ty_syn(&self, ty: &Ty, scope: Scope) -> syn::Type {
        let rt = |rest: &[&str]| syntax::ty(self.rt_root.join(rest));
        let prim = |name: &str| syntax::ty(syn::Path::from(syntax::ident(name)));
        match ty {
            Ty::Any => rt(&["serde_json", "Value"]),
            Ty::Unit => syntax::tuple_ty(Vec::new()),
            Ty::Bool => prim("bool"),
            Ty::String => syntax::ty(self.std_path("String", scope)),
            Ty::I8 => prim("i8"),
            Ty::I16 => prim("i16"),
            Ty::I32 => prim("i32"),
            Ty::I64 => prim("i64"),
            Ty::U8 => prim("u8"),
            Ty::U16 => prim("u16"),
            Ty::U32 => prim("u32"),
            Ty::U64 => prim("u64"),
            Ty::F32 => prim("f32"),
            Ty::F64 => prim("f64"),
            Ty::Number => rt(&["serde_json", "Number"]),
            Ty::Vec(inner) => {
                syntax::generic(self.std_path("Vec", scope), vec![self.ty_syn(inner, scope)])
            }
            Ty::Map(inner) => syntax::generic(
                syntax::std(&["collections", "BTreeMap"]),
                vec![
                    syntax::ty(self.std_path("String", scope)),
                    self.ty_syn(inner, scope),
                ],
            ),
            Ty::Option(inner) => syntax::generic(
                self.std_path("Option", scope),
                vec![self.ty_syn(inner, scope)],
            ),
            Ty::Named(id) => {
                let name = ident(&self.api.types[*id].name);
                match scope {
                    Scope::Types => syntax::ty(syn::Path::from(name)),
                    Scope::Root => syntax::ty(syntax::relative(&[&ident("types"), &name])),
                }
            }
            Ty::Bytes | Ty::Tuple(..) | Ty::DateTime | Ty::Date => self.ext_ty(ty, scope),
            // Checked to parse when set; `Value` if it somehow does not.
            Ty::External(path) => match syn::parse_str::<syn::Path>(path) {
                Ok(path) => syntax::ty(path),
                Err(_) => rt(&["serde_json", "Value"]),
            },
        }
    }

    fn boxed(&self, inner: TokenStream, boxed: bool, scope: Scope) -> TokenStream {
        if boxed {
            let b = self.std("Box", scope);
            quote!(#b<#inner>)
        } else {
            inner
        }
    }

    /// Whether `ty` names a type the spec marks `deprecated` (directly or as
    /// the item of a `Vec`, map or `Option`). Generated code that names one
    /// carries `#[allow(deprecated)]`: the API's deprecations are for the
    /// user's code, not warnings inside the generated module.
    fn names_deprecated(&self, ty: &Ty) -> bool {
        let mut any = false;
        ty.visit_named(&mut |id| any |= self.api.types[id].deprecated);
        any
    }

    /// Whether a type's declaration or its hand-written impls (string enums
    /// and tagged unions have some; derives need no allowance) name a
    /// deprecated type.
    fn def_names_deprecated(&self, t: &TypeDef) -> bool {
        match &t.kind {
            TypeKind::Union(u) if t.deprecated && u.tag.is_some() => true,
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) => t.deprecated,
            _ => {
                let mut any = false;
                t.visit_named(&mut |id| any |= self.api.types[id].deprecated);
                any
            }
        }
    }

    /// Whether an operation's method or its own types name a deprecated type.
    pub(super) fn op_names_deprecated(&self, op: &Operation) -> bool {
        let mut any = false;
        op.visit_named(&mut |id| any |= self.api.types[id].deprecated);
        any
    }

    /// The `Serialize` and `Deserialize` derive paths inside `types`.
    fn serde_derives(&self) -> (TokenStream, TokenStream) {
        (
            self.std("Serialize", Scope::Types),
            self.std("Deserialize", Scope::Types),
        )
    }

    fn serde_attr(&self, extra: TokenStream) -> TokenStream {
        let c = &self.serde_crate;
        if extra.is_empty() {
            quote!(#[serde(crate = #c)])
        } else {
            quote!(#[serde(crate = #c, #extra)])
        }
    }

    // -----------------------------------------------------------------------
    // types

    /// The tokens of one part.
    pub(crate) fn part(&self, part: Part) -> Emitted {
        let ops = &self.api.operations;
        match part {
            Part::TypesImport => self.types_import().into(),
            Part::Type(id) => self.type_def(id),
            Part::ClientDecl => self.client_decl().into(),
            Part::ClientMethods => self.client_methods().into(),
            Part::OpMethod(i) => match self.op_methods(&ops[i]) {
                Ok(methods) => Emitted::methods(methods),
                Err(e) => Emitted::failed(e),
            },
            Part::ClientDefault => self.client_default().into(),
            Part::OpTypes(i) => self.op_types(&ops[i]).into(),
        }
    }

    /// `items` put in `frame`. `types` gets its doc comment when `doc` is
    /// set.
    pub(crate) fn framed(&self, frame: Frame, items: TokenStream, doc: bool) -> TokenStream {
        match frame {
            Frame::Root => items,
            Frame::Types => {
                let doc = doc_attrs(
                    doc.then_some("Data types of the API: one per schema in the description."),
                );
                quote! {
                    #doc
                    pub mod types {
                        #items
                    }
                }
            }
            Frame::ClientImpl => quote! {
                impl Client {
                    #items
                }
            },
        }
    }

    fn types_import(&self) -> TokenStream {
        let derives = serde_imports(self.api)
            .into_iter()
            .map(|n| Ident::new(n, Span::call_site()));
        let rt = &self.rt;
        quote!(use #rt::serde::{#(#derives),*};)
    }

    fn type_def(&self, id: TypeId) -> Emitted {
        let t: &TypeDef = &self.api.types[id];
        let name = ident(&t.name);
        let attrs = self.type_attrs(t);
        let mut out = Emitted::default();
        if let TypeKind::Struct(s) = &t.kind {
            out.push_item(self.struct_item(attrs, &name, s));
            if s.extra.is_none() {
                // `Deserialize` through the runtime's shared `de::Fields`
                // (much less code than the derive).
                for item in self.fields_impl(t, &name, s) {
                    out.push_item(item);
                }
            }
        } else {
            let allow = allow_deprecated(self.def_names_deprecated(t));
            let mut built: Vec<syn::Item> = Vec::new();
            let body = match &t.kind {
                TypeKind::Enum(e) => {
                    let deprecated_names = self.def_names_deprecated(t);
                    built.extend(self.str_enum_impls(&name, e, deprecated_names));
                    self.enum_def(&name, e)
                }
                TypeKind::ValueEnum(e) => self.value_enum_def(&name, e, &allow),
                TypeKind::Union(u) => self.union_def(&name, u, &allow),
                TypeKind::Alias(ty) if t.newtype => {
                    // A recursive alias cannot be a Rust `type`; a
                    // transparent newtype has the same JSON.
                    let ty = self.ty(ty, Scope::Types);
                    let (ser, de) = self.serde_derives();
                    let serde = self.serde_attr(quote!(transparent));
                    quote! {
                        #[derive(Debug, Clone, PartialEq, #ser, #de)]
                        #serde
                        pub struct #name(pub #ty);
                    }
                }
                TypeKind::Alias(ty) => {
                    let ty = self.ty(ty, Scope::Types);
                    quote!(pub type #name = #ty;)
                }
                // Built above.
                TypeKind::Struct(_) => quote!(),
            };
            out.push_tokens(quote!(#(#attrs)* #body));
            for item in built {
                out.push_item(item);
            }
        }
        if let Some(validate) = self.validate_impl(t) {
            out.push_item(validate);
        }
        out.push_tokens(self.default_accessors(t));
        out
    }

    /// The string enum `name`; its impls are built by
    /// [`Cx::str_enum_impls`].
    fn enum_def(&self, name: &Ident, e: &StrEnum) -> TokenStream {
        let (ser, de) = self.serde_derives();
        let string = self.std("String", Scope::Types);
        let other = ident(&e.other);
        let variants: Vec<TokenStream> = e
            .variants
            .iter()
            .map(|(v, value)| {
                let default = (e.default.as_ref() == Some(v)).then(|| quote!(#[default]));
                let v = ident(v);
                let doc = format!(" {}", value_doc(value));
                quote!(#[doc = #doc] #default #v,)
            })
            .collect();
        // The serde attribute names the type as a string, which resolves in
        // `types`, where a schema may shadow `String`.
        let string_path = string.to_string().replace(' ', "");
        let serde = self.serde_attr(quote!(from = #string_path, into = #string_path));
        let default = e.default.as_ref().map(|_| quote!(Default,));
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #default #ser, #de)]
            #serde
            pub enum #name {
                #(#variants)*
                /// A value this client does not know (added to the API later); kept verbatim.
                #other(#string),
            }
        }
    }

    fn union_def(&self, name: &Ident, u: &Union, allow: &TokenStream) -> TokenStream {
        let rt = &self.rt;
        let has_any = u.variants.iter().any(|v| v.ty == Ty::Any);
        let fallback = ident(&u.fallback);
        let variants: Vec<TokenStream> = u
            .variants
            .iter()
            .map(|v| {
                let n = ident(&v.name);
                let ty = self.boxed(self.ty(&v.ty, Scope::Types), v.boxed, Scope::Types);
                let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
                let d = match (u.default.as_ref() == Some(&v.name), tags.is_empty()) {
                    (false, true) => None,
                    (false, false) => Some(format!(" Selected by {}.", tags.join(", "))),
                    (true, true) => Some(
                        " The discriminator's `defaultMapping`: tried first when the tag is absent or selects nothing.".to_owned(),
                    ),
                    (true, false) => Some(format!(
                        " Selected by {}; the discriminator's `defaultMapping`: tried first when the tag is absent or selects nothing.",
                        tags.join(", ")
                    )),
                };
                let doc = d.map(|d| quote!(#[doc = #d]));
                quote!(#doc #n(#ty),)
            })
            .collect();
        let fallback_variant = (!has_any || u.tag.is_some()).then(|| {
            quote! {
                /// A value matching none of the alternatives above; kept verbatim.
                #fallback(#rt::serde_json::Value),
            }
        });
        let Some(tag) = &u.tag else {
            // Serialised untagged; deserialised into the first variant that
            // decodes *losslessly* (re-encoding gives the input back), so a
            // permissive variant cannot swallow keys it does not declare.
            let (ser, _) = self.serde_derives();
            let serde = self.serde_attr(quote!(untagged));
            // Up to the first variant that takes any value, which ends it.
            let any = u.variants.iter().position(|v| v.ty == Ty::Any);
            let tries = self.lossless_tries(&u.variants[..any.unwrap_or(u.variants.len())]);
            let last = match any {
                Some(i) => {
                    let n = ident(&u.variants[i].name);
                    quote!(::std::result::Result::Ok(Self::#n(value)))
                }
                None => quote!(::std::result::Result::Ok(Self::#fallback(value))),
            };
            return quote! {
                #[derive(Debug, Clone, PartialEq, #ser)]
                #serde
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#variants)*
                    #fallback_variant
                }

                // `__D`, not `D`: a schema named `D` is a type `D`, which a
                // generic `D` would shadow. No schema type starts with `__`.
                #allow
                impl<'de> #rt::serde::Deserialize<'de> for #name {
                    fn deserialize<__D: #rt::serde::Deserializer<'de>>(
                        deserializer: __D,
                    ) -> ::std::result::Result<Self, __D::Error> {
                        let value = <#rt::serde_json::Value as #rt::serde::Deserialize>::deserialize(deserializer)?;
                        #(#tries)*
                        #last
                    }
                }
            };
        };
        let ser_arms: Vec<TokenStream> = u
            .variants
            .iter()
            .map(|v| {
                let n = ident(&v.name);
                match (v.writes_tag, v.tags.first()) {
                    (false, Some(t)) => quote! {
                        Self::#n(value) => #rt::union::serialize_tagged(serializer, #tag, #t, value),
                    },
                    _ => quote! {
                        Self::#n(value) => #rt::serde::Serialize::serialize(value, serializer),
                    },
                }
            })
            .collect();
        // One arm per tag value, trying each variant it selects in order
        // (several schemas may share a value); then the variants no value
        // selects, losslessly, as an untagged union would.
        let wrap = |v: &Variant| {
            let n = ident(&v.name);
            if v.boxed {
                quote!(|v| Self::#n(::std::boxed::Box::new(v)))
            } else {
                quote!(Self::#n)
            }
        };
        let mut by_tag: Vec<(&String, Vec<&Variant>)> = Vec::new();
        for v in &u.variants {
            for t in &v.tags {
                match by_tag.iter_mut().find(|(tag, _)| *tag == t) {
                    Some((_, vs)) => vs.push(v),
                    None => by_tag.push((t, vec![v])),
                }
            }
        }
        // Tags selecting the same variants share an arm (`"dog" | "puppy"`).
        let mut arms: Vec<(Vec<&String>, Vec<&Variant>)> = Vec::new();
        for (t, vs) in by_tag {
            let same = |(_, others): &&mut (Vec<&String>, Vec<&Variant>)| {
                others.len() == vs.len()
                    && others.iter().zip(&vs).all(|(a, b)| std::ptr::eq(*a, *b))
            };
            match arms.iter_mut().find(same) {
                Some((tags, _)) => tags.push(t),
                None => arms.push((vec![t], vs)),
            }
        }
        let de_arms: Vec<TokenStream> = arms
            .iter()
            .map(|(tags, vs)| {
                let tries = vs.iter().map(|v| {
                    let ty = self.ty(&v.ty, Scope::Types);
                    let wrap = wrap(v);
                    quote!(<#ty as #rt::serde::Deserialize>::deserialize(&value).ok().map(#wrap))
                });
                let mut tries = tries.collect::<Vec<_>>().into_iter();
                let first = tries
                    .next()
                    .unwrap_or_else(|| quote!(::std::option::Option::None));
                let rest = tries.map(|t| quote!(.or_else(|| #t)));
                quote! {
                    #(::std::option::Option::Some(#tags))|* => #first #(#rest)*,
                }
            })
            .collect();

        // The `defaultMapping` variant first, whatever its tags.
        let is_default = |v: &Variant| u.default.as_ref() == Some(&v.name);
        let untagged: Vec<Variant> = u
            .variants
            .iter()
            .filter(|v| is_default(v))
            .chain(
                u.variants
                    .iter()
                    .filter(|v| !is_default(v) && v.tags.is_empty()),
            )
            .filter(|v| v.ty != Ty::Any)
            .cloned()
            .collect();
        let untagged = self.lossless_tries(&untagged);
        let known = quote! {
            let known = match #rt::union::tag_of(&value, #tag) {
                #(#de_arms)*
                _ => ::std::option::Option::None,
            };
        };
        let decode = match (de_arms.is_empty(), untagged.is_empty()) {
            (true, _) => quote! {
                #(#untagged)*
                ::std::result::Result::Ok(Self::#fallback(value))
            },
            (false, true) => quote! {
                #known
                ::std::result::Result::Ok(known.unwrap_or(Self::#fallback(value)))
            },
            (false, false) => quote! {
                #known
                if let ::std::option::Option::Some(known) = known {
                    return ::std::result::Result::Ok(known);
                }
                #(#untagged)*
                ::std::result::Result::Ok(Self::#fallback(value))
            },
        };
        quote! {
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#variants)*
                #fallback_variant
            }

            #allow
            impl #rt::serde::Serialize for #name {
                fn serialize<__S: #rt::serde::Serializer>(
                    &self,
                    serializer: __S,
                ) -> ::std::result::Result<__S::Ok, __S::Error> {
                    match self {
                        #(#ser_arms)*
                        Self::#fallback(value) => #rt::serde::Serialize::serialize(value, serializer),
                    }
                }
            }

            #allow
            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<__D: #rt::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <#rt::serde_json::Value as #rt::serde::Deserialize>::deserialize(deserializer)?;
                    #decode
                }
            }
        }
    }

    /// `if let Some(decoded) = lossless::<T>(&value) { return Ok(Self::V(decoded)); }`
    /// for each of `variants`, in order: the variant that decodes the value
    /// without losing anything of it wins.
    fn lossless_tries(&self, variants: &[Variant]) -> Vec<TokenStream> {
        let rt = &self.rt;
        variants
            .iter()
            .map(|v| {
                let ty = self.ty(&v.ty, Scope::Types);
                let n = ident(&v.name);
                let wrap = if v.boxed {
                    quote!(Self::#n(::std::boxed::Box::new(decoded)))
                } else {
                    quote!(Self::#n(decoded))
                };
                quote! {
                    if let ::std::option::Option::Some(decoded) = #rt::union::lossless::<#ty>(&value) {
                        return ::std::result::Result::Ok(#wrap);
                    }
                }
            })
            .collect()
    }

    // -----------------------------------------------------------------------
    // client

    /// `SECURITY_SCHEMES`, the server variables' types and `struct Client`.
    fn client_decl(&self) -> TokenStream {
        let rt = &self.rt;
        let api = self.api;
        let mut doc = format!("Client for {}", api.title);
        if !api.version.is_empty() {
            doc.push_str(&format!(" (version {})", api.version));
        }
        doc.push('.');
        if let Some(d) = &api.description {
            doc.push_str("\n\n");
            doc.push_str(d);
        }
        let doc = doc_attrs(Some(&doc));
        let schemes: Vec<TokenStream> = api
            .schemes
            .iter()
            .map(|s| match &s.kind {
                SchemeKind::Bearer => quote!(#rt::SecurityScheme::Bearer),
                SchemeKind::Basic => quote!(#rt::SecurityScheme::Basic),
                SchemeKind::ApiKeyHeader(n) => quote!(#rt::SecurityScheme::ApiKeyHeader(#n)),
                SchemeKind::ApiKeyQuery(n) => quote!(#rt::SecurityScheme::ApiKeyQuery(#n)),
                SchemeKind::ApiKeyCookie(n) => quote!(#rt::SecurityScheme::ApiKeyCookie(#n)),
            })
            .collect();
        let server_types = self.server_types();
        quote! {
            const SECURITY_SCHEMES: &[#rt::SecurityScheme] = &[#(#schemes),*];

            #server_types

            #doc
            #[derive(Debug, Clone)]
            pub struct Client {
                core: #rt::ClientCore,
            }
        }
    }

    /// The methods of `Client` that are not operations: constructors,
    /// settings, credentials and accessors.
    fn client_methods(&self) -> TokenStream {
        let rt = &self.rt;
        let api = self.api;
        let auth_methods: Vec<TokenStream> = api
            .schemes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let m = format_ident!("with_{}", s.ident);
                let idx = Literal::usize_unsuffixed(i);
                let how = match &s.kind {
                    SchemeKind::Bearer => "as `Authorization: Bearer …`".to_owned(),
                    SchemeKind::Basic => "as HTTP basic authentication".to_owned(),
                    SchemeKind::ApiKeyHeader(n) => format!("in the `{n}` header"),
                    SchemeKind::ApiKeyQuery(n) => format!("in the `{n}` query parameter"),
                    SchemeKind::ApiKeyCookie(n) => format!("in the `{n}` cookie"),
                };
                let mut text = format!("Sets the credential of security scheme `{}`, sent {how}.", s.name);
                if let Some(d) = &s.doc {
                    text.push_str("\n\n");
                    text.push_str(d);
                }
                text.push_str("\n\nThe value never appears in `Debug` output or error messages.");
                let doc = doc_attrs(Some(&text));
                let tokens = self.token_methods(i, s);
                if s.kind == SchemeKind::Basic {
                    quote! {
                        #doc
                        pub fn #m(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                            self.core.set_basic(#idx, username, password);
                            self
                        }
                    }
                } else {
                    quote! {
                        #doc
                        pub fn #m(mut self, value: impl Into<String>) -> Self {
                            self.core.set_token(#idx, value);
                            self
                        }

                        #tokens
                    }
                }
            })
            .collect();
        let default_const = api.default_server.as_ref().map(|url| {
            quote! {
                /// The first server listed in the API description.
                pub const DEFAULT_BASE_URL: &'static str = #url;
            }
        });
        let server_url = api.server.as_ref().map(|s| {
            let vars = ident(&s.struct_name);
            let doc = format!(
                " The server URL for the given values of its variables, for [`Client::new`]: `Client::new(Client::server_url(&{}::default()))` is a client for [`Client::DEFAULT_BASE_URL`].",
                s.struct_name
            );
            quote! {
                #[doc = #doc]
                pub fn server_url(variables: &#vars) -> ::std::string::String {
                    variables.url()
                }
            }
        });
        let server_override = api.operations.iter().any(|op| op.server.is_some()).then(|| {
            quote! {
                /// Sends the operations the API description serves from `spec_url` (their own `servers`, named in their docs) to `url` instead: a test server, a proxy, another deployment.
                pub fn with_server_override(mut self, spec_url: &str, url: impl Into<String>) -> Self {
                    self.core.set_server_override(spec_url, url);
                    self
                }
            }
        });
        quote! {
            #default_const

            #server_url

            #server_override

            /// A client sending requests to `base_url` (e.g. `https://api.example.com/v1`).
            pub fn new(base_url: impl Into<String>) -> Self {
                Self {
                    core: #rt::ClientCore::new(base_url, SECURITY_SCHEMES),
                }
            }

            /// Uses `client` for HTTP (to share a connection pool, or set timeouts and proxies).
            pub fn with_http_client(mut self, client: #rt::reqwest::Client) -> Self {
                self.core = self.core.with_http_client(client);
                self
            }

            /// Limits how long each attempt of a request may take (until the whole response is read); past it the call fails with `Error::Timeout`.
            pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.core.set_timeout(::std::option::Option::Some(timeout));
                self
            }

            /// Sets when failed requests are retried (by default: idempotent requests, 3 attempts, on connection failures, 429 and 503, honouring `Retry-After`).
            pub fn with_retry_policy(mut self, policy: #rt::RetryPolicy) -> Self {
                self.core.set_retry_policy(policy);
                self
            }

            /// Sets the `User-Agent` header. An invalid value makes every request fail with `Error::InvalidRequest`.
            pub fn with_user_agent(mut self, user_agent: &str) -> Self {
                self.core.set_user_agent(user_agent);
                self
            }

            /// Adds a header sent with every request. An invalid name or value makes every request fail with `Error::InvalidRequest`, which names the header but never shows the value.
            pub fn with_header(mut self, name: &str, value: &str) -> Self {
                self.core.set_default_header(name, value);
                self
            }

            /// Adds a hook, run on every request this client sends (after the credentials are applied: it may change, sign, fail or answer it) and every response it gets, with the operation's `operationId`; see the runtime's `hooks` module.
            pub fn with_hook(mut self, hook: impl #rt::hooks::Hook) -> Self {
                self.core.add_hook(hook);
                self
            }

            #(#auth_methods)*

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }

            /// The shared runtime state (HTTP client, base URL, credentials).
            pub fn core(&self) -> &#rt::ClientCore {
                &self.core
            }

            /// Mutable access to the shared runtime state.
            pub fn core_mut(&mut self) -> &mut #rt::ClientCore {
                &mut self.core
            }
        }
    }

    /// `impl Default for Client`, when there is a default server.
    fn client_default(&self) -> TokenStream {
        if self.api.default_server.is_none() {
            return quote!();
        }
        quote! {
            impl Default for Client {
                /// A client for [`Client::DEFAULT_BASE_URL`].
                fn default() -> Self {
                    Self::new(Self::DEFAULT_BASE_URL)
                }
            }
        }
    }

    /// Whether the argument of a required parameter of type `ty` is a
    /// reference (see [`Cx::arg_ty`]).
    fn arg_by_ref(&self, ty: &Ty) -> bool {
        !(*ty == Ty::Bool || ty.is_fixed_number())
    }

    /// The argument type of a required parameter: `&str`, `&[T]`, `&T`, or
    /// a number or `bool` by value.
    fn arg_ty(&self, ty: &Ty) -> syn::Type {
        if !self.arg_by_ref(ty) {
            return self.ty_syn(ty, Scope::Root);
        }
        let referred = match ty {
            Ty::String => syntax::ty(syn::Path::from(ident("str"))),
            Ty::Vec(inner) => syn::Type::Slice(syn::TypeSlice {
                attrs: Vec::new(),
                bracket_token: Default::default(),
                elem: Box::new(self.ty_syn(inner, Scope::Root)),
            }),
            other => self.ty_syn(other, Scope::Root),
        };
        syntax::reference(None, false, referred)
    }

    /// Whether values of `ty` implement `Display` the way the wire expects.
    fn displayable(&self, ty: &Ty) -> bool {
        match ty {
            // Dates go through serde, which writes RFC 3339 (`Display` of
            // chrono's `DateTime` does not).
            Ty::Any
            | Ty::Map(_)
            | Ty::Vec(_)
            | Ty::Option(_)
            | Ty::Unit
            | Ty::Tuple(..)
            | Ty::DateTime
            | Ty::Date => false,
            Ty::Named(id) => match &self.api.types[*id].kind {
                TypeKind::Enum(_) => true,
                TypeKind::ValueEnum(e) => Self::value_enum_displayable(e),
                TypeKind::Alias(inner) => self.displayable(inner),
                _ => false,
            },
            _ => true,
        }
    }

    fn payload_ty(&self, p: &Payload) -> syn::Type {
        match p {
            Payload::Json(ty) => self.ty_syn(ty, Scope::Root),
            Payload::Empty => syntax::tuple_ty(Vec::new()),
            Payload::Text => syntax::ty(syntax::std(&["string", "String"])),
            Payload::Bytes => syntax::ty(self.rt_root.join(&["bytes", "Bytes"])),
        }
    }

    /// The operation's own types at module root: params struct, success and error enums.
    fn op_types(&self, op: &Operation) -> TokenStream {
        let fn_link = format!(" [`Client::{}`].", crate::names::bare(&op.fn_name));
        let allow = allow_deprecated(self.op_names_deprecated(op));
        let params = op.params_struct.as_ref().map(|ps| {
            let ps = ident(ps);
            let fields: Vec<TokenStream> = op
                .params
                .iter()
                .filter(|p| !p.required)
                .map(|p| {
                    let a = ident(&p.ident);
                    let t = self.ty(&p.ty, Scope::Root);
                    let mut text =
                        format!("`{}` ({} parameter)", p.name, location_word(p.location));
                    if let Some(d) = &p.doc {
                        text.push_str(": ");
                        text.push_str(d);
                    }
                    let doc = doc_attrs(Some(&text));
                    quote!(#doc pub #a: ::std::option::Option<#t>,)
                })
                .collect();
            let doc = format!(" Optional parameters of{fn_link}");
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, Default, PartialEq)]
                #allow
                pub struct #ps {
                    #(#fields)*
                }
            }
        });
        let success = op.success_enum.as_ref().map(|name| {
            let e = ident(name);
            let variants: Vec<TokenStream> =
                op.successes.iter().map(|c| self.case_variant(c)).collect();
            let doc = format!(" Successful responses of{fn_link}");
            let large = allow_large_variant(&op.successes);
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq)]
                #allow
                #large
                pub enum #e {
                    #(#variants)*
                }
            }
        });
        let multipart = match op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Multipart(m)) => Some(self.multipart_struct(m, &fn_link, &allow)),
            _ => None,
        };
        let err = ident(&op.error_enum);
        let variants: Vec<TokenStream> = op.errors.iter().map(|c| self.case_variant(c)).collect();
        let doc = format!(" Documented error responses of{fn_link}");
        let large = allow_large_variant(&op.errors);
        quote! {
            #params
            #multipart
            #success
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #allow
            #large
            pub enum #err {
                #(#variants)*
            }
        }
    }

    /// The struct of a multipart body: files as `FilePart`s, other
    /// properties with their schema types.
    fn multipart_struct(
        &self,
        m: &MultipartBody,
        fn_link: &str,
        allow: &TokenStream,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&m.name);
        let fields: Vec<TokenStream> = m
            .fields
            .iter()
            .map(|f| {
                let a = ident(&f.ident);
                let t = match &f.kind {
                    PartKind::File { .. } => quote!(#rt::body::FilePart),
                    PartKind::Files { .. } => quote!(::std::vec::Vec<#rt::body::FilePart>),
                    PartKind::Value(ty) => self.ty(ty, Scope::Root),
                };
                let encoded = match &f.kind {
                    PartKind::File { base64: true } | PartKind::Files { base64: true } => {
                        " Sent base64-encoded."
                    }
                    _ => "",
                };
                let t = if f.required {
                    t
                } else {
                    quote!(::std::option::Option<#t>)
                };
                let mut text = match &f.kind {
                    PartKind::File { .. } => format!(
                        "Part `{}`: a file (`{}` unless the file sets its content type).{encoded}",
                        f.name, f.file_content_type
                    ),
                    PartKind::Files { .. } => format!(
                        "Parts `{}`: one file each (`{}` unless a file sets its content type).{encoded}",
                        f.name, f.file_content_type
                    ),
                    PartKind::Value(_) => format!("Part `{}`.", f.name),
                };
                if let Some(d) = &f.doc {
                    text.push_str("\n\n");
                    text.push_str(d);
                }
                let doc = doc_attrs(Some(&text));
                quote!(#doc pub #a: #t,)
            })
            .collect();
        let default = m
            .fields
            .iter()
            .all(|f| !f.required)
            .then(|| quote!(Default,));
        // `new` takes the required parts; the optional ones start as `None`.
        let required: Vec<&crate::ir::PartField> = m.fields.iter().filter(|f| f.required).collect();
        let new_args = required.iter().map(|f| {
            let a = ident(&f.arg);
            let t = match &f.kind {
                PartKind::File { .. } => quote!(#rt::body::FilePart),
                PartKind::Files { .. } => quote!(::std::vec::Vec<#rt::body::FilePart>),
                PartKind::Value(ty) => self.ty(ty, Scope::Root),
            };
            quote!(#a: #t)
        });
        let inits = m.fields.iter().map(|f| {
            let a = ident(&f.ident);
            if f.required && f.arg == f.ident {
                quote!(#a,)
            } else if f.required {
                let arg = ident(&f.arg);
                quote!(#a: #arg,)
            } else {
                quote!(#a: ::std::option::Option::None,)
            }
        });
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let doc = format!(
            " The `multipart/form-data` body of{fn_link} Each field is one part (an array: one part per item; an object: a JSON part)."
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, #default)]
            #allow
            pub struct #name {
                #(#fields)*
            }
            #allow
            impl #name {
                /// A body with the required parts; the optional ones are `None`.
                #many
                pub fn new(#(#new_args),*) -> Self {
                    Self {
                        #(#inits)*
                    }
                }
            }
        }
    }

    /// The variables struct of the server URL (and enums for variables
    /// with an `enum`).
    fn server_types(&self) -> TokenStream {
        let Some(server) = &self.api.server else {
            return quote!();
        };
        let name = ident(&server.struct_name);
        let mut enums = Vec::new();
        let mut fields = Vec::new();
        let mut defaults = Vec::new();
        for v in &server.variables {
            let a = ident(&v.ident);
            let default = &v.default;
            let mut text = format!("`{{{}}}` (default `{default}`)", v.name);
            if let Some(d) = &v.doc {
                text.push_str(": ");
                text.push_str(d);
            }
            let doc = doc_attrs(Some(&text));
            match &v.values {
                Some((type_name, variants)) => {
                    let e = ident(type_name);
                    let names: Vec<Ident> = variants.iter().map(|(n, _)| ident(n)).collect();
                    let values: Vec<&String> = variants.iter().map(|(_, v)| v).collect();
                    let docs: Vec<String> = values.iter().map(|v| format!(" `{v}`")).collect();
                    let default_variant = variants
                        .iter()
                        .find(|(_, value)| value == default)
                        .map(|(n, _)| ident(n));
                    let marks = names
                        .iter()
                        .map(|n| (Some(n) == default_variant.as_ref()).then(|| quote!(#[default])));
                    let edoc = format!(" Values of server variable `{}`.", v.name);
                    enums.push(quote! {
                        #[doc = #edoc]
                        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
                        pub enum #e {
                            #(#[doc = #docs] #marks #names,)*
                        }
                        impl #e {
                            /// The value put in the URL.
                            pub fn as_str(&self) -> &'static str {
                                match self {
                                    #(Self::#names => #values,)*
                                }
                            }
                        }
                        impl ::std::fmt::Display for #e {
                            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                                f.write_str(self.as_str())
                            }
                        }
                    });
                    fields.push(quote!(#doc pub #a: #e,));
                    defaults.push(quote!(#a: #e::default(),));
                }
                None => {
                    fields.push(quote!(#doc pub #a: ::std::string::String,));
                    defaults.push(quote!(#a: ::std::string::String::from(#default),));
                }
            }
        }
        let pushes = server.pieces.iter().map(|p| match p {
            UrlPiece::Literal(l) => quote!(url.push_str(#l);),
            UrlPiece::Var(i) => {
                let v = &server.variables[*i];
                let a = ident(&v.ident);
                if v.values.is_some() {
                    quote!(url.push_str(self.#a.as_str());)
                } else {
                    quote!(url.push_str(&self.#a);)
                }
            }
        });
        // With only enum variables, `Default` is derived (their defaults).
        let all_enums = server.variables.iter().all(|v| v.values.is_some());
        let (derive_default, default_impl) = if all_enums {
            (quote!(Default,), quote!())
        } else {
            (
                quote!(),
                quote! {
                    impl Default for #name {
                        fn default() -> Self {
                            Self {
                                #(#defaults)*
                            }
                        }
                    }
                },
            )
        };
        let doc = format!(
            " Values for the variables of the server URL `{}`; `Default` gives the defaults. Values are put in the URL as they are.",
            server.template
        );
        let url_doc = format!(
            " The server URL with these values: `{}` filled in.",
            server.template
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
            pub struct #name {
                #(#fields)*
            }
            #default_impl
            impl #name {
                #[doc = #url_doc]
                pub fn url(&self) -> ::std::string::String {
                    let mut url = ::std::string::String::new();
                    #(#pushes)*
                    url
                }
            }
            #(#enums)*
        }
    }

    fn case_variant(&self, c: &Case) -> TokenStream {
        let v = ident(&c.variant);
        let status = match c.status {
            StatusKey::Code(n) => format!("Status {n}"),
            StatusKey::Range(d) => format!("Status {d}xx"),
            StatusKey::Default => "Any other status".to_owned(),
        };
        let text = match &c.doc {
            Some(d) if !d.trim().is_empty() => format!("{status}: {}", d.trim()),
            _ => format!("{status}."),
        };
        let doc = doc_attrs(Some(&text));
        match &c.payload {
            Payload::Empty => quote!(#doc #v,),
            p => {
                let t = self.payload_ty(p);
                quote!(#doc #v(#t),)
            }
        }
    }
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::QueryString => "query string",
    }
}

/// An identifier token, raw (`r#type`) when the IR says so.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// How a string enum value is shown in its variant's doc: as a code span,
/// with control characters escaped so the doc stays one line.
fn value_doc(value: &str) -> String {
    if value.is_empty() {
        return "The empty string.".to_owned();
    }
    let shown = if value.chars().any(char::is_control) {
        format!("{value:?}")
    } else {
        value.to_owned()
    };
    // A code span's fence is longer than any run of backticks inside it.
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || shown.starts_with(' ') || shown.ends_with(' ') {
        format!("{fence} {shown} {fence}")
    } else {
        format!("{fence}{shown}{fence}")
    }
}

fn allow_deprecated(on: bool) -> TokenStream {
    if on {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

/// `clippy::large_enum_variant` can fire on an enum with two or more
/// variants of which one carries data (a large payload beside a unit
/// variant, as well as beside a small one), whose sizes generated code
/// cannot know.
fn allow_large_variant(cases: &[Case]) -> TokenStream {
    let with_data = cases.iter().any(|c| c.payload != Payload::Empty);
    if with_data && cases.len() > 1 {
        quote!(#[allow(clippy::large_enum_variant)])
    } else {
        quote!()
    }
}

/// `#[doc = "…"]` attributes, one per line, with the text made safe for
/// rustdoc: no intra-doc links or HTML tags by accident, bare URLs made
/// links, no indented code blocks and no doctests (fences become `text`).
fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return quote!() };
    let attrs = doc_literals(text).map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// [`doc_attrs`] as syntax trees.
fn doc_attr_items(text: Option<&str>) -> Vec<syn::Attribute> {
    match text {
        Some(text) => doc_literals(text)
            .map(|l| syntax::doc_lit_attr(syn::Lit::new(l)))
            .collect(),
        None => Vec::new(),
    }
}

/// The values of the doc attributes of `text`, one per line (see
/// [`doc_attrs`]).
fn doc_literals(text: &str) -> impl Iterator<Item = Literal> {
    sanitize_doc(text).into_iter().map(|l| {
        if l.is_empty() {
            doc_literal(&l)
        } else {
            doc_literal(&format!(" {l}"))
        }
    })
}

/// A string literal for the doc line `line`, raw (`r#"…"#`) when that does
/// not change the output. prettyplease prints a doc attribute whose value
/// has no line break and does not start with `/` as `///` and the value, so
/// then the form of the literal does not show; and a raw literal costs far
/// less: proc_macro2 escapes every character of a plain one
/// (`char::escape_debug`), and syn unescapes it again each time it reads it
/// (to parse it, and for prettyplease). Docs are a large part of the
/// generated code.
fn doc_literal(line: &str) -> Literal {
    if line.contains(['\n', '\r']) || line.starts_with('/') {
        return Literal::string(line);
    }
    // Enough `#`s that no `"` in the line is followed by as many.
    let mut hashes = 0;
    let mut rest = line;
    while let Some(quote) = rest.find('"') {
        rest = &rest[quote + 1..];
        hashes = hashes.max(1 + rest.bytes().take_while(|&b| b == b'#').count());
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{line}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(line))
}

/// The doc-comment lines for a description taken from a spec.
pub fn sanitize_doc(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The indent of the text of the list item being continued.
    let mut in_list: Option<usize> = None;
    let mut text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Tabs in doc comments are a clippy warning (`tabs_in_doc_comments`).
    if text.contains('\t') {
        text = text.replace('\t', "    ");
    }
    for raw in text.trim().lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push(if in_fence {
                "```text".to_owned()
            } else {
                "```".to_owned()
            });
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        if trimmed.is_empty() {
            in_list = None;
            out.push(String::new());
            continue;
        }
        let marker = if trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
        {
            Some(1)
        } else {
            trimmed
                .split_once(". ")
                .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                .map(|(n, _)| n.len() + 1)
        };
        let mut line = escape_markdown(trimmed);
        if let Some(marker) = marker {
            // The item's text starts after the marker and its spaces
            // (`*   text`: column 4). With five or more, Markdown would
            // read the text as indented code: one space is kept.
            let spaces = trimmed[marker..].bytes().take_while(|&b| b == b' ').count();
            if spaces > 4 {
                let text = trimmed[marker..].trim_start_matches(' ');
                line = escape_markdown(&format!("{} {text}", &trimmed[..marker]));
                in_list = Some(marker + 1);
            } else {
                in_list = Some(marker + spaces);
            }
        } else if let Some(indent) = in_list {
            // Continuation of a list item: indented to the item's text, so
            // it stays in the item.
            line = format!("{:indent$}{line}", "");
        }
        out.push(line);
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

fn escape_markdown(line: &str) -> String {
    let mut s = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(start) = find_url(rest) {
            let before = &rest[..start];
            // A Markdown link `[text](https://…)` is kept as a link.
            if let Some(link) = markdown_link(before, &rest[start..]) {
                s.push_str(&escape_plain(&before[..link.open]));
                s.push('[');
                s.push_str(&escape_plain(link.text));
                s.push_str("](");
                s.push_str(link.url);
                s.push(')');
                rest = &rest[start + link.url.len() + 1..];
                continue;
            }
            // `<https://…>` is already an autolink: keep its `<`.
            let autolink = before.ends_with('<');
            s.push_str(&escape_plain(before.strip_suffix('<').unwrap_or(before)));
            let url_len = rest[start..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')' | ']')
                })
                .unwrap_or(rest.len() - start);
            let mut url = &rest[start..start + url_len];
            while url.ends_with(['.', ',', ';', ':']) {
                url = &url[..url.len() - 1];
            }
            s.push('<');
            s.push_str(url);
            s.push('>');
            rest = &rest[start + url.len()..];
            if autolink && rest.starts_with('>') {
                rest = &rest[1..];
            }
        } else {
            s.push_str(&escape_plain(rest));
            break;
        }
    }
    s
}

/// An inline Markdown link whose URL starts `after`: `before` ends with
/// `[text](` and the URL is closed by `)`.
struct MarkdownLink<'s> {
    /// Offset of `[` in `before`.
    open: usize,
    text: &'s str,
    url: &'s str,
}

fn markdown_link<'s>(before: &'s str, after: &'s str) -> Option<MarkdownLink<'s>> {
    let head = before.strip_suffix("](")?;
    let open = head.rfind('[')?;
    let text = &head[open + 1..];
    if text.is_empty() || text.contains(']') {
        return None;
    }
    let end = after.find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '>' | '`'))?;
    after[end..].starts_with(')').then(|| MarkdownLink {
        open,
        text,
        url: &after[..end],
    })
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("http://"), s.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn escape_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '[' | ']' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_are_made_safe() {
        let lines = sanitize_doc(
            "Bearer <token> for [Experimental] use.\nSee https://example.com/x.\n    indented\n```js\nlet a = 1;\n```",
        );
        assert_eq!(
            lines,
            vec![
                "Bearer &lt;token&gt; for \\[Experimental\\] use.",
                "See <https://example.com/x>.",
                "indented",
                "```text",
                "let a = 1;",
                "```",
            ]
        );
    }

    #[test]
    fn large_variants_are_allowed_beside_any_other_variant() {
        let case = |payload: Payload| Case {
            status: StatusKey::Code(200),
            variant: "V".into(),
            payload,
            media_type: None,
            doc: None,
        };
        let allowed = |cases: &[Case]| !allow_large_variant(cases).is_empty();
        // A large payload beside a unit variant is what clippy flags most.
        assert!(allowed(&[
            case(Payload::Json(Ty::Any)),
            case(Payload::Empty)
        ]));
        assert!(allowed(&[case(Payload::Text), case(Payload::Bytes)]));
        assert!(!allowed(&[case(Payload::Json(Ty::Any))]));
        assert!(!allowed(&[case(Payload::Empty), case(Payload::Empty)]));
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(
            sanitize_doc("| a\t| b |\n```\n\tcode\n```"),
            ["| a    | b |", "```text", "    code", "```"]
        );
    }

    #[test]
    fn list_continuations_are_indented() {
        let lines = sanitize_doc("Intro\n\n- one\ncontinued\n\nafter");
        assert_eq!(
            lines,
            vec!["Intro", "", "- one", "  continued", "", "after"]
        );
        // To the column of the item's text.
        assert_eq!(
            sanitize_doc("*   wide\ncontinued\n10.  tenth\nmore"),
            ["*   wide", "    continued", "10.  tenth", "     more"]
        );
        // Not so far that the text would be indented code.
        assert_eq!(sanitize_doc("-      far\nnext"), ["- far", "  next"]);
    }

    #[test]
    fn enum_value_docs() {
        assert_eq!(value_doc("a-b"), "`a-b`");
        assert_eq!(value_doc(""), "The empty string.");
        assert_eq!(value_doc("a`b"), "`` a`b ``");
        assert_eq!(value_doc("a\nb"), "`\"a\\nb\"`");
    }

    #[test]
    fn markdown_links_are_kept() {
        assert_eq!(
            sanitize_doc("See [the <docs>](https://a.b/c?d=1) and [x] (https://e.f)."),
            vec!["See [the &lt;docs&gt;](https://a.b/c?d=1) and \\[x\\] (<https://e.f>)."]
        );
    }

    #[test]
    fn doc_literals_keep_their_value() {
        let long_run = format!("a\"{}b", "#".repeat(300));
        let lines = [
            "",
            " plain",
            " \"quoted\"",
            " r#\"raw\"# and \"## x",
            " back\\slash \\n",
            " nul \0 esc \u{1b} tab \t",
            " ünïcødé ✓",
            long_run.as_str(),
            " line\nbreak",
            "/ slash",
        ];
        for line in lines {
            let lit = doc_literal(line);
            let parsed: syn::LitStr = syn::parse2(quote!(#lit)).expect("a string literal");
            assert_eq!(parsed.value(), line, "{lit}");
        }
        // Where the literal would be printed as it is, it is a plain one.
        assert!(doc_literal(" line\nbreak").to_string().starts_with('"'));
        assert!(doc_literal("/ slash").to_string().starts_with('"'));
        assert!(doc_literal(&long_run).to_string().starts_with('"'));
        assert!(doc_literal(" plain").to_string().starts_with('r'));
    }

    #[test]
    fn autolinks_are_kept() {
        assert_eq!(sanitize_doc("<https://a.b/c>"), vec!["<https://a.b/c>"]);
    }
}
