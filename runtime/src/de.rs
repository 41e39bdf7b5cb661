//! Deserializing generated structs: the shared part of their `Deserialize`
//! impls.
//!
//! A generated struct implements [`Fields`] (its name, the JSON names of its
//! fields and how to read them from a map) and a one-line `Deserialize` that
//! calls [`deserialize`]. Everything that does not depend on the struct —
//! the visitor, matching keys to fields, skipping unknown keys, the errors
//! for duplicate, missing and unknown fields — is here, compiled once,
//! instead of being expanded into every struct by `#[derive(Deserialize)]`.
//!
//! The result is what `#[derive(Deserialize)]` gives, with the same error
//! messages, except that a struct is read only from a JSON object (serde's
//! derive also accepts an array of the field values in order).
//!
//! ```
//! use apigen_runtime::de::{self, Fields};
//! use apigen_runtime::serde::de::{Deserialize, Deserializer, MapAccess};
//!
//! #[derive(Debug, PartialEq)]
//! struct Pet {
//!     name: String,
//!     tag: Option<String>,
//! }
//!
//! impl Fields for Pet {
//!     const NAME: &'static str = "Pet";
//!     const FIELDS: &'static [&'static str] = &["name", "tag"];
//!     const DENY_UNKNOWN: bool = false;
//!
//!     fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
//!         let (mut name, mut tag) = (None, None);
//!         while let Some(key) = de::next_key::<Self, A>(&mut map)? {
//!             match key {
//!                 0 => de::value(&mut map, &mut name, "name"),
//!                 1 => de::value(&mut map, &mut tag, "tag"),
//!                 _ => de::skip(&mut map),
//!             }?;
//!         }
//!         Ok(Pet {
//!             name: de::required(name, "name")?,
//!             tag: tag.unwrap_or_default(),
//!         })
//!     }
//! }
//!
//! impl<'de> Deserialize<'de> for Pet {
//!     fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         de::deserialize(deserializer)
//!     }
//! }
//!
//! let pet: Pet = serde_json::from_str(r#"{"name": "Rex", "age": 3}"#).unwrap();
//! assert_eq!(pet, Pet { name: "Rex".into(), tag: None });
//! let err = serde_json::from_str::<Pet>(r#"{"tag": "a"}"#).unwrap_err();
//! assert!(err.to_string().starts_with("missing field `name`"));
//! # use apigen_runtime::serde_json;
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self as sd, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct read from a JSON object, field by field (implemented by
/// generated structs).
pub trait Fields: Sized {
    /// The struct's name, for error messages (`expected struct Pet`).
    const NAME: &'static str;
    /// The JSON names of the fields; [`next_key`] returns indices into it.
    const FIELDS: &'static [&'static str];
    /// Whether a key that names no field is an error (`unknown field`)
    /// rather than skipped.
    const DENY_UNKNOWN: bool;

    /// Reads the struct from the entries of `map`, with [`next_key`],
    /// [`value`], [`skip`] and [`required`].
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes `T` from a map (a JSON object).
pub fn deserialize<'de, T: Fields, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Fields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The next key of `map`: `Some(i)` for the field `T::FIELDS[i]`,
/// `Some(usize::MAX)` for a key that names no field (skip its value with
/// [`skip`]; an error instead if `T::DENY_UNKNOWN`), `None` after the last
/// entry.
pub fn next_key<'de, T: Fields, A: MapAccess<'de>>(map: &mut A) -> Result<Option<usize>, A::Error> {
    map.next_key_seed(Key {
        fields: T::FIELDS,
        deny_unknown: T::DENY_UNKNOWN,
    })
}

/// Index of an unknown key.
const UNKNOWN: usize = usize::MAX;

/// Matches a key against the field names (as a field identifier, like
/// serde's derive: a string, bytes or a field index).
#[derive(Clone, Copy)]
struct Key {
    fields: &'static [&'static str],
    deny_unknown: bool,
}

impl Key {
    fn unknown<E: sd::Error>(self, key: &str) -> Result<usize, E> {
        if self.deny_unknown {
            Err(E::unknown_field(key, self.fields))
        } else {
            Ok(UNKNOWN)
        }
    }
}

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: sd::Error>(self, key: &str) -> Result<usize, E> {
        match self.fields.iter().position(|f| *f == key) {
            Some(i) => Ok(i),
            None => self.unknown(key),
        }
    }

    fn visit_bytes<E: sd::Error>(self, key: &[u8]) -> Result<usize, E> {
        match self.fields.iter().position(|f| f.as_bytes() == key) {
            Some(i) => Ok(i),
            None => self.unknown(&String::from_utf8_lossy(key)),
        }
    }

    fn visit_u64<E: sd::Error>(self, index: u64) -> Result<usize, E> {
        match usize::try_from(index) {
            Ok(i) if i < self.fields.len() => Ok(i),
            _ if self.deny_unknown => Err(E::invalid_value(
                sd::Unexpected::Unsigned(index),
                &format!("field index 0 <= i < {}", self.fields.len()).as_str(),
            )),
            _ => Ok(UNKNOWN),
        }
    }
}

/// Reads the value of the field named `name` into `slot`; a field that
/// appears twice is an error (`duplicate field`).
pub fn value<'de, A: MapAccess<'de>, T: sd::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(<A::Error as sd::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key that names no field.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of a field without a default: an absent field is an error
/// (`missing field`), except that a type that accepts `null` (an `Option`)
/// is read as from `null`, as serde's derive does.
pub fn required<'de, T: sd::Deserialize<'de>, E: sd::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// What an absent field deserializes from: `null` for an `Option`, else the
/// error `missing field`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: sd::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        nick: Option<String>,
        age: u32,
    }

    impl Fields for Pet {
        const NAME: &'static str = "Pet";
        const FIELDS: &'static [&'static str] = &["name", "tag", "nick", "age"];
        const DENY_UNKNOWN: bool = false;

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut name, mut tag, mut nick, mut age) = (None, None, None, None);
            while let Some(key) = next_key::<Self, A>(&mut map)? {
                match key {
                    0 => value(&mut map, &mut name, "name")?,
                    1 => value(&mut map, &mut tag, "tag")?,
                    2 => value(&mut map, &mut nick, "nick")?,
                    3 => value(&mut map, &mut age, "age")?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Pet {
                name: required(name, "name")?,
                // Required but nullable: absent is `None`.
                tag: required(tag, "tag")?,
                nick: nick.unwrap_or_default(),
                age: age.unwrap_or(7),
            })
        }
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[derive(Debug)]
    struct Strict {
        a: Option<u8>,
    }

    impl Fields for Strict {
        const NAME: &'static str = "Strict";
        const FIELDS: &'static [&'static str] = &["a"];
        const DENY_UNKNOWN: bool = true;

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut a = None;
            while let Some(key) = next_key::<Self, A>(&mut map)? {
                match key {
                    0 => value(&mut map, &mut a, "a")?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Strict {
                a: required(a, "a")?,
            })
        }
    }

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    fn err<T: for<'de> Deserialize<'de> + fmt::Debug>(json: &str) -> String {
        serde_json::from_str::<T>(json).unwrap_err().to_string()
    }

    /// What `#[derive(Deserialize)]` makes of the same structs.
    mod derived {
        use serde::Deserialize;

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        pub struct Pet {
            name: String,
            tag: Option<String>,
            #[serde(default)]
            nick: Option<String>,
            #[serde(default = "seven")]
            age: u32,
        }

        fn seven() -> u32 {
            7
        }

        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        pub struct Strict {
            a: Option<u8>,
        }
    }

    #[test]
    fn reads_fields_skips_unknown_and_defaults() {
        let pet: Pet =
            serde_json::from_str(r#"{"x": [1, {"y": 2}], "name": "Rex", "age": 3, "tag": null}"#)
                .unwrap();
        assert_eq!(
            pet,
            Pet {
                name: "Rex".into(),
                tag: None,
                nick: None,
                age: 3
            }
        );
        let pet: Pet = serde_json::from_str(r#"{"name": "R\u00e9x", "nick": "r"}"#).unwrap();
        assert_eq!(
            (pet.name.as_str(), pet.nick.as_deref(), pet.age),
            ("Réx", Some("r"), 7)
        );
        // Through `serde_json::Value` too (keys are then owned strings).
        let value = serde_json::json!({"name": "a", "tag": "t"});
        assert_eq!(Pet::deserialize(&value).unwrap().tag.as_deref(), Some("t"));
    }

    /// `T` read from a map with keys other than strings (formats other than
    /// JSON give fields by bytes or by index): its `Debug` or the error.
    fn from_pairs<T, K>(pairs: Vec<(K, serde_json::Value)>) -> String
    where
        T: for<'de> Deserialize<'de> + fmt::Debug,
        K: for<'de> sd::IntoDeserializer<'de, serde_json::Error>,
    {
        let map = sd::value::MapDeserializer::new(pairs.into_iter());
        match T::deserialize(map) {
            Ok(value) => format!("{value:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn byte_and_index_keys_match_serde_derive() {
        use serde_json::json;
        let bytes = |pairs: &[(&'static str, serde_json::Value)]| -> Vec<(&'static [u8], _)> {
            pairs
                .iter()
                .map(|(k, v)| (k.as_bytes(), v.clone()))
                .collect()
        };
        for pairs in [
            bytes(&[
                ("name", json!("Rex")),
                ("age", json!(3)),
                ("tag", json!(null)),
            ]),
            bytes(&[("zzz", json!(1)), ("name", json!("a")), ("tag", json!("t"))]),
            bytes(&[("age", json!(1))]),
        ] {
            let ours = from_pairs::<Pet, _>(pairs.clone());
            assert_eq!(ours, from_pairs::<derived::Pet, _>(pairs), "{ours}");
        }
        for pairs in [bytes(&[("a", json!(1))]), bytes(&[("b", json!(1))])] {
            let ours = from_pairs::<Strict, _>(pairs.clone());
            assert_eq!(ours, from_pairs::<derived::Strict, _>(pairs), "{ours}");
        }
        assert_eq!(
            from_pairs::<Strict, _>(bytes(&[("b", json!(1))])),
            "unknown field `b`, expected `a`"
        );
        for pairs in [
            vec![(0_u64, json!("Rex")), (3, json!(4)), (1, json!(null))],
            vec![(9, json!(1)), (0, json!("a")), (1, json!("t"))],
        ] {
            let ours = from_pairs::<Pet, _>(pairs.clone());
            assert_eq!(ours, from_pairs::<derived::Pet, _>(pairs), "{ours}");
        }
        for pairs in [vec![(0_u64, json!(1))], vec![(1, json!(1))]] {
            let ours = from_pairs::<Strict, _>(pairs.clone());
            assert_eq!(ours, from_pairs::<derived::Strict, _>(pairs), "{ours}");
        }
        assert_eq!(
            from_pairs::<Strict, _>(vec![(1_u64, json!(1))]),
            "invalid value: integer `1`, expected field index 0 <= i < 1"
        );
    }

    #[test]
    fn errors_match_serde_derive() {
        for json in [
            r#"{"age": 1}"#,
            r#"{"name": "a", "name": "b"}"#,
            r#"{"name": 1}"#,
            r#"{"name": "a", "age": -1}"#,
            r#"{"name": "a""#,
            "3",
            "null",
            r#""pet""#,
        ] {
            assert_eq!(err::<Pet>(json), err::<derived::Pet>(json), "{json}");
        }
        assert_eq!(
            err::<Pet>(r#"{"age": 1}"#),
            "missing field `name` at line 1 column 10"
        );
        for json in [r#"{"b": 1}"#, r#"{"a": 1, "a": 2}"#, r#"{"a": "x"}"#] {
            assert_eq!(err::<Strict>(json), err::<derived::Strict>(json), "{json}");
        }
        assert_eq!(
            err::<Strict>(r#"{"b": 1}"#),
            "unknown field `b`, expected `a` at line 1 column 4"
        );
        let strict: Strict = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        assert_eq!(strict.a, Some(1));
        // The one difference: no struct from an array of its field values.
        assert!(serde_json::from_str::<derived::Pet>(r#"["a", null, null, 1]"#).is_ok());
        assert_eq!(
            err::<Pet>(r#"["a", null, null, 1]"#),
            "invalid type: sequence, expected struct Pet at line 1 column 1"
        );
    }
}
