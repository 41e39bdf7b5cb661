//! What the client generated for `fixtures/wire.yaml` puts on the wire, and
//! how it reads what real servers send, against the scripted loopback server
//! ([`apigen_tests::http`]): each test checks the exact request bytes.
//!
//! The fixture follows a large public REST API (its operation descriptions
//! are quoted from it): defaulted fields of a PATCH body, PUTs without a
//! body, vendor media types, path parameters holding `/`, an operation on
//! another host, a download redirected to a storage host, and responses
//! missing fields the description requires.

use apigen_tests::calls::one_call;
use apigen_tests::http::{Reply, Server};
use apigen_tests::wire::{self, types};
use serde_json::json;

const TOKEN: &str = "ghp_S3CR3T_token_1f2e3d";

fn client(server: &Server) -> wire::Client {
    wire::Client::new(server.base_url()).with_bearer(TOKEN)
}

fn repo_json() -> serde_json::Value {
    json!({
        "id": 1,
        "name": "hello",
        "owner": {"login": "octo", "id": 7},
        "private": true,
        "topics": ["rust"]
    })
}

// ---------------------------------------------------------------------------
// 1. Defaults are never sent unless the caller set them
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_patch_sends_only_the_fields_set() {
    let server = Server::start([Reply::json(200, repo_json().to_string())]);
    let client = client(&server);
    let body = types::RepoUpdate {
        name: Some("renamed".into()),
        ..Default::default()
    };
    // `private` (default false) is not sent: on the real service that
    // would make a private repository public.
    let (_, request) = one_call(server, client.update_repo("octo", "hello", &body)).await;
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.body_text(), r#"{"name":"renamed"}"#);
}

#[tokio::test]
async fn defaulted_fields_read_as_their_defaults_and_are_not_written_back() {
    let server = Server::start([Reply::json(200, repo_json().to_string())]);
    let client = client(&server);
    // As read from a server that leaves defaulted fields out.
    let mut update: types::RepoUpdate =
        serde_json::from_str(r#"{"name":"hello","description":null}"#).unwrap();
    assert!(!update.private());
    assert!(!update.archived());
    assert!(update.has_issues());
    assert_eq!(*update.visibility(), types::Visibility::Public);
    assert!(update.topics().is_empty());
    update.has_issues = Some(false);
    let (_, request) = one_call(server, client.update_repo("octo", "hello", &update)).await;
    assert_eq!(
        request.body_text(),
        r#"{"name":"hello","description":null,"has_issues":false}"#
    );
    assert!(!update.has_issues());
}

#[test]
fn default_of_a_request_struct_sends_nothing() {
    let empty = types::RepoUpdate::default();
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
}
