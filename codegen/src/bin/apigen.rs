//! The `apigen` command: regenerate checked-in code from OpenAPI specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigen::EmitOptions;
use apigen::builder::{BuildError, generate_file, write_if_changed};

const HELP: &str = "\
apigen: generate typed Rust clients from OpenAPI 3.0 / 3.1 and Swagger 2.0 specs

USAGE:
    apigen generate SPEC -o FILE [--check] [--runtime-crate PATH] [-q]
    apigen crate SPEC -o DIR --name NAME [--runtime-path PATH] [--check] [-q]
    apigen --help | --version

COMMANDS:
    generate    Write the generated module for SPEC to FILE.
    crate       Write a standalone crate (Cargo.toml + src/lib.rs) to DIR.

OPTIONS:
    -o, --output PATH      Output file (generate) or directory (crate).
    --check                Write nothing; exit 1 if the output is missing or differs.
    --name NAME            Package name of the crate (crate only).
    --runtime-path PATH    Depend on apigen-runtime at this path instead of crates.io (crate only).
    --runtime-crate PATH   Rust path of the runtime in generated code (default ::apigen_runtime).
    -q, --quiet            Do not print warnings.

EXIT STATUS:
    0  output written (or up to date)
    1  --check: output is stale
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
    output: Option<PathBuf>,
    name: Option<String>,
    runtime_path: Option<String>,
    runtime_crate: Option<String>,
    check: bool,
    quiet: bool,
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
            "--name" => o.name = Some(value(a)?),
            "--runtime-path" => o.runtime_path = Some(value(a)?),
            "--runtime-crate" => o.runtime_crate = Some(value(a)?),
            "--check" => o.check = true,
            "-q" | "--quiet" => o.quiet = true,
            s if s.starts_with('-') && s != "-" => {
                return Err(format!("error: unknown option `{s}`\n\n{HELP}"));
            }
            s if o.command.is_empty() => o.command = s.to_owned(),
            s if o.spec.is_none() => o.spec = Some(PathBuf::from(s)),
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
    let o = parse(args)?;
    let spec = o
        .spec
        .clone()
        .ok_or_else(|| format!("error: missing SPEC\n\n{HELP}"))?;
    let output = o
        .output
        .clone()
        .ok_or_else(|| "error: missing -o/--output".to_owned())?;
    let mut emit = EmitOptions::default();
    if let Some(rc) = &o.runtime_crate {
        emit.runtime = rc.clone();
    }
    let generated = generate_file(&spec, &emit).map_err(|e| match e {
        BuildError::Spec(d) => {
            let n = d.iter().filter(|x| x.is_error()).count();
            format!(
                "{d}\nerror: {n} problem(s) in {}; nothing was written",
                spec.display()
            )
        }
        other => format!("error: {other}"),
    })?;
    if !o.quiet {
        for w in &generated.warnings {
            eprintln!("{w}");
        }
    }
    let files: Vec<(PathBuf, String)> = match o.command.as_str() {
        "generate" => vec![(output.clone(), generated.code)],
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
                generated.code,
            )
        }
        other => return Err(format!("error: unknown command `{other}`\n\n{HELP}")),
    };
    if o.check {
        let stale: Vec<&PathBuf> = files
            .iter()
            .filter(|(p, c)| std::fs::read(p).ok().as_deref() != Some(c.as_bytes()))
            .map(|(p, _)| p)
            .collect();
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        for p in stale {
            eprintln!("stale: {} does not match {}", p.display(), spec.display());
        }
        let cmd: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "--check")
            .collect();
        eprintln!("to update it, run: apigen {}", cmd.join(" "));
        return Ok(ExitCode::from(1));
    }
    for (path, content) in &files {
        write_if_changed(path, content).map_err(|e| format!("error: {}: {e}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn crate_files(
    dir: &Path,
    name: &str,
    runtime_path: Option<&str>,
    spec: &Path,
    code: String,
) -> Vec<(PathBuf, String)> {
    let runtime = match runtime_path {
        Some(p) => format!("{{ path = {} }}", toml_string(p)),
        None => format!("\"{}\"", env!("CARGO_PKG_VERSION")),
    };
    let spec_name = spec
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let manifest = format!(
        "# @generated by apigen from `{spec_name}`.\n\
         [package]\n\
         name = {name}\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         description = {desc}\n\
         publish = false\n\n\
         [dependencies]\n\
         apigen-runtime = {runtime}\n\n\
         # A standalone crate, not part of any enclosing workspace.\n\
         [workspace]\n",
        name = toml_string(name),
        desc = toml_string(&format!("API client generated by apigen from {spec_name}")),
    );
    vec![
        (dir.join("Cargo.toml"), manifest),
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
