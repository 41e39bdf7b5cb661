//! Hooks: the user's code, run on every attempt of every operation.
//!
//! A [`Hook`] added to a client ([`ClientCore::add_hook`]) sees each request
//! just before it is sent — after the credentials are applied, so it is the
//! final request — and each response head as it arrives. It runs on every
//! attempt: each retry and each redirect hop is a request of its own
//! ([`Call::attempt`] counts them).
//!
//! - **Change a request**: add a header, sign it (see below).
//! - **Fail a request**: return an error from [`Hook::before_send`]; the
//!   call ends with [`Error::Hook`](crate::Error::Hook), nothing sent.
//! - **Answer a request**: return [`Action::Respond`] with a response, which
//!   the operation then reads as if the server had sent it. This is a fake
//!   server in one function, for testing code that uses a generated client.
//! - **Observe**: log, meter, count statuses in [`Hook::after_response`].
//!
//! Signing a request over its final bytes: [`reqwest::Request::body`]'s
//! [`as_bytes`](reqwest::Body::as_bytes) is the exact body sent (`None` for a
//! body read as it is sent, see [`crate::upload`]); the method, URL and
//! headers are the request's own:
//!
//! ```
//! use apigen_runtime::hooks::{Action, Call, Hook, HookError};
//! use apigen_runtime::reqwest::header::HeaderValue;
//!
//! struct Sign { key: Vec<u8> }
//!
//! impl Hook for Sign {
//!     fn before_send(&self, _call: &Call<'_>, request: &mut apigen_runtime::reqwest::Request)
//!         -> Result<Action, HookError>
//!     {
//!         let body = request.body().and_then(|b| b.as_bytes()).unwrap_or_default();
//!         let text = format!("{} {} {}", request.method(), request.url(), body.len());
//!         let signature = my_hmac(&self.key, text.as_bytes()); // any MAC
//!         let mut value = HeaderValue::from_str(&signature)?;
//!         value.set_sensitive(true);
//!         request.headers_mut().insert("x-signature", value);
//!         Ok(Action::Send)
//!     }
//! }
//! # fn my_hmac(_: &[u8], _: &[u8]) -> String { String::from("sig") }
//! ```
//!
//! [`ClientCore::add_hook`]: crate::ClientCore::add_hook

use bytes::Bytes;

/// What a hook knows about the call a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call<'a> {
    /// The operation's `operationId` as the API description spells it
    /// (empty for a request built without one).
    pub operation: &'a str,
    /// The operation's path template, such as `/users/{id}` (empty when not
    /// given).
    pub path_template: &'a str,
    /// Which request of the call this is: 1 for the first, then one more for
    /// each retry and each redirect followed.
    pub attempt: u32,
}

impl<'a> Call<'a> {
    /// A call of `operation` (`path_template`), at its `attempt`th request.
    pub fn new(operation: &'a str, path_template: &'a str, attempt: u32) -> Self {
        Call {
            operation,
            path_template,
            attempt,
        }
    }
}

/// What [`Hook::before_send`] decides.
#[derive(Debug)]
#[non_exhaustive]
pub enum Action {
    /// Send the request (as the hook may have changed it).
    Send,
    /// Send nothing: this is the response, read as if the server had sent
    /// it (its status, headers and body; later hooks are skipped, and the
    /// client's retry policy and redirects apply to it as to any response).
    Respond(http::Response<Bytes>),
}

/// The error a hook fails a request with.
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// Code run on every request a client sends and every response it gets
/// (see the [module documentation](self)).
///
/// Hooks run in the order they were added. Both methods have defaults that
/// do nothing, so a hook implements the one it needs.
pub trait Hook: Send + Sync + 'static {
    /// Called just before `request` is sent; may change it, fail it, or
    /// answer it.
    fn before_send(
        &self,
        call: &Call<'_>,
        request: &mut reqwest::Request,
    ) -> Result<Action, HookError> {
        let _ = (call, request);
        Ok(Action::Send)
    }

    /// Called when a response's head has arrived (its body is not read yet),
    /// before retries and redirects are decided.
    fn after_response(&self, call: &Call<'_>, response: &reqwest::Response) {
        let _ = (call, response);
    }

    /// Called when a request could not be sent or no response arrived
    /// (connection refused, timeout).
    fn after_error(&self, call: &Call<'_>, error: &reqwest::Error) {
        let _ = (call, error);
    }
}
