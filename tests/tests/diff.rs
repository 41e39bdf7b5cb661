//! `apigen diff`: each pair of `fixtures/diff` (`base.yaml` and one changed
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
    let dir = repository_root().join("tests/fixtures/diff");
    let base = generate(&dir.join("base.yaml"));
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixture directory exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "base.yaml"))
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

#[test]
fn a_spec_compared_with_itself_has_no_change() {
    for spec in ["specs/membrane.yaml", "specs/connectors.yaml"] {
        let code = generate(&repository_root().join(spec));
        let report = diff_code(&code, &code).expect("parses");
        assert_eq!(report.bump(), Level::None, "{spec}");
        assert!(report.changes.is_empty(), "{spec}: {:?}", report.changes);
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
    let read = client.methods.values().filter(|m| m.is_async).count();
    assert_eq!(read, methods);
    assert!(
        client
            .methods
            .values()
            .filter(|m| m.endpoint.is_some())
            .count()
            >= methods / 2
    );
}
