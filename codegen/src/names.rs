//! Turning arbitrary spec names into valid, collision-free Rust identifiers.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even as raw identifiers (`r#self` is invalid).
const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "_"];

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: [&str; 52] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keeps ASCII letters, digits and `_`; every other character becomes a word
/// break, so `crm.account` → `crm account`, `a-b` → `a b`. Non-ASCII letters
/// are dropped to keep identifiers plain ASCII (rustc lints on mixed scripts).
fn words(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            s.push(c);
        } else {
            s.push(' ');
        }
    }
    // Spell out the few symbols that carry meaning in enum values.
    if s.trim().is_empty() {
        let spelled: String = raw
            .chars()
            .map(|c| match c {
                '+' => " plus ",
                '-' => " minus ",
                '*' => " star ",
                '.' => " dot ",
                '/' => " slash ",
                '<' => " lt ",
                '>' => " gt ",
                '=' => " eq ",
                '!' => " not ",
                _ => " ",
            })
            .collect();
        return spelled;
    }
    if raw.starts_with('+') {
        s.insert_str(0, "plus ");
    } else if raw.starts_with('-') && raw[1..].starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "minus ");
    }
    s
}

/// `UpperCamelCase` identifier for a type or variant, never empty, never
/// starting with a digit (`1st` → `V1st`), never a keyword (`Self` → `Self_`).
pub fn type_ident(raw: &str, fallback: &str) -> String {
    let mut s = type_prefix(raw, fallback);
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A part of a type name joined to others (`Self` + `Error`, `Server` +
/// `Self`): as [`type_ident`], but a keyword is kept as it is
/// (`Self_Error` would not be UpperCamelCase).
pub fn type_prefix(raw: &str, fallback: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// `snake_case` identifier for a field, argument or method; keywords become
/// raw identifiers (`type` → `r#type`) except those that cannot (`self` → `self_`).
pub fn value_ident(raw: &str, fallback: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// `ident` (from [`value_ident`]) as a binding, such as a function
/// argument: one made only of `_` and digits (`_200`, for a name `200`) is
/// clippy's `just_underscores_and_digits`, so it gets `prefix` (`param_200`).
pub fn binding_ident(ident: String, prefix: &str) -> String {
    if ident.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        format!("{prefix}{ident}")
    } else {
        ident
    }
}

/// A snake-case identifier as the end of a longer one (`with_…`,
/// `default_…`): without its raw prefix, and without the `_` put before a
/// leading digit (`_2fa` → `2fa`, so `with_2fa`, not `with__2fa`).
pub fn snake_suffix(ident: &str) -> &str {
    bare(ident).trim_start_matches('_')
}

/// An UpperCamelCase type identifier as the start of a longer one: without
/// the `_` that escapes a keyword (`Self_` → `Self`, so `SelfObject`).
pub fn camel_prefix(ident: &str) -> &str {
    ident.strip_suffix('_').unwrap_or(ident)
}

/// The identifier without a raw prefix (for building derived names).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Whether `name` is usable as the name of a generated type, as a names
/// file may give it: ASCII, UpperCamel-initial (`Pet`, `Pet2`, `HTTPError`),
/// and not a keyword (`Self`).
pub fn is_type_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// Whether `name` is usable as a method name, as a names file may give it:
/// snake case ASCII (`get_user`, `_2fa`), or a keyword as a raw identifier
/// (`r#type`), never a bare keyword, `self` and the like, or only `_`s and
/// digits.
pub fn is_value_ident(name: &str) -> bool {
    let (raw, word) = match name.strip_prefix("r#") {
        Some(word) => (true, word),
        None => (false, name),
    };
    !word.is_empty()
        && word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !word.chars().all(|c| c == '_' || c.is_ascii_digit())
        && !NOT_RAW.contains(&word)
        && KEYWORDS.contains(&word) == raw
}

/// Whether `name` is `wanted` or one of the numbered names
/// [`Namespace::claim`] gives in its place (`get_2` for `get`, `Pet3` for
/// `Pet`).
pub fn is_numbering_of(name: &str, wanted: &str) -> bool {
    if bare(name) == bare(wanted) {
        return true;
    }
    let base = bare(wanted).trim_end_matches('_');
    let snake = wanted.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        || wanted.starts_with("r#");
    let rest = match name.strip_prefix(base) {
        Some(rest) if snake => rest.strip_prefix('_'),
        rest => rest,
    };
    rest.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A namespace that hands out unique names: the first request for a name gets
/// it, later ones get `Name2`, `Name3`, … (or `name_2` for snake case).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: HashSet<String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        let mut ns = Self::new();
        for r in reserved {
            ns.used.insert((*r).to_owned());
        }
        ns
    }

    /// Marks `name` as taken.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(bare(name).to_owned());
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(bare(name))
    }

    /// Returns `wanted` if free, otherwise the first free numbered variant.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.used.insert(bare(wanted).to_owned()) {
            return wanted.to_owned();
        }
        let snake = wanted.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            || wanted.starts_with("r#");
        // `Self_` / `self_` (a keyword made usable) numbers as `Self2` /
        // `self_2`, not `Self_2` / `self__2`, which the case lints reject.
        let base = bare(wanted).trim_end_matches('_');
        for n in 2.. {
            let candidate = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }

    /// Claims a name for each `(raw, wanted)` pair, returned in the same order.
    ///
    /// Which of several colliding names gets numbered does not depend on the
    /// order of the pairs (the key order of a spec is not meaningful): a pair
    /// whose `wanted` spells its `raw` name exactly claims first, then the
    /// others in the order of their raw names.
    pub fn claim_all(&mut self, items: &[(&str, String)]) -> Vec<String> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| (bare(&items[i].1) != items[i].0, items[i].0));
        let mut out = vec![String::new(); items.len()];
        for i in order {
            out[i] = self.claim(&items[i].1);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_idents() {
        assert_eq!(type_ident("crm.account", "T"), "CrmAccount");
        assert_eq!(type_ident("error.BAD_REQUEST", "T"), "ErrorBadRequest");
        assert_eq!(
            type_ident("integration-app-token", "T"),
            "IntegrationAppToken"
        );
        assert_eq!(type_ident("+1", "T"), "Plus1");
        assert_eq!(type_ident("-1", "T"), "Minus1");
        assert_eq!(type_ident("", "Empty"), "Empty");
        assert_eq!(type_ident("1st", "T"), "V1st");
        assert_eq!(type_ident("Self", "T"), "Self_");
        assert_eq!(type_prefix("Self", "T"), "Self");
        assert_eq!(type_prefix("", "Op"), "Op");
        assert_eq!(camel_prefix(&type_ident("Self", "T")), "Self");
        assert_eq!(camel_prefix("Pet"), "Pet");
        assert_eq!(snake_suffix(&value_ident("2fa", "v")), "2fa");
        assert_eq!(snake_suffix(&value_ident("type", "v")), "type");
        assert_eq!(binding_ident(value_ident("200", "p"), "param"), "param_200");
        assert_eq!(binding_ident(value_ident("7day", "p"), "param"), "_7day");
        assert_eq!(type_ident("héllo wörld", "T"), "HLloWRld");
    }

    #[test]
    fn value_idents() {
        assert_eq!(value_ident("type", "f"), "r#type");
        assert_eq!(value_ident("self", "f"), "self_");
        assert_eq!(value_ident("Self", "f"), "self_");
        assert_eq!(value_ident("crate", "f"), "crate_");
        assert_eq!(value_ident("idOrKey", "f"), "id_or_key");
        assert_eq!(value_ident("$ref", "f"), "r#ref");
        assert_eq!(value_ident("x-apikey", "f"), "x_apikey");
        assert_eq!(value_ident("2fa", "f"), "_2fa");
        assert_eq!(value_ident("", "field"), "field");
    }

    #[test]
    fn claim_all_does_not_depend_on_order() {
        let forward = [
            ("fooBar", "foo_bar".to_owned()),
            ("foo-bar", "foo_bar".to_owned()),
            ("foo_bar", "foo_bar".to_owned()),
        ];
        let mut backward = forward.clone();
        backward.reverse();
        let a = Namespace::new().claim_all(&forward);
        let mut b = Namespace::new().claim_all(&backward);
        b.reverse();
        assert_eq!(a, ["foo_bar_3", "foo_bar_2", "foo_bar"]);
        assert_eq!(a, b);
    }

    #[test]
    fn identifiers_a_names_file_may_give() {
        for ok in ["Pet", "Pet2", "HTTPError", "Self_", "V1st"] {
            assert!(is_type_ident(ok), "{ok}");
        }
        for bad in ["pet", "Self", "Pet-Store", "", "Pét", "2Pet"] {
            assert!(!is_type_ident(bad), "{bad}");
        }
        for ok in ["get_user", "_2fa", "r#type", "self_", "get2"] {
            assert!(is_value_ident(ok), "{ok}");
        }
        for bad in [
            "type", "self", "r#self", "r#user", "_", "_200", "getUser", "get-user", "",
        ] {
            assert!(!is_value_ident(bad), "{bad}");
        }
        assert!(is_numbering_of("get_user_2", "get_user"));
        assert!(is_numbering_of("get_user", "get_user"));
        assert!(is_numbering_of("type_2", "r#type"));
        assert!(is_numbering_of("Self2", "Self_"));
        assert!(is_numbering_of("Pet12", "Pet"));
        assert!(!is_numbering_of("get_users", "get_user"));
        assert!(!is_numbering_of("get_user_x", "get_user"));
        assert!(!is_numbering_of("fetch_user", "get_user"));
    }

    #[test]
    fn namespace_numbers_collisions() {
        let mut ns = Namespace::with_reserved(&["Client"]);
        assert_eq!(ns.claim("Client"), "Client2");
        assert_eq!(ns.claim("FooBar"), "FooBar");
        assert_eq!(ns.claim("FooBar"), "FooBar2");
        assert_eq!(ns.claim("r#type"), "r#type");
        assert_eq!(ns.claim("r#type"), "type_2");
        assert_eq!(ns.claim("foo_bar"), "foo_bar");
        assert_eq!(ns.claim("foo_bar"), "foo_bar_2");
        assert_eq!(ns.claim("Self_"), "Self_");
        assert_eq!(ns.claim("Self_"), "Self2");
        assert_eq!(ns.claim("self_"), "self_");
        assert_eq!(ns.claim("self_"), "self_2");
    }
}
