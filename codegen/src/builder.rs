//! The `build.rs` front end, and the file helpers the CLI shares with it.
//!
//! This is the only module (with the CLI) that touches files or the
//! environment.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::emit::EmitOptions;
use crate::load::{Format, Source};
use crate::names_file::Names;
use crate::options::{DateTimeRepr, MissingFields, OptionError, UnknownFields};

/// Why generation did not produce output.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// [`Builder::generate`] was called without any spec.
    NoSpec,
    /// No out dir was set and `OUT_DIR` is not set (not running under cargo).
    NoOutDir,
    /// Reading a spec or writing output failed.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The spec has errors (each with file, JSON pointer and line:column).
    Spec(Diagnostics),
    /// [`Builder::output_name`] was set for more than one spec, which
    /// would all be written to the same file.
    OutputNameForManySpecs,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::NoSpec => f.write_str("apigen: no spec given (call Builder::spec)"),
            BuildError::NoOutDir => f.write_str(
                "apigen: OUT_DIR is not set; run from build.rs or call Builder::out_dir",
            ),
            BuildError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            BuildError::Spec(d) => write!(f, "{d}"),
            BuildError::OutputNameForManySpecs => f.write_str(
                "apigen: Builder::output_name names one file but several specs were given",
            ),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Io { source, .. } => Some(source),
            BuildError::Spec(d) => Some(d),
            _ => None,
        }
    }
}

/// Generates Rust from OpenAPI specs in `build.rs`, like `prost-build`.
///
/// For each spec `path/to/api.yaml` it writes `$OUT_DIR/api.rs`, prints
/// `cargo:rerun-if-changed` for the spec and every file its `$ref`s name,
/// keeps the names recorded in `path/to/api.names.json` when there is one
/// (see [`crate::names_file`]; it only reads it, `apigen generate --names`
/// writes it), reports warnings through
/// `cargo:warning`, and rewrites the file only when its content changed.
///
/// ```no_run
/// // build.rs
/// if let Err(e) = apigen::Builder::new().spec("specs/openint.json").generate() {
///     eprintln!("{e}");
///     std::process::exit(1);
/// }
/// // src/lib.rs then has:
/// // pub mod openint { include!(concat!(env!("OUT_DIR"), "/openint.rs")); }
/// ```
///
/// Options (shared with the CLI through [`EmitOptions`]) are set before
/// [`generate`](Self::generate):
///
/// ```no_run
/// # fn main() -> Result<(), apigen::BuildError> {
/// apigen::Builder::new()
///     .spec("specs/petstore.yaml")
///     .output_name("store_client") // $OUT_DIR/store_client.rs
///     .only_tags(["store"])
///     .only_operations(["loginUser"])
///     .generate()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    specs: Vec<PathBuf>,
    overlays: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    output_name: Option<String>,
    emit: EmitOptions,
    cargo: bool,
}

impl Builder {
    /// A builder with no specs, writing to `$OUT_DIR`.
    pub fn new() -> Self {
        Builder {
            cargo: true,
            ..Self::default()
        }
    }

    /// Adds a spec (JSON or YAML; the output file is named after its stem).
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push(path.into());
        self
    }

    /// Applies an Overlay 1.0 document (JSON or YAML) to every spec before
    /// generating from it. Repeatable: overlays apply in the order given,
    /// each to the result of the ones before, to the spec's root document
    /// (before the files its `$ref`s name are read). Each overlay file is
    /// watched (`cargo:rerun-if-changed`). A target that selects nothing
    /// is a warning; any other problem in an overlay is an error naming
    /// the overlay file, pointer, line:column and action.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), apigen::BuildError> {
    /// apigen::Builder::new()
    ///     .spec("specs/api.yaml")
    ///     .overlay("specs/fix-descriptions.yaml")
    ///     .overlay("specs/drop-internal.yaml")
    ///     .generate()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Writes output here instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Names the output file `{name}.rs` instead of after the spec's stem
    /// (`output_name("openint_client")` → `$OUT_DIR/openint_client.rs`).
    /// Only for a builder with one spec.
    pub fn output_name(mut self, name: impl Into<String>) -> Self {
        self.output_name = Some(name.into());
        self
    }

    /// Generates only the operations with one of these tags (and those
    /// kept by [`only_operations`](Self::only_operations)), so a crate
    /// pays only for the operations it uses: the parameter, body and
    /// response types of dropped operations are not generated, nor are the
    /// component schemas no kept operation reaches (see
    /// [`keep_schemas`](Self::keep_schemas)). A tag no operation has is a
    /// warning naming it.
    pub fn only_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.emit.only_tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Generates only the operations with one of these `operationId`s (and
    /// those kept by [`only_tags`](Self::only_tags)). An `operationId` no
    /// operation has is a warning naming it.
    pub fn only_operations<I, S>(mut self, operation_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.emit
            .only_operations
            .extend(operation_ids.into_iter().map(Into::into));
        self
    }

    /// With [`only_tags`](Self::only_tags) or
    /// [`only_operations`](Self::only_operations), also generates these
    /// component schemas (by their names in the spec), and what they reach,
    /// although no kept operation uses them. A name no schema has is a
    /// warning.
    pub fn keep_schemas<I, S>(mut self, schema_names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.emit
            .keep_schemas
            .extend(schema_names.into_iter().map(Into::into));
        self
    }

    /// Sets how the pages of an operation (its `operationId`, or
    /// `"GET /path"`) are followed, for operations whose description says
    /// nothing apigen reads, or to turn detected pagination off
    /// ([`Paginate::none`](crate::Paginate::none)). It gains `<name>_pages`
    /// and `<name>_stream` as detected ones do. Pagination that does not
    /// fit the operation (a parameter it lacks, a pointer its response has
    /// no string at) fails generation naming the operation; one naming no
    /// operation is a warning.
    ///
    /// ```
    /// use apigen::{Builder, Paginate};
    /// let builder = Builder::new()
    ///     .spec("specs/widgets.yaml")
    ///     .paginate("listWidgets", Paginate::cursor("after", "/meta/next_cursor"));
    /// # let _ = builder;
    /// ```
    pub fn paginate(mut self, operation: impl Into<String>, how: crate::Paginate) -> Self {
        self.emit.paginate.push((operation.into(), how));
        self
    }

    /// With operation filters, still generates every component schema
    /// (as without filters) instead of only those the kept operations reach.
    pub fn keep_all_schemas(mut self, keep: bool) -> Self {
        self.emit.keep_all_schemas = keep;
        self
    }

    /// Adds a derive (a Rust path: `Hash`, `serde_with::SerializeDisplay`)
    /// to every struct and enum of the generated `types` module; types that
    /// already derive it are left alone. Fails now if `derive` is not a
    /// path.
    pub fn extra_derive(mut self, derive: &str) -> Result<Self, OptionError> {
        self.emit.add_derive(derive)?;
        Ok(self)
    }

    /// Adds outer attributes (`#[non_exhaustive]`) to the generated type
    /// with this Rust name. Fails now if `type_name` is not an identifier or
    /// `attribute` does not parse; a name no type has is a warning.
    pub fn type_attribute(mut self, type_name: &str, attribute: &str) -> Result<Self, OptionError> {
        self.emit.add_type_attribute(type_name, attribute)?;
        Ok(self)
    }

    /// Uses the existing Rust type `path` (`rust_decimal::Decimal`) for the
    /// component schema named `schema_name` in the spec, instead of
    /// generating one; the type must (de)serialize as the schema does. The
    /// `x-rust-type: some::Path` extension on a schema does the same. Fails
    /// now if `path` is not a Rust path; a name no schema has is a warning.
    pub fn replace_type(mut self, schema_name: &str, path: &str) -> Result<Self, OptionError> {
        self.emit.replace_type(schema_name, path)?;
        Ok(self)
    }

    /// What deserializing a generated struct does with object keys it has
    /// no field for: [`UnknownFields::Ignore`] (the default) or
    /// [`UnknownFields::Deny`] (an error naming the key). Structs that keep
    /// extra keys in a map accept every key either way.
    pub fn unknown_fields(mut self, unknown: UnknownFields) -> Self {
        self.emit.unknown_fields = unknown;
        self
    }

    /// What deserializing a generated struct does when a required field is
    /// absent: [`MissingFields::Error`] (the default) or
    /// [`MissingFields::Default`] (its type's `Default`, where it has one),
    /// for servers that lag their description.
    pub fn missing_fields(mut self, missing: MissingFields) -> Self {
        self.emit.missing_fields = missing;
        self
    }

    /// The Rust type of `format: date-time` and `format: date` strings:
    /// [`DateTimeRepr::String`] (the default), [`DateTimeRepr::Chrono`] or
    /// [`DateTimeRepr::Time`]. The last two need the runtime feature of the
    /// same name: `apigen-runtime = { version = "…", features = ["chrono"] }`.
    pub fn date_time(mut self, repr: DateTimeRepr) -> Self {
        self.emit.date_time = repr;
        self
    }

    /// Puts each tag's operations, and the types only they use, behind a
    /// Cargo feature named after the tag in kebab case (`Connected Accounts`
    /// → `connected-accounts`). The crate including the code must declare
    /// every such feature in its `Cargo.toml`; the names are in
    /// [`Generated::features`](crate::Generated::features).
    pub fn tag_features(mut self, on: bool) -> Self {
        self.emit.tag_features = on;
        self
    }

    /// Appends tests built from the description's own examples to the
    /// generated module (`#[cfg(test)] mod example_tests`), so that `cargo
    /// test` fails when an example disagrees with its schema. See
    /// [`EmitOptions::example_tests`] for what each test checks.
    pub fn example_tests(mut self, on: bool) -> Self {
        self.emit.example_tests = on;
        self
    }

    /// Rust path of the runtime crate in generated code (default
    /// `::apigen_runtime`), for crates that re-export it under another name
    /// (`crate::rt`). Fails unless `path` is a Rust path without generic
    /// arguments.
    pub fn runtime_crate(mut self, path: &str) -> Result<Self, OptionError> {
        self.emit.set_runtime(path)?;
        Ok(self)
    }

    /// Whether to print `cargo:` directives (on by default; off is useful
    /// outside build scripts).
    pub fn cargo_directives(mut self, on: bool) -> Self {
        self.cargo = on;
        self
    }

    /// Generates one spec with the names of its names file, if it has one,
    /// recording in `read` every file read or tried (the names file last).
    /// The names file is read, never written: a build script must not write
    /// into the source tree (`apigen generate --names` writes it).
    fn generate_spec(
        &self,
        spec: &Path,
        read: &mut Vec<String>,
    ) -> Result<crate::Generated, BuildError> {
        let names_path = Names::path_for(spec);
        let generated = read_names(&names_path).and_then(|names| match names {
            Some(names) => {
                let opts = EmitOptions {
                    names: Some(names),
                    ..self.emit.clone()
                };
                generate_file_reading(spec, &self.overlays, &opts, read)
            }
            None => generate_file_reading(spec, &self.overlays, &self.emit, read),
        });
        read.push(names_path.display().to_string());
        generated
    }

    /// Generates every spec. Returns the files written or found up to date.
    pub fn generate(&self) -> Result<Vec<PathBuf>, BuildError> {
        if self.specs.is_empty() {
            return Err(BuildError::NoSpec);
        }
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        if self.output_name.is_some() && self.specs.len() > 1 {
            return Err(BuildError::OutputNameForManySpecs);
        }
        let mut written = Vec::new();
        for spec in &self.specs {
            let mut read = Vec::new();
            let generated = self.generate_spec(spec, &mut read);
            if self.cargo {
                for line in rerun_if_changed(&read) {
                    println!("{line}");
                }
            }
            let generated = generated?;
            if self.cargo {
                for w in &generated.warnings {
                    println!("cargo:warning={w}");
                }
            }
            let stem = match &self.output_name {
                Some(name) => name.clone(),
                None => spec
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "api".to_owned()),
            };
            let out = out_dir.join(format!("{stem}.rs"));
            write_if_changed(&out, &generated.code).map_err(|source| BuildError::Io {
                path: out.clone(),
                source,
            })?;
            written.push(out);
        }
        Ok(written)
    }
}

/// `cargo:rerun-if-changed` for every file read (or tried: a missing file
/// may be created), even when generation failed: changing any of them must
/// run the build script again.
fn rerun_if_changed(read: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    read.iter()
        .filter(|f| seen.insert(f.as_str()))
        .map(|f| format!("cargo:rerun-if-changed={f}"))
        .collect()
}

/// Reads the names file at `path` (see [`crate::names_file`]; usually
/// [`Names::path_for`] the spec): `None` when there is none. Malformed
/// content is [`BuildError::Spec`], with line:column.
pub fn read_names(path: &Path) -> Result<Option<Names>, BuildError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Names::from_json(&text, &path.display().to_string())
            .map(Some)
            .map_err(BuildError::Spec),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(BuildError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Reads and generates one spec file, and the files its `$ref`s name
/// (relative to the file that names them).
pub fn generate_file(path: &Path, opts: &EmitOptions) -> Result<crate::Generated, BuildError> {
    generate_file_reading(path, &[], opts, &mut Vec::new())
}

/// [`generate_file`], applying the Overlay documents `overlays` (in order)
/// to the spec first; see [`Builder::overlay`].
pub fn generate_file_overlaid(
    path: &Path,
    overlays: &[PathBuf],
    opts: &EmitOptions,
) -> Result<crate::Generated, BuildError> {
    generate_file_reading(path, overlays, opts, &mut Vec::new())
}

/// Reads and parses Overlay documents (JSON or YAML, by extension or
/// content), for [`crate::generate_source_overlaid`].
pub fn read_overlays(paths: &[PathBuf]) -> Result<Vec<Source>, BuildError> {
    paths.iter().map(|p| read_source(p)).collect()
}

fn read_source(path: &Path) -> Result<Source, BuildError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| BuildError::Io {
        path: path.to_owned(),
        source,
    })?;
    let format = Format::detect(&name, &text);
    Source::parse(&name, text, format).map_err(BuildError::Spec)
}

/// [`generate_file_overlaid`], recording in `read` the name of every file
/// it read (or tried to): the spec, the overlays, then the files `$ref`s
/// name.
fn generate_file_reading(
    path: &Path,
    overlays: &[PathBuf],
    opts: &EmitOptions,
    read: &mut Vec<String>,
) -> Result<crate::Generated, BuildError> {
    read.push(path.display().to_string());
    read.extend(overlays.iter().map(|o| o.display().to_string()));
    let source = read_source(path)?;
    let overlays = read_overlays(overlays)?;
    let mut loader = |file: &str| {
        read.push(file.to_owned());
        std::fs::read_to_string(file).map_err(|e| e.to_string())
    };
    crate::generate_source_overlaid(&source, &overlays, opts, &mut loader).map_err(BuildError::Spec)
}

/// Writes `content` to `path` unless it already holds exactly that; returns
/// whether it wrote. Writes go to a temporary file first and are renamed into
/// place, so a reader never sees a half-written file.
pub fn write_if_changed(path: &Path, content: &str) -> io::Result<bool> {
    match write_all_if_changed(&[(path, content)]) {
        Ok(wrote) => Ok(wrote.first().copied().unwrap_or(false)),
        Err((_, e)) => Err(e),
    }
}

/// [`write_if_changed`] for files that belong together (a crate's manifest
/// and code): every changed file is written to a temporary file first, and
/// only when all are written are they renamed into place, so a failed write
/// (a full disk) changes none of them. Returns whether each was written, or
/// the file that failed.
pub fn write_all_if_changed<'p>(
    files: &[(&'p Path, &str)],
) -> Result<Vec<bool>, (&'p Path, io::Error)> {
    let mut staged: Vec<(PathBuf, &'p Path)> = Vec::new();
    // Outputs that are not regular files (`-o /dev/stdout`, a pipe): there
    // is nothing to compare with (reading one could block) and nothing to
    // rename over; they are written last, once every other file is.
    let mut direct: Vec<(&'p Path, &str)> = Vec::new();
    let mut wrote = Vec::with_capacity(files.len());
    let mut result = Ok(());
    for &(path, content) in files {
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            direct.push((path, content));
            wrote.push(true);
            continue;
        }
        if std::fs::read(path).is_ok_and(|existing| existing == content.as_bytes()) {
            wrote.push(false);
            continue;
        }
        let tmp = temporary_path(path);
        let written = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => std::fs::create_dir_all(dir),
            None => Ok(()),
        }
        .and_then(|()| std::fs::write(&tmp, content));
        staged.push((tmp, path));
        wrote.push(true);
        if let Err(e) = written {
            result = Err((path, e));
            break;
        }
    }
    if result.is_ok() {
        for (tmp, path) in &staged {
            if let Err(e) = std::fs::rename(tmp, path) {
                result = Err((*path, e));
                break;
            }
        }
    }
    if result.is_ok() {
        for (path, content) in direct {
            if let Err(e) = std::fs::write(path, content) {
                result = Err((path, e));
                break;
            }
        }
    }
    if result.is_err() {
        // Neither partly written nor never renamed temporary files stay.
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
    }
    result.map(|()| wrote)
}

/// Where [`write_all_if_changed`] writes `path` before renaming it: beside
/// it, hidden, named after this process.
fn temporary_path(path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{file_name}.apigen-{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory holding `files` (relative name, text).
    fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apigen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// A failed write changes none of the files written together, and no
    /// temporary file stays; a later successful write reports which files
    /// changed.
    #[test]
    fn files_written_together_change_all_or_none() {
        let dir = dir_with("together", &[("Cargo.toml", "old"), ("blocker", "a file")]);
        let manifest = dir.join("Cargo.toml");
        let readme = dir.join("README.md");
        // `blocker` is a file, so `blocker/lib.rs` cannot be written.
        let code = dir.join("blocker/lib.rs");
        let failed = write_all_if_changed(&[(&manifest, "new"), (&readme, "r"), (&code, "c")]);
        let (path, _) = failed.expect_err("a path under a file cannot be written");
        assert_eq!(path, code.as_path());
        assert_eq!(std::fs::read_to_string(&manifest).unwrap(), "old");
        assert!(!readme.exists());
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["Cargo.toml", "blocker"]);

        let code = dir.join("src/lib.rs");
        let wrote = write_all_if_changed(&[(&manifest, "new"), (&readme, "r"), (&code, "c")])
            .unwrap_or_else(|(p, e)| panic!("{}: {e}", p.display()));
        assert_eq!(wrote, [true, true, true]);
        assert_eq!(std::fs::read_to_string(&code).unwrap(), "c");
        let wrote = write_all_if_changed(&[(&manifest, "new"), (&readme, "r2")])
            .unwrap_or_else(|(p, e)| panic!("{}: {e}", p.display()));
        assert_eq!(wrote, [false, true]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    const API: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
                       components:\n  schemas:\n    Pet: {$ref: 'schemas/pet.yaml#/Pet'}\n";

    #[test]
    fn every_file_read_is_watched() {
        let dir = dir_with(
            "watch",
            &[
                ("api.yaml", API),
                (
                    "schemas/pet.yaml",
                    "Pet: {properties: {tag: {$ref: '../tag.json'}}}\n",
                ),
                ("tag.json", r#"{"type": "string"}"#),
            ],
        );
        let spec = dir.join("api.yaml");
        let mut read = Vec::new();
        let generated = generate_file_reading(&spec, &[], &EmitOptions::default(), &mut read);
        let generated = generated.unwrap_or_else(|e| panic!("{e}"));
        let d = dir.display();
        let expected = [
            format!("cargo:rerun-if-changed={d}/api.yaml"),
            format!("cargo:rerun-if-changed={d}/schemas/pet.yaml"),
            format!("cargo:rerun-if-changed={d}/tag.json"),
        ];
        assert_eq!(rerun_if_changed(&read), expected);
        assert_eq!(generated.files, read);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_names_file_is_read_and_watched() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
                    components: {schemas: {pet: {type: object, properties: {a: {type: string}}}}}\n";
        let dir = dir_with("names", &[("api.yaml", spec)]);
        let builder = Builder::new().spec(dir.join("api.yaml"));
        let mut read = Vec::new();
        let absent = builder.generate_spec(&dir.join("api.yaml"), &mut read);
        let absent = absent.unwrap_or_else(|e| panic!("{e}"));
        assert!(absent.code.contains("pub struct Pet "), "{}", absent.code);
        // Watched even while it does not exist.
        let names_file = format!("{}/api.names.json", dir.display());
        assert_eq!(read.last(), Some(&names_file));
        let mut names = absent.names.clone();
        names
            .types
            .insert("/components/schemas/pet".into(), "Animal".into());
        std::fs::write(&names_file, names.to_json()).unwrap();
        let kept = builder.generate_spec(&dir.join("api.yaml"), &mut Vec::new());
        let kept = kept.unwrap_or_else(|e| panic!("{e}"));
        assert!(kept.code.contains("pub struct Animal "), "{}", kept.code);
        assert!(!kept.code.contains("pub struct Pet "), "{}", kept.code);
        std::fs::write(&names_file, "{\"apigen-names\": 1,\n \"types\": []}").unwrap();
        match builder.generate_spec(&dir.join("api.yaml"), &mut Vec::new()) {
            Err(BuildError::Spec(d)) => {
                let d = d.to_string();
                assert!(d.contains("api.names.json:2:11"), "{d}");
            }
            other => panic!("{other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_file_is_watched_too() {
        let dir = dir_with("missing", &[("api.yaml", API)]);
        let spec = dir.join("api.yaml");
        let mut read = Vec::new();
        let result = generate_file_reading(&spec, &[], &EmitOptions::default(), &mut read);
        let Err(BuildError::Spec(diags)) = result else {
            panic!("generated without schemas/pet.yaml");
        };
        assert!(diags.to_string().contains("cannot read"), "{diags}");
        let lines = rerun_if_changed(&read);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with("/schemas/pet.yaml"), "{lines:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Overlay files are watched after the spec, in the order given, and
    /// still when an overlay's error stops generation; their changes reach
    /// the generated code.
    #[test]
    fn overlays_are_applied_and_watched() {
        let drop = "overlay: 1.0.0\ninfo: {title: drop, version: '1'}\nactions:\n\
                    - target: $.paths['/users']\n  remove: true\n";
        let describe = "{\"overlay\": \"1.0.0\", \"info\": {\"title\": \"d\", \"version\": \"1\"},\n\
                        \"actions\": [{\"target\": \"$.paths['/pets'].get\",\n\
                        \"update\": {\"description\": \"Lists the pets of the store.\"}}]}";
        let broken =
            "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n- target: $.paths[\n";
        let dir = dir_with(
            "overlays",
            &[
                ("api.yaml", TAGGED),
                ("drop.yaml", drop),
                ("describe.json", describe),
                ("broken.yaml", broken),
            ],
        );
        let overlays = [dir.join("drop.yaml"), dir.join("describe.json")];
        let mut read = Vec::new();
        let generated = generate_file_reading(
            &dir.join("api.yaml"),
            &overlays,
            &EmitOptions::default(),
            &mut read,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let d = dir.display();
        assert_eq!(
            rerun_if_changed(&read),
            [
                format!("cargo:rerun-if-changed={d}/api.yaml"),
                format!("cargo:rerun-if-changed={d}/drop.yaml"),
                format!("cargo:rerun-if-changed={d}/describe.json"),
            ]
        );
        assert_eq!(generated.files, read);
        assert!(
            !generated.code.contains("fn list_users"),
            "{}",
            generated.code
        );
        assert!(generated.code.contains("fn list_pets"));
        assert!(generated.code.contains("Lists the pets of the store."));

        let overlays = [dir.join("broken.yaml"), dir.join("missing.yaml")];
        let mut read = Vec::new();
        let result = generate_file_reading(
            &dir.join("api.yaml"),
            &overlays,
            &EmitOptions::default(),
            &mut read,
        );
        assert!(matches!(result, Err(BuildError::Io { .. })), "{result:?}");
        let lines = rerun_if_changed(&read);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[1].ends_with("/broken.yaml") && lines[2].ends_with("/missing.yaml"));

        let mut read = Vec::new();
        let result = generate_file_reading(
            &dir.join("api.yaml"),
            &[dir.join("broken.yaml")],
            &EmitOptions::default(),
            &mut read,
        );
        let Err(BuildError::Spec(diags)) = result else {
            panic!("a broken overlay generated: {result:?}");
        };
        let message = diags.to_string();
        assert!(
            message.starts_with(&format!(
                "{d}/broken.yaml:4:11: error: actions[0]: invalid JSONPath"
            )),
            "{message}"
        );
        assert_eq!(read.len(), 2, "{read:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    const TAGGED: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  \
        /pets:\n    get:\n      operationId: listPets\n      tags: [pets]\n      \
        parameters: [{name: kind, in: query, schema: {type: string}}]\n      \
        responses: {'200': {description: ok}}\n  \
        /users:\n    get:\n      operationId: listUsers\n      tags: [users]\n      \
        parameters: [{name: role, in: query, schema: {type: string}}]\n      \
        responses: {'200': {description: ok}}\n  \
        /health:\n    get:\n      operationId: health\n      \
        responses: {'200': {description: ok}}\n\
        components:\n  schemas:\n    User: {type: object, properties: {name: {type: string}}}\n";

    fn generate_tagged(builder: Builder, name: &str) -> String {
        let dir = dir_with(name, &[("api.yaml", TAGGED)]);
        let written = builder
            .spec(dir.join("api.yaml"))
            .out_dir(&dir)
            .output_name("tagged_client")
            .cargo_directives(false)
            .generate()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written, [dir.join("tagged_client.rs")]);
        let code = std::fs::read_to_string(&written[0]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        code
    }

    #[test]
    fn operations_are_filtered_by_tag_or_operation_id() {
        let code = generate_tagged(
            Builder::new()
                .only_tags(["pets"])
                .only_operations(["health"]),
            "filter",
        );
        assert!(code.contains("fn list_pets"), "{code}");
        assert!(code.contains("fn health"), "{code}");
        assert!(!code.contains("fn list_users"), "{code}");
        // The dropped operation's parameter types go with it, and so do
        // the schemas no kept operation reaches, unless asked for.
        assert!(!code.contains("ListUsers"), "{code}");
        assert!(!code.contains("pub struct User"), "{code}");
        let kept = generate_tagged(
            Builder::new().only_tags(["pets"]).keep_schemas(["User"]),
            "filter-kept",
        );
        assert!(kept.contains("pub struct User"), "{kept}");
        let all_kept = generate_tagged(
            Builder::new().only_tags(["pets"]).keep_all_schemas(true),
            "filter-all",
        );
        assert!(all_kept.contains("pub struct User"), "{all_kept}");
        let all = generate_tagged(Builder::new(), "nofilter");
        assert!(all.contains("fn list_users"), "{all}");
        assert!(all.contains("pub struct User"), "{all}");
    }

    #[test]
    fn an_unknown_tag_or_operation_id_is_a_warning_naming_it() {
        let opts = EmitOptions {
            only_tags: vec!["pets".into(), "pet".into()],
            only_operations: vec!["listUser".into()],
            ..EmitOptions::default()
        };
        let generated = crate::generate("api.yaml", TAGGED.into(), Format::Yaml, &opts)
            .unwrap_or_else(|e| panic!("{e}"));
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("tag `pet`"), "{warnings:?}");
        assert!(
            warnings[1].contains("operationId `listUser`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_runtime_path_that_is_not_a_path_is_an_error_not_a_panic() {
        let err = Builder::new().runtime_crate("apigen-runtime").err();
        assert!(
            matches!(&err, Some(OptionError::Runtime { path, .. }) if path == "apigen-runtime"),
            "{err:?}"
        );
        // The field is public: set directly, it is checked when generating.
        for bad in ["", "a b", "::r#", "crate::rt<T>"] {
            let opts = EmitOptions {
                runtime: bad.into(),
                ..EmitOptions::default()
            };
            let errors = crate::generate("api.yaml", TAGGED.into(), Format::Yaml, &opts)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                errors.contains(&format!(
                    "api.yaml: error: apigen: runtime crate path `{bad}`"
                )),
                "{bad:?}: {errors}"
            );
        }
        let mut opts = EmitOptions::default();
        opts.set_runtime(" crate::rt ").unwrap();
        let code = crate::generate("api.yaml", TAGGED.into(), Format::Yaml, &opts)
            .unwrap_or_else(|e| panic!("{e}"))
            .code;
        assert!(code.contains("crate::rt::Error<"), "{code}");
        assert!(
            code.contains("serde(crate = \"crate::rt::serde\")"),
            "{code}"
        );
        assert!(!code.contains("apigen_runtime"), "{code}");
    }

    #[test]
    fn one_output_name_for_several_specs_is_an_error() {
        let result = Builder::new()
            .spec("a.yaml")
            .spec("b.yaml")
            .out_dir("unused")
            .output_name("client")
            .generate();
        assert!(matches!(result, Err(BuildError::OutputNameForManySpecs)));
    }
}
