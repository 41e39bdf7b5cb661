//! `time` types that read and write RFC 3339 text (feature `time`).
//!
//! `time`'s own serde forms are not the text OpenAPI's `format: date-time`
//! and `format: date` describe (`2024-02-29T12:00:00Z`, `2024-02-29`), so code
//! generated with the `time` date representation uses these two wrappers.
//! Each derefs to the `time` value, converts to and from it with `From`, and
//! shows as its RFC 3339 text with `Display`.
//!
//! ```
//! use apigen_runtime::rfc3339::{Date, OffsetDateTime};
//!
//! let at: OffsetDateTime = serde_json::from_str(r#""2024-02-29T12:30:00.5+02:00""#).unwrap();
//! assert_eq!(at.hour(), 12);
//! assert_eq!(at.offset().whole_hours(), 2);
//! assert_eq!(serde_json::to_string(&at).unwrap(), r#""2024-02-29T12:30:00.5+02:00""#);
//!
//! let day: Date = "2024-02-29".parse().unwrap();
//! assert_eq!(day.to_string(), "2024-02-29");
//! assert!(serde_json::from_str::<Date>(r#""2023-02-29""#).is_err());
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;

/// A `time::OffsetDateTime` written and read as RFC 3339 text. The offset is
/// kept as sent.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OffsetDateTime(pub time::OffsetDateTime);

/// A `time::Date` written and read as `YYYY-MM-DD` (RFC 3339 `full-date`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

/// Text that is not an RFC 3339 date-time (or full-date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

const FULL_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

struct Text<T>(std::marker::PhantomData<T>);

impl<T: FromStr<Err = ParseError>> serde::de::Visitor<'_> for Text<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

/// The impls of a wrapper `$name($inner)` whose text is `$format`
/// (`$what` in parse errors), with `$default` as its default.
macro_rules! wrapper {
    (
        $name:ident($inner:ty),
        format: $format:expr,
        what: $what:literal,
        default: $default:expr, $default_doc:literal $(,)?
    ) => {
        impl Default for $name {
            #[doc = $default_doc]
            fn default() -> Self {
                $name($default)
            }
        }

        impl FromStr for $name {
            type Err = ParseError;

            fn from_str(s: &str) -> Result<Self, ParseError> {
                <$inner>::parse(s, $format)
                    .map($name)
                    .map_err(|e| ParseError(format!(concat!("not ", $what, ": {}"), e)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // Fails only for years outside 0..=9999, which RFC 3339
                // cannot write; `time`'s own form is shown for those.
                match self.0.format($format) {
                    Ok(s) => f.write_str(&s),
                    Err(_) => write!(f, "{}", self.0),
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let text = self.0.format($format).map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(&text)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(Text(std::marker::PhantomData))
            }
        }

        impl Deref for $name {
            type Target = $inner;

            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                $name(value)
            }
        }

        impl From<$name> for $inner {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

wrapper!(
    OffsetDateTime(time::OffsetDateTime),
    format: &Rfc3339,
    what: "an RFC 3339 date-time",
    default: time::OffsetDateTime::UNIX_EPOCH,
    "The Unix epoch, `1970-01-01T00:00:00Z`.",
);
wrapper!(
    Date(time::Date),
    format: FULL_DATE,
    what: "a YYYY-MM-DD date",
    default: time::OffsetDateTime::UNIX_EPOCH.date(),
    "`1970-01-01`.",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_keep_offset_and_fraction() {
        for text in [
            "2024-02-29T12:30:00Z",
            "2024-02-29T12:30:00.123456789-07:30",
            "1999-12-31T23:59:59+14:00",
        ] {
            let v: OffsetDateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(text));
            assert_eq!(v.to_string(), text);
        }
    }

    #[test]
    fn bad_text_is_an_error_naming_the_form() {
        for text in ["2024-02-29", "2024-02-30T00:00:00Z", "yesterday", ""] {
            let e = serde_json::from_value::<OffsetDateTime>(serde_json::json!(text)).unwrap_err();
            assert!(e.to_string().contains("RFC 3339"), "{text}: {e}");
        }
        assert!(serde_json::from_value::<OffsetDateTime>(serde_json::json!(3)).is_err());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("2024-1-01".parse::<Date>().is_err());
    }

    #[test]
    fn dates_round_trip_and_convert() {
        let d: Date = serde_json::from_str(r#""2024-02-29""#).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), r#""2024-02-29""#);
        let inner: time::Date = d.into();
        assert_eq!(inner.day(), 29);
        assert_eq!(Date::from(inner), d);
        assert_eq!(format!("{d:?}"), "Date(2024-02-29)");
        assert_eq!(Date::default().to_string(), "1970-01-01");
        assert_eq!(
            OffsetDateTime::default().to_string(),
            "1970-01-01T00:00:00Z"
        );
    }
}
