//! Memory per in-flight call: holds N seed calls open at the local endpoint (it answers
//! each after two seconds) and reports how much the process grew per call, for the
//! generated client or, as the peer, plain reqwest posting the same signed bytes.
//!
//! cargo run --release -p tencentcloud-sdk --example inflight_memory -- client 1000
//! cargo run --release -p tencentcloud-sdk --example inflight_memory -- reqwest 1000
//!
//! Each run is its own process, so the two do not share allocator state; the endpoint's own
//! cost (a connection and a task per call) is in both, so the difference is the clients'.

#[path = "../shared/seed.rs"]
mod seed;

use std::time::Duration;

use seed::{seed_request, SEED_ACTION};
use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::{Config, Credential, RateLimits};
use tencentcloud_sdk::organization::v20210331::{Client, SERVICE};

/// The resident set size, from /proc/self/status.
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map_or("client", String::as_str).to_owned();
    let calls: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let credential = Credential::new("AKIDmemory", "memory-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await?;
    endpoint.reply(
        "UpdateOrganizationMemberEmailBind",
        Reply::success(json!({})).delayed(Duration::from_secs(2)),
    );
    let config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url())
        .rate_limits(RateLimits::off())
        .build()?;
    let client = Client::new(config.clone());
    let signed = tencentcloud_runtime::Client::new(config, SERVICE)
        .signed_request(&SEED_ACTION, seed_request())
        .await?;
    let plain = reqwest::Client::new();
    // One call first, so connection pools and lazy statics exist before the baseline.
    client
        .update_organization_member_email_bind(seed_request())
        .await?;
    let before = rss_bytes();
    let mut tasks = Vec::with_capacity(calls);
    for _ in 0..calls {
        if which == "reqwest" {
            let (plain, url, headers, body) = (
                plain.clone(),
                endpoint.url(),
                signed.headers().clone(),
                signed.body().clone(),
            );
            tasks.push(tokio::spawn(async move {
                let answer = plain.post(url).headers(headers).body(body).send().await?;
                answer.bytes().await.map(|_| ())
            }));
        } else {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                client
                    .update_organization_member_email_bind(seed_request())
                    .await
                    .map(|_| ())
                    .map_err(|e| panic!("{e}"))
            }));
        }
    }
    // All are sent and waiting for their responses well within the endpoint's two seconds.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let during = rss_bytes();
    for task in tasks {
        task.await??;
    }
    let grown = during.saturating_sub(before);
    println!(
        "{which}: {calls} calls in flight, RSS {before} -> {during} bytes, {:.1} KiB per call (endpoint included)",
        grown as f64 / calls as f64 / 1024.0
    );
    Ok(())
}
