//! The one call path of every generated method: serialise, sign, send, read the envelope,
//! retry what is safe to retry, and return the typed response or a typed error.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE, HOST};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::config::{Config, Endpoint};
use crate::credential::{Credential, CredentialError};
use crate::envelope::{self, Outcome};
use crate::error::{Error, ErrorCode, InvalidRequest, ServiceError, TimeoutError, TimeoutKind};
use crate::signing::{self, Payload, SigningRequest};
use crate::transport::HttpResponse;

/// The Content-Type of every JSON request, signed byte for byte as sent.
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// The largest JSON body the API accepts.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// A service version, as generated code describes it once per module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Service {
    name: &'static str,
    version: &'static str,
    default_host: &'static str,
}

impl Service {
    /// `name` is the signing service name (`organization`), `version` the API version
    /// (`2021-03-31`), `default_host` the endpoint used when none is configured.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        default_host: &'static str,
    ) -> Self {
        Self {
            name,
            version,
            default_host,
        }
    }

    /// The service name used in signing.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The API version sent as `X-TC-Version`.
    pub const fn version(&self) -> &'static str {
        self.version
    }

    /// The default endpoint host.
    pub const fn default_host(&self) -> &'static str {
        self.default_host
    }
}

/// Whether an action takes `X-TC-Region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionRule {
    /// The action fails without a region: the call is refused before sending if none is set.
    Required,
    /// The region is sent when one is configured (the default: the spec does not say).
    Optional,
    /// The action is global: no region is sent even if one is configured.
    None,
}

/// One action, as generated code describes it in a `const`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Action {
    name: &'static str,
    idempotent: bool,
    region: RegionRule,
    signed: bool,
}

impl Action {
    /// A signed, non-idempotent action whose region is optional.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            idempotent: false,
            region: RegionRule::Optional,
            signed: true,
        }
    }

    /// Marks the action safe to send twice (read-only), so a failure after sending may be
    /// retried.
    #[must_use]
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sets how the action takes a region.
    #[must_use]
    pub const fn region(mut self, rule: RegionRule) -> Self {
        self.region = rule;
        self
    }

    /// Sends the action unsigned (`Authorization: SKIP`), as the catalog's `skip_sign`
    /// actions need; no credential is looked up.
    #[must_use]
    pub const fn unsigned(mut self) -> Self {
        self.signed = false;
        self
    }

    /// The action name sent as `X-TC-Action`.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the action is safe to send twice.
    pub const fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// How the action takes a region.
    pub const fn region_rule(&self) -> RegionRule {
        self.region
    }

    /// Whether requests are signed.
    pub const fn is_signed(&self) -> bool {
        self.signed
    }
}

/// A request body. Generated request types implement it; most need no methods.
pub trait Request: Serialize + Send {
    /// The request's optional `ClientToken` field, if the action has one. The runtime fills
    /// an empty one with a fresh UUID before the first attempt, so every attempt carries the
    /// same token and the service can tell a retry from a new request; that makes the call
    /// safe to retry.
    fn client_token(&mut self) -> Option<&mut Option<String>> {
        None
    }
}

/// A fresh idempotency token (a random UUID).
pub fn new_client_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The runtime half of a generated service client: configuration plus the service it talks
/// to. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    service: Service,
    /// Where requests go, or why they cannot be sent (a hand-made `Service` with a host or
    /// version that is not a valid header), reported on each call instead of a panic.
    target: Result<Target, InvalidRequest>,
}

/// The parts of every request that depend only on the config and the service.
struct Target {
    url: http::Uri,
    host: HeaderValue,
    version: HeaderValue,
    request_client: HeaderValue,
}

impl Target {
    fn new(config: &Config, service: &Service) -> Result<Self, InvalidRequest> {
        let endpoint = match config.endpoint_override() {
            Some(endpoint) => endpoint.clone(),
            None => Endpoint {
                https: true,
                authority: service.default_host.to_owned(),
            },
        };
        let authority = &endpoint.authority;
        let invalid = |what: &'static str, value: &str| InvalidRequest::InvalidValue {
            what,
            value: value.to_owned(),
        };
        Ok(Self {
            url: endpoint
                .url()
                .parse()
                .map_err(|_| invalid("endpoint host", authority))?,
            host: HeaderValue::from_str(authority)
                .map_err(|_| invalid("endpoint host", authority))?,
            version: HeaderValue::from_str(service.version)
                .map_err(|_| invalid("service version", service.version))?,
            request_client: HeaderValue::from_str(config.request_client())
                .map_err(|_| invalid("request client", config.request_client()))?,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service)
            .field("url", &self.inner.target.as_ref().map(|t| &t.url))
            .field("config", &self.inner.config)
            .finish()
    }
}

/// What every attempt of one call shares.
struct Call<'a> {
    action: &'static Action,
    action_header: HeaderValue,
    target: &'a Target,
    body: Bytes,
    region: Option<&'a str>,
    idempotent: bool,
    deadline: Option<(Instant, Duration)>,
}

/// The end of one step of an attempt, and which limit it is.
struct StepLimit {
    wait: Duration,
    kind: TimeoutKind,
    limit: Duration,
}

impl StepLimit {
    fn error(&self, attempts: u32) -> TimeoutError {
        TimeoutError {
            kind: self.kind,
            limit: self.limit,
            attempts,
        }
    }
}

/// One attempt's failure, and whether another attempt may follow.
struct Failed {
    error: Error<()>,
    retry: bool,
}

impl Client {
    /// A client for `service` with `config`. A `Service` whose host or version is not
    /// valid in a header (impossible for generated ones) makes every call fail with
    /// [`InvalidRequest::InvalidValue`].
    pub fn new(config: Config, service: Service) -> Self {
        let target = Target::new(&config, &service);
        Self {
            inner: Arc::new(Inner {
                config,
                service,
                target,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// Calls `action` with `request` and reads its answer as `T`, with service errors as `E`.
    pub async fn call<R, T, E>(
        &self,
        action: &'static Action,
        mut request: R,
    ) -> Result<T, Error<E>>
    where
        R: Request,
        T: DeserializeOwned,
        E: ErrorCode,
    {
        let idempotent = match request.client_token() {
            Some(token) => {
                if token.as_deref().is_none_or(str::is_empty) {
                    *token = Some(new_client_token());
                }
                true
            }
            None => action.idempotent,
        };
        let body = serde_json::to_vec(&request)
            .map_err(|e| Error::InvalidRequest(InvalidRequest::Serialize(e.to_string())))?;
        let answer = self
            .send(action, Bytes::from(body), idempotent)
            .await
            .map_err(|e| e.map_kind(|(), code| E::from_code(code)))?;
        let content_type = content_type(&answer);
        envelope::output(answer.status().as_u16(), content_type, answer.body())
            .map_err(Error::InvalidAnswer)
    }

    /// Sends a serialised body with retries; returns the answer once it is a success
    /// envelope. Not generic, so its code exists once however many actions there are.
    async fn send(
        &self,
        action: &'static Action,
        body: Bytes,
        idempotent: bool,
    ) -> Result<HttpResponse, Error<()>> {
        if body.len() > MAX_BODY_BYTES {
            return Err(Error::InvalidRequest(InvalidRequest::BodyTooLarge {
                size: body.len(),
                limit: MAX_BODY_BYTES,
            }));
        }
        let config = &self.inner.config;
        let region = match (action.region, config.region()) {
            (RegionRule::None, _) => None,
            (RegionRule::Required, None) => {
                return Err(Error::InvalidRequest(InvalidRequest::RegionRequired {
                    action: action.name,
                }))
            }
            (_, region) => region,
        };
        let target = self
            .inner
            .target
            .as_ref()
            .map_err(|e| Error::InvalidRequest(e.clone()))?;
        let action_header = HeaderValue::from_str(action.name).map_err(|_| {
            Error::InvalidRequest(InvalidRequest::InvalidValue {
                what: "action name",
                value: action.name.to_owned(),
            })
        })?;
        let policy = *config.retry_policy();
        let started = Instant::now();
        let call = Call {
            action,
            action_header,
            target,
            body,
            region,
            idempotent,
            // A limit too large to add to the clock is no limit.
            deadline: config
                .call_timeout()
                .and_then(|t| started.checked_add(t).map(|at| (at, t))),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.attempt(&call, attempt).await;
            let failed = match result {
                Ok(answer) => return Ok(answer),
                Err(failed) => failed,
            };
            tracing::debug!(
                service = self.inner.service.name,
                action = action.name,
                attempt,
                error = %failed.error,
                "attempt failed"
            );
            if !failed.retry || attempt >= policy.max_attempts() {
                return Err(failed.error);
            }
            let wait = policy.backoff(attempt, fastrand::f64());
            if let Some((deadline, _)) = call.deadline {
                if Instant::now() + wait >= deadline {
                    return Err(failed.error);
                }
            }
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, call: &Call<'_>, attempt: u32) -> Result<HttpResponse, Failed> {
        let Call {
            action,
            idempotent,
            deadline,
            ..
        } = *call;
        let config = &self.inner.config;
        let fail = |error, retry| Failed { error, retry };
        let credential = if action.signed {
            // The fetch is bounded like an attempt (and by the call deadline), so a hung
            // provider cannot hang the call.
            let limit = self.step_limit(deadline);
            let fetched = tokio::time::timeout(limit.wait, config.credentials().provide()).await;
            let Ok(provided) = fetched else {
                return Err(fail(Error::Timeout(limit.error(attempt)), false));
            };
            Some(provided.map_err(|e| fail(Error::Credential(e), false))?)
        } else {
            None
        };
        let request = self
            .build_request(call, credential.as_ref())
            .map_err(|e| fail(Error::Credential(e), false))?;

        let limit = self.step_limit(deadline);
        let sent = tokio::time::timeout(limit.wait, config.transport().send(request)).await;
        let error = match sent {
            Err(_) => Error::Timeout(limit.error(attempt)),
            Ok(Err(error)) => Error::Transport(error),
            Ok(Ok(response)) => {
                let status = response.status().as_u16();
                match envelope::read(status, content_type(&response), response.body()) {
                    Ok(Outcome::Success) => return Ok(response),
                    Ok(Outcome::Failure {
                        code,
                        message,
                        request_id,
                    }) => Error::Service(ServiceError {
                        kind: (),
                        code,
                        message,
                        request_id,
                    }),
                    Err(invalid) => Error::InvalidAnswer(invalid),
                }
            }
        };
        let retry = may_retry(&error, idempotent);
        Err(fail(error, retry))
    }

    /// When a step of an attempt (fetching the credential, sending) must end: the
    /// per-attempt timeout from now, or the call deadline if that comes first.
    fn step_limit(&self, deadline: Option<(Instant, Duration)>) -> StepLimit {
        let attempt_timeout = self.inner.config.attempt_timeout();
        let now = Instant::now();
        match deadline {
            Some((at, call_limit)) if at.saturating_duration_since(now) < attempt_timeout => {
                StepLimit {
                    wait: at.saturating_duration_since(now),
                    kind: TimeoutKind::Call,
                    limit: call_limit,
                }
            }
            // A wait, not an instant: tokio saturates a huge one instead of overflowing.
            _ => StepLimit {
                wait: attempt_timeout,
                kind: TimeoutKind::Attempt,
                limit: attempt_timeout,
            },
        }
    }

    /// The signed request; a credential whose id or token cannot go into a header is an
    /// error, never a header silently left out.
    fn build_request(
        &self,
        call: &Call<'_>,
        credential: Option<&Credential>,
    ) -> Result<http::Request<Bytes>, CredentialError> {
        let target = call.target;
        let config = &self.inner.config;
        let mut request = http::Request::new(call.body.clone());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = target.url.clone();
        let headers = request.headers_mut();
        headers.insert(HOST, target.host.clone());
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
        headers.insert("x-tc-action", call.action_header.clone());
        headers.insert("x-tc-version", target.version.clone());
        if let Some(region) = call.region {
            if let Ok(value) = HeaderValue::from_str(region) {
                headers.insert("x-tc-region", value);
            }
        }
        if let Some(language) = config.language() {
            headers.insert("x-tc-language", HeaderValue::from_static(language.as_str()));
        }
        headers.insert("x-tc-requestclient", target.request_client.clone());
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        match credential {
            Some(credential) => {
                let signing = SigningRequest {
                    method: "POST",
                    host: target.host.to_str().unwrap_or_default(),
                    path: "/",
                    query: "",
                    content_type: JSON_CONTENT_TYPE,
                    payload: Payload::Bytes(&call.body),
                    service: self.inner.service.name,
                    timestamp,
                };
                let signed = signing::sign(&signing, credential);
                for (name, value) in signed.iter() {
                    let mut value = HeaderValue::from_str(value).map_err(|_| {
                        CredentialError::Invalid {
                            source: "credential".to_owned(),
                            detail: format!(
                                "the secret id {:?} or its token has characters not allowed in an HTTP header",
                                credential.secret_id()
                            ),
                        }
                    })?;
                    value.set_sensitive(name != "X-TC-Timestamp");
                    headers.insert(name, value);
                }
            }
            None => {
                headers.insert(
                    http::header::AUTHORIZATION,
                    HeaderValue::from_static("SKIP"),
                );
                headers.insert("x-tc-timestamp", HeaderValue::from(timestamp));
            }
        }
        Ok(request)
    }
}

/// Whether the call path sends again after `error`: the failure must be transient
/// ([`Error::is_retryable`]), and one that may have reached the service (a timeout, a
/// dropped connection, a gateway page) is repeated only for an action safe to repeat.
/// A rate limit was refused unprocessed; a call deadline is final.
fn may_retry(error: &Error<()>, idempotent: bool) -> bool {
    if !error.is_retryable() {
        return false;
    }
    match error {
        Error::Service(_) => true,
        Error::Transport(e) => idempotent || !e.may_have_been_sent(),
        Error::Timeout(t) => t.kind == TimeoutKind::Attempt && idempotent,
        _ => idempotent,
    }
}

fn content_type(response: &HttpResponse) -> Option<&str> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}
