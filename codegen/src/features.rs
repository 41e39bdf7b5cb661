//! Cargo features per tag ([`EmitOptions::tag_features`]): each tag gets a
//! feature; an operation is compiled when a feature of one of its tags is
//! on, and so is every type only such operations use. Operations without
//! tags, component schemas no operation uses, and everything they use are
//! always compiled, so turning features off never breaks the code that is
//! left.
//!
//! [`EmitOptions::tag_features`]: crate::EmitOptions::tag_features

use std::collections::{BTreeSet, HashMap};

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};

use crate::ir::{Api, BodyKind, Operation, PartKind, Payload, Ty, TypeDef, TypeId, TypeKind};

/// A Cargo feature generated for a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeature {
    /// The feature name: the tag in kebab case, ASCII only (`Connected
    /// Accounts` → `connected-accounts`), numbered on a clash.
    pub name: String,
    /// The tag as written in the spec.
    pub tag: String,
    /// How many operations have the tag.
    pub operations: usize,
}

/// The feature name of a tag, before clashes are numbered.
fn feature_name(tag: &str) -> String {
    use heck::ToKebabCase as _;
    let kebab: String = tag
        .to_kebab_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = kebab
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    match name.as_str() {
        "" => "tag".to_owned(),
        // Cargo's own feature name.
        "default" => "tag-default".to_owned(),
        _ => name,
    }
}

/// Which items are compiled under which features, by name.
#[derive(Debug, Default)]
pub(crate) struct Gates {
    /// Every tag's feature, sorted by name.
    pub(crate) features: Vec<TagFeature>,
    /// Types of the `types` module → the features (any of) that need them.
    types: HashMap<String, BTreeSet<usize>>,
    /// Items of the module root (an operation's own types).
    root: HashMap<String, BTreeSet<usize>>,
    /// Methods of `Client`.
    methods: HashMap<String, BTreeSet<usize>>,
}

/// Decides the features of `api`'s tags and what each one gates.
pub(crate) fn plan(api: &Api) -> Gates {
    // Tags in order of first use, then their features sorted by name.
    let mut tags: Vec<(String, usize)> = Vec::new();
    for op in &api.operations {
        for tag in unique(&op.tags) {
            match tags.iter_mut().find(|(t, _)| t == tag) {
                Some((_, n)) => *n += 1,
                None => tags.push((tag.clone(), 1)),
            }
        }
    }
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut features: Vec<TagFeature> = tags
        .into_iter()
        .map(|(tag, operations)| {
            let base = feature_name(&tag);
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            TagFeature {
                name,
                tag,
                operations,
            }
        })
        .collect();
    features.sort_by(|a, b| a.name.cmp(&b.name));
    let feature_of = |tag: &String| features.iter().position(|f| &f.tag == tag);

    let n = api.types.len();
    let mut always = vec![false; n];
    let mut used = vec![false; n];
    let mut sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut gates = Gates::default();
    for op in &api.operations {
        let set: BTreeSet<usize> = op.tags.iter().filter_map(feature_of).collect();
        for id in reachable(api, op_types(op)) {
            used[id] = true;
            if set.is_empty() {
                always[id] = true;
            } else {
                sets[id].extend(set.iter().copied());
            }
        }
        if set.is_empty() {
            continue;
        }
        gates.methods.insert(op.fn_name.clone(), set.clone());
        let own = [
            op.params_struct.clone(),
            op.success_enum.clone(),
            Some(op.error_enum.clone()),
            match op.body.as_ref().map(|b| &b.kind) {
                Some(BodyKind::Multipart(m)) => Some(m.name.clone()),
                _ => None,
            },
        ];
        for name in own.into_iter().flatten() {
            gates.root.insert(name, set.clone());
        }
    }
    // Schemas no operation uses stay, and so does what they use.
    let unused: Vec<TypeId> = (0..n).filter(|&id| !used[id]).collect();
    for id in reachable(api, unused) {
        always[id] = true;
    }
    for (id, set) in sets.into_iter().enumerate() {
        if !always[id] && !set.is_empty() {
            gates.types.insert(api.types[id].name.clone(), set);
        }
    }
    gates.features = features;
    gates
}

fn unique(tags: &[String]) -> impl Iterator<Item = &String> {
    tags.iter()
        .enumerate()
        .filter(|(i, t)| !tags[..*i].contains(t))
        .map(|(_, t)| t)
}

/// The types an operation names directly.
fn op_types(op: &Operation) -> Vec<TypeId> {
    let mut out = Vec::new();
    let mut add = |ty: &Ty| ty.visit_named(&mut |id| out.push(id));
    for p in &op.params {
        add(&p.ty);
    }
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Multipart(m) => {
                for f in &m.fields {
                    if let PartKind::Value(ty) = &f.kind {
                        add(ty);
                    }
                }
            }
            other => {
                if let Some(ty) = other.serde_ty() {
                    add(ty);
                }
            }
        }
    }
    for case in op.successes.iter().chain(&op.errors) {
        if let Payload::Json(ty) = &case.payload {
            add(ty);
        }
    }
    out
}

/// The types a type names directly.
fn type_deps(t: &TypeDef, f: &mut dyn FnMut(TypeId)) {
    match &t.kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                field.ty.visit_named(f);
            }
            if let Some((_, ty)) = &s.extra {
                ty.visit_named(f);
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                v.ty.visit_named(f);
            }
        }
        TypeKind::Alias(ty) => ty.visit_named(f),
        TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
    }
}

/// `start` and every type reachable from it.
fn reachable(api: &Api, start: Vec<TypeId>) -> Vec<TypeId> {
    let mut seen = vec![false; api.types.len()];
    let mut stack = start;
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if id >= seen.len() || seen[id] {
            continue;
        }
        seen[id] = true;
        out.push(id);
        type_deps(&api.types[id], &mut |d| stack.push(d));
    }
    out
}

impl Gates {
    /// Adds the `#[cfg(feature = …)]` attributes to the rendered file.
    pub(crate) fn apply(&self, file: &mut syn::File) {
        if self.features.is_empty() {
            return;
        }
        for item in &mut file.items {
            match item {
                syn::Item::Mod(m) if m.ident == "types" => {
                    let Some((_, items)) = &mut m.content else {
                        continue;
                    };
                    for item in items {
                        if let syn::Item::Use(u) = item {
                            // The serde derives, unused if every type is off.
                            u.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
                        } else {
                            self.gate(item, &self.types);
                        }
                    }
                }
                syn::Item::Impl(i) if i.trait_.is_none() && is_client(&i.self_ty) => {
                    for member in &mut i.items {
                        if let syn::ImplItem::Fn(f) = member
                            && let Some(set) = self.methods.get(&f.sig.ident.to_string())
                        {
                            push_after_docs(&mut f.attrs, self.cfg_attr(&[set]));
                        }
                    }
                }
                other => self.gate(other, &self.root),
            }
        }
    }

    /// Gates a struct, enum or alias by its name, and an impl by every
    /// gated name in its header (`impl From<A> for B` needs both).
    fn gate(&self, item: &mut syn::Item, by_name: &HashMap<String, BTreeSet<usize>>) {
        let (attrs, names) = match item {
            syn::Item::Struct(s) => (&mut s.attrs, vec![s.ident.to_string()]),
            syn::Item::Enum(e) => (&mut e.attrs, vec![e.ident.to_string()]),
            syn::Item::Type(t) => (&mut t.attrs, vec![t.ident.to_string()]),
            syn::Item::Impl(i) => {
                let mut header = i.self_ty.to_token_stream();
                if let Some((_, path, _)) = &i.trait_ {
                    header.extend(path.to_token_stream());
                }
                let mut names = Vec::new();
                idents(header, &mut names);
                (&mut i.attrs, names)
            }
            _ => return,
        };
        let mut sets: Vec<&BTreeSet<usize>> = names.iter().filter_map(|n| by_name.get(n)).collect();
        sets.dedup();
        if !sets.is_empty() {
            push_after_docs(attrs, self.cfg_attr(&sets));
        }
    }

    fn cfg_attr(&self, sets: &[&BTreeSet<usize>]) -> syn::Attribute {
        let any: Vec<TokenStream> = sets
            .iter()
            .map(|set| {
                let names = set.iter().map(|&i| self.features[i].name.as_str());
                if set.len() == 1 {
                    quote!(#(feature = #names)*)
                } else {
                    quote!(any(#(feature = #names),*))
                }
            })
            .collect();
        if any.len() == 1 {
            let one = &any[0];
            syn::parse_quote!(#[cfg(#one)])
        } else {
            syn::parse_quote!(#[cfg(all(#(#any),*))])
        }
    }
}

/// Puts `attr` right after the doc comment, ahead of derives and the rest.
fn push_after_docs(attrs: &mut Vec<syn::Attribute>, attr: syn::Attribute) {
    let at = attrs
        .iter()
        .position(|a| !a.path().is_ident("doc"))
        .unwrap_or(attrs.len());
    attrs.insert(at, attr);
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Client"))
}

fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for t in tokens {
        match t {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn feature_names_are_cargo_safe() {
        assert_eq!(feature_name("Connected Accounts"), "connected-accounts");
        assert_eq!(feature_name("crm.account"), "crm-account");
        assert_eq!(feature_name("Pets"), "pets");
        assert_eq!(feature_name("café/menu"), "caf-menu");
        assert_eq!(feature_name("日本"), "tag");
        assert_eq!(feature_name("default"), "tag-default");
        assert_eq!(feature_name("v2 API"), "v2-api");
    }
}
