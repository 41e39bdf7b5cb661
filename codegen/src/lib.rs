//! apigen: OpenAPI 3.1 / 3.0 → typed Rust models and an async client.
//!
//! The pipeline runs in one direction, and only the front ends touch files:
//!
//! ```text
//! bytes ──load──▶ Source (serde_json::Value + text for line:col)
//!       ──spec──▶ Document (typed OpenAPI, 3.0 and 3.1)
//!       ──ir────▶ Api (final names, boxing, unions)
//!       ──emit──▶ TokenStream
//!       ──render▶ String
//! ```
//!
//! Use [`Builder`] from `build.rs`, or [`generate`] to turn a spec's text into
//! Rust source directly. The generated code depends only on `apigen-runtime`.
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
pub mod emit;
pub mod ir;
pub mod load;
pub mod names;
pub mod render;
pub mod spec;

pub use builder::{BuildError, Builder};
pub use diag::{Diagnostic, Diagnostics, LineCol, Severity};
pub use emit::EmitOptions;
pub use load::{Format, Source};

/// Generated code and the warnings met on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The formatted Rust source.
    pub code: String,
    /// Warnings (constructs that were degraded); never errors.
    pub warnings: Diagnostics,
}

/// Runs the whole pipeline on one spec given as text. `name` is used in
/// diagnostics and the generated header.
///
/// On failure every error found is returned (with warnings), each with its
/// file, JSON pointer and line:column.
pub fn generate(
    name: &str,
    text: String,
    format: Format,
    opts: &EmitOptions,
) -> Result<Generated, Diagnostics> {
    let source = Source::parse(name, text, format)?;
    generate_source(&source, opts)
}

/// Runs `spec` → `render` on an already loaded source.
pub fn generate_source(source: &Source, opts: &EmitOptions) -> Result<Generated, Diagnostics> {
    let (code, mut diags) = with_deep_stack(|| {
        let (doc, mut diags) = spec::Document::parse(source);
        let api = match doc {
            Some(doc) => ir::build(&doc, &mut diags),
            None => None,
        };
        let code = api.map(|api| render::render(emit::emit(&api, opts), &source.name));
        (code, diags)
    });
    source.resolve_positions(&mut diags);
    diags.sort_by_position();
    match code {
        Some(Ok(code)) => Ok(Generated {
            code,
            warnings: diags,
        }),
        Some(Err(msg)) => {
            diags.error(&source.name, "", msg);
            Err(diags)
        }
        None => Err(diags),
    }
}

/// Runs `f` on a thread with a stack large enough for the deepest document
/// `load` accepts ([`load::MAX_DEPTH`] levels): the YAML parser and the
/// later stages, and syn and prettyplease in `render`, recurse once per
/// level of nesting (a 100-deep `Vec<Vec<…>>` needs about 4 MiB in a debug
/// build), and the caller's thread may have as little as 2 MiB (a test, an
/// async worker).
/// Only the pages used are committed. Runs `f` here if no thread can be
/// started.
pub(crate) fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    const STACK: usize = 64 * 1024 * 1024;
    let mut f = Some(f);
    let result = std::thread::scope(|scope| {
        let job = std::thread::Builder::new()
            .name("apigen".into())
            .stack_size(STACK)
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
