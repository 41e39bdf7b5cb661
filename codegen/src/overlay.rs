//! Overlays (OpenAPI Overlay Specification 1.0.0): documents of actions
//! that change a spec before it is generated from, kept apart from the spec
//! itself.
//!
//! [`apply`] runs between `load` and `resolve`: each overlay's actions, in
//! order, change the root document (the "target document" of the Overlay
//! specification) before the files its `$ref`s name are read. An action's
//! `target` is a JSONPath query ([`crate::jsonpath`]); `update` is merged
//! into every object it selects (or appended to every array), and
//! `remove: true` removes every node it selects.
//!
//! Merging follows the rules Overlay 1.1.0 spells out for 1.0's
//! "recursively merged": a property only in the update is added, a
//! primitive replaces a primitive, an array is appended to an array, an
//! object is merged into an object, and any other pair is an error.
//!
//! Problems are reported against the overlay file (its JSON pointer and
//! line:column) and name the action (`actions[2] ("Remove dev server")`).
//! A target that selects nothing is a warning; every other problem is an
//! error, and no overlay error leaves a half-changed spec behind: the
//! caller gets the errors and no document.

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, push_pointer};
use crate::jsonpath::{JsonPath, Location, Step};
use crate::load::Source;

/// Applies `overlays`, in order, to the document of `target`. Returns the
/// changed document (same name and text, so diagnostics about nodes the
/// overlays did not add still find their line:column) and the overlays'
/// warnings; or, when an overlay has an error, every problem found up to
/// and including that overlay.
pub fn apply(target: &Source, overlays: &[Source]) -> Result<(Source, Diagnostics), Diagnostics> {
    let mut value = target.value.clone();
    let mut diags = Diagnostics::new();
    for overlay in overlays {
        let mut found = Diagnostics::new();
        apply_one(&mut value, overlay, &target.name, &mut found);
        overlay.resolve_positions(&mut found);
        let failed = found.has_errors();
        diags.extend(found);
        if failed {
            return Err(diags);
        }
    }
    let mut overlaid = target.clone();
    overlaid.value = value;
    Ok((overlaid, diags))
}

/// One checked action.
struct Action<'o> {
    index: usize,
    description: Option<&'o str>,
    target_text: &'o str,
    target: JsonPath,
    update: Option<&'o Value>,
    remove: bool,
}

impl Action<'_> {
    /// `actions[3]` or `actions[3] ("description")`, as messages name it.
    fn name(&self) -> String {
        action_name(self.index, self.description)
    }

    fn pointer(&self, field: &str) -> String {
        format!("/actions/{}/{field}", self.index)
    }
}

fn action_name(index: usize, description: Option<&str>) -> String {
    match description {
        Some(d) => format!("actions[{index}] ({d:?})"),
        None => format!("actions[{index}]"),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks one overlay document and, when it has no error, applies its
/// actions to `doc` (errors met while applying are reported too; the
/// caller then drops `doc`).
fn apply_one(doc: &mut Value, overlay: &Source, spec: &str, diags: &mut Diagnostics) {
    let file = overlay.name.as_str();
    let Some(actions) = check_document(overlay, diags) else {
        return;
    };
    if diags.has_errors() {
        return;
    }
    for action in &actions {
        apply_action(doc, action, file, spec, diags);
    }
}

/// Checks the document's fields against Overlay 1.0 and parses every
/// action's target; `None` when there are no actions to apply.
fn check_document<'o>(overlay: &'o Source, diags: &mut Diagnostics) -> Option<Vec<Action<'o>>> {
    let file = overlay.name.as_str();
    let Value::Object(root) = &overlay.value else {
        diags.error(
            file,
            "",
            format!(
                "an overlay document is an object with `overlay`, `info` and `actions`, not {} {}",
                article(&overlay.value),
                kind(&overlay.value)
            ),
        );
        return None;
    };
    unknown_fields(
        root,
        "",
        &["overlay", "info", "extends", "actions"],
        "an overlay document",
        file,
        diags,
    );
    match root.get("overlay") {
        None => diags.error(
            file,
            "",
            "missing required field `overlay` (the Overlay version, `1.0.0`)",
        ),
        Some(Value::String(v)) if is_version_1_0(v) => {}
        Some(Value::String(v)) => diags.error(
            file,
            "/overlay",
            format!(
                "Overlay version {v:?} is not supported: apigen applies Overlay 1.0.x documents"
            ),
        ),
        Some(other) => diags.error(
            file,
            "/overlay",
            format!(
                "`overlay` must be a string such as \"1.0.0\", not {} {}",
                article(other),
                kind(other)
            ),
        ),
    }
    match root.get("info") {
        None => diags.error(
            file,
            "",
            "missing required field `info` (with `title` and `version`)",
        ),
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                match info.get(field) {
                    None => diags.error(
                        file,
                        "/info",
                        format!("missing required field `info.{field}`"),
                    ),
                    Some(Value::String(_)) => {}
                    Some(other) => diags.error(
                        file,
                        &format!("/info/{field}"),
                        format!(
                            "`info.{field}` must be a string, not {} {}",
                            article(other),
                            kind(other)
                        ),
                    ),
                }
            }
            unknown_fields(info, "/info", &["title", "version"], "`info`", file, diags);
        }
        Some(other) => diags.error(
            file,
            "/info",
            format!(
                "`info` must be an object, not {} {}",
                article(other),
                kind(other)
            ),
        ),
    }
    if let Some(extends) = root.get("extends").filter(|e| !e.is_string()) {
        diags.error(
            file,
            "/extends",
            format!(
                "`extends` must be a string (a URI), not {} {}",
                article(extends),
                kind(extends)
            ),
        );
    }
    let items = match root.get("actions") {
        None => {
            diags.error(
                file,
                "",
                "missing required field `actions` (a list of at least one action)",
            );
            return None;
        }
        Some(Value::Array(items)) if items.is_empty() => {
            diags.error(file, "/actions", "`actions` must list at least one action");
            return None;
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            diags.error(
                file,
                "/actions",
                format!(
                    "`actions` must be a list of actions, not {} {}",
                    article(other),
                    kind(other)
                ),
            );
            return None;
        }
    };
    let mut actions = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = format!("/actions/{index}");
        let Value::Object(fields) = item else {
            diags.error(
                file,
                &at,
                format!(
                    "actions[{index}]: an action must be an object with a `target`, not {} {}",
                    article(item),
                    kind(item)
                ),
            );
            continue;
        };
        if let Some(first) = items[..index].iter().position(|other| other == item) {
            diags.error(
                file,
                &at,
                format!("actions[{index}] repeats actions[{first}] (the actions of an overlay must be unique)"),
            );
        }
        let description = match fields.get("description") {
            None => None,
            Some(Value::String(d)) => Some(d.as_str()),
            Some(other) => {
                diags.error(
                    file,
                    &format!("{at}/description"),
                    format!(
                        "actions[{index}]: `description` must be a string, not {} {}",
                        article(other),
                        kind(other)
                    ),
                );
                None
            }
        };
        let name = action_name(index, description);
        unknown_fields(
            fields,
            &at,
            &["target", "description", "update", "remove"],
            &name,
            file,
            diags,
        );
        let remove = match fields.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                diags.error(
                    file,
                    &format!("{at}/remove"),
                    format!(
                        "{name}: `remove` must be true or false, not {} {}",
                        article(other),
                        kind(other)
                    ),
                );
                false
            }
        };
        let target_text = match fields.get("target") {
            None => {
                diags.error(
                    file,
                    &at,
                    format!("{name}: missing required field `target` (a JSONPath query)"),
                );
                continue;
            }
            Some(Value::String(t)) => t.as_str(),
            Some(other) => {
                diags.error(
                    file,
                    &format!("{at}/target"),
                    format!(
                        "{name}: `target` must be a JSONPath query string, not {} {}",
                        article(other),
                        kind(other)
                    ),
                );
                continue;
            }
        };
        match JsonPath::parse(target_text) {
            Ok(target) => actions.push(Action {
                index,
                description,
                target_text,
                target,
                update: fields.get("update"),
                remove,
            }),
            Err(e) => diags.error(
                file,
                &format!("{at}/target"),
                format!(
                    "{name}: invalid JSONPath {target_text:?} at character {}: {}",
                    e.offset, e.message
                ),
            ),
        }
    }
    Some(actions)
}

fn is_version_1_0(v: &str) -> bool {
    v.strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

fn article(v: &Value) -> &'static str {
    match v {
        Value::Array(_) | Value::Object(_) => "an",
        _ => "a",
    }
}

/// Fields that are neither `known` nor extensions (`x-…`) are errors.
fn unknown_fields(
    map: &Map<String, Value>,
    at: &str,
    known: &[&str],
    what: &str,
    file: &str,
    diags: &mut Diagnostics,
) {
    for key in map.keys() {
        if !known.contains(&key.as_str()) && !key.starts_with("x-") {
            diags.error(
                file,
                &push_pointer(at, key),
                format!(
                    "{what} has no field `{key}` (it has {}, and `x-` extensions)",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}

fn apply_action(
    doc: &mut Value,
    action: &Action<'_>,
    file: &str,
    spec: &str,
    diags: &mut Diagnostics,
) {
    let name = action.name();
    let mut locations: Vec<Location> = Vec::new();
    for node in action.target.select(doc) {
        if !locations.contains(&node.location) {
            locations.push(node.location);
        }
    }
    if locations.is_empty() {
        diags.warning(
            file,
            &action.pointer("target"),
            format!(
                "{name}: target {:?} selects nothing in {spec}; the action changes nothing",
                action.target_text
            ),
        );
        return;
    }
    if action.remove {
        if action.update.is_some() {
            diags.warning(
                file,
                &action.pointer("update"),
                format!("{name}: `update` is ignored, as `remove` is true"),
            );
        }
        // Last first: removing an array element moves the ones after it,
        // and a node's descendants go before the node itself.
        locations.sort_unstable_by(|a, b| b.cmp(a));
        for location in &locations {
            if location.0.is_empty() {
                diags.error(
                    file,
                    &action.pointer("target"),
                    format!(
                        "{name}: target {:?} selects the whole document, which cannot be removed",
                        action.target_text
                    ),
                );
                continue;
            }
            remove(doc, location);
        }
        return;
    }
    let Some(update) = action.update else {
        diags.warning(
            file,
            &format!("/actions/{}", action.index),
            format!("{name}: has neither `update` nor `remove: true`; the action changes nothing"),
        );
        return;
    };
    for location in &locations {
        let Some(node) = node_mut(doc, location) else {
            continue;
        };
        let spec_at = location.pointer();
        match node {
            Value::Object(target) => match update {
                Value::Object(update) => {
                    if let Err((at, message)) = merge(target, update, &spec_at) {
                        diags.error(
                            file,
                            &format!("{}{at}", action.pointer("update")),
                            format!("{name}: {message}"),
                        );
                    }
                }
                other => diags.error(
                    file,
                    &action.pointer("update"),
                    format!(
                        "{name}: target selects an object (#{spec_at} in {spec}), so `update` must be an object of properties to merge, not {} {}",
                        article(other),
                        kind(other)
                    ),
                ),
            },
            Value::Array(items) => items.push(update.clone()),
            other => diags.error(
                file,
                &action.pointer("target"),
                format!(
                    "{name}: target selects {} {} (#{spec_at} in {spec}); an update changes objects and arrays, so target the object that holds it",
                    article(other),
                    kind(other)
                ),
            ),
        }
    }
}

/// Merges `update` into `target` (see the module documentation). On a
/// conflict, returns the pointer (below `update`) of the offending property
/// and what is wrong.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    spec_at: &str,
) -> Result<(), (String, String)> {
    for (key, new) in update {
        let here = push_pointer(spec_at, key);
        match (target.get_mut(key), new) {
            (None, new) => {
                target.insert(key.clone(), new.clone());
            }
            (Some(Value::Object(old)), Value::Object(new)) => {
                merge(old, new, &here).map_err(|(at, msg)| (push_pointer("", key) + &at, msg))?
            }
            (Some(Value::Array(old)), Value::Array(new)) => old.extend(new.iter().cloned()),
            (Some(old), new)
                if !matches!(old, Value::Object(_) | Value::Array(_))
                    && !matches!(new, Value::Object(_) | Value::Array(_)) =>
            {
                *old = new.clone();
            }
            (Some(old), new) => {
                return Err((
                    push_pointer("", key),
                    format!(
                        "cannot merge {} {} into {} {} at #{here}",
                        article(new),
                        kind(new),
                        article(old),
                        kind(old)
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn node_mut<'v>(doc: &'v mut Value, location: &Location) -> Option<&'v mut Value> {
    location
        .0
        .iter()
        .try_fold(doc, |node, step| match (node, step) {
            (Value::Object(map), Step::Name(name)) => map.get_mut(name),
            (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
            _ => None,
        })
}

fn remove(doc: &mut Value, location: &Location) {
    let Some((last, parent)) = location.0.split_last() else {
        return;
    };
    match (node_mut(doc, &Location(parent.to_vec())), last) {
        (Some(Value::Object(map)), Step::Name(name)) => {
            map.shift_remove(name);
        }
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
