//! The `tracing` feature: spans and events captured by a test subscriber.
#![cfg(feature = "tracing")]

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::reqwest::Method;
use apigen_runtime::{ClientCore, RetryPolicy, SecurityScheme};
use support::{Captured, Server, json_reply};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

type Fields = BTreeMap<String, String>;

/// A span or event as captured: name, fields, parent span name.
#[derive(Debug, Clone)]
struct Captured2 {
    name: String,
    fields: Fields,
    parent: Option<String>,
}

#[derive(Default)]
struct Store {
    spans: BTreeMap<u64, Captured2>,
    events: Vec<Captured2>,
    stack: Vec<u64>,
}

/// Records every span and event, with their fields as text.
#[derive(Clone, Default)]
struct Capture {
    store: Arc<Mutex<Store>>,
    next: Arc<AtomicU64>,
}

struct Text<'a>(&'a mut Fields);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Fields::new();
        attrs.record(&mut Text(&mut fields));
        let mut store = self.store.lock().expect("store");
        let parent = store
            .stack
            .last()
            .and_then(|p| store.spans.get(p))
            .map(|s| s.name.clone());
        store.spans.insert(
            id,
            Captured2 {
                name: attrs.metadata().name().to_owned(),
                fields,
                parent,
            },
        );
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut store = self.store.lock().expect("store");
        if let Some(s) = store.spans.get_mut(&span.into_u64()) {
            values.record(&mut Text(&mut s.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Text(&mut fields));
        let mut store = self.store.lock().expect("store");
        let parent = store
            .stack
            .last()
            .and_then(|p| store.spans.get(p))
            .map(|s| s.name.clone());
        store.events.push(Captured2 {
            name: event.metadata().target().to_owned(),
            fields,
            parent,
        });
    }
    fn enter(&self, span: &Id) {
        self.store
            .lock()
            .expect("store")
            .stack
            .push(span.into_u64());
    }
    fn exit(&self, span: &Id) {
        let mut store = self.store.lock().expect("store");
        if let Some(i) = store.stack.iter().rposition(|s| *s == span.into_u64()) {
            store.stack.remove(i);
        }
    }
}

const SCHEMES: &[SecurityScheme] = &[
    SecurityScheme::Bearer,
    SecurityScheme::ApiKeyQuery("api_key"),
];

/// Runs `f` on a single-threaded runtime with `capture` as the subscriber.
fn traced<F: std::future::Future>(capture: &Capture, f: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    tracing::subscriber::with_default(capture.clone(), || runtime.block_on(f))
}

#[test]
fn a_call_is_one_span_with_http_client_attributes_and_no_secret() {
    let capture = Capture::default();
    let store = capture.store.clone();
    traced(&capture, async {
        let tries = Arc::new(Mutex::new(0));
        let count = tries.clone();
        let server = Server::start(move |_: &Captured| {
            let mut n = count.lock().expect("count");
            *n += 1;
            if *n == 1 {
                json_reply("503 Service Unavailable", "{}")
            } else {
                json_reply("201 Created", r#"{"secret-body":"b0dy"}"#)
            }
        })
        .await;
        let mut core = ClientCore::new(&server.base, SCHEMES);
        core.set_token(0, "t0ken");
        core.set_token(1, "k3y");
        core.set_retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1)),
        );
        let response = core
            .request(Method::PUT)
            .operation("putThing", "/things/{id}")
            .path("/things/")
            .path_param(&"p4th")
            .auth(&[&[0, 1]])
            .json(&serde_json::json!({"name": "r3quest"}))
            .send::<()>()
            .await
            .expect("sent");
        assert_eq!(response.status(), 201);
    });
    let store = store.lock().expect("store");
    let spans: Vec<&Captured2> = store.spans.values().collect();
    assert_eq!(spans.len(), 1, "{spans:#?}");
    let span = spans[0];
    assert_eq!(span.name, "http.client");
    let f = &span.fields;
    let field = |name: &str| f.get(name).map(String::as_str);
    assert_eq!(field("otel.name"), Some("PUT /things/{id}"));
    assert_eq!(field("otel.kind"), Some("client"));
    assert_eq!(field("http.request.method"), Some("PUT"));
    assert_eq!(field("url.template"), Some("/things/{id}"));
    assert_eq!(field("apigen.operation_id"), Some("putThing"));
    assert_eq!(field("server.address"), Some("127.0.0.1"));
    assert!(
        field("server.port").is_some_and(|p| p.parse::<u16>().is_ok()),
        "{f:?}"
    );
    assert_eq!(field("http.response.status_code"), Some("201"));
    assert_eq!(field("http.request.resend_count"), Some("1"));
    assert_eq!(field("error.type"), None);
    // One retry event, inside the span.
    let retries: Vec<_> = store
        .events
        .iter()
        .filter(|e| e.name == "apigen_runtime::retry")
        .collect();
    assert_eq!(retries.len(), 1, "{:#?}", store.events);
    assert_eq!(retries[0].parent.as_deref(), Some("http.client"));
    assert_eq!(
        retries[0].fields.get("attempt").map(String::as_str),
        Some("1")
    );
    assert_eq!(
        retries[0].fields.get("reason").map(String::as_str),
        Some("503 Service Unavailable")
    );
    assert!(retries[0].fields.contains_key("wait_ms"));
    // Nothing recorded carries a credential, the path's value or a body.
    let all = format!("{:?} {:?}", store.spans, store.events);
    for secret in ["t0ken", "k3y", "p4th", "r3quest", "b0dy"] {
        assert!(!all.contains(secret), "{secret} in {all}");
    }
}

#[test]
fn a_failed_call_records_its_error_type() {
    let capture = Capture::default();
    let store = capture.store.clone();
    traced(&capture, async {
        // A port nothing listens on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        drop(listener);
        let mut core = ClientCore::new(base, SCHEMES);
        core.set_retry_policy(RetryPolicy::none());
        let err = core
            .request(Method::GET)
            .operation("getThing", "/things")
            .path("/things")
            .send::<()>()
            .await
            .expect_err("refused");
        assert!(
            matches!(err, apigen_runtime::Error::Transport(_)),
            "{err:?}"
        );
        let server = Server::start(|_: &Captured| json_reply("404 Not Found", "{}")).await;
        let core = ClientCore::new(&server.base, SCHEMES);
        let response = core
            .request(Method::GET)
            .operation("getThing", "/things")
            .path("/things")
            .send::<()>()
            .await
            .expect("a response");
        assert_eq!(response.status(), 404);
    });
    let store = store.lock().expect("store");
    let kinds: Vec<_> = store
        .spans
        .values()
        .map(|s| {
            (
                s.fields.get("error.type").cloned(),
                s.fields.get("otel.status_code").cloned(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("transport".to_owned()), Some("ERROR".to_owned())),
            (Some("404".to_owned()), Some("ERROR".to_owned())),
        ]
    );
}
