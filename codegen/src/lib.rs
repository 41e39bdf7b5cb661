//! apigen: OpenAPI 3.2 / 3.1 / 3.0 and Swagger 2.0 → typed Rust models and an async client.
//!
//! The pipeline runs in one direction, and only the front ends touch files:
//!
//! ```text
//! bytes ──load────▶ Source (serde_json::Value + text for line:col), one per file
//!       ──overlay─▶ the root Source changed by Overlay documents (if any)
//!       ──resolve─▶ one document: other files embedded, Swagger 2.0 upgraded
//!       ──spec────▶ Document (typed OpenAPI, 3.0 to 3.2)
//!       ──select──▶ Document (filtered operations, the schemas they reach)
//!       ──ir──────▶ Api (final names, boxing, unions)
//!       ──emit────▶ TokenStream
//!       ──render──▶ String
//! ```
//!
//! Names recorded by an earlier generation ([`names_file`]) are what `ir`
//! claims first. [`diff`] sits on top: it reads two rendered modules back
//! and compares their public APIs.
//!
//! `emit` and `render` run together, a few types or operations at a time, on
//! as many threads as the machine runs at once (see [`render::render_api`]);
//! the environment variable `APIGEN_THREADS` sets another number (`1`: one
//! thread). The output is the same whatever the number.
//!
//! Use [`Builder`] from `build.rs`, or [`generate`] to turn a spec's text into
//! Rust source directly ([`generate_with`] when it refers to other files,
//! [`generate_source_overlaid`] to apply Overlay documents first).
//! The generated code depends only on `apigen-runtime`.
//!
//! ```no_run
//! // build.rs
//! if let Err(e) = apigen::Builder::new().spec("specs/api.yaml").generate() {
//!     eprintln!("{e}");
//!     std::process::exit(1);
//! }
//! ```

#![warn(missing_docs)]

pub mod builder;
pub mod diag;
pub mod diff;
pub mod emit;
mod example_tests;
pub mod examples;
mod features;
pub mod ir;
pub mod jsonpath;
pub mod load;
pub mod names;
pub mod names_file;
pub mod options;
pub mod overlay;
pub mod paginate;
mod refs;
pub mod render;
pub mod resolve;
mod select;
pub mod spec;
mod swagger2;

pub use builder::{BuildError, Builder};
pub use diag::{Diagnostic, Diagnostics, LineCol, Severity};
pub use emit::EmitOptions;
pub use examples::{Example, ExampleOf};
pub use features::TagFeature;
pub use load::{Format, Source};
pub use names_file::Names;
pub use options::{DateTimeRepr, MissingFields, OptionError, UnknownFields};
pub use paginate::{Paginate, PaginateError};
pub use resolve::Loader;

/// Generated code and the warnings met on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The formatted Rust source.
    pub code: String,
    /// Warnings (constructs that were degraded); never errors.
    pub warnings: Diagnostics,
    /// Every file the spec was read from: the spec first, then the files
    /// its `$ref`s name.
    pub files: Vec<String>,
    /// The Cargo features of the generated code, one per tag, when
    /// [`EmitOptions::tag_features`] is set (else empty).
    pub features: Vec<TagFeature>,
    /// The names the code was generated with, to write to the spec's
    /// names file (see [`names_file`]) so that the next generation keeps
    /// them.
    pub names: Names,
}

/// Runs the whole pipeline on one spec given as text. `name` is used in
/// diagnostics and the generated header. References to other files are
/// errors (there is no file to read them from); see [`generate_with`].
///
/// On failure every error found is returned (with warnings), each with its
/// file, JSON pointer and line:column.
pub fn generate(
    name: &str,
    text: String,
    format: Format,
    opts: &EmitOptions,
) -> Result<Generated, Diagnostics> {
    generate_with(name, text, format, opts, &mut resolve::NoFiles)
}

/// Like [`generate`], reading the files the spec's `$ref`s name through
/// `loader` (which is given their paths relative to `name`'s directory,
/// joined to it: `specs/api.yaml` + `schemas/pet.yaml` →
/// `specs/schemas/pet.yaml`).
pub fn generate_with(
    name: &str,
    text: String,
    format: Format,
    opts: &EmitOptions,
    loader: &mut dyn Loader,
) -> Result<Generated, Diagnostics> {
    let source = Source::parse(name, text, format)?;
    generate_source_with(&source, opts, loader)
}

/// Runs `resolve` → `render` on an already loaded source; references to
/// other files are errors.
pub fn generate_source(source: &Source, opts: &EmitOptions) -> Result<Generated, Diagnostics> {
    generate_source_with(source, opts, &mut resolve::NoFiles)
}

/// Like [`generate_source_with`], first applying `overlays` (Overlay 1.0
/// documents, see [`overlay`]) in order to the root document `source`,
/// before the files its `$ref`s name are read. Overlay warnings (a target
/// that selects nothing) come first among the warnings; an overlay error
/// stops generation. [`Generated::files`] lists the overlays after the
/// spec.
pub fn generate_source_overlaid(
    source: &Source,
    overlays: &[Source],
    opts: &EmitOptions,
    loader: &mut dyn Loader,
) -> Result<Generated, Diagnostics> {
    if overlays.is_empty() {
        return generate_source_with(source, opts, loader);
    }
    let (overlaid, mut diags) = overlay::apply(source, overlays)?;
    match generate_source_with(&overlaid, opts, loader) {
        Ok(mut generated) => {
            diags.extend(generated.warnings);
            generated.warnings = diags;
            let at = generated.files.len().min(1);
            generated
                .files
                .splice(at..at, overlays.iter().map(|o| o.name.clone()));
            Ok(generated)
        }
        Err(later) => {
            diags.extend(later);
            Err(diags)
        }
    }
}

/// Runs `resolve` → `render` on an already loaded source, reading the files
/// it refers to through `loader`.
pub fn generate_source_with(
    source: &Source,
    opts: &EmitOptions,
    loader: &mut dyn Loader,
) -> Result<Generated, Diagnostics> {
    let (resolved, mut diags) = resolve::Resolved::resolve(source, loader);
    let failed = diags.has_errors();
    let (code, later) = with_deep_stack(|| {
        let (doc, mut later) = spec::Document::from_value(resolved.file(), resolved.value());
        let built = match doc {
            Some(mut doc) => {
                crate::select::select(&mut doc, opts, &mut later);
                ir::build_for(&doc, opts, &mut later).map(|api| (doc, api))
            }
            None => None,
        };
        let code = match built {
            Some((doc, api)) if !failed => {
                let rendered = render::render_api(&api, &source.name, opts).and_then(|mut r| {
                    if opts.example_tests {
                        r.code.push_str(&example_tests::module(&doc, &api, opts)?);
                    }
                    Ok(r)
                });
                let names = api.names();
                Some(rendered.map(|r| {
                    for name in r.unmatched_types {
                        later.warning(
                            resolved.file(),
                            "",
                            format!("no generated type is named `{name}` (given attributes)"),
                        );
                    }
                    (r.code, r.features, names)
                }))
            }
            _ => None,
        };
        (code, later)
    });
    diags.extend(resolved.map_back(later));
    resolved.resolve_positions(&mut diags);
    diags.dedup();
    diags.sort_by_position();
    match code {
        Some(Ok((code, features, names))) if !diags.has_errors() => Ok(Generated {
            code,
            warnings: diags,
            files: resolved.files().map(|s| s.name.clone()).collect(),
            features,
            names,
        }),
        Some(Err(msg)) => {
            diags.error(&source.name, "", msg);
            Err(diags)
        }
        _ => Err(diags),
    }
}

/// The stack size of the threads that run the pipeline (see
/// [`with_deep_stack`]).
pub(crate) const DEEP_STACK: usize = 64 * 1024 * 1024;

/// Runs `f` on a thread with a stack large enough for the deepest document
/// `load` accepts ([`load::MAX_DEPTH`] levels): the YAML parser and the
/// later stages, and syn and prettyplease in `render`, recurse once per
/// level of nesting (a 100-deep `Vec<Vec<…>>` needs about 4 MiB in a debug
/// build), and the caller's thread may have as little as 2 MiB (a test, an
/// async worker).
/// Only the pages used are committed. Runs `f` here if no thread can be
/// started.
pub(crate) fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let result = std::thread::scope(|scope| {
        let job = std::thread::Builder::new()
            .name("apigen".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || f.take().map(|f| f()));
        job.ok().map(|job| job.join())
    });
    match result {
        Some(Ok(Some(value))) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        _ => match f.take() {
            Some(f) => f(),
            None => unreachable!("`f` only runs once"),
        },
    }
}
