//! The code generated from a Swagger 2.0 spec (`fixtures/petstore_v2.yaml`)
//! and from a spec split over several files (`fixtures/multi/`) works like
//! that of any 3.x spec: serde round-trips on realistic JSON, and requests
//! checked on the wire against a loopback server.

use apigen_runtime::Nullable;
use apigen_runtime::serde::Serialize;
use apigen_runtime::serde::de::DeserializeOwned;
use apigen_tests::calls::bounded;
use apigen_tests::http::{Reply, Server};
use apigen_tests::{multi, petstore_v2 as v2};
use serde_json::{Value, json};

/// Decodes `input` as `T`, encodes it again and asserts the two JSON values
/// are equal.
fn round_trip<T: DeserializeOwned + Serialize>(input: Value) -> T {
    let typed: T = serde_json::from_str(&input.to_string())
        .unwrap_or_else(|e| panic!("could not decode {input}: {e}"));
    let again: Value = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        again,
        input,
        "{} did not round-trip",
        std::any::type_name::<T>()
    );
    typed
}

// ---------------------------------------------------------------------------
// Swagger 2.0

#[test]
fn swagger2_definitions_keep_null_absent_and_unknown_values() {
    // `category` is `x-nullable` beside a `$ref`, `nickname` a nullable
    // string: absent, null and a value are three different things.
    let pet: v2::types::Pet = round_trip(json!({
        "id": 7,
        "category": null,
        "name": "Rex",
        "photoUrls": ["https://img.example/rex.png"],
        "tags": [{"id": 1, "name": "good boy"}],
        "status": "adopted"
    }));
    assert_eq!(pet.category, Nullable::Null);
    assert_eq!(pet.nickname, Nullable::Absent);
    assert_eq!(
        pet.status,
        Some(v2::types::PetStatus::Other("adopted".into()))
    );

    let pet: v2::types::Pet = round_trip(json!({
        "category": {"id": 2, "name": "dogs"},
        "name": "Rex",
        "photoUrls": [],
        "nickname": "Rexy",
        "status": "available"
    }));
    assert_eq!(
        pet.category,
        Nullable::Value(v2::types::Category {
            id: Some(2),
            name: Some("dogs".into())
        })
    );
    assert_eq!(pet.status, Some(v2::types::PetStatus::Available));

    let order: v2::types::Order = round_trip(json!({
        "id": 1, "petId": 7, "quantity": 2, "shipDate": null,
        "status": "placed", "complete": true
    }));
    assert_eq!(order.ship_date, Nullable::Null);
}

#[test]
fn swagger2_servers_and_security_come_from_host_and_security_definitions() {
    assert_eq!(
        v2::Client::DEFAULT_BASE_URL,
        "https://petstore.swagger.io/v2"
    );
    // basic, apiKey and OAuth 2 (sent as a bearer token) each get a method.
    let _ = v2::Client::default()
        .with_api_key("k")
        .with_basic_auth("user", "pass")
        .with_petstore_auth("token");
}

#[tokio::test]
async fn swagger2_body_query_and_header_parameters_are_sent() {
    let pet = json!({"id": 7, "name": "Rex", "photoUrls": [], "status": "pending"});
    let server = Server::start([
        Reply::json(200, pet.to_string()),
        Reply::json(200, format!("[{pet}]")),
    ]);
    // `addPet` needs OAuth 2, the other operations the API key.
    let client = v2::Client::new(server.base_url())
        .with_petstore_auth("tok")
        .with_api_key("k");
    let body = v2::types::Pet {
        id: None,
        category: Nullable::Absent,
        name: "Rex".into(),
        photo_urls: vec![],
        tags: None,
        status: Some(v2::types::PetStatus::Pending),
        nickname: Nullable::Null,
    };
    let params = v2::AddPetParams {
        x_request_id: Some("0d9c6c1e-2a4b-4c1d-9e6a-7b8f0a1c2d3e".into()),
    };
    let stored = bounded(client.add_pet(&body, &params)).await.unwrap();
    assert_eq!(stored.id, Some(7));

    let status = [
        v2::types::FindPetsByStatusStatusItem::Available,
        v2::types::FindPetsByStatusStatusItem::Sold,
    ];
    let params = v2::FindPetsByStatusParams { limit: Some(5) };
    let found = bounded(client.find_pets_by_status(&status, &params))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    let requests = server.finish();
    let add = &requests[0];
    assert_eq!((add.method.as_str(), add.path()), ("POST", "/pet"));
    assert_eq!(add.header("authorization"), Some("Bearer tok"));
    assert_eq!(
        add.header("x-request-id"),
        Some("0d9c6c1e-2a4b-4c1d-9e6a-7b8f0a1c2d3e")
    );
    assert_eq!(add.header("content-type"), Some("application/json"));
    assert_eq!(
        add.body_json(),
        json!({"name": "Rex", "photoUrls": [], "status": "pending", "nickname": null})
    );
    // `collectionFormat: multi`: one `status` per value.
    let find = &requests[1];
    assert_eq!(find.path(), "/pet/findByStatus");
    assert_eq!(find.query(), Some("status=available&status=sold&limit=5"));
    assert_eq!(find.header("api_key"), Some("k"));
    assert_eq!(find.header("authorization"), None);
}

#[tokio::test]
async fn swagger2_shared_responses_are_typed_errors() {
    let server = Server::start([Reply::json(404, r#"{"message": "no pet 9"}"#)]);
    let client = v2::Client::new(server.base_url()).with_api_key("k");
    let err = bounded(client.get_pet_by_id(9)).await.unwrap_err();
    match err {
        apigen_runtime::Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 404);
            let v2::GetPetByIdError::NotFound(e) = body;
            assert_eq!(e.message, "no pet 9");
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    let request = server.finish_one();
    assert_eq!(request.path(), "/pet/9");
    assert_eq!(request.header("api_key"), Some("k"));
}

// ---------------------------------------------------------------------------
// Several files

#[test]
fn multi_file_types_cross_files_and_cycles() {
    let owner: multi::types::Owner = round_trip(json!({
        "id": 1,
        "name": "Ada",
        "address": {"street": "1 Main St", "city": "Springfield"},
        "favoritePet": {
            "id": "pet_1", "name": "Rex", "species": "dog",
            "owner": {"id": 1, "name": "Ada"},
            "vaccinations": [{"vaccine": "rabies", "date": "2024-05-01"}]
        },
        "pets": [{"id": "pet_2", "name": "Tom", "species": "axolotl"}]
    }));
    let favorite = owner.favorite_pet.as_deref().expect("decoded");
    assert_eq!(favorite.species, multi::types::Species::Dog);
    assert_eq!(favorite.owner.as_ref().map(|o| o.id), Some(1));
    let pets = owner.pets.expect("decoded");
    assert_eq!(
        pets[0].species,
        multi::types::Species::Other("axolotl".into())
    );
    // The request body schema of another file, checked before sending.
    let new = multi::types::NewPet {
        name: String::new(),
        species: multi::types::Species::Cat,
        vaccinations: None,
    };
    assert!(new.validate().is_err());
}

#[tokio::test]
async fn multi_file_operations_are_sent_and_decoded() {
    let server = Server::start([
        Reply::json(200, r#"[{"id": "pet_1", "name": "Rex", "species": "dog"}]"#),
        Reply::json(404, r#"{"message": "gone", "code": 4}"#),
    ]);
    let client = multi::Client::new(server.base_url()).with_bearer("tok");
    let params = multi::ListPetsParams {
        limit: Some(10),
        species: Some(multi::types::Species::Dog),
    };
    let pets = bounded(client.list_pets(&params)).await.unwrap();
    assert_eq!(pets[0].name, "Rex");
    let err = bounded(client.get_pet("pet_9")).await.unwrap_err();
    assert!(
        matches!(&err, apigen_runtime::Error::Api { body: multi::GetPetError::NotFound(e), .. }
            if e.code == Some(4)),
        "{err:?}"
    );
    // The path parameter's pattern (in parameters.yaml) is checked first.
    let refused = bounded(client.get_pet("cat_1")).await.unwrap_err();
    assert!(refused.to_string().contains("pattern"), "{refused}");

    let requests = server.finish();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path(), "/pets");
    assert_eq!(requests[0].query(), Some("limit=10&species=dog"));
    assert_eq!(requests[0].header("authorization"), Some("Bearer tok"));
    assert_eq!(requests[1].path(), "/pets/pet_9");
}

// ---------------------------------------------------------------------------
// Local references to every kind of component

/// `$ref`s to `components.{parameters,requestBodies,responses,headers,
/// pathItems}` are followed like those to schemas, in one file or across
/// files.
#[test]
fn references_to_every_kind_of_component() {
    let api = r##"openapi: 3.1.0
info: {title: x, version: "1"}
paths:
  /items/{id}:
    $ref: "#/components/pathItems/Item"
  /others/{id}:
    $ref: "more.yaml#/Other"
components:
  pathItems:
    Item:
      parameters:
        - $ref: "#/components/parameters/Id"
      put:
        operationId: putItem
        requestBody:
          $ref: "#/components/requestBodies/Item"
        responses:
          "200":
            $ref: "#/components/responses/Item"
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  requestBodies:
    Item:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Item"}
  responses:
    Item:
      description: The item.
      headers:
        X-Rate-Limit: {$ref: "#/components/headers/RateLimit"}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Item"}
  headers:
    RateLimit:
      schema: {type: integer}
  schemas:
    Item:
      type: object
      properties:
        name: {type: string}
"##;
    let more = r##"Other:
  get:
    operationId: getOther
    parameters:
      - $ref: "api.yaml#/components/parameters/Id"
    responses:
      "200":
        $ref: "api.yaml#/components/responses/Item"
"##;
    let mut loader = |name: &str| match name {
        "more.yaml" => Ok(more.to_owned()),
        other => Err(format!("{other}: no such file")),
    };
    let generated = apigen::generate_with(
        "api.yaml",
        api.into(),
        apigen::Format::Yaml,
        &apigen::EmitOptions::default(),
        &mut loader,
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let code = generated.code;
    assert!(code.contains("pub async fn put_item("), "{code}");
    assert!(code.contains("body: &types::Item"), "{code}");
    assert!(code.contains("pub async fn get_other("), "{code}");
    assert_eq!(code.matches("id: &str").count(), 2, "{code}");
    assert_eq!(generated.files, ["api.yaml", "more.yaml"]);
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
}
