//! The README's instructions, followed verbatim: the "Use from build.rs"
//! snippets are the files of `examples/openint-rename` (which the workspace
//! builds and tests end to end), and the commands of "Regenerate checked-in
//! code" run and succeed.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_apigen");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The text of README section `heading` (a `## ` heading), up to the next
/// `## ` heading.
fn section(heading: &str) -> String {
    let readme = read(&root().join("README.md"));
    let start = readme
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("README has no section {heading:?}"));
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_owned()
}

/// The fenced code blocks of `text` as (info string, body).
fn code_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push((info.to_owned(), body.join("\n") + "\n"));
        }
    }
    blocks
}

/// The block of `blocks` whose first line is `// {file}` or `# {file}`, with
/// that line removed.
fn block_for(blocks: &[(String, String)], file: &str) -> String {
    blocks
        .iter()
        .find_map(|(_, body)| {
            let (first, rest) = body.split_once('\n')?;
            (first == format!("// {file}") || first == format!("# {file}")).then(|| rest.to_owned())
        })
        .unwrap_or_else(|| panic!("no README block for {file}"))
}

/// The README opens with two commands, generate and test, each a line of its
/// own with nothing else on it, and `.ci/run` ends with the test one, word
/// for word.
#[test]
fn ci_runs_the_readme_test_command() {
    let readme = read(&root().join("README.md"));
    let (info, body) = code_blocks(&readme)
        .into_iter()
        .next()
        .expect("README has a code block");
    assert_eq!(info, "sh");
    let commands: Vec<&str> = body.lines().collect();
    assert_eq!(commands.len(), 2, "{body}");
    assert!(
        commands[0].starts_with("cargo run -p apigen -- generate specs/"),
        "{body}"
    );
    assert!(
        commands.iter().all(|c| !c.contains('#') && c.trim() == *c),
        "README commands carry comments or padding:\n{body}"
    );
    let ci = read(&root().join(".ci/run"));
    let last = ci
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .expect(".ci/run is not empty");
    assert_eq!(last, commands[1], "{ci}");
}

#[test]
fn build_rs_snippets_are_the_example_crate() {
    let blocks = code_blocks(&section("Use from build.rs"));
    let example = root().join("examples/openint-rename");

    let build_rs = block_for(&blocks, "build.rs");
    assert_eq!(
        build_rs,
        read(&example.join("build.rs")),
        "README's build.rs differs from examples/openint-rename/build.rs"
    );

    let lib_rs = block_for(&blocks, "src/lib.rs");
    let example_lib = read(&example.join("src/lib.rs"));
    assert!(
        example_lib.contains(&lib_rs),
        "README's src/lib.rs is not in examples/openint-rename/src/lib.rs:\n{lib_rs}"
    );

    // The same crates in the same dependency sections (the example takes
    // them from the workspace instead of crates.io).
    let manifest = block_for(&blocks, "Cargo.toml");
    let example_manifest = read(&example.join("Cargo.toml"));
    let mut table = "";
    for line in manifest.lines() {
        if line.starts_with('[') {
            table = line;
            let at = example_manifest.find(&format!("\n{table}\n"));
            assert!(at.is_some(), "the example has no {table}");
        } else if let Some((name, _)) = line.split_once(" = ") {
            let example_table = example_manifest
                .split(&format!("\n{table}\n"))
                .nth(1)
                .map(|t| t.split("\n[").next().unwrap_or(t))
                .unwrap_or_default();
            assert!(
                example_table
                    .lines()
                    .any(|l| l.starts_with(&format!("{name} "))
                        || l.starts_with(&format!("{name}."))),
                "the example's {table} lacks {name}"
            );
        }
    }
}

/// Each command of a `sh` block in "Regenerate checked-in code", as arguments.
fn regenerate_commands() -> Vec<Vec<String>> {
    code_blocks(&section("Regenerate checked-in code"))
        .into_iter()
        .filter(|(info, _)| info == "sh")
        .flat_map(|(_, body)| {
            body.lines()
                .map(|l| l.split(" #").next().unwrap_or(l).trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("readme-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

#[test]
fn regenerate_commands_run_as_written() {
    let commands = regenerate_commands();
    assert!(commands.len() >= 6, "{commands:?}");

    // `apigen …` lines, in a project of one's own with the spec in specs/.
    let project = scratch("project");
    std::fs::create_dir_all(project.join("specs")).expect("mkdir specs");
    std::fs::create_dir_all(project.join("src")).expect("mkdir src");
    std::fs::copy(
        root().join("specs/openint.json"),
        project.join("specs/openint.json"),
    )
    .expect("copy the spec");
    let mut ran = 0;
    for args in commands.iter().filter(|a| a[0] == "apigen") {
        let out = Command::new(BIN)
            .current_dir(&project)
            .args(&args[1..])
            .output()
            .expect("apigen runs");
        assert!(
            out.status.success(),
            "`{}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert_eq!(ran, 3);
    assert!(project.join("src/openint.rs").is_file());
    assert!(project.join("openint-client/Cargo.toml").is_file());

    // `cargo run -p apigen -- …` lines regenerate generated/: with --check
    // they must find it fresh (freshness.rs says how to fix it otherwise).
    let mut checked = 0;
    for args in &commands {
        let Some(dashes) = args.iter().position(|a| a == "--") else {
            continue;
        };
        assert_eq!(args[..dashes], ["cargo", "run", "-p", "apigen"], "{args:?}");
        let out = Command::new(BIN)
            .current_dir(root())
            .args(&args[dashes + 1..])
            .arg("--check")
            .output()
            .expect("apigen runs");
        assert!(
            out.status.success(),
            "`{}` --check failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
}
