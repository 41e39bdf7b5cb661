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
        ) => fields(out, path, n, of, nf, *op || *np),
        (Kind::Enum { variants: ov }, Kind::Enum { variants: nv }) => {
            variants(out, path, n, ov, nv);
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
        out.push(
            at,
            ChangeKind::CfgChanged,
            Level::Major,
            format!(
                "now compiled under {} (was {})",
                or_any(new_cfg),
                or_any(old_cfg)
            ),
            Some("item-remove"),
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
            let (level, rule, why) = if private || item.non_exhaustive {
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

fn variants(out: &mut Out, path: &str, item: &Item, old: &[Variant], new: &[Variant]) {
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
                let (level, why) = if item.non_exhaustive {
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
                Some("enum-fields-new"),
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
    let old_args: BTreeMap<&str, &str> = o
        .args
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    let new_args: BTreeMap<&str, &str> = n
        .args
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    for (name, ty) in &n.args {
        match old_args.get(name.as_str()) {
            None => {
                let what = if name == "params" {
                    "optional parameters argument"
                } else if name == "body" {
                    "request body argument"
                } else {
                    "required parameter"
                };
                out.push(
                    at,
                    ChangeKind::ArgumentAdded,
                    Level::Major,
                    format!("{what} `{name}: {ty}` added"),
                    Some("fn-change-arity"),
                );
            }
            Some(old) if old != ty => out.push(
                at,
                ChangeKind::ArgumentTypeChanged,
                Level::Major,
                format!("argument `{name}`: `{old}` → `{ty}`"),
                None,
            ),
            Some(_) => {}
        }
    }
    for (name, ty) in &o.args {
        if !new_args.contains_key(name.as_str()) {
            out.push(
                at,
                ChangeKind::ArgumentRemoved,
                Level::Major,
                format!("argument `{name}: {ty}` removed"),
                Some("fn-change-arity"),
            );
        }
    }
    let order = |m: &Method| -> Vec<String> {
        m.args
            .iter()
            .filter(|(a, _)| old_args.contains_key(a.as_str()) && new_args.contains_key(a.as_str()))
            .map(|(a, _)| a.clone())
            .collect()
    };
    if order(o) != order(n) {
        out.push(
            at,
            ChangeKind::ArgumentTypeChanged,
            Level::Major,
            "arguments reordered".to_owned(),
            None,
        );
    }
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
    constraints(out, at, &o.constraints, &n.constraints);
}

/// Which way a bound moved: tighter (refuses values accepted before),
/// looser, or neither (the same).
fn constraints(out: &mut Out, at: &str, old: &BTreeSet<Constraint>, new: &BTreeSet<Constraint>) {
    let key = |c: &Constraint| (c.at.clone(), c.rule.clone());
    let old_by: BTreeMap<(String, String), Vec<&Constraint>> =
        old.iter().fold(BTreeMap::new(), |mut m, c| {
            m.entry(key(c)).or_insert_with(Vec::new).push(c);
            m
        });
    let new_by: BTreeMap<(String, String), Vec<&Constraint>> =
        new.iter().fold(BTreeMap::new(), |mut m, c| {
            m.entry(key(c)).or_insert_with(Vec::new).push(c);
            m
        });
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
    for (k, olds) in &old_by {
        match new_by.get(k) {
            None => {
                for c in olds {
                    out.push(
                        at,
                        ChangeKind::ConstraintLoosened,
                        Level::Patch,
                        format!("`{}`{} no longer checked", show(c), place(c)),
                        None,
                    );
                }
            }
            Some(news) if olds != news => {
                let (o, n) = (olds[0], news[0]);
                let tighter = match (number(&o.bound), number(&n.bound)) {
                    (Some(a), Some(b)) => {
                        let lower_bound = k.1.starts_with("min") || k.1.ends_with("minimum");
                        let upper_bound = k.1.starts_with("max") || k.1.ends_with("maximum");
                        if lower_bound {
                            Some(b > a)
                        } else if upper_bound {
                            Some(b < a)
                        } else {
                            None
                        }
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
            }
            Some(_) => {}
        }
    }
    for (k, news) in &new_by {
        if !old_by.contains_key(k) {
            for c in news {
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
