//! Stage 3½, `select`: which parts of the [`Document`] exist for the rest
//! of the pipeline. With tag or `operationId` filters
//! ([`EmitOptions::only_tags`], [`EmitOptions::only_operations`]) it keeps
//! the operations they name, and then only the component schemas those
//! operations reach — transitively, through every `$ref` of their
//! parameters, bodies, responses and headers, of the schemas reached (in
//! properties, items, unions, `allOf`, …) and of discriminator mappings —,
//! plus [`EmitOptions::keep_schemas`] and what they reach. Without filters,
//! or with [`EmitOptions::keep_all_schemas`], every schema is kept.

use std::collections::HashSet;

use serde_json::Value;

use crate::diag::Diagnostics;
use crate::options::EmitOptions;
use crate::refs::{DATA_KEYS, walk_refs};
use crate::spec::{Document, local_ref_pointer};

/// Applies the filters of `opts` to `doc` (see the module doc), warning
/// about each tag, `operationId` or kept schema name nothing has (a typo
/// would otherwise silently drop everything).
pub(crate) fn select(doc: &mut Document<'_>, opts: &EmitOptions, diags: &mut Diagnostics) {
    if opts.only_tags.is_empty() && opts.only_operations.is_empty() {
        return;
    }
    let file = doc.file.to_owned();
    for tag in &opts.only_tags {
        if !doc.operations.iter().any(|o| o.tags.contains(tag)) {
            diags.warning(
                &file,
                "",
                format!("operations were filtered by tag `{tag}`, which no operation has"),
            );
        }
    }
    for id in &opts.only_operations {
        if !doc
            .operations
            .iter()
            .any(|o| o.operation_id.as_deref() == Some(id.as_str()))
        {
            diags.warning(
                &file,
                "",
                format!("operations were filtered by operationId `{id}`, which no operation has"),
            );
        }
    }
    doc.operations.retain(|o| {
        o.tags.iter().any(|t| opts.only_tags.contains(t))
            || o.operation_id
                .as_ref()
                .is_some_and(|id| opts.only_operations.contains(id))
    });
    if opts.keep_all_schemas {
        return;
    }
    for name in &opts.keep_schemas {
        if !doc.schemas.iter().any(|(n, _)| n == name) {
            diags.warning(
                &file,
                "",
                format!(
                    "schema `{name}` was asked to be kept, but no component schema has that name"
                ),
            );
        }
    }
    // Replaced schemas are named by the options: they stay (and generate
    // no type anyway).
    let named = |n: &str| {
        opts.keep_schemas.iter().any(|k| k == n)
            || opts.type_replacements.iter().any(|(k, _)| k == n)
    };
    let mut roots: Vec<String> = Vec::new();
    for op in &doc.operations {
        roots.push(op.pointer.clone());
        // The path item's own parameters.
        if let Some((item, _)) = op.pointer.rsplit_once('/') {
            roots.push(format!("{item}/parameters"));
        }
        roots.extend(op.parameters.iter().map(|p| p.pointer.clone()));
    }
    roots.extend(
        doc.schemas
            .iter()
            .filter(|(n, _)| named(n))
            .map(|(_, s)| s.pointer.clone()),
    );
    let reached = reach(doc, roots);
    doc.schemas
        .retain(|(name, s)| named(name) || reached.contains(&s.pointer));
}

/// Every pointer reached from `roots` by following `$ref`s and
/// discriminator mappings, the roots included.
fn reach(doc: &Document<'_>, roots: Vec<String>) -> HashSet<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue = roots;
    while let Some(pointer) = queue.pop() {
        if !seen.insert(pointer.clone()) {
            continue;
        }
        let Some(value) = doc.lookup(&pointer) else {
            continue;
        };
        let mut found = Vec::new();
        walk_refs(value, &mut |_, r| found.push(r.to_owned()));
        mapping_refs(value, &mut found);
        for r in found {
            if let Some(target) = local_ref_pointer(&r) {
                if !seen.contains(&target) {
                    queue.push(target);
                }
            }
        }
    }
    seen
}

/// The targets of `discriminator.mapping` values under `value` (they name
/// schemas without `$ref`), outside data and extensions.
fn mapping_refs(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(mapping) = map
                    .get("discriminator")
                    .and_then(|d| d.get("mapping"))
                    .and_then(Value::as_object)
                {
                    for target in mapping.values().filter_map(Value::as_str) {
                        // `Cat` alone names `#/components/schemas/Cat`.
                        if target.starts_with('#') {
                            out.push(target.to_owned());
                        } else if !target.contains(['/', '.']) {
                            out.push(format!("#/components/schemas/{target}"));
                        }
                    }
                }
                for (k, child) in map {
                    if !DATA_KEYS.contains(&k.as_str()) && !k.starts_with("x-") {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}
