//! Sending bytes: a small trait, and its default implementation on reqwest with rustls.
//!
//! The call path hands a transport a fully signed [`HttpRequest`] and gets back the whole
//! response as an [`HttpResponse`], or, for an event stream, the response's head with a
//! [`BodyStream`] that yields the body as it arrives. Tests and users can plug in their own
//! [`Transport`] (a proxy, a recorder, a mock); timeouts and retries stay in the call path
//! above it.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::credential::BoxFuture;
use crate::network::Network;

/// A request ready to send: method, URL, headers and body.
pub type HttpRequest = http::Request<Bytes>;
/// A whole response: status, headers and body, decompressed.
pub type HttpResponse = http::Response<Bytes>;
/// A response's body as it arrives, piece by piece, decompressed. Dropping it closes the
/// connection.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;
/// A response whose body is still arriving.
pub type StreamingResponse = http::Response<BodyStream>;

/// Sends one HTTP request and reads the response.
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// Sends `request` and reads the whole response. The future may be dropped to cancel it
    /// (that is how timeouts work).
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Sends `request` and returns as soon as the response's head has arrived, with its body
    /// still arriving: for event streams, whose events are handed over one by one. The
    /// default reads the whole response with [`Transport::send`] and yields it as one piece,
    /// so a transport that cannot stream still works, only without incremental events.
    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let sent = self.send(request);
        Box::pin(async move {
            let answer = sent.await?;
            Ok(answer.map(|body| Box::pin(Whole(Some(body))) as BodyStream))
        })
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        (**self).send_streaming(request)
    }
}

/// A body already read whole, as a stream of one piece.
struct Whole(Option<Bytes>);

impl Stream for Whole {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().filter(|b| !b.is_empty()).map(Ok))
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
    /// The response was larger than the transport accepts.
    ResponseTooLarge,
}

/// A request that got no complete HTTP response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync>,
    trace_id: Option<Box<str>>,
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
            trace_id: None,
        }
    }

    /// The `X-TC-TraceId` of the attempt that failed, once the call path has set it.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    pub(crate) fn set_trace_id(&mut self, trace_id: &str) {
        self.trace_id = Some(trace_id.into());
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
            TransportErrorKind::ResponseTooLarge => "response too large",
        };
        // The cause, and its own (reqwest nests the useful part, refused or reset, a few
        // causes down), are the `source()` chain: `ErrorChain` or anyhow's `{:#}` show them.
        f.write_str(what)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// The default transport: reqwest over rustls, HTTP/1.1 (HTTP/2 too with the `http2`
/// feature), pooled connections, the responses of the codecs compiled in decoded (`gzip` and
/// `deflate` by default; `brotli`, `zstd`). It trusts the bundled web roots, and
/// takes its proxy from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) unless
/// the [`crate::Config`] it is built from sets one; see `ConfigBuilder::proxy` and
/// `ConfigBuilder::root_certificates_pem`.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
    /// The proxy and roots it was built with; `None` over a client of one's own.
    network: Option<Network>,
}

impl fmt::Debug for ReqwestTransport {
    // Not the client: its Debug may show a proxy's credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

impl ReqwestTransport {
    /// The default response size limit: 64 MiB, far above any API 3.0 response.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

    /// A transport with the given connect timeout and response size limit.
    pub fn new(
        connect_timeout: Duration,
        max_response_bytes: usize,
    ) -> Result<Self, TransportError> {
        Self::with_network(connect_timeout, max_response_bytes, Network::default())
    }

    /// [`ReqwestTransport::new`] with a proxy and extra roots checked by the config.
    pub(crate) fn with_network(
        connect_timeout: Duration,
        max_response_bytes: usize,
        network: Network,
    ) -> Result<Self, TransportError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .use_rustls_tls();
        let client = network
            .apply(builder)
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Connect, e))?;
        Ok(Self {
            client,
            max_response_bytes,
            network: Some(network),
        })
    }

    /// A transport over a reqwest client you configured yourself (a proxy per scheme,
    /// client certificates, other TLS settings). Build it with the compression features you
    /// want decoded.
    pub fn from_client(client: reqwest::Client, max_response_bytes: usize) -> Self {
        Self {
            client,
            max_response_bytes,
            network: None,
        }
    }

    /// Sends the request and reads the response's head.
    async fn head(&self, request: HttpRequest) -> Result<reqwest::Response, TransportError> {
        let request = reqwest::Request::try_from(request)
            .map_err(|e| TransportError::new(TransportErrorKind::Connect, e))?;
        self.client.execute(request).await.map_err(classify)
    }

    async fn send_streaming_inner(
        &self,
        request: HttpRequest,
    ) -> Result<StreamingResponse, TransportError> {
        let mut response = self.head(request).await?;
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let body = ReqwestBody(Box::pin(response.bytes_stream()));
        builder
            .body(Box::pin(body) as BodyStream)
            .map_err(|e| TransportError::new(TransportErrorKind::Io, e))
    }

    async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut response = self.head(request).await?;
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

/// reqwest's body stream, with its errors classified.
struct ReqwestBody(Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>);

impl Stream for ReqwestBody {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|piece| piece.map_err(classify)))
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_inner(request))
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(self.send_streaming_inner(request))
    }
}
