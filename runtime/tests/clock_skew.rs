//! A client whose clock is off: the local endpoint's clock is set ten minutes away, it
//! refuses the first request as expired (`AuthFailure.SignatureExpire`, as Tencent Cloud
//! does past five minutes) and sends its own time in `Date`; the client corrects its clock
//! from it, signs the attempt again and sends it once more, and signs every later call of
//! the same `Config` right from the start.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::*;
use tencentcloud_runtime::credential::{BoxFuture, CachedProvider};
use tencentcloud_runtime::local::{LocalEndpoint, Outcome, Reply};
use tencentcloud_runtime::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use tencentcloud_runtime::{Client, Config, Credential, CredentialError, ProvideCredential};

const TEN_MINUTES: i64 = 600;

/// What the endpoint did with each request: `true` for answered, `false` for refused as
/// expired (anything else fails the test).
fn outcomes(endpoint: &LocalEndpoint) -> Vec<bool> {
    endpoint
        .requests()
        .into_iter()
        .map(|r| match r.outcome {
            Outcome::Answered => true,
            Outcome::Rejected { code } if code == "AuthFailure.SignatureExpire" => false,
            other => panic!("unexpected outcome {other:?}"),
        })
        .collect()
}

/// Calls DescribeOrganization, which must succeed.
async fn describe(client: &Client) {
    let _: Answer = client
        .call::<_, _, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
}

async fn skewed_endpoint(skew: i64) -> LocalEndpoint {
    let endpoint = endpoint().await;
    endpoint.set_clock_skew(skew);
    for action in [&DESCRIBE, &UPDATE_EMAIL_BIND] {
        endpoint.reply(action.name(), Reply::success(serde_json::json!({})));
    }
    endpoint
}

#[tokio::test]
async fn ten_minutes_fast_or_slow_each_call_succeeds_with_at_most_one_refusal() {
    // The endpoint's clock 600 s behind the client's: the client is fast; then ahead: slow.
    for skew in [-TEN_MINUTES, TEN_MINUTES] {
        let endpoint = skewed_endpoint(skew).await;
        let config = config(&endpoint).build().unwrap();
        let client = Client::new(config.clone(), ORGANIZATION);
        describe(&client).await;
        assert_eq!(outcomes(&endpoint), [false, true], "skew {skew}");
        let offset = config.clock().offset_secs();
        assert!(
            (skew - 1..=skew + 1).contains(&offset),
            "offset {offset} for skew {skew}"
        );

        // The next call, of an action that is not safe to repeat, is signed right at once.
        client
            .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
            .await
            .unwrap();
        assert_eq!(outcomes(&endpoint), [false, true, true], "skew {skew}");
    }
}

#[tokio::test]
async fn an_unsafe_action_refused_as_expired_is_signed_again_and_sent_once_more() {
    let endpoint = skewed_endpoint(TEN_MINUTES).await;
    let client =
        client(config(&endpoint).retry_policy(tencentcloud_runtime::RetryPolicy::disabled()));
    let _: Answer = client
        .call::<_, _, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap();
    // Refused before the service did anything, so sent again though retries are off.
    assert_eq!(outcomes(&endpoint), [false, true]);
    let sent = endpoint.requests();
    let trace = |i: usize| sent[i].headers["x-tc-traceid"].clone();
    assert_ne!(trace(0), trace(1), "each attempt has its own trace id");
    let timestamp = |i: usize| -> i64 {
        sent[i].headers["x-tc-timestamp"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let moved = timestamp(1) - timestamp(0);
    assert!(
        (TEN_MINUTES - 2..=TEN_MINUTES + 2).contains(&moved),
        "moved {moved}"
    );
}

#[tokio::test]
async fn every_client_of_the_config_signs_with_the_offset() {
    let endpoint = skewed_endpoint(TEN_MINUTES).await;
    let config = config(&endpoint).build().unwrap();
    let first = Client::new(config.clone(), ORGANIZATION);
    describe(&first).await;
    // Another client, and a client of a clone, made after the correction or before it.
    let second = Client::new(config.clone(), ORGANIZATION);
    describe(&second).await;
    describe(&first).await;
    assert_eq!(outcomes(&endpoint), [false, true, true, true]);
    // A Config built separately has a clock of its own.
    let other = client(common::config(&endpoint));
    describe(&other).await;
    assert_eq!(outcomes(&endpoint), [false, true, true, true, false, true]);
}

/// The default transport with every response's `Date` header taken out.
#[derive(Debug)]
struct NoDate(ReqwestTransport);

impl Transport for NoDate {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let mut response = self.0.send(request).await?;
            response.headers_mut().remove(http::header::DATE);
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_refusal_without_a_date_or_with_correction_off_is_the_calls_error() {
    let endpoint = skewed_endpoint(TEN_MINUTES).await;
    let transport = NoDate(ReqwestTransport::new(Duration::from_secs(5), 1 << 20).unwrap());
    let undated = config(&endpoint).transport(transport).build().unwrap();
    let off = config(&endpoint)
        .clock_skew_correction(false)
        .build()
        .unwrap();
    for config in [undated, off] {
        let client = Client::new(config.clone(), ORGANIZATION);
        let error = client
            .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some("AuthFailure.SignatureExpire"));
        assert_eq!(config.clock().offset_secs(), 0);
    }
    assert_eq!(outcomes(&endpoint), [false, false], "one attempt each");
}

/// A source whose credential expires `lifetime` after it is fetched, by the local clock;
/// counts the fetches.
#[derive(Debug)]
struct Expiring {
    lifetime: Duration,
    fetches: Arc<AtomicUsize>,
}

impl ProvideCredential for Expiring {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let expiry = SystemTime::now() + self.lifetime;
        Box::pin(async move { Ok(credential().with_expiry(expiry)) })
    }
}

#[tokio::test]
async fn credential_expiry_is_judged_on_the_corrected_clock() {
    // The client is ten minutes slow: a credential that the local clock gives 400 s more
    // expired 200 s ago by the server's time, so it is fetched again for every request.
    let endpoint = skewed_endpoint(TEN_MINUTES).await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let provider = CachedProvider::new(Expiring {
        lifetime: Duration::from_secs(400),
        fetches: fetches.clone(),
    });
    let client = client_with(config(&endpoint).credential_provider(provider));
    describe(&client).await;
    // Fetched for the first attempt, and again for the corrected one: by then it had expired.
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    describe(&client).await;
    assert_eq!(fetches.load(Ordering::SeqCst), 3);

    // With the clocks in step, the same credential is kept.
    let endpoint = skewed_endpoint(0).await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let provider = CachedProvider::new(Expiring {
        lifetime: Duration::from_secs(400),
        fetches: fetches.clone(),
    });
    let client = client_with(config(&endpoint).credential_provider(provider));
    for _ in 0..3 {
        describe(&client).await;
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

fn client_with(config: tencentcloud_runtime::ConfigBuilder) -> Client {
    Client::new(config.build().unwrap(), ORGANIZATION)
}

#[test]
fn the_offset_in_use_is_in_debug_and_starts_at_zero() {
    let config = Config::builder().credential(credential()).build().unwrap();
    assert_eq!(config.clock().offset_secs(), 0);
    assert!(config.clock().corrects());
    assert!(format!("{config:?}").contains("clock: Clock { offset_secs: 0, corrects: true }"));
}
