//! Generates a module for every spec in `fixtures/` into `$OUT_DIR`, the way a
//! downstream crate uses apigen; `src/lib.rs` includes them with
//! `#[deny(warnings)]`, so building this package checks that every fixture's
//! output compiles cleanly.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("tests/fixtures is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    specs.sort();
    for spec in specs {
        // Warnings some fixtures produce on purpose are asserted by
        // tests/snapshots.rs; as `cargo:warning`s they would only be noise.
        let builder = apigen::Builder::new().spec(&spec).cargo_directives(false);
        if let Err(e) = builder.generate() {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
