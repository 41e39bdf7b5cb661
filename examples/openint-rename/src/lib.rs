//! A client for the OpenInt API, generated at build time from
//! `specs/openint.json` by `build.rs`, and one task built on it.

pub mod openint {
    include!(concat!(env!("OUT_DIR"), "/openint.rs"));
}

use apigen_runtime::Nullable;
use openint::{Client, UpdateConnectionError, types};

/// Renames connection `id` and returns its new display name as the API
/// reports it.
pub async fn rename(
    client: &Client,
    id: &str,
    name: &str,
) -> Result<String, apigen_runtime::Error<UpdateConnectionError>> {
    let body = types::UpdateConnectionRequest {
        display_name: Nullable::Value(name.to_owned()),
        ..Default::default()
    };
    let connection = client.update_connection(id, &body).await?;
    Ok(match &connection.display_name {
        Nullable::Value(name) => name.clone(),
        Nullable::Null | Nullable::Absent => String::new(),
    })
}
