//! Stage 3, `ir`: [`Document`] → [`Api`], the generator's intermediate
//! representation.
//!
//! Every decision about Rust names, nullability, boxing and union shape is
//! made here, once; `emit` only reads the result. Types live in one ordered
//! list indexed by [`TypeId`]: component schemas first (document order), then
//! inline schemas in the order they are met, so output is deterministic.

use std::collections::HashMap;

use serde_json::Value;

use crate::diag::{Diagnostics, push_pointer};
use crate::names::{
    Namespace, binding_ident, camel_prefix, snake_suffix, type_ident, type_prefix, value_ident,
};
use crate::names_file::{Recorded, operation_key, sub_key};
use crate::spec::{self, Document, ParamLocation, ParamStyle, SchemeKind, StatusKey, Version};

// Tuples, pattern properties, open integer and mixed enums, defaults,
// read/write-only, formats, `$ref` siblings and unsupported keywords (issue 3).
mod schema_ext;
pub(crate) use schema_ext::code_span;
pub use schema_ext::{DefaultValue, EnumRepr, ValueEnum};

// Constraints checked before a request is sent (`pattern`, `minLength`, …).
mod checks;

// Parameter styles, body and response media types, server variables.
mod kinds;

// Which list operations are paginated, and how.
mod paging;
// Pagination set in the options, checked against the operation.
mod paginate;
pub use checks::{Check, Rule, TypeChecks};
pub use paging::{ItemsAt, PageScheme, Pagination};

/// Index of a type in [`Api::types`].
pub type TypeId = usize;

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// JSON `null` only (`()`).
    Unit,
    /// `bool`.
    Bool,
    /// `String`.
    String,
    /// `i8` (`format: int8`).
    I8,
    /// `i16` (`format: int16`).
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8` (`format: uint8`).
    U8,
    /// `u16` (`format: uint16`).
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `serde_json::Number`: a JSON number kept exactly as written (`type:
    /// number` without a `float`/`double` format), so `3` stays `3`.
    Number,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>` (a nullable element inside an array or map).
    Option(Box<Ty>),
    /// A generated type.
    Named(TypeId),
    /// `apigen_runtime::Base64`: bytes sent as a base64 string (`format: byte`).
    Bytes,
    /// 3.1 `prefixItems`: the tuple `(A, B, …)` when no further elements are
    /// allowed, else `apigen_runtime::Prefixed<(A, B, …), R>` keeping them.
    Tuple(Vec<Ty>, Option<Box<Ty>>),
    /// An existing Rust type replacing a schema (a checked path, from
    /// `EmitOptions::type_replacements` or the `x-rust-type` extension).
    External(String),
    /// A `string` with `format: date-time` (RFC 3339), when a date-time
    /// representation other than `String` is chosen.
    DateTime,
    /// A `string` with `format: date` (`2024-02-29`), likewise.
    Date,
}

impl Ty {
    /// Whether this is one of Rust's fixed-size number types (`i8` … `f64`).
    pub fn is_fixed_number(&self) -> bool {
        matches!(
            self,
            Ty::I8
                | Ty::I16
                | Ty::I32
                | Ty::I64
                | Ty::U8
                | Ty::U16
                | Ty::U32
                | Ty::U64
                | Ty::F32
                | Ty::F64
        )
    }

    /// Calls `f` with every generated type this expression names, at any depth.
    pub fn visit_named(&self, f: &mut dyn FnMut(TypeId)) {
        match self {
            Ty::Named(id) => f(*id),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => inner.visit_named(f),
            Ty::Tuple(items, rest) => {
                for t in items {
                    t.visit_named(f);
                }
                if let Some(r) = rest {
                    r.visit_named(f);
                }
            }
            _ => {}
        }
    }
}

impl TypeDef {
    /// Calls `f` with every generated type this type's declaration names
    /// (fields, extra keys, union variants, an alias's target).
    pub fn visit_named(&self, f: &mut dyn FnMut(TypeId)) {
        match &self.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    field.ty.visit_named(f);
                }
                if let Some((_, ty)) = &s.extra {
                    ty.visit_named(f);
                }
            }
            TypeKind::Union(u) => {
                for v in &u.variants {
                    v.ty.visit_named(f);
                }
            }
            TypeKind::Alias(ty) => ty.visit_named(f),
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
        }
    }
}

impl Operation {
    /// Calls `f` with every generated type the operation names: in its
    /// parameters, request body and response payloads.
    pub fn visit_named(&self, f: &mut dyn FnMut(TypeId)) {
        for p in &self.params {
            p.ty.visit_named(f);
        }
        if let Some(body) = &self.body {
            match &body.kind {
                BodyKind::Multipart(m) => {
                    for part in &m.fields {
                        if let PartKind::Value(ty) = &part.kind {
                            ty.visit_named(f);
                        }
                    }
                }
                other => {
                    if let Some(ty) = other.serde_ty() {
                        ty.visit_named(f);
                    }
                }
            }
        }
        for case in self.successes.iter().chain(&self.errors) {
            if let Payload::Json(ty) = &case.payload {
                ty.visit_named(f);
            }
        }
    }
}

/// How a field is present in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, `None` written as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, `None` omitted.
    Optional,
    /// May be absent or null: `Nullable<T>` with three distinct states.
    OptionalNullable,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust identifier (may be raw, `r#type`).
    pub name: String,
    /// JSON property name.
    pub json_name: String,
    /// Value type (without the presence wrapper).
    pub ty: Ty,
    /// Presence / nullability.
    pub presence: Presence,
    /// Whether the value is boxed (the edge closes a cycle).
    pub boxed: bool,
    /// Doc text.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// JSON pointer of the property's schema.
    pub pointer: String,
    /// The schema's `default`: what an absent value means. The field stays
    /// optional (absent is kept absent, in both directions); an accessor
    /// method returns the value or the default.
    pub default: Option<FieldDefault>,
}

/// The `default` of an optional field.
#[derive(Debug, Clone)]
pub struct FieldDefault {
    /// The value, checked against the field's type.
    pub value: DefaultValue,
    /// The value as JSON text, for docs.
    pub json: String,
    /// Name of the accessor method returning the value or the default: the
    /// field's name unless that would shadow another method.
    pub accessor: String,
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Declared properties, in document order.
    pub fields: Vec<Field>,
    /// Type of kept extra keys (a flattened map), when the schema allows them.
    pub extra: Option<(String, Ty)>,
    /// Whether the struct implements `Default`: every field is optional, has
    /// a `default`, or has a single-valued (`const`) type.
    pub has_default: bool,
}

/// A string enum; unknown values are kept in the `other` variant.
#[derive(Debug, Clone)]
pub struct StrEnum {
    /// (Rust variant name, JSON value).
    pub variants: Vec<(String, String)>,
    /// Name of the catch-all variant holding unknown values.
    pub other: String,
    /// Variant returned by `Default::default()`: the only value of a `const`
    /// or single-value enum, or the schema's `default`.
    pub default: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Payload type.
    pub ty: Ty,
    /// Whether the payload is boxed (the edge closes a cycle).
    pub boxed: bool,
    /// Discriminator values selecting this variant (tagged unions only).
    pub tags: Vec<String>,
    /// Whether the variant's own struct always writes the tag property.
    pub writes_tag: bool,
}

/// A `oneOf` / `anyOf` / multi-type union.
#[derive(Debug, Clone)]
pub struct Union {
    /// Alternatives in document order.
    pub variants: Vec<Variant>,
    /// Discriminator property, for tagged unions.
    pub tag: Option<String>,
    /// Name of the variant that keeps any value matching no alternative.
    pub fallback: String,
    /// The variant of the discriminator's `defaultMapping` (OpenAPI 3.2):
    /// tried first when the tag is absent or selects nothing.
    pub default: Option<String>,
}

/// What a generated type is.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct.
    Struct(Struct),
    /// An open string enum.
    Enum(StrEnum),
    /// An open integer or mixed-type enum.
    ValueEnum(ValueEnum),
    /// A union.
    Union(Union),
    /// `pub type Name = T;`
    Alias(Ty),
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Final Rust name (unique in `types`).
    pub name: String,
    /// JSON pointer of the schema.
    pub pointer: String,
    /// Doc text (title and description).
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Whether the schema itself admits `null` (folded into its uses).
    pub nullable: bool,
    /// The shape.
    pub kind: TypeKind,
    /// What its `validate` method checks; `None`: it has none (nothing to
    /// check beneath it). Set once the graph is complete.
    pub checks: Option<TypeChecks>,
    /// For an alias whose expansion contains itself (`List = Vec<List>`):
    /// emitted as a transparent newtype struct instead, because a Rust type
    /// alias cannot be recursive. The JSON is the same.
    pub newtype: bool,
}

/// A security scheme the client can be given a credential for.
#[derive(Debug, Clone)]
pub struct Scheme {
    /// Name in the spec.
    pub name: String,
    /// Rust method suffix (snake case), e.g. `bearer_auth` → `with_bearer_auth`.
    pub ident: String,
    /// How it is sent.
    pub kind: SchemeKind,
    /// Doc text.
    pub doc: Option<String>,
    /// Where an OAuth 2 or OpenID Connect scheme's tokens come from.
    pub tokens: Option<spec::TokenUrls>,
    /// The names (after `with_`) of a token scheme's other setters.
    pub token_setters: Option<TokenSetters>,
}

/// The setters of an OAuth 2 or OpenID Connect scheme besides `with_{ident}`,
/// as suffixes of `with_`: unique among all the client's setters.
#[derive(Debug, Clone)]
pub struct TokenSetters {
    /// `{scheme}_token_source`.
    pub source: String,
    /// `{scheme}_client_credentials`.
    pub client_credentials: String,
    /// `{scheme}_refresh_token`.
    pub refresh_token: String,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// The value of a path parameter (index into [`Operation::params`]).
    Param(usize),
}

/// One operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Wire name.
    pub name: String,
    /// Rust identifier (argument or params-struct field).
    pub ident: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether it is a positional argument (required) or a params-struct field.
    pub required: bool,
    /// Value type.
    pub ty: Ty,
    /// How the value is laid out (OpenAPI `style`, checked against the
    /// location and the type).
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// Sent as its JSON text (a parameter described with JSON `content`).
    pub json: bool,
    /// The media type of its `content`, when described with one (how an
    /// `in: querystring` parameter is sent).
    pub content_type: Option<String>,
    /// Doc text.
    pub doc: Option<String>,
    /// Constraints checked before sending.
    pub checks: Option<Check>,
    /// A path parameter whose value may hold `/`, kept between segments
    /// that are each percent-encoded (`x-multi-segment`, `allowReserved`).
    pub keep_slashes: bool,
    /// A multi-segment path parameter that is the whole last segment of
    /// the template (`/contents/{path}`): an empty value is sent
    /// (`/contents/`).
    pub may_be_empty: bool,
}

/// How one property of a form body is encoded (from `encoding`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormFieldStyle {
    /// The property (JSON name).
    pub name: String,
    /// Its style.
    pub style: ParamStyle,
    /// Its `explode`.
    pub explode: bool,
}

/// What one field of a multipart body struct holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// One file (`format: binary` / `byte`): `apigen_runtime::body::FilePart`;
    /// `base64`: its bytes are sent base64-encoded (`format: byte`).
    File {
        /// Sent base64-encoded.
        base64: bool,
    },
    /// An array of files: `Vec<FilePart>`, one part each.
    Files {
        /// Sent base64-encoded.
        base64: bool,
    },
    /// Any other value: a text part, a JSON part (objects) or one part per
    /// item (arrays).
    Value(Ty),
}

/// A field of a generated multipart body struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartField {
    /// Rust identifier.
    pub ident: String,
    /// Its argument in the struct's `new`: `ident`, unless that is only
    /// `_` and digits (see [`crate::names::binding_ident`]), numbered if
    /// that collides.
    pub arg: String,
    /// Part name.
    pub name: String,
    /// What it holds.
    pub kind: PartKind,
    /// Whether it must be given (else `Option`).
    pub required: bool,
    /// Content type of file parts that do not set their own.
    pub file_content_type: String,
    /// Doc text.
    pub doc: Option<String>,
}

/// A `multipart/form-data` body: a struct generated for the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartBody {
    /// Name of the struct (module root).
    pub name: String,
    /// Its fields, in document order.
    pub fields: Vec<PartField>,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON of the given type, sent with `content_type`.
    Json {
        /// Value type.
        ty: Ty,
        /// Media type as written in the spec.
        content_type: String,
    },
    /// `application/x-www-form-urlencoded` of the given (object) type.
    Form {
        /// Value type.
        ty: Ty,
        /// Media type as written in the spec.
        content_type: String,
        /// Properties with an `encoding` style.
        fields: Vec<FormFieldStyle>,
    },
    /// `multipart/form-data` built from a generated struct.
    Multipart(MultipartBody),
    /// `multipart/form-data` of a schema without properties: every
    /// top-level key of the value becomes a part.
    MultipartValue(Ty),
    /// Text (`text/*`), sent from a `&str`.
    Text {
        /// Media type as written in the spec.
        content_type: String,
    },
    /// Raw bytes. `None`: the media type is a range (`*/*`, `image/*`), so
    /// the caller passes the content type.
    Binary {
        /// Media type as written in the spec.
        content_type: Option<String>,
    },
}

impl BodyKind {
    /// The schema type of a body sent through serde (JSON, form and
    /// schema-less multipart bodies).
    pub fn serde_ty(&self) -> Option<&Ty> {
        match self {
            BodyKind::Json { ty, .. }
            | BodyKind::Form { ty, .. }
            | BodyKind::MultipartValue(ty) => Some(ty),
            _ => None,
        }
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Encoding.
    pub kind: BodyKind,
    /// Whether it must be given (otherwise the argument is an `Option`).
    pub required: bool,
    /// Constraints checked before sending (JSON and form bodies).
    pub checks: Option<Check>,
    /// The other media types the operation accepts (not used).
    pub others: Vec<String>,
}

/// What a response carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Payload {
    /// JSON decoded into this type.
    Json(Ty),
    /// No body.
    Empty,
    /// Text (`text/*`), as a `String`.
    Text,
    /// Raw bytes.
    Bytes,
}

/// A variable of the server URL.
#[derive(Debug, Clone)]
pub struct ServerVar {
    /// Its name in the URL template.
    pub name: String,
    /// Field of the variables struct.
    pub ident: String,
    /// Default value.
    pub default: String,
    /// Its type when it has an `enum`: (type name, variants as (Rust name,
    /// value)); else it is a `String`.
    pub values: Option<(String, Vec<(String, String)>)>,
    /// Doc text.
    pub doc: Option<String>,
}

/// A piece of the server URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlPiece {
    /// Literal text.
    Literal(String),
    /// The value of a variable (index into [`Server::variables`]).
    Var(usize),
}

/// The first server, when its URL has variables.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL as written.
    pub template: String,
    /// The template split into literals and variables.
    pub pieces: Vec<UrlPiece>,
    /// Its variables.
    pub variables: Vec<ServerVar>,
    /// Name of the generated variables struct.
    pub struct_name: String,
}

/// A documented response of an operation.
#[derive(Debug, Clone)]
pub struct Case {
    /// The status it is documented for.
    pub status: StatusKey,
    /// Variant name in the success or error enum.
    pub variant: String,
    /// Body.
    pub payload: Payload,
    /// The media type `payload` was read from (as written), if it has a body.
    pub media_type: Option<String>,
    /// Doc text (the response description).
    pub doc: Option<String>,
}

/// One operation → one `async fn` on the client.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name (snake case, unique).
    pub fn_name: String,
    /// The `operationId` as written, else the method name: what hooks and
    /// tracing call the operation.
    pub operation_id: String,
    /// UpperCamel stem for the operation's own types.
    pub type_stem: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template as written in the spec.
    pub path: String,
    /// Path template split into literals and parameters.
    pub segments: Vec<Segment>,
    /// Doc text (summary and description).
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Parameters: path ones first, then other required ones, then optional.
    pub params: Vec<Param>,
    /// Name of the params struct for optional parameters, if there are any.
    pub params_struct: Option<String>,
    /// Request body.
    pub body: Option<Body>,
    /// Documented success responses.
    pub successes: Vec<Case>,
    /// Name of the success enum, when successes differ in payload.
    pub success_enum: Option<String>,
    /// Documented error responses.
    pub errors: Vec<Case>,
    /// Name of the error enum.
    pub error_enum: String,
    /// Security alternatives (indices into [`Api::schemes`]); empty = none.
    pub security: Vec<Vec<usize>>,
    /// The scopes the operation requires of its token schemes (OAuth 2,
    /// OpenID Connect): for each, those of the first alternative naming it
    /// with scopes.
    pub scopes: Vec<(usize, Vec<String>)>,
    /// The operation's tags, as written.
    pub tags: Vec<String>,
    /// The URL of the operation's own server (its or its path's `servers`),
    /// when it is not the document's first server.
    pub server: Option<String>,
    /// The `Accept` header: the documented response media types.
    pub accept: Option<String>,
    /// Literal query pairs of its path template, sent with every request
    /// (see [`spec::TemplateQuery`]).
    pub fixed_query: Vec<(String, Option<String>)>,
    /// The method reading its success response as a stream, when it can be.
    pub stream: Option<StreamMethod>,
    /// How its pages are found, when it is a paginated list.
    pub paging: Option<Pagination>,
}

/// How a success response is read as a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamKind {
    /// The raw bytes (a download).
    Bytes,
    /// Server-sent events, each `data` decoded as this type.
    Events(Ty),
    /// Server-sent events as parsed (`event`, `data`, `id`, `retry`): an
    /// OpenAPI 3.2 `itemSchema` whose `data` is not one JSON schema.
    RawEvents,
    /// JSON Lines or NDJSON items of this type.
    JsonLines(Ty),
    /// JSON text sequence (RFC 7464) items of this type.
    JsonSeq(Ty),
}

/// The `Client` method reading an operation's (only) success response as
/// a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamMethod {
    /// Its name: the operation's own when the response is only ever a
    /// stream (then it is the operation's one method), else
    /// `<name>_stream`.
    pub fn_name: String,
    /// Whether it replaces the operation's method (its response offers no
    /// JSON to decode whole).
    pub replaces: bool,
    /// The status it streams.
    pub status: StatusKey,
    /// The media type it asks for (`Accept`).
    pub media_type: String,
    /// What the items are.
    pub kind: StreamKind,
    /// A boolean property of the JSON body the method sets to `true` to ask
    /// for the stream (`stream`), when the response may also be JSON.
    pub flag: Option<String>,
}

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Name of the source file (for the generated header).
    pub source_name: String,
    /// First server URL.
    pub default_server: Option<String>,
    /// The first server's variables, if it has any.
    pub server: Option<Server>,
    /// All generated types.
    pub types: Vec<TypeDef>,
    /// All operations.
    pub operations: Vec<Operation>,
    /// Security schemes.
    pub schemes: Vec<Scheme>,
    /// Names that generated code uses unqualified inside `types` and that a
    /// generated type shadows there (std's `String`, `Vec`, `Option`, `Box`,
    /// `Result`, and serde's `Serialize` and `Deserialize` derives): emit must
    /// spell those out with full paths.
    pub shadowed_std: Vec<&'static str>,
}

impl Api {
    /// The names a names file records (see [`crate::names_file`]).
    pub fn names(&self) -> crate::Names {
        crate::Names::of(self)
    }
}

/// Names generated code uses unqualified inside `types`.
const STD_NAMES: [&str; 7] = [
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Serialize",
    "Deserialize",
];

/// Methods the generated `Client` has besides operations and credential
/// setters.
const CLIENT_METHODS: [&str; 12] = [
    "new",
    "server_url",
    "with_http_client",
    "with_timeout",
    "with_retry_policy",
    "with_user_agent",
    "with_header",
    "core",
    "core_mut",
    "base_url",
    "default",
    "clone",
];

/// Names a security scheme's setter (`with_{name}`) must not take, since
/// they belong to another `with_…` method of the generated `Client`.
const SCHEME_RESERVED: [&str; 7] = [
    "http_client",
    "timeout",
    "retry_policy",
    "user_agent",
    "header",
    "hook",
    "server_override",
];

/// Builds the IR. Returns `None` when errors were reported.
pub fn build(doc: &Document<'_>, diags: &mut Diagnostics) -> Option<Api> {
    build_for(doc, &crate::EmitOptions::default(), diags)
}

/// [`build`], with component schemas replaced by existing Rust types:
/// (schema name, Rust path). References to them use the path, and no type
/// is generated for them.
pub fn build_with(
    doc: &Document<'_>,
    replacements: &[(String, String)],
    diags: &mut Diagnostics,
) -> Option<Api> {
    let opts = crate::EmitOptions {
        type_replacements: replacements.to_vec(),
        ..crate::EmitOptions::default()
    };
    build_for(doc, &opts, diags)
}

/// [`build`] with the options that shape the IR: type replacements,
/// whether `date-time` / `date` strings become [`Ty::DateTime`] /
/// [`Ty::Date`] (any representation but `String`), pagination set for
/// operations, and names recorded by an earlier generation.
///
/// Recorded names are claimed before any other, for what the spec still
/// has: to know what that is, the API is first built without them (which
/// names it makes does not depend on how they are spelled).
pub fn build_for(
    doc: &Document<'_>,
    opts: &crate::EmitOptions,
    diags: &mut Diagnostics,
) -> Option<Api> {
    let recorded = match opts.names.as_ref().filter(|n| !n.is_empty()) {
        Some(names) => {
            match build_named(doc, opts, &Recorded::default(), &mut Diagnostics::new()) {
                Some(fresh) => Recorded::usable(names, &fresh, diags),
                None => Recorded::default(),
            }
        }
        None => Recorded::default(),
    };
    build_named(doc, opts, &recorded, diags)
}

/// The `Client`'s own methods and its credential setters: names no
/// operation method may take.
pub(crate) fn client_methods(schemes: &[Scheme]) -> Namespace {
    let mut fns = Namespace::with_reserved(&CLIENT_METHODS);
    for s in schemes {
        fns.reserve(&format!("with_{}", s.ident));
        if let Some(t) = &s.token_setters {
            for setter in [&t.source, &t.client_credentials, &t.refresh_token] {
                fns.reserve(&format!("with_{setter}"));
            }
        }
    }
    fns
}

/// [`build_for`] with the recorded names it keeps.
fn build_named(
    doc: &Document<'_>,
    opts: &crate::EmitOptions,
    recorded: &Recorded,
    diags: &mut Diagnostics,
) -> Option<Api> {
    let mut external = HashMap::new();
    for (name, path) in &opts.type_replacements {
        match doc.schemas.iter().find(|(n, _)| n == name) {
            Some((_, schema)) => {
                external.insert(schema.pointer.clone(), path.clone());
            }
            None => diags.warning(
                doc.file(),
                "",
                format!("no component schema is named `{name}` (given a replacement type)"),
            ),
        }
    }
    let mut b = Builder {
        external,
        doc,
        file: doc.file().to_owned(),
        diags,
        types: Vec::new(),
        by_pointer: HashMap::new(),
        type_names: Namespace::new(),
        recorded,
        resolving: Vec::new(),
        dates: opts.date_time != crate::DateTimeRepr::String,
        paginate: opts
            .paginate
            .iter()
            .map(|(op, how)| (op.clone(), how.clone(), false))
            .collect(),
    };
    for name in recorded.types.values() {
        b.type_names.reserve(name);
    }
    b.register_components();
    // Visit in a canonical order (components by name, operations by path and
    // method) so that names numbered on a clash do not depend on the order of
    // keys in the document; output keeps the document's order.
    let mut components: Vec<usize> = (0..doc.schemas.len()).collect();
    components.sort_by_key(|&i| doc.schemas[i].0);
    for i in components {
        b.define_component(i);
    }
    let schemes = b.schemes();
    let mut root = Namespace::with_reserved(&["Client", "types"]);
    for name in recorded.operation_types.values() {
        root.reserve(name);
    }
    let server = b.server(&mut root);
    let mut fns = client_methods(&schemes);
    for name in recorded.methods.values() {
        fns.reserve(name);
    }
    let mut visit: Vec<usize> = (0..doc.operations.len()).collect();
    visit.sort_by(|&a, &b| {
        let (x, y) = (&doc.operations[a], &doc.operations[b]);
        (&x.path, &x.method).cmp(&(&y.path, &y.method))
    });
    let mut built: Vec<(usize, Operation)> = Vec::new();
    for i in visit {
        if let Some(o) = b.operation(&doc.operations[i], &schemes, &mut root, &mut fns) {
            built.push((i, o));
        }
    }
    built.sort_by_key(|(i, _)| *i);
    let mut operations: Vec<Operation> = built.into_iter().map(|(_, o)| o).collect();
    // Stream methods are named once every operation has its name, so none
    // of those depends on them.
    for op in &mut operations {
        let key = operation_key(&op.method, &op.path);
        let mut claim = |what: &str, wanted: &str| match recorded.methods.get(&sub_key(&key, what))
        {
            Some(name) => name.clone(),
            None => fns.claim(wanted),
        };
        if let Some(s) = op.stream.as_mut().filter(|s| !s.replaces) {
            s.fn_name = claim("stream", &format!("{}_stream", op.fn_name));
        }
        if let Some(p) = op.paging.as_mut() {
            p.pages_fn = claim("pages", &p.pages_fn);
            p.items_fn = claim("items", &p.items_fn);
            p.page_fn = claim("page", &p.page_fn);
        }
    }
    b.unused_paginate();
    b.check_alias_cycles();
    b.mark_recursive_aliases();
    b.box_cycles();
    b.resolve_defaults();
    b.resolve_checks(&mut operations);
    let shadowed_std = STD_NAMES
        .into_iter()
        .filter(|n| b.type_names.contains(n))
        .collect();
    let failed = b.diags.has_errors();
    let api = Api {
        title: doc.title.clone(),
        version: doc.api_version.clone(),
        description: doc.description.clone(),
        source_name: doc.file().to_owned(),
        default_server: doc.servers.first().map(|s| s.url.clone()),
        server,
        types: b.types,
        operations,
        schemes,
        shadowed_std,
    };
    (!failed).then_some(api)
}

struct Builder<'d, 'a> {
    doc: &'d Document<'a>,
    file: String,
    diags: &'d mut Diagnostics,
    types: Vec<TypeDef>,
    /// Schema pointer → the type generated for it.
    by_pointer: HashMap<String, TypeId>,
    type_names: Namespace,
    /// Names recorded by an earlier generation, claimed already.
    recorded: &'d Recorded,
    /// Pointers of `$ref` targets being inlined (guards alias cycles).
    resolving: Vec<String>,
    /// Schema pointer → the Rust path replacing it.
    external: HashMap<String, String>,
    /// Whether `date-time` and `date` strings get their own types.
    dates: bool,
    /// Pagination set for operations: (operation, how, whether one matched).
    paginate: Vec<(String, crate::Paginate, bool)>,
}

fn placeholder() -> TypeKind {
    TypeKind::Alias(Ty::Any)
}

/// Joins title and description into one doc text, with notes on keywords
/// the Rust type does not show (an unmodelled `format`).
fn doc_of(v: &Value) -> Option<String> {
    schema_ext::with_schema_notes(title_and_description(v), v)
}

fn title_and_description(v: &Value) -> Option<String> {
    let title = v.get("title").and_then(Value::as_str).map(str::trim);
    let desc = v.get("description").and_then(Value::as_str).map(str::trim);
    match (title, desc) {
        (Some(t), Some(d)) if !t.is_empty() && !d.is_empty() && t != d => {
            Some(format!("{t}\n\n{d}"))
        }
        (Some(t), _) if !t.is_empty() => Some(t.to_owned()),
        (_, Some(d)) if !d.is_empty() => Some(d.to_owned()),
        _ => None,
    }
}

/// Whether schema `member` is a `$ref` to what the mapping value `to`
/// names (a schema name, or a reference).
fn refers_to(member: &Value, to: &str) -> bool {
    member
        .get("$ref")
        .and_then(Value::as_str)
        .is_some_and(|r| r == to || r.rsplit('/').next() == Some(to.trim_start_matches("./")))
}

fn is_deprecated(v: &Value) -> bool {
    v.get("deprecated")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The `type` keyword as a list of names (3.1 allows arrays).
fn type_names(v: &Value) -> Vec<&str> {
    match v.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_null_schema(v: &Value) -> bool {
    let t = type_names(v);
    (t.len() == 1 && t[0] == "null")
        || v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].is_null())
        || v.get("const").is_some_and(Value::is_null)
}

impl<'a> Builder<'_, 'a> {
    fn error(&mut self, pointer: &str, msg: impl Into<String>) {
        self.diags.error(&self.file, pointer, msg);
    }

    fn warning(&mut self, pointer: &str, msg: impl Into<String>) {
        self.diags.warning(&self.file, pointer, msg);
    }

    /// The existing Rust type replacing the schema at `ptr`, if any: from
    /// the options, or its `x-rust-type` extension (a warning, and ignored,
    /// unless that is a Rust path).
    fn external_ty(&mut self, v: &Value, ptr: &str) -> Option<Ty> {
        if let Some(path) = self.external.get(ptr) {
            return Some(Ty::External(path.clone()));
        }
        let path = v.get("x-rust-type")?;
        match path.as_str() {
            Some(p) if crate::options::parse_type_path(p).is_ok() => {
                Some(Ty::External(p.trim().to_owned()))
            }
            _ => {
                self.diags.warning(
                    &self.file,
                    &push_pointer(ptr, "x-rust-type"),
                    "`x-rust-type` must be the Rust path of a type, like `rust_decimal::Decimal`; ignored",
                );
                None
            }
        }
    }

    /// The name of the type made from the schema at `pointer`: the
    /// recorded one, else `wanted` (numbered on a clash).
    pub(super) fn type_name(&mut self, pointer: &str, wanted: &str) -> String {
        match self.recorded.types.get(pointer) {
            Some(name) => name.clone(),
            None => self.type_names.claim(wanted),
        }
    }

    fn new_type(&mut self, name: String, pointer: &str, v: &Value) -> TypeId {
        let id = self.types.len();
        self.types.push(TypeDef {
            name,
            pointer: pointer.to_owned(),
            doc: doc_of(v),
            deprecated: is_deprecated(v),
            nullable: false,
            kind: placeholder(),
            checks: None,
            newtype: false,
        });
        self.by_pointer.insert(pointer.to_owned(), id);
        id
    }

    fn register_components(&mut self) {
        let recorded = self.recorded;
        let named = |pointer: &str| recorded.types.get(pointer);
        let wanted: Vec<(&str, String)> = self
            .doc
            .schemas
            .iter()
            .filter(|(_, schema)| named(&schema.pointer).is_none())
            .map(|(name, _)| (*name, type_ident(name, "Schema")))
            .collect();
        let mut claimed = self.type_names.claim_all(&wanted).into_iter();
        let idents: Vec<String> = self
            .doc
            .schemas
            .iter()
            .map(|(_, schema)| match named(&schema.pointer) {
                Some(name) => name.clone(),
                None => claimed.next().unwrap_or_default(),
            })
            .collect();
        for ((_, schema), ident) in self.doc.schemas.iter().zip(idents) {
            if self.external_ty(schema.value, &schema.pointer).is_some() {
                continue;
            }
            let id = self.new_type(ident, &schema.pointer, schema.value);
            self.types[id].nullable = self.nullable(schema.value, 0);
        }
    }

    fn define_component(&mut self, i: usize) {
        let (name, schema) = &self.doc.schemas[i];
        // Replaced by an existing type: nothing to define.
        let Some(&id) = self.by_pointer.get(&schema.pointer) else {
            return;
        };
        let hint = self.types[id].name.clone();
        let _ = name;
        let kind = self.kind_of(schema.value, &schema.pointer, &hint);
        self.types[id].kind = kind;
    }

    // -----------------------------------------------------------------------
    // Schemas

    /// Whether a schema admits `null` (following `$ref`s, bounded depth).
    fn nullable(&self, v: &Value, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let target = spec::local_ref_pointer(r).and_then(|p| self.doc.lookup(&p));
            return target.is_some_and(|t| self.nullable(t, depth + 1));
        }
        if v.get("nullable").and_then(Value::as_bool) == Some(true)
            && self.doc.version == Version::V3_0
        {
            return true;
        }
        if type_names(v).contains(&"null") {
            return true;
        }
        if v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
        {
            return true;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = v.get(key).and_then(Value::as_array) {
                if list
                    .iter()
                    .any(|m| is_null_schema(m) || self.nullable(m, depth + 1))
                {
                    return true;
                }
            }
        }
        if let Some(list) = v.get("allOf").and_then(Value::as_array) {
            if !list.is_empty() && list.iter().all(|m| self.nullable(m, depth + 1)) {
                return true;
            }
        }
        // 3.0 also allowed `nullable` in 3.1 documents written by hand; honour it.
        v.get("nullable").and_then(Value::as_bool) == Some(true)
    }

    /// The type for a schema used somewhere (a field, an item, a body …).
    /// Schemas that need a declaration (objects with properties, enums,
    /// unions) become named types called `hint`.
    fn ty_of(&mut self, v: &'a Value, ptr: &str, hint: &str) -> Ty {
        match v {
            Value::Bool(true) => return Ty::Any,
            Value::Bool(false) => {
                self.warning(
                    ptr,
                    "the `false` schema matches nothing; typed as any JSON value",
                );
                return Ty::Any;
            }
            Value::Object(_) => {}
            _ => {
                self.error(ptr, "a schema must be an object or a boolean");
                return Ty::Any;
            }
        }
        if let Some(t) = self.unsupported_keywords(v, ptr) {
            return t;
        }
        if let Some(t) = self.external_ty(v, ptr) {
            return t;
        }
        if let Some(r) = v.get("$ref") {
            if self.merges_ref_siblings(v) {
                return self.ref_with_siblings_ty(v, ptr, hint);
            }
            return self.ref_ty(r, ptr, hint);
        }
        if let Some(&id) = self.by_pointer.get(ptr) {
            return Ty::Named(id);
        }
        if let Some(wrapped) = self.wrapped(v, ptr, hint) {
            return wrapped;
        }
        if self.needs_declaration(v) {
            let name = self.type_name(ptr, &type_ident(hint, "Type"));
            let id = self.new_type(name, ptr, v);
            let kind = self.kind_of(v, ptr, hint);
            self.types[id].kind = kind;
            return Ty::Named(id);
        }
        self.simple_ty(v, ptr, hint)
    }

    /// The type of a schema that only wraps another: `allOf` with a single
    /// member (often a `$ref` plus a description), or `oneOf`/`anyOf` with a
    /// single non-null member (`null` members only make it nullable), when
    /// it has no properties of its own.
    fn wrapped(&mut self, v: &'a Value, ptr: &str, hint: &str) -> Option<Ty> {
        if let Some(all) = v.get("allOf").and_then(Value::as_array) {
            if all.len() == 1 && v.get("properties").is_none() {
                return Some(self.ty_of(&all[0], &format!("{ptr}/allOf/0"), hint));
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = v.get(key).and_then(Value::as_array) {
                let members: Vec<usize> = (0..list.len())
                    .filter(|&i| !is_null_schema(&list[i]))
                    .collect();
                if members.is_empty() {
                    return Some(Ty::Unit);
                }
                if members.len() == 1 && v.get("properties").is_none() {
                    let i = members[0];
                    return Some(self.ty_of(&list[i], &format!("{ptr}/{key}/{i}"), hint));
                }
            }
        }
        None
    }

    fn ref_ty(&mut self, r: &'a Value, ptr: &str, hint: &str) -> Ty {
        let ref_ptr = push_pointer(ptr, "$ref");
        let Some(r) = r.as_str() else {
            self.error(&ref_ptr, "`$ref` must be a string");
            return Ty::Any;
        };
        let Some(target) = spec::local_ref_pointer(r) else {
            self.error(
                &ref_ptr,
                format!("`$ref: {r}` points into another file; only references within the same document are supported"),
            );
            return Ty::Any;
        };
        if let Some(&id) = self.by_pointer.get(&target) {
            return Ty::Named(id);
        }
        if let Some(t) = self
            .doc
            .lookup(&target)
            .and_then(|value| self.external_ty(value, &target))
        {
            return t;
        }
        let Some(value) = self.doc.lookup(&target) else {
            self.error(&ref_ptr, format!("`$ref: {r}` points to nothing"));
            return Ty::Any;
        };
        if self.resolving.contains(&target) {
            self.error(
                &ref_ptr,
                format!("`$ref: {r}` is part of a reference cycle that never reaches a type"),
            );
            return Ty::Any;
        }
        // A reference to a schema that is not a component: name it after the
        // last segment of its pointer.
        let last = target.rsplit('/').next().unwrap_or(hint).to_owned();
        let hint = if last.chars().all(|c| c.is_ascii_digit()) {
            hint.to_owned()
        } else {
            last
        };
        self.resolving.push(target.clone());
        let ty = self.ty_of(value, &target, &hint);
        self.resolving.pop();
        ty
    }

    /// Whether a schema becomes a declared (named) type.
    fn needs_declaration(&self, v: &Value) -> bool {
        if v.get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() > 1)
        {
            return true;
        }
        if v.get("oneOf").is_some() || v.get("anyOf").is_some() {
            return true;
        }
        if v.get("enum").is_some() || v.get("const").is_some() {
            return schema_ext::is_declared_enum(v);
        }
        let types: Vec<&str> = type_names(v).into_iter().filter(|t| *t != "null").collect();
        if types.len() > 1 {
            return true;
        }
        let objecty = types.first().is_none_or(|t| *t == "object");
        objecty
            && v.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
            || schema_ext::is_closed_empty_object(v)
    }

    /// Types that need no declaration: primitives, arrays, maps, any.
    fn simple_ty(&mut self, v: &'a Value, ptr: &str, hint: &str) -> Ty {
        if let Some(class) = schema_ext::enum_class(v) {
            // Enums that are not declared: booleans, or values of any shape.
            return match class {
                schema_ext::EnumClass::Bool => Ty::Bool,
                _ => Ty::Any,
            };
        }
        let types: Vec<&str> = type_names(v).into_iter().filter(|t| *t != "null").collect();
        let ty = match types.first().copied() {
            Some(t) => t,
            None if type_names(v).contains(&"null") => return Ty::Unit,
            None if v.get("properties").is_some()
                || v.get("additionalProperties").is_some()
                || v.get("patternProperties").is_some() =>
            {
                "object"
            }
            None if v.get("items").is_some() || v.get("prefixItems").is_some() => "array",
            None => return Ty::Any,
        };
        self.typed(v, ty, ptr, hint)
    }

    /// The type of schema `v` read as JSON type `ty` (one of its `type`s).
    fn typed(&mut self, v: &'a Value, ty: &str, ptr: &str, hint: &str) -> Ty {
        let format = v.get("format").and_then(Value::as_str).unwrap_or("");
        match ty {
            "string" => schema_ext::string_ty(format, self.dates),
            "integer" => schema_ext::integer_ty(format),
            "number" => match format {
                "float" => Ty::F32,
                "double" => Ty::F64,
                _ => Ty::Number,
            },
            "boolean" => Ty::Bool,
            "array" => {
                if let Some(tuple) = self.tuple_ty(v, ptr, hint) {
                    return tuple;
                }
                let item = match v.get("items") {
                    Some(items) => {
                        let ip = push_pointer(ptr, "items");
                        let t = self.ty_of(items, &ip, &format!("{hint}Item"));
                        self.wrap_nullable(items, t)
                    }
                    None => Ty::Any,
                };
                Ty::Vec(Box::new(item))
            }
            "object" => match v.get("additionalProperties") {
                _ if schema_ext::has_pattern_properties(v) => self
                    .pattern_map_ty(v, ptr, hint)
                    .unwrap_or(Ty::Map(Box::new(Ty::Any))),
                Some(Value::Object(_)) => {
                    let ap = &v["additionalProperties"];
                    let t = self.ty_of(
                        ap,
                        &push_pointer(ptr, "additionalProperties"),
                        &format!("{hint}Value"),
                    );
                    let t = self.wrap_nullable(ap, t);
                    Ty::Map(Box::new(t))
                }
                _ => Ty::Map(Box::new(Ty::Any)),
            },
            other => {
                self.warning(
                    &push_pointer(ptr, "type"),
                    format!("unknown type `{other}`; typed as any JSON value"),
                );
                Ty::Any
            }
        }
    }

    /// `Option<T>` for nullable schemas in positions without a presence
    /// (array items, map values, request and response bodies).
    pub(super) fn wrap_nullable(&self, v: &'a Value, t: Ty) -> Ty {
        if matches!(t, Ty::Any | Ty::Unit | Ty::Option(_)) {
            return t;
        }
        if self.nullable(v, 0) {
            Ty::Option(Box::new(t))
        } else {
            t
        }
    }

    /// The declaration for a named schema.
    fn kind_of(&mut self, v: &'a Value, ptr: &str, name: &str) -> TypeKind {
        if !v.is_object() {
            return TypeKind::Alias(self.ty_of(v, ptr, name));
        }
        if let Some(t) = self.unsupported_keywords(v, ptr) {
            return TypeKind::Alias(t);
        }
        if self.merges_ref_siblings(v) {
            return self.ref_with_siblings_kind(v, ptr, name);
        }
        if v.get("$ref").is_some() {
            let t = self.ty_of(v, ptr, name);
            return TypeKind::Alias(t);
        }
        // A component that wraps one other schema is an alias of it.
        if let Some(t) = self.wrapped(v, ptr, name) {
            return TypeKind::Alias(t);
        }
        if let Some(all) = v.get("allOf").and_then(Value::as_array) {
            if all.len() > 1 || v.get("properties").is_some() {
                return self.all_of(v, ptr, name);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = v.get(key).and_then(Value::as_array) {
                let members = list.iter().filter(|m| !is_null_schema(m)).count();
                if members > 1 {
                    return self.union(v, key, ptr, name);
                }
            }
        }
        if let Some(kind) = self.enum_kind(v) {
            return kind;
        }
        let types: Vec<&str> = type_names(v).into_iter().filter(|t| *t != "null").collect();
        if types.len() > 1 {
            return self.type_union(v, &types, ptr, name);
        }
        let objecty = types.first().is_none_or(|t| *t == "object");
        if objecty
            && v.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
        {
            let mut acc = ObjectAcc::default();
            self.collect_object(v, ptr, &mut acc, 0);
            return TypeKind::Struct(self.object(acc, name));
        }
        if schema_ext::is_closed_empty_object(v) {
            return TypeKind::Struct(Struct {
                fields: Vec::new(),
                extra: None,
                has_default: true,
            });
        }
        // A component that is a primitive, array or map: an alias.
        TypeKind::Alias(self.simple_ty(v, ptr, name))
    }

    // -- objects -------------------------------------------------------------

    /// Gathers properties, required names and extra-key policy from a schema
    /// and, recursively, its `allOf` members.
    fn collect_object(&mut self, v: &'a Value, ptr: &str, acc: &mut ObjectAcc<'a>, depth: usize) {
        if depth > 32 {
            self.error(ptr, "`allOf` nests too deeply (or is cyclic)");
            return;
        }
        let (v, ptr) = if self.merges_ref_siblings(v) {
            // 3.1: `$ref` beside structural keywords is `allOf: [{$ref}, {siblings}]`.
            let Some((target, at)) = self.deref(v, ptr) else {
                return;
            };
            self.collect_object(target, &at, acc, depth + 1);
            (v, ptr.to_owned())
        } else {
            let Some(found) = self.deref(v, ptr) else {
                return;
            };
            found
        };
        self.unsupported_keywords(v, &ptr);
        if let Some(all) = v.get("allOf").and_then(Value::as_array) {
            for (i, m) in all.iter().enumerate() {
                self.collect_object(m, &format!("{ptr}/allOf/{i}"), acc, depth + 1);
            }
        }
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                let pp = push_pointer(&push_pointer(&ptr, "properties"), k);
                if let Some(slot) = acc.props.iter_mut().find(|(name, _, _)| name == k) {
                    // Later members refine earlier ones (deterministic: last wins).
                    slot.1 = p;
                    slot.2 = pp;
                } else {
                    acc.props.push((k.clone(), p, pp));
                }
            }
        }
        if let Some(req) = v.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !acc.required.iter().any(|x| x == r) {
                    acc.required.push(r.to_owned());
                }
            }
        }
        match v.get("additionalProperties") {
            Some(Value::Bool(true)) => acc.extra = Some(ExtraAcc::Any),
            Some(ap @ Value::Object(o)) if !o.is_empty() => {
                acc.extra = Some(ExtraAcc::Schema(
                    ap,
                    push_pointer(&ptr, "additionalProperties"),
                ))
            }
            Some(Value::Object(_)) => acc.extra = Some(ExtraAcc::Any),
            _ => {}
        }
        self.collect_patterns(v, &ptr, acc);
    }

    /// Follows `$ref`s (if any) to the schema they name; returns it with its pointer.
    fn deref(&mut self, v: &'a Value, ptr: &str) -> Option<(&'a Value, String)> {
        let mut cur = v;
        let mut at = ptr.to_owned();
        for _ in 0..32 {
            let Some(r) = cur.get("$ref") else {
                return Some((cur, at));
            };
            let ref_ptr = push_pointer(&at, "$ref");
            let Some(r) = r.as_str() else {
                self.error(&ref_ptr, "`$ref` must be a string");
                return None;
            };
            let Some(target) = spec::local_ref_pointer(r) else {
                self.error(&ref_ptr, format!("`$ref: {r}` points into another file; only references within the same document are supported"));
                return None;
            };
            let Some(t) = self.doc.lookup(&target) else {
                self.error(&ref_ptr, format!("`$ref: {r}` points to nothing"));
                return None;
            };
            cur = t;
            at = target;
        }
        self.error(ptr, "`$ref` chain too long or cyclic");
        None
    }

    /// Follows `$ref`s like [`Self::deref`], but silently: for reading a
    /// detail (a doc text, a tag value) of a schema whose type was already
    /// built, and whose bad references were reported then.
    fn follow_refs(&self, v: &'a Value) -> Option<&'a Value> {
        let mut cur = v;
        for _ in 0..32 {
            let Some(r) = cur.get("$ref") else {
                return Some(cur);
            };
            let target = spec::local_ref_pointer(r.as_str()?)?;
            cur = self.doc.lookup(&target)?;
        }
        None
    }

    fn object(&mut self, acc: ObjectAcc<'a>, name: &str) -> Struct {
        let mut idents = Namespace::with_reserved(&SCHEME_RESERVED);
        let wanted: Vec<(&str, String)> = acc
            .props
            .iter()
            .map(|(json_name, _, _)| (json_name.as_str(), value_ident(json_name, "field")))
            .collect();
        let field_idents = idents.claim_all(&wanted);
        // Inline types are created (and so numbered on a name clash) in key
        // order, so their names do not depend on the order of `properties`;
        // the fields themselves keep the document's order.
        let mut order: Vec<usize> = (0..acc.props.len()).collect();
        order.sort_by(|&a, &b| acc.props[a].0.cmp(&acc.props[b].0));
        let mut tys: Vec<Option<Ty>> = vec![None; acc.props.len()];
        for i in order {
            let (json_name, p, pp) = &acc.props[i];
            let hint = format!("{name}{}", type_ident(json_name, "Field"));
            tys[i] = Some(self.ty_of(p, pp, &hint));
        }
        let mut fields = Vec::new();
        for (((json_name, p, pp), ident), ty) in acc.props.iter().zip(field_idents).zip(tys) {
            let ty = ty.unwrap_or(Ty::Any);
            let listed = acc.required.iter().any(|r| r == json_name);
            let required = listed && !self.required_relaxed(p);
            let nullable =
                self.nullable(p, 0) || matches!(ty, Ty::Named(id) if self.types[id].nullable);
            let presence = match (required, nullable || ty == Ty::Any) {
                (true, false) => Presence::Required,
                (true, true) if ty == Ty::Any => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let presence = if ty == Ty::Unit && presence == Presence::Required {
                Presence::Required
            } else {
                presence
            };
            // A `$ref`'s target documents the field only when it is not a
            // generated type (which carries that text itself).
            let doc = match doc_of(p) {
                Some(d) => Some(d),
                None if matches!(ty, Ty::Named(_)) => None,
                None => self.follow_refs(p).and_then(doc_of),
            };
            let doc = self.field_doc(p, doc, listed);
            fields.push(Field {
                name: ident,
                json_name: json_name.clone(),
                ty,
                presence,
                boxed: false,
                doc,
                deprecated: is_deprecated(p),
                pointer: pp.clone(),
                default: None,
            });
        }
        // `additionalProperties` and `patternProperties` together.
        let extra = self.extra_value_ty(acc.extra, acc.patterns, name);
        let extra = extra.map(|t| (idents.claim("extra"), t));
        Struct {
            fields,
            extra,
            // Decided once every type is built (`resolve_defaults`).
            has_default: false,
        }
    }

    fn all_of(&mut self, v: &'a Value, ptr: &str, name: &str) -> TypeKind {
        let mut acc = ObjectAcc::default();
        self.collect_object(v, ptr, &mut acc, 0);
        if acc.props.is_empty() && acc.extra.is_none() && acc.patterns.is_empty() {
            // allOf of non-object schemas: the first member's type.
            if let Some(first) = v.get("allOf").and_then(|a| a.get(0)) {
                return TypeKind::Alias(self.ty_of(first, &format!("{ptr}/allOf/0"), name));
            }
        }
        TypeKind::Struct(self.object(acc, name))
    }

    // -- unions --------------------------------------------------------------

    fn union(&mut self, v: &'a Value, key: &str, ptr: &str, name: &str) -> TypeKind {
        let list: &'a [Value] = v
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        if let Some(kind) = self.enum_of_string_alternatives(v, list, ptr) {
            return kind;
        }
        let tag = v
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mapping: Vec<(String, String)> = v
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, r)| Some((k.clone(), r.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let default_mapping = v
            .pointer("/discriminator/defaultMapping")
            .and_then(Value::as_str)
            .filter(|_| tag.is_some());
        let mut default = None;
        let mut names = Namespace::new();
        let mut variants = Vec::new();
        for (i, member) in list.iter().enumerate() {
            if is_null_schema(member) {
                continue;
            }
            let mptr = format!("{ptr}/{key}/{i}");
            let vname = names.claim(&variant_name(member, i));
            let is_default = default_mapping.is_some_and(|d| refers_to(member, d));
            if is_default {
                default = Some(vname.clone());
            }
            let ty = self.ty_of(member, &mptr, &format!("{name}{vname}"));
            let (mut tags, writes_tag) = match &tag {
                Some(t) => self.tags_for(member, t, &mapping),
                None => (Vec::new(), false),
            };
            // The default schema stands for the values nothing maps, not for
            // its own name.
            let implicit = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next());
            if is_default
                && !mapping.iter().any(|(_, r)| refers_to(member, r))
                && tags.len() == 1
                && implicit == tags.first().map(String::as_str)
            {
                tags.clear();
            }
            variants.push(Variant {
                name: vname,
                ty,
                boxed: false,
                tags,
                writes_tag,
            });
        }
        if let (Some(d), None) = (default_mapping, &default) {
            // A default schema that is not an alternative is one too.
            let target = match d.strip_prefix('#') {
                Some(p) => p.to_owned(),
                None => push_pointer("/components/schemas", d),
            };
            match self.doc.lookup(&target) {
                Some(schema) => {
                    let vname = names.claim(&type_ident(d.rsplit('/').next().unwrap_or(d), "Default"));
                    let ty = self.ty_of(schema, &target, &format!("{name}{vname}"));
                    variants.push(Variant {
                        name: vname.clone(),
                        ty,
                        boxed: false,
                        tags: Vec::new(),
                        writes_tag: false,
                    });
                    default = Some(vname);
                }
                None => self.warning(
                    &format!("{ptr}/discriminator/defaultMapping"),
                    format!("`defaultMapping: {d}` names no schema; values with other tags are kept as they are"),
                ),
            }
        }
        let fallback = names.claim("Unknown");
        TypeKind::Union(Union {
            variants,
            tag,
            fallback,
            default,
        })
    }

    /// A `oneOf`/`anyOf` whose alternatives are all inline string `enum`s or
    /// `const`s (a common way to document each value) is one open string
    /// enum, not a union of one-value enums. Each alternative's description is
    /// added to the type's docs.
    fn enum_of_string_alternatives(
        &mut self,
        v: &'a Value,
        list: &'a [Value],
        ptr: &str,
    ) -> Option<TypeKind> {
        if v.get("discriminator").is_some() {
            return None;
        }
        let mut values: Vec<&str> = Vec::new();
        let mut notes = Vec::new();
        for m in list.iter().filter(|m| !is_null_schema(m)) {
            let obj = m.as_object()?;
            let plain = obj.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "type" | "enum" | "const" | "description" | "title" | "deprecated"
                )
            });
            if !plain || !matches!(obj.get("type"), None | Some(Value::String(_))) {
                return None;
            }
            if obj.get("type").is_some_and(|t| t != "string") {
                return None;
            }
            let these: Vec<&str> = match (obj.get("enum"), obj.get("const")) {
                (Some(Value::Array(e)), None) => {
                    e.iter().map(Value::as_str).collect::<Option<_>>()?
                }
                (None, Some(Value::String(c))) => vec![c.as_str()],
                _ => return None,
            };
            if let Some(d) = doc_of(m) {
                let quoted: Vec<String> = these.iter().map(|x| format!("`{x}`")).collect();
                notes.push(format!("- {}: {}", quoted.join(", "), d.replace('\n', " ")));
            }
            values.extend(these);
        }
        if values.is_empty() {
            return None;
        }
        if !notes.is_empty() {
            if let Some(&id) = self.by_pointer.get(ptr) {
                let t = &mut self.types[id];
                let list = notes.join("\n");
                t.doc = Some(match t.doc.take() {
                    Some(d) => format!("{d}\n\n{list}"),
                    None => list,
                });
            }
        }
        Some(TypeKind::Enum(str_enum(&values)))
    }

    /// Discriminator values selecting `member`, and whether the member's
    /// struct declares the tag as a required property (so it writes it itself).
    fn tags_for(
        &mut self,
        member: &'a Value,
        tag: &str,
        mapping: &[(String, String)],
    ) -> (Vec<String>, bool) {
        let member_ref = member.get("$ref").and_then(Value::as_str);
        let mut tags: Vec<String> = mapping
            .iter()
            .filter(|(_, r)| {
                Some(r.as_str()) == member_ref
                    || Some(r.as_str()) == member_ref.map(|m| m.rsplit('/').next().unwrap_or(m))
            })
            .map(|(k, _)| k.clone())
            .collect();
        let resolved = self.follow_refs(member);
        if tags.is_empty() {
            if let Some(values) = resolved
                .and_then(|s| s.pointer(&format!("/properties/{tag}")))
                .and_then(|p| {
                    p.get("enum")
                        .and_then(Value::as_array)
                        .map(|e| {
                            e.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect::<Vec<_>>()
                        })
                        .or_else(|| {
                            p.get("const")
                                .and_then(Value::as_str)
                                .map(|c| vec![c.to_owned()])
                        })
                })
            {
                tags = values;
            } else if let Some(r) = member_ref {
                tags.push(r.rsplit('/').next().unwrap_or(r).to_owned());
            }
        }
        let writes_tag = resolved.is_some_and(|s| {
            s.pointer(&format!("/properties/{tag}")).is_some()
                && s.get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(tag)))
        });
        (tags, writes_tag)
    }

    /// `type: [string, integer, …]` → an untagged union of those types.
    fn type_union(&mut self, v: &'a Value, types: &[&str], ptr: &str, name: &str) -> TypeKind {
        let mut names = Namespace::new();
        let mut variants = Vec::new();
        for t in types {
            let vname = names.claim(&type_ident(&primitive_variant(t), "Variant"));
            let ty = if *t == "object" && v.get("properties").is_some() {
                let mut acc = ObjectAcc::default();
                self.collect_object(v, ptr, &mut acc, 0);
                let sptr = format!("{ptr}/type");
                let sname = self.type_name(&sptr, &format!("{}{vname}", camel_prefix(name)));
                let id = self.new_type(sname.clone(), &sptr, v);
                let st = self.object(acc, &sname);
                self.types[id].kind = TypeKind::Struct(st);
                Ty::Named(id)
            } else {
                self.typed(v, t, ptr, &format!("{name}{vname}"))
            };
            variants.push(Variant {
                name: vname,
                ty,
                boxed: false,
                tags: Vec::new(),
                writes_tag: false,
            });
        }
        let fallback = names.claim("Unknown");
        TypeKind::Union(Union {
            variants,
            tag: None,
            fallback,
            default: None,
        })
    }

    // -----------------------------------------------------------------------
    // Operations

    fn schemes(&mut self) -> Vec<Scheme> {
        let mut idents = Namespace::with_reserved(&SCHEME_RESERVED);
        let mut schemes: Vec<Scheme> = self
            .doc
            .security_schemes
            .iter()
            .map(|s| Scheme {
                name: s.name.clone(),
                ident: snake_suffix(&idents.claim(&value_ident(&s.name, "auth"))).to_owned(),
                kind: s.kind.clone(),
                doc: s.description.clone(),
                tokens: s.tokens.clone(),
                token_setters: None,
            })
            .collect();
        // The token schemes' other setters, claimed after every scheme's own
        // so that they never take a name another scheme's setter has.
        for s in schemes.iter_mut().filter(|s| s.tokens.is_some()) {
            // `self_` (a keyword made usable) gives `self_token_source`.
            let stem = match s.ident.trim_end_matches('_') {
                "" => "auth",
                stem => stem,
            };
            let mut claim =
                |suffix: &str| snake_suffix(&idents.claim(&format!("{stem}_{suffix}"))).to_owned();
            s.token_setters = Some(TokenSetters {
                source: claim("token_source"),
                client_credentials: claim("client_credentials"),
                refresh_token: claim("refresh_token"),
            });
        }
        schemes
    }

    fn operation(
        &mut self,
        op: &spec::Operation<'a>,
        schemes: &[Scheme],
        root: &mut Namespace,
        fns: &mut Namespace,
    ) -> Option<Operation> {
        let raw_name = match &op.operation_id {
            Some(id) => id.clone(),
            None => format!(
                "{} {}",
                op.method.to_ascii_lowercase(),
                op.path.replace(['{', '}'], "")
            ),
        };
        let key = operation_key(&op.method, &op.path);
        let wanted = value_ident(&raw_name, "operation");
        let fn_name = match self.recorded.methods.get(&key) {
            Some(name) => {
                if !crate::names::is_numbering_of(name, &wanted) {
                    let at = match op.operation_id {
                        Some(_) => push_pointer(&op.pointer, "operationId"),
                        None => op.pointer.clone(),
                    };
                    let file = &self.recorded.file;
                    self.warning(
                        &at,
                        format!(
                            "`{key}` keeps its method name `{name}` from {file}, though its operationId now asks for `{wanted}`; delete the entry \"{key}\" from {file} to take the new name"
                        ),
                    );
                }
                name.clone()
            }
            None => fns.claim(&wanted),
        };
        let stem = type_prefix(&raw_name, "Operation");
        let recorded = self.recorded;
        let root_name = |root: &mut Namespace, what: &str, wanted: String| match recorded
            .operation_types
            .get(&sub_key(&key, what))
        {
            Some(name) => name.clone(),
            None => root.claim(&wanted),
        };

        // Parameters: path ones in template order, then required, then optional.
        let vars = spec::path_variables(&op.path);
        let mut ordered: Vec<&spec::Parameter<'a>> = Vec::new();
        for var in &vars {
            if let Some(p) = op
                .parameters
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.name == *var)
            {
                ordered.push(p);
            }
        }
        ordered.extend(
            op.parameters
                .iter()
                .filter(|p| p.location != ParamLocation::Path && p.required),
        );
        ordered.extend(
            op.parameters
                .iter()
                .filter(|p| p.location != ParamLocation::Path && !p.required),
        );
        let mut args = Namespace::with_reserved(&[
            "self",
            "body",
            "params",
            "response",
            "request",
            "content_type",
            "form",
        ]);
        let mut fields = Namespace::new();
        let mut params = Vec::new();
        for p in ordered {
            let ident = if p.required {
                args.claim(&binding_ident(value_ident(&p.name, "param"), "param"))
            } else {
                fields.claim(&value_ident(&p.name, "param"))
            };
            let hint = format!("{stem}{}", type_ident(&p.name, "Param"));
            let ty = match &p.schema {
                Some(s) => self.ty_of(s.value, &s.pointer, &hint),
                None => Ty::String,
            };
            let (style, explode) = if p.json_content || p.location == ParamLocation::QueryString {
                (p.style, p.explode)
            } else {
                self.param_style(p, &ty)
            };
            let checks = match &p.schema {
                Some(s) => self.raw_checks(s.value, &s.pointer, &ty),
                None => None,
            };
            params.push(Param {
                name: p.name.clone(),
                ident,
                location: p.location,
                required: p.required,
                ty,
                style,
                explode,
                json: p.json_content,
                content_type: p.media_type.clone(),
                doc: p.description.clone(),
                checks,
                keep_slashes: p.multi_segment,
                may_be_empty: false,
            });
        }
        let segments = segments(&op.path, &params);
        // `…/{path}` where `path` may hold `/`: `""` names the parent
        // (`/contents/` is the root of a repository). Other parameters stay
        // non-empty: `DELETE /items/{id}` with `""` must not become
        // `DELETE /items/`.
        if let [.., Segment::Literal(before), Segment::Param(i)] = segments.as_slice() {
            if before.ends_with('/') && params[*i].keep_slashes {
                params[*i].may_be_empty = true;
            }
        }
        let params_struct = params
            .iter()
            .any(|p| !p.required)
            .then(|| root_name(root, "params", format!("{stem}Params")));

        let mut multipart_name = || root_name(root, "multipart", format!("{stem}Multipart"));
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.body(b, &stem, &mut multipart_name));

        let success_count = op
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .count();
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut success_names = Namespace::new();
        let mut error_names = Namespace::with_reserved(&[]);
        for r in &op.responses {
            let is_success = r.status.is_success();
            let hint = if is_success && success_count == 1 {
                format!("{stem}Response")
            } else {
                format!("{stem}{}Response", status_name(r.status))
            };
            let (payload, media_type) = self.payload(&r.content, &hint);
            let variant = if is_success {
                success_names.claim(&status_name(r.status))
            } else {
                error_names.claim(&status_name(r.status))
            };
            let case = Case {
                status: r.status,
                variant,
                payload,
                media_type,
                doc: r.description.clone(),
            };
            if is_success {
                successes.push(case);
            } else {
                errors.push(case);
            }
        }
        let distinct: Vec<&Payload> = successes.iter().fold(Vec::new(), |mut acc, c| {
            if !acc.contains(&&c.payload) {
                acc.push(&c.payload);
            }
            acc
        });
        let success_enum =
            (distinct.len() > 1).then(|| root_name(root, "success", format!("{stem}Success")));
        let error_enum = root_name(root, "error", format!("{stem}Error"));
        let stream = self.stream_method(op, &successes, body.as_ref(), &fn_name, &stem);

        let requirements = op.security.as_ref().unwrap_or(&self.doc.security);
        let mut security = Vec::new();
        let mut scopes: Vec<(usize, Vec<String>)> = Vec::new();
        for alt in requirements {
            let mut idx = Vec::new();
            for (name, wanted) in alt {
                match schemes.iter().position(|s| &s.name == name) {
                    Some(i) => {
                        idx.push(i);
                        if schemes[i].tokens.is_some()
                            && !wanted.is_empty()
                            && !scopes.iter().any(|(j, _)| *j == i)
                        {
                            scopes.push((i, wanted.clone()));
                        }
                    }
                    None => {
                        let p = op.pointer.clone();
                        self.warning(&p, format!("security scheme `{name}` is not defined in components.securitySchemes; ignored"));
                    }
                }
            }
            if idx.len() == alt.len() {
                security.push(idx);
            }
        }

        let mut doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) => Some(format!("{}\n\n{}", s.trim(), d.trim())),
            (Some(s), None) => Some(s.trim().to_owned()),
            (None, Some(d)) => Some(d.trim().to_owned()),
            (None, None) => None,
        };
        let line = format!("`{} {}`", op.method, op.path);
        doc = Some(match doc {
            Some(d) => format!("{d}\n\n{line}"),
            None => line,
        });
        Some(Operation {
            operation_id: op.operation_id.clone().unwrap_or_else(|| fn_name.clone()),
            fn_name,
            type_stem: stem,
            method: op.method.clone(),
            path: op.path.clone(),
            segments,
            doc,
            deprecated: op.deprecated,
            params,
            params_struct,
            body,
            successes,
            success_enum,
            errors,
            error_enum,
            security,
            scopes,
            tags: op.tags.clone(),
            server: kinds::op_server(op, self.doc),
            accept: kinds::accept(&op.responses),
            fixed_query: op.fixed_query.clone(),
            stream,
            paging: None,
        })
        .map(|mut built| {
            built.paging = self.pagination(op, &built);
            built
        })
    }

    // -----------------------------------------------------------------------
    // Whole-graph passes

    /// `type A = B; type B = A;` can never be a type: report it.
    fn check_alias_cycles(&mut self) {
        for start in 0..self.types.len() {
            let mut cur = start;
            let mut steps = 0;
            while let TypeKind::Alias(Ty::Named(next)) = self.types[cur].kind {
                cur = next;
                steps += 1;
                if cur == start || steps > self.types.len() {
                    let p = self.types[start].pointer.clone();
                    self.error(
                        &p,
                        "this schema only refers to itself (a `$ref` cycle with no base type)",
                    );
                    break;
                }
            }
        }
    }

    /// Marks aliases whose expansion reaches themselves through a container
    /// (`List = Vec<List>`, `Tree = BTreeMap<String, Tree>`) as newtypes.
    /// Expansion stops at nominal types (structs, enums, unions), which can
    /// already refer to themselves; pure alias chains are errors reported by
    /// [`Self::check_alias_cycles`].
    fn mark_recursive_aliases(&mut self) {
        fn reaches(types: &[TypeDef], ty: &Ty, target: TypeId, seen: &mut Vec<TypeId>) -> bool {
            let mut found = false;
            ty.visit_named(&mut |id| {
                if found {
                    return;
                }
                if id == target {
                    found = true;
                } else if let TypeKind::Alias(inner) = &types[id].kind {
                    if !types[id].newtype && !seen.contains(&id) {
                        seen.push(id);
                        found = reaches(types, inner, target, seen);
                    }
                }
            });
            found
        }
        for id in 0..self.types.len() {
            let TypeKind::Alias(ty) = &self.types[id].kind else {
                continue;
            };
            if matches!(ty, Ty::Named(_)) {
                continue;
            }
            if reaches(&self.types, ty, id, &mut Vec::new()) {
                self.types[id].newtype = true;
            }
        }
    }

    /// Boxes exactly the by-value edges that close a cycle: a depth-first
    /// search from each type in id order boxes every back edge. `Vec` and maps
    /// already add indirection, so only direct fields and variants count.
    fn box_cycles(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let n = self.types.len();
        let mut mark = vec![Mark::New; n];
        // Iterative DFS: stack of (type, next edge index).
        for root in 0..n {
            if mark[root] != Mark::New {
                continue;
            }
            let mut stack: Vec<(TypeId, usize)> = vec![(root, 0)];
            mark[root] = Mark::Active;
            while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
                let edges = self.value_edges(node);
                if *edge >= edges.len() {
                    mark[node] = Mark::Done;
                    stack.pop();
                    continue;
                }
                let (slot, target) = edges[*edge];
                *edge += 1;
                match mark[target] {
                    Mark::Active => self.set_boxed(node, slot),
                    Mark::New => {
                        mark[target] = Mark::Active;
                        stack.push((target, 0));
                    }
                    Mark::Done => {}
                }
            }
        }
    }

    /// (slot, target) for every by-value edge out of a type; aliases are
    /// looked through so `A.x: B` with `type B = A` is an edge A→A.
    fn value_edges(&self, id: TypeId) -> Vec<(usize, TypeId)> {
        let mut out = Vec::new();
        match &self.types[id].kind {
            TypeKind::Struct(s) => {
                for (i, f) in s.fields.iter().enumerate() {
                    for t in self.direct_targets(&f.ty) {
                        out.push((i, t));
                    }
                }
            }
            TypeKind::Union(u) => {
                for (i, v) in u.variants.iter().enumerate() {
                    for t in self.direct_targets(&v.ty) {
                        out.push((i, t));
                    }
                }
            }
            TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
        }
        out
    }

    /// The types a value of `ty` holds by value: through `Option`, aliases
    /// and tuple elements (not through `Vec`s and maps).
    fn direct_targets(&self, ty: &Ty) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut todo = vec![(ty, 0)];
        while let Some((t, hops)) = todo.pop() {
            match t {
                Ty::Option(inner) => todo.push((inner, hops)),
                Ty::Tuple(elements, _) => todo.extend(elements.iter().rev().map(|e| (e, hops))),
                Ty::Named(id) => match &self.types[*id].kind {
                    TypeKind::Alias(inner) if hops < self.types.len() => {
                        todo.push((inner, hops + 1));
                    }
                    TypeKind::Alias(_) => {}
                    _ => out.push(*id),
                },
                _ => {}
            }
        }
        out
    }

    fn set_boxed(&mut self, id: TypeId, slot: usize) {
        match &mut self.types[id].kind {
            TypeKind::Struct(s) => s.fields[slot].boxed = true,
            TypeKind::Union(u) => u.variants[slot].boxed = true,
            _ => {}
        }
    }
}

#[derive(Default)]
struct ObjectAcc<'a> {
    props: Vec<(String, &'a Value, String)>,
    required: Vec<String>,
    extra: Option<ExtraAcc<'a>>,
    /// `patternProperties` schemas (with their pointers).
    patterns: Vec<(&'a Value, String)>,
}

enum ExtraAcc<'a> {
    Any,
    Schema(&'a Value, String),
}

/// An open string enum of `values`; repeated values (which some specs have)
/// collapse into one variant.
fn str_enum(values: &[&str]) -> StrEnum {
    let mut names = Namespace::new();
    let mut seen = std::collections::HashSet::new();
    let variants: Vec<(String, String)> = values
        .iter()
        .filter(|v| seen.insert(**v))
        .map(|v| {
            let fallback = if v.is_empty() { "Empty" } else { "Value" };
            (names.claim(&type_ident(v, fallback)), (*v).to_owned())
        })
        .collect();
    let other = names.claim("Other");
    StrEnum {
        variants,
        other,
        default: None,
    }
}

fn variant_name(member: &Value, i: usize) -> String {
    if let Some(r) = member.get("$ref").and_then(Value::as_str) {
        return type_ident(r.rsplit('/').next().unwrap_or(r), "Variant");
    }
    if let Some(t) = member.get("title").and_then(Value::as_str) {
        return type_ident(t, "Variant");
    }
    let types = type_names(member);
    match types.first() {
        Some(t) if types.len() == 1 && *t != "object" => {
            type_ident(&primitive_variant(t), "Variant")
        }
        _ => format!("Variant{}", i + 1),
    }
}

fn primitive_variant(t: &str) -> String {
    match t {
        "string" => "String",
        "integer" => "Integer",
        "number" => "Number",
        "boolean" => "Boolean",
        "array" => "Array",
        "object" => "Object",
        "null" => "Null",
        other => other,
    }
    .to_owned()
}

/// Variant name for a status: well-known reason phrases, else `Status418`.
fn status_name(s: StatusKey) -> String {
    match s {
        StatusKey::Default => "Default".into(),
        StatusKey::Range(1) => "Informational".into(),
        StatusKey::Range(2) => "Success".into(),
        StatusKey::Range(3) => "Redirection".into(),
        StatusKey::Range(4) => "ClientError".into(),
        StatusKey::Range(5) => "ServerError".into(),
        StatusKey::Range(d) => format!("Status{d}xx"),
        StatusKey::Code(c) => match c {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            206 => "PartialContent",
            301 => "MovedPermanently",
            302 => "Found",
            304 => "NotModified",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{c}"),
        }
        .into(),
    }
}

fn segments(path: &str, params: &[Param]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Segment::Literal(rest[..start].to_owned()));
        }
        let var = &rest[start + 1..start + len];
        match params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.name == var)
        {
            Some(i) => out.push(Segment::Param(i)),
            None => out.push(Segment::Literal(rest[start..start + len + 1].to_owned())),
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests;
