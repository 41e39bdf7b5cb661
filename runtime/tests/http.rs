//! End-to-end tests against a tiny scripted HTTP/1.1 server on loopback.

mod support;

use std::time::Duration;

use apigen_runtime::reqwest::header::HeaderValue;
use apigen_runtime::reqwest::{Method, StatusCode};
use apigen_runtime::{ClientCore, Error, SecurityScheme};
use serde_json::json;
use support::{Captured, json_reply, read_request, reply};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Serves one connection per scripted response, in order, then stops.
/// Returns the base URL and the captured requests.
async fn serve(responses: Vec<Vec<u8>>) -> (String, JoinHandle<Vec<Captured>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = tokio::spawn(async move {
        let mut captured = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().await.expect("accept");
            captured.push(read_request(&mut stream).await);
            stream.write_all(&response).await.expect("write response");
            stream.shutdown().await.ok();
        }
        captured
    });
    (base, handle)
}

async fn serve_one(response: Vec<u8>) -> (String, JoinHandle<Captured>) {
    let (base, handle) = serve(vec![response]).await;
    let one = tokio::spawn(async move { handle.await.expect("server").remove(0) });
    (base, one)
}

/// A listener that must never see a connection.
async fn silent_listener() -> (String, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    (base, listener)
}

async fn assert_nothing_sent(listener: &TcpListener) {
    let accepted = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
    assert!(accepted.is_err(), "a connection was made");
}

const BEARER: usize = 0;
const BASIC: usize = 1;
const APIKEY: usize = 2;
const CONNECTION_ID: usize = 3;
const QUERY_KEY: usize = 4;
const COOKIE_KEY: usize = 5;

const SCHEMES: &[SecurityScheme] = &[
    SecurityScheme::Bearer,
    SecurityScheme::Basic,
    SecurityScheme::ApiKeyHeader("x-apikey"),
    SecurityScheme::ApiKeyHeader("x-connection-id"),
    SecurityScheme::ApiKeyQuery("api_key"),
    SecurityScheme::ApiKeyCookie("sid"),
];

type E = serde_json::Value;

#[tokio::test]
async fn sends_exact_method_path_query_headers_and_body() {
    let (base, server) = serve_one(json_reply("200 OK", r#"{"ok":true}"#)).await;
    let core = ClientCore::new(format!("{base}/api/"), SCHEMES);
    let response = core
        .request(Method::POST)
        .path("/x/")
        .path_param(&"a/b?c#d%e f")
        .path("/items/")
        .path_param(&42)
        .query("q", &"a b&c=d")
        .query("n", &1)
        .query("q", &"é")
        .header("x-trace", &"abc 123")
        .json(&json!({"k": "v", "n": [1, 2]}))
        .send::<E>()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let value: serde_json::Value = response.json::<_, E>().expect("json");
    assert_eq!(value, json!({"ok": true}));

    let req = server.await.expect("server");
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.target,
        "/api/x/a%2Fb%3Fc%23d%25e%20f/items/42?q=a+b%26c%3Dd&n=1&q=%C3%A9"
    );
    assert_eq!(req.header("x-trace"), Some("abc 123"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.body, br#"{"k":"v","n":[1,2]}"#);
    assert_eq!(req.header("authorization"), None);
}

#[tokio::test]
async fn raw_body_and_repeated_headers() {
    let (base, server) = serve_one(reply("204 No Content", &[], "")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.default_headers_mut()
        .insert("x-default", HeaderValue::from_static("default"));
    core.default_headers_mut()
        .insert("x-overridden", HeaderValue::from_static("default"));
    core.request(Method::PUT)
        .path("/raw")
        .header("x-overridden", &"mine")
        .header("x-multi", &"one")
        .header("x-multi", &"two")
        .body("text/plain", b"hello".to_vec())
        .send::<E>()
        .await
        .expect("send")
        .empty::<E>()
        .expect("empty");
    let req = server.await.expect("server");
    assert_eq!(req.method, "PUT");
    assert_eq!(req.target, "/raw");
    assert_eq!(req.header("x-default"), Some("default"));
    assert_eq!(req.header("x-overridden"), Some("mine"));
    assert_eq!(req.header_values("x-multi"), ["one", "two"]);
    assert_eq!(req.header("content-type"), Some("text/plain"));
    assert_eq!(req.body, b"hello");
}

#[tokio::test]
async fn bearer_auth() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(BEARER, "tok-123");
    core.request(Method::GET)
        .path("/me")
        .auth(&[&[BEARER]])
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(req.header("authorization"), Some("Bearer tok-123"));
}

#[tokio::test]
async fn basic_auth() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_basic(BASIC, "Aladdin", "open sesame");
    core.request(Method::GET)
        .path("/me")
        .auth(&[&[BEARER], &[BASIC]])
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(
        req.header("authorization"),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
}

#[tokio::test]
async fn two_api_key_headers_applied_together() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(APIKEY, "key-1");
    core.set_token(CONNECTION_ID, "conn-2");
    core.set_token(BEARER, "unused");
    core.request(Method::GET)
        .path("/c")
        .auth(&[&[APIKEY, CONNECTION_ID], &[BEARER]])
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(req.header("x-apikey"), Some("key-1"));
    assert_eq!(req.header("x-connection-id"), Some("conn-2"));
    assert_eq!(req.header("authorization"), None);
}

#[tokio::test]
async fn api_key_in_query_and_cookie() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.default_headers_mut()
        .insert("cookie", HeaderValue::from_static("theme=dark"));
    core.default_headers_mut()
        .append("cookie", HeaderValue::from_static("lang=en"));
    core.set_token(QUERY_KEY, "q k&1");
    core.set_token(COOKIE_KEY, "c-2");
    core.request(Method::GET)
        .path("/q")
        .query("page", &2)
        .auth(&[&[QUERY_KEY, COOKIE_KEY]])
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(req.target, "/q?page=2&api_key=q+k%261");
    assert_eq!(req.header("cookie"), Some("theme=dark; lang=en; sid=c-2"));
}

#[tokio::test]
async fn cookie_parameters_share_one_header_with_an_api_key_cookie() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(COOKIE_KEY, "c-2");
    core.request(Method::GET)
        .path("/c")
        .cookie("session", &"abc")
        .cookie("n", &7)
        .auth(&[&[COOKIE_KEY]])
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(req.header("cookie"), Some("session=abc; n=7; sid=c-2"));
}

#[tokio::test]
async fn cookie_value_with_semicolon_is_refused_before_sending() {
    let core = ClientCore::new("http://127.0.0.1:9", SCHEMES);
    let err = core
        .request(Method::GET)
        .path("/c")
        .cookie("session", &"a; admin=1")
        .send::<E>()
        .await
        .expect_err("refused");
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(
        text.contains("session") && !text.contains("admin"),
        "{text}"
    );
}

#[tokio::test]
async fn anonymous_alternative_allows_sending_without_credentials() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let core = ClientCore::new(base, SCHEMES);
    core.request(Method::GET)
        .path("/public")
        .auth(&[&[BEARER], &[]])
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(req.header("authorization"), None);
}

#[tokio::test]
async fn missing_credentials_sends_nothing() {
    let (base, listener) = silent_listener().await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(APIKEY, "key-only");
    let err = core
        .request(Method::GET)
        .path("/c")
        .auth(&[&[APIKEY, CONNECTION_ID], &[BEARER]])
        .send::<E>()
        .await
        .unwrap_err();
    match &err {
        Error::MissingCredentials(message) => {
            assert_eq!(message, "x-apikey + x-connection-id or bearer");
        }
        other => panic!("expected MissingCredentials, got {other:?}"),
    }
    assert!(!err.to_string().contains("key-only"));
    assert_nothing_sent(&listener).await;
}

#[tokio::test]
async fn header_with_crlf_is_refused_without_echo() {
    let (base, listener) = silent_listener().await;
    let core = ClientCore::new(base, SCHEMES);
    let err = core
        .request(Method::GET)
        .path("/h")
        .header("x-note", &"evil-value\r\nx-injected: 1")
        .send::<E>()
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest(message) => {
            assert!(message.contains("x-note"), "{message}");
            assert!(!message.contains("evil-value"), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(!format!("{err} {err:?}").contains("evil-value"));
    assert_nothing_sent(&listener).await;
}

#[tokio::test]
async fn credential_with_crlf_is_refused_without_echo() {
    let (base, listener) = silent_listener().await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(BEARER, "tok\r\nx-injected: SECRETPART");
    let err = core
        .request(Method::GET)
        .auth(&[&[BEARER]])
        .send::<E>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("SECRETPART"));
    assert_nothing_sent(&listener).await;
}

#[tokio::test]
async fn dot_segments_and_empty_path_params_are_refused() {
    let (base, listener) = silent_listener().await;
    let core = ClientCore::new(base, SCHEMES);
    for value in [".", "..", ""] {
        let err = core
            .request(Method::DELETE)
            .path("/files/")
            .path_param(&value)
            .send::<E>()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest(_)),
            "{value:?}: {err:?}"
        );
    }
    assert_nothing_sent(&listener).await;
}

#[tokio::test]
async fn dots_inside_a_value_are_fine() {
    let (base, server) = serve_one(json_reply("200 OK", "{}")).await;
    let core = ClientCore::new(base, SCHEMES);
    core.request(Method::GET)
        .path("/files/")
        .path_param(&"...")
        .path("/")
        .path_param(&"../etc")
        .send::<E>()
        .await
        .expect("send");
    let req = server.await.expect("server");
    assert_eq!(req.target, "/files/.../..%2Fetc");
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_raw_body() {
    let (base, _server) = serve_one(json_reply("200 OK", "{not json")).await;
    let core = ClientCore::new(base, SCHEMES);
    let response = core.request(Method::GET).send::<E>().await.expect("send");
    let err = response.json::<serde_json::Value, E>().unwrap_err();
    match &err {
        Error::Decode {
            status,
            headers,
            body,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(&body[..], b"{not json");
            assert_eq!(
                headers.get("content-type").map(HeaderValue::as_bytes),
                Some(&b"application/json"[..])
            );
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.to_string().contains("{not json"), "{err}");
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Problem {
    code: String,
}

#[derive(Debug, PartialEq)]
enum OpError {
    NotFound(Problem),
}

#[tokio::test]
async fn documented_error_becomes_api_error() {
    let (base, _server) = serve_one(json_reply("404 Not Found", r#"{"code":"nope"}"#)).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(BEARER, "tok-SECRET");
    let response = core
        .request(Method::GET)
        .auth(&[&[BEARER]])
        .send::<OpError>()
        .await
        .expect("send");
    let err = response.error(OpError::NotFound);
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        err.api_body(),
        Some(&OpError::NotFound(Problem {
            code: "nope".into()
        }))
    );
    let text = err.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(!format!("{text} {err:?}").contains("tok-SECRET"));
}

#[tokio::test]
async fn unexpected_status_keeps_status_and_body() {
    let (base, _server) = serve_one(reply("503 Service Unavailable", &[], "try later")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    // One scripted answer: a 503 would otherwise be retried.
    core.set_retry_policy(apigen_runtime::RetryPolicy::none());
    core.set_token(BEARER, "tok-SECRET");
    let response = core
        .request(Method::GET)
        .auth(&[&[BEARER]])
        .send::<E>()
        .await
        .expect("send");
    let err = response.unexpected::<E>();
    assert!(matches!(
        &err,
        Error::UnexpectedStatus { status, body, .. }
            if *status == StatusCode::SERVICE_UNAVAILABLE && &body[..] == b"try later"
    ));
    let text = err.to_string();
    assert!(text.contains("503") && text.contains("try later"), "{text}");
    assert!(!format!("{text} {err:?}").contains("tok-SECRET"));
}

async fn closed_port_base() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    base
}

#[tokio::test]
async fn closed_port_is_a_transport_error() {
    let core = ClientCore::new(closed_port_base().await, SCHEMES);
    let err = core
        .request(Method::GET)
        .path("/x")
        .send::<E>()
        .await
        .unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.status().is_none());
}

#[tokio::test]
async fn transport_error_does_not_leak_query_api_key() {
    let mut core = ClientCore::new(closed_port_base().await, SCHEMES);
    core.set_token(QUERY_KEY, "qkey-SECRET");
    let err = core
        .request(Method::GET)
        .path("/x")
        .auth(&[&[QUERY_KEY]])
        .send::<E>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        shown.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert!(!shown.contains("qkey-SECRET"), "{shown}");
}

#[tokio::test]
async fn cross_origin_redirect_is_followed_without_credentials() {
    let (other, other_server) = serve_one(reply("200 OK", &[], "blob")).await;
    let location = format!("{other}/blob?sig=abc");
    let (base, server) = serve_one(reply("302 Found", &[("Location", &location)], "")).await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(APIKEY, "key-1");
    core.set_token(CONNECTION_ID, "conn-2");
    let response = core
        .request(Method::GET)
        .path("/start")
        .auth(&[&[APIKEY, CONNECTION_ID]])
        .send::<E>()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(&response.body()[..], b"blob");
    assert_eq!(
        server.await.expect("server").header("x-apikey"),
        Some("key-1")
    );
    let followed = other_server.await.expect("other server");
    assert_eq!(followed.target, "/blob?sig=abc");
    assert_eq!(followed.header("x-apikey"), None);
    assert_eq!(followed.header("x-connection-id"), None);
}

#[tokio::test]
async fn redirects_stop_after_ten() {
    let hops: Vec<Vec<u8>> = (0..11)
        .map(|i| reply("302 Found", &[("Location", &format!("/hop{i}"))], ""))
        .collect();
    let (base, server) = serve(hops).await;
    let core = ClientCore::new(base, SCHEMES);
    let response = core.request(Method::GET).send::<E>().await.expect("send");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/hop10");
    assert_eq!(server.await.expect("server").len(), 11);
}

#[tokio::test]
async fn same_origin_redirect_is_followed() {
    let (base, server) = serve(vec![
        reply("307 Temporary Redirect", &[("Location", "/next")], ""),
        json_reply("200 OK", "[1]"),
    ])
    .await;
    let mut core = ClientCore::new(base, SCHEMES);
    core.set_token(APIKEY, "key-1");
    core.set_token(CONNECTION_ID, "conn-2");
    let response = core
        .request(Method::GET)
        .path("/start")
        .auth(&[&[APIKEY, CONNECTION_ID]])
        .send::<E>()
        .await
        .expect("send");
    assert_eq!(response.json::<Vec<u8>, E>().expect("json"), [1]);
    let requests = server.await.expect("server");
    assert_eq!(requests[1].target, "/next");
    assert_eq!(requests[1].header("x-apikey"), Some("key-1"));
}

#[tokio::test]
async fn invalid_base_url_is_an_invalid_request() {
    let core = ClientCore::new("https://user:pw-SECRET@[bad", SCHEMES);
    let err = core.request(Method::GET).send::<E>().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("pw-SECRET"));
}

#[test]
fn futures_and_types_are_send_and_sync() {
    fn send<T: Send>(_: &T) {}
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<ClientCore>();
    send_sync::<apigen_runtime::Response>();
    let core = ClientCore::new("http://127.0.0.1:9", SCHEMES);
    let future = core.request(Method::GET).path("/x").send::<E>();
    send(&future);
}

#[test]
fn request_debug_shows_no_header_values() {
    let core = ClientCore::new("http://127.0.0.1:9", SCHEMES);
    let request = core
        .request(Method::GET)
        .path("/x")
        .header("x-session", &"hdr-SECRET");
    let debug = format!("{request:?}");
    assert!(debug.contains("x-session"), "{debug}");
    assert!(!debug.contains("hdr-SECRET"), "{debug}");
}
