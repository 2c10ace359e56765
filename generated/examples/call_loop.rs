//! Makes the seed call in a loop through the generated method, answered in memory by a
//! transport without a network, for instruction counts that do not move with the machine's
//! load (docs/benchmarks.md): `valgrind --tool=callgrind target/release/examples/call_loop`.

#[path = "../shared/seed.rs"]
mod seed;

#[path = "../shared/in_memory.rs"]
mod in_memory;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = in_memory::client();
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
