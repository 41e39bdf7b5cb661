//! Stage 2, `spec`: `serde_json::Value` → a typed OpenAPI [`Document`].
//!
//! OpenAPI 3.0, 3.1 and 3.2 are read into one model. Parameters, request bodies and
//! responses given as local `$ref`s are resolved here; schemas stay borrowed
//! from the parsed value as [`SchemaRef`]s (the `ir` stage interprets them),
//! so nothing is cloned. Every problem is collected with its JSON pointer.

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, push_pointer};
use crate::load::Source;

// Path templates carrying a query (`/search?q={query}`).
mod query_paths;
// What OpenAPI 3.2 adds that no other part reads: used or warned about.
pub mod oas32;
pub use query_paths::TemplateQuery;

/// The OpenAPI dialect of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// OpenAPI 3.0.x (`nullable`, JSON Schema draft-04-ish).
    V3_0,
    /// OpenAPI 3.1.x (JSON Schema 2020-12; `type` arrays).
    V3_1,
    /// OpenAPI 3.2.x: 3.1's schemas, plus `itemSchema`, the `QUERY` method
    /// and `additionalOperations`, `in: querystring` and the other
    /// additions (see [`oas32`]).
    V3_2,
}

/// A schema inside the document: where it is and its raw JSON.
#[derive(Debug, Clone)]
pub struct SchemaRef<'a> {
    /// JSON pointer of the schema (without the leading `#`).
    pub pointer: String,
    /// The schema value.
    pub value: &'a Value,
}

/// A parsed OpenAPI document.
#[derive(Debug)]
pub struct Document<'a> {
    /// The name of the file the document was read from.
    pub file: &'a str,
    /// The whole document (with any other files it refers to embedded, see
    /// [`crate::resolve`]).
    pub root: &'a Value,
    /// Dialect.
    pub version: Version,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub api_version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers`, in order.
    pub servers: Vec<Server>,
    /// `components.securitySchemes`, in document order.
    pub security_schemes: Vec<SecuritySchemeDef>,
    /// Top-level `security`: alternatives, each a list of scheme names with
    /// the scopes (roles) they require.
    pub security: Vec<Vec<Requirement>>,
    /// `components.schemas`, in document order: (name, schema).
    pub schemas: Vec<(&'a str, SchemaRef<'a>)>,
    /// Every operation, in document order.
    pub operations: Vec<Operation<'a>>,
}

/// A server entry.
#[derive(Debug, Clone)]
pub struct Server {
    /// URL with server variables replaced by their defaults.
    pub url: String,
    /// URL as written, with `{variable}` placeholders.
    pub template: String,
    /// Server variables, in document order.
    pub variables: Vec<ServerVariable>,
    /// Description, if any.
    pub description: Option<String>,
}

/// A variable of a server URL template.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Pointer of the variable object.
    pub pointer: String,
    /// Its name (the `{name}` in the URL).
    pub name: String,
    /// `default`.
    pub default: String,
    /// `enum`: the allowed values (empty: any).
    pub values: Vec<String>,
    /// Description, if any.
    pub description: Option<String>,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// API key in a header.
    ApiKeyHeader(String),
    /// API key in the query string.
    ApiKeyQuery(String),
    /// API key in a cookie.
    ApiKeyCookie(String),
}

/// One scheme of a security requirement, with the scopes it lists.
pub type Requirement = (String, Vec<String>);

/// Where an OAuth 2 or OpenID Connect scheme says tokens come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenUrls {
    /// The `clientCredentials` flow's `tokenUrl`.
    pub client_credentials: Option<String>,
    /// Where a refresh token is exchanged: the `refreshUrl` (else
    /// `tokenUrl`) of the `authorizationCode` flow, else of `password`.
    pub refresh: Option<String>,
    /// The `openIdConnectUrl` of an `openIdConnect` scheme.
    pub open_id_connect: Option<String>,
}

/// A security scheme from `components.securitySchemes`.
#[derive(Debug, Clone)]
pub struct SecuritySchemeDef {
    /// Its key in `securitySchemes`.
    pub name: String,
    /// How the credential is sent.
    pub kind: SchemeKind,
    /// For `oauth2` and `openIdConnect` schemes: where tokens come from.
    pub tokens: Option<TokenUrls>,
    /// Description, if any.
    pub description: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// Path template variable.
    Path,
    /// Query string.
    Query,
    /// Request header.
    Header,
    /// Cookie.
    Cookie,
    /// The whole query string (OpenAPI 3.2 `in: querystring`), described
    /// by its `content` media type.
    QueryString,
}

impl ParamLocation {
    /// `path`, `query`, `header`, `cookie` or `querystring`.
    pub fn word(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::QueryString => "querystring",
        }
    }
}

/// How a parameter value is laid out (OpenAPI `style`), already checked
/// against the parameter's location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` (query, cookie; the default there).
    Form,
    /// `spaceDelimited` (query).
    SpaceDelimited,
    /// `pipeDelimited` (query).
    PipeDelimited,
    /// `deepObject` (query).
    DeepObject,
    /// `simple` (path, header; the default there).
    Simple,
    /// `label` (path).
    Label,
    /// `matrix` (path).
    Matrix,
}

impl ParamStyle {
    /// The OpenAPI name.
    pub fn name(self) -> &'static str {
        match self {
            ParamStyle::Form => "form",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
            ParamStyle::Simple => "simple",
            ParamStyle::Label => "label",
            ParamStyle::Matrix => "matrix",
        }
    }

    /// The style of that name.
    pub fn from_name(name: &str) -> Option<ParamStyle> {
        [
            ParamStyle::Form,
            ParamStyle::SpaceDelimited,
            ParamStyle::PipeDelimited,
            ParamStyle::DeepObject,
            ParamStyle::Simple,
            ParamStyle::Label,
            ParamStyle::Matrix,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }

    /// The default style of a location: `form` for query and cookie,
    /// `simple` for path and header.
    pub fn default_for(location: ParamLocation) -> ParamStyle {
        match location {
            ParamLocation::Query | ParamLocation::Cookie | ParamLocation::QueryString => {
                ParamStyle::Form
            }
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
        }
    }

    /// Whether OpenAPI allows this style in `location`.
    pub fn allowed_in(self, location: ParamLocation) -> bool {
        match location {
            ParamLocation::Path => matches!(
                self,
                ParamStyle::Simple | ParamStyle::Label | ParamStyle::Matrix
            ),
            ParamLocation::Query => matches!(
                self,
                ParamStyle::Form
                    | ParamStyle::SpaceDelimited
                    | ParamStyle::PipeDelimited
                    | ParamStyle::DeepObject
            ),
            ParamLocation::Header => self == ParamStyle::Simple,
            ParamLocation::Cookie | ParamLocation::QueryString => self == ParamStyle::Form,
        }
    }
}

/// One operation parameter (path-level and operation-level merged).
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    /// Pointer of the parameter object.
    pub pointer: String,
    /// Wire name.
    pub name: String,
    /// Location.
    pub location: ParamLocation,
    /// Whether it must be given.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Deprecated flag.
    pub deprecated: bool,
    /// `style`, or the location's default.
    pub style: ParamStyle,
    /// `explode` (defaults per style: true for form).
    pub explode: bool,
    /// Its schema, if any.
    pub schema: Option<SchemaRef<'a>>,
    /// Described with `content` and a JSON media type instead of a
    /// `schema`: the value is sent as its JSON text.
    pub json_content: bool,
    /// The media type of its `content`, when described with one.
    pub media_type: Option<String>,
    /// A path parameter whose value may hold `/` between segments:
    /// `x-multi-segment: true` (the extension large specs use for file
    /// paths and git ref names), or `allowReserved: true`.
    pub multi_segment: bool,
}

/// A media type entry of a body.
#[derive(Debug, Clone)]
pub struct Content<'a> {
    /// Media type, e.g. `application/json`.
    pub media_type: String,
    /// Its schema, if any.
    pub schema: Option<SchemaRef<'a>>,
    /// Its `itemSchema` (OpenAPI 3.2): the schema of each item of a
    /// sequential media type, applied as each is read.
    pub item_schema: Option<SchemaRef<'a>>,
    /// `encoding`, per property, in document order.
    pub encoding: Vec<Encoding>,
}

/// How one property of a form or multipart body is encoded.
#[derive(Debug, Clone)]
pub struct Encoding {
    /// Pointer of the encoding object.
    pub pointer: String,
    /// The property.
    pub property: String,
    /// `contentType`.
    pub content_type: Option<String>,
    /// `style`, as written.
    pub style: Option<String>,
    /// `explode`.
    pub explode: Option<bool>,
}

impl Content<'_> {
    /// Whether this media type carries JSON (`application/json`, `*/*+json`).
    pub fn is_json(&self) -> bool {
        is_json_media_type(&self.media_type)
    }
}

/// Whether a media type carries JSON.
pub fn is_json_media_type(mt: &str) -> bool {
    let essence = mt
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// A media type without parameters, lower case (`Text/Plain; charset=x` →
/// `text/plain`).
pub fn media_essence(mt: &str) -> String {
    mt.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody<'a> {
    /// Pointer of the request body object.
    pub pointer: String,
    /// Whether a body must be sent.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Media types, in document order.
    pub content: Vec<Content<'a>>,
}

/// The status a response is documented for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKey {
    /// One status code.
    Code(u16),
    /// A range such as `4XX` (the digit is the first one).
    Range(u8),
    /// `default`.
    Default,
}

impl StatusKey {
    /// Whether this covers success statuses (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusKey::Code(c) => (200..300).contains(&c),
            StatusKey::Range(d) => d == 2,
            StatusKey::Default => false,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    /// Pointer of the response object.
    pub pointer: String,
    /// Status it is documented for.
    pub status: StatusKey,
    /// Description.
    pub description: Option<String>,
    /// Media types, in document order.
    pub content: Vec<Content<'a>>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Pointer of the operation object.
    pub pointer: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template, e.g. `/connectors/{idOrKey}`.
    pub path: String,
    /// `operationId`, if given.
    pub operation_id: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Deprecated flag.
    pub deprecated: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// Parameters, path-level ones first unless overridden.
    pub parameters: Vec<Parameter<'a>>,
    /// Request body.
    pub request_body: Option<RequestBody<'a>>,
    /// Responses in document order.
    pub responses: Vec<Response<'a>>,
    /// Operation-level `security`, when given (overrides the document's).
    pub security: Option<Vec<Vec<Requirement>>>,
    /// The operation's own `servers`, else its path item's; empty when it
    /// uses the document's.
    pub servers: Vec<Server>,
    /// Literal query pairs its path template carried (`/v1/x?format=json`),
    /// sent with every request: (name, value; `None` for a bare name).
    pub fixed_query: Vec<(String, Option<String>)>,
}

const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

struct Cx<'a> {
    file: &'a str,
    root: &'a Value,
    diags: Diagnostics,
}

impl<'a> Document<'a> {
    /// Reads the OpenAPI structure of `source`. Errors and warnings are
    /// returned together.
    ///
    /// The document is returned whenever its structure could be read, even
    /// if parts of it had errors (those parts are left out), so that later
    /// stages can report their problems too and one run shows everything
    /// that is wrong. No code must be produced when `diags` has errors.
    ///
    /// This reads `source` alone: references to other files and Swagger 2.0
    /// are handled by [`crate::resolve::Resolved`], whose
    /// [`value`](crate::resolve::Resolved::value) [`Self::from_value`] reads.
    pub fn parse(source: &'a Source) -> (Option<Document<'a>>, Diagnostics) {
        Self::from_value(&source.name, &source.value)
    }

    /// Reads the OpenAPI structure of `root`, reporting problems against
    /// `file`; see [`Self::parse`].
    pub fn from_value(file: &'a str, root: &'a Value) -> (Option<Document<'a>>, Diagnostics) {
        let mut cx = Cx {
            file,
            root,
            diags: Diagnostics::new(),
        };
        let doc = cx.document();
        (doc, cx.diags)
    }

    /// Looks up a JSON pointer inside the document.
    pub fn lookup(&self, pointer: &str) -> Option<&'a Value> {
        crate::diag::lookup(self.root, pointer)
    }

    /// The file name diagnostics should use.
    pub fn file(&self) -> &str {
        self.file
    }
}

impl<'a> Cx<'a> {
    fn file(&self) -> &'a str {
        self.file
    }

    fn error(&mut self, pointer: &str, msg: impl Into<String>) {
        let file = self.file();
        self.diags.error(file, pointer, msg);
    }

    fn warning(&mut self, pointer: &str, msg: impl Into<String>) {
        let file = self.file();
        self.diags.warning(file, pointer, msg);
    }

    fn document(&mut self) -> Option<Document<'a>> {
        let root = self.root;
        let Some(obj) = root.as_object() else {
            self.error("", "an OpenAPI document must be an object");
            return None;
        };
        let version = match (obj.get("openapi"), obj.get("swagger")) {
            (Some(Value::String(v)), _) if v.starts_with("3.0") => Version::V3_0,
            (Some(Value::String(v)), _) if v.starts_with("3.1") => Version::V3_1,
            (Some(Value::String(v)), _) if v.starts_with("3.2") => Version::V3_2,
            (Some(Value::String(v)), _) => {
                self.error(
                    "/openapi",
                    format!(
                        "unsupported OpenAPI version `{v}`; apigen reads 3.0.x, 3.1.x and 3.2.x"
                    ),
                );
                return None;
            }
            (Some(v), _) => {
                // YAML reads `openapi: 3.1` as a number.
                self.error(
                    "/openapi",
                    format!("`openapi` must be a version string such as \"3.1.0\", not {v}"),
                );
                return None;
            }
            (None, Some(v)) => {
                // Swagger 2.0 was upgraded before this stage (`resolve`).
                self.error(
                    "/swagger",
                    format!("unsupported Swagger version {v}; apigen reads \"2.0\" (and OpenAPI 3.0.x, 3.1.x and 3.2.x)"),
                );
                return None;
            }
            (None, None) => {
                self.error(
                    "",
                    "missing `openapi` version field: is this an OpenAPI document?",
                );
                return None;
            }
        };
        let info = obj.get("info");
        let title = str_at(info, "title").unwrap_or("API").to_owned();
        let api_version = str_at(info, "version").unwrap_or("").to_owned();
        let description = str_at(info, "description").map(str::to_owned);

        let servers = self.servers(obj.get("servers"), "/servers");
        let security_schemes = self.security_schemes();
        let security = self.security(obj.get("security"), "/security");
        let schemas = self.component_schemas();
        let operations = self.operations(version);
        if version >= Version::V3_2 {
            oas32::check(self.root, self.file, &mut self.diags);
        }
        self.check_operation_ids(&operations);
        Some(Document {
            file: self.file,
            root: self.root,
            version,
            title,
            api_version,
            description,
            servers,
            security_schemes,
            security,
            schemas,
            operations,
        })
    }

    fn servers(&mut self, v: Option<&'a Value>, list_ptr: &str) -> Vec<Server> {
        let Some(v) = v else { return Vec::new() };
        let Some(list) = v.as_array() else {
            self.error(list_ptr, "`servers` must be an array");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, s) in list.iter().enumerate() {
            let ptr = push_pointer(list_ptr, &i.to_string());
            let Some(url) = s.get("url").and_then(Value::as_str) else {
                self.error(&ptr, "a server needs a string `url`");
                continue;
            };
            let template = url.to_owned();
            let mut url = url.to_owned();
            let mut variables = Vec::new();
            if let Some(vars) = s.get("variables").and_then(Value::as_object) {
                let vars_ptr = push_pointer(&ptr, "variables");
                for (name, var) in vars {
                    let var_ptr = push_pointer(&vars_ptr, name);
                    let Some(d) = var.get("default").and_then(Value::as_str) else {
                        self.warning(
                            &var_ptr,
                            format!("server variable `{name}` needs a string `default`; it is left in the URL as `{{{name}}}`"),
                        );
                        continue;
                    };
                    url = url.replace(&format!("{{{name}}}"), d);
                    let values: Vec<String> = var
                        .get("enum")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    variables.push(ServerVariable {
                        pointer: var_ptr,
                        name: name.clone(),
                        default: d.to_owned(),
                        values,
                        description: str_at(Some(var), "description").map(str::to_owned),
                    });
                }
            }
            out.push(Server {
                url,
                template,
                variables,
                description: str_at(Some(s), "description").map(str::to_owned),
            });
        }
        out
    }

    fn security_schemes(&mut self) -> Vec<SecuritySchemeDef> {
        let Some(map) = self
            .root
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, raw) in map {
            let ptr = push_pointer("/components/securitySchemes", name);
            let Some(def) = self.resolve_local(raw, &ptr) else {
                continue;
            };
            let ty = def.get("type").and_then(Value::as_str).unwrap_or("");
            let mut tokens = None;
            let kind = match ty {
                "http" => {
                    let scheme = def
                        .get("scheme")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    match scheme.as_str() {
                        "bearer" => SchemeKind::Bearer,
                        "basic" => SchemeKind::Basic,
                        other => {
                            self.warning(
                                &ptr,
                                format!("HTTP auth scheme `{other}` is sent as a bearer token"),
                            );
                            SchemeKind::Bearer
                        }
                    }
                }
                "apiKey" => {
                    let Some(key) = def.get("name").and_then(Value::as_str) else {
                        self.error(&ptr, "an apiKey security scheme needs a `name`");
                        continue;
                    };
                    match def.get("in").and_then(Value::as_str) {
                        Some("header") => SchemeKind::ApiKeyHeader(key.to_owned()),
                        Some("query") => SchemeKind::ApiKeyQuery(key.to_owned()),
                        Some("cookie") => SchemeKind::ApiKeyCookie(key.to_owned()),
                        _ => {
                            self.error(
                                &push_pointer(&ptr, "in"),
                                "an apiKey security scheme needs `in`: header, query or cookie",
                            );
                            continue;
                        }
                    }
                }
                "oauth2" | "openIdConnect" => {
                    tokens = Some(token_urls(def));
                    SchemeKind::Bearer
                }
                other => {
                    self.warning(
                        &ptr,
                        format!("security scheme type `{other}` is not supported; it is ignored"),
                    );
                    continue;
                }
            };
            out.push(SecuritySchemeDef {
                name: name.clone(),
                kind,
                tokens,
                description: str_at(Some(def), "description").map(str::to_owned),
            });
        }
        out
    }

    fn security(&mut self, v: Option<&'a Value>, ptr: &str) -> Vec<Vec<Requirement>> {
        let Some(v) = v else { return Vec::new() };
        let Some(list) = v.as_array() else {
            self.error(ptr, "`security` must be an array of requirement objects");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, req) in list.iter().enumerate() {
            let Some(req) = req.as_object() else {
                self.error(
                    &format!("{ptr}/{i}"),
                    "a security requirement must be an object",
                );
                continue;
            };
            out.push(
                req.iter()
                    .map(|(name, scopes)| {
                        let scopes = scopes
                            .as_array()
                            .map(|list| {
                                list.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_owned)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (name.clone(), scopes)
                    })
                    .collect(),
            );
        }
        out
    }

    fn component_schemas(&mut self) -> Vec<(&'a str, SchemaRef<'a>)> {
        let root = self.root;
        let Some(v) = root.pointer("/components/schemas") else {
            return Vec::new();
        };
        let Some(map) = v.as_object() else {
            self.error(
                "/components/schemas",
                "`components.schemas` must be an object",
            );
            return Vec::new();
        };
        map.iter()
            .map(|(name, schema)| {
                let ptr = push_pointer("/components/schemas", name);
                (
                    name.as_str(),
                    SchemaRef {
                        pointer: ptr,
                        value: schema,
                    },
                )
            })
            .collect()
    }

    /// `operationId`s must be unique; the methods of those that are not
    /// are numbered (`get_pet`, `get_pet_2`), which is worth a warning.
    fn check_operation_ids(&mut self, operations: &[Operation<'a>]) {
        let mut first: std::collections::HashMap<&str, &Operation<'a>> =
            std::collections::HashMap::new();
        for op in operations {
            let Some(id) = op.operation_id.as_deref() else {
                continue;
            };
            match first.get(id) {
                Some(earlier) => {
                    let msg = format!(
                        "operationId `{id}` is already used by {} {}; \
                         operationIds must be unique, so the method names are numbered",
                        earlier.method, earlier.path
                    );
                    self.warning(&push_pointer(&op.pointer, "operationId"), msg);
                }
                None => {
                    first.insert(id, op);
                }
            }
        }
    }

    fn operations(&mut self, version: Version) -> Vec<Operation<'a>> {
        let root = self.root;
        let Some(paths) = root.get("paths") else {
            return Vec::new();
        };
        let Some(paths) = paths.as_object() else {
            self.error("/paths", "`paths` must be an object");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, item) in paths {
            let item_ptr = push_pointer("/paths", key);
            if key.starts_with("x-") {
                // A specification extension, not a path.
                continue;
            }
            if !key.starts_with('/') {
                self.error(&item_ptr, format!("path `{key}` must start with `/`"));
                continue;
            }
            let (path, query) = query_paths::split(key);
            if query.is_some() {
                self.warning(
                    &item_ptr,
                    format!(
                        "path `{key}` carries a query, which a path template may not; it is read as `{path}` with query parameters"
                    ),
                );
            }
            // Operations of a referenced path item (perhaps in another
            // file) are reported where they are written.
            let Some((item, item_ptr)) = self.resolve_local_with_pointer(item, &item_ptr) else {
                continue;
            };
            let Some(item_obj) = item.as_object() else {
                self.error(&item_ptr, "a path item must be an object");
                continue;
            };
            let shared = self.parameters(item_obj.get("parameters"), &item_ptr);
            let item_servers =
                self.servers(item_obj.get("servers"), &push_pointer(&item_ptr, "servers"));
            let mut methods: Vec<(String, &'a Value, String)> = METHODS
                .iter()
                // `query` is a field of 3.2 path items only.
                .filter(|m| **m != "query" || version >= Version::V3_2)
                .filter_map(|m| {
                    let op = item_obj.get(*m)?;
                    Some((m.to_ascii_uppercase(), op, push_pointer(&item_ptr, m)))
                })
                .collect();
            if version >= Version::V3_2 {
                methods.extend(self.additional_operations(item_obj, &item_ptr, &methods));
            }
            for (method, op, op_ptr) in methods {
                let op = self.operation(path, &method, op, &op_ptr, &shared, query.as_ref());
                if let Some(mut op) = op {
                    if op.servers.is_empty() {
                        op.servers.clone_from(&item_servers);
                    }
                    out.push(op);
                }
            }
        }
        out
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a Value,
        ptr: &str,
        shared: &[Parameter<'a>],
        query: Option<&TemplateQuery>,
    ) -> Option<Operation<'a>> {
        let Some(obj) = op.as_object() else {
            self.error(ptr, "an operation must be an object");
            return None;
        };
        let mut parameters: Vec<Parameter<'a>> = shared.to_vec();
        for p in self.parameters(obj.get("parameters"), ptr) {
            // An operation-level parameter overrides a path-level one with the
            // same name and location.
            if let Some(existing) = parameters
                .iter_mut()
                .find(|q| q.name == p.name && q.location == p.location)
            {
                *existing = p;
            } else {
                parameters.push(p);
            }
        }
        if let Some(query) = query {
            query_paths::apply(query, &mut parameters, ptr);
        }
        self.check_query_string(&mut parameters);
        // Every `{name}` in the template needs a path parameter and vice versa.
        for var in path_variables(path) {
            if !parameters
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == var)
            {
                self.error(
                    ptr,
                    format!("path `{path}` has `{{{var}}}` but no path parameter named `{var}`"),
                );
            }
        }
        let vars = path_variables(path);
        for p in &parameters {
            if p.location == ParamLocation::Path && !vars.iter().any(|v| *v == p.name) {
                self.error(
                    &p.pointer,
                    format!("path parameter `{}` does not appear in `{path}`", p.name),
                );
            }
        }
        let request_body = match obj.get("requestBody") {
            Some(b) => self.request_body(b, &push_pointer(ptr, "requestBody")),
            None => None,
        };
        let responses = self.responses(obj.get("responses"), &push_pointer(ptr, "responses"));
        let security = obj
            .get("security")
            .map(|s| self.security(Some(s), &push_pointer(ptr, "security")));
        let servers = self.servers(obj.get("servers"), &push_pointer(ptr, "servers"));
        Some(Operation {
            pointer: ptr.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            operation_id: str_at(Some(op), "operationId").map(str::to_owned),
            summary: str_at(Some(op), "summary").map(str::to_owned),
            description: str_at(Some(op), "description").map(str::to_owned),
            deprecated: op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            tags: op
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| {
                    t.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            parameters,
            request_body,
            responses,
            security,
            servers,
            fixed_query: query.map(|q| q.fixed.clone()).unwrap_or_default(),
        })
    }

    fn parameters(&mut self, v: Option<&'a Value>, owner: &str) -> Vec<Parameter<'a>> {
        let Some(v) = v else { return Vec::new() };
        let list_ptr = push_pointer(owner, "parameters");
        let Some(list) = v.as_array() else {
            self.error(&list_ptr, "`parameters` must be an array");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, raw) in list.iter().enumerate() {
            let ptr = format!("{list_ptr}/{i}");
            let Some((p, p_ptr)) = self.resolve_local_with_pointer(raw, &ptr) else {
                continue;
            };
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                self.error(&p_ptr, "a parameter needs a string `name`");
                continue;
            };
            let location = match p.get("in").and_then(Value::as_str) {
                Some("path") => ParamLocation::Path,
                Some("query") => ParamLocation::Query,
                Some("header") => ParamLocation::Header,
                Some("cookie") => ParamLocation::Cookie,
                Some("querystring") => ParamLocation::QueryString,
                other => {
                    self.error(
                        &push_pointer(&p_ptr, "in"),
                        format!(
                            "parameter `{name}` has `in: {}`; expected path, query, querystring, header or cookie",
                            other.unwrap_or("(missing)")
                        ),
                    );
                    continue;
                }
            };
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            if location == ParamLocation::Path && !required {
                self.warning(
                    &p_ptr,
                    format!("path parameter `{name}` must be required; treating it as required"),
                );
            }
            let mut json_content = false;
            let mut media_type = None;
            let schema = match p.get("schema") {
                Some(s) if location != ParamLocation::QueryString => Some(SchemaRef {
                    pointer: push_pointer(&p_ptr, "schema"),
                    value: s,
                }),
                _ => {
                    let content = self.content(p.get("content"), &p_ptr);
                    let first = content.into_iter().next();
                    if let Some(c) = &first {
                        json_content = c.is_json();
                        media_type = Some(c.media_type.clone());
                    }
                    first.and_then(|c| c.schema)
                }
            };
            if location == ParamLocation::QueryString && media_type.is_none() {
                self.error(
                    &p_ptr,
                    format!("querystring parameter `{name}` needs `content` (one media type)"),
                );
                continue;
            }
            let default_style = ParamStyle::default_for(location);
            let style = match p.get("style") {
                None => default_style,
                // 3.2's cookie style: `form`'s pairs, joined with `; ` and
                // never percent-encoded, which is how cookies are sent.
                Some(Value::String(s)) if s == "cookie" && location == ParamLocation::Cookie => {
                    ParamStyle::Form
                }
                Some(raw) => {
                    let style_ptr = push_pointer(&p_ptr, "style");
                    match raw.as_str().and_then(ParamStyle::from_name) {
                        Some(s) if s.allowed_in(location) => s,
                        Some(s) => {
                            self.warning(
                                &style_ptr,
                                format!(
                                    "style `{}` is not allowed for a {} parameter; `{name}` is sent with style `{}`",
                                    s.name(),
                                    location.word(),
                                    default_style.name()
                                ),
                            );
                            default_style
                        }
                        None => {
                            self.warning(
                                &style_ptr,
                                format!(
                                    "unknown style {raw}; `{name}` is sent with style `{}`",
                                    default_style.name()
                                ),
                            );
                            default_style
                        }
                    }
                }
            };
            let explode = p
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == ParamStyle::Form);
            let flag = |key: &str| p.get(key).and_then(Value::as_bool) == Some(true);
            let multi_segment = location == ParamLocation::Path
                && (flag("x-multi-segment") || flag("allowReserved"));
            if flag("allowReserved") && location != ParamLocation::Path {
                self.warning(
                    &push_pointer(&p_ptr, "allowReserved"),
                    format!("`allowReserved` is not supported; reserved characters in `{name}` are percent-encoded"),
                );
            }
            out.push(Parameter {
                pointer: p_ptr,
                name: name.to_owned(),
                location,
                required: required || location == ParamLocation::Path,
                description: str_at(Some(p), "description").map(str::to_owned),
                deprecated: p
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                style,
                explode,
                schema,
                json_content,
                media_type,
                multi_segment,
            });
        }
        out
    }

    fn content(&mut self, v: Option<&'a Value>, owner: &str) -> Vec<Content<'a>> {
        let Some(v) = v else { return Vec::new() };
        let ptr = push_pointer(owner, "content");
        let Some(map) = v.as_object() else {
            self.error(&ptr, "`content` must be an object keyed by media type");
            return Vec::new();
        };
        map.iter()
            .filter_map(|(mt, media)| {
                // 3.2 lets a media type be a `$ref` (to `components.mediaTypes`).
                let (media, mptr) =
                    self.resolve_local_with_pointer(media, &push_pointer(&ptr, mt))?;
                let schema = media.get("schema").map(|s| SchemaRef {
                    pointer: push_pointer(&mptr, "schema"),
                    value: s,
                });
                let item_schema = media.get("itemSchema").map(|s| SchemaRef {
                    pointer: push_pointer(&mptr, "itemSchema"),
                    value: s,
                });
                let enc_ptr = push_pointer(&mptr, "encoding");
                let encoding = media
                    .get("encoding")
                    .and_then(Value::as_object)
                    .map(|e| {
                        e.iter()
                            .map(|(property, enc)| Encoding {
                                pointer: push_pointer(&enc_ptr, property),
                                property: property.clone(),
                                content_type: str_at(Some(enc), "contentType").map(str::to_owned),
                                style: str_at(Some(enc), "style").map(str::to_owned),
                                explode: enc.get("explode").and_then(Value::as_bool),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some(Content {
                    media_type: mt.clone(),
                    schema,
                    item_schema,
                    encoding,
                })
            })
            .collect()
    }

    fn request_body(&mut self, raw: &'a Value, ptr: &str) -> Option<RequestBody<'a>> {
        let (b, b_ptr) = self.resolve_local_with_pointer(raw, ptr)?;
        if !b.is_object() {
            self.error(&b_ptr, "a request body must be an object");
            return None;
        }
        Some(RequestBody {
            required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
            description: str_at(Some(b), "description").map(str::to_owned),
            content: self.content(b.get("content"), &b_ptr),
            pointer: b_ptr,
        })
    }

    fn responses(&mut self, v: Option<&'a Value>, ptr: &str) -> Vec<Response<'a>> {
        let Some(v) = v else { return Vec::new() };
        let Some(map) = v.as_object() else {
            self.error(ptr, "`responses` must be an object keyed by status");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, raw) in map {
            let rptr = push_pointer(ptr, key);
            let status = match parse_status(key) {
                Some(s) => s,
                None => {
                    self.error(
                        &rptr,
                        format!("`{key}` is not a status code, a range like `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let Some((r, r_ptr)) = self.resolve_local_with_pointer(raw, &rptr) else {
                continue;
            };
            out.push(Response {
                status,
                // 3.2 makes `description` optional and adds a `summary`.
                description: str_at(Some(r), "description")
                    .or(str_at(Some(r), "summary"))
                    .map(str::to_owned),
                content: self.content(r.get("content"), &r_ptr),
                pointer: r_ptr,
            });
        }
        out
    }

    /// Follows local `$ref`s (`#/...`) until a non-reference value.
    fn resolve_local(&mut self, v: &'a Value, ptr: &str) -> Option<&'a Value> {
        self.resolve_local_with_pointer(v, ptr).map(|(v, _)| v)
    }

    fn resolve_local_with_pointer(
        &mut self,
        mut v: &'a Value,
        ptr: &str,
    ) -> Option<(&'a Value, String)> {
        let mut at = ptr.to_owned();
        let mut seen = Vec::new();
        while let Some(r) = v.get("$ref") {
            let ref_ptr = push_pointer(&at, "$ref");
            let Some(r) = r.as_str() else {
                self.error(&ref_ptr, "`$ref` must be a string");
                return None;
            };
            let Some(target) = local_ref_pointer(r) else {
                self.error(
                    &ref_ptr,
                    format!("`$ref: {r}` points into another file; only references within the same document are supported"),
                );
                return None;
            };
            if seen.contains(&target) {
                self.error(
                    &ref_ptr,
                    format!("`$ref: {r}` is part of a reference cycle"),
                );
                return None;
            }
            let Some(next) = crate::diag::lookup(self.root, &target) else {
                self.error(&ref_ptr, format!("`$ref: {r}` points to nothing"));
                return None;
            };
            seen.push(target.clone());
            v = next;
            at = target;
        }
        Some((v, at))
    }
}

/// The JSON pointer a local `$ref` (`#/a/b`) names, percent-decoded; `None`
/// for references into other documents.
pub fn local_ref_pointer(r: &str) -> Option<String> {
    let frag = r.strip_prefix('#')?;
    Some(crate::refs::percent_decode(frag))
}

fn parse_status(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    let b = key.as_bytes();
    if b.len() == 3
        && b[0].is_ascii_digit()
        && (b[1] == b'X' || b[1] == b'x')
        && (b[2] == b'X' || b[2] == b'x')
    {
        return Some(StatusKey::Range(b[0] - b'0'));
    }
    match key.parse::<u16>() {
        Ok(c) if (100..600).contains(&c) => Some(StatusKey::Code(c)),
        _ => None,
    }
}

/// The `{name}` variables of a path template, in order.
pub fn path_variables(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

fn str_at<'v>(v: Option<&'v Value>, key: &str) -> Option<&'v str> {
    v?.get(key)?.as_str()
}

/// Reads a string-keyed object out of a value (helper for other stages).
pub fn as_object(v: &Value) -> Option<&Map<String, Value>> {
    v.as_object()
}

/// The token URLs of an `oauth2` or `openIdConnect` security scheme.
fn token_urls(def: &Value) -> TokenUrls {
    let flow = |name: &str, key: &str| {
        def.pointer(&format!("/flows/{name}/{key}"))
            .and_then(Value::as_str)
            .filter(|url| !url.is_empty())
            .map(str::to_owned)
    };
    let refresh = |name: &str| flow(name, "refreshUrl").or_else(|| flow(name, "tokenUrl"));
    TokenUrls {
        client_credentials: flow("clientCredentials", "tokenUrl"),
        refresh: refresh("authorizationCode").or_else(|| refresh("password")),
        open_id_connect: def
            .get("openIdConnectUrl")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Format;

    fn parse(text: &str) -> (bool, Vec<String>) {
        let source = Source::parse("t.json", text.to_owned(), Format::Json).unwrap();
        let (doc, diags) = Document::parse(&source);
        (
            doc.is_some(),
            diags.iter().map(|d| d.message.clone()).collect(),
        )
    }

    #[test]
    fn a_readable_document_is_returned_with_its_errors() {
        let (doc, errors) = parse(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/a/{id}": {"get": {"responses": 5}}}}"#,
        );
        assert!(doc, "later stages get to report their problems too");
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn version_must_be_a_supported_string() {
        let (doc, errors) = parse(r#"{"openapi": 3.1, "paths": {}}"#);
        assert!(!doc);
        assert_eq!(
            errors,
            ["`openapi` must be a version string such as \"3.1.0\", not 3.1"]
        );
        let (_, errors) = parse(r#"{"openapi": "2.0", "paths": {}}"#);
        assert_eq!(
            errors,
            ["unsupported OpenAPI version `2.0`; apigen reads 3.0.x, 3.1.x and 3.2.x"]
        );
    }
}
