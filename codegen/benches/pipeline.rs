//! Time per pipeline stage and peak memory, on real-world specs.
//!
//! `cargo bench -p apigen --bench pipeline` reads specs from `APIGEN_CORPUS`
//! (default `../shared/corpus`; skipped when absent). For each spec it runs
//! the pipeline repeatedly and prints the median time of every stage, then
//! measures peak resident memory of one whole generation in a fresh process
//! (`VmHWM` from /proc, Linux only). `emit+render` is one stage, as
//! `apigen::generate` runs it ([`render::render_api`]: chunks on every core;
//! `APIGEN_THREADS=1` for one thread).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use apigen::{EmitOptions, Format, Source, ir, render, spec};

const SPECS: [&str; 3] = ["nexus.json", "github-2022-sample.json", "openint-v0.json"];

fn corpus() -> PathBuf {
    std::env::var_os("APIGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

#[derive(Default)]
struct Times {
    load: Vec<Duration>,
    spec: Vec<Duration>,
    ir: Vec<Duration>,
    emit_render: Vec<Duration>,
    total: Vec<Duration>,
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.2} ms", d.as_secs_f64() * 1000.0)
}

/// One whole run, stage by stage, recording each stage's time.
fn run_once(name: &str, text: &str, t: &mut Times) {
    let opts = EmitOptions::default();
    let start = Instant::now();
    let source = Source::parse(name, text.to_owned(), Format::Json).expect("loads");
    let a = Instant::now();
    let (doc, mut diags) = spec::Document::parse(&source);
    let doc = doc.expect("parses");
    let b = Instant::now();
    let api = ir::build(&doc, &mut diags).expect("builds");
    let c = Instant::now();
    let code = render::render_api(&api, name, &opts).expect("renders").code;
    let d = Instant::now();
    t.load.push(a - start);
    t.spec.push(b - a);
    t.ir.push(c - b);
    t.emit_render.push(d - c);
    t.total.push(d - start);
    black_box(code);
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // Child mode: generate once and report peak memory.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak-memory") {
        let path = PathBuf::from(&args[i + 1]);
        let text = std::fs::read_to_string(&path).expect("spec readable");
        let mut t = Times::default();
        run_once(&path.display().to_string(), &text, &mut t);
        println!("{}", peak_memory_kib().unwrap_or(0));
        return;
    }
    let dir = corpus();
    if !dir.is_dir() {
        eprintln!(
            "skipped: no corpus at {} (set APIGEN_CORPUS)",
            dir.display()
        );
        return;
    }
    println!(
        "{:<26} {:>11} {:>11} {:>11} {:>12} {:>11} {:>9} {:>10}",
        "spec", "load", "spec", "ir", "emit+render", "total", "lines", "peak MiB"
    );
    for name in SPECS {
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped {name}: not in {}", dir.display());
            continue;
        };
        let mut t = Times::default();
        // Warm up, then run for at least ~2 s or 5 iterations.
        run_once(name, &text, &mut Times::default());
        let start = Instant::now();
        while t.total.len() < 5 || (start.elapsed() < Duration::from_secs(2) && t.total.len() < 200)
        {
            run_once(name, &text, &mut t);
        }
        let peak = Command::new(std::env::current_exe().expect("own path"))
            .args(["--peak-memory", path.to_str().expect("utf-8 path")])
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map_or_else(|| "n/a".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0));
        let code = apigen::generate(name, text.clone(), Format::Json, &EmitOptions::default())
            .map(|g| g.code.lines().count())
            .unwrap_or(0);
        println!(
            "{:<26} {} {} {}  {} {} {:>9} {:>10}",
            name,
            ms(median(&mut t.load)),
            ms(median(&mut t.spec)),
            ms(median(&mut t.ir)),
            ms(median(&mut t.emit_render)),
            ms(median(&mut t.total)),
            code,
            peak
        );
    }
}
