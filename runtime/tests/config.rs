//! Configuration: every bad setting fails at `build()`, the environment is read as the
//! official SDKs read it, and no secret shows in Debug, Display or logs.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tencentcloud_runtime::config::ConfigBuilder;
use tencentcloud_runtime::local::Reply;
use tencentcloud_runtime::{Config, Credential, Environment, Error, RetryPolicy};

fn build_error(builder: ConfigBuilder) -> String {
    builder.build().expect_err("refused at build").to_string()
}

#[test]
fn invalid_settings_fail_at_build() {
    let base = || Config::builder().credential(credential());
    let cases = [
        (base().endpoint("ftp://x"), "invalid endpoint \"ftp://x\": the scheme must be http or https"),
        (base().endpoint("http://h/v2"), "invalid endpoint \"http://h/v2\": API 3.0 endpoints take no path, query or fragment"),
        (base().region("AP Guangzhou"), "invalid region \"AP Guangzhou\": expected lower-case letters, digits and dashes, such as ap-guangzhou"),
        (base().attempt_timeout(Duration::ZERO), "invalid attempt_timeout: must be more than zero"),
        (base().connect_timeout(Duration::ZERO), "invalid connect_timeout: must be more than zero"),
        (base().call_timeout(Duration::ZERO), "invalid call_timeout: must be more than zero"),
        (base().retry_policy(RetryPolicy::standard().with_max_attempts(0)), "invalid retry policy: max_attempts must be at least 1"),
        (base().request_client("bad\ntag"), "invalid request client tag \"bad\\ntag\": expected 1 to 100 printable ASCII characters"),
        (base().request_client("x".repeat(101)), &format!("invalid request client tag \"{}\": expected 1 to 100 printable ASCII characters", "x".repeat(101))),
        (base().max_response_bytes(0), "invalid max_response_bytes: must be more than 0"),
        (base().rate_limits(tencentcloud_runtime::RateLimits::spec().share(0.0)), "invalid rate_limits: share must be more than 0 and at most 1, not 0"),
    ];
    for (builder, message) in cases {
        assert_eq!(build_error(builder), message);
    }
    // Settings of the default transport are refused beside a transport of your own, rather
    // than silently ignored.
    let own = || {
        tencentcloud_runtime::transport::ReqwestTransport::new(Duration::from_secs(1), 1024)
            .unwrap()
    };
    assert_eq!(
        build_error(base().transport(own()).connect_timeout(Duration::from_secs(3))),
        "invalid connect_timeout: applies only to the default transport; set it on the transport you gave"
    );
    assert_eq!(
        build_error(base().max_response_bytes(10).transport(own())),
        "invalid max_response_bytes: applies only to the default transport; set it on the transport you gave"
    );
}

#[test]
fn defaults_are_documented_values() {
    let config = Config::builder().credential(credential()).build().unwrap();
    assert_eq!(config.region(), None);
    assert_eq!(config.endpoint(), None);
    assert_eq!(config.language(), None);
    assert_eq!(config.connect_timeout(), Duration::from_secs(10));
    assert_eq!(config.attempt_timeout(), Duration::from_secs(60));
    assert_eq!(config.call_timeout(), None);
    assert_eq!(*config.retry_policy(), RetryPolicy::standard());
    assert_eq!(config.retry_policy().max_attempts(), 3);
    assert_eq!(
        config.request_client(),
        concat!("tencentcloud-rs/", env!("CARGO_PKG_VERSION"))
    );
    let config = Config::builder()
        .credential(credential())
        .endpoint("127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(config.endpoint().as_deref(), Some("https://127.0.0.1:9/"));
}

#[tokio::test]
async fn environment_is_read_like_the_official_sdks() {
    let env = Environment::from_vars([
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "env-secret"),
        ("TENCENTCLOUD_TOKEN", "env-token"),
        ("TENCENTCLOUD_REGION", "ap-shanghai"),
    ]);
    let config = ConfigBuilder::from_environment(env).build().unwrap();
    assert_eq!(config.region(), Some("ap-shanghai"));
    let credential = config.credentials().provide().await.unwrap();
    assert_eq!(
        (credential.secret_id(), credential.token()),
        ("AKIDenv", Some("env-token"))
    );

    // Later settings win over the environment.
    let env = Environment::from_vars([("TENCENTCLOUD_REGION", "ap-shanghai")]);
    let config = ConfigBuilder::from_environment(env)
        .region("ap-beijing")
        .build()
        .unwrap();
    assert_eq!(config.region(), Some("ap-beijing"));

    let half = Environment::from_vars([("TENCENTCLOUD_SECRET_ID", "AKIDenv")]);
    assert_eq!(
        build_error(ConfigBuilder::from_environment(half)),
        "invalid credential in environment: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
    );
    let bad_region = Environment::from_vars([("TENCENTCLOUD_REGION", "Nowhere!")]);
    assert!(build_error(ConfigBuilder::from_environment(bad_region))
        .starts_with("invalid region \"Nowhere!\""));
}

#[test]
fn secrets_never_appear_in_debug_display_or_logs() {
    const KEY: &str = "SUPERSECRETKEY-do-not-print";
    const TOKEN: &str = "SUPERSECRETTOKEN-do-not-print";
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut seen = String::new();
    runtime.block_on(async {
        let endpoint = endpoint().await;
        let temporary = Credential::new("AKIDsecretstest", KEY).with_token(TOKEN);
        endpoint.add_credential(temporary.clone());
        endpoint.script(
            DESCRIBE.name(),
            [
                Reply::error("RequestLimitExceeded", "slow"),
                Reply::drop_connection(),
                Reply::success(json!({})),
            ],
        );
        endpoint.reply(
            UPDATE_EMAIL_BIND.name(),
            Reply::error("AuthFailure.TokenFailure", "bad token"),
        );
        let config = config(&endpoint)
            .credential(temporary.clone())
            .build()
            .unwrap();
        let client = tencentcloud_runtime::Client::new(config.clone(), ORGANIZATION);
        let ok: Answer = client
            .call::<_, _, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap();
        let err = client
            .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
            .await
            .unwrap_err();
        let wrong = common::client(
            common::config(&endpoint)
                .credential(Credential::new("AKIDsecretstest", "wrong").with_token(TOKEN)),
        );
        let err2 = wrong
            .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap_err();
        let credential_error: Error<SeedError> = tencentcloud_runtime::ErrorKind::Credential(
            tencentcloud_runtime::CredentialError::Exhausted(vec![]),
        )
        .into();

        for text in [
            format!("{temporary:?}"),
            format!("{config:?}"),
            format!("{client:?}"),
            format!("{ok:?}"),
            format!("{err:?} {err}"),
            format!("{err2:?} {err2}"),
            format!("{credential_error:?} {credential_error}"),
            format!("{:?}", endpoint.requests()),
            format!("{endpoint:?}"),
            format!(
                "{:?}",
                Environment::from_vars([("TENCENTCLOUD_SECRET_KEY", KEY)])
            ),
        ] {
            seen.push_str(&text);
            seen.push('\n');
        }
    });
    let logs = captured.text();
    assert!(
        logs.contains("attempt failed"),
        "the test must see the runtime's logs: {logs}"
    );
    for haystack in [&seen, &logs] {
        assert!(!haystack.contains(KEY), "secret key leaked:\n{haystack}");
        assert!(!haystack.contains(TOKEN), "token leaked:\n{haystack}");
    }
    assert!(
        seen.contains("AKIDsecretstest"),
        "the secret id is not secret and helps debugging"
    );
}
