//! Streamed response bodies end to end, against a loopback server that
//! writes its response in parts, with pauses, and without `Content-Length`
//! (the body ends when the connection closes), as event streams and large
//! downloads arrive.

use std::time::Duration;

use apigen_runtime::reqwest::Method;
use apigen_runtime::seq::Framing;
use apigen_runtime::{ClientCore, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

type E = ();

/// Serves one connection: reads the request head, then writes `head` and
/// each of `parts` with a short pause between them, then closes.
async fn serve(head: &'static str, parts: Vec<Vec<u8>>) -> (String, JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut buf = Vec::new();
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let mut chunk = [0u8; 1024];
            let n = stream.read(&mut chunk).await.expect("read");
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        stream.write_all(head.as_bytes()).await.expect("write head");
        let mut written = 0;
        for part in parts {
            tokio::time::sleep(Duration::from_millis(5)).await;
            if stream.write_all(&part).await.is_err() {
                break; // the client stopped reading
            }
            written += part.len();
        }
        stream.shutdown().await.ok();
        written
    });
    (base, task)
}

const SSE_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Delta {
    n: u32,
}

#[tokio::test]
async fn events_arrive_typed_split_anywhere_and_end_at_done() {
    let stream: &[u8] = b": keep-alive\r\n\r\nevent: delta\r\ndata: {\"n\":\r\ndata: 1}\r\n\r\n\
                          id: 2\ndata: {\"n\": 2}\n\ndata: {\"oops\n\ndata: {\"n\": 3}\n\n\
                          data: [DONE]\n\ndata: {\"n\": 4}\n\n";
    // Parts cut in the middle of lines, of CRLFs and of the marker.
    let cuts = [3, 20, 31, 44, 45, 70, 100, 120];
    let mut parts = Vec::new();
    let mut at = 0;
    for cut in cuts.into_iter().chain([stream.len()]) {
        parts.push(stream[at..cut].to_vec());
        at = cut;
    }
    let (base, server) = serve(SSE_HEAD, parts).await;
    let core = ClientCore::new(base, &[]);
    let response = core
        .request(Method::GET)
        .send_streaming::<E>()
        .await
        .expect("head");
    assert_eq!(response.status(), 200);
    let mut events = response.into_events::<Delta, E>();
    assert_eq!(events.next().await.unwrap().unwrap(), Delta { n: 1 });
    assert_eq!(events.next().await.unwrap().unwrap(), Delta { n: 2 });
    assert_eq!(events.last_event_id(), Some("2"));
    // A bad event is an error naming it; the stream goes on.
    let err = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::DecodeEvent { event, id, data, .. }
            if event == "message" && id.as_deref() == Some("2") && data == "{\"oops"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("could not decode event `message` (id \"2\")"),
        "{err}"
    );
    assert_eq!(events.next().await.unwrap().unwrap(), Delta { n: 3 });
    // `[DONE]` ends it: what follows is not read as an event.
    assert!(events.next().await.is_none());
    assert!(events.next().await.is_none());
    server.await.expect("server");
}

#[tokio::test]
async fn json_lines_arrive_typed() {
    let parts = vec![
        b"{\"n\":1}\r\n{\"n".to_vec(),
        b"\":2}\n\nnot json\n".to_vec(),
        b"{\"n\":3}".to_vec(),
    ];
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n";
    let (base, server) = serve(head, parts).await;
    let core = ClientCore::new(base, &[]);
    let mut items = core
        .request(Method::GET)
        .send_streaming::<E>()
        .await
        .expect("head")
        .into_json_seq::<Delta, E>(Framing::Lines);
    let mut got = Vec::new();
    while let Some(item) = items.next().await {
        got.push(item.map_err(|e| e.raw_body().cloned()));
    }
    assert_eq!(
        got,
        [
            Ok(Delta { n: 1 }),
            Ok(Delta { n: 2 }),
            Err(Some(bytes::Bytes::from_static(b"not json"))),
            Ok(Delta { n: 3 }),
        ]
    );
    server.await.expect("server");
}

/// Reads an event stream served in `parts` to its end: each event's data,
/// or its error's text.
async fn events_of(parts: Vec<Vec<u8>>) -> Vec<Result<Delta, String>> {
    let (base, server) = serve(SSE_HEAD, parts).await;
    let response = ClientCore::new(base, &[])
        .request(Method::GET)
        .send_streaming::<E>()
        .await
        .expect("head");
    let mut events = response.into_events::<Delta, E>();
    let mut out = Vec::new();
    while let Some(event) = events.next().await {
        out.push(event.map_err(|e| e.to_string()));
    }
    server.await.expect("server");
    out
}

/// The same stream cut in two at every byte position, and sent one byte at
/// a time, each over a connection: the events never change.
#[tokio::test]
async fn events_are_the_same_wherever_the_stream_is_cut() {
    let stream: &[u8] = b"\xEF\xBB\xBF: hi\r\n\r\nevent: delta\r\ndata: {\"n\":\r\ndata: 1}\r\r\
                          id: 7\ndata: {\"n\": \"\xc3\xa9\"}\n\nretry: 10\ndata: {\"n\": 3}\n\n\
                          data: [DONE]\r\n\r\n";
    let whole = events_of(vec![stream.to_vec()]).await;
    assert_eq!(whole.len(), 3, "{whole:?}");
    assert_eq!(whole[0], Ok(Delta { n: 1 }));
    assert!(
        whole[1].as_ref().is_err_and(|e| e.contains("id \"7\"")),
        "{whole:?}"
    );
    assert_eq!(whole[2], Ok(Delta { n: 3 }));
    for cut in 1..stream.len() {
        let parts = vec![stream[..cut].to_vec(), stream[cut..].to_vec()];
        assert_eq!(events_of(parts).await, whole, "cut at byte {cut}");
    }
    let bytes = stream.iter().map(|b| vec![*b]).collect();
    assert_eq!(events_of(bytes).await, whole, "one byte at a time");
}

#[tokio::test]
async fn a_download_past_the_size_limit_stops_mid_stream() {
    const PART: usize = 64 * 1024;
    let parts: Vec<Vec<u8>> = (0..64).map(|i| vec![i as u8; PART]).collect(); // 4 MiB
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
    let (base, server) = serve(head, parts).await;
    let mut core = ClientCore::new(base, &[]);
    core.set_max_response_bytes(Some(256 * 1024));
    let mut body = core
        .request(Method::GET)
        .send_streaming::<E>()
        .await
        .expect("head")
        .into_bytes::<E>();
    let mut kept = 0;
    let err = loop {
        match body.next().await {
            Some(Ok(chunk)) => kept += chunk.len(),
            Some(Err(e)) => break e,
            None => panic!("the whole body was read"),
        }
    };
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 262_144, .. }),
        "{err:?}"
    );
    assert!(kept <= 256 * 1024, "{kept} bytes handed out");
    assert!(
        body.next().await.is_none(),
        "the stream ends after the error"
    );
    drop(body);
    // The client stopped reading: the server could not write it all.
    let written = server.await.expect("server");
    assert!(written < 4 * 1024 * 1024, "{written} bytes written");
}

#[tokio::test]
async fn a_whole_body_is_still_one_read() {
    let parts = vec![b"[1,".to_vec(), b"2]".to_vec()];
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
    let (base, server) = serve(head, parts).await;
    let core = ClientCore::new(base, &[]);
    let response = core
        .request(Method::GET)
        .send_streaming::<E>()
        .await
        .expect("head")
        .into_response::<E>()
        .await
        .expect("body");
    assert_eq!(response.json::<Vec<u8>, E>().expect("json"), [1, 2]);
    server.await.expect("server");
}
