//! A string that is kept out of `Debug` output.

use std::fmt;

/// A secret string, such as an API key, token or password.
///
/// Its `Debug` output is always `Secret(***)`, and it deliberately does not
/// implement `Display`, so it cannot end up in logs or error messages by
/// accident. Use [`Secret::expose`] to get at the value when it really is
/// needed.
///
/// ```
/// use apigen_runtime::Secret;
///
/// let key = Secret::new("sk-123");
/// assert_eq!(format!("{key:?}"), "Secret(***)");
/// assert_eq!(key.expose(), "sk-123");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("hunter2");
        let debug = format!("{s:?} {s:#?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let wrapped = format!("{:?}", Some(Secret::from("hunter2")));
        assert!(!wrapped.contains("hunter2"), "{wrapped}");
    }

    #[test]
    fn conversions_and_expose() {
        assert_eq!(Secret::from(String::from("a")).expose(), "a");
        assert_eq!(Secret::from("b"), Secret::new("b"));
        assert_ne!(Secret::from("b"), Secret::new("c"));
    }
}
