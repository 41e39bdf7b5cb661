// A caller of the API generated from `tests/diff/base.yaml`, using every
// item the strictest way Rust allows: struct literals naming every field,
// exhaustive matches, typed arguments and results, `validate`. Compiled
// against the code of each changed copy, it must fail exactly where
// `apigen diff` says the API breaks (see `tests/tests/diff.rs`).
#![allow(deprecated)]

#[allow(dead_code)]
mod api {
    include!("api.rs");
}

use api::{Client, CreatePetError, GetPetError, ListPetsError, ListPetsParams, types};
use apigen_runtime::{Error, ResponseValue};

pub fn models() -> Vec<String> {
    let (id, name, tag, owner_id): (i64, String, Option<String>, Option<String>) =
        (1, String::new(), None, None);
    let status: Option<types::Status> = Some(types::Status::Sold);
    let pet = types::Pet {
        id,
        name: name.clone(),
        tag: tag.clone(),
        status,
        owner_id,
    };
    let new_pet = types::NewPet { name, tag };
    let error = types::Error {
        message: String::new(),
    };
    let checked = (pet.validate().is_ok(), types::Animal::Pet(pet.clone()).validate().is_ok());
    let status = match &pet.status {
        Some(types::Status::Available) => "available".to_owned(),
        Some(types::Status::Sold) => "sold".to_owned(),
        Some(types::Status::Other(other)) => other.clone(),
        None => String::new(),
    };
    let animal = match types::Animal::Error(error) {
        types::Animal::Pet(pet) => pet.name,
        types::Animal::Error(error) => error.message,
        types::Animal::Unknown(value) => value.to_string(),
    };
    vec![status, animal, new_pet.name, format!("{pet:?} {checked:?}")]
}

pub fn list_error(e: ListPetsError) -> String {
    match e {}
}

pub fn create_error(e: CreatePetError) -> String {
    match e {}
}

pub fn get_error(e: GetPetError) -> String {
    match e {
        GetPetError::NotFound(error) => error.message,
    }
}

pub async fn calls(client: &Client) -> usize {
    let limit: Option<i32> = Some(10);
    let params = ListPetsParams { limit };
    let listed: Result<ResponseValue<Vec<types::Pet>>, Error<ListPetsError>> =
        client.list_pets(&params).await;
    let body = types::NewPet {
        name: String::new(),
        tag: None,
    };
    let created: Result<ResponseValue<types::Pet>, Error<CreatePetError>> =
        client.create_pet(&body).await;
    let id: &str = "1";
    let got: Result<ResponseValue<types::Pet>, Error<GetPetError>> = client.get_pet(id).await;
    usize::from(listed.is_ok()) + usize::from(created.is_ok()) + usize::from(got.is_ok())
}
