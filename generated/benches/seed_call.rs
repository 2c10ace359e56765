//! The whole plain call path of the seed action through the generated method, with the
//! network taken out: a transport that responses at once, in memory, with the seed page's
//! example response. Encoding, checks, rate limit, credential, signing, the trace id, the
//! attempt loop, reading the envelope and the typed response: everything the client adds to
//! a call. With call options that change nothing, beside it, to show what a view costs.
//!
//! cargo bench -p tencentcloud-sdk --bench seed_call

// criterion_group! expands to an undocumented `pub fn`.
#![allow(missing_docs)]

#[path = "../shared/seed.rs"]
mod seed;

#[path = "../shared/in_memory.rs"]
mod in_memory;

use criterion::{criterion_group, criterion_main, Criterion};
use tencentcloud_sdk::organization::v20210331::Client;

fn seed_call(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = in_memory::client();
    let mut group = c.benchmark_group("call");
    // Calls awaited one after another in one task, as a program makes them and as the Go
    // SDK's benchmark loop does: the runtime is entered once per batch of iterations.
    group.bench_function("the seed call, answered in memory", |b| {
        b.to_async(&runtime).iter(|| async {
            client
                .update_organization_member_email_bind(seed::seed_request())
                .await
                .unwrap()
        })
    });
    // The same call with the runtime entered for each one (`block_on` per call): how this
    // benchmark measured until issue 26, kept to compare with the figures it recorded.
    group.bench_function("the seed call, one block_on each", |b| {
        b.iter(|| {
            runtime
                .block_on(client.update_organization_member_email_bind(seed::seed_request()))
                .unwrap()
        })
    });
    views(&mut group, &runtime, &client);
    group.finish();
}

/// The same call through a view with call options (only where the client has them).
fn views(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    runtime: &tokio::runtime::Runtime,
    client: &Client,
) {
    let options = tencentcloud_runtime::CallOptions::builder()
        .attempt_timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    let view = client.with_options(&options);
    group.bench_function("the seed call through a view with call options", |b| {
        b.to_async(runtime).iter(|| async {
            view.update_organization_member_email_bind(seed::seed_request())
                .await
                .unwrap()
        })
    });
}

criterion_group!(benches, seed_call);
criterion_main!(benches);
