//! Request and response kinds: parameter styles checked against types,
//! the media type an operation sends and reads, form `encoding`s, multipart
//! structs, and the server URL's variables.

use serde_json::Value;

use super::{
    Body, BodyKind, Builder, Case, FormFieldStyle, MultipartBody, PartField, PartKind, Payload,
    Presence, Server, ServerVar, StreamKind, StreamMethod, Ty, TypeKind, UrlPiece,
};
use crate::diag::push_pointer;
use crate::names::{Namespace, binding_ident, type_ident, type_prefix, value_ident};
use crate::spec::{self, Content, ParamStyle, is_json_media_type, media_essence};

/// What a value looks like on the wire, as far as styles care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Scalar,
    Array,
    Object,
    /// Unions and any-JSON: decided by the value at run time.
    Unknown,
}

/// How the media types of a body rank: the lowest is sent.
fn body_rank(mt: &str) -> u8 {
    let essence = media_essence(mt);
    if essence == "application/json" {
        0
    } else if is_json_media_type(mt) {
        1
    } else if essence == "application/x-www-form-urlencoded" {
        2
    } else if essence == "multipart/form-data" {
        3
    } else if essence.starts_with("text/") && !essence.contains('*') {
        4
    } else {
        5
    }
}

/// For a sequential JSON media type, whether it is a JSON text sequence
/// (`application/json-seq`, `+json-seq`; else JSON Lines or NDJSON).
fn sequence_framing(mt: &str) -> Option<bool> {
    let essence = media_essence(mt);
    match essence.as_str() {
        "application/jsonl"
        | "application/x-ndjson"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some(false),
        e if e == "application/json-seq" || e.ends_with("+json-seq") => Some(true),
        _ => None,
    }
}

/// Whether a media type is a range (`*/*`, `image/*`) rather than a type.
fn is_range(mt: &str) -> bool {
    media_essence(mt).contains('*')
}

impl<'a> Builder<'_, 'a> {
    /// The wire shape of values of `ty`.
    pub(super) fn shape(&self, ty: &Ty) -> Shape {
        match ty {
            Ty::Any => Shape::Unknown,
            Ty::Vec(_) | Ty::Tuple(..) => Shape::Array,
            Ty::Map(_) => Shape::Object,
            Ty::Option(inner) => self.shape(inner),
            Ty::Named(id) => match &self.types[*id].kind {
                TypeKind::Struct(_) => Shape::Object,
                TypeKind::Enum(_) | TypeKind::ValueEnum(_) => Shape::Scalar,
                TypeKind::Union(_) => Shape::Unknown,
                TypeKind::Alias(inner) => self.shape(inner),
            },
            _ => Shape::Scalar,
        }
    }

    /// The style a parameter is sent with: its own, unless the type cannot
    /// have it (`deepObject` of a scalar or array), which is reported.
    pub(super) fn param_style(&mut self, p: &spec::Parameter<'a>, ty: &Ty) -> (ParamStyle, bool) {
        if p.style == ParamStyle::DeepObject
            && matches!(self.shape(ty), Shape::Scalar | Shape::Array)
        {
            self.warning(
                &push_pointer(&p.pointer, "style"),
                format!(
                    "style `deepObject` applies to objects; `{}` is sent with style `form`",
                    p.name
                ),
            );
            return (ParamStyle::Form, true);
        }
        (p.style, p.explode)
    }

    /// The body an operation sends: the first media type in the order
    /// JSON (`application/json`, then other `+json`), form, multipart,
    /// text, anything else (bytes).
    pub(super) fn body(
        &mut self,
        b: &spec::RequestBody<'a>,
        stem: &str,
        multipart_name: &mut dyn FnMut() -> String,
    ) -> Option<Body> {
        let pick = b
            .content
            .iter()
            .enumerate()
            .min_by_key(|(i, c)| (body_rank(&c.media_type), *i))
            .map(|(_, c)| c)?;
        let others = b
            .content
            .iter()
            .filter(|c| c.media_type != pick.media_type)
            .map(|c| c.media_type.clone())
            .collect();
        let hint = format!("{stem}Request");
        let ty_of = |this: &mut Self| match &pick.schema {
            Some(s) => this.ty_of(s.value, &s.pointer, &hint),
            None => Ty::Any,
        };
        let content_type = pick.media_type.clone();
        let kind = match body_rank(&pick.media_type) {
            0 | 1 => {
                // A nullable schema: the body may be `null`.
                let ty = ty_of(self);
                let ty = match &pick.schema {
                    Some(s) => self.wrap_nullable(s.value, ty),
                    None => ty,
                };
                BodyKind::Json { ty, content_type }
            }
            2 => {
                let ty = ty_of(self);
                let fields = self.form_fields(pick);
                BodyKind::Form {
                    ty,
                    content_type,
                    fields,
                }
            }
            3 => {
                let ty = ty_of(self);
                self.multipart(pick, ty, multipart_name)
            }
            4 => BodyKind::Text { content_type },
            _ => BodyKind::Binary {
                content_type: (!is_range(&pick.media_type)).then_some(content_type),
            },
        };
        let checks = match (kind.serde_ty(), &pick.schema) {
            (Some(ty), Some(s)) if !matches!(kind, BodyKind::MultipartValue(_)) => {
                let ty = ty.clone();
                self.raw_checks(s.value, &s.pointer, &ty)
            }
            _ => None,
        };
        Some(Body {
            kind,
            required: b.required,
            checks,
            others,
        })
    }

    /// The `encoding` styles of a form body's properties.
    fn form_fields(&mut self, c: &Content<'a>) -> Vec<FormFieldStyle> {
        let mut out = Vec::new();
        for e in &c.encoding {
            let style = match e.style.as_deref() {
                None if e.explode.is_none() => continue,
                None => ParamStyle::Form,
                Some(name) => match ParamStyle::from_name(name) {
                    Some(s) if s.allowed_in(spec::ParamLocation::Query) => s,
                    _ => {
                        self.warning(
                            &push_pointer(&e.pointer, "style"),
                            format!(
                                "style `{name}` cannot encode a form property; `{}` is sent with the default encoding",
                                e.property
                            ),
                        );
                        continue;
                    }
                },
            };
            out.push(FormFieldStyle {
                name: e.property.clone(),
                style,
                explode: e.explode.unwrap_or(style == ParamStyle::Form),
            });
        }
        out
    }

    /// A multipart body: a struct of its properties, with files as
    /// `FilePart`s; a schema without properties is sent key by key.
    fn multipart(
        &mut self,
        c: &Content<'a>,
        ty: Ty,
        multipart_name: &mut dyn FnMut() -> String,
    ) -> BodyKind {
        let Ty::Named(id) = ty else {
            return BodyKind::MultipartValue(ty);
        };
        let TypeKind::Struct(s) = &self.types[id].kind else {
            return BodyKind::MultipartValue(ty);
        };
        if s.fields.is_empty() {
            return BodyKind::MultipartValue(ty);
        }
        let fields = s.fields.clone();
        let mut out = Vec::new();
        let mut args = Namespace::new();
        for f in fields {
            let schema = self
                .doc
                .lookup(&f.pointer)
                .and_then(|v| self.follow_refs(v));
            // A file: `format: binary` or `byte` (3.0), `contentMediaType`
            // or `contentEncoding` (3.1). Gives (content type, base64).
            let file_type = |v: &Value| -> Option<(String, bool)> {
                let format = v.get("format").and_then(Value::as_str);
                let string = v.get("type").and_then(Value::as_str) == Some("string");
                let encoding = v.get("contentEncoding").and_then(Value::as_str);
                let is_file = string && matches!(format, Some("binary" | "byte"))
                    || v.get("contentMediaType").is_some()
                    || encoding.is_some();
                let base64 = string && format == Some("byte")
                    || encoding.is_some_and(|e| e.eq_ignore_ascii_case("base64"));
                is_file.then(|| {
                    let ct = v
                        .get("contentMediaType")
                        .and_then(Value::as_str)
                        .filter(|mt| !is_range(mt))
                        .unwrap_or("application/octet-stream")
                        .to_owned();
                    (ct, base64)
                })
            };
            let single = schema.and_then(file_type);
            let many = schema
                .filter(|v| v.get("type").and_then(Value::as_str) == Some("array"))
                .and_then(|v| v.get("items"))
                .and_then(|v| self.follow_refs(v))
                .and_then(file_type);
            let (kind, mut file_content_type) = match (single, many) {
                (Some((ct, base64)), _) => (PartKind::File { base64 }, ct),
                (None, Some((ct, base64))) => (PartKind::Files { base64 }, ct),
                (None, None) => (PartKind::Value(f.ty.clone()), String::new()),
            };
            // A file's own description, without the notes for JSON (format).
            let doc = match kind {
                PartKind::Value(_) => f.doc.clone(),
                _ => schema.and_then(super::title_and_description),
            };
            // `encoding.<property>.contentType` (a single type) wins.
            if let Some(ct) = c
                .encoding
                .iter()
                .find(|e| e.property == f.json_name)
                .and_then(|e| e.content_type.as_deref())
                .filter(|ct| !is_range(ct) && !ct.contains(','))
            {
                if !matches!(kind, PartKind::Value(_)) {
                    file_content_type = ct.trim().to_owned();
                }
            }
            out.push(PartField {
                arg: args.claim(&binding_ident(f.name.clone(), "part")),
                ident: f.name.clone(),
                name: f.json_name.clone(),
                kind,
                required: matches!(f.presence, Presence::Required | Presence::RequiredNullable),
                file_content_type,
                doc,
            });
        }
        BodyKind::Multipart(MultipartBody {
            name: multipart_name(),
            fields: out,
        })
    }

    /// What a response carries: JSON if offered, else text (`text/*`),
    /// else bytes; nothing without `content`. With the media type it is
    /// read from.
    pub(super) fn payload(
        &mut self,
        content: &[Content<'a>],
        hint: &str,
    ) -> (Payload, Option<String>) {
        let Some(first) = content.first() else {
            return (Payload::Empty, None);
        };
        let json = content
            .iter()
            .find(|c| media_essence(&c.media_type) == "application/json")
            .or_else(|| content.iter().find(|c| c.is_json()));
        if let Some(pick) = json {
            // A nullable schema: the body may be `null`.
            let payload = match &pick.schema {
                Some(s) => {
                    let ty = self.ty_of(s.value, &s.pointer, hint);
                    Payload::Json(self.wrap_nullable(s.value, ty))
                }
                None => Payload::Json(Ty::Any),
            };
            return (payload, Some(pick.media_type.clone()));
        }
        let text = content.iter().find(|c| {
            let e = media_essence(&c.media_type);
            e.starts_with("text/") && !e.contains('*')
        });
        match text {
            Some(t) => (Payload::Text, Some(t.media_type.clone())),
            None => (Payload::Bytes, Some(first.media_type.clone())),
        }
    }

    /// The method reading the operation's success response as a stream:
    /// for an operation with one success, whose response offers server-sent
    /// events, a sequential JSON media type, or bytes (a download). Named
    /// `name` when the response is only a stream (it is then the
    /// operation's method), else later, `<name>_stream`.
    pub(super) fn stream_method(
        &mut self,
        op: &spec::Operation<'a>,
        successes: &[Case],
        body: Option<&Body>,
        name: &str,
        stem: &str,
    ) -> Option<StreamMethod> {
        let [case] = successes else {
            return None;
        };
        let response = op.responses.iter().find(|r| r.status == case.status)?;
        let of = |c: &Content<'a>| media_essence(&c.media_type);
        let events = response
            .content
            .iter()
            .find(|c| of(c) == "text/event-stream");
        let seq = response
            .content
            .iter()
            .find(|c| sequence_framing(&c.media_type).is_some());
        let (content, kind) = if let Some(c) = events {
            let kind = match &c.item_schema {
                Some(item) => self.event_kind(item, &format!("{stem}Event")),
                None => StreamKind::Events(self.item_ty(c, &format!("{stem}Event"), false)),
            };
            (c, kind)
        } else if let Some(c) = seq {
            let ty = self.item_ty(c, &format!("{stem}Item"), true);
            match sequence_framing(&c.media_type) {
                Some(true) => (c, StreamKind::JsonSeq(ty)),
                _ => (c, StreamKind::JsonLines(ty)),
            }
        } else if case.payload == Payload::Bytes {
            let c = response
                .content
                .iter()
                .find(|c| Some(&c.media_type) == case.media_type.as_ref())?;
            (c, StreamKind::Bytes)
        } else {
            return None;
        };
        let replaces =
            case.media_type.as_ref() == Some(&content.media_type) && kind != StreamKind::Bytes;
        // A JSON body with a boolean `stream` asks for the stream.
        let flag = body
            .and_then(|b| match &b.kind {
                BodyKind::Json {
                    ty: Ty::Named(id), ..
                } => Some(*id),
                _ => None,
            })
            .and_then(|id| match &self.types[id].kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .find(|f| f.json_name == "stream" && f.ty == Ty::Bool),
                _ => None,
            })
            .filter(|_| !replaces && kind != StreamKind::Bytes)
            .map(|f| f.json_name.clone());
        Some(StreamMethod {
            fn_name: name.to_owned(),
            replaces,
            status: case.status,
            media_type: content.media_type.trim().to_owned(),
            kind,
            flag,
        })
    }

    /// What an event stream with an OpenAPI 3.2 `itemSchema` (which
    /// describes the whole event: `event`, `data`, `id`, `retry`) yields:
    /// each `data` decoded as its `contentSchema` when the events are of one
    /// shape and their `data` is JSON, else the events as parsed.
    fn event_kind(&mut self, item: &spec::SchemaRef<'a>, hint: &str) -> StreamKind {
        // Follow a plain `$ref` (`itemSchema: {$ref: …/Event}`) to the
        // schema with the properties.
        let (mut schema, mut ptr) = (item.value, item.pointer.clone());
        for _ in 0..16 {
            let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .filter(|_| schema.get("properties").is_none())
                .and_then(|r| r.strip_prefix('#'))
            else {
                break;
            };
            match self.doc.lookup(target) {
                Some(next) => (schema, ptr) = (next, target.to_owned()),
                None => break,
            }
        }
        let one_shape = [item.value, schema]
            .iter()
            .all(|s| s.get("oneOf").is_none() && s.get("anyOf").is_none());
        let data = schema.pointer("/properties/data");
        let json = data
            .and_then(|d| d.get("contentMediaType"))
            .and_then(Value::as_str)
            .is_none_or(spec::is_json_media_type);
        let data_ptr = format!("{ptr}/properties/data");
        match data.and_then(|d| json_content_schema(d, &data_ptr)) {
            Some((content, ptr)) if one_shape && json => {
                StreamKind::Events(self.ty_of(content, &ptr, hint))
            }
            _ => StreamKind::RawEvents,
        }
    }

    /// The type of one item of a streamed media type: its `itemSchema`,
    /// else its schema (a sequence's `type: array` schema gives its
    /// items'), `Value` without.
    fn item_ty(&mut self, c: &Content<'a>, hint: &str, sequence: bool) -> Ty {
        if let Some(s) = c.item_schema.as_ref().filter(|_| sequence) {
            return self.ty_of(s.value, &s.pointer, hint);
        }
        let Some(s) = &c.schema else {
            return Ty::Any;
        };
        if sequence {
            // The schema of the whole sequence, read as an array (perhaps
            // through a `$ref`, such as to `LogExcerpt: {type: array, …}`).
            let (mut schema, mut ptr) = (s.value, s.pointer.clone());
            for _ in 0..16 {
                let Some(target) = schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(spec::local_ref_pointer)
                else {
                    break;
                };
                match self.doc.lookup(&target) {
                    Some(next) => (schema, ptr) = (next, target),
                    None => break,
                }
            }
            if let Some(items) = schema
                .get("items")
                .filter(|_| schema.get("type").and_then(Value::as_str) == Some("array"))
            {
                return self.ty_of(items, &push_pointer(&ptr, "items"), hint);
            }
        }
        self.ty_of(s.value, &s.pointer, hint)
    }

    /// The first server's variables, with a struct to set them and typed
    /// enums for the ones with an `enum`.
    pub(super) fn server(&mut self, root: &mut Namespace) -> Option<Server> {
        let first = self.doc.servers.first()?;
        if first.variables.is_empty() {
            return None;
        }
        let first = first.clone();
        let struct_name = root.claim("ServerVariables");
        let mut fields = Namespace::new();
        let mut variables = Vec::new();
        for v in &first.variables {
            let values = if v.values.is_empty() {
                None
            } else if !v.values.contains(&v.default) {
                self.warning(
                    &push_pointer(&v.pointer, "default"),
                    format!(
                        "the default of server variable `{}` is not one of its `enum` values; the variable is a string",
                        v.name
                    ),
                );
                None
            } else {
                let mut names = Namespace::new();
                let mut variants: Vec<(String, String)> = Vec::new();
                for value in &v.values {
                    if variants.iter().any(|(_, x)| x == value) {
                        continue;
                    }
                    variants.push((names.claim(&type_ident(value, "Value")), value.clone()));
                }
                let type_name = root.claim(&format!("Server{}", type_prefix(&v.name, "Variable")));
                Some((type_name, variants))
            };
            variables.push(ServerVar {
                name: v.name.clone(),
                ident: fields.claim(&value_ident(&v.name, "variable")),
                default: v.default.clone(),
                values,
                doc: v.description.clone(),
            });
        }
        let mut pieces = Vec::new();
        let mut rest = first.template.as_str();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let name = &rest[start + 1..start + len];
            let literal = match variables.iter().position(|v| v.name == name) {
                Some(i) => {
                    if start > 0 {
                        pieces.push(UrlPiece::Literal(rest[..start].to_owned()));
                    }
                    pieces.push(UrlPiece::Var(i));
                    None
                }
                None => Some(&rest[..start + len + 1]),
            };
            if let Some(l) = literal {
                pieces.push(UrlPiece::Literal(l.to_owned()));
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            pieces.push(UrlPiece::Literal(rest.to_owned()));
        }
        // Adjacent literals (around an unknown `{name}`) read better joined.
        let mut joined: Vec<UrlPiece> = Vec::new();
        for p in pieces {
            match (joined.last_mut(), p) {
                (Some(UrlPiece::Literal(a)), UrlPiece::Literal(b)) => a.push_str(&b),
                (_, p) => joined.push(p),
            }
        }
        Some(Server {
            template: first.template.clone(),
            pieces: joined,
            variables,
            struct_name,
        })
    }
}

/// The `Accept` header of an operation: the media types its responses
/// document, those of successes first, each once, as written; `None` when
/// it documents none. Keys that are not media types (`code`, left by broken
/// conversions) are left out: they could not be sent in a header.
pub(super) fn accept(responses: &[spec::Response<'_>]) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out: Vec<&str> = Vec::new();
    let successes = responses.iter().filter(|r| r.status.is_success());
    let others = responses.iter().filter(|r| !r.status.is_success());
    for c in successes.chain(others).flat_map(|r| &r.content) {
        let essence = media_essence(&c.media_type);
        if is_media_type(&c.media_type) && !seen.contains(&essence) {
            seen.push(essence);
            out.push(c.media_type.trim());
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// Whether `mt` is a media type or range that can go in a header:
/// `type/subtype` of RFC 9110 token characters, then any parameters in
/// visible ASCII.
fn is_media_type(mt: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let (essence, params) = mt.trim().split_once(';').unwrap_or((mt.trim(), ""));
    essence
        .trim()
        .split_once('/')
        .is_some_and(|(t, s)| token(t) && token(s))
        && params.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

/// The server an operation is sent to instead of the base URL: the first
/// of its own (or its path's) `servers`, variables at their defaults, unless
/// that is the document's first server anyway.
pub(super) fn op_server(op: &spec::Operation<'_>, doc: &spec::Document<'_>) -> Option<String> {
    let own = op.servers.first()?;
    let same = |s: &spec::Server| s.url.trim_end_matches('/') == own.url.trim_end_matches('/');
    (!doc.servers.first().is_some_and(same)).then(|| own.url.clone())
}

/// The `contentSchema` of an event's `data` schema (at `ptr`), with its
/// pointer: its own, or that of its one `anyOf` / `oneOf` alternative
/// that has one when the others are the `[DONE]` end marker (`const`), as
/// OpenAI-style streams are described.
fn json_content_schema<'v>(data: &'v Value, ptr: &str) -> Option<(&'v Value, String)> {
    if let Some(c) = data.get("contentSchema") {
        return Some((c, format!("{ptr}/contentSchema")));
    }
    for key in ["anyOf", "oneOf"] {
        let Some(list) = data.get(key).and_then(Value::as_array) else {
            continue;
        };
        let mut found = None;
        for (i, alt) in list.iter().enumerate() {
            match (alt.get("contentSchema"), alt.get("const")) {
                (Some(c), _) if found.is_none() => {
                    found = Some((c, format!("{ptr}/{key}/{i}/contentSchema")))
                }
                (None, Some(Value::String(marker))) if marker == "[DONE]" => {}
                _ => return None,
            }
        }
        return found;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::StatusKey;

    fn response(status: StatusKey, types: &[&str]) -> spec::Response<'static> {
        spec::Response {
            pointer: String::new(),
            status,
            description: None,
            content: types
                .iter()
                .map(|t| Content {
                    media_type: (*t).to_owned(),
                    schema: None,
                    item_schema: None,
                    encoding: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn accept_lists_successes_first_each_once_and_only_media_types() {
        let responses = [
            response(StatusKey::Code(404), &["application/json"]),
            response(
                StatusKey::Code(200),
                &["application/vnd.x+json", "Application/JSON; charset=utf-8"],
            ),
            // Junk keys of broken Swagger 2 conversions, and a value that
            // could not go in a header.
            response(
                StatusKey::Default,
                &["code", "message", "text/plain\r\nX: y"],
            ),
        ];
        assert_eq!(
            accept(&responses).as_deref(),
            Some("application/vnd.x+json, Application/JSON; charset=utf-8")
        );
        assert_eq!(accept(&[response(StatusKey::Code(204), &[])]), None);
        assert_eq!(
            accept(&[response(StatusKey::Code(200), &["*/*"])]).as_deref(),
            Some("*/*")
        );
    }
}
