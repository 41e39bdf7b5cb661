//! Request body encoders for media types other than JSON:
//! `application/x-www-form-urlencoded` ([`form`]) and `multipart/form-data`
//! ([`Multipart`], with [`FilePart`] for files).
//!
//! Generated code calls these through [`crate::Request::form`] and
//! [`crate::Request::multipart`]; they are pure and can be used directly.

use std::fmt;
use std::hash::{BuildHasher, Hasher};

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::Serialize;

use crate::upload::Upload;

use crate::param::{ENCODED, RawShape, Style, query_pair, query_with, raw_shape};

/// How one property of a form body is encoded, from the media type's
/// `encoding` object. Properties without one use the default described at
/// [`form`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The property name.
    pub name: &'static str,
    /// Its style (`form`, `spaceDelimited`, `pipeDelimited`, `deepObject`).
    pub style: Style,
    /// Its `explode`.
    pub explode: bool,
}

/// Encodes an object as `application/x-www-form-urlencoded`: one
/// `name=value` pair per top-level property, in serialisation order (a
/// struct's field order).
///
/// By default a string, number or boolean is sent as its text, an array as
/// one pair per item (`tag=a&tag=b`), and an object as its compact JSON
/// text (`filter=%7B%22a%22%3A1%7D`); `null` and absent properties are left
/// out. A property listed in `fields` is encoded like a query parameter of
/// that style instead (see [`crate::param::query`]), so `deepObject` gives
/// `filter[a]=1` — except that here, as in any form body, the characters the
/// style adds are percent-encoded too: `filter%5Ba%5D=1`, `ids=1%2C2`.
///
/// Fails if the value is not an object.
///
/// ```
/// use apigen_runtime::body::{form, FormField};
/// use apigen_runtime::param::Style;
/// use serde_json::json;
///
/// // (Keys in sorted order: `json!` keeps insertion order only with
/// // serde_json's `preserve_order` feature; a struct keeps its field order.)
/// let body = json!({"filter": {"k": 1}, "name": "a b", "tags": ["x", "y"]});
/// assert_eq!(
///     form(&body, &[]).unwrap(),
///     "filter=%7B%22k%22%3A1%7D&name=a+b&tags=x&tags=y"
/// );
/// let deep = [FormField { name: "filter", style: Style::DeepObject, explode: true }];
/// assert_eq!(form(&body, &deep).unwrap(), "filter%5Bk%5D=1&name=a+b&tags=x&tags=y");
/// ```
pub fn form<T: Serialize + ?Sized>(value: &T, fields: &[FormField]) -> Result<String, String> {
    let json = serde_json::to_string(value)
        .map_err(|e| format!("could not serialise the request body: {e}"))?;
    let Some(RawShape::Object(entries)) = raw_shape(&json) else {
        return Err("a form body must be an object".to_owned());
    };
    let mut out = String::new();
    for (name, raw) in entries {
        let piece = match fields.iter().find(|f| f.name == name) {
            Some(f) => query_with(&name, raw, f.style, f.explode, &ENCODED),
            None if raw.get().starts_with('{') => {
                let mut pair = String::new();
                query_pair(&mut pair, &name, raw.get());
                pair
            }
            None => query_with(&name, raw, Style::Form, true, &ENCODED),
        };
        if piece.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&piece);
    }
    Ok(out)
}

/// A file sent as one part of a `multipart/form-data` body: its bytes, and
/// optionally a file name and content type.
///
/// When not set, the file name is the part's name and the content type is
/// the one the API description gives for the property (`encoding.contentType`)
/// or `application/octet-stream`.
///
/// ```
/// use apigen_runtime::body::FilePart;
///
/// let avatar = FilePart::new(std::fs::read("Cargo.toml").unwrap_or_default())
///     .with_file_name("me.png")
///     .with_content_type("image/png");
/// assert_eq!(avatar.file_name(), Some("me.png"));
/// ```
#[derive(Clone, Default)]
pub struct FilePart {
    bytes: Bytes,
    /// A file read as it is sent ([`FilePart::from_upload`]), taken by the
    /// first request that sends it.
    stream: Option<Arc<Mutex<Option<Upload>>>>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl PartialEq for FilePart {
    /// Files read as they are sent are equal when they are the same one.
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
            && self.file_name == other.file_name
            && self.content_type == other.content_type
            && match (&self.stream, &other.stream) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for FilePart {}

impl FilePart {
    /// A file with these contents.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            stream: None,
            file_name: None,
            content_type: None,
        }
    }

    /// A file read as it is sent (from a `tokio::fs::File`, a stream, …;
    /// see [`Upload`]), never held whole in memory. It can be sent once:
    /// a second request with it (or a clone of it) fails with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest). The multipart
    /// boundary, random, is not checked against its contents.
    pub fn from_upload(upload: Upload) -> Self {
        FilePart {
            stream: Some(Arc::new(Mutex::new(Some(upload)))),
            ..FilePart::default()
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Bytes,
    /// The file read as it is sent, instead of `body`.
    stream: Option<Arc<Mutex<Option<Upload>>>>,
}

/// A `multipart/form-data` body being built (RFC 7578).
///
/// Parts are sent in the order they are added. Text values have no
/// `Content-Type` of their own (so `text/plain`); objects are JSON parts
/// (`application/json`); each item of an array is a part of its own, with
/// the array's name. The boundary is random and chosen so that it appears in
/// no part. Names and file names are quoted, with `"`, CR and LF
/// percent-encoded as browsers do.
///
/// ```
/// use apigen_runtime::body::{FilePart, Multipart};
///
/// let mut form = Multipart::new();
/// form.value("title", "Holiday");
/// form.value("tags", &["sea", "sun"]);
/// form.file("photo", &FilePart::new(&b"\x89PNG"[..]), "image/png");
/// let (content_type, body) = form.encode().unwrap();
/// assert!(content_type.starts_with("multipart/form-data; boundary="));
/// let body = String::from_utf8_lossy(&body);
/// assert!(body.contains("name=\"photo\"; filename=\"photo\"\r\nContent-Type: image/png\r\n"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    problem: Option<String>,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a file part. `default_content_type` is used when the file has
    /// none of its own; the file name defaults to `name`.
    pub fn file(&mut self, name: &str, file: &FilePart, default_content_type: &str) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone().unwrap_or_else(|| name.to_owned())),
            content_type: Some(
                file.content_type
                    .clone()
                    .unwrap_or_else(|| default_content_type.to_owned()),
            ),
            body: file.bytes.clone(),
            stream: file.stream.clone(),
        });
    }

    /// Adds a file part whose contents are sent base64-encoded (for
    /// properties with `format: byte` or `contentEncoding: base64`); the
    /// file holds the raw bytes.
    pub fn file_base64(&mut self, name: &str, file: &FilePart, default_content_type: &str) {
        if file.stream.is_some() {
            self.fail(format!(
                "part `{name}` is sent base64-encoded, which a file read as it is sent cannot be"
            ));
            return;
        }
        let encoded = FilePart {
            bytes: Bytes::from(crate::base64::encode(&file.bytes)),
            stream: None,
            file_name: file.file_name.clone(),
            content_type: file.content_type.clone(),
        };
        self.file(name, &encoded, default_content_type);
    }

    /// Adds a text part.
    pub fn text(&mut self, name: &str, value: &str) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: None,
            body: Bytes::copy_from_slice(value.as_bytes()),
            stream: None,
        });
    }

    /// Adds a value: a string, number or boolean as a text part, an object
    /// as a JSON part, an array as one part per item; `null` adds nothing.
    pub fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(json) => self.raw_value(name, &json, true),
            Err(e) => self.fail(format!("could not serialise part `{name}`: {e}")),
        }
    }

    /// Adds every top-level property of an object with [`Multipart::value`],
    /// in serialisation order. A value that is not an object is an error
    /// (reported by [`Multipart::encode`]).
    pub fn fields<T: Serialize + ?Sized>(&mut self, value: &T) {
        let json = match serde_json::to_string(value) {
            Ok(json) => json,
            Err(e) => return self.fail(format!("could not serialise the request body: {e}")),
        };
        match raw_shape(&json) {
            Some(RawShape::Object(entries)) => {
                for (name, raw) in entries {
                    self.raw_value(&name, raw.get(), true);
                }
            }
            _ => self.fail("a multipart body must be an object".to_owned()),
        }
    }

    fn raw_value(&mut self, name: &str, json: &str, split_arrays: bool) {
        match raw_shape(json) {
            None | Some(RawShape::Null) => {}
            Some(RawShape::Scalar(s)) => self.text(name, &s),
            Some(RawShape::List(items)) if split_arrays => {
                for item in items {
                    self.raw_value(name, item.get(), false);
                }
            }
            Some(RawShape::List(_) | RawShape::Object(_)) => self.parts.push(Part {
                name: name.to_owned(),
                file_name: None,
                content_type: Some("application/json".to_owned()),
                body: Bytes::copy_from_slice(json.as_bytes()),
                stream: None,
            }),
        }
    }

    fn fail(&mut self, problem: String) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }

    /// The `Content-Type` (with the boundary) and the body bytes; an error
    /// if a value could not be serialised or a content type is not a valid
    /// header value, or if a part is a file read as it is sent (see
    /// [`Multipart::into_upload`]).
    pub fn encode(&self) -> Result<(String, Vec<u8>), String> {
        if let Some(p) = self.parts.iter().find(|p| p.stream.is_some()) {
            return Err(format!(
                "part `{}` is a file read as it is sent: encode the body with `into_upload`",
                p.name
            ));
        }
        let (content_type, heads, boundary) = self.heads()?;
        Ok((content_type, self.encode_with(&heads, &boundary)))
    }

    /// The `Content-Type` (with the boundary) and the body, as an [`Upload`]
    /// that reads the files given with [`FilePart::from_upload`] as it is
    /// sent (in memory when there are none); errors as
    /// [`Multipart::encode`]'s, and when such a file was sent already.
    pub fn into_upload(self) -> Result<(String, Upload), String> {
        let (content_type, heads, boundary) = self.heads()?;
        if self.parts.iter().all(|p| p.stream.is_none()) {
            let bytes = self.encode_with(&heads, &boundary);
            return Ok((content_type, Upload::from(bytes)));
        }
        let mut pieces = Vec::with_capacity(self.parts.len() * 3 + 1);
        for (part, head) in self.parts.into_iter().zip(heads) {
            pieces.push(Upload::from(format!("--{boundary}\r\n{head}")));
            match &part.stream {
                Some(shared) => {
                    let taken = shared
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .take();
                    let Some(upload) = taken else {
                        return Err(format!(
                            "part `{}` is a file read as it is sent, and was sent already",
                            part.name
                        ));
                    };
                    pieces.push(upload);
                }
                None => pieces.push(Upload::from(part.body)),
            }
            pieces.push(Upload::from(&b"\r\n"[..]));
        }
        pieces.push(Upload::from(format!("--{boundary}--\r\n")));
        Ok((content_type, Upload::chain(pieces)))
    }

    /// The `Content-Type`, each part's head and the boundary: one that
    /// occurs in no part held in memory.
    fn heads(&self) -> Result<(String, Vec<String>, String), String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let mut heads = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let mut head = String::from("Content-Disposition: form-data; name=\"");
            quote_into(&mut head, &part.name);
            head.push('"');
            if let Some(file_name) = &part.file_name {
                head.push_str("; filename=\"");
                quote_into(&mut head, file_name);
                head.push('"');
            }
            head.push_str("\r\n");
            if let Some(ct) = &part.content_type {
                if ct.chars().any(char::is_control) {
                    return Err(format!(
                        "the content type of part `{}` contains a control character",
                        part.name
                    ));
                }
                head.push_str("Content-Type: ");
                head.push_str(ct);
                head.push_str("\r\n");
            }
            head.push_str("\r\n");
            heads.push(head);
        }
        let boundary = loop {
            let candidate = random_boundary();
            let clash =
                self.parts.iter().zip(&heads).any(|(p, h)| {
                    contains(&p.body, candidate.as_bytes()) || h.contains(&candidate)
                });
            if !clash {
                break candidate;
            }
        };
        Ok((
            format!("multipart/form-data; boundary={boundary}"),
            heads,
            boundary,
        ))
    }

    fn encode_with(&self, heads: &[String], boundary: &str) -> Vec<u8> {
        let size: usize = self
            .parts
            .iter()
            .zip(heads)
            .map(|(p, h)| p.body.len() + h.len() + boundary.len() + 8)
            .sum();
        let mut out = Vec::with_capacity(size + boundary.len() + 8);
        for (part, head) in self.parts.iter().zip(heads) {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(head.as_bytes());
            out.extend_from_slice(&part.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        out
    }
}

/// Appends `text` for a quoted `Content-Disposition` parameter: `"`, CR and
/// LF percent-encoded (the WHATWG `multipart/form-data` rule).
fn quote_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// 32 random hex digits after a fixed prefix (RFC 2046 allows up to 70
/// characters). The randomness comes from the standard library's hasher
/// keys, which are seeded from the operating system.
fn random_boundary() -> String {
    let state = std::collections::hash_map::RandomState::new();
    let mut a = state.build_hasher();
    a.write_u8(1);
    let mut b = state.build_hasher();
    b.write_u8(2);
    format!("apigen-{:016x}{:016x}", a.finish(), b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Signup {
        name: String,
        age: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        tags: Vec<String>,
        address: Address,
        note: Option<String>,
    }

    #[derive(Serialize)]
    struct Address {
        street: String,
        city: String,
    }

    fn signup() -> Signup {
        Signup {
            name: "Zoë Q".into(),
            age: 42,
            nickname: None,
            tags: vec!["a&b".into(), "c".into()],
            address: Address {
                street: "1 Main St".into(),
                city: "Springfield".into(),
            },
            note: None,
        }
    }

    #[test]
    fn form_defaults() {
        assert_eq!(
            form(&signup(), &[]).unwrap(),
            "name=Zo%C3%AB+Q&age=42&tags=a%26b&tags=c\
             &address=%7B%22street%22%3A%221+Main+St%22%2C%22city%22%3A%22Springfield%22%7D"
        );
    }

    #[test]
    fn form_encoding_overrides() {
        let fields = [
            FormField {
                name: "address",
                style: Style::DeepObject,
                explode: true,
            },
            FormField {
                name: "tags",
                style: Style::Form,
                explode: false,
            },
        ];
        assert_eq!(
            form(&signup(), &fields).unwrap(),
            "name=Zo%C3%AB+Q&age=42&tags=a%26b%2Cc\
             &address%5Bstreet%5D=1+Main+St&address%5Bcity%5D=Springfield"
        );
    }

    #[test]
    fn form_needs_an_object() {
        assert!(form(&json!([1]), &[]).is_err());
        assert!(form("x", &[]).is_err());
        assert_eq!(form(&json!({}), &[]).unwrap(), "");
    }

    fn split(body: &[u8], boundary: &str) -> Vec<String> {
        let text = String::from_utf8_lossy(body).into_owned();
        let delimiter = format!("--{boundary}");
        let mut pieces: Vec<String> = text.split(&delimiter).map(str::to_owned).collect();
        assert_eq!(pieces.remove(0), "", "nothing before the first boundary");
        assert_eq!(pieces.pop().as_deref(), Some("--\r\n"), "closing delimiter");
        pieces
    }

    #[test]
    fn multipart_parts() {
        let mut form = Multipart::new();
        form.fields(&signup());
        form.file(
            "avatar",
            &FilePart::new(&b"\x00\x01binary"[..]),
            "image/png",
        );
        form.file_base64(
            "sig",
            &FilePart::new(&b"\xff\x00"[..]).with_file_name("s.bin"),
            "application/octet-stream",
        );
        form.file(
            "cv",
            &FilePart::new(&b"%PDF"[..])
                .with_file_name("my \"cv\".pdf")
                .with_content_type("application/pdf"),
            "application/octet-stream",
        );
        let (content_type, body) = form.encode().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        assert!(boundary.len() <= 70);
        let parts = split(&body, boundary);
        assert_eq!(
            parts,
            [
                "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nZoë Q\r\n",
                "\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n42\r\n",
                "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na&b\r\n",
                "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nc\r\n",
                "\r\nContent-Disposition: form-data; name=\"address\"\r\nContent-Type: application/json\r\n\r\n{\"street\":\"1 Main St\",\"city\":\"Springfield\"}\r\n",
                "\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"avatar\"\r\nContent-Type: image/png\r\n\r\n\u{0}\u{1}binary\r\n",
                "\r\nContent-Disposition: form-data; name=\"sig\"; filename=\"s.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n/wA=\r\n",
                "\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"my %22cv%22.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n",
            ]
        );
    }

    #[test]
    fn multipart_arrays_of_objects_are_json_parts() {
        let mut form = Multipart::new();
        form.value("items", &json!([{"a": 1}, [2, 3], null, "x"]));
        let (ct, body) = form.encode().unwrap();
        let parts = split(&body, ct.split("boundary=").nth(1).unwrap());
        assert_eq!(
            parts,
            [
                "\r\nContent-Disposition: form-data; name=\"items\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n",
                "\r\nContent-Disposition: form-data; name=\"items\"\r\nContent-Type: application/json\r\n\r\n[2,3]\r\n",
                "\r\nContent-Disposition: form-data; name=\"items\"\r\n\r\nx\r\n",
            ]
        );
    }

    #[test]
    fn boundary_never_appears_in_content() {
        // Whatever boundary is drawn, it is checked against every part: a
        // part made of many candidate-looking strings cannot clash.
        let mut form = Multipart::new();
        let decoy: String = (0..50).map(|_| random_boundary()).collect();
        form.text("decoy", &decoy);
        for _ in 0..20 {
            let (ct, body) = form.encode().unwrap();
            let boundary = ct.split("boundary=").nth(1).unwrap();
            assert!(!decoy.contains(boundary));
            assert_eq!(split(&body, boundary).len(), 1);
        }
        // Two encodings use different boundaries.
        let a = form.encode().unwrap().0;
        let b = form.encode().unwrap().0;
        assert_ne!(a, b);
    }

    #[test]
    fn multipart_problems() {
        let mut form = Multipart::new();
        form.fields(&json!([1]));
        assert!(form.encode().is_err());
        let mut form = Multipart::new();
        form.file(
            "f",
            &FilePart::new(Vec::new()).with_content_type("text/plain\r\nX: y"),
            "x",
        );
        assert!(form.encode().is_err());
        let mut form = Multipart::new();
        form.text("a\r\nb\"", "");
        let (_, body) = form.encode().unwrap();
        assert!(String::from_utf8_lossy(&body).contains("name=\"a%0D%0Ab%22\""));
    }

    #[test]
    fn empty_multipart() {
        let (ct, body) = Multipart::new().encode().unwrap();
        let boundary = ct.split("boundary=").nth(1).unwrap();
        assert_eq!(body, format!("--{boundary}--\r\n").into_bytes());
    }

    #[test]
    fn file_part_debug_hides_bytes() {
        let f = FilePart::new(vec![7u8; 3]).with_file_name("a.bin");
        assert_eq!(
            format!("{f:?}"),
            r#"FilePart { len: 3, file_name: Some("a.bin"), content_type: None }"#
        );
    }
}
