//! The environment's proxies and roots as the default transport reads them when a config is
//! built: `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` in upper and lower case, a config proxy
//! winning over them, and `SSL_CERT_FILE` standing in for the operating system's roots. A
//! binary of its own, each test holding one lock while it changes the environment, so that no
//! other test builds a client meanwhile.

mod common;
mod net;

use common::*;
use net::{Proxy, Seen, TlsFront};
use tencentcloud_runtime::local::{LocalEndpoint, Outcome, Reply};
use tencentcloud_runtime::ConfigBuilder;
use tokio::sync::{Mutex, MutexGuard};

const VARIABLES: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

static ENVIRONMENT: Mutex<()> = Mutex::const_new(());

/// The environment with only `vars` of [`VARIABLES`] set, until dropped.
struct Env {
    _lock: MutexGuard<'static, ()>,
}

impl Env {
    async fn with(vars: &[(&str, &str)]) -> Self {
        let lock = ENVIRONMENT.lock().await;
        clear();
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
        Self { _lock: lock }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        clear();
    }
}

fn clear() {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
}

async fn answering() -> LocalEndpoint {
    let endpoint = endpoint().await;
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::success(serde_json::json!({"RequestId": "env"})),
    );
    endpoint
}

/// Builds `config` (the environment is read now) and calls once.
async fn call(config: ConfigBuilder) -> Result<Answer, tencentcloud_runtime::Error<SeedError>> {
    client(config)
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
}

fn forwarded(endpoint: &LocalEndpoint) -> Seen {
    Seen {
        method: "POST".to_owned(),
        target: format!("{}/", endpoint.url()),
        authorization: None,
    }
}

#[tokio::test]
async fn http_proxy_in_either_case_carries_http_requests() {
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        let endpoint = answering().await;
        let proxy = Proxy::start().await;
        let env = Env::with(&[(name, &proxy.url())]).await;
        call(config(&endpoint)).await.unwrap();
        drop(env);
        assert_eq!(proxy.seen(), vec![forwarded(&endpoint)], "{name}");
        assert_eq!(endpoint.requests()[0].outcome, Outcome::Answered);
    }
}

#[tokio::test]
async fn https_proxy_in_either_case_tunnels_https_requests_only() {
    for name in ["HTTPS_PROXY", "https_proxy"] {
        let endpoint = answering().await;
        let tls = TlsFront::start(endpoint.addr()).await;
        let proxy = Proxy::start().await;
        let env = Env::with(&[(name, &proxy.url())]).await;
        let https = config(&endpoint)
            .endpoint(tls.url())
            .root_certificates_pem(tls.root_pem.as_bytes());
        call(https).await.unwrap();
        // Plain http is not an https request: it goes direct.
        call(config(&endpoint)).await.unwrap();
        drop(env);
        let tunnel = Seen {
            method: "CONNECT".to_owned(),
            target: tls.url().trim_start_matches("https://").to_owned(),
            authorization: None,
        };
        assert_eq!(proxy.seen(), vec![tunnel], "{name}");
        assert_eq!(endpoint.requests().len(), 2);
    }
}

#[tokio::test]
async fn no_proxy_in_either_case_sends_those_hosts_direct() {
    for name in ["NO_PROXY", "no_proxy"] {
        // `*` would match every name, but not an IP address such as 127.0.0.1 (reqwest's
        // reading, documented in the README).
        for hosts in ["127.0.0.1", "example.com,127.0.0.0/8"] {
            let endpoint = answering().await;
            let proxy = Proxy::start().await;
            let env = Env::with(&[("HTTP_PROXY", &proxy.url()), (name, hosts)]).await;
            call(config(&endpoint)).await.unwrap();
            drop(env);
            assert_eq!(proxy.seen(), vec![], "{name}={hosts}");
        }
    }
    // A list without the host leaves it to the proxy.
    let endpoint = answering().await;
    let proxy = Proxy::start().await;
    let env = Env::with(&[("HTTP_PROXY", &proxy.url()), ("NO_PROXY", "example.com")]).await;
    call(config(&endpoint)).await.unwrap();
    drop(env);
    assert_eq!(proxy.seen(), vec![forwarded(&endpoint)]);
}

#[tokio::test]
async fn a_config_proxy_wins_over_the_environment() {
    let endpoint = answering().await;
    let from_env = Proxy::start().await;
    let from_config = Proxy::start().await;
    let env = Env::with(&[("HTTP_PROXY", &from_env.url()), ("NO_PROXY", "127.0.0.1")]).await;
    // NO_PROXY belongs to the environment's proxies: the config's takes `no_proxy`.
    call(config(&endpoint).proxy(from_config.url()))
        .await
        .unwrap();
    drop(env);
    assert_eq!(from_env.seen(), vec![]);
    assert_eq!(from_config.seen(), vec![forwarded(&endpoint)]);
}

#[tokio::test]
async fn a_dead_environment_proxy_fails_the_call_as_a_transport_error() {
    let endpoint = answering().await;
    let gone = Proxy::start().await.url();
    let env = Env::with(&[("HTTP_PROXY", &gone)]).await;
    let error = call(config(&endpoint)).await.unwrap_err();
    drop(env);
    assert!(
        matches!(error.kind(), tencentcloud_runtime::ErrorKind::Transport(_)),
        "{error}"
    );
    assert!(endpoint.requests().is_empty());
}

#[tokio::test]
async fn os_roots_take_ssl_cert_file() {
    let endpoint = answering().await;
    let tls = TlsFront::start(endpoint.addr()).await;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &tls.root_pem).unwrap();
    let path = file.path().to_str().unwrap().to_owned();
    let env = Env::with(&[("SSL_CERT_FILE", &path)]).await;
    let https = || config(&endpoint).endpoint(tls.url());
    call(https()).await.unwrap_err();
    call(https().os_roots(true)).await.unwrap();
    drop(env);
    assert_eq!(endpoint.requests().len(), 1);
}
