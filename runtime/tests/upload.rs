//! Bodies sent as they are read ([`apigen_runtime::upload`]), end to end
//! against a loopback server that reads `Content-Length` and chunked
//! bodies: what arrives, and that such a body is sent once.

use std::io::Cursor;

use apigen_runtime::body::{FilePart, Multipart};
use apigen_runtime::reqwest::Method;
use apigen_runtime::upload::Upload;
use apigen_runtime::{ClientCore, RetryPolicy};
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type E = ();

/// A request as received: head lines and the body (de-chunked).
#[derive(Debug)]
struct Got {
    head: String,
    body: Vec<u8>,
}

impl Got {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

async fn read_exact(stream: &mut TcpStream, buf: &mut Vec<u8>, n: usize) {
    while buf.len() < n {
        let mut chunk = vec![0u8; 64 * 1024];
        let read = stream.read(&mut chunk).await.expect("read");
        assert!(read > 0, "closed early");
        buf.extend_from_slice(&chunk[..read]);
    }
}

async fn read_request(stream: &mut TcpStream) -> Got {
    let mut buf = Vec::new();
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let len = buf.len();
        read_exact(stream, &mut buf, len + 1).await;
    };
    let head = String::from_utf8(buf[..end].to_vec()).expect("UTF-8 head");
    let mut rest = buf[end + 4..].to_vec();
    let got = Got {
        head,
        body: Vec::new(),
    };
    let body = if let Some(n) = got.header("content-length") {
        let n: usize = n.parse().expect("a length");
        read_exact(stream, &mut rest, n).await;
        rest.truncate(n);
        rest
    } else if got.header("transfer-encoding").as_deref() == Some("chunked") {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
                    break i;
                }
                let len = rest.len();
                read_exact(stream, &mut rest, len + 1).await;
            };
            let size = usize::from_str_radix(
                std::str::from_utf8(&rest[..line_end])
                    .expect("a size")
                    .trim(),
                16,
            )
            .expect("hex size");
            rest.drain(..line_end + 2);
            read_exact(stream, &mut rest, size + 2).await;
            body.extend_from_slice(&rest[..size]);
            rest.drain(..size + 2);
            if size == 0 {
                break body;
            }
        }
    } else {
        Vec::new()
    };
    Got { body, ..got }
}

/// Serves `replies` one connection each; returns what arrived.
async fn serve(replies: Vec<&'static str>) -> (String, tokio::task::JoinHandle<Vec<Got>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let mut got = Vec::new();
        for reply in replies {
            let (mut stream, _) = listener.accept().await.expect("accept");
            got.push(read_request(&mut stream).await);
            stream.write_all(reply.as_bytes()).await.ok();
            stream.shutdown().await.ok();
        }
        got
    });
    (base, task)
}

const OK: &str = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn a_reader_with_a_length_is_sent_with_content_length() {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let (base, server) = serve(vec![OK]).await;
    let core = ClientCore::new(base, &[]);
    let body = Upload::from_reader(Cursor::new(data.clone()), Some(data.len() as u64));
    core.request(Method::PUT)
        .upload("application/octet-stream", body)
        .send::<E>()
        .await
        .expect("204");
    let got = server.await.expect("server").remove(0);
    assert_eq!(got.header("content-length"), Some("300000".to_owned()));
    assert_eq!(
        got.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(got.body, data);
}

#[tokio::test]
async fn a_stream_of_unknown_length_is_sent_chunked() {
    struct Chunks(Vec<Bytes>);
    impl futures_core::Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let this = self.get_mut();
            std::task::Poll::Ready((!this.0.is_empty()).then(|| Ok(this.0.remove(0))))
        }
    }
    let (base, server) = serve(vec![OK]).await;
    let core = ClientCore::new(base, &[]);
    let chunks = Chunks(vec![
        Bytes::from_static(b"first,"),
        Bytes::new(),
        Bytes::from_static(b"second"),
    ]);
    core.request(Method::POST)
        .upload("text/plain", Upload::from_stream(chunks, None))
        .send::<E>()
        .await
        .expect("204");
    let got = server.await.expect("server").remove(0);
    assert_eq!(got.header("transfer-encoding").as_deref(), Some("chunked"));
    assert_eq!(got.body, b"first,second");
}

#[tokio::test]
async fn a_multipart_file_part_is_read_as_it_is_sent_once() {
    let (base, server) = serve(vec![OK]).await;
    let core = ClientCore::new(base, &[]);
    let file = FilePart::from_upload(Upload::from_reader(
        Cursor::new(b"PNG-DATA".to_vec()),
        Some(8),
    ))
    .with_file_name("cat.png");
    let mut form = Multipart::new();
    form.value("title", "A cat");
    form.file("photo", &file, "image/png");
    let again = form.clone();
    core.request(Method::POST)
        .multipart(form)
        .send::<E>()
        .await
        .expect("204");
    let got = server.await.expect("server").remove(0);
    let ct = got.header("content-type").expect("a content type");
    let boundary = ct.split("boundary=").nth(1).expect("a boundary");
    let text = String::from_utf8(got.body.clone()).expect("text");
    assert_eq!(
        got.header("content-length"),
        Some(got.body.len().to_string())
    );
    assert_eq!(
        text,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA cat\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"cat.png\"\r\n\
             Content-Type: image/png\r\n\r\nPNG-DATA\r\n--{boundary}--\r\n"
        )
    );
    // The file was read: sending the same form again is refused.
    let err = core
        .request(Method::POST)
        .multipart(again)
        .send::<E>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("sent already"), "{err}");
}

#[tokio::test]
async fn a_streamed_body_is_neither_retried_nor_sent_again_on_307() {
    let (base, server) = serve(vec![
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: /again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ])
    .await;
    let core = ClientCore::new(base, &[])
        .with_http_client(ClientCore::http_client_builder().build().expect("a client"));
    let mut core = core;
    core.set_retry_policy(RetryPolicy::default().retry_all_methods(true));
    let response = core
        .request(Method::PUT)
        .upload(
            "text/plain",
            Upload::from_reader(Cursor::new(b"once".to_vec()), None),
        )
        .send::<E>()
        .await
        .expect("the redirect itself");
    assert_eq!(response.status(), 307);
    let got = server.await.expect("server");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body, b"once");
}
