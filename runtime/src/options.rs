//! Settings for some calls only: a longer timeout for one slow action, another region or
//! host, another retry policy, extra headers. A [`CallOptions`] is checked once when built;
//! `client.with_options(&options)` gives a client that applies it to every call it makes,
//! sharing the original's connections, credentials and rate limits. Without options the
//! call path reads the [`Config`](crate::Config) alone.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::config::{is_valid_region, positive, ConfigError};
use crate::endpoint::Endpoint;
use crate::retry::RetryPolicy;

/// Overrides of the [`Config`](crate::Config) for the calls of one client view; see
/// [`crate::Client::with_options`]. Every setting left unset keeps the config's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) stream_idle_timeout: Option<Duration>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) headers: HeaderMap,
}

impl CallOptions {
    /// A builder with nothing overridden.
    pub fn builder() -> CallOptionsBuilder {
        CallOptionsBuilder::default()
    }

    /// The region, if overridden.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint, if overridden.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Whether the calls go elsewhere than the config routes them (region or endpoint).
    pub(crate) fn moves_the_call(&self) -> bool {
        self.region.is_some() || self.endpoint.is_some()
    }
}

/// Builds [`CallOptions`]; each setting is checked as [`crate::ConfigBuilder::build`] checks
/// the config's.
#[derive(Debug, Default)]
pub struct CallOptionsBuilder {
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    stream_idle_timeout: Option<Duration>,
    region: Option<String>,
    endpoint: Option<String>,
    retry_policy: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
}

impl CallOptionsBuilder {
    /// How long one attempt may take.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How long the whole call may take, retries included.
    #[must_use]
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// How long an event stream may go without an event.
    #[must_use]
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = Some(timeout);
        self
    }

    /// The region sent as `X-TC-Region` (and used to route, as the config's region is).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The host or URL the calls go to (`cls.ai.tencentcloudapi.com`,
    /// `http://127.0.0.1:8080`), with no backup endpoint.
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// How to retry.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Adds a header to every attempt. The headers the call path sets itself (`Host`,
    /// `Content-Type`, `Authorization` and every `X-TC-` header) cannot be given.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Checks every setting.
    pub fn build(self) -> Result<CallOptions, ConfigError> {
        let duration = |name, value: Option<Duration>| match value {
            Some(d) => positive(name, Some(d), 0).map(Some),
            None => Ok(None),
        };
        if let Some(region) = &self.region {
            if !is_valid_region(region) {
                return Err(ConfigError::InvalidRegion {
                    value: region.clone(),
                });
            }
        }
        let endpoint = match &self.endpoint {
            Some(text) => Some(Endpoint::parse(text)?.url()),
            None => None,
        };
        if let Some(policy) = &self.retry_policy {
            policy
                .validate()
                .map_err(|reason| ConfigError::InvalidRetryPolicy { reason })?;
        }
        let mut headers = HeaderMap::new();
        for (name, value) in self.headers {
            let invalid = |reason: &str| ConfigError::InvalidSetting {
                name: "header",
                reason: format!("{name:?}: {reason}"),
            };
            let parsed = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid("not a valid header name"))?;
            let reserved = ["host", "content-type", "authorization"].contains(&parsed.as_str())
                || parsed.as_str().starts_with("x-tc-");
            if reserved {
                return Err(invalid("set by the call path itself"));
            }
            let value =
                HeaderValue::from_str(&value).map_err(|_| invalid("not a valid header value"))?;
            headers.append(parsed, value);
        }
        Ok(CallOptions {
            attempt_timeout: duration("attempt_timeout", self.attempt_timeout)?,
            call_timeout: duration("call_timeout", self.call_timeout)?,
            stream_idle_timeout: duration("stream_idle_timeout", self.stream_idle_timeout)?,
            region: self.region,
            endpoint,
            retry_policy: self.retry_policy,
            headers,
        })
    }
}
