//! Request bodies sent as they are read, never held whole in memory:
//! [`Upload`] is bytes already in memory, or a file or any async reader,
//! or a stream of chunks, each with a known or unknown length (a known one
//! is sent as `Content-Length`, an unknown one chunked).
//!
//! ```no_run
//! # async fn f(client: &apigen_runtime::ClientCore) -> Result<(), Box<dyn std::error::Error>> {
//! use apigen_runtime::upload::Upload;
//! # let path = "video.mp4";
//! let file = tokio::fs::File::open(path).await?;
//! let len = file.metadata().await?.len();
//! let body = Upload::from_reader(file, Some(len));
//! # let _ = body; Ok(()) }
//! ```
//!
//! A streamed body can be sent once: a request carrying one is not retried
//! (a failed attempt is returned as it is), and a `307` / `308` redirect,
//! which would need the body again, is returned instead of followed.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

/// How many bytes a reader is asked for at a time.
const READ_CHUNK: usize = 64 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A request body (see the [module doc](self)).
pub struct Upload {
    source: Source,
    len: Option<u64>,
}

enum Source {
    Bytes(Bytes),
    Reader(Pin<Box<dyn AsyncRead + Send>>),
    Stream(ChunkStream),
    /// Several bodies one after the other (a multipart body's parts).
    Chain(Vec<Upload>),
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::Reader(_) => "reader",
            Source::Stream(_) => "stream",
            Source::Chain(_) => "chain",
        };
        f.debug_struct("Upload")
            .field("kind", &kind)
            .field("len", &self.len)
            .finish()
    }
}

impl Upload {
    /// A body read from `reader` (a `tokio::fs::File`, a socket, …) as it
    /// is sent; `len`, if known, is sent as `Content-Length` (then the
    /// reader must give exactly that many bytes).
    pub fn from_reader(reader: impl AsyncRead + Send + 'static, len: Option<u64>) -> Self {
        Upload {
            source: Source::Reader(Box::pin(reader)),
            len,
        }
    }

    /// A body made of the chunks of `stream` as they come; `len`, if known,
    /// is sent as `Content-Length`.
    pub fn from_stream<S, E>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Upload {
            source: Source::Stream(Box::pin(MapErr(Box::pin(stream)))),
            len,
        }
    }

    /// Bodies sent one after the other; the length is known when theirs are.
    pub(crate) fn chain(parts: Vec<Upload>) -> Self {
        let len = parts.iter().try_fold(0u64, |sum, p| p.len.map(|n| sum + n));
        Upload {
            source: Source::Chain(parts),
            len,
        }
    }

    /// The length, if known.
    pub fn len(&self) -> Option<u64> {
        self.len
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len == Some(0)
    }

    /// The bytes, if the body is in memory.
    pub(crate) fn as_bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The body for `reqwest`.
    pub(crate) fn into_reqwest(self) -> reqwest::Body {
        match self.source {
            Source::Bytes(b) => reqwest::Body::from(b),
            source => reqwest::Body::wrap(UploadBody {
                state: Mutex::new(Reading {
                    pending: vec![Upload {
                        source,
                        len: self.len,
                    }],
                    buf: Vec::new(),
                }),
                len: self.len,
            }),
        }
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload {
            len: Some(bytes.len() as u64),
            source: Source::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::from(Bytes::from_static(bytes))
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::from(Bytes::from(text))
    }
}

/// A stream with its errors boxed (the stream boxed too, so this is
/// `Unpin` and needs no pin projection).
struct MapErr<S>(Pin<Box<S>>);

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(Into::into)))
    }
}

/// What is left to send.
struct Reading {
    /// Bodies still to read, the current one last.
    pending: Vec<Upload>,
    buf: Vec<u8>,
}

/// An [`Upload`] as an `http_body::Body`.
struct UploadBody {
    /// `Mutex` for `Sync`, which `reqwest::Body::wrap` asks for; only ever
    /// locked by the one task polling the body.
    state: Mutex<Reading>,
    len: Option<u64>,
}

impl http_body::Body for UploadBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let state = self
            .get_mut()
            .state
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loop {
            let Some(current) = state.pending.last_mut() else {
                return Poll::Ready(None);
            };
            match &mut current.source {
                Source::Bytes(bytes) => {
                    let bytes = std::mem::take(bytes);
                    state.pending.pop();
                    if !bytes.is_empty() {
                        return Poll::Ready(Some(Ok(Frame::data(bytes))));
                    }
                }
                Source::Chain(parts) => {
                    let mut parts = std::mem::take(parts);
                    state.pending.pop();
                    parts.reverse();
                    state.pending.extend(parts);
                }
                Source::Stream(stream) => match stream.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => {
                        state.pending.pop();
                    }
                    Poll::Ready(Some(Ok(chunk))) => {
                        if !chunk.is_empty() {
                            return Poll::Ready(Some(Ok(Frame::data(chunk))));
                        }
                    }
                    Poll::Ready(Some(Err(e))) => {
                        return Poll::Ready(Some(Err(io::Error::other(e))));
                    }
                },
                Source::Reader(reader) => {
                    state.buf.resize(READ_CHUNK, 0);
                    let mut read = ReadBuf::new(&mut state.buf);
                    match reader.as_mut().poll_read(cx, &mut read) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                        Poll::Ready(Ok(())) => {
                            let n = read.filled().len();
                            if n == 0 {
                                state.pending.pop();
                            } else {
                                let chunk = Bytes::copy_from_slice(&state.buf[..n]);
                                return Poll::Ready(Some(Ok(Frame::data(chunk))));
                            }
                        }
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self.len {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}
