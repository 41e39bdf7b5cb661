//! OAuth 2.0 token sources end to end: a loopback server is both the token
//! endpoint (`/token`) and the API (`/api/...`).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use apigen_runtime::oauth2::{
    ClientAuth, ClientCredentials, RefreshToken, TokenError, TokenFuture, TokenRequest, TokenSource,
};
use apigen_runtime::reqwest::Method;
use apigen_runtime::{ClientCore, Error, Secret, SecurityScheme};
use support::{Captured, Server, json_reply};

const SCHEMES: &[SecurityScheme] = &[SecurityScheme::Bearer];
const OAUTH: usize = 0;
type E = ();

/// A server whose token endpoint hands out `t1`, `t2`, … valid for
/// `expires_in` seconds, and whose API accepts the tokens `accepted` says.
async fn server(
    delay: Duration,
    expires_in: u64,
    accepted: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> Server {
    let issued = AtomicUsize::new(0);
    Server::start_slow("/token", delay, move |request: &Captured| {
        if request.target == "/token" {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return json_reply(
                "200 OK",
                &format!(
                    r#"{{"access_token":"t{n}","token_type":"bearer","expires_in":{expires_in},"refresh_token":"rt{n}"}}"#
                ),
            );
        }
        let token = request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if accepted(token) {
            json_reply("200 OK", r#"{"ok":true}"#)
        } else {
            json_reply("401 Unauthorized", r#"{"error":"invalid_token"}"#)
        }
    })
    .await
}

fn client(server: &Server, source: impl TokenSource) -> ClientCore {
    let mut core = ClientCore::new(format!("{}/api", server.base), SCHEMES);
    core.set_token_source(OAUTH, source);
    core
}

async fn call(core: &ClientCore) -> Result<u16, Error<E>> {
    let response = core
        .request(Method::GET)
        .path("/things")
        .auth(&[&[OAUTH]])
        .scopes(OAUTH, &["write", "read"])
        .send::<E>()
        .await?;
    Ok(response.status().as_u16())
}

fn credentials(server: &Server) -> ClientCredentials {
    ClientCredentials::new(format!("{}/token", server.base), "my id", "s3cr3t&")
}

#[tokio::test]
async fn a_client_credentials_token_is_fetched_once_and_reused() {
    let server = server(Duration::ZERO, 3600, |t| t == "t1").await;
    let core = client(&server, credentials(&server));
    for _ in 0..3 {
        assert_eq!(call(&core).await.expect("call"), 200);
    }
    let tokens = server.seen("/token");
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    // RFC 6749 §4.4.2, the scopes as one space-separated parameter, the
    // client authenticated with HTTP Basic over form-encoded parts (§2.3.1).
    let (_, authorization, body) = &tokens[0];
    assert_eq!(body, "grant_type=client_credentials&scope=read+write");
    assert_eq!(
        authorization.as_deref(),
        Some(format!("Basic {}", b64("my+id:s3cr3t%26")).as_str())
    );
    let api = server.seen("/api");
    assert_eq!(api.len(), 3);
    assert!(
        api.iter()
            .all(|(_, a, _)| a.as_deref() == Some("Bearer t1")),
        "{api:?}"
    );
}

#[tokio::test]
async fn the_client_secret_can_go_in_the_body() {
    let server = server(Duration::ZERO, 3600, |_| true).await;
    let source = credentials(&server)
        .client_auth(ClientAuth::Body)
        .scopes(["admin"])
        .param("audience", "https://api.example");
    let core = client(&server, source);
    call(&core).await.expect("call");
    let (_, authorization, body) = server.seen("/token").remove(0);
    assert_eq!(authorization, None);
    assert_eq!(
        body,
        "grant_type=client_credentials&scope=admin&audience=https%3A%2F%2Fapi.example\
         &client_id=my+id&client_secret=s3cr3t%26"
    );
}

#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    let server = server(Duration::from_millis(300), 3600, |t| t == "t1").await;
    let core = Arc::new(client(&server, credentials(&server)));
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let core = core.clone();
            tokio::spawn(async move { call(&core).await })
        })
        .collect();
    for c in calls {
        assert_eq!(c.await.expect("task").expect("call"), 200);
    }
    assert_eq!(server.seen("/token").len(), 1);
    assert_eq!(server.seen("/api").len(), 10);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    // Valid for 1 s: renewed after half of it.
    let server = server(Duration::ZERO, 1, |_| true).await;
    let core = client(&server, credentials(&server));
    call(&core).await.expect("first");
    call(&core).await.expect("still fresh");
    assert_eq!(server.seen("/token").len(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    call(&core).await.expect("renewed");
    let api = server.seen("/api");
    assert_eq!(server.seen("/token").len(), 2);
    assert_eq!(api[2].1.as_deref(), Some("Bearer t2"));
}

#[tokio::test]
async fn a_401_gets_one_new_token_and_one_retry() {
    // `t1` is revoked by the server before it expires.
    let server = server(Duration::ZERO, 3600, |t| t == "t2").await;
    let core = client(&server, credentials(&server));
    assert_eq!(call(&core).await.expect("call"), 200);
    let api: Vec<_> = server.seen("/api").into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(
        api,
        [Some("Bearer t1".to_owned()), Some("Bearer t2".to_owned())]
    );
    assert_eq!(server.seen("/token").len(), 2);
    // The new token is kept.
    call(&core).await.expect("again");
    assert_eq!(server.seen("/token").len(), 2);
}

#[tokio::test]
async fn a_401_with_the_new_token_too_is_the_answer_never_a_loop() {
    let server = server(Duration::ZERO, 3600, |_| false).await;
    let core = client(&server, credentials(&server));
    assert_eq!(call(&core).await.expect("a response"), 401);
    assert_eq!(server.seen("/api").len(), 2);
    assert_eq!(server.seen("/token").len(), 2);
}

#[tokio::test]
async fn a_token_endpoint_error_is_typed_and_shows_no_secret() {
    let server = Server::start(|request: &Captured| {
        if request.target == "/token" {
            json_reply(
                "401 Unauthorized",
                r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
            )
        } else {
            json_reply("200 OK", "{}")
        }
    })
    .await;
    let core = client(&server, credentials(&server));
    let err = call(&core).await.expect_err("no token");
    match &err {
        Error::Token(TokenError::Refused {
            status,
            error,
            description,
            ..
        }) => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(error, "invalid_client");
            assert_eq!(description.as_deref(), Some("Client authentication failed"));
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{err} {err:?} {core:?}");
    assert!(text.contains("invalid_client"), "{text}");
    assert!(!text.contains("s3cr3t"), "{text}");
    assert!(server.seen("/api").is_empty(), "the API was called");
}

#[tokio::test]
async fn a_token_response_without_a_bearer_token_is_refused() {
    for body in [
        r#"{"token_type":"bearer"}"#,
        r#"{"access_token":"abc","token_type":"mac"}"#,
        "not json",
    ] {
        let server = Server::start(move |_: &Captured| json_reply("200 OK", body)).await;
        let core = client(&server, credentials(&server));
        let err = call(&core).await.expect_err(body);
        assert!(
            matches!(err, Error::Token(TokenError::InvalidResponse(_))),
            "{body}: {err:?}"
        );
        assert!(!err.to_string().contains("abc"), "{err}");
    }
}

#[tokio::test]
async fn refresh_tokens_renew_access_and_rotate() {
    let server = server(Duration::ZERO, 3600, |t| t == "t2").await;
    let rotated = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = rotated.clone();
    let source = RefreshToken::new(format!("{}/token", server.base), "app", "rt0")
        .on_rotate(move |new| seen.lock().expect("seen").push(new.expose().to_owned()));
    let core = client(&server, source);
    // t1 is refused: a second refresh, with the rotated refresh token.
    assert_eq!(call(&core).await.expect("call"), 200);
    let bodies: Vec<_> = server
        .seen("/token")
        .into_iter()
        .map(|(_, _, b)| b)
        .collect();
    assert_eq!(
        bodies,
        [
            "grant_type=refresh_token&refresh_token=rt0&client_id=app",
            "grant_type=refresh_token&refresh_token=rt1&client_id=app",
        ]
    );
    assert_eq!(*rotated.lock().expect("rotated"), ["rt1", "rt2"]);
}

/// A user's own provider.
struct Counting(AtomicUsize);

impl TokenSource for Counting {
    fn token<'a>(&'a self, request: TokenRequest<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            if n >= 1 {
                return Err(TokenError::source("the vault is sealed"));
            }
            Ok(Secret::new(format!("jwt-{}", request.scopes().join("+"))))
        })
    }
}

#[tokio::test]
async fn any_token_source_can_be_plugged_in() {
    let server = server(Duration::ZERO, 3600, |t| t == "jwt-write+read").await;
    let core = client(&server, Counting(AtomicUsize::new(0)));
    assert_eq!(call(&core).await.expect("call"), 200);
    let err = call(&core).await.expect_err("sealed");
    assert!(
        matches!(err, Error::Token(TokenError::Source(_))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no access token: the token source failed: the vault is sealed"
    );
}

fn b64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
