//! Builds, serialises and signs the seed request in a loop, for profilers
//! (docs/benchmarks.md): `valgrind --tool=callgrind target/release/examples/sign_loop`.

#[path = "../shared/seed.rs"]
mod seed;

use seed::{seed_request, SEED_ACTION};
use tencentcloud_runtime::{Client, Config, Credential};
use tencentcloud_sdk::organization::v20210331::SERVICE;

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
        .build()
        .expect("a config");
    let client = Client::new(config, SERVICE);
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    runtime.block_on(async {
        for _ in 0..rounds {
            let signed = client
                .signed_request(&SEED_ACTION, seed_request())
                .await
                .expect("signed");
            std::hint::black_box(signed);
        }
    });
}
