//! Two [`Surface`]s → the changes a caller of the generated code sees, each
//! classified by the Cargo book's SemVer compatibility rules.

use std::collections::{BTreeMap, BTreeSet};

use super::surface::{Constraint, Field, Item, Kind, Method, Role, Surface, Variant};
use super::{Change, ChangeKind, Level};

const BOOK: &str = "https://doc.rust-lang.org/cargo/reference/semver.html";

struct Out {
    changes: Vec<Change>,
}

impl Out {
    fn push(
        &mut self,
        item: &str,
        kind: ChangeKind,
        level: Level,
        detail: String,
        rule: Option<&str>,
    ) {
        self.changes.push(Change {
            item: item.to_owned(),
            kind,
            level,
            detail,
            rule: rule.map(|r| format!("{BOOK}#{r}")),
        });
    }
}

/// Every change from `old` to `new`, in item order.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Out {
        changes: Vec::new(),
    };
    for (path, o) in &old.items {
        match new.items.get(path) {
            Some(n) => item(&mut out, path, o, n),
            None => out.push(
                path,
                ChangeKind::TypeRemoved,
                Level::Major,
                format!("{} removed", describe_item(path, o)),
                Some("item-remove"),
            ),
        }
    }
    for (path, n) in &new.items {
        if !old.items.contains_key(path) {
            out.push(
                path,
                ChangeKind::TypeAdded,
                Level::Minor,
                format!("{} added", describe_item(path, n)),
                Some("item-new"),
            );
        }
    }
    for (owner, tr) in old.impls.difference(&new.impls) {
        if new.items.contains_key(owner) {
            out.push(
                owner,
                ChangeKind::TraitRemoved,
                Level::Major,
                format!("no longer implements `{tr}`"),
                None,
            );
        }
    }
    for (owner, tr) in new.impls.difference(&old.impls) {
        if old.items.contains_key(owner) {
            out.push(
                owner,
                ChangeKind::TraitAdded,
                Level::Minor,
                format!("now implements `{tr}`"),
                None,
            );
        }
    }
    out.changes.sort_by(|a, b| a.item.cmp(&b.item));
    out.changes
}

fn describe_item(path: &str, item: &Item) -> String {
    match &item.role {
        Role::Params(m) => format!("parameters struct of `Client::{m}`"),
        Role::Successes(m) => format!("success enum of `Client::{m}`"),
        Role::Errors(m) => format!("error enum of `Client::{m}`"),
        Role::Model => {
            let what = match item.kind {
                Kind::Struct { .. } => "struct",
                Kind::Enum { .. } => "enum",
                Kind::Alias(_) => "type alias",
            };
            format!("{what} `{path}`")
        }
    }
}

fn item(out: &mut Out, path: &str, o: &Item, n: &Item) {
    cfg_and_deprecation(out, path, (&o.cfg, o.deprecated), (&n.cfg, n.deprecated));
    if o.non_exhaustive != n.non_exhaustive {
        let (level, detail, rule) = if n.non_exhaustive {
            (
                Level::Major,
                "now `#[non_exhaustive]`: no literal or exhaustive `match` outside the crate",
                Some("attr-adding-non-exhaustive"),
            )
        } else {
            (Level::Minor, "no longer `#[non_exhaustive]`", None)
        };
        out.push(
            path,
            ChangeKind::TypeChanged,
            level,
            detail.to_owned(),
            rule,
        );
    }
    match (&o.kind, &n.kind) {
        (
            Kind::Struct {
                fields: of,
                private: op,
            },
            Kind::Struct {
                fields: nf,
                private: np,
            },
        ) => {
            if !*op && *np && !o.non_exhaustive {
                out.push(
                    path,
                    ChangeKind::FieldAdded,
                    Level::Major,
                    "now has a private field: it can no longer be built with a literal".to_owned(),
                    Some("struct-add-private-field-when-public"),
                );
            }
            // Public fields may be added to a struct no caller could build.
            fields(out, path, n, of, nf, *op || o.non_exhaustive);
        }
        (Kind::Enum { variants: ov }, Kind::Enum { variants: nv }) => {
            variants(out, path, n, !o.non_exhaustive, ov, nv);
        }
        (Kind::Alias(a), Kind::Alias(b)) if a != b => out.push(
            path,
            ChangeKind::TypeChanged,
            Level::Major,
            format!("now `{b}` (was `{a}`)"),
            None,
        ),
        (Kind::Alias(_), Kind::Alias(_)) => {}
        (a, b) => out.push(
            path,
            ChangeKind::TypeChanged,
            Level::Major,
            format!("now {} (was {})", kind_word(b), kind_word(a)),
            None,
        ),
    }
    for tr in o.derives.difference(&n.derives) {
        out.push(
            path,
            ChangeKind::TraitRemoved,
            Level::Major,
            format!("no longer derives `{tr}`"),
            None,
        );
    }
    for tr in n.derives.difference(&o.derives) {
        out.push(
            path,
            ChangeKind::TraitAdded,
            Level::Minor,
            format!("now derives `{tr}`"),
            None,
        );
    }
    methods(out, path, &o.methods, &n.methods);
}

/// A changed `#[cfg]` (the item may be gone in some configurations) and a
/// changed `#[deprecated]`.
fn cfg_and_deprecation(
    out: &mut Out,
    at: &str,
    (old_cfg, old_deprecated): (&Option<String>, bool),
    (new_cfg, new_deprecated): (&Option<String>, bool),
) {
    if old_cfg != new_cfg {
        let or_any = |c: &Option<String>| c.clone().unwrap_or_else(|| "every configuration".into());
        // Compiled everywhere now: nothing a caller had is gone.
        let (level, rule) = match new_cfg {
            None => (Level::Minor, "item-new"),
            Some(_) => (Level::Major, "item-remove"),
        };
        out.push(
            at,
            ChangeKind::CfgChanged,
            level,
            format!(
                "now compiled under {} (was {})",
                or_any(new_cfg),
                or_any(old_cfg)
            ),
            Some(rule),
        );
    }
    deprecation(out, at, "", old_deprecated, new_deprecated);
}

fn kind_word(k: &Kind) -> &'static str {
    match k {
        Kind::Struct { .. } => "a struct",
        Kind::Enum { .. } => "an enum",
        Kind::Alias(_) => "a type alias",
    }
}

fn deprecation(out: &mut Out, path: &str, what: &str, old: bool, new: bool) {
    let at = if what.is_empty() {
        String::new()
    } else {
        format!("{what} ")
    };
    if !old && new {
        out.push(
            path,
            ChangeKind::Deprecated,
            Level::Minor,
            format!("{at}deprecated (callers get a warning)"),
            Some("new-lints"),
        );
    } else if old && !new {
        out.push(
            path,
            ChangeKind::Undeprecated,
            Level::Patch,
            format!("{at}no longer deprecated"),
            None,
        );
    }
}

/// Whether `new` is `Option<old>`-like (a field made optional) or the
/// reverse.
fn optional_of(ty: &str) -> Option<&str> {
    ty.strip_prefix("Option<")
        .or_else(|| {
            ty.split_once("Nullable<")
                .filter(|(p, _)| p.is_empty() || p.ends_with("::"))
                .map(|(_, rest)| rest)
        })
        .and_then(|t| t.strip_suffix('>'))
}

fn fields(out: &mut Out, path: &str, item: &Item, old: &[Field], new: &[Field], private: bool) {
    let params = matches!(item.role, Role::Params(_));
    let noun = |name: &str| {
        if params {
            format!("optional parameter `{name}`")
        } else {
            format!("field `{name}`")
        }
    };
    let by_name: BTreeMap<&str, &Field> = old.iter().map(|f| (f.name.as_str(), f)).collect();
    let new_names: BTreeSet<&str> = new.iter().map(|f| f.name.as_str()).collect();
    for f in old {
        if !new_names.contains(f.name.as_str()) {
            out.push(
                path,
                ChangeKind::FieldRemoved,
                Level::Major,
                format!("{} removed", noun(&f.name)),
                Some("item-remove"),
            );
        }
    }
    for f in new {
        let Some(o) = by_name.get(f.name.as_str()) else {
            let (level, rule, why) = if private {
                (Level::Minor, "struct-private-fields-with-private", "")
            } else if params {
                (
                    Level::Major,
                    "struct-add-public-field-when-no-private",
                    "; a struct literal without `..Default::default()` no longer compiles",
                )
            } else {
                (
                    Level::Major,
                    "struct-add-public-field-when-no-private",
                    "; a struct literal naming every field no longer compiles",
                )
            };
            out.push(
                path,
                ChangeKind::FieldAdded,
                level,
                format!("{} `{}` added{why}", noun(&f.name), f.ty),
                Some(rule),
            );
            continue;
        };
        if o.ty != f.ty {
            let (kind, what) = if optional_of(&o.ty) == Some(f.ty.as_str()) {
                (ChangeKind::FieldRequired, "made required")
            } else if optional_of(&f.ty) == Some(o.ty.as_str()) {
                (ChangeKind::FieldOptional, "made optional")
            } else {
                (ChangeKind::FieldTypeChanged, "type changed")
            };
            out.push(
                path,
                kind,
                Level::Major,
                format!("{} {what}: `{}` → `{}`", noun(&f.name), o.ty, f.ty),
                None,
            );
        }
        let (ow, nw) = (
            o.wire.as_deref().unwrap_or(&o.name),
            f.wire.as_deref().unwrap_or(&f.name),
        );
        if ow != nw {
            out.push(
                path,
                ChangeKind::WireNameChanged,
                Level::Major,
                format!(
                    "{} is now sent and read as `{nw}` (was `{ow}`): same Rust code, other data",
                    noun(&f.name)
                ),
                None,
            );
        }
        deprecation(out, path, &noun(&f.name), o.deprecated, f.deprecated);
    }
}

fn variants(
    out: &mut Out,
    path: &str,
    item: &Item,
    exhaustive_before: bool,
    old: &[Variant],
    new: &[Variant],
) {
    let noun = |name: &str, payload: &str| match &item.role {
        Role::Errors(_) => format!("error response `{name}{payload}`"),
        Role::Successes(_) => format!("success response `{name}{payload}`"),
        _ => format!("variant `{name}{payload}`"),
    };
    let by_name: BTreeMap<&str, &Variant> = old.iter().map(|v| (v.name.as_str(), v)).collect();
    let new_names: BTreeSet<&str> = new.iter().map(|v| v.name.as_str()).collect();
    for v in old {
        if !new_names.contains(v.name.as_str()) {
            out.push(
                path,
                ChangeKind::VariantRemoved,
                Level::Major,
                format!("{} removed", noun(&v.name, &v.payload)),
                Some("item-remove"),
            );
        }
    }
    for v in new {
        match by_name.get(v.name.as_str()) {
            None => {
                let (level, why) = if !exhaustive_before {
                    (Level::Minor, "")
                } else {
                    (Level::Major, "; an exhaustive `match` no longer compiles")
                };
                out.push(
                    path,
                    ChangeKind::VariantAdded,
                    level,
                    format!("{} added{why}", noun(&v.name, &v.payload)),
                    Some("enum-variant-new"),
                );
            }
            Some(o) if o.payload != v.payload => out.push(
                path,
                ChangeKind::VariantChanged,
                Level::Major,
                format!(
                    "{} now holds `{}` (was `{}`)",
                    noun(&v.name, ""),
                    v.payload,
                    o.payload
                ),
                None,
            ),
            Some(o) if o.wire.is_some() && o.wire != v.wire => out.push(
                path,
                ChangeKind::WireNameChanged,
                Level::Major,
                format!(
                    "{} now stands for `{}` (was `{}`): same Rust code, other data",
                    noun(&v.name, ""),
                    v.wire.as_deref().unwrap_or_default(),
                    o.wire.as_deref().unwrap_or_default()
                ),
                None,
            ),
            Some(_) => {}
        }
    }
}

fn methods(
    out: &mut Out,
    path: &str,
    old: &BTreeMap<String, Method>,
    new: &BTreeMap<String, Method>,
) {
    // A method gone and another added for the same endpoint: renamed.
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, m) in old {
        if new.contains_key(name) {
            continue;
        }
        let Some(endpoint) = &m.endpoint else {
            continue;
        };
        let successor = new.iter().find(|(n, nm)| {
            !old.contains_key(*n)
                && nm.endpoint.as_ref() == Some(endpoint)
                && !renamed.values().any(|r| r == n)
        });
        if let Some((n, _)) = successor {
            renamed.insert(name, n);
        }
    }
    for (name, m) in old {
        let at = format!("{path}::{name}");
        if let Some(n) = new.get(name) {
            method(out, &at, m, n);
        } else if let Some(to) = renamed.get(name.as_str()) {
            out.push(
                &at,
                ChangeKind::MethodRenamed,
                Level::Major,
                format!(
                    "renamed to `{to}` ({})",
                    m.endpoint.as_deref().unwrap_or_default()
                ),
                Some("item-remove"),
            );
            if let Some(n) = new.get(*to) {
                method(out, &at, m, n);
            }
        } else {
            out.push(
                &at,
                ChangeKind::MethodRemoved,
                Level::Major,
                "method removed".to_owned(),
                Some("item-remove"),
            );
        }
    }
    for (name, m) in new {
        if !old.contains_key(name) && !renamed.values().any(|r| r == name) {
            let at = format!("{path}::{name}");
            out.push(
                &at,
                ChangeKind::MethodAdded,
                Level::Minor,
                "method added".to_owned(),
                Some("impl-item-new"),
            );
            // A type that had no constraint gets `validate` with its first
            // ones; the client runs it before sending.
            if name == "validate" {
                constraints(out, &at, &BTreeSet::new(), &m.constraints);
            }
        }
    }
}

fn method(out: &mut Out, at: &str, o: &Method, n: &Method) {
    cfg_and_deprecation(out, at, (&o.cfg, o.deprecated), (&n.cfg, n.deprecated));
    arguments(out, at, &o.args, &n.args);
    if o.ret != n.ret {
        out.push(
            at,
            ChangeKind::ReturnTypeChanged,
            Level::Major,
            format!("returns `{}` (was `{}`)", n.ret, o.ret),
            None,
        );
    }
    if o.receiver != n.receiver || o.generics != n.generics || o.is_async != n.is_async {
        out.push(
            at,
            ChangeKind::ArgumentTypeChanged,
            Level::Major,
            "signature changed".to_owned(),
            None,
        );
    }
    if let (Some(a), Some(b)) = (&o.endpoint, &n.endpoint)
        && a != b
    {
        out.push(
            at,
            ChangeKind::EndpointChanged,
            Level::Patch,
            format!("now sends `{b}` (was `{a}`)"),
            None,
        );
    }
    let old_constraints = relabelled(&o.constraints, &n.constraints);
    constraints(out, at, &old_constraints, &n.constraints);
}

/// Arguments, matched by name; an argument whose name changed but whose
/// position and type did not is the same argument (Rust passes arguments
/// by position), renamed.
fn arguments(out: &mut Out, at: &str, old: &[(String, String)], new: &[(String, String)]) {
    let old_names: BTreeSet<&str> = old.iter().map(|(a, _)| a.as_str()).collect();
    let new_names: BTreeSet<&str> = new.iter().map(|(a, _)| a.as_str()).collect();
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, (name, ty)) in old.iter().enumerate() {
        if let Some((to, new_ty)) = new.get(i)
            && name != to
            && ty == new_ty
            && !new_names.contains(name.as_str())
            && !old_names.contains(to.as_str())
        {
            renamed.insert(name, to);
            out.push(
                at,
                ChangeKind::ArgumentRenamed,
                Level::Patch,
                format!("argument `{name}` is now `{to}` (same position and type)"),
                None,
            );
        }
    }
    // Old arguments by the name they have now.
    let now = |name: &str| -> String { renamed.get(name).copied().unwrap_or(name).to_owned() };
    let before: BTreeMap<String, &str> = old.iter().map(|(a, t)| (now(a), t.as_str())).collect();
    for (name, ty) in new {
        match before.get(name) {
            None => {
                let what = match name.as_str() {
                    "params" => "optional parameters argument",
                    "body" => "request body argument",
                    _ => "required parameter",
                };
                out.push(
                    at,
                    ChangeKind::ArgumentAdded,
                    Level::Major,
                    format!("{what} `{name}: {ty}` added"),
                    Some("fn-change-arity"),
                );
            }
            Some(old_ty) if old_ty != ty => out.push(
                at,
                ChangeKind::ArgumentTypeChanged,
                Level::Major,
                format!("argument `{name}`: `{old_ty}` → `{ty}`"),
                None,
            ),
            Some(_) => {}
        }
    }
    for (name, ty) in old {
        if !new_names.contains(now(name).as_str()) {
            out.push(
                at,
                ChangeKind::ArgumentRemoved,
                Level::Major,
                format!("argument `{name}: {ty}` removed"),
                Some("fn-change-arity"),
            );
        }
    }
    let kept = |names: Vec<String>| -> Vec<String> {
        names
            .into_iter()
            .filter(|a| before.contains_key(a) && new_names.contains(a.as_str()))
            .collect()
    };
    let old_order = kept(old.iter().map(|(a, _)| now(a)).collect());
    let new_order = kept(new.iter().map(|(a, _)| a.clone()).collect());
    if old_order != new_order {
        out.push(
            at,
            ChangeKind::ArgumentTypeChanged,
            Level::Major,
            "arguments reordered".to_owned(),
            None,
        );
    }
}

/// `old` with the place of its constraints renamed where a parameter was
/// (`path parameter id` → `path parameter petId`): a place only `old` has
/// and a place only `new` has, of the same kind, checking the same rules
/// with the same bounds.
fn relabelled(old: &BTreeSet<Constraint>, new: &BTreeSet<Constraint>) -> BTreeSet<Constraint> {
    type Places = BTreeMap<String, BTreeSet<(String, String)>>;
    let places = |set: &BTreeSet<Constraint>| -> Places {
        let mut m = Places::new();
        for c in set {
            m.entry(c.at.clone())
                .or_default()
                .insert((c.rule.clone(), c.bound.clone()));
        }
        m
    };
    let kind = |place: &str| place.rsplit_once(' ').map(|(k, _)| k.to_owned());
    let (before, after) = (places(old), places(new));
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    for (place, rules) in before.iter().filter(|(p, _)| !after.contains_key(*p)) {
        let Some(k) = kind(place) else { continue };
        let candidates: Vec<&String> = after
            .iter()
            .filter(|(p, r)| {
                !before.contains_key(*p)
                    && kind(p).as_deref() == Some(k.as_str())
                    && *r == rules
                    && !moved.values().any(|m| m == *p)
            })
            .map(|(p, _)| p)
            .collect();
        if let [only] = candidates[..] {
            moved.insert(place.clone(), only.clone());
        }
    }
    old.iter()
        .map(|c| match moved.get(&c.at) {
            Some(to) => Constraint {
                at: to.clone(),
                ..c.clone()
            },
            None => c.clone(),
        })
        .collect()
}

type ByPlace<'c> = BTreeMap<(&'c str, &'c str), Vec<&'c Constraint>>;

/// Constraints by their place and rule.
fn by_place(set: &BTreeSet<Constraint>) -> ByPlace<'_> {
    let mut m = ByPlace::new();
    for c in set {
        m.entry((c.at.as_str(), c.rule.as_str()))
            .or_default()
            .push(c);
    }
    m
}

/// Which way each constraint moved: tighter (refuses values accepted
/// before) or looser.
fn constraints(out: &mut Out, at: &str, old: &BTreeSet<Constraint>, new: &BTreeSet<Constraint>) {
    let (old_by, new_by) = (by_place(old), by_place(new));
    let place = |c: &Constraint| {
        if c.at.is_empty() {
            String::new()
        } else {
            format!(" on `{}`", c.at)
        }
    };
    let show = |c: &Constraint| {
        if c.bound.is_empty() {
            c.rule.clone()
        } else {
            format!("{} {}", c.rule, c.bound)
        }
    };
    let keys: BTreeSet<&(&str, &str)> = old_by.keys().chain(new_by.keys()).collect();
    for key in keys {
        let olds = old_by.get(key).map(Vec::as_slice).unwrap_or_default();
        let news = new_by.get(key).map(Vec::as_slice).unwrap_or_default();
        let gone: Vec<&Constraint> = olds.iter().copied().filter(|c| !news.contains(c)).collect();
        let came: Vec<&Constraint> = news.iter().copied().filter(|c| !olds.contains(c)).collect();
        if let ([o], [n]) = (&gone[..], &came[..]) {
            let rule = key.1;
            let tighter = match (number(&o.bound), number(&n.bound)) {
                (Some(a), Some(b)) if rule.starts_with("min") || rule.ends_with("minimum") => {
                    Some(b > a)
                }
                (Some(a), Some(b)) if rule.starts_with("max") || rule.ends_with("maximum") => {
                    Some(b < a)
                }
                _ => None,
            };
            let (kind, level, word) = match tighter {
                Some(false) => (ChangeKind::ConstraintLoosened, Level::Patch, "loosened"),
                Some(true) => (
                    ChangeKind::ConstraintTightened,
                    Level::Major,
                    "tightened: values accepted before may now be refused",
                ),
                None => (
                    ChangeKind::ConstraintTightened,
                    Level::Major,
                    "changed: values accepted before may now be refused",
                ),
            };
            out.push(
                at,
                kind,
                level,
                format!("`{}` → `{}`{} {word}", show(o), show(n), place(n)),
                None,
            );
            continue;
        }
        for c in gone {
            out.push(
                at,
                ChangeKind::ConstraintLoosened,
                Level::Patch,
                format!("`{}`{} no longer checked", show(c), place(c)),
                None,
            );
        }
        for c in came {
            out.push(
                at,
                ChangeKind::ConstraintTightened,
                Level::Major,
                format!(
                    "`{}`{} now checked before sending: values accepted before may now be refused",
                    show(c),
                    place(c)
                ),
                None,
            );
        }
    }
}

/// A number literal's value (`3`, `2.5`, `10_u64`, `-1i64`).
fn number(text: &str) -> Option<f64> {
    let t = text.replace('_', "");
    let end = t
        .char_indices()
        .find(|&(i, c)| c.is_ascii_alphabetic() && !(c == 'e' && i > 0))
        .map_or(t.len(), |(i, _)| i);
    t[..end].trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number("3"), Some(3.0));
        assert_eq!(number("2.5f64"), Some(2.5));
        assert_eq!(number("10_u64"), Some(10.0));
        assert_eq!(number("-1i64"), Some(-1.0));
        assert_eq!(number("\"^a\""), None);
    }

    #[test]
    fn optional_types() {
        assert_eq!(optional_of("Option<String>"), Some("String"));
        assert_eq!(
            optional_of("::apigen_runtime::Nullable<String>"),
            Some("String")
        );
        assert_eq!(optional_of("String"), None);
    }
}
