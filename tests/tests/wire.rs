//! What the client generated for `fixtures/wire.yaml` puts on the wire, and
//! how it reads what real servers send, against the scripted loopback server
//! ([`apigen_tests::http`]): each test checks the exact request bytes.
//!
//! The fixture follows a large public REST API (its operation descriptions
//! are quoted from it): defaulted fields of a PATCH body, PUTs without a
//! body, vendor media types, path parameters holding `/`, an operation on
//! another host, a download redirected to a storage host, and responses
//! missing fields the description requires.

use apigen_tests::calls::{bounded, one_call};
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

// ---------------------------------------------------------------------------
// 2. Requests real servers accept
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_put_without_a_body_sends_content_length_zero() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = client(&server);
    bounded(client.star_repo("octo", "hello"))
        .await
        .expect("204");
    bounded(client.lock_repo("octo", "hello", None))
        .await
        .expect("204");
    for request in server.finish() {
        assert_eq!(request.method, "PUT");
        assert_eq!(request.header("content-length"), Some("0"), "{request:?}");
        assert_eq!(request.header("content-type"), None);
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn a_get_sends_no_content_length() {
    let server = Server::start([Reply::new(204)]);
    let client = client(&server);
    let (_, request) = one_call(server, client.ping()).await;
    assert_eq!(request.header("content-length"), None);
}

#[tokio::test]
async fn accept_names_the_documented_media_types() {
    let server = Server::start([
        Reply::new(200).with_body("application/vnd.example.repo+json", repo_json().to_string()),
        Reply::new(204),
    ]);
    let client = client(&server);
    let repo = bounded(client.get_repo("octo", "hello"))
        .await
        .expect("200");
    assert_eq!(repo.owner.login, "octo");
    bounded(client.ping()).await.expect("204");
    let requests = server.finish();
    // Successes first, then errors.
    assert_eq!(
        requests[0].header("accept"),
        Some("application/vnd.example.repo+json, application/json")
    );
    // Nothing documented: anything.
    assert_eq!(requests[1].header("accept"), Some("*/*"));
}

#[tokio::test]
async fn accept_can_be_chosen_per_client_or_per_call() {
    let server = Server::start([Reply::json(200, repo_json().to_string()), Reply::new(204)]);
    let versioned = client(&server).with_header("Accept", "application/vnd.example.v3+json");
    bounded(versioned.get_repo("octo", "hello"))
        .await
        .expect("200");
    // One call with another representation: a copy of the client.
    let plain = versioned.clone().with_header("Accept", "text/plain");
    bounded(plain.ping()).await.expect("204");
    let requests = server.finish();
    assert_eq!(
        requests[0].header("accept"),
        Some("application/vnd.example.v3+json")
    );
    assert_eq!(requests[1].header("accept"), Some("text/plain"));
}

#[tokio::test]
async fn multi_segment_path_parameters_keep_their_slashes() {
    let server = Server::start([
        Reply::json(200, "{}"),
        Reply::json(200, "{}"),
        Reply::new(204),
    ]);
    let client = client(&server);
    bounded(client.get_content("octo", "hello", "src/lib ü/a?b#c.rs"))
        .await
        .expect("200");
    // `""` is the root of the repository: the last segment of the template.
    bounded(client.get_content("octo", "hello", ""))
        .await
        .expect("200");
    // `allowReserved` on a path parameter reads the same way.
    bounded(client.get_data_meta("team/policies"))
        .await
        .expect("204");
    let requests = server.finish();
    assert_eq!(
        requests[0].target,
        "/repos/octo/hello/contents/src/lib%20%C3%BC/a%3Fb%23c.rs"
    );
    assert_eq!(requests[1].target, "/repos/octo/hello/contents/");
    assert_eq!(requests[2].target, "/data/team/policies/meta");
}

#[tokio::test]
async fn unsafe_path_values_are_still_refused() {
    let server = Server::silent();
    let client = client(&server);
    for path in ["a/../b", "..", "a/./b", "a//b", "/a", "a/"] {
        let result = bounded(client.get_content("octo", "hello", path)).await;
        assert!(
            matches!(&result, Err(apigen_runtime::Error::InvalidRequest(_))),
            "{path:?}: {result:?}"
        );
    }
    // Empty is only allowed for the last, multi-segment parameter.
    let result = bounded(client.get_data_meta("")).await;
    assert!(
        matches!(&result, Err(apigen_runtime::Error::InvalidRequest(m)) if m.contains("empty"))
    );
    let result = bounded(client.get_repo("octo", "")).await;
    assert!(
        matches!(&result, Err(apigen_runtime::Error::InvalidRequest(m)) if m.contains("empty"))
    );
    server.assert_nothing_received();
}

#[tokio::test]
async fn other_path_parameters_still_encode_slashes() {
    let server = Server::start([Reply::json(200, repo_json().to_string())]);
    let client = client(&server);
    let (_, request) = one_call(server, client.get_repo("oc/to", "a.b")).await;
    assert_eq!(request.target, "/repos/oc%2Fto/a.b");
}

// ---------------------------------------------------------------------------
// 3. Redirects and servers
// ---------------------------------------------------------------------------

const ARCHIVE_SERVER: &str = "https://eu.archive.example.com/v2";
const UPLOAD_SERVER: &str = "https://uploads.example.com";

/// Each kind of credential the client can add, set alone (the operation
/// accepts any one of them), with the header or query key it travels in.
fn credentials(base: &str) -> Vec<(wire::Client, &'static str)> {
    let base = || wire::Client::new(base).with_header("X-Tenant", "tenant-S3CR3T");
    vec![
        (base().with_bearer(TOKEN), "authorization"),
        (base().with_api_key("key-S3CR3T"), "x-api-key"),
        (base().with_query_key("qkey-S3CR3T"), "api_key="),
        (base().with_session("sess-S3CR3T"), "cookie"),
    ]
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_followed_without_any_credential() {
    for i in 0..4 {
        let storage = Server::start([Reply::new(200).with_body("application/zip", "PK\x03\x04")]);
        let location = storage.url("/blobs/1?sig=s1gn4ture");
        let api = Server::start([Reply::new(302).with_header("Location", &location)]);
        let (client, kind) = credentials(api.base_url()).swap_remove(i);
        let client = client.with_server_override(ARCHIVE_SERVER, api.url("/v2"));
        let archive = bounded(client.download_archive("octo"))
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e:?}"));
        assert_eq!(&archive[..], b"PK\x03\x04");
        let asked = api.finish_one();
        assert_eq!(asked.path(), "/v2/archives/octo");
        let sent_there = asked.header_names().contains(&kind) || asked.target.contains(kind);
        assert!(sent_there, "{kind} was not sent to the API: {asked:?}");
        assert_eq!(asked.header("x-tenant"), Some("tenant-S3CR3T"));

        let fetched = storage.finish_one();
        assert_eq!(fetched.method, "GET");
        assert_eq!(fetched.target, "/blobs/1?sig=s1gn4ture");
        let names = fetched.header_names();
        for leak in ["authorization", "x-api-key", "cookie", "x-tenant"] {
            assert!(!names.contains(&leak), "{kind}: {leak} leaked: {fetched:?}");
        }
        assert!(!fetched.target.contains("api_key"), "{fetched:?}");
        let text = format!("{fetched:?}");
        assert!(!text.contains("S3CR3T"), "{kind}: {text}");
        assert_eq!(fetched.header("accept"), Some("application/zip"));
    }
}

#[tokio::test]
async fn a_redirect_on_the_same_origin_keeps_the_credentials() {
    let api = Server::start([
        Reply::new(307).with_header("Location", "/v2/archives/octo-2"),
        Reply::new(200).with_body("application/zip", "PK"),
    ]);
    let client = client(&api)
        .with_header("X-Tenant", "t-1")
        .with_server_override(ARCHIVE_SERVER, api.url("/v2"));
    bounded(client.download_archive("octo")).await.expect("200");
    let requests = api.finish();
    assert_eq!(requests[1].path(), "/v2/archives/octo-2");
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(requests[1].header("authorization"), Some(bearer.as_str()));
    assert_eq!(requests[1].header("x-tenant"), Some("t-1"));
}

#[tokio::test]
async fn operations_with_their_own_servers_go_there() {
    let api = Server::silent();
    let uploads = Server::start([Reply::new(201)]);
    let client = client(&api).with_server_override(UPLOAD_SERVER, uploads.base_url());
    bounded(client.upload_asset("octo", "hello", 7, b"\x00\x01".to_vec()))
        .await
        .expect("201");
    let request = uploads.finish_one();
    assert_eq!(request.target, "/repos/octo/hello/releases/7/assets");
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, b"\x00\x01");
    api.assert_nothing_received();
}

// ---------------------------------------------------------------------------
// 4. Reading real responses
// ---------------------------------------------------------------------------

/// A search result whose fourth repository's owner lacks `login`, which the
/// description requires (servers lag their descriptions).
fn search_result_missing_login() -> String {
    let mut items: Vec<serde_json::Value> = (0..5).map(|_| repo_json()).collect();
    items[3]["owner"] = json!({"id": 9});
    json!({"total_count": 5, "items": items}).to_string()
}

#[tokio::test]
async fn a_decode_error_names_the_json_path_and_keeps_the_body() {
    let body = search_result_missing_login();
    let server = Server::start([Reply::json(200, body.clone())]);
    let client = client(&server);
    let err = bounded(client.search_repos("q")).await.unwrap_err();
    match &err {
        apigen_runtime::Error::Decode {
            path, body: raw, ..
        } => {
            assert_eq!(path, "$.items[3].owner.login");
            assert_eq!(&raw[..], body.as_bytes());
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("could not decode response body at $.items[3].owner.login (HTTP 200 OK)"),
        "{err}"
    );
    let source = std::error::Error::source(&err).expect("the serde error");
    assert!(
        source.to_string().starts_with("missing field `login`"),
        "{source}"
    );
    server.finish_one();
}

#[tokio::test]
async fn missing_fields_default_decodes_what_lagging_servers_send() {
    use apigen_tests::wire_lenient;
    let mut lagging =
        serde_json::from_str::<serde_json::Value>(&search_result_missing_login()).unwrap();
    lagging["items"][1]
        .as_object_mut()
        .unwrap()
        .remove("topics");
    let server = Server::start([
        Reply::json(200, lagging.to_string()),
        Reply::json(
            200,
            json!({"total_count": 1, "items": [{"id": 1, "name": "x"}]}).to_string(),
        ),
    ]);
    let client = wire_lenient::Client::new(server.base_url()).with_bearer(TOKEN);
    let found = bounded(client.search_repos("q")).await.expect("decodes");
    assert_eq!(found.items[3].owner.login, "", "absent: the type's default");
    assert_eq!(found.items[3].owner.id, 9);
    assert!(found.items[1].topics.is_empty());
    assert_eq!(found.items[0].owner.login, "octo");
    // A required field whose type has no default still cannot be absent.
    let err = bounded(client.search_repos("q")).await.unwrap_err();
    assert!(
        matches!(&err, apigen_runtime::Error::Decode { path, .. } if path == "$.items[0].owner"),
        "{err:?}"
    );
    server.finish();
}

#[tokio::test]
async fn nullable_bodies_may_be_null_both_ways() {
    let server = Server::start([
        Reply::json(201, "null"),
        Reply::json(201, r#"{"lines":3}"#),
        Reply::json(201, "null"),
    ]);
    let client = client(&server);
    // A nullable response schema: `null` decodes.
    let log = bounded(client.rerun_job(1, Some(&None)))
        .await
        .expect("null");
    assert_eq!(*log, None);
    let log = bounded(client.rerun_job(2, None)).await.expect("a log");
    assert_eq!(log.as_ref().map(|l| l.lines), Some(Some(3)));
    let body = types::RerunJobRequest {
        enable_debug_logging: Some(true),
    };
    bounded(client.rerun_job(3, Some(&Some(body))))
        .await
        .expect("null");
    let requests = server.finish();
    // `Some(&None)` sends `null`; `None` sends no body at all.
    assert_eq!(requests[0].body_text(), "null");
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert!(requests[1].body.is_empty());
    assert_eq!(requests[1].header("content-type"), None);
    assert_eq!(requests[2].body_text(), r#"{"enable_debug_logging":true}"#);
}
