//! [`EmitOptions`], the settings every stage from `select` to `render`
//! reads (below all of them), the checks of those given as text (derives,
//! attributes) done when they are set, and their application to the
//! rendered file.

use std::fmt;

/// Settings that change the generated code, shared by [`Builder`] and the
/// CLI.
///
/// [`Builder`]: crate::Builder
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Rust path of the runtime crate, e.g. `::apigen_runtime`; set with
    /// [`set_runtime`](Self::set_runtime), which checks it (generation
    /// fails if it is not a path).
    pub runtime: String,
    /// Keep only operations with one of these tags (with
    /// [`only_operations`](Self::only_operations): operations matching
    /// either). Empty keeps every operation. With a filter, only the
    /// component schemas the kept operations reach are generated (see
    /// [`keep_schemas`](Self::keep_schemas)).
    pub only_tags: Vec<String>,
    /// Keep only operations with one of these `operationId`s (see
    /// [`only_tags`](Self::only_tags)).
    pub only_operations: Vec<String>,
    /// Component schemas generated even when no kept operation reaches
    /// them (with what they reach), when operations are filtered.
    pub keep_schemas: Vec<String>,
    /// Generate every component schema even when operations are filtered.
    pub keep_all_schemas: bool,
    /// Derives added to every struct and enum of the `types` module; set
    /// with [`add_derive`](Self::add_derive), which checks them.
    pub extra_derives: Vec<String>,
    /// Outer attributes added to a generated type: (Rust type name,
    /// attributes); set with [`add_type_attribute`](Self::add_type_attribute),
    /// which checks them.
    pub type_attributes: Vec<(String, String)>,
    /// What deserializing does with object keys a struct has no field for.
    pub unknown_fields: UnknownFields,
    /// What deserializing does when a required field is absent.
    pub missing_fields: MissingFields,
    /// Component schemas replaced by existing Rust types: (schema name,
    /// Rust path); set with [`replace_type`](Self::replace_type), which
    /// checks the path. No type is generated for them.
    pub type_replacements: Vec<(String, String)>,
    /// The Rust type of `date-time` and `date` strings.
    pub date_time: DateTimeRepr,
    /// Put each tag's operations, and the types only they use, behind a
    /// Cargo feature named after the tag (see [`crate::TagFeature`]; the
    /// features are listed in [`crate::Generated::features`]). The crate
    /// including the code must declare them; `apigen crate` does.
    pub tag_features: bool,
    /// Pagination set for operations: (operation, how), the operation
    /// named by its `operationId` or as `METHOD /path`. It replaces what
    /// the document declares or its conventions suggest; an operation it
    /// does not fit is an error.
    pub paginate: Vec<(String, crate::Paginate)>,
    /// Append `#[cfg(test)] mod example_tests` to the generated module:
    /// one `#[test]` per example the description documents (of JSON
    /// request bodies, of JSON responses, of component schemas; see
    /// [`crate::examples`]), named after what it documents
    /// (`response_list_pets_200_example_2`, `schema_pet`), its doc the
    /// example's JSON pointer. Off by default.
    ///
    /// Each test decodes the example into its generated type the way the
    /// client decodes a response, encodes it again and compares the JSON
    /// (as values). It fails, naming the example's pointer and the first
    /// difference, when the example does not decode or when a value it
    /// gives is written back differently, with these exceptions, each a
    /// limit of the generated code rather than a fault of the example:
    ///
    /// - a key the schema does not declare, in an object read into a struct
    ///   that keeps no extra keys, may be dropped (with
    ///   [`UnknownFields::Ignore`]; with `Deny` the example fails to
    ///   decode, as the client would fail on such a response);
    /// - a number of a `format: float` (`f32`) field may come back rounded
    ///   to single precision;
    /// - a date, date-time ([`DateTimeRepr`] other than `String`) or base64
    ///   string may come back spelled another way (it must still decode);
    /// - an example that is not an object where a schema with `properties`
    ///   and no `type` is expected (JSON Schema accepts it, the generated
    ///   struct does not) gets an `#[ignore]`d test saying so.
    ///
    /// Where an untagged union's alternative cannot be told from the
    /// generator, the exceptions of every alternative apply; a value
    /// matching no alternative is kept whole by the union and so passes.
    /// A test of an operation or type behind a tag feature
    /// ([`tag_features`](Self::tag_features)) has the same `#[cfg]`. The
    /// tests use only `apigen-runtime`.
    pub example_tests: bool,
    /// Names recorded by an earlier generation (a names file, see
    /// [`crate::names_file`]): each is kept while what it names still
    /// exists, before any other name is chosen. `None`: names are chosen
    /// from the spec alone.
    pub names: Option<crate::Names>,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: "::apigen_runtime".into(),
            only_tags: Vec::new(),
            only_operations: Vec::new(),
            keep_schemas: Vec::new(),
            keep_all_schemas: false,
            extra_derives: Vec::new(),
            type_attributes: Vec::new(),
            unknown_fields: UnknownFields::Ignore,
            missing_fields: MissingFields::Error,
            type_replacements: Vec::new(),
            date_time: DateTimeRepr::String,
            tag_features: false,
            paginate: Vec::new(),
            example_tests: false,
            names: None,
        }
    }
}

/// What deserializing a generated struct does with object keys it has no
/// field for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UnknownFields {
    /// Skip them (the default, and what JSON Schema allows unless
    /// `additionalProperties: false`).
    #[default]
    Ignore,
    /// Fail with an error naming the key (`#[serde(deny_unknown_fields)]`).
    /// Structs that keep extra keys in a map are left alone: serde does not
    /// allow `deny_unknown_fields` together with `flatten`, and they accept
    /// every key anyway.
    Deny,
}

/// What deserializing a generated struct does when a field the schema
/// lists in `required` is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MissingFields {
    /// Fail with `missing field` (the default): the description says the
    /// server always sends it.
    #[default]
    Error,
    /// Decode it as its type's `Default` (`""`, `0`, `false`, an empty list,
    /// `None` for a nullable field, a struct's or enum's own default) when
    /// the type has one; fields whose type has none stay required. For
    /// servers that lag their description (older deployments, enterprise
    /// versions). The price: an absent field cannot be told from a real
    /// default, and writing such a value back sends the default.
    Default,
}

/// The Rust type of `string` schemas with `format: date-time` (RFC 3339)
/// and `format: date` (`2024-02-29`).
///
/// `Chrono` and `Time` need the runtime feature of the same name
/// (`apigen-runtime = { version = "…", features = ["chrono"] }`); `apigen
/// crate` enables it. Dates in parameters are sent in their RFC 3339 form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DateTimeRepr {
    /// `String`, the text as sent (the default: nothing is parsed, and
    /// nothing can be lost).
    #[default]
    String,
    /// `chrono::DateTime<chrono::FixedOffset>` and `chrono::NaiveDate`,
    /// through `apigen_runtime::chrono`. The offset is kept as sent, so a
    /// value read and written back names the same instant in the same zone.
    Chrono,
    /// `apigen_runtime::rfc3339::OffsetDateTime` and
    /// `apigen_runtime::rfc3339::Date`: `time::OffsetDateTime` and
    /// `time::Date` (they deref to them and convert with `From`) that read
    /// and write RFC 3339 text, which `time`'s own serde forms do not.
    Time,
}

impl DateTimeRepr {
    /// The name used on the command line: `string`, `chrono` or `time`.
    pub fn name(self) -> &'static str {
        match self {
            DateTimeRepr::String => "string",
            DateTimeRepr::Chrono => "chrono",
            DateTimeRepr::Time => "time",
        }
    }

    /// The runtime feature the representation needs, if any.
    pub fn runtime_feature(self) -> Option<&'static str> {
        match self {
            DateTimeRepr::String => None,
            DateTimeRepr::Chrono => Some("chrono"),
            DateTimeRepr::Time => Some("time"),
        }
    }
}

impl std::str::FromStr for DateTimeRepr {
    type Err = OptionError;

    fn from_str(s: &str) -> Result<Self, OptionError> {
        match s.trim() {
            "string" | "String" => Ok(DateTimeRepr::String),
            "chrono" => Ok(DateTimeRepr::Chrono),
            "time" => Ok(DateTimeRepr::Time),
            other => Err(OptionError::DateTime {
                given: other.to_owned(),
            }),
        }
    }
}

/// An option value that cannot be used, reported when it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionError {
    /// An extra derive is not a Rust path (`Hash`, `serde::Serialize`).
    Derive {
        /// The derive as given.
        derive: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A type attribute does not parse as one or more outer attributes
    /// (`#[non_exhaustive]`).
    Attribute {
        /// The attribute as given.
        attribute: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A replacement type is not a Rust path (`rust_decimal::Decimal`).
    Replacement {
        /// The path as given.
        path: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A type name (for a type attribute) is not a Rust identifier.
    TypeName {
        /// The name as given.
        name: String,
    },
    /// A date-time representation other than `string`, `chrono` or `time`.
    DateTime {
        /// The representation as given.
        given: String,
    },
    /// The runtime crate's path is not a Rust path without generic
    /// arguments (`::apigen_runtime`, `crate::rt`).
    Runtime {
        /// The path as given.
        path: String,
        /// Why it does not parse.
        reason: String,
    },
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionError::Derive { derive, reason } => {
                write!(f, "apigen: derive `{derive}` is not a Rust path: {reason}")
            }
            OptionError::Attribute { attribute, reason } => write!(
                f,
                "apigen: `{attribute}` is not an outer attribute like `#[non_exhaustive]`: {reason}"
            ),
            OptionError::Replacement { path, reason } => {
                write!(
                    f,
                    "apigen: replacement type `{path}` is not a Rust path: {reason}"
                )
            }
            OptionError::TypeName { name } => {
                write!(f, "apigen: type name `{name}` is not a Rust identifier")
            }
            OptionError::DateTime { given } => write!(
                f,
                "apigen: date-time representation `{given}` is not one of `string`, `chrono`, `time`"
            ),
            OptionError::Runtime { path, reason } => write!(
                f,
                "apigen: runtime crate path `{path}` is not a Rust path like `::apigen_runtime`: {reason}"
            ),
        }
    }
}

impl std::error::Error for OptionError {}

fn parse_derive(derive: &str) -> Result<syn::Path, OptionError> {
    use syn::parse::Parser as _;
    // Mod style: a derive path has no generic arguments.
    syn::Path::parse_mod_style
        .parse_str(derive)
        .map_err(|e| OptionError::Derive {
            derive: derive.to_owned(),
            reason: e.to_string(),
        })
}

/// A path naming a type (`rust_decimal::Decimal`, `crate::Money`): a Rust
/// path that does not end in `crate`, `self` or `super`, which name modules.
pub(crate) fn parse_type_path(path: &str) -> Result<syn::Path, String> {
    let parsed = syn::parse_str::<syn::Path>(path).map_err(|e| e.to_string())?;
    match parsed.segments.last() {
        Some(last) if ["crate", "self", "super"].iter().any(|m| last.ident == m) => {
            Err(format!("`{}` names a module, not a type", last.ident))
        }
        _ => Ok(parsed),
    }
}

/// The runtime crate's path (`::apigen_runtime`, `crate::rt`).
pub(crate) fn parse_runtime(path: &str) -> Result<syn::Path, OptionError> {
    use syn::parse::Parser as _;
    syn::Path::parse_mod_style
        .parse_str(path)
        .map_err(|e| OptionError::Runtime {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}

fn parse_attribute(attribute: &str) -> Result<Vec<syn::Attribute>, OptionError> {
    use syn::parse::Parser as _;
    let attrs = syn::Attribute::parse_outer
        .parse_str(attribute)
        .map_err(|e| OptionError::Attribute {
            attribute: attribute.to_owned(),
            reason: e.to_string(),
        })?;
    if attrs.is_empty() {
        return Err(OptionError::Attribute {
            attribute: attribute.to_owned(),
            reason: "no attribute given".to_owned(),
        });
    }
    Ok(attrs)
}

fn parse_type_name(name: &str) -> Result<syn::Ident, OptionError> {
    syn::parse_str::<syn::Ident>(name).map_err(|_| OptionError::TypeName {
        name: name.to_owned(),
    })
}

impl EmitOptions {
    /// Sets the Rust path of the runtime crate in generated code (default
    /// `::apigen_runtime`), for crates that re-export it under another name
    /// (`crate::rt`). Fails unless `path` is a Rust path without generic
    /// arguments.
    pub fn set_runtime(&mut self, path: &str) -> Result<(), OptionError> {
        parse_runtime(path)?;
        self.runtime = path.trim().to_owned();
        Ok(())
    }

    /// Adds a derive to every struct and enum of the generated `types`
    /// module (a derive a type already has is not repeated). Fails unless
    /// `derive` is a Rust path.
    pub fn add_derive(&mut self, derive: &str) -> Result<(), OptionError> {
        parse_derive(derive)?;
        self.extra_derives.push(derive.trim().to_owned());
        Ok(())
    }

    /// Replaces the component schema `schema_name` (its name in the spec)
    /// by the existing Rust type `path`: references use `path`, and no type
    /// is generated for it. Fails unless `path` is a Rust path.
    pub fn replace_type(&mut self, schema_name: &str, path: &str) -> Result<(), OptionError> {
        parse_type_path(path).map_err(|reason| OptionError::Replacement {
            path: path.to_owned(),
            reason,
        })?;
        self.type_replacements
            .push((schema_name.to_owned(), path.trim().to_owned()));
        Ok(())
    }

    /// Adds outer attributes (`#[non_exhaustive]`) to the generated type
    /// named `type_name` (its Rust name). Fails unless `type_name` is an
    /// identifier and `attribute` parses as outer attributes.
    pub fn add_type_attribute(
        &mut self,
        type_name: &str,
        attribute: &str,
    ) -> Result<(), OptionError> {
        parse_type_name(type_name)?;
        parse_attribute(attribute)?;
        self.type_attributes
            .push((type_name.trim().to_owned(), attribute.to_owned()));
        Ok(())
    }
}

/// The extra derives and type attributes of [`EmitOptions`], parsed once
/// for every file or chunk they are applied to.
pub(crate) struct Passes<'o> {
    derives: Vec<syn::Path>,
    /// (type name, its attributes, checked to parse).
    attributes: Vec<(syn::Ident, &'o str)>,
}

impl<'o> Passes<'o> {
    /// Parses the derives and type attributes of `opts`; fails if one does
    /// not parse (only possible when they were set without the checking
    /// `add_` methods).
    pub(crate) fn new(opts: &'o EmitOptions) -> Result<Self, String> {
        let derives = opts
            .extra_derives
            .iter()
            .map(|d| parse_derive(d))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let mut attributes = Vec::new();
        for (name, attr) in &opts.type_attributes {
            let ident = parse_type_name(name).map_err(|e| e.to_string())?;
            parse_attribute(attr).map_err(|e| e.to_string())?;
            attributes.push((ident, attr.as_str()));
        }
        Ok(Passes {
            derives,
            attributes,
        })
    }

    /// Applies the extra derives and type attributes to `file`. Returns,
    /// for each of `opts.type_attributes`, whether a type of `file` has its
    /// name (see [`unmatched`]).
    pub(crate) fn apply(&self, file: &mut syn::File) -> Vec<bool> {
        let mut used = vec![false; self.attributes.len()];
        if !self.derives.is_empty() || !self.attributes.is_empty() {
            visit(&mut file.items, false, self, &mut used);
        }
        used
    }
}

/// The type names of `opts.type_attributes` that no generated type has,
/// given which of them [`Passes::apply`] matched (in one file, or in any
/// chunk of one).
pub(crate) fn unmatched(opts: &EmitOptions, used: &[bool]) -> Vec<String> {
    opts.type_attributes
        .iter()
        .enumerate()
        .filter(|&(i, _)| !used.get(i).copied().unwrap_or(false))
        .map(|(_, (name, _))| name.clone())
        .collect()
}

fn visit(items: &mut [syn::Item], in_types: bool, passes: &Passes<'_>, used: &mut [bool]) {
    for item in items {
        // Type aliases take attributes but cannot derive.
        let (ident, item_attrs, derivable) = match item {
            syn::Item::Struct(s) => (s.ident.clone(), &mut s.attrs, true),
            syn::Item::Enum(e) => (e.ident.clone(), &mut e.attrs, true),
            syn::Item::Type(t) => (t.ident.clone(), &mut t.attrs, false),
            syn::Item::Mod(m) => {
                let is_types = m.ident == "types";
                if let Some((_, content)) = &mut m.content {
                    visit(content, is_types, passes, used);
                }
                continue;
            }
            _ => continue,
        };
        if in_types && derivable {
            add_derives(item_attrs, &passes.derives);
        }
        for ((name, extra), used) in passes.attributes.iter().zip(used.iter_mut()) {
            if *name == ident {
                // `syn::Attribute` is not `Clone` here: parse again.
                if let Ok(extra) = parse_attribute(extra) {
                    item_attrs.extend(extra);
                }
                *used = true;
            }
        }
    }
}

/// Adds the derives `attrs` does not have yet, as one more `#[derive]`.
fn add_derives(attrs: &mut Vec<syn::Attribute>, derives: &[syn::Path]) {
    let mut present: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            present.push(last_segment(&meta.path));
            Ok(())
        });
    }
    let missing: Vec<&syn::Path> = derives
        .iter()
        .filter(|d| !present.contains(&last_segment(d)))
        .collect();
    if !missing.is_empty() {
        attrs.push(syn::parse_quote!(#[derive(#(#missing),*)]));
    }
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Builder;

    #[test]
    fn a_derive_must_be_a_path() {
        let mut opts = EmitOptions::default();
        assert!(opts.add_derive("Hash").is_ok());
        assert!(opts.add_derive("serde_with::SerializeDisplay").is_ok());
        for bad in ["", "Hash, Eq", "#[derive(Hash)]", "1x", "Vec<u8>"] {
            let err = opts.add_derive(bad).unwrap_err();
            assert!(matches!(err, OptionError::Derive { .. }), "{bad}: {err:?}");
            assert!(err.to_string().contains("is not a Rust path"), "{err}");
        }
        assert_eq!(opts.extra_derives, ["Hash", "serde_with::SerializeDisplay"]);
    }

    #[test]
    fn a_type_attribute_must_parse_and_name_an_identifier() {
        let mut opts = EmitOptions::default();
        assert!(opts.add_type_attribute("Pet", "#[non_exhaustive]").is_ok());
        assert!(
            opts.add_type_attribute("Pet", "#[doc(hidden)] #[must_use]")
                .is_ok()
        );
        for bad in ["non_exhaustive", "", "#[", "#![no_std]", "#[a] fn f() {}"] {
            let err = opts.add_type_attribute("Pet", bad).unwrap_err();
            assert!(
                matches!(err, OptionError::Attribute { .. }),
                "{bad}: {err:?}"
            );
        }
        for bad in ["", "pet store", "types::Pet", "1Pet"] {
            let err = opts
                .add_type_attribute(bad, "#[non_exhaustive]")
                .unwrap_err();
            assert_eq!(err, OptionError::TypeName { name: bad.into() });
        }
        assert_eq!(opts.type_attributes.len(), 2);
    }

    #[test]
    fn builder_setters_fail_when_set() {
        let err = Builder::new().extra_derive("Hash Eq").unwrap_err();
        assert!(matches!(err, OptionError::Derive { .. }));
        let err = Builder::new()
            .type_attribute("Pet", "non_exhaustive")
            .unwrap_err();
        assert!(matches!(err, OptionError::Attribute { .. }));
        let _: &dyn std::error::Error = &err;
    }

    #[test]
    fn an_attribute_for_a_type_that_does_not_exist_is_a_warning() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
                    components:\n  schemas:\n    Pet: {type: object, properties: {n: {type: string}}}\n";
        let mut opts = EmitOptions::default();
        opts.add_type_attribute("Pets", "#[non_exhaustive]")
            .unwrap();
        opts.add_derive("Hash").unwrap();
        let generated = crate::generate("api.yaml", spec.into(), crate::Format::Yaml, &opts)
            .unwrap_or_else(|e| panic!("{e}"));
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("no generated type is named `Pets`"),
            "{warnings:?}"
        );
        assert!(
            generated
                .code
                .contains("#[derive(Hash)]\n    pub struct Pet"),
            "{}",
            generated.code
        );
    }

    #[test]
    fn a_replacement_must_be_a_path_and_name_a_schema() {
        let mut opts = EmitOptions::default();
        for bad in ["", "rust decimal", "#[x]", "a::", "crate", "a::self"] {
            let err = opts.replace_type("Money", bad).unwrap_err();
            assert!(
                matches!(err, OptionError::Replacement { .. }),
                "{bad}: {err:?}"
            );
        }
        let err = Builder::new().replace_type("Money", "1x").unwrap_err();
        assert!(err.to_string().contains("is not a Rust path"), "{err}");
        opts.replace_type("Monies", "rust_decimal::Decimal")
            .unwrap();
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
                    components:\n  schemas:\n    Money: {type: string}\n    \
                    Ip: {type: string, x-rust-type: 'not a path'}\n    \
                    Dir: {type: string, x-rust-type: 'super'}\n";
        let generated = crate::generate("api.yaml", spec.into(), crate::Format::Yaml, &opts)
            .unwrap_or_else(|e| panic!("{e}"));
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("no component schema is named `Monies`")),
            "{warnings:?}"
        );
        for schema in ["Ip", "Dir"] {
            assert!(
                warnings.iter().any(|w| w
                    .contains("`x-rust-type` must be the Rust path of a type")
                    && w.contains(&format!("#/components/schemas/{schema}/x-rust-type"))),
                "{warnings:?}"
            );
        }
        // An invalid `x-rust-type` is ignored: the type is generated.
        assert!(
            generated.code.contains("pub type Ip = String;"),
            "{}",
            generated.code
        );
    }
}
