//! Bad input never panics, and every error names the file, the line:column
//! and the JSON pointer of what is wrong.
//!
//! Each case snapshots the rendered diagnostics (`file:line:col: error:
//! message (at #/pointer)`), so a reviewer sees exactly what a user would.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::{EmitOptions, Format};

/// Generates `text` (named `name`) and returns the rendered diagnostics;
/// panics if generation succeeds. No other file can be read.
fn errors(name: &str, text: &str) -> String {
    let format = Format::detect(name, text);
    let result = apigen::generate(name, text.to_owned(), format, &EmitOptions::default());
    check_errors(name, &[], result)
}

/// Like [`errors`], with other files the spec may refer to: (name, text),
/// named as the loader is asked for them (relative to the spec's directory).
fn errors_in(name: &str, text: &str, files: &[(&str, &str)]) -> String {
    let format = Format::detect(name, text);
    let mut loader = in_memory(files);
    let result = apigen::generate_with(
        name,
        text.to_owned(),
        format,
        &EmitOptions::default(),
        &mut loader,
    );
    check_errors(name, files, result)
}

/// A loader reading `files`; any other file does not exist.
fn in_memory<'f>(files: &'f [(&str, &str)]) -> impl FnMut(&str) -> Result<String, String> + 'f {
    move |name: &str| {
        files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| "No such file or directory (os error 2)".to_owned())
    }
}

fn check_errors(
    name: &str,
    files: &[(&str, &str)],
    result: Result<apigen::Generated, apigen::Diagnostics>,
) -> String {
    match result {
        Ok(g) => panic!("{name} generated, but it should not:\n{}", g.code),
        Err(d) => {
            assert!(d.has_errors(), "{name}: failed without an error:\n{d}");
            for e in d.iter().filter(|e| e.is_error()) {
                assert!(
                    e.position.is_some(),
                    "{name}: an error without line:column: {e}"
                );
                assert!(
                    e.file == name || files.iter().any(|(f, _)| *f == e.file),
                    "{name}: error names a file that was not read: {e}"
                );
            }
            d.to_string()
        }
    }
}

/// Generates `text`, which must succeed, and returns its rendered warnings.
fn warnings(name: &str, text: &str) -> String {
    let format = Format::detect(name, text);
    match apigen::generate(name, text.to_owned(), format, &EmitOptions::default()) {
        Ok(g) => {
            for w in &g.warnings {
                assert!(
                    w.position.is_some(),
                    "{name}: a warning without line:column: {w}"
                );
            }
            g.warnings.to_string()
        }
        Err(d) => panic!("{name} does not generate:\n{d}"),
    }
}

#[test]
fn malformed_json() {
    let text =
        "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"x\",, \"version\": \"1\"}\n}\n";
    insta::assert_snapshot!("bad_json", errors("bad.json", text));
}

#[test]
fn malformed_yaml() {
    let text = "openapi: 3.1.0\ninfo:\n  title: x\n  version: [1, 2\npaths: {}\n";
    insta::assert_snapshot!("bad_yaml", errors("bad.yaml", text));
}

#[test]
fn yaml_with_tabs_and_unclosed_quotes() {
    let text = "openapi: 3.1.0\ninfo:\n\ttitle: x\n";
    insta::assert_snapshot!("tabs", errors("tabs.yaml", text));
    let text = "openapi: \"3.1.0\ninfo: {}\n";
    insta::assert_snapshot!("quote", errors("quote.yaml", text));
}

#[test]
fn empty_and_non_object_documents() {
    insta::assert_snapshot!("empty", errors("empty.json", ""));
    insta::assert_snapshot!("list", errors("list.yaml", "- 1\n- 2\n"));
    insta::assert_snapshot!("scalar", errors("scalar.json", "42"));
}

const DANGLING_REF: &str = r##"openapi: 3.0.3
info: {title: x, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner:
          $ref: "#/components/schemas/Owner"
"##;

#[test]
fn dangling_ref() {
    insta::assert_snapshot!("dangling", errors("dangling.yaml", DANGLING_REF));
}

#[test]
fn ref_to_another_file() {
    let text = r##"{
  "openapi": "3.1.0",
  "info": {"title": "x", "version": "1"},
  "paths": {},
  "components": {
    "schemas": {
      "Pet": {"$ref": "common.yaml#/components/schemas/Pet"}
    }
  }
}
"##;
    insta::assert_snapshot!("other_file", errors("other_file.json", text));
}

#[test]
fn ref_cycle_without_a_base_type() {
    let text = r##"openapi: 3.1.0
info: {title: x, version: "1"}
paths: {}
components:
  schemas:
    A:
      $ref: "#/components/schemas/B"
    B:
      $ref: "#/components/schemas/A"
"##;
    insta::assert_snapshot!("cycle", errors("cycle.yaml", text));
}

#[test]
fn self_ref_without_a_base_type() {
    let text = r##"openapi: 3.1.0
info: {title: x, version: "1"}
paths: {}
components:
  schemas:
    A:
      $ref: "#/components/schemas/A"
"##;
    insta::assert_snapshot!("self", errors("self.yaml", text));
}

#[test]
fn unsupported_swagger_and_missing_version() {
    let swagger = "swagger: \"1.2\"\ninfo: {title: x, version: \"1\"}\npaths: {}\n";
    insta::assert_snapshot!("swagger", errors("swagger.yaml", swagger));
    let missing = "{\n  \"info\": {\"title\": \"x\", \"version\": \"1\"},\n  \"paths\": {}\n}\n";
    insta::assert_snapshot!("missing", errors("missing.json", missing));
    let unsupported = "openapi: 4.0.0\ninfo: {title: x, version: \"1\"}\npaths: {}\n";
    insta::assert_snapshot!("future", errors("future.yaml", unsupported));
    let number = "openapi: 3.1\ninfo: {title: x, version: \"1\"}\npaths: {}\n";
    insta::assert_snapshot!("number", errors("number.yaml", number));
}

#[test]
fn wrong_type_for_a_keyword() {
    let paths = "openapi: 3.1.0\ninfo: {title: x, version: \"1\"}\npaths: []\n";
    insta::assert_snapshot!("paths", errors("paths.yaml", paths));
    let responses = r#"openapi: 3.1.0
info: {title: x, version: "1"}
paths:
  /a:
    get:
      responses: 5
"#;
    insta::assert_snapshot!("responses", errors("responses.yaml", responses));
    let schemas = r#"{
  "openapi": "3.0.3",
  "info": {"title": "x", "version": "1"},
  "paths": {},
  "components": {"schemas": ["Pet"]}
}"#;
    insta::assert_snapshot!("schemas", errors("schemas.json", schemas));
    let schema = r#"openapi: 3.0.3
info: {title: x, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: 5
"#;
    insta::assert_snapshot!("schema", errors("schema.yaml", schema));
}

#[test]
fn path_parameter_missing_from_parameters() {
    let text = r#"openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /users/{id}/posts/{postId}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
      responses:
        "204": {description: ok}
"#;
    insta::assert_snapshot!("path_param", errors("path_param.yaml", text));
}

const SEVERAL_PROBLEMS: &str = r##"openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /users/{id}:
    get:
      responses:
        "204": {description: ok}
        "abc": {description: not a status}
  users:
    get:
      responses: {}
  /pets:
    post:
      parameters:
        - name: kind
          in: body
      requestBody:
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Missing"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "other.yaml#/Pet"
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
  schemas:
    A:
      $ref: "#/components/schemas/B"
    B:
      $ref: "#/components/schemas/A"
    C:
      type: object
      properties:
        d:
          $ref: "#/components/schemas/Nowhere"
"##;

#[test]
fn several_problems_are_all_reported() {
    let text = errors("several.yaml", SEVERAL_PROBLEMS);
    assert!(text.lines().count() >= 8, "{text}");
    insta::assert_snapshot!("several", text);
}

#[test]
fn duplicate_operation_id() {
    let text = r#"openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /pets:
    get:
      operationId: getPet
      responses:
        "204": {description: ok}
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: ok}
"#;
    insta::assert_snapshot!("duplicate_operation_id", warnings("dup.yaml", text));
}

// ---------------------------------------------------------------------------
// Other files

#[test]
fn remote_ref_refused() {
    let api = r##"openapi: 3.1.0
info: {title: x, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      $ref: "https://example.com/schemas/pet.yaml#/Pet"
    Owner:
      $ref: "common.yaml#/Owner"
"##;
    let common = "Owner:\n  type: object\n  properties:\n    address:\n      $ref: \"file:///etc/address.json\"\n";
    insta::assert_snapshot!(
        "remote_ref",
        errors_in("specs/api.yaml", api, &[("specs/common.yaml", common)])
    );
}

#[test]
fn missing_referenced_file() {
    let api = r##"{
  "openapi": "3.0.3",
  "info": {"title": "x", "version": "1"},
  "paths": {},
  "components": {
    "schemas": {
      "Pet": {"$ref": "schemas/pet.json#/Pet"},
      "Tag": {"$ref": "schemas/pet.json#/Tag"}
    }
  }
}
"##;
    insta::assert_snapshot!("missing_file", errors_in("specs/api.json", api, &[]));
}

/// Problems inside a referenced file name that file, its pointer and its
/// line:column, not the spec that refers to it.
#[test]
fn problems_in_a_referenced_file() {
    let api = r##"openapi: 3.1.0
info: {title: x, version: "1"}
paths:
  /pets:
    $ref: "paths/pets.yaml"
components:
  schemas:
    Pet:
      $ref: "schemas/pet.yaml#/Pet"
    Broken:
      $ref: "schemas/broken.yaml"
"##;
    let pets = r##"get:
  operationId: listPets
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema:
            type: array
            items: {$ref: "../schemas/pet.yaml#/Pet"}
    teapot: {description: not a status}
"##;
    let pet = r##"Pet:
  type: object
  properties:
    owner:
      $ref: "#/Owner"
    tag:
      $ref: "tag.json#/components/schemas/Nope"
    name: 5
"##;
    let tag = "{\n  \"components\": {\"schemas\": {\"Tag\": {\"type\": \"string\"}}}\n}\n";
    let broken = "type: object\nproperties:\n  a: [1, 2\n";
    insta::assert_snapshot!(
        "referenced_file",
        errors_in(
            "api.yaml",
            api,
            &[
                ("paths/pets.yaml", pets),
                ("schemas/pet.yaml", pet),
                ("schemas/tag.json", tag),
                ("schemas/broken.yaml", broken),
            ]
        )
    );
}

/// A Swagger 2.0 document is upgraded before it is read, but its problems
/// are reported at their place in the 2.0 document.
#[test]
fn swagger_2_problems_point_into_the_original() {
    let text = r##"swagger: "2.0"
info: {title: x, version: "1"}
consumes: [application/json]
paths:
  /pets/{petId}:
    post:
      operationId: updatePet
      parameters:
        - name: tags
          in: query
          type: array
          items: {type: string}
          collectionFormat: tsv
        - name: body
          in: body
          schema:
            $ref: "#/definitions/Nope"
      responses:
        "200":
          description: ok
          schema:
            $ref: "#/definitions/Pet"
        default:
          $ref: "#/responses/Gone"
definitions:
  Pet:
    type: object
    properties:
      name: 5
"##;
    insta::assert_snapshot!("swagger2", errors("swagger2.yaml", text));
}

// ---------------------------------------------------------------------------
// Hostile input: no stack overflow, no unbounded memory

/// Nesting far beyond any real spec is refused by the parsers (JSON and
/// YAML alike), on the default 2 MiB stack of a test thread.
#[test]
fn very_deep_nesting_is_refused() {
    let n = 100_000;
    let json = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"x\", \"version\": \"1\"}}, \"paths\": {{}}, \"x\": {}{}}}",
        "[".repeat(n),
        "]".repeat(n)
    );
    let yaml_flow = format!(
        "openapi: 3.1.0\ninfo: {{title: x, version: \"1\"}}\npaths: {{}}\nx: {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let yaml_block = format!(
        "openapi: 3.1.0\ninfo: {{title: x, version: \"1\"}}\npaths: {{}}\nx:\n{}x\n",
        "- ".repeat(n)
    );
    let text = [
        errors("deep.json", &json),
        errors("deep.yaml", &yaml_flow),
        errors("deep_block.yaml", &yaml_block),
    ]
    .join("\n");
    insta::assert_snapshot!("deep", text);
}

/// Schemas nested nearly as deep as the parsers allow still generate (the
/// later stages recurse once per level), on a test thread's stack.
#[test]
fn deep_schemas_within_the_limit_generate() {
    let mut schema = "{type: string}".to_owned();
    for _ in 0..120 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: x, version: \"1\"}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"
    );
    let generated = apigen::generate("deep.yaml", text, Format::Yaml, &EmitOptions::default())
        .unwrap_or_else(|d| panic!("{d}"));
    assert!(
        generated.code.contains("pub type Deep ="),
        "{}",
        generated.code
    );
}

/// "Billion laughs": nine levels of aliases, each repeating the previous
/// one nine times, would expand to about 387 million nodes.
#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: x, version: \"1\"}\npaths: {}\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let alias = format!("*{}", pair[0]);
        text.push_str(&format!(
            "x-{}: &{} [{}]\n",
            pair[1],
            pair[1],
            [alias.as_str(); 9].join(", ")
        ));
    }
    let start = std::time::Instant::now();
    insta::assert_snapshot!("alias_bomb", errors("bomb.yaml", &text));
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}

/// Anchors and aliases themselves are fine: a shared response, reused.
#[test]
fn yaml_anchors_and_aliases_are_read() {
    let text = r##"openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200": &ok
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /b:
    get:
      operationId: getB
      responses:
        "200": *ok
components:
  schemas:
    Thing: &thing
      type: object
      properties:
        id: {type: string}
    Other:
      <<: *thing
      description: the same shape, merged
"##;
    let generated = apigen::generate(
        "anchors.yaml",
        text.into(),
        Format::Yaml,
        &EmitOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let code = &generated.code;
    assert!(code.contains("pub async fn get_b"), "{code}");
    assert!(code.contains("pub struct Other"), "{code}");
    assert_eq!(
        code.matches("ResponseValue<types::Thing>").count(),
        2,
        "{code}"
    );
}

// ---------------------------------------------------------------------------
// The command line

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives inside the workspace")
        .to_path_buf()
}

/// A fresh, empty directory under the target directory.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = workspace_root()
        .join("target")
        .join("apigen-tests-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cli_reports_errors_with_position_and_writes_nothing() {
    let dir = scratch_dir("cli");
    let spec = dir.join("bad.yaml");
    std::fs::write(&spec, DANGLING_REF).unwrap();
    let out = dir.join("out.rs");
    let output = Command::new(env!("CARGO"))
        .current_dir(workspace_root())
        .args(["run", "-q", "-p", "apigen", "--", "generate"])
        .arg(&spec)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    let expected = format!(
        "{}:10:17: error: `$ref: #/components/schemas/Owner` points to nothing \
         (at #/components/schemas/Pet/properties/owner/$ref)",
        spec.display()
    );
    assert!(stderr.contains(&expected), "stderr:\n{stderr}");
    assert!(stderr.contains("nothing was written"), "stderr:\n{stderr}");
    assert!(!out.exists(), "{} was written", out.display());
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// Mutation: no input makes the generator panic

// A deterministic PRNG, so failures reproduce from the seed.
use apigen_tests::rng::Rng;

use serde_json::Value;

/// Every value in `v`, as JSON pointers (the root is "").
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn parent_and_key(pointer: &str) -> (&str, String) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, key.replace("~1", "/").replace("~0", "~"))
}

/// One random structural change: drop a key or item, or give a value a
/// wrong type.
fn mutate(v: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    if target.is_empty() {
        return;
    }
    let (parent, key) = parent_and_key(&target);
    let replacements = [
        Value::Null,
        Value::Bool(true),
        Value::from(-1),
        Value::from(1.5),
        Value::from(""),
        Value::from("#/components/schemas/Nope"),
        Value::Array(vec![Value::Null]),
        serde_json::json!({}),
        serde_json::json!({"$ref": "#/components/schemas"}),
        serde_json::json!({"$ref": "#"}),
        serde_json::json!({"type": ["string", "null", 3]}),
    ];
    let choice = rng.below(replacements.len() + 2);
    let Some(container) = v.pointer_mut(parent) else {
        return;
    };
    match container {
        Value::Object(m) => {
            if choice >= replacements.len() {
                m.remove(&key);
            } else {
                m.insert(key, replacements[choice].clone());
            }
        }
        Value::Array(a) => {
            let i: usize = key.parse().unwrap();
            if choice >= replacements.len() {
                a.remove(i);
            } else {
                a[i] = replacements[choice].clone();
            }
        }
        _ => {}
    }
}

/// Cuts `text` at a random character boundary.
fn truncate(text: &str, rng: &mut Rng) -> String {
    let mut cut = rng.below(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text[..cut].to_owned()
}

#[test]
fn mutated_fixtures_never_panic() {
    let specs = apigen_tests::fixture_files();
    // More rounds (and another seed) can be asked for when hunting bugs.
    let rounds: usize = std::env::var("APIGEN_MUTATION_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(240);
    let seed: u64 = std::env::var("APIGEN_MUTATION_SEED")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng::new(seed);
    let (mut ok, mut err) = (0, 0);
    for round in 0..rounds {
        let path = &specs[round % specs.len()];
        let name = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(path).unwrap();
        let format = Format::detect(&name, &text);
        let (text, format) = if round % 4 == 3 {
            (truncate(&text, &mut rng), format)
        } else {
            let mut value = apigen::Source::parse(&name, text, format).unwrap().value;
            for _ in 0..1 + rng.below(3) {
                mutate(&mut value, &mut rng);
            }
            (serde_json::to_string_pretty(&value).unwrap(), Format::Json)
        };
        let input = text.clone();
        let result = std::panic::catch_unwind(move || {
            apigen::generate(&name, text, format, &EmitOptions::default())
        });
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(d)) => {
                assert!(d.has_errors(), "failed without an error: {d}");
                // Invalid input is the spec's fault; code that does not
                // parse would be apigen's.
                assert!(
                    !d.to_string().contains("internal error"),
                    "round {round}: {d}\ninput:\n{input}"
                );
                err += 1;
            }
            Err(_) => panic!("round {round}: apigen panicked on this input:\n{input}"),
        }
    }
    // Both outcomes occur, so the mutations are neither all harmless nor all fatal.
    eprintln!("{rounds} mutated specs: {ok} generated, {err} rejected with errors");
    assert!(ok > rounds / 20 && err > rounds / 20, "ok {ok}, err {err}");
}
