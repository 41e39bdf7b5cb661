//! A three-state value for fields that are both optional and nullable.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that may be absent, explicitly `null`, or carry a value.
///
/// `Option<T>` cannot tell "leave this field alone" from "clear this field",
/// which matters for `PATCH`-style requests. Generated code uses `Nullable<T>`
/// for properties that are both optional and nullable, annotated with
///
/// ```text
/// #[serde(default, skip_serializing_if = "apigen_runtime::Nullable::is_absent")]
/// ```
///
/// so that:
///
/// | JSON               | value                  |
/// |--------------------|------------------------|
/// | field missing      | [`Nullable::Absent`]   |
/// | `"field": null`    | [`Nullable::Null`]     |
/// | `"field": 1`       | [`Nullable::Value(1)`] |
///
/// and each state serialises back to the same JSON.
///
/// On its own (without the field attributes above), `Absent` serialises as
/// `null`, and deserialising never produces `Absent`.
///
/// [`Nullable::Value(1)`]: Nullable::Value
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum Nullable<T> {
    /// The field is not present.
    #[default]
    Absent,
    /// The field is present and `null`.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Returns `true` if the field is absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Returns `true` if the field is explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Returns `true` if the field carries a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// Converts from `&Nullable<T>` to `Nullable<&T>`.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// Returns the value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Returns the value, if there is one, discarding the absent/null
    /// distinction.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Converts to a nested option: `Absent` → `None`, `Null` → `Some(None)`,
    /// `Value(v)` → `Some(Some(v))`.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(v) => Some(Some(v)),
        }
    }

    /// Maps the value with `f`, keeping `Absent` and `Null` as they are.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

/// `None` becomes [`Nullable::Null`] and `Some(v)` becomes
/// [`Nullable::Value`].
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            None => Nullable::Null,
            Some(v) => Nullable::Value(v),
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(crate = "crate::serde")]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        a: Nullable<i64>,
    }

    fn round_trip(json: &str) -> Patch {
        let parsed: Patch = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        parsed
    }

    #[test]
    fn three_states_round_trip_distinctly() {
        assert_eq!(round_trip("{}").a, Nullable::Absent);
        assert_eq!(round_trip(r#"{"a":null}"#).a, Nullable::Null);
        assert_eq!(round_trip(r#"{"a":1}"#).a, Nullable::Value(1));
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(serde_json::from_str::<Patch>(r#"{"a":"x"}"#).is_err());
    }

    #[test]
    fn standalone_serialisation() {
        assert_eq!(
            serde_json::to_string(&Nullable::<u8>::Absent).unwrap(),
            "null"
        );
        assert_eq!(
            serde_json::to_string(&Nullable::<u8>::Null).unwrap(),
            "null"
        );
        assert_eq!(serde_json::to_string(&Nullable::Value(3u8)).unwrap(), "3");
        let v: Nullable<String> = serde_json::from_str("null").unwrap();
        assert_eq!(v, Nullable::Null);
    }

    #[test]
    fn accessors() {
        let v = Nullable::Value(2);
        assert!(v.is_value() && !v.is_null() && !v.is_absent());
        assert_eq!(v.value(), Some(&2));
        assert_eq!(v.as_ref(), Nullable::Value(&2));
        assert_eq!(v.map(|x| x * 10), Nullable::Value(20));
        assert_eq!(v.into_option(), Some(Some(2)));
        assert_eq!(v.into_value(), Some(2));

        let n: Nullable<i32> = Nullable::Null;
        assert!(n.is_null());
        assert_eq!(n.value(), None);
        assert_eq!(n.into_option(), Some(None));
        assert_eq!(n.map(|x| x + 1), Nullable::Null);

        let a: Nullable<i32> = Nullable::default();
        assert!(a.is_absent());
        assert_eq!(a.into_option(), None);
        assert_eq!(a.into_value(), None);

        assert_eq!(Nullable::from(Some(1)), Nullable::Value(1));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
    }
}
