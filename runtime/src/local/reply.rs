//! What the local endpoint answers: a success, an error envelope, raw bytes, a dropped
//! connection, an oversized body, or an event stream played step by step, optionally after
//! a delay.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::watch;

/// One scripted response of the local endpoint.
#[derive(Debug, Clone)]
pub struct Reply {
    pub(crate) body: ReplyBody,
    pub(crate) delay: Option<Duration>,
}

#[derive(Debug, Clone)]
pub(crate) enum ReplyBody {
    Success(serde_json::Value),
    Error {
        code: String,
        message: String,
    },
    Raw {
        status: u16,
        content_type: String,
        body: Bytes,
    },
    Drop,
    DropUnread,
    CutShort(serde_json::Value),
    Oversized(usize),
    Stream(Vec<Step>),
}

/// One step of a scripted event stream (see [`Reply::stream`]).
#[derive(Debug, Clone)]
pub struct Step(pub(crate) StepKind);

#[derive(Debug, Clone)]
pub(crate) enum StepKind {
    Send(Bytes),
    Delay(Duration),
    Wait(Gate),
    Break,
}

impl Step {
    /// Sends one event whose data is `fields` (`data: {..}` and a blank line).
    pub fn event(fields: serde_json::Value) -> Self {
        Self::raw(format!("data: {fields}\n\n"))
    }

    /// Sends these bytes as they are: a comment, a partial event, an event split in two.
    pub fn raw(text: impl Into<Bytes>) -> Self {
        Self(StepKind::Send(text.into()))
    }

    /// Waits before the next step.
    pub fn delay(delay: Duration) -> Self {
        Self(StepKind::Delay(delay))
    }

    /// Waits until `gate` is opened: the test decides when the stream goes on.
    pub fn wait(gate: &Gate) -> Self {
        Self(StepKind::Wait(gate.clone()))
    }

    /// Breaks the connection in the middle of the stream.
    pub fn disconnect() -> Self {
        Self(StepKind::Break)
    }
}

/// A gate a scripted stream waits at ([`Step::wait`]) until the test opens it; open, it
/// stays open.
#[derive(Debug, Clone)]
pub struct Gate(Arc<watch::Sender<bool>>);

impl Gate {
    /// A closed gate.
    pub fn new() -> Self {
        Self(Arc::new(watch::Sender::new(false)))
    }

    /// Opens the gate.
    pub fn open(&self) {
        self.0.send_replace(true);
    }

    pub(crate) async fn passed(&self) {
        let mut open = self.0.subscribe();
        // The sender lives in `self`, so the wait ends only when the gate opens.
        let _ = open.wait_for(|open| *open).await;
    }
}

impl Default for Gate {
    fn default() -> Self {
        Self::new()
    }
}

impl Reply {
    fn of(body: ReplyBody) -> Self {
        Self { body, delay: None }
    }

    /// HTTP 200 with `{"Response": {..output.., "RequestId": ".."}}`. `output` is the JSON
    /// object of output fields; a fresh RequestId is added unless it has one.
    pub fn success(output: serde_json::Value) -> Self {
        Self::of(ReplyBody::Success(output))
    }

    /// HTTP 200 with the error envelope for `code` and `message`, as Tencent Cloud answers.
    pub fn error(code: &str, message: &str) -> Self {
        Self::of(ReplyBody::Error {
            code: code.to_owned(),
            message: message.to_owned(),
        })
    }

    /// Exactly these bytes with this status and content type: for truncated JSON, an HTML
    /// gateway page, an empty body, an envelope without RequestId.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::of(ReplyBody::Raw {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
        })
    }

    /// Closes the connection after reading the request, without answering.
    pub fn drop_connection() -> Self {
        Self::of(ReplyBody::Drop)
    }

    /// Closes the connection as the request's head arrives, before its body is read: the
    /// request never reaches the service. Only a [`crate::local::LocalEndpoint::reply_with`]
    /// reply is made that early; in a script, made after the body is read, it closes the
    /// connection there, as [`Reply::drop_connection`] does.
    pub fn drop_unread() -> Self {
        Self::of(ReplyBody::DropUnread)
    }

    /// HTTP 200 with the success envelope for `output` (as [`Reply::success`]), cut off
    /// half-way: the `Content-Length` is the whole body's, and the connection closes after
    /// the first half, as a connection that breaks mid-response does.
    pub fn cut_short(output: serde_json::Value) -> Self {
        Self::of(ReplyBody::CutShort(output))
    }

    /// A valid success envelope padded to at least `bytes` bytes.
    pub fn oversized(bytes: usize) -> Self {
        Self::of(ReplyBody::Oversized(bytes))
    }

    /// HTTP 200, `text/event-stream`, with a fresh `X-TC-RequestId`, playing `steps` in
    /// order: events, delays, waits at a [`Gate`], a broken connection. The stream ends
    /// after the last step.
    pub fn stream(steps: impl IntoIterator<Item = Step>) -> Self {
        Self::of(ReplyBody::Stream(steps.into_iter().collect()))
    }

    /// Waits `delay` before answering (or dropping the connection).
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}
