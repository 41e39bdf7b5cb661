//! OpenAPI 3.2: the path items' `additionalOperations` (methods such as
//! `COPY`, sent with the capitalization of their key), and [`check`], which
//! warns about the 3.2 fields a client has no use for, once per kind with
//! where it first appears.
//!
//! What the other stages use: `query` operations and `additionalOperations`
//! (here and where the `spec` stage reads operations); `in: querystring` and `style:
//! cookie` parameters; `itemSchema` of sequential media types and event
//! streams (`ir`); `$ref`s to `components.mediaTypes`; Response `summary`
//! (as the description when there is none); discriminator `defaultMapping`
//! (`ir`); Example `dataValue` ([`crate::examples`]).

use serde_json::Value;

use super::{Cx, METHODS};
use crate::diag::{Diagnostics, push_pointer};

/// An RFC 9110 method token (`1*tchar`).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl<'a> Cx<'a> {
    /// The operations of the `additionalOperations` of a path item, as
    /// (method, operation, pointer). A key naming a method with its own
    /// field (`POST`) is read as that method when the field is absent, with
    /// a warning, and ignored otherwise; a key that is not a method token
    /// is an error.
    pub(super) fn additional_operations(
        &mut self,
        item: &'a serde_json::Map<String, Value>,
        item_ptr: &str,
        fixed: &[(String, &'a Value, String)],
    ) -> Vec<(String, &'a Value, String)> {
        let ptr = push_pointer(item_ptr, "additionalOperations");
        let Some(extra) = item.get("additionalOperations") else {
            return Vec::new();
        };
        let Some(extra) = extra.as_object() else {
            self.error(
                &ptr,
                "`additionalOperations` must be an object keyed by method",
            );
            return Vec::new();
        };
        let mut out: Vec<(String, &'a Value, String)> = Vec::new();
        for (method, op) in extra {
            let op_ptr = push_pointer(&ptr, method);
            if !is_token(method) {
                self.error(
                    &op_ptr,
                    format!("`{method}` is not an HTTP method (RFC 9110 token characters only)"),
                );
                continue;
            }
            let upper = method.to_ascii_uppercase();
            if METHODS.iter().any(|m| m.eq_ignore_ascii_case(method)) && *method == upper {
                if fixed.iter().any(|(m, ..)| *m == upper) {
                    self.warning(
                        &op_ptr,
                        format!(
                            "`additionalOperations` may not hold `{method}`, which has its own field; the `{}` field's operation is used",
                            method.to_ascii_lowercase()
                        ),
                    );
                    continue;
                }
                self.warning(
                    &op_ptr,
                    format!(
                        "`additionalOperations` may not hold `{method}`; read as the `{}` field",
                        method.to_ascii_lowercase()
                    ),
                );
            }
            if out.iter().any(|(m, ..)| m == method) {
                continue;
            }
            out.push((method.clone(), op, op_ptr));
        }
        out
    }
}

impl Cx<'_> {
    /// An operation has at most one `in: querystring` parameter, and no
    /// `in: query` ones beside it: a second is left out, and query
    /// parameters are sent after it, each with a warning.
    pub(super) fn check_query_string(&mut self, parameters: &mut Vec<super::Parameter<'_>>) {
        use super::ParamLocation::{Query, QueryString};
        let Some(first) = parameters.iter().position(|p| p.location == QueryString) else {
            return;
        };
        let name = parameters[first].name.clone();
        let mut i = 0;
        while i < parameters.len() {
            let p = &parameters[i];
            if p.location == QueryString && i != first {
                let (ptr, other) = (p.pointer.clone(), p.name.clone());
                self.warning(
                    &ptr,
                    format!("an operation has one querystring parameter; `{other}` is left out (`{name}` is the query string)"),
                );
                parameters.remove(i);
                continue;
            }
            if p.location == Query {
                let (ptr, other) = (p.pointer.clone(), p.name.clone());
                self.warning(
                    &ptr,
                    format!("query parameter `{other}` may not be used with querystring parameter `{name}`; both are sent, joined with `&`"),
                );
            }
            i += 1;
        }
    }
}

/// A 3.2 field no stage reads, and why.
struct Unused {
    what: &'static str,
    why: &'static str,
    first: String,
    count: usize,
}

/// Warns about the 3.2 fields of `root` a client has no use for: one
/// warning per kind, at its first occurrence, with how many there are.
pub fn check(root: &Value, file: &str, diags: &mut Diagnostics) {
    let mut found: Vec<Unused> = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    walk(root, &mut tokens, &mut found);
    for u in found {
        let more = match u.count {
            1 => String::new(),
            n => format!(" ({n} places)"),
        };
        diags.warning(
            file,
            &u.first,
            format!("{} is not used{more}: {}", u.what, u.why),
        );
    }
}

/// What a 3.2 field at `tokens` (the path to it) is, if one [`check`]
/// reports.
fn classify(tokens: &[String]) -> Option<(&'static str, &'static str)> {
    let n = tokens.len();
    let key = tokens.last()?.as_str();
    let parent = |i: usize| tokens.get(n.wrapping_sub(i + 1)).map(String::as_str);
    match (n, key) {
        (1, "$self") => Some((
            "`$self`",
            "`$ref`s are resolved against where the file was read from",
        )),
        (3, "summary" | "parent" | "kind") if parent(2) == Some("tags") => Some((
            "a tag's `summary`, `parent` or `kind`",
            "tags only select operations (and name Cargo features)",
        )),
        (_, "name") if parent(2) == Some("servers") => {
            Some(("a server's `name`", "servers are told apart by URL"))
        }
        (4, "deprecated" | "oauth2MetadataUrl")
            if parent(1).is_some() && parent(2) == Some("securitySchemes") =>
        {
            Some((
                "a security scheme's `deprecated` or `oauth2MetadataUrl`",
                "the client takes credentials as they are given",
            ))
        }
        (_, "deviceAuthorization") if parent(1) == Some("flows") => Some((
            "the OAuth 2 `deviceAuthorization` flow",
            "its tokens come from a token source the caller gives (`with_<scheme>_token_source`)",
        )),
        (_, "prefixEncoding" | "itemEncoding")
            if parent(2) == Some("content") || parent(2) == Some("mediaTypes") =>
        {
            Some((
                "positional multipart encoding (`prefixEncoding`, `itemEncoding`)",
                "multipart parts are encoded by name",
            ))
        }
        (_, "encoding" | "prefixEncoding" | "itemEncoding") if parent(2) == Some("encoding") => {
            Some((
                "nested `encoding` of an Encoding Object",
                "a part's own parts are encoded by the default rules",
            ))
        }
        (_, "serializedValue") if parent(2) == Some("examples") => Some((
            "an example's `serializedValue`",
            "examples are read from `dataValue` or `value`",
        )),
        _ => None,
    }
}

fn walk(v: &Value, tokens: &mut Vec<String>, found: &mut Vec<Unused>) {
    let children: Box<dyn Iterator<Item = (String, &Value)>> = match v {
        Value::Object(m) => Box::new(m.iter().map(|(k, v)| (k.clone(), v))),
        Value::Array(a) => Box::new(a.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        _ => return,
    };
    for (key, child) in children {
        tokens.push(key);
        // Schemas are not OpenAPI objects: their keys are keywords and
        // property names.
        let schema = matches!(
            tokens.last().map(String::as_str),
            Some("schema" | "itemSchema" | "schemas")
        );
        if let Some((what, why)) = classify(tokens) {
            let pointer: String = tokens
                .iter()
                .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
                .collect();
            match found.iter_mut().find(|u| u.what == what) {
                Some(u) => u.count += 1,
                None => found.push(Unused {
                    what,
                    why,
                    first: pointer,
                    count: 1,
                }),
            }
        } else if !schema {
            walk(child, tokens, found);
        }
        tokens.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(doc: Value) -> Vec<String> {
        let mut diags = Diagnostics::new();
        check(&doc, "api.yaml", &mut diags);
        diags.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn unused_fields_are_named_once_with_where_and_how_many() {
        let doc = serde_json::json!({
            "openapi": "3.2.0",
            "$self": "https://example.com/api.yaml",
            "tags": [
                {"name": "a", "summary": "A", "kind": "nav"},
                {"name": "b", "parent": "a"}
            ],
            "servers": [{"url": "https://x", "name": "prod"}],
            "components": {
                "schemas": {"S": {"properties": {"kind": {"type": "string"}, "$self": {}}}},
                "mediaTypes": {"M": {"itemEncoding": {"contentType": "image/png"}}}
            }
        });
        assert_eq!(
            warnings(doc),
            [
                "api.yaml: warning: `$self` is not used: `$ref`s are resolved against where the file was read from (at #/$self)",
                "api.yaml: warning: a tag's `summary`, `parent` or `kind` is not used (3 places): tags only select operations (and name Cargo features) (at #/tags/0/summary)",
                "api.yaml: warning: a server's `name` is not used: servers are told apart by URL (at #/servers/0/name)",
                "api.yaml: warning: positional multipart encoding (`prefixEncoding`, `itemEncoding`) is not used: multipart parts are encoded by name (at #/components/mediaTypes/M/itemEncoding)",
            ]
        );
    }

    #[test]
    fn query_and_additional_operations_are_read_with_their_methods() {
        let doc = serde_json::json!({
            "openapi": "3.2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "query": {"operationId": "find", "responses": {"200": {"summary": "found"}}},
                "post": {"operationId": "make", "responses": {"201": {"description": "made"}}},
                "additionalOperations": {
                    "COPY": {"operationId": "copy", "responses": {"201": {"description": "ok"}}},
                    "POST": {"operationId": "shadow", "responses": {"201": {"description": "ok"}}},
                    "PUT": {"operationId": "replace", "responses": {"204": {"description": "ok"}}},
                    "bad method": {"responses": {"204": {"description": "ok"}}}
                }
            }}
        });
        let (parsed, diags) = crate::spec::Document::from_value("api.json", &doc);
        let parsed = parsed.expect("a document");
        let methods: Vec<(&str, Option<&str>)> = parsed
            .operations
            .iter()
            .map(|o| (o.method.as_str(), o.operation_id.as_deref()))
            .collect();
        assert_eq!(
            methods,
            [
                ("POST", Some("make")),
                ("QUERY", Some("find")),
                ("COPY", Some("copy")),
                ("PUT", Some("replace")),
            ]
        );
        // A response with only a `summary` is described by it.
        assert_eq!(
            parsed.operations[1].responses[0].description.as_deref(),
            Some("found")
        );
        let messages: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                "api.json: warning: `additionalOperations` may not hold `POST`, which has its own field; the `post` field's operation is used (at #/paths/~1a/additionalOperations/POST)",
                "api.json: warning: `additionalOperations` may not hold `PUT`; read as the `put` field (at #/paths/~1a/additionalOperations/PUT)",
                "api.json: error: `bad method` is not an HTTP method (RFC 9110 token characters only) (at #/paths/~1a/additionalOperations/bad method)",
            ]
        );
    }

    #[test]
    fn query_is_a_field_of_3_2_path_items_only() {
        let doc = serde_json::json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"query": {"responses": {"200": {"description": "x"}}}}}
        });
        let (parsed, _) = crate::spec::Document::from_value("api.json", &doc);
        assert!(parsed.expect("a document").operations.is_empty());
    }

    #[test]
    fn method_tokens() {
        assert!(is_token("COPY") && is_token("x-custom.1"));
        assert!(!is_token("") && !is_token("CO PY") && !is_token("GET\r\n"));
    }
}
