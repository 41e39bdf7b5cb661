//! specs/ must pass an independent OpenAPI validator (Redocly CLI, installed
//! from package-lock.json by `npm ci`; scripts/test does that first).

use std::path::Path;
use std::process::Command;

#[test]
fn specs_pass_redocly_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let Some(redocly) = apigen_tests::node::installed(".bin/redocly") else {
        return;
    };
    let out = Command::new(&redocly)
        .current_dir(root)
        .args([
            "lint",
            "--format=stylish",
            "specs/membrane.yaml",
            "specs/openint.json",
            "specs/connectors.yaml",
        ])
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .expect("redocly runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "redocly lint failed:\n{text}");
    // Redocly prints a boxed banner about the Node.js version; only its own
    // findings count.
    let findings: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with(['║', '╔', '╚']))
        .filter(|l| l.to_ascii_lowercase().contains("warning"))
        .collect();
    assert!(
        findings.is_empty(),
        "redocly lint reports warnings:\n{text}"
    );
    assert!(text.contains("valid"), "unexpected redocly output:\n{text}");
}
