//! Generates a crate for each of a list of specs in one scratch
//! [`Workspace`] and runs `cargo clippy` on each with warnings (clippy's
//! included) denied: what the corpus and directory-sample tests share.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use apigen::EmitOptions;

use crate::scratch::{Workspace, crate_name};

/// The outcome for one spec.
#[derive(Debug)]
struct Row {
    spec: String,
    generated: Result<usize, String>,
    compiled: Option<Result<(), String>>,
    seconds: Duration,
}

/// What [`generate_and_clippy`] found.
#[derive(Debug)]
pub struct Report {
    /// A Markdown table: spec, generated (with its warning count), compiled,
    /// seconds (generation plus `cargo clippy` of the crate, dependencies
    /// prebuilt).
    pub table: String,
    /// Each failure, with the spec and the first errors.
    pub failures: Vec<String>,
    /// How many specs generated and compiled.
    pub ok: usize,
    /// How many specs were tried.
    pub total: usize,
}

/// Generates each spec (labelled by its path below `base`) into its own
/// crate of the workspace `target/<workspace>`, then runs clippy on each.
pub fn generate_and_clippy(workspace: &str, base: &Path, specs: &[PathBuf]) -> Report {
    let mut workspace = Workspace::new(workspace);
    let mut rows = Vec::new();
    for spec in specs {
        let name = crate_name("spec", spec);
        let start = Instant::now();
        let generated = apigen::builder::generate_file(spec, &EmitOptions::default());
        let seconds = start.elapsed();
        let label = spec
            .strip_prefix(base)
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
    // Build the shared dependencies first so per-spec times are the spec's own.
    // Clippy, not just `check`: generated code must be clippy-clean too.
    let warm = workspace.cargo(&["clippy", "--quiet", "-p", "apigen-runtime"]);
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
        let out = workspace.cargo(&["clippy", "--quiet", "-p", name]);
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
    Report {
        table,
        failures,
        ok,
        total: rows.len(),
    }
}
