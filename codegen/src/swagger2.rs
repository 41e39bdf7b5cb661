//! Swagger 2.0 → OpenAPI 3.0, on the parsed document, so that the later
//! stages read one dialect and 2.0 specs get the same code as 3.x ones.
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `host`, `basePath`, `schemes` | `servers` (https first) |
//! | `definitions`, `parameters`, `responses` | `components.{schemas,parameters,responses}`, `$ref`s rewritten |
//! | `securityDefinitions` (basic, apiKey, oauth2) | `components.securitySchemes` (http basic, apiKey, oauth2) |
//! | `in: body` parameter | `requestBody`, one media type per `consumes` entry |
//! | `in: formData` parameters | `requestBody` with an object schema: `multipart/form-data` when one is `type: file`, else `application/x-www-form-urlencoded` (unless `consumes` says multipart) |
//! | `type`, `format`, `items`, … on a parameter or header | its `schema` |
//! | `collectionFormat` csv / ssv / pipes / multi | `style` form, simple, spaceDelimited, pipeDelimited / `explode` |
//! | response `schema` | `content`, one media type per `produces` entry |
//! | `x-nullable: true` | `nullable: true` (beside a `$ref`: `allOf: [$ref]` + `nullable`) |
//! | `type: file` | `type: string, format: binary` |
//!
//! Every part that moves is recorded in a [`PointerMap`], so a problem found
//! later is still reported at its place in the original document.

use serde_json::{Map, Value, json};

use crate::diag::{Diagnostics, push_pointer};
use crate::refs::{PointerMap, rewrite_refs};

/// Whether `v` is a Swagger 2.0 document (and not OpenAPI 3).
pub(crate) fn is_swagger2(v: &Value) -> bool {
    v.get("openapi").is_none()
        && matches!(v.get("swagger"), Some(Value::String(s)) if s.starts_with("2."))
}

/// The OpenAPI 3.0 document, where its parts came from, and the problems
/// met (with pointers into the 2.0 document).
pub(crate) struct Upgraded {
    pub value: Value,
    pub map: PointerMap,
    pub diags: Diagnostics,
}

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keywords of a 2.0 parameter, header or items object that belong to its
/// schema in 3.0.
const SCHEMA_KEYWORDS: [&str; 19] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "x-enum-varnames",
    "x-enumNames",
];

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const JSON: &str = "application/json";

/// Upgrades `root` (a Swagger 2.0 document; other files embedded under
/// `embed`). `file` names the root in diagnostics.
pub(crate) fn upgrade(root: &Value, file: &str, embed: &str) -> Upgraded {
    let mut up = Up {
        root,
        file,
        map: PointerMap::default(),
        diags: Diagnostics::new(),
        consumes: Vec::new(),
        produces: Vec::new(),
    };
    let empty = Map::new();
    let obj = root.as_object().unwrap_or(&empty);
    up.consumes = up
        .media_types(obj.get("consumes"), "/consumes")
        .unwrap_or_default();
    up.produces = up
        .media_types(obj.get("produces"), "/produces")
        .unwrap_or_default();

    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    up.map.add("/openapi", "/swagger");
    for key in ["info", "externalDocs", "tags"] {
        if let Some(v) = obj.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(servers) = up.servers(obj) {
        out.insert("servers".into(), servers);
    }
    if let Some(v) = obj.get("security") {
        out.insert("security".into(), v.clone());
    }
    if let Some(paths) = obj.get("paths") {
        out.insert("paths".into(), up.paths(paths));
    }
    let components = up.components(obj);
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    for (k, v) in obj {
        if k.starts_with("x-") && k != embed {
            out.insert(k.clone(), v.clone());
        }
    }
    let mut value = Value::Object(out);
    let mut rewrite = |r: &str| {
        for (from, to) in [
            ("#/definitions/", "#/components/schemas/"),
            ("#/parameters/", "#/components/parameters/"),
            ("#/responses/", "#/components/responses/"),
        ] {
            if let Some(rest) = r.strip_prefix(from) {
                return Some(format!("{to}{rest}"));
            }
        }
        None
    };
    rewrite_refs(&mut value, &mut rewrite);
    // The other files: written for 2.0 too. Their references to the root's
    // definitions were made local (`#/definitions/…`) when they were
    // embedded.
    if let Some(Value::Object(files)) = obj.get(embed) {
        let embed_ptr = push_pointer("", embed);
        let mut files = files.clone();
        for (key, v) in files.iter_mut() {
            let at = push_pointer(&embed_ptr, key);
            up.fix_schema(v, &at, &at, false);
            rewrite_refs(v, &mut rewrite);
        }
        if let Value::Object(map) = &mut value {
            map.insert(embed.to_owned(), Value::Object(files));
        }
    }
    Upgraded {
        value,
        map: up.map,
        diags: up.diags,
    }
}

struct Up<'a> {
    root: &'a Value,
    file: &'a str,
    /// Pointers of the new document → pointers of the 2.0 one.
    map: PointerMap,
    diags: Diagnostics,
    /// The document's `consumes` and `produces`.
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// A 2.0 parameter, after following `$ref`s: the object and its pointer.
#[derive(Clone)]
struct Param<'a> {
    value: &'a Value,
    at: String,
}

impl Param<'_> {
    fn location(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }

    fn required(&self) -> bool {
        self.value.get("required").and_then(Value::as_bool) == Some(true)
    }

    fn is_body(&self) -> bool {
        matches!(self.location(), "body" | "formData")
    }
}

impl<'a> Up<'a> {
    fn warning(&mut self, pointer: &str, msg: impl Into<String>) {
        self.diags.warning(self.file, pointer, msg);
    }

    fn error(&mut self, pointer: &str, msg: impl Into<String>) {
        self.diags.error(self.file, pointer, msg);
    }

    /// Follows local `$ref`s; `None` (the value is kept as it is, for the
    /// later stages to report) when one points to nothing or loops.
    fn follow(&self, mut v: &'a Value, at: &str) -> Option<(&'a Value, String)> {
        let mut at = at.to_owned();
        for _ in 0..32 {
            let Some(r) = v.get("$ref").and_then(Value::as_str) else {
                return Some((v, at));
            };
            let target = crate::spec::local_ref_pointer(r)?;
            v = crate::diag::lookup(self.root, &target)?;
            at = target;
        }
        None
    }

    fn media_types(&mut self, v: Option<&Value>, ptr: &str) -> Option<Vec<String>> {
        let v = v?;
        let list = v.as_array().and_then(|a| {
            a.iter()
                .map(|m| m.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
        });
        if list.is_none() {
            let key = ptr.rsplit('/').next().unwrap_or(ptr);
            self.error(ptr, format!("`{key}` must be an array of media types"));
        }
        list
    }

    // -- servers -------------------------------------------------------------

    fn servers(&mut self, obj: &Map<String, Value>) -> Option<Value> {
        let host = obj.get("host").and_then(Value::as_str);
        let base = obj
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/');
        let base = if base.is_empty() || base.starts_with('/') {
            base.to_owned()
        } else {
            format!("/{base}")
        };
        let from = if host.is_some() { "/host" } else { "/basePath" };
        let urls: Vec<String> = match host {
            Some(host) => {
                let mut schemes: Vec<&str> = obj
                    .get("schemes")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .filter(|s| matches!(*s, "http" | "https"))
                            .collect()
                    })
                    .unwrap_or_default();
                // The first server is the client's default: prefer TLS.
                schemes.sort_by_key(|s| *s != "https");
                schemes.dedup();
                if schemes.is_empty() {
                    schemes.push("https");
                }
                schemes
                    .iter()
                    .map(|s| format!("{s}://{host}{base}"))
                    .collect()
            }
            None if base.is_empty() => return None,
            None => vec![base],
        };
        self.map.add("/servers", from);
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    // -- components ----------------------------------------------------------

    fn components(&mut self, obj: &'a Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(defs) = self.named(obj, "definitions") {
            let mut schemas = Map::new();
            for (name, s) in defs {
                let new = push_pointer("/components/schemas", name);
                let old = push_pointer("/definitions", name);
                self.map.add(&new, &old);
                let mut s = s.clone();
                self.fix_schema(&mut s, &new, &old, false);
                schemas.insert(name.clone(), s);
            }
            out.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(params) = self.named(obj, "parameters") {
            let mut list = Map::new();
            for (name, p) in params {
                let old = push_pointer("/parameters", name);
                let Some((value, at)) = self.follow(p, &old) else {
                    self.map
                        .add(&push_pointer("/components/parameters", name), &old);
                    list.insert(name.clone(), p.clone());
                    continue;
                };
                let p = Param { value, at };
                // Body and form parameters become request bodies where used.
                if p.is_body() {
                    continue;
                }
                let new = push_pointer("/components/parameters", name);
                let converted = self.parameter(&p, &new);
                list.insert(name.clone(), converted);
            }
            out.insert("parameters".into(), Value::Object(list));
        }
        if let Some(responses) = self.named(obj, "responses") {
            let mut list = Map::new();
            let produces = self.produces.clone();
            for (name, r) in responses {
                let new = push_pointer("/components/responses", name);
                let old = push_pointer("/responses", name);
                let converted = self.response(r, &new, &old, &produces);
                list.insert(name.clone(), converted);
            }
            out.insert("responses".into(), Value::Object(list));
        }
        if let Some(defs) = self.named(obj, "securityDefinitions") {
            let mut list = Map::new();
            for (name, d) in defs {
                let new = push_pointer("/components/securitySchemes", name);
                let old = push_pointer("/securityDefinitions", name);
                self.map.add(&new, &old);
                list.insert(name.clone(), security_scheme(d));
            }
            out.insert("securitySchemes".into(), Value::Object(list));
        }
        out
    }

    /// A top-level map of named objects, or an error if it is not a map.
    fn named(&mut self, obj: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
        let v = obj.get(key)?;
        let map = v.as_object();
        if map.is_none() {
            self.error(
                &push_pointer("", key),
                format!("`{key}` must be an object keyed by name"),
            );
        }
        map
    }

    // -- paths ---------------------------------------------------------------

    fn paths(&mut self, paths: &'a Value) -> Value {
        let Some(paths) = paths.as_object() else {
            // Reported by the later stages, as for 3.x.
            return paths.clone();
        };
        let mut out = Map::new();
        for (path, raw) in paths {
            let ptr = push_pointer("/paths", path);
            if path.starts_with("x-") {
                continue;
            }
            let Some((item, at)) = self.follow(raw, &ptr) else {
                out.insert(path.clone(), raw.clone());
                continue;
            };
            self.map.add(&ptr, &at);
            out.insert(path.clone(), self.path_item(item, &ptr, &at));
        }
        Value::Object(out)
    }

    fn path_item(&mut self, item: &'a Value, new: &str, at: &str) -> Value {
        let Some(obj) = item.as_object() else {
            return item.clone();
        };
        let mut out = Map::new();
        let (shared, inherited) = self.parameters(obj.get("parameters"), new, at, &[]);
        if let Some(shared) = shared {
            out.insert("parameters".into(), shared);
        }
        for (k, v) in obj {
            if METHODS.contains(&k.as_str()) {
                let op_new = push_pointer(new, k);
                let op_at = push_pointer(at, k);
                out.insert(k.clone(), self.operation(v, &op_new, &op_at, &inherited));
            } else if !matches!(k.as_str(), "parameters" | "$ref") {
                out.insert(k.clone(), v.clone());
            }
        }
        Value::Object(out)
    }

    /// Converts a parameter list: the 3.0 list (`None` if the 2.0 one was
    /// absent) and the body and form parameters, which become a request
    /// body. `inherited` are the path item's body and form parameters.
    fn parameters(
        &mut self,
        v: Option<&'a Value>,
        new_owner: &str,
        owner: &str,
        inherited: &[Param<'a>],
    ) -> (Option<Value>, Vec<Param<'a>>) {
        let mut bodies: Vec<Param<'a>> = Vec::new();
        let Some(v) = v else {
            return (None, inherited.to_vec());
        };
        let list_at = push_pointer(owner, "parameters");
        let Some(list) = v.as_array() else {
            // Reported by the later stages.
            return (Some(v.clone()), inherited.to_vec());
        };
        let new_list = push_pointer(new_owner, "parameters");
        self.map.add(&new_list, &list_at);
        let mut out = Vec::new();
        for (i, raw) in list.iter().enumerate() {
            let at = format!("{list_at}/{i}");
            let Some((value, target)) = self.follow(raw, &at) else {
                self.map.add(&format!("{new_list}/{}", out.len()), &at);
                out.push(raw.clone());
                continue;
            };
            let p = Param { value, at: target };
            if p.is_body() {
                bodies.push(p);
                continue;
            }
            let new = format!("{new_list}/{}", out.len());
            if raw.get("$ref").is_some() && p.at.starts_with("/parameters/") {
                // A shared parameter: stays a reference to its component.
                self.map.add(&new, &at);
                out.push(raw.clone());
            } else {
                out.push(self.parameter(&p, &new));
            }
        }
        // The path item's body and form parameters apply unless redefined.
        for p in inherited {
            let overridden = bodies.iter().any(|b| {
                (b.location() == "body" && p.location() == "body")
                    || (b.location() == p.location() && b.name() == p.name())
            });
            if !overridden {
                bodies.push(p.clone());
            }
        }
        (Some(Value::Array(out)), bodies)
    }

    /// A non-body parameter: its type keywords move into `schema`, and
    /// `collectionFormat` becomes `style` and `explode`.
    fn parameter(&mut self, p: &Param<'a>, new: &str) -> Value {
        self.map.add(new, &p.at);
        self.map.add(&push_pointer(new, "schema"), &p.at);
        let Some(obj) = p.value.as_object() else {
            return p.value.clone();
        };
        let mut out = Map::new();
        for (k, v) in obj {
            if !SCHEMA_KEYWORDS.contains(&k.as_str())
                && !matches!(k.as_str(), "collectionFormat" | "allowEmptyValue")
            {
                out.insert(k.clone(), v.clone());
            }
        }
        out.insert("schema".into(), self.simple_schema(p.value, &p.at));
        if let Some((style, explode)) = self.style(p.value, p.location(), &p.at) {
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        Value::Object(out)
    }

    /// The schema of a 2.0 parameter, header or items object.
    fn simple_schema(&mut self, v: &Value, at: &str) -> Value {
        let Some(obj) = v.as_object() else {
            return json!({});
        };
        let mut out = Map::new();
        for (k, val) in obj {
            if !SCHEMA_KEYWORDS.contains(&k.as_str()) {
                continue;
            }
            match k.as_str() {
                "items" => {
                    let items = self.simple_schema(val, &push_pointer(at, "items"));
                    out.insert("items".into(), items);
                }
                _ => {
                    out.insert(k.clone(), val.clone());
                }
            }
        }
        let mut schema = Value::Object(out);
        self.fix_schema(&mut schema, at, at, false);
        schema
    }

    /// `collectionFormat` of an array parameter as 3.0 `style` and `explode`.
    fn style(&mut self, p: &Value, location: &str, at: &str) -> Option<(&'static str, bool)> {
        if p.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = p
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let query = matches!(location, "query" | "formData");
        let csv = if query {
            ("form", false)
        } else {
            ("simple", false)
        };
        let cf_at = push_pointer(at, "collectionFormat");
        Some(match (format, query) {
            ("csv", _) => csv,
            ("multi", true) => ("form", true),
            ("ssv", true) => ("spaceDelimited", false),
            ("pipes", true) => ("pipeDelimited", false),
            ("tsv", _) => {
                self.warning(
                    &cf_at,
                    "`collectionFormat: tsv` has no OpenAPI 3 equivalent; values are sent comma-separated",
                );
                csv
            }
            (other @ ("multi" | "ssv" | "pipes"), false) => {
                self.warning(
                    &cf_at,
                    format!(
                        "`collectionFormat: {other}` is not possible in a {location} parameter; values are sent comma-separated"
                    ),
                );
                csv
            }
            (other, _) => {
                self.warning(
                    &cf_at,
                    format!("unknown `collectionFormat: {other}`; values are sent comma-separated"),
                );
                csv
            }
        })
    }

    fn operation(&mut self, op: &'a Value, new: &str, at: &str, inherited: &[Param<'a>]) -> Value {
        let Some(obj) = op.as_object() else {
            return op.clone();
        };
        let consumes = self
            .media_types(obj.get("consumes"), &push_pointer(at, "consumes"))
            .unwrap_or_else(|| self.consumes.clone());
        let produces = self
            .media_types(obj.get("produces"), &push_pointer(at, "produces"))
            .unwrap_or_else(|| self.produces.clone());
        let mut out = Map::new();
        let (params, bodies) = self.parameters(obj.get("parameters"), new, at, inherited);
        for (k, v) in obj {
            match k.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" => {
                    if let Some(p) = &params {
                        out.insert(k.clone(), p.clone());
                    }
                }
                "responses" => {
                    let rnew = push_pointer(new, "responses");
                    let rat = push_pointer(at, "responses");
                    out.insert(k.clone(), self.responses(v, &rnew, &rat, &produces));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        if let Some(body) = self.request_body(&bodies, new, at, &consumes) {
            out.insert("requestBody".into(), body);
        }
        Value::Object(out)
    }

    fn request_body(
        &mut self,
        bodies: &[Param<'a>],
        new: &str,
        at: &str,
        consumes: &[String],
    ) -> Option<Value> {
        let body: Vec<&Param<'a>> = bodies.iter().filter(|p| p.location() == "body").collect();
        let form: Vec<&Param<'a>> = bodies
            .iter()
            .filter(|p| p.location() == "formData")
            .collect();
        let new_body = push_pointer(new, "requestBody");
        if let Some(extra) = body.get(1) {
            self.error(
                &extra.at,
                "an operation can have only one `in: body` parameter",
            );
        }
        if let (Some(_), Some(f)) = (body.first(), form.first()) {
            self.error(
                &f.at,
                "an operation cannot have both `in: body` and `in: formData` parameters",
            );
        }
        if let Some(b) = body.first() {
            self.map.add(&new_body, &b.at);
            let schema_at = push_pointer(&b.at, "schema");
            let mut schema = b.value.get("schema").cloned().unwrap_or_else(|| json!({}));
            let types: Vec<String> = if consumes.is_empty() {
                vec![JSON.to_owned()]
            } else {
                consumes.to_vec()
            };
            let content_at = push_pointer(&new_body, "content");
            for mt in &types {
                let s_new = push_pointer(&push_pointer(&content_at, mt), "schema");
                self.map.add(&s_new, &schema_at);
            }
            if let Some(first) = types.first() {
                let s_new = push_pointer(&push_pointer(&content_at, first), "schema");
                self.fix_schema(&mut schema, &s_new, &schema_at, false);
            }
            let content: Map<String, Value> = types
                .iter()
                .map(|mt| (mt.clone(), json!({ "schema": schema })))
                .collect();
            let mut out = Map::new();
            if let Some(d) = b.value.get("description") {
                out.insert("description".into(), d.clone());
            }
            out.insert("content".into(), Value::Object(content));
            out.insert("required".into(), b.required().into());
            return Some(Value::Object(out));
        }
        let first = form.first()?;
        let has_file = form
            .iter()
            .any(|p| p.value.get("type").and_then(Value::as_str) == Some("file"));
        let mt = if has_file
            || (consumes.iter().any(|m| m == MULTIPART) && !consumes.iter().any(|m| m == FORM))
        {
            MULTIPART
        } else {
            FORM
        };
        self.map.add(&new_body, &first.at);
        let schema_new = push_pointer(
            &push_pointer(&push_pointer(&new_body, "content"), mt),
            "schema",
        );
        self.map.add(&schema_new, &push_pointer(at, "parameters"));
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for p in &form {
            let name = p.name().to_owned();
            let prop_new = push_pointer(&push_pointer(&schema_new, "properties"), &name);
            self.map.add(&prop_new, &p.at);
            let mut schema = self.simple_schema(p.value, &p.at);
            if let (Some(d), Value::Object(s)) = (p.value.get("description"), &mut schema) {
                s.insert("description".into(), d.clone());
            }
            if let Some((style, explode)) = self.style(p.value, "formData", &p.at) {
                if (style, explode) != ("form", true) {
                    encoding.insert(name.clone(), json!({ "style": style, "explode": explode }));
                }
            }
            if p.required() {
                required.push(Value::String(name.clone()));
            }
            properties.insert(name, schema);
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required.clone()));
        }
        let mut media = Map::new();
        media.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            media.insert("encoding".into(), Value::Object(encoding));
        }
        Some(json!({
            "content": { mt: media },
            "required": !required.is_empty(),
        }))
    }

    fn responses(&mut self, v: &'a Value, new: &str, at: &str, produces: &[String]) -> Value {
        let Some(map) = v.as_object() else {
            return v.clone();
        };
        let mut out = Map::new();
        for (status, r) in map {
            if status.starts_with("x-") {
                continue;
            }
            let r_new = push_pointer(new, status);
            let r_at = push_pointer(at, status);
            out.insert(status.clone(), self.response(r, &r_new, &r_at, produces));
        }
        Value::Object(out)
    }

    fn response(&mut self, r: &'a Value, new: &str, at: &str, produces: &[String]) -> Value {
        let Some((value, target)) = self.follow(r, at) else {
            self.map.add(new, at);
            return r.clone();
        };
        if r.get("$ref").is_some() && target.starts_with("/responses/") {
            // A shared response: stays a reference to its component.
            self.map.add(new, at);
            return r.clone();
        }
        self.map.add(new, &target);
        let Some(obj) = value.as_object() else {
            return value.clone();
        };
        let mut out = Map::new();
        for (k, v) in obj {
            match k.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    let Some(headers) = v.as_object() else {
                        continue;
                    };
                    let mut list = Map::new();
                    for (name, h) in headers {
                        let h_at = push_pointer(&push_pointer(&target, "headers"), name);
                        let h_new = push_pointer(&push_pointer(new, "headers"), name);
                        self.map.add(&h_new, &h_at);
                        self.map.add(&push_pointer(&h_new, "schema"), &h_at);
                        let mut header = Map::new();
                        if let Some(d) = h.get("description") {
                            header.insert("description".into(), d.clone());
                        }
                        header.insert("schema".into(), self.simple_schema(h, &h_at));
                        list.insert(name.clone(), Value::Object(header));
                    }
                    out.insert("headers".into(), Value::Object(list));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        if let Some(schema) = obj.get("schema") {
            let schema_at = push_pointer(&target, "schema");
            let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
            let types: Vec<String> = if is_file {
                let binary: Vec<String> = produces
                    .iter()
                    .filter(|m| !crate::spec::is_json_media_type(m))
                    .cloned()
                    .collect();
                if binary.is_empty() {
                    vec!["application/octet-stream".to_owned()]
                } else {
                    binary
                }
            } else if produces.is_empty() {
                vec![JSON.to_owned()]
            } else {
                produces.to_vec()
            };
            let content_new = push_pointer(new, "content");
            let mut schema = schema.clone();
            for mt in &types {
                self.map.add(
                    &push_pointer(&push_pointer(&content_new, mt), "schema"),
                    &schema_at,
                );
            }
            if let Some(first) = types.first() {
                let s_new = push_pointer(&push_pointer(&content_new, first), "schema");
                self.fix_schema(&mut schema, &s_new, &schema_at, false);
            }
            let content: Map<String, Value> = types
                .iter()
                .map(|mt| (mt.clone(), json!({ "schema": schema })))
                .collect();
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    // -- schemas -------------------------------------------------------------

    /// Rewrites the 2.0 spellings inside a schema (`x-nullable`, `type:
    /// file`, a string `discriminator`). `new` and `old` are its pointers in
    /// the new and the 2.0 document; `names` says `v` is a map of names
    /// (`properties`) rather than a schema.
    fn fix_schema(&mut self, v: &mut Value, new: &str, old: &str, names: bool) {
        match v {
            Value::Object(map) => {
                if !names && fix_one(map) {
                    // `{$ref, x-nullable}` moved the reference down.
                    self.map
                        .add(&push_pointer(&push_pointer(new, "allOf"), "0"), old);
                }
                for (k, child) in map.iter_mut() {
                    if !names
                        && (matches!(
                            k.as_str(),
                            "example" | "examples" | "enum" | "const" | "default"
                        ) || k.starts_with("x-"))
                    {
                        continue;
                    }
                    let child_names = !names
                        && matches!(
                            k.as_str(),
                            "properties" | "patternProperties" | "definitions" | "$defs"
                        );
                    self.fix_schema(
                        child,
                        &push_pointer(new, k),
                        &push_pointer(old, k),
                        child_names,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.fix_schema(child, &format!("{new}/{i}"), &format!("{old}/{i}"), false);
                }
            }
            _ => {}
        }
    }
}

/// The 2.0 spellings of one schema object; true if a `$ref` was moved into
/// `allOf`.
fn fix_one(map: &mut Map<String, Value>) -> bool {
    let mut wrapped = false;
    if let Some(n) = map.remove("x-nullable") {
        if n == Value::Bool(true) {
            if let Some(r) = map.remove("$ref") {
                // 3.0 ignores keywords beside `$ref`: wrap it.
                map.insert("allOf".into(), json!([{ "$ref": r }]));
                wrapped = true;
            }
            map.insert("nullable".into(), true.into());
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), "string".into());
        map.insert("format".into(), "binary".into());
    }
    if let Some(Value::String(tag)) = map.get("discriminator") {
        let tag = tag.clone();
        map.insert("discriminator".into(), json!({ "propertyName": tag }));
    }
    wrapped
}

/// A Swagger 2.0 security definition as an OpenAPI 3 security scheme.
fn security_scheme(d: &Value) -> Value {
    let Some(obj) = d.as_object() else {
        return d.clone();
    };
    let mut out = Map::new();
    match obj.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), "http".into());
            out.insert("scheme".into(), "basic".into());
        }
        Some("oauth2") => {
            out.insert("type".into(), "oauth2".into());
            let flow = match obj.get("flow").and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut f = Map::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(v) = obj.get(key) {
                    f.insert(key.into(), v.clone());
                }
            }
            out.insert("flows".into(), json!({ flow: f }));
        }
        _ => {
            // apiKey (name, in) and unknown types (reported later) as they are.
            for (k, v) in obj {
                if k != "description" {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if let Some(d) = obj.get("description") {
        out.insert("description".into(), d.clone());
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(v: Value) -> Upgraded {
        upgrade(&v, "t.json", "x-apigen-files")
    }

    #[test]
    fn servers_come_from_host_base_path_and_schemes() {
        let u = up(
            json!({"swagger": "2.0", "host": "api.x.io", "basePath": "/v2/",
                          "schemes": ["http", "https"], "paths": {}}),
        );
        assert_eq!(
            u.value["servers"],
            json!([{"url": "https://api.x.io/v2"}, {"url": "http://api.x.io/v2"}])
        );
        let u = up(json!({"swagger": "2.0", "basePath": "/v1", "paths": {}}));
        assert_eq!(u.value["servers"], json!([{"url": "/v1"}]));
        let u = up(json!({"swagger": "2.0", "paths": {}}));
        assert!(u.value.get("servers").is_none());
    }

    #[test]
    fn body_and_form_parameters_become_request_bodies() {
        let u = up(json!({
            "swagger": "2.0", "consumes": ["application/json", "application/xml"],
            "paths": {"/p/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}],
                "post": {"parameters": [
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"},
                     "collectionFormat": "pipes"},
                    {"name": "body", "in": "body", "required": true,
                     "schema": {"$ref": "#/definitions/Pet"}}],
                    "responses": {"200": {"description": "ok", "schema": {"type": "file"}}}},
                "put": {"parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": true},
                    {"name": "note", "in": "formData", "type": "string", "x-nullable": true}],
                    "responses": {"204": {"description": "ok"}}}}},
            "definitions": {"Pet": {"type": "object"}}
        }));
        let v = &u.value;
        let post = &v["paths"]["/p/{id}"]["post"];
        assert_eq!(post["parameters"][0]["style"], "pipeDelimited");
        assert_eq!(post["parameters"][0]["schema"]["items"]["type"], "string");
        assert_eq!(post["parameters"].as_array().unwrap().len(), 1);
        assert_eq!(
            post["requestBody"]["content"]["application/xml"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(post["requestBody"]["required"], true);
        assert_eq!(
            post["responses"]["200"]["content"]["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        let put = &v["paths"]["/p/{id}"]["put"]["requestBody"];
        let schema = &put["content"]["multipart/form-data"]["schema"];
        assert_eq!(schema["properties"]["file"]["format"], "binary");
        assert_eq!(schema["properties"]["note"]["nullable"], true);
        assert_eq!(schema["required"], json!(["file"]));
        assert_eq!(
            v["paths"]["/p/{id}"]["parameters"][0]["schema"]["type"],
            "integer"
        );

        let m = &u.map;
        assert_eq!(
            m.map("/paths/~1p~1{id}/post/requestBody/content/application~1xml/schema/$ref"),
            "/paths/~1p~1{id}/post/parameters/1/schema/$ref"
        );
        assert_eq!(
            m.map("/paths/~1p~1{id}/put/requestBody/content/multipart~1form-data/schema/properties/note"),
            "/paths/~1p~1{id}/put/parameters/1"
        );
        assert_eq!(
            m.map("/paths/~1p~1{id}/post/parameters/0/schema/items"),
            "/paths/~1p~1{id}/post/parameters/0/items"
        );
        assert_eq!(m.map("/components/schemas/Pet"), "/definitions/Pet");
    }

    #[test]
    fn nullable_references_are_wrapped() {
        let u = up(json!({"swagger": "2.0", "paths": {}, "definitions": {
            "A": {"type": "object", "properties": {
                "b": {"$ref": "#/definitions/B", "x-nullable": true}}},
            "B": {"type": "string"}}}));
        assert_eq!(
            u.value["components"]["schemas"]["A"]["properties"]["b"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
        );
        assert_eq!(
            u.map.map("/components/schemas/A/properties/b/allOf/0/$ref"),
            "/definitions/A/properties/b/$ref"
        );
    }
}
