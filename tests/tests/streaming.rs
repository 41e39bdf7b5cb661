//! Responses read as streams, through the client generated for
//! `fixtures/streaming.yaml` and the loopback server: what is asked for,
//! what each item decodes to, and how other statuses still decode.

use apigen_runtime::Error;
use apigen_tests::calls::bounded;
use apigen_tests::http::{Reply, Server};
use apigen_tests::streaming::{self, types};

fn client(server: &Server) -> streaming::Client {
    streaming::Client::new(server.base_url())
}

#[tokio::test]
async fn a_stream_flag_asks_for_events_and_each_data_decodes() {
    let events = "data: {\"delta\":\"Hel\"}\n\n: keep-alive\n\ndata: {\"delta\":\"lo\"}\r\n\r\ndata: [DONE]\n\n";
    let server = Server::start([Reply::new(200).with_body("text/event-stream", events)]);
    let client = client(&server);
    let body = types::ChatRequest {
        prompt: "hi".into(),
        stream: None,
    };
    let mut chunks = bounded(client.create_chat_completion_stream(&body))
        .await
        .expect("200")
        .into_inner();
    let mut text = String::new();
    while let Some(chunk) = chunks.next().await {
        text.push_str(&chunk.expect("a chunk").delta);
    }
    assert_eq!(text, "Hello");
    let request = server.finish_one();
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    // The caller did not set `stream`; the stream method did.
    assert_eq!(request.body_text(), r#"{"prompt":"hi","stream":true}"#);
}

#[tokio::test]
async fn a_documented_error_still_decodes() {
    let server = Server::start([Reply::json(400, r#"{"message":"no prompt"}"#)]);
    let client = client(&server);
    let body = types::ChatRequest {
        prompt: String::new(),
        stream: None,
    };
    let err = bounded(client.create_chat_completion_stream(&body))
        .await
        .unwrap_err();
    match err {
        Error::Api { status, body, .. } => {
            assert_eq!(status, 400);
            let streaming::CreateChatCompletionError::BadRequest(problem) = body;
            assert_eq!(problem.message.as_deref(), Some("no prompt"));
        }
        other => panic!("{other:?}"),
    }
    server.finish_one();
}

#[tokio::test]
async fn an_event_only_operation_is_a_stream() {
    let events = "id: 1\ndata: {\"id\": 1, \"kind\": \"created\"}\n\nid: 2\ndata: {\"id\": 2}\n\n";
    let server = Server::start([Reply::new(200).with_body("text/event-stream", events)]);
    let client = client(&server);
    let params = streaming::WatchEventsParams {
        since: Some("0".into()),
    };
    let mut changes = bounded(client.watch_events(&params)).await.expect("200");
    let first = changes.next().await.expect("an event").expect("decodes");
    assert_eq!((first.id, first.kind.as_str()), (1, "created"));
    // The second lacks `kind`: an error naming the event, then the end.
    let err = changes.next().await.expect("an event").unwrap_err();
    assert!(
        matches!(&err, Error::DecodeEvent { id: Some(id), path, .. } if id == "2" && path == "$.kind"),
        "{err:?}"
    );
    assert!(changes.next().await.is_none());
    assert_eq!(changes.last_event_id(), Some("2"));
    let request = server.finish_one();
    assert_eq!(request.target, "/events?since=0");
}

#[tokio::test]
async fn json_lines_and_sequences_are_streams_of_items() {
    let lines = "{\"level\":\"info\",\"message\":\"a\"}\n{\"level\":\"warn\",\"message\":\"b\"}\n";
    let seq = "\x1e{\"level\":\"info\",\"message\":\"c\"}\n\x1e{\"level\":\"error\",\n \"message\":\"d\"}\n";
    let server = Server::start([
        Reply::new(200).with_body("application/x-ndjson", lines),
        Reply::new(200).with_body("application/json-seq", seq),
    ]);
    let client = client(&server);
    let mut logs = bounded(client.tail_logs()).await.expect("200").into_inner();
    let mut messages = Vec::new();
    while let Some(entry) = logs.next().await {
        messages.push(entry.expect("decodes").message);
    }
    let mut export = bounded(client.export_logs())
        .await
        .expect("200")
        .into_inner();
    while let Some(entry) = export.next().await {
        messages.push(entry.expect("decodes").message);
    }
    assert_eq!(messages, ["a", "b", "c", "d"]);
    let requests = server.finish();
    assert_eq!(requests[0].header("accept"), Some("application/x-ndjson"));
    assert_eq!(requests[1].header("accept"), Some("application/json-seq"));
}

#[tokio::test]
async fn a_download_can_be_read_as_a_stream() {
    let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let server = Server::start([
        Reply::new(200).with_body("application/octet-stream", file.clone()),
        Reply::json(404, r#"{"message":"gone"}"#),
    ]);
    let client = client(&server);
    let mut body = bounded(client.download_file_stream("f1"))
        .await
        .expect("200")
        .into_inner();
    let mut got = Vec::new();
    while let Some(chunk) = body.next().await {
        got.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(got, file);
    let err = bounded(client.download_file_stream("f2"))
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(apigen_runtime::reqwest::StatusCode::NOT_FOUND)
    );
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    server.finish();
}

#[tokio::test]
async fn an_upload_is_read_from_a_file_as_it_is_sent() {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 239) as u8).collect();
    let dir = std::env::temp_dir().join(format!("apigen-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("payload.bin");
    std::fs::write(&path, &data).expect("write");
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = client(&server);
    let file = tokio::fs::File::open(&path).await.expect("open");
    let len = file.metadata().await.expect("metadata").len();
    let upload = apigen_runtime::upload::Upload::from_reader(file, Some(len));
    bounded(client.upload_file("f1", upload))
        .await
        .expect("204");
    // Bytes already in memory still work.
    bounded(client.upload_file("f2", b"small".to_vec()))
        .await
        .expect("204");
    let requests = server.finish();
    assert_eq!(requests[0].target, "/files/f1");
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(requests[0].header("content-length"), Some("300000"));
    assert_eq!(requests[0].body, data);
    assert_eq!(requests[1].body, b"small");
    std::fs::remove_dir_all(&dir).ok();
}
