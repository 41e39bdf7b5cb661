//! A generated client (fixture `operations`) against a loopback server that
//! misbehaves: server errors, rate limits with `Retry-After`, connection
//! resets and early closes, truncated and undecodable bodies, responses too
//! slow for the timeout or too large for the limit.
//!
//! Each fault must give the right typed error, retries must happen exactly
//! where the retry policy says (idempotent requests, on connection failures,
//! 429 and 503) and nowhere else, and nothing may panic.

use std::time::{Duration, Instant};

use apigen_runtime::reqwest::StatusCode;
use apigen_runtime::{Error, ResponseValue, RetryPolicy};
use apigen_tests::calls::within;
use apigen_tests::http::{Fault, Recorded, Reply, Server};
use apigen_tests::operations::{Client, CreatePostError, GetPostParams, types};

/// Upper bound for any one client call, so that a test can never hang.
const CALL_LIMIT: Duration = Duration::from_secs(20);

const POST: &str = r#"{"id":7,"title":"Hello"}"#;

/// Retries without waiting long, so the tests stay fast.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(server: &Server) -> Client {
    Client::new(server.base_url()).with_retry_policy(quick_retries())
}

async fn get_post(
    client: &Client,
) -> Result<types::Post, Error<apigen_tests::operations::GetPostError>> {
    within(
        CALL_LIMIT,
        client.get_post("u1", 7, "title", &GetPostParams::default()),
    )
    .await
    .map(ResponseValue::into_inner)
}

async fn create_post(
    client: &Client,
) -> Result<apigen_tests::operations::CreatePostSuccess, Error<CreatePostError>> {
    let body = types::NewPost {
        title: "Hello".to_owned(),
    };
    within(CALL_LIMIT, client.create_post(&body))
        .await
        .map(ResponseValue::into_inner)
}

/// Every attempt of one call must be the same request.
fn assert_identical(requests: &[Recorded]) {
    for r in &requests[1..] {
        assert_eq!(r, &requests[0], "a retried request differs from the first");
    }
}

#[tokio::test]
async fn server_error_is_not_retried() {
    let server = Server::start([Reply::text(500, "boom")]);
    let err = get_post(&client(&server)).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(&body[..], b"boom");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn service_unavailable_is_retried_until_success() {
    let server = Server::start([
        Reply::text(503, "down"),
        Reply::text(503, "still down"),
        Reply::json(200, POST),
    ]);
    let post = get_post(&client(&server))
        .await
        .expect("third attempt succeeds");
    assert_eq!((post.id, post.title.as_str()), (7, "Hello"));
    let requests = server.finish();
    assert_eq!(requests.len(), 3);
    assert_identical(&requests);
    assert_eq!(requests[0].target, "/users/u1/posts/7?fields=title");
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = Server::start([
        Reply::text(503, "1"),
        Reply::text(503, "2"),
        Reply::text(503, "3"),
    ]);
    let err = get_post(&client(&server)).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    // The last response is the one reported.
    assert_eq!(err.raw_body().map(|b| &b[..]), Some(&b"3"[..]));
    assert_eq!(server.finish().len(), 3);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = Server::start([Reply::text(503, "down")]);
    let client = Client::new(server.base_url()).with_retry_policy(RetryPolicy::none());
    let err = get_post(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Server::start([
        Reply::json(429, r#"{"message":"slow down"}"#).with_header("Retry-After", "1"),
        Reply::json(200, POST),
    ]);
    // A long backoff that must not be used: Retry-After takes precedence.
    let client = Client::new(server.base_url()).with_retry_policy(
        RetryPolicy::default().backoff(Duration::from_secs(10), Duration::from_secs(10)),
    );
    let started = Instant::now();
    let post = get_post(&client).await.expect("the retry succeeds");
    let waited = started.elapsed();
    assert_eq!(post.id, 7);
    assert!(
        waited >= Duration::from_millis(950),
        "retried after {waited:?}, before the 1 s Retry-After"
    );
    assert!(
        waited < Duration::from_secs(9),
        "waited {waited:?}: backoff used instead"
    );
    assert_eq!(server.finish().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_returned_to_the_caller() {
    let server = Server::start([
        Reply::json(429, r#"{"message":"come back later"}"#).with_header("Retry-After", "120")
    ]);
    let started = Instant::now();
    let err = get_post(&client(&server)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    // 429 is in the operation's documented `4XX` range.
    match &err {
        Error::Api { status, body, .. } => {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
            let apigen_tests::operations::GetPostError::ClientError(problem) = body else {
                panic!("expected the 4XX variant, got {body:?}");
            };
            assert_eq!(problem.message.as_deref(), Some("come back later"));
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn non_idempotent_requests_are_not_retried() {
    let server = Server::start([Reply::json(503, r#"{"message":"down"}"#)]);
    let err = create_post(&client(&server)).await.unwrap_err();
    // `default` is documented for createPost, so 503 is an API error.
    assert!(
        matches!(&err, Error::Api { status, body: CreatePostError::Default(p), .. }
            if *status == StatusCode::SERVICE_UNAVAILABLE && p.message.as_deref() == Some("down")),
        "{err:?}"
    );
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn non_idempotent_requests_are_retried_when_opted_in() {
    let server = Server::start([Reply::text(503, "down"), Reply::json(201, r#"{"id":9}"#)]);
    let client =
        Client::new(server.base_url()).with_retry_policy(quick_retries().retry_all_methods(true));
    let created = create_post(&client).await.expect("the retry succeeds");
    assert!(
        matches!(&created, apigen_tests::operations::CreatePostSuccess::Created(c) if c.id == 9),
        "{created:?}"
    );
    let requests = server.finish();
    assert_eq!(requests.len(), 2);
    assert_identical(&requests);
    assert_eq!(requests[1].body, br#"{"title":"Hello"}"#);
}

#[tokio::test]
async fn an_idempotency_key_makes_a_post_retryable() {
    let server = Server::start([Reply::text(429, "busy"), Reply::json(200, POST)]);
    let client = client(&server).with_header("Idempotency-Key", "req-42");
    create_post(&client).await.expect("the retry succeeds");
    let requests = server.finish();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("idempotency-key"), Some("req-42"));
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_idempotent_requests() {
    let server = Server::start([Reply::reset(), Reply::json(200, POST)]);
    let post = get_post(&client(&server))
        .await
        .expect("the retry succeeds");
    assert_eq!(post.id, 7);
    let connections = server.connections();
    let requests = server.finish();
    assert_eq!((connections, requests.len()), (2, 1));
}

#[tokio::test]
async fn a_reset_connection_fails_a_post_without_retrying() {
    let server = Server::start([Reply::reset(), Reply::json(200, POST)]);
    let err = create_post(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.connections(), 1);
    drop(server);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let server = Server::start([Reply::close()]);
    let client = Client::new(server.base_url()).with_retry_policy(RetryPolicy::none());
    let err = get_post(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind")
        .port();
    let client = Client::new(format!("http://127.0.0.1:{port}")).with_retry_policy(quick_retries());
    let err = get_post(&client).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(err.to_string(), "could not connect to the server");
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error_and_not_retried() {
    let server = Server::start([Reply::json(200, POST).with_fault(Fault::Truncate(5))]);
    let err = get_post(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.to_string(), "could not read the response body");
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn invalid_json_keeps_status_and_raw_body() {
    let server = Server::start([Reply::json(200, r#"{"id":7,"title":"#)]);
    let err = get_post(&client(&server)).await.unwrap_err();
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(&body[..], br#"{"id":7,"title":"#);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    server.finish();
}

#[tokio::test]
async fn a_wrong_content_type_is_a_decode_error_with_headers_kept() {
    let page = "<html><body>Gateway login</body></html>";
    let server = Server::start([Reply::new(200).with_body("text/html", page)]);
    let err = get_post(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let content_type = err.headers().and_then(|h| h.get("content-type"));
    assert_eq!(
        content_type.and_then(|v| v.to_str().ok()),
        Some("text/html")
    );
    assert_eq!(err.raw_body().map(|b| &b[..]), Some(page.as_bytes()));
    server.finish();
}

#[tokio::test]
async fn a_slow_response_times_out_and_is_not_retried() {
    let server = Server::start([
        Reply::json(200, POST).with_fault(Fault::Delay(Duration::from_millis(1500)))
    ]);
    let client = client(&server).with_timeout(Duration::from_millis(200));
    let started = Instant::now();
    let err = get_post(&client).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(err.to_string(), "HTTP request timed out");
    assert!(
        took < Duration::from_millis(1400),
        "gave up only after {took:?}"
    );
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn a_response_larger_than_the_limit_is_refused() {
    let big = format!(r#"{{"id":7,"title":"{}"}}"#, "x".repeat(4096));
    let server = Server::start([Reply::json(200, big)]);
    let mut client = client(&server);
    client.core_mut().set_max_response_bytes(Some(1024));
    let err = get_post(&client).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { status, limit, .. } => {
            assert_eq!((*status, *limit), (StatusCode::OK, 1024));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "response body larger than 1024 bytes (HTTP 200 OK)"
    );
    server.finish();
}

#[tokio::test]
async fn user_agent_and_default_headers() {
    let server = Server::start([Reply::json(200, POST), Reply::json(200, POST)]);
    let plain = client(&server);
    get_post(&plain).await.expect("success");
    let custom = client(&server)
        .with_user_agent("acme-sync/2.3")
        .with_header("X-Tenant", "t-1");
    let params = GetPostParams {
        x_request_id: Some("r-9".to_owned()),
        ..Default::default()
    };
    within(CALL_LIMIT, custom.get_post("u1", 7, "title", &params))
        .await
        .expect("success");
    let requests = server.finish();
    let default_agent = format!("apigen-runtime/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        requests[0].header("user-agent"),
        Some(default_agent.as_str())
    );
    assert_eq!(requests[0].header("x-tenant"), None);
    assert_eq!(requests[1].header("user-agent"), Some("acme-sync/2.3"));
    assert_eq!(requests[1].header("x-tenant"), Some("t-1"));
    assert_eq!(requests[1].header("x-request-id"), Some("r-9"));
}

#[tokio::test]
async fn an_invalid_default_header_fails_every_request_without_sending() {
    let server = Server::start([Reply::json(200, POST)]);
    let client = client(&server).with_header("X-Token", "tok-S3CR3T\r\nX-Injected: 1");
    let err = get_post(&client).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(text.contains("X-Token"), "{text}");
    assert!(!text.contains("S3CR3T"), "{text}");
    // An unrelated header does not clear the problem ...
    let still_bad = client.clone().with_header("X-Other", "fine");
    assert!(matches!(
        get_post(&still_bad).await,
        Err(Error::InvalidRequest(_))
    ));
    assert_eq!(server.connections(), 0, "nothing may be sent");
    // ... setting the same header again correctly does.
    let fixed = client.with_header("x-token", "tok-ok");
    get_post(&fixed)
        .await
        .expect("sent once the header is valid");
    let request = server.finish_one();
    assert_eq!(request.header("x-token"), Some("tok-ok"));
    assert_eq!(request.header("x-injected"), None);
}

#[tokio::test]
async fn debug_shows_settings_but_no_header_values() {
    let client = Client::new("http://127.0.0.1:9")
        .with_header("X-Token", "tok-S3CR3T")
        .with_timeout(Duration::from_secs(3))
        .with_retry_policy(RetryPolicy::default().max_attempts(4));
    let debug = format!("{client:?}");
    assert!(!debug.contains("S3CR3T"), "{debug}");
    assert!(debug.contains("x-token"), "{debug}");
    assert!(debug.contains("timeout: Some(3s)"), "{debug}");
    assert!(debug.contains("max_attempts: 4"), "{debug}");
}
