//! Tracing of operation calls, with the `tracing` feature (off by default).
//!
//! Each call of an operation is one span, `http.client`, at `INFO` level,
//! with the attributes of OpenTelemetry's HTTP client conventions:
//!
//! | field | value |
//! |---|---|
//! | `otel.name` | `GET /users/{id}`: method and path template |
//! | `otel.kind` | `client` |
//! | `http.request.method` | `GET` |
//! | `url.template` | `/users/{id}` |
//! | `server.address`, `server.port` | the API's host and port |
//! | `apigen.operation_id` | the `operationId` |
//! | `http.response.status_code` | the final response's status |
//! | `http.request.resend_count` | retries and redirects followed, when any |
//! | `error.type` | the status (4xx, 5xx) or the kind of failure (`timeout`, `transport`, …), when the call failed |
//! | `otel.status_code` | `ERROR` when the call failed |
//!
//! Each retry is an event (`apigen_runtime::retry`, `INFO`) inside the span,
//! with its `attempt`, `reason` and `wait_ms`. Nothing recorded carries a
//! credential, a query string or a body: the URL is not recorded at all,
//! only its host and port.
//!
//! Without the feature these functions are empty and inlined away: tracing
//! costs nothing, and `tracing` is not compiled.

use std::time::Duration;

use reqwest::{Method, StatusCode, Url};

/// The span of one call, entered around its future.
#[cfg(feature = "tracing")]
pub(crate) type CallSpan = tracing::Span;

/// The span of one call (nothing without the `tracing` feature).
#[cfg(not(feature = "tracing"))]
pub(crate) type CallSpan = ();

/// A new span for a call of `operation` (`method template`).
#[cfg(feature = "tracing")]
pub(crate) fn call_span(method: &Method, operation: &str, template: &str) -> CallSpan {
    let name = if template.is_empty() {
        method.as_str().to_owned()
    } else {
        format!("{method} {template}")
    };
    tracing::info_span!(
        target: "apigen_runtime",
        "http.client",
        otel.name = name,
        otel.kind = "client",
        http.request.method = method.as_str(),
        url.template = template,
        apigen.operation_id = operation,
        server.address = tracing::field::Empty,
        server.port = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        error.type = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    )
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn call_span(_: &Method, _: &str, _: &str) -> CallSpan {}

/// Records the server the call goes to.
#[cfg(feature = "tracing")]
pub(crate) fn server(span: &CallSpan, url: &Url) {
    if let Some(host) = url.host_str() {
        span.record("server.address", host);
    }
    if let Some(port) = url.port_or_known_default() {
        span.record("server.port", port);
    }
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn server(_: &CallSpan, _: &Url) {}

/// Records a retry: after attempt `attempt`, for `reason`, waiting `wait`.
#[cfg(feature = "tracing")]
pub(crate) fn retry(span: &CallSpan, attempt: u32, reason: &str, wait: Duration) {
    tracing::info!(
        target: "apigen_runtime::retry",
        parent: span,
        attempt,
        reason,
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        "retrying"
    );
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn retry(_: &CallSpan, _: u32, _: &str, _: Duration) {}

/// Records the final response's status and how many requests were sent
/// again (retries and redirects).
#[cfg(feature = "tracing")]
pub(crate) fn finish(span: &CallSpan, status: StatusCode, resends: u32) {
    span.record("http.response.status_code", status.as_u16());
    if resends > 0 {
        span.record("http.request.resend_count", resends);
    }
    if status.is_client_error() || status.is_server_error() {
        span.record("error.type", status.as_str());
        span.record("otel.status_code", "ERROR");
    }
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn finish(_: &CallSpan, _: StatusCode, _: u32) {}

/// Records a call that ended without a response: `kind` is a short,
/// low-cardinality name (`timeout`, `transport`, `invalid_request`, …).
#[cfg(feature = "tracing")]
pub(crate) fn failed(span: &CallSpan, kind: &'static str) {
    span.record("error.type", kind);
    span.record("otel.status_code", "ERROR");
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn failed(_: &CallSpan, _: &'static str) {}
