//! Every fixture again, with its names replaced by hostile ones: Rust
//! keywords in every case, std and prelude names, the names of the generated
//! code's own items and locals, digits, symbols, and names that become the
//! same identifier once normalised. Schemas, properties, operations,
//! parameters, security schemes and enum values are renamed (references
//! follow). Each must still generate, and the code must build with
//! warnings, clippy's included, denied.
//!
//! The renamed specs are written to `target/hostile-names/specs` for a look
//! when this fails; `APIGEN_HOSTILE_SEED` picks other names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::{EmitOptions, Format, Source};
use apigen_tests::rng::Rng;
use serde_json::Value;

const HOSTILE: &[&str] = &[
    // Keywords, reserved words and the ones that cannot be raw.
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "async",
    "await",
    "dyn",
    "try",
    "gen",
    "union",
    "macro_rules",
    "abstract",
    "yield",
    "r#type",
    "SELF",
    "Type",
    "MATCH",
    "_",
    "__",
    // Prelude, std and runtime names.
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Result",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "std",
    "core",
    "serde",
    "reqwest",
    "apigen_runtime",
    "Serialize",
    "Deserialize",
    "Value",
    // Names of generated items and locals.
    "Client",
    "types",
    "Error",
    "value",
    "body",
    "params",
    "request",
    "response",
    "map",
    "key",
    "f0",
    "__A",
    "__D",
    "v",
    "form",
    "content_type",
    "validate",
    // Methods every struct has: a defaulted field's accessor must not
    // shadow them.
    "clone",
    "default",
    "fmt",
    "eq",
    "new",
    "core",
    "into_inner",
    // Digits, symbols, non-ASCII, empty-after-cleaning.
    "0",
    "00",
    "200",
    "2fa",
    "1.5",
    "-1",
    "+1",
    "a.b",
    "a/b",
    "a~b",
    "a b",
    "$ref",
    "@type",
    "ä",
    "日本",
    "-",
    "",
    // Collide once normalised.
    "fooBar",
    "foo_bar",
    "FooBar",
    "foo-bar",
    "FOO_BAR",
    "foo__bar",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// A hostile name not yet in `taken` (a suffix of `_` makes it distinct
/// in JSON while it still normalises like the others).
fn pick(rng: &mut Rng, taken: &dyn Fn(&str) -> bool) -> String {
    let mut name = HOSTILE[rng.below(HOSTILE.len())].to_owned();
    while taken(&name) {
        name.push('_');
    }
    name
}

/// The JSON pointer token of `name`.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Renames the keys of the object at `pointer` (about half of them), and
/// returns old → new.
fn rename_keys(doc: &mut Value, pointer: &str, rng: &mut Rng) -> BTreeMap<String, String> {
    let mut renamed = BTreeMap::new();
    let Some(Value::Object(map)) = doc.pointer_mut(pointer) else {
        return renamed;
    };
    let old = std::mem::take(map);
    for (key, value) in old {
        let new = if rng.below(2) == 0 {
            pick(rng, &|n| map.contains_key(n) || n == key)
        } else {
            key.clone()
        };
        if map.contains_key(&new) {
            map.insert(key, value);
            continue;
        }
        if new != key {
            renamed.insert(key, new.clone());
        }
        map.insert(new, value);
    }
    renamed
}

/// Renames properties, operationIds, non-path parameters and string enum
/// values everywhere below `v`, keeping `required` and discriminators in
/// step.
fn rename_inside(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                let old = std::mem::take(props);
                let mut renamed = BTreeMap::new();
                for (key, value) in old {
                    let new = if rng.below(2) == 0 {
                        pick(rng, &|n| props.contains_key(n) || n == key)
                    } else {
                        key.clone()
                    };
                    let new = if props.contains_key(&new) {
                        key.clone()
                    } else {
                        new
                    };
                    if new != key {
                        renamed.insert(key, new.clone());
                    }
                    props.insert(new, value);
                }
                if let Some(Value::Array(required)) = map.get_mut("required") {
                    for r in required.iter_mut() {
                        if let Some(new) = r.as_str().and_then(|r| renamed.get(r)) {
                            *r = Value::from(new.clone());
                        }
                    }
                }
                if let Some(Value::String(tag)) = map
                    .get_mut("discriminator")
                    .and_then(|d| d.get_mut("propertyName"))
                {
                    if let Some(new) = renamed.get(tag.as_str()) {
                        *tag = new.clone();
                    }
                }
            }
            if map.contains_key("operationId") && rng.below(2) == 0 {
                map.insert("operationId".into(), Value::from(pick(rng, &|_| false)));
            }
            let located = map
                .get("in")
                .and_then(Value::as_str)
                .is_some_and(|l| matches!(l, "query" | "header" | "cookie"));
            if located && map.get("name").is_some_and(Value::is_string) && rng.below(2) == 0 {
                map.insert("name".into(), Value::from(pick(rng, &|_| false)));
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                if !values.is_empty() && values.iter().all(Value::is_string) {
                    for _ in 0..3 {
                        let name = pick(rng, &|n| values.iter().any(|v| v == n));
                        values.push(Value::from(name));
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                rename_inside(child, rng);
            }
        }
        Value::Array(items) => {
            for item in items {
                rename_inside(item, rng);
            }
        }
        _ => {}
    }
}

/// Rewrites every `$ref` to a renamed schema, and security requirements
/// naming a renamed scheme.
fn follow_renames(
    v: &mut Value,
    schemas: &(String, BTreeMap<String, String>),
    schemes: &BTreeMap<String, String>,
) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                let (prefix, renamed) = schemas;
                if let Some(name) = r.strip_prefix(prefix.as_str()) {
                    let old = name.replace("~1", "/").replace("~0", "~");
                    if let Some(new) = renamed.get(&old) {
                        *r = format!("{prefix}{}", escape(new));
                    }
                }
            }
            if let Some(Value::Array(requirements)) = map.get_mut("security") {
                for req in requirements.iter_mut() {
                    if let Value::Object(req) = req {
                        let old = std::mem::take(req);
                        for (k, v) in old {
                            req.insert(schemes.get(&k).cloned().unwrap_or(k), v);
                        }
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                follow_renames(child, schemas, schemes);
            }
        }
        Value::Array(items) => {
            for item in items {
                follow_renames(item, schemas, schemes);
            }
        }
        _ => {}
    }
}

fn hostile(mut doc: Value, rng: &mut Rng) -> Value {
    let swagger = doc.get("swagger").is_some();
    let (schemas_at, schemes_at) = if swagger {
        ("/definitions", "/securityDefinitions")
    } else {
        ("/components/schemas", "/components/securitySchemes")
    };
    let schemas = rename_keys(&mut doc, schemas_at, rng);
    let schemes = rename_keys(&mut doc, schemes_at, rng);
    rename_inside(&mut doc, rng);
    let prefix = format!("#{schemas_at}/");
    follow_renames(&mut doc, &(prefix, schemas), &schemes);
    doc
}

#[test]
fn fixtures_with_hostile_names_generate_code_that_builds_clean() {
    let seed: u64 = std::env::var("APIGEN_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_0F4A_11ED);
    let mut rng = Rng::new(seed);
    let root = root();
    let scratch = root.join("target").join("hostile-names");
    let _ = std::fs::remove_dir_all(&scratch);
    let specs_dir = scratch.join("specs");
    let src = scratch.join("src");
    std::fs::create_dir_all(&specs_dir).unwrap();
    std::fs::create_dir_all(&src).unwrap();

    let fixtures = apigen_tests::fixture_files();
    let mut modules = Vec::new();
    let mut failures = Vec::new();
    for path in &fixtures {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let format = Format::detect(&name, &text);
        // Fixtures that are meant to fail stay out.
        if apigen::generate(&name, text.clone(), format, &EmitOptions::default()).is_err() {
            continue;
        }
        let doc = Source::parse(&name, text, format).unwrap().value;
        let renamed = serde_json::to_string_pretty(&hostile(doc, &mut rng)).unwrap();
        let spec = specs_dir.join(format!("{stem}.json"));
        std::fs::write(&spec, &renamed).unwrap();
        let spec_name = spec.display().to_string();
        match apigen::generate(&spec_name, renamed, Format::Json, &EmitOptions::default()) {
            Ok(generated) => {
                std::fs::write(src.join(format!("{stem}.rs")), generated.code).unwrap();
                modules.push(stem);
            }
            Err(e) => failures.push(format!("{spec_name} does not generate:\n{e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        modules.len() > 20,
        "only {} fixtures renamed",
        modules.len()
    );

    let lib: String = modules.iter().map(|m| format!("pub mod {m};\n")).collect();
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let runtime = root.join("runtime");
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"hostile-names\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\napigen-runtime = {{ path = {runtime:?} }}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    let _ = std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"));
    // The corpus test's target dir and flags: dependencies built once.
    let out = Command::new(env!("CARGO"))
        .current_dir(&scratch)
        .args(["clippy", "--quiet"])
        .env(
            "CARGO_TARGET_DIR",
            root.join("target").join("corpus").join("target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the code generated from specs in {} does not build clean:\n{}",
        specs_dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}
