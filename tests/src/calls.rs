//! Client calls that can never hang a test: every call is awaited with a
//! time limit (on a Tokio runtime).

use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

use crate::http::{Recorded, Server};

/// Upper bound for one client call against a local [`Server`].
pub const CALL_LIMIT: Duration = Duration::from_secs(15);

/// Awaits `call`, failing the test if it takes longer than `limit`.
pub async fn within<T>(limit: Duration, call: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, call)
        .await
        .expect("the client call did not finish in time")
}

/// Awaits `call` for at most [`CALL_LIMIT`].
pub async fn bounded<T>(call: impl Future<Output = T>) -> T {
    within(CALL_LIMIT, call).await
}

/// Awaits `call` against `server`, failing the test unless it succeeds;
/// returns its value and the one request `server` received.
pub async fn one_call<T: Debug, E: Debug>(
    server: Server,
    call: impl Future<Output = Result<T, apigen_runtime::Error<E>>>,
) -> (T, Recorded) {
    let result = bounded(call).await;
    match result {
        Ok(value) => (value, server.finish_one()),
        Err(e) => panic!("the call failed: {e:?}"),
    }
}
