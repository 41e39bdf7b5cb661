//! The generated clients against a scripted loopback HTTP server
//! ([`apigen_tests::http`]).
//!
//! For each of the five operations (Membrane `update_connector`,
//! `update_integration`, `update_connection`; OpenInt `update_connection`;
//! connectors `update_connector`) the tests assert the exact request (method,
//! percent-encoded path, credentials, content type, body bytes) and how each
//! kind of response is turned into a result: a documented success, documented
//! errors, undocumented statuses, bodies that do not decode, requests that
//! must not be sent at all, and transport failures. Credentials must never
//! show up in `Debug` output or in any error.

use std::collections::BTreeMap;
use std::fmt::Debug;

use apigen_runtime::reqwest::StatusCode;
use apigen_runtime::{Error, Nullable};
use apigen_tests::calls::bounded;
use apigen_tests::http::{Recorded, Reply, Server};
use integration_clients::connectors::{self, types as cx};
use integration_clients::membrane::{self, types as mb};
use integration_clients::openint::{self, types as oi};
use serde_json::json;

const MEMBRANE_TOKEN: &str = "mbr_live_S3CR3T_7f2c9e1a4b";
const CONNECTORS_TOKEN: &str = "cx_tok_S3CR3T_41b2d8e0";
const OPENINT_KEY: &str = "oi_sk_S3CR3T_9d8c7b6a5f";
const OPENINT_CONNECTION_ID: &str = "conn_hdr_S3CR3T_0a1b2c3d";
const ALL_SECRETS: [&str; 4] = [
    MEMBRANE_TOKEN,
    CONNECTORS_TOKEN,
    OPENINT_KEY,
    OPENINT_CONNECTION_ID,
];

/// A path parameter with every character that could change the structure of
/// a URL (`/`, `?`, `=`, `#`, `%`, space) plus a non-ASCII letter.
const AWKWARD_ID: &str = "acme/eu?draft=1#v2 100%é";
/// [`AWKWARD_ID`] as it must appear in the request path.
const AWKWARD_ID_ENCODED: &str = "acme%2Feu%3Fdraft%3D1%23v2%20100%25%C3%A9";
/// An OpenInt connection id (they start with `conn_`) with the same characters.
const AWKWARD_CONN_ID: &str = "conn_01HX/4Z?x=1#frag 50%";
const AWKWARD_CONN_ID_ENCODED: &str = "conn_01HX%2F4Z%3Fx%3D1%23frag%2050%25";

fn membrane_client(server: &Server) -> membrane::Client {
    membrane::Client::new(server.base_url()).with_bearer_auth(MEMBRANE_TOKEN)
}

fn openint_client(server: &Server) -> openint::Client {
    // A trailing slash on the base URL must not double the slash.
    openint::Client::new(server.url("/v0/"))
        .with_apikey(OPENINT_KEY)
        .with_connection_id(OPENINT_CONNECTION_ID)
}

fn connectors_client(server: &Server) -> connectors::Client {
    connectors::Client::new(server.base_url()).with_bearer_auth(CONNECTORS_TOKEN)
}

/// Asserts that no credential appears in the error's `Display` or `Debug`.
fn assert_no_secret<E: Debug>(error: &Error<E>) {
    let shown = format!("{error}\n{error:?}\n{error:#?}");
    for secret in ALL_SECRETS {
        assert!(!shown.contains(secret), "{secret} leaked into: {shown}");
    }
}

/// Asserts the request carries a JSON body equal to `expected`, byte for byte,
/// with a matching `Content-Length`.
fn assert_json_body(request: &Recorded, expected: &str) {
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_text(),
        expected,
        "the request body bytes differ"
    );
    assert_eq!(
        request.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
}

fn assert_bearer(request: &Recorded, token: &str) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(request.header("x-apikey"), None);
    assert_eq!(request.header("x-connection-id"), None);
}

// ---------------------------------------------------------------------------
// Response fixtures
// ---------------------------------------------------------------------------

const MEMBRANE_CONNECTOR_RESPONSE: &str = r#"{
  "id": "6620f1c3a8b4e5d6c7f80912",
  "key": "acme/eu?draft=1#v2 100%é",
  "uuid": "5d0c3a8e-2f4b-4c1d-9e6a-7b8f0a1c2d3e",
  "name": "HubSpot EU",
  "logoUri": "https://static.getmembrane.com/connectors/hubspot/logo.png",
  "baseUri": "s3://membrane-connectors/public/hubspot/3.2.0",
  "version": "3.2.0",
  "categories": ["CRM"],
  "type": "api-key",
  "inputSchema": { "type": "object", "x-order": ["contactId"] },
  "test": { "type": "javascript", "code": "return true" },
  "disconnect": { "type": "soap-call", "action": "Logout" },
  "options": { "sandbox": true }
}"#;

const MEMBRANE_INTEGRATION_RESPONSE: &str = r#"{
  "name": "HubSpot (EU workspace)",
  "id": "6621a0b1c2d3e4f5a6b7c8d9",
  "key": "hubspot-eu",
  "state": "SETUP_FAILED",
  "errors": [
    {
      "message": "Missing client secret",
      "type": "configuration",
      "causedByError": { "message": "parameters.clientSecret is required", "type": "validation_v2" }
    }
  ],
  "connectorId": "6620f1c3a8b4e5d6c7f80912",
  "parameters": { "clientId": "5c2e1d0a" },
  "authType": "oauth2"
}"#;

const MEMBRANE_CONNECTION_RESPONSE: &str = r#"{
  "id": "6622b7e8f9a0b1c2d3e4f5a6",
  "name": "Acme GmbH",
  "userId": "6619c0d1e2f3a4b5c6d7e8f9",
  "createdAt": "2024-04-18T09:20:00.000Z",
  "updatedAt": "2024-05-02T16:05:33.210Z",
  "state": "BUILDING",
  "buildingAgentSessionId": "sess_01HXA1B2C3",
  "integrationId": "6621a0b1c2d3e4f5a6b7c8d9"
}"#;

const OPENINT_CONNECTION_RESPONSE: &str = r#"{
  "createdAt": "2024-05-02T14:03:11.482Z",
  "updatedAt": "2024-05-06T08:15:40.019Z",
  "id": "conn_01HX/4Z?x=1#frag 50%",
  "connectorName": "salesforce",
  "displayName": null,
  "customerId": "cus_8412",
  "connectorConfigId": "ccfg_01HX4Y7J1K2L3M4N5P6Q7R8S9T",
  "standard": { "status": "reauth_required", "statusMessage": null },
  "metadata": { "source": "crm-sync" }
}"#;

const CONNECTORS_OK_RESPONSE: &str = r#"{
  "code": 200,
  "data": {
    "id": "cn_9d8c7b6a",
    "name": "Stripe EU",
    "description": "Production Stripe account for EU billing",
    "provider": "stripe",
    "type": "payment",
    "maskedData": { "apiKey": "sk_live_************4f2a" },
    "updatedAt": "2024-05-06T08:15:40Z"
  },
  "message": "success",
  "requestId": "req_5f0e1d2c3b4a"
}"#;

const CONNECTORS_BAD_REQUEST: &str = r#"{
  "code": 400,
  "data": { "errors": [{ "field": "name", "message": "name must be at most 64 characters" }] },
  "message": "validation failed",
  "requestId": "req_0a1b2c3d4e5f"
}"#;

const CONNECTORS_NOT_FOUND: &str = r#"{
  "code": 404,
  "data": null,
  "message": "connector acme/eu?draft=1#v2 100%é not found",
  "requestId": "req_9f8e7d6c5b4a"
}"#;

fn connectors_body() -> cx::UpdateConnectorRequest {
    cx::UpdateConnectorRequest::ConnectorUpdateOption1(cx::ConnectorUpdateOption1 {
        data: Some(BTreeMap::from([(
            "apiKey".to_owned(),
            json!("sk_live_51NqX2bLkdIwHu7ix"),
        )])),
        description: Some("Production Stripe account for EU billing".to_owned()),
        name: Some("Stripe EU".to_owned()),
    })
}

const CONNECTORS_BODY: &str = r#"{"data":{"apiKey":"sk_live_51NqX2bLkdIwHu7ix"},"description":"Production Stripe account for EU billing","name":"Stripe EU"}"#;

// ---------------------------------------------------------------------------
// Exact requests and typed 200 responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn membrane_update_connector_request_and_response() {
    let server = Server::start([Reply::json(200, MEMBRANE_CONNECTOR_RESPONSE)]);
    let client = membrane_client(&server);
    let body = mb::UpdateConnectorRequest {
        name: Some("HubSpot EU".to_owned()),
        categories: Some(vec!["CRM".to_owned()]),
        r#type: Some(mb::ConnectorAuthType::Other("api-key".to_owned())),
        input_schema: Some(mb::DataSchema {
            r#type: Some(mb::DataSchemaType::String("object".to_owned())),
            extra: BTreeMap::from([("x-order".to_owned(), json!(["contactId"]))]),
            ..Default::default()
        }),
        test: Some(mb::FunctionDefinition::JavascriptFunction(
            mb::JavascriptFunction {
                r#type: mb::JavascriptFunctionType::Javascript,
                code: "return true".to_owned(),
                extra: BTreeMap::new(),
            },
        )),
        disconnect: Some(mb::FunctionDefinition::Unknown(
            json!({"type": "soap-call", "action": "Logout"}),
        )),
        options: Some(BTreeMap::from([("sandbox".to_owned(), json!(true))])),
        ..Default::default()
    };
    let connector = bounded(client.update_connector(AWKWARD_ID, Some(&body)))
        .await
        .expect("200 decodes");

    let request = server.finish_one();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.target, format!("/connectors/{AWKWARD_ID_ENCODED}"));
    assert_eq!(request.query(), None);
    assert_bearer(&request, MEMBRANE_TOKEN);
    assert_json_body(
        &request,
        r#"{"name":"HubSpot EU","categories":["CRM"],"type":"api-key","inputSchema":{"type":"object","x-order":["contactId"]},"test":{"type":"javascript","code":"return true"},"disconnect":{"type":"soap-call","action":"Logout"},"options":{"sandbox":true}}"#,
    );

    assert_eq!(connector.id, "6620f1c3a8b4e5d6c7f80912");
    assert_eq!(connector.key, AWKWARD_ID);
    assert_eq!(connector.name, "HubSpot EU");
    assert_eq!(
        connector.r#type,
        Some(mb::ConnectorAuthType::Other("api-key".to_owned()))
    );
    assert_eq!(connector.input_schema, body.input_schema);
    assert_eq!(connector.test, body.test);
    assert_eq!(connector.disconnect, body.disconnect);
}

#[tokio::test]
async fn membrane_update_integration_request_and_response() {
    let server = Server::start([Reply::json(200, MEMBRANE_INTEGRATION_RESPONSE)]);
    let client = membrane_client(&server);
    let body = mb::UpdateIntegrationRequest {
        name: Some("HubSpot (EU workspace)".to_owned()),
        connector_key: Some("hubspot".to_owned()),
        parameters: Some(BTreeMap::from([("clientId".to_owned(), json!("5c2e1d0a"))])),
        ..Default::default()
    };
    let integration = bounded(client.update_integration(AWKWARD_ID, Some(&body)))
        .await
        .expect("200 decodes");

    let request = server.finish_one();
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.target,
        format!("/integrations/{AWKWARD_ID_ENCODED}")
    );
    assert_bearer(&request, MEMBRANE_TOKEN);
    assert_json_body(
        &request,
        r#"{"name":"HubSpot (EU workspace)","connectorKey":"hubspot","parameters":{"clientId":"5c2e1d0a"}}"#,
    );

    assert_eq!(integration.name, "HubSpot (EU workspace)");
    assert_eq!(integration.state, Some(mb::ElementState::SetupFailed));
    assert_eq!(integration.auth_type, Some(mb::ConnectorAuthType::Oauth2));
    let errors = integration.errors.as_deref().expect("errors");
    let cause = errors[0].caused_by_error.as_deref().expect("cause");
    assert_eq!(
        cause.r#type,
        Some(mb::ErrorType::Other("validation_v2".to_owned()))
    );
}

#[tokio::test]
async fn membrane_update_integration_without_body_sends_none() {
    let server = Server::start([Reply::json(200, MEMBRANE_INTEGRATION_RESPONSE)]);
    let client = membrane_client(&server);
    bounded(client.update_integration("6621a0b1c2d3e4f5a6b7c8d9", None))
        .await
        .expect("200 decodes");
    let request = server.finish_one();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.target, "/integrations/6621a0b1c2d3e4f5a6b7c8d9");
    assert_bearer(&request, MEMBRANE_TOKEN);
    assert_eq!(request.header("content-type"), None);
    assert!(request.body.is_empty(), "{:?}", request.body_text());
}

#[tokio::test]
async fn membrane_update_connection_request_and_response() {
    let server = Server::start([Reply::json(200, MEMBRANE_CONNECTION_RESPONSE)]);
    let client = membrane_client(&server);
    let body = mb::UpdateConnectionRequest {
        name: Some("Acme GmbH".to_owned()),
        key: Nullable::Null,
        integration_key: Some("hubspot-eu".to_owned()),
        credentials: Some(BTreeMap::from([(
            "access_token".to_owned(),
            json!("CJSP5qf1MRICAQEYs-gDIIGOBii1hQ"),
        )])),
        ..Default::default()
    };
    let connection = bounded(client.update_connection(AWKWARD_ID, Some(&body)))
        .await
        .expect("200 decodes");

    let request = server.finish_one();
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, format!("/connections/{AWKWARD_ID_ENCODED}"));
    assert_bearer(&request, MEMBRANE_TOKEN);
    assert_json_body(
        &request,
        r#"{"name":"Acme GmbH","key":null,"integrationKey":"hubspot-eu","credentials":{"access_token":"CJSP5qf1MRICAQEYs-gDIIGOBii1hQ"}}"#,
    );

    assert_eq!(connection.id, "6622b7e8f9a0b1c2d3e4f5a6");
    assert_eq!(connection.state, Some(mb::ElementState::Building));
    assert_eq!(
        connection.building_agent_session_id.as_deref(),
        Some("sess_01HXA1B2C3")
    );
    assert_eq!(connection.key, None);
}

#[tokio::test]
async fn openint_update_connection_request_and_response() {
    let server = Server::start([Reply::json(200, OPENINT_CONNECTION_RESPONSE)]);
    let client = openint_client(&server);
    let body = oi::UpdateConnectionRequest {
        display_name: Nullable::Null,
        metadata: Nullable::Value(json!({"source": "crm-sync"})),
        customer_id: Nullable::Value("cus_8412".to_owned()),
        ..Default::default()
    };
    let connection = bounded(client.update_connection(AWKWARD_CONN_ID, &body))
        .await
        .expect("200 decodes");

    let request = server.finish_one();
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.target,
        format!("/v0/core/connection/{AWKWARD_CONN_ID_ENCODED}")
    );
    assert_eq!(request.header("x-apikey"), Some(OPENINT_KEY));
    assert_eq!(
        request.header("x-connection-id"),
        Some(OPENINT_CONNECTION_ID)
    );
    assert_eq!(request.header("authorization"), None);
    assert_json_body(
        &request,
        r#"{"displayName":null,"metadata":{"source":"crm-sync"},"customerId":"cus_8412"}"#,
    );
    // `null` (clear) is sent; absent fields (leave alone) are not.
    let text = request.body_text();
    assert!(text.contains(r#""displayName":null"#), "{text}");
    for absent in ["settings", "disabled", "integrationId"] {
        assert!(!text.contains(absent), "{absent} must be absent: {text}");
    }

    assert_eq!(connection.id, AWKWARD_CONN_ID);
    assert_eq!(connection.display_name, Nullable::Null);
    assert_eq!(
        connection.customer_id,
        Nullable::Value("cus_8412".to_owned())
    );
    assert_eq!(connection.integration_id, Nullable::Absent);
    let Nullable::Value(standard) = &connection.standard else {
        panic!("standard: {:?}", connection.standard)
    };
    assert_eq!(
        standard.status,
        Nullable::Value(oi::ConnectionStatus::Other("reauth_required".to_owned()))
    );
    assert_eq!(standard.status_message, Nullable::Null);
}

#[tokio::test]
async fn connectors_update_connector_request_and_response() {
    let server = Server::start([Reply::json(200, CONNECTORS_OK_RESPONSE)]);
    let client = connectors_client(&server);
    let response = bounded(client.update_connector(AWKWARD_ID, &connectors_body()))
        .await
        .expect("200 decodes");

    let request = server.finish_one();
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target,
        format!("/v1/connectors/{AWKWARD_ID_ENCODED}")
    );
    assert_bearer(&request, CONNECTORS_TOKEN);
    assert_json_body(&request, CONNECTORS_BODY);

    assert_eq!(response.status(), StatusCode::OK);
    let response = response.into_inner();
    assert_eq!(response.code, Some(200));
    assert_eq!(response.message.as_deref(), Some("success"));
    assert_eq!(response.request_id.as_deref(), Some("req_5f0e1d2c3b4a"));
    let data = response.data.expect("data");
    assert_eq!(data.id.as_deref(), Some("cn_9d8c7b6a"));
    assert_eq!(data.name.as_deref(), Some("Stripe EU"));
    assert_eq!(
        data.masked_data.and_then(|m| m.get("apiKey").cloned()),
        Some(json!("sk_live_************4f2a"))
    );
}

// ---------------------------------------------------------------------------
// Error responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn connectors_400_is_a_typed_bad_request() {
    let server =
        Server::start([Reply::json(400, CONNECTORS_BAD_REQUEST)
            .with_header("X-Request-Id", "req_0a1b2c3d4e5f")]);
    let client = connectors_client(&server);
    let error = bounded(client.update_connector(AWKWARD_ID, &connectors_body()))
        .await
        .expect_err("400 is an error");
    server.finish_one();
    assert_no_secret(&error);
    assert_eq!(
        error.to_string(),
        "API error response: HTTP 400 Bad Request"
    );
    match &error {
        Error::Api {
            status,
            headers,
            body: connectors::UpdateConnectorError::BadRequest(envelope),
        } => {
            assert_eq!(*status, StatusCode::BAD_REQUEST);
            assert_eq!(
                headers.get("x-request-id").and_then(|v| v.to_str().ok()),
                Some("req_0a1b2c3d4e5f")
            );
            assert_eq!(envelope.code, Some(400));
            assert_eq!(envelope.message.as_deref(), Some("validation failed"));
            assert_eq!(envelope.request_id.as_deref(), Some("req_0a1b2c3d4e5f"));
            let Nullable::Value(data) = &envelope.data else {
                panic!("data: {:?}", envelope.data)
            };
            assert_eq!(
                data.get("errors"),
                Some(&json!([{"field": "name", "message": "name must be at most 64 characters"}]))
            );
        }
        other => panic!("expected Api {{ BadRequest }}, got {other:?}"),
    }
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert!(error.raw_body().is_none());
}

#[tokio::test]
async fn connectors_404_is_a_typed_not_found() {
    let server = Server::start([Reply::json(404, CONNECTORS_NOT_FOUND)]);
    let client = connectors_client(&server);
    let error = bounded(client.update_connector(AWKWARD_ID, &connectors_body()))
        .await
        .expect_err("404 is an error");
    server.finish_one();
    assert_no_secret(&error);
    match &error {
        Error::Api {
            status,
            body: connectors::UpdateConnectorError::NotFound(envelope),
            ..
        } => {
            assert_eq!(*status, StatusCode::NOT_FOUND);
            assert_eq!(
                envelope,
                &cx::ErrorResponse {
                    code: Some(404),
                    data: Nullable::Null,
                    message: Some(format!("connector {AWKWARD_ID} not found")),
                    request_id: Some("req_9f8e7d6c5b4a".to_owned()),
                }
            );
        }
        other => panic!("expected Api {{ NotFound }}, got {other:?}"),
    }
}

#[tokio::test]
async fn connectors_documented_error_with_undecodable_body_is_a_decode_error() {
    let html = "<html><body><h1>400 Bad Request</h1></body></html>";
    let server = Server::start([Reply::new(400).with_body("text/html", html)]);
    let client = connectors_client(&server);
    let error = bounded(client.update_connector("cn_9d8c7b6a", &connectors_body()))
        .await
        .expect_err("400 is an error");
    server.finish_one();
    assert_no_secret(&error);
    match &error {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, StatusCode::BAD_REQUEST);
            assert_eq!(&body[..], html.as_bytes());
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn connectors_undocumented_500_keeps_status_and_raw_body() {
    let text = "upstream connect error or disconnect/reset before headers. reset reason: overflow";
    let server = Server::start([Reply::text(500, text)]);
    let client = connectors_client(&server);
    let error = bounded(client.update_connector(AWKWARD_ID, &connectors_body()))
        .await
        .expect_err("500 is an error");
    server.finish_one();
    assert_no_secret(&error);
    match &error {
        Error::UnexpectedStatus {
            status,
            headers,
            body,
        } => {
            assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(&body[..], text.as_bytes());
            assert_eq!(
                headers.get("content-type").and_then(|v| v.to_str().ok()),
                Some("text/plain; charset=utf-8")
            );
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        format!("unexpected response status: HTTP 500 Internal Server Error: {text:?}")
    );
}

#[tokio::test]
async fn membrane_and_openint_undocumented_statuses_are_unexpected() {
    let membrane_body = r#"{"message":"Connection not found","type":"bad_request"}"#;
    let server = Server::start([
        Reply::json(404, membrane_body),
        Reply::text(500, "Internal Server Error"),
        Reply::json(
            401,
            r#"{"error":{"code":"UNAUTHORIZED","message":"Invalid API key"}}"#,
        ),
    ]);
    let membrane = membrane_client(&server);
    let openint = openint_client(&server);

    let error = bounded(membrane.update_connection("6622b7e8f9a0b1c2d3e4f5a6", None))
        .await
        .expect_err("404 is an error");
    assert_no_secret(&error);
    assert!(
        matches!(&error, Error::UnexpectedStatus { status, body, .. }
            if *status == StatusCode::NOT_FOUND && &body[..] == membrane_body.as_bytes()),
        "{error:?}"
    );

    let error = bounded(membrane.update_connector("hubspot", None))
        .await
        .expect_err("500 is an error");
    assert_no_secret(&error);
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(
        error.raw_body().map(|b| &b[..]),
        Some(&b"Internal Server Error"[..])
    );

    let error = bounded(openint.update_connection("conn_01HX", &Default::default()))
        .await
        .expect_err("401 is an error");
    assert_no_secret(&error);
    assert!(
        matches!(&error, Error::UnexpectedStatus { status, .. } if *status == StatusCode::UNAUTHORIZED),
        "{error:?}"
    );

    let requests = server.finish();
    let targets: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            ("PUT", "/connections/6622b7e8f9a0b1c2d3e4f5a6"),
            ("PATCH", "/connectors/hubspot"),
            ("PATCH", "/v0/core/connection/conn_01HX"),
        ]
    );
    assert_eq!(requests[2].body_text(), "{}");
}

#[tokio::test]
async fn invalid_json_200_is_a_decode_error_with_the_raw_body() {
    let truncated = r#"{"code": 200, "data": {"id": "cn_9d8c7b6a", "name": "Stri"#;
    let wrong_shape = r#"{"createdAt": "2024-05-02T14:03:11.482Z", "connectorName": "salesforce"}"#;
    let not_json = "OK";
    let server = Server::start([
        Reply::json(200, truncated),
        Reply::json(200, wrong_shape),
        Reply::json(200, not_json),
    ]);

    let error =
        bounded(connectors_client(&server).update_connector("cn_9d8c7b6a", &connectors_body()))
            .await
            .expect_err("truncated JSON");
    assert_no_secret(&error);
    match &error {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(&body[..], truncated.as_bytes());
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(
        std::error::Error::source(&error).is_some(),
        "the JSON error is the source"
    );

    // Valid JSON without the required fields of an OpenInt connection.
    let error =
        bounded(openint_client(&server).update_connection("conn_01HX", &Default::default()))
            .await
            .expect_err("missing required fields");
    assert_no_secret(&error);
    match &error {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(&body[..], wrong_shape.as_bytes());
        }
        other => panic!("expected Decode, got {other:?}"),
    }

    let error = bounded(membrane_client(&server).update_integration("x", None))
        .await
        .expect_err("not JSON");
    assert_no_secret(&error);
    assert!(
        matches!(&error, Error::Decode { body, .. } if &body[..] == b"OK"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        r#"could not decode response body (HTTP 200 OK): "OK""#
    );
    assert_eq!(server.finish().len(), 3);
}

// ---------------------------------------------------------------------------
// Requests that must not be sent
// ---------------------------------------------------------------------------

#[tokio::test]
async fn missing_credentials_send_nothing() {
    let server = Server::silent();

    let membrane = membrane::Client::new(server.base_url());
    let error = bounded(membrane.update_connector("hubspot", None))
        .await
        .expect_err("no token");
    assert!(
        matches!(&error, Error::MissingCredentials(m) if m == "bearer"),
        "{error:?}"
    );
    let error = bounded(membrane.update_integration("hubspot-eu", None))
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::MissingCredentials(_)), "{error:?}");
    let error = bounded(membrane.update_connection("c1", None))
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::MissingCredentials(_)), "{error:?}");

    let connectors = connectors::Client::new(server.base_url());
    let error = bounded(connectors.update_connector("cn_9d8c7b6a", &connectors_body()))
        .await
        .expect_err("no token");
    assert!(
        matches!(&error, Error::MissingCredentials(m) if m == "bearer"),
        "{error:?}"
    );

    // OpenInt needs both keys: either one alone is not enough.
    let body = oi::UpdateConnectionRequest::default();
    for client in [
        openint::Client::new(server.url("/v0")),
        openint::Client::new(server.url("/v0")).with_apikey(OPENINT_KEY),
        openint::Client::new(server.url("/v0")).with_connection_id(OPENINT_CONNECTION_ID),
    ] {
        let error = bounded(client.update_connection("conn_01HX", &body))
            .await
            .expect_err("incomplete credentials");
        assert_no_secret(&error);
        assert!(
            matches!(&error, Error::MissingCredentials(m) if m == "x-apikey + x-connection-id"),
            "{error:?}"
        );
        assert_eq!(error.status(), None);
    }

    server.assert_nothing_received();
}

#[tokio::test]
async fn dot_segment_ids_are_invalid_and_send_nothing() {
    let server = Server::silent();
    let membrane = membrane_client(&server);
    let openint = openint_client(&server);
    let connectors = connectors_client(&server);

    for id in ["..", ".", ""] {
        let mut errors = Vec::new();
        errors.push(format!(
            "{:?}",
            bounded(membrane.update_connector(id, None))
                .await
                .expect_err(id)
        ));
        errors.push(format!(
            "{:?}",
            bounded(membrane.update_integration(id, None))
                .await
                .expect_err(id)
        ));
        errors.push(format!(
            "{:?}",
            bounded(membrane.update_connection(id, None))
                .await
                .expect_err(id)
        ));
        errors.push(format!(
            "{:?}",
            bounded(openint.update_connection(id, &Default::default()))
                .await
                .expect_err(id)
        ));
        errors.push(format!(
            "{:?}",
            bounded(connectors.update_connector(id, &connectors_body()))
                .await
                .expect_err(id)
        ));
        for shown in &errors {
            assert!(shown.starts_with("InvalidRequest("), "{id:?}: {shown}");
            for secret in ALL_SECRETS {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }

    let error = bounded(connectors.update_connector("..", &connectors_body()))
        .await
        .expect_err("..");
    match &error {
        Error::InvalidRequest(message) => {
            assert!(message.contains(r#""..""#), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_no_secret(&error);
    server.assert_nothing_received();
}

/// OpenInt connection ids must start with `conn_` (`pattern: ^conn_` on the
/// path parameter); DESIGN.md says patterns are checked before a request is
/// sent.
#[tokio::test]
async fn openint_id_without_conn_prefix_is_refused_before_sending() {
    let server = Server::start([Reply::json(200, OPENINT_CONNECTION_RESPONSE)]);
    let client = openint_client(&server);
    let result = bounded(client.update_connection("int_01HX", &Default::default())).await;
    let connections = server.connections();
    drop(server);
    assert!(
        matches!(&result, Err(Error::InvalidRequest(m)) if m == "path parameter id: must match the pattern `^conn_`"),
        "{result:?}"
    );
    assert_eq!(connections, 0, "nothing may be sent");
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

#[test]
fn clients_debug_output_hides_credentials() {
    let membrane =
        membrane::Client::new("https://api.getmembrane.com").with_bearer_auth(MEMBRANE_TOKEN);
    let openint = openint::Client::default()
        .with_apikey(OPENINT_KEY)
        .with_connection_id(OPENINT_CONNECTION_ID);
    let connectors = connectors::Client::default().with_bearer_auth(CONNECTORS_TOKEN);
    let shown = [
        format!("{membrane:?}"),
        format!("{membrane:#?}"),
        format!("{openint:?}"),
        format!("{openint:#?}"),
        format!("{connectors:?}"),
        format!("{connectors:#?}"),
    ];
    for text in &shown {
        for secret in ALL_SECRETS {
            assert!(!text.contains(secret), "{secret} leaked into: {text}");
        }
        assert!(
            text.contains("\"set\""),
            "the Debug output says a credential is set: {text}"
        );
    }
    assert!(
        shown[2].contains("https://api.openint.dev/v0"),
        "{}",
        shown[2]
    );
    assert!(shown[2].contains("x-connection-id"), "{}", shown[2]);
}

#[tokio::test]
async fn transport_errors_hide_credentials() {
    // A port nobody listens on: bind, note the address, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);

    let membrane = membrane::Client::new(&base).with_bearer_auth(MEMBRANE_TOKEN);
    let error = bounded(membrane.update_connector("hubspot", None))
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_no_secret(&error);

    let openint = openint::Client::new(format!("{base}/v0"))
        .with_apikey(OPENINT_KEY)
        .with_connection_id(OPENINT_CONNECTION_ID);
    let error = bounded(openint.update_connection("conn_01HX", &Default::default()))
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_no_secret(&error);
    assert_eq!(error.to_string(), "could not connect to the server");
}
