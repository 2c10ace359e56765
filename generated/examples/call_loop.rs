//! Makes the seed call in a loop through the generated method, answered in memory by a
//! transport without a network, for instruction counts that do not move with the machine's
//! load (docs/benchmarks.md): `valgrind --tool=callgrind target/release/examples/call_loop`.

#[path = "../shared/seed.rs"]
mod seed;

use bytes::Bytes;
use tencentcloud_runtime::credential::BoxFuture;
use tencentcloud_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use tencentcloud_runtime::{Config, Credential, RateLimits};
use tencentcloud_sdk::organization::v20210331::Client;

/// Answers every request with the seed page's example response.
#[derive(Debug)]
struct InMemory;

impl Transport for InMemory {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let answer = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Bytes::from_static(
                br#"{"Response":{"RequestId":"b46d2afe-6893-4529-bc96-2c82d9214957"}}"#,
            ))
            .expect("a valid answer");
        Box::pin(async move { Ok(answer) })
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let config = Config::builder()
        .credential(Credential::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        ))
        .transport(InMemory)
        .rate_limits(RateLimits::off())
        .build()
        .expect("a config");
    let client = Client::new(config);
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    runtime.block_on(async {
        for _ in 0..rounds {
            let answer = client
                .update_organization_member_email_bind(seed::seed_request())
                .await
                .expect("the in-memory answer");
            std::hint::black_box(answer);
        }
    });
}
