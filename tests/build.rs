//! Generates a module for every spec in `fixtures/` into `$OUT_DIR`, the way a
//! downstream crate uses apigen; `src/lib.rs` includes them with
//! `#[deny(warnings)]`, so building this package checks that every fixture's
//! output compiles cleanly.
//!
//! A fixture is a file (`fixtures/enums.yaml` → `$OUT_DIR/enums.rs`) or a
//! directory of files that refer to each other, entered through its
//! `api.yaml` or `api.json` (`fixtures/multi/api.yaml` →
//! `$OUT_DIR/multi/api.rs`).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=fixtures");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by cargo"));
    let mut specs: Vec<(PathBuf, PathBuf)> = std::fs::read_dir("fixtures")
        .expect("tests/fixtures is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter_map(|p| {
            if p.is_dir() {
                let name = p.file_name()?.to_owned();
                let entry = ["api.yaml", "api.json"]
                    .iter()
                    .map(|f| p.join(f))
                    .find(|f| f.is_file())?;
                Some((entry, out_dir.join(name)))
            } else {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "json")
                )
                .then(|| (p, out_dir.clone()))
            }
        })
        .collect();
    specs.sort();
    for (spec, out) in specs {
        generate(&spec, &out);
    }
    generate_with_options(&out_dir);
}

/// Modules generated with `Builder` options, from the fixtures above. Keep
/// in step with `OPTIONS` in tests/tests/snapshots.rs.
fn generate_with_options(out_dir: &Path) {
    // Only the `store` operations and `loginUser`, written to `filtered.rs`.
    let filtered = apigen::Builder::new()
        .spec("fixtures/petstore_v2.yaml")
        .output_name("filtered")
        .only_tags(["store"])
        .only_operations(["loginUser"]);
    run(filtered, out_dir);
    // Extra derives on every model type, an attribute on one.
    let derived = apigen::Builder::new()
        .spec("fixtures/enums.yaml")
        .output_name("derived")
        .extra_derive("Hash")
        .and_then(|b| b.extra_derive("Eq"))
        .and_then(|b| b.type_attribute("Holder", "#[non_exhaustive]"))
        .expect("valid options");
    run(derived, out_dir);
    // Unknown keys rejected, on structs with and without a map of extra keys.
    for (spec, name) in [("all_of", "strict"), ("extra_keys", "strict_open")] {
        let strict = apigen::Builder::new()
            .spec(format!("fixtures/{spec}.yaml"))
            .output_name(name)
            .unknown_fields(apigen::UnknownFields::Deny);
        run(strict, out_dir);
    }
    // `Money` replaced by a type of this crate.
    let replaced = apigen::Builder::new()
        .spec("fixtures/replaced.yaml")
        .output_name("replaced_money")
        .replace_type("Money", "crate::money::Money")
        .expect("valid options");
    run(replaced, out_dir);
    // Only the `orders` operations, and the schemas they reach.
    let pruned = apigen::Builder::new()
        .spec("fixtures/pruning.yaml")
        .output_name("pruned")
        .only_tags(["orders"]);
    run(pruned, out_dir);
    // Pagination set for an operation no convention finds, and turned off
    // for one that a convention finds.
    let paginated = apigen::Builder::new()
        .spec("fixtures/pagination.yaml")
        .output_name("paginated_audit")
        .paginate(
            "listAuditRecords",
            apigen::Paginate::cursor("from", "/links/following")
                .items("rows")
                .has_more("/more_pages"),
        )
        .paginate("GET /numbers", apigen::Paginate::none());
    run(paginated, out_dir);
    // Absent required fields decoded as their types' defaults.
    let lenient = apigen::Builder::new()
        .spec("fixtures/wire.yaml")
        .output_name("wire_lenient")
        .missing_fields(apigen::MissingFields::Default);
    run(lenient, out_dir);
    // Dates as chrono and as time types.
    for (repr, name) in [
        (apigen::DateTimeRepr::Chrono, "dates_chrono"),
        (apigen::DateTimeRepr::Time, "dates_time"),
    ] {
        let dates = apigen::Builder::new()
            .spec("fixtures/dates.yaml")
            .output_name(name)
            .date_time(repr);
        run(dates, out_dir);
    }
}

fn generate(spec: &Path, out: &Path) {
    // Warnings some fixtures produce on purpose are asserted by
    // tests/snapshots.rs; as `cargo:warning`s they would only be noise.
    run(apigen::Builder::new().spec(spec), out);
}

fn run(builder: apigen::Builder, out: &Path) {
    let builder = builder.out_dir(out).cargo_directives(false);
    if let Err(e) = builder.generate() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
