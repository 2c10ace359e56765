//! Corporate networks: a proxy set in the config (its credentials sent to the proxy and
//! masked everywhere else), hosts sent around it, extra roots trusted on request, and every
//! bad proxy or root refused at `build()`. The proxy and the TLS endpoint are the tests' own,
//! on 127.0.0.1; the environment's proxies are tested in `proxy_env.rs`.

mod common;
mod net;

use std::time::Duration;

use common::*;
use net::{basic, Proxy, Seen, TestPki, TlsFront};
use tencentcloud_runtime::config::ConfigBuilder;
use tencentcloud_runtime::local::{Outcome, Reply};
use tencentcloud_runtime::transport::{ReqwestTransport, TransportErrorKind};
use tencentcloud_runtime::{Client, Config, ConfigError, ErrorKind};

const PROXY_USER: &str = "corp-user";
/// The password as sent, and as written in the URL (percent-encoded).
const PROXY_PASSWORD: &str = "pr0xy p@ss";
const PROXY_PASSWORD_IN_URL: &str = "pr0xy%20p%40ss";

fn proxy_url(proxy: &Proxy) -> String {
    format!(
        "http://{PROXY_USER}:{PROXY_PASSWORD_IN_URL}@{}",
        proxy.addr()
    )
}

async fn call(client: &Client) -> Result<Answer, tencentcloud_runtime::Error<SeedError>> {
    client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
}

fn answer(endpoint: &tencentcloud_runtime::local::LocalEndpoint) {
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::success(serde_json::json!({"RequestId": "via-proxy"})),
    );
}

/// Every request the endpoint received was verified (signature included) and answered.
fn all_answered(endpoint: &tencentcloud_runtime::local::LocalEndpoint, count: usize) {
    let requests = endpoint.requests();
    assert_eq!(requests.len(), count, "{requests:#?}");
    for request in requests {
        assert_eq!(request.outcome, Outcome::Answered, "{request:#?}");
        assert!(request.headers.get("proxy-authorization").is_none());
    }
}

#[tokio::test]
async fn a_config_proxy_carries_each_request_with_its_credentials() {
    let endpoint = endpoint().await;
    answer(&endpoint);
    let proxy = Proxy::start_requiring(Some(basic(PROXY_USER, PROXY_PASSWORD))).await;
    let client = client(config(&endpoint).proxy(proxy_url(&proxy)));
    for _ in 0..2 {
        assert_eq!(call(&client).await.unwrap().request_id, "via-proxy");
    }
    let expected = Seen {
        method: "POST".to_owned(),
        target: format!("{}/", endpoint.url()),
        authorization: Some(basic(PROXY_USER, PROXY_PASSWORD)),
    };
    assert_eq!(proxy.seen(), vec![expected.clone(), expected]);
    all_answered(&endpoint, 2);
}

#[tokio::test]
async fn wrong_proxy_credentials_are_refused_by_the_proxy() {
    let endpoint = endpoint().await;
    answer(&endpoint);
    let proxy = Proxy::start_requiring(Some(basic(PROXY_USER, "another"))).await;
    let client = client(config(&endpoint).proxy(proxy_url(&proxy)));
    let error = call(&client).await.unwrap_err();
    assert!(
        error.to_string().contains("407"),
        "{error}: {:?}",
        error.kind()
    );
    assert!(endpoint.requests().is_empty());
}

#[tokio::test]
async fn no_proxy_hosts_go_direct() {
    let endpoint = endpoint().await;
    answer(&endpoint);
    let proxy = Proxy::start().await;
    for hosts in ["127.0.0.1", "localhost, 127.0.0.0/8", "*"] {
        let client = client(config(&endpoint).proxy(proxy.url()).no_proxy(hosts));
        call(&client).await.unwrap();
        assert_eq!(proxy.seen(), vec![], "{hosts}");
    }
    all_answered(&endpoint, 3);
    // Another host still goes through the proxy.
    let client = client(config(&endpoint).proxy(proxy.url()).no_proxy("example.com"));
    call(&client).await.unwrap();
    assert_eq!(proxy.seen().len(), 1);
}

#[tokio::test]
async fn a_private_root_is_trusted_only_when_given() {
    let endpoint = endpoint().await;
    answer(&endpoint);
    let tls = TlsFront::start(endpoint.addr()).await;
    let https = || config(&endpoint).endpoint(tls.url());

    let error = call(&client(https())).await.unwrap_err();
    match error.kind() {
        ErrorKind::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Connect, "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    let error = call(&client(https().os_roots(true))).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error}");
    assert!(endpoint.requests().is_empty());

    call(&client(https().root_certificates_pem(tls.root_pem.clone())))
        .await
        .unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &tls.root_pem).unwrap();
    call(&client(https().root_certificate_file(file.path())))
        .await
        .unwrap();
    // A bundle: another root first, then the test's.
    let bundle = format!("{}{}", TestPki::new().root_pem, tls.root_pem);
    call(&client(https().root_certificates_pem(bundle)))
        .await
        .unwrap();
    all_answered(&endpoint, 3);
}

#[tokio::test]
async fn https_goes_through_the_proxy_as_a_tunnel() {
    let endpoint = endpoint().await;
    answer(&endpoint);
    let tls = TlsFront::start(endpoint.addr()).await;
    let proxy = Proxy::start_requiring(Some(basic(PROXY_USER, PROXY_PASSWORD))).await;
    let config = config(&endpoint)
        .endpoint(tls.url())
        .proxy(proxy_url(&proxy))
        .root_certificates_pem(tls.root_pem.as_bytes());
    call(&client(config)).await.unwrap();
    assert_eq!(
        proxy.seen(),
        vec![Seen {
            method: "CONNECT".to_owned(),
            target: tls.url().trim_start_matches("https://").to_owned(),
            authorization: Some(basic(PROXY_USER, PROXY_PASSWORD)),
        }]
    );
    all_answered(&endpoint, 1);
}

fn build_error(builder: ConfigBuilder) -> ConfigError {
    builder.build().expect_err("refused at build")
}

#[test]
fn bad_proxies_and_roots_fail_at_build_naming_them() {
    let base = || Config::builder().credential(credential());
    let cases = [
        (base().proxy("proxy.corp:3128"), "invalid proxy \"proxy.corp:3128\": expected an http:// or https:// URL with a host, such as http://proxy.example.com:8080"),
        (base().proxy("socks5://user:secret@proxy:1080"), "invalid proxy \"socks5://user:***@proxy:1080\": expected an http:// or https:// URL with a host, such as http://proxy.example.com:8080"),
        (base().proxy("http://user:secret@proxy:99999"), "invalid proxy \"http://user:***@proxy:99999\": invalid port number"),
        (base().proxy("http://user:sec ret@"), "invalid proxy \"http://user:***@\": empty host"),
        (base().no_proxy("127.0.0.1"), "invalid no_proxy: applies only to the proxy set with proxy(); the environment's proxy takes NO_PROXY"),
        (base().root_certificates_pem("not a certificate"), "invalid root certificates in PEM given to root_certificates_pem: no PEM certificate (-----BEGIN CERTIFICATE-----) found"),
        (base().root_certificates_pem(vec![0x30, 0x82, 0x01]), "invalid root certificates in PEM given to root_certificates_pem: no PEM certificate: this looks like DER, convert it to PEM"),
        (base().root_certificates_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "invalid root certificates in PEM given to root_certificates_pem: certificate 1: not a usable root: invalid peer certificate: BadEncoding"),
        (base().root_certificates_pem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"), "invalid root certificates in PEM given to root_certificates_pem: certificate 1: not valid PEM: "),
        (base().root_certificates_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"), "invalid root certificates in PEM given to root_certificates_pem: certificate 1: not valid PEM: "),
        (base().root_certificate_file("/nonexistent/corp-root.pem"), "invalid root certificates in file /nonexistent/corp-root.pem: No such file or directory (os error 2)"),
    ];
    for (builder, message) in cases {
        let error = build_error(builder);
        let shown = error.to_string();
        assert!(shown.starts_with(message), "{shown}\nnot\n{message}");
        assert!(!shown.contains("secret") && !format!("{error:?}").contains("secret"));
        assert!(matches!(
            error,
            ConfigError::InvalidProxy { .. }
                | ConfigError::InvalidRootCertificates { .. }
                | ConfigError::InvalidSetting { .. }
        ));
    }
    // A good root after a bad one does not hide it.
    let good = TestPki::new().root_pem;
    let error = build_error(
        base()
            .root_certificates_pem(good)
            .root_certificates_pem("x"),
    );
    assert!(matches!(error, ConfigError::InvalidRootCertificates { .. }));
}

#[test]
fn network_settings_beside_a_transport_of_ones_own_are_refused() {
    let base = || {
        Config::builder()
            .credential(credential())
            .transport(ReqwestTransport::new(Duration::from_secs(1), 1024).unwrap())
    };
    let pem = TestPki::new().root_pem;
    for (builder, name) in [
        (base().proxy("http://proxy:3128"), "proxy"),
        (base().proxy("http://proxy:3128").no_proxy("a"), "proxy"),
        (base().os_roots(true), "os_roots"),
        (base().root_certificates_pem(pem), "root_certificates"),
        (
            base().root_certificate_file("corp.pem"),
            "root_certificates",
        ),
    ] {
        assert_eq!(
            build_error(builder).to_string(),
            format!("invalid {name}: applies only to the default transport; set it on the transport you gave")
        );
    }
}

#[tokio::test]
async fn proxy_credentials_never_show() {
    let endpoint = endpoint().await;
    answer(&endpoint);
    let proxy = Proxy::start_requiring(Some(basic(PROXY_USER, PROXY_PASSWORD))).await;
    let builder = config(&endpoint)
        .proxy(proxy_url(&proxy))
        .no_proxy("example.com")
        .root_certificates_pem(TestPki::new().root_pem)
        .log_bodies(true);
    let builder_debug = format!("{builder:?}");
    let config = builder.build().unwrap();
    let masked = format!("http://{PROXY_USER}:***@{}", proxy.addr());
    assert_eq!(config.proxy(), Some(masked.as_str()));
    let client = Client::new(config.clone(), ORGANIZATION);
    let log = capture(async {
        call(&client).await.unwrap();
    })
    .await;
    // A failing call too: the proxy down.
    drop(proxy);
    let mut error = String::new();
    let failed = capture(async {
        let e = call(&client).await.unwrap_err();
        error = format!("{e:?} {}", tencentcloud_runtime::ErrorChain(&e));
    })
    .await;
    let shown = [
        builder_debug,
        format!("{config:?}"),
        format!("{:?}", config.transport()),
        format!("{client:?}"),
        log,
        failed,
        error,
    ];
    for text in &shown {
        for secret in [
            PROXY_PASSWORD,
            PROXY_PASSWORD_IN_URL,
            &basic(PROXY_USER, PROXY_PASSWORD),
        ] {
            assert!(!text.contains(secret), "{secret:?} shows in:\n{text}");
        }
    }
    for debug in &shown[..3] {
        assert!(debug.contains(&masked), "{debug}");
    }
}

#[test]
fn os_roots_are_read_when_asked() {
    // The machine's store may be empty (a minimal container): then the error names it.
    match Config::builder()
        .credential(credential())
        .os_roots(true)
        .build()
    {
        Ok(config) => assert!(format!("{config:?}").contains("os_roots: true")),
        Err(ConfigError::InvalidRootCertificates { origin, .. }) => {
            assert_eq!(origin, "the operating system's store")
        }
        Err(other) => panic!("{other}"),
    }
}
