//! Turning parameter values into the text sent in a path, query, header or
//! cookie, following OpenAPI's `style` and `explode`.
//!
//! Every function here is pure: generated code calls it with the value and
//! the parameter's style, and hands the result to [`crate::Request`]
//! (`query_encoded`, `path_encoded`, `header`, `cookie_pairs`).
//!
//! A value is first reduced to one of three shapes by serialising it with
//! serde (so generated structs, maps, enums and `serde_json::Value` all
//! work):
//!
//! * a **scalar**: a string is itself (no quotes), a number or boolean its
//!   JSON literal;
//! * a **list**: an array, each item a scalar as above or, when the item is
//!   itself an array or object, its compact JSON text;
//! * an **object**: its top-level keys in serialisation order (a struct's
//!   field order), each value as for list items.
//!
//! `null` (and a `null` item or property) is left out: a parameter whose
//! value is `null`, or an empty array or object, sends nothing. The styles
//! then arrange the pieces as the OpenAPI specification's style table shows
//! for `color`:
//!
//! | style | explode | array `[blue, black]` | object `{R: 100, G: 200}` |
//! |---|---|---|---|
//! | `form` (query) | true | `color=blue&color=black` | `R=100&G=200` |
//! | `form` (query) | false | `color=blue,black` | `color=R,100,G,200` |
//! | `spaceDelimited` | false | `color=blue%20black` | `color=R%20100%20G%20200` |
//! | `pipeDelimited` | false | `color=blue\|black` | `color=R\|100\|G\|200` |
//! | `deepObject` | (true) | `color=blue&color=black` | `color[R]=100&color[G]=200` |
//! | `simple` (path, header) | false | `blue,black` | `R,100,G,200` |
//! | `simple` | true | `blue,black` | `R=100,G=200` |
//! | `label` (path) | false / true | `.blue,black` / `.blue.black` | `.R,100,G,200` / `.R=100.G=200` |
//! | `matrix` (path) | false / true | `;color=blue,black` / `;color=blue;color=black` | `;color=R,100,G,200` / `;R=100;G=200` |
//!
//! In a query, names, keys and values are form-encoded (a space is `+`, and
//! `,` `|` `[` `]` inside a value are percent-encoded), while the delimiters
//! the style adds are sent as they are, so a server can tell them apart. In a
//! path every byte but RFC 3986 unreserved characters is percent-encoded,
//! again except the delimiters. Headers and cookies are not encoded (a value
//! with CR, LF or, in a cookie, `;` is refused when the request is built).

use serde::Serialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// How a parameter value is laid out (OpenAPI `style`).
///
/// Styles that do not apply to a location fall back to that location's
/// default: `form` for query and cookie, `simple` for path and header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `form`: `name=a,b` or `name=a&name=b` (query, cookie).
    Form,
    /// `spaceDelimited`: `name=a%20b` (query).
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b` (query).
    PipeDelimited,
    /// `deepObject`: `name[key]=value` (query, objects).
    DeepObject,
    /// `simple`: `a,b` (path, header).
    Simple,
    /// `label`: `.a,b` or `.a.b` (path).
    Label,
    /// `matrix`: `;name=a,b` or `;name=a;name=b` (path).
    Matrix,
}

/// The wire text of a parameter value that has no `Display` of its own
/// (unions, aliases of them, any-JSON): a string is sent as itself (no
/// quotes), a number or boolean as its JSON literal, `null` as the empty
/// string, and an array or object as its JSON text.
///
/// ```
/// use apigen_runtime::param::text;
/// use serde_json::json;
///
/// assert_eq!(text(&json!("name_ascending")), "name_ascending");
/// assert_eq!(text(&json!(3)), "3");
/// assert_eq!(text(&json!(null)), "");
/// assert_eq!(text(&json!({"a": 1})), r#"{"a":1}"#);
/// ```
pub fn text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        // Only maps with non-string keys fail to serialise; generated types
        // have none. Sending nothing beats sending a wrong value.
        Err(_) => String::new(),
    }
}

/// The compact JSON text of a value, for parameters described with
/// `content: {application/json: …}` instead of a `schema`: `"a"` (with the
/// quotes), `{"a":1}`. A value that cannot be serialised gives `null`.
///
/// ```
/// use apigen_runtime::param::json;
/// assert_eq!(json(&vec!["a", "b"]), r#"["a","b"]"#);
/// assert_eq!(json("a"), r#""a""#);
/// ```
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// The query-string text of parameter `name` (already encoded, pairs joined
/// by `&`, no leading `?` or `&`); empty when there is nothing to send.
///
/// ```
/// use apigen_runtime::param::{query, Style};
/// use serde_json::json;
///
/// let colors = ["blue", "black"];
/// assert_eq!(query("color", &colors, Style::Form, true), "color=blue&color=black");
/// assert_eq!(query("color", &colors, Style::Form, false), "color=blue,black");
/// assert_eq!(query("color", &colors, Style::PipeDelimited, false), "color=blue|black");
/// let rgb = json!({"B": 150, "R": 100});
/// assert_eq!(query("color", &rgb, Style::DeepObject, true), "color[B]=150&color[R]=100");
/// ```
pub fn query<T: Serialize + ?Sized>(name: &str, value: &T, style: Style, explode: bool) -> String {
    query_with(name, value, style, explode, &LITERAL)
}

/// The characters a style adds around values.
pub(crate) struct Marks {
    comma: &'static str,
    pipe: &'static str,
    space: &'static str,
    open: &'static str,
    close: &'static str,
}

/// In a query string: as the OpenAPI style table writes them.
const LITERAL: Marks = Marks {
    comma: ",",
    pipe: "|",
    space: "%20",
    open: "[",
    close: "]",
};

/// In an `application/x-www-form-urlencoded` body: encoded like any other
/// character, as the WHATWG form serialisation does (and as validators that
/// refuse unencoded reserved characters in form bodies expect).
pub(crate) const ENCODED: Marks = Marks {
    comma: "%2C",
    pipe: "%7C",
    space: "+",
    open: "%5B",
    close: "%5D",
};

pub(crate) fn query_with<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
    marks: &Marks,
) -> String {
    let mut out = String::new();
    match shape(value) {
        Shape::Absent => {}
        Shape::Scalar(s) => query_pair(&mut out, name, &s),
        Shape::List(items) => {
            if explode {
                for item in &items {
                    query_pair(&mut out, name, item);
                }
            } else {
                let delimiter = query_delimiter(style, marks);
                form_encode(&mut out, name);
                out.push('=');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(delimiter);
                    }
                    form_encode(&mut out, item);
                }
            }
        }
        Shape::Object(entries) => {
            if style == Style::DeepObject {
                for (key, v) in &entries {
                    if !out.is_empty() {
                        out.push('&');
                    }
                    form_encode(&mut out, name);
                    out.push_str(marks.open);
                    form_encode(&mut out, key);
                    out.push_str(marks.close);
                    out.push('=');
                    form_encode(&mut out, v);
                }
            } else if explode {
                for (key, v) in &entries {
                    query_pair(&mut out, key, v);
                }
            } else {
                let delimiter = query_delimiter(style, marks);
                form_encode(&mut out, name);
                out.push('=');
                for (i, (key, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(delimiter);
                    }
                    form_encode(&mut out, key);
                    out.push_str(delimiter);
                    form_encode(&mut out, v);
                }
            }
        }
    }
    out
}

/// The path text of a path parameter (already percent-encoded), for
/// `simple` (the default), `label` and `matrix` styles; other styles are
/// sent as `simple`. Empty when there is nothing to send (which
/// [`crate::Request::path_encoded`] refuses).
///
/// ```
/// use apigen_runtime::param::{path, Style};
///
/// assert_eq!(path("id", &["a b", "c/d"], Style::Simple, false), "a%20b,c%2Fd");
/// assert_eq!(path("id", &[1, 2], Style::Label, true), ".1.2");
/// assert_eq!(path("id", &[1, 2], Style::Matrix, false), ";id=1,2");
/// ```
pub fn path<T: Serialize + ?Sized>(name: &str, value: &T, style: Style, explode: bool) -> String {
    let mut out = String::new();
    let (prefix, item_delimiter) = match (style, explode) {
        (Style::Label, true) => (".", "."),
        (Style::Label, false) => (".", ","),
        (Style::Matrix, _) => (";", ","),
        _ => ("", ","),
    };
    match shape(value) {
        Shape::Absent => {}
        Shape::Scalar(s) => {
            out.push_str(prefix);
            if style == Style::Matrix {
                path_encode(&mut out, name);
                if s.is_empty() {
                    return out;
                }
                out.push('=');
            }
            path_encode(&mut out, &s);
        }
        Shape::List(items) => {
            if style == Style::Matrix && explode {
                for item in &items {
                    out.push(';');
                    path_encode(&mut out, name);
                    out.push('=');
                    path_encode(&mut out, item);
                }
                return out;
            }
            out.push_str(prefix);
            if style == Style::Matrix {
                path_encode(&mut out, name);
                out.push('=');
            }
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_delimiter);
                }
                path_encode(&mut out, item);
            }
        }
        Shape::Object(entries) => {
            if explode {
                for (i, (key, v)) in entries.iter().enumerate() {
                    match style {
                        Style::Label | Style::Matrix => out.push_str(prefix),
                        _ if i > 0 => out.push(','),
                        _ => {}
                    }
                    path_encode(&mut out, key);
                    out.push('=');
                    path_encode(&mut out, v);
                }
            } else {
                out.push_str(prefix);
                if style == Style::Matrix {
                    path_encode(&mut out, name);
                    out.push('=');
                }
                for (i, (key, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    path_encode(&mut out, key);
                    out.push(',');
                    path_encode(&mut out, v);
                }
            }
        }
    }
    out
}

/// The value of a header parameter (`simple` style, not encoded): `a,b` for
/// an array, `k,v,k2,v2` for an object, `k=v,k2=v2` exploded.
///
/// ```
/// use apigen_runtime::param::header;
/// use serde_json::json;
///
/// assert_eq!(header(&[1, 2, 3], false), "1,2,3");
/// assert_eq!(header(&json!({"a": 1, "b": "x"}), true), "a=1,b=x");
/// ```
pub fn header<T: Serialize + ?Sized>(value: &T, explode: bool) -> String {
    match shape(value) {
        Shape::Absent => String::new(),
        Shape::Scalar(s) => s,
        Shape::List(items) => items.join(","),
        Shape::Object(entries) => {
            let pairs: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| {
                    if explode {
                        format!("{k}={v}")
                    } else {
                        format!("{k},{v}")
                    }
                })
                .collect();
            pairs.join(",")
        }
    }
}

/// The cookies of a cookie parameter (`form` style, not encoded), as
/// `(name, value)` pairs: one pair for a scalar; for an array one pair per
/// item when exploded (the default), else `name=a,b`; for an object one
/// pair per property when exploded, else `name=k,v,k2,v2`.
///
/// ```
/// use apigen_runtime::param::cookie;
///
/// assert_eq!(cookie("ids", &[1, 2], false), [("ids".to_owned(), "1,2".to_owned())]);
/// assert_eq!(cookie("ids", &[1, 2], true).len(), 2);
/// ```
pub fn cookie<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Vec<(String, String)> {
    match shape(value) {
        Shape::Absent => Vec::new(),
        Shape::Scalar(s) => vec![(name.to_owned(), s)],
        Shape::List(items) if explode => items
            .into_iter()
            .map(|item| (name.to_owned(), item))
            .collect(),
        Shape::List(items) => vec![(name.to_owned(), items.join(","))],
        Shape::Object(entries) if explode => entries,
        Shape::Object(entries) => {
            let flat: Vec<String> = entries.into_iter().flat_map(|(k, v)| [k, v]).collect();
            vec![(name.to_owned(), flat.join(","))]
        }
    }
}

// ---------------------------------------------------------------------------
// Shapes

/// A value reduced to what styles arrange.
#[derive(Debug, PartialEq)]
enum Shape {
    /// `null`, an empty array or an empty object: nothing is sent.
    Absent,
    Scalar(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

fn shape<T: Serialize + ?Sized>(value: &T) -> Shape {
    let Ok(json) = serde_json::to_string(value) else {
        return Shape::Absent;
    };
    match raw_shape(&json) {
        None | Some(RawShape::Null) => Shape::Absent,
        Some(RawShape::Scalar(s)) => Shape::Scalar(s),
        Some(RawShape::List(items)) => {
            let items: Vec<String> = items.into_iter().filter_map(item_text).collect();
            if items.is_empty() {
                Shape::Absent
            } else {
                Shape::List(items)
            }
        }
        Some(RawShape::Object(entries)) => {
            let entries: Vec<(String, String)> = entries
                .into_iter()
                .filter_map(|(k, v)| Some((k, item_text(v)?)))
                .collect();
            if entries.is_empty() {
                Shape::Absent
            } else {
                Shape::Object(entries)
            }
        }
    }
}

/// The top level of a JSON text, with nested values kept as written.
pub(crate) enum RawShape<'a> {
    Null,
    Scalar(String),
    List(Vec<&'a RawValue>),
    /// Properties in the order they were written.
    Object(Vec<(String, &'a RawValue)>),
}

/// Splits the top level of `json` (compact JSON from `serde_json`); `None`
/// if it is not JSON.
pub(crate) fn raw_shape(json: &str) -> Option<RawShape<'_>> {
    match json.trim_start().as_bytes().first()? {
        b'n' => Some(RawShape::Null),
        b'"' => serde_json::from_str::<String>(json)
            .ok()
            .map(RawShape::Scalar),
        b'[' => serde_json::from_str::<Vec<&RawValue>>(json)
            .ok()
            .map(RawShape::List),
        b'{' => {
            let mut de = serde_json::Deserializer::from_str(json);
            let entries = de.deserialize_map(EntriesVisitor).ok()?;
            de.end().ok()?;
            Some(RawShape::Object(entries))
        }
        _ => Some(RawShape::Scalar(json.trim().to_owned())),
    }
}

/// The text of a list item or property value: a string without quotes, a
/// number or boolean as written, an array or object as its JSON text;
/// `None` for `null`.
pub(crate) fn item_text(raw: &RawValue) -> Option<String> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'n') | None => None,
        Some(b'"') => serde_json::from_str::<String>(text).ok(),
        _ => Some(text.to_owned()),
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Vec<(String, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
            out.push((k, v));
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// Encoding

fn query_delimiter(style: Style, marks: &Marks) -> &'static str {
    match style {
        Style::SpaceDelimited => marks.space,
        Style::PipeDelimited => marks.pipe,
        _ => marks.comma,
    }
}

/// Appends `name=value` (form-encoded) to `out`, after a `&` if needed.
pub(crate) fn query_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    form_encode(out, name);
    out.push('=');
    form_encode(out, value);
}

/// Appends `value` to `out` in `application/x-www-form-urlencoded` form
/// (the same bytes [`crate::Request::query`] sends).
pub(crate) fn form_encode(out: &mut String, value: &str) {
    for &byte in value.as_bytes() {
        match byte {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(percent_encoding::percent_encode_byte(byte)),
        }
    }
}

/// Appends `value` to `out` with every byte but RFC 3986 unreserved
/// characters percent-encoded (as [`crate::Request::path_param`] does).
fn path_encode(out: &mut String, value: &str) {
    encode_unreserved(out, value);
}

/// Appends `value` to `out` with every byte but RFC 3986 unreserved
/// characters percent-encoded.
pub(crate) fn encode_unreserved(out: &mut String, value: &str) {
    for &byte in value.as_bytes() {
        match byte {
            b'-' | b'.' | b'_' | b'~' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(percent_encoding::percent_encode_byte(byte)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Rgb {
        // Declared out of alphabetical order: the order must be kept.
        r: u8,
        g: u8,
        b: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    }

    fn rgb() -> Rgb {
        Rgb {
            r: 100,
            g: 200,
            b: 150,
            name: None,
        }
    }

    const BLUE_BLACK: [&str; 3] = ["blue", "black", "brown"];

    #[test]
    fn shapes() {
        assert_eq!(shape(&json!(null)), Shape::Absent);
        assert_eq!(shape(&json!([])), Shape::Absent);
        assert_eq!(shape(&json!({})), Shape::Absent);
        assert_eq!(shape(&json!([null, null])), Shape::Absent);
        assert_eq!(shape("a \"b\""), Shape::Scalar("a \"b\"".into()));
        assert_eq!(shape(&1.5e300), Shape::Scalar("1.5e+300".into()));
        assert_eq!(shape(&false), Shape::Scalar("false".into()));
        assert_eq!(
            shape(&json!([1, "x", null, [2, 3], {"k": "v"}])),
            Shape::List(vec![
                "1".into(),
                "x".into(),
                "[2,3]".into(),
                r#"{"k":"v"}"#.into()
            ])
        );
        // Field order is kept, absent and null properties are left out, and
        // nested values are their JSON text, as serialised.
        assert_eq!(
            shape(&rgb()),
            Shape::Object(vec![
                ("r".into(), "100".into()),
                ("g".into(), "200".into()),
                ("b".into(), "150".into()),
            ])
        );
        let nested = BTreeMap::from([("z", json!(null)), ("a", json!({"b": true, "y": [1]}))]);
        assert_eq!(
            shape(&nested),
            Shape::Object(vec![("a".into(), r#"{"b":true,"y":[1]}"#.into())])
        );
    }

    #[test]
    fn query_form() {
        assert_eq!(query("color", "blue", Style::Form, true), "color=blue");
        assert_eq!(query("color", "", Style::Form, true), "color=");
        assert_eq!(
            query("color", &BLUE_BLACK, Style::Form, true),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(
            query("color", &BLUE_BLACK, Style::Form, false),
            "color=blue,black,brown"
        );
        assert_eq!(
            query("color", &rgb(), Style::Form, true),
            "r=100&g=200&b=150"
        );
        assert_eq!(
            query("color", &rgb(), Style::Form, false),
            "color=r,100,g,200,b,150"
        );
        // Nothing at all for null and empty values.
        assert_eq!(query("color", &json!(null), Style::Form, true), "");
        assert_eq!(
            query("color", &Vec::<String>::new(), Style::Form, false),
            ""
        );
    }

    #[test]
    fn query_delimited_and_deep_object() {
        assert_eq!(
            query("color", &BLUE_BLACK, Style::SpaceDelimited, false),
            "color=blue%20black%20brown"
        );
        assert_eq!(
            query("color", &BLUE_BLACK, Style::PipeDelimited, false),
            "color=blue|black|brown"
        );
        // Exploded, the delimited styles are `form`.
        assert_eq!(
            query("color", &BLUE_BLACK, Style::PipeDelimited, true),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(
            query("color", &rgb(), Style::SpaceDelimited, false),
            "color=r%20100%20g%20200%20b%20150"
        );
        assert_eq!(
            query("color", &rgb(), Style::PipeDelimited, false),
            "color=r|100|g|200|b|150"
        );
        assert_eq!(
            query("color", &rgb(), Style::DeepObject, true),
            "color[r]=100&color[g]=200&color[b]=150"
        );
        // deepObject of a scalar or array: as `form`.
        assert_eq!(query("c", &[1, 2], Style::DeepObject, true), "c=1&c=2");
        assert_eq!(query("c", &7, Style::DeepObject, true), "c=7");
    }

    #[test]
    fn query_delimiters_in_values_are_encoded() {
        let awkward = ["a,b", "c|d", "e f", "g&h=i", "[j]", "é+"];
        assert_eq!(
            query("q x", &awkward, Style::Form, false),
            "q+x=a%2Cb,c%7Cd,e+f,g%26h%3Di,%5Bj%5D,%C3%A9%2B"
        );
        assert_eq!(
            query("q", &awkward, Style::PipeDelimited, false),
            "q=a%2Cb|c%7Cd|e+f|g%26h%3Di|%5Bj%5D|%C3%A9%2B"
        );
        assert_eq!(
            query("f[", &json!({"k]": "v&"}), Style::DeepObject, true),
            "f%5B[k%5D]=v%26"
        );
    }

    #[test]
    fn path_styles() {
        assert_eq!(path("id", "a/b c", Style::Simple, false), "a%2Fb%20c");
        assert_eq!(
            path("id", &BLUE_BLACK, Style::Simple, false),
            "blue,black,brown"
        );
        assert_eq!(
            path("id", &BLUE_BLACK, Style::Simple, true),
            "blue,black,brown"
        );
        assert_eq!(
            path("id", &rgb(), Style::Simple, false),
            "r,100,g,200,b,150"
        );
        assert_eq!(path("id", &rgb(), Style::Simple, true), "r=100,g=200,b=150");
        assert_eq!(path("id", "x", Style::Label, false), ".x");
        assert_eq!(
            path("id", &BLUE_BLACK, Style::Label, false),
            ".blue,black,brown"
        );
        assert_eq!(
            path("id", &BLUE_BLACK, Style::Label, true),
            ".blue.black.brown"
        );
        assert_eq!(
            path("id", &rgb(), Style::Label, false),
            ".r,100,g,200,b,150"
        );
        assert_eq!(path("id", &rgb(), Style::Label, true), ".r=100.g=200.b=150");
        assert_eq!(path("id", "x", Style::Matrix, false), ";id=x");
        assert_eq!(path("id", "", Style::Matrix, false), ";id");
        assert_eq!(
            path("id", &BLUE_BLACK, Style::Matrix, false),
            ";id=blue,black,brown"
        );
        assert_eq!(
            path("id", &BLUE_BLACK, Style::Matrix, true),
            ";id=blue;id=black;id=brown"
        );
        assert_eq!(
            path("id", &rgb(), Style::Matrix, false),
            ";id=r,100,g,200,b,150"
        );
        assert_eq!(
            path("id", &rgb(), Style::Matrix, true),
            ";r=100;g=200;b=150"
        );
        // Delimiters inside values are encoded; a query style is `simple`.
        assert_eq!(
            path("id", &["a,b", "c=d;"], Style::Form, true),
            "a%2Cb,c%3Dd%3B"
        );
        assert_eq!(path("id", &json!(null), Style::Simple, false), "");
    }

    #[test]
    fn header_and_cookie() {
        assert_eq!(header("a b", false), "a b");
        assert_eq!(header(&BLUE_BLACK, false), "blue,black,brown");
        assert_eq!(header(&rgb(), false), "r,100,g,200,b,150");
        assert_eq!(header(&rgb(), true), "r=100,g=200,b=150");
        let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        assert_eq!(cookie("c", &5, true), [pair("c", "5")]);
        assert_eq!(
            cookie("c", &BLUE_BLACK, true),
            [pair("c", "blue"), pair("c", "black"), pair("c", "brown")]
        );
        assert_eq!(
            cookie("c", &BLUE_BLACK, false),
            [pair("c", "blue,black,brown")]
        );
        assert_eq!(
            cookie("c", &rgb(), true),
            [pair("r", "100"), pair("g", "200"), pair("b", "150")]
        );
        assert_eq!(cookie("c", &rgb(), false), [pair("c", "r,100,g,200,b,150")]);
        assert!(cookie("c", &json!([]), true).is_empty());
    }

    #[test]
    fn json_text() {
        assert_eq!(json(&rgb()), r#"{"r":100,"g":200,"b":150}"#);
        assert_eq!(json(&json!(null)), "null");
    }
}
