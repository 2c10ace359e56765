//! The one error type of every generated client method: what went wrong ([`ErrorKind`], the
//! same for every action), typed by the action's error enum so that a service error's code
//! is a variant to match on ([`Error::service_code`]).

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::credential::CredentialError;
use crate::transport::TransportError;

/// What can go wrong with a call, typed for its action: an [`ErrorKind`] (what went wrong, the
/// same for every action) behind one pointer, and `E`, the action's error enum, which names
/// the service's code as a variant ([`Error::service_code`]).
///
/// It owns nothing of type `E`: every action's `Error` is one pointer wide and drops through
/// the same code, compiled once in this crate, so a crate that calls many actions does not
/// compile the error's whole drop again for each (docs/benchmarks.md, "What users compile").
/// Match on [`Error::kind`], or ask [`Error::service_code`] for the typed code.
pub struct Error<E> {
    kind: Box<ErrorKind>,
    code: PhantomData<fn() -> E>,
}

/// What went wrong with a call, whatever the action: the variants of [`Error::kind`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service answered with an error envelope.
    Service(ServiceError),
    /// An attempt, or the whole call, ran out of time.
    Timeout(TimeoutError),
    /// The request got no complete HTTP response.
    Transport(TransportError),
    /// The response was not a Tencent Cloud envelope (an HTML error page, truncated JSON, no
    /// RequestId) or did not match the response type.
    InvalidResponse(InvalidResponse),
    /// No credential could be found to sign the request.
    Credential(CredentialError),
    /// The request was not sent because it could not be valid (too large, no region).
    InvalidRequest(InvalidRequest),
    /// A blocking client could not run the call.
    Blocking(BlockingError),
}

impl<E> From<ErrorKind> for Error<E> {
    fn from(kind: ErrorKind) -> Self {
        Self {
            kind: boxed(kind),
            code: PhantomData,
        }
    }
}

/// `kind` boxed, in one place: the conversion above is generic, compiled in every SDK crate
/// once per action's error type, and each copy would carry the allocation's code.
#[inline(never)]
fn boxed(kind: ErrorKind) -> Box<ErrorKind> {
    Box::new(kind)
}

impl<E> Error<E> {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// What went wrong, owned.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    /// The same error, typed for another action's error enum (or for `()`).
    pub fn retyped<F>(self) -> Error<F> {
        Error {
            kind: self.kind,
            code: PhantomData,
        }
    }

    /// Whether the failure is transient, so that the same request may succeed later:
    /// rate limits, network failures, timeouts, and gateway errors (HTTP 502, 503, 504).
    ///
    /// For a failure after the request was sent (a timeout, a dropped connection) the
    /// service may already have acted on it; the runtime retries those only for actions that
    /// are safe to repeat.
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    /// The service's error, if it answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        self.kind.service_error()
    }

    /// The service's error code (`FailedOperation.EmailAlreadyUsed`), if it answered with one.
    pub fn code(&self) -> Option<&str> {
        self.kind.code()
    }

    /// The RequestId of the response, for Tencent support, if the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.kind.request_id()
    }

    /// The `X-TC-TraceId` of the attempt that failed, if one was sent.
    pub fn trace_id(&self) -> Option<&str> {
        self.kind.trace_id()
    }
}

impl<E: ErrorCode> Error<E> {
    /// The service's code as a variant of the action's error enum, if the service answered
    /// with an error: a code the action documents is its own variant, any other its
    /// `Common(CommonErrorCode::..)`, and a code nobody knows yet `Common(CommonErrorCode::Other)`.
    pub fn service_code(&self) -> Option<E> {
        self.code().map(E::from_code)
    }
}

impl ErrorKind {
    /// The service's error response: `code`, `message` and `RequestId`, before any trace id is
    /// known (the call path sets it with [`ErrorKind::set_trace_id`]).
    pub(crate) fn service(code: String, message: String, request_id: String) -> Self {
        ErrorKind::Service(ServiceError {
            code,
            message,
            request_id,
            trace_id: None,
        })
    }

    /// [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Service(e) => is_rate_limit(&e.code),
            Self::Timeout(_) => true,
            Self::Transport(e) => {
                e.kind() != crate::transport::TransportErrorKind::ResponseTooLarge
            }
            Self::InvalidResponse(e) => matches!(e.status, 502..=504),
            Self::Credential(_) | Self::InvalidRequest(_) | Self::Blocking(_) => false,
        }
    }

    /// [`Error::service_error`].
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// [`Error::code`].
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.code.as_str())
    }

    /// [`Error::request_id`].
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().map(|e| e.request_id.as_str())
    }

    /// [`Error::trace_id`].
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            Self::Service(e) => e.trace_id.as_deref(),
            Self::Timeout(e) => e.trace_id.as_deref(),
            Self::Transport(e) => e.trace_id(),
            Self::InvalidResponse(e) => e.trace_id.as_deref(),
            Self::Credential(_) | Self::InvalidRequest(_) | Self::Blocking(_) => None,
        }
    }

    /// Records the trace id of the attempt this error came from.
    pub(crate) fn set_trace_id(&mut self, trace_id: &str) {
        let id: Option<Box<str>> = Some(trace_id.into());
        match self {
            Self::Service(e) => e.trace_id = id,
            Self::Timeout(e) => e.trace_id = id,
            Self::Transport(e) => e.set_trace_id(trace_id),
            Self::InvalidResponse(e) => e.trace_id = id,
            Self::Credential(_) | Self::InvalidRequest(_) | Self::Blocking(_) => {}
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(e) => fmt::Display::fmt(e, f),
            Self::Timeout(e) => fmt::Display::fmt(e, f),
            Self::Transport(e) => fmt::Display::fmt(e, f),
            Self::InvalidResponse(e) => fmt::Display::fmt(e, f),
            Self::Credential(e) => fmt::Display::fmt(e, f),
            Self::InvalidRequest(e) => fmt::Display::fmt(e, f),
            Self::Blocking(e) => fmt::Display::fmt(e, f),
        }
    }
}

/// Transparent: `Display` is the variant's own, and so is the `source()` chain under it
/// (a transport failure's cause, say), so that `anyhow`'s `{:#}` shows each message once.
impl std::error::Error for ErrorKind {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Service(e) => e.source(),
            Self::Timeout(e) => e.source(),
            Self::Transport(e) => e.source(),
            Self::InvalidResponse(e) => e.source(),
            Self::Credential(e) => e.source(),
            Self::InvalidRequest(e) => e.source(),
            Self::Blocking(e) => e.source(),
        }
    }
}

/// The [`ErrorKind`]'s, as if there were no `Error` around it.
impl<E> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.kind, f)
    }
}

/// The [`ErrorKind`]'s.
impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.kind, f)
    }
}

/// Transparent, as [`ErrorKind`] is: the same `Display` and `source()` chain.
impl<E> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// An error with its whole `source()` chain, each message once, joined by `: `
/// (`could not connect: error sending request: ...: Connection refused`): what logs want,
/// since a `Display` shows only its own level.
#[derive(Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl fmt::Debug for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Whether `code` is `RequestLimitExceeded` or one of its sub-codes.
pub(crate) fn is_rate_limit(code: &str) -> bool {
    code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.")
}

/// An error response from the service. Its code typed as the action's error enum is
/// [`Error::service_code`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The code exactly as the service sent it. Codes are stable; messages are not.
    pub code: String,
    /// The service's message, for people.
    pub message: String,
    /// The RequestId of the response.
    pub request_id: String,
    /// The `X-TC-TraceId` of the attempt that got this response, if the call path sent it.
    pub trace_id: Option<Box<str>>,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (RequestId {})",
            self.code, self.message, self.request_id
        )
    }
}

impl std::error::Error for ServiceError {}

/// The error enum of an action: one variant per code it knows, and a catch-all.
///
/// Generated code implements it for each action's enum; [`CommonErrorCode`] implements it
/// for the codes every action can return.
pub trait ErrorCode: Sized + fmt::Debug + Send + Sync + 'static {
    /// The variant for `code`, or the catch-all holding it.
    fn from_code(code: &str) -> Self;
    /// The code this variant stands for.
    fn code(&self) -> &str;
}

/// The index of `code` in `codes`, if it is there: how a generated error enum finds a
/// code's variant (`codes` is the enum's table of its documented codes), searched here so
/// that the search compiles once, not once per action.
#[inline(never)]
pub fn code_index(codes: &[&str], code: &str) -> Option<usize> {
    codes.iter().position(|known| *known == code)
}

macro_rules! common_codes {
    ($($variant:ident => $code:literal,)*) => {
        /// The error codes every Tencent Cloud API 3.0 action can return, and a catch-all.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonErrorCode {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
            /// A code not in the list above, kept as sent.
            Other(String),
        }

        // Not inlined: every generated error enum defers to these, and a copy of either
        // match in each enum's own would compile the common codes once per action.
        impl ErrorCode for CommonErrorCode {
            #[inline(never)]
            fn from_code(code: &str) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }

            #[inline(never)]
            fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Other(code) => code,
                }
            }
        }

        /// Every common error code, in the order of Tencent's list.
        pub const COMMON_ERROR_CODES: &[&str] = &[$($code,)*];
    };
}

// The list itself lives in tencentcloud-common-codes, shared with the generator.
tencentcloud_common_codes::with_common_codes!(common_codes);

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt took longer than the per-attempt timeout.
    Attempt,
    /// The whole call, retries and backoff included, took longer than the call timeout.
    Call,
    /// An event stream sent nothing for longer than its idle timeout.
    StreamIdle,
}

/// A call that ran out of time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeoutError {
    /// Which limit ran out.
    pub kind: TimeoutKind,
    /// The limit.
    pub limit: Duration,
    /// How many attempts were started.
    pub attempts: u32,
    /// The `X-TC-TraceId` of the attempt that timed out, if one had been sent.
    pub trace_id: Option<Box<str>>,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Call => "call",
            TimeoutKind::StreamIdle => "event stream",
        };
        write!(
            f,
            "{what} timed out after {:?} ({} attempt{})",
            self.limit,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for TimeoutError {}

/// A response that is not a usable Tencent Cloud envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidResponse {
    /// The HTTP status.
    pub status: u16,
    /// The Content-Type header, if any.
    pub content_type: Option<String>,
    /// What was wrong with it.
    pub reason: String,
    /// The start of the body (at most [`InvalidResponse::EXCERPT_LIMIT`] bytes, lossy UTF-8).
    pub excerpt: String,
    /// The body's full length in bytes.
    pub body_len: usize,
    /// When the response was a success envelope that did not match the response type: where,
    /// and the whole response (the action took effect, and its response must not be lost).
    pub mismatch: Option<Box<Mismatch>>,
    /// The `X-TC-TraceId` of the attempt that got this response, if the call path sent it.
    pub trace_id: Option<Box<str>>,
}

/// A success response that did not match its response type, even under the
/// [decoding policy](crate::decode).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The JSON path of the value that could not be read (`Response.InstanceSet[2].CPU`),
    /// when the trouble was at a value rather than in the JSON syntax.
    pub field: Option<String>,
    /// The whole body, as received.
    pub body: bytes::Bytes,
}

impl InvalidResponse {
    /// How much of the body an error keeps.
    pub const EXCERPT_LIMIT: usize = 512;

    pub(crate) fn new(
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        reason: impl Into<String>,
    ) -> Self {
        let mut end = body.len().min(Self::EXCERPT_LIMIT);
        // Do not cut a UTF-8 sequence in half.
        while end < body.len() && end > 0 && (body[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        let mut excerpt = String::from_utf8_lossy(&body[..end]).into_owned();
        // Each byte that is not UTF-8 became U+FFFD, three bytes: cut back to the limit.
        if excerpt.len() > Self::EXCERPT_LIMIT {
            let mut cut = Self::EXCERPT_LIMIT;
            while !excerpt.is_char_boundary(cut) {
                cut -= 1;
            }
            excerpt.truncate(cut);
        }
        Self {
            status,
            content_type: content_type.map(str::to_owned),
            reason: reason.into(),
            excerpt,
            body_len: body.len(),
            mismatch: None,
            trace_id: None,
        }
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid response (HTTP {}, {}, {} bytes): {}",
            self.status,
            self.content_type.as_deref().unwrap_or("no content type"),
            self.body_len,
            self.reason
        )?;
        if !self.excerpt.is_empty() {
            let more = if self.body_len > self.excerpt.len() {
                "..."
            } else {
                ""
            };
            write!(f, "; body: {:?}{more}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidResponse {}

/// Why a request was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// The body is larger than the API accepts.
    BodyTooLarge {
        /// The body's size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The action needs a region and the configuration has none.
    RegionRequired {
        /// The action.
        action: String,
    },
    /// The request could not be encoded (as JSON, or as multipart/form-data).
    Serialize(String),
    /// The configured region is not one the action is documented to serve.
    UnsupportedRegion {
        /// The action.
        action: String,
        /// The configured region.
        region: String,
        /// The regions the spec lists for the action.
        supported: &'static [&'static str],
    },
    /// A request field has the name of a common parameter of the older signature methods,
    /// which send both as one form; it would be overwritten, so nothing is sent.
    ParameterClash {
        /// The field's name.
        name: String,
    },
    /// A value that must go into a header or URL cannot (a hand-made `Service` or `Action`
    /// with spaces or control characters; generated ones are checked).
    InvalidValue {
        /// What it is: `action name`, `service version`, `endpoint host`.
        what: &'static str,
        /// The value.
        value: String,
    },
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BodyTooLarge { size, limit } => write!(
                f,
                "request body is {size} bytes, over the API's limit of {limit} bytes; not sent"
            ),
            Self::RegionRequired { action } => write!(
                f,
                "{action} needs a region: set Config::builder().region(..) or TENCENTCLOUD_REGION"
            ),
            Self::UnsupportedRegion {
                action,
                region,
                supported,
            } => write!(
                f,
                "{action} is not available in region {region}; its spec lists {}; not sent",
                supported.join(", ")
            ),
            Self::ParameterClash { name } => write!(
                f,
                "request field {name} has the name of a common parameter of the older signature methods; sign with TC3-HMAC-SHA256 to send it; not sent"
            ),
            Self::Serialize(e) => write!(f, "request could not be serialised: {e}"),
            Self::InvalidValue { what, value } => {
                write!(
                    f,
                    "invalid {what} {value:?}: not valid in an HTTP header; not sent"
                )
            }
        }
    }
}

impl std::error::Error for InvalidRequest {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_codes_round_trip() {
        for code in COMMON_ERROR_CODES {
            let kind = CommonErrorCode::from_code(code);
            assert!(!matches!(kind, CommonErrorCode::Other(_)), "{code}");
            assert_eq!(kind.code(), *code);
        }
        assert_eq!(COMMON_ERROR_CODES.len(), 38);
        let other = CommonErrorCode::from_code("FailedOperation.Whatever");
        assert_eq!(
            other,
            CommonErrorCode::Other("FailedOperation.Whatever".into())
        );
        assert_eq!(other.code(), "FailedOperation.Whatever");
    }

    #[test]
    fn excerpt_is_bounded_and_keeps_utf8_whole() {
        let body = "é".repeat(400); // 800 bytes
        let e = InvalidResponse::new(502, Some("text/html"), body.as_bytes(), "not JSON");
        assert_eq!(e.excerpt.len(), 512);
        assert!(e.excerpt.chars().all(|c| c == 'é'));
        assert_eq!(e.body_len, 800);
        let s = e.to_string();
        assert!(s.starts_with(
            "invalid response (HTTP 502, text/html, 800 bytes): not JSON; body: \"éé"
        ));
        assert!(s.ends_with("\"..."));
    }

    #[test]
    fn rate_limit_codes() {
        assert!(is_rate_limit("RequestLimitExceeded"));
        assert!(is_rate_limit("RequestLimitExceeded.UinLimitExceeded"));
        assert!(!is_rate_limit("RequestLimitExceededX"));
        assert!(!is_rate_limit("LimitExceeded"));
    }
}

/// Why a blocking client could not run a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockingError {
    /// The blocking client was called from async code, where it would stall the executor;
    /// use the async client there.
    InsideAsyncRuntime,
    /// The executor for blocking calls could not start (no thread could be spawned).
    NoExecutor {
        /// Why.
        reason: String,
    },
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InsideAsyncRuntime => f.write_str(
                "a blocking client was called from inside an async runtime; use the async client there; not sent",
            ),
            Self::NoExecutor { reason } => {
                write!(f, "the executor for blocking calls could not start: {reason}; not sent")
            }
        }
    }
}

impl std::error::Error for BlockingError {}
