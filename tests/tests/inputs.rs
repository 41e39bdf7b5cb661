//! The code generated from a spec split over several files
//! (`fixtures/multi/`) works like that of a one-file spec: serde round-trips
//! on realistic JSON, and requests checked on the wire against a loopback
//! server.

use std::future::Future;
use std::time::Duration;

use apigen_runtime::serde::Serialize;
use apigen_runtime::serde::de::DeserializeOwned;
use apigen_tests::http::{Reply, Server};
use apigen_tests::multi;
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

async fn bounded<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), call)
        .await
        .expect("the client call did not finish in time")
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
