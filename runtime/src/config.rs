//! Settings shared by every client: credentials, region, endpoint, language, timeouts,
//! retries and transport. Everything is checked in [`ConfigBuilder::build`], so a bad setting
//! fails at start-up instead of on the first call.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::credential::{
    Credential, CredentialError, DefaultChain, EnvProvider, ProvideCredential,
};
use crate::environment::Environment;
use crate::retry::RetryPolicy;
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

/// Where requests go when the endpoint is overridden: scheme and `Host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) https: bool,
    pub(crate) authority: String,
}

impl Endpoint {
    /// Parses a host (`cvm.tencentcloudapi.com`, `127.0.0.1:8080`: https) or a URL
    /// (`http://127.0.0.1:8080`); anything but a scheme, host and port is refused.
    fn parse(value: &str) -> Result<Self, ConfigError> {
        let bad = |reason: &str| ConfigError::InvalidEndpoint {
            value: mask_user_info(value),
            reason: reason.to_owned(),
        };
        let (https, rest) = match value.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "https" => (true, rest),
                "http" => (false, rest),
                _ => return Err(bad("the scheme must be http or https")),
            },
            None => (true, value),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(bad("no host"));
        }
        if authority.contains(['/', '?', '#']) {
            return Err(bad("API 3.0 endpoints take no path, query or fragment"));
        }
        if authority.contains('@') {
            return Err(bad("credentials do not belong in the endpoint"));
        }
        let parsed = http::uri::Authority::from_str(authority).map_err(|e| bad(&e.to_string()))?;
        if parsed.host().is_empty() {
            return Err(bad("no host"));
        }
        let port = &authority[parsed.host().len()..];
        if let Some(port) = port.strip_prefix(':') {
            if port.is_empty() {
                return Err(bad("empty port"));
            }
            if port.parse::<u16>().is_err() {
                return Err(bad("the port must be a number from 0 to 65535"));
            }
        }
        Ok(Self {
            https,
            authority: authority.to_ascii_lowercase(),
        })
    }

    pub(crate) fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/", self.authority)
    }
}

/// `value` with anything between `://` and `@` replaced by `***`, so an endpoint that
/// carries a password never shows it in an error.
fn mask_user_info(value: &str) -> String {
    let start = value.find("://").map_or(0, |i| i + 3);
    match value[start..].find('@') {
        Some(at) => format!("{}***{}", &value[..start], &value[start + at..]),
        None => value.to_owned(),
    }
}

/// The settings of a client. Cheap to clone; share one between clients of many services.
#[derive(Clone)]
pub struct Config {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Arc<dyn ProvideCredential>,
    region: Option<String>,
    endpoint: Option<Endpoint>,
    language: Option<Language>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    call_timeout: Option<Duration>,
    retry: RetryPolicy,
    request_client: String,
    transport: Arc<dyn Transport>,
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

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The endpoint override as a URL (`https://host/`), if set.
    pub fn endpoint(&self) -> Option<String> {
        self.inner.endpoint.as_ref().map(Endpoint::url)
    }

    pub(crate) fn endpoint_override(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
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
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Config")
            .field("credentials", &i.credentials)
            .field("region", &i.region)
            .field("endpoint", &self.endpoint())
            .field("language", &i.language)
            .field("connect_timeout", &i.connect_timeout)
            .field("attempt_timeout", &i.attempt_timeout)
            .field("call_timeout", &i.call_timeout)
            .field("retry", &i.retry)
            .field("request_client", &i.request_client)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Config`]; see [`Config::builder`].
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    credentials: Option<Arc<dyn ProvideCredential>>,
    credential_error: Option<CredentialError>,
    environment: Environment,
    region: Option<String>,
    endpoint: Option<String>,
    language: Option<Language>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    request_client: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    max_response_bytes: Option<usize>,
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
            Ok(credential) => builder.credentials = Some(Arc::new(credential)),
            Err(CredentialError::NotFound { .. }) => {}
            Err(error) => builder.credential_error = Some(error),
        }
        builder.environment = env;
        builder
    }

    /// Signs with this credential.
    #[must_use]
    pub fn credential(self, credential: Credential) -> Self {
        self.credential_provider(credential)
    }

    /// Asks `provider` for the credential before each request.
    #[must_use]
    pub fn credential_provider(mut self, provider: impl ProvideCredential) -> Self {
        self.credentials = Some(Arc::new(provider));
        self.credential_error = None;
        self
    }

    /// Sends `X-TC-Region` with this region (`ap-guangzhou`) where the action takes one.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to this host (`cvm.ap-guangzhou.tencentcloudapi.com`, https) or
    /// URL (`http://127.0.0.1:8080`) instead of the service's own endpoint.
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
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

    /// How long one attempt may take, answer included (default 60 s).
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

    /// The largest answer the default transport reads (default 64 MiB).
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(error) = self.credential_error {
            return Err(ConfigError::Credential(error));
        }
        if let Some(region) = &self.region {
            let valid = !region.is_empty()
                && region.len() <= 64
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                return Err(ConfigError::InvalidRegion {
                    value: region.clone(),
                });
            }
        }
        let endpoint = self.endpoint.as_deref().map(Endpoint::parse).transpose()?;
        let connect_timeout = positive("connect_timeout", self.connect_timeout, 10)?;
        let attempt_timeout = positive("attempt_timeout", self.attempt_timeout, 60)?;
        let call_timeout = match self.call_timeout {
            Some(t) => Some(positive("call_timeout", Some(t), 0)?),
            None => None,
        };
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
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => Arc::new(
                ReqwestTransport::new(connect_timeout, max_response_bytes)
                    .map_err(ConfigError::Transport)?,
            ),
        };
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultChain::with_environment(&self.environment)));
        Ok(Config {
            inner: Arc::new(Inner {
                credentials,
                region: self.region,
                endpoint,
                language: self.language,
                connect_timeout,
                attempt_timeout,
                call_timeout,
                retry,
                request_client,
                transport,
            }),
        })
    }
}

fn positive(
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
    InvalidEndpoint {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
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
    /// The credential settings are inconsistent (an id without a key).
    Credential(CredentialError),
    /// The default transport could not be built.
    Transport(TransportError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidEndpoint { value, reason } => {
                write!(f, "invalid endpoint {value:?}: {reason}")
            }
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
            Self::Credential(e) => write!(f, "{e}"),
            Self::Transport(e) => write!(f, "could not build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
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
    fn endpoints_parse_as_host_or_url() {
        let e = Endpoint::parse("organization.tencentcloudapi.com").unwrap();
        assert_eq!(e.url(), "https://organization.tencentcloudapi.com/");
        let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((e.https, e.authority.as_str()), (false, "127.0.0.1:8080"));
        assert_eq!(
            Endpoint::parse("HTTPS://CVM.tencentcloudapi.com/")
                .unwrap()
                .url(),
            "https://cvm.tencentcloudapi.com/"
        );
        assert_eq!(
            Endpoint::parse("[::1]:9000").unwrap().url(),
            "https://[::1]:9000/"
        );
        for (bad, reason) in [
            ("ftp://x", "the scheme must be http or https"),
            ("http://", "no host"),
            ("", "no host"),
            (
                "http://x/v1",
                "API 3.0 endpoints take no path, query or fragment",
            ),
            ("x?a=b", "API 3.0 endpoints take no path, query or fragment"),
            ("http://u:p@x", "credentials do not belong in the endpoint"),
            ("http://x:", "empty port"),
        ] {
            match Endpoint::parse(bad) {
                Err(ConfigError::InvalidEndpoint { value, reason: r }) => {
                    assert_eq!(
                        (value.as_str(), r.as_str()),
                        (mask_user_info(bad).as_str(), reason)
                    )
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(matches!(
            Endpoint::parse("http://x:notaport"),
            Err(ConfigError::InvalidEndpoint { reason, .. }) if reason == "the port must be a number from 0 to 65535"
        ));
        assert!(Endpoint::parse("a b").is_err());
        let shown = Endpoint::parse("https://AKID:supersecret@host")
            .unwrap_err()
            .to_string();
        assert_eq!(
            shown,
            "invalid endpoint \"https://***@host\": credentials do not belong in the endpoint"
        );
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
