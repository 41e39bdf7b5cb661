//! Tests of the generated code built from the description's own examples
//! ([`EmitOptions::example_tests`]): a `#[cfg(test)] mod example_tests`
//! appended to the generated module, with one `#[test]` per example that
//! [`crate::examples`] lists. Each test calls the runtime's
//! `example::assert_holds` with the example's JSON text and the places in
//! it where the generated type is known to lose data, which this module
//! finds by walking the example alongside the type (see
//! [`EmitOptions::example_tests`] for the rule). Runs after `ir`, beside
//! `emit`.
//!
//! [`EmitOptions::example_tests`]: crate::EmitOptions::example_tests

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::emit::{EmitOptions, Part};
use crate::examples::{Example, ExampleOf};
use crate::features::Gates;
use crate::ir::{Api, Presence, Ty, TypeKind};
use crate::options::UnknownFields;
use crate::spec::Document;

/// The test module for the examples of `doc`, formatted, or an empty
/// string when it documents none.
pub(crate) fn module(doc: &Document<'_>, api: &Api, opts: &EmitOptions) -> Result<String, String> {
    let examples = crate::examples::collect(doc, api, opts)?;
    if examples.is_empty() {
        return Ok(String::new());
    }
    let gates = if opts.tag_features {
        crate::features::plan(api)
    } else {
        Gates::default()
    };
    let rt = crate::options::parse_runtime(&opts.runtime).map_err(|e| e.to_string())?;
    let names = test_names(&examples);
    let mut tests = Vec::with_capacity(examples.len());
    let mut uses_types = false;
    for ((example, ty), name) in examples.iter().zip(names) {
        let mut walk = Walk::new(doc, api, opts);
        walk.ty(&example.value, ty, &mut String::new(), true, 0);
        let rust_type: syn::Type = syn::parse_str(&example.rust_type).map_err(|e| {
            format!(
                "internal error: the type `{}` of an example test does not parse ({e}); please report this",
                example.rust_type
            )
        })?;
        uses_types |= mentions_types(ty, api);
        let doc_line = format!(" `#{}`", visible(&example.pointer));
        let gate = gate(&gates, api, example, ty);
        let ignore = walk.ignore.as_ref().map(|why| quote!(#[ignore = #why]));
        let pointer = &example.pointer;
        let text = raw_string(&json_text(&example.value))?;
        let lists = [&walk.undeclared, &walk.single, &walk.respelled].map(|set| {
            let items = set.iter();
            quote!(&[#(#items),*])
        });
        let [undeclared, single, respelled] = lists;
        let name = format_ident!("{}", name);
        tests.push(quote! {
            #[doc = #doc_line]
            #gate
            #[test]
            #ignore
            fn #name() {
                let example = #rt::example::Example {
                    pointer: #pointer,
                    text: #text,
                    undeclared: #undeclared,
                    single: #single,
                    respelled: #respelled,
                };
                #rt::example::assert_holds::<#rust_type>(&example);
            }
        });
    }
    let import = uses_types.then(|| {
        // Every test that names `types` may be gated off.
        let allow = gates.is_active().then(|| quote!(#[allow(unused_imports)]));
        quote!(#allow use super::types;)
    });
    let tokens = quote! {
        /// Tests from the examples the API description documents: each
        /// decodes its example into the generated type and checks that it
        /// is written back the same (see `apigen_runtime::example`). The
        /// doc of each test is the JSON pointer of its example.
        #[cfg(test)]
        mod example_tests {
            #import
            #(#tests)*
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        format!("internal error: the example tests do not parse ({e}); please report this")
    })?;
    Ok(prettyplease::unparse(&file))
}

/// The name of each example's test: what it documents (`request_add_pet`,
/// `response_list_pets_200`, `schema_pet`), with `_example_{n}` when that
/// has several examples, unique.
fn test_names(examples: &[(Example, Ty)]) -> Vec<String> {
    let bases: Vec<String> = examples
        .iter()
        .map(|(e, _)| match &e.of {
            ExampleOf::Request { operation } => format!("request_{}", ident_part(operation)),
            ExampleOf::Response { operation, status } => {
                format!("response_{}_{}", ident_part(operation), ident_part(status))
            }
            ExampleOf::Schema { name } => format!("schema_{}", ident_part(name)),
        })
        .collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for base in &bases {
        *count.entry(base).or_default() += 1;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(bases.len());
    for base in &bases {
        let n = seen.entry(base).or_default();
        *n += 1;
        let mut name = if count[base.as_str()] > 1 {
            format!("{base}_example_{n}")
        } else {
            base.clone()
        };
        let mut k = 2;
        while taken.contains(&name) {
            name = format!("{base}_{k}");
            k += 1;
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

/// `text` in snake case, ASCII letters, digits and `_` only.
fn ident_part(text: &str) -> String {
    use heck::ToSnakeCase as _;
    let snake = text.trim_start_matches("r#").to_snake_case();
    let clean: String = snake
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let trimmed = clean.trim_matches('_');
    if trimmed.is_empty() {
        "x".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Whether the Rust type of `ty` names something in `types`.
fn mentions_types(ty: &Ty, api: &Api) -> bool {
    let mut any = false;
    ty.visit_named(&mut |id| {
        any |= api
            .types
            .get(id)
            .is_some_and(|t| !matches!(t.kind, TypeKind::Alias(Ty::External(_))));
    });
    any
}

/// The `#[cfg]` of the test of `example`: that of the operation it belongs
/// to, or of the schema's type (see [`crate::features`]).
fn gate(gates: &Gates, api: &Api, example: &Example, ty: &Ty) -> Option<TokenStream> {
    let part = match &example.of {
        ExampleOf::Request { operation } | ExampleOf::Response { operation, .. } => Part::OpMethod(
            api.operations
                .iter()
                .position(|op| &op.fn_name == operation)?,
        ),
        ExampleOf::Schema { .. } => {
            let mut id = None;
            ty.visit_named(&mut |found| id = id.or(Some(found)));
            Part::Type(id?)
        }
    };
    let cfg = gates.cfg(part)?;
    Some(quote!(#[cfg(#cfg)]))
}

/// The example as JSON text, indented, with the characters Rust refuses in
/// a literal (text direction controls) escaped as JSON escapes: they can
/// only be inside JSON strings, where the escape means the same.
fn json_text(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_direction_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The characters rustc's `text_direction_codepoint_in_literal` denies.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `text` with control and text direction characters shown as `\u{…}`,
/// for a doc comment.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_direction_control(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `text` as a raw string literal with as few `#` as keep it whole: one
/// more than the longest run of `#` after a `"` in it.
fn raw_string(text: &str) -> Result<TokenStream, String> {
    let mut hashes = 0;
    if text.contains('"') {
        for (i, _) in text.match_indices('"') {
            let run = text[i + 1..].chars().take_while(|&c| c == '#').count();
            hashes = hashes.max(run + 1);
        }
    }
    let fence = "#".repeat(hashes);
    let literal = format!("r{fence}\"{text}\"{fence}");
    literal.parse::<TokenStream>().map_err(|e| {
        format!("internal error: an example does not make a raw string ({e}); please report this")
    })
}

/// Walks an example alongside its type, finding the places where the
/// generated code is known to lose data (see
/// [`EmitOptions::example_tests`](crate::EmitOptions::example_tests)).
struct Walk<'d, 'a> {
    doc: &'d Document<'a>,
    api: &'d Api,
    keep_unknown: bool,
    /// Pointers (below the example) of keys no struct there declares or
    /// keeps.
    undeclared: BTreeSet<String>,
    /// Pointers of `f32` numbers.
    single: BTreeSet<String>,
    /// Pointers of dates, date-times and base64 strings.
    respelled: BTreeSet<String>,
    /// Why the example cannot decode because of a limit of apigen.
    ignore: Option<String>,
    /// Steps left: unions make the walk visit some values once per
    /// alternative.
    budget: usize,
}

impl<'d, 'a> Walk<'d, 'a> {
    fn new(doc: &'d Document<'a>, api: &'d Api, opts: &EmitOptions) -> Self {
        Walk {
            doc,
            api,
            keep_unknown: opts.unknown_fields == UnknownFields::Ignore,
            undeclared: BTreeSet::new(),
            single: BTreeSet::new(),
            respelled: BTreeSet::new(),
            ignore: None,
            budget: 1_000_000,
        }
    }

    /// `value` read as `ty` at pointer `at` (below the example). `sure`:
    /// this is the type the value is read as (not one alternative of an
    /// untagged union among others). `depth` counts steps that do not go
    /// down into the value (aliases).
    fn ty(&mut self, value: &Value, ty: &Ty, at: &mut String, sure: bool, depth: usize) {
        if self.budget == 0 || depth > 64 {
            return;
        }
        self.budget -= 1;
        match (ty, value) {
            (Ty::Option(_), Value::Null) => {}
            (Ty::Option(inner), _) => self.ty(value, inner, at, sure, depth + 1),
            (Ty::Vec(inner), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.below(at, &i.to_string(), |w, at| w.ty(item, inner, at, sure, 0));
                }
            }
            (Ty::Map(inner), Value::Object(map)) => {
                for (k, v) in map {
                    self.below(at, k, |w, at| w.ty(v, inner, at, sure, 0));
                }
            }
            (Ty::Tuple(first, rest), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(ty) = first.get(i).or(rest.as_deref()) else {
                        break;
                    };
                    self.below(at, &i.to_string(), |w, at| w.ty(item, ty, at, sure, 0));
                }
            }
            (Ty::F32, Value::Number(_)) => {
                self.single.insert(at.clone());
            }
            (Ty::DateTime | Ty::Date | Ty::Bytes, Value::String(_)) => {
                self.respelled.insert(at.clone());
            }
            (Ty::Named(id), _) => self.named(value, *id, at, sure, depth),
            _ => {}
        }
    }

    fn named(&mut self, value: &Value, id: usize, at: &mut String, sure: bool, depth: usize) {
        let Some(t) = self.api.types.get(id) else {
            return;
        };
        match (&t.kind, value) {
            (TypeKind::Struct(s), Value::Object(map)) => {
                for (k, v) in map {
                    match s.fields.iter().find(|f| &f.json_name == k) {
                        Some(f) if v.is_null() && f.presence != Presence::Required => {}
                        Some(f) => self.below(at, k, |w, at| w.ty(v, &f.ty, at, sure, 0)),
                        None => match &s.extra {
                            Some((_, extra)) => {
                                self.below(at, k, |w, at| w.ty(v, extra, at, sure, 0))
                            }
                            None if self.keep_unknown => {
                                self.below(at, k, |w, at| {
                                    w.undeclared.insert(at.clone());
                                });
                            }
                            None => {}
                        },
                    }
                }
            }
            (TypeKind::Struct(_), _) if sure && self.ignore.is_none() => {
                // A schema with `properties` and no `type` holds any
                // non-object too; the struct made of it does not.
                let untyped = self
                    .doc
                    .lookup(&t.pointer)
                    .is_some_and(|s| s.get("type").is_none());
                if untyped {
                    self.ignore = Some(format!(
                        "apigen limit: the value at `{}` is not an object, and the schema `{}` (properties without `type`) is read as one",
                        if at.is_empty() { "" } else { at.as_str() },
                        t.name
                    ));
                }
            }
            (TypeKind::Union(u), _) => {
                let tagged: Vec<&Ty> = match (&u.tag, value) {
                    (Some(tag), Value::Object(map)) => match map.get(tag).and_then(Value::as_str) {
                        Some(tag) => u
                            .variants
                            .iter()
                            .filter(|v| v.tags.iter().any(|t| t == tag))
                            .map(|v| &v.ty)
                            .collect(),
                        None => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                if tagged.is_empty() {
                    // Any alternative may be the one read.
                    for v in &u.variants {
                        self.ty(value, &v.ty, at, false, depth + 1);
                    }
                } else {
                    for ty in tagged {
                        self.ty(value, ty, at, sure, depth + 1);
                    }
                }
            }
            (TypeKind::Alias(ty), _) => self.ty(value, ty, at, sure, depth + 1),
            _ => {}
        }
    }

    /// Runs `f` with `at` extended by the key or index `token`.
    fn below(&mut self, at: &mut String, token: &str, f: impl FnOnce(&mut Self, &mut String)) {
        let len = at.len();
        at.push('/');
        at.push_str(&token.replace('~', "~0").replace('/', "~1"));
        f(self, at);
        at.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_strings_cannot_be_ended_by_their_text() {
        assert_eq!(raw_string("7").unwrap().to_string(), "r\"7\"");
        assert_eq!(raw_string("\"a\"").unwrap().to_string(), "r#\"\"a\"\"#");
        assert_eq!(
            raw_string("\"##x\"#").unwrap().to_string(),
            "r###\"\"##x\"#\"###"
        );
    }

    #[test]
    fn text_direction_controls_are_escaped() {
        let text = json_text(&Value::String("a\u{202E}b".into()));
        assert_eq!(text, "\"a\\u202eb\"");
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            Value::String("a\u{202E}b".into())
        );
    }

    #[test]
    fn names_say_what_is_documented_and_are_unique() {
        let example = |of: ExampleOf| {
            (
                Example {
                    pointer: String::new(),
                    of,
                    schema: String::new(),
                    rust_type: String::new(),
                    value: Value::Null,
                },
                Ty::Any,
            )
        };
        let response = || ExampleOf::Response {
            operation: "list_pets".into(),
            status: "4XX".into(),
        };
        let names = test_names(&[
            example(response()),
            example(ExampleOf::Schema { name: "Pet".into() }),
            example(response()),
            example(ExampleOf::Schema { name: "pet".into() }),
            example(ExampleOf::Request {
                operation: "r#type".into(),
            }),
            example(ExampleOf::Schema {
                name: "Pet example 1".into(),
            }),
            example(ExampleOf::Schema {
                name: "Owner".into(),
            }),
        ]);
        assert_eq!(
            names,
            [
                "response_list_pets_4xx_example_1",
                "schema_pet_example_1",
                "response_list_pets_4xx_example_2",
                "schema_pet_example_2",
                "request_type",
                "schema_pet_example_1_2",
                "schema_owner",
            ]
        );
    }
}
