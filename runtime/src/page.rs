//! Auto-pagination: [`Pages`], a stream of the pages of a list operation,
//! each fetched as a normal call of the operation (same credentials,
//! retries, validation and errors), and [`Items`], the items of those
//! pages one by one.
//!
//! Generated code supplies how to fetch a page given the [`Next`] one
//! (`None`: the first) and how to find the next from a page; the streams
//! stop when there is no next page, on an error (after yielding it), at a
//! maximum of pages or items the caller set, and with
//! [`Error::Pagination`] when a server hands out a cursor or link it
//! already gave (which would loop forever).
//!
//! [`next_link`] reads an RFC 8288 `Link` header; [`string_at`] and
//! [`bool_at`] read a page's cursor and `has_more` flag by JSON pointer.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::header::{HeaderMap, LINK};

use crate::error::Error;
use crate::response::ResponseValue;

/// What the next page request carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Next {
    /// Fetch this URL (an RFC 8288 `rel="next"` link, or a next-page URL
    /// field); it must be on the API's origin.
    Url(String),
    /// Send the cursor parameter with this value.
    Cursor(String),
    /// Send the offset parameter with this value.
    Offset(u64),
    /// Send the page-number parameter with this value.
    Page(u64),
}

type PageFuture<'a, P, E> =
    Pin<Box<dyn Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a>>;
type Fetch<'a, P, E> = Box<dyn FnMut(Option<Next>) -> PageFuture<'a, P, E> + Send + 'a>;
type NextOf<P> = Box<dyn Fn(&ResponseValue<P>, Option<&Next>) -> Option<Next> + Send>;

/// The pages of a list operation, each a [`ResponseValue`] with its
/// status and headers (see the [module doc](self)).
pub struct Pages<'a, P, E> {
    fetch: Fetch<'a, P, E>,
    next_of: NextOf<P>,
    pending: Option<(PageFuture<'a, P, E>, Option<Next>)>,
    /// The next page to fetch; `None` once there is none.
    next: Option<Option<Next>>,
    seen: HashSet<Next>,
    fetched: usize,
    max_pages: Option<usize>,
}

impl<P, E> fmt::Debug for Pages<'_, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<'a, P, E> Pages<'a, P, E> {
    /// Pages fetched by `fetch` (given the next page, `None` for the
    /// first), the next of each found by `next_of` (given the page and what
    /// fetched it).
    pub fn new(
        fetch: impl FnMut(Option<Next>) -> PageFuture<'a, P, E> + Send + 'a,
        next_of: impl Fn(&ResponseValue<P>, Option<&Next>) -> Option<Next> + Send + 'static,
    ) -> Self {
        Pages {
            fetch: Box::new(fetch),
            next_of: Box::new(next_of),
            pending: None,
            next: Some(None),
            seen: HashSet::new(),
            fetched: 0,
            max_pages: None,
        }
    }

    /// Stops after `max` pages.
    pub fn max_pages(mut self, max: usize) -> Self {
        self.max_pages = Some(max);
        self
    }

    /// The items of the pages, one by one; `items` takes them out of a page.
    pub fn items<T>(self, items: impl Fn(P) -> Vec<T> + Send + 'static) -> Items<'a, P, T, E> {
        Items {
            pages: self,
            items: Box::new(items),
            ready: VecDeque::new(),
            yielded: 0,
            max_items: None,
            ended: false,
        }
    }

    /// The next page, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<ResponseValue<P>, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<P, E> Stream for Pages<'_, P, E> {
    type Item = Result<ResponseValue<P>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            let Some(next) = this.next.take() else {
                return Poll::Ready(None);
            };
            if this.max_pages.is_some_and(|max| this.fetched >= max) {
                return Poll::Ready(None);
            }
            if let Some(n) = &next {
                if !this.seen.insert(n.clone()) {
                    return Poll::Ready(Some(Err(Error::Pagination(format!(
                        "the server gave the {} of an earlier page again, after page {}; \
                         stopped instead of fetching pages forever",
                        match n {
                            Next::Url(_) => "next-page link",
                            Next::Cursor(_) => "cursor",
                            Next::Offset(_) => "offset",
                            Next::Page(_) => "page number",
                        },
                        this.fetched
                    )))));
                }
            }
            let future = (this.fetch)(next.clone());
            this.pending = Some((future, next));
        }
        let Some((future, current)) = &mut this.pending else {
            return Poll::Ready(None);
        };
        let page = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(page) => page,
        };
        let current = current.take();
        this.pending = None;
        this.fetched += 1;
        match page {
            Ok(page) => {
                this.next = (this.next_of)(&page, current.as_ref()).map(Some);
                Poll::Ready(Some(Ok(page)))
            }
            // An error ends the stream after it.
            Err(e) => Poll::Ready(Some(Err(e))),
        }
    }
}

/// The items of the pages of a list operation (see the [module doc](self)).
pub struct Items<'a, P, T, E> {
    pages: Pages<'a, P, E>,
    items: Box<dyn Fn(P) -> Vec<T> + Send>,
    ready: VecDeque<T>,
    yielded: usize,
    max_items: Option<usize>,
    ended: bool,
}

impl<P, T, E> fmt::Debug for Items<'_, P, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("yielded", &self.yielded)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<P, T, E> Items<'_, P, T, E> {
    /// Stops after `max` items (no page is fetched past them).
    pub fn max_items(mut self, max: usize) -> Self {
        self.max_items = Some(max);
        self
    }

    /// Stops after `max` pages.
    pub fn max_pages(mut self, max: usize) -> Self {
        self.pages.max_pages = Some(max);
        self
    }

    /// The next item, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<P, T, E> Unpin for Items<'_, P, T, E> {}

impl<P, T, E> Stream for Items<'_, P, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.max_items.is_some_and(|max| this.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.ready.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.ended = true,
                Poll::Ready(Some(Err(e))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => {
                    this.ready.extend((this.items)(page.into_inner()));
                }
            }
        }
    }
}

impl<P, E> Unpin for Pages<'_, P, E> {}

/// The target of the `rel="next"` link of an RFC 8288 `Link` header, if
/// any (relation types compared without case; several `Link` headers and
/// several links per header are read).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(LINK) {
        let Ok(value) = value.to_str() else {
            continue;
        };
        let mut rest = value;
        while let Some(start) = rest.find('<') {
            let Some(len) = rest[start..].find('>') else {
                break;
            };
            let target = &rest[start + 1..start + len];
            let after = &rest[start + len + 1..];
            // The parameters run to the next link (`, <`).
            let end = after
                .find(", <")
                .or_else(|| after.find(",<"))
                .unwrap_or(after.len());
            let params = &after[..end];
            let is_next = params.split(';').any(|p| {
                let Some((name, value)) = p.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.to_owned());
            }
            rest = &after[end..];
        }
    }
    None
}

/// The string (or number, as text) at JSON pointer `pointer` of `page`;
/// `None` if absent, `null`, empty or of another type: no next page.
pub fn string_at<P: serde::Serialize>(page: &P, pointer: &str) -> Option<String> {
    match serde_json::to_value(page).ok()?.pointer(pointer)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The boolean at JSON pointer `pointer` of `page`, if there is one.
pub fn bool_at<P: serde::Serialize>(page: &P, pointer: &str) -> Option<bool> {
    serde_json::to_value(page).ok()?.pointer(pointer)?.as_bool()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;

    fn links(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(LINK, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn rfc_8288_next_links() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next_link(&links(&[github])).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        assert_eq!(
            next_link(&links(&[
                r#"</a?x=1,2>; rel="prev last", </b>; REL="Next"; title="b, c""#
            ]))
            .as_deref(),
            Some("/b")
        );
        assert_eq!(
            next_link(&links(&["</p>; rel=prev", "</n>;rel=next"])).as_deref(),
            Some("/n")
        );
        assert_eq!(next_link(&links(&[r#"</l>; rel="last""#])), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn cursors_and_flags_by_pointer() {
        let page =
            serde_json::json!({"meta": {"next": "c2", "empty": "", "n": 7}, "has_more": false});
        assert_eq!(string_at(&page, "/meta/next").as_deref(), Some("c2"));
        assert_eq!(string_at(&page, "/meta/n").as_deref(), Some("7"));
        assert_eq!(string_at(&page, "/meta/empty"), None);
        assert_eq!(string_at(&page, "/meta/none"), None);
        assert_eq!(bool_at(&page, "/has_more"), Some(false));
    }

    fn page(items: Vec<u32>, next: Option<&str>) -> ResponseValue<(Vec<u32>, Option<String>)> {
        ResponseValue::new(
            (items, next.map(str::to_owned)),
            StatusCode::OK,
            HeaderMap::new(),
        )
    }

    /// A fake server: the pages by cursor.
    fn pages(
        script: Vec<(Option<&'static str>, Vec<u32>, Option<&'static str>)>,
    ) -> Pages<'static, (Vec<u32>, Option<String>), ()> {
        let script = std::sync::Arc::new(script);
        Pages::new(
            move |next| {
                let script = script.clone();
                Box::pin(async move {
                    let cursor = match next {
                        Some(Next::Cursor(c)) => Some(c),
                        _ => None,
                    };
                    let (_, items, next) = script
                        .iter()
                        .find(|(at, _, _)| at.map(str::to_owned) == cursor)
                        .cloned()
                        .ok_or(Error::InvalidRequest(format!("no page {cursor:?}")))?;
                    Ok(page(items, next))
                })
            },
            |page, _| page.1.clone().map(Next::Cursor),
        )
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn items_across_pages_until_no_cursor() {
        let mut items = pages(vec![
            (None, vec![1, 2], Some("b")),
            (Some("b"), vec![], Some("c")),
            (Some("c"), vec![3], None),
        ])
        .items(|p| p.0);
        let got: Vec<u32> = block_on(async {
            let mut out = Vec::new();
            while let Some(i) = items.next().await {
                out.push(i.unwrap());
            }
            out
        });
        assert_eq!(got, [1, 2, 3]);
    }

    #[test]
    fn a_repeated_cursor_is_an_error_not_a_loop() {
        let mut items = pages(vec![
            (None, vec![1], Some("b")),
            (Some("b"), vec![2], Some("b")),
        ])
        .items(|p| p.0);
        let got: Vec<Result<u32, String>> = block_on(async {
            let mut out = Vec::new();
            while let Some(i) = items.next().await {
                out.push(i.map_err(|e| e.to_string()));
            }
            out
        });
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(&got[..2], [Ok(1), Ok(2)]);
        assert!(
            got[2]
                .as_ref()
                .unwrap_err()
                .contains("cursor of an earlier page"),
            "{got:?}"
        );
    }

    #[test]
    fn limits_stop_early() {
        let script = vec![
            (None, vec![1, 2], Some("b")),
            (Some("b"), vec![3, 4], Some("c")),
            (Some("c"), vec![5], None),
        ];
        let collect = |mut items: Items<'static, _, u32, ()>| {
            block_on(async move {
                let mut out = Vec::new();
                while let Some(i) = items.next().await {
                    out.push(i.unwrap());
                }
                out
            })
        };
        assert_eq!(
            collect(pages(script.clone()).items(|p| p.0).max_items(3)),
            [1, 2, 3]
        );
        assert_eq!(collect(pages(script).items(|p| p.0).max_pages(1)), [1, 2]);
    }
}
