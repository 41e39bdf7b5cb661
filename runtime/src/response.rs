//! [`ResponseValue`]: a successful result together with the response's
//! status and headers, and the [`Response`] helpers generated code uses to
//! produce one.

use std::ops::{Deref, DerefMut};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::client::Response;
use crate::error::Error;

/// The decoded body of a successful response, with the response's status
/// and headers (for `Location`, `ETag`, `Retry-After`, `Link`, rate limits,
/// …).
///
/// It dereferences to the body, so fields and methods of `T` can be used
/// directly; [`ResponseValue::into_inner`] gives the body by value.
///
/// ```
/// use apigen_runtime::ResponseValue;
/// use apigen_runtime::reqwest::StatusCode;
/// use apigen_runtime::reqwest::header::{HeaderMap, HeaderValue, LINK};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(LINK, HeaderValue::from_static("</items?page=2>; rel=\"next\""));
/// let page = ResponseValue::new(vec![1, 2, 3], StatusCode::OK, headers);
///
/// assert_eq!(page.len(), 3); // `Vec` methods, through `Deref`
/// assert_eq!(page.status(), StatusCode::OK);
/// assert!(page.headers()[LINK].to_str().unwrap().contains("page=2"));
/// let items: Vec<i32> = page.into_inner();
/// # assert_eq!(items, [1, 2, 3]);
/// ```
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    /// Wraps a decoded body (useful in tests and mocks).
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        ResponseValue {
            inner,
            status,
            headers,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The decoded body, status and headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.inner, self.status, self.headers)
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            inner: f(self.inner),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// Helpers for successful responses and for error responses whose bodies
/// are not JSON. (The JSON and empty cases of errors are
/// [`Response::error`] and [`Response::error_empty`].)
impl Response {
    fn wrap<T>(&self, inner: T) -> ResponseValue<T> {
        ResponseValue::new(inner, self.status(), self.headers().clone())
    }

    /// A success with a JSON body: decodes it. On failure returns
    /// [`Error::Decode`] with the status, headers and raw body.
    pub fn json_value<T: serde::de::DeserializeOwned, E>(
        self,
    ) -> Result<ResponseValue<T>, Error<E>> {
        let wrapped = self.wrap(());
        let value = self.json()?;
        Ok(wrapped.map(|()| value))
    }

    /// A success with no body expected (such as `204 No Content`); any body
    /// is ignored.
    pub fn empty_value<E>(self) -> Result<ResponseValue<()>, Error<E>> {
        Ok(self.wrap(()))
    }

    /// A success with a text body (`text/*`): the body as UTF-8. A body that
    /// is not UTF-8 is an [`Error::Decode`] keeping the raw bytes.
    pub fn text_value<E>(self) -> Result<ResponseValue<String>, Error<E>> {
        match self.text() {
            Ok(text) => Ok(self.wrap(text)),
            Err(source) => Err(self.decode_error(source)),
        }
    }

    /// A success with a body that is neither JSON nor text: the raw bytes.
    pub fn bytes_value<E>(self) -> Result<ResponseValue<Bytes>, Error<E>> {
        Ok(self.wrap(self.body().clone()))
    }

    /// A documented error response with a text body: [`Error::Api`] with
    /// `wrap(text)`, or [`Error::Decode`] if the body is not UTF-8.
    pub fn error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        match self.text() {
            Ok(text) => self.error_empty(wrap(text)),
            Err(source) => self.decode_error(source),
        }
    }

    /// A documented error response whose body is neither JSON nor text:
    /// [`Error::Api`] with `wrap(raw bytes)`.
    pub fn error_bytes<E>(self, wrap: impl FnOnce(Bytes) -> E) -> Error<E> {
        let body = self.body().clone();
        self.error_empty(wrap(body))
    }

    fn text(&self) -> Result<String, serde_json::Error> {
        String::from_utf8(self.body().to_vec()).map_err(|e| {
            <serde_json::Error as serde::de::Error>::custom(format!(
                "the text body is not UTF-8: {e}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn response(status: u16, body: &'static [u8]) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        Response::new(StatusCode::from_u16(status).unwrap(), headers, body)
    }

    #[test]
    fn json_value_keeps_status_and_headers() {
        let v = response(201, b"[1,2]").json_value::<Vec<u8>, ()>().unwrap();
        assert_eq!(v.status(), StatusCode::CREATED);
        assert_eq!(v.headers()[RETRY_AFTER], "120");
        assert_eq!(*v, [1, 2]);
        let mut v = v;
        v.push(3);
        let (inner, status, headers) = v.clone().into_parts();
        assert_eq!(inner, [1, 2, 3]);
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(headers.len(), 1);
        assert_eq!(v.map(|v| v.len()).into_inner(), 3);

        match response(200, b"[1,").json_value::<Vec<u8>, ()>() {
            Err(Error::Decode { headers, body, .. }) => {
                assert_eq!(&body[..], b"[1,");
                assert_eq!(headers[RETRY_AFTER], "120");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn empty_text_and_bytes() {
        let v = response(204, b"ignored").empty_value::<()>().unwrap();
        assert_eq!(v.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            response(200, "héllo".as_bytes())
                .text_value::<()>()
                .unwrap()
                .into_inner(),
            "héllo"
        );
        let err = response(200, b"\xff\xfe").text_value::<()>().unwrap_err();
        assert!(matches!(&err, Error::Decode { body, .. } if &body[..] == b"\xff\xfe"));
        assert!(
            err.to_string()
                .starts_with("could not decode response body")
        );
        let v = response(200, b"\x00\x01").bytes_value::<()>().unwrap();
        assert_eq!(&v[..], b"\x00\x01");
    }

    #[test]
    fn text_and_bytes_errors() {
        let err = response(409, b"taken").error_text(|s| s);
        assert_eq!(err.api_body().map(String::as_str), Some("taken"));
        assert_eq!(err.headers().map(|h| h.len()), Some(1));
        let err = response(409, b"\xff").error_text(|s| s);
        assert!(matches!(err, Error::Decode { .. }));
        let err = response(415, b"\x00").error_bytes(|b| b.len());
        assert_eq!(err.api_body(), Some(&1));
    }
}
