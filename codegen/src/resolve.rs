//! Stage 1b, `resolve`: one document out of the files a spec is written in.
//!
//! `$ref`s into other files (`schemas/pet.yaml#/Pet`) are read through a
//! [`Loader`] that the front end provides, so this stage does no I/O itself.
//! Every file referred to is parsed once and embedded in a copy of the root
//! document under [`EMBED_KEY`]`/<key>`, and every reference is rewritten to
//! a local one (`#/x-apigen-files/pet/Pet`), so the later stages read one
//! document whatever the number of files, and cycles across files are plain
//! local cycles. A Swagger 2.0 document is then upgraded to OpenAPI 3.0
//! (see `swagger2`).
//!
//! Nothing is lost for diagnostics: [`Resolved::map_back`] turns a pointer
//! into the combined document back into the file and the JSON pointer in
//! that file (restoring the text of a rewritten `$ref` in the message), and
//! [`Resolved::resolve_positions`] adds the line:column.
//!
//! Remote references (`https://…`, any URL scheme) are refused, never fetched.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Diagnostics, pointer_tokens, push_pointer};
use crate::load::{Format, Source};
use crate::refs::{PointerMap, walk_refs};

/// Reads the files a spec refers to.
///
/// `name` is the path of the file, built from the name of the referring
/// file and the relative path in its `$ref` (`specs/api.yaml` +
/// `schemas/pet.yaml` → `specs/schemas/pet.yaml`), with `/` separators. The
/// result is the file's text, or why it cannot be read (shown to the user).
///
/// Closures `FnMut(&str) -> Result<String, String>` are loaders:
///
/// ```
/// let mut read = |name: &str| std::fs::read_to_string(name).map_err(|e| e.to_string());
/// # let _: &mut dyn apigen::resolve::Loader = &mut read;
/// ```
pub trait Loader {
    /// Returns the text of the file `name`.
    fn load(&mut self, name: &str) -> Result<String, String>;
}

impl<F: FnMut(&str) -> Result<String, String>> Loader for F {
    fn load(&mut self, name: &str) -> Result<String, String> {
        self(name)
    }
}

/// A loader for callers that give a spec as text: every reference to another
/// file is an error saying so.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl Loader for NoFiles {
    fn load(&mut self, _name: &str) -> Result<String, String> {
        Err("no other files can be read when a spec is given as text \
             (use apigen::Builder, the apigen command, or apigen::generate_with)"
            .to_owned())
    }
}

/// The top-level key of the combined document under which the other files
/// are embedded (a different one is chosen if the spec uses this one).
pub const EMBED_KEY: &str = "x-apigen-files";

/// A spec with every file it refers to, as one document.
#[derive(Debug)]
pub struct Resolved<'s> {
    root: &'s Source,
    /// The files referred to, in the order they were found.
    others: Vec<Source>,
    /// Key under [`Self::embed`] of each of `others`.
    keys: Vec<String>,
    /// The combined (and upgraded) document; `None` when it is the root's
    /// own value unchanged (no other files, not Swagger 2.0).
    value: Option<Value>,
    /// The key the other files are embedded under.
    embed: String,
    /// Components of the root replaced by the schema they referred to →
    /// where that schema is embedded.
    hoisted: PointerMap,
    /// Pointers of the upgraded document → pointers of the combined one
    /// (empty unless the spec was Swagger 2.0).
    upgrade: PointerMap,
    /// `$ref` sites (file index, pointer of the `$ref`) already reported:
    /// later stages' reports about them are dropped.
    reported: HashSet<(usize, String)>,
}

impl<'s> Resolved<'s> {
    /// Reads every file `root` refers to (through `loader`), combines them
    /// into one document and upgrades Swagger 2.0. Problems are returned in
    /// terms of the original files; the result is usable even when there
    /// are some (the references concerned are left as they were).
    pub fn resolve(root: &'s Source, loader: &mut dyn Loader) -> (Resolved<'s>, Diagnostics) {
        let mut r = Resolver {
            root,
            others: Vec::new(),
            by_name: HashMap::new(),
            unreadable: HashMap::new(),
            sites: Vec::new(),
            diags: Diagnostics::new(),
            reported: HashSet::new(),
        };
        r.by_name.insert(normalize(&root.name), 0);
        r.load_all(loader);
        let Resolver {
            others,
            sites,
            mut diags,
            reported,
            ..
        } = r;

        let embed = embed_key(&root.value);
        let keys = file_keys(&others);
        let (value, hoisted) = if others.is_empty() && sites.is_empty() {
            (None, PointerMap::default())
        } else {
            let (v, m) = combine(root, &others, &keys, &embed, &sites);
            (Some(v), m)
        };
        let mut resolved = Resolved {
            root,
            others,
            keys,
            value,
            embed,
            hoisted,
            upgrade: PointerMap::default(),
            reported,
        };
        if crate::swagger2::is_swagger2(resolved.value()) {
            let up = crate::swagger2::upgrade(resolved.value(), &root.name, &resolved.embed);
            resolved.value = Some(up.value);
            resolved.upgrade = up.map;
            let mut own = up.diags;
            resolved.map_combined(&mut own);
            diags.extend(own);
        }
        (resolved, diags)
    }

    /// The document to read: the root with every other file embedded,
    /// upgraded to OpenAPI 3 when it was Swagger 2.0.
    pub fn value(&self) -> &Value {
        self.value.as_ref().unwrap_or(&self.root.value)
    }

    /// The name of the root file (the one later stages report against).
    pub fn file(&self) -> &str {
        &self.root.name
    }

    /// Every file read, the root first.
    pub fn files(&self) -> impl Iterator<Item = &Source> {
        std::iter::once(self.root).chain(self.others.iter())
    }

    fn source(&self, i: usize) -> &Source {
        if i == 0 {
            self.root
        } else {
            &self.others[i - 1]
        }
    }

    /// The file (index) and pointer in it that a pointer into the combined,
    /// not yet upgraded document stands for.
    fn original(&self, pointer: &str) -> (usize, String) {
        let pointer = &self.hoisted.map(pointer);
        let mut tokens = pointer_tokens(pointer);
        if tokens.next().as_deref() == Some(self.embed.as_str()) {
            if let Some(key) = tokens.next() {
                if let Some(i) = self.keys.iter().position(|k| *k == key) {
                    let prefix = push_pointer(&push_pointer("", &self.embed), &key);
                    return (i + 1, pointer[prefix.len()..].to_owned());
                }
            }
        }
        (0, pointer.to_owned())
    }

    /// Rewrites diagnostics made against the combined document (before the
    /// upgrade) to name the original files.
    fn map_combined(&self, diags: &mut Diagnostics) {
        for d in diags.items_mut() {
            if d.file == self.root.name && d.position.is_none() {
                let (i, pointer) = self.original(&d.pointer);
                self.retarget(d, i, pointer);
            }
        }
    }

    fn retarget(&self, d: &mut Diagnostic, i: usize, pointer: String) {
        let source = self.source(i);
        if pointer.ends_with("/$ref") {
            if let Some(Value::String(original)) = crate::diag::lookup(&source.value, &pointer) {
                d.message = restore_ref_text(&d.message, original);
            }
        }
        d.file = source.name.clone();
        d.pointer = pointer;
    }

    /// Turns the diagnostics of the later stages (made against
    /// [`Self::value`] and the root's name) into diagnostics about the
    /// original files, and drops those about references already reported.
    pub fn map_back(&self, diags: Diagnostics) -> Diagnostics {
        let mut out = Diagnostics::new();
        for mut d in diags {
            if d.file == self.root.name && d.position.is_none() {
                let (i, pointer) = self.original(&self.upgrade.map(&d.pointer));
                if self.reported.contains(&(i, pointer.clone())) {
                    continue;
                }
                self.retarget(&mut d, i, pointer);
            }
            out.push(d);
        }
        out
    }

    /// Fills in the line:column of every diagnostic, from the file it names.
    pub fn resolve_positions(&self, diags: &mut Diagnostics) {
        for source in self.files() {
            source.resolve_positions(diags);
        }
    }
}

/// A `$ref` to rewrite: where it is, and what it becomes.
struct Site {
    /// Index of the file it is in (0: the root).
    file: usize,
    /// Pointer of the `$ref` value in that file.
    pointer: String,
    /// The file it refers to, and the JSON pointer inside it.
    target: usize,
    fragment: String,
}

struct Resolver<'s> {
    root: &'s Source,
    others: Vec<Source>,
    /// Normalised file name → index (0: the root).
    by_name: HashMap<String, usize>,
    /// Files that could not be read or parsed: normalised name → why not
    /// (`None`: its own errors were reported).
    unreadable: HashMap<String, Option<String>>,
    sites: Vec<Site>,
    diags: Diagnostics,
    reported: HashSet<(usize, String)>,
}

impl Resolver<'_> {
    fn source(&self, i: usize) -> &Source {
        if i == 0 {
            self.root
        } else {
            &self.others[i - 1]
        }
    }

    /// Reads every file reachable from the root, breadth first.
    fn load_all(&mut self, loader: &mut dyn Loader) {
        let mut next = 0;
        // Files are only ever appended, so this visits each one once.
        while next <= self.others.len() {
            let file = next;
            next += 1;
            let mut refs = Vec::new();
            walk_refs(&self.source(file).value, &mut |pointer, r| {
                refs.push((pointer.to_owned(), r.to_owned()));
            });
            for (pointer, r) in refs {
                self.site(file, pointer, &r, loader);
            }
        }
    }

    fn site(&mut self, file: usize, pointer: String, r: &str, loader: &mut dyn Loader) {
        let (path, fragment) = match r.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (r, None),
        };
        let fragment = crate::refs::percent_decode(fragment.unwrap_or(""));
        if path.is_empty() {
            // A local reference: only those of other files need rewriting.
            if file != 0 {
                self.sites.push(Site {
                    file,
                    pointer,
                    target: file,
                    fragment,
                });
            }
            return;
        }
        let from = self.source(file).name.clone();
        if is_remote(path) {
            self.report(
                file,
                pointer,
                format!(
                    "`$ref: {r}` is a remote reference; apigen never fetches documents \
                     (download it and refer to the local copy)"
                ),
            );
            return;
        }
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.report(
                file,
                pointer,
                format!(
                    "`$ref: {r}`: only JSON pointer fragments (`#/…`) are supported, \
                     not anchors"
                ),
            );
            return;
        }
        let name = join(&from, &crate::refs::percent_decode(path));
        let key = normalize(&name);
        let target = match self.by_name.get(&key) {
            Some(&i) => i,
            None => match self.unreadable.get(&key) {
                Some(Some(why)) => {
                    let why = why.clone();
                    self.report(
                        file,
                        pointer,
                        format!("`$ref: {r}`: cannot read `{name}`: {why}"),
                    );
                    return;
                }
                Some(None) => {
                    self.reported.insert((file, pointer));
                    return;
                }
                None => match self.read(&name, &key, loader) {
                    Ok(i) => i,
                    Err(Some(why)) => {
                        self.report(
                            file,
                            pointer,
                            format!("`$ref: {r}`: cannot read `{name}`: {why}"),
                        );
                        return;
                    }
                    Err(None) => {
                        self.reported.insert((file, pointer));
                        return;
                    }
                },
            },
        };
        if crate::diag::lookup(&self.source(target).value, &fragment).is_none() {
            let target_name = self.source(target).name.clone();
            self.report(
                file,
                pointer,
                format!("`$ref: {r}` points to nothing in `{target_name}`"),
            );
            return;
        }
        self.sites.push(Site {
            file,
            pointer,
            target,
            fragment,
        });
    }

    /// Loads and parses one file; `Err(Some(why))` if it cannot be read,
    /// `Err(None)` if it has syntax errors (reported against it).
    fn read(
        &mut self,
        name: &str,
        key: &str,
        loader: &mut dyn Loader,
    ) -> Result<usize, Option<String>> {
        let text = match loader.load(name) {
            Ok(t) => t,
            Err(why) => {
                self.unreadable.insert(key.to_owned(), Some(why.clone()));
                return Err(Some(why));
            }
        };
        let format = Format::detect(name, &text);
        match Source::parse(name, text, format) {
            Ok(source) => {
                self.others.push(source);
                let i = self.others.len();
                self.by_name.insert(key.to_owned(), i);
                Ok(i)
            }
            Err(errors) => {
                self.diags.extend(errors);
                self.unreadable.insert(key.to_owned(), None);
                Err(None)
            }
        }
    }

    fn report(&mut self, file: usize, pointer: String, message: String) {
        let name = self.source(file).name.clone();
        self.diags.error(&name, &pointer, message);
        self.reported.insert((file, pointer));
    }
}

/// The root with the other files embedded and every reference that crosses
/// files (or lives in an embedded file) rewritten to a local one; and where
/// hoisted schemas came from.
///
/// A component schema that is nothing but a reference to another file
/// (`Pet: {$ref: schemas/pet.yaml#/Pet}`, the usual way to split a spec)
/// is replaced by the schema it refers to, and every other reference to
/// that schema (or into it) then points to the component: the type is the
/// component, named after it, instead of an alias of a type named after the
/// other file's pointer.
fn combine(
    root: &Source,
    others: &[Source],
    keys: &[String],
    embed: &str,
    sites: &[Site],
) -> (Value, PointerMap) {
    let embed_ptr = push_pointer("", embed);
    let base = |i: usize| -> String {
        if i == 0 {
            String::new()
        } else {
            push_pointer(&embed_ptr, &keys[i - 1])
        }
    };
    let hoists = hoists(&root.value, sites);
    let mut values: Vec<Value> = std::iter::once(root.value.clone())
        .chain(others.iter().map(|s| s.value.clone()))
        .collect();
    for site in sites {
        let redirect = hoists
            .iter()
            .filter(|h| h.target == site.target && h.site != site.pointer)
            .filter_map(|h| {
                let rest = site.fragment.strip_prefix(&h.fragment)?;
                (rest.is_empty() || rest.starts_with('/')).then(|| h.component.clone() + rest)
            })
            .next();
        let pointer = redirect.unwrap_or_else(|| base(site.target) + &site.fragment);
        if let Some(v) = values[site.file].pointer_mut(&site.pointer) {
            *v = Value::String(format!("#{}", encode_fragment(&pointer)));
        }
    }
    let mut map = PointerMap::default();
    for h in &hoists {
        let schema = crate::diag::lookup(&values[h.target], &h.fragment).cloned();
        if let (Some(schema), Some(slot)) = (schema, values[0].pointer_mut(&h.component)) {
            *slot = schema;
            map.add(&h.component, &(base(h.target) + &h.fragment));
        }
    }
    let mut rest = values.split_off(1);
    let mut combined = values.pop().unwrap_or(Value::Null);
    if !rest.is_empty() {
        if let Value::Object(obj) = &mut combined {
            let mut files = Map::new();
            for (key, v) in keys.iter().zip(rest.drain(..)) {
                files.insert(key.clone(), v);
            }
            obj.insert(embed.to_owned(), Value::Object(files));
        }
    }
    (combined, map)
}

/// A component schema of the root that takes the place of the schema in
/// another file it only refers to.
struct Hoist {
    /// Pointer of the component (`/components/schemas/Pet`).
    component: String,
    /// Pointer of its `$ref`.
    site: String,
    /// The schema: file and pointer.
    target: usize,
    fragment: String,
}

/// The components (3.x `components.schemas`, 2.0 `definitions`) that are a
/// bare `$ref` to another file; the first by name wins when several refer
/// to the same schema (the others become its aliases).
fn hoists(root: &Value, sites: &[Site]) -> Vec<Hoist> {
    let mut found: Vec<Hoist> = sites
        .iter()
        .filter(|s| s.file == 0 && s.target != 0)
        .filter_map(|s| {
            let component = s.pointer.strip_suffix("/$ref")?;
            let tokens: Vec<String> = pointer_tokens(component).collect();
            let is_component = matches!(
                tokens
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                ["components", "schemas", _] | ["definitions", _]
            );
            let bare = crate::diag::lookup(root, component)
                .and_then(Value::as_object)
                .is_some_and(|o| o.len() == 1);
            (is_component && bare).then(|| Hoist {
                component: component.to_owned(),
                site: s.pointer.clone(),
                target: s.target,
                fragment: s.fragment.clone(),
            })
        })
        .collect();
    found.sort_by(|a, b| a.component.cmp(&b.component));
    let mut seen = HashSet::new();
    found.retain(|h| seen.insert((h.target, h.fragment.clone())));
    found
}

/// A key under [`EMBED_KEY`] for every other file: its stem (which later
/// names the type of a whole-file schema), numbered when two files share
/// one. Keys are given in the order of the files' names, so they do not
/// depend on where in the spec a file was first referred to.
fn file_keys(others: &[Source]) -> Vec<String> {
    let mut order: Vec<usize> = (0..others.len()).collect();
    order.sort_by(|&a, &b| others[a].name.cmp(&others[b].name));
    let mut keys = vec![String::new(); others.len()];
    let mut taken = BTreeSet::new();
    for i in order {
        let stem = file_stem(&others[i].name);
        let mut key = stem.clone();
        let mut n = 2;
        while !taken.insert(key.clone()) {
            key = format!("{stem}_{n}");
            n += 1;
        }
        keys[i] = key;
    }
    keys
}

fn file_stem(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match file.rfind('.') {
        Some(i) if i > 0 => &file[..i],
        _ => file,
    };
    if stem.is_empty() {
        "file".to_owned()
    } else {
        stem.to_owned()
    }
}

fn embed_key(root: &Value) -> String {
    let mut key = EMBED_KEY.to_owned();
    let mut n = 2;
    while root.get(&key).is_some() {
        key = format!("{EMBED_KEY}-{n}");
        n += 1;
    }
    key
}

/// A JSON pointer as a URI fragment: `%` is the only character that would
/// be read differently (fragments are percent-decoded).
fn encode_fragment(pointer: &str) -> String {
    pointer.replace('%', "%25")
}

/// Puts the text of the `$ref` as written back into a message that quotes
/// the rewritten one (`` `$ref: #/x-apigen-files/pet/Nope` `` →
/// `` `$ref: pet.yaml#/Nope` ``).
fn restore_ref_text(message: &str, original: &str) -> String {
    const OPEN: &str = "`$ref: ";
    let Some(start) = message.find(OPEN) else {
        return message.to_owned();
    };
    let from = start + OPEN.len();
    let Some(len) = message[from..].find('`') else {
        return message.to_owned();
    };
    format!("{}{original}{}", &message[..from], &message[from + len..])
}

/// Whether a reference names a document elsewhere than on this machine: a
/// URL with a scheme (`https:`, `file:`, …; one letter is a Windows drive)
/// or a network path (`//host/…`).
fn is_remote(path: &str) -> bool {
    if path.starts_with("//") {
        return true;
    }
    match path.find(':') {
        Some(i) if i >= 2 => {
            let scheme = &path[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// The name of the file `rel` names, relative to the file `from`.
fn join(from: &str, rel: &str) -> String {
    if rel.starts_with(['/', '\\']) || rel.get(1..2) == Some(":") {
        return normalize(rel);
    }
    let dir = match from.rfind(['/', '\\']) {
        Some(i) => &from[..=i],
        None => "",
    };
    normalize(&format!("{dir}{rel}"))
}

/// `a/./b/../c` → `a/c`, with `/` separators; leading `..` are kept.
fn normalize(path: &str) -> String {
    let absolute = path.starts_with(['/', '\\']);
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> impl FnMut(&str) -> Result<String, String> {
        let map: HashMap<String, String> = list
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        move |name: &str| {
            map.get(name)
                .cloned()
                .ok_or_else(|| "No such file or directory".to_owned())
        }
    }

    #[test]
    fn names_are_joined_and_normalised() {
        assert_eq!(
            join("specs/api.yaml", "schemas/pet.yaml"),
            "specs/schemas/pet.yaml"
        );
        assert_eq!(join("specs/a/api.yaml", "../b.json"), "specs/b.json");
        assert_eq!(join("api.yaml", "./b.json"), "b.json");
        assert_eq!(join("api.yaml", "../b.json"), "../b.json");
        assert_eq!(join("/x/api.yaml", "/y/b.json"), "/y/b.json");
        assert_eq!(join("C:\\x\\api.yaml", "b.json"), "C:/x/b.json");
    }

    #[test]
    fn remote_references_are_recognised() {
        for r in [
            "https://x.io/a.yaml",
            "http://x",
            "file:///a.yaml",
            "urn:x:y",
            "//host/a",
        ] {
            assert!(is_remote(r), "{r}");
        }
        for r in ["a.yaml", "C:/a.yaml", "dir/a:b.yaml", "../a.json"] {
            assert!(!is_remote(r), "{r}");
        }
    }

    #[test]
    fn pointer_maps_use_the_longest_prefix() {
        let mut m = PointerMap::default();
        m.add("/components/schemas", "/definitions");
        m.add("/paths/~1a/get/parameters/0", "/paths/~1a/get/parameters/2");
        m.add(
            "/paths/~1a/get/parameters/0/schema",
            "/paths/~1a/get/parameters/2",
        );
        assert_eq!(
            m.map("/components/schemas/Pet/type"),
            "/definitions/Pet/type"
        );
        assert_eq!(m.map("/components/schemasX"), "/components/schemasX");
        assert_eq!(
            m.map("/paths/~1a/get/parameters/0/schema/items"),
            "/paths/~1a/get/parameters/2/items"
        );
        assert_eq!(
            m.map("/paths/~1a/get/parameters/0/name"),
            "/paths/~1a/get/parameters/2/name"
        );
        assert_eq!(m.map("/info"), "/info");
    }

    #[test]
    fn references_in_data_and_extensions_are_not_followed() {
        let v = serde_json::json!({
            "a": {"$ref": "x.yaml"},
            "example": {"$ref": "no.yaml"},
            "x-ext": {"$ref": "no.yaml"},
            "properties": {"default": {"$ref": "y.yaml"}, "enum": {"$ref": "z.yaml"}},
            "responses": {"default": {"$ref": "r.yaml"}},
            "s": {"default": {"$ref": "no.yaml"}}
        });
        let mut found = Vec::new();
        walk_refs(&v, &mut |p, r| found.push(format!("{p} {r}")));
        assert_eq!(
            found,
            [
                "/a/$ref x.yaml",
                "/properties/default/$ref y.yaml",
                "/properties/enum/$ref z.yaml",
                "/responses/default/$ref r.yaml"
            ]
        );
    }

    #[test]
    fn files_are_embedded_and_references_rewritten() {
        let root = Source::parse(
            "specs/api.yaml",
            "openapi: 3.1.0\nx: {$ref: 'schemas/pet.yaml#/Pet'}\ny: {$ref: schemas/pet.yaml}\n"
                .into(),
            Format::Yaml,
        )
        .unwrap();
        let mut loader = files(&[(
            "specs/schemas/pet.yaml",
            "Pet: {properties: {o: {$ref: '#/Owner'}, b: {$ref: '../api.yaml#/x'}}}\nOwner: {}\n",
        )]);
        let (r, diags) = Resolved::resolve(&root, &mut loader);
        assert!(diags.is_empty(), "{diags}");
        let v = r.value();
        assert_eq!(v["x"]["$ref"], "#/x-apigen-files/pet/Pet");
        assert_eq!(v["y"]["$ref"], "#/x-apigen-files/pet");
        let pet = &v["x-apigen-files"]["pet"]["Pet"]["properties"];
        assert_eq!(pet["o"]["$ref"], "#/x-apigen-files/pet/Owner");
        assert_eq!(pet["b"]["$ref"], "#/x");
        assert_eq!(r.files().count(), 2);
    }

    #[test]
    fn problems_name_the_file_they_are_in() {
        let root = Source::parse(
            "api.json",
            r#"{"a": {"$ref": "https://x.io/p.yaml"}, "b": {"$ref": "gone.yaml"},
                "c": {"$ref": "p.yaml#/Nope"}, "d": {"$ref": "p.yaml#Pet"}}"#
                .into(),
            Format::Json,
        )
        .unwrap();
        let mut loader = files(&[("p.yaml", "Pet: {}\n")]);
        let (_, diags) = Resolved::resolve(&root, &mut loader);
        let lines: Vec<String> = diags
            .iter()
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("/a/$ref `$ref: https://x.io/p.yaml` is a remote reference"));
        assert!(
            lines[1].contains("cannot read `gone.yaml`: No such file"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].contains("points to nothing in `p.yaml`"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].contains("only JSON pointer fragments"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn ref_text_is_restored_in_messages() {
        assert_eq!(
            restore_ref_text(
                "`$ref: #/x-apigen-files/p/N` points to nothing",
                "p.yaml#/N"
            ),
            "`$ref: p.yaml#/N` points to nothing"
        );
        assert_eq!(restore_ref_text("no ref here", "x"), "no ref here");
    }
}
