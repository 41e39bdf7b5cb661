//! Snapshot of the code generated for every spec in `tests/fixtures/`, and
//! checks that generation is deterministic.
//!
//! Update snapshots after an intended change with
//! `INSTA_UPDATE=always cargo test -p apigen-tests --test snapshots` (or
//! `cargo insta review`), then read the diff as a reviewer would.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use apigen::{EmitOptions, Format, Generated, Source};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The fixture `stem` (`fixtures/stem.yaml` or `.json`, or the entry
/// `api.yaml` / `api.json` of the directory `fixtures/stem/`), as (name used
/// in the generated header, text, format). The name is the path `build.rs`
/// uses, so snapshots match the compiled modules byte for byte.
fn read_fixture(stem: &str) -> (String, String, Format) {
    let candidates = ["yaml", "json"]
        .into_iter()
        .map(|ext| format!("{stem}.{ext}"))
        .chain(["api.yaml", "api.json"].map(|f| format!("{stem}/{f}")));
    for file in candidates {
        if let Ok(text) = std::fs::read_to_string(fixtures_dir().join(&file)) {
            let name = format!("fixtures/{file}");
            let format = Format::detect(&name, &text);
            return (name, text, format);
        }
    }
    panic!("no fixture named {stem}");
}

/// Where `build.rs` wrote the module of fixture `stem`.
fn compiled_path(stem: &str) -> PathBuf {
    let out = Path::new(env!("OUT_DIR"));
    if fixtures_dir().join(stem).is_dir() {
        out.join(stem).join("api.rs")
    } else {
        out.join(format!("{stem}.rs"))
    }
}

/// Reads the files a fixture refers to, as `build.rs` does (names are
/// relative to this package).
fn read_file(name: &str) -> Result<String, String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
        .map_err(|e| e.to_string())
}

fn generate_text(
    name: &str,
    text: String,
    format: Format,
) -> Result<Generated, apigen::Diagnostics> {
    apigen::generate_with(name, text, format, &EmitOptions::default(), &mut read_file)
}

fn generate(stem: &str) -> Generated {
    let (name, text, format) = read_fixture(stem);
    match generate_text(&name, text, format) {
        Ok(g) => g,
        Err(d) => panic!("{name} does not generate:\n{d}"),
    }
}

/// Every fixture, with the warnings it is expected to produce (rendered).
macro_rules! fixtures {
    ($($stem:ident => [$($warning:literal),* $(,)?]),* $(,)?) => {
        const FIXTURES: &[&str] = &[$(stringify!($stem)),*];

        $(
            #[test]
            fn $stem() {
                let stem = stringify!($stem);
                let generated = generate(stem);
                let warnings: Vec<String> =
                    generated.warnings.iter().map(ToString::to_string).collect();
                let expected: Vec<&str> = vec![$($warning),*];
                assert_eq!(warnings, expected, "warnings of fixture {stem}");
                // What build.rs wrote (and src/lib.rs compiled with
                // `#[deny(warnings)]`) is exactly what is snapshotted.
                let compiled = std::fs::read_to_string(compiled_path(stem))
                    .expect("build.rs generated this fixture");
                assert_eq!(generated.code, compiled, "OUT_DIR/{stem}.rs is stale");
                insta::assert_snapshot!(stem, generated.code);
            }
        )*
    };
}

fixtures! {
    all_of => [],
    bodies => [
        "fixtures/bodies.yaml:48:24: warning: style `matrix` cannot encode a form property; `address` is sent with the default encoding (at #/paths/~1signup/post/requestBody/content/application~1x-www-form-urlencoded/encoding/address/style)",
    ],
    collections => [],
    constraints => [
        "fixtures/constraints.yaml:185:20: warning: pattern `(?<=x)y` is not checked before sending: look-around is not supported (at #/components/schemas/Customer/properties/lookbehind/pattern)",
        "fixtures/constraints.yaml:188:20: warning: pattern `[a-` is not checked before sending: non-empty character class has no closing bracket after dash (at #/components/schemas/Customer/properties/unclosed/pattern)",
    ],
    constraints_30 => [],
    dates => [],
    defaults => [
        "fixtures/defaults.yaml:81:20: warning: `default: \"many\"` does not match the property's type; not applied (at #/components/schemas/Config/properties/count/default)",
        "fixtures/defaults.yaml:85:20: warning: `default: 300` does not match the property's type; not applied (at #/components/schemas/Config/properties/window/default)",
        "fixtures/defaults.yaml:89:20: warning: `default: \"c\"` does not match the property's type; not applied (at #/components/schemas/Config/properties/kind/default)",
        "fixtures/defaults.yaml:119:20: warning: `default: {}` does not match the property's type; not applied (at #/components/schemas/Job/properties/config/default)",
    ],
    deprecated => [],
    docs => [],
    enum_values => [],
    enums => [],
    extra_keys => [],
    formats => [],
    multi => [],
    names => [],
    nullable_30 => [],
    nullable_31 => [],
    oauth => [],
    objects => [],
    oas32 => [
        "fixtures/oas32.yaml:6:8: warning: `$self` is not used: `$ref`s are resolved against where the file was read from (at #/$self)",
        "fixtures/oas32.yaml:16:11: warning: a server's `name` is not used (2 places): servers are told apart by URL (at #/servers/0/name)",
        "fixtures/oas32.yaml:26:14: warning: a tag's `summary`, `parent` or `kind` is not used (11 places): tags only select operations (and name Cargo features) (at #/tags/0/summary)",
        "fixtures/oas32.yaml:65:32: warning: an example's `serializedValue` is not used (6 places): examples are read from `dataValue` or `value` (at #/paths/~1logs/get/parameters/1/examples/warnings/serializedValue)",
        "fixtures/oas32.yaml:285:15: warning: positional multipart encoding (`prefixEncoding`, `itemEncoding`) is not used (3 places): multipart parts are encoded by name (at #/paths/~1uploads/post/requestBody/content/multipart~1mixed/prefixEncoding)",
        "fixtures/oas32.yaml:528:13: warning: unsupported keyword `not` ignored; the rest of the schema is kept (at #/components/schemas/OtherPet/properties/petType/not)",
        "fixtures/oas32.yaml:574:26: warning: a security scheme's `deprecated` or `oauth2MetadataUrl` is not used (2 places): the client takes credentials as they are given (at #/components/securitySchemes/oauth/oauth2MetadataUrl)",
        "fixtures/oas32.yaml:583:11: warning: the OAuth 2 `deviceAuthorization` flow is not used: its tokens come from a token source the caller gives (`with_<scheme>_token_source`) (at #/components/securitySchemes/oauth/flows/deviceAuthorization)",
    ],
    operations => [],
    pagination => [],
    params => [
        "fixtures/params.yaml:316:18: warning: style `deepObject` applies to objects; `deepList` is sent with style `form` (at #/paths/~1degraded/get/parameters/0/style)",
        "fixtures/params.yaml:323:18: warning: style `simple` is not allowed for a query parameter; `simpleInQuery` is sent with style `form` (at #/paths/~1degraded/get/parameters/1/style)",
        "fixtures/params.yaml:330:18: warning: unknown style \"weird\"; `odd` is sent with style `form` (at #/paths/~1degraded/get/parameters/2/style)",
        "fixtures/params.yaml:335:26: warning: `allowReserved` is not supported; reserved characters in `reserved` are percent-encoded (at #/paths/~1degraded/get/parameters/3/allowReserved)",
        "fixtures/params.yaml:346:5: warning: path `/search/{kind}?q={query}&format=json&pretty` carries a query, which a path template may not; it is read as `/search/{kind}` with query parameters (at #/paths/~1search~1{kind}?q={query}&format=json&pretty)",
        "fixtures/params.yaml:363:5: warning: path `/rides?page={page}&{per_page}=10` carries a query, which a path template may not; it is read as `/rides` with query parameters (at #/paths/~1rides?page={page}&{per_page}=10)",
    ],
    pattern_properties => [
        "fixtures/pattern_properties.yaml:60:17: warning: the `false` schema matches nothing; typed as any JSON value (at #/components/schemas/Holder/properties/legacy)",
    ],
    petstore_v2 => [],
    pruning => [],
    read_write => [],
    recursion => [],
    replaced => [],
    responses => [
        "fixtures/responses.yaml:15:18: warning: the default of server variable `stage` is not one of its `enum` values; the variable is a string (at #/servers/0/variables/stage/default)",
        "fixtures/responses.yaml:20:9: warning: server variable `tenant` needs a string `default`; it is left in the URL as `{tenant}` (at #/servers/1/variables/tenant)",
    ],
    ref_siblings_30 => [],
    ref_siblings_31 => [],
    security => [],
    streaming => [],
    tags => [],
    tuples => [],
    unions_tagged => [],
    unions_untagged => [],
    wire => [],
    unsupported => [
        "fixtures/unsupported.yaml:13:9: warning: unsupported keyword `not` ignored; the rest of the schema is kept (at #/components/schemas/NotEmpty/not)",
        "fixtures/unsupported.yaml:24:9: warning: unsupported conditional `if`/`then`/`else` ignored; the rest of the schema is kept (at #/components/schemas/Payment/if)",
        "fixtures/unsupported.yaml:32:9: warning: unsupported keyword `dependentRequired` ignored; the rest of the schema is kept (at #/components/schemas/Payment/dependentRequired)",
        "fixtures/unsupported.yaml:34:9: warning: unsupported keyword `dependentSchemas` ignored; the rest of the schema is kept (at #/components/schemas/Payment/dependentSchemas)",
        "fixtures/unsupported.yaml:38:30: warning: unsupported keyword `unevaluatedProperties` ignored; the rest of the schema is kept (at #/components/schemas/Payment/unevaluatedProperties)",
        "fixtures/unsupported.yaml:44:9: warning: unsupported keyword `contains` ignored; the rest of the schema is kept (at #/components/schemas/Tags/contains)",
        "fixtures/unsupported.yaml:46:20: warning: unsupported keyword `$dynamicRef`; typed as any JSON value (at #/components/schemas/Node/$dynamicRef)",
        "fixtures/unsupported.yaml:55:26: warning: unsupported keyword `$dynamicRef`; typed as any JSON value (at #/components/schemas/Tree/properties/children/items/$dynamicRef)",
        "fixtures/unsupported.yaml:56:16: warning: the `false` schema matches nothing; typed as any JSON value (at #/components/schemas/Tree/properties/never)",
        "fixtures/unsupported.yaml:61:13: warning: unsupported keyword `not` ignored; the rest of the schema is kept (at #/components/schemas/Restricted/allOf/1/not)",
    ],
}

/// A module `build.rs` generates from a fixture with `Builder` options:
/// snapshotted, and checked to be what was compiled.
fn generate_with_options(stem: &str, module: &str, opts: &EmitOptions) -> Generated {
    let (name, text, format) = read_fixture(stem);
    let generated = apigen::generate_with(&name, text, format, opts, &mut read_file)
        .unwrap_or_else(|d| panic!("{name} does not generate:\n{d}"));
    let compiled = std::fs::read_to_string(Path::new(env!("OUT_DIR")).join(format!("{module}.rs")))
        .expect("build.rs generated this module");
    assert_eq!(generated.code, compiled, "OUT_DIR/{module}.rs is stale");
    insta::assert_snapshot!(module, generated.code);
    generated
}

/// A fixture generated with `opts`, neither snapshotted nor compiled.
fn generate_with_options_unchecked(stem: &str, opts: &EmitOptions) -> Generated {
    let (name, text, format) = read_fixture(stem);
    apigen::generate_with(&name, text, format, opts, &mut read_file)
        .unwrap_or_else(|d| panic!("{name} does not generate:\n{d}"))
}

/// `only_tags(["store"])` + `only_operations(["loginUser"])`: those
/// operations and the component schemas they reach, nothing else.
#[test]
fn filtered() {
    let opts = EmitOptions {
        only_tags: vec!["store".into()],
        only_operations: vec!["loginUser".into()],
        ..EmitOptions::default()
    };
    let generated = generate_with_options("petstore_v2", "filtered", &opts);
    let names = declared_names(&generated.code);
    for kept in [
        "async fn get_inventory",
        "async fn place_order",
        "async fn get_order_by_id",
        "async fn login_user",
        "struct Order",
        "struct ApiError",
    ] {
        assert!(names.contains(kept), "{kept} missing from {names:?}");
    }
    for dropped in [
        "async fn add_pet",
        "async fn upload_file",
        "async fn create_users_with_array_input",
        "enum AddPetError",
        // Only operations that were dropped use these.
        "struct Pet",
        "struct User",
    ] {
        assert!(!names.contains(dropped), "{dropped} generated: {names:?}");
    }
}

/// `only_tags(["orders"])` keeps exactly the schemas the `orders`
/// operations reach: through a parameter component, a response header, a
/// union, `allOf`, a discriminator mapping and a shared response.
#[test]
fn pruned() {
    let opts = EmitOptions {
        only_tags: vec!["orders".into()],
        ..EmitOptions::default()
    };
    let generated = generate_with_options("pruning", "pruned", &opts);
    let structs = |code: &str| -> BTreeSet<String> {
        declared_names(code)
            .into_iter()
            .filter(|n| {
                n.starts_with("struct ") || n.starts_with("enum ") || n.starts_with("type ")
            })
            .collect()
    };
    let kept = structs(&generated.code);
    let expected: BTreeSet<String> = [
        "type OrderKey",
        "enum Status",
        "type RateLimit",
        "struct Order",
        "enum OrderPayment",
        "struct Item",
        "struct Named",
        "struct Card",
        "struct Transfer",
        "type Shape",
        "struct Square",
        "struct Circle",
        "struct Problem",
        "struct Client",
        "enum GetOrderError",
        "struct GetOrderParams",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(kept, expected);
    // Unfiltered, everything is generated.
    let all = structs(&generate("pruning").code);
    for name in ["struct User", "struct Friend", "struct Unused"] {
        assert!(all.contains(name), "{name}: {all:?}");
    }
    // Asked for, a schema is kept with what it reaches.
    let opts = EmitOptions {
        keep_schemas: vec!["User".into()],
        ..opts
    };
    let kept = structs(&generate_with_options_unchecked("pruning", &opts).code);
    assert!(kept.contains("struct User") && kept.contains("struct Friend"));
    assert!(!kept.contains("struct Unused"));
}

/// `extra_derive("Hash")`, `extra_derive("Eq")` and
/// `type_attribute("Holder", "#[non_exhaustive]")`: every model type derives
/// both (once: `Status` already derived `Hash`), and `Holder` has the
/// attribute.
#[test]
fn derived() {
    fn hash_and_eq<T: std::hash::Hash + Eq>() {}
    hash_and_eq::<apigen_tests::derived::types::Holder>();
    hash_and_eq::<apigen_tests::derived::types::Status>();
    hash_and_eq::<apigen_tests::derived::types::Awkward>();
    let mut opts = EmitOptions::default();
    opts.add_derive("Hash").unwrap();
    opts.add_derive("Eq").unwrap();
    opts.add_type_attribute("Holder", "#[non_exhaustive]")
        .unwrap();
    let generated = generate_with_options("enums", "derived", &opts);
    assert!(
        generated
            .code
            .contains("#[non_exhaustive]\n    pub struct Holder"),
        "{}",
        generated.code
    );
}

/// `missing_fields(MissingFields::Default)`: required fields whose type has
/// a `Default` (the derived `Deserialize` of a struct keeping extra keys
/// included) decode as it when absent; the others stay required.
#[test]
fn wire_lenient() {
    let opts = EmitOptions {
        missing_fields: apigen::MissingFields::Default,
        ..EmitOptions::default()
    };
    let generated = generate_with_options("wire", "wire_lenient", &opts);
    // Owner.login and Owner.id (derived), Repo.id, name, private, topics and
    // RepoList.total_count, items; not Repo.owner (no `Default`).
    assert_eq!(generated.code.matches("#[serde(default)]").count(), 8);
}

/// `unknown_fields(UnknownFields::Deny)`: an unknown key is an error naming
/// it, except in structs that keep extra keys (serde forbids
/// `deny_unknown_fields` with `flatten`).
#[test]
fn strict() {
    use apigen_tests::{strict, strict_open};
    let opts = EmitOptions {
        unknown_fields: apigen::UnknownFields::Deny,
        ..EmitOptions::default()
    };
    let generated = generate_with_options("all_of", "strict", &opts);
    assert_eq!(generated.code.matches("deny_unknown_fields").count(), 4);
    let open = generate_with_options("extra_keys", "strict_open", &opts);
    assert!(!open.code.contains("deny_unknown_fields"), "{}", open.code);

    let ok: Result<strict::types::Named, _> = serde_json::from_str(r#"{"name": "a"}"#);
    assert!(ok.is_ok(), "{ok:?}");
    let err =
        serde_json::from_str::<strict::types::Named>(r#"{"name": "a", "nmae": "b"}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `nmae`"), "{err}");
    let kept: strict_open::types::Open =
        serde_json::from_str(r#"{"id": "a", "other": 1}"#).unwrap();
    assert_eq!(kept.extra.len(), 1);
    // Without the option, unknown keys are skipped.
    let lax: apigen_tests::all_of::types::Named =
        serde_json::from_str(r#"{"name": "a", "nmae": "b"}"#).unwrap();
    assert_eq!(lax.name, "a");
}

/// `replace_type("Money", "crate::money::Money")` (and `x-rust-type` on
/// `Address`): references use the given paths, and no type is generated
/// for either schema.
#[test]
fn replaced_money() {
    use apigen_tests::replaced_money::types::Order;
    let mut opts = EmitOptions::default();
    opts.replace_type("Money", "crate::money::Money").unwrap();
    let generated = generate_with_options("replaced", "replaced_money", &opts);
    let names = declared_names(&generated.code);
    assert!(names.contains("struct Order"), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.contains("Money") || n.contains("Address")),
        "{names:?}"
    );
    let order: Order =
        serde_json::from_str(r#"{"total": "1.50", "origin": "10.0.0.1", "hops": ["10.0.0.2"]}"#)
            .unwrap();
    assert_eq!(order.total, apigen_tests::money::Money("1.50".into()));
    assert_eq!(order.origin, std::net::Ipv4Addr::new(10, 0, 0, 1));
    assert_eq!(order.hops, Some(vec![std::net::Ipv4Addr::new(10, 0, 0, 2)]));
    // Without the option, only `Address` is replaced.
    let plain = generate("replaced");
    assert!(
        plain.code.contains("pub type Money = String;"),
        "{}",
        plain.code
    );
    assert!(!plain.code.contains("Address"), "{}", plain.code);
}

/// `date_time(Chrono)` and `date_time(Time)`: every `date-time` and `date`
/// string becomes the representation's type; without the option, `String`.
#[test]
fn date_representations() {
    for (repr, module, date_time, date) in [
        (
            apigen::DateTimeRepr::Chrono,
            "dates_chrono",
            // (prettyplease may break before the `>`.)
            "::apigen_runtime::chrono::DateTime<::apigen_runtime::chrono::FixedOffset",
            "::apigen_runtime::chrono::NaiveDate",
        ),
        (
            apigen::DateTimeRepr::Time,
            "dates_time",
            "::apigen_runtime::rfc3339::OffsetDateTime",
            "::apigen_runtime::rfc3339::Date",
        ),
    ] {
        let opts = EmitOptions {
            date_time: repr,
            ..EmitOptions::default()
        };
        let generated = generate_with_options("dates", module, &opts);
        let flat: String = generated.code.split_whitespace().collect();
        let squash = |t: &str| t.split_whitespace().collect::<String>();
        // `at`, `endsAt`, `Timestamp`, `history`, `byZone`, `since`, `at`.
        assert_eq!(flat.matches(&squash(date_time)).count(), 7, "{module}");
        // `day` (field and two path parameters) and the `due` variant
        // (declaration and its decoding).
        assert_eq!(flat.matches(&squash(date)).count(), 5, "{module}");
        assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    }
    let plain = generate("dates");
    assert!(!plain.code.contains("chrono") && !plain.code.contains("rfc3339"));
}

/// A new fixture must be listed above (so it is snapshotted) and in
/// `src/lib.rs` (so it is compiled with `#[deny(warnings)]`).
#[test]
fn every_fixture_is_snapshotted_and_compiled() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                || matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "json")
                )
        })
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(on_disk, listed, "fixtures on disk vs. the `fixtures!` list");
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for stem in &on_disk {
        let file = if fixtures_dir().join(stem).is_dir() {
            format!("{stem}/api.rs")
        } else {
            format!("{stem}.rs")
        };
        assert!(
            lib.contains(&format!("pub mod {stem} {{"))
                && lib.contains(&format!("concat!(env!(\"OUT_DIR\"), \"/{file}\")")),
            "src/lib.rs does not include the module generated from fixture {stem}"
        );
    }
}

#[test]
fn both_dialects_and_formats_are_covered() {
    let mut versions = BTreeSet::new();
    let mut formats = BTreeSet::new();
    for stem in FIXTURES {
        let (name, text, format) = read_fixture(stem);
        let source = Source::parse(&name, text, format).unwrap();
        let version = source.value.get("openapi").or(source.value.get("swagger"));
        versions.insert(version.and_then(Value::as_str).unwrap().to_owned());
        formats.insert(format!("{format:?}"));
    }
    assert!(
        versions.contains("3.0.3") && versions.contains("3.1.0") && versions.contains("2.0"),
        "{versions:?}"
    );
    assert_eq!(formats.len(), 2, "{formats:?}");
}

// ---------------------------------------------------------------------------
// Determinism

#[test]
fn generating_twice_gives_identical_output() {
    for stem in FIXTURES {
        let a = generate(stem);
        let b = generate(stem);
        assert_eq!(a.code, b.code, "fixture {stem}");
        assert_eq!(a.warnings, b.warnings, "fixture {stem}");
    }
}

/// Reverses the key order of the maps whose order is arbitrary to a spec's
/// author: `components.schemas`, every `properties`, and `paths`.
fn reorder(v: &mut Value, reverse_here: bool) {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            if reverse_here {
                entries.reverse();
            }
            for (k, mut child) in entries {
                let reverse_child = matches!(k.as_str(), "schemas" | "properties" | "paths");
                reorder(&mut child, reverse_child);
                map.insert(k, child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| reorder(i, false)),
        _ => {}
    }
}

/// The names a module declares: items (`struct`, `enum`, `type`, `fn`), and
/// fields (with the JSON name they stand for) and variants qualified by
/// their type.
fn declared_names(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut owner = String::new();
    let mut in_enum = false;
    let mut rename = None;
    for line in code.lines() {
        let t = line.trim();
        if let Some(r) = t.strip_prefix("#[serde(rename = \"") {
            rename = r.split('"').next().map(str::to_owned);
            continue;
        }
        if in_enum {
            if t == "}" {
                in_enum = false;
            } else if t.starts_with(|c: char| c.is_ascii_uppercase()) {
                let variant: String = t
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(format!("{owner}::{variant}"));
            }
            continue;
        }
        for kw in [
            "pub struct ",
            "pub enum ",
            "pub type ",
            "pub fn ",
            "pub async fn ",
        ] {
            if let Some(rest) = t.strip_prefix(kw) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
                    .collect();
                if kw == "pub struct " || kw == "pub enum " {
                    owner = name.clone();
                    in_enum = kw == "pub enum " && t.ends_with('{');
                }
                out.insert(format!("{}{name}", kw.trim_start_matches("pub ")));
            }
        }
        // Fields (`pub name: T`) and variants (`Name(T),` / `Name,`).
        if let Some(rest) = t.strip_prefix("pub ") {
            if let Some((field, _)) = rest.split_once(':') {
                if !field.contains(' ') && !field.contains('(') {
                    let json = rename.take().unwrap_or_else(|| field.to_owned());
                    out.insert(format!("{owner}.{field} = {json:?}"));
                }
            }
        }
    }
    out
}

#[test]
fn key_order_does_not_change_names() {
    for stem in FIXTURES {
        let (name, text, format) = read_fixture(stem);
        let mut value = Source::parse(&name, text, format).unwrap().value;
        reorder(&mut value, false);
        let reordered = serde_json::to_string_pretty(&value).unwrap();
        let original = generate(stem);
        let shuffled = generate_text(&name, reordered, Format::Json)
            .unwrap_or_else(|d| panic!("reordered {stem} does not generate:\n{d}"));
        let (a, b) = (
            declared_names(&original.code),
            declared_names(&shuffled.code),
        );
        assert!(!a.is_empty());
        let only_a: Vec<&String> = a.difference(&b).collect();
        let only_b: Vec<&String> = b.difference(&a).collect();
        assert!(
            only_a.is_empty() && only_b.is_empty(),
            "fixture {stem}: names depend on key order\n  only in document order: {only_a:?}\n  only when reordered: {only_b:?}"
        );
    }
}

/// `paginate` set for an operation no convention finds (with `items` and
/// `has-more`) and turned off (`none`, by `METHOD /path`) for one that a
/// convention finds.
#[test]
fn paginated_audit() {
    let opts = EmitOptions {
        paginate: vec![
            (
                "listAuditRecords".into(),
                apigen::Paginate::cursor("from", "/links/following")
                    .items("rows")
                    .has_more("/more_pages"),
            ),
            ("GET /numbers".into(), apigen::Paginate::none()),
        ],
        ..EmitOptions::default()
    };
    let generated = generate_with_options("pagination", "paginated_audit", &opts);
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    assert!(
        generated
            .code
            .contains("pub fn list_audit_records_stream<'a>")
    );
    assert!(!generated.code.contains("fn list_numbers_stream"));
    // Without the option, neither is as set.
    let plain = generate_with_options_unchecked("pagination", &EmitOptions::default());
    assert!(!plain.code.contains("fn list_audit_records_stream"));
    assert!(plain.code.contains("pub fn list_numbers_stream<'a>"));
}

/// Pagination that does not fit its operation fails generation at the
/// operation's pointer, saying why; one naming no operation is a warning.
#[test]
fn paginate_that_does_not_fit_is_an_error() {
    let cases = [
        (
            apigen::Paginate::cursor("after", "/links/following").items("rows"),
            "it has no optional string query parameter `after`",
        ),
        (
            apigen::Paginate::cursor("from", "/links/following"),
            "which property of the page holds the items is unclear",
        ),
        (
            apigen::Paginate::cursor("from", "/links/previous").items("rows"),
            "`next=/links/previous`: `ListAuditRecordsResponseLinks` has no property `previous`",
        ),
        (
            apigen::Paginate::next_url("/rows").items("rows"),
            "`next=/rows`: the page has no string there",
        ),
        (
            apigen::Paginate::offset("from").items("rows"),
            "it has no optional integer query parameter `from`",
        ),
        (
            apigen::Paginate::link().items("nothing"),
            "the page has no array property `nothing`",
        ),
        (
            apigen::Paginate::link()
                .items("rows")
                .has_more("/links/following"),
            "`has-more=/links/following`: the page has no boolean there",
        ),
    ];
    let (name, text, format) = read_fixture("pagination");
    for (how, why) in cases {
        let opts = EmitOptions {
            paginate: vec![("listAuditRecords".into(), how.clone())],
            ..EmitOptions::default()
        };
        let err = apigen::generate_with(&name, text.clone(), format, &opts, &mut read_file)
            .err()
            .unwrap_or_else(|| panic!("{how:?} generated"))
            .to_string();
        assert!(
            err.contains("error: the pagination set for `listAuditRecords` does not fit it: ")
                && err.contains(why)
                && err.contains("(at #/paths/~1audit/get)"),
            "{how:?}: {err}"
        );
        assert!(err.starts_with("fixtures/pagination.yaml:"), "{err}");
    }
    let opts = EmitOptions {
        paginate: vec![("listAudit".into(), apigen::Paginate::link())],
        ..EmitOptions::default()
    };
    let generated = generate_with_options_unchecked("pagination", &opts);
    assert_eq!(
        generated.warnings.to_string().trim(),
        "fixtures/pagination.yaml:4:1: warning: no operation has operationId (or is) `listAudit` (given pagination); ignored"
    );
}
