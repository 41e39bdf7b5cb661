//! Pagination set for an operation with [`crate::Paginate`] (the
//! `Builder`'s `paginate`, the CLI's `--paginate`): checked against the
//! operation, each mismatch an error at the operation's pointer, since
//! the caller asked for page methods the operation cannot have.

use super::paging::query_param;
use super::{Builder, ItemsAt, Operation, PageScheme, Payload, Struct, Ty, TypeKind};
use crate::paginate::Scheme;
use crate::spec;

/// What a JSON pointer of a page must lead to.
#[derive(Clone, Copy)]
enum Want {
    /// A string (or number): a cursor or URL.
    Text,
    /// A boolean.
    Bool,
}

impl<'a> Builder<'_, 'a> {
    /// The [`crate::Paginate`] set for `op`, marked as used: matched by
    /// `operationId` or by `METHOD /path`.
    pub(super) fn paginate_for(&mut self, op: &spec::Operation<'a>) -> Option<crate::Paginate> {
        let (_, how, used) = self.paginate.iter_mut().find(|(key, ..)| {
            op.operation_id.as_deref() == Some(key.as_str())
                || key.split_once(' ').is_some_and(|(method, path)| {
                    method.eq_ignore_ascii_case(&op.method) && path.trim() == op.path
                })
        })?;
        *used = true;
        Some(how.clone())
    }

    /// Warns about pagination set for operations the document does not
    /// have (or that were filtered out).
    pub(super) fn unused_paginate(&mut self) {
        let unused: Vec<String> = self
            .paginate
            .iter()
            .filter(|(_, _, used)| !used)
            .map(|(key, ..)| key.clone())
            .collect();
        for key in unused {
            self.warning(
                "",
                format!("no operation has operationId (or is) `{key}` (given pagination); ignored"),
            );
        }
    }

    /// The scheme, items and item type `how` describes for `op`, or an
    /// error at `spec_op`'s pointer saying why it does not fit.
    pub(super) fn configured(
        &mut self,
        spec_op: &spec::Operation<'a>,
        op: &Operation,
        how: &crate::Paginate,
    ) -> Option<Configured> {
        match self.check_configured(op, how) {
            Ok(c) => Some(c),
            Err(why) => {
                let name = spec_op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {}", spec_op.method, spec_op.path));
                self.error(
                    &spec_op.pointer,
                    format!("the pagination set for `{name}` does not fit it: {why}"),
                );
                None
            }
        }
    }

    fn check_configured(
        &self,
        op: &Operation,
        how: &crate::Paginate,
    ) -> Result<Configured, String> {
        let page_ty = pageable(op)?;
        let (items, item_ty) = self
            .items_at(page_ty, how.items.as_deref())
            .ok_or_else(|| match &how.items {
                Some(name) => format!("the page has no array property `{name}`"),
                None => "which property of the page holds the items is unclear: name it (`items=`)"
                    .to_owned(),
            })?;
        for (key, pointer) in how.pointers() {
            let want = if key == "has-more" {
                Want::Bool
            } else {
                Want::Text
            };
            self.check_pointer(page_ty, pointer, want)
                .map_err(|why| format!("`{key}={pointer}`: {why}"))?;
        }
        let param = |name: &str, integer: bool| {
            query_param(&op.params, name, integer)
                .map(|p| p.ident.clone())
                .ok_or_else(|| {
                    let kind = if integer { "integer" } else { "string" };
                    format!("it has no optional {kind} query parameter `{name}`")
                })
        };
        let scheme = match &how.scheme {
            Scheme::None => return Err("`none` has no scheme".to_owned()),
            Scheme::Link => PageScheme::Link,
            Scheme::NextUrl { next } => PageScheme::NextUrl {
                pointer: next.clone(),
            },
            Scheme::Cursor { param: name, next } => PageScheme::Cursor {
                field: param(name, false)?,
                pointer: next.clone(),
            },
            Scheme::Offset { param: name } => PageScheme::Offset {
                field: param(name, true)?,
            },
            Scheme::Page { param: name, first } => PageScheme::Page {
                field: param(name, true)?,
                first: *first,
            },
        };
        Ok(Configured {
            scheme,
            items,
            item_ty,
            has_more: how.has_more.clone(),
        })
    }

    /// Whether the JSON `pointer` of a page of type `ty` can hold what is
    /// wanted. A pointer into a map, an untyped value or a struct's kept
    /// extra keys cannot be checked and is taken as it is.
    fn check_pointer(&self, ty: &Ty, pointer: &str, want: Want) -> Result<(), String> {
        let mut ty = self.unalias(ty);
        let mut tokens = pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"));
        loop {
            let Some(t) = tokens.next() else {
                return match (want, &ty) {
                    (_, Ty::Any) => Ok(()),
                    (Want::Bool, Ty::Bool) => Ok(()),
                    (Want::Text, t) if *t == Ty::String || t.is_fixed_number() => Ok(()),
                    (Want::Bool, _) => Err("the page has no boolean there".to_owned()),
                    (Want::Text, _) => Err("the page has no string there".to_owned()),
                };
            };
            ty = match &ty {
                Ty::Any | Ty::Map(_) => return Ok(()),
                Ty::Named(id) => match &self.types[*id].kind {
                    TypeKind::Struct(s) => match field(s, &t) {
                        Some(next) => self.unalias(next),
                        None if s.extra.is_some() => return Ok(()),
                        None => {
                            return Err(format!(
                                "`{}` has no property `{t}`",
                                self.types[*id].name
                            ));
                        }
                    },
                    _ => return Err(format!("`{}` is not an object", self.types[*id].name)),
                },
                _ => return Err(format!("the value holding `{t}` is not an object")),
            };
        }
    }
}

/// The page type of `op`, when it has one success response, JSON, and can
/// have page methods (they borrow their arguments and send no body); else
/// why not.
pub(super) fn pageable(op: &Operation) -> Result<&Ty, String> {
    if op.stream.is_some() {
        return Err("its response is a stream".to_owned());
    }
    if op.body.is_some() {
        return Err("it has a request body (page methods send none)".to_owned());
    }
    if op.params_struct.is_none() {
        return Err("it has no optional parameters".to_owned());
    }
    let [case] = op.successes.as_slice() else {
        return Err("it has more than one success response".to_owned());
    };
    match &case.payload {
        Payload::Json(t) => Ok(t),
        _ => Err("its success response is not JSON".to_owned()),
    }
}

/// Pagination set for an operation, checked.
pub(super) struct Configured {
    pub scheme: PageScheme,
    pub items: ItemsAt,
    pub item_ty: Ty,
    pub has_more: Option<String>,
}

/// The type of the field of `s` named `name` in JSON.
fn field<'s>(s: &'s Struct, name: &str) -> Option<&'s Ty> {
    s.fields.iter().find(|f| f.json_name == name).map(|f| &f.ty)
}
