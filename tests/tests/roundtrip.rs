//! Serde round-trips of realistic JSON through the generated types.
//!
//! Each fixture is modelled on a seed page (`/work/shared/seeds/00*.txt`, plus
//! `/work/shared/notes/membrane-model.md` for what the Membrane pages cut
//! short), with real-looking values instead of `"<string>"`. Every test
//! decodes a fixture into the generated type, encodes it again and compares
//! the two as `serde_json::Value`s, then checks specific decoded facts so that
//! a passing round-trip cannot hide a wrong decoding (for example everything
//! ending up in an `Unknown(..)` catch-all).
//!
//! Round-trips are exact: numbers included (`type: number` is a
//! `serde_json::Number`, so `42` stays `42`).

use std::any::type_name;

use apigen_runtime::Nullable;
use apigen_runtime::serde::Serialize;
use apigen_runtime::serde::de::DeserializeOwned;
use integration_clients::connectors::types as cx;
use integration_clients::membrane::types as mb;
use integration_clients::openint::types as oi;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The JSON pointer and both values of the first difference, if any.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(l), Some(r)) => {
                        if let Some(d) = first_difference(l, r, &here) {
                            return Some(d);
                        }
                    }
                    (l, r) => return Some(format!("{here}: input {l:?}, output {r:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(l, r, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: input {a}, output {b}")),
    }
}

fn assert_same_json(input: &Value, output: &Value, what: &str) {
    if let Some(difference) = first_difference(input, output, "") {
        panic!(
            "{what} did not round-trip: first difference at {difference}\n\
             input:  {input}\noutput: {output}"
        );
    }
    // `first_difference` and `==` must agree.
    assert_eq!(input, output, "{what}");
}

/// Decodes `json` as `T` (from the text, as a client does), encodes it again
/// and asserts the result equals the input as a `serde_json::Value`.
fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let (typed, input, output) = decode_encode::<T>(json);
    assert_same_json(&input, &output, type_name::<T>());
    typed
}

fn decode_encode<T: DeserializeOwned + Serialize>(json: &str) -> (T, Value, Value) {
    let input: Value = serde_json::from_str(json).expect("the fixture is valid JSON");
    let typed: T = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("could not decode the fixture as {}: {e}", type_name::<T>()));
    let text = serde_json::to_string(&typed)
        .unwrap_or_else(|e| panic!("could not encode {}: {e}", type_name::<T>()));
    let output: Value = serde_json::from_str(&text).expect("the output is valid JSON");
    (typed, input, output)
}

fn schema_type(s: &mb::DataSchema) -> Option<&mb::DataSchemaType> {
    s.r#type.as_ref()
}

fn prop<'s>(s: &'s mb::DataSchema, name: &str) -> &'s mb::DataSchema {
    s.properties
        .as_ref()
        .and_then(|p| p.get(name))
        .unwrap_or_else(|| panic!("no property {name:?} in {s:#?}"))
}

fn string_type(name: &str) -> Option<mb::DataSchemaType> {
    Some(mb::DataSchemaType::String(name.to_owned()))
}

fn array_type(names: &[&str]) -> Option<mb::DataSchemaType> {
    Some(mb::DataSchemaType::Array(
        names.iter().map(|s| (*s).to_owned()).collect(),
    ))
}

// ---------------------------------------------------------------------------
// Fixtures: Membrane (seeds 000, 001, 002)
// ---------------------------------------------------------------------------

/// `PATCH /connectors/{idOrKey}` 200 response (seed 000).
const MEMBRANE_CONNECTOR: &str = r##"{
  "id": "6620f1c3a8b4e5d6c7f80912",
  "key": "hubspot",
  "uuid": "5d0c3a8e-2f4b-4c1d-9e6a-7b8f0a1c2d3e",
  "name": "HubSpot",
  "logoUri": "https://static.getmembrane.com/connectors/hubspot/logo.png",
  "baseUri": "s3://membrane-connectors/public/hubspot/3.2.0",
  "version": "3.2.0",
  "externalAppId": "6620f1c3a8b4e5d6c7f80913",
  "categories": ["CRM", "Marketing Automation"],
  "isPublic": true,
  "popularity": 97,
  "tenantId": "65fe0b1c2d3e4f5a6b7c8d9e",
  "revision": "7c1f9e2",
  "dataCollectionsCount": 37,
  "operationsCount": 412,
  "eventsCount": 18,
  "udms": ["contacts", "companies", "deals"],
  "hasTest": true,
  "hasAuthTest": true,
  "hasOperations": true,
  "hasData": true,
  "isReadOnly": false,
  "credentialsSchema": {
    "type": "object",
    "title": "HubSpot OAuth credentials",
    "description": "Tokens returned by HubSpot's OAuth 2.0 token endpoint.",
    "properties": {
      "access_token": { "type": "string", "isSensitive": true, "readOnly": true },
      "refresh_token": { "type": "string", "isSensitive": true, "writeOnly": true },
      "expires_in": { "type": ["integer", "null"], "minimum": 0, "maximum": 21600, "default": null },
      "scopes": {
        "type": "array",
        "title": "Granted scopes",
        "maxItems": 64,
        "uniqueItems": true,
        "items": {
          "anyOf": [
            {
              "type": "string",
              "enum": ["crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read"],
              "x-enum-source": "hubspot-scopes"
            },
            {
              "type": "object",
              "required": ["scope"],
              "properties": {
                "scope": { "type": "string", "minLength": 3, "maxLength": 128 },
                "grantedAt": { "type": "string", "format": "date-time" }
              },
              "additionalProperties": {
                "type": ["string", "number", "boolean"],
                "description": "Provider-specific scope attributes.",
                "x-ui": { "widget": "key-value", "collapsed": true }
              }
            }
          ]
        }
      },
      "hub": {
        "type": "object",
        "properties": {
          "hubId": { "type": "integer", "readOnly": true },
          "hubDomain": { "type": "string", "format": "hostname" }
        },
        "additionalProperties": false
      }
    },
    "required": ["access_token", "refresh_token"],
    "additionalProperties": true,
    "x-membrane-schema-version": 2
  },
  "type": "oauth2",
  "customCredentialsSchema": {
    "type": ["object", "null"],
    "title": "Private app token",
    "properties": {
      "privateAppToken": {
        "type": "string",
        "title": "Private app access token",
        "isSensitive": true,
        "minLength": 40,
        "examples": ["pat-na1-5f0c2b1e-7a3d-4d8e-9a7b-1c2d3e4f5a6b"]
      }
    },
    "required": ["privateAppToken"],
    "additionalProperties": false,
    "isImplied": false
  },
  "inputSchema": {
    "type": "object",
    "properties": {
      "contactId": {
        "type": "string",
        "referenceCollection": { "key": "contacts", "parameters": { "archived": false, "limit": 100 } },
        "referenceCollectionPath": "data/contacts",
        "referenceCollectionUri": "data://hubspot/contacts"
      },
      "owner": { "$ref": "#/definitions/owner", "referenceUdm": "users", "allowCustom": true },
      "pipeline": {
        "type": "string",
        "enum": ["default", "sales", "renewals"],
        "default": "default",
        "referenceRecords": [
          { "id": "default", "name": "Sales pipeline" },
          { "id": "renewals", "name": "Renewals", "archived": false }
        ]
      },
      "tags": { "type": "array", "items": { "type": "string" }, "examples": [["vip", "churn-risk"]], "default": [] }
    },
    "definitions": { "owner": { "type": "object", "properties": { "id": { "type": "string" } } } }
  },
  "parametersSchema": {
    "type": "object",
    "properties": {
      "clientId": { "type": "string", "title": "Client ID" },
      "clientSecret": { "type": "string", "title": "Client secret", "isSensitive": true },
      "scopes": { "type": "array", "items": { "type": "string" }, "default": ["crm.objects.contacts.read"] }
    },
    "additionalProperties": { "type": "string" }
  },
  "getCredentialsFromConnectionParameters": {
    "type": "mapping",
    "mapping": { "accessToken": { "$var": "connectorParameters.privateAppToken" } }
  },
  "refreshCredentials": {
    "type": "operation-mapping",
    "mapping": {
      "operationKey": "refresh-access-token",
      "inputMapping": { "refreshToken": { "$var": "credentials.refresh_token" } },
      "outputMapping": null
    }
  },
  "makeApiClient": {
    "type": "rest-api-mapping",
    "mapping": {
      "path": "/crm/v3/objects/contacts/{contactId}",
      "method": "GET",
      "requestMapping": {
        "pathParameters": { "contactId": { "$var": "input.contactId" } },
        "query": { "archived": false, "properties": "email,firstname" },
        "headers": { "Authorization": { "$tpl": "Bearer {{credentials.access_token}}" } }
      },
      "responseMapping": { "$var": "response.data" }
    }
  },
  "getOAuthConfig": {
    "type": "javascript",
    "code": "export default async function getOAuthConfig({ connectorParameters }) {\n  return { clientId: connectorParameters.clientId, scopes: connectorParameters.scopes }\n}\n"
  },
  "getTokenData": {
    "type": "graphql-api-mapping",
    "mapping": {
      "path": "/graphql",
      "operationType": "query",
      "requestMapping": [
        {
          "field": "viewer",
          "subFields": [
            { "field": "id" },
            {
              "field": "account",
              "args": { "includeArchived": false },
              "subFields": [
                { "field": "name" },
                { "field": "plan", "subFields": [{ "field": "tier" }, { "field": "seats" }] }
              ]
            }
          ]
        }
      ],
      "responseMapping": { "userId": { "$var": "response.viewer.id" } }
    }
  },
  "getCredentialsFromAccessTokenResponse": {
    "type": "mapping",
    "mapping": {
      "access_token": { "$var": "response.access_token" },
      "refresh_token": { "$var": "response.refresh_token" }
    },
    "description": "Keep both tokens from the token response.",
    "x-generated-by": "membrane-console"
  },
  "getCredentialsFromRefreshTokenResponse": {
    "type": "webhook-mapping",
    "url": "https://hooks.acme.example/membrane/refresh",
    "mapping": { "access_token": { "$var": "response.access_token" } }
  },
  "test": {
    "mapping": { "$var": "credentials.access_token" },
    "description": "Definition without a type"
  },
  "disconnect": {
    "type": "javascript",
    "source": "await fetch('https://api.hubapi.com/oauth/v1/refresh-tokens/' + credentials.refresh_token, { method: 'DELETE' })"
  },
  "proxyKey": "hubspot-api-proxy",
  "options": { "sandbox": { "name": "Developer sandbox", "baseUri": "https://api.hubapi.com" } }
}"##;

/// `PATCH /integrations/{id}` 200 response (seed 001), with a `causedByError`
/// chain three levels deep and an embedded connection.
const MEMBRANE_INTEGRATION: &str = r#"{
  "name": "HubSpot (EU workspace)",
  "id": "6621a0b1c2d3e4f5a6b7c8d9",
  "uuid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  "key": "hubspot-eu",
  "description": "Syncs contacts and deals with the EU HubSpot portal.",
  "meta": { "owner": "growth-team", "costCenter": 4200 },
  "state": "CONFIGURATION_ERROR",
  "errors": [
    {
      "message": "Could not validate connector parameters",
      "type": "configuration",
      "key": "invalid_parameters",
      "data": { "parameter": "clientSecret" },
      "stack": "ConfigurationError: Could not validate connector parameters\n    at validateParameters (engine/integrations.ts:212:11)",
      "causedByError": {
        "message": "OAuth client rejected by HubSpot",
        "type": "connection",
        "key": "oauth_client_rejected",
        "data": { "status": 401, "response": { "status": "error", "message": "invalid client_secret" } },
        "causedByError": {
          "message": "Token endpoint returned 401",
          "type": "dependency_error",
          "data": null,
          "causedByError": {
            "message": "Upstream rate limit exceeded",
            "type": "upstream_rate_limited",
            "key": "hubspot_rate_limit",
            "data": { "retryAfterSeconds": 10 },
            "logs": [
              { "level": "warn", "message": "429 from api.hubapi.com", "at": "2024-04-18T09:41:07.118Z" },
              "retrying in 10s"
            ]
          }
        }
      },
      "logs": []
    }
  ],
  "revision": "e41b7d0",
  "createdAt": "2024-04-18T09:12:44.901Z",
  "updatedAt": "2024-04-18T09:41:07.502Z",
  "isDeactivated": false,
  "isReadOnly": false,
  "logoUri": "https://static.getmembrane.com/connectors/hubspot/logo.png",
  "connectorId": "6620f1c3a8b4e5d6c7f80912",
  "connectorVersion": "3.2.0",
  "oAuthCallbackUri": "https://api.getmembrane.com/oauth-callback",
  "parameters": { "clientId": "5c2e1d0a-1b2c-4d3e-8f90-a1b2c3d4e5f6", "scopes": ["crm.objects.contacts.read"] },
  "hasMissingParameters": false,
  "hasDocumentation": true,
  "hasOperations": true,
  "operationsCount": 412,
  "hasData": true,
  "dataCollectionsCount": 37,
  "hasEvents": true,
  "eventsCount": 18,
  "hasGlobalWebhooks": false,
  "hasUdm": true,
  "isTest": false,
  "externalAppId": "6620f1c3a8b4e5d6c7f80913",
  "authType": "api-key",
  "optionsConfig": { "sandbox": { "enabled": false } },
  "connection": {
    "id": "6622b7e8f9a0b1c2d3e4f5a6",
    "name": "HubSpot (EU workspace) - Acme GmbH",
    "userId": "6619c0d1e2f3a4b5c6d7e8f9",
    "createdAt": "2024-04-18T09:20:00.000Z",
    "updatedAt": "2024-04-18T09:41:07.490Z",
    "tenantId": "65fe0b1c2d3e4f5a6b7c8d9e",
    "key": "acme-gmbh",
    "isTest": false,
    "connected": false,
    "disconnected": true,
    "isDefunct": false,
    "state": "CLIENT_ACTION_REQUIRED",
    "errors": [{ "message": "Access token expired", "type": "connection", "key": "token_expired" }],
    "requestError": { "message": "Request failed with status 401", "type": "connection", "data": { "status": 401 } },
    "error": { "message": "Request failed with status 401", "type": "connection" },
    "integrationId": "6621a0b1c2d3e4f5a6b7c8d9",
    "connectorId": "6620f1c3a8b4e5d6c7f80912",
    "externalAppId": "6620f1c3a8b4e5d6c7f80913",
    "connectorVersion": "3.2.0",
    "authOptionKey": "oauth",
    "lastActiveAt": "2024-04-18T08:59:12.000Z",
    "nextCredentialsRefreshAt": "2024-04-18T10:20:00.000Z",
    "nextRetryTimestamp": "2024-04-18T09:46:07.000Z",
    "retryAttempts": 3,
    "canTest": true,
    "canRefreshCredentials": true,
    "isDeactivated": false,
    "meta": { "crmRegion": "eu1" },
    "clientAction": {
      "type": "connect",
      "description": "Reconnect HubSpot: the refresh token was revoked.",
      "uiUrl": "https://console.getmembrane.com/connections/6622b7e8f9a0b1c2d3e4f5a6/reconnect",
      "agentInstructions": "Ask the user to open uiUrl and sign in to HubSpot again."
    }
  },
  "spec": { "openapi": "3.0.0", "servers": [{ "url": "https://api.hubapi.com" }] },
  "appUri": "https://app.hubspot.com",
  "isConnected": false
}"#;

/// `PUT /connections/{id}` 200 response (seed 002), in a state this client
/// does not know.
const MEMBRANE_CONNECTION: &str = r#"{
  "id": "6622b7e8f9a0b1c2d3e4f5a6",
  "name": "HubSpot (EU workspace) - Acme GmbH",
  "userId": "6619c0d1e2f3a4b5c6d7e8f9",
  "createdAt": "2024-04-18T09:20:00.000Z",
  "updatedAt": "2024-05-02T16:05:33.210Z",
  "tenantId": "65fe0b1c2d3e4f5a6b7c8d9e",
  "key": "acme-gmbh",
  "isTest": false,
  "connected": true,
  "disconnected": false,
  "isDefunct": false,
  "state": "SUSPENDED_BY_ADMIN",
  "errors": [
    {
      "message": "Webhook subscription failed",
      "type": "action_run",
      "key": "webhook_subscribe_failed",
      "data": { "webhook": "contact.creation" },
      "stack": null,
      "causedByError": { "message": "HubSpot returned 403: missing scope", "type": "bad_request", "logs": [] },
      "logs": [{ "level": "error", "message": "POST /webhooks/v3/1234567/subscriptions -> 403" }]
    }
  ],
  "requestError": { "message": "Request failed with status 403", "type": "connection", "key": "forbidden" },
  "error": { "message": "Request failed with status 403", "type": "connection" },
  "integrationId": "6621a0b1c2d3e4f5a6b7c8d9",
  "connectorId": "6620f1c3a8b4e5d6c7f80912",
  "externalAppId": "6620f1c3a8b4e5d6c7f80913",
  "connectorVersion": "3.2.0",
  "authOptionKey": "oauth",
  "lastActiveAt": "2024-05-02T16:00:01.000Z",
  "nextCredentialsRefreshAt": "2024-05-02T16:35:00.000Z",
  "retryAttempts": 0,
  "canTest": true,
  "canRefreshCredentials": true,
  "isDeactivated": false,
  "meta": { "crmRegion": "eu1", "importedFrom": "zapier" },
  "user": {
    "id": "6619c0d1e2f3a4b5c6d7e8f9",
    "name": "Acme GmbH",
    "internalId": "acme-gmbh-42",
    "meta": { "plan": "enterprise" },
    "fields": { "country": "DE", "seats": 250 },
    "credentials": { "ssoDomain": "acme.example" },
    "lastActiveAt": "2024-05-02T15:58:44.000Z",
    "isTest": false,
    "isBillable": true,
    "isActive": true,
    "aiCreditsRolling30DayLimit": 1,
    "createdAt": "2024-01-09T11:00:00.000Z"
  },
  "integration": {
    "id": "6621a0b1c2d3e4f5a6b7c8d9",
    "name": "HubSpot (EU workspace)",
    "logoUri": "https://static.getmembrane.com/connectors/hubspot/logo.png",
    "uuid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    "key": "hubspot-eu",
    "description": "Syncs contacts and deals with the EU HubSpot portal.",
    "meta": {},
    "state": "READY",
    "errors": [],
    "revision": "f09a3c1",
    "createdAt": "2024-04-18T09:12:44.901Z",
    "updatedAt": "2024-04-19T07:00:00.000Z",
    "isDeactivated": false,
    "isReadOnly": false,
    "connectorId": "6620f1c3a8b4e5d6c7f80912",
    "connectorVersion": "3.2.0",
    "oAuthCallbackUri": "https://api.getmembrane.com/oauth-callback",
    "parameters": {},
    "hasMissingParameters": false,
    "hasDocumentation": true,
    "hasOperations": true,
    "operationsCount": 412,
    "hasData": true,
    "dataCollectionsCount": 37,
    "hasEvents": true,
    "eventsCount": 18,
    "hasGlobalWebhooks": false,
    "hasUdm": true,
    "isTest": false,
    "externalAppId": "6620f1c3a8b4e5d6c7f80913",
    "authType": "client-credentials",
    "optionsConfig": {}
  }
}"#;

/// `PATCH /connectors/{idOrKey}` request body (seed 000).
const MEMBRANE_UPDATE_CONNECTOR_REQUEST: &str = r#"{
  "key": "hubspot",
  "name": "HubSpot",
  "logoUri": "https://static.getmembrane.com/connectors/hubspot/logo.png",
  "externalAppId": "6620f1c3a8b4e5d6c7f80913",
  "externalAppUuid": "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b",
  "categories": ["CRM"],
  "type": "membrane-token",
  "customCredentialsSchema": { "type": "object", "properties": { "apiKey": { "type": "string", "isSensitive": true } } },
  "inputSchema": { "type": "object", "additionalProperties": true, "x-order": ["contactId"] },
  "parametersSchema": { "type": "object", "properties": {} },
  "getCredentialsFromConnectionParameters": { "type": "mapping", "mapping": { "apiKey": { "$var": "connectorParameters.apiKey" } } },
  "refreshCredentials": { "type": "mapping", "mapping": null },
  "makeApiClient": { "type": "rest-api-mapping", "mapping": { "path": "/", "method": "GET" } },
  "getOAuthConfig": { "type": "mapping" },
  "getTokenData": { "type": "operation-mapping", "mapping": { "operationKey": "get-token-info" } },
  "getCredentialsFromAccessTokenResponse": { "type": "javascript", "code": "export default ({ response }) => response" },
  "getCredentialsFromRefreshTokenResponse": { "type": "graphql-api-mapping", "mapping": { "path": "/graphql", "operationType": "mutation", "requestMapping": [{ "field": "refreshToken", "args": { "token": { "$var": "credentials.refresh_token" } }, "subFields": [{ "field": "accessToken" }] }] } },
  "test": { "type": "mapping", "mapping": { "$var": "credentials.apiKey" } },
  "disconnect": { "type": "mapping" },
  "proxyKey": "hubspot-api-proxy",
  "options": {}
}"#;

// ---------------------------------------------------------------------------
// Membrane
// ---------------------------------------------------------------------------

#[test]
fn membrane_connector_round_trips_and_decodes() {
    let c: mb::Connector = round_trip(MEMBRANE_CONNECTOR);
    assert_eq!(c.id, "6620f1c3a8b4e5d6c7f80912");
    assert_eq!(c.r#type, Some(mb::ConnectorAuthType::Oauth2));
    assert_eq!(
        c.operations_count.as_ref().and_then(|n| n.as_u64()),
        Some(412)
    );
    assert_eq!(c.is_read_only, Some(false));
    assert_eq!(c.archived_at, None);

    // credentialsSchema: a recursive DataSchema.
    let creds = c.credentials_schema.as_ref().expect("credentialsSchema");
    assert_eq!(schema_type(creds), string_type("object").as_ref());
    assert_eq!(
        creds.additional_properties,
        Some(mb::DataSchemaAdditionalProperties::Boolean(true))
    );
    assert_eq!(
        creds.extra.get("x-membrane-schema-version"),
        Some(&json!(2)),
        "unknown top-level key kept in `extra`"
    );
    assert_eq!(creds.extra.len(), 1, "{:?}", creds.extra);
    assert_eq!(
        creds.required.as_deref(),
        Some(&["access_token".to_owned(), "refresh_token".to_owned()][..])
    );

    let access = prop(creds, "access_token");
    assert_eq!(access.is_sensitive, Some(true));
    assert_eq!(access.default, Nullable::Absent);
    assert!(access.extra.is_empty());

    // `type` as an array, `default: null` distinct from absent.
    let expires = prop(creds, "expires_in");
    assert_eq!(
        schema_type(expires),
        array_type(&["integer", "null"]).as_ref()
    );
    assert_eq!(expires.default, Nullable::Null);
    assert_eq!(
        expires.maximum.as_ref().and_then(|n| n.as_u64()),
        Some(21600)
    );

    // properties -> items -> anyOf -> additionalProperties (schema).
    let scopes = prop(creds, "scopes");
    assert_eq!(scopes.extra.get("uniqueItems"), Some(&json!(true)));
    let items = scopes.items.as_deref().expect("scopes.items");
    assert_eq!(items.r#type, None);
    let any_of = items.any_of.as_deref().expect("items.anyOf");
    assert_eq!(any_of.len(), 2);
    assert_eq!(schema_type(&any_of[0]), string_type("string").as_ref());
    assert_eq!(any_of[0].r#enum.as_ref().map(Vec::len), Some(3));
    assert_eq!(
        any_of[0].extra.get("x-enum-source"),
        Some(&json!("hubspot-scopes"))
    );
    assert_eq!(
        prop(&any_of[1], "scope")
            .min_length
            .as_ref()
            .and_then(|n| n.as_u64()),
        Some(3)
    );
    match &any_of[1].additional_properties {
        Some(mb::DataSchemaAdditionalProperties::DataSchema(inner)) => {
            assert_eq!(
                schema_type(inner),
                array_type(&["string", "number", "boolean"]).as_ref()
            );
            assert_eq!(
                inner.description.as_deref(),
                Some("Provider-specific scope attributes.")
            );
            assert_eq!(
                inner.extra.get("x-ui"),
                Some(&json!({"widget": "key-value", "collapsed": true})),
                "unknown key five levels down kept in `extra`"
            );
        }
        other => panic!("additionalProperties should be a schema, got {other:?}"),
    }
    assert_eq!(
        prop(creds, "hub").additional_properties,
        Some(mb::DataSchemaAdditionalProperties::Boolean(false))
    );

    // The other three schemas.
    let custom = c.custom_credentials_schema.as_ref().expect("custom");
    assert_eq!(
        schema_type(custom),
        array_type(&["object", "null"]).as_ref()
    );
    assert_eq!(custom.is_implied, Some(false));
    assert_eq!(
        prop(custom, "privateAppToken").examples,
        Some(vec![json!("pat-na1-5f0c2b1e-7a3d-4d8e-9a7b-1c2d3e4f5a6b")])
    );
    let input = c.input_schema.as_ref().expect("inputSchema");
    assert!(input.extra.contains_key("definitions"));
    let contact = prop(input, "contactId");
    let reference = contact.reference_collection.as_ref().expect("ref coll");
    assert_eq!(reference.key, Nullable::Value(json!("contacts")));
    assert_eq!(
        reference.parameters.as_ref().and_then(|p| p.get("limit")),
        Some(&json!(100))
    );
    let owner = prop(input, "owner");
    assert_eq!(owner.r#ref.as_deref(), Some("#/definitions/owner"));
    assert_eq!(owner.reference_udm.as_deref(), Some("users"));
    assert_eq!(owner.allow_custom, Some(true));
    assert_eq!(
        prop(input, "pipeline").default,
        Nullable::Value(json!("default"))
    );
    assert_eq!(prop(input, "tags").default, Nullable::Value(json!([])));
    let params = c.parameters_schema.as_ref().expect("parametersSchema");
    assert!(matches!(
        &params.additional_properties,
        Some(mb::DataSchemaAdditionalProperties::DataSchema(s))
            if s.r#type == string_type("string")
    ));
}

#[test]
fn membrane_connector_function_definitions_decode_by_type() {
    let c: mb::Connector = serde_json::from_str(MEMBRANE_CONNECTOR).expect("decode");
    use mb::FunctionDefinition as F;

    // mapping
    match c.get_credentials_from_connection_parameters.as_ref() {
        Some(F::MappingFunction(f)) => {
            assert_eq!(f.r#type, mb::MappingFunctionType::Mapping);
            assert_eq!(
                f.mapping,
                Nullable::Value(
                    json!({"accessToken": {"$var": "connectorParameters.privateAppToken"}})
                )
            );
            assert!(f.extra.is_empty());
        }
        other => panic!("expected a mapping function, got {other:?}"),
    }
    // mapping with extra keys kept
    match c.get_credentials_from_access_token_response.as_ref() {
        Some(F::MappingFunction(f)) => {
            assert_eq!(
                f.extra.get("description"),
                Some(&json!("Keep both tokens from the token response."))
            );
            assert_eq!(
                f.extra.get("x-generated-by"),
                Some(&json!("membrane-console"))
            );
            assert_eq!(f.extra.len(), 2);
        }
        other => panic!("expected a mapping function, got {other:?}"),
    }
    // operation-mapping, with `outputMapping: null` distinct from absent
    match c.refresh_credentials.as_ref() {
        Some(F::OperationMappingFunction(f)) => {
            assert_eq!(f.r#type, mb::OperationMappingFunctionType::OperationMapping);
            assert_eq!(f.mapping.operation_key, "refresh-access-token");
            assert!(f.mapping.input_mapping.is_value());
            assert_eq!(f.mapping.output_mapping, Nullable::Null);
        }
        other => panic!("expected an operation-mapping function, got {other:?}"),
    }
    // rest-api-mapping
    match c.make_api_client.as_ref() {
        Some(F::RestApiMappingFunction(f)) => {
            assert_eq!(f.mapping.path, "/crm/v3/objects/contacts/{contactId}");
            assert_eq!(f.mapping.method, "GET");
            let rm = f.mapping.request_mapping.as_ref().expect("requestMapping");
            assert_eq!(
                rm.path_parameters,
                Nullable::Value(json!({"contactId": {"$var": "input.contactId"}}))
            );
            assert_eq!(rm.data, Nullable::Absent);
            assert!(rm.query.is_value() && rm.headers.is_value());
            assert_eq!(
                f.mapping.response_mapping,
                Nullable::Value(json!({"$var": "response.data"}))
            );
        }
        other => panic!("expected a rest-api-mapping function, got {other:?}"),
    }
    // javascript
    match c.get_o_auth_config.as_ref() {
        Some(F::JavascriptFunction(f)) => {
            assert_eq!(f.r#type, mb::JavascriptFunctionType::Javascript);
            assert!(
                f.code
                    .starts_with("export default async function getOAuthConfig")
            );
            assert!(f.code.ends_with("}\n"));
        }
        other => panic!("expected a javascript function, got {other:?}"),
    }
    // graphql-api-mapping with nested subFields
    match c.get_token_data.as_ref() {
        Some(F::GraphqlApiMappingFunction(f)) => {
            assert_eq!(
                f.mapping.operation_type,
                mb::GraphqlApiMappingFunctionMappingOperationType::Query
            );
            let viewer = &f.mapping.request_mapping[0];
            assert_eq!(viewer.field, "viewer");
            assert_eq!(viewer.args, None);
            let account = &viewer.sub_fields.as_ref().expect("viewer.subFields")[1];
            assert_eq!(account.field, "account");
            assert_eq!(
                account.args.as_ref().and_then(|a| a.get("includeArchived")),
                Some(&json!(false))
            );
            let plan = &account.sub_fields.as_ref().expect("account.subFields")[1];
            assert_eq!(plan.field, "plan");
            let deepest: Vec<&str> = plan
                .sub_fields
                .as_ref()
                .expect("plan.subFields")
                .iter()
                .map(|f| f.field.as_str())
                .collect();
            assert_eq!(deepest, ["tier", "seats"]);
        }
        other => panic!("expected a graphql-api-mapping function, got {other:?}"),
    }
    // an unknown `type` value: kept verbatim
    assert_eq!(
        c.get_credentials_from_refresh_token_response,
        Some(F::Unknown(json!({
            "type": "webhook-mapping",
            "url": "https://hooks.acme.example/membrane/refresh",
            "mapping": {"access_token": {"$var": "response.access_token"}}
        })))
    );
    // no `type` at all: kept verbatim
    assert_eq!(
        c.test,
        Some(F::Unknown(json!({
            "mapping": {"$var": "credentials.access_token"},
            "description": "Definition without a type"
        })))
    );
    // a known `type` whose shape does not match (javascript without `code`):
    // kept verbatim rather than failing the whole connector
    match c.disconnect.as_ref() {
        Some(F::Unknown(v)) => {
            assert_eq!(v["type"], "javascript");
            assert!(v["source"].as_str().is_some_and(|s| s.contains("DELETE")));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[test]
fn membrane_update_connector_request_round_trips() {
    let r: mb::UpdateConnectorRequest = round_trip(MEMBRANE_UPDATE_CONNECTOR_REQUEST);
    use mb::FunctionDefinition as F;
    assert_eq!(r.r#type, Some(mb::ConnectorAuthType::MembraneToken));
    assert_eq!(
        r.input_schema.as_ref().and_then(|s| s.extra.get("x-order")),
        Some(&json!(["contactId"]))
    );
    assert_eq!(
        r.parameters_schema
            .as_ref()
            .and_then(|s| s.properties.as_ref()),
        Some(&Default::default())
    );
    assert!(
        matches!(&r.refresh_credentials, Some(F::MappingFunction(f)) if f.mapping == Nullable::Null)
    );
    assert!(
        matches!(&r.get_o_auth_config, Some(F::MappingFunction(f)) if f.mapping == Nullable::Absent)
    );
    assert!(matches!(
        &r.make_api_client,
        Some(F::RestApiMappingFunction(f))
            if f.mapping.request_mapping.is_none() && f.mapping.response_mapping.is_absent()
    ));
    assert!(matches!(
        &r.get_token_data,
        Some(F::OperationMappingFunction(f))
            if f.mapping.input_mapping.is_absent() && f.mapping.output_mapping.is_absent()
    ));
    assert!(matches!(
        &r.get_credentials_from_access_token_response,
        Some(F::JavascriptFunction(_))
    ));
    assert!(matches!(
        &r.get_credentials_from_refresh_token_response,
        Some(F::GraphqlApiMappingFunction(f))
            if f.mapping.operation_type
                == mb::GraphqlApiMappingFunctionMappingOperationType::Mutation
    ));
    assert_eq!(r.options, Some(Default::default()));
}

/// Walks a `causedByError` chain.
fn causes(error: &mb::ErrorObject) -> Vec<&mb::ErrorObject> {
    let mut chain = vec![error];
    while let Some(next) = chain.last().and_then(|e| e.caused_by_error.as_deref()) {
        chain.push(next);
    }
    chain
}

#[test]
#[allow(deprecated)] // reads `Connection::disconnected` and `Connection::error`
fn membrane_integration_round_trips_and_decodes() {
    let i: mb::Integration = round_trip(MEMBRANE_INTEGRATION);
    assert_eq!(i.name, "HubSpot (EU workspace)");
    assert_eq!(i.state, Some(mb::ElementState::ConfigurationError));
    assert_eq!(
        i.auth_type,
        Some(mb::ConnectorAuthType::Other("api-key".to_owned())),
        "unknown auth type kept verbatim"
    );
    assert_eq!(
        i.meta.as_ref().and_then(|m| m.get("costCenter")),
        Some(&json!(4200))
    );

    // causedByError, three levels deep.
    let errors = i.errors.as_deref().expect("errors");
    assert_eq!(errors.len(), 1);
    let chain = causes(&errors[0]);
    assert_eq!(chain.len(), 4, "root plus three causes");
    let types: Vec<Option<&mb::ErrorType>> = chain.iter().map(|e| e.r#type.as_ref()).collect();
    assert_eq!(
        types,
        [
            Some(&mb::ErrorType::Configuration),
            Some(&mb::ErrorType::Connection),
            Some(&mb::ErrorType::DependencyError),
            Some(&mb::ErrorType::Other("upstream_rate_limited".to_owned())),
        ]
    );
    assert_eq!(chain[0].logs, Some(vec![]));
    assert!(
        matches!(&chain[0].stack, Nullable::Value(Value::String(s)) if s.contains("validateParameters"))
    );
    assert_eq!(chain[1].stack, Nullable::Absent);
    assert_eq!(chain[2].data, Nullable::Null);
    assert_eq!(chain[2].key, None);
    let deepest = chain[3];
    assert_eq!(deepest.message, "Upstream rate limit exceeded");
    assert_eq!(deepest.key.as_deref(), Some("hubspot_rate_limit"));
    assert_eq!(
        deepest.data,
        Nullable::Value(json!({"retryAfterSeconds": 10}))
    );
    assert_eq!(deepest.logs.as_ref().map(Vec::len), Some(2));
    assert_eq!(deepest.caused_by_error, None);

    // The embedded connection.
    let conn = i.connection.as_ref().expect("connection");
    assert_eq!(conn.state, Some(mb::ElementState::ClientActionRequired));
    assert_eq!(conn.disconnected, Some(true));
    assert_eq!(
        conn.error.as_ref().map(|e| e.message.as_str()),
        Some("Request failed with status 401")
    );
    assert_eq!(
        conn.retry_attempts.as_ref().and_then(|n| n.as_u64()),
        Some(3)
    );
    let action = conn.client_action.as_ref().expect("clientAction");
    assert_eq!(action.r#type, Some(mb::ClientActionType::Connect));
    assert!(
        action
            .ui_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/reconnect"))
    );
    assert_eq!(conn.integration, None);
    assert_eq!(conn.user, None);
}

#[test]
#[allow(deprecated)] // reads `Connection::disconnected`
fn membrane_connection_round_trips_and_decodes() {
    let c: mb::Connection = round_trip(MEMBRANE_CONNECTION);
    assert_eq!(
        c.state,
        Some(mb::ElementState::Other("SUSPENDED_BY_ADMIN".to_owned())),
        "unknown connection state kept verbatim"
    );
    assert_eq!(
        c.state.as_ref().map(mb::ElementState::as_str),
        Some("SUSPENDED_BY_ADMIN")
    );
    assert_eq!(c.disconnected, Some(false));
    assert_eq!(c.client_action, None);
    assert_eq!(c.next_retry_timestamp, None);
    let errors = c.errors.as_deref().expect("errors");
    assert_eq!(errors[0].r#type, Some(mb::ErrorType::ActionRun));
    assert_eq!(
        errors[0].stack,
        Nullable::Null,
        "`stack: null` is not absent"
    );
    let cause = errors[0].caused_by_error.as_deref().expect("cause");
    assert_eq!(cause.r#type, Some(mb::ErrorType::BadRequest));
    assert_eq!(cause.data, Nullable::Absent);
    assert_eq!(
        c.request_error.as_ref().and_then(|e| e.key.as_deref()),
        Some("forbidden")
    );

    let user = c.user.as_ref().expect("user");
    assert_eq!(user.internal_id.as_deref(), Some("acme-gmbh-42"));
    assert_eq!(
        user.ai_credits_rolling30_day_limit
            .as_ref()
            .and_then(|n| n.as_u64()),
        Some(1)
    );
    assert_eq!(
        user.fields.as_ref().and_then(|f| f.get("seats")),
        Some(&json!(250))
    );
    assert_eq!(user.archived_at, None);

    let integration = c.integration.as_deref().expect("integration");
    assert_eq!(integration.state, Some(mb::ElementState::Ready));
    assert_eq!(
        integration.auth_type,
        Some(mb::ConnectorAuthType::ClientCredentials)
    );
    assert_eq!(integration.errors, Some(vec![]));
    assert_eq!(integration.connection, None);
}

#[test]
fn membrane_request_bodies_round_trip() {
    let connection: mb::UpdateConnectionRequest = round_trip(
        r#"{
          "name": "HubSpot (EU workspace) - Acme GmbH",
          "meta": { "crmRegion": "eu1" },
          "authOptionKey": "oauth",
          "key": null,
          "integrationKey": "hubspot-eu",
          "connectorVersion": "3.2.0",
          "credentials": { "access_token": "CJSP5qf1MRICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4", "expires_in": 1800 },
          "connectorParameters": { "clientId": "5c2e1d0a-1b2c-4d3e-8f90-a1b2c3d4e5f6" },
          "input": { "portalId": 1234567 },
          "intent": "Reconnect with the marketing scopes as well"
        }"#,
    );
    assert_eq!(connection.key, Nullable::Null, "`key: null` clears the key");
    assert_eq!(connection.integration_id, None);
    let absent: mb::UpdateConnectionRequest =
        serde_json::from_str(r#"{"name": "x"}"#).expect("decode");
    assert_eq!(absent.key, Nullable::Absent);
    assert_eq!(serde_json::to_string(&absent).unwrap(), r#"{"name":"x"}"#);

    let integration: mb::UpdateIntegrationRequest = round_trip(
        r#"{
          "uuid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
          "key": "hubspot-eu",
          "name": "HubSpot (EU workspace)",
          "description": "Syncs contacts and deals with the EU HubSpot portal.",
          "meta": { "owner": "growth-team" },
          "logoUri": "https://static.getmembrane.com/connectors/hubspot/logo.png",
          "oAuthCallbackUri": "https://api.getmembrane.com/oauth-callback",
          "logoBase64": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
          "connectorKey": "hubspot",
          "connectorVersion": "3.2.0",
          "parameters": { "clientId": "5c2e1d0a", "clientSecret": "s3cr3t", "scopes": ["crm.objects.contacts.read"] },
          "optionsConfig": { "sandbox": { "enabled": true } }
        }"#,
    );
    assert_eq!(integration.connector_key.as_deref(), Some("hubspot"));
    assert_eq!(integration.connector_id, None);
}

/// The Membrane fixtures must come back exactly, integers included.
#[test]
fn membrane_fixtures_round_trip_exactly() {
    round_trip::<mb::Connection>(
        r#"{"id": "c1", "name": "n", "userId": "u", "createdAt": "2024-04-18T09:20:00.000Z",
            "updatedAt": "2024-04-18T09:20:00.000Z", "retryAttempts": 3}"#,
    );
    round_trip::<mb::Connector>(MEMBRANE_CONNECTOR);
    round_trip::<mb::Integration>(MEMBRANE_INTEGRATION);
    round_trip::<mb::Connection>(MEMBRANE_CONNECTION);
}

// ---------------------------------------------------------------------------
// OpenInt (seed 004)
// ---------------------------------------------------------------------------

/// A connection with a value, a `null` and an absent nullable field, and a
/// status this client does not know.
const OPENINT_CONNECTION: &str = r#"{
  "createdAt": "2024-05-02T14:03:11.482Z",
  "updatedAt": "2024-05-06T08:15:40.019Z",
  "id": "conn_01HX4Z8K2M3N4P5Q6R7S8T9V0W",
  "connectorName": "salesforce",
  "displayName": "Acme Salesforce (prod)",
  "customerId": null,
  "connectorConfigId": "ccfg_01HX4Y7J1K2L3M4N5P6Q7R8S9T",
  "settings": {
    "oauth": { "credentials": { "instance_url": "https://acme.my.salesforce.com", "token_type": "Bearer", "scope": "api refresh_token" } },
    "sandbox": false
  },
  "standard": {
    "displayName": null,
    "status": "degraded",
    "statusMessage": "Refresh token expires in 3 days",
    "labels": ["prod", "crm"]
  },
  "disabled": false,
  "metadata": { "team": "revops", "priority": 2, "tags": ["tier-1"], "notes": null }
}"#;

/// Every nullable field explicitly `null`.
const OPENINT_CONNECTION_NULLS: &str = r#"{
  "createdAt": "2024-05-02T14:03:11.482Z",
  "updatedAt": "2024-05-02T14:03:11.482Z",
  "id": "conn_01HX50000000000000000000AB",
  "connectorName": "hubspot",
  "displayName": null,
  "customerId": null,
  "connectorConfigId": "ccfg_01HX4Y7J1K2L3M4N5P6Q7R8S9T",
  "integrationId": null,
  "settings": null,
  "standard": null,
  "metadata": null
}"#;

/// Non-object metadata, a known status, and no optional field null.
const OPENINT_CONNECTION_SCALAR_METADATA: &str = r#"{
  "createdAt": "2024-03-30T22:10:00.000Z",
  "updatedAt": "2024-03-30T22:10:00.000Z",
  "id": "conn_01HTB3Q9W8E7R6T5Y4U3I2O1P0",
  "connectorName": "quickbooks",
  "customerId": "cus_8412",
  "connectorConfigId": "ccfg_01HTB3Q0000000000000000000",
  "integrationId": "int_01HTB3QXYZ0000000000000000",
  "settings": {},
  "standard": { "status": "healthy", "labels": [] },
  "disabled": true,
  "metadata": "imported-from-v1"
}"#;

#[test]
fn openint_connection_round_trips_null_absent_and_value() {
    let c: oi::Connection = round_trip(OPENINT_CONNECTION);
    assert_eq!(c.id, "conn_01HX4Z8K2M3N4P5Q6R7S8T9V0W");
    assert_eq!(
        c.display_name,
        Nullable::Value("Acme Salesforce (prod)".to_owned())
    );
    assert_eq!(c.customer_id, Nullable::Null);
    assert_eq!(c.integration_id, Nullable::Absent);
    assert_eq!(c.disabled, Some(false));
    assert!(matches!(&c.settings, Nullable::Value(s) if s.get("sandbox") == Some(&json!(false))));
    assert_eq!(
        c.metadata,
        Nullable::Value(
            json!({"team": "revops", "priority": 2, "tags": ["tier-1"], "notes": null})
        )
    );
    let Nullable::Value(standard) = &c.standard else {
        panic!("standard: {:?}", c.standard)
    };
    assert_eq!(standard.display_name, Nullable::Null);
    assert_eq!(
        standard.status,
        Nullable::Value(oi::ConnectionStatus::Other("degraded".to_owned())),
        "unknown status kept verbatim"
    );
    assert_eq!(
        standard.status_message,
        Nullable::Value("Refresh token expires in 3 days".to_owned())
    );
    assert_eq!(
        standard.labels,
        Some(vec!["prod".to_owned(), "crm".to_owned()])
    );
}

#[test]
fn openint_connection_round_trips_explicit_nulls() {
    let c: oi::Connection = round_trip(OPENINT_CONNECTION_NULLS);
    assert_eq!(c.display_name, Nullable::Null);
    assert_eq!(c.customer_id, Nullable::Null);
    assert_eq!(c.integration_id, Nullable::Null);
    assert_eq!(c.settings, Nullable::Null);
    assert_eq!(c.standard, Nullable::Null);
    assert_eq!(c.metadata, Nullable::Null);
    assert_eq!(c.disabled, None);
    let text = serde_json::to_string(&c).expect("encode");
    for key in [
        "displayName",
        "customerId",
        "integrationId",
        "settings",
        "standard",
        "metadata",
    ] {
        assert!(text.contains(&format!(r#""{key}":null"#)), "{key}: {text}");
    }
    assert!(!text.contains("disabled"), "{text}");
}

#[test]
fn openint_connection_round_trips_scalar_metadata_and_known_status() {
    let c: oi::Connection = round_trip(OPENINT_CONNECTION_SCALAR_METADATA);
    assert_eq!(c.display_name, Nullable::Absent);
    assert_eq!(c.customer_id, Nullable::Value("cus_8412".to_owned()));
    assert_eq!(
        c.integration_id,
        Nullable::Value("int_01HTB3QXYZ0000000000000000".to_owned())
    );
    assert_eq!(c.settings, Nullable::Value(Default::default()));
    assert_eq!(c.metadata, Nullable::Value(json!("imported-from-v1")));
    let Nullable::Value(standard) = &c.standard else {
        panic!("standard: {:?}", c.standard)
    };
    assert_eq!(
        standard.status,
        Nullable::Value(oi::ConnectionStatus::Healthy)
    );
    assert_eq!(standard.display_name, Nullable::Absent);
    assert_eq!(standard.status_message, Nullable::Absent);
    assert_eq!(standard.labels, Some(vec![]));
}

#[test]
fn openint_update_request_serialises_null_value_and_absent_exactly() {
    let request = oi::UpdateConnectionRequest {
        display_name: Nullable::Null,
        customer_id: Nullable::Value("cus_8412".to_owned()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&request).expect("encode"),
        r#"{"displayName":null,"customerId":"cus_8412"}"#
    );
    assert_eq!(
        serde_json::to_string(&oi::UpdateConnectionRequest::default()).expect("encode"),
        "{}"
    );

    // Decoding keeps the three states apart too.
    let decoded: oi::UpdateConnectionRequest = round_trip(
        r#"{"settings": null, "metadata": {"source": "crm-sync"}, "disabled": true, "integrationId": null}"#,
    );
    assert_eq!(decoded.settings, Nullable::Null);
    assert_eq!(decoded.display_name, Nullable::Absent);
    assert_eq!(
        decoded.metadata,
        Nullable::Value(json!({"source": "crm-sync"}))
    );
    assert_eq!(decoded.disabled, Some(true));
    assert_eq!(decoded.customer_id, Nullable::Absent);
    assert_eq!(decoded.integration_id, Nullable::Null);

    // `metadata: null` is a value of the `any` schema's null, not absent.
    let null_metadata: oi::UpdateConnectionRequest = round_trip(r#"{"metadata": null}"#);
    assert_eq!(null_metadata.metadata, Nullable::Null);
}

// ---------------------------------------------------------------------------
// Connectors (seed 003)
// ---------------------------------------------------------------------------

const CONNECTORS_OK: &str = r#"{
  "code": 200,
  "data": {
    "createdAt": "2024-03-11T10:22:05Z",
    "createdBy": "usr_7f3a2c",
    "description": "Production Stripe account for EU billing",
    "id": "cn_9d8c7b6a",
    "maskedData": { "apiKey": "sk_live_************4f2a", "webhookSecret": "whsec_****", "accountId": "acct_1NqX2bLkdIwHu7ix", "retries": 3 },
    "name": "Stripe EU",
    "organizationId": "org_41b2",
    "provider": "stripe",
    "type": "payment",
    "updatedAt": "2024-05-06T08:15:40Z",
    "updatedBy": "usr_7f3a2c"
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
  "message": "connector cn_missing not found",
  "requestId": "req_9f8e7d6c5b4a"
}"#;

#[test]
fn connectors_envelope_round_trips() {
    let r: cx::ConnectorResponse = round_trip(CONNECTORS_OK);
    assert_eq!(r.code, Some(200));
    assert_eq!(r.message.as_deref(), Some("success"));
    assert_eq!(r.request_id.as_deref(), Some("req_5f0e1d2c3b4a"));
    let data = r.data.as_ref().expect("data");
    assert_eq!(data.id.as_deref(), Some("cn_9d8c7b6a"));
    assert_eq!(data.provider.as_deref(), Some("stripe"));
    assert_eq!(data.r#type.as_deref(), Some("payment"));
    assert_eq!(
        data.masked_data.as_ref().and_then(|m| m.get("retries")),
        Some(&json!(3))
    );

    let minimal: cx::ConnectorResponse = round_trip(r#"{"code": 200, "message": "success"}"#);
    assert_eq!(minimal.data, None);
}

#[test]
fn connectors_error_envelope_round_trips() {
    let bad: cx::ErrorResponse = round_trip(CONNECTORS_BAD_REQUEST);
    assert_eq!(bad.code, Some(400));
    assert_eq!(bad.message.as_deref(), Some("validation failed"));
    match &bad.data {
        Nullable::Value(data) => assert_eq!(
            data.get("errors"),
            Some(&json!([{"field": "name", "message": "name must be at most 64 characters"}]))
        ),
        other => panic!("data: {other:?}"),
    }

    let missing: cx::ErrorResponse = round_trip(CONNECTORS_NOT_FOUND);
    assert_eq!(missing.code, Some(404));
    assert_eq!(missing.data, Nullable::Null, "`data: null` is not absent");
    assert_eq!(missing.request_id.as_deref(), Some("req_9f8e7d6c5b4a"));

    let absent: cx::ErrorResponse = round_trip(r#"{"code": 404, "message": "not found"}"#);
    assert_eq!(absent.data, Nullable::Absent);
}

#[test]
fn connectors_update_request_option_1_round_trips() {
    let r: cx::UpdateConnectorRequest = round_trip(
        r#"{"name": "Stripe EU", "description": "Production Stripe account for EU billing",
            "data": {"apiKey": "sk_live_51NqX2bLkdIwHu7ix", "webhookSecret": "whsec_8d7c6b5a"}}"#,
    );
    match r {
        cx::UpdateConnectorRequest::ConnectorUpdateOption1(o) => {
            assert_eq!(o.name.as_deref(), Some("Stripe EU"));
            assert_eq!(
                o.data.as_ref().and_then(|d| d.get("webhookSecret")),
                Some(&json!("whsec_8d7c6b5a"))
            );
        }
        other => panic!("expected Option 1, got {other:?}"),
    }
    let built = cx::UpdateConnectorRequest::ConnectorUpdateOption1(cx::ConnectorUpdateOption1 {
        name: Some("Stripe EU".to_owned()),
        ..Default::default()
    });
    assert_eq!(
        serde_json::to_string(&built).expect("encode"),
        r#"{"name":"Stripe EU"}"#
    );
}

/// A body with keys Option 1 does not declare must not lose them: it is an
/// Option 2 (free-form) body, or at worst kept verbatim.
#[test]
fn connectors_update_request_option_2_keeps_every_key() {
    let r: cx::UpdateConnectorRequest = round_trip(
        r#"{"provider": "stripe", "credentials": {"apiKey": "sk_live_51NqX2bLkdIwHu7ix"}, "name": "Stripe EU"}"#,
    );
    assert!(
        !matches!(r, cx::UpdateConnectorRequest::ConnectorUpdateOption1(_)),
        "{r:?}"
    );
}
