//! A Cargo workspace under `target/<name>` for crates a test generates:
//! every crate depends on this repository's `apigen-runtime`, they share one
//! target directory and the project's `Cargo.lock`, so dependencies are
//! built once and with the versions the project tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root of this repository.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// A crate name for a spec file: `prefix`, `_`, then the file's stem in
/// lower case with every character but `[a-z0-9]` made `_`.
pub fn crate_name(prefix: &str, spec: &Path) -> String {
    let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}_{clean}")
}

/// A scratch workspace of generated crates (see the module doc).
#[derive(Debug)]
pub struct Workspace {
    dir: PathBuf,
    members: Vec<String>,
}

impl Workspace {
    /// A workspace in `target/<name>`, its crates removed (the build cache
    /// is kept).
    pub fn new(name: &str) -> Self {
        let dir = repository_root().join("target").join(name);
        let _ = std::fs::remove_dir_all(dir.join("crates"));
        std::fs::create_dir_all(dir.join("crates")).expect("create the scratch workspace");
        Workspace {
            dir,
            members: Vec::new(),
        }
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Adds crate `name` with the given files (paths relative to the crate,
    /// such as `src/lib.rs`) and returns its directory. Its one dependency
    /// is `apigen-runtime` (with `features`).
    pub fn add_crate(&mut self, name: &str, features: &[&str], files: &[(&str, &str)]) -> PathBuf {
        let dir = self.dir.join("crates").join(name);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("a file in a directory"))
                .expect("create a crate directory");
            std::fs::write(&path, text).expect("write a crate file");
        }
        let runtime = repository_root().join("runtime");
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\napigen-runtime = {{ path = {runtime:?}, features = [{}] }}\n",
                features.join(", ")
            ),
        )
        .expect("write Cargo.toml");
        self.members.push(name.to_owned());
        self.write_manifest();
        dir
    }

    fn write_manifest(&self) {
        let members: Vec<String> = self
            .members
            .iter()
            .map(|m| format!("\"crates/{m}\""))
            .collect();
        std::fs::write(
            self.dir.join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        )
        .expect("write the workspace Cargo.toml");
        let _ = std::fs::copy(
            repository_root().join("Cargo.lock"),
            self.dir.join("Cargo.lock"),
        );
    }

    /// Runs `cargo <args>` in the workspace (its own target directory,
    /// warnings denied) and returns its output.
    ///
    /// Without incremental compilation: these crates are generated, built
    /// once per run, and their incremental caches (16 GB for the
    /// conformance clients) only filled the disk.
    pub fn cargo(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO"))
            .current_dir(&self.dir)
            .args(args)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("cargo runs")
    }

    /// The path of binary `name` built by `cargo build` (debug profile).
    pub fn binary(&self, name: &str) -> PathBuf {
        self.dir
            .join("target")
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    }
}
