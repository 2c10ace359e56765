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

use crate::call::pending::{read_whole, Answer};
use crate::call::response::{typed_event, Output};
use crate::call::span::CallSpan;
use crate::envelope::{self, Event};
use crate::error::{Error, ErrorCode, ErrorKind, InvalidResponse, TimeoutError, TimeoutKind};
use crate::sse::{Parser, SseEvent};
use crate::transport::{BodyStream, StreamingResponse};

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
/// when asked, answering without streaming), its output read as the envelope was classified.
pub(crate) enum Source {
    Events(StreamingResponse),
    Whole(Output),
}

/// The events before they are typed. Not generic, so it is compiled once.
pub(crate) struct RawEvents {
    body: Option<BodyStream>,
    whole: Option<Output>,
    parser: Parser,
    idle: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
    span: CallSpan,
    events: u64,
    done: bool,
}

/// One raw item: an event's data, or the output of a response that did not stream.
pub(crate) enum Raw {
    Event(SseEvent),
    Whole(Output),
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
    /// could not be read as), and hands the error back.
    pub(crate) fn fail(&mut self, error: ErrorKind) -> ErrorKind {
        self.finish(Some(&error));
        error
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

impl<T: Decode + Send + 'static, E: ErrorCode> Stream for Typed<T, E> {
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
            // Read once already, as the envelope was classified: only its type is left.
            Raw::Whole(output) => return Poll::Ready(Some(read_whole(Answer::of_output(output)))),
            Raw::Event(event) => {
                // Read once: the data's tree is the envelope the output is typed from.
                let data = event.data.trim();
                match envelope::event(data, &this.request_id) {
                    Ok(Event::Done) => {
                        // The `[DONE]` marker: the end, as a success.
                        this.raw.finish(None);
                        return Poll::Ready(None);
                    }
                    Ok(Event::Success(tree)) => {
                        typed_event(call, &tree, data).map_err(ErrorKind::InvalidResponse)
                    }
                    Err(invalid) => Err(this.raw.fail(ErrorKind::InvalidResponse(invalid))),
                    Ok(Event::Failure {
                        code,
                        message,
                        request_id,
                    }) => Err(this.raw.fail(ErrorKind::service(code, message, request_id))),
                }
            }
        };
        Poll::Ready(Some(item.map_err(Error::from)))
    }
}
