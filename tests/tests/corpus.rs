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
//! ([`apigen_tests::scratch::Workspace`]), sharing one lock file and target
//! dir, so dependencies are built once.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use apigen::EmitOptions;
use apigen_tests::scratch::{Workspace, crate_name, repository_root};

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

struct Row {
    spec: String,
    generated: Result<usize, String>,
    compiled: Option<Result<(), String>>,
    seconds: Duration,
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

    // Generate every spec into its own crate, in one workspace so that
    // dependencies build once.
    let mut workspace = Workspace::new("corpus");
    let mut rows = Vec::new();
    for spec in &specs {
        let name = crate_name("corpus", spec);
        let start = Instant::now();
        let generated = apigen::builder::generate_file(spec, &EmitOptions::default());
        let seconds = start.elapsed();
        let label = spec
            .strip_prefix(&dir)
            .unwrap_or(spec)
            .display()
            .to_string();
        let generated = match generated {
            Ok(g) => {
                workspace.add_crate(&name, &[], &[("src/lib.rs", &g.code)]);
                Ok(g.warnings.len())
            }
            Err(e) => Err(e.to_string()),
        };
        rows.push((
            name,
            Row {
                spec: label,
                generated,
                compiled: None,
                seconds,
            },
        ));
    }

    let cargo = |args: &[&str]| workspace.cargo(args);
    // Build the shared dependencies first so per-spec times are the spec's own.
    // Clippy, not just `check`: generated code must be clippy-clean too.
    let warm = cargo(&["clippy", "--quiet", "-p", "apigen-runtime"]);
    assert!(
        warm.status.success(),
        "apigen-runtime does not check: {}",
        String::from_utf8_lossy(&warm.stderr)
    );
    for (name, row) in rows.iter_mut() {
        if row.generated.is_err() {
            continue;
        }
        let start = Instant::now();
        let out = cargo(&["clippy", "--quiet", "-p", name]);
        row.seconds += start.elapsed();
        row.compiled = Some(if out.status.success() {
            Ok(())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            let errors = err.lines().filter(|l| l.starts_with("error")).count();
            let first: String = err
                .lines()
                .filter(|l| l.starts_with("error"))
                .take(3)
                .collect::<Vec<_>>()
                .join(" | ");
            Err(format!("{errors} error lines: {first}"))
        });
    }

    let mut table = String::from("| spec | generated | compiled | seconds |\n|---|---|---|---|\n");
    let mut failures = Vec::new();
    for (_, row) in &rows {
        let generated = match &row.generated {
            Ok(0) => "yes".to_owned(),
            Ok(n) => format!("yes ({n} warnings)"),
            Err(_) => "no".to_owned(),
        };
        let compiled = match &row.compiled {
            Some(Ok(())) => "yes",
            Some(Err(_)) => "no",
            None => "-",
        };
        writeln!(
            table,
            "| {} | {generated} | {compiled} | {:.2} |",
            row.spec,
            row.seconds.as_secs_f64()
        )
        .unwrap();
        if let Err(e) = &row.generated {
            failures.push(format!("{}: does not generate:\n{e}", row.spec));
        }
        if let Some(Err(e)) = &row.compiled {
            failures.push(format!("{}: does not compile: {e}", row.spec));
        }
    }
    let ok = rows
        .iter()
        .filter(|(_, r)| matches!(r.compiled, Some(Ok(()))))
        .count();
    println!(
        "{table}\n{ok} of {} specs generate and compile with warnings (clippy's too) denied",
        rows.len()
    );
    assert!(failures.is_empty(), "{}\n\n{table}", failures.join("\n"));
}
