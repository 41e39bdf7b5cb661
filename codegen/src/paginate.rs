//! [`Paginate`]: how an operation's pages are followed, for operations
//! whose description says nothing apigen reads (or says it wrongly). Set
//! with [`Builder::paginate`](crate::Builder::paginate) or the CLI's
//! `--paginate OPERATION=HOW`, whose text form [`Paginate`]'s `FromStr`
//! reads:
//!
//! | text | pages |
//! |---|---|
//! | `link` | follow the `Link` header's `rel="next"` URL |
//! | `next-url,next=/links/next` | follow the URL at that JSON pointer of the page |
//! | `cursor,param=after,next=/meta/next_cursor` | send the cursor at `next` back in the query parameter `param` |
//! | `offset,param=offset` | advance the `param` offset by each page's items |
//! | `page,param=page[,first=0]` | count the `param` page number up (from `first`, default 1) |
//! | `none` | no page methods, even where a convention was detected |
//!
//! Every form but `none` also takes `items=NAME`, the page's property
//! holding the items (needed when a page has several arrays and none is
//! named `items`, `data`, `results`, …), and `has-more=POINTER`, a boolean
//! whose `false` marks the last page.

use std::fmt;

/// How an operation's pages are followed (see the [module doc](self)).
///
/// ```
/// use apigen::Paginate;
/// let by_cursor = Paginate::cursor("after", "/meta/next_cursor").has_more("/has_more");
/// let parsed: Paginate = "cursor,param=after,next=/meta/next_cursor,has-more=/has_more"
///     .parse()
///     .unwrap();
/// assert_eq!(by_cursor, parsed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginate {
    pub(crate) scheme: Scheme,
    pub(crate) items: Option<String>,
    pub(crate) has_more: Option<String>,
}

/// The ways of finding the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scheme {
    None,
    Link,
    NextUrl { next: String },
    Cursor { param: String, next: String },
    Offset { param: String },
    Page { param: String, first: u64 },
}

impl Paginate {
    fn with(scheme: Scheme) -> Self {
        Paginate {
            scheme,
            items: None,
            has_more: None,
        }
    }

    /// No page methods for the operation, even where a convention was
    /// detected.
    pub fn none() -> Self {
        Paginate::with(Scheme::None)
    }

    /// Follow the `rel="next"` URL of the `Link` response header (RFC 8288).
    pub fn link() -> Self {
        Paginate::with(Scheme::Link)
    }

    /// Follow the URL at the JSON pointer `next` of each page
    /// (`/links/next`).
    pub fn next_url(next: impl Into<String>) -> Self {
        Paginate::with(Scheme::NextUrl { next: next.into() })
    }

    /// Send the string at the JSON pointer `next` of each page back in the
    /// optional query parameter `param`.
    pub fn cursor(param: impl Into<String>, next: impl Into<String>) -> Self {
        Paginate::with(Scheme::Cursor {
            param: param.into(),
            next: next.into(),
        })
    }

    /// Advance the optional integer query parameter `param` by the number
    /// of items of each page; an empty page is the last.
    pub fn offset(param: impl Into<String>) -> Self {
        Paginate::with(Scheme::Offset {
            param: param.into(),
        })
    }

    /// Count the optional integer query parameter `param` up from 1 (see
    /// [`first_page`](Self::first_page)); an empty page is the last.
    pub fn page(param: impl Into<String>) -> Self {
        Paginate::with(Scheme::Page {
            param: param.into(),
            first: 1,
        })
    }

    /// The number of the first page of [`page`](Self::page) pagination
    /// (when the caller does not set the parameter). Other forms ignore it.
    pub fn first_page(mut self, first: u64) -> Self {
        if let Scheme::Page { first: f, .. } = &mut self.scheme {
            *f = first;
        }
        self
    }

    /// The property of the page holding the items (its JSON name).
    pub fn items(mut self, property: impl Into<String>) -> Self {
        self.items = Some(property.into());
        self
    }

    /// The JSON pointer of a boolean whose `false` marks the last page.
    pub fn has_more(mut self, pointer: impl Into<String>) -> Self {
        self.has_more = Some(pointer.into());
        self
    }

    /// Whether this turns pagination off.
    pub(crate) fn is_none(&self) -> bool {
        self.scheme == Scheme::None
    }

    /// The JSON pointers it names, each with the key that gave it.
    pub(crate) fn pointers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let next = match &self.scheme {
            Scheme::NextUrl { next } | Scheme::Cursor { next, .. } => Some(("next", next.as_str())),
            _ => None,
        };
        next.into_iter()
            .chain(self.has_more.as_deref().map(|p| ("has-more", p)))
    }
}

/// Why a [`Paginate`] text does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginateError {
    given: String,
    reason: String,
}

impl fmt::Display for PaginateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "apigen: pagination `{}`: {} (forms: `link`, `next-url,next=/POINTER`, \
             `cursor,param=NAME,next=/POINTER`, `offset,param=NAME`, `page,param=NAME[,first=N]`, \
             `none`; any but `none` may add `items=PROPERTY` and `has-more=/POINTER`)",
            self.given, self.reason
        )
    }
}

impl std::error::Error for PaginateError {}

impl std::str::FromStr for Paginate {
    type Err = PaginateError;

    fn from_str(s: &str) -> Result<Self, PaginateError> {
        let fail = |reason: String| PaginateError {
            given: s.to_owned(),
            reason,
        };
        let mut parts = s.split(',').map(str::trim);
        let kind = parts.next().unwrap_or_default();
        let mut keys: Vec<(&str, &str)> = Vec::new();
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| fail(format!("`{part}` is not KEY=VALUE")))?;
            let (key, value) = (key.trim(), value.trim());
            if keys.iter().any(|(k, _)| *k == key) {
                return Err(fail(format!("`{key}` is given twice")));
            }
            if value.is_empty() {
                return Err(fail(format!("`{key}` has no value")));
            }
            keys.push((key, value));
        }
        let mut take = |key: &str| {
            keys.iter()
                .position(|(k, _)| *k == key)
                .map(|i| keys.remove(i).1.to_owned())
        };
        let mut need =
            |key: &str| take(key).ok_or_else(|| fail(format!("`{kind}` needs `{key}=`")));
        let scheme = match kind {
            "none" => Scheme::None,
            "link" => Scheme::Link,
            "next-url" => Scheme::NextUrl {
                next: need("next")?,
            },
            "cursor" => Scheme::Cursor {
                param: need("param")?,
                next: need("next")?,
            },
            "offset" => Scheme::Offset {
                param: need("param")?,
            },
            "page" => {
                let param = need("param")?;
                let first = match take("first") {
                    Some(n) => n
                        .parse()
                        .map_err(|_| fail(format!("`first={n}` is not a page number")))?,
                    None => 1,
                };
                Scheme::Page { param, first }
            }
            other => return Err(fail(format!("`{other}` is not a kind of pagination"))),
        };
        let items = take("items");
        let has_more = take("has-more");
        if let Some((key, _)) = keys.first() {
            return Err(fail(format!("`{kind}` takes no `{key}`")));
        }
        if scheme == Scheme::None && (items.is_some() || has_more.is_some()) {
            return Err(fail("`none` takes nothing else".to_owned()));
        }
        let paginate = Paginate {
            scheme,
            items,
            has_more,
        };
        for (key, pointer) in paginate.pointers() {
            if !pointer.starts_with('/') {
                return Err(fail(format!(
                    "`{key}={pointer}` is not a JSON pointer (write `/{}`)",
                    pointer.replace('.', "/")
                )));
            }
        }
        Ok(paginate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_as_its_constructor_builds_it() {
        let cases = [
            ("link", Paginate::link()),
            ("none", Paginate::none()),
            (
                "next-url, next=/links/next, items=data",
                Paginate::next_url("/links/next").items("data"),
            ),
            (
                "cursor,param=after,next=/meta/next,has-more=/has_more",
                Paginate::cursor("after", "/meta/next").has_more("/has_more"),
            ),
            ("offset,param=skip", Paginate::offset("skip")),
            ("page,param=p", Paginate::page("p")),
            ("page,param=p,first=0", Paginate::page("p").first_page(0)),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<Paginate>(), Ok(want), "{text}");
        }
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            ("cursors", "`cursors` is not a kind"),
            ("cursor,param=after", "`cursor` needs `next=`"),
            ("cursor,next=/n", "`cursor` needs `param=`"),
            ("link,param=x", "`link` takes no `param`"),
            ("offset,param", "`param` is not KEY=VALUE"),
            ("offset,param=a,param=b", "`param` is given twice"),
            ("page,param=p,first=one", "`first=one` is not a page number"),
            ("none,items=data", "`none` takes nothing else"),
            ("next-url,next=links.next", "write `/links/next`"),
            ("link,has-more=", "`has-more` has no value"),
        ];
        for (text, want) in cases {
            let err = text.parse::<Paginate>().expect_err(text).to_string();
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
