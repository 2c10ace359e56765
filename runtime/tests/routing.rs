//! Where requests go: the spec's host, a site's domain, regional and financial hosts,
//! templates, and the backup endpoint the region breaker switches to. A transport sends
//! every request to the local endpoint with the Host it was signed for, so the endpoint
//! verifies each signature against the host the client chose.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use tencentcloud_runtime::credential::BoxFuture;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError, TransportErrorKind,
};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{BreakerSettings, Config, ConfigError, Site};

/// Sends everything to the local endpoint at `to`, keeping the Host header, except requests
/// for `down`, which fail as if the host were unreachable.
#[derive(Debug)]
struct Redirect {
    to: SocketAddr,
    down: Option<&'static str>,
    inner: ReqwestTransport,
}

impl Redirect {
    fn new(endpoint: &LocalEndpoint, down: Option<&'static str>) -> Self {
        Self {
            to: endpoint.addr(),
            down,
            inner: ReqwestTransport::new(Duration::from_secs(5), 1 << 20).unwrap(),
        }
    }
}

impl Transport for Redirect {
    fn send(
        &self,
        mut request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let host = request.headers()["host"].to_str().unwrap().to_owned();
        if self.down == Some(host.as_str()) {
            return Box::pin(async move {
                Err(TransportError::new(
                    TransportErrorKind::Connect,
                    format!("{host} is down"),
                ))
            });
        }
        let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
        *request.uri_mut() = format!("http://{}{path}", self.to).parse().unwrap();
        self.inner.send(request)
    }
}

/// The Host of each request the endpoint received.
fn hosts(endpoint: &LocalEndpoint) -> Vec<String> {
    endpoint
        .requests()
        .iter()
        .map(|r| r.headers["host"].to_str().unwrap().to_owned())
        .collect()
}

async fn host_for(
    configure: impl FnOnce(tencentcloud_runtime::ConfigBuilder) -> tencentcloud_runtime::ConfigBuilder,
) -> String {
    let endpoint = endpoint().await;
    endpoint.reply(
        OPTIONAL_REGION.name(),
        Reply::success(serde_json::json!({})),
    );
    let builder = Config::builder()
        .credential(credential())
        .transport(Redirect::new(&endpoint, None));
    let client = client(configure(builder));
    client
        .call::<_, Answer, SeedError>(&OPTIONAL_REGION, Empty {})
        .await
        .unwrap();
    let hosts = hosts(&endpoint);
    assert_eq!(hosts.len(), 1);
    hosts[0].clone()
}

#[tokio::test]
async fn hosts_follow_the_spec_the_site_the_region_and_templates() {
    assert_eq!(
        host_for(|b| b).await,
        "organization.intl.tencentcloudapi.com"
    );
    assert_eq!(
        host_for(|b| b.site(Site::China)).await,
        "organization.tencentcloudapi.com"
    );
    assert_eq!(
        host_for(|b| b.site(Site::International).region("ap-singapore")).await,
        "organization.intl.tencentcloudapi.com"
    );
    assert_eq!(
        host_for(|b| b.region("ap-singapore").regional_endpoint(true)).await,
        "organization.ap-singapore.tencentcloudapi.com"
    );
    // Financial regions are reached only through their own hosts.
    assert_eq!(
        host_for(|b| b.region("ap-shanghai-fsi")).await,
        "organization.ap-shanghai-fsi.tencentcloudapi.com"
    );
    assert_eq!(
        host_for(|b| b
            .region("eu-frankfurt")
            .endpoint("{service}.{region}.example.com"))
        .await,
        "organization.eu-frankfurt.example.com"
    );
}

#[test]
fn routing_settings_are_checked_at_build() {
    let error =
        |builder: tencentcloud_runtime::ConfigBuilder| builder.build().unwrap_err().to_string();
    assert_eq!(
        error(
            Config::builder()
                .credential(credential())
                .regional_endpoint(true)
        ),
        "invalid regional_endpoint: a regional endpoint needs a region"
    );
    assert_eq!(
        error(
            Config::builder()
                .credential(credential())
                .endpoint("{service}.{region}.x")
        ),
        "invalid endpoint \"{service}.{region}.x\": it uses {region} and no region is set"
    );
    assert_eq!(
        error(
            Config::builder()
                .credential(credential())
                .backup_endpoint("ftp://{service}.x")
        ),
        "invalid endpoint \"ftp://service.x\": the scheme must be http or https"
    );
    let settings = BreakerSettings {
        failure_percent: 101,
        ..BreakerSettings::default()
    };
    assert!(matches!(
        Config::builder()
            .credential(credential())
            .region_breaker(settings)
            .build(),
        Err(ConfigError::InvalidSetting {
            name: "region_breaker",
            ..
        })
    ));
    let config = Config::builder()
        .credential(credential())
        .region_breaker(BreakerSettings::default())
        .build()
        .unwrap();
    assert_eq!(
        config.backup_endpoint().as_deref(),
        Some("{service}.ap-guangzhou.tencentcloudapi.com")
    );
}

fn quick_breaker() -> BreakerSettings {
    BreakerSettings {
        min_failures: 2,
        failure_percent: 75,
        window: Duration::from_secs(60),
        open_for: Duration::from_millis(300),
    }
}

#[tokio::test]
async fn a_failing_region_sends_requests_to_the_backup_until_it_recovers() {
    let endpoint = endpoint().await;
    endpoint.reply(DESCRIBE.name(), Reply::success(serde_json::json!({})));
    let down = "organization.intl.tencentcloudapi.com";
    let client = client(
        config(&endpoint)
            .endpoint(down)
            .region_breaker(quick_breaker())
            .transport(Redirect::new(&endpoint, Some(down))),
    );
    // Two failed attempts open the breaker; the third attempt of the same call goes to
    // Guangzhou, the official SDKs' backup.
    client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert_eq!(
        hosts(&endpoint),
        ["organization.ap-guangzhou.tencentcloudapi.com"]
    );
    // While open, calls go straight to the backup.
    client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert_eq!(hosts(&endpoint).len(), 2);
    // After open_for the region is tried again; it still fails, so the breaker reopens and
    // the retry goes to the backup.
    tokio::time::sleep(Duration::from_millis(350)).await;
    client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert!(hosts(&endpoint)
        .iter()
        .all(|h| h == "organization.ap-guangzhou.tencentcloudapi.com"));
    assert_eq!(hosts(&endpoint).len(), 3);
}

#[tokio::test]
async fn a_recovered_region_gets_its_requests_back() {
    let endpoint = endpoint().await;
    endpoint.reply(DESCRIBE.name(), Reply::success(serde_json::json!({})));
    let dead: SocketAddr = {
        // A port that was just free: connections to it are refused.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = client(
        config(&endpoint)
            .endpoint(format!("http://{dead}"))
            .backup_endpoint(endpoint.url())
            .region_breaker(quick_breaker()),
    );
    client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert_eq!(
        endpoint.requests().len(),
        1,
        "the third attempt reached the backup"
    );
    // The region comes back on the same port.
    let revived = LocalEndpoint::builder()
        .credential(credential())
        .start_on(dead)
        .await
        .unwrap();
    revived.reply(DESCRIBE.name(), Reply::success(serde_json::json!({})));
    tokio::time::sleep(Duration::from_millis(350)).await;
    for _ in 0..3 {
        client
            .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap();
    }
    assert_eq!(
        revived.requests().len(),
        3,
        "half open, one success closes the breaker"
    );
    assert_eq!(endpoint.requests().len(), 1);
}

#[tokio::test]
async fn without_a_backup_the_failure_is_reported() {
    let endpoint = endpoint().await;
    let down = "organization.intl.tencentcloudapi.com";
    let client = client(
        config(&endpoint)
            .endpoint(down)
            .transport(Redirect::new(&endpoint, Some(down))),
    );
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error}");
    assert!(endpoint.requests().is_empty());
}
