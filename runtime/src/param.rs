//! Turning parameter values into the text sent in a path, query, header or
//! cookie.

use serde::Serialize;

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
