//! Diagnostics: every problem found in a spec, with the file, JSON pointer and
//! line:column it concerns.
//!
//! Stages collect diagnostics instead of stopping at the first problem, so one
//! run reports everything that is wrong. Positions are resolved lazily (only
//! when a diagnostic is reported) from the [`Source`](crate::load::Source) text.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec uses something the generator degrades (for example to
    /// `serde_json::Value`); output is still written.
    Warning,
    /// The spec cannot be turned into code; no output is written.
    Error,
}

/// A line and column in a source file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column number (in characters).
    pub column: usize,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file the problem is in, as the user named it.
    pub file: String,
    /// JSON pointer (`#/components/schemas/Foo`) of the offending value; empty
    /// when the problem is about the whole file.
    pub pointer: String,
    /// Where the value starts in the file, when it could be determined.
    pub position: Option<LineCol>,
}

impl Diagnostic {
    /// An error at `pointer` in `file`; the position is filled in later.
    pub fn error(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, pointer, message)
    }

    /// A warning at `pointer` in `file`; the position is filled in later.
    pub fn warning(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, pointer, message)
    }

    fn new(severity: Severity, file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            position: None,
        }
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message (at #/pointer)` — the form editors and
    /// cargo's output link to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {level}: {}", self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at #{})", self.pointer)?;
        }
        Ok(())
    }
}

/// A set of diagnostics, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds an error.
    pub fn error(&mut self, file: &str, pointer: &str, message: impl Into<String>) {
        self.push(Diagnostic::error(file, pointer, message));
    }

    /// Adds a warning.
    pub fn warning(&mut self, file: &str, pointer: &str, message: impl Into<String>) {
        self.push(Diagnostic::warning(file, pointer, message));
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Whether there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// All diagnostics, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Orders diagnostics as they appear in the files (by file, then
    /// line:column; those without a position last), keeping the order found
    /// among equals. Reports then read top to bottom, whatever order the
    /// stages visited the document in.
    pub fn sort_by_position(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.position.is_none(), a.position).cmp(&(
                &b.file,
                b.position.is_none(),
                b.position,
            ))
        });
    }

    /// Drops repeats of a diagnostic (same severity, file, pointer and
    /// message: a shared definition reported once per use), keeping the first.
    pub fn dedup(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.items.retain(|d| {
            seen.insert((
                d.severity,
                d.file.clone(),
                d.pointer.clone(),
                d.message.clone(),
            ))
        });
    }

    pub(crate) fn items_mut(&mut self) -> &mut [Diagnostic] {
        &mut self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`
/// as RFC 6901 requires.
pub fn push_pointer(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    for c in token.chars() {
        match c {
            '~' => s.push_str("~0"),
            '/' => s.push_str("~1"),
            c => s.push(c),
        }
    }
    s
}

/// The value `pointer` designates in `root`: what
/// [`serde_json::Value::pointer`] finds, without its two string allocations
/// and searches per reference token, which made looking schemas up by
/// pointer a noticeable part of generation. Tokens with nothing to unescape
/// (nearly all) are used as they are.
pub(crate) fn lookup<'v>(
    root: &'v serde_json::Value,
    pointer: &str,
) -> Option<&'v serde_json::Value> {
    use serde_json::Value;
    if pointer.is_empty() {
        return Some(root);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .try_fold(root, |target, token| {
            let token = unescape(token);
            match target {
                Value::Object(map) => map.get(token.as_ref()),
                // As serde_json: no sign, no leading zero.
                Value::Array(list)
                    if !token.starts_with('+') && (token.len() == 1 || !token.starts_with('0')) =>
                {
                    token.parse::<usize>().ok().and_then(|i| list.get(i))
                }
                _ => None,
            }
        })
}

/// Splits a JSON pointer into its unescaped reference tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|t| unescape(t).into_owned())
}

/// A JSON pointer reference token unescaped (`~1` → `/`, then `~0` → `~`),
/// borrowed when it has nothing to unescape.
fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookup_finds_what_value_pointer_finds() {
        let root = serde_json::json!({
            "a": {"b/c": [10, {"d~e": true}, 12], "": {"": 1}},
            "0": ["x"],
            "~1": 2,
            "/": 3,
        });
        let pointers = [
            "",
            "/",
            "//",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/b~1c/2",
            "/a/b~1c/3",
            "/a/b~1c/01",
            "/a/b~1c/+1",
            "/a/b~1c/-1",
            "/a/b~1c/",
            "/a/b/c",
            "/a/",
            "/a//",
            "/0/0",
            "/0/00",
            "/~01",
            "/~1",
            "/~2",
            "a",
            "/missing/0",
            "/a/b~1c/0/x",
        ];
        for p in pointers {
            assert_eq!(super::lookup(&root, p), root.pointer(p), "{p:?}");
        }
    }
}
