//! What changed for callers between two versions of generated code, and
//! the SemVer bump it needs.
//!
//! This reads the generated Rust, not the descriptions (see
//! [`surface`]): the public types with their fields, variants, derives and
//! trait impls, the public methods with their arguments and results, and the
//! constraints generated code checks before sending. Each change is
//! classified by the Cargo book's [SemVer compatibility] chapter, whose
//! section it cites: a new field of a struct whose fields are all public is
//! major (a struct literal naming every field no longer compiles), a new
//! variant of an exhaustive enum is major (so is a new documented error
//! response, which is one), a new type or method is minor. Behaviour the
//! compiler does not see is classified too: a constraint that refuses values
//! accepted before, or a field read and written under another JSON key, is
//! major; a looser constraint or an operation sent to another path is a
//! patch.
//!
//! [SemVer compatibility]: https://doc.rust-lang.org/cargo/reference/semver.html

use std::fmt::Write as _;

mod compare;
pub mod surface;

/// How large a change is, by SemVer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a caller can see changed (the code may still differ, as in
    /// documentation).
    None,
    /// Compatible, no new API: a bug fix, looser checks.
    Patch,
    /// Compatible additions: new types, methods, trait impls; deprecations.
    Minor,
    /// Breaks some caller: removals, type changes, new fields of exhaustive
    /// structs, new variants of exhaustive enums, tighter checks.
    Major,
}

impl Level {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "patch" => Ok(Level::Patch),
            "minor" => Ok(Level::Minor),
            "major" | "breaking" => Ok(Level::Major),
            other => Err(format!(
                "`{other}` is not a level (patch, minor or major/breaking)"
            )),
        }
    }
}

/// What kind of change one [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum ChangeKind {
    TypeAdded,
    TypeRemoved,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldTypeChanged,
    FieldRequired,
    FieldOptional,
    WireNameChanged,
    VariantAdded,
    VariantRemoved,
    VariantChanged,
    MethodAdded,
    MethodRemoved,
    MethodRenamed,
    ArgumentAdded,
    ArgumentRemoved,
    ArgumentRenamed,
    ArgumentTypeChanged,
    ReturnTypeChanged,
    EndpointChanged,
    TraitAdded,
    TraitRemoved,
    Deprecated,
    Undeprecated,
    ConstraintTightened,
    ConstraintLoosened,
    CfgChanged,
}

impl ChangeKind {
    /// The kind in `snake_case`, as `--format json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::TypeAdded => "type_added",
            ChangeKind::TypeRemoved => "type_removed",
            ChangeKind::TypeChanged => "type_changed",
            ChangeKind::FieldAdded => "field_added",
            ChangeKind::FieldRemoved => "field_removed",
            ChangeKind::FieldTypeChanged => "field_type_changed",
            ChangeKind::FieldRequired => "field_made_required",
            ChangeKind::FieldOptional => "field_made_optional",
            ChangeKind::WireNameChanged => "wire_name_changed",
            ChangeKind::VariantAdded => "variant_added",
            ChangeKind::VariantRemoved => "variant_removed",
            ChangeKind::VariantChanged => "variant_changed",
            ChangeKind::MethodAdded => "method_added",
            ChangeKind::MethodRemoved => "method_removed",
            ChangeKind::MethodRenamed => "method_renamed",
            ChangeKind::ArgumentAdded => "argument_added",
            ChangeKind::ArgumentRemoved => "argument_removed",
            ChangeKind::ArgumentRenamed => "argument_renamed",
            ChangeKind::ArgumentTypeChanged => "argument_changed",
            ChangeKind::ReturnTypeChanged => "return_type_changed",
            ChangeKind::EndpointChanged => "endpoint_changed",
            ChangeKind::TraitAdded => "trait_added",
            ChangeKind::TraitRemoved => "trait_removed",
            ChangeKind::Deprecated => "deprecated",
            ChangeKind::Undeprecated => "undeprecated",
            ChangeKind::ConstraintTightened => "constraint_tightened",
            ChangeKind::ConstraintLoosened => "constraint_loosened",
            ChangeKind::CfgChanged => "cfg_changed",
        }
    }
}

/// One change a caller of the generated code sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The item, from the generated module's root (`types::Pet`,
    /// `Client::list_pets`).
    pub item: String,
    /// What changed.
    pub kind: ChangeKind,
    /// How large a change it is.
    pub level: Level,
    /// In words, with the old and new types.
    pub detail: String,
    /// The section of the Cargo book's SemVer chapter that classifies it.
    pub rule: Option<String>,
}

/// Every change between two versions of generated code.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The changes, by item.
    pub changes: Vec<Change>,
    /// Whether the code differs at all (it can without any change to its
    /// API: documentation, a fixed request).
    pub code_differs: bool,
}

/// Compares two versions of one generated module (the text `apigen
/// generate` writes).
pub fn diff_code(old: &str, new: &str) -> Result<Report, String> {
    let before = surface::read(old).map_err(|e| format!("the old code is {e}"))?;
    let after = surface::read(new).map_err(|e| format!("the new code is {e}"))?;
    Ok(Report {
        changes: compare::compare(&before, &after),
        code_differs: without_header(old) != without_header(new),
    })
}

/// The code without its first line when that is the `// @generated by
/// apigen from …` header, which names the spec's file.
fn without_header(code: &str) -> &str {
    match code.split_once('\n') {
        Some((first, rest)) if first.starts_with("// @generated") => rest,
        _ => code,
    }
}

impl Report {
    /// The bump the changes need: the largest of their levels; a patch when
    /// only the code's text changed; `None` when nothing did.
    pub fn bump(&self) -> Level {
        let most = self.changes.iter().map(|c| c.level).max();
        match most {
            Some(level) => level,
            None if self.code_differs => Level::Patch,
            None => Level::None,
        }
    }

    /// How many changes break some caller.
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.level == Level::Major)
            .count()
    }

    /// The version after `current` (`MAJOR.MINOR.PATCH`, a pre-release or
    /// build suffix dropped) by Cargo's convention: before 1.0 the leftmost
    /// non-zero number is the major one, so a breaking change to 0.3.1 gives
    /// 0.4.0 and a minor one 0.3.2; every change to 0.0.z gives 0.0.(z+1).
    pub fn next_version(&self, current: &str) -> Result<String, String> {
        next_version(current, self.bump())
    }

    /// The report for people: the verdict, then one line per change,
    /// breaking ones first.
    pub fn human(&self, current: Option<&str>) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}", self.verdict(current));
        for (level, title) in [
            (Level::Major, "breaking"),
            (Level::Minor, "compatible additions"),
            (Level::Patch, "compatible fixes"),
        ] {
            let of: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if of.is_empty() {
                continue;
            }
            let _ = writeln!(s, "\n{title} ({}):", level.as_str());
            for c in of {
                let _ = write!(s, "  {}: {}", c.item, c.detail);
                if let Some(rule) = &c.rule
                    && let Some((_, anchor)) = rule.rsplit_once('#')
                {
                    let _ = write!(s, " [{anchor}]");
                }
                s.push('\n');
            }
        }
        s
    }

    /// A few lines: the verdict and the first `limit` breaking changes.
    pub fn summary(&self, limit: usize) -> String {
        let mut s = self.verdict(None);
        let breaking: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| c.level == Level::Major)
            .collect();
        for c in breaking.iter().take(limit) {
            let _ = write!(s, "\n  {}: {}", c.item, c.detail);
        }
        if breaking.len() > limit {
            let _ = write!(
                s,
                "\n  … and {} more breaking change(s) (`apigen diff OLD NEW` lists them all)",
                breaking.len() - limit
            );
        }
        s
    }

    fn verdict(&self, current: Option<&str>) -> String {
        let bump = self.bump();
        let counts = format!(
            "{} breaking, {} compatible change(s)",
            self.breaking(),
            self.changes.len() - self.breaking()
        );
        let next = match current.map(|v| self.next_version(v)) {
            Some(Ok(v)) => format!("; next version {v}"),
            Some(Err(e)) => format!("; {e}"),
            None if bump > Level::Patch => {
                " (before 1.0, bump the leftmost non-zero number for major, the next one for minor)"
                    .to_owned()
            }
            None => String::new(),
        };
        match bump {
            Level::None => "API unchanged: the generated code is the same".to_owned(),
            Level::Patch if self.changes.is_empty() => {
                "semver: patch (the code changed, its API did not)".to_owned()
            }
            _ => format!("semver: {} ({counts}){next}", bump.as_str()),
        }
    }

    /// The report as JSON: `{"bump", "breaking", "next_version"?,
    /// "changes": [{"item", "change", "level", "detail", "rule"?}]}`.
    pub fn json(&self, current: Option<&str>) -> String {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                let mut o = serde_json::json!({
                    "item": c.item,
                    "change": c.kind.as_str(),
                    "level": c.level.as_str(),
                    "breaking": c.level == Level::Major,
                    "detail": c.detail,
                });
                if let (Some(rule), Some(map)) = (&c.rule, o.as_object_mut()) {
                    map.insert("rule".into(), rule.clone().into());
                }
                o
            })
            .collect();
        let mut root = serde_json::json!({
            "bump": self.bump().as_str(),
            "breaking": self.breaking(),
            "changes": changes,
        });
        if let (Some(Ok(v)), Some(map)) =
            (current.map(|v| self.next_version(v)), root.as_object_mut())
        {
            map.insert("next_version".into(), v.into());
        }
        serde_json::to_string_pretty(&root).unwrap_or_default()
    }
}

fn next_version(current: &str, bump: Level) -> Result<String, String> {
    let core = current
        .trim()
        .trim_start_matches('v')
        .split(['-', '+'])
        .next()
        .unwrap_or_default();
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{current}` is not a version (MAJOR.MINOR.PATCH)"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{current}` is not a version (MAJOR.MINOR.PATCH)"));
    };
    let v = match (bump, major, minor) {
        (Level::None, ..) => (major, minor, patch),
        (_, 0, 0) => (0, 0, patch + 1),
        (Level::Major, 0, _) => (0, minor + 1, 0),
        (Level::Minor, 0, _) | (Level::Patch, ..) => (major, minor, patch + 1),
        (Level::Major, ..) => (major + 1, 0, 0),
        (Level::Minor, ..) => (major, minor + 1, 0),
    };
    Ok(format!("{}.{}.{}", v.0, v.1, v.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_conventions() {
        let cases = [
            ("1.2.3", Level::Major, "2.0.0"),
            ("1.2.3", Level::Minor, "1.3.0"),
            ("1.2.3", Level::Patch, "1.2.4"),
            ("1.2.3", Level::None, "1.2.3"),
            ("0.3.1", Level::Major, "0.4.0"),
            ("0.3.1", Level::Minor, "0.3.2"),
            ("0.3.1", Level::Patch, "0.3.2"),
            ("0.0.7", Level::Major, "0.0.8"),
            ("0.0.7", Level::Minor, "0.0.8"),
            ("v1.0.0-rc.1", Level::Minor, "1.1.0"),
        ];
        for (from, bump, to) in cases {
            assert_eq!(
                next_version(from, bump).as_deref(),
                Ok(to),
                "{from} {bump:?}"
            );
        }
        assert!(next_version("1.2", Level::Major).is_err());
        assert!(next_version("one", Level::Major).is_err());
    }
}
