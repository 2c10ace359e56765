//! Paging: the pages of a listing action, one call each, until the listing ends.
//!
//! A [`Paging`] (generated code declares one per paged action) names the request's position
//! fields (`Offset`/`Limit`, `PageNumber`/`PageSize`, or a cursor such as `NextToken`) and
//! what the response says of the listing (its total, its list of items, its next cursor).
//! The request is encoded once; each page sets its position in that JSON and goes through
//! the whole call path (retries and rate limits apply per page). After each page the response
//! is probed for those fields alone, and the listing ends:
//!
//! - by offset or page number: at the total, at an empty page, or at a page shorter than the
//!   `Limit`/`PageSize` the request set; never by asking for a page past the end;
//! - by cursor: when the response's cursor is absent, empty, or the one just sent.
//!
//! An error ends the listing after it is yielded (`pending::ReadAnswers`, which reads a
//! mock's replies too). All of this is compiled once, here; only reading each page as its
//! type is generic.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};

use crate::body::{encode, BodyKind, Encoded, JSON_CONTENT_TYPE};
use crate::call::pending::Answer;
use crate::error::{Error, ErrorKind, InvalidRequest, InvalidResponse};
use crate::transport::HttpResponse;

/// How an action pages, as generated code declares it in a `static`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Paging {
    /// `Offset` and `Limit` in the request.
    Offset {
        /// The request's offset field.
        offset: &'static str,
        /// The request's page size field.
        limit: &'static str,
        /// The response's total count field, if it has one.
        total: Option<&'static str>,
        /// The response's list of items, if it has exactly one.
        items: Option<&'static str>,
    },
    /// `PageNumber` (from 1) and `PageSize` in the request.
    Page {
        /// The request's page number field.
        number: &'static str,
        /// The request's page size field.
        size: &'static str,
        /// The response's total count field, if it has one.
        total: Option<&'static str>,
        /// The response's list of items, if it has exactly one.
        items: Option<&'static str>,
    },
    /// A cursor: the response's `output` field is the next request's `input` field.
    Cursor {
        /// The request's cursor field.
        input: &'static str,
        /// The response's next cursor field.
        output: &'static str,
        /// The response's list of items, if it has exactly one.
        items: Option<&'static str>,
    },
}

impl Paging {
    /// Paging by `offset` and `limit`.
    pub const fn offset(offset: &'static str, limit: &'static str) -> Self {
        Self::Offset {
            offset,
            limit,
            total: None,
            items: None,
        }
    }

    /// Paging by page `number` (from 1) and `size`.
    pub const fn page(number: &'static str, size: &'static str) -> Self {
        Self::Page {
            number,
            size,
            total: None,
            items: None,
        }
    }

    /// Paging by a cursor: the response's `output` is the next request's `input`.
    pub const fn cursor(input: &'static str, output: &'static str) -> Self {
        Self::Cursor {
            input,
            output,
            items: None,
        }
    }

    /// The response's total count field.
    #[must_use]
    pub const fn total(self, field: &'static str) -> Self {
        match self {
            Self::Offset {
                offset,
                limit,
                items,
                ..
            } => Self::Offset {
                offset,
                limit,
                total: Some(field),
                items,
            },
            Self::Page {
                number,
                size,
                items,
                ..
            } => Self::Page {
                number,
                size,
                total: Some(field),
                items,
            },
            // A cursor's listing ends with its cursor; a total says nothing more.
            Self::Cursor { .. } => self,
        }
    }

    /// The response's list of items.
    #[must_use]
    pub const fn items(self, field: &'static str) -> Self {
        match self {
            Self::Offset {
                offset,
                limit,
                total,
                ..
            } => Self::Offset {
                offset,
                limit,
                total,
                items: Some(field),
            },
            Self::Page {
                number,
                size,
                total,
                ..
            } => Self::Page {
                number,
                size,
                total,
                items: Some(field),
            },
            Self::Cursor { input, output, .. } => Self::Cursor {
                input,
                output,
                items: Some(field),
            },
        }
    }

    fn total_field(&self) -> Option<&'static str> {
        match *self {
            Self::Offset { total, .. } | Self::Page { total, .. } => total,
            Self::Cursor { .. } => None,
        }
    }

    fn items_field(&self) -> Option<&'static str> {
        match *self {
            Self::Offset { items, .. } | Self::Page { items, .. } | Self::Cursor { items, .. } => {
                items
            }
        }
    }

    fn cursor_field(&self) -> Option<&'static str> {
        match *self {
            Self::Cursor { output, .. } => Some(output),
            _ => None,
        }
    }
}

/// The results of a paged call, one at a time: its pages (`<method>_pages`) or its items
/// (`<method>_items`), each `Ok`, or the error that ended the listing. A
/// [`futures_core::Stream`]: with `futures::StreamExt`, `while let Some(page) =
/// pages.next().await`.
pub struct Paged<T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>,
}

impl<T, E> Paged<T, E> {
    pub(crate) fn new(inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>) -> Self {
        Self { inner }
    }
}

impl<T, E> Stream for Paged<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for Paged<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged").finish_non_exhaustive()
    }
}

/// Where the listing is, and the request to send for the next page. Not generic.
#[derive(Debug)]
pub(crate) struct Listing {
    paging: Paging,
    body: Map<String, Value>,
    position: Position,
    /// The page size the request set, if it set one.
    size: Option<u64>,
    /// Items seen so far (page numbers only).
    seen: u64,
    done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    Offset(u64),
    Page(u64),
    Token(Option<String>),
}

/// What a page's response says of the listing.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PageInfo {
    total: Option<u64>,
    items: Option<u64>,
    cursor: Option<String>,
}

impl Listing {
    /// The listing of a request encoded as JSON, from the position it sets (or the first).
    pub(crate) fn new(paging: Paging, encoded: &Encoded) -> Result<Self, ErrorKind> {
        let invalid = |what: &str| {
            ErrorKind::InvalidRequest(InvalidRequest::Serialize(format!(
                "a paged request must be a JSON object: {what}"
            )))
        };
        let body: Map<String, Value> =
            serde_json::from_slice(&encoded.bytes).map_err(|e| invalid(&e.to_string()))?;
        let number = |field: &str| body.get(field).and_then(Value::as_u64);
        let (position, size) = match paging {
            Paging::Offset { offset, limit, .. } => {
                (Position::Offset(number(offset).unwrap_or(0)), number(limit))
            }
            Paging::Page {
                number: n, size, ..
            } => (Position::Page(number(n).unwrap_or(1).max(1)), number(size)),
            Paging::Cursor { input, .. } => {
                let token = body.get(input).and_then(Value::as_str).map(str::to_owned);
                (Position::Token(token), None)
            }
        };
        Ok(Self {
            paging,
            body,
            position,
            size,
            seen: 0,
            done: false,
        })
    }

    /// Whether the listing has ended.
    pub(crate) fn done(&self) -> bool {
        self.done
    }

    /// The next page's request.
    pub(crate) fn request(&mut self) -> Result<Encoded, ErrorKind> {
        match (&self.position, self.paging) {
            (Position::Offset(at), Paging::Offset { offset, .. }) => {
                self.body.insert(offset.to_owned(), Value::from(*at));
            }
            (Position::Page(at), Paging::Page { number, .. }) => {
                self.body.insert(number.to_owned(), Value::from(*at));
            }
            (Position::Token(Some(token)), Paging::Cursor { input, .. }) => {
                self.body
                    .insert(input.to_owned(), Value::from(token.as_str()));
            }
            _ => {}
        }
        encode(BodyKind::Json, &self.body)
            .map_err(|e| ErrorKind::InvalidRequest(InvalidRequest::Serialize(e.to_string())))
    }

    /// Reads what a page's response says of the listing, and moves to the next page or ends.
    pub(crate) fn advance(&mut self, answer: &HttpResponse) -> Result<(), ErrorKind> {
        let info = probe(self.paging, answer.body()).map_err(|reason| {
            ErrorKind::InvalidResponse(InvalidResponse::new(
                answer.status().as_u16(),
                Some(JSON_CONTENT_TYPE),
                answer.body(),
                format!("the page does not say where the listing is: {reason}"),
            ))
        })?;
        self.step(&info);
        Ok(())
    }

    fn step(&mut self, info: &PageInfo) {
        match self.position.clone() {
            Position::Offset(at) => {
                let step = match (info.items, self.size, info.total) {
                    (Some(items), _, _) => items,
                    // No list to count: step by the Limit, and only toward a known total.
                    (None, Some(size), Some(_)) => size,
                    _ => {
                        self.done = true;
                        return;
                    }
                };
                let next = at.saturating_add(step);
                self.done = step == 0
                    || info.total.is_some_and(|total| next >= total)
                    || short(info.items, self.size);
                self.position = Position::Offset(next);
            }
            Position::Page(at) => {
                self.seen = self.seen.saturating_add(info.items.unwrap_or(0));
                let counted = match (info.total, self.size, info.items) {
                    (Some(total), Some(size), _) => at.saturating_mul(size) >= total,
                    (Some(total), None, Some(_)) => self.seen >= total,
                    _ => false,
                };
                let unknowable =
                    info.items.is_none() && !(info.total.is_some() && self.size.is_some());
                self.done =
                    info.items == Some(0) || counted || short(info.items, self.size) || unknowable;
                self.position = Position::Page(at.saturating_add(1));
            }
            Position::Token(sent) => {
                let next = info.cursor.clone().filter(|token| !token.is_empty());
                self.done = next.is_none() || next == sent;
                self.position = Position::Token(next);
            }
        }
    }
}

/// Whether a page had fewer items than the page size the request set.
fn short(items: Option<u64>, size: Option<u64>) -> bool {
    matches!((items, size), (Some(items), Some(size)) if items < size)
}

/// The listing's fields of a response, read without building anything else: the total as a
/// number (or numeric text), the items list's length, the cursor as text.
fn probe(paging: Paging, body: &[u8]) -> Result<PageInfo, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let info = PageEnvelope(paging)
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    Ok(info)
}

/// `{"Response": {..}}`, reading only `Response`.
struct PageEnvelope(Paging);

impl<'de> DeserializeSeed<'de> for PageEnvelope {
    type Value = PageInfo;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PageInfo, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PageEnvelope {
    type Value = PageInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Tencent Cloud envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PageInfo, A::Error> {
        let mut info = PageInfo::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "Response" {
                info = map.next_value_seed(PageFields(self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(info)
    }
}

/// The `Response` object, reading only the listing's fields.
struct PageFields(Paging);

impl<'de> DeserializeSeed<'de> for PageFields {
    type Value = PageInfo;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PageInfo, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PageFields {
    type Value = PageInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the `Response` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PageInfo, A::Error> {
        let paging = self.0;
        let mut info = PageInfo::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = Some(key.as_ref());
            if key == paging.total_field() {
                info.total = map.next_value::<Count>()?.0;
            } else if key == paging.items_field() {
                info.items = map.next_value::<Length>()?.0;
            } else if key == paging.cursor_field() {
                info.cursor = map.next_value::<Option<Value>>()?.and_then(|v| match v {
                    Value::String(text) => Some(text),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(info)
    }
}

/// A count: a number, numeric text (responses drift), or `null`.
struct Count(Option<u64>);

impl<'de> de::Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(match Value::deserialize(d)? {
            Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }))
    }
}

/// A list's length, without reading its items; `null` or absent is no list.
struct Length(Option<u64>);

impl<'de> de::Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Length;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Length, A::Error> {
                let mut n = 0u64;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Length(Some(n)))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Length, E> {
                Ok(Length(None))
            }

            fn visit_none<E: de::Error>(self) -> Result<Length, E> {
                Ok(Length(None))
            }
        }
        d.deserialize_any(Counter)
    }
}

/// A listing that could not start: its error, then the end.
pub(crate) struct NotStarted(pub(crate) Option<ErrorKind>);

impl Stream for NotStarted {
    type Item = Answer;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Answer>> {
        Poll::Ready(self.0.take().map(Answer::Failed))
    }
}

/// A page in flight, and the listing it belongs to: not generic, the page's output decoded
/// in it.
pub(crate) type PageWork = Pin<Box<dyn Future<Output = (Listing, Answer)> + Send>>;

/// A listing's pages as answers: one page's work at a time, each given the listing back.
pub(crate) struct PageAnswers {
    listing: Option<Listing>,
    next: Box<dyn FnMut(Listing) -> PageWork + Send>,
    pending: Option<PageWork>,
}

impl PageAnswers {
    pub(crate) fn new(listing: Listing, next: Box<dyn FnMut(Listing) -> PageWork + Send>) -> Self {
        Self {
            listing: Some(listing),
            next,
            pending: None,
        }
    }
}

impl Stream for PageAnswers {
    type Item = Answer;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Answer>> {
        let this = &mut *self;
        if this.pending.is_none() {
            match this.listing.take() {
                Some(listing) if !listing.done() => this.pending = Some((this.next)(listing)),
                _ => return Poll::Ready(None),
            }
        }
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let (listing, answer) = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        this.pending = None;
        this.listing = Some(listing);
        Poll::Ready(Some(answer))
    }
}

/// Items, page by page: each page's list handed over item by item.
pub(crate) struct ItemStream<P, I, E> {
    pages: Paged<P, E>,
    project: fn(P) -> Vec<I>,
    buffer: std::vec::IntoIter<I>,
}

impl<P, I, E> ItemStream<P, I, E> {
    pub(crate) fn new(pages: Paged<P, E>, project: fn(P) -> Vec<I>) -> Self {
        Self {
            pages,
            project,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<P, I: Unpin, E> Stream for ItemStream<P, I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffer = (this.project)(page).into_iter(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(paging: Paging, request: &str) -> Listing {
        let encoded = Encoded {
            bytes: request.as_bytes().to_vec().into(),
            content_type: http::HeaderValue::from_static(JSON_CONTENT_TYPE),
            headers: Vec::new(),
        };
        Listing::new(paging, &encoded).unwrap()
    }

    fn info(total: Option<u64>, items: Option<u64>, cursor: Option<&str>) -> PageInfo {
        PageInfo {
            total,
            items,
            cursor: cursor.map(str::to_owned),
        }
    }

    const OFFSET: Paging = Paging::offset("Offset", "Limit")
        .total("TotalCount")
        .items("InstanceSet");

    #[test]
    fn offsets_advance_by_the_items_and_stop_at_the_total_or_a_short_page() {
        let mut l = listing(OFFSET, r#"{"Limit": 2}"#);
        l.step(&info(Some(5), Some(2), None));
        assert_eq!((l.position.clone(), l.done), (Position::Offset(2), false));
        l.step(&info(Some(5), Some(2), None));
        l.step(&info(Some(5), Some(1), None));
        assert!(l.done, "4 + 1 reached the total of 5");
        // A short page ends a listing whose total is unknown.
        let mut l = listing(
            Paging::offset("Offset", "Limit").items("Items"),
            r#"{"Limit": 2}"#,
        );
        l.step(&info(None, Some(2), None));
        assert!(!l.done);
        l.step(&info(None, Some(1), None));
        assert!(l.done);
        // Exactly the total on a full page: no page past the end.
        let mut l = listing(OFFSET, r#"{"Limit": 2, "Offset": 2}"#);
        l.step(&info(Some(4), Some(2), None));
        assert!(l.done);
        // An empty page ends it.
        let mut l = listing(OFFSET, "{}");
        l.step(&info(Some(10), Some(0), None));
        assert!(l.done);
    }

    #[test]
    fn page_numbers_count_from_the_request_and_stop_at_the_total() {
        let paging = Paging::page("PageNumber", "PageSize")
            .total("Total")
            .items("List");
        let mut l = listing(paging, r#"{"PageSize": 3}"#);
        l.request().unwrap();
        assert_eq!(l.body["PageNumber"], 1);
        l.step(&info(Some(7), Some(3), None));
        // Compared as JSON: the key order depends on serde_json's features in the build.
        let sent: Value = serde_json::from_slice(&l.request().unwrap().bytes).unwrap();
        assert_eq!(sent, serde_json::json!({"PageNumber": 2, "PageSize": 3}));
        l.step(&info(Some(7), Some(3), None));
        assert!(!l.done);
        l.step(&info(Some(7), Some(1), None));
        assert!(l.done);
    }

    #[test]
    fn a_cursor_ends_when_absent_empty_or_repeated() {
        let paging = Paging::cursor("NextToken", "NextToken").items("Items");
        let mut l = listing(paging, "{}");
        l.step(&info(None, Some(3), Some("t1")));
        assert_eq!(
            l.request().unwrap().bytes,
            r#"{"NextToken":"t1"}"#.as_bytes()
        );
        l.step(&info(None, Some(3), Some("t1")));
        assert!(l.done, "the same token again would loop");
        let mut l = listing(paging, "{}");
        l.step(&info(None, Some(3), Some("")));
        assert!(l.done);
    }

    #[test]
    fn the_probe_reads_only_the_listing_fields_and_tolerates_drift() {
        let body = br#"{"Response": {"TotalCount": "12", "InstanceSet": [{"a": [1, 2]}, {}, {}], "Other": {"x": 1}, "RequestId": "r"}}"#;
        assert_eq!(probe(OFFSET, body).unwrap(), info(Some(12), Some(3), None));
        let null = br#"{"Response": {"TotalCount": null, "InstanceSet": null, "RequestId": "r"}}"#;
        assert_eq!(probe(OFFSET, null).unwrap(), info(None, None, None));
        let cursor = Paging::cursor("NextToken", "NextToken");
        let body = br#"{"Response": {"NextToken": "abc", "RequestId": "r"}}"#;
        assert_eq!(probe(cursor, body).unwrap(), info(None, None, Some("abc")));
        assert!(probe(OFFSET, b"not json").is_err());
    }
}
