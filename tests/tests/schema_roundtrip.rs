//! Serde round-trips through the types generated for the schema-construct
//! fixtures (`tuples`, `pattern_properties`, `enum_values`, `defaults`,
//! `read_write`, `formats`, `ref_siblings_30`/`_31`, `unsupported`).
//!
//! Each test decodes realistic JSON into a generated type, encodes it again
//! and compares the two as `serde_json::Value`s, then asserts what was
//! decoded (tuples read positionally, unknown enum values kept, bytes
//! decoded from base64, defaults applied, …) so that a passing round-trip
//! cannot hide a wrong decoding.
//!
//! Two documented exceptions to exact round-trips are asserted explicitly: a
//! defaulted field that was absent is written back present, and base64 that
//! was sent URL-safe or unpadded is written back in the standard form.

use std::any::type_name;

use apigen_runtime::serde::Serialize;
use apigen_runtime::serde::de::DeserializeOwned;
use apigen_runtime::{Base64, Nullable, Prefixed};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn decode<T: DeserializeOwned>(input: &Value) -> T {
    // From the text, as a client decodes a response body.
    serde_json::from_str(&input.to_string())
        .unwrap_or_else(|e| panic!("could not decode {input} as {}: {e}", type_name::<T>()))
}

fn encode<T: Serialize>(value: &T) -> Value {
    let text = serde_json::to_string(value)
        .unwrap_or_else(|e| panic!("could not encode {}: {e}", type_name::<T>()));
    serde_json::from_str(&text).expect("the output is valid JSON")
}

/// Decodes `input` as `T`, encodes it again and asserts the output equals the
/// input as a `serde_json::Value`.
fn round_trip<T: DeserializeOwned + Serialize>(input: Value) -> T {
    let typed: T = decode(&input);
    assert_eq!(
        encode(&typed),
        input,
        "{} did not round-trip",
        type_name::<T>()
    );
    typed
}

fn fails<T: DeserializeOwned>(input: Value) {
    assert!(
        serde_json::from_str::<T>(&input.to_string()).is_err(),
        "{input} decoded as {}",
        type_name::<T>()
    );
}

// ---------------------------------------------------------------------------
// tuples: 3.1 `prefixItems`
// ---------------------------------------------------------------------------

mod tuples {
    use super::*;
    use apigen_tests::tuples::types::{Cell, CellItem2, Event, Point, Row, Track};

    #[test]
    fn closed_tuples_decode_positionally_and_exactly() {
        let rome: Point = round_trip(json!([12.4964, 41.9028]));
        assert_eq!(rome, (12.4964, 41.9028));
        // `items: false`: neither fewer nor more elements.
        fails::<Point>(json!([12.4964]));
        fails::<Point>(json!([12.4964, 41.9028, 21.0]));
        fails::<Point>(json!({"lon": 12.4964, "lat": 41.9028}));

        let track: Track = round_trip(json!({
            "name": "Via Appia",
            "points": [[12.5113, 41.8517], [12.5364, 41.8306]],
            "bounds": [[12.5113, 41.8306], [12.5364, 41.8517]],
            "tags": ["roman", "road", "ancient"]
        }));
        assert_eq!(track.points[1], (12.5364, 41.8306));
        let (south_west, north_east) = track.bounds.unwrap();
        assert_eq!((south_west.1, north_east.0), (41.8306, 12.5364));
        // `uniqueItems` keeps a Vec: order as sent.
        assert_eq!(track.tags.unwrap(), ["roman", "road", "ancient"]);
    }

    #[test]
    fn further_elements_are_kept_after_the_prefix() {
        let row: Row = round_trip(json!(["apples", 3, true, false, true]));
        assert_eq!(row.prefix, ("apples".to_owned(), 3));
        assert_eq!(row.rest, [true, false, true]);
        let bare: Row = round_trip(json!(["pears", 0]));
        assert!(bare.rest.is_empty());
        fails::<Row>(json!(["apples"]));
        fails::<Row>(json!(["apples", 3, "yes"]));

        // No `items`: anything may follow, kept as JSON.
        let event: Event = round_trip(json!(["deploy", null, {"by": "ci"}, 7]));
        assert_eq!(event.prefix, ("deploy".to_owned(), None));
        assert_eq!(event.rest, [json!({"by": "ci"}), json!(7)]);
        let event: Event = round_trip(json!(["boot", 1_700_000_000]));
        assert_eq!(event.prefix.1, Some(1_700_000_000));

        let built = Row {
            prefix: ("plums".into(), 2),
            rest: vec![false],
        };
        assert_eq!(encode(&built), json!(["plums", 2, false]));
        assert_eq!(
            encode(&Prefixed::<(String, i64), bool>::new(("figs".into(), 1))),
            json!(["figs", 1])
        );
    }

    #[test]
    fn inline_element_types_are_declared() {
        let cell: Cell = round_trip(json!([{"x": 4}, "on"]));
        assert_eq!(cell.0.x, 4);
        assert_eq!(cell.1, CellItem2::On);
        let cell: Cell = round_trip(json!([{"x": 5}, "blinking"]));
        assert_eq!(cell.1, CellItem2::Other("blinking".into()));
    }
}

// ---------------------------------------------------------------------------
// pattern_properties: `patternProperties`, `additionalProperties: false`
// ---------------------------------------------------------------------------

mod pattern_properties {
    use super::*;
    use apigen_tests::pattern_properties::types::{
        Empty, Headers, Holder, HolderOptions, Labels, Metrics, Settings, SettingsValue,
    };

    #[test]
    fn a_pattern_alone_is_a_map() {
        let headers: Headers = round_trip(json!({
            "Content-Type": "application/json",
            "X-Request-Id": "7f1c"
        }));
        assert_eq!(headers["X-Request-Id"], "7f1c");
        let labels: Labels = round_trip(json!({"label_env": "prod", "tag_team": "core"}));
        assert_eq!(labels.len(), 2);
        fails::<Headers>(json!({"Retry-After": 30}));
    }

    #[test]
    fn pattern_keys_beside_properties_are_kept_typed() {
        let metrics: Metrics = round_trip(json!({"total": 12, "x-hits": 9, "x-misses": 3}));
        assert_eq!(metrics.total, 12);
        assert_eq!(metrics.extra["x-hits"], 9);
        assert_eq!(metrics.extra.len(), 2);

        let settings: Settings = round_trip(json!({
            "version": "2",
            "s_theme": "dark",
            "n_max_items": 50,
            "n_ratio": 0.25,
            "stray": true
        }));
        assert_eq!(settings.version.as_deref(), Some("2"));
        assert_eq!(
            settings.extra["s_theme"],
            SettingsValue::String("dark".into())
        );
        assert!(
            matches!(&settings.extra["n_max_items"], SettingsValue::Number(n) if n.as_u64() == Some(50))
        );
        assert!(
            matches!(&settings.extra["n_ratio"], SettingsValue::Number(n) if n.as_f64() == Some(0.25))
        );
        // A key matching no pattern still round-trips.
        assert_eq!(settings.extra["stray"], SettingsValue::Unknown(json!(true)));
        assert!(!settings.extra.contains_key("version"));
    }

    #[test]
    fn closed_empty_objects_are_empty_structs() {
        let _: Empty = round_trip(json!({}));
        assert_eq!(encode(&Empty::default()), json!({}));
        let holder: Holder = round_trip(json!({
            "options": {},
            "legacy": {"old": 1},
            "anything": [1, "two", null]
        }));
        assert_eq!(holder.options, Some(HolderOptions {}));
        assert_eq!(holder.legacy, Nullable::Value(json!({"old": 1})));
        assert_eq!(holder.anything, Nullable::Value(json!([1, "two", null])));
    }
}

// ---------------------------------------------------------------------------
// enum_values: integer, mixed and `const` enums
// ---------------------------------------------------------------------------

mod enum_values {
    use super::*;
    use apigen_tests::enum_values::types::{
        Cat, HttpStatus, Kind, Offset, Priority, Ratio, Reading, ReadingLevel, Scale, Version,
    };

    #[test]
    fn integer_enums_decode_known_and_keep_unknown_values() {
        let cat: Cat = round_trip(json!({
            "kind": "cat",
            "version": 2,
            "name": "Tom",
            "priority": 2,
            "status": 404,
            "offset": -1
        }));
        assert_eq!(cat.kind, Kind::Cat);
        assert_eq!(cat.version, Version::V2);
        assert_eq!(cat.priority, Some(Priority::V2));
        assert_eq!(cat.status, Some(HttpStatus::NotFound));
        assert_eq!(cat.offset, Some(Offset::Minus1));

        let newer: Cat = round_trip(json!({
            "kind": "lynx",
            "version": 3,
            "priority": 9,
            "status": 418,
            "offset": 5
        }));
        assert_eq!(newer.kind, Kind::Other("lynx".into()));
        assert_eq!(newer.version, Version::Other(3));
        assert_eq!(newer.priority, Some(Priority::Other(9)));
        assert_eq!(newer.status.map(HttpStatus::value), Some(418));
        assert_eq!(newer.offset, Some(Offset::Other(5)));
        assert_eq!(Priority::from(1), Priority::V1);
        assert_eq!(i64::from(HttpStatus::ServerError), 500);
        assert_eq!(HttpStatus::Ok.to_string(), "200");
        fails::<Cat>(json!({"kind": "cat", "version": "2"}));
    }

    #[test]
    fn const_fields_make_default_and_schema_defaults_are_read_not_sent() {
        // `kind` and `version` have one value each; `offset` defaults to 0.
        let cat = Cat::default();
        assert_eq!(cat.kind, Kind::Cat);
        assert_eq!(cat.version, Version::V2);
        assert_eq!(cat.offset, None);
        assert_eq!(cat.offset(), Offset::V0);
        assert_eq!(encode(&cat), json!({"kind": "cat", "version": 2}));
        assert_eq!(Offset::default(), Offset::V0);

        // An absent `offset` reads as its default and stays absent.
        let decoded: Cat = round_trip(json!({"kind": "cat", "version": 2}));
        assert_eq!(decoded.offset(), Offset::V0);
        let decoded: Cat = round_trip(json!({"kind": "cat", "version": 2, "offset": 1}));
        assert_eq!(decoded.offset(), Offset::V1);
    }

    #[test]
    fn mixed_enums_keep_every_value_exactly() {
        let reading: Reading = round_trip(json!({
            "ratio": 0.5,
            "flag": true,
            "toggle": false,
            "scale": "auto",
            "shape": {"x": 1},
            "level": 2
        }));
        assert_eq!(reading.ratio, Ratio::V05);
        assert!(reading.flag);
        assert_eq!(reading.toggle, Nullable::Value(false));
        assert_eq!(reading.scale, Nullable::Value(Scale::Auto));
        assert_eq!(reading.shape, Some(json!({"x": 1})));
        assert_eq!(reading.level, ReadingLevel::V2);

        for (json, scale) in [
            (json!(1), Scale::V1),
            (json!(2.5), Scale::V25),
            (json!(true), Scale::True),
            (json!(""), Scale::Empty),
            (json!("manual"), Scale::Other(json!("manual"))),
            (json!(false), Scale::Other(json!(false))),
            (json!(7), Scale::Other(json!(7))),
            // Numbers match as written: `1.0` is not the listed `1`, and is
            // kept (and written back) as it came.
            (json!(1.0), Scale::Other(json!(1.0))),
        ] {
            let decoded: Scale = round_trip(json.clone());
            assert_eq!(decoded, scale, "{json}");
        }
        let null: Reading =
            round_trip(json!({"ratio": 0.5, "flag": true, "scale": null, "level": 7}));
        assert_eq!(null.scale, Nullable::Null);
        assert_eq!(null.level, ReadingLevel::Other(7));
        let odd: Reading = round_trip(json!({"ratio": 0.75, "flag": true, "level": 1}));
        assert_eq!(odd.ratio, Ratio::Other(json!(0.75)));
    }
}

// ---------------------------------------------------------------------------
// defaults: `default` applied when absent
// ---------------------------------------------------------------------------

mod defaults {
    use super::*;
    use apigen_tests::defaults::types::{
        Config, ConfigMode, ConfigTarget, Job, Level, Options, Retries,
    };

    #[test]
    fn absent_fields_stay_absent_and_read_as_their_defaults() {
        let config: Config = round_trip(json!({"name": "ingest"}));
        assert!(config.enabled());
        assert_eq!(config.retries(), 3);
        assert_eq!(config.ratio(), 0.5);
        assert_eq!(config.threshold().as_u64(), Some(10));
        assert_eq!(config.label(), "none");
        assert_eq!(*config.level(), Level::Info, "from the referenced schema");
        assert_eq!(*config.mode(), ConfigMode::Safe);
        assert_eq!(*config.tags(), ["a", "b"]);
        assert!(config.limits().is_empty());
        assert_eq!(
            config.note,
            Nullable::Absent,
            "a `null` default leaves it absent"
        );
        assert_eq!(config.comment(), Some("n/a"));
        assert_eq!(config.extra().as_deref(), Some(&json!({"any": [1, "x"]})));
        assert_eq!(*config.options(), Options::default());
        assert_eq!(config.avatar().0, b"hi");
        assert_eq!(*config.target(), ConfigTarget::Integer(42));
        // Defaults that do not fit their type are not applied.
        assert_eq!(
            (config.count, config.window, &config.kind),
            (None, None, &None)
        );
        assert_eq!(config.backoff, None);
        // Every defaulted field is still absent: nothing was filled in.
        assert_eq!(
            (config.enabled, config.retries, &config.label, &config.tags),
            (None, None, &None, &None)
        );
    }

    #[test]
    fn given_values_round_trip_exactly_and_win_over_defaults() {
        let config: Config = round_trip(json!({
            "name": "export",
            "enabled": false,
            "retries": 0,
            "ratio": 0.9,
            "threshold": 2.5,
            "label": "nightly",
            "level": "debug",
            "mode": "fast",
            "backoff": 3,
            "tags": [],
            "limits": {"rows": 1000},
            "note": null,
            "comment": null,
            "extra": null,
            "options": {"verbose": true},
            "count": 4,
            "window": -3,
            "kind": "b",
            "avatar": "AAEC",
            "target": "all"
        }));
        assert!(!config.enabled());
        assert_eq!(config.retries(), 0);
        assert_eq!(config.label(), "nightly");
        assert_eq!(*config.level(), Level::Debug);
        assert!(config.tags().is_empty());
        assert_eq!(config.backoff, Some(Retries::V3));
        assert_eq!(config.note, Nullable::Null);
        assert_eq!(config.comment, Nullable::Null);
        assert_eq!(config.comment(), None, "null is kept as null, not replaced");
        assert_eq!(config.extra(), None);
        assert_eq!(config.window, Some(-3));
        assert_eq!(config.avatar().0, [0, 1, 2]);
        assert_eq!(*config.target(), ConfigTarget::String("all".into()));
        // Values equal to the default are kept as sent, too.
        let same: Config = round_trip(json!({"name": "x", "enabled": true, "retries": 3}));
        assert_eq!(same.enabled, Some(true));
    }

    #[test]
    fn default_sends_nothing_optional() {
        let job = Job::default();
        assert_eq!((job.attempts(), job._7day()), (1, 7));
        assert!(job.clone_or_default());
        assert_eq!(job.clone(), job, "`clone` is still `Clone::clone`");
        assert_eq!(job, decode::<Job>(&json!({})));
        assert_eq!(encode(&job), json!({}));
        let job = Job {
            attempts: Some(2),
            ..Default::default()
        };
        assert_eq!(encode(&job), json!({"attempts": 2}));
        let job: Job = round_trip(json!({
            "attempts": 5,
            "7day": 6,
            "retries": 1,
            "config": {
                "name": "x",
                "enabled": true,
                "retries": 3,
                "ratio": 0.5,
                "threshold": 10,
                "label": "none",
                "level": "info",
                "mode": "safe",
                "tags": ["a", "b"],
                "limits": {},
                "comment": "n/a",
                "extra": {"any": [1, "x"]},
                "options": {},
                "avatar": "",
                "target": true
            }
        }));
        assert_eq!((job._7day, job.retries), (Some(6), Some(Retries::V1)));
        let config = job.config.unwrap();
        assert!(config.avatar().is_empty());
        assert_eq!(*config.target(), ConfigTarget::Unknown(json!(true)));
    }
}

// ---------------------------------------------------------------------------
// read_write: required `readOnly` / `writeOnly` properties are optional
// ---------------------------------------------------------------------------

mod read_write {
    use super::*;
    use apigen_tests::read_write::types::User;

    #[test]
    fn responses_without_write_only_fields_decode() {
        let user: User = round_trip(json!({
            "id": "usr_01H",
            "name": "Ada",
            "created_at": "2024-05-01T09:30:00Z",
            "updated_at": null
        }));
        assert_eq!(user.id.as_deref(), Some("usr_01H"));
        assert_eq!(user.password, None);
        assert_eq!(user.updated_at, Nullable::Null);
        let user: User = round_trip(json!({
            "id": "usr_01H",
            "name": "Ada",
            "created_at": "2024-05-01T09:30:00Z",
            "updated_at": "2024-06-01T10:00:00Z"
        }));
        assert_eq!(
            user.updated_at,
            Nullable::Value("2024-06-01T10:00:00Z".into())
        );
    }

    #[test]
    fn requests_leave_read_only_fields_out() {
        let request = User {
            id: None,
            name: "Ada".into(),
            password: Some("correct horse".into()),
            created_at: None,
            updated_at: Nullable::Absent,
            invite_code: Some("WELCOME".into()),
        };
        let sent = encode(&request);
        assert_eq!(
            sent,
            json!({"name": "Ada", "password": "correct horse", "invite_code": "WELCOME"})
        );
        let back: User = round_trip(sent);
        assert_eq!(back, request);
        fails::<User>(json!({"id": "usr_01H"}));
    }
}

// ---------------------------------------------------------------------------
// formats
// ---------------------------------------------------------------------------

mod formats {
    use super::*;
    use apigen_tests::formats::types::{Sample, Timestamp};

    fn sample() -> Value {
        json!({
            "tiny": -128,
            "small": -32768,
            "medium": 2_147_483_647,
            "large": -9_007_199_254_740_993_i64,
            "byte_value": 255,
            "port": 8080,
            "count": 4_000_000_000_u32,
            "huge": 18_446_744_073_709_551_615_u64,
            "plain_integer": 42,
            "single": 1.5,
            "double": 0.1,
            "plain_number": 3,
            "payload": "aGVsbG8gd29ybGQ=",
            "thumbnail": null,
            "chunks": ["AAE=", "//79", ""],
            "raw": "PK\u{3}\u{4}",
            "created": "2024-05-01T09:30:00+02:00",
            "day": "2024-05-01",
            "at": "09:30:00",
            "id": "0b6f1c1e-4a1d-4d3b-9a59-5f3a1c2b7e10",
            "link": "https://example.com/a?b=c",
            "contact": "ada@example.com",
            "odd": "whatever",
            "counter": 7
        })
    }

    #[test]
    fn sized_numbers_and_base64_bytes_round_trip() {
        let s: Sample = round_trip(sample());
        assert_eq!(
            (s.tiny, s.small, s.byte_value, s.port),
            (-128, Some(-32768), Some(255), Some(8080))
        );
        assert_eq!(s.medium, Some(i32::MAX));
        assert_eq!(s.count, Some(4_000_000_000));
        assert_eq!(s.huge, u64::MAX);
        assert_eq!(s.single, Some(1.5_f32));
        assert_eq!(s.double, Some(0.1));
        assert_eq!(s.plain_number.map(|n| n.to_string()), Some("3".to_owned()));
        assert_eq!(s.payload.as_ref(), b"hello world");
        assert_eq!(s.thumbnail, Nullable::Null);
        let chunks: Vec<Vec<u8>> = s
            .chunks
            .unwrap()
            .into_iter()
            .map(Base64::into_inner)
            .collect();
        assert_eq!(chunks, [vec![0, 1], vec![0xff, 0xfe, 0xfd], vec![]]);
        // Other formats stay strings.
        assert_eq!(s.created.as_deref(), Some("2024-05-01T09:30:00+02:00"));
        assert_eq!(s.raw.as_deref(), Some("PK\u{3}\u{4}"));
        let when: Timestamp = round_trip(json!("2024-05-01T09:30:00Z"));
        assert_eq!(when, "2024-05-01T09:30:00Z");
    }

    #[test]
    fn url_safe_and_unpadded_base64_is_accepted() {
        let mut input = sample();
        input["payload"] = json!("aGk_"); // "hi?", URL-safe and unpadded
        input["thumbnail"] = json!("-_8");
        let s: Sample = decode(&input);
        assert_eq!(s.payload.0, b"hi?");
        assert_eq!(s.thumbnail, Nullable::Value(Base64(vec![0xfb, 0xff])));
        // Written back in the standard, padded form (the same bytes).
        let out = encode(&s);
        assert_eq!(
            (&out["payload"], &out["thumbnail"]),
            (&json!("aGk/"), &json!("+/8="))
        );
        input["payload"] = json!("not base64!");
        fails::<Sample>(input);
    }

    #[test]
    fn out_of_range_values_do_not_decode() {
        for (field, value) in [
            ("tiny", json!(128)),
            ("byte_value", json!(-1)),
            ("port", json!(70000)),
            ("huge", json!(-1)),
        ] {
            let mut input = sample();
            input[field] = value;
            fails::<Sample>(input);
        }
    }
}

// ---------------------------------------------------------------------------
// ref_siblings_31 / ref_siblings_30
// ---------------------------------------------------------------------------

mod ref_siblings {
    use super::*;
    use apigen_tests::ref_siblings_30::types as v30;
    use apigen_tests::ref_siblings_31::types as v31;

    #[test]
    fn structural_siblings_extend_the_target_in_3_1() {
        let customer: v31::Customer = round_trip(json!({
            "home": {"city": "Turin", "zip": "10121"},
            "billing": {"city": "Milan", "vat": "IT01234567890"},
            "shipping": {"city": "Genoa"}
        }));
        let billing = customer.billing.unwrap();
        assert_eq!(
            (billing.city.as_str(), billing.vat.as_str()),
            ("Milan", "IT01234567890")
        );
        assert_eq!(customer.shipping.unwrap().city, "Genoa");
        // `vat` is required by the sibling `required`.
        fails::<v31::CustomerBilling>(json!({"city": "Milan"}));

        let geo: v31::GeoAddress = round_trip(json!({"city": "Rome", "lat": 41.9, "lon": 12.5}));
        assert_eq!((geo.lat, geo.lon), (41.9, 12.5));
        let alias: v31::AddressAlias = round_trip(json!({"city": "Bari"}));
        assert_eq!(alias.city, "Bari");
    }

    #[test]
    fn siblings_are_ignored_in_3_0() {
        let customer: v30::Customer = round_trip(json!({
            "home": {"city": "Turin", "zip": "10121"},
            "billing": {"city": "Milan"}
        }));
        let billing: v30::Address = customer.billing.unwrap();
        assert_eq!(billing.city, "Milan");
        // `GeoAddress` is `Address`: the sibling properties are not part of it.
        let geo: v30::GeoAddress = decode(&json!({"city": "Rome", "lat": 41.9}));
        assert_eq!(encode(&geo), json!({"city": "Rome"}));
    }
}

// ---------------------------------------------------------------------------
// unsupported: the rest of the schema is kept
// ---------------------------------------------------------------------------

mod unsupported {
    use super::*;
    use apigen_tests::unsupported::types::{Node, NotEmpty, Payment, Restricted, Tags, Tree};

    #[test]
    fn schemas_with_unsupported_keywords_keep_their_type() {
        let name: NotEmpty = round_trip(json!("Ada"));
        assert_eq!(name, "Ada");
        let payment: Payment = round_trip(json!({"method": "card", "card": "4242"}));
        assert_eq!(payment.card.as_deref(), Some("4242"));
        let restricted: Restricted = round_trip(json!({"method": "sepa", "iban": "DE89"}));
        assert_eq!(restricted.iban.as_deref(), Some("DE89"));
        let tags: Tags = round_trip(json!(["primary", "secondary"]));
        assert_eq!(tags.len(), 2);
    }

    #[test]
    fn dynamic_references_are_any_json() {
        let node: Node = round_trip(json!({"label": "root", "children": [{"label": "leaf"}]}));
        assert_eq!(node["label"], "root");
        let tree: Tree = round_trip(json!({
            "label": "root",
            "children": [{"label": "a"}, "b", 3],
            "never": null
        }));
        assert_eq!(tree.children.unwrap()[1], json!("b"));
        assert_eq!(tree.never, Nullable::Null);
    }
}

/// Recursion through aliases (`NestedList = Vec<NestedList>`) is a
/// transparent newtype: same JSON, any depth.
#[test]
fn recursive_aliases_round_trip_as_newtypes() {
    use apigen_tests::recursion::types::{Forest, NestedList};

    let json = serde_json::json!([[], [[], [[]]]]);
    let list: NestedList = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(list.0.len(), 2);
    assert_eq!(list.0[1].0[1].0.len(), 1);
    assert_eq!(serde_json::to_value(&list).unwrap(), json);

    let json = serde_json::json!({"a": {"b": {}}, "c": {}});
    let tree: Forest = serde_json::from_value(json.clone()).unwrap();
    assert!(tree.0["a"].0["b"].0.is_empty());
    assert_eq!(serde_json::to_value(&tree).unwrap(), json);

    // A non-array is not a NestedList.
    assert!(serde_json::from_value::<NestedList>(serde_json::json!({"x": 1})).is_err());
}

// ---------------------------------------------------------------------------
// unions_tagged: discriminated unions
// ---------------------------------------------------------------------------

mod unions_tagged {
    use super::*;
    use apigen_tests::unions_tagged::types::{Item, Pet, Record};

    #[test]
    fn the_tag_selects_the_variant_and_unknown_tags_are_kept() {
        let cat: Pet = round_trip(json!({"kind": "cat", "lives": 9}));
        assert!(matches!(cat, Pet::Cat(c) if c.lives == Some(9)));
        // Two values map to `Dog`; it does not declare the tag, so the tag
        // it was read with is written back as the first of them.
        let dog: Pet = decode(&json!({"kind": "dog", "bark": "woof"}));
        assert!(matches!(&dog, Pet::Dog(d) if d.bark.as_deref() == Some("woof")));
        let puppy: Pet = decode(&json!({"kind": "puppy"}));
        assert!(matches!(puppy, Pet::Dog(_)));
        let bird: Pet = round_trip(json!({"kind": "bird", "wings": 2}));
        assert!(matches!(bird, Pet::Unknown(_)));
    }

    #[test]
    fn schemas_sharing_a_tag_value_are_tried_in_order() {
        let input: Item = round_trip(json!({"type": "message", "role": "user", "content": "hi"}));
        assert!(matches!(input, Item::InputMessage(m) if m.role == "user"));
        let output: Item =
            round_trip(json!({"type": "message", "id": "msg_1", "status": "completed"}));
        assert!(matches!(output, Item::OutputMessage(m) if m.id == "msg_1"));
        let call: Item = round_trip(json!({"type": "function_call", "name": "f"}));
        assert!(matches!(call, Item::FunctionCall(_)));
        // Neither message shape: kept as it came.
        let odd: Item = round_trip(json!({"type": "message", "parts": []}));
        assert!(matches!(odd, Item::Unknown(_)));
    }

    #[test]
    fn alternatives_no_tag_names_are_tried_losslessly() {
        let a: Record = round_trip(json!({"type": "A", "address": "192.0.2.1"}));
        assert!(matches!(a, Record::Variant1(r) if r.address == "192.0.2.1"));
        let mx: Record = round_trip(json!({"type": "MX", "priority": 10}));
        assert!(matches!(mx, Record::Variant2(r) if r.priority == 10));
        let other: Record = round_trip(json!({"type": "TXT", "text": "v=spf1"}));
        assert!(matches!(other, Record::Unknown(_)));
    }
}
