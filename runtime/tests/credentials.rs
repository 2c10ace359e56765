//! Credential providers against the local endpoint's metadata service, the default chain's
//! order, refresh ahead of expiry, and one shared refresh under concurrency.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::*;
use serde_json::json;
use tencentcloud_runtime::credential::{
    CachedProvider, ChainProvider, CvmRoleProvider, DefaultChain, EnvProvider, ProfileProvider,
};
use tencentcloud_runtime::local::{LocalEndpoint, Outcome, Reply};
use tencentcloud_runtime::{Credential, CredentialError, Environment, ProvideCredential};

fn role_credential(id: &str, lifetime: Duration) -> Credential {
    Credential::new(id, format!("{id}-key"))
        .with_token(format!("{id}-token"))
        .with_expiry(SystemTime::now() + lifetime)
}

fn credential_fetches(endpoint: &LocalEndpoint, role: &str) -> usize {
    endpoint
        .requests()
        .iter()
        .filter(|r| r.outcome == Outcome::Metadata && r.path.ends_with(role))
        .count()
}

/// The local endpoint with an instance role `r` whose credential `AKIDshort` lives 2 s, and
/// a cache of it that refreshes a minute ahead (so, at half the lifetime: after 1 s).
async fn short_lived_role() -> (LocalEndpoint, CachedProvider<CvmRoleProvider>) {
    let endpoint = endpoint().await;
    endpoint.set_instance_role("r", role_credential("AKIDshort", Duration::from_secs(2)));
    let provider =
        CachedProvider::new(CvmRoleProvider::new().metadata_url(endpoint.metadata_url()))
            .refresh_ahead(Duration::from_secs(60));
    (endpoint, provider)
}

#[tokio::test]
async fn instance_role_signs_calls_and_is_fetched_once() {
    let endpoint = endpoint().await;
    let temporary = role_credential("AKIDrole1", Duration::from_secs(3600));
    endpoint.set_instance_role("cvm-role", temporary.clone());
    endpoint.add_credential(temporary);
    endpoint.reply(DESCRIBE.name(), Reply::success(json!({})));

    let provider =
        CachedProvider::new(CvmRoleProvider::new().metadata_url(endpoint.metadata_url()));
    let client = client(config(&endpoint).credential_provider(provider));
    let calls = (0..10).map(|_| {
        let client = client.clone();
        async move {
            client
                .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
                .await
        }
    });
    for result in futures_join_all(calls).await {
        result.expect("signed with the role's credential");
    }
    let api_calls = endpoint.requests_for(DESCRIBE.name());
    assert_eq!(api_calls.len(), 10);
    assert!(api_calls
        .iter()
        .all(|r| r.headers["x-tc-token"] == "AKIDrole1-token"));
    assert_eq!(
        credential_fetches(&endpoint, "cvm-role"),
        1,
        "ten calls share one fetch"
    );
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh_and_refresh_ahead_of_expiry() {
    let (endpoint, provider) = short_lived_role().await;
    let provider = Arc::new(provider);
    let callers = (0..16).map(|_| {
        let provider = provider.clone();
        tokio::spawn(async move { provider.provide().await })
    });
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap().secret_id(), "AKIDshort");
    }
    assert_eq!(credential_fetches(&endpoint, "/r"), 1);

    // A 2 s credential is refreshed after half its lifetime, before it expires.
    endpoint.set_instance_role("r", role_credential("AKIDnext", Duration::from_secs(3600)));
    assert_eq!(provider.provide().await.unwrap().secret_id(), "AKIDshort");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(provider.provide().await.unwrap().secret_id(), "AKIDnext");
    assert_eq!(credential_fetches(&endpoint, "/r"), 2);
}

#[tokio::test]
async fn a_cached_credential_is_at_hand_until_it_is_due_for_a_refresh() {
    let (endpoint, provider) = short_lived_role().await;
    let clock = tencentcloud_runtime::Clock::system();
    assert!(provider.at_hand(&clock).is_none(), "nothing fetched yet");
    provider.provide_by(&clock).await.unwrap();
    let at_hand = provider.at_hand(&clock).expect("the fetched credential");
    assert_eq!(at_hand.secret_id(), "AKIDshort");
    assert_eq!(
        credential_fetches(&endpoint, "/r"),
        1,
        "at hand, not fetched"
    );
    // Due for a refresh after half its 2 s: no longer at hand, so a call fetches.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(provider.at_hand(&clock).is_none());
    // A fixed credential is always at hand; a source of your own is not unless it says so.
    let fixed = Credential::new("AKIDfixed", "key");
    assert_eq!(fixed.at_hand(&clock), Some(fixed.clone()));
    let uncached = CvmRoleProvider::new().metadata_url(endpoint.metadata_url());
    assert!(uncached.at_hand(&clock).is_none());
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_still_valid_credential() {
    let endpoint = endpoint().await;
    // The metadata service states expiry in whole seconds, so this lives 3 to 4 s.
    endpoint.set_instance_role("r", role_credential("AKIDvalid", Duration::from_secs(4)));
    let provider =
        CachedProvider::new(CvmRoleProvider::new().metadata_url(endpoint.metadata_url()))
            .refresh_ahead(Duration::from_secs(60));
    assert_eq!(provider.provide().await.unwrap().secret_id(), "AKIDvalid");
    endpoint.clear_instance_role();
    // Refresh due after half the lifetime (at most 2 s); the metadata is gone, but the
    // credential is valid for about another second: keep it.
    tokio::time::sleep(Duration::from_millis(2050)).await;
    assert_eq!(provider.provide().await.unwrap().secret_id(), "AKIDvalid");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let error = provider.provide().await.unwrap_err();
    assert!(
        matches!(error, CredentialError::NotFound { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn metadata_problems_are_reported_by_kind() {
    let endpoint = endpoint().await;
    let provider = CvmRoleProvider::new().metadata_url(endpoint.metadata_url());
    let error = provider.provide().await.unwrap_err();
    assert!(matches!(error, CredentialError::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("no role is bound"), "{error}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let off_cvm = CvmRoleProvider::new().metadata_url(format!(
        "http://{closed}/latest/meta-data/cam/security-credentials/"
    ));
    assert!(matches!(
        off_cvm.provide().await,
        Err(CredentialError::NotFound { .. })
    ));
}

#[tokio::test]
async fn default_chain_order_env_then_profile_then_instance_role() {
    let endpoint = endpoint().await;
    endpoint.set_instance_role(
        "r",
        role_credential("AKIDfromcvm", Duration::from_secs(3600)),
    );
    let cvm = || CvmRoleProvider::new().metadata_url(endpoint.metadata_url());
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("credentials");
    std::fs::write(
        &profile,
        "[default]\nsecret_id = AKIDfromfile\nsecret_key = file-key\n",
    )
    .unwrap();
    let file = profile.to_str().unwrap();

    let all = Environment::from_vars([
        ("TENCENTCLOUD_SECRET_ID", "AKIDfromenv"),
        ("TENCENTCLOUD_SECRET_KEY", "env-key"),
        ("TENCENTCLOUD_CREDENTIALS_FILE", file),
    ]);
    let got = DefaultChain::with_sources(&all, cvm())
        .provide()
        .await
        .unwrap();
    assert_eq!(got.secret_id(), "AKIDfromenv");

    let file_only = Environment::from_vars([("TENCENTCLOUD_CREDENTIALS_FILE", file)]);
    let got = DefaultChain::with_sources(&file_only, cvm())
        .provide()
        .await
        .unwrap();
    assert_eq!(got.secret_id(), "AKIDfromfile");

    let home = dir.path().to_str().unwrap();
    let nothing = Environment::from_vars([("HOME", home)]);
    let got = DefaultChain::with_sources(&nothing, cvm())
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (got.secret_id(), got.token()),
        ("AKIDfromcvm", Some("AKIDfromcvm-token"))
    );

    endpoint.clear_instance_role();
    let error = DefaultChain::with_sources(&nothing, cvm())
        .provide()
        .await
        .unwrap_err();
    let CredentialError::Exhausted(tried) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(tried.len(), 3);
    let text = error.to_string();
    assert!(text.starts_with("no credential found; tried no credential in environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set; no credential in profile file:"), "{text}");

    // A broken source stops the chain instead of falling through to another identity.
    let half = Environment::from_vars([
        ("TENCENTCLOUD_SECRET_ID", "AKIDhalf"),
        ("TENCENTCLOUD_CREDENTIALS_FILE", file),
    ]);
    let error = DefaultChain::with_sources(&half, cvm())
        .provide()
        .await
        .unwrap_err();
    assert!(
        matches!(error, CredentialError::Invalid { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_custom_provider_plugs_into_a_chain() {
    #[derive(Debug)]
    struct Vault;
    impl ProvideCredential for Vault {
        fn provide(
            &self,
        ) -> tencentcloud_runtime::credential::BoxFuture<'_, Result<Credential, CredentialError>>
        {
            Box::pin(async { Ok(Credential::new("AKIDvault", "vault-key")) })
        }
    }
    let chain = ChainProvider::new()
        .push(EnvProvider::with_environment(Environment::from_vars::<
            &str,
            &str,
        >([])))
        .push(ProfileProvider::from_path("/nonexistent/credentials"))
        .push(Vault);
    assert_eq!(chain.provide().await.unwrap().secret_id(), "AKIDvault");
}

#[tokio::test]
async fn callers_waiting_on_a_failed_fetch_share_its_error() {
    /// Fails slowly, counting how often it was asked.
    #[derive(Debug, Default)]
    struct Broken(std::sync::atomic::AtomicUsize);
    impl ProvideCredential for Broken {
        fn provide(
            &self,
        ) -> tencentcloud_runtime::credential::BoxFuture<'_, Result<Credential, CredentialError>>
        {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(CredentialError::Unavailable {
                    source: "vault".into(),
                    detail: "down".into(),
                })
            })
        }
    }
    let provider = Arc::new(CachedProvider::new(Broken::default()));
    let callers = (0..8).map(|_| {
        let provider = provider.clone();
        async move { provider.provide().await }
    });
    for result in futures_join_all(callers).await {
        assert_eq!(
            result.unwrap_err().to_string(),
            "credential source vault unavailable: down"
        );
    }
    let asked = |p: &CachedProvider<Broken>| p.inner().0.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(asked(&provider), 1, "eight waiting callers, one fetch");
    // A later call asks again.
    provider.provide().await.unwrap_err();
    assert_eq!(asked(&provider), 2);
}

/// Awaits all futures concurrently (a tiny stand-in for `futures::future::join_all`).
async fn futures_join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set = Vec::new();
    for f in futures {
        set.push(tokio::spawn(f));
    }
    let mut out = Vec::new();
    for handle in set {
        out.push(handle.await.unwrap());
    }
    out
}
