//! The one call path of every generated method: serialise, sign, send, read the envelope,
//! retry what is safe to retry, and return the typed response or a typed error.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use serde::de::DeserializeOwned;
use serde::Serialize;

use tracing::field::Empty;
use tracing::Instrument as _;

use crate::body::{self as wire, BodyKind, Encoded};
use crate::config::{Config, ConfigError, FormMethod, Language, SignatureMethod};
use crate::credential::{Credential, CredentialError};
use crate::decode::Correction;
use crate::endpoint::{Breaker, Endpoint, Route};
use crate::envelope::{self, Outcome};
use crate::error::{Error, ErrorCode, InvalidRequest, ServiceError, TimeoutError, TimeoutKind};
use crate::redact;
use crate::signing::legacy::{self, LegacyMethod};
use crate::signing::{self, DerivedKey, Payload, SigningRequest};
use crate::transport::HttpResponse;

pub use crate::body::JSON_CONTENT_TYPE;
// The API's headers, named once rather than parsed on every request.
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");

/// The largest body the API accepts (JSON or multipart).
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
    rate_limit: Option<u32>,
    regions: &'static [&'static str],
    body: BodyKind,
}

impl Action {
    /// A signed, non-idempotent action whose region is optional.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            idempotent: false,
            region: RegionRule::Optional,
            signed: true,
            rate_limit: None,
            regions: &[],
            body: BodyKind::Json,
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

    /// The documented limit, in requests per second, that the client keeps to by default
    /// (see [`crate::RateLimits`]).
    #[must_use]
    pub const fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// The regions the action is documented to serve; a call with another region is
    /// refused before sending. Empty (the default) means any.
    #[must_use]
    pub const fn regions(mut self, regions: &'static [&'static str]) -> Self {
        self.regions = regions;
        self
    }

    /// How the request is sent: JSON (the default) or `multipart/form-data` for actions
    /// that upload a file (see [`crate::body`]).
    #[must_use]
    pub const fn body(mut self, kind: BodyKind) -> Self {
        self.body = kind;
        self
    }

    /// How the request is sent.
    pub const fn body_kind(&self) -> BodyKind {
        self.body
    }

    /// The documented rate limit, if any.
    pub const fn documented_rate_limit(&self) -> Option<u32> {
        self.rate_limit
    }

    /// The documented regions; empty means any.
    pub const fn supported_regions(&self) -> &'static [&'static str] {
        self.regions
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
    primary: Result<Target, InvalidRequest>,
    /// The backup endpoint and the breaker that decides when to use it, if configured.
    backup: Option<(Result<Target, InvalidRequest>, Breaker)>,
    /// The key last derived, with the day and secret key it is for: derivation is four of
    /// a signature's five HMACs, and the key changes once a day.
    key: Mutex<Option<(u64, String, DerivedKey)>>,
}

/// The parts of every request that depend only on the config, the service and the endpoint.
struct Target {
    url: http::Uri,
    host: HeaderValue,
    version: HeaderValue,
    request_client: HeaderValue,
}

impl Target {
    fn new(
        config: &Config,
        service: &Service,
        endpoint: Result<Endpoint, ConfigError>,
    ) -> Result<Self, InvalidRequest> {
        let invalid = |what: &'static str, value: &str| InvalidRequest::InvalidValue {
            what,
            value: value.to_owned(),
        };
        let endpoint = endpoint.map_err(|e| InvalidRequest::InvalidValue {
            what: "endpoint",
            value: e.to_string(),
        })?;
        let authority = &endpoint.authority;
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
            .field("url", &self.inner.primary.as_ref().map(|t| &t.url))
            .field(
                "backup_url",
                &self
                    .inner
                    .backup
                    .as_ref()
                    .map(|(t, _)| t.as_ref().map(|t| &t.url)),
            )
            .field("config", &self.inner.config)
            .finish()
    }
}

/// What every attempt of one call shares.
struct Call<'a> {
    action: &'static Action,
    action_header: HeaderValue,
    body: Bytes,
    content_type: HeaderValue,
    region: Option<&'a str>,
    idempotent: bool,
    deadline: Option<(Instant, Duration)>,
    rate_limit: Option<u32>,
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
        let routing = config.routing();
        let region = config.region();
        let primary = Target::new(
            &config,
            &service,
            routing.primary(service.name, service.default_host, region),
        );
        let backup = routing.backup(service.name, region).map(|endpoint| {
            (
                Target::new(&config, &service, endpoint),
                Breaker::new(*config.breaker_settings()),
            )
        });
        Self {
            inner: Arc::new(Inner {
                config,
                service,
                primary,
                backup,
                key: Mutex::new(None),
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
        let typed = |e: Error<()>| e.map_kind(|(), code| E::from_code(code));
        let (body, idempotent) = body(action, &mut request).map_err(typed)?;
        let answer = self.send(action, body, idempotent).await.map_err(typed)?;
        let content_type = content_type(&answer);
        let decoded = envelope::output(answer.status().as_u16(), content_type, answer.body())
            .map_err(Error::InvalidAnswer)?;
        warn_corrections(
            Some((self.inner.service.name, action.name)),
            &decoded.corrections,
        );
        Ok(decoded.output)
    }

    /// The signed HTTP request that the first attempt of [`Client::call`] would send, built
    /// without sending it: to see exactly what goes on the wire, or to send it yourself.
    /// Its timestamp is now, so the service accepts it for five minutes.
    pub async fn signed_request<R: Request>(
        &self,
        action: &'static Action,
        mut request: R,
    ) -> Result<http::Request<Bytes>, Error<()>> {
        let (body, idempotent) = body(action, &mut request)?;
        let call = self.prepare(action, body, idempotent, Instant::now())?;
        let target = self
            .inner
            .primary
            .as_ref()
            .map_err(|e| Error::InvalidRequest(e.clone()))?;
        self.sign(&call, target, 1).await.map_err(|f| f.error)
    }

    /// Sends a serialised body with retries, inside the call's tracing span; returns the
    /// answer once it is a success envelope. Not generic, so its code exists once however
    /// many actions there are.
    async fn send(
        &self,
        action: &'static Action,
        body: Encoded,
        idempotent: bool,
    ) -> Result<HttpResponse, Error<()>> {
        let service = &self.inner.service;
        let span = tracing::debug_span!(
            "tencentcloud.call",
            service = service.name,
            version = service.version,
            action = action.name,
            region = Empty,
            attempts = Empty,
            request_id = Empty,
            latency_ms = Empty,
            outcome = Empty,
        );
        let started = Instant::now();
        let mut attempts = 0;
        let result = self
            .send_in_span(action, body, idempotent, started, &mut attempts)
            .instrument(span.clone())
            .await;
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        span.record("attempts", attempts);
        span.record("latency_ms", latency_ms);
        let _entered = span.enter();
        match &result {
            Ok((_, request_id)) => {
                span.record("request_id", request_id.as_str());
                span.record("outcome", "success");
                tracing::debug!(attempts, latency_ms, request_id = %request_id, "call succeeded");
            }
            Err(error) => {
                let outcome = outcome(error);
                span.record("outcome", outcome);
                if let Some(e) = error.service_error() {
                    span.record("request_id", e.request_id.as_str());
                }
                tracing::debug!(attempts, latency_ms, outcome, %error, "call failed");
            }
        }
        result.map(|(answer, _)| answer)
    }

    async fn send_in_span(
        &self,
        action: &'static Action,
        body: Encoded,
        idempotent: bool,
        started: Instant,
        attempts: &mut u32,
    ) -> Result<(HttpResponse, String), Error<()>> {
        let call = self.prepare(action, body, idempotent, started)?;
        let policy = *self.inner.config.retry_policy();
        loop {
            *attempts += 1;
            let attempt = *attempts;
            let failed = match self.attempt(&call, attempt).await {
                Ok(answer) => return Ok(answer),
                Err(failed) => failed,
            };
            tracing::debug!(attempt, error = %failed.error, "attempt failed");
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

    /// Checks a serialised request against the API's limits and the action's region rules,
    /// and gathers what every attempt of the call shares.
    fn prepare(
        &self,
        action: &'static Action,
        body: Encoded,
        idempotent: bool,
        started: Instant,
    ) -> Result<Call<'_>, Error<()>> {
        let Encoded {
            bytes: body,
            content_type,
        } = body;
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
        if let Some(region) = region {
            tracing::Span::current().record("region", region);
            if !action.regions.is_empty() && !action.regions.contains(&region) {
                return Err(Error::InvalidRequest(InvalidRequest::UnsupportedRegion {
                    action: action.name,
                    region: region.to_owned(),
                    supported: action.regions,
                }));
            }
        }
        // A name that is valid in a header is used as is: it is static, so nothing is copied.
        let visible = !action.name.is_empty() && action.name.bytes().all(|b| b.is_ascii_graphic());
        let action_header = visible
            .then(|| HeaderValue::from_static(action.name))
            .ok_or_else(|| {
                Error::InvalidRequest(InvalidRequest::InvalidValue {
                    what: "action name",
                    value: action.name.to_owned(),
                })
            })?;
        if config.log_bodies() {
            tracing::trace!(body = %redact::body(&body), "request body");
        }
        Ok(Call {
            action,
            action_header,
            body,
            content_type,
            region,
            idempotent,
            // A limit too large to add to the clock is no limit.
            deadline: config
                .call_timeout()
                .and_then(|t| started.checked_add(t).map(|at| (at, t))),
            rate_limit: config.rate_limits().limit(
                self.inner.service.name,
                action.name,
                action.rate_limit,
            ),
        })
    }

    /// Waits for the action's rate limit to allow one more request; fails if that comes
    /// after the call's deadline.
    async fn keep_rate(&self, call: &Call<'_>, attempt: u32) -> Result<(), Failed> {
        let Some(per_second) = call.rate_limit else {
            return Ok(());
        };
        let service = self.inner.service.name;
        let at = self
            .inner
            .config
            .limiter()
            .reserve(service, call.action.name, per_second);
        if let Some((deadline, limit)) = call.deadline {
            if at >= deadline {
                let error = TimeoutError {
                    kind: TimeoutKind::Call,
                    limit,
                    attempts: attempt,
                };
                return Err(Failed {
                    error: Error::Timeout(error),
                    retry: false,
                });
            }
        }
        let now = Instant::now();
        if at > now {
            tracing::trace!(
                wait_ms = (at - now).as_secs_f64() * 1000.0,
                per_second,
                "waiting for the rate limit"
            );
            tokio::time::sleep_until(at.into()).await;
        }
        Ok(())
    }

    /// The endpoint of the next attempt: the backup while the breaker is open.
    fn route(&self) -> (Route, &Result<Target, InvalidRequest>) {
        match &self.inner.backup {
            Some((backup, breaker)) if breaker.route() == Route::Backup => (Route::Backup, backup),
            _ => (Route::Primary, &self.inner.primary),
        }
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        attempt: u32,
    ) -> Result<(HttpResponse, String), Failed> {
        let Call {
            idempotent,
            deadline,
            ..
        } = *call;
        let config = &self.inner.config;
        let fail = |error, retry| Failed { error, retry };
        let (route, target) = self.route();
        let target = target
            .as_ref()
            .map_err(|e| fail(Error::InvalidRequest(e.clone()), false))?;
        self.keep_rate(call, attempt).await?;
        let request = self.sign(call, target, attempt).await?;
        tracing::trace!(attempt, host = ?target.host, "sending");

        let limit = self.step_limit(deadline);
        let sent = tokio::time::timeout(limit.wait, config.transport().send(request)).await;
        let error = match sent {
            Err(_) => Error::Timeout(limit.error(attempt)),
            Ok(Err(error)) => Error::Transport(error),
            Ok(Ok(response)) => {
                let status = response.status().as_u16();
                if config.log_bodies() {
                    tracing::trace!(status, body = %redact::body(response.body()), "answer body");
                }
                match classify(&response) {
                    Ok(request_id) => {
                        self.record_route(route, false);
                        return Ok((response, request_id));
                    }
                    Err(error) => error,
                }
            }
        };
        self.record_route(route, endpoint_failed(&error));
        let retry = may_retry(&error, idempotent);
        Err(fail(error, retry))
    }

    /// The attempt's request, signed with a credential fetched now (bounded like an attempt,
    /// and by the call deadline, so a hung provider cannot hang the call).
    async fn sign(
        &self,
        call: &Call<'_>,
        target: &Target,
        attempt: u32,
    ) -> Result<http::Request<Bytes>, Failed> {
        let fail = |error| Failed {
            error,
            retry: false,
        };
        let credential = if call.action.signed {
            let limit = self.step_limit(call.deadline);
            let provider = self.inner.config.credentials().provide();
            let Ok(provided) = tokio::time::timeout(limit.wait, provider).await else {
                return Err(fail(Error::Timeout(limit.error(attempt))));
            };
            Some(provided.map_err(|e| fail(Error::Credential(e)))?)
        } else {
            None
        };
        self.build_request(call, target, credential.as_ref())
            .map_err(fail)
    }

    /// Tells the breaker how an attempt on the primary endpoint went.
    fn record_route(&self, route: Route, failed: bool) {
        if let (Route::Primary, Some((_, breaker))) = (route, &self.inner.backup) {
            breaker.record(failed);
        }
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
        target: &Target,
        credential: Option<&Credential>,
    ) -> Result<http::Request<Bytes>, Error<()>> {
        let config = &self.inner.config;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        // A multipart body cannot travel as a form: such actions are TC3-signed whatever
        // the configured method, as the official SDKs do.
        if let (Some(credential), SignatureMethod::Legacy { method, http }, true) = (
            credential,
            config.signature_method(),
            call.action.body.fits_a_form(),
        ) {
            return self.build_form_request(call, target, credential, method, http, timestamp);
        }
        let mut request = http::Request::new(call.body.clone());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = target.url.clone();
        let headers = request.headers_mut();
        // Room for every header below at once, instead of growing the map as they come.
        headers.reserve(12);
        headers.insert(HOST, target.host.clone());
        headers.insert(CONTENT_TYPE, call.content_type.clone());
        headers.insert(X_TC_ACTION, call.action_header.clone());
        headers.insert(X_TC_VERSION, target.version.clone());
        if let Some(region) = call.region {
            if let Ok(value) = HeaderValue::from_str(region) {
                headers.insert(X_TC_REGION, value);
            }
        }
        if let Some(language) = config.language() {
            headers.insert(X_TC_LANGUAGE, HeaderValue::from_static(language.as_str()));
        }
        headers.insert(X_TC_REQUESTCLIENT, target.request_client.clone());
        match credential {
            Some(credential) => {
                let signing = SigningRequest {
                    method: "POST",
                    host: target.host.to_str().unwrap_or_default(),
                    path: "/",
                    query: "",
                    // Signed byte for byte as sent (a multipart one names its boundary).
                    content_type: call.content_type.to_str().unwrap_or_default(),
                    payload: Payload::Bytes(&call.body),
                    service: self.inner.service.name,
                    timestamp,
                };
                let key = self.derived_key(credential, timestamp);
                let authorization =
                    signing::authorization_with(&signing, credential.secret_id(), &key);
                let secret = |value: Bytes| {
                    let mut value = HeaderValue::from_maybe_shared(value)
                        .map_err(|_| unheaderable(credential))?;
                    value.set_sensitive(true);
                    Ok::<_, Error<()>>(value)
                };
                // Moved, not copied, into the header.
                headers.insert(AUTHORIZATION, secret(Bytes::from(authorization))?);
                if let Some(token) = credential.token() {
                    let token = Bytes::copy_from_slice(token.as_bytes());
                    headers.insert(X_TC_TOKEN, secret(token)?);
                }
            }
            None => {
                headers.insert(AUTHORIZATION, HeaderValue::from_static("SKIP"));
            }
        }
        headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        Ok(request)
    }

    /// The signing key for `credential` on the day of `timestamp`, derived once a day.
    fn derived_key(&self, credential: &Credential, timestamp: u64) -> DerivedKey {
        let day = timestamp / 86_400;
        let mut cache = self.inner.key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cached_day, secret, key)) = &*cache {
            if *cached_day == day && secret == credential.secret_key() {
                return key.clone();
            }
        }
        let date = signing::utc_date(timestamp);
        let key = DerivedKey::new(credential.secret_key(), &date, self.inner.service.name);
        *cache = Some((day, credential.secret_key().to_owned(), key.clone()));
        key
    }

    /// A request signed with an older method: the body's fields and the common parameters
    /// as one signed form, in the query of a GET or the body of a POST.
    fn build_form_request(
        &self,
        call: &Call<'_>,
        target: &Target,
        credential: &Credential,
        method: LegacyMethod,
        http_method: FormMethod,
        timestamp: u64,
    ) -> Result<http::Request<Bytes>, Error<()>> {
        let config = &self.inner.config;
        let body: serde_json::Value = serde_json::from_slice(&call.body)
            .map_err(|e| Error::InvalidRequest(InvalidRequest::Serialize(e.to_string())))?;
        let mut params = legacy::Params::new();
        legacy::flatten(&body, &mut params);
        let nonce = fastrand::u32(1..).to_string();
        let common = [
            ("Action", Some(call.action.name)),
            ("Version", Some(self.inner.service.version)),
            ("Timestamp", Some(&*timestamp.to_string())),
            ("Nonce", Some(&*nonce)),
            ("Region", call.region),
            ("SecretId", Some(credential.secret_id())),
            ("SignatureMethod", Some(method.as_str())),
            ("Token", credential.token()),
            ("Language", config.language().map(Language::as_str)),
            ("RequestClient", Some(config.request_client())),
        ]
        .map(|(name, value)| (name, value.map(str::to_owned)));
        for (name, value) in common {
            let Some(value) = value else { continue };
            if params.insert(name.to_owned(), value).is_some() {
                return Err(Error::InvalidRequest(InvalidRequest::ParameterClash {
                    name: name.to_owned(),
                }));
            }
        }
        let verb = match http_method {
            FormMethod::Get => http::Method::GET,
            FormMethod::Post => http::Method::POST,
        };
        let host = target.host.to_str().unwrap_or_default();
        let to_sign = legacy::string_to_sign(verb.as_str(), host, "/", &params);
        let signature = legacy::signature(method, credential.secret_key(), &to_sign);
        params.insert("Signature".to_owned(), signature);
        let form = legacy::encode_form(&params);
        let (uri, body) = match http_method {
            // Form encoding leaves only characters a URL takes, so this cannot fail in
            // practice; if it did, the message names the URL without its signed query.
            FormMethod::Get => {
                let uri = format!("{}?{form}", target.url).parse().map_err(|_| {
                    Error::InvalidRequest(InvalidRequest::InvalidValue {
                        what: "request URL",
                        value: target.url.to_string(),
                    })
                })?;
                (uri, Bytes::new())
            }
            FormMethod::Post => (target.url.clone(), Bytes::from(form)),
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = verb;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(HOST, target.host.clone());
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(legacy::FORM_CONTENT_TYPE),
        );
        Ok(request)
    }
}

/// The RequestId of a success envelope, or the service's error, or why the answer is not an
/// envelope at all.
fn classify(response: &HttpResponse) -> Result<String, Error<()>> {
    let status = response.status().as_u16();
    match envelope::read(status, content_type(response), response.body()) {
        Ok(Outcome::Success { request_id }) => Ok(request_id),
        Ok(Outcome::Failure {
            code,
            message,
            request_id,
        }) => Err(Error::Service(ServiceError {
            kind: (),
            code,
            message,
            request_id,
        })),
        Err(invalid) => Err(Error::InvalidAnswer(invalid)),
    }
}

/// Reads an answer the way every call does: a success envelope as `T`, an error envelope as
/// [`Error::Service`] with its code typed as `E`, anything else as [`Error::InvalidAnswer`].
/// For answers to requests you sent yourself (see [`Client::signed_request`]).
pub fn read_answer<T: DeserializeOwned, E: ErrorCode>(
    response: &HttpResponse,
) -> Result<T, Error<E>> {
    classify(response).map_err(|e| e.map_kind(|(), code| E::from_code(code)))?;
    let status = response.status().as_u16();
    let decoded = envelope::output(status, content_type(response), response.body())
        .map_err(Error::InvalidAnswer)?;
    warn_corrections(None, &decoded.corrections);
    Ok(decoded.output)
}

/// Says, as a `tracing` warning, each field the answer lacked or sent as `null` though its
/// spec marks it always present (read as its empty value: see [`crate::decode`]), with the
/// service and action where the caller knows them.
fn warn_corrections(call: Option<(&str, &str)>, corrections: &[Correction]) {
    const FILLED: &str =
        "the answer lacks a field its spec marks always present; read as its empty value";
    for correction in corrections {
        let (field, found) = (&correction.path, correction.found);
        match call {
            Some((service, action)) => {
                tracing::warn!(service, action, %field, ?found, "{FILLED}");
            }
            None => tracing::warn!(%field, ?found, "{FILLED}"),
        }
    }
}

/// The request encoded as its action sends it, with an empty `ClientToken` filled first, and
/// whether the call is safe to repeat (read-only, or carrying a token).
fn body<R: Request>(action: &Action, request: &mut R) -> Result<(Encoded, bool), Error<()>> {
    let idempotent = match request.client_token() {
        Some(token) => {
            if token.as_deref().is_none_or(str::is_empty) {
                *token = Some(new_client_token());
            }
            true
        }
        None => action.idempotent,
    };
    let body = wire::encode(action.body, request)
        .map_err(|e| Error::InvalidRequest(InvalidRequest::Serialize(e.to_string())))?;
    Ok((body, idempotent))
}

/// The error for a credential whose id or token cannot be sent.
fn unheaderable(credential: &Credential) -> Error<()> {
    Error::Credential(CredentialError::Invalid {
        source: "credential".to_owned(),
        detail: format!(
            "the secret id {:?} or its token has characters not allowed in an HTTP header",
            credential.secret_id()
        ),
    })
}

/// Whether an attempt's failure says the endpoint itself is failing, which is what the
/// region breaker counts: no connection, no answer in time, a gateway error page.
fn endpoint_failed(error: &Error<()>) -> bool {
    match error {
        Error::Transport(_) | Error::Timeout(_) => true,
        Error::InvalidAnswer(e) => matches!(e.status, 502..=504),
        _ => false,
    }
}

/// The outcome recorded on a failed call's span: the service's code, or the kind of failure.
fn outcome(error: &Error<()>) -> &str {
    match error {
        Error::Service(e) => &e.code,
        Error::Timeout(_) => "timeout",
        Error::Transport(_) => "transport",
        Error::InvalidAnswer(_) => "invalid_answer",
        Error::Credential(_) => "credential",
        Error::InvalidRequest(_) => "invalid_request",
        Error::Blocking(_) => "blocking",
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
