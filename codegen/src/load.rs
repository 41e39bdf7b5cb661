//! Stage 1, `load`: bytes → `serde_json::Value`, keeping the text so any JSON
//! pointer can later be turned into a line:column.
//!
//! No file I/O happens here: the front ends read files and hand the text in.

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, LineCol, pointer_tokens};

/// The syntax a source was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML 1.2 (needs the `yaml` feature).
    Yaml,
}

impl Format {
    /// Guesses the format from a file name; unknown extensions are sniffed
    /// from the first non-blank character (`{` means JSON).
    pub fn detect(name: &str, text: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// One parsed input document.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name diagnostics use for this file (usually the path given by the user).
    pub name: String,
    /// The original text, kept to resolve positions of diagnostics.
    pub text: String,
    /// The syntax of `text`.
    pub format: Format,
    /// The parsed document.
    pub value: Value,
}

impl Source {
    /// Parses `text` (JSON or YAML, per `format`), reporting syntax errors with
    /// their line:column.
    pub fn parse(name: &str, text: String, format: Format) -> Result<Source, Diagnostics> {
        let value = match format {
            Format::Json => parse_json(name, &text)?,
            Format::Yaml => parse_yaml(name, &text)?,
        };
        Ok(Source {
            name: name.to_owned(),
            text,
            format,
            value,
        })
    }

    /// Where the value at `pointer` starts, when it can be found.
    pub fn locate(&self, pointer: &str) -> Option<LineCol> {
        match self.format {
            Format::Json => locate_json(&self.text, pointer),
            Format::Yaml => locate_yaml(&self.text, pointer),
        }
    }

    /// Fills in the position of every diagnostic that concerns this file.
    /// A pointer to something missing (a required key) is placed at the
    /// nearest enclosing value that exists.
    pub fn resolve_positions(&self, diags: &mut Diagnostics) {
        for d in diags.items_mut() {
            if d.position.is_none() && d.file == self.name {
                let mut pointer = d.pointer.as_str();
                d.position = loop {
                    if let Some(at) = self.locate(pointer) {
                        break Some(at);
                    }
                    match pointer.rfind('/') {
                        Some(i) => pointer = &pointer[..i],
                        None => break None,
                    }
                };
            }
        }
    }
}

fn parse_json(name: &str, text: &str) -> Result<Value, Diagnostics> {
    // serde_json stops at MAX_DEPTH (128) levels of nesting by itself.
    serde_json::from_str(text).map_err(|e| {
        let msg = match strip_position(&e) {
            m if m == "recursion limit exceeded" => {
                format!("nesting deeper than {MAX_DEPTH} levels")
            }
            m => m,
        };
        let mut d = Diagnostic::error(name, "", format!("invalid JSON: {msg}"));
        if e.line() > 0 {
            // serde_json reports column 0 at the start of a line (such as
            // the end of an empty input); columns are 1-based.
            d.position = Some(LineCol {
                line: e.line(),
                column: e.column().max(1),
            });
        }
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    })
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// How deeply arrays and objects may nest: serde_json's own limit, applied to
/// YAML too, so that no input can exhaust the stack of a later stage.
pub const MAX_DEPTH: usize = 128;

/// Limits for YAML input. Aliases (`*a`) are expanded into the document, so a
/// few lines of anchors can stand for billions of nodes ("billion laughs"):
/// the number of nodes aliases may replay is capped, as are nesting and the
/// document's total size. Real specs stay far below these numbers.
#[cfg(feature = "yaml")]
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: 20_000_000,
            max_events: 40_000_000,
            max_total_scalar_bytes: 512 * 1024 * 1024,
            // Many aliases of few anchors are common in hand-written specs
            // (`*error_response` in every operation); the replay cap below is
            // what bounds their cost.
            enforce_alias_anchor_ratio: false,
            max_recorded_anchor_events: ALIAS_REPLAY_LIMIT,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: ALIAS_REPLAY_LIMIT,
        },
    }
}

/// How many events (nodes and their ends) aliases may replay in one document.
#[cfg(feature = "yaml")]
const ALIAS_REPLAY_LIMIT: usize = 250_000;

#[cfg(feature = "yaml")]
fn parse_yaml(name: &str, text: &str) -> Result<Value, Diagnostics> {
    // The parser recurses once per level of nesting.
    crate::with_deep_stack(|| serde_saphyr::from_str_with_options::<Value>(text, yaml_options()))
        .map_err(|e| {
            let mut d = Diagnostic::error(name, "", format!("invalid YAML: {}", yaml_message(&e)));
            if let Some(loc) = e.location() {
                if loc.line() > 0 {
                    d.position = Some(LineCol {
                        line: loc.line() as usize,
                        column: (loc.column() as usize).max(1),
                    });
                }
            }
            let mut ds = Diagnostics::new();
            ds.push(d);
            ds
        })
}

/// The first line of a serde-saphyr error, without its own position (as an
/// `error: line L column C: ` prefix or an ` at line L column C` suffix) or
/// source snippet: we print positions ourselves.
#[cfg(feature = "yaml")]
fn yaml_message(e: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    // The error itself, without the wrappers that add a snippet or the
    // location of the alias being expanded.
    let mut e = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    match e {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => format!("nesting deeper than {MAX_DEPTH} levels"),
            B::Aliases { aliases } => {
                format!("too many aliases ({aliases}); refusing to expand them")
            }
            B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => format!(
                "aliases expand to more than {ALIAS_REPLAY_LIMIT} nodes (an alias bomb?); refusing to expand them"
            ),
            B::Nodes { .. } | B::Events { .. } | B::ScalarBytes { .. } => {
                "the document is too large".to_owned()
            }
            other => format!("a resource limit was exceeded ({other:?})"),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => format!(
            "aliases expand to more than {ALIAS_REPLAY_LIMIT} nodes (an alias bomb?); refusing to expand them"
        ),
        E::AliasReplayStackDepthExceeded { .. } => {
            "aliases nest too deeply (an alias bomb?); refusing to expand them".to_owned()
        }
        _ => {
            let msg = strip_yaml_position(&e.to_string());
            if msg == "recursion limit exceeded" {
                format!("nesting deeper than {MAX_DEPTH} levels")
            } else {
                msg
            }
        }
    }
}

#[cfg(feature = "yaml")]
fn strip_yaml_position(s: &str) -> String {
    let first = s.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((at, rest)) if at.split(" column ").all(|n| n.parse::<u64>().is_ok()) => rest,
        _ => first,
    };
    let first = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    first.trim_end_matches(':').to_owned()
}

#[cfg(not(feature = "yaml"))]
fn parse_yaml(name: &str, _text: &str) -> Result<Value, Diagnostics> {
    let mut ds = Diagnostics::new();
    ds.error(
        name,
        "",
        "this looks like YAML, but apigen was built without its `yaml` feature",
    );
    Err(ds)
}

// ---------------------------------------------------------------------------
// Locating a JSON pointer in JSON text: a small scanner that walks the text,
// descending into the members the pointer names and skipping everything else.
// Only run when a diagnostic is reported, so the common path pays nothing.

fn locate_json(text: &str, pointer: &str) -> Option<LineCol> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for token in pointer_tokens(pointer) {
        match *bytes.get(pos)? {
            b'{' => {
                pos = skip_ws(bytes, pos + 1);
                loop {
                    if *bytes.get(pos)? == b'}' {
                        return None;
                    }
                    let key_end = skip_string(bytes, pos)?;
                    // Keys are decoded only when they have escapes: most
                    // keys passed over are not the one looked for.
                    let raw = text.get(pos + 1..key_end - 1)?;
                    let found = if raw.contains('\\') {
                        serde_json::from_str::<String>(text.get(pos..key_end)?).ok()? == token
                    } else {
                        raw == token
                    };
                    pos = skip_ws(bytes, key_end);
                    if *bytes.get(pos)? != b':' {
                        return None;
                    }
                    pos = skip_ws(bytes, pos + 1);
                    if found {
                        break;
                    }
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    if *bytes.get(pos)? == b',' {
                        pos = skip_ws(bytes, pos + 1);
                    }
                }
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                pos = skip_ws(bytes, pos + 1);
                for _ in 0..index {
                    if *bytes.get(pos)? == b']' {
                        return None;
                    }
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    if *bytes.get(pos)? == b',' {
                        pos = skip_ws(bytes, pos + 1);
                    }
                }
                if *bytes.get(pos)? == b']' {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(offset_to_line_col(text, pos))
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && matches!(b[pos], b' ' | b'\t' | b'\n' | b'\r') {
        pos += 1;
    }
    pos
}

/// `pos` is at a `"`; returns the offset just past the closing quote.
fn skip_string(b: &[u8], pos: usize) -> Option<usize> {
    if b.get(pos) != Some(&b'"') {
        return None;
    }
    let mut i = pos + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Skips one JSON value starting at `pos`; returns the offset just past it.
/// Containers are skipped by counting nesting, not by recursion.
fn skip_value(b: &[u8], pos: usize) -> Option<usize> {
    match *b.get(pos)? {
        b'"' => skip_string(b, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match *b.get(i)? {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            Some(i)
        }
    }
}

fn offset_to_line_col(text: &str, offset: usize) -> LineCol {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

// ---------------------------------------------------------------------------
// Locating a JSON pointer in YAML text: re-parse into a tree whose nodes carry
// their positions (only done when a diagnostic is reported).

#[cfg(feature = "yaml")]
mod yaml_spans {
    use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_saphyr::Spanned;
    use std::fmt;

    pub(super) enum Node {
        Map(Vec<(String, Spanned<Node>)>),
        Seq(Vec<Spanned<Node>>),
        Scalar,
    }

    impl<'de> Deserialize<'de> for Node {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(NodeVisitor)
        }
    }

    struct NodeVisitor;

    macro_rules! scalar {
        ($($name:ident: $ty:ty),*) => {$(
            fn $name<E: de::Error>(self, _v: $ty) -> Result<Node, E> { Ok(Node::Scalar) }
        )*};
    }

    impl<'de> Visitor<'de> for NodeVisitor {
        type Value = Node;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML node")
        }
        scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str,
            visit_i128: i128, visit_u128: u128, visit_bytes: &[u8]);
        fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
            Ok(Node::Scalar)
        }
        fn visit_none<E: de::Error>(self) -> Result<Node, E> {
            Ok(Node::Scalar)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
            Node::deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<Spanned<Node>>()? {
                items.push(item);
            }
            Ok(Node::Seq(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
            let mut entries = Vec::new();
            while let Some(key) = map.next_key::<KeyString>()? {
                let value = map.next_value::<Spanned<Node>>()?;
                entries.push((key.0, value));
            }
            Ok(Node::Map(entries))
        }
    }

    /// A mapping key of any scalar kind, as text (`200:` is an integer key in YAML).
    struct KeyString(String);

    impl<'de> Deserialize<'de> for KeyString {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = KeyString;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a scalar key")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyString, E> {
                    Ok(KeyString(v.to_owned()))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyString, E> {
                    Ok(KeyString(v.to_string()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyString, E> {
                    Ok(KeyString(v.to_string()))
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyString, E> {
                    Ok(KeyString(v.to_string()))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyString, E> {
                    Ok(KeyString(v.to_string()))
                }
                fn visit_unit<E: de::Error>(self) -> Result<KeyString, E> {
                    Ok(KeyString("null".to_owned()))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<KeyString, A::Error> {
                    while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(KeyString(String::new()))
                }
            }
            d.deserialize_any(V)
        }
    }
}

#[cfg(feature = "yaml")]
fn locate_yaml(text: &str, pointer: &str) -> Option<LineCol> {
    use yaml_spans::Node;
    let root: serde_saphyr::Spanned<Node> =
        crate::with_deep_stack(|| serde_saphyr::from_str_with_options(text, yaml_options()).ok())?;
    let mut node = &root;
    for token in pointer_tokens(pointer) {
        node = match &node.value {
            Node::Map(entries) => &entries.iter().find(|(k, _)| *k == token)?.1,
            Node::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            Node::Scalar => return None,
        };
    }
    let loc = node.referenced;
    (loc.line() > 0).then(|| LineCol {
        line: loc.line() as usize,
        column: loc.column() as usize,
    })
}

#[cfg(not(feature = "yaml"))]
fn locate_yaml(_text: &str, _pointer: &str) -> Option<LineCol> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = "{\n  \"a\": {\"b~/c\": [1, {\"d\": \"x\\\"y\"}, 3]},\n  \"e\": true\n}";

    #[test]
    fn locates_json_pointers() {
        assert_eq!(
            locate_json(JSON, "/a"),
            Some(LineCol { line: 2, column: 8 })
        );
        assert_eq!(
            locate_json(JSON, "/a/b~0~1c/1/d"),
            Some(LineCol {
                line: 2,
                column: 27
            })
        );
        assert_eq!(
            locate_json(JSON, "/a/b~0~1c/2"),
            Some(LineCol {
                line: 2,
                column: 36
            })
        );
        assert_eq!(
            locate_json(JSON, "/e"),
            Some(LineCol { line: 3, column: 8 })
        );
        assert_eq!(locate_json(JSON, "/missing"), None);
        assert_eq!(locate_json(JSON, "/a/b~0~1c/9"), None);
        assert_eq!(locate_json(JSON, ""), Some(LineCol { line: 1, column: 1 }));
        // Escaped keys are decoded before they are compared.
        let escaped = "{\"a\\u0062\": 1, \"q\\\"\": 2, \"ab\": 3}";
        assert_eq!(
            locate_json(escaped, "/ab"),
            Some(LineCol {
                line: 1,
                column: 13
            })
        );
        assert_eq!(
            locate_json(escaped, "/q\""),
            Some(LineCol {
                line: 1,
                column: 23
            })
        );
        assert_eq!(locate_json(escaped, "/a\\u0062"), None);
    }

    #[test]
    fn json_syntax_error_has_position() {
        let err = Source::parse("x.json", "{\n  \"a\": [1,,]\n}".into(), Format::Json).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.position.map(|p| p.line), Some(2));
        assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn locates_yaml_pointers_and_integer_keys() {
        let text =
            "paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let src = Source::parse("x.yaml", text.into(), Format::Yaml).unwrap();
        assert_eq!(
            src.value["paths"]["/a"]["get"]["responses"]["200"]["description"],
            "ok"
        );
        let at = src
            .locate("/paths/~1a/get/responses/200/description")
            .unwrap();
        assert_eq!(at.line, 6);
        assert_eq!(src.locate("/paths/~1b"), None);
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_syntax_error_has_position() {
        let err = Source::parse("x.yaml", "a: [1, 2\nb: c\n".into(), Format::Yaml).unwrap_err();
        let d = err.iter().next().unwrap();
        assert!(d.position.is_some(), "{d}");
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(
            !d.message.contains("line"),
            "position repeated: {}",
            d.message
        );
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_messages_lose_their_own_position() {
        assert_eq!(
            strip_yaml_position("error: line 5 column 6: illegal placement of ':' indicator"),
            "illegal placement of ':' indicator"
        );
        assert_eq!(
            strip_yaml_position("bad thing at line 2 column 3"),
            "bad thing"
        );
        assert_eq!(
            strip_yaml_position("line of sight: blocked"),
            "line of sight: blocked"
        );
    }

    #[test]
    fn empty_json_has_a_one_based_column() {
        let err = Source::parse("x.json", String::new(), Format::Json).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.position, Some(LineCol { line: 1, column: 1 }), "{d}");
    }
}
