//! The JSON path of the value a decoding error is about
//! (`$.items[3].owner.login`), found after the fact from the error's line
//! and column in the raw text: decoding itself pays nothing for it, and no
//! deserializer is instantiated twice per type.
//!
//! The text is scanned up to the error's position, keeping the stack of
//! objects and arrays open there, with the current key or index of each.
//! A `missing field` (or `unknown field`, `duplicate field`) error names the
//! field, which is appended. Paths use RFC 9535 syntax: `.name` for names
//! that allow it, `['name']` for the others.

use std::fmt::Write as _;

/// The path of the value `error` is about in `text`, `$` when it is about
/// the whole text (or the text is not JSON enough to tell).
pub(crate) fn of_error(text: &[u8], error: &serde_json::Error) -> String {
    let end = offset(text, error.line(), error.column());
    let mut path = scan(text, end);
    if let Some(field) = named_field(&error.to_string()) {
        push_name(&mut path, &field);
    }
    path
}

/// The byte offset just past line `line`, column `column` (both 1-based, as
/// `serde_json` counts them: the column is the byte the error is at).
fn offset(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column).min(text.len())
}

/// The field a serde error message names (`missing field `login``).
fn named_field(message: &str) -> Option<String> {
    let rest = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))?;
    let end = rest.find('`')?;
    Some(rest[..end].to_owned())
}

/// An open object or array while scanning.
enum Frame {
    /// `key`: the last key read; `in_value`: past its `:`.
    Object { key: Option<String>, in_value: bool },
    /// `index`: of the current element; `in_value`: an element started.
    Array { index: usize, in_value: bool },
}

/// The path of the value being read at byte `end` of `text`.
fn scan(text: &[u8], end: usize) -> String {
    let text = &text[..end.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // Marks the innermost array's element as started.
    let start_value = |stack: &mut Vec<Frame>| {
        if let Some(Frame::Array { in_value, .. }) = stack.last_mut() {
            *in_value = true;
        }
    };
    while i < text.len() {
        match text[i] {
            b'{' => {
                start_value(&mut stack);
                stack.push(Frame::Object {
                    key: None,
                    in_value: false,
                });
                i += 1;
            }
            b'[' => {
                start_value(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    in_value: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key, in_value }) => {
                        *key = None;
                        *in_value = false;
                    }
                    Some(Frame::Array { index, in_value }) => {
                        *index += 1;
                        *in_value = false;
                    }
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
                i += 1;
            }
            b'"' => {
                let (string, next) = read_string(text, i + 1);
                match stack.last_mut() {
                    Some(Frame::Object {
                        key,
                        in_value: false,
                    }) => *key = Some(string),
                    _ => start_value(&mut stack),
                }
                i = next;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                // A number, `true`, `false` or `null`.
                start_value(&mut stack);
                while i < text.len() && !b",:]}{[\" \t\r\n".contains(&text[i]) {
                    i += 1;
                }
            }
        }
    }
    let mut path = String::from("$");
    for frame in &stack {
        match frame {
            Frame::Object {
                key: Some(key),
                in_value: true,
            } => push_name(&mut path, key),
            Frame::Array {
                index,
                in_value: true,
            } => {
                let _ = write!(path, "[{index}]");
            }
            _ => {}
        }
    }
    path
}

/// Reads a JSON string whose content starts at `start`: its decoded text
/// (lossy where the escapes are broken) and the offset after its closing
/// quote (or the end of `text`).
fn read_string(text: &[u8], start: usize) -> (String, usize) {
    let mut bytes = Vec::new();
    let mut i = start;
    while i < text.len() {
        match text[i] {
            b'"' => return (String::from_utf8_lossy(&bytes).into_owned(), i + 1),
            b'\\' if i + 1 < text.len() => {
                let escaped = text[i + 1];
                i += 2;
                match escaped {
                    b'n' => bytes.push(b'\n'),
                    b't' => bytes.push(b'\t'),
                    b'r' => bytes.push(b'\r'),
                    b'b' => bytes.push(0x08),
                    b'f' => bytes.push(0x0c),
                    b'u' => {
                        let (c, used) = unicode_escape(&text[i..]);
                        let mut buf = [0; 4];
                        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i += used;
                    }
                    other => bytes.push(other),
                }
            }
            b => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&bytes).into_owned(), i)
}

/// The character of a `\u` escape whose hex digits start `rest` (a
/// surrogate pair takes a second `\uXXXX`), and the bytes it used.
fn unicode_escape(rest: &[u8]) -> (char, usize) {
    let hex = |at: usize| {
        rest.get(at..at + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(high) = hex(0) else {
        return (char::REPLACEMENT_CHARACTER, 0);
    };
    if (0xD800..0xDC00).contains(&high) && rest.get(4..6) == Some(b"\\u") {
        if let Some(low) = hex(6).filter(|l| (0xDC00..0xE000).contains(l)) {
            let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return (char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER), 10);
        }
    }
    (
        char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER),
        4,
    )
}

/// Appends member `name`: `.name` when RFC 9535's shorthand allows it,
/// else `['name']` with `'` and `\` escaped.
fn push_name(path: &mut String, name: &str) {
    let mut chars = name.chars();
    let shorthand = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic() || !c.is_ascii())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric() || !c.is_ascii());
    if shorthand {
        path.push('.');
        path.push_str(name);
        return;
    }
    path.push_str("['");
    for c in name.chars() {
        match c {
            '\'' => path.push_str("\\'"),
            '\\' => path.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(path, "\\u{:04x}", u32::from(c));
            }
            c => path.push(c),
        }
    }
    path.push_str("']");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Owner {
        login: String,
        id: u32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Repo {
        name: String,
        owner: Owner,
        #[serde(default)]
        topics: Vec<u8>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct List {
        total_count: u32,
        items: Vec<Repo>,
    }

    fn path_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let error = serde_json::from_str::<T>(text).unwrap_err();
        of_error(text.as_bytes(), &error)
    }

    fn repo(owner: &str) -> String {
        format!(r#"{{"name": "r", "owner": {owner}, "topics": [1, 2]}}"#)
    }

    #[test]
    fn paths_of_typical_failures() {
        let ok = repo(r#"{"login": "a", "id": 1}"#);
        let items = |fourth: &str| format!("[{ok},{ok},{ok},{fourth}]");
        let list = |fourth: &str| format!("{{\"total_count\": 4,\n \"items\": {}}}", items(fourth));
        // A required field left out.
        let text = list(&repo(r#"{"id": 7}"#));
        assert_eq!(path_of::<List>(&text), "$.items[3].owner.login");
        // A value of the wrong type, scalar and container.
        let text = list(&repo(r#"{"login": 5, "id": 7}"#));
        assert_eq!(path_of::<List>(&text), "$.items[3].owner.login");
        let text = list(&repo(r#"{"login": "a", "id": [7]}"#));
        assert_eq!(path_of::<List>(&text), "$.items[3].owner.id");
        let text = list(&repo(r#"{"login": "a", "id": {"n": 1}}"#));
        assert_eq!(path_of::<List>(&text), "$.items[3].owner.id");
        // Out of range, and in an array of numbers.
        let text = list(&repo(r#"{"login": "a", "id": -1}"#));
        assert_eq!(path_of::<List>(&text), "$.items[3].owner.id");
        let text = list(&repo(r#"{"login": "a", "id": 1}"#).replace("[1, 2]", "[1, 2, 300]"));
        assert_eq!(path_of::<List>(&text), "$.items[3].topics[2]");
        // The whole document.
        assert_eq!(path_of::<List>("[]"), "$");
        assert_eq!(path_of::<List>("{\"items\": []}"), "$.total_count");
        assert_eq!(path_of::<u32>("nope"), "$");
    }

    #[test]
    fn keys_with_escapes_and_odd_names() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Odd {
            #[serde(rename = "a b")]
            a: u8,
        }
        assert_eq!(
            path_of::<std::collections::BTreeMap<String, Odd>>(r#"{"x\"y": {"a b": "no"}}"#),
            r#"$['x"y']['a b']"#
        );
        assert_eq!(
            path_of::<std::collections::BTreeMap<String, u8>>(r#"{"\u00e9\ud83d\ude00": "no"}"#),
            "$.é😀"
        );
        assert_eq!(
            path_of::<std::collections::BTreeMap<String, u8>>(r#"{"it's": 1, "2": "x"}"#),
            "$['2']"
        );
        let mut p = String::from("$");
        push_name(&mut p, "it's\\\n");
        assert_eq!(p, r"$['it\'s\\\u000a']");
    }

    #[test]
    fn truncated_and_garbage_text_never_panics() {
        for text in [
            "{\"items\": [",
            "{\"a\": \"\\u12",
            "]]]}}}",
            "\"\\",
            "{\"a\":1,,}",
            "",
        ] {
            let error = serde_json::from_str::<List>(text).unwrap_err();
            let path = of_error(text.as_bytes(), &error);
            assert!(path.starts_with('$'), "{text:?}: {path}");
        }
        assert_eq!(scan(b"{\"items\": [{", 1000), "$.items[0]");
    }
}
