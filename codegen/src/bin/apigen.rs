//! The `apigen` command: regenerate checked-in code from OpenAPI specs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use apigen::builder::{
    BuildError, generate_file_overlaid, read_names, read_overlays, write_all_if_changed,
};
use apigen::{EmitOptions, Format};

const HELP: &str = "\
apigen: generate typed Rust clients from OpenAPI 3.0 / 3.1 / 3.2 and Swagger 2.0 specs

USAGE:
    apigen generate SPEC -o FILE [--check] [--names] [GENERATION OPTIONS] [-q | -v]
    apigen check SPEC -o FILE [GENERATION OPTIONS] [-q | -v]
    apigen crate SPEC -o DIR --name NAME [--runtime-path PATH] [--check] [--names]
                 [GENERATION OPTIONS] [-q | -v]
    apigen diff OLD NEW [--format human|json] [--fail-on LEVEL] [--from-version X.Y.Z]
                [GENERATION OPTIONS]
    apigen --help | --version

COMMANDS:
    generate    Write the generated module for SPEC to FILE.
    check       Same as `generate --check`: write nothing, exit 1 if FILE is stale.
    crate       Write a standalone crate (Cargo.toml, README.md, src/lib.rs) to DIR.
    diff        Say what changed for callers between the code generated from OLD and from NEW
                (types, fields, variants, methods, arguments, checks), each change classified
                by the Cargo book's SemVer rules, and the version bump it needs.

SPEC is a path to a JSON or YAML file, or `-` to read the spec from standard
input (JSON if it starts with `{`, else YAML).

OPTIONS:
    -o, --output PATH      Output file (generate, check) or directory (crate).
    --check                Write nothing; exit 1 if the output is missing or differs.
    --name NAME            Package name of the crate (crate only).
    --runtime-path PATH    Depend on apigen-runtime at this path instead of crates.io (crate only).
    -q, --quiet            Print nothing but errors (no warnings).
    -v, --verbose          Also say what was generated and written, and how long it took.
    --format FORMAT        diff: `human` (default) or `json`.
    --fail-on LEVEL        diff: exit 1 when the bump is LEVEL or larger: `major` (or `breaking`),
                           `minor` or `patch`.
    --from-version X.Y.Z   diff: the generated crate's current version; the report gives the next
                           one (before 1.0, a breaking change bumps the minor number).
    --names                Write the names file beside SPEC (api.names.json for api.yaml), creating
                           it: every type and method name generated, kept by later generations
                           while what it names exists. An existing names file is always read and
                           updated (with the output: all or none); --check reports it when stale.
    --names-file PATH      Use this names file instead (implies --names); the only way to keep
                           names of a spec read from standard input, which has none otherwise.

GENERATION OPTIONS (the same as apigen::Builder's):
    --overlay FILE         Apply this OpenAPI Overlay 1.0 document (JSON or YAML) to SPEC first (to
                           OLD and NEW for diff; repeatable: applied in the order given, each to
                           the result of the ones before). A target that selects nothing is a
                           warning.
    --runtime-crate PATH   Rust path of the runtime in generated code (default ::apigen_runtime).
    --tag TAG              Generate only operations with this tag (repeatable; with --operation,
                           operations matching either).
    --operation ID         Generate only the operation with this operationId (repeatable).
                           With --tag or --operation, only the component schemas the kept
                           operations reach are generated, and:
    --keep-schema NAME     also this component schema and what it reaches (repeatable);
    --keep-all-schemas     every component schema.
    --paginate OP=HOW      Follow the pages of operation OP (operationId or `GET /path`) as HOW
                           says (repeatable): `link`, `next-url,next=/POINTER`,
                           `cursor,param=NAME,next=/POINTER`, `offset,param=NAME`,
                           `page,param=NAME[,first=N]` (each may add `items=PROPERTY` and
                           `has-more=/POINTER`), or `none` to generate no page methods.
    --derive PATH          Add this derive to every model type (repeatable), e.g. `--derive Hash`.
    --replace NAME=PATH    Use the Rust type PATH for component schema NAME instead of generating
                           one (repeatable); `x-rust-type: PATH` on a schema does the same.
    --deny-unknown-fields  Reject object keys a struct has no field for (structs keeping extra
                           keys in a map accept them all).
    --default-missing-fields
                           Decode an absent required field as its type's default (where it has
                           one) instead of failing: for servers that lag their description.
    --tag-features         Put each tag's operations, and the types only they use, behind a Cargo
                           feature named after the tag (always on for `crate`, which declares them).
    --date-time REPR       Rust type of `date-time` and `date` strings: string (default), chrono
                           or time. chrono and time need the apigen-runtime feature of that name
                           (`crate` enables it).
    --example-tests        Append `#[cfg(test)] mod example_tests`: a test per example the spec
                           documents, decoding it into its generated type and checking it is
                           written back the same (undeclared keys, f32 rounding and re-spelled
                           dates aside), so `cargo test` fails on an example its schema rejects.

EXIT STATUS:
    0  output written (or up to date)
    1  --check / check: output is stale (the message says which files and how to fix, and
       what changed for callers); diff --fail-on: the changes need that bump or a larger one
    2  the spec has errors, or the command line is wrong; nothing was written
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}

#[derive(Default)]
struct Opts {
    command: String,
    spec: Option<PathBuf>,
    /// `diff`'s second spec.
    new_spec: Option<PathBuf>,
    format: Option<String>,
    fail_on: Option<String>,
    from_version: Option<String>,
    output: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    name: Option<String>,
    runtime_path: Option<String>,
    runtime_crate: Option<String>,
    tags: Vec<String>,
    operations: Vec<String>,
    keep_schemas: Vec<String>,
    keep_all_schemas: bool,
    paginate: Vec<String>,
    derives: Vec<String>,
    deny_unknown_fields: bool,
    default_missing_fields: bool,
    replacements: Vec<String>,
    date_time: Option<String>,
    tag_features: bool,
    example_tests: bool,
    check: bool,
    names: bool,
    names_file: Option<PathBuf>,
    quiet: bool,
    verbose: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("error: {flag} needs a value\n\n{HELP}"))
        };
        match a.as_str() {
            "-o" | "--output" => o.output = Some(PathBuf::from(value(a)?)),
            "--overlay" => o.overlays.push(PathBuf::from(value(a)?)),
            "--name" => o.name = Some(value(a)?),
            "--runtime-path" => o.runtime_path = Some(value(a)?),
            "--runtime-crate" => o.runtime_crate = Some(value(a)?),
            "--tag" => o.tags.push(value(a)?),
            "--operation" => o.operations.push(value(a)?),
            "--keep-schema" => o.keep_schemas.push(value(a)?),
            "--keep-all-schemas" => o.keep_all_schemas = true,
            "--paginate" => o.paginate.push(value(a)?),
            "--derive" => o.derives.push(value(a)?),
            "--deny-unknown-fields" => o.deny_unknown_fields = true,
            "--default-missing-fields" => o.default_missing_fields = true,
            "--replace" => o.replacements.push(value(a)?),
            "--date-time" => o.date_time = Some(value(a)?),
            "--tag-features" => o.tag_features = true,
            "--example-tests" => o.example_tests = true,
            "--check" => o.check = true,
            "--format" => o.format = Some(value(a)?),
            "--fail-on" => o.fail_on = Some(value(a)?),
            "--from-version" => o.from_version = Some(value(a)?),
            "--names" => o.names = true,
            "--names-file" => o.names_file = Some(PathBuf::from(value(a)?)),
            "-q" | "--quiet" => o.quiet = true,
            "-v" | "--verbose" => o.verbose = true,
            s if s.starts_with('-') && s != "-" => {
                return Err(format!("error: unknown option `{s}`\n\n{HELP}"));
            }
            s if o.command.is_empty() => o.command = s.to_owned(),
            s if o.spec.is_none() => o.spec = Some(PathBuf::from(s)),
            s if o.command == "diff" && o.new_spec.is_none() => {
                o.new_spec = Some(PathBuf::from(s));
            }
            s => return Err(format!("error: unexpected argument `{s}`\n\n{HELP}")),
        }
    }
    Ok(o)
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{HELP}");
        return Ok(ExitCode::SUCCESS);
    }
    if args.iter().any(|a| a == "-V" || a == "--version") {
        println!("apigen {}", env!("CARGO_PKG_VERSION"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = parse(args)?;
    if o.quiet && o.verbose {
        return Err(format!(
            "error: --quiet and --verbose cannot be used together\n\n{HELP}"
        ));
    }
    if o.command == "check" {
        o.check = true;
    }
    let spec = o
        .spec
        .clone()
        .ok_or_else(|| format!("error: missing SPEC\n\n{HELP}"))?;
    let mut emit = EmitOptions::default();
    if let Some(rc) = &o.runtime_crate {
        emit.set_runtime(rc)
            .map_err(|e| format!("error: --runtime-crate: {e}\n\n{HELP}"))?;
    }
    emit.only_tags = o.tags.clone();
    emit.only_operations = o.operations.clone();
    emit.keep_schemas = o.keep_schemas.clone();
    emit.keep_all_schemas = o.keep_all_schemas;
    if o.deny_unknown_fields {
        emit.unknown_fields = apigen::UnknownFields::Deny;
    }
    if o.default_missing_fields {
        emit.missing_fields = apigen::MissingFields::Default;
    }
    for r in &o.replacements {
        let (name, path) = r
            .split_once('=')
            .ok_or_else(|| format!("error: --replace takes NAME=PATH, not `{r}`\n\n{HELP}"))?;
        emit.replace_type(name, path)
            .map_err(|e| format!("error: --replace: {e}\n\n{HELP}"))?;
    }
    for p in &o.paginate {
        let (op, how) = p
            .split_once('=')
            .ok_or_else(|| format!("error: --paginate takes OP=HOW, not `{p}`\n\n{HELP}"))?;
        let how = how
            .parse()
            .map_err(|e| format!("error: --paginate {op}: {e}\n\n{HELP}"))?;
        emit.paginate.push((op.trim().to_owned(), how));
    }
    emit.tag_features = o.tag_features || o.command == "crate";
    emit.example_tests = o.example_tests;
    if let Some(repr) = &o.date_time {
        emit.date_time = repr
            .parse()
            .map_err(|e| format!("error: --date-time: {e}\n\n{HELP}"))?;
    }
    for derive in &o.derives {
        emit.add_derive(derive)
            .map_err(|e| format!("error: --derive: {e}\n\n{HELP}"))?;
    }
    if o.command == "diff" {
        return diff(&o, &spec, &emit);
    }
    let output = o
        .output
        .clone()
        .ok_or_else(|| "error: missing -o/--output".to_owned())?;
    let started = Instant::now();
    let from_stdin = spec.as_os_str() == "-";
    // The names file, and whether to write it.
    let names_file = match (&o.names_file, from_stdin) {
        (Some(path), _) => Some((path.clone(), true)),
        (None, false) => {
            let path = apigen::Names::path_for(&spec);
            let write = o.names || path.exists();
            Some((path, write))
        }
        (None, true) if o.names => {
            return Err(format!(
                "error: a spec read from standard input has no names file; give one with --names-file PATH\n\n{HELP}"
            ));
        }
        (None, true) => None,
    };
    if let Some((path, _)) = &names_file {
        emit.names = read_names(path).map_err(|e| {
            build_error(e, |_| {
                format!("{} is malformed; nothing was written", path.display())
            })
        })?;
    }
    // How messages name the spec.
    let spec_label = if from_stdin {
        "<stdin>".to_owned()
    } else {
        spec.display().to_string()
    };
    let generated = if from_stdin {
        read_stdin_spec(&o.overlays, &emit)
    } else {
        generate_file_overlaid(&spec, &o.overlays, &emit)
    };
    let overlays = if o.overlays.is_empty() {
        ""
    } else {
        " or its overlays"
    };
    let generated = generated.map_err(|e| {
        build_error(e, |d| {
            format!(
                "{} problem(s) in {spec_label}{overlays}; nothing was written",
                errors(d)
            )
        })
    })?;
    if !o.quiet {
        for w in &generated.warnings {
            eprintln!("{w}");
        }
    }
    if o.verbose {
        let lines = generated.code.lines().count();
        eprintln!(
            "generated {lines} lines from {spec_label} in {:.1} ms ({} warning(s))",
            started.elapsed().as_secs_f64() * 1000.0,
            generated.warnings.len()
        );
    }
    let files: Vec<(PathBuf, String)> = match o.command.as_str() {
        "generate" | "check" => vec![(output.clone(), generated.code)],
        "crate" => {
            let name = o
                .name
                .clone()
                .ok_or_else(|| "error: `crate` needs --name NAME".to_owned())?;
            crate_files(
                &output,
                &name,
                o.runtime_path.as_deref(),
                &spec,
                &o.overlays,
                &emit,
                &generated.features,
                generated.code,
            )
        }
        other => return Err(format!("error: unknown command `{other}`\n\n{HELP}")),
    };
    let mut files = files;
    if let Some((path, true)) = names_file {
        // A filtered generation knows only the names of what it kept.
        let filtered = !emit.only_tags.is_empty() || !emit.only_operations.is_empty();
        let names = match (&emit.names, filtered) {
            (Some(recorded), true) => recorded.updated_with(&generated.names),
            _ => generated.names.clone(),
        };
        files.push((path, names.to_json()));
    }
    if o.check {
        let stale: Vec<&PathBuf> = files
            .iter()
            .filter(|(p, c)| std::fs::read(p).ok().as_deref() != Some(c.as_bytes()))
            .map(|(p, _)| p)
            .collect();
        if stale.is_empty() {
            if o.verbose {
                for (path, _) in &files {
                    eprintln!("up to date: {}", path.display());
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        for p in stale {
            eprintln!("stale: {} does not match {spec_label}", p.display());
            // What the change means for callers of the checked-in code.
            let new_code = files
                .iter()
                .find(|(q, _)| q == p && q.extension().is_some_and(|e| e == "rs"))
                .map(|(_, c)| c);
            if let (Some(new_code), Ok(old_code)) = (new_code, std::fs::read_to_string(p))
                && let Ok(report) = apigen::diff::diff_code(&old_code, new_code)
            {
                eprintln!("{}", report.summary(10));
            }
        }
        let cmd: Vec<&str> = args
            .iter()
            .map(|a| if a == "check" { "generate" } else { a.as_str() })
            .filter(|a| *a != "--check")
            .collect();
        eprintln!("to update it, run: apigen {}", cmd.join(" "));
        return Ok(ExitCode::from(1));
    }
    // All or none: a crate's manifest declares the features its code uses.
    let pairs: Vec<(&Path, &str)> = files
        .iter()
        .map(|(path, content)| (path.as_path(), content.as_str()))
        .collect();
    let wrote = write_all_if_changed(&pairs)
        .map_err(|(path, e)| format!("error: {}: {e}", path.display()))?;
    if o.verbose {
        for ((path, _), wrote) in files.iter().zip(wrote) {
            let what = if wrote { "wrote" } else { "unchanged" };
            eprintln!("{what}: {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The message of a failed generation: a spec's (or overlay's, or names
/// file's) problems, then `what` says of them; or the I/O error.
fn build_error(e: BuildError, what: impl FnOnce(&apigen::Diagnostics) -> String) -> String {
    match e {
        BuildError::Spec(d) => format!("{d}\nerror: {}", what(&d)),
        other => format!("error: {other}"),
    }
}

/// How many of `d` are errors.
fn errors(d: &apigen::Diagnostics) -> usize {
    d.iter().filter(|x| x.is_error()).count()
}

/// `apigen diff OLD NEW`: generates both and compares their APIs.
fn diff(o: &Opts, old: &Path, emit: &EmitOptions) -> Result<ExitCode, String> {
    let new = o
        .new_spec
        .as_deref()
        .ok_or_else(|| format!("error: `diff` needs two specs, OLD and NEW\n\n{HELP}"))?;
    let json = match o.format.as_deref() {
        None | Some("human") => false,
        Some("json") => true,
        Some(other) => {
            return Err(format!(
                "error: --format takes `human` or `json`, not `{other}`\n\n{HELP}"
            ));
        }
    };
    let fail_on: Option<apigen::diff::Level> = o
        .fail_on
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e| format!("error: --fail-on: {e}\n\n{HELP}"))?;
    // The names the checked-in code keeps: NEW's names file (or
    // --names-file), for both, as `generate` would use it.
    let names_path = o
        .names_file
        .clone()
        .unwrap_or_else(|| apigen::Names::path_for(new));
    let mut emit = emit.clone();
    emit.names = read_names(&names_path)
        .map_err(|e| build_error(e, |_| format!("{} is malformed", names_path.display())))?;
    let emit = &emit;
    let mut code = Vec::new();
    for spec in [old, new] {
        if spec.as_os_str() == "-" {
            return Err("error: `diff` reads both specs from files, not standard input".into());
        }
        let generated = generate_file_overlaid(spec, &o.overlays, emit).map_err(|e| {
            build_error(e, |d| {
                format!("{} problem(s) in {}", errors(d), spec.display())
            })
        })?;
        if o.verbose {
            for w in &generated.warnings {
                eprintln!("{w}");
            }
        }
        code.push(generated.code);
    }
    let report = apigen::diff::diff_code(&code[0], &code[1]).map_err(|e| format!("error: {e}"))?;
    let current = o.from_version.as_deref();
    if let Some(Err(e)) = current.map(|v| report.next_version(v)) {
        return Err(format!("error: --from-version: {e}"));
    }
    let text = if json {
        format!("{}\n", report.json(current))
    } else {
        report.human(current)
    };
    // A closed pipe (`apigen diff … | head`) is not an error of ours.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    match fail_on {
        Some(level) if report.bump() >= level => Ok(ExitCode::from(1)),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Reads a spec from standard input (`SPEC` given as `-`).
fn read_stdin_spec(
    overlays: &[PathBuf],
    emit: &EmitOptions,
) -> Result<apigen::Generated, BuildError> {
    let name = "<stdin>";
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|source| BuildError::Io {
            path: PathBuf::from(name),
            source,
        })?;
    let text = String::from_utf8(bytes).map_err(|e| BuildError::Io {
        path: PathBuf::from(name),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let format = Format::detect(name, &text);
    let overlays = read_overlays(overlays)?;
    let source = apigen::Source::parse(name, text, format).map_err(BuildError::Spec)?;
    apigen::generate_source_overlaid(&source, &overlays, emit, &mut apigen::resolve::NoFiles)
        .map_err(BuildError::Spec)
}

// The crate's files depend on each of these inputs; a struct for one caller
// would only rename them.
#[allow(clippy::too_many_arguments)]
fn crate_files(
    dir: &Path,
    name: &str,
    runtime_path: Option<&str>,
    spec: &Path,
    overlays: &[PathBuf],
    emit: &EmitOptions,
    features: &[apigen::TagFeature],
    code: String,
) -> Vec<(PathBuf, String)> {
    let mut runtime = match runtime_path {
        Some(p) => format!("path = {}", toml_string(p)),
        None => format!("version = \"{}\"", env!("CARGO_PKG_VERSION")),
    };
    if let Some(feature) = emit.date_time.runtime_feature() {
        runtime.push_str(&format!(", features = [\"{feature}\"]"));
    }
    let runtime = format!("{{ {runtime} }}");
    let spec_name = spec
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A path dependency cannot be published; a crates.io one can.
    let publish = if runtime_path.is_some() {
        "publish = false\n"
    } else {
        ""
    };
    let feature_section = if features.is_empty() {
        String::new()
    } else {
        let all: Vec<String> = features.iter().map(|f| toml_string(&f.name)).collect();
        let mut section = format!(
            "# One feature per tag: its operations and the types only they use.\n\
             # Operations without a tag, and schemas no operation uses, are always built.\n\
             [features]\n\
             default = [{}]\n",
            all.join(", ")
        );
        for f in features {
            let plural = if f.operations == 1 { "" } else { "s" };
            section.push_str(&format!(
                "# Tag {} ({} operation{plural}).\n{} = []\n",
                toml_string(&f.tag),
                f.operations,
                f.name
            ));
        }
        section.push('\n');
        section
    };
    let manifest = format!(
        "# @generated by apigen from `{spec_name}`.\n\
         [package]\n\
         name = {name}\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         description = {desc}\n\
         readme = \"README.md\"\n\
         {publish}\n\
         [dependencies]\n\
         apigen-runtime = {runtime}\n\n\
         {feature_section}\
         # A standalone crate, not part of any enclosing workspace.\n\
         [workspace]\n",
        name = toml_string(name),
        desc = toml_string(&format!("API client generated by apigen from {spec_name}")),
    );
    let lib = name.replace('-', "_");
    let mut date_arg = match emit.date_time {
        apigen::DateTimeRepr::String => String::new(),
        other => format!(" --date-time {}", other.name()),
    };
    for overlay in overlays {
        let file = overlay.file_name().unwrap_or(overlay.as_os_str());
        date_arg.push_str(&format!(" --overlay {}", file.to_string_lossy()));
    }
    let features_doc = if features.is_empty() {
        String::new()
    } else {
        let first = &features[0].name;
        let mut doc = format!(
            "\n## Features\n\n\
             Each tag of the spec is a Cargo feature, all on by default. A feature\n\
             builds the tag's operations and the types only they use, so to compile\n\
             less, turn the defaults off and name the tags you call:\n\n\
             ```toml\n\
             {name} = {{ path = \"<this directory>\", default-features = false, features = [\"{first}\"] }}\n\
             ```\n\n\
             | Feature | Tag | Operations |\n\
             |---|---|---|\n"
        );
        for f in features {
            doc.push_str(&format!(
                "| `{}` | {} | {} |\n",
                f.name,
                f.tag.replace('|', "\\|").replace('\n', " "),
                f.operations
            ));
        }
        doc
    };
    let readme = format!(
        "<!-- @generated by apigen from `{spec_name}`. -->\n\
         # {name}\n\n\
         An async Rust client for the API described by `{spec_name}`, generated by\n\
         [apigen](https://github.com/apigen-rs/apigen). Do not edit `src/lib.rs`: change\n\
         the spec and regenerate with\n\n\
         ```sh\n\
         apigen crate {spec_name} -o <this directory> --name {name}{date_arg}\n\
         ```\n\n\
         ## Use\n\n\
         ```toml\n\
         [dependencies]\n\
         {name} = {{ path = \"<this directory>\" }}\n\
         ```\n\n\
         ```rust,ignore\n\
         let client = {lib}::Client::new(\"https://api.example.com\");\n\
         // One async method per operation; models are in `{lib}::types`.\n\
         ```\n\n\
         Results are `Result<T, apigen_runtime::Error<E>>`, where `E` lists the\n\
         operation's documented error responses. Requests that are safe to repeat\n\
         are retried on connection failures, 429 and 503 (see\n\
         `apigen_runtime::RetryPolicy`); credentials never appear in `Debug` output\n\
         or error messages. The only dependency is `apigen-runtime`.\n\
         {features_doc}"
    );
    vec![
        (dir.join("Cargo.toml"), manifest),
        (dir.join("README.md"), readme),
        (dir.join("src").join("lib.rs"), code),
    ]
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
