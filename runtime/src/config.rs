//! Settings shared by every client: credentials, region, endpoint, language, timeouts,
//! retries and transport. Everything is checked in [`ConfigBuilder::build`], so a bad setting
//! fails at start-up instead of on the first call.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::breaker::BreakerSettings;
use crate::clock::Clock;
use crate::credential::{
    Credential, CredentialError, DefaultChain, EnvProvider, ProvideCredential,
};
use crate::endpoint::{InvalidEndpoint, Routing, Site, Template, DEFAULT_BACKUP_ENDPOINT};
use crate::environment::Environment;
use crate::mock::Mock;
use crate::network::{Network, NetworkSettings};
use crate::rate::{Limiter, RateLimits};
use crate::retry::RetryPolicy;
use crate::signing::legacy::LegacyMethod;
use crate::transport::{ReqwestTransport, Transport, TransportError};

/// The variable holding the default region.
pub const REGION_VAR: &str = "TENCENTCLOUD_REGION";
/// `X-TC-RequestClient` names this library and version, then the user's tag if any.
pub const REQUEST_CLIENT: &str = concat!("tencentcloud-rs/", env!("CARGO_PKG_VERSION"));

/// The language of the service's messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN`.
    ZhCn,
    /// English, `en-US`.
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::EnUs => "en-US",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh-cn" => Ok(Self::ZhCn),
            "en-us" => Ok(Self::EnUs),
            _ => Err(ConfigError::InvalidLanguage {
                value: s.to_owned(),
            }),
        }
    }
}

/// How requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SignatureMethod {
    /// TC3-HMAC-SHA256 over a JSON POST: the current method, which signs the body, the
    /// content type and the host.
    #[default]
    Tc3HmacSha256,
    /// An older method (HmacSHA1 or HmacSHA256), with the parameters sent as a form in the
    /// query of a GET or the body of a POST.
    Legacy {
        /// The HMAC.
        method: LegacyMethod,
        /// GET (parameters in the URL) or POST (parameters in the body).
        http: FormMethod,
    },
}

/// How a form-signed request carries its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FormMethod {
    /// In the URL query of a GET (keep requests small: URLs have length limits).
    Get,
    /// In an `application/x-www-form-urlencoded` POST body.
    Post,
}

/// The settings of a client. Cheap to clone; share one between clients of many services.
#[derive(Clone)]
pub struct Config {
    inner: Arc<Settings>,
}

struct Settings {
    credentials: Arc<dyn ProvideCredential>,
    /// The credential itself when one was given ([`ConfigBuilder::credential`]): lent to
    /// each request rather than copied from the provider.
    fixed_credential: Option<Credential>,
    region: Option<String>,
    routing: Routing,
    breaker: BreakerSettings,
    language: Option<Language>,
    signature: SignatureMethod,
    rate_limits: RateLimits,
    limiter: Limiter,
    log_bodies: bool,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    call_timeout: Option<Duration>,
    stream_idle_timeout: Duration,
    unsigned_payload: bool,
    clock: Clock,
    retry: RetryPolicy,
    request_client: String,
    transport: Arc<dyn Transport>,
    network: Network,
    mock: Option<Mock>,
}

impl Config {
    /// A builder with the defaults: the default credential chain, no region, the service's
    /// own endpoint over https, 10 s to connect, 60 s per attempt, no limit on the whole call,
    /// [`RetryPolicy::standard`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configuration the official SDKs would find in the process's environment:
    /// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_TOKEN`,
    /// `TENCENTCLOUD_REGION`, and otherwise the rest of the default chain.
    pub fn from_env() -> Result<Self, ConfigError> {
        ConfigBuilder::from_environment(Environment::process()).build()
    }

    /// The credential provider.
    pub fn credentials(&self) -> &Arc<dyn ProvideCredential> {
        &self.inner.credentials
    }

    /// The credential given itself, if one was (see [`Settings::fixed_credential`]).
    pub(crate) fn fixed_credential(&self) -> Option<&Credential> {
        self.inner.fixed_credential.as_ref()
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The endpoint override, if set: a URL (`https://host/`), or the template as given
    /// when it has `{service}` or `{region}`.
    pub fn endpoint(&self) -> Option<String> {
        self.inner
            .routing
            .endpoint
            .as_ref()
            .map(ToString::to_string)
    }

    /// The site whose domain the service hosts are taken from, if set.
    pub fn site(&self) -> Option<Site> {
        self.inner.routing.site
    }

    /// The backup endpoint the region breaker switches to, if the breaker is on.
    pub fn backup_endpoint(&self) -> Option<String> {
        self.inner.routing.backup.as_ref().map(ToString::to_string)
    }

    pub(crate) fn routing(&self) -> &Routing {
        &self.inner.routing
    }

    /// When the region breaker opens and for how long.
    pub fn breaker_settings(&self) -> &BreakerSettings {
        &self.inner.breaker
    }

    /// How requests are signed.
    pub fn signature_method(&self) -> SignatureMethod {
        self.inner.signature
    }

    /// The client-side rate limits.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.inner.rate_limits
    }

    pub(crate) fn limiter(&self) -> &Limiter {
        &self.inner.limiter
    }

    /// Whether request and response bodies are logged (at TRACE level, secrets masked).
    pub fn log_bodies(&self) -> bool {
        self.inner.log_bodies
    }

    /// The language of messages, if set.
    pub fn language(&self) -> Option<Language> {
        self.inner.language
    }

    /// The connect timeout of the default transport.
    pub fn connect_timeout(&self) -> Duration {
        self.inner.connect_timeout
    }

    /// How long one attempt may take.
    pub fn attempt_timeout(&self) -> Duration {
        self.inner.attempt_timeout
    }

    /// How long a whole call may take, retries included, if limited.
    pub fn call_timeout(&self) -> Option<Duration> {
        self.inner.call_timeout
    }

    /// How long an event stream may go without a new event before it ends with a timeout
    /// (it replaces the attempt timeout once a stream has begun).
    pub fn stream_idle_timeout(&self) -> Duration {
        self.inner.stream_idle_timeout
    }

    /// Whether TC3 signatures leave the body out (`UNSIGNED-PAYLOAD`).
    pub fn unsigned_payload(&self) -> bool {
        self.inner.unsigned_payload
    }

    /// The clock requests are signed with: the local time, corrected by the offset to
    /// Tencent Cloud's time once a refusal has shown one ([`Clock::offset_secs`] is the
    /// offset in use). Shared by every client of this `Config` and its clones.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The value of `X-TC-RequestClient`.
    pub fn request_client(&self) -> &str {
        &self.inner.request_client
    }

    /// The transport.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.inner.transport
    }

    /// The proxy set with [`ConfigBuilder::proxy`], its credentials masked
    /// (`http://user:***@proxy:3128`); `None` when the environment decides.
    pub fn proxy(&self) -> Option<&str> {
        self.inner.network.proxy_url()
    }

    /// The test double that responses every call instead of the service, if one is set.
    pub fn mock(&self) -> Option<&Mock> {
        self.inner.mock.as_ref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Config")
            .field("credentials", &i.credentials)
            .field("region", &i.region)
            .field("endpoint", &self.endpoint())
            .field("site", &i.routing.site)
            .field("regional", &i.routing.regional)
            .field("backup_endpoint", &self.backup_endpoint())
            .field("language", &i.language)
            .field("signature", &i.signature)
            .field("rate_limits", &i.rate_limits)
            .field("log_bodies", &i.log_bodies)
            .field("connect_timeout", &i.connect_timeout)
            .field("attempt_timeout", &i.attempt_timeout)
            .field("call_timeout", &i.call_timeout)
            .field("stream_idle_timeout", &i.stream_idle_timeout)
            .field("unsigned_payload", &i.unsigned_payload)
            .field("clock", &i.clock)
            .field("retry", &i.retry)
            .field("request_client", &i.request_client)
            .field("network", &i.network)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Config`]; see [`Config::builder`].
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    credentials: Option<Arc<dyn ProvideCredential>>,
    fixed_credential: Option<Credential>,
    credential_error: Option<CredentialError>,
    environment: Environment,
    region: Option<String>,
    endpoint: Option<String>,
    site: Option<Site>,
    regional: bool,
    backup_endpoint: Option<String>,
    breaker: Option<BreakerSettings>,
    language: Option<Language>,
    signature: SignatureMethod,
    rate_limits: Option<RateLimits>,
    log_bodies: bool,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    stream_idle_timeout: Option<Duration>,
    unsigned_payload: bool,
    clock_skew_correction: Option<bool>,
    retry: Option<RetryPolicy>,
    request_client: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    max_response_bytes: Option<usize>,
    network: NetworkSettings,
    mock: Option<Mock>,
}

impl ConfigBuilder {
    /// A builder preset from `env` as [`Config::from_env`] reads it; the default chain, if
    /// used, reads `env` too. Settings made afterwards win.
    pub fn from_environment(env: Environment) -> Self {
        let mut builder = Self {
            region: env.get(REGION_VAR),
            ..Self::default()
        };
        match EnvProvider::with_environment(env.clone()).load() {
            Ok(credential) => builder = builder.credential(credential),
            Err(CredentialError::NotFound { .. }) => {}
            Err(error) => builder.credential_error = Some(error),
        }
        builder.environment = env;
        builder
    }

    /// Signs with this credential.
    #[must_use]
    pub fn credential(self, credential: Credential) -> Self {
        let mut builder = self.credential_provider(credential.clone());
        builder.fixed_credential = Some(credential);
        builder
    }

    /// Asks `provider` for the credential before each request.
    #[must_use]
    pub fn credential_provider(mut self, provider: impl ProvideCredential) -> Self {
        self.credentials = Some(Arc::new(provider));
        self.fixed_credential = None;
        self.credential_error = None;
        self
    }

    /// Sends `X-TC-Region` with this region (`ap-guangzhou`) where the action takes one.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends requests to this host (`cvm.ap-guangzhou.tencentcloudapi.com`, https) or URL
    /// (`http://127.0.0.1:8080`) instead of the service's own endpoint. `{service}` and
    /// `{region}` are replaced by each client's service name and the region, so one config
    /// serves many services: `{service}.{region}.tencentcloudapi.com`.
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Takes each service's host from this site's domain instead of the spec's default
    /// (`<service>.tencentcloudapi.com` for China, `<service>.intl.tencentcloudapi.com`
    /// for International).
    #[must_use]
    pub fn site(mut self, site: Site) -> Self {
        self.site = Some(site);
        self
    }

    /// Sends requests to the region's own host, `<service>.<region>.tencentcloudapi.com`
    /// (needs a region). Financial regions (`ap-shanghai-fsi`) always use theirs.
    #[must_use]
    pub fn regional_endpoint(mut self, on: bool) -> Self {
        self.regional = on;
        self
    }

    /// Turns on the region breaker: while the endpoint keeps failing (no connection,
    /// timeouts, gateway errors), requests go to this endpoint instead, a template like
    /// [`ConfigBuilder::endpoint`]'s; see [`crate::endpoint::DEFAULT_BACKUP_ENDPOINT`].
    #[must_use]
    pub fn backup_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.backup_endpoint = Some(endpoint.into());
        self
    }

    /// Turns on the region breaker with [`crate::endpoint::DEFAULT_BACKUP_ENDPOINT`] (unless
    /// a backup endpoint is set) and these settings.
    #[must_use]
    pub fn region_breaker(mut self, settings: BreakerSettings) -> Self {
        self.breaker = Some(settings);
        self
    }

    /// Signs with this method (default TC3-HMAC-SHA256).
    #[must_use]
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.signature = method;
        self
    }

    /// Which client-side rate limits to keep (default [`RateLimits::spec`]).
    #[must_use]
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = Some(limits);
        self
    }

    /// Logs request and response bodies at TRACE level, with the values of fields whose names
    /// say secret, token, password or key masked (default off: bodies hold your data).
    #[must_use]
    pub fn log_bodies(mut self, on: bool) -> Self {
        self.log_bodies = on;
        self
    }

    /// Asks for messages in this language.
    #[must_use]
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// How long the default transport may take to connect (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, response included (default 60 s).
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How long a whole call may take, retries and backoff included (default: no limit
    /// beyond the attempts).
    #[must_use]
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// How long an event stream may go without a new event (default 60 s). Once a stream
    /// has begun this replaces the attempt timeout, so a long response can stream for as long
    /// as its events keep coming.
    #[must_use]
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = Some(timeout);
        self
    }

    /// Signs TC3 requests without hashing their body: the canonical request carries
    /// `UNSIGNED-PAYLOAD` and the request the header `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`,
    /// as the official SDKs do for large uploads. The body is then not protected by the
    /// signature; off by default.
    #[must_use]
    pub fn unsigned_payload(mut self, on: bool) -> Self {
        self.unsigned_payload = on;
        self
    }

    /// Whether to correct for a local clock that is off (on by default). Tencent Cloud
    /// refuses a request signed more than five minutes from its own time with
    /// `AuthFailure.SignatureExpire`; with correction on, the client then reads the server's
    /// time from the refusal's `Date` header, keeps the offset for every client of this
    /// `Config`, and signs the refused attempt again and sends it once more (safe for every
    /// action: the service refused it before doing anything). Later calls are signed with
    /// the offset from the start, and credential expiry is judged by it. The first
    /// correction, and any that changes the offset, is a `tracing` warning with the skew;
    /// [`Config::clock`] shows the offset in use. A refusal without a readable `Date` changes
    /// nothing. Off, a refusal is the call's error, as the official SDKs return it.
    #[must_use]
    pub fn clock_skew_correction(mut self, on: bool) -> Self {
        self.clock_skew_correction = Some(on);
        self
    }

    /// How to retry (default [`RetryPolicy::standard`]).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a tag naming your application to `X-TC-RequestClient` (printable ASCII, at most
    /// 100 characters).
    #[must_use]
    pub fn request_client(mut self, tag: impl Into<String>) -> Self {
        self.request_client = Some(tag.into());
        self
    }

    /// Sends requests through `transport` instead of the default reqwest client.
    #[must_use]
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The largest response the default transport reads (default 64 MiB).
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Sends every request of the default transport, http and https, through the proxy at
    /// `url` (`http://proxy.example.com:3128`; `https://` for TLS to the proxy too), instead
    /// of the one the environment names in `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY`.
    /// Credentials in the URL (`http://user:password@host:port`, percent-encoded) go to the
    /// proxy as basic auth; every Debug and error shows them masked.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.network.proxy = Some(url.into());
        self
    }

    /// Sends requests to these hosts directly, not through [`ConfigBuilder::proxy`]: names,
    /// domains (`.example.com` or `example.com`, with their subdomains), IP addresses or
    /// ranges (`10.0.0.0/8`), separated by commas, `*` for all; as in `NO_PROXY`.
    #[must_use]
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.network.no_proxy = Some(hosts.into());
        self
    }

    /// Trusts the operating system's root certificates besides the bundled web roots
    /// (default off): for a root that the system's administrators installed. They are read
    /// when the config is built; `SSL_CERT_FILE` or `SSL_CERT_DIR` replace the system's.
    #[must_use]
    pub fn os_roots(mut self, on: bool) -> Self {
        self.network.os_roots = on;
        self
    }

    /// Trusts the root certificates of this PEM (one or a bundle) besides the bundled web
    /// roots: a private root, such as that of a proxy that inspects TLS. Each call adds.
    #[must_use]
    pub fn root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.network.add_pem(pem.into());
        self
    }

    /// [`ConfigBuilder::root_certificates_pem`] with the PEM of the file at `path`, read
    /// when the config is built.
    #[must_use]
    pub fn root_certificate_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.network.add_pem_file(path.into());
        self
    }

    /// Answers every call from `mock` instead of the service: no network, no signing, no
    /// credential (see [`crate::mock`]). For tests of code that calls a client.
    #[must_use]
    pub fn mock(mut self, mock: Mock) -> Self {
        self.mock = Some(mock);
        self
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(error) = self.credential_error {
            return Err(ConfigError::Credential(error));
        }
        if let Some(region) = &self.region {
            if !is_valid_region(region) {
                return Err(ConfigError::InvalidRegion {
                    value: region.clone(),
                });
            }
        }
        let region = self.region.as_deref();
        let endpoint = self
            .endpoint
            .as_deref()
            .map(|e| Template::parse(e, region))
            .transpose()?;
        if self.regional && region.is_none() {
            return Err(ConfigError::InvalidSetting {
                name: "regional_endpoint",
                reason: "a regional endpoint needs a region".to_owned(),
            });
        }
        let backup = match (&self.backup_endpoint, &self.breaker) {
            (Some(backup), _) => Some(Template::parse(backup, region)?),
            (None, Some(_)) => Some(Template::parse(DEFAULT_BACKUP_ENDPOINT, region)?),
            (None, None) => None,
        };
        let breaker = self.breaker.unwrap_or_default();
        breaker
            .validate()
            .map_err(|reason| ConfigError::InvalidSetting {
                name: "region_breaker",
                reason,
            })?;
        let rate_limits = self.rate_limits.unwrap_or_default();
        rate_limits
            .validate()
            .map_err(|reason| ConfigError::InvalidSetting {
                name: "rate_limits",
                reason,
            })?;
        let connect_timeout = positive("connect_timeout", self.connect_timeout, 10)?;
        let attempt_timeout = positive("attempt_timeout", self.attempt_timeout, 60)?;
        let call_timeout = match self.call_timeout {
            Some(t) => Some(positive("call_timeout", Some(t), 0)?),
            None => None,
        };
        let stream_idle_timeout = positive("stream_idle_timeout", self.stream_idle_timeout, 60)?;
        let retry = self.retry.unwrap_or_default();
        retry
            .validate()
            .map_err(|reason| ConfigError::InvalidRetryPolicy { reason })?;
        let request_client = match &self.request_client {
            None => REQUEST_CLIENT.to_owned(),
            Some(tag) => {
                let printable = tag.bytes().all(|b| (0x20..0x7f).contains(&b));
                if tag.is_empty() || tag.len() > 100 || !printable {
                    return Err(ConfigError::InvalidRequestClient { value: tag.clone() });
                }
                format!("{REQUEST_CLIENT} {tag}")
            }
        };
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(ReqwestTransport::DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(ConfigError::InvalidSetting {
                name: "max_response_bytes",
                reason: "must be more than 0".to_owned(),
            });
        }
        // These shape the default transport only; with your own they would do nothing.
        if self.transport.is_some() {
            for (name, set) in [
                ("connect_timeout", self.connect_timeout.is_some()),
                ("max_response_bytes", self.max_response_bytes.is_some()),
            ]
            .into_iter()
            .chain(self.network.names_set().map(|name| (name, true)))
            {
                if set {
                    return Err(ConfigError::InvalidSetting {
                        name,
                        reason: "applies only to the default transport; set it on the transport you gave".to_owned(),
                    });
                }
            }
        }
        let network = self.network.check()?;
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => Arc::new(
                ReqwestTransport::with_network(
                    connect_timeout,
                    max_response_bytes,
                    network.clone(),
                )
                .map_err(ConfigError::Transport)?,
            ),
        };
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultChain::with_environment(&self.environment)));
        Ok(Config {
            inner: Arc::new(Settings {
                credentials,
                fixed_credential: self.fixed_credential,
                region: self.region,
                routing: Routing {
                    endpoint,
                    site: self.site,
                    regional: self.regional,
                    backup,
                },
                breaker,
                language: self.language,
                signature: self.signature,
                rate_limits,
                limiter: Limiter::default(),
                log_bodies: self.log_bodies,
                connect_timeout,
                attempt_timeout,
                call_timeout,
                stream_idle_timeout,
                unsigned_payload: self.unsigned_payload,
                clock: Clock::new(self.clock_skew_correction.unwrap_or(true)),
                retry,
                request_client,
                transport,
                network,
                mock: self.mock,
            }),
        })
    }
}

/// Whether `region` looks like a region: lower-case letters, digits and dashes, at most 64.
pub(crate) fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `value`, or `default_secs` when unset; zero is refused.
pub(crate) fn positive(
    name: &'static str,
    value: Option<Duration>,
    default_secs: u64,
) -> Result<Duration, ConfigError> {
    match value {
        None => Ok(Duration::from_secs(default_secs)),
        Some(d) if d.is_zero() => Err(ConfigError::InvalidSetting {
            name,
            reason: "must be more than zero".to_owned(),
        }),
        Some(d) => Ok(d),
    }
}

/// A setting that [`ConfigBuilder::build`] refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint is neither a host nor an http(s) URL of one.
    InvalidEndpoint(InvalidEndpoint),
    /// A region is lower-case letters, digits and dashes (`ap-guangzhou`).
    InvalidRegion {
        /// The value given.
        value: String,
    },
    /// Languages are `zh-CN` and `en-US`.
    InvalidLanguage {
        /// The value given.
        value: String,
    },
    /// The request-client tag is not 1 to 100 printable ASCII characters.
    InvalidRequestClient {
        /// The value given.
        value: String,
    },
    /// The retry policy cannot work.
    InvalidRetryPolicy {
        /// What is wrong with it.
        reason: String,
    },
    /// Another setting is out of range.
    InvalidSetting {
        /// The setting.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The proxy is not an http(s) URL with a host.
    InvalidProxy {
        /// The value given, credentials masked.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Root certificates could not be read or are not usable roots.
    InvalidRootCertificates {
        /// Where they came from: the file, the PEM given to `root_certificates_pem`, or the
        /// operating system's store.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// The credential settings are inconsistent (an id without a key).
    Credential(CredentialError),
    /// The default transport could not be built.
    Transport(TransportError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidEndpoint(e) => fmt::Display::fmt(e, f),
            Self::InvalidRegion { value } => write!(
                f,
                "invalid region {value:?}: expected lower-case letters, digits and dashes, such as ap-guangzhou"
            ),
            Self::InvalidLanguage { value } => {
                write!(f, "invalid language {value:?}: expected zh-CN or en-US")
            }
            Self::InvalidRequestClient { value } => write!(
                f,
                "invalid request client tag {value:?}: expected 1 to 100 printable ASCII characters"
            ),
            Self::InvalidRetryPolicy { reason } => write!(f, "invalid retry policy: {reason}"),
            Self::InvalidSetting { name, reason } => write!(f, "invalid {name}: {reason}"),
            Self::InvalidProxy { value, reason } => write!(f, "invalid proxy {value:?}: {reason}"),
            Self::InvalidRootCertificates { origin, reason } => {
                write!(f, "invalid root certificates in {origin}: {reason}")
            }
            Self::Credential(e) => write!(f, "{e}"),
            Self::Transport(e) => write!(f, "could not build the HTTP client: {e}"),
        }
    }
}

impl From<InvalidEndpoint> for ConfigError {
    fn from(e: InvalidEndpoint) -> Self {
        Self::InvalidEndpoint(e)
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidEndpoint(e) => Some(e),
            Self::Credential(e) => Some(e),
            Self::Transport(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credential_lent_to_requests_is_the_last_one_given() {
        let given = Credential::new("AKIDgiven", "key");
        let config = Config::builder()
            .credential_provider(Credential::new("AKIDprovider", "key"))
            .credential(given.clone())
            .build()
            .unwrap();
        assert_eq!(
            config.fixed_credential().map(Credential::secret_id),
            Some("AKIDgiven")
        );
        // A provider set after it replaces it: requests ask the provider.
        let config = Config::builder()
            .credential(given)
            .credential_provider(Credential::new("AKIDprovider", "key"))
            .build()
            .unwrap();
        assert!(config.fixed_credential().is_none());
    }

    #[test]
    fn languages_parse() {
        assert_eq!("en-US".parse::<Language>().unwrap(), Language::EnUs);
        assert_eq!("zh-cn".parse::<Language>().unwrap(), Language::ZhCn);
        assert_eq!(
            "fr-FR".parse::<Language>().unwrap_err().to_string(),
            "invalid language \"fr-FR\": expected zh-CN or en-US"
        );
    }
}
