//! Cargo features per tag ([`EmitOptions::tag_features`]): each tag gets a
//! feature; an operation is compiled when a feature of one of its tags is
//! on, and so is every type only such operations use. Operations without
//! tags, component schemas no operation uses, and everything they use are
//! always compiled, so turning features off never breaks the code that is
//! left.
//!
//! [`EmitOptions::tag_features`]: crate::EmitOptions::tag_features

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::Part;
use crate::ir::{Api, TypeId};

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

/// Which parts of the module are compiled under which features.
#[derive(Debug, Default)]
pub(crate) struct Gates {
    /// Every tag's feature, sorted by name.
    pub(crate) features: Vec<TagFeature>,
    /// By type id: the features (any of) that need the type; empty when it
    /// is always compiled.
    types: Vec<BTreeSet<usize>>,
    /// By operation index: the features of its tags; empty when untagged.
    ops: Vec<BTreeSet<usize>>,
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
    let mut types: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut ops = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let set: BTreeSet<usize> = op.tags.iter().filter_map(feature_of).collect();
        let mut named = Vec::new();
        op.visit_named(&mut |id| named.push(id));
        for id in reachable(api, named) {
            used[id] = true;
            if set.is_empty() {
                always[id] = true;
            } else {
                types[id].extend(set.iter().copied());
            }
        }
        ops.push(set);
    }
    // Schemas no operation uses stay, and so does what they use.
    let unused: Vec<TypeId> = (0..n).filter(|&id| !used[id]).collect();
    for id in reachable(api, unused) {
        always[id] = true;
    }
    for (set, always) in types.iter_mut().zip(always) {
        if always {
            set.clear();
        }
    }
    Gates {
        features,
        types,
        ops,
    }
}

fn unique(tags: &[String]) -> impl Iterator<Item = &String> {
    tags.iter()
        .enumerate()
        .filter(|(i, t)| !tags[..*i].contains(t))
        .map(|(_, t)| t)
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
        api.types[id].visit_named(&mut |d| stack.push(d));
    }
    out
}

impl Gates {
    /// Whether any part is gated (there are tags).
    pub(crate) fn is_active(&self) -> bool {
        !self.features.is_empty()
    }

    /// Gates every item of `part` (a part of `types` or of the module
    /// root). Everything an item of a part names is reachable from the
    /// part's type or operation, so it is compiled whenever the part is.
    pub(crate) fn gate_items(&self, part: Part, items: &mut [syn::Item]) {
        if part == Part::TypesImport && self.is_active() {
            // The serde derives, unused if every type is off.
            for item in items {
                if let syn::Item::Use(u) = item {
                    u.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
                }
            }
            return;
        }
        let Some(cfg) = self.cfg(part) else { return };
        for item in items {
            let attrs = match item {
                syn::Item::Struct(s) => &mut s.attrs,
                syn::Item::Enum(e) => &mut e.attrs,
                syn::Item::Type(t) => &mut t.attrs,
                syn::Item::Impl(i) => &mut i.attrs,
                syn::Item::Const(c) => &mut c.attrs,
                syn::Item::Fn(f) => &mut f.attrs,
                _ => continue,
            };
            push_after_docs(attrs, cfg_attr(&cfg));
        }
    }

    /// Gates every member of `impl Client` that `part` (an operation's
    /// method) emits.
    pub(crate) fn gate_methods(&self, part: Part, members: &mut [syn::ImplItem]) {
        let Some(cfg) = self.cfg(part) else { return };
        for member in members {
            if let syn::ImplItem::Fn(f) = member {
                push_after_docs(&mut f.attrs, cfg_attr(&cfg));
            }
        }
    }

    /// The condition of `part`'s `cfg` (`feature = "a"` or `any(…)`), if
    /// it is gated.
    pub(crate) fn cfg(&self, part: Part) -> Option<TokenStream> {
        let set = match part {
            Part::Type(id) => self.types.get(id)?,
            Part::OpMethod(i) | Part::OpTypes(i) => self.ops.get(i)?,
            Part::TypesImport | Part::ClientDecl | Part::ClientMethods | Part::ClientDefault => {
                return None;
            }
        };
        let names = set.iter().map(|&i| self.features[i].name.as_str());
        match set.len() {
            0 => None,
            1 => Some(quote!(#(feature = #names)*)),
            _ => Some(quote!(any(#(feature = #names),*))),
        }
    }
}

/// `#[cfg(condition)]`.
fn cfg_attr(condition: &TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: syn::Path::from(proc_macro2::Ident::new(
                "cfg",
                proc_macro2::Span::call_site(),
            )),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: condition.clone(),
        }),
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
