//! Names files on the checked-in specs: reading back the names a spec was
//! generated with changes nothing (the code and the names are the same),
//! and a names file stays small.

use std::path::Path;

use apigen::{EmitOptions, Names};

#[test]
fn recorded_names_read_back_generate_the_same_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for spec in [
        "specs/connectors.yaml",
        "specs/membrane.yaml",
        "specs/openint.json",
    ] {
        let path = root.join(spec);
        let fresh = apigen::builder::generate_file(&path, &EmitOptions::default())
            .unwrap_or_else(|e| panic!("{spec}: {e}"));
        let text = fresh.names.to_json();
        let names = Names::from_json(&text, "api.names.json").unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(names, fresh.names, "{spec}");
        let opts = EmitOptions {
            names: Some(names),
            ..EmitOptions::default()
        };
        let again = apigen::builder::generate_file(&path, &opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.code, fresh.code, "{spec}");
        assert_eq!(again.names.to_json(), text, "{spec}");
        assert_eq!(again.warnings.len(), fresh.warnings.len(), "{spec}");
        // What is recorded is what the code declares.
        for name in fresh.names.types.values() {
            let declared = ["struct", "enum", "type"]
                .iter()
                .any(|k| fresh.code.contains(&format!("pub {k} {name}")));
            assert!(declared, "{spec}: {name}");
        }
        for name in fresh.names.methods.values() {
            let declared = fresh.code.contains(&format!("pub async fn {name}("))
                || fresh.code.contains(&format!("pub fn {name}("));
            assert!(declared, "{spec}: {name}");
        }
        assert!(
            text.lines().count() < fresh.code.lines().count() / 4,
            "{spec}: {} lines of names for {} of code",
            text.lines().count(),
            fresh.code.lines().count()
        );
    }
}
