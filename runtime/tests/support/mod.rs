//! A tiny HTTP/1.1 server on loopback for the runtime's end-to-end tests:
//! it captures each request exactly as received and answers as told.

#![allow(dead_code)] // each test file uses its own part of it

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server saw it.
#[derive(Debug)]
pub struct Captured {
    pub method: String,
    pub target: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let values = self.header_values(name);
        assert!(values.len() <= 1, "several {name} headers: {values:?}");
        values.first().copied()
    }
}

/// A scripted HTTP/1.1 response.
pub fn reply(status: &str, extra_headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra_headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

pub fn json_reply(status: &str, body: &str) -> Vec<u8> {
    reply(status, &[("Content-Type", "application/json")], body)
}

pub async fn read_request(stream: &mut TcpStream) -> Captured {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("read request");
        assert!(
            n > 0,
            "connection closed before the end of the request head"
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).expect("UTF-8 head");
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().expect("request line").split(' ');
    let method = request_line.next().expect("method").to_owned();
    let target = request_line.next().expect("target").to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().expect("content-length"));
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("read body");
        assert!(n > 0, "connection closed before the end of the body");
        body.extend_from_slice(&chunk[..n]);
    }
    Captured {
        method,
        target,
        headers,
        body,
    }
}

/// A server answering every connection with `handler`, concurrently, until
/// dropped; every request it saw is kept, in the order they arrived.
pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub async fn start<F>(handler: F) -> Server
    where
        F: Fn(&Captured) -> Vec<u8> + Send + Sync + 'static,
    {
        Server::start_slow("\u{0}", Duration::ZERO, handler).await
    }

    /// Like [`Server::start`], answering requests whose target starts with
    /// `prefix` only after `delay`, so that concurrent callers overlap.
    pub async fn start_slow<F>(prefix: &'static str, delay: Duration, handler: F) -> Server
    where
        F: Fn(&Captured) -> Vec<u8> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let log = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let request = read_request(&mut stream).await;
                    if request.target.starts_with(prefix) {
                        tokio::time::sleep(delay).await;
                    }
                    let response = handler(&request);
                    log.lock().expect("log").push(request);
                    stream.write_all(&response).await.ok();
                    stream.shutdown().await.ok();
                });
            }
        });
        Server { base, seen, task }
    }

    /// The requests seen so far whose target starts with `prefix`.
    pub fn seen(&self, prefix: &str) -> Vec<(String, Option<String>, String)> {
        self.seen
            .lock()
            .expect("log")
            .iter()
            .filter(|c| c.target.starts_with(prefix))
            .map(|c| {
                (
                    c.target.clone(),
                    c.header("authorization").map(str::to_owned),
                    String::from_utf8_lossy(&c.body).into_owned(),
                )
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}
