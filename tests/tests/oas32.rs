//! OpenAPI 3.2 through the client generated for `fixtures/oas32.yaml` and
//! the loopback server. Where the fixture documents an example
//! (`dataValue` with its `serializedValue`, or a `serializedValue` event
//! stream), the test sends or serves exactly that, read from the fixture,
//! and checks the other side against it.

use apigen::{Format, Source};
use apigen_tests::calls::bounded;
use apigen_tests::http::{Reply, Server};
use apigen_tests::oas32::{self, types};
use serde_json::Value;

fn client(server: &Server) -> oas32::Client {
    oas32::Client::new(server.base_url())
}

/// The fixture, as JSON.
fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oas32.yaml");
    let text = std::fs::read_to_string(path).expect("the fixture");
    Source::parse("oas32.yaml", text, Format::Yaml)
        .expect("the fixture parses")
        .value
}

/// The value at `pointer` of the fixture.
fn at(pointer: &str) -> Value {
    fixture()
        .pointer(pointer)
        .unwrap_or_else(|| panic!("the fixture has {pointer}"))
        .clone()
}

#[tokio::test]
async fn query_and_additional_operations_send_their_methods() {
    let records = "\u{1e}{\"timestamp\":\"2025-09-19T10:00:00Z\",\"level\":2,\"message\":\"disk\"}\n\u{1e}{\"timestamp\":\"2025-09-19T10:01:00Z\",\"level\":3,\"message\":\"full\"}\n";
    let server = Server::start([
        Reply::new(200).with_body("application/json-seq", records),
        Reply::new(201),
    ]);
    let client = client(&server);
    let query = types::LogQuery {
        text: Some("disk".into()),
        ..Default::default()
    };
    let mut found = bounded(client.search_logs(&query))
        .await
        .expect("200")
        .into_inner();
    let mut messages = Vec::new();
    while let Some(entry) = found.next().await {
        messages.push(entry.expect("a log entry").message);
    }
    assert_eq!(messages, ["disk", "full"]);
    bounded(client.copy_item("a/b", "https://example.com/items/c"))
        .await
        .expect("201");
    let requests = server.finish();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].target.as_str()),
        ("QUERY", "/logs/search")
    );
    assert_eq!(requests[0].body_text(), r#"{"text":"disk"}"#);
    assert_eq!(
        (requests[1].method.as_str(), requests[1].target.as_str()),
        ("COPY", "/items/a%2Fb")
    );
    assert_eq!(
        requests[1].header("destination"),
        Some("https://example.com/items/c")
    );
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_documented_query() {
    let form = at("/paths/~1items/get/parameters/0/examples/spacesAndPluses");
    let json = at("/paths/~1items~1search/get/parameters/0/examples/byName");
    let server = Server::start([Reply::json(200, "[]"), Reply::json(200, "[]")]);
    let client = client(&server);
    let filter: types::ItemFilter =
        serde_json::from_value(form["dataValue"].clone()).expect("the example decodes");
    let params = oas32::ListItemsParams {
        filter: Some(filter),
    };
    bounded(client.list_items(&params)).await.expect("200");
    let q: types::ItemFilter =
        serde_json::from_value(json["dataValue"].clone()).expect("the example decodes");
    let params = oas32::SearchItemsJsonParams { q: Some(q) };
    bounded(client.search_items_json(&params))
        .await
        .expect("200");
    let requests = server.finish();
    assert_eq!(
        requests[0].target,
        format!("/items?{}", form["serializedValue"].as_str().expect("text"))
    );
    assert_eq!(
        requests[1].target,
        format!(
            "/items/search?{}",
            json["serializedValue"].as_str().expect("text")
        )
    );
}

#[tokio::test]
async fn the_specifications_own_querystring_examples_are_sent_as_it_shows() {
    // OpenAPI 3.2.0, "Parameter Object" examples: the JSON querystring
    // `{"numbers":[1,2],"flag":null}` is sent as
    // `?%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D`, and the form
    // `{"foo": "a + b", "bar": true}` as `?foo=a+%2B+b&bar=true`.
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let core = apigen_runtime::ClientCore::new(server.base_url(), &[]);
    let json = serde_json::json!({"numbers": [1, 2], "flag": null});
    bounded(
        core.request(apigen_runtime::reqwest::Method::GET)
            .path("/foo")
            .query_string(&apigen_runtime::param::json(&json))
            .send::<()>(),
    )
    .await
    .expect("204");
    let form = serde_json::json!({"foo": "a + b", "bar": true});
    bounded(
        core.request(apigen_runtime::reqwest::Method::GET)
            .path("/foo")
            .query_string_form(&form)
            .send::<()>(),
    )
    .await
    .expect("204");
    let requests = server.finish();
    assert_eq!(
        requests[0].target,
        "/foo?%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D"
    );
    assert_eq!(requests[1].target, "/foo?foo=a+%2B+b&bar=true");
}

#[tokio::test]
async fn item_schema_events_decode_their_data_and_the_marker_ends_them() {
    let stream = at(
        "/paths/~1v1~1chat~1completions/post/responses/200/content/text~1event-stream/examples/twoChunks/serializedValue",
    );
    let server = Server::start([
        Reply::new(200).with_body("text/event-stream", stream.as_str().expect("text"))
    ]);
    let client = client(&server);
    let body = types::ChatRequest {
        model: "m".into(),
        messages: Vec::new(),
        stream: None,
    };
    let mut chunks = bounded(client.create_chat_completion_stream(&body))
        .await
        .expect("200")
        .into_inner();
    let mut text = String::new();
    while let Some(chunk) = chunks.next().await {
        for choice in chunk.expect("a chunk").choices {
            let delta = choice.delta.expect("a delta");
            text.push_str(delta.content.as_deref().unwrap_or_default());
        }
    }
    assert_eq!(text, "Hello");
    let request = server.finish_one();
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    let sent: Value = serde_json::from_str(request.body_text()).expect("JSON");
    assert_eq!(
        sent,
        serde_json::json!({"model": "m", "messages": [], "stream": true})
    );
}

#[tokio::test]
async fn events_of_several_shapes_are_read_as_parsed() {
    let examples = "/paths/~1v1~1messages/post/responses/200/content/text~1event-stream/examples";
    let normal = at(&format!("{examples}/normal/serializedValue"));
    let error = at(&format!("{examples}/inBandError/serializedValue"));
    let server = Server::start([
        Reply::new(200).with_body("text/event-stream", normal.as_str().expect("text")),
        Reply::new(200).with_body("text/event-stream", error.as_str().expect("text")),
    ]);
    let client = client(&server);
    let body = types::ChatRequest {
        model: "m".into(),
        messages: Vec::new(),
        stream: None,
    };
    let mut events = bounded(client.create_message(&body))
        .await
        .expect("200")
        .into_inner();
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.expect("an event");
        seen.push((event.event_type().to_owned(), event.data));
    }
    let types: Vec<&str> = seen.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "message_start",
            "ping",
            "content_block_delta",
            "message_stop"
        ]
    );
    // Two `data` lines are one value, joined by a line feed.
    let delta: Value = serde_json::from_str(&seen[2].1).expect("JSON");
    assert_eq!(delta["delta"]["text"], "Hi");
    let mut events = bounded(client.create_message(&body))
        .await
        .expect("200")
        .into_inner();
    let event = events.next().await.expect("an event").expect("parsed");
    assert_eq!(event.event_type(), "error");
    assert!(events.next().await.is_none());
    server.finish();
}

#[tokio::test]
async fn a_style_cookie_parameter_and_a_referenced_media_type() {
    let events =
        "data: {\"timestamp\":\"2025-09-19T10:00:00Z\",\"level\":2,\"message\":\"up\"}\n\n";
    let server = Server::start([Reply::new(200).with_body("text/event-stream", events)]);
    let client = client(&server);
    let params = oas32::StreamLogsParams {
        session: Some("abc".into()),
        level: Some(2),
    };
    let mut logs = bounded(client.stream_logs(&params))
        .await
        .expect("200")
        .into_inner();
    let entry = logs.next().await.expect("an entry").expect("decodes");
    assert_eq!((entry.level, entry.message.as_str()), (2, "up"));
    let request = server.finish_one();
    assert_eq!(request.target, "/logs?level=2");
    assert_eq!(request.header("cookie"), Some("session=abc"));
}

#[tokio::test]
async fn default_mapping_reads_absent_and_unmapped_tags() {
    let server = Server::start([
        Reply::json(200, r#"{"petType":"cat","name":"Tom"}"#),
        Reply::json(200, r#"{"petType":"bird","name":"Tweety"}"#),
        Reply::json(200, r#"{"name":"Nemo"}"#),
    ]);
    let client = client(&server);
    let mut got = Vec::new();
    for id in 1..=3 {
        got.push(bounded(client.get_pet(id)).await.expect("200").into_inner());
    }
    assert!(matches!(&got[0], types::Pet::Cat(cat) if cat.name == "Tom"));
    for (pet, name) in got[1..].iter().zip(["Tweety", "Nemo"]) {
        match pet {
            types::Pet::OtherPet(other) => assert_eq!(other.name.as_deref(), Some(name)),
            other => panic!("{other:?}"),
        }
    }
    // Written back as it was read: no tag is made up for the default.
    assert_eq!(
        serde_json::to_string(&got[2]).expect("serializes"),
        r#"{"name":"Nemo"}"#
    );
    server.finish();
}

/// The fixture is a valid 3.2 document by the OpenAPI Initiative's own
/// schema (`tests/oas32/`), checked with Ajv: what the tests above rely on
/// is 3.2 as specified, not as apigen reads it.
#[test]
fn the_fixture_is_a_valid_3_2_document() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("../node_modules/ajv").exists() {
        assert!(
            std::env::var_os("APIGEN_REQUIRE_NODE").is_none(),
            "node_modules/ajv is missing: run `npm ci` in the workspace root"
        );
        eprintln!("skipped: node_modules/ajv missing (run `npm ci`, or ./scripts/test)");
        return;
    }
    let validate = |doc: &Value| -> Vec<Value> {
        let mut child = Command::new("node")
            .arg(root.join("oas32/validate.mjs"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(doc.to_string().as_bytes())
            .expect("the document is written");
        drop(stdin);
        let out = child.wait_with_output().expect("node finishes");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("a JSON array")
    };
    let doc = fixture();
    assert_eq!(validate(&doc), Vec::<Value>::new());
    // The oracle can fail: a `POST` under `additionalOperations` is not 3.2.
    let mut wrong = doc;
    wrong["paths"]["/items/{itemId}"]["additionalOperations"]["POST"] =
        serde_json::json!({"responses": {"204": {"description": "done"}}});
    assert!(!validate(&wrong).is_empty());
}
