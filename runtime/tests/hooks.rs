//! Hooks end to end, against a loopback server that records what it got.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::hooks::{Action, Call, Hook, HookError};
use apigen_runtime::reqwest::header::HeaderValue;
use apigen_runtime::reqwest::{Method, Request, Response};
use apigen_runtime::{ClientCore, Error, RetryPolicy, SecurityScheme};
use support::{Captured, Server, json_reply};

type E = ();
const SCHEMES: &[SecurityScheme] = &[SecurityScheme::Bearer];

/// What a hook saw, in order.
#[derive(Default)]
struct Log(Mutex<Vec<String>>);

impl Log {
    fn push(&self, line: String) {
        self.0.lock().expect("log").push(line);
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().expect("log").clone()
    }
}

/// Adds a header and a checksum of the body it will send, and logs.
struct Stamp(Arc<Log>);

impl Hook for Stamp {
    fn before_send(&self, call: &Call<'_>, request: &mut Request) -> Result<Action, HookError> {
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default();
        let sum: u32 = body.iter().map(|b| u32::from(*b)).sum();
        let authorized = request.headers().contains_key("authorization");
        request
            .headers_mut()
            .insert("x-body-sum", HeaderValue::from_str(&sum.to_string())?);
        self.0.push(format!(
            "before {} {} #{} authorized={authorized}",
            call.operation, call.path_template, call.attempt
        ));
        Ok(Action::Send)
    }

    fn after_response(&self, call: &Call<'_>, response: &Response) {
        self.0.push(format!(
            "after {} #{} {}",
            call.operation,
            call.attempt,
            response.status().as_u16()
        ));
    }
}

fn post<'a>(core: &'a ClientCore, body: &serde_json::Value) -> apigen_runtime::Request<'a> {
    core.request(Method::POST)
        .operation("createThing", "/things/{id}")
        .path("/things/")
        .path_param(&"t 1")
        .auth(&[&[0]])
        .json(body)
}

#[tokio::test]
async fn a_hook_sees_the_final_request_and_may_sign_its_bytes() {
    let server = Server::start(|_: &Captured| json_reply("201 Created", "{}")).await;
    let log = Arc::new(Log::default());
    let mut core = ClientCore::new(&server.base, SCHEMES);
    core.set_token(0, "tok");
    core.add_hook(Stamp(log.clone()));
    let body = serde_json::json!({"name": "lamp"});
    let response = post(&core, &body).send::<E>().await.expect("sent");
    assert_eq!(response.status(), 201);
    let seen = server.seen.lock().expect("seen");
    let sent = &seen[0];
    let sum: u32 = sent.body.iter().map(|b| u32::from(*b)).sum();
    // The checksum covers exactly the bytes that arrived.
    assert_eq!(sent.header("x-body-sum"), Some(sum.to_string().as_str()));
    assert_eq!(sent.target, "/things/t%201");
    assert_eq!(
        log.lines(),
        [
            "before createThing /things/{id} #1 authorized=true",
            "after createThing #1 201",
        ]
    );
}

#[tokio::test]
async fn hooks_run_on_every_attempt() {
    let tries = Arc::new(Mutex::new(0));
    let count = tries.clone();
    let server = Server::start(move |_: &Captured| {
        let mut n = count.lock().expect("count");
        *n += 1;
        if *n == 1 {
            json_reply("503 Service Unavailable", "{}")
        } else {
            json_reply("200 OK", "{}")
        }
    })
    .await;
    let log = Arc::new(Log::default());
    let mut core = ClientCore::new(&server.base, SCHEMES);
    core.set_token(0, "tok");
    core.set_retry_policy(
        RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1)),
    );
    core.add_hook(Stamp(log.clone()));
    let response = core
        .request(Method::GET)
        .operation("getThing", "/things")
        .path("/things")
        .auth(&[&[0]])
        .send::<E>()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(
        log.lines(),
        [
            "before getThing /things #1 authorized=true",
            "after getThing #1 503",
            "before getThing /things #2 authorized=true",
            "after getThing #2 200",
        ]
    );
}

/// Refuses requests without a tenant header.
struct RequireTenant;

impl Hook for RequireTenant {
    fn before_send(&self, _: &Call<'_>, request: &mut Request) -> Result<Action, HookError> {
        if request.headers().contains_key("x-tenant") {
            Ok(Action::Send)
        } else {
            Err("no tenant chosen".into())
        }
    }
}

#[tokio::test]
async fn a_hook_can_fail_a_request_before_it_is_sent() {
    let server = Server::start(|_: &Captured| json_reply("200 OK", "{}")).await;
    let mut core = ClientCore::new(&server.base, SCHEMES);
    core.set_token(0, "tok");
    core.add_hook(RequireTenant);
    let err = post(&core, &serde_json::json!({}))
        .send::<E>()
        .await
        .expect_err("refused");
    match &err {
        Error::Hook { operation, source } => {
            assert_eq!(operation, "createThing");
            assert_eq!(source.to_string(), "no tenant chosen");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "a hook refused the request of `createThing`: no tenant chosen"
    );
    assert!(server.seen("/").is_empty(), "a request was sent");
    core.set_default_header("x-tenant", "acme");
    post(&core, &serde_json::json!({}))
        .send::<E>()
        .await
        .expect("sent");
    assert_eq!(server.seen("/").len(), 1);
}

/// Answers every `getThing` itself: a fake server for tests.
struct Fake;

impl Hook for Fake {
    fn before_send(&self, call: &Call<'_>, _: &mut Request) -> Result<Action, HookError> {
        if call.operation != "getThing" {
            return Ok(Action::Send);
        }
        let response = apigen_runtime::http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(bytes::Bytes::from_static(br#"{"id":"fake"}"#))?;
        Ok(Action::Respond(response))
    }
}

#[tokio::test]
async fn a_hook_can_answer_instead_of_the_server() {
    let server = Server::start(|_: &Captured| json_reply("200 OK", r#"{"id":"real"}"#)).await;
    let mut core = ClientCore::new(&server.base, SCHEMES);
    core.add_hook(Fake);
    let faked: serde_json::Value = core
        .request(Method::GET)
        .operation("getThing", "/things")
        .path("/things")
        .send::<E>()
        .await
        .expect("answered")
        .json::<_, E>()
        .expect("json");
    assert_eq!(faked["id"], "fake");
    assert!(
        server.seen("/").is_empty(),
        "the fake let a request through"
    );
    let real: serde_json::Value = core
        .request(Method::GET)
        .operation("listThings", "/things")
        .path("/things")
        .send::<E>()
        .await
        .expect("sent")
        .json::<_, E>()
        .expect("json");
    assert_eq!(real["id"], "real");
}
