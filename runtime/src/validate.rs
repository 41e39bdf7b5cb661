//! Checks of the constraints an API description puts on values (`pattern`,
//! `minLength`, `minimum`, `minItems`, …), run before a request is sent.
//!
//! Generated types stay plain (`String`, `i64`, `Vec<T>`, …): a response
//! that breaks a constraint of the API's own description still decodes
//! (lenient in what we accept). Every request is checked before anything is
//! sent (strict in what we send): a generated type whose schema has
//! constraints anywhere beneath it gets a `validate(&self)` method, and each
//! operation checks its parameters and calls `validate` on its body first. A
//! violation becomes [`Error::InvalidRequest`](crate::Error::InvalidRequest)
//! naming the path of the offending value and the constraint, such as
//! `invalid request: body.customerId: must be at least 1 character long
//! (minLength)`; values themselves are never shown, as they may be secrets.
//!
//! The functions here are what generated code calls; each checks one
//! constraint on one value, and [`at`], [`each`] and [`each_value`] add the
//! location to an error on its way out:
//!
//! ```
//! use apigen_runtime::validate::{self as v, Pattern};
//!
//! static ID: Pattern = Pattern::new("^conn_");
//! let id = "int_123";
//! let err = v::at("path parameter id", || v::pattern(id, &ID)).unwrap_err();
//! assert_eq!(err.to_string(), "path parameter id: must match the pattern `^conn_`");
//!
//! let tags = vec!["a".to_owned(), String::new()];
//! let err = v::at("body", || v::at("tags", || v::each(&tags, |tag| v::min_length(tag, 1))))
//!     .unwrap_err();
//! assert_eq!(err.to_string(), "body.tags[1]: must be at least 1 character long (minLength)");
//! ```
//!
//! Semantics follow JSON Schema: lengths count Unicode code points (`"é"`
//! has length 1), patterns are unanchored regular expressions (run by
//! [`regex-lite`](https://docs.rs/regex-lite), whose syntax agrees with
//! ECMA-262 on what API descriptions use; a pattern it cannot compile is not
//! checked), and numbers compare by value whatever their Rust type.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// A value that breaks a constraint of the API description.
///
/// `Display` gives the path of the value and the constraint, such as
/// `body.items[2].name: must match the pattern `^[a-z]+$``. The value itself
/// is never shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path segments, innermost first (errors gain segments on their way out).
    path: Vec<Segment>,
    message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A property name or a root such as `body` or `path parameter id`.
    Name(&'static str),
    /// An array index.
    Index(usize),
    /// A map key.
    Key(String),
}

/// Map keys longer than this are shortened in paths.
const KEY_CHARS: usize = 40;

impl ValidationError {
    /// An error with `message` (the broken constraint, e.g. `must be at
    /// least 1 character long (minLength)`) and an empty path.
    pub fn new(message: impl Into<String>) -> Self {
        ValidationError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// The error inside the property (or root) `name`.
    pub fn at(mut self, name: &'static str) -> Self {
        self.path.push(Segment::Name(name));
        self
    }

    /// The error inside array item `index`.
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push(Segment::Index(index));
        self
    }

    /// The error inside the map value under `key`.
    pub fn at_key(mut self, key: &str) -> Self {
        self.path.push(Segment::Key(key.to_owned()));
        self
    }

    /// The broken constraint, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The path of the offending value, such as `body.items[2].name` or
    /// `path parameter id` (empty for the value `validate` was called on).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Name(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Segment::Key(key) => {
                    let mut shown: String = key.chars().take(KEY_CHARS).collect();
                    if shown.len() < key.len() {
                        shown.push('…');
                    }
                    out.push_str(&format!("[{shown:?}]"));
                }
            }
        }
        out
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path(), self.message)
        }
    }
}

impl std::error::Error for ValidationError {}

/// The result of a check.
pub type Result = std::result::Result<(), ValidationError>;

// ---------------------------------------------------------------------------
// Locations

/// Runs `check`, placing any error inside the property (or root) `name`.
pub fn at(name: &'static str, check: impl FnOnce() -> Result) -> Result {
    check().map_err(|e| e.at(name))
}

/// Runs `check` on every item, placing an error at the item's index.
pub fn each<T>(items: &[T], mut check: impl FnMut(&T) -> Result) -> Result {
    for (i, item) in items.iter().enumerate() {
        check(item).map_err(|e| e.at_index(i))?;
    }
    Ok(())
}

/// Runs `check` on every value of a map, placing an error at the value's key.
pub fn each_value<T>(map: &BTreeMap<String, T>, mut check: impl FnMut(&T) -> Result) -> Result {
    for (key, value) in map {
        check(value).map_err(|e| e.at_key(key))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Strings

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `minLength`: at least `min` characters (Unicode code points).
pub fn min_length(value: &str, min: u64) -> Result {
    // Every character takes at least one byte.
    if (value.len() as u64) < min || (value.chars().count() as u64) < min {
        return Err(ValidationError::new(format!(
            "must be at least {} long (minLength)",
            plural(min, "character", "characters")
        )));
    }
    Ok(())
}

/// `maxLength`: at most `max` characters (Unicode code points).
pub fn max_length(value: &str, max: u64) -> Result {
    if (value.len() as u64) > max && (value.chars().count() as u64) > max {
        return Err(ValidationError::new(format!(
            "must be at most {} long (maxLength)",
            plural(max, "character", "characters")
        )));
    }
    Ok(())
}

/// A `pattern`, compiled the first time it is used and then kept.
///
/// Generated code declares one `static` per pattern:
///
/// ```
/// use apigen_runtime::validate::Pattern;
///
/// static ID: Pattern = Pattern::new("^conn_[0-9A-Z]+$");
/// assert_eq!(ID.is_match("conn_01HX"), Some(true));
/// assert_eq!(ID.is_match("int_01HX"), Some(false));
///
/// // Look-around is not supported: the pattern is not checked.
/// static LOOK: Pattern = Pattern::new("^(?!x)");
/// assert_eq!(LOOK.is_match("x"), None);
/// ```
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// A pattern with the given source (an ECMA-262 regular expression as
    /// written in the API description).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The source of the pattern.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` contains a match (patterns are not anchored), or
    /// `None` when the pattern cannot be compiled (unsupported syntax, such
    /// as look-around or back-references, or an invalid expression).
    pub fn is_match(&self, value: &str) -> Option<bool> {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .map(|regex| regex.is_match(value))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// `pattern`: `value` contains a match of `pattern`. A pattern that cannot be
/// compiled is not checked (apigen warns about it when generating).
pub fn pattern(value: &str, pattern: &Pattern) -> Result {
    match pattern.is_match(value) {
        Some(false) => Err(ValidationError::new(format!(
            "must match the pattern `{}`",
            pattern.source
        ))),
        Some(true) | None => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Numbers

/// A number as JSON Schema compares it: an exact integer or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An integer, compared exactly.
    Int(i128),
    /// Any other number.
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(x) => x,
        }
    }

    /// `None` when either side is NaN.
    fn compare(self, other: Num) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A value constraints on numbers apply to.
pub trait Numeric {
    /// The value as JSON Schema compares it.
    fn to_num(&self) -> Num;
}

macro_rules! numeric_int {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            fn to_num(&self) -> Num {
                Num::Int(i128::from(*self))
            }
        }
    )*};
}
numeric_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Numeric for f64 {
    fn to_num(&self) -> Num {
        Num::Float(*self)
    }
}

impl Numeric for f32 {
    /// The number JSON carries for this value: its shortest decimal form
    /// (`0.1f32` is sent as `0.1`, not as `0.10000000149011612`).
    fn to_num(&self) -> Num {
        Num::Float(self.to_string().parse().unwrap_or(f64::NAN))
    }
}

impl Numeric for serde_json::Number {
    fn to_num(&self) -> Num {
        if let Some(i) = self.as_i64() {
            Num::Int(i128::from(i))
        } else if let Some(u) = self.as_u64() {
            Num::Int(i128::from(u))
        } else {
            Num::Float(self.as_f64().unwrap_or(f64::NAN))
        }
    }
}

fn bound_check(
    value: &(impl Numeric + ?Sized),
    bound: &(impl Numeric + ?Sized),
    ok: fn(std::cmp::Ordering) -> bool,
    words: &str,
    keyword: &str,
) -> Result {
    let bound = bound.to_num();
    match value.to_num().compare(bound) {
        Some(ordering) if ok(ordering) => Ok(()),
        _ => Err(ValidationError::new(format!(
            "must be {words} {bound} ({keyword})"
        ))),
    }
}

/// `minimum`: `value >= bound`.
pub fn minimum(value: &(impl Numeric + ?Sized), bound: impl Numeric) -> Result {
    bound_check(value, &bound, |o| o.is_ge(), "at least", "minimum")
}

/// `exclusiveMinimum` (or `minimum` with OpenAPI 3.0's `exclusiveMinimum:
/// true`): `value > bound`.
pub fn exclusive_minimum(value: &(impl Numeric + ?Sized), bound: impl Numeric) -> Result {
    bound_check(
        value,
        &bound,
        |o| o.is_gt(),
        "greater than",
        "exclusiveMinimum",
    )
}

/// `maximum`: `value <= bound`.
pub fn maximum(value: &(impl Numeric + ?Sized), bound: impl Numeric) -> Result {
    bound_check(value, &bound, |o| o.is_le(), "at most", "maximum")
}

/// `exclusiveMaximum` (or `maximum` with OpenAPI 3.0's `exclusiveMaximum:
/// true`): `value < bound`.
pub fn exclusive_maximum(value: &(impl Numeric + ?Sized), bound: impl Numeric) -> Result {
    bound_check(
        value,
        &bound,
        |o| o.is_lt(),
        "less than",
        "exclusiveMaximum",
    )
}

/// `multipleOf`: `value / divisor` is an integer (exactly for integers,
/// within floating-point rounding otherwise). A divisor that is not
/// positive is ignored (the description is invalid).
pub fn multiple_of(value: &(impl Numeric + ?Sized), divisor: impl Numeric) -> Result {
    let divisor = divisor.to_num();
    let ok = match (value.to_num(), divisor) {
        (_, Num::Int(d)) if d <= 0 => true,
        (_, Num::Float(d)) if d.is_nan() || d <= 0.0 => true,
        (Num::Int(v), Num::Int(d)) => v % d == 0,
        (v, d) => {
            let q = v.as_f64() / d.as_f64();
            q.is_finite() && (q - q.round()).abs() <= 1e-9 * q.abs().max(1.0)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(format!(
            "must be a multiple of {divisor} (multipleOf)"
        )))
    }
}

// ---------------------------------------------------------------------------
// Arrays and maps

/// `minItems`: at least `min` items.
pub fn min_items<T>(items: &[T], min: u64) -> Result {
    if (items.len() as u64) < min {
        return Err(ValidationError::new(format!(
            "must have at least {} (minItems)",
            plural(min, "item", "items")
        )));
    }
    Ok(())
}

/// `maxItems`: at most `max` items.
pub fn max_items<T>(items: &[T], max: u64) -> Result {
    if (items.len() as u64) > max {
        return Err(ValidationError::new(format!(
            "must have at most {} (maxItems)",
            plural(max, "item", "items")
        )));
    }
    Ok(())
}

/// `uniqueItems: true`: no two items are equal. (Compares every pair: meant
/// for the sizes of request bodies, not for huge arrays.)
pub fn unique_items<T: PartialEq>(items: &[T]) -> Result {
    for (i, a) in items.iter().enumerate() {
        if let Some(j) = items[i + 1..].iter().position(|b| a == b) {
            return Err(ValidationError::new(format!(
                "must not contain equal items, but items {i} and {} are equal (uniqueItems)",
                i + 1 + j
            )));
        }
    }
    Ok(())
}

/// `minProperties`: at least `min` entries.
pub fn min_properties<T>(map: &BTreeMap<String, T>, min: u64) -> Result {
    if (map.len() as u64) < min {
        return Err(ValidationError::new(format!(
            "must have at least {} (minProperties)",
            plural(min, "property", "properties")
        )));
    }
    Ok(())
}

/// `maxProperties`: at most `max` entries.
pub fn max_properties<T>(map: &BTreeMap<String, T>, max: u64) -> Result {
    if (map.len() as u64) > max {
        return Err(ValidationError::new(format!(
            "must have at most {} (maxProperties)",
            plural(max, "property", "properties")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn lengths_count_code_points() {
        // "é" is two bytes but one character; "👍🏽" is two code points.
        assert!(min_length("é", 1).is_ok());
        assert!(max_length("é", 1).is_ok());
        assert!(min_length("é", 2).is_err());
        assert!(max_length("éé", 1).is_err());
        assert!(max_length("👍🏽", 2).is_ok());
        assert!(max_length("👍🏽", 1).is_err());
        assert!(min_length("", 0).is_ok());
        assert_eq!(
            message(min_length("", 1)),
            "must be at least 1 character long (minLength)"
        );
        assert_eq!(
            message(max_length("abc", 2)),
            "must be at most 2 characters long (maxLength)"
        );
    }

    #[test]
    fn patterns_are_unanchored_and_compiled_once() {
        static P: Pattern = Pattern::new("^conn_");
        static Q: Pattern = Pattern::new("[0-9]+");
        assert!(pattern("conn_1", &P).is_ok());
        assert!(pattern("xconn_1", &P).is_err());
        assert!(pattern("ab12cd", &Q).is_ok());
        assert!(pattern("abcd", &Q).is_err());
        assert!(P.compiled.get().is_some(), "kept after the first use");
        assert_eq!(
            message(pattern("int_1", &P)),
            "must match the pattern `^conn_`"
        );
        // ECMA-262 habits that regex-lite accepts.
        static E: Pattern = Pattern::new(r"^[\w.\-]+@\S+\/x\u00e9$");
        assert_eq!(E.is_match("a.b-c@d/xé"), Some(true));
    }

    #[test]
    fn bad_patterns_never_panic_and_are_not_checked() {
        static BAD: [Pattern; 7] = [
            Pattern::new("("),
            Pattern::new("[a-"),
            Pattern::new("(?<=a)b"),
            Pattern::new("(?!a)"),
            Pattern::new(r"(a)\1"),
            Pattern::new(r"\p{L}"),
            Pattern::new("a{99999999}{99999999}"),
        ];
        for p in &BAD {
            assert_eq!(p.is_match("anything"), None, "{p:?}");
            assert!(pattern("anything", p).is_ok(), "{p:?}");
            // Still fine the second time (the failure is cached too).
            assert!(pattern("anything", p).is_ok(), "{p:?}");
        }
    }

    #[test]
    fn inclusive_and_exclusive_bounds() {
        assert!(minimum(&1i64, 1i64).is_ok());
        assert!(minimum(&0i64, 1i64).is_err());
        assert!(exclusive_minimum(&1i64, 1i64).is_err());
        assert!(exclusive_minimum(&2i64, 1i64).is_ok());
        assert!(maximum(&10u32, 10i64).is_ok());
        assert!(maximum(&11u32, 10i64).is_err());
        assert!(exclusive_maximum(&10u32, 10i64).is_err());
        assert!(exclusive_maximum(&9u32, 10i64).is_ok());
        // Integers against fractional bounds, floats against integer bounds.
        assert!(minimum(&1i32, 0.5f64).is_ok());
        assert!(exclusive_maximum(&0.99f64, 1i64).is_ok());
        assert!(exclusive_maximum(&1.0f64, 1i64).is_err());
        // f32 values compare as the decimal JSON carries.
        assert!(maximum(&0.1f32, 0.1f64).is_ok());
        assert!(exclusive_minimum(&0.1f32, 0.1f64).is_err());
        // Big integers compare exactly.
        assert!(maximum(&u64::MAX, u64::MAX).is_ok());
        assert!(maximum(&u64::MAX, u64::MAX - 1).is_err());
        assert!(minimum(&i64::MIN, i64::MIN).is_ok());
        // serde_json numbers, integer or not.
        let n: serde_json::Number = serde_json::from_str("2.5").unwrap();
        assert!(minimum(&n, 2i64).is_ok());
        assert!(maximum(&n, 2i64).is_err());
        let n: serde_json::Number = serde_json::from_str("3").unwrap();
        assert!(exclusive_maximum(&n, 3i64).is_err());
        // NaN satisfies nothing.
        assert!(minimum(&f64::NAN, 0i64).is_err());
        assert_eq!(
            message(minimum(&0i64, 1i64)),
            "must be at least 1 (minimum)"
        );
        assert_eq!(
            message(exclusive_minimum(&0i64, 0i64)),
            "must be greater than 0 (exclusiveMinimum)"
        );
        assert_eq!(
            message(maximum(&3i64, 2.5f64)),
            "must be at most 2.5 (maximum)"
        );
        assert_eq!(
            message(exclusive_maximum(&3i64, -1i64)),
            "must be less than -1 (exclusiveMaximum)"
        );
    }

    #[test]
    fn multiples() {
        assert!(multiple_of(&10i64, 5i64).is_ok());
        assert!(multiple_of(&11i64, 5i64).is_err());
        assert!(multiple_of(&-10i64, 5i64).is_ok());
        assert!(multiple_of(&0.3f64, 0.1f64).is_ok());
        assert!(multiple_of(&0.35f64, 0.1f64).is_err());
        assert!(multiple_of(&4i64, 0.5f64).is_ok());
        assert!(
            multiple_of(&7i64, 0i64).is_ok(),
            "an invalid divisor is ignored"
        );
        assert_eq!(
            message(multiple_of(&1.25f64, 0.5f64)),
            "must be a multiple of 0.5 (multipleOf)"
        );
    }

    #[test]
    fn items_and_properties() {
        assert!(min_items(&[1, 2], 2).is_ok());
        assert!(min_items::<u8>(&[], 1).is_err());
        assert!(max_items(&[1, 2, 3], 2).is_err());
        assert!(unique_items(&["a", "b"]).is_ok());
        assert_eq!(
            message(unique_items(&["a", "b", "c", "b"])),
            "must not contain equal items, but items 1 and 3 are equal (uniqueItems)"
        );
        let mut map = BTreeMap::new();
        assert!(min_properties(&map, 1).is_err());
        map.insert("a".to_owned(), 1);
        map.insert("b".to_owned(), 2);
        assert!(min_properties(&map, 1).is_ok());
        assert!(max_properties(&map, 1).is_err());
        assert_eq!(
            message(max_properties(&map, 1)),
            "must have at most 1 property (maxProperties)"
        );
        assert_eq!(
            message(min_items::<u8>(&[], 2)),
            "must have at least 2 items (minItems)"
        );
    }

    #[test]
    fn paths_are_built_on_the_way_out() {
        let items = vec![
            BTreeMap::from([("ok".to_owned(), "x".to_owned())]),
            BTreeMap::from([("a key \"quoted\"".to_owned(), String::new())]),
        ];
        let err = at("body", || {
            at("items", || {
                each(&items, |map| each_value(map, |s| min_length(s, 1)))
            })
        })
        .unwrap_err();
        assert_eq!(err.path(), r#"body.items[1]["a key \"quoted\""]"#);
        assert_eq!(
            err.message(),
            "must be at least 1 character long (minLength)"
        );
        assert_eq!(
            err.to_string(),
            r#"body.items[1]["a key \"quoted\""]: must be at least 1 character long (minLength)"#
        );
        // No path: only the message.
        assert_eq!(ValidationError::new("must be x").to_string(), "must be x");
        // Long keys are shortened.
        let long = "k".repeat(100);
        let err = ValidationError::new("m").at_key(&long).at("map");
        assert_eq!(err.path(), format!("map[\"{}…\"]", "k".repeat(KEY_CHARS)));
    }

    #[test]
    fn checks_stop_at_the_first_violation() {
        let mut seen = 0;
        let result = each(&[1, 2, 3], |_| {
            seen += 1;
            Err(ValidationError::new("no"))
        });
        assert_eq!(result.unwrap_err().path(), "[0]");
        assert_eq!(seen, 1);
    }
}
