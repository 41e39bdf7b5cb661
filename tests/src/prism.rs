//! Starts and stops [Prism](https://github.com/stoplightio/prism)
//! (`@stoplight/prism-cli`, installed from package-lock.json by `npm ci`;
//! scripts/test does that first) as a mock server for a spec, so that tests
//! can check the generated clients against an independent implementation of
//! OpenAPI: Prism validates every request against the spec, and generates
//! responses from it.
//!
//! [`PrismBuilder::start`] runs
//! `node_modules/.bin/prism mock <spec> --host 127.0.0.1 --port <free port>`
//! (plus `--errors`, `--dynamic`, `--seed` as configured) as a child process
//! and waits, at most [`Prism::START_TIMEOUT`], until it listens. The process
//! is killed when the [`Prism`] value is dropped, also when a test panics, so
//! no server outlives its test. Its output (stdout and stderr) is kept and
//! can be read with [`Prism::log_since`], so a failing assertion can show
//! why Prism rejected a request.
//!
//! When `node_modules/.bin/prism` is missing, `start` prints why and returns
//! `None` (the test should return early), unless the environment variable
//! `APIGEN_REQUIRE_NODE` is set (scripts/test sets it): then it panics.
//!
//! ```no_run
//! use apigen_tests::prism::Prism;
//!
//! let Some(prism) = Prism::builder("specs/openint.json").errors().start() else {
//!     return; // Prism is not installed; the reason was printed
//! };
//! // ... point a client at `prism.base_url()` and call it ...
//! ```

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// The line Prism prints once its HTTP server listens.
const LISTENING: &str = "Prism is listening on";

/// How a Prism mock server is started; made by [`Prism::builder`].
#[derive(Debug, Clone)]
pub struct PrismBuilder {
    spec: PathBuf,
    errors: bool,
    dynamic: bool,
    seed: Option<String>,
    faker_options: Vec<(String, String)>,
}

impl PrismBuilder {
    /// Passes `--errors`: a request that violates the spec is answered with
    /// an error (a documented 400/422 response if there is one, else Prism's
    /// own 422 `application/problem+json` listing the violations, or 401 for
    /// missing credentials), and a generated response that violates the spec
    /// is replaced by a 500 listing the violations.
    pub fn errors(mut self) -> Self {
        self.errors = true;
        self
    }

    /// Passes `--dynamic`: responses are generated from the response schemas
    /// by json-schema-faker instead of being built statically from examples.
    pub fn dynamic(mut self) -> Self {
        self.dynamic = true;
        self
    }

    /// Passes `--seed <seed>`, so that dynamic responses are reproducible. (A
    /// request's `Prefer: seed=…` header overrides it for that request.)
    pub fn seed(mut self, seed: impl Into<String>) -> Self {
        self.seed = Some(seed.into());
        self
    }

    /// Sets a json-schema-faker option for dynamic responses (`value` is JSON
    /// text, e.g. `"false"` or `"0.5"`).
    ///
    /// Prism reads such options only from an `x-json-schema-faker` object at
    /// the root of the document, so when any is set Prism is given a copy of
    /// the spec, in a temporary directory, that differs from it only by that
    /// object. The schemas, and so what Prism validates, are unchanged.
    pub fn faker_option(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.faker_options.push((name.into(), value.into()));
        self
    }

    /// Starts Prism and waits until it listens.
    ///
    /// Returns `None`, after printing why, if `node_modules/.bin/prism` is
    /// missing and `APIGEN_REQUIRE_NODE` is not set. Panics, with Prism's
    /// output, if it does not start listening within
    /// [`Prism::START_TIMEOUT`].
    pub fn start(self) -> Option<Prism> {
        let root = workspace_root();
        let binary = root.join("node_modules/.bin/prism");
        if !binary.exists() {
            assert!(
                std::env::var_os("APIGEN_REQUIRE_NODE").is_none(),
                "node_modules/.bin/prism is missing: run `npm ci` in the workspace root"
            );
            eprintln!("skipped: node_modules/.bin/prism missing (run `npm ci`, or ./scripts/test)");
            return None;
        }
        let spec = root.join(&self.spec);
        assert!(spec.is_file(), "no spec at {}", spec.display());
        let temp_dir = if self.faker_options.is_empty() {
            None
        } else {
            check_single_faker(root);
            Some(TempDir::with_spec_copy(&spec, &self.faker_options))
        };
        let document = temp_dir.as_ref().map_or(spec, |dir| dir.spec.clone());

        // The free port is found by binding port 0 and closing it again, so
        // another process may take it before Prism does; Prism then exits and
        // is started again on another port.
        let mut last_failure = String::new();
        for _ in 0..3 {
            let port = free_port();
            let mut command = Command::new(&binary);
            command.current_dir(root).arg("mock").arg(&document).args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ]);
            if self.errors {
                command.arg("--errors");
            }
            if self.dynamic {
                command.arg("--dynamic");
            }
            if let Some(seed) = &self.seed {
                command.args(["--seed", seed]);
            }
            command
                .env("SCARF_ANALYTICS", "false")
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = command
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
            let log = Arc::new(Mutex::new(String::new()));
            if let Some(out) = child.stdout.take() {
                collect(out, Arc::clone(&log));
            }
            if let Some(err) = child.stderr.take() {
                collect(err, Arc::clone(&log));
            }
            // From here on, dropping `prism` (also while panicking) kills it.
            let mut prism = Prism {
                child,
                base_url: format!("http://127.0.0.1:{port}"),
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
                log,
                _temp_dir: None,
            };
            match prism.wait_until_listening() {
                Ok(()) => {
                    prism._temp_dir = temp_dir;
                    return Some(prism);
                }
                Err(exited) => {
                    let log = prism.log();
                    if exited && log.contains("EADDRINUSE") {
                        last_failure = log;
                        continue;
                    }
                    panic!(
                        "Prism ({}) did not start listening on {}:\n{log}",
                        self.spec.display(),
                        prism.base_url
                    );
                }
            }
        }
        panic!("Prism found no free port in 3 tries; last output:\n{last_failure}");
    }
}

/// A running Prism mock server; killed when dropped.
#[derive(Debug)]
pub struct Prism {
    child: Child,
    base_url: String,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
    _temp_dir: Option<TempDir>,
}

impl Prism {
    /// How long [`PrismBuilder::start`] waits for Prism to listen.
    pub const START_TIMEOUT: Duration = Duration::from_secs(60);

    /// A builder for a Prism mock server of `spec`, a path relative to the
    /// workspace root (e.g. `specs/openint.json`).
    pub fn builder(spec: impl Into<PathBuf>) -> PrismBuilder {
        PrismBuilder {
            spec: spec.into(),
            errors: false,
            dynamic: false,
            seed: None,
            faker_options: Vec::new(),
        }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `path` (which starts with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Everything Prism printed so far.
    pub fn log(&self) -> String {
        self.lock_log().clone()
    }

    /// How many bytes of output Prism printed so far: a mark for
    /// [`Prism::log_since`].
    pub fn log_len(&self) -> usize {
        self.lock_log().len()
    }

    /// What Prism printed after `mark` (a [`Prism::log_len`]). Prism logs a
    /// request while handling it, but the lines are read from its output by
    /// another thread: wait a moment (see [`Prism::wait_for_log`]) before
    /// relying on the last lines of a request.
    pub fn log_since(&self, mark: usize) -> String {
        let log = self.lock_log();
        log.get(mark..).unwrap_or_default().to_owned()
    }

    /// Waits, at most `timeout`, until the output after `mark` contains
    /// `needle`; returns whether it does.
    pub fn wait_for_log(&self, mark: usize, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.log_since(mark).contains(needle) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn lock_log(&self) -> MutexGuard<'_, String> {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `Err(true)` if Prism exited, `Err(false)` on timeout.
    fn wait_until_listening(&mut self) -> Result<(), bool> {
        let deadline = Instant::now() + Self::START_TIMEOUT;
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                // Let the reader threads take in the last lines.
                thread::sleep(Duration::from_millis(200));
                return Err(true);
            }
            // Prism prints the line once its server listens; the port must
            // then accept connections (and is then surely Prism's).
            if self.lock_log().contains(LISTENING)
                && TcpStream::connect_timeout(&self.addr, Duration::from_millis(500)).is_ok()
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(false);
            }
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Prism runs as one Node.js process (no `--multiprocess`), which is
        // the child itself: the package's bin script is executed directly.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("can bind a loopback port")
        .port()
}

/// Appends everything `stream` yields, line by line, to `log` (on a thread
/// that ends when the stream closes, i.e. when Prism exits).
fn collect(stream: impl Read + Send + 'static, log: Arc<Mutex<String>>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        while let Ok(n) = reader.read_until(b'\n', &mut line) {
            if n == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&line);
            log.lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push_str(&text);
            line.clear();
        }
    });
}

/// Prism's CLI and its HTTP mocker must share one json-schema-faker: the CLI
/// applies `x-json-schema-faker` options to its own copy, so with two copies
/// the options silently do nothing. (prism-cli 5.16.0 and prism-http 5.16.0
/// pin different versions; `overrides` in package.json makes them one.)
fn check_single_faker(root: &Path) {
    let nested = root.join("node_modules/@stoplight/prism-http/node_modules/json-schema-faker");
    assert!(
        !nested.exists(),
        "{} exists: Prism would ignore x-json-schema-faker options. Keep the \
         `overrides` entry for json-schema-faker in package.json at the version \
         @stoplight/prism-http pins, and regenerate package-lock.json",
        nested.display()
    );
}

/// A directory under the system's temporary directory holding a copy of a
/// spec; removed when dropped.
#[derive(Debug)]
struct TempDir {
    path: PathBuf,
    spec: PathBuf,
}

impl TempDir {
    /// Copies `spec` with an `x-json-schema-faker` object of `options` added
    /// at its root. The specs refer to nothing outside themselves, so the
    /// copy needs no neighbours.
    fn with_spec_copy(spec: &Path, options: &[(String, String)]) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "apigen-prism-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        let dir = TempDir {
            spec: path.join(spec.file_name().expect("the spec path names a file")),
            path,
        };
        let text = std::fs::read_to_string(spec)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", spec.display()));
        assert!(
            !text.contains("x-json-schema-faker"),
            "{} already sets x-json-schema-faker",
            spec.display()
        );
        let copy = if spec.extension().is_some_and(|ext| ext == "json") {
            // A JSON document is an object: add the key first.
            let open = text.find('{').expect("a JSON spec is an object");
            let mut object = String::from("\"x-json-schema-faker\": {");
            for (i, (name, value)) in options.iter().enumerate() {
                let comma = if i == 0 { "" } else { ", " };
                write!(object, "{comma}\"{name}\": {value}").unwrap();
            }
            object.push_str("}, ");
            format!("{}{object}{}", &text[..=open], &text[open + 1..])
        } else {
            // A YAML document is a block mapping: add the key last.
            let mut copy = text;
            if !copy.ends_with('\n') {
                copy.push('\n');
            }
            copy.push_str("x-json-schema-faker:\n");
            for (name, value) in options {
                writeln!(copy, "  {name}: {value}").unwrap();
            }
            copy
        };
        std::fs::write(&dir.spec, copy)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.spec.display()));
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
