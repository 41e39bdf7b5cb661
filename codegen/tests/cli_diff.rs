//! `apigen diff` and the summary `apigen check` prints for stale output, as a
//! CI job runs them: exit codes, `--fail-on`, `--format json`,
//! `--from-version`. What each kind of change is classified as is tested on
//! the fixture pairs in `tests/tests/diff.rs`.

mod support;
use support::{apigen, scratch, text};

const BASE: &str = "tests/diff/base.yaml";

#[test]
fn a_breaking_change_fails_the_job_only_when_asked() {
    let new = "tests/diff/field_added.yaml";
    let o = apigen(&["diff", BASE, new]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("semver: major (1 breaking"), "{out}");
    assert!(
        out.contains("types::Pet: field `age` `Option<i64>` added"),
        "{out}"
    );
    assert!(
        out.contains("[struct-add-public-field-when-no-private]"),
        "{out}"
    );

    let o = apigen(&["diff", BASE, new, "--fail-on", "breaking"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // A compatible change passes the same gate, and fails a stricter one.
    let added = "tests/diff/type_added.yaml";
    let o = apigen(&["diff", BASE, added, "--fail-on", "major"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = apigen(&["diff", BASE, added, "--fail-on", "minor"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn json_output_with_the_next_version() {
    let o = apigen(&[
        "diff",
        BASE,
        "tests/diff/enum_value_added.yaml",
        "--format",
        "json",
        "--from-version",
        "0.3.1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["bump"], "major");
    assert_eq!(v["breaking"], 1);
    // Before 1.0 the minor number is the major one.
    assert_eq!(v["next_version"], "0.4.0");
    let change = &v["changes"][0];
    assert_eq!(change["item"], "types::Status");
    assert_eq!(change["change"], "variant_added");
    assert_eq!(change["level"], "major");
    assert_eq!(
        change["rule"],
        "https://doc.rust-lang.org/cargo/reference/semver.html#enum-variant-new"
    );
}

#[test]
fn the_same_spec_twice_is_unchanged() {
    let o = apigen(&["diff", BASE, BASE, "--fail-on", "patch"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("API unchanged"), "{}", text(&o));
}

#[test]
fn usage_and_spec_errors_exit_2() {
    for args in [
        vec!["diff", BASE],
        vec!["diff", BASE, BASE, "--format", "xml"],
        vec!["diff", BASE, BASE, "--fail-on", "huge"],
        vec!["diff", BASE, BASE, "--from-version", "1.2"],
        vec!["diff", BASE, "tests/diff/missing.yaml"],
    ] {
        let o = apigen(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("error"), "{args:?}: {}", text(&o));
    }
}

#[test]
fn check_says_what_changed_for_callers() {
    let dir = scratch("diff-check");
    let out = dir.join("pets.rs");
    let out = out.to_str().expect("UTF-8 path");
    let o = apigen(&["generate", BASE, "-o", out]);
    assert!(o.status.success(), "{}", text(&o));
    let o = apigen(&["check", "tests/diff/operation_removed.yaml", "-o", out]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("stale:"), "{err}");
    assert!(err.contains("semver: major (2 breaking"), "{err}");
    assert!(err.contains("Client::create_pet: method removed"), "{err}");
    assert!(err.contains("to update it, run: apigen generate"), "{err}");
}
