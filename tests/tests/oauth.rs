//! OAuth 2 through the client generated for `fixtures/oauth.yaml`, against
//! the scripted loopback server: the token requests the generated methods
//! make (their URL, form and client authentication, the scopes of each
//! operation), and hooks seeing each operation's `operationId`.

use std::sync::{Arc, Mutex};

use apigen_runtime::hooks::{Action, Call, Hook, HookError};
use apigen_tests::calls::bounded;
use apigen_tests::http::{Reply, Server};
use apigen_tests::oauth::{Client, types};

fn token(value: &str) -> Reply {
    Reply::json(
        200,
        format!(r#"{{"access_token":"{value}","token_type":"Bearer","expires_in":3600}}"#),
    )
}

#[tokio::test]
async fn client_credentials_ask_for_each_operations_scopes() {
    let server = Server::start([
        token("t-read"),
        Reply::json(200, r#"[{"id":"r1","title":"Q1"}]"#),
        token("t-write"),
        Reply::json(201, r#"{"id":"r2","title":"Q2"}"#),
        // The read token is still fresh: no token request.
        Reply::json(200, "[]"),
    ]);
    let client = Client::new(server.url("/v1")).with_machine_client_credentials("svc", "s3cret");
    let reports = bounded(client.list_reports())
        .await
        .expect("list")
        .into_inner();
    assert_eq!(reports[0].title, "Q1");
    let body = types::CreateReportRequest { title: "Q2".into() };
    bounded(client.create_report(&body)).await.expect("create");
    bounded(client.list_reports()).await.expect("list again");
    let seen = server.finish();
    let lines: Vec<String> = seen
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.method,
                r.target,
                r.header("authorization").unwrap_or("-"),
                r.body_text()
            )
        })
        .collect();
    // The token URL `/oauth/token` is resolved against the base URL; the
    // client authenticates with HTTP Basic (`svc:s3cret`).
    assert_eq!(
        lines,
        [
            "POST /oauth/token Basic c3ZjOnMzY3JldA== grant_type=client_credentials&scope=reports%3Aread",
            "GET /v1/reports Bearer t-read ",
            "POST /oauth/token Basic c3ZjOnMzY3JldA== grant_type=client_credentials&scope=reports%3Aread+reports%3Awrite",
            "POST /v1/reports Bearer t-write {\"title\":\"Q2\"}",
            "GET /v1/reports Bearer t-read ",
        ]
    );
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("s3cret") && !debug.contains("t-read"),
        "{debug}"
    );
}

#[tokio::test]
async fn a_refresh_token_is_exchanged_at_the_refresh_url() {
    let server = Server::start([token("t-user"), Reply::json(200, "[]")]);
    let client = Client::new(server.url("/v1")).with_user_refresh_token("app", "rt-1");
    bounded(client.list_reports()).await.expect("list");
    let seen = server.finish();
    assert_eq!(seen[0].target, "/oauth/refresh");
    assert_eq!(
        seen[0].body_text(),
        "grant_type=refresh_token&refresh_token=rt-1&client_id=app"
    );
    assert_eq!(seen[1].header("authorization"), Some("Bearer t-user"));
}

/// Records each call's operation, path template and attempt.
struct Record(Arc<Mutex<Vec<String>>>);

impl Hook for Record {
    fn before_send(
        &self,
        call: &Call<'_>,
        _: &mut apigen_runtime::reqwest::Request,
    ) -> Result<Action, HookError> {
        self.0.lock().expect("log").push(format!(
            "{} {} #{}",
            call.operation, call.path_template, call.attempt
        ));
        Ok(Action::Send)
    }
}

#[tokio::test]
async fn hooks_see_the_operation_id_and_token_sources_plug_in() {
    let server = Server::start([Reply::json(200, r#"{"sub":"u1"}"#)]);
    let log = Arc::new(Mutex::new(Vec::new()));
    // OpenID Connect: tokens come from any source; here a fixed one.
    struct Fixed;
    impl apigen_runtime::oauth2::TokenSource for Fixed {
        fn token<'a>(
            &'a self,
            request: apigen_runtime::oauth2::TokenRequest<'a>,
        ) -> apigen_runtime::oauth2::TokenFuture<'a> {
            let scopes = request.scopes().join(" ");
            Box::pin(async move {
                Ok(apigen_runtime::Secret::new(format!(
                    "id-token for {scopes}"
                )))
            })
        }
    }
    let client = Client::new(server.url("/v1"))
        .with_oidc_token_source(Fixed)
        .with_hook(Record(log.clone()));
    let me = bounded(client.get_me()).await.expect("me").into_inner();
    assert_eq!(me.sub.as_deref(), Some("u1"));
    let seen = server.finish();
    assert_eq!(
        seen[0].header("authorization"),
        Some("Bearer id-token for openid profile")
    );
    assert_eq!(*log.lock().expect("log"), ["getMe /me #1"]);
}
