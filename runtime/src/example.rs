//! The checks of the tests apigen generates from an API description's own
//! examples (`apigen --example-tests`, `Builder::example_tests`): each
//! documented example is decoded into its generated type the way a client
//! decodes a response, encoded again, and compared with the example.
//!
//! [`check`] fails when the example does not decode, or when the JSON
//! written back differs from the example (as JSON values: key order and
//! number spelling aside), except where [`Example`] lists a known limit of
//! the generated code at that place:
//!
//! - [`undeclared`](Example::undeclared): a key the schema does not
//!   declare, which a struct without a map of extra keys does not keep: it
//!   may be missing from the JSON written back;
//! - [`single`](Example::single): a `format: float` number (an `f32`): it
//!   may come back rounded to single precision (it must still be the same
//!   `f32`);
//! - [`respelled`](Example::respelled): a date, date-time or base64 string
//!   read into a typed value: it may come back spelled another way (it must
//!   still be a string; that it decoded is the check).
//!
//! The message of a failure names the example by its JSON pointer in the
//! description and shows the first difference.
//!
//! ```
//! use apigen_runtime::example::{Example, check};
//!
//! #[derive(apigen_runtime::serde::Serialize, apigen_runtime::serde::Deserialize)]
//! #[serde(crate = "apigen_runtime::serde")]
//! struct Pet {
//!     id: i64,
//! }
//!
//! let example = Example {
//!     pointer: "/components/schemas/Pet/example",
//!     text: r#"{"id": 7, "nickname": "Rex"}"#,
//!     undeclared: &["/nickname"],
//!     single: &[],
//!     respelled: &[],
//! };
//! assert!(check::<Pet>(&example).is_ok());
//! let wrong = Example { text: r#"{"id": "7"}"#, ..example };
//! let message = check::<Pet>(&wrong).unwrap_err();
//! assert!(message.contains("#/components/schemas/Pet/example"), "{message}");
//! assert!(message.contains("$.id"), "{message}");
//! ```

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

/// One documented example and the known limits of the generated code at
/// places in it (see the module doc).
#[derive(Debug, Clone, Copy)]
pub struct Example<'a> {
    /// JSON pointer of the example in the API description.
    pub pointer: &'a str,
    /// The example, as JSON text.
    pub text: &'a str,
    /// JSON pointers (below the example) of keys its schema does not
    /// declare and the generated struct does not keep.
    pub undeclared: &'a [&'a str],
    /// JSON pointers (below the example) of `format: float` numbers.
    pub single: &'a [&'a str],
    /// JSON pointers (below the example) of dates, date-times and base64
    /// strings read into typed values.
    pub respelled: &'a [&'a str],
}

/// Decodes `example` as `T` through the client's response path, encodes it
/// again and compares (see the module doc). The error is a message for a
/// test failure.
pub fn check<T>(example: &Example<'_>) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let read: Value = serde_json::from_str(example.text)
        .map_err(|e| format!("the example at #{} is not JSON: {e}", example.pointer))?;
    let response = crate::Response::new(
        reqwest::StatusCode::OK,
        reqwest::header::HeaderMap::new(),
        example.text.as_bytes().to_vec(),
    );
    let value: T = match response.json::<T, ()>() {
        Ok(value) => value,
        Err(crate::Error::Decode { path, source, .. }) => {
            return Err(format!(
                "the example at #{} does not decode as {}: at {path}: {source}",
                example.pointer,
                std::any::type_name::<T>()
            ));
        }
        Err(e) => {
            return Err(format!(
                "the example at #{} does not decode as {}: {e}",
                example.pointer,
                std::any::type_name::<T>()
            ));
        }
    };
    let written = serde_json::to_value(&value).map_err(|e| {
        format!(
            "the example at #{} decodes but does not encode again: {e}",
            example.pointer
        )
    })?;
    let limits = Limits {
        undeclared: example.undeclared.iter().copied().collect(),
        single: example.single.iter().copied().collect(),
        respelled: example.respelled.iter().copied().collect(),
    };
    let mut at = String::new();
    match first_difference(&read, &written, &mut at, &limits) {
        None => Ok(()),
        Some(d) => Err(format!(
            "the example at #{} is written back differently as {}: {d}",
            example.pointer,
            std::any::type_name::<T>()
        )),
    }
}

/// [`check`], panicking with its message: the body of a generated test.
#[track_caller]
pub fn assert_holds<T>(example: &Example<'_>)
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    if let Err(message) = check::<T>(example) {
        panic!("{message}");
    }
}

struct Limits<'a> {
    undeclared: BTreeSet<&'a str>,
    single: BTreeSet<&'a str>,
    respelled: BTreeSet<&'a str>,
}

/// Where and how the value written back first differs from the example.
struct Difference {
    /// JSON pointer below the example.
    at: String,
    read: Option<Value>,
    written: Option<Value>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = json_path(&self.at);
        let show = |v: &Value| {
            let mut text = v.to_string();
            if text.len() > 200 {
                let mut end = 200;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
                text.push('…');
            }
            text
        };
        match (&self.read, &self.written) {
            (Some(read), None) => write!(f, "at {path}: {} is dropped", show(read)),
            (None, Some(written)) => write!(f, "at {path}: {} is added", show(written)),
            (Some(read), Some(written)) => write!(
                f,
                "at {path}: the example has {}, the value written back {}",
                show(read),
                show(written)
            ),
            (None, None) => write!(f, "at {path}"),
        }
    }
}

/// `$.items[3]['a b']` for the pointer `/items/3/a b`.
fn json_path(pointer: &str) -> String {
    let mut out = String::from("$");
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let plain = token
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            out.push('.');
            out.push_str(&token);
        } else if !token.is_empty() && token.chars().all(|c| c.is_ascii_digit()) {
            let _ = write!(out, "[{token}]");
        } else {
            let _ = write!(
                out,
                "['{}']",
                token.replace('\\', "\\\\").replace('\'', "\\'")
            );
        }
    }
    out
}

fn first_difference(
    read: &Value,
    written: &Value,
    at: &mut String,
    limits: &Limits<'_>,
) -> Option<Difference> {
    let differ = |at: &String, read: Option<&Value>, written: Option<&Value>| {
        Some(Difference {
            at: at.clone(),
            read: read.cloned(),
            written: written.cloned(),
        })
    };
    match (read, written) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let len = at.len();
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                let found = match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => first_difference(v, w, at, limits),
                    (Some(_), None) if limits.undeclared.contains(at.as_str()) => None,
                    (v, w) => differ(at, v, w),
                };
                if found.is_some() {
                    return found;
                }
                at.truncate(len);
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                let len = at.len();
                let _ = write!(at, "/{i}");
                if let Some(found) = first_difference(v, w, at, limits) {
                    return Some(found);
                }
                at.truncate(len);
            }
            None
        }
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64(), y.as_f64());
            // `as f32`: rounding to single precision is the point here.
            #[allow(clippy::cast_possible_truncation)]
            let same_single = || matches!((x, y), (Some(x), Some(y)) if x as f32 == y as f32);
            if x == y || (limits.single.contains(at.as_str()) && same_single()) {
                None
            } else {
                differ(at, Some(read), Some(written))
            }
        }
        (Value::String(_), Value::String(_)) if limits.respelled.contains(at.as_str()) => None,
        _ if read == written => None,
        _ => differ(at, Some(read), Some(written)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Pet {
        id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<f32>,
    }

    fn example(text: &'static str) -> Example<'static> {
        Example {
            pointer: "/components/schemas/Pet/example",
            text,
            undeclared: &[],
            single: &[],
            respelled: &[],
        }
    }

    #[test]
    fn a_faithful_example_holds() {
        assert_eq!(check::<Pet>(&example(r#"{"id": 1, "tag": "x"}"#)), Ok(()));
        assert_eq!(
            check::<BTreeMap<String, f64>>(&example(r#"{"a": 1.0}"#)),
            Ok(())
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_fails_naming_the_example_and_the_place() {
        let err = check::<Vec<Pet>>(&example(r#"[{"id": 1}, {"id": "2"}]"#)).unwrap_err();
        assert!(err.contains("#/components/schemas/Pet/example"), "{err}");
        assert!(err.contains("does not decode"), "{err}");
        assert!(err.contains("$[1].id"), "{err}");
    }

    #[test]
    fn a_dropped_key_fails_unless_listed_as_undeclared() {
        let text = r#"{"id": 1, "extra": {"a": 1}}"#;
        let err = check::<Pet>(&example(text)).unwrap_err();
        assert!(err.contains("at $.extra: {\"a\":1} is dropped"), "{err}");
        let listed = Example {
            undeclared: &["/extra"],
            ..example(text)
        };
        assert_eq!(check::<Pet>(&listed), Ok(()));
        // A declared key dropped (a `null` its schema does not allow).
        let err = check::<Pet>(&Example {
            undeclared: &["/extra"],
            ..example(r#"{"id": 1, "tag": null, "extra": 1}"#)
        })
        .unwrap_err();
        assert!(err.contains("at $.tag: null is dropped"), "{err}");
    }

    #[test]
    fn single_precision_is_allowed_only_where_listed() {
        let text = r#"{"id": 1, "weight": 0.1}"#;
        let err = check::<Pet>(&example(text)).unwrap_err();
        assert!(err.contains("at $.weight: the example has 0.1"), "{err}");
        let listed = Example {
            single: &["/weight"],
            ..example(text)
        };
        assert_eq!(check::<Pet>(&listed), Ok(()));
    }

    #[test]
    fn respelled_strings_are_allowed_only_where_listed() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct At {
            #[serde(deserialize_with = "upper")]
            at: String,
        }
        fn upper<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
            <String as serde::Deserialize>::deserialize(d).map(|s| s.to_uppercase())
        }
        let text = r#"{"at": "2024-01-01t00:00:00z"}"#;
        assert!(check::<At>(&example(text)).is_err());
        let listed = Example {
            respelled: &["/at"],
            ..example(text)
        };
        assert_eq!(check::<At>(&listed), Ok(()));
    }

    #[test]
    fn paths_are_written_as_json_paths() {
        assert_eq!(json_path(""), "$");
        assert_eq!(
            json_path("/items/3/a b/x~1y/_z"),
            "$.items[3]['a b']['x/y']._z"
        );
    }
}
