//! JSON references inside a document: finding them ([`walk_refs`]),
//! rewriting them ([`rewrite_refs`]), and mapping the pointers of a
//! rewritten document back to the original ([`PointerMap`]). Below
//! `resolve`, `swagger2` and `select`, which all walk references.

use std::collections::HashMap;

use serde_json::Value;

/// Keys whose values are data, not spec structure (`example`, `enum`, …)
/// or extensions: references inside them are not followed. Where these
/// names are keys of a map of names (a property called `default`), they are.
pub(crate) const DATA_KEYS: [&str; 5] = ["example", "examples", "enum", "const", "default"];

/// Keys whose values map names (not keywords) to objects.
const NAME_MAPS: [&str; 22] = [
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "paths",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "securityDefinitions",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "webhooks",
    "mapping",
    "scopes",
];

/// Calls `f(pointer of the $ref value, the reference)` for every string
/// `$ref` in `root` outside data and extensions. Iterative, so no nesting
/// depth can exhaust the stack; pointers are only spelled out for the
/// references found (a large spec has millions of values and few `$ref`s).
pub(crate) fn walk_refs(root: &Value, f: &mut dyn FnMut(&str, &str)) {
    enum Token<'v> {
        Key(&'v str),
        Index(usize),
    }
    // Every value visited: its parent and its token within it.
    let mut nodes: Vec<(usize, Token<'_>)> = vec![(0, Token::Index(0))];
    let mut stack: Vec<(&Value, usize, bool)> = vec![(root, 0, false)];
    let pointer = |nodes: &[(usize, Token<'_>)], mut at: usize, last: &str| {
        let mut tokens = vec![last.to_owned()];
        while at != 0 {
            let (parent, token) = &nodes[at];
            tokens.push(match token {
                Token::Key(k) => k.replace('~', "~0").replace('/', "~1"),
                Token::Index(i) => i.to_string(),
            });
            at = *parent;
        }
        tokens.reverse();
        let mut p = String::new();
        for t in tokens {
            p.push('/');
            p.push_str(&t);
        }
        p
    };
    while let Some((v, node, names)) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if !names {
                        f(&pointer(&nodes, node, "$ref"), r);
                    }
                }
                for (k, child) in map.iter().rev() {
                    if !names
                        && (DATA_KEYS.contains(&k.as_str()) || k.starts_with("x-") || k == "$ref")
                    {
                        continue;
                    }
                    if !matches!(child, Value::Object(_) | Value::Array(_)) {
                        continue;
                    }
                    let child_names = !names && NAME_MAPS.contains(&k.as_str());
                    nodes.push((node, Token::Key(k)));
                    stack.push((child, nodes.len() - 1, child_names));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) {
                        nodes.push((node, Token::Index(i)));
                        stack.push((child, nodes.len() - 1, false));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Rewrites every string `$ref` found by [`walk_refs`] in place.
pub(crate) fn rewrite_refs(root: &mut Value, f: &mut dyn FnMut(&str) -> Option<String>) {
    let mut found = Vec::new();
    walk_refs(root, &mut |pointer, r| {
        if let Some(new) = f(r) {
            found.push((pointer.to_owned(), new));
        }
    });
    for (pointer, new) in found {
        if let Some(v) = root.pointer_mut(&pointer) {
            *v = Value::String(new);
        }
    }
}

// ---------------------------------------------------------------------------
// Pointer maps

/// Where parts of a rewritten document came from: pointer prefixes of the
/// new document → pointer prefixes of the old one. The longest matching
/// prefix wins; pointers under no entry are unchanged.
#[derive(Debug, Clone, Default)]
pub(crate) struct PointerMap {
    entries: HashMap<String, String>,
}

impl PointerMap {
    /// Records that `new` (and everything below it) came from `old`.
    pub(crate) fn add(&mut self, new: &str, old: &str) {
        if new != old || self.entries.contains_key(new) {
            self.entries.insert(new.to_owned(), old.to_owned());
        }
    }

    /// The old pointer a new one stands for.
    pub(crate) fn map(&self, pointer: &str) -> String {
        if self.entries.is_empty() {
            return pointer.to_owned();
        }
        let mut end = pointer.len();
        loop {
            if let Some(old) = self.entries.get(&pointer[..end]) {
                return format!("{old}{}", &pointer[end..]);
            }
            match pointer[..end].rfind('/') {
                Some(i) => end = i,
                None => return pointer.to_owned(),
            }
        }
    }
}

/// `s` with its `%XX` escapes decoded (as a URI fragment or path is), as
/// UTF-8 where it is valid.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(n) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
