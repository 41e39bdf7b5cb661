//! The examples of the Overlay 1.0.0 specification, the "compliant sets"
//! and schema tests of its repository (copied under
//! `tests/overlay/`, from OAI/Overlay-Specification at commit
//! 5de61ebc), and the problems an overlay can have.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::apply;
use crate::diag::Diagnostics;
use crate::load::{Format, Source};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/overlay")
}

fn yaml(name: &str, text: &str) -> Source {
    Source::parse(name, text.to_owned(), Format::Yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn read(path: &Path) -> Source {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    let format = Format::detect(&name, &text);
    Source::parse(&name, text, format).unwrap_or_else(|e| panic!("{e}"))
}

/// The document after `overlays`, and the warnings.
fn overlaid(doc: &Source, overlays: &[Source]) -> (Value, Diagnostics) {
    match apply(doc, overlays) {
        Ok((source, warnings)) => (source.value, warnings),
        Err(e) => panic!("overlay failed:\n{e}"),
    }
}

fn errors(doc: &Source, overlays: &[Source]) -> Diagnostics {
    match apply(doc, overlays) {
        Ok((source, _)) => panic!("overlay applied: {:#}", source.value),
        Err(e) => {
            assert!(e.has_errors(), "{e}");
            e
        }
    }
}

/// Every compliant set of Overlay 1.0 gives its `output.yaml`.
#[test]
fn compliant_sets_give_their_output() {
    let dir = fixtures().join("compliant");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    sets.sort();
    let mut applied = 0;
    for set in sets {
        let overlay = read(&set.join("overlay.yaml"));
        let openapi = read(&set.join("openapi.yaml"));
        if overlay.value["overlay"] == "1.1.0" {
            // replace-servers-for-sandbox is an Overlay 1.1 document.
            let e = errors(&openapi, &[overlay]);
            assert!(
                e.to_string()
                    .contains("Overlay version \"1.1.0\" is not supported"),
                "{e}"
            );
            continue;
        }
        let expected = read(&set.join("output.yaml")).value;
        let (value, warnings) = overlaid(&openapi, &[overlay]);
        assert_eq!(value, expected, "{}", set.display());
        assert!(warnings.is_empty(), "{}: {warnings}", set.display());
        applied += 1;
    }
    assert_eq!(applied, 7);
}

/// The schema tests of Overlay 1.0: documents in `pass/` are accepted,
/// each one in `fail/` is an error.
#[test]
fn schema_tests_pass_and_fail() {
    let doc = yaml("api.yaml", "openapi: 3.1.0\npaths: {}\n");
    for (kind, should_pass) in [("pass", true), ("fail", false)] {
        let dir = fixtures().join("schema-tests").join(kind);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(files.len() >= 12, "{}", dir.display());
        for file in files {
            let overlay = read(&file);
            let result = apply(&doc, &[overlay]);
            assert_eq!(
                result.is_ok(),
                should_pass,
                "{}: {:?}",
                file.display(),
                result.err()
            );
        }
    }
}

/// "Structured Overlay Example" (§ Examples): one action on `$` mirroring
/// the document.
#[test]
fn structured_overlay_example() {
    let doc = yaml(
        "api.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /:\n    get: {operationId: root}\n  \
         /pets:\n    get: {operationId: pets, x-rate-limit: 10}\n",
    );
    let overlay = yaml(
        "structured.yaml",
        "overlay: 1.0.0
info:
  title: Structured Overlay
  version: 1.0.0
actions:
  - target: '$' # Root of document
    update:
      info:
        x-overlay-applied: structured-overlay
      paths:
        '/':
          summary: 'The root resource'
          get:
            summary: 'Retrieve the root resource'
            x-rate-limit: 100
        '/pets':
          get:
            summary: 'Retrieve a list of pets'
            x-rate-limit: 100
      components:
      tags:
",
    );
    let (value, warnings) = overlaid(&doc, &[overlay]);
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(value["info"]["x-overlay-applied"], "structured-overlay");
    assert_eq!(value["info"]["title"], "t");
    assert_eq!(
        value["paths"]["/"],
        json!({"get": {"operationId": "root", "summary": "Retrieve the root resource", "x-rate-limit": 100},
               "summary": "The root resource"})
    );
    // A primitive replaces a primitive.
    assert_eq!(value["paths"]["/pets"]["get"]["x-rate-limit"], 100);
    // The example's placeholder `components:` is null, and is added so.
    assert_eq!(value.get("components"), Some(&Value::Null));
}

/// "Targeted Overlay Example".
#[test]
fn targeted_overlay_example() {
    let doc = yaml(
        "api.yaml",
        "paths:\n  /foo:\n    get: {description: old}\n  /bar:\n    get: {operationId: bar}\n",
    );
    let overlay = yaml(
        "targeted.yaml",
        "overlay: 1.0.0
info:
  title: Targeted Overlay
  version: 1.0.0
actions:
  - target: $.paths['/foo'].get
    update:
      description: This is the new description
  - target: $.paths['/bar'].get
    update:
      description: This is the updated description
  - target: $.paths['/bar']
    update:
      post:
        description: This is an updated description of a child object
        x-safe: false
",
    );
    let (value, _) = overlaid(&doc, &[overlay]);
    assert_eq!(
        value,
        json!({"paths": {
            "/foo": {"get": {"description": "This is the new description"}},
            "/bar": {
                "get": {"operationId": "bar", "description": "This is the updated description"},
                "post": {"description": "This is an updated description of a child object", "x-safe": false}
            }
        }})
    );
}

const PARAMETERS: &str = "paths:
  /a:
    get:
      parameters:
        - {name: filter, in: query}
        - {name: dummy, in: query}
  /b:
    get:
      parameters:
        - {name: filter, in: header}
    put: {}
";

/// "Wildcard Overlay Example".
#[test]
fn wildcard_overlay_example() {
    let overlay = yaml(
        "wildcard.yaml",
        "overlay: 1.0.0
info:
  title: Update many objects at once
  version: 1.0.0
actions:
  - target: $.paths.*.get
    update:
      x-safe: true
  - target: $.paths.*.get.parameters[?@.name=='filter' && @.in=='query']
    update:
      schema:
        $ref: '/components/schemas/filterSchema'
",
    );
    let (value, _) = overlaid(&yaml("api.yaml", PARAMETERS), &[overlay]);
    assert_eq!(value["paths"]["/a"]["get"]["x-safe"], true);
    assert_eq!(value["paths"]["/b"]["get"]["x-safe"], true);
    assert!(value["paths"]["/b"]["put"].get("x-safe").is_none());
    let a = &value["paths"]["/a"]["get"]["parameters"];
    assert_eq!(a[0]["schema"]["$ref"], "/components/schemas/filterSchema");
    assert!(a[1].get("schema").is_none());
    assert!(
        value["paths"]["/b"]["get"]["parameters"][0]
            .get("schema")
            .is_none()
    );
}

/// "Array Modification Example": an update appends to the arrays the
/// target selects; `remove` deletes the elements a filter selects.
#[test]
fn array_modification_example() {
    let add = yaml(
        "add.yaml",
        "overlay: 1.0.0
info:
  title: Add an array element
  version: 1.0.0
actions:
  - target: $.paths.*.get.parameters
    update:
      name: newParam
      in: query
",
    );
    let remove = yaml(
        "remove.yaml",
        "overlay: 1.0.0
info:
  title: Remove a array element
  version: 1.0.0
actions:
  - target: $.paths.*.get.parameters[?@.name == 'dummy']
    remove: true
",
    );
    let (value, _) = overlaid(&yaml("api.yaml", PARAMETERS), &[add, remove]);
    let names = |path: &str| -> Vec<Value> {
        value["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].clone())
            .collect()
    };
    assert_eq!(names("/a"), ["filter", "newParam"]);
    assert_eq!(names("/b"), ["filter", "newParam"]);
}

/// "Traits Example", with its document. As written, `@.x-oai-traits.paged`
/// looks for a member `paged` of the array `['paged']`, so under RFC 9535
/// it selects nothing: a warning. The filter selects the children of
/// `get`, so a form that works targets the operation with `$.paths.*[?…]`.
#[test]
fn traits_example() {
    let doc = yaml(
        "traits.yaml",
        "openapi: 3.1.0
info:
  title: API with a paged collection
  version: 1.0.0
paths:
  /items:
    get:
      x-oai-traits: ['paged']
      responses:
        200:
          description: OK
",
    );
    let overlay = |target: &str| {
        yaml(
            "apply-traits.yaml",
            &format!(
                "overlay: 1.0.0
info:
  title: Apply Traits
  version: 1.0.0
actions:
  - target: {target}
    update:
      parameters:
        - name: top
          in: query
        - name: skip
          in: query
"
            ),
        )
    };
    let (value, warnings) = overlaid(&doc, &[overlay("$.paths.*.get[?@.x-oai-traits.paged]")]);
    assert_eq!(value, doc.value);
    assert_eq!(warnings.len(), 1, "{warnings}");
    let w = warnings.iter().next().unwrap().to_string();
    assert!(
        w.starts_with("apply-traits.yaml:6:13: warning: actions[0]: target \"$.paths.*.get[?@.x-oai-traits.paged]\" selects nothing in traits.yaml"),
        "{w}"
    );
    let (value, warnings) = overlaid(
        &doc,
        &[overlay("\"$.paths.*[?@['x-oai-traits'][?@ == 'paged']]\"")],
    );
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(
        value["paths"]["/items"]["get"]["parameters"],
        json!([{"name": "top", "in": "query"}, {"name": "skip", "in": "query"}])
    );
}

/// Actions run in order, each on the result of the ones before: a node
/// removed and then re-created (Overlay Object, "Actions are applied to
/// the result of the previous action").
#[test]
fn actions_apply_in_order_and_overlays_too() {
    let doc = yaml(
        "api.yaml",
        "servers: [{url: a}, {url: b}]\ninfo: {title: t}\n",
    );
    let first = yaml(
        "first.yaml",
        "overlay: 1.0.1\ninfo: {title: x, version: '1'}\nactions:\n\
         - {target: $.servers, remove: true}\n\
         - {target: $, update: {servers: [{url: c}]}}\n",
    );
    let second = yaml(
        "second.yaml",
        "overlay: 1.0.0\ninfo: {title: second, version: '1'}\nextends: api.yaml\nx-note: 1\nactions:\n\
         - {target: '$.servers[0]', update: {description: C}, x-why: because}\n\
         - {target: '$..[?@.url]', update: {x-seen: true}}\n",
    );
    let (value, warnings) = overlaid(&doc, &[first, second]);
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(
        value["servers"],
        json!([{"url": "c", "description": "C", "x-seen": true}])
    );
}

/// Nested arrays are appended to; removing several elements of one array
/// (and a node twice, and a node with its descendant) removes each once.
#[test]
fn merges_and_removals() {
    let doc = yaml(
        "api.yaml",
        "a: {tags: [x], n: 1, o: {p: 1}}\nlist: [0, 1, 2, 3, 4, 5]\n",
    );
    let overlay = yaml(
        "o.yaml",
        "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n\
         - {target: $.a, update: {tags: [z], n: 2, o: {q: 2}}}\n\
         - {target: '$.list[1, 3, 1, -1]', remove: true}\n\
         - {target: '$.a..[?@.p || @ == 1]', remove: true}\n",
    );
    let (value, warnings) = overlaid(&doc, &[overlay]);
    assert_eq!(
        value,
        json!({"a": {"tags": ["x", "z"], "n": 2}, "list": [0, 2, 4]})
    );
    assert!(warnings.is_empty(), "{warnings}");
}

/// Each problem names the overlay file, the line:column and pointer of the
/// offending field, and the action.
#[test]
fn errors_name_file_position_and_action() {
    let doc = yaml("api.yaml", "info: {title: t}\nservers: [{url: a}]\n");
    let cases: &[(&str, &str)] = &[
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $.info\n    update: {}\n  - target: $.servers[?@.url ==]\n    description: Broken\n",
            "o.yaml:6:13: error: actions[1] (\"Broken\"): invalid JSONPath \"$.servers[?@.url ==]\" at character 19: expected a query, a literal or a function, found `]` (at #/actions/1/target)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $.info.title\n    update: new\n",
            "o.yaml:4:13: error: actions[0]: target selects a string (#/info/title in api.yaml); an update changes objects and arrays, so target the object that holds it (at #/actions/0/target)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $.info\n    update: new\n",
            "o.yaml:5:13: error: actions[0]: target selects an object (#/info in api.yaml), so `update` must be an object of properties to merge, not a string (at #/actions/0/update)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $\n    description: d\n    update:\n      info:\n        title: {a: 1}\n",
            "o.yaml:8:16: error: actions[0] (\"d\"): cannot merge an object into a string at #/info/title (at #/actions/0/update/info/title)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $\n    remove: true\n",
            "o.yaml:4:13: error: actions[0]: target \"$\" selects the whole document, which cannot be removed (at #/actions/0/target)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $.info\n    remove: 'true'\n",
            "o.yaml:5:13: error: actions[0]: `remove` must be true or false, not a string (at #/actions/0/remove)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x}\nactions:\n  - description: no target\n",
            "o.yaml:2:7: error: missing required field `info.version` (at #/info)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - description: no target\n",
            "o.yaml:4:5: error: actions[0] (\"no target\"): missing required field `target` (a JSONPath query) (at #/actions/0)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions: []\n",
            "o.yaml:3:10: error: `actions` must list at least one action (at #/actions)",
        ),
        (
            "overlay: '1.0'\ninfo: {title: x, version: '1'}\nactions: [{target: $}]\n",
            "o.yaml:1:10: error: Overlay version \"1.0\" is not supported: apigen applies Overlay 1.0.x documents (at #/overlay)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n  - target: $\n    updates: {}\n",
            "o.yaml:5:14: error: actions[0] has no field `updates` (it has `target`, `description`, `update`, `remove`, and `x-` extensions) (at #/actions/0/updates)",
        ),
        (
            "overlay: 1.0.0\ninfo: [x\n",
            "o.yaml:2:7: error: invalid YAML: unclosed bracket",
        ),
    ];
    for (text, expected) in cases {
        let overlay = match Source::parse("o.yaml", text.to_string(), Format::Yaml) {
            Ok(s) => s,
            Err(e) => {
                let got = e.to_string();
                assert!(got.starts_with(expected), "got {got}\nexpected {expected}");
                continue;
            }
        };
        let e = errors(&doc, &[overlay]);
        let first = e.iter().find(|d| d.is_error()).unwrap().to_string();
        assert_eq!(&first, expected, "\n{text}");
    }
}

/// A JSON overlay reports positions too; an error stops before later
/// overlays, and the document is not returned.
#[test]
fn json_overlay_errors_have_positions() {
    let doc = yaml("api.yaml", "info: {title: t}\n");
    let overlay = Source::parse(
        "o.json",
        "{\"overlay\": \"1.0.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"},\n \"actions\": [\n  {\"target\": \"$.info\", \"update\": 3}]}".into(),
        Format::Json,
    )
    .unwrap();
    let never = yaml("never.yaml", "overlay: 2\n");
    let e = errors(&doc, &[overlay, never]);
    assert_eq!(e.len(), 1, "{e}");
    assert_eq!(
        e.to_string(),
        "o.json:3:34: error: actions[0]: target selects an object (#/info in api.yaml), so `update` must be an object of properties to merge, not a number (at #/actions/0/update)"
    );
}

/// Warnings: a target that selects nothing, `update` beside `remove: true`
/// (ignored, as the specification says), an action that does nothing.
#[test]
fn warnings_name_the_action() {
    let doc = yaml("api.yaml", "info: {title: t}\n");
    let overlay = yaml(
        "w.yaml",
        "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n\
         - target: $.paths['/gone']\n  description: Drop /gone\n  remove: true\n\
         - target: $.info.title\n  remove: true\n  update: {x: 1}\n\
         - target: $.info\n",
    );
    let (value, warnings) = overlaid(&doc, &[overlay]);
    assert_eq!(value, json!({"info": {}}));
    let lines: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "w.yaml:4:11: warning: actions[0] (\"Drop /gone\"): target \"$.paths['/gone']\" selects nothing in api.yaml; the action changes nothing (at #/actions/0/target)",
            "w.yaml:9:11: warning: actions[1]: `update` is ignored, as `remove` is true (at #/actions/1/update)",
            "w.yaml:10:3: warning: actions[2]: has neither `update` nor `remove: true`; the action changes nothing (at #/actions/2)",
        ]
    );
}

/// Diagnostics about the spec after an overlay changed it: a node of the
/// original text keeps its line:column; a node the overlay added is placed
/// at its nearest ancestor in the text, without failing.
#[test]
fn spec_diagnostics_after_an_overlay_keep_positions() {
    let spec = yaml(
        "api.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
         Old: {$ref: '#/components/schemas/Gone'}\n",
    );
    let overlay = yaml(
        "o.yaml",
        "overlay: 1.0.0\ninfo: {title: x, version: '1'}\nactions:\n\
         - target: $.components.schemas\n  update: {New: {$ref: '#/components/schemas/Nowhere'}}\n",
    );
    let result = crate::generate_source_overlaid(
        &spec,
        &[overlay],
        &crate::EmitOptions::default(),
        &mut crate::resolve::NoFiles,
    );
    let Err(diags) = result else {
        panic!("generated despite dangling references");
    };
    let old = diags.iter().find(|d| d.message.contains("Gone")).unwrap();
    assert_eq!(old.position.map(|p| p.line), Some(6), "{old}");
    let new = diags
        .iter()
        .find(|d| d.message.contains("Nowhere"))
        .unwrap();
    assert_eq!(new.file, "api.yaml");
    assert_eq!(new.position.map(|p| p.line), Some(6), "{new}");
}
