//! Typed clients for the integration platforms apigen was first built for,
//! generated from the OpenAPI documents in `specs/`.
//!
//! Every module is produced by apigen and checked in; a test fails when one is
//! stale. They are formatted by apigen itself (prettyplease), so rustfmt
//! leaves them alone. Regenerate them all with:
//!
//! ```text
//! cargo run -p apigen -- generate specs/membrane.yaml -o generated/src/membrane.rs
//! cargo run -p apigen -- generate specs/openint.json -o generated/src/openint.rs
//! cargo run -p apigen -- generate specs/connectors.yaml -o generated/src/connectors.rs
//! ```

/// A generic connectors API (`specs/connectors.yaml`).
#[rustfmt::skip]
pub mod connectors;
/// Membrane (`specs/membrane.yaml`): connectors, integrations, connections.
#[rustfmt::skip]
pub mod membrane;
/// OpenInt v0 (`specs/openint.json`): connections.
#[rustfmt::skip]
pub mod openint;
