//! Which redirects a request follows, and what it sends to the new location.
//!
//! The HTTP client itself follows no redirect (see
//! [`ClientCore::http_client_builder`](crate::ClientCore::http_client_builder));
//! [`Request::send`](crate::Request::send) follows them here, so that every
//! credential the client adds stays on the API's origin:
//!
//! * on the API's origin (scheme, host and port), a redirect is followed
//!   with the same headers — credentials included;
//! * to another origin (a download answered with `302` to a storage host), a
//!   `GET` or `HEAD` is followed, and so is any method on `307` / `308`
//!   (which keep the method and body), but the request carries only
//!   `User-Agent`, `Accept` and, with a body, `Content-Type`: no
//!   `Authorization`, API-key header or cookie, no default header, no header
//!   parameter. Once a request has left the API's origin it never gets its
//!   credentials back, even if redirected home again;
//! * methods change as browsers and RFC 9110 §15.4 have them: `303` makes
//!   any method but `HEAD` a `GET`, `301` and `302` make a `POST` a `GET`;
//!   the body is then dropped;
//! * after [`MAX_REDIRECTS`] redirects, the last redirect response is
//!   returned as it is.

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, LOCATION, TRANSFER_ENCODING,
    USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};

/// How many redirects one request follows at most.
pub const MAX_REDIRECTS: usize = 10;

/// One request on the way: what is sent to `url`.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
    /// The request has left the API's origin: it carries no credentials, and
    /// its URL (a signed storage URL, say) is kept out of error messages.
    pub left_origin: bool,
}

/// The request to send after `response_status` with `response_headers`, if
/// the redirect is followed; credentials belong to the origin of `api`.
pub(crate) fn follow(
    hop: &Hop,
    response_status: StatusCode,
    response_headers: &HeaderMap,
    api: &Url,
) -> Option<Hop> {
    let keeps_method = match response_status {
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => true,
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER => false,
        _ => return None,
    };
    let location = response_headers.get(LOCATION)?.to_str().ok()?;
    let url = hop.url.join(location).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let (method, body) = if keeps_method {
        (hop.method.clone(), hop.body.clone())
    } else if response_status == StatusCode::SEE_OTHER {
        let method = if hop.method == Method::HEAD {
            Method::HEAD
        } else {
            Method::GET
        };
        (method, None)
    } else if hop.method == Method::POST {
        (Method::GET, None)
    } else {
        (hop.method.clone(), hop.body.clone())
    };
    let home = !hop.left_origin && url.origin() == api.origin();
    if !home && !keeps_method && !matches!(method, Method::GET | Method::HEAD) {
        return None;
    }
    let mut headers = if home {
        hop.headers.clone()
    } else {
        let mut kept = HeaderMap::new();
        for name in [USER_AGENT, ACCEPT, CONTENT_TYPE] {
            if let Some(value) = hop.headers.get(&name) {
                kept.insert(name, value.clone());
            }
        }
        kept
    };
    if body.is_none() {
        for name in [
            CONTENT_TYPE,
            CONTENT_LENGTH,
            CONTENT_ENCODING,
            TRANSFER_ENCODING,
        ] {
            headers.remove(name);
        }
    }
    Some(Hop {
        method,
        url,
        headers,
        body,
        left_origin: !home,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{AUTHORIZATION, COOKIE, HeaderValue};

    fn hop(method: Method, body: bool) -> Hop {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        headers.insert("x-api-key", HeaderValue::from_static("k"));
        headers.insert(COOKIE, HeaderValue::from_static("SESSION=s"));
        headers.insert(USER_AGENT, HeaderValue::from_static("ua"));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Hop {
            method,
            url: Url::parse("https://api.example.com/v1/files/1?api_key=k").unwrap(),
            headers,
            body: body.then(|| Bytes::from_static(b"{}")),
            left_origin: false,
        }
    }

    fn location(to: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(LOCATION, HeaderValue::from_str(to).unwrap());
        h
    }

    fn api() -> Url {
        Url::parse("https://api.example.com/").unwrap()
    }

    #[test]
    fn same_origin_keeps_everything() {
        let next = follow(
            &hop(Method::GET, false),
            StatusCode::FOUND,
            &location("/v1/files/2"),
            &api(),
        )
        .unwrap();
        assert_eq!(next.url.as_str(), "https://api.example.com/v1/files/2");
        assert_eq!(next.headers.len(), 5);
        assert!(!next.left_origin);
    }

    #[test]
    fn other_origins_get_no_credentials() {
        for to in [
            "https://storage.example.net/blob?sig=x",
            "http://api.example.com/v1/files/2",
            "https://api.example.com:8443/v1/files/2",
        ] {
            let next = follow(
                &hop(Method::GET, false),
                StatusCode::FOUND,
                &location(to),
                &api(),
            )
            .unwrap();
            assert_eq!(next.url.as_str(), to);
            let names: Vec<&str> = next.headers.keys().map(|n| n.as_str()).collect();
            assert_eq!(names, ["user-agent", "accept"], "{to}");
            assert!(next.left_origin);
            // And they are not given back on the way home.
            let home = follow(
                &next,
                StatusCode::FOUND,
                &location("https://api.example.com/x"),
                &api(),
            )
            .unwrap();
            assert!(home.left_origin);
            assert!(home.headers.get(AUTHORIZATION).is_none());
        }
    }

    #[test]
    fn methods_change_as_rfc_9110_says() {
        let cases = [
            (
                Method::POST,
                StatusCode::SEE_OTHER,
                Some((Method::GET, false)),
            ),
            (
                Method::PUT,
                StatusCode::SEE_OTHER,
                Some((Method::GET, false)),
            ),
            (
                Method::HEAD,
                StatusCode::SEE_OTHER,
                Some((Method::HEAD, false)),
            ),
            (Method::POST, StatusCode::FOUND, Some((Method::GET, false))),
            (
                Method::POST,
                StatusCode::MOVED_PERMANENTLY,
                Some((Method::GET, false)),
            ),
            (
                Method::POST,
                StatusCode::TEMPORARY_REDIRECT,
                Some((Method::POST, true)),
            ),
            (
                Method::PATCH,
                StatusCode::PERMANENT_REDIRECT,
                Some((Method::PATCH, true)),
            ),
            // Cross-origin, a PUT is only followed when it stays a PUT.
            (Method::PUT, StatusCode::FOUND, None),
            (Method::DELETE, StatusCode::MOVED_PERMANENTLY, None),
        ];
        for (method, status, expected) in cases {
            let next = follow(
                &hop(method.clone(), true),
                status,
                &location("https://storage.example.net/up"),
                &api(),
            );
            let got = next.as_ref().map(|n| (n.method.clone(), n.body.is_some()));
            assert_eq!(got, expected, "{method} {status}");
            if let Some(n) = next {
                assert_eq!(n.headers.contains_key(CONTENT_TYPE), n.body.is_some());
            }
        }
        // On the API's origin a PUT keeps its method and body on 301 and 302.
        let next = follow(
            &hop(Method::PUT, true),
            StatusCode::FOUND,
            &location("/v2/x"),
            &api(),
        )
        .unwrap();
        assert_eq!((next.method, next.body.is_some()), (Method::PUT, true));
    }

    #[test]
    fn not_followed_without_a_usable_location() {
        let h = hop(Method::GET, false);
        assert!(follow(&h, StatusCode::FOUND, &HeaderMap::new(), &api()).is_none());
        assert!(follow(&h, StatusCode::FOUND, &location("ftp://x/y"), &api()).is_none());
        assert!(follow(&h, StatusCode::NOT_MODIFIED, &location("/x"), &api()).is_none());
        assert!(follow(&h, StatusCode::OK, &location("/x"), &api()).is_none());
    }
}
