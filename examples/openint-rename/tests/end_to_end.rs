//! Runs the `openint-rename` command, as a user would, against a loopback
//! server standing in for the OpenInt API.

use std::process::Command;

use apigen_tests::http::{Reply, Server};

const RESPONSE: &str = r#"{
  "createdAt": "2024-05-02T14:03:11.482Z",
  "updatedAt": "2024-05-06T08:15:40.019Z",
  "id": "conn_01HX4Z",
  "connectorName": "salesforce",
  "displayName": "EU sales",
  "connectorConfigId": "ccfg_01HX4Y7J1K2L3M4N5P6Q7R8S9T"
}"#;

fn rename_command(server: &Server, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_openint-rename"));
    command
        .args(args)
        .env("OPENINT_BASE_URL", server.url("/v0"))
        .env("OPENINT_API_KEY", "oi_sk_S3CR3T")
        .env("OPENINT_CONNECTION_ID", "conn_hdr_S3CR3T");
    command
}

#[test]
fn renames_a_connection() {
    let server = Server::start([Reply::json(200, RESPONSE)]);
    let output = rename_command(&server, &["conn_01HX4Z", "EU sales"])
        .output()
        .expect("run openint-rename");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout, "renamed conn_01HX4Z to \"EU sales\"\n");

    let request = server.finish_one();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.target, "/v0/core/connection/conn_01HX4Z");
    assert_eq!(request.header("x-apikey"), Some("oi_sk_S3CR3T"));
    assert_eq!(request.header("x-connection-id"), Some("conn_hdr_S3CR3T"));
    assert_eq!(request.header("user-agent"), Some("openint-rename/0.1"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.body_text(), r#"{"displayName":"EU sales"}"#);
}

#[test]
fn api_errors_are_reported_without_secrets() {
    let server = Server::start([Reply::json(
        404,
        r#"{"code":"NOT_FOUND","message":"no connection conn_x"}"#,
    )]);
    let output = rename_command(&server, &["conn_x", "EU sales"])
        .output()
        .expect("run openint-rename");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");
    assert!(!stderr.contains("S3CR3T"), "{stderr}");
    server.finish_one();
}

#[test]
fn an_id_without_the_conn_prefix_is_refused_before_sending() {
    let server = Server::silent();
    let output = rename_command(&server, &["int_123", "EU sales"])
        .output()
        .expect("run openint-rename");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("^conn_"), "{stderr}");
    server.assert_nothing_received();
}

/// The example carries its own copy of the spec, as a user's crate would;
/// it must be the one in `specs/`.
#[test]
fn the_spec_is_the_repositorys() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../specs/openint.json");
    let mine = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/openint.json");
    let (root, mine) = (
        std::fs::read_to_string(root).expect("read specs/openint.json"),
        std::fs::read_to_string(mine).expect("read the example's spec"),
    );
    assert!(
        root == mine,
        "examples/openint-rename/specs/openint.json is stale: cp specs/openint.json examples/openint-rename/specs/"
    );
}
