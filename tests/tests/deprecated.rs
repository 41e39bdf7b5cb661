//! `deprecated: true` warns the user of a generated client, never its own
//! code: `fixtures/deprecated.yaml` names deprecated schemas, properties
//! and operations in every position generated code names them from, and
//! `tests/src/lib.rs` builds it with warnings denied; here a crate that
//! names them gets exactly the warnings it should.

use apigen::{EmitOptions, Format};
use apigen_tests::scratch::{Workspace, repository_root};

#[test]
fn users_naming_deprecated_items_are_warned_and_nothing_else_is() {
    let spec = repository_root().join("tests/fixtures/deprecated.yaml");
    let text = std::fs::read_to_string(&spec).expect("the fixture is readable");
    let generated = apigen::generate(
        "deprecated.yaml",
        text,
        Format::Yaml,
        &EmitOptions::default(),
    )
    .expect("the fixture generates");
    let user = r#"
#[allow(dead_code)]
mod api {
    include!("api.rs");
}

pub fn uses() {
    let _holder = api::types::Holder::default(); // line 8: not deprecated
    let _level = api::types::OldLevel::V1; // a deprecated enum
    let thing = api::types::OldThing { // a deprecated struct
        name: "n".into(),
        level: api::types::OldLevel::V2,
        mode: None,
        retired: Some(true), // line 14: a deprecated field
        tags: None,
        extras: None,
        self_: None,
    };
    let _ = thing.retired(); // line 19: its accessor
}
"#;
    let mut workspace = Workspace::new("deprecated");
    workspace.add_crate(
        "uses_deprecated",
        &[],
        &[("src/lib.rs", user), ("src/api.rs", &generated.code)],
    );
    // `-D warnings` is the workspace's default; let warnings through to count them.
    let out = std::process::Command::new(env!("CARGO"))
        .current_dir(workspace.dir())
        .args([
            "check",
            "--quiet",
            "-p",
            "uses_deprecated",
            "--message-format=short",
        ])
        .env("CARGO_TARGET_DIR", workspace.dir().join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert!(
        warnings.iter().all(|l| l.contains("deprecated")),
        "{stderr}"
    );
    assert!(
        !warnings.iter().any(|l| l.contains("src/api.rs")),
        "generated code warns:\n{stderr}"
    );
    // The lines of `uses` that warn (rustc also calls the fields of a
    // deprecated struct deprecated).
    let lines: std::collections::BTreeSet<usize> = warnings
        .iter()
        .filter_map(|l| {
            l.split("src/lib.rs:")
                .nth(1)?
                .split(':')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    for line in [9, 10, 12, 14, 19] {
        assert!(
            lines.contains(&line),
            "line {line} of the user crate does not warn:\n{stderr}"
        );
    }
    assert!(
        !lines.contains(&8),
        "a type that is not deprecated warns:\n{stderr}"
    );
}
