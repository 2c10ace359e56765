//! Sending bytes: a small trait, and its default implementation on reqwest with rustls.
//!
//! The call path hands a transport a fully signed [`HttpRequest`] and gets back the whole
//! answer as an [`HttpResponse`]. Tests and users can plug in their own [`Transport`]
//! (a proxy, a recorder, a mock); timeouts and retries stay in the call path above it.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::credential::BoxFuture;

/// A request ready to send: method, URL, headers and body.
pub type HttpRequest = http::Request<Bytes>;
/// A whole answer: status, headers and body, decompressed.
pub type HttpResponse = http::Response<Bytes>;

/// Sends one HTTP request and reads the whole answer.
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// Sends `request`. The future may be dropped to cancel it (that is how timeouts work).
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// How far a failed request got, which decides whether it is safe to send again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made (refused, DNS, TLS handshake): the server never saw the request.
    Connect,
    /// The connection failed after the request may have been sent (reset, closed early, a
    /// broken body): the server may have acted on it.
    Io,
    /// The answer was larger than the transport accepts.
    ResponseTooLarge,
}

/// A request that got no complete HTTP answer.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

impl TransportError {
    /// A failure of the given kind, with its cause.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// How far the request got.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the server may have received the request.
    pub fn may_have_been_sent(&self) -> bool {
        !matches!(self.kind, TransportErrorKind::Connect)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::ResponseTooLarge => "answer too large",
        };
        write!(f, "{what}: {}", self.source)?;
        // reqwest nests the useful part (refused, reset) a few causes down.
        let mut cause = self.source.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// The default transport: reqwest over rustls, HTTP/1.1 and HTTP/2, pooled connections,
/// gzip, deflate, brotli and zstd answers decoded.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
}

impl ReqwestTransport {
    /// The default answer size limit: 64 MiB, far above any API 3.0 answer.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

    /// A transport with the given connect timeout and answer size limit.
    pub fn new(
        connect_timeout: Duration,
        max_response_bytes: usize,
    ) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .use_rustls_tls()
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Connect, e))?;
        Ok(Self::from_client(client, max_response_bytes))
    }

    /// A transport over a reqwest client you configured yourself (proxies, root
    /// certificates). Build it with the compression features you want decoded.
    pub fn from_client(client: reqwest::Client, max_response_bytes: usize) -> Self {
        Self {
            client,
            max_response_bytes,
        }
    }

    async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request)
            .map_err(|e| TransportError::new(TransportErrorKind::Connect, e))?;
        let mut response = self.client.execute(request).await.map_err(classify)?;
        let too_large = |len: usize| {
            TransportError::new(
                TransportErrorKind::ResponseTooLarge,
                format!("more than {} bytes (got {len})", self.max_response_bytes),
            )
        };
        if let Some(len) = response.content_length() {
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            if len > self.max_response_bytes {
                return Err(too_large(len));
            }
        }
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(too_large(body.len() + chunk.len()));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body.freeze())
            .map_err(|e| TransportError::new(TransportErrorKind::Io, e))
    }
}

fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, error)
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_inner(request))
    }
}
