//! The error type returned by generated operations.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How many characters of a raw response body `Display` shows.
const BODY_SNIPPET_CHARS: usize = 200;

/// An error from calling an API operation.
///
/// `E` is the operation's documented error body type (generated code usually
/// uses an enum with one variant per documented error status).
///
/// `Display` is concise: it names the kind of failure and the HTTP status and,
/// for undocumented or undecodable responses, shows the start of the raw body.
/// It never shows headers or credentials. The underlying transport or JSON
/// error is available through [`std::error::Error::source`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A documented error response, decoded.
    Api {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The decoded error body.
        body: E,
    },
    /// A status the API description does not document; raw body kept.
    UnexpectedStatus {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw response body.
        body: Bytes,
    },
    /// A response body that did not decode as documented; raw body kept.
    Decode {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw response body.
        body: Bytes,
        /// The JSON path (RFC 9535) of the value that did not decode, such
        /// as `$.items[3].owner.login` (a missing field is named in it); `$`
        /// for the whole body.
        path: String,
        /// Why decoding failed.
        source: serde_json::Error,
    },
    /// A server-sent event whose `data` did not decode as documented (see
    /// [`crate::stream::EventStream`]); the stream goes on after it.
    DecodeEvent {
        /// The event type (`message` unless the event named another).
        event: String,
        /// The last event ID, if any.
        id: Option<String>,
        /// The event's `data`.
        data: String,
        /// The JSON path of the value that did not decode (`$` for all of
        /// `data`).
        path: String,
        /// Why decoding failed.
        source: serde_json::Error,
    },
    /// Connection, TLS or body-read failure (after any retries the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows).
    Transport(reqwest::Error),
    /// The request ran past the client's timeout (see
    /// [`ClientCore::set_timeout`](crate::ClientCore::set_timeout)), or the
    /// HTTP client's own connect or read timeout. Not retried.
    Timeout(reqwest::Error),
    /// The response body was longer than the client allows (see
    /// [`ClientCore::set_max_response_bytes`](crate::ClientCore::set_max_response_bytes));
    /// the rest of it was not read.
    ResponseTooLarge {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The request could not be built (a parameter or body breaking a
    /// constraint of the API description — see [`crate::validate`] —, bad
    /// path parameter, header value with CR/LF, bad base URL, body
    /// serialisation). Nothing was sent. The message never contains
    /// credentials or the offending value.
    InvalidRequest(String),
    /// Auto-pagination stopped because the server's pages would not end: it
    /// gave a cursor or next-page link it had given before (see
    /// [`crate::page`]). The message says which; it never shows the value.
    Pagination(String),
    /// The operation needs credentials the client has not been given; the
    /// message names the security schemes that would satisfy it. Nothing was
    /// sent.
    MissingCredentials(String),
    /// No access token could be obtained from the scheme's token source
    /// (see [`crate::oauth2`]). Nothing was sent to the API.
    Token(crate::oauth2::TokenError),
    /// A hook failed the request (see [`crate::hooks`]). Nothing more was
    /// sent.
    Hook {
        /// The operation (its `operationId`).
        operation: String,
        /// What the hook returned.
        source: crate::hooks::HookError,
    },
}

impl<E> Error<E> {
    /// The HTTP status of the response, if a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            Error::DecodeEvent { .. }
            | Error::Pagination(_)
            | Error::InvalidRequest(_)
            | Error::MissingCredentials(_)
            | Error::Token(_)
            | Error::Hook { .. } => None,
        }
    }

    /// The response headers, if a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. }
            | Error::ResponseTooLarge { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The raw response body, for [`Error::UnexpectedStatus`] and
    /// [`Error::Decode`].
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The decoded error body, for [`Error::Api`].
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Returns `true` if this is [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// A short, fixed name of the kind of error (`timeout`, `transport`,
    /// …), as tracing's `error.type` records it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "api",
            Error::UnexpectedStatus { .. } => "unexpected_status",
            Error::Decode { .. } | Error::DecodeEvent { .. } => "decode",
            Error::Transport(_) => "transport",
            Error::Timeout(_) => "timeout",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::InvalidRequest(_) => "invalid_request",
            Error::Pagination(_) => "pagination",
            Error::MissingCredentials(_) => "missing_credentials",
            Error::Token(_) => "token",
            Error::Hook { .. } => "hook",
        }
    }

    /// How long the server asked the caller to wait (its `Retry-After`
    /// header, as seconds or an HTTP date), if a response carried one —
    /// typically a `429` or `503` the client gave up retrying.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.headers().and_then(crate::retry::retry_after)
    }
}

impl Error<std::convert::Infallible> {
    /// The same error for an operation whose documented error type is `E`
    /// (there is no [`Error::Api`] to convert: it cannot exist).
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api { body, .. } => match body {},
            Error::UnexpectedStatus {
                status,
                headers,
                body,
            } => Error::UnexpectedStatus {
                status,
                headers,
                body,
            },
            Error::Decode {
                status,
                headers,
                body,
                path,
                source,
            } => Error::Decode {
                status,
                headers,
                body,
                path,
                source,
            },
            Error::DecodeEvent {
                event,
                id,
                data,
                path,
                source,
            } => Error::DecodeEvent {
                event,
                id,
                data,
                path,
                source,
            },
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::ResponseTooLarge {
                status,
                headers,
                limit,
            } => Error::ResponseTooLarge {
                status,
                headers,
                limit,
            },
            Error::InvalidRequest(message) => Error::InvalidRequest(message),
            Error::Pagination(message) => Error::Pagination(message),
            Error::MissingCredentials(message) => Error::MissingCredentials(message),
            Error::Token(e) => Error::Token(e),
            Error::Hook { operation, source } => Error::Hook { operation, source },
        }
    }
}

/// Writes at most [`BODY_SNIPPET_CHARS`] characters of `body` (lossy UTF-8),
/// quoted and escaped so control characters cannot garble the output.
fn write_body_snippet(f: &mut fmt::Formatter<'_>, body: &Bytes) -> fmt::Result {
    if body.is_empty() {
        return f.write_str(" (empty body)");
    }
    let text = String::from_utf8_lossy(body);
    let end = text
        .char_indices()
        .nth(BODY_SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| i);
    write!(f, ": {:?}", &text[..end])?;
    if end < text.len() {
        f.write_str("…")?;
    }
    Ok(())
}

fn write_status(f: &mut fmt::Formatter<'_>, status: StatusCode) -> fmt::Result {
    write!(f, "HTTP {}", status.as_u16())?;
    if let Some(reason) = status.canonical_reason() {
        write!(f, " {reason}")?;
    }
    Ok(())
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, .. } => {
                f.write_str("API error response: ")?;
                write_status(f, *status)
            }
            Error::UnexpectedStatus { status, body, .. } => {
                f.write_str("unexpected response status: ")?;
                write_status(f, *status)?;
                write_body_snippet(f, body)
            }
            Error::Decode {
                status, body, path, ..
            } => {
                f.write_str("could not decode response body")?;
                if path != "$" {
                    write!(f, " at {path}")?;
                }
                f.write_str(" (")?;
                write_status(f, *status)?;
                f.write_str(")")?;
                write_body_snippet(f, body)
            }
            Error::DecodeEvent {
                event,
                id,
                data,
                path,
                ..
            } => {
                write!(f, "could not decode event `{event}`")?;
                if let Some(id) = id {
                    write!(f, " (id {id:?})")?;
                }
                if path != "$" {
                    write!(f, " at {path}")?;
                }
                write_body_snippet(f, &Bytes::copy_from_slice(data.as_bytes()))
            }
            Error::Timeout(_) => f.write_str("HTTP request timed out"),
            Error::ResponseTooLarge { status, limit, .. } => {
                write!(f, "response body larger than {limit} bytes (")?;
                write_status(f, *status)?;
                f.write_str(")")
            }
            Error::Transport(e) => f.write_str(if e.is_timeout() {
                "HTTP request timed out"
            } else if e.is_connect() {
                "could not connect to the server"
            } else if e.is_body() || e.is_decode() {
                "could not read the response body"
            } else if e.is_builder() {
                "could not build the HTTP request"
            } else if e.is_redirect() {
                "redirect failed"
            } else {
                "HTTP transport error"
            }),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Pagination(message) => write!(f, "pagination stopped: {message}"),
            Error::MissingCredentials(message) => {
                write!(f, "missing credentials: this operation requires {message}")
            }
            Error::Token(e) => write!(f, "no access token: {e}"),
            Error::Hook { operation, source } => {
                if operation.is_empty() {
                    write!(f, "a hook refused the request: {source}")
                } else {
                    write!(f, "a hook refused the request of `{operation}`: {source}")
                }
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            Error::Decode { source, .. } | Error::DecodeEvent { source, .. } => Some(source),
            Error::Token(e) => Some(e),
            Error::Hook { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// A request that breaks a constraint of the API description: nothing is
/// sent, and the message names the value's path and the constraint.
impl<E> From<crate::ValidationError> for Error<E> {
    fn from(error: crate::ValidationError) -> Self {
        Error::InvalidRequest(error.to_string())
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }
}

impl<E> From<crate::oauth2::TokenError> for Error<E> {
    fn from(error: crate::oauth2::TokenError) -> Self {
        Error::Token(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    fn unexpected(body: &'static [u8]) -> Error<()> {
        Error::UnexpectedStatus {
            status: StatusCode::BAD_GATEWAY,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
        }
    }

    #[test]
    fn display_unexpected_status() {
        let e = unexpected(b"upstream \"down\"\n");
        assert_eq!(
            e.to_string(),
            r#"unexpected response status: HTTP 502 Bad Gateway: "upstream \"down\"\n""#
        );
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(
            e.raw_body().map(|b| &b[..]),
            Some(&b"upstream \"down\"\n"[..])
        );
        assert!(e.api_body().is_none());
        assert!(e.source().is_none());
        assert_eq!(
            unexpected(b"").to_string(),
            "unexpected response status: HTTP 502 Bad Gateway (empty body)"
        );
    }

    #[test]
    fn display_truncates_long_and_invalid_utf8_bodies() {
        let long = "é".repeat(1000);
        let e: Error<()> = Error::UnexpectedStatus {
            status: StatusCode::from_u16(599).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from(long),
        };
        let text = e.to_string();
        assert!(text.starts_with("unexpected response status: HTTP 599: \""));
        assert_eq!(text.matches('é').count(), BODY_SNIPPET_CHARS);
        assert!(text.ends_with('…'));

        let e = unexpected(b"\xff\xfeok");
        assert!(e.to_string().contains("ok"));
    }

    #[test]
    fn decode_error_has_source_and_status() {
        let source = serde_json::from_slice::<u32>(b"nope").unwrap_err();
        let e: Error<()> = Error::Decode {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"nope"),
            path: "$".to_owned(),
            source,
        };
        assert_eq!(
            e.to_string(),
            r#"could not decode response body (HTTP 200 OK): "nope""#
        );
        assert!(e.source().is_some());
        let source = serde_json::from_slice::<Vec<u32>>(b"[1, -2]").unwrap_err();
        let e: Error<()> = Error::Decode {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"[1, -2]"),
            path: "$[1]".to_owned(),
            source,
        };
        assert_eq!(
            e.to_string(),
            r#"could not decode response body at $[1] (HTTP 200 OK): "[1, -2]""#
        );
    }

    #[test]
    fn api_error() {
        let e = Error::Api {
            status: StatusCode::NOT_FOUND,
            headers: HeaderMap::new(),
            body: "missing",
        };
        assert_eq!(e.to_string(), "API error response: HTTP 404 Not Found");
        assert_eq!(e.api_body(), Some(&"missing"));
        assert!(e.raw_body().is_none());
        assert!(!e.is_timeout());
        assert!(e.headers().is_some());
    }

    #[test]
    fn request_side_errors() {
        let e: Error<()> = Error::MissingCredentials("bearer".into());
        assert_eq!(
            e.to_string(),
            "missing credentials: this operation requires bearer"
        );
        assert_eq!(e.status(), None);
        let e: Error<()> = Error::InvalidRequest("bad".into());
        assert_eq!(e.to_string(), "invalid request: bad");
        let e: Error<()> = crate::ValidationError::new("must be at least 1 (minimum)")
            .at("limit")
            .at("body")
            .into();
        assert_eq!(
            e.to_string(),
            "invalid request: body.limit: must be at least 1 (minimum)"
        );
    }

    #[test]
    fn error_is_send_sync_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<Error<String>>();
    }
}
