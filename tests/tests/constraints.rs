//! Constraints (`pattern`, `minLength`, `minimum`, `minItems`, …) on the
//! fixtures `constraints.yaml` (3.1) and `constraints_30.yaml` (3.0).
//!
//! Generated types stay plain: a value breaking a constraint still decodes
//! (lenient in what is read). Requests are checked before anything is sent
//! (strict in what is sent): `validate()` on generated types, and every
//! operation on its parameters and body, with errors naming the path of the
//! offending value and the constraint, never the value.

use std::collections::BTreeMap;

use apigen_runtime::{Error, Nullable};
use apigen_tests::calls::bounded;
use apigen_tests::constraints::{self, PutCustomerParams, types};
use apigen_tests::constraints_30::types as t30;
use apigen_tests::http::{Reply, Server};
use serde_json::{Number, json};

fn number(text: &str) -> Number {
    serde_json::from_str(text).unwrap()
}

fn address(zip: &str) -> types::Address {
    types::Address {
        street: Some("Main St".into()),
        zip: zip.into(),
        extra: BTreeMap::from([("floor".to_owned(), 3)]),
    }
}

/// A customer satisfying every constraint, with every constrained field set.
fn valid_customer() -> types::Customer {
    types::Customer {
        id: "cus_1".into(),
        name: "Ada".into(),
        nickname: Nullable::Value("Al".into()),
        email: Some("ada@example.com".into()),
        age: Some(149),
        score: Some(number("0.75")),
        balance: Some(-1000.5),
        discount: Some(number("100")),
        tags: Some(vec!["vip".into(), "eu".into()]),
        aliases: Some(vec!["ada".into(), "lovelace".into()]),
        labels: Some(BTreeMap::from([("tier".to_owned(), "gold".to_owned())])),
        ratings: Some(vec![Some(1), None, Some(5)]),
        address: Some(address("12345")),
        previous: Some(vec![address("54321")]),
        shape: Some(types::Shape::String("abc".into())),
        referrer: Some(Box::new(types::Customer {
            id: "ref".into(),
            name: "Bob".into(),
            nickname: Nullable::Null,
            email: None,
            age: None,
            score: None,
            balance: None,
            discount: None,
            tags: None,
            aliases: None,
            labels: None,
            ratings: None,
            address: None,
            previous: None,
            shape: Some(types::Shape::Address(address("00000"))),
            referrer: None,
            lookbehind: None,
            unclosed: None,
            note: None,
        })),
        // Patterns regex-lite cannot compile are not checked (the generator
        // warned about them).
        lookbehind: Some("anything".into()),
        unclosed: Some("anything".into()),
        note: Some(String::new()),
    }
}

/// The `validate` error of `customer`, as shown.
fn violation(customer: &types::Customer) -> String {
    match customer.validate() {
        Ok(()) => panic!("expected a violation: {customer:#?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn valid_values_pass() {
    let customer = valid_customer();
    assert_eq!(customer.validate(), Ok(()));
    assert_eq!(address("12345").validate(), Ok(()));
    assert_eq!(types::Shape::String("abc".into()).validate(), Ok(()));
    // Unknown union values are kept and never checked.
    assert_eq!(types::Shape::Unknown(json!([1, 2])).validate(), Ok(()));
    // Absent and null optional values are not checked.
    let minimal = types::Customer {
        nickname: Nullable::Absent,
        ..(*customer.referrer.clone().unwrap())
    };
    assert_eq!(minimal.validate(), Ok(()));
    let reading = t30::Reading {
        value: 9.5,
        level: 3,
        unit: Nullable::Null,
        limit: Some(-1),
    };
    assert_eq!(reading.validate(), Ok(()));
}

#[test]
fn lengths_count_code_points() {
    // `name` has maxLength 20: twenty "é" (40 bytes) are fine, 21 are not.
    let mut c = valid_customer();
    c.name = "é".repeat(20);
    assert_eq!(c.validate(), Ok(()));
    c.name = "é".repeat(21);
    assert_eq!(
        violation(&c),
        "name: must be at most 20 characters long (maxLength)"
    );
    // minLength 2 on `nickname`: one "é" (two bytes) is one character.
    let mut c = valid_customer();
    c.nickname = Nullable::Value("é".into());
    assert_eq!(
        violation(&c),
        "nickname: must be at least 2 characters long (minLength)"
    );
}

#[test]
fn each_violation_names_its_path_and_constraint() {
    type Edit = fn(&mut types::Customer);
    let cases: &[(Edit, &str)] = &[
        (
            |c| c.id = "Cus_1".into(),
            "id: must match the pattern `^[a-z][a-z0-9_]*$`",
        ),
        (
            |c| c.id = "a".repeat(17),
            "id: must be at most 16 characters long (maxLength)",
        ),
        (
            |c| c.name = String::new(),
            "name: must be at least 1 character long (minLength)",
        ),
        (
            |c| c.email = Some("not an address".into()),
            "email: must match the pattern `^[^@\\s]+@[^@\\s]+$`",
        ),
        (|c| c.age = Some(-1), "age: must be at least 0 (minimum)"),
        (
            |c| c.age = Some(150),
            "age: must be less than 150 (exclusiveMaximum)",
        ),
        (
            |c| c.score = Some(number("0")),
            "score: must be greater than 0 (exclusiveMinimum)",
        ),
        (
            |c| c.score = Some(number("1.25")),
            "score: must be at most 1 (maximum)",
        ),
        (
            |c| c.score = Some(number("0.3")),
            "score: must be a multiple of 0.25 (multipleOf)",
        ),
        (
            |c| c.balance = Some(-1000.75),
            "balance: must be at least -1000.5 (minimum)",
        ),
        // Through the alias `Percent`.
        (
            |c| c.discount = Some(number("100.5")),
            "discount: must be at most 100 (maximum)",
        ),
        (
            |c| c.tags = Some(vec!["a".into(), "b".into(), "c".into(), "d".into()]),
            "tags: must have at most 3 items (maxItems)",
        ),
        (
            |c| c.tags = Some(vec!["a".into(), "b".into(), "a".into()]),
            "tags: must not contain equal items, but items 0 and 2 are equal (uniqueItems)",
        ),
        (
            |c| c.tags = Some(vec!["ok".into(), String::new()]),
            "tags[1]: must be at least 1 character long (minLength)",
        ),
        // Through the alias `Ids`, whose items are the alias `Id`.
        (
            |c| c.aliases = Some(Vec::new()),
            "aliases: must have at least 1 item (minItems)",
        ),
        (
            |c| c.aliases = Some(vec!["ok".into(), "Not_ok".into()]),
            "aliases[1]: must match the pattern `^[a-z][a-z0-9_]*$`",
        ),
        (
            |c| {
                c.labels = Some(BTreeMap::from([
                    ("a".to_owned(), "1".to_owned()),
                    ("b".to_owned(), "2".to_owned()),
                    ("c".to_owned(), "3".to_owned()),
                ]))
            },
            "labels: must have at most 2 properties (maxProperties)",
        ),
        (
            |c| c.labels = Some(BTreeMap::from([("tier".to_owned(), "platinum".to_owned())])),
            "labels[\"tier\"]: must be at most 5 characters long (maxLength)",
        ),
        (
            |c| c.ratings = Some(vec![Some(3), None, Some(9)]),
            "ratings[2]: must be at most 5 (maximum)",
        ),
        (
            |c| c.address = Some(address("1234")),
            "address.zip: must match the pattern `^[0-9]{5}$`",
        ),
        (
            |c| {
                let mut a = address("12345");
                a.extra.insert("floor".into(), -1);
                c.address = Some(a);
            },
            "address[\"floor\"]: must be at least 0 (minimum)",
        ),
        (
            |c| {
                let mut a = address("12345");
                a.street = Some(String::new());
                c.previous = Some(vec![address("12345"), a]);
            },
            "previous[1].street: must be at least 1 character long (minLength)",
        ),
        (
            |c| c.shape = Some(types::Shape::String("abcd".into())),
            "shape: must be at most 3 characters long (maxLength)",
        ),
        (
            |c| c.shape = Some(types::Shape::Address(address("x"))),
            "shape.zip: must match the pattern `^[0-9]{5}$`",
        ),
        (
            |c| c.referrer.as_mut().unwrap().name = String::new(),
            "referrer.name: must be at least 1 character long (minLength)",
        ),
        (
            |c| {
                let referrer = c.referrer.as_mut().unwrap();
                referrer.shape = Some(types::Shape::Address(address("1")));
            },
            "referrer.shape.zip: must match the pattern `^[0-9]{5}$`",
        ),
    ];
    for (edit, expected) in cases {
        let mut c = valid_customer();
        edit(&mut c);
        assert_eq!(violation(&c), *expected);
    }
}

#[test]
fn openapi_30_exclusive_flags() {
    let valid = t30::Reading {
        value: 5.0,
        level: 1,
        unit: Nullable::Value("kWh".into()),
        limit: None,
    };
    assert_eq!(valid.validate(), Ok(()));
    type Edit = fn(&mut t30::Reading);
    let cases: &[(Edit, &str)] = &[
        (
            |r| r.value = 0.0,
            "value: must be greater than 0 (exclusiveMinimum)",
        ),
        (
            |r| r.value = 10.0,
            "value: must be less than 10 (exclusiveMaximum)",
        ),
        // `exclusiveMaximum: false` keeps `maximum` inclusive.
        (|r| r.level = 4, "level: must be at most 3 (maximum)"),
        (|r| r.level = 0, "level: must be at least 1 (minimum)"),
        (
            |r| r.limit = Some(0),
            "limit: must be less than 0 (exclusiveMaximum)",
        ),
        (
            |r| r.unit = Nullable::Value("kWh/d".into()),
            "unit: must be at most 3 characters long (maxLength)",
        ),
    ];
    for (edit, expected) in cases {
        let mut r = valid.clone();
        edit(&mut r);
        assert_eq!(
            r.validate().map_err(|e| e.to_string()),
            Err((*expected).to_owned())
        );
    }
    let mut r = valid.clone();
    r.level = 3;
    assert_eq!(r.validate(), Ok(()));
}

#[test]
fn types_without_constraints_beneath_have_no_validate_method() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/constraints.rs"));
    for name in ["Customer", "Address", "Shape"] {
        assert!(code.contains(&format!("impl {name} {{")), "{name}");
    }
    for name in ["Unconstrained", "Inner"] {
        assert!(
            !code.contains(&format!("impl {name} {{")),
            "{name} has nothing to check"
        );
    }
}

/// A customer breaking many constraints, as an API might send it.
const VIOLATING_CUSTOMER: &str = r#"{
  "id": "NOT A VALID ID, AND FAR TOO LONG",
  "name": "",
  "nickname": "x",
  "age": 500,
  "score": 0.3,
  "tags": ["a", "a", "", "d"],
  "aliases": [],
  "labels": {"a": "123456", "b": "", "c": ""},
  "ratings": [0, null, 9],
  "address": {"zip": "no", "street": "", "floor": -1},
  "shape": "long",
  "referrer": {"id": "X", "name": ""}
}"#;

#[test]
fn values_breaking_constraints_still_decode() {
    let c: types::Customer = serde_json::from_str(VIOLATING_CUSTOMER).unwrap();
    assert_eq!(c.id, "NOT A VALID ID, AND FAR TOO LONG");
    assert_eq!(c.age, Some(500));
    assert_eq!(c.ratings, Some(vec![Some(0), None, Some(9)]));
    assert_eq!(c.shape, Some(types::Shape::String("long".into())));
    // Nothing is lost on the way back out.
    let back = serde_json::to_value(&c).unwrap();
    let original: serde_json::Value = serde_json::from_str(VIOLATING_CUSTOMER).unwrap();
    assert_eq!(back, original);
    // Only an explicit check (or sending it) complains.
    assert_eq!(
        violation(&c),
        "id: must be at most 16 characters long (maxLength)"
    );
}

#[tokio::test]
async fn responses_breaking_constraints_still_decode() {
    let server = Server::start([Reply::json(200, VIOLATING_CUSTOMER)]);
    let client = constraints::Client::new(server.base_url());
    let customer = bounded(client.get_customer(&"cus_1".to_owned()))
        .await
        .unwrap();
    let request = server.finish_one();
    assert_eq!(request.path(), "/customers/cus_1");
    assert_eq!(customer.name, "");
    assert!(customer.validate().is_err());
}

fn put_params() -> PutCustomerParams {
    PutCustomerParams {
        limit: Some(100),
        sort: Some(vec!["+name".into(), "-age".into()]),
        plain: Some(String::new()),
    }
}

#[tokio::test]
async fn a_valid_request_is_sent() {
    let server = Server::start([Reply::json(200, VIOLATING_CUSTOMER)]);
    let client = constraints::Client::new(server.base_url());
    let body = valid_customer();
    let result =
        bounded(client.put_customer(&"cus_1".to_owned(), "req-0001", &body, &put_params())).await;
    let request = server.finish_one();
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path(), "/customers/cus_1");
    assert_eq!(
        request.query(),
        Some("limit=100&sort=%2Bname&sort=-age&plain=")
    );
    assert_eq!(request.body_json(), serde_json::to_value(&body).unwrap());
}

#[tokio::test]
async fn violating_requests_send_nothing() {
    const SECRET_HEADER: &str = "s3cr3t";
    let server = Server::silent();
    let client = constraints::Client::new(server.base_url());
    let id = "cus_1".to_owned();
    let body = valid_customer();

    let mut bad_body = valid_customer();
    bad_body.address = Some(address("123"));
    let mut bad_limit = put_params();
    bad_limit.limit = Some(0);
    let mut bad_sort = put_params();
    bad_sort.sort = Some(vec!["+name".into(), "age".into()]);
    let mut long_sort = put_params();
    long_sort.sort = Some(vec!["+a".into(), "+b".into(), "+c".into()]);

    let cases = [
        (
            bounded(client.put_customer(&"Cus 1".to_owned(), "req-0001", &body, &put_params()))
                .await,
            "path parameter id: must match the pattern `^[a-z][a-z0-9_]*$`",
        ),
        (
            bounded(client.put_customer(&id, SECRET_HEADER, &body, &put_params())).await,
            "header parameter X-Request-Id: must be at least 8 characters long (minLength)",
        ),
        (
            bounded(client.put_customer(&id, "req-0001", &body, &bad_limit)).await,
            "query parameter limit: must be at least 1 (minimum)",
        ),
        (
            bounded(client.put_customer(&id, "req-0001", &body, &bad_sort)).await,
            "query parameter sort[1]: must match the pattern `^[+-][a-z]+$`",
        ),
        (
            bounded(client.put_customer(&id, "req-0001", &body, &long_sort)).await,
            "query parameter sort: must have at most 2 items (maxItems)",
        ),
        (
            bounded(client.put_customer(&id, "req-0001", &bad_body, &put_params())).await,
            "body.address.zip: must match the pattern `^[0-9]{5}$`",
        ),
    ];
    for (result, expected) in cases {
        match result {
            Err(Error::InvalidRequest(message)) => {
                assert_eq!(message, expected);
                assert!(!message.contains(SECRET_HEADER), "{message}");
            }
            other => panic!("expected InvalidRequest({expected:?}), got {other:?}"),
        }
    }

    // A body that is an array: its own constraints, then each item's.
    let empty: Vec<types::Customer> = Vec::new();
    let result = bounded(client.import_customers(Some(&empty))).await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(m)) if m == "body: must have at least 1 item (minItems)"),
        "{result:?}"
    );
    let mut second = valid_customer();
    second.name = String::new();
    let result = bounded(client.import_customers(Some(&vec![valid_customer(), second]))).await;
    let error = result.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: body[1].name: must be at least 1 character long (minLength)"
    );
    server.assert_nothing_received();
}
