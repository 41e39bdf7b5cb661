//! The examples an API description documents, each with the generated Rust
//! type that must hold it: `example` / `examples` of JSON request bodies and
//! responses (an `examples` entry may `$ref` one of `components/examples`),
//! and of component schemas. Reads the `spec` and `ir` stages; tools that
//! check generated code against the description's own data start here.
//!
//! An example is listed once, under the first operation that reaches it
//! (responses shared through `components/responses` are reached by many).
//! A `value` that is only a `$ref` to one of `components/examples` is, by
//! the letter of OpenAPI, a literal object; it is read as what its authors
//! meant, that example's value. Likewise an example of a JSON media type
//! written as a string holding JSON text (`example: '{"id": 1}'`) is read
//! as that JSON, unless its type is a string.
//! Examples of a media type whose schema is not the one the generated code
//! reads (an operation offering two JSON shapes), `externalValue`s, and
//! examples of replaced types are not listed.

use serde_json::Value;

use crate::diag::{Diagnostics, push_pointer};
use crate::emit::{EmitOptions, root_type};
use crate::ir::{Api, BodyKind, Payload, Ty, TypeKind};
use crate::load::Source;
use crate::resolve::Loader;
use crate::spec::{self, Document};

/// What a documented example is the value of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleOf {
    /// The JSON request body of the operation whose method is `operation`.
    Request {
        /// The `Client` method.
        operation: String,
    },
    /// A JSON response of the operation whose method is `operation`.
    Response {
        /// The `Client` method.
        operation: String,
        /// The status (`200`, `4XX`, `default`).
        status: String,
    },
    /// A component schema.
    Schema {
        /// Its name in the description.
        name: String,
    },
}

/// One documented example.
#[derive(Debug, Clone)]
pub struct Example {
    /// JSON pointer of the value in the (resolved) document, such as
    /// `/components/examples/repository/value`.
    pub pointer: String,
    /// What it is the value of.
    pub of: ExampleOf,
    /// JSON pointer of the schema the value is documented to match.
    pub schema: String,
    /// The generated type that must hold it, as the generated module names
    /// it at its root (`types::Repository`, `Vec<types::Issue>`).
    pub rust_type: String,
    /// The value.
    pub value: Value,
}

/// Every example of `source` (see the module doc), with the types the code
/// [`crate::generate_source_with`] writes with the same `opts` has.
pub fn examples(
    source: &Source,
    opts: &EmitOptions,
    loader: &mut dyn Loader,
) -> Result<Vec<Example>, Diagnostics> {
    let (resolved, mut diags) = crate::resolve::Resolved::resolve(source, loader);
    let failed = diags.has_errors();
    let (found, later) = crate::with_deep_stack(|| {
        let (doc, mut later) = Document::from_value(resolved.file(), resolved.value());
        let found = doc.and_then(|mut doc| {
            crate::select::select(&mut doc, opts, &mut later);
            let api = crate::ir::build_for(&doc, opts, &mut later)?;
            Some(collect(&doc, &api, opts).map(|found| found.into_iter().map(|(e, _)| e).collect()))
        });
        (found, later)
    });
    diags.extend(resolved.map_back(later));
    resolved.resolve_positions(&mut diags);
    match found {
        Some(Ok(found)) if !failed && !diags.has_errors() => Ok(found),
        Some(Err(message)) => {
            diags.error(&source.name, "", message);
            Err(diags)
        }
        _ => Err(diags),
    }
}

struct Collector<'d, 'a> {
    doc: &'d Document<'a>,
    api: &'d Api,
    opts: &'d EmitOptions,
    out: Vec<(Example, Ty)>,
}

/// Every example of `doc` (see the module doc), with the type that holds it.
pub(crate) fn collect(
    doc: &Document<'_>,
    api: &Api,
    opts: &EmitOptions,
) -> Result<Vec<(Example, Ty)>, String> {
    let mut c = Collector {
        doc,
        api,
        opts,
        out: Vec::new(),
    };
    for op in &api.operations {
        let Some(spec_op) = doc
            .operations
            .iter()
            .find(|o| o.method == op.method && o.path == op.path)
        else {
            continue;
        };
        if let (Some(body), Some(raw)) = (&op.body, &spec_op.request_body) {
            if let BodyKind::Json { ty, content_type } = &body.kind {
                let of = ExampleOf::Request {
                    operation: op.fn_name.clone(),
                };
                c.media(&raw.pointer, content_type, ty, &of)?;
            }
        }
        for case in op.successes.iter().chain(&op.errors) {
            let (Payload::Json(ty), Some(media_type)) = (&case.payload, &case.media_type) else {
                continue;
            };
            let Some(response) = spec_op.responses.iter().find(|r| r.status == case.status) else {
                continue;
            };
            let of = ExampleOf::Response {
                operation: op.fn_name.clone(),
                status: status_text(case.status),
            };
            c.media(&response.pointer, media_type, ty, &of)?;
        }
    }
    for (id, t) in api.types.iter().enumerate() {
        let Some(name) = t.pointer.strip_prefix("/components/schemas/") else {
            continue;
        };
        if name.contains('/') || matches!(t.kind, TypeKind::Alias(Ty::External(_))) {
            continue;
        }
        let ty = if t.nullable {
            Ty::Option(Box::new(Ty::Named(id)))
        } else {
            Ty::Named(id)
        };
        let of = ExampleOf::Schema {
            name: crate::diag::pointer_tokens(&t.pointer)
                .nth(2)
                .unwrap_or_default(),
        };
        c.schema(&t.pointer, &ty, &of)?;
    }
    Ok(c.out)
}

impl Collector<'_, '_> {
    /// The examples of media type `media_type` of the request body or
    /// response at `owner`, and of the other JSON media types there that
    /// have the same schema.
    fn media(
        &mut self,
        owner: &str,
        media_type: &str,
        ty: &Ty,
        of: &ExampleOf,
    ) -> Result<(), String> {
        let content_ptr = push_pointer(owner, "content");
        let Some(content) = self.doc.lookup(&content_ptr).and_then(Value::as_object) else {
            return Ok(());
        };
        let schema = content.get(media_type).and_then(|m| m.get("schema"));
        for (mt, media) in content {
            let same =
                mt == media_type || (spec::is_json_media_type(mt) && media.get("schema") == schema);
            if same {
                let ptr = push_pointer(&content_ptr, mt);
                let schema = schema_pointer(self.doc, &push_pointer(&ptr, "schema"));
                let at = At {
                    of,
                    ty,
                    schema: &schema,
                    media: true,
                };
                self.values(&ptr, media, &at)?;
            }
        }
        Ok(())
    }

    /// The `example` and `examples` of the schema at `pointer`: in 3.1 an
    /// array of values, in 3.0 (and `example`) one value.
    fn schema(&mut self, pointer: &str, ty: &Ty, of: &ExampleOf) -> Result<(), String> {
        let Some(schema) = self.doc.lookup(pointer) else {
            return Ok(());
        };
        let at = At {
            of,
            ty,
            schema: pointer,
            media: false,
        };
        if let Some(value) = schema.get("example") {
            self.push(push_pointer(pointer, "example"), value, &at)?;
        }
        if let Some(list) = schema.get("examples").and_then(Value::as_array) {
            let list_ptr = push_pointer(pointer, "examples");
            for (i, value) in list.iter().enumerate() {
                self.push(push_pointer(&list_ptr, &i.to_string()), value, &at)?;
            }
        }
        Ok(())
    }

    /// The `example` and the `examples` map of the media type object
    /// `media` at `pointer`.
    fn values(&mut self, pointer: &str, media: &Value, at: &At<'_>) -> Result<(), String> {
        if let Some(value) = media.get("example") {
            self.push(push_pointer(pointer, "example"), value, at)?;
        }
        let Some(map) = media.get("examples").and_then(Value::as_object) else {
            return Ok(());
        };
        let map_ptr = push_pointer(pointer, "examples");
        for (name, entry) in map {
            let mut entry_ptr = push_pointer(&map_ptr, name);
            let mut entry = entry;
            // An Example Object or a `$ref` to one (perhaps through others).
            for _ in 0..8 {
                let Some(target) = entry.get("$ref").and_then(Value::as_str) else {
                    break;
                };
                let Some(found) =
                    spec::local_ref_pointer(target).and_then(|p| Some((self.doc.lookup(&p)?, p)))
                else {
                    break;
                };
                (entry, entry_ptr) = found;
            }
            // 3.2's `dataValue` is the data itself, as `value` is for JSON.
            let key = if entry.get("dataValue").is_some() {
                "dataValue"
            } else {
                "value"
            };
            let Some(mut value) = entry.get(key) else {
                continue;
            };
            let mut value_ptr = push_pointer(&entry_ptr, key);
            // `value: {$ref: '#/components/examples/x'}`: a literal object by
            // the letter of OpenAPI, but meant as that example's value
            // (GitHub's description does this); read as meant.
            for _ in 0..8 {
                let target = value
                    .as_object()
                    .filter(|o| o.len() == 1)
                    .and_then(|o| o.get("$ref")?.as_str())
                    .and_then(spec::local_ref_pointer)
                    .filter(|p| p.starts_with("/components/examples/"));
                let Some(found) = target.and_then(|p| {
                    let v = self.doc.lookup(&p)?.get("value")?;
                    Some((v, push_pointer(&p, "value")))
                }) else {
                    break;
                };
                (value, value_ptr) = found;
            }
            self.push(value_ptr, value, at)?;
        }
        Ok(())
    }

    fn push(&mut self, pointer: String, value: &Value, at: &At<'_>) -> Result<(), String> {
        if self.out.iter().any(|(e, _)| e.pointer == pointer) {
            return Ok(());
        }
        let text_of_json = match (value, at.ty, at.media) {
            (Value::String(text), ty, true) if !matches!(ty, Ty::String | Ty::Any) => {
                serde_json::from_str::<Value>(text).ok()
            }
            _ => None,
        };
        let value = text_of_json.as_ref().unwrap_or(value);
        self.out.push((
            Example {
                pointer,
                of: at.of.clone(),
                schema: at.schema.to_owned(),
                rust_type: root_type(self.api, self.opts, at.ty)?,
                value: value.clone(),
            },
            at.ty.clone(),
        ));
        Ok(())
    }
}

/// Where examples found now belong: what they are the value of, the type
/// that holds them and the pointer of their schema.
struct At<'x> {
    of: &'x ExampleOf,
    ty: &'x Ty,
    schema: &'x str,
    /// Of a media type (not of a schema).
    media: bool,
}

/// The pointer of the schema at `pointer`, or of the schema its `$ref`s
/// lead to (through `$ref`-only schemas).
fn schema_pointer(doc: &Document<'_>, pointer: &str) -> String {
    let mut at = pointer.to_owned();
    for _ in 0..16 {
        let next = doc
            .lookup(&at)
            .filter(|v| v.as_object().is_some_and(|o| o.len() == 1))
            .and_then(|v| v.get("$ref")?.as_str())
            .and_then(spec::local_ref_pointer);
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// `200`, `4XX` or `default`.
fn status_text(status: spec::StatusKey) -> String {
    match status {
        spec::StatusKey::Code(c) => c.to_string(),
        spec::StatusKey::Range(d) => format!("{d}XX"),
        spec::StatusKey::Default => "default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Format;

    const SPEC: &str = r##"{
      "openapi": "3.1.0",
      "info": {"title": "t", "version": "1"},
      "paths": {
        "/pets": {
          "post": {
            "operationId": "addPet",
            "requestBody": {"content": {"application/json": {
              "schema": {"$ref": "#/components/schemas/Pet"},
              "example": "{\"name\": \"Tom\"}"
            }}},
            "responses": {
              "200": {"description": "ok", "content": {
                "application/json": {
                  "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                  "examples": {
                    "one": {"$ref": "#/components/examples/pets"},
                    "two": {"value": {"$ref": "#/components/examples/pets"}},
                    "far": {"externalValue": "https://example.com/pets.json"}
                  }
                },
                "application/vnd.pets+json": {
                  "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                  "example": [{"name": "Rex"}]
                },
                "application/vnd.other+json": {
                  "schema": {"type": "string"},
                  "example": "not a pet list"
                }
              }},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/cats": {
          "get": {"responses": {"404": {"$ref": "#/components/responses/NotFound"}}}
        }
      },
      "components": {
        "examples": {"pets": {"value": [{"name": "Tom"}]}},
        "responses": {"NotFound": {"description": "no", "content": {"application/json": {
          "schema": {"type": "string"}, "example": "{\"quoted\": true}"
        }}}},
        "schemas": {
          "Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}},
                  "examples": [{"name": "Felix"}]},
          "Id": {"type": "integer", "example": 7}
        }
      }
    }"##;

    #[test]
    fn every_kind_of_example_once_with_its_type() {
        let source = Source::parse("t.json", SPEC.to_owned(), Format::Json).unwrap();
        let found = examples(
            &source,
            &EmitOptions::default(),
            &mut crate::resolve::NoFiles,
        )
        .unwrap();
        let listed: Vec<(&str, &str, String)> = found
            .iter()
            .map(|e| {
                (
                    e.pointer.as_str(),
                    e.rust_type.as_str(),
                    e.value.to_string(),
                )
            })
            .collect();
        let media = "/paths/~1pets/post/responses/200/content";
        assert_eq!(
            listed,
            [
                (
                    "/paths/~1pets/post/requestBody/content/application~1json/example",
                    "types :: Pet",
                    // JSON text in a string, read as JSON.
                    r#"{"name":"Tom"}"#.to_owned()
                ),
                // `$ref` to an example, and a `value` that is one: once.
                (
                    "/components/examples/pets/value",
                    "Vec < types :: Pet >",
                    r#"[{"name":"Tom"}]"#.to_owned()
                ),
                (
                    &*format!("{media}/application~1vnd.pets+json/example"),
                    "Vec < types :: Pet >",
                    r#"[{"name":"Rex"}]"#.to_owned()
                ),
                // A string type keeps a string that holds JSON as it is.
                (
                    "/components/responses/NotFound/content/application~1json/example",
                    "String",
                    r#""{\"quoted\": true}""#.to_owned()
                ),
                (
                    "/components/schemas/Pet/examples/0",
                    "types :: Pet",
                    r#"{"name":"Felix"}"#.to_owned()
                ),
                (
                    "/components/schemas/Id/example",
                    "types :: Id",
                    "7".to_owned()
                ),
            ]
        );
        assert_eq!(found[1].schema, format!("{media}/application~1json/schema"));
        assert_eq!(found[4].schema, "/components/schemas/Pet");
        assert_eq!(
            found[0].of,
            ExampleOf::Request {
                operation: "add_pet".to_owned()
            }
        );
        assert_eq!(
            found[3].of,
            ExampleOf::Response {
                operation: "add_pet".to_owned(),
                status: "404".to_owned()
            }
        );
    }
}
