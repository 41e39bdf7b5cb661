//! The names file: the Rust names generated for a spec, kept when the spec
//! changes.
//!
//! Names are numbered on a clash (`UserProfile`, `UserProfile2`), and which
//! of the clashing schemas or operations gets the plain name depends on
//! what else the spec holds: adding `User-Profile` next to `UserProfile`
//! and `user_profile` would renumber them, and renaming an `operationId`
//! renames its method. A names file beside the spec (`api.names.json` for
//! `api.yaml`) records every name chosen, keyed by what it was made from:
//! the JSON pointer of a schema, `METHOD path` of an operation (which
//! survives an `operationId` change). Names it lists are claimed before any
//! other, so they stay as long as what they name exists; names of things
//! that are gone are dropped the next time it is written, and reserve
//! nothing.
//!
//! ```json
//! {
//!   "//": "…",
//!   "apigen-names": 1,
//!   "methods": {
//!     "get /users/{id}": "get_user"
//!   },
//!   "operation-types": {
//!     "get /users/{id} error": "GetUserError"
//!   },
//!   "types": {
//!     "/components/schemas/UserProfile": "UserProfile"
//!   }
//! }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, push_pointer};
use crate::ir::{Api, BodyKind};
use crate::load::{Format, Source};
use crate::names::{Namespace, is_type_ident, is_value_ident};

/// The format version written in the `apigen-names` key.
pub const FORMAT_VERSION: u64 = 1;

/// The key holding [`FORMAT_VERSION`].
const VERSION_KEY: &str = "apigen-names";

/// The comment key, written first.
const COMMENT_KEY: &str = "//";

/// What the comment key says.
const COMMENT: &str = "Rust names apigen generated for this spec, kept when it is regenerated \
     (types by the JSON pointer of their schema, methods and operation types by `method /path`). \
     Edit a name to rename it; delete an entry to let apigen choose it anew. \
     Entries for what the spec no longer has are dropped when the file is written.";

/// Sections of the file.
pub(crate) const TYPES: &str = "types";
pub(crate) const OPERATION_TYPES: &str = "operation-types";
pub(crate) const METHODS: &str = "methods";

/// The names recorded for a spec (see the [module docs](self)).
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Types of the `types` module, by the JSON pointer of the schema each
    /// was made from (`/components/schemas/Pet`, or an inline schema's).
    pub types: BTreeMap<String, String>,
    /// Types an operation has at the module root, by
    /// `"{method} {path} {what}"`, `what` being `params`, `success`,
    /// `error` or `multipart` (`"get /users/{id} error"`).
    pub operation_types: BTreeMap<String, String>,
    /// `Client` methods: an operation's by `"{method} {path}"`
    /// (`"get /users/{id}"`, method in lower case), its companions by that
    /// and `stream`, `pages`, `items` or `page`.
    pub methods: BTreeMap<String, String>,
    /// The file they were read from (for diagnostics), if any.
    file: Option<Source>,
}

impl PartialEq for Names {
    fn eq(&self, other: &Self) -> bool {
        (&self.types, &self.operation_types, &self.methods)
            == (&other.types, &other.operation_types, &other.methods)
    }
}

impl Eq for Names {}

/// The key of an operation in [`Names::methods`]: `"get /users/{id}"`.
pub fn operation_key(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_ascii_lowercase())
}

/// `key` with `what` after it (`"get /users/{id} stream"`).
pub fn sub_key(key: &str, what: &str) -> String {
    format!("{key} {what}")
}

impl Names {
    /// The names file of a spec: `dir/api.names.json` for `dir/api.yaml`.
    pub fn path_for(spec: &Path) -> PathBuf {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "api".to_owned());
        spec.with_file_name(format!("{stem}.names.json"))
    }

    /// Reads a names file; `file` is its name in diagnostics. Malformed
    /// content (not JSON, another format version, a name that is not a
    /// string, an unknown key) is an error with its line:column.
    pub fn from_json(text: &str, file: &str) -> Result<Names, Diagnostics> {
        let source = Source::parse(file, text.to_owned(), Format::Json)?;
        let mut diags = Diagnostics::new();
        let mut names = Names::default();
        match &source.value {
            Value::Object(root) => {
                match root.get(VERSION_KEY) {
                    Some(v) if v.as_u64() == Some(FORMAT_VERSION) => {}
                    Some(v) => diags.error(
                        file,
                        &push_pointer("", VERSION_KEY),
                        format!(
                            "names file format {v} is not one this apigen reads (it reads {FORMAT_VERSION})"
                        ),
                    ),
                    None => diags.error(
                        file,
                        "",
                        format!("a names file needs `\"{VERSION_KEY}\": {FORMAT_VERSION}`"),
                    ),
                }
                for (key, value) in root {
                    let pointer = push_pointer("", key);
                    let section = match key.as_str() {
                        VERSION_KEY => continue,
                        COMMENT_KEY => continue,
                        TYPES => &mut names.types,
                        OPERATION_TYPES => &mut names.operation_types,
                        METHODS => &mut names.methods,
                        _ => {
                            diags.error(
                                file,
                                &pointer,
                                format!("`{key}` is not a key of a names file (`{TYPES}`, `{OPERATION_TYPES}`, `{METHODS}`)"),
                            );
                            continue;
                        }
                    };
                    let Value::Object(entries) = value else {
                        diags.error(
                            file,
                            &pointer,
                            format!("`{key}` must be an object of names"),
                        );
                        continue;
                    };
                    for (entry, name) in entries {
                        match name.as_str() {
                            Some(name) => {
                                section.insert(entry.clone(), name.to_owned());
                            }
                            None => diags.error(
                                file,
                                &push_pointer(&pointer, entry),
                                "a name must be a string",
                            ),
                        }
                    }
                }
            }
            _ => diags.error(file, "", "a names file must be a JSON object"),
        }
        if diags.has_errors() {
            source.resolve_positions(&mut diags);
            return Err(diags);
        }
        names.file = Some(source);
        Ok(names)
    }

    /// The file as written: pretty JSON, keys sorted, one name a line.
    pub fn to_json(&self) -> String {
        let string = |s: &str| Value::String(s.to_owned()).to_string();
        let mut out = String::from("{\n");
        out.push_str(&format!(
            "  {}: {},\n  {}: {FORMAT_VERSION}",
            string(COMMENT_KEY),
            string(COMMENT),
            string(VERSION_KEY)
        ));
        for (key, section) in [
            (METHODS, &self.methods),
            (OPERATION_TYPES, &self.operation_types),
            (TYPES, &self.types),
        ] {
            out.push_str(&format!(",\n  {}: {{", string(key)));
            let mut first = true;
            for (entry, name) in section {
                out.push_str(if first { "\n" } else { ",\n" });
                first = false;
                out.push_str(&format!("    {}: {}", string(entry), string(name)));
            }
            out.push_str(if first { "}" } else { "\n  }" });
        }
        out.push_str("\n}\n");
        out
    }

    /// Whether no name is recorded.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && self.operation_types.is_empty() && self.methods.is_empty()
    }

    /// The name of the file they were read from, if any.
    pub fn file_name(&self) -> Option<&str> {
        self.file.as_ref().map(|s| s.name.as_str())
    }

    /// A warning about the entry `section`/`key`, placed at its line.
    pub(crate) fn warning(&self, section: &str, key: &str, message: String) -> Diagnostic {
        let name = self.file_name().unwrap_or("names file");
        let pointer = push_pointer(&push_pointer("", section), key);
        let mut d = Diagnostic::warning(name, &pointer, message);
        d.position = self.file.as_ref().and_then(|s| s.locate(&pointer));
        d
    }

    /// `self` with `newer`'s entries added, or replacing its own: what a
    /// generation filtered by tag or operation writes, so that the names of
    /// the operations and types it left out are not forgotten.
    pub fn updated_with(&self, newer: &Names) -> Names {
        let mut out = self.clone();
        out.types.extend(newer.types.clone());
        out.operation_types.extend(newer.operation_types.clone());
        out.methods.extend(newer.methods.clone());
        out
    }

    /// Every name `api` has that a names file records.
    pub fn of(api: &Api) -> Names {
        let mut names = Names::default();
        for t in &api.types {
            names.types.insert(t.pointer.clone(), t.name.clone());
        }
        for op in &api.operations {
            let key = operation_key(&op.method, &op.path);
            let mut op_type = |what: &str, name: &str| {
                names
                    .operation_types
                    .insert(sub_key(&key, what), name.to_owned());
            };
            if let Some(n) = &op.params_struct {
                op_type("params", n);
            }
            if let Some(n) = &op.success_enum {
                op_type("success", n);
            }
            op_type("error", &op.error_enum);
            if let Some(BodyKind::Multipart(m)) = op.body.as_ref().map(|b| &b.kind) {
                op_type("multipart", &m.name);
            }
            names.methods.insert(key.clone(), op.fn_name.clone());
            if let Some(s) = op.stream.as_ref().filter(|s| !s.replaces) {
                names
                    .methods
                    .insert(sub_key(&key, "stream"), s.fn_name.clone());
            }
            if let Some(p) = &op.paging {
                for (what, n) in [
                    ("pages", &p.pages_fn),
                    ("items", &p.items_fn),
                    ("page", &p.page_fn),
                ] {
                    names.methods.insert(sub_key(&key, what), n.clone());
                }
            }
        }
        names
    }
}

/// The recorded names a generation keeps: those of [`Names`] whose key
/// the spec still has (as a generation without them shows) and which are
/// still usable.
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    /// The names file, for messages.
    pub(crate) file: String,
    /// See [`Names::types`].
    pub(crate) types: HashMap<String, String>,
    /// See [`Names::operation_types`].
    pub(crate) operation_types: HashMap<String, String>,
    /// See [`Names::methods`].
    pub(crate) methods: HashMap<String, String>,
}

impl Recorded {
    /// The entries of `names` that `fresh` (the API generated without them)
    /// has a name for; a warning for each whose name cannot be used (not an
    /// identifier of its kind, reserved, or given twice), which is chosen
    /// anew.
    pub(crate) fn usable(names: &Names, fresh: &Api, diags: &mut Diagnostics) -> Recorded {
        let now = Names::of(fresh);
        let mut recorded = Recorded {
            file: names.file_name().unwrap_or("the names file").to_owned(),
            ..Recorded::default()
        };
        let mut root = Namespace::with_reserved(&["Client", "types"]);
        if let Some(server) = &fresh.server {
            root.reserve(&server.struct_name);
            for (name, _) in server.variables.iter().filter_map(|v| v.values.as_ref()) {
                root.reserve(name);
            }
        }
        let sections = [
            (
                TYPES,
                &names.types,
                &now.types,
                &mut recorded.types,
                Namespace::new(),
            ),
            (
                OPERATION_TYPES,
                &names.operation_types,
                &now.operation_types,
                &mut recorded.operation_types,
                root,
            ),
            (
                METHODS,
                &names.methods,
                &now.methods,
                &mut recorded.methods,
                crate::ir::client_methods(&fresh.schemes),
            ),
        ];
        for (section, given, now, kept, mut taken) in sections {
            for (key, name) in given {
                if !now.contains_key(key) {
                    continue;
                }
                let valid = match section {
                    METHODS => is_value_ident(name),
                    _ => is_type_ident(name),
                };
                let problem = if !valid {
                    "is not a usable name here"
                } else if taken.contains(name) {
                    "is taken (reserved, or given twice)"
                } else {
                    taken.reserve(name);
                    kept.insert(key.clone(), name.clone());
                    continue;
                };
                diags.push(names.warning(
                    section,
                    key,
                    format!("`{name}` {problem}; a new name is chosen"),
                ));
            }
        }
        recorded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_beside_the_spec() {
        assert_eq!(
            Names::path_for(Path::new("dir/api.yaml")),
            Path::new("dir/api.names.json")
        );
        assert_eq!(
            Names::path_for(Path::new("api.v2.json")),
            Path::new("api.v2.names.json")
        );
    }

    #[test]
    fn round_trips_sorted_one_name_a_line() {
        let mut names = Names::default();
        names
            .types
            .insert("/components/schemas/b".into(), "B".into());
        names
            .types
            .insert("/components/schemas/a\"q".into(), "A".into());
        names
            .methods
            .insert("get /users/{id}".into(), "get_user".into());
        let text = names.to_json();
        let back = Names::from_json(&text, "api.names.json").unwrap();
        assert_eq!(back, names);
        assert_eq!(back.to_json(), text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], format!("  \"//\": {},", Value::from(COMMENT)));
        assert_eq!(lines[2], "  \"apigen-names\": 1,");
        assert_eq!(lines[3], "  \"methods\": {");
        assert_eq!(lines[4], "    \"get /users/{id}\": \"get_user\"");
        assert_eq!(lines[6], "  \"operation-types\": {},");
        assert_eq!(lines[8], "    \"/components/schemas/a\\\"q\": \"A\",");
        assert_eq!(lines[9], "    \"/components/schemas/b\": \"B\"");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["types"]["/components/schemas/b"], "B");
    }

    #[test]
    fn malformed_files_are_errors_with_their_position() {
        let errors = |text: &str| {
            let diags = Names::from_json(text, "api.names.json").unwrap_err();
            diags
                .iter()
                .map(|d| {
                    let at = d.position.map(|p| format!("{}:{}", p.line, p.column));
                    format!("{}:{}", at.unwrap_or_default(), d.pointer)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            errors("{\n  \"apigen-names\": 1,\n  \"types\": {\"/a\": \"A\",}\n}"),
            ["3:23:"]
        );
        assert_eq!(
            errors("{\"apigen-names\": 1,\n \"types\": {\n  \"/a\": 7}}"),
            ["3:9:/types/~1a"]
        );
        assert_eq!(errors("{\"apigen-names\": 2}"), ["1:18:/apigen-names"]);
        assert_eq!(
            errors("{\"apigen-names\": 1, \"typos\": {}}"),
            ["1:30:/typos"]
        );
        assert_eq!(errors("[]"), ["1:1:"]);
        assert!(Names::from_json("{\"types\": {}}", "n.json").is_err());
    }
}
