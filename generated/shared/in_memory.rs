//! The seed call with the network taken out: a transport that answers every request at
//! once, in memory, with the seed page's example response (or another body), and a client
//! over it. Shared by the benchmarks and the profiling loop of this crate that measure the
//! whole call path.

use bytes::Bytes;
use tencentcloud_runtime::credential::BoxFuture;
use tencentcloud_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use tencentcloud_runtime::{Config, Credential, RateLimits};
use tencentcloud_sdk::organization::v20210331::Client;

/// Answers every request with one body (the seed page's example response, or another), as a
/// success, without a network.
#[derive(Debug)]
pub struct InMemory {
    body: Bytes,
    /// Made once: a header made per answer from text would be checked per answer.
    content_type: http::HeaderValue,
}

impl InMemory {
    /// Answers with the seed page's example response.
    pub fn seed() -> Self {
        Self::answering(Bytes::from_static(
            br#"{"Response":{"RequestId":"b46d2afe-6893-4529-bc96-2c82d9214957"}}"#,
        ))
    }

    /// Answers with `body`, a JSON envelope.
    pub fn answering(body: impl Into<Bytes>) -> Self {
        Self {
            body: body.into(),
            content_type: http::HeaderValue::from_static("application/json"),
        }
    }

    /// Answers with `body`, a stream of events (`text/event-stream`), all of it at once.
    #[allow(dead_code)] // Not every target that shares this file streams.
    pub fn events(body: impl Into<Bytes>) -> Self {
        Self {
            body: body.into(),
            content_type: http::HeaderValue::from_static("text/event-stream"),
        }
    }
}

impl Transport for InMemory {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        // Made directly, as the Go peer's `http.RoundTripper` makes its `http.Response`:
        // `http::Response::builder` would parse the header's name and check each part anew.
        let mut answer = http::Response::new(self.body.clone());
        answer
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, self.content_type.clone());
        Box::pin(async move { Ok(answer) })
    }
}

/// The organization client over [`InMemory::seed`].
#[allow(dead_code)] // Not every target that shares this file makes the seed call.
pub fn client() -> Client {
    client_over(InMemory::seed())
}

/// The organization client over `transport`, with rate limits off: the seed action's 20 a
/// second would otherwise be all a loop measured.
pub fn client_over(transport: InMemory) -> Client {
    Client::new(config_over(transport))
}

/// The config of [`client_over`], for a client of the runtime's own.
pub fn config_over(transport: InMemory) -> Config {
    Config::builder()
        .credential(Credential::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        ))
        .transport(transport)
        .rate_limits(RateLimits::off())
        .build()
        .expect("a config")
}
