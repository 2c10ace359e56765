//! What the local endpoint answers: a success, an error envelope, raw bytes, a dropped
//! connection or an oversized body, optionally after a delay.

use std::time::Duration;

use bytes::Bytes;

/// One scripted answer of the local endpoint.
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
    Oversized(usize),
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

    /// A valid success envelope padded to at least `bytes` bytes.
    pub fn oversized(bytes: usize) -> Self {
        Self::of(ReplyBody::Oversized(bytes))
    }

    /// Waits `delay` before answering (or dropping the connection).
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}
