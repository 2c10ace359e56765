//! The seed page's limit, 20 requests a second, kept by the client: a burst waits instead of
//! earning RequestLimitExceeded, as the local endpoint's arrival times show.

use std::time::{Duration, Instant};

use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::{Config, Credential, RateLimits};
use tencentcloud_sdk::organization::v20210331::{Client, UpdateOrganizationMemberEmailBindRequest};

const ACTION: &str = "UpdateOrganizationMemberEmailBind";
/// A second, less the arrival jitter a loaded machine can add.
const WINDOW: Duration = Duration::from_millis(900);

/// Fires `calls` seed calls at once and returns the arrival times the endpoint recorded.
async fn burst(limits: RateLimits, calls: usize) -> Vec<Instant> {
    let credential = Credential::new("AKIDrate", "rate-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await
        .unwrap();
    endpoint.reply(ACTION, Reply::success(json!({})));
    let config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url())
        .rate_limits(limits)
        .build()
        .unwrap();
    let client = Client::new(config);
    let tasks: Vec<_> = (0..calls)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let request =
                    UpdateOrganizationMemberEmailBindRequest::new(i as i64, 12, "a@b.c", "86", "1");
                client.update_organization_member_email_bind(request).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let mut arrivals: Vec<Instant> = endpoint
        .requests_for(ACTION)
        .iter()
        .map(|r| r.received)
        .collect();
    arrivals.sort();
    arrivals
}

/// The most requests that arrived within any window of `window`.
fn busiest(arrivals: &[Instant], window: Duration) -> usize {
    (0..arrivals.len())
        .map(|i| {
            arrivals[i..]
                .iter()
                .take_while(|t| t.duration_since(arrivals[i]) < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_waits_for_the_documented_limit() {
    let arrivals = burst(RateLimits::spec(), 60).await;
    assert_eq!(arrivals.len(), 60);
    // Starts are exactly a second apart per 20; arrivals jitter (by tens of milliseconds on
    // a loaded CI machine), so the window is measured a little short of a second.
    let most = busiest(&arrivals, WINDOW);
    assert!(most <= 20, "{most} requests arrived within {WINDOW:?}");
    let spread = arrivals[59].duration_since(arrivals[0]);
    assert!(
        spread >= Duration::from_millis(1950),
        "60 calls at 20/s took only {spread:?}"
    );
    let rate = 59.0 / spread.as_secs_f64();
    eprintln!(
        "the endpoint saw {most} requests in its busiest {WINDOW:?}; mean {rate:.1}/s over {spread:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_limits_the_burst_goes_at_once() {
    let arrivals = burst(RateLimits::off(), 60).await;
    let most = busiest(&arrivals, WINDOW);
    assert!(most > 20, "only {most} requests arrived within {WINDOW:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_override_and_a_share_change_the_limit() {
    let arrivals = burst(RateLimits::spec().share(0.25), 10).await;
    assert!(busiest(&arrivals, WINDOW) <= 5);
    assert!(arrivals[9].duration_since(arrivals[0]) >= Duration::from_millis(950));
    let arrivals = burst(RateLimits::spec().action("organization", ACTION, 100), 30).await;
    assert!(busiest(&arrivals, WINDOW) > 20);
}
