//! The seed call with the network taken out: a transport that answers every request at
//! once, in memory, with the seed page's example response, and a client over it. Shared by
//! the benchmark and the profiling loop of this crate that measure the whole call path.

use bytes::Bytes;
use tencentcloud_runtime::credential::BoxFuture;
use tencentcloud_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use tencentcloud_runtime::{Config, Credential, RateLimits};
use tencentcloud_sdk::organization::v20210331::Client;

/// Answers every request with the seed page's example response, without a network.
#[derive(Debug)]
pub struct InMemory;

impl Transport for InMemory {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        // Made directly, as the Go peer's `http.RoundTripper` makes its `http.Response`:
        // `http::Response::builder` would parse the header's name and check each part anew.
        let mut answer = http::Response::new(Bytes::from_static(
            br#"{"Response":{"RequestId":"b46d2afe-6893-4529-bc96-2c82d9214957"}}"#,
        ));
        answer.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        Box::pin(async move { Ok(answer) })
    }
}

/// The organization client over [`InMemory`], with rate limits off: the seed action's 20 a
/// second would otherwise be all a loop measured.
pub fn client() -> Client {
    let config = Config::builder()
        .credential(Credential::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        ))
        .transport(InMemory)
        .rate_limits(RateLimits::off())
        .build()
        .expect("a config");
    Client::new(config)
}
