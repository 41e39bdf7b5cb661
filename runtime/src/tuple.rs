//! [`Prefixed`]: a JSON array whose first elements have fixed types (3.1
//! `prefixItems`) and whose further elements share one type (`items`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Error as _, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON array read as a tuple of its first elements followed by any number
/// of further elements of one type: `prefixItems: [A, B]` with `items: R`
/// becomes `Prefixed<(A, B), R>`.
///
/// The prefix is positional and complete: an array shorter than the tuple
/// does not decode. Every further element is kept in [`Prefixed::rest`], in
/// order, so writing the value back gives the same array.
///
/// ```
/// use apigen_runtime::Prefixed;
///
/// let row: Prefixed<(String, i64), bool> = serde_json::from_str(r#"["a", 1, true, false]"#)?;
/// assert_eq!(row.prefix, ("a".to_owned(), 1));
/// assert_eq!(row.rest, [true, false]);
/// assert_eq!(serde_json::to_string(&row)?, r#"["a",1,true,false]"#);
/// assert!(serde_json::from_str::<Prefixed<(String, i64), bool>>(r#"["a"]"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefixed<T, R> {
    /// The first elements, one per `prefixItems` schema.
    pub prefix: T,
    /// The elements after the prefix.
    pub rest: Vec<R>,
}

impl<T, R> Prefixed<T, R> {
    /// A value with no elements after the prefix.
    pub fn new(prefix: T) -> Self {
        Prefixed {
            prefix,
            rest: Vec::new(),
        }
    }
}

/// A tuple that can be the prefix of a [`Prefixed`] array (implemented for
/// tuples of 1 to 16 elements).
pub trait TuplePrefix: Sized {
    /// Number of elements.
    const LEN: usize;

    /// Writes the elements, in order, into a sequence.
    fn serialize_elements<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error>;

    /// Reads the elements, in order, from a sequence; fails when it ends early.
    fn deserialize_elements<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Self, A::Error>;
}

macro_rules! tuple_prefix {
    ($len:literal => $($t:ident $i:tt),+) => {
        impl<$($t: Serialize + DeserializeOwned),+> TuplePrefix for ($($t,)+) {
            const LEN: usize = $len;

            fn serialize_elements<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
                $(seq.serialize_element(&self.$i)?;)+
                Ok(())
            }

            fn deserialize_elements<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Self, A::Error> {
                Ok(($(
                    match seq.next_element::<$t>()? {
                        Some(value) => value,
                        None => {
                            return Err(A::Error::invalid_length(
                                $i,
                                &concat!("an array of at least ", $len, " elements"),
                            ))
                        }
                    },
                )+))
            }
        }
    };
}

tuple_prefix!(1 => T0 0);
tuple_prefix!(2 => T0 0, T1 1);
tuple_prefix!(3 => T0 0, T1 1, T2 2);
tuple_prefix!(4 => T0 0, T1 1, T2 2, T3 3);
tuple_prefix!(5 => T0 0, T1 1, T2 2, T3 3, T4 4);
tuple_prefix!(6 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5);
tuple_prefix!(7 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6);
tuple_prefix!(8 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7);
tuple_prefix!(9 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8);
tuple_prefix!(10 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9);
tuple_prefix!(11 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10);
tuple_prefix!(12 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11);
tuple_prefix!(13 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12);
tuple_prefix!(14 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13);
tuple_prefix!(15 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13, T14 14);
tuple_prefix!(16 => T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13, T14 14, T15 15);

impl<T: TuplePrefix, R: Serialize> Serialize for Prefixed<T, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(T::LEN + self.rest.len()))?;
        self.prefix.serialize_elements(&mut seq)?;
        for item in &self.rest {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl<'de, T: TuplePrefix, R: DeserializeOwned> Deserialize<'de> for Prefixed<T, R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArrayVisitor<T, R>(PhantomData<(T, R)>);
        impl<'de, T: TuplePrefix, R: DeserializeOwned> Visitor<'de> for ArrayVisitor<T, R> {
            type Value = Prefixed<T, R>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an array of at least {} elements", T::LEN)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let prefix = T::deserialize_elements(&mut seq)?;
                let mut rest = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    rest.push(item);
                }
                Ok(Prefixed { prefix, rest })
            }
        }
        deserializer.deserialize_seq(ArrayVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::Prefixed;
    use serde_json::{Value, json};

    #[test]
    fn round_trips_with_and_without_rest() {
        let v = json!([1, "a"]);
        let p: Prefixed<(u8, String), Value> = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(p, Prefixed::new((1, "a".to_owned())));
        assert_eq!(serde_json::to_value(&p).unwrap(), v);

        let v = json!([1, "a", {"x": 1}, null]);
        let p: Prefixed<(u8, String), Value> = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(p.rest, [json!({"x": 1}), Value::Null]);
        assert_eq!(serde_json::to_value(&p).unwrap(), v);
    }

    #[test]
    fn short_or_mistyped_arrays_fail() {
        let err = serde_json::from_value::<Prefixed<(u8, String), u8>>(json!([1])).unwrap_err();
        assert!(err.to_string().contains("at least 2"), "{err}");
        assert!(serde_json::from_value::<Prefixed<(u8,), u8>>(json!([1, "x"])).is_err());
        assert!(serde_json::from_value::<Prefixed<(u8,), u8>>(json!({"0": 1})).is_err());
        let text: Prefixed<(u8,), u8> = serde_json::from_str("[1,2,3]").unwrap();
        assert_eq!(text.rest, [2, 3]);
    }
}
