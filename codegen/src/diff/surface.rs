//! The public API of a generated module, read back from its Rust source:
//! every public type (its fields or variants, derives and trait impls),
//! every public method, and the constraints its `validate` code checks.
//!
//! Reading the Rust source rather than the description is what lets
//! `apigen check` say what changed when all it has of the old version is
//! the checked-in file; and it is what callers compile against.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// The public API of one generated module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// Public types by their path from the module root (`types::Pet`,
    /// `ListPetsError`, `Client`).
    pub items: BTreeMap<String, Item>,
    /// Trait impls written out (not derived), as `Trait for Type`, with the
    /// path of the item they belong to.
    pub impls: BTreeSet<(String, String)>,
}

/// A public type.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What kind of type it is, with its fields or variants.
    pub kind: Kind,
    /// What the generated code uses it for (read from its documentation).
    pub role: Role,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// Its `#[cfg(…)]`, as written.
    pub cfg: Option<String>,
    /// Derived traits (`Debug`, `Clone`, `Default`, …).
    pub derives: BTreeSet<String>,
    /// Public inherent methods, by name.
    pub methods: BTreeMap<String, Method>,
}

/// The shape of a public type.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A struct; tuple structs name their fields `0`, `1`, ….
    Struct {
        /// Public fields, in order.
        fields: Vec<Field>,
        /// Whether it has a field that is not public (then no caller can
        /// build it with a literal).
        private: bool,
    },
    /// An enum.
    Enum {
        /// Variants, in order.
        variants: Vec<Variant>,
    },
    /// `pub type Name = Target;`
    Alias(String),
}

/// A public struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its Rust name.
    pub name: String,
    /// Its type, normalised (see [`type_text`]).
    pub ty: String,
    /// The JSON key it is read from and written to, when it differs from
    /// its name (`#[serde(rename = …)]`).
    pub wire: Option<String>,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Its name.
    pub name: String,
    /// The JSON value it stands for, where its enum says so (the
    /// `Self::X => "value"` arms of a string enum's `as_str`).
    pub wire: Option<String>,
    /// What it holds: `(T)`, `{ a: T }`, or empty for a unit variant.
    pub payload: String,
}

/// A public method.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// The receiver (`&self`, `self`) if any.
    pub receiver: Option<String>,
    /// Generic parameters, as written (`<T>`), or empty.
    pub generics: String,
    /// Arguments after the receiver: (name, type).
    pub args: Vec<(String, String)>,
    /// The return type, or empty for `()`.
    pub ret: String,
    /// `async fn`.
    pub is_async: bool,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// Its `#[cfg(…)]`, as written.
    pub cfg: Option<String>,
    /// `METHOD /path` of the operation it calls, from its documentation.
    pub endpoint: Option<String>,
    /// Constraints its body checks before sending a request (or, for
    /// `validate`, on the value).
    pub constraints: BTreeSet<Constraint>,
}

/// One constraint checked by generated code, such as `min_length 3` on the
/// field `name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Constraint {
    /// Where: the labels of the enclosing checks joined with `.`
    /// (`name`, `path parameter id`, `items[*]`).
    pub at: String,
    /// The runtime check (`min_length`, `pattern`, `maximum`, …).
    pub rule: String,
    /// Its bound, as written (`3`, `"^[a-z]+$"`), or empty.
    pub bound: String,
}

/// What a generated type is for, read from the documentation apigen writes
/// on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A model type (module `types`) or anything else.
    Model,
    /// The optional parameters of a client method.
    Params(String),
    /// The successful responses of a client method.
    Successes(String),
    /// The documented error responses of a client method.
    Errors(String),
}

/// Reads the public API of generated Rust source.
pub fn read(code: &str) -> Result<Surface, String> {
    let file = syn::parse_file(code).map_err(|e| format!("not Rust source: {e}"))?;
    let mut surface = Surface::default();
    let mut pending = Vec::new();
    read_items(&file.items, "", &mut surface, &mut pending);
    for (owner, method_name, method, values) in pending {
        let Some(item) = surface.items.get_mut(&owner) else {
            continue;
        };
        if let Kind::Enum { variants } = &mut item.kind {
            for v in variants.iter_mut() {
                if let Some(value) = values.get(&v.name) {
                    v.wire = Some(value.clone());
                }
            }
        }
        item.methods.insert(method_name, method);
    }
    Ok(surface)
}

/// Methods read before the type they belong to, with the JSON values of
/// the variants an `as_str` names.
type Pending = Vec<(String, String, Method, HashMap<String, String>)>;

fn read_items(items: &[syn::Item], prefix: &str, out: &mut Surface, pending: &mut Pending) {
    for item in items {
        match item {
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    let prefix = format!("{prefix}{}::", m.ident);
                    read_items(inner, &prefix, out, pending);
                }
            }
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let mut fields = Vec::new();
                let mut private = false;
                for (i, f) in s.fields.iter().enumerate() {
                    if !is_pub(&f.vis) {
                        private = true;
                        continue;
                    }
                    let name = f
                        .ident
                        .as_ref()
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| i.to_string());
                    fields.push(Field {
                        name,
                        ty: type_text(&f.ty),
                        wire: serde_rename(&f.attrs),
                        deprecated: has_attr(&f.attrs, "deprecated"),
                    });
                }
                let kind = Kind::Struct { fields, private };
                out.items
                    .insert(format!("{prefix}{}", s.ident), new_item(kind, &s.attrs));
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| Variant {
                        name: v.ident.to_string(),
                        wire: None,
                        payload: payload_text(&v.fields),
                    })
                    .collect();
                out.items.insert(
                    format!("{prefix}{}", e.ident),
                    new_item(Kind::Enum { variants }, &e.attrs),
                );
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let kind = Kind::Alias(type_text(&t.ty));
                out.items
                    .insert(format!("{prefix}{}", t.ident), new_item(kind, &t.attrs));
            }
            syn::Item::Impl(i) => read_impl(i, prefix, out, pending),
            _ => {}
        }
    }
}

fn new_item(kind: Kind, attrs: &[syn::Attribute]) -> Item {
    Item {
        kind,
        role: role(&doc_text(attrs)),
        deprecated: has_attr(attrs, "deprecated"),
        non_exhaustive: has_attr(attrs, "non_exhaustive"),
        cfg: cfg_text(attrs),
        derives: derives(attrs),
        methods: BTreeMap::new(),
    }
}

fn read_impl(i: &syn::ItemImpl, prefix: &str, out: &mut Surface, pending: &mut Pending) {
    let self_ty = type_text(&i.self_ty);
    // Items are named from the module root; inside `types` they are bare.
    let owner = if self_ty.contains("::") {
        self_ty.clone()
    } else {
        format!("{prefix}{self_ty}")
    };
    if let Some((trait_path, _)) = &i.trait_ {
        let name = trait_text(trait_path);
        out.impls.insert((owner, name));
        return;
    }
    for member in &i.items {
        let syn::ImplItem::Fn(f) = member else {
            continue;
        };
        if !is_pub(&f.vis) {
            continue;
        }
        let values = if f.sig.ident == "as_str" {
            variant_values(f.block.to_token_stream())
        } else {
            HashMap::new()
        };
        pending.push((owner.clone(), f.sig.ident.to_string(), method(f), values));
    }
}

fn method(f: &syn::ImplItemFn) -> Method {
    let mut receiver = None;
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => {
                receiver = Some(match &r.kind {
                    syn::ReceiverKind::Reference(_, _, Some(_)) => "&mut self".to_owned(),
                    syn::ReceiverKind::Reference(..) => "&self".to_owned(),
                    syn::ReceiverKind::Typed(_, ty) => format!("self: {}", type_text(ty)),
                    // `mut self` is the method's own business.
                    _ => "self".to_owned(),
                });
            }
            syn::FnArg::Typed(t) => {
                let name = match &*t.pat {
                    syn::Pat::Ident(p) => p.ident.to_string(),
                    other => tokens_text(other.to_token_stream()),
                };
                args.push((name, type_text(&t.ty)));
            }
        }
    }
    let ret = match &f.sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, t) => type_text(t),
    };
    let generics = if f.sig.generics.params.is_empty() {
        String::new()
    } else {
        tokens_text(f.sig.generics.to_token_stream())
    };
    Method {
        receiver,
        generics,
        args,
        ret,
        is_async: f.sig.asyncness.is_some(),
        deprecated: has_attr(&f.attrs, "deprecated"),
        cfg: cfg_text(&f.attrs),
        endpoint: endpoint(&doc_text(&f.attrs)),
        constraints: constraints(f.block.to_token_stream()),
    }
}

/// `Self::Name => "value"` arms, anywhere in `body`.
fn variant_values(body: TokenStream) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let tokens: Vec<TokenTree> = body.into_iter().collect();
    for (i, t) in tokens.iter().enumerate() {
        match (t, tokens.get(i + 3..i + 6)) {
            (
                TokenTree::Ident(s),
                Some(
                    [
                        TokenTree::Ident(name),
                        TokenTree::Punct(eq),
                        TokenTree::Punct(gt),
                    ],
                ),
            ) if s == "Self" && eq.as_char() == '=' && gt.as_char() == '>' => {
                if let Some(TokenTree::Literal(l)) = tokens.get(i + 6) {
                    out.insert(name.to_string(), unquote(&l.to_string()));
                }
            }
            (TokenTree::Group(g), _) => out.extend(variant_values(g.stream())),
            _ => {}
        }
    }
    out
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

fn cfg_text(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .find(|a| a.path().is_ident("cfg"))
        .map(|a| tokens_text(a.meta.to_token_stream()))
}

/// The traits of `#[derive(…)]`, each by the last segment of its path
/// (`::apigen_runtime::serde::Serialize` → `Serialize`).
fn derives(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let syn::Meta::List(list) = &a.meta {
            let mut last = None;
            for t in list.tokens.clone() {
                match t {
                    TokenTree::Ident(i) => last = Some(i.to_string()),
                    TokenTree::Punct(p) if p.as_char() == ',' => out.extend(last.take()),
                    _ => {}
                }
            }
            out.extend(last);
        }
    }
    out
}

/// The `rename` of `#[serde(rename = "…")]`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let syn::Meta::List(list) = &a.meta else {
            continue;
        };
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        for w in tokens.windows(3) {
            if let [
                TokenTree::Ident(i),
                TokenTree::Punct(p),
                TokenTree::Literal(l),
            ] = w
                && i == "rename"
                && p.as_char() == '='
            {
                return Some(unquote(&l.to_string()));
            }
        }
    }
    None
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    let mut out = String::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &a.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            out.push_str(&s.value());
            out.push('\n');
        }
    }
    out
}

fn role(doc: &str) -> Role {
    let method = |rest: &str| {
        rest.split("[`Client::")
            .nth(1)
            .and_then(|r| r.split('`').next())
            .map(str::to_owned)
    };
    let first = doc.trim_start();
    let pick = |prefix: &str| first.strip_prefix(prefix).and_then(method);
    if let Some(m) = pick("Optional parameters of") {
        Role::Params(m)
    } else if let Some(m) = pick("Successful responses of") {
        Role::Successes(m)
    } else if let Some(m) = pick("Documented error responses of") {
        Role::Errors(m)
    } else {
        Role::Model
    }
}

/// The `` `METHOD /path` `` line apigen writes on each operation's method.
fn endpoint(doc: &str) -> Option<String> {
    doc.lines().find_map(|line| {
        let inner = line.trim().strip_prefix('`')?.strip_suffix('`')?;
        let (method, path) = inner.split_once(' ')?;
        let is_method = !method.is_empty() && method.chars().all(|c| c.is_ascii_uppercase());
        (is_method && path.starts_with('/')).then(|| inner.to_owned())
    })
}

/// Normalised text of a type: no spaces but where Rust needs them, and the
/// standard library's paths shortened (`::std::option::Option<T>` →
/// `Option<T>`), so two spellings of one type compare equal.
pub fn type_text(ty: &syn::Type) -> String {
    shorten(&tokens_text(ty.to_token_stream()))
}

fn trait_text(path: &syn::Path) -> String {
    shorten(&tokens_text(path.to_token_stream()))
        .replace("<'de>", "")
        .replace("'de", "")
}

fn payload_text(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Unnamed(u) => {
            let tys: Vec<String> = u.unnamed.iter().map(|f| type_text(&f.ty)).collect();
            format!("({})", tys.join(", "))
        }
        syn::Fields::Named(n) => {
            let fs: Vec<String> = n
                .named
                .iter()
                .map(|f| {
                    let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                    format!("{name}: {}", type_text(&f.ty))
                })
                .collect();
            format!("{{ {} }}", fs.join(", "))
        }
    }
}

const STD_PREFIXES: [&str; 10] = [
    "::apigen_runtime::",
    "::std::option::",
    "::std::vec::",
    "::std::string::",
    "::std::boxed::",
    "::std::result::",
    "::std::collections::",
    "::std::convert::",
    "::std::fmt::",
    "::std::",
];

fn shorten(text: &str) -> String {
    let mut s = text.to_owned();
    for p in STD_PREFIXES {
        s = s.replace(p, "");
    }
    s
}

/// Token text with spaces only between words (`impl Into<String>`,
/// `&'a mut T`) and after commas.
pub(crate) fn tokens_text(ts: TokenStream) -> String {
    let mut out = String::new();
    push_tokens(ts, &mut out);
    out
}

fn push_tokens(ts: TokenStream, out: &mut String) {
    for t in ts {
        match t {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                push_tokens(g.stream(), out);
                out.push_str(close);
            }
            TokenTree::Ident(i) => {
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                out.push_str(&i.to_string());
            }
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                if p.as_char() == ',' {
                    out.push(' ');
                }
            }
            TokenTree::Literal(l) => {
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                out.push_str(&l.to_string());
            }
        }
    }
    // `a, )` → `a)`, from a trailing comma.
    while let Some(at) = out.find(", )").or_else(|| out.find(", >")) {
        out.remove(at + 1);
        out.remove(at);
    }
}

fn unquote(literal: &str) -> String {
    literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal)
        .to_owned()
}

/// The runtime checks a method body makes (the `validate` module's
/// functions, called as `v::name(value, bound)` inside `v::at("label", …)`).
fn constraints(body: TokenStream) -> BTreeSet<Constraint> {
    let mut statics = HashMap::new();
    collect_statics(body.clone(), &mut statics);
    let mut out = BTreeSet::new();
    scan(body, "", &statics, &mut out);
    out
}

/// `static NAME: v::Pattern = v::Pattern::new("…");` → NAME → `"…"`.
fn collect_statics(ts: TokenStream, out: &mut HashMap<String, String>) {
    let tokens: Vec<TokenTree> = ts.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(kw) if kw == "static" => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    let rest = tokens[i + 2..].iter();
                    let mut prev_new = false;
                    for t in rest {
                        match t {
                            TokenTree::Ident(x) if x == "new" => prev_new = true,
                            TokenTree::Group(g) if prev_new => {
                                if let Some(TokenTree::Literal(l)) = g.stream().into_iter().next() {
                                    out.insert(name.to_string(), l.to_string());
                                }
                                break;
                            }
                            TokenTree::Punct(p) if p.as_char() == ';' => break,
                            _ => prev_new = false,
                        }
                    }
                }
            }
            TokenTree::Group(g) => collect_statics(g.stream(), out),
            _ => {}
        }
        i += 1;
    }
}

const RULES: [&str; 13] = [
    "min_length",
    "max_length",
    "pattern",
    "minimum",
    "exclusive_minimum",
    "maximum",
    "exclusive_maximum",
    "multiple_of",
    "min_items",
    "max_items",
    "unique_items",
    "min_properties",
    "max_properties",
];

fn scan(
    ts: TokenStream,
    at: &str,
    statics: &HashMap<String, String>,
    out: &mut BTreeSet<Constraint>,
) {
    let tokens: Vec<TokenTree> = ts.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((name, args)) = validate_call(&tokens[i..]) {
            match name.as_str() {
                "at" => {
                    let mut parts = args.clone().into_iter();
                    let label = match parts.next() {
                        Some(TokenTree::Literal(l)) => unquote(&l.to_string()),
                        _ => String::new(),
                    };
                    scan(args, &join(at, &label), statics, out);
                }
                "each" | "each_value" => scan(args, &format!("{at}[*]"), statics, out),
                rule if RULES.contains(&rule) => {
                    let bound = split_args(args).get(1).cloned().unwrap_or_default();
                    let bound = bound
                        .strip_prefix('&')
                        .and_then(|name| statics.get(name.trim()))
                        .cloned()
                        .unwrap_or(bound);
                    out.insert(Constraint {
                        at: at.to_owned(),
                        rule: rule.to_owned(),
                        bound,
                    });
                }
                _ => scan(args, at, statics, out),
            }
            i += 5;
            continue;
        }
        if let TokenTree::Group(g) = &tokens[i] {
            scan(g.stream(), at, statics, out);
        }
        i += 1;
    }
}

fn join(at: &str, label: &str) -> String {
    match (at.is_empty(), label.is_empty()) {
        (true, _) => label.to_owned(),
        (_, true) => at.to_owned(),
        _ => format!("{at}.{label}"),
    }
}

/// `v :: name ( args )` at the start of `tokens`.
fn validate_call(tokens: &[TokenTree]) -> Option<(String, TokenStream)> {
    match tokens {
        [
            TokenTree::Ident(v),
            TokenTree::Punct(a),
            TokenTree::Punct(b),
            TokenTree::Ident(name),
            TokenTree::Group(g),
            ..,
        ] if v == "v"
            && a.as_char() == ':'
            && b.as_char() == ':'
            && g.delimiter() == Delimiter::Parenthesis =>
        {
            Some((name.to_string(), g.stream()))
        }
        _ => None,
    }
}

/// Top-level comma-separated arguments, as text.
fn split_args(ts: TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = TokenStream::new();
    for t in ts {
        if let TokenTree::Punct(p) = &t
            && p.as_char() == ','
        {
            out.push(tokens_text(std::mem::take(&mut current)));
            continue;
        }
        current.extend([t]);
    }
    if !current.is_empty() {
        out.push(tokens_text(current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = r#"
pub mod types {
    /// A pet.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Pet {
        pub id: i64,
        #[serde(rename = "petName")]
        pub pet_name: ::std::option::Option<String>,
        private: u8,
    }
    impl Pet {
        pub fn validate(&self) -> ::std::result::Result<(), ::apigen_runtime::ValidationError> {
            use ::apigen_runtime::validate as v;
            if let ::std::option::Option::Some(value) = &self.pet_name {
                v::at("petName", || {
                    v::min_length(value, 1)?;
                    v::max_length(value, 100)
                })?;
            }
            v::at("tags", || v::each(&self.tags, |value| v::at("", || v::min_length(value, 2))))?;
            ::std::result::Result::Ok(())
        }
    }
    impl ::std::fmt::Display for Kind { }
    #[deprecated]
    pub enum Kind { Dog, Cat(Box<Pet>), Other { raw: String } }
    pub type Pets = Vec<Pet>;
}
pub struct Client { core: u8 }
impl Client {
    /// List pets
    ///
    /// `GET /pets/{id}`
    pub async fn get_pet(&self, id: &str, params: &GetPetParams,) -> ::std::result::Result<types::Pet, Error> {
        {
            use ::apigen_runtime::validate as v;
            static ID: v::Pattern = v::Pattern::new("^[a-z]+$");
            v::at("path parameter id", || v::pattern(id, &ID))?;
        }
        todo()
    }
    fn private_helper(&self) {}
}
/// Optional parameters of [`Client::get_pet`].
pub struct GetPetParams { pub limit: Option<i32> }
"#;

    #[test]
    fn reads_types_methods_and_constraints() {
        let s = read(CODE).expect("parses");
        let pet = &s.items["types::Pet"];
        let Kind::Struct { fields, private } = &pet.kind else {
            panic!("{:?}", pet.kind)
        };
        assert!(*private);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1].ty, "Option<String>");
        assert_eq!(fields[1].wire.as_deref(), Some("petName"));
        assert!(pet.derives.contains("Default"));
        let c: Vec<String> = pet.methods["validate"]
            .constraints
            .iter()
            .map(|c| format!("{} {} {}", c.at, c.rule, c.bound))
            .collect();
        assert_eq!(
            c,
            [
                "petName max_length 100",
                "petName min_length 1",
                "tags[*] min_length 2"
            ]
        );
        let kind = &s.items["types::Kind"];
        assert!(kind.deprecated);
        let Kind::Enum { variants } = &kind.kind else {
            panic!()
        };
        let payloads: Vec<&str> = variants.iter().map(|v| v.payload.as_str()).collect();
        assert_eq!(payloads, ["", "(Box<Pet>)", "{ raw: String }"]);
        assert!(
            s.impls
                .contains(&("types::Kind".to_owned(), "fmt::Display".to_owned()))
                || s.impls
                    .contains(&("types::Kind".to_owned(), "Display".to_owned())),
            "{:?}",
            s.impls
        );
        let get = &s.items["Client"].methods["get_pet"];
        assert_eq!(get.endpoint.as_deref(), Some("GET /pets/{id}"));
        assert_eq!(
            get.args,
            [
                ("id".to_owned(), "&str".to_owned()),
                ("params".to_owned(), "&GetPetParams".to_owned())
            ]
        );
        assert_eq!(get.ret, "Result<types::Pet, Error>");
        let pattern: Vec<String> = get
            .constraints
            .iter()
            .map(|c| format!("{} {} {}", c.at, c.rule, c.bound))
            .collect();
        assert_eq!(pattern, [r#"path parameter id pattern "^[a-z]+$""#]);
        assert!(!s.items["Client"].methods.contains_key("private_helper"));
        assert_eq!(
            s.items["GetPetParams"].role,
            Role::Params("get_pet".to_owned())
        );
        assert_eq!(s.items["types::Pets"].kind, Kind::Alias("Vec<Pet>".into()));
    }

    #[test]
    fn not_rust_is_an_error_with_a_position() {
        let e = read("pub struct {").expect_err("not Rust");
        assert!(e.starts_with("not Rust source"), "{e}");
    }
}
