//! The checked-in clients in generated/ must be exactly what apigen produces
//! from specs/ today.

use std::path::{Path, PathBuf};

use apigen::{EmitOptions, Format};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives inside the workspace")
        .to_path_buf()
}

/// (spec path relative to the workspace root, checked-in module)
const CLIENTS: [(&str, &str); 3] = [
    ("specs/membrane.yaml", "generated/src/membrane.rs"),
    ("specs/openint.json", "generated/src/openint.rs"),
    ("specs/connectors.yaml", "generated/src/connectors.rs"),
];

#[test]
fn generated_clients_are_fresh() {
    let root = workspace_root();
    let mut stale = Vec::new();
    for (spec, module) in CLIENTS {
        let text = std::fs::read_to_string(root.join(spec)).expect("spec is readable");
        let generated = apigen::generate(
            spec,
            text,
            Format::detect(spec, ""),
            &EmitOptions::default(),
        )
        .unwrap_or_else(|d| panic!("{spec} no longer generates:\n{d}"));
        assert!(
            generated.warnings.is_empty(),
            "{spec} generates with warnings:\n{}",
            generated.warnings
        );
        let on_disk = std::fs::read_to_string(root.join(module)).unwrap_or_default();
        if on_disk != generated.code {
            stale.push(format!(
                "  cargo run -p apigen -- generate {spec} -o {module}"
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "checked-in generated code is stale; regenerate it with:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    for (spec, _) in CLIENTS {
        let text = std::fs::read_to_string(root.join(spec)).expect("spec is readable");
        let run = || {
            apigen::generate(
                spec,
                text.clone(),
                Format::detect(spec, ""),
                &EmitOptions::default(),
            )
            .map(|g| g.code)
            .expect("spec generates")
        };
        assert_eq!(run(), run(), "{spec}: two runs differ");
    }
}
