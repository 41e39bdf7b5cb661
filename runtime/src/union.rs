//! Helpers used by generated code for unions (`oneOf` / `anyOf`).

use serde::Serialize;
use serde::ser::Error as _;

/// The string value of `tag` in a JSON object, if present and a string.
///
/// ```
/// use apigen_runtime::union::tag_of;
/// use serde_json::json;
///
/// let v = json!({"type": "cat", "lives": 9});
/// assert_eq!(tag_of(&v, "type"), Some("cat"));
/// assert_eq!(tag_of(&v, "lives"), None);
/// assert_eq!(tag_of(&json!([1]), "type"), None);
/// ```
pub fn tag_of<'v>(value: &'v serde_json::Value, tag: &str) -> Option<&'v str> {
    value.as_object()?.get(tag)?.as_str()
}

/// Serialises `variant` and ensures the resulting object carries
/// `tag: tag_value`.
///
/// The tag is inserted if the variant's own fields did not include it, and
/// overwritten if they held a different value, so the output always
/// identifies the variant. Works with any serde `Serializer`: the variant is
/// first converted to a [`serde_json::Value`]. Fails if the variant does not
/// serialise to a JSON object.
///
/// ```
/// use apigen_runtime::union::serialize_tagged;
///
/// #[derive(serde::Serialize)]
/// struct Cat { lives: u8 }
///
/// let mut out = Vec::new();
/// serialize_tagged(&mut serde_json::Serializer::new(&mut out), "type", "cat", &Cat { lives: 9 })?;
/// assert_eq!(String::from_utf8(out)?, r#"{"lives":9,"type":"cat"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn serialize_tagged<S: serde::Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    tag_value: &str,
    variant: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(variant).map_err(S::Error::custom)?;
    match value.as_object_mut() {
        Some(object) => {
            if object.get(tag).and_then(serde_json::Value::as_str) != Some(tag_value) {
                object.insert(
                    tag.to_owned(),
                    serde_json::Value::String(tag_value.to_owned()),
                );
            }
        }
        None => {
            return Err(S::Error::custom(format_args!(
                "variant `{tag_value}` of a union tagged by `{tag}` must serialise as a JSON object"
            )));
        }
    }
    value.serialize(serializer)
}

/// Decodes `value` as `T` only if nothing is lost: re-encoding the result
/// must give back `value` (numbers compared by value, so `3` and `3.0` are
/// equal). Untagged unions try their variants with this, so a variant that
/// would silently drop keys it does not declare is passed over.
///
/// ```
/// use apigen_runtime::union::lossless;
/// use serde_json::json;
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Named { name: Option<String> }
///
/// assert!(lossless::<Named>(&json!({"name": "a"})).is_some());
/// assert!(lossless::<Named>(&json!({"name": "a", "other": 1})).is_none());
/// ```
pub fn lossless<T>(value: &serde_json::Value) -> Option<T>
where
    T: serde::de::DeserializeOwned + Serialize,
{
    let decoded = T::deserialize(value).ok()?;
    let again = serde_json::to_value(&decoded).ok()?;
    same_json(value, &again).then_some(decoded)
}

/// JSON equality with numbers compared by value.
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serializer;
    use serde_json::json;

    #[derive(Serialize)]
    #[serde(crate = "crate::serde")]
    struct Dog {
        name: String,
    }

    #[derive(Serialize)]
    #[serde(crate = "crate::serde")]
    struct WithTag {
        kind: String,
        n: u8,
    }

    struct Tagged<'a, T>(&'a str, &'a str, &'a T);
    impl<T: Serialize> Serialize for Tagged<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_tagged(s, self.0, self.1, self.2)
        }
    }

    #[test]
    fn inserts_missing_tag() {
        let dog = Dog { name: "Rex".into() };
        let v = serde_json::to_value(Tagged("kind", "dog", &dog)).unwrap();
        assert_eq!(v, json!({"kind": "dog", "name": "Rex"}));
        assert_eq!(tag_of(&v, "kind"), Some("dog"));
    }

    #[test]
    fn keeps_or_fixes_existing_tag() {
        let same = WithTag {
            kind: "w".into(),
            n: 1,
        };
        let v = serde_json::to_value(Tagged("kind", "w", &same)).unwrap();
        assert_eq!(v, json!({"kind": "w", "n": 1}));

        let wrong = WithTag {
            kind: "other".into(),
            n: 1,
        };
        let v = serde_json::to_value(Tagged("kind", "w", &wrong)).unwrap();
        assert_eq!(v, json!({"kind": "w", "n": 1}));
    }

    #[test]
    fn non_object_is_an_error() {
        let err = serde_json::to_string(&Tagged("kind", "n", &5)).unwrap_err();
        assert!(err.to_string().contains("JSON object"), "{err}");
    }

    #[test]
    fn tag_of_edge_cases() {
        assert_eq!(tag_of(&json!({"t": "a"}), "t"), Some("a"));
        assert_eq!(tag_of(&json!({"t": 1}), "t"), None);
        assert_eq!(tag_of(&json!({"u": "a"}), "t"), None);
        assert_eq!(tag_of(&json!("t"), "t"), None);
        assert_eq!(tag_of(&json!(null), "t"), None);
    }

    #[test]
    fn lossless_compares_numbers_by_value() {
        assert!(lossless::<f64>(&json!(3)).is_some());
        assert!(lossless::<i64>(&json!(3.5)).is_none());
        assert!(lossless::<Vec<f64>>(&json!([1, 2.5])).is_some());
        assert!(lossless::<String>(&json!(1)).is_none());
    }
}
