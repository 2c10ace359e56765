//! The events of a streaming response: bytes from the transport → [`sse`](crate::sse) events
//! → the action's response type, each handed over as soon as its blank line arrives.
//!
//! Once the stream has begun nothing is retried (the service has acted); an idle timeout
//! replaces the attempt timeout; the call's `tracing` span stays open until the end. A
//! broken connection, an idle timeout or an error event is one error item, then the end.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::decode::Decode;
use futures_core::Stream;
use serde::Deserialize;

use crate::call::response::typed;
use crate::call::span::CallSpan;
use crate::error::{Error, ErrorCode, ErrorKind, InvalidResponse, TimeoutError, TimeoutKind};
use crate::sse::{Parser, SseEvent};
use crate::transport::{BodyStream, HttpResponse, StreamingResponse};

/// The events of a streaming call, each the action's response type `T` (the fields an
/// event lacks are `None`), or the error that ended the stream (service errors typed as
/// `E`). A [`futures_core::Stream`]: with `futures::StreamExt`, `while let Some(event) =
/// events.next().await`.
pub struct EventStream<T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>,
    request_id: String,
}

impl<T, E> EventStream<T, E> {
    pub(crate) fn new(
        inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>,
        request_id: String,
    ) -> Self {
        Self { inner, request_id }
    }

    /// The RequestId of the response (its `X-TC-RequestId` header), for Tencent support.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// What the service sent, as events: a stream, or one envelope (an action that streams only
/// when asked, answering without streaming).
pub(crate) enum Source {
    Events(StreamingResponse),
    Whole(HttpResponse),
}

/// The events before they are typed. Not generic, so it is compiled once.
pub(crate) struct RawEvents {
    body: Option<BodyStream>,
    whole: Option<HttpResponse>,
    parser: Parser,
    idle: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
    span: CallSpan,
    events: u64,
    done: bool,
}

/// One raw item: an event's data, or the whole envelope of a response that did not stream.
pub(crate) enum Raw {
    Event(SseEvent),
    Whole(HttpResponse),
}

impl RawEvents {
    pub(crate) fn new(source: Source, idle: Duration, span: CallSpan) -> Self {
        let (body, whole) = match source {
            Source::Events(head) => (Some(head.into_body()), None),
            Source::Whole(answer) => (None, Some(answer)),
        };
        Self {
            body,
            whole,
            parser: Parser::default(),
            idle,
            timer: Box::pin(tokio::time::sleep(idle)),
            span,
            events: 0,
            done: false,
        }
    }

    /// Ends the stream once: drops the connection and closes the span with `error`, if any.
    fn finish(&mut self, error: Option<&ErrorKind>) {
        if !self.done {
            self.done = true;
            self.body = None;
            self.span.stream_ended(self.events, error);
        }
    }

    /// Ends the stream, closing the span with `error`, and yields it.
    fn end(&mut self, error: Option<ErrorKind>) -> Poll<Option<Result<Raw, ErrorKind>>> {
        self.finish(error.as_ref());
        Poll::Ready(error.map(Err))
    }

    /// Ends the stream with an error that an event carried (the service's error, or one it
    /// could not be read as).
    pub(crate) fn fail(&mut self, error: &ErrorKind) {
        self.finish(Some(error));
    }
}

impl Stream for RawEvents {
    type Item = Result<Raw, ErrorKind>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(whole) = this.whole.take() {
            this.events = 1;
            this.finish(None);
            return Poll::Ready(Some(Ok(Raw::Whole(whole))));
        }
        let _entered = this.span.span().clone().entered();
        loop {
            if let Some(event) = this.parser.next_event() {
                this.events += 1;
                return Poll::Ready(Some(Ok(Raw::Event(event))));
            }
            let Some(body) = this.body.as_mut() else {
                return this.end(None);
            };
            match body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(bytes))) => {
                    let deadline = tokio::time::Instant::now() + this.idle;
                    this.timer.as_mut().reset(deadline);
                    if let Err(too_large) = this.parser.push(&bytes) {
                        let invalid = InvalidResponse::new(
                            200,
                            Some("text/event-stream"),
                            &bytes,
                            too_large.to_string(),
                        );
                        return this.end(Some(ErrorKind::InvalidResponse(invalid)));
                    }
                }
                Poll::Ready(Some(Err(broken))) => {
                    return this.end(Some(ErrorKind::Transport(broken)))
                }
                // An event cut off by the end of the stream is dropped, as the format says.
                Poll::Ready(None) => return this.end(None),
                Poll::Pending => {
                    if this.timer.as_mut().poll(cx).is_ready() {
                        let idle = TimeoutError {
                            kind: TimeoutKind::StreamIdle,
                            limit: this.idle,
                            attempts: 1,
                            trace_id: None,
                        };
                        return this.end(Some(ErrorKind::Timeout(idle)));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

/// The typed events: each raw event read as `T`, service errors typed as `E`.
pub(crate) struct Typed<T, E> {
    raw: RawEvents,
    request_id: String,
    call: (String, String),
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> Typed<T, E> {
    pub(crate) fn new(raw: RawEvents, request_id: String, call: (String, String)) -> Self {
        Self {
            raw,
            request_id,
            call,
            _types: PhantomData,
        }
    }
}

impl<T: Decode, E: ErrorCode> Stream for Typed<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let raw = match Pin::new(&mut this.raw).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(Some(Ok(raw))) => raw,
        };
        let call = Some((this.call.0.as_str(), this.call.1.as_str()));
        let item = match raw {
            Raw::Whole(answer) => typed(call, &answer).map_err(ErrorKind::InvalidResponse),
            Raw::Event(event) => match read_event(&event, &this.request_id) {
                Ok(None) => {
                    // The `[DONE]` marker: the end, as a success.
                    this.raw.finish(None);
                    return Poll::Ready(None);
                }
                Ok(Some(envelope)) => typed(call, &envelope).map_err(ErrorKind::InvalidResponse),
                Err(error) => {
                    this.raw.fail(&error);
                    Err(error)
                }
            },
        };
        Poll::Ready(Some(item.map_err(Error::from)))
    }
}

#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

/// An event's data as the envelope the decoding policy reads: `{"Response": {..fields..,
/// "RequestId": ..}}`, with the stream's RequestId added where the event has none. `None`
/// for the `[DONE]` marker some streams end with; an error event is the service's error.
fn read_event(event: &SseEvent, request_id: &str) -> Result<Option<HttpResponse>, ErrorKind> {
    let data = event.data.trim();
    if data == "[DONE]" {
        return Ok(None);
    }
    let invalid = |reason: String| {
        ErrorKind::InvalidResponse(InvalidResponse::new(
            200,
            Some("text/event-stream"),
            data.as_bytes(),
            reason,
        ))
    };
    let value: serde_json::Value = serde_json::from_str(data)
        .map_err(|e| invalid(format!("an event's data is not JSON: {e}")))?;
    let serde_json::Value::Object(mut fields) = value else {
        return Err(invalid("an event's data is not a JSON object".to_owned()));
    };
    // Some services wrap an event as a whole envelope.
    if let Some(serde_json::Value::Object(inner)) = fields.get("Response") {
        fields = inner.clone();
    }
    if let Some(error) = fields.get("Error") {
        let probe = ErrorProbe::deserialize(error)
            .map_err(|e| invalid(format!("an error event without a code: {e}")))?;
        let request_id = match fields.get("RequestId") {
            Some(serde_json::Value::String(id)) => id.clone(),
            _ => request_id.to_owned(),
        };
        return Err(ErrorKind::service(probe.code, probe.message, request_id));
    }
    if !fields.contains_key("RequestId") {
        fields.insert(
            "RequestId".to_owned(),
            serde_json::Value::String(request_id.to_owned()),
        );
    }
    let envelope = serde_json::json!({ "Response": fields });
    let body = serde_json::to_vec(&envelope).map_err(|e| invalid(e.to_string()))?;
    Ok(Some(http::Response::new(bytes::Bytes::from(body))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(data: &str) -> SseEvent {
        SseEvent {
            data: data.to_owned(),
            ..SseEvent::default()
        }
    }

    #[test]
    fn an_event_gets_the_streams_request_id_unless_it_has_one() {
        let read = |data| {
            let answer = read_event(&event(data), "r-header").unwrap().unwrap();
            String::from_utf8(answer.body().to_vec()).unwrap()
        };
        assert_eq!(
            read(r#"{"Note":"x"}"#),
            r#"{"Response":{"Note":"x","RequestId":"r-header"}}"#
        );
        assert_eq!(
            read(r#"{"Note":"x","RequestId":"r-own"}"#),
            r#"{"Response":{"Note":"x","RequestId":"r-own"}}"#
        );
        assert!(read_event(&event("[DONE]"), "r").unwrap().is_none());
    }

    #[test]
    fn an_error_event_is_the_services_error_and_junk_is_an_invalid_answer() {
        let error = read_event(
            &event(r#"{"Response":{"Error":{"Code":"FailedOperation","Message":"m"}}}"#),
            "r",
        )
        .unwrap_err();
        assert_eq!(error.code(), Some("FailedOperation"));
        assert_eq!(error.request_id(), Some("r"));
        let junk = read_event(&event("not json"), "r").unwrap_err();
        assert!(
            matches!(junk, ErrorKind::InvalidResponse(ref e) if e.reason.starts_with("an event's data is not JSON"))
        );
    }
}
