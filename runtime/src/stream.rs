//! Response bodies read as they arrive: [`StreamingResponse`] (the head of
//! a response whose body is still to be read), [`ByteStream`] (its body in
//! chunks), [`EventStream`] (server-sent events, each `data` decoded as
//! JSON), [`RawEventStream`] (the events as parsed) and [`JsonStream`] (JSON Lines, NDJSON, JSON text sequences).
//!
//! Each is a [`futures_core::Stream`] and has an inherent `next()` method,
//! so a loop needs no other crate:
//!
//! ```no_run
//! # async fn f(mut events: apigen_runtime::stream::EventStream<serde_json::Value, ()>) {
//! while let Some(event) = events.next().await {
//!     match event {
//!         Ok(value) => println!("{value}"),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # }
//! ```
//!
//! The client's response size limit
//! ([`ClientCore::set_max_response_bytes`](crate::ClientCore::set_max_response_bytes))
//! counts every byte streamed: past it the stream ends with
//! [`Error::ResponseTooLarge`], without reading further.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::client::Response;
use crate::error::Error;
use crate::response::ResponseValue;
use crate::seq::{Framing, Splitter};
use crate::sse;

/// A response whose status and headers have arrived and whose body has not
/// been read.
pub struct StreamingResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl StreamingResponse {
    pub(crate) fn new(response: reqwest::Response, hide_url: bool, limit: Option<u64>) -> Self {
        StreamingResponse {
            status: response.status(),
            headers: response.headers().clone(),
            body: Body {
                response: Some(response),
                reading: None,
                hide_url,
                limit,
                read: 0,
            },
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Reads the whole body (within the size limit): what generated code
    /// does for statuses it does not stream, such as documented errors.
    pub async fn into_response<E>(self) -> Result<Response, Error<E>> {
        let Body {
            response,
            hide_url,
            limit,
            ..
        } = self.body;
        let Some(mut response) = response else {
            return Ok(Response::new(self.status, self.headers, Bytes::new()));
        };
        let transport = |e: reqwest::Error| Error::from(if hide_url { e.without_url() } else { e });
        let too_large = |limit| Error::ResponseTooLarge {
            status: self.status,
            headers: self.headers.clone(),
            limit,
        };
        let body = match limit {
            None => response.bytes().await.map_err(transport)?,
            Some(limit) => {
                if response.content_length().is_some_and(|n| n > limit) {
                    return Err(too_large(limit));
                }
                let mut body = Vec::new();
                while let Some(chunk) = response.chunk().await.map_err(transport)? {
                    if (body.len() + chunk.len()) as u64 > limit {
                        return Err(too_large(limit));
                    }
                    body.extend_from_slice(&chunk);
                }
                Bytes::from(body)
            }
        };
        Ok(Response::new(self.status, self.headers, body))
    }

    /// The body as a stream of byte chunks, never held whole in memory.
    pub fn into_bytes<E>(self) -> ByteStream<E> {
        ByteStream {
            status: self.status,
            headers: self.headers,
            body: self.body,
            error: PhantomData,
        }
    }

    /// The body as server-sent events (`text/event-stream`), each event's
    /// `data` decoded as JSON into a `T`; a `data` of exactly `[DONE]` ends
    /// the stream (see [`EventStream::end_marker`]).
    pub fn into_events<T, E>(self) -> EventStream<T, E> {
        EventStream {
            bytes: self.into_bytes(),
            parser: sse::Parser::new(),
            ready: VecDeque::new(),
            end_marker: Some("[DONE]"),
            last_event_id: None,
            ended: false,
            item: PhantomData,
        }
    }

    /// The body as server-sent events, undecoded: each its `event`, `data`,
    /// `id` and `retry` (the event object OpenAPI 3.2's `itemSchema`
    /// describes). No `data` ends the stream.
    pub fn into_raw_events<E>(self) -> RawEventStream<E> {
        RawEventStream {
            events: self.into_events().end_marker(None),
        }
    }

    /// [`StreamingResponse::into_raw_events`] with the status and headers,
    /// as generated code returns it.
    pub fn raw_events_value<E>(self) -> Result<ResponseValue<RawEventStream<E>>, Error<E>> {
        let (status, headers) = (self.status, self.headers.clone());
        Ok(ResponseValue::new(self.into_raw_events(), status, headers))
    }

    /// [`StreamingResponse::into_bytes`] with the status and headers, as
    /// generated code returns it.
    pub fn bytes_value<E>(self) -> Result<ResponseValue<ByteStream<E>>, Error<E>> {
        let (status, headers) = (self.status, self.headers.clone());
        Ok(ResponseValue::new(self.into_bytes(), status, headers))
    }

    /// [`StreamingResponse::into_events`] with the status and headers, as
    /// generated code returns it.
    pub fn events_value<T, E>(self) -> Result<ResponseValue<EventStream<T, E>>, Error<E>> {
        let (status, headers) = (self.status, self.headers.clone());
        Ok(ResponseValue::new(self.into_events(), status, headers))
    }

    /// [`StreamingResponse::into_json_seq`] with the status and headers, as
    /// generated code returns it.
    pub fn json_seq_value<T, E>(
        self,
        framing: Framing,
    ) -> Result<ResponseValue<JsonStream<T, E>>, Error<E>> {
        let (status, headers) = (self.status, self.headers.clone());
        Ok(ResponseValue::new(
            self.into_json_seq(framing),
            status,
            headers,
        ))
    }

    /// The body as a sequence of JSON texts framed as `framing` says, each
    /// decoded into a `T`.
    pub fn into_json_seq<T, E>(self, framing: Framing) -> JsonStream<T, E> {
        JsonStream {
            bytes: self.into_bytes(),
            splitter: Splitter::new(framing),
            ready: VecDeque::new(),
            ended: false,
            item: PhantomData,
        }
    }
}

/// A chunk read, or the end of the body.
type Chunk = (reqwest::Response, Result<Option<Bytes>, reqwest::Error>);

/// The unread body of a response, read chunk by chunk.
struct Body {
    /// `None` while a chunk is being read (the future owns it) or once the
    /// body ended.
    response: Option<reqwest::Response>,
    reading: Option<Pin<Box<dyn Future<Output = Chunk> + Send>>>,
    hide_url: bool,
    limit: Option<u64>,
    read: u64,
}

impl Body {
    /// Polls for the next chunk: `None` at the end of the body (or after an
    /// error, which ends it).
    fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Poll<Option<Result<Bytes, Error<Infallible>>>> {
        loop {
            if let Some(reading) = &mut self.reading {
                let (response, outcome) = match reading.as_mut().poll(cx) {
                    Poll::Ready(done) => done,
                    Poll::Pending => return Poll::Pending,
                };
                self.reading = None;
                return Poll::Ready(match outcome {
                    Ok(Some(chunk)) => {
                        self.read += chunk.len() as u64;
                        match self.limit {
                            Some(limit) if self.read > limit => {
                                Some(Err(Error::ResponseTooLarge {
                                    status,
                                    headers: headers.clone(),
                                    limit,
                                }))
                            }
                            _ => {
                                self.response = Some(response);
                                Some(Ok(chunk))
                            }
                        }
                    }
                    Ok(None) => None,
                    Err(e) => Some(Err(Error::from(if self.hide_url {
                        e.without_url()
                    } else {
                        e
                    }))),
                });
            }
            let mut response = match self.response.take() {
                Some(r) => r,
                None => return Poll::Ready(None),
            };
            if self.read == 0 {
                if let Some(limit) = self.limit {
                    if response.content_length().is_some_and(|n| n > limit) {
                        return Poll::Ready(Some(Err(Error::ResponseTooLarge {
                            status,
                            headers: headers.clone(),
                            limit,
                        })));
                    }
                }
            }
            self.reading = Some(Box::pin(async move {
                let outcome = response.chunk().await;
                (response, outcome)
            }));
        }
    }
}

/// A response body as byte chunks (see the [module doc](self)). Ends after
/// an error.
pub struct ByteStream<E> {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    error: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("read", &self.body.read)
            .finish_non_exhaustive()
    }
}

impl<E> ByteStream<E> {
    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// How many bytes have been read so far.
    pub fn bytes_read(&self) -> u64 {
        self.body.read
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.body
            .poll_chunk(cx, this.status, &this.headers)
            .map(|item| item.map(|r| r.map_err(Error::widen)))
    }
}

/// Server-sent events, each `data` decoded as a `T` (see the
/// [module doc](self) and [`crate::sse`]). An event whose `data` does not
/// decode is an [`Error::DecodeEvent`] naming it; the stream goes on after
/// it. A transport error or the size limit ends it.
pub struct EventStream<T, E> {
    bytes: ByteStream<E>,
    parser: sse::Parser,
    ready: VecDeque<sse::Event>,
    end_marker: Option<&'static str>,
    last_event_id: Option<String>,
    ended: bool,
    item: PhantomData<fn() -> T>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("last_event_id", &self.last_event_id)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned, E> EventStream<T, E> {
    /// Sets the `data` that ends the stream (`None`: none does; the stream
    /// ends with the body). By default `[DONE]`, as OpenAI-style APIs send.
    pub fn end_marker(mut self, marker: Option<&'static str>) -> Self {
        self.end_marker = marker;
        self
    }

    /// The ID of the last event read (its own or an earlier one's `id`),
    /// for a `Last-Event-ID` header when resuming.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The next event's data, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The next event, undecoded, `None` at the end.
    pub async fn next_raw(&mut self) -> Option<Result<sse::Event, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_raw(cx)).await
    }

    fn poll_raw(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<sse::Event, Error<E>>>> {
        loop {
            if self.ended {
                return Poll::Ready(None);
            }
            if let Some(event) = self.ready.pop_front() {
                self.last_event_id.clone_from(&event.id);
                if self.end_marker == Some(event.data.as_str()) {
                    self.ended = true;
                    return Poll::Ready(None);
                }
                return Poll::Ready(Some(Ok(event)));
            }
            match Pin::new(&mut self.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    let mut events = Vec::new();
                    self.parser.feed(&chunk, &mut events);
                    self.ready.extend(events);
                }
                Poll::Ready(Some(Err(e))) => {
                    self.ended = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    self.parser.finish();
                    self.ended = true;
                }
            }
        }
    }
}

impl<T: serde::de::DeserializeOwned, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.poll_raw(cx).map(|item| {
            item.map(|event| {
                let event = event?;
                serde_json::from_str(&event.data).map_err(|source| Error::DecodeEvent {
                    path: crate::json_path::of_error(event.data.as_bytes(), &source),
                    event: event.event_type().to_owned(),
                    id: event.id,
                    data: event.data,
                    source,
                })
            })
        })
    }
}

/// Server-sent events as parsed ([`sse::Event`]: `event`, `data`, `id`,
/// `retry`), for streams whose events differ by type or whose `data` is not
/// JSON. A transport error or the size limit ends it.
pub struct RawEventStream<E> {
    events: EventStream<(), E>,
}

impl<E> fmt::Debug for RawEventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawEventStream")
            .field("last_event_id", &self.events.last_event_id)
            .field("ended", &self.events.ended)
            .finish_non_exhaustive()
    }
}

impl<E> RawEventStream<E> {
    /// Sets a `data` that ends the stream (by default none does).
    pub fn end_marker(mut self, marker: Option<&'static str>) -> Self {
        self.events.end_marker = marker;
        self
    }

    /// The ID of the last event read, for a `Last-Event-ID` header when
    /// resuming.
    pub fn last_event_id(&self) -> Option<&str> {
        self.events.last_event_id.as_deref()
    }

    /// The next event, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<sse::Event, Error<E>>> {
        self.events.next_raw().await
    }
}

impl<E> Stream for RawEventStream<E> {
    type Item = Result<sse::Event, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().events.poll_raw(cx)
    }
}

/// A sequence of JSON texts (JSON Lines, NDJSON, JSON text sequences), each
/// decoded as a `T` (see the [module doc](self) and [`crate::seq`]). An
/// item that does not decode is an [`Error::Decode`] with that item as its
/// body; the stream goes on after it. A transport error or the size limit
/// ends it.
pub struct JsonStream<T, E> {
    bytes: ByteStream<E>,
    splitter: Splitter,
    ready: VecDeque<Vec<u8>>,
    ended: bool,
    item: PhantomData<fn() -> T>,
}

impl<T, E> fmt::Debug for JsonStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned, E> JsonStream<T, E> {
    /// The next item, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: serde::de::DeserializeOwned, E> Stream for JsonStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.ready.pop_front() {
                let decoded = serde_json::from_slice(&item).map_err(|source| Error::Decode {
                    path: crate::json_path::of_error(&item, &source),
                    status: this.bytes.status,
                    headers: this.bytes.headers.clone(),
                    body: Bytes::from(item),
                    source,
                });
                return Poll::Ready(Some(decoded));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    let mut items = Vec::new();
                    this.splitter.feed(&chunk, &mut items);
                    this.ready.extend(items);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    let mut items = Vec::new();
                    this.splitter.finish(&mut items);
                    this.ready.extend(items);
                    this.ended = true;
                }
            }
        }
    }
}
