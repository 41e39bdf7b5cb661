//! A tiny scripted HTTP/1.1 server on loopback, for testing generated clients.
//!
//! [`Server::start`] binds `127.0.0.1:0` and answers each incoming connection
//! with the next scripted [`Reply`], recording what it received as a
//! [`Recorded`] request: the method, the raw request target (path and query,
//! exactly as sent, so percent-encoding can be checked), the headers (names
//! lowercased, in the order received) and the body bytes (read according to
//! `Content-Length`). Every reply carries `Connection: close`, so each request
//! arrives on its own connection.
//!
//! A reply can also script a fault ([`Fault`]): a connection reset, a
//! connection closed without an answer, a body cut short, or a response sent
//! only after a delay.
//!
//! Everything is bounded so that a test can never hang: the server stops by
//! itself after [`Server::LIFETIME`], reads and writes on a connection time
//! out after [`Server::IO_TIMEOUT`], and a request head or body larger than
//! [`Server::MAX_REQUEST_BYTES`] is refused.
//!
//! The server runs on a plain OS thread (only `std` is used), so it works with
//! any async runtime, including a current-thread Tokio runtime whose only
//! thread is busy awaiting the client.
//!
//! ```no_run
//! use apigen_tests::http::{Reply, Server};
//!
//! let server = Server::start([Reply::json(200, r#"{"ok":true}"#)]);
//! // ... point a client at `server.base_url()` and call it ...
//! let request = server.finish_one();
//! assert_eq!(request.method, "PATCH");
//! ```

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A scripted HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers, sent in this order after `Content-Length` and `Connection`.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// A fault to script instead of (or on top of) a plain answer.
    pub fault: Option<Fault>,
}

/// A misbehaving server, scripted per connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Once the request has arrived, reset the connection (TCP RST) without
    /// reading or answering it. The request is not recorded.
    Reset,
    /// Read the request, then close the connection without answering.
    Close,
    /// Send the head (with the full `Content-Length`) and only this many
    /// body bytes, then close the connection.
    Truncate(usize),
    /// Read the request, wait this long, then answer. A client that has
    /// given up by then is not a problem.
    Delay(std::time::Duration),
}

impl Reply {
    /// A response with `status` and an empty body.
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            fault: None,
        }
    }

    /// A connection reset as soon as the request arrives ([`Fault::Reset`]).
    pub fn reset() -> Self {
        Reply::new(500).with_fault(Fault::Reset)
    }

    /// A connection closed without an answer ([`Fault::Close`]).
    pub fn close() -> Self {
        Reply::new(500).with_fault(Fault::Close)
    }

    /// Scripts `fault` for this reply.
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// A response with `status` and an `application/json` body.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status).with_body("application/json", body)
    }

    /// A response with `status` and a `text/plain; charset=utf-8` body.
    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status).with_body("text/plain; charset=utf-8", body)
    }

    /// Sets the body and its `Content-Type`.
    pub fn with_body(self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut reply = self.with_header("Content-Type", content_type);
        reply.body = body.into();
        reply
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The response as bytes on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            reason_phrase(self.status),
            self.body.len()
        );
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Scripted",
    }
}

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The method, e.g. `PATCH`.
    pub method: String,
    /// The request target exactly as sent: path and query, still
    /// percent-encoded (e.g. `/connectors/a%2Fb?x=1`).
    pub target: String,
    /// The protocol version from the request line, e.g. `HTTP/1.1`.
    pub version: String,
    /// Header names lowercased, values trimmed, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty if there was no body).
    pub body: Vec<u8>,
}

impl Recorded {
    /// All values of header `name` (give it lowercased), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of header `name` (give it lowercased), if present.
    ///
    /// Panics if the header was sent more than once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let values = self.header_values(name);
        assert!(
            values.len() <= 1,
            "header {name} was sent {} times: {values:?}",
            values.len()
        );
        values.first().copied()
    }

    /// The header names, in the order received.
    pub fn header_names(&self) -> Vec<&str> {
        self.headers.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The path part of the target (before any `?`), still percent-encoded.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    /// The query part of the target (after the first `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The body as UTF-8 text. Panics if it is not UTF-8.
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("the request body is not UTF-8")
    }

    /// The body parsed as JSON. Panics if it is not JSON.
    pub fn body_json(&self) -> apigen_runtime::serde_json::Value {
        apigen_runtime::serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the request body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

#[derive(Default)]
struct State {
    recorded: Vec<Recorded>,
    /// Connections seen, including ones that could not be parsed.
    connections: usize,
    problems: Vec<String>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A scripted loopback HTTP/1.1 server; see the [module docs](self).
///
/// Dropping it stops the server thread. Use [`Server::finish`] (or
/// [`Server::finish_one`], [`Server::assert_nothing_received`]) to stop it
/// and check what it received.
pub struct Server {
    base_url: String,
    stop: Arc<AtomicBool>,
    state: Arc<Mutex<State>>,
    scripted: usize,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("base_url", &self.base_url)
            .field("scripted", &self.scripted)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// The server stops accepting connections this long after it started.
    pub const LIFETIME: Duration = Duration::from_secs(30);
    /// Read and write timeout on each connection.
    pub const IO_TIMEOUT: Duration = Duration::from_secs(5);
    /// Largest request (head plus body) the server accepts.
    pub const MAX_REQUEST_BYTES: usize = 1 << 20;

    /// Starts a server that answers the n-th connection with the n-th reply.
    ///
    /// A connection beyond the scripted replies is answered with `500` and
    /// reported as a problem by [`Server::finish`].
    pub fn start(replies: impl IntoIterator<Item = Reply>) -> Self {
        let replies: Vec<Reply> = replies.into_iter().collect();
        Server::start_with(move |_| replies)
    }

    /// Like [`Server::start`], with replies made knowing the server's base
    /// URL (`http://127.0.0.1:<port>`): for replies that link back to it.
    pub fn start_with(replies: impl FnOnce(&str) -> Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let replies = replies(&format!("http://{addr}"));
        listener
            .set_nonblocking(true)
            .expect("make the listener non-blocking");
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new(Mutex::new(State::default()));
        let scripted = replies.len();
        let thread = {
            let stop = Arc::clone(&stop);
            let state = Arc::clone(&state);
            std::thread::Builder::new()
                .name(format!("loopback-http-{}", addr.port()))
                .spawn(move || serve(listener, replies, &stop, &state))
                .expect("spawn the server thread")
        };
        Server {
            base_url: format!("http://{addr}"),
            stop,
            state,
            scripted,
            thread: Some(thread),
        }
    }

    /// A server with no scripted replies: any connection is a problem.
    pub fn silent() -> Self {
        Server::start([])
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base URL followed by `path` (e.g. `"/v0"`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The number of connections accepted so far.
    pub fn connections(&self) -> usize {
        lock(&self.state).connections
    }

    /// Stops the server and returns the requests it received, in order.
    ///
    /// Panics if a request could not be read or parsed, or if more
    /// connections arrived than replies were scripted.
    pub fn finish(mut self) -> Vec<Recorded> {
        self.shut_down();
        let mut state = lock(&self.state);
        assert!(
            state.problems.is_empty(),
            "the loopback server saw problems: {:#?}",
            state.problems
        );
        std::mem::take(&mut state.recorded)
    }

    /// Stops the server and returns the single request it received.
    ///
    /// Panics unless exactly one request arrived.
    pub fn finish_one(self) -> Recorded {
        let mut recorded = self.finish();
        assert_eq!(
            recorded.len(),
            1,
            "expected exactly one request, got {recorded:#?}"
        );
        recorded.remove(0)
    }

    /// Waits briefly for a stray connection, stops the server and panics if
    /// any connection was made.
    pub fn assert_nothing_received(self) {
        std::thread::sleep(Duration::from_millis(100));
        let connections = self.connections();
        let recorded = self.finish();
        assert!(
            connections == 0 && recorded.is_empty(),
            "expected no connection, got {connections}: {recorded:#?}"
        );
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                lock(&self.state)
                    .problems
                    .push("the server thread panicked".to_owned());
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn serve(listener: TcpListener, replies: Vec<Reply>, stop: &AtomicBool, state: &Mutex<State>) {
    let deadline = Instant::now() + Server::LIFETIME;
    let mut replies = replies.into_iter();
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            }
            Err(e) => {
                lock(state).problems.push(format!("accept failed: {e}"));
                return;
            }
        };
        let index = {
            let mut state = lock(state);
            state.connections += 1;
            state.connections
        };
        let reply = replies.next();
        if let Err(problem) = handle(stream, reply.as_ref(), state) {
            lock(state)
                .problems
                .push(format!("connection #{index}: {problem}"));
        }
        if reply.is_none() {
            lock(state).problems.push(format!(
                "connection #{index} arrived but no reply was scripted for it"
            ));
        }
    }
}

fn handle(
    mut stream: TcpStream,
    reply: Option<&Reply>,
    state: &Mutex<State>,
) -> Result<(), String> {
    stream
        .set_nonblocking(false)
        .and_then(|()| stream.set_read_timeout(Some(Server::IO_TIMEOUT)))
        .and_then(|()| stream.set_write_timeout(Some(Server::IO_TIMEOUT)))
        .map_err(|e| format!("configuring the connection: {e}"))?;
    let fault = reply.and_then(|r| r.fault);
    if fault == Some(Fault::Reset) {
        // Closing a socket with unread data in its receive buffer makes the
        // kernel send RST instead of FIN.
        let mut byte = [0u8; 1];
        stream
            .peek(&mut byte)
            .map_err(|e| format!("waiting for the request: {e}"))?;
        drop(stream);
        return Ok(());
    }
    let recorded = read_request(&mut stream)?;
    // Record before replying: once the client has the response, the request
    // is visible to the test.
    lock(state).recorded.push(recorded);
    let fallback;
    let reply = match reply {
        Some(reply) => reply,
        None => {
            fallback = Reply::text(500, "no reply scripted for this request");
            &fallback
        }
    };
    let mut bytes = reply.to_bytes();
    match fault {
        Some(Fault::Close) => return Ok(()),
        Some(Fault::Truncate(keep)) => {
            let cut = bytes.len() - reply.body.len() + keep.min(reply.body.len());
            bytes.truncate(cut);
        }
        Some(Fault::Delay(delay)) => {
            std::thread::sleep(delay);
            // The client may have timed out and gone: not a problem.
            let _ = stream.write_all(&bytes).and_then(|()| stream.flush());
            return Ok(());
        }
        Some(Fault::Reset) | None => {}
    }
    stream
        .write_all(&bytes)
        .and_then(|()| stream.flush())
        .map_err(|e| format!("writing the response: {e}"))?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    Ok(())
}

fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>, what: &str) -> Result<(), String> {
    let mut chunk = [0u8; 8192];
    let n = stream
        .read(&mut chunk)
        .map_err(|e| format!("reading the {what}: {e}"))?;
    if n == 0 {
        return Err(format!(
            "the client closed the connection before the end of the {what} (got {} bytes: {:?})",
            buf.len(),
            String::from_utf8_lossy(buf)
        ));
    }
    buf.extend_from_slice(&chunk[..n]);
    if buf.len() > Server::MAX_REQUEST_BYTES {
        return Err(format!(
            "the request is larger than {} bytes",
            Server::MAX_REQUEST_BYTES
        ));
    }
    Ok(())
}

fn read_request(stream: &mut TcpStream) -> Result<Recorded, String> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        read_more(stream, &mut buf, "request head")?;
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| "the request head is not UTF-8".to_owned())?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line {request_line:?}"));
    };
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("malformed header line {line:?}"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && !v.eq_ignore_ascii_case("identity"))
    {
        return Err("chunked request bodies are not supported by this test server".to_owned());
    }
    let lengths: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .map(|(_, v)| v.as_str())
        .collect();
    let length = match lengths.as_slice() {
        [] => 0,
        [one] => one
            .parse::<usize>()
            .map_err(|_| format!("bad Content-Length {one:?}"))?,
        several => return Err(format!("several Content-Length headers: {several:?}")),
    };
    if length > Server::MAX_REQUEST_BYTES {
        return Err(format!("Content-Length {length} is too large"));
    }
    let (method, target, version) = (method.to_owned(), target.to_owned(), version.to_owned());
    let mut body = buf.split_off(head_end + 4);
    while body.len() < length {
        read_more(stream, &mut body, "request body")?;
    }
    if body.len() > length {
        return Err(format!(
            "{} bytes arrived after the {length}-byte body",
            body.len() - length
        ));
    }
    Ok(Recorded {
        method,
        target,
        version,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_raw(base: &str, raw: &[u8]) -> String {
        let addr = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Server::IO_TIMEOUT)).unwrap();
        stream.write_all(raw).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    }

    #[test]
    fn records_requests_and_replies_in_order() {
        let server = Server::start([
            Reply::json(201, r#"{"a":1}"#).with_header("X-Request-Id", "r-1"),
            Reply::text(503, "down"),
        ]);
        let first = send_raw(
            server.base_url(),
            b"PATCH /a%2Fb?q=1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\nContent-Length: 5\r\n\r\nhello",
        );
        assert!(first.starts_with("HTTP/1.1 201 Created\r\n"), "{first}");
        assert!(first.contains("X-Request-Id: r-1\r\n"), "{first}");
        assert!(first.ends_with(r#"{"a":1}"#), "{first}");
        let second = send_raw(server.base_url(), b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(second.starts_with("HTTP/1.1 503 "), "{second}");
        assert!(second.ends_with("down"), "{second}");

        let recorded = server.finish();
        assert_eq!(recorded.len(), 2);
        let r = &recorded[0];
        assert_eq!(r.method, "PATCH");
        assert_eq!(r.target, "/a%2Fb?q=1");
        assert_eq!(r.path(), "/a%2Fb");
        assert_eq!(r.query(), Some("q=1"));
        assert_eq!(r.version, "HTTP/1.1");
        assert_eq!(r.header("x-api-key"), Some("k"));
        assert_eq!(r.header_names(), ["host", "x-api-key", "content-length"]);
        assert_eq!(r.body, b"hello");
        assert_eq!(recorded[1].body, b"");
        assert_eq!(recorded[1].query(), None);
    }

    #[test]
    #[should_panic(expected = "no reply was scripted")]
    fn unscripted_connection_is_a_problem() {
        let server = Server::silent();
        let response = send_raw(server.base_url(), b"GET / HTTP/1.1\r\n\r\n");
        assert!(response.starts_with("HTTP/1.1 500 "), "{response}");
        server.finish();
    }

    #[test]
    fn silent_server_with_no_connection() {
        Server::silent().assert_nothing_received();
    }
}
