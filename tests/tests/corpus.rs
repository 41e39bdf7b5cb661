//! Real-world specs written by others: every one must generate, and the
//! generated code must compile with warnings, clippy's included, denied.
//!
//! The corpus is the directory in `APIGEN_CORPUS`, else `../shared/corpus`
//! beside the workspace; the test is skipped (with a message) when neither
//! exists, as on a fresh clone. Run it alone, with the table, as:
//!
//! ```text
//! APIGEN_CORPUS=path/to/specs cargo test -p apigen-tests --test corpus -- --nocapture
//! ```
//!
//! Each spec becomes a crate in one scratch workspace under `target/corpus`
//! ([`apigen_tests::compile::generate_and_clippy`]), sharing one lock file
//! and target dir, so dependencies are built once.

use std::path::{Path, PathBuf};

use apigen_tests::compile::generate_and_clippy;
use apigen_tests::scratch::repository_root;

fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("APIGEN_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let beside = repository_root().join("../shared/corpus");
    beside.is_dir().then_some(beside)
}

fn specs_in(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            specs_in(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn corpus_generates_and_compiles_without_warnings() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: no corpus (set APIGEN_CORPUS or provide ../shared/corpus)");
        return;
    };
    let mut specs = Vec::new();
    specs_in(&dir, &mut specs);
    specs.sort();
    assert!(!specs.is_empty(), "no specs found in {}", dir.display());
    let report = generate_and_clippy("corpus", &dir, &specs);
    println!(
        "{}\n{} of {} specs generate and compile with warnings (clippy's too) denied",
        report.table, report.ok, report.total
    );
    assert!(
        report.failures.is_empty(),
        "{}\n\n{}",
        report.failures.join("\n"),
        report.table
    );
}
