//! Base64 (RFC 4648): standard encoding with padding, used for HTTP Basic
//! authentication, and [`Base64`], the type of `format: byte` strings, whose
//! decoding accepts both the standard and the URL-safe alphabet, padded or not.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `input` as standard base64 with `=` padding.
pub(crate) fn encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let sextet = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// The 6-bit value of a base64 character of either alphabet (`+`/`/` or `-`/`_`).
fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    }))
}

/// Why a text is not base64 (see [`Base64`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside both alphabets, at this byte offset.
    InvalidCharacter(usize),
    /// `=` anywhere but at the end, or more of it than the length allows.
    InvalidPadding,
    /// A length no encoding produces (one character left over).
    InvalidLength,
}

impl std::error::Error for Base64Error {}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Error::InvalidCharacter(at) => {
                write!(f, "invalid base64: unexpected character at offset {at}")
            }
            Base64Error::InvalidPadding => f.write_str("invalid base64: misplaced `=` padding"),
            Base64Error::InvalidLength => f.write_str("invalid base64: truncated input"),
        }
    }
}

/// Decodes standard or URL-safe base64, with or without `=` padding. ASCII
/// whitespace (MIME line breaks) is skipped; bits left over after the last
/// byte are ignored.
pub(crate) fn decode(input: &str) -> Result<Vec<u8>, Base64Error> {
    let bytes = input.as_bytes();
    let data_end = bytes
        .iter()
        .rposition(|b| *b != b'=' && !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let (mut acc, mut bits, mut count) = (0u32, 0u32, 0usize);
    for (i, &c) in bytes[..data_end].iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let Some(v) = sextet(c) else {
            return Err(if c == b'=' {
                Base64Error::InvalidPadding
            } else {
                Base64Error::InvalidCharacter(i)
            });
        };
        acc = (acc << 6) | v;
        bits += 6;
        count += 1;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if count % 4 == 1 {
        return Err(Base64Error::InvalidLength);
    }
    let padding = bytes[data_end..].iter().filter(|b| **b == b'=').count();
    if padding > 0 && (count + padding) % 4 != 0 {
        return Err(Base64Error::InvalidPadding);
    }
    Ok(out)
}

/// Bytes carried in JSON as a base64 string (`type: string, format: byte`).
///
/// Serialises as standard base64 with padding; deserialises standard or
/// URL-safe base64, padded or not. The bytes are decoded, so a value that was
/// sent URL-safe or unpadded is written back in the standard form (the same
/// bytes, spelled differently).
///
/// ```
/// use apigen_runtime::Base64;
///
/// let b: Base64 = serde_json::from_str(r#""aGk_""#)?; // URL-safe, unpadded
/// assert_eq!(b.as_ref(), b"hi?");
/// assert_eq!(serde_json::to_string(&b)?, r#""aGk/""#);
/// assert_eq!(Base64::from(b"hi".to_vec()).to_string(), "aGk=");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// Decodes base64 text (either alphabet, padded or not).
    pub fn decode(text: &str) -> Result<Self, Base64Error> {
        decode(text).map(Base64)
    }

    /// The decoded bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<Base64> for Vec<u8> {
    fn from(value: Base64) -> Self {
        value.0
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::ops::Deref for Base64 {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl std::ops::DerefMut for Base64 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

/// The standard, padded encoding (what is sent as a parameter or in JSON).
impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode(&self.0))
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Base64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Base64, E> {
                decode(v).map(Base64).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::{Base64, Base64Error, decode, encode};

    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(encode(input.as_bytes()), expected, "input {input:?}");
            assert_eq!(decode(expected).unwrap(), input.as_bytes(), "{expected:?}");
            let unpadded = expected.trim_end_matches('=');
            assert_eq!(decode(unpadded).unwrap(), input.as_bytes(), "{unpadded:?}");
        }
    }

    #[test]
    fn all_byte_values() {
        assert_eq!(encode(&[0xff, 0xfe, 0xfd]), "//79");
        assert_eq!(encode(&[0x00, 0x10, 0x83]), "ABCD");
        assert_eq!(
            encode(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
    }

    #[test]
    fn url_safe_and_whitespace_are_accepted() {
        assert_eq!(decode("__79").unwrap(), [0xff, 0xfe, 0xfd]);
        assert_eq!(decode("-_-_").unwrap(), decode("+/+/").unwrap());
        assert_eq!(decode("Zm9v\r\nYmFy\n").unwrap(), b"foobar");
        assert_eq!(decode("Zg==\n").unwrap(), b"f");
    }

    #[test]
    fn malformed_input_is_rejected() {
        assert_eq!(decode("Zm9v!"), Err(Base64Error::InvalidCharacter(4)));
        assert_eq!(decode("Z"), Err(Base64Error::InvalidLength));
        assert_eq!(decode("Zm9vY"), Err(Base64Error::InvalidLength));
        assert_eq!(decode("Zg=a"), Err(Base64Error::InvalidPadding));
        assert_eq!(decode("Zg="), Err(Base64Error::InvalidPadding));
        assert_eq!(decode("Zm8=="), Err(Base64Error::InvalidPadding));
    }

    #[test]
    fn serde() {
        let b: Base64 = serde_json::from_str(r#""aGVsbG8gd29ybGQ""#).unwrap();
        assert_eq!(b.0, b"hello world");
        assert_eq!(serde_json::to_string(&b).unwrap(), r#""aGVsbG8gd29ybGQ=""#);
        let err = serde_json::from_str::<Base64>(r#""a*b""#).unwrap_err();
        assert!(err.to_string().contains("invalid base64"), "{err}");
        assert!(serde_json::from_str::<Base64>("1").is_err());
        assert!(Base64::decode("a").is_err());
    }
}
