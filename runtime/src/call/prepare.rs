//! Stage 1 of a call: the request encoded as its action sends it, checked against the
//! API's limits and the action's region rules, with every setting the attempts share
//! (from the config, or the call's [`CallOptions`]) gathered in one [`Call`].

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue};

use crate::body::Encoded;
use crate::call::action::{is_visible, Action, RegionRule, Request, Service};
use crate::config::Config;
use crate::error::{ErrorKind, InvalidRequest, TimeoutError, TimeoutKind};
use crate::options::CallOptions;
use crate::redact;
use crate::retry::RetryPolicy;

/// The largest body the API accepts (JSON, multipart or octet-stream).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// What every attempt of one call shares.
pub(crate) struct Call<'a> {
    pub(crate) action: &'a Action,
    pub(crate) action_header: HeaderValue,
    /// The encoded request, lent by the call's work, which keeps it.
    pub(crate) body: &'a Encoded,
    pub(crate) region: Option<&'a str>,
    pub(crate) idempotent: bool,
    pub(crate) deadline: Option<(Instant, Duration)>,
    pub(crate) rate_limit: Option<u32>,
    pub(crate) attempt_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    /// Headers the caller added ([`CallOptions`]), if any.
    pub(crate) extra_headers: Option<&'a HeaderMap>,
}

/// The end of one step of an attempt (fetching a credential, waiting for a response), and
/// which limit it is.
#[derive(Clone, Copy)]
pub(crate) struct StepLimit {
    pub(crate) wait: Duration,
    pub(crate) kind: TimeoutKind,
    pub(crate) limit: Duration,
}

impl StepLimit {
    pub(crate) fn error(&self, attempts: u32) -> TimeoutError {
        TimeoutError {
            kind: self.kind,
            limit: self.limit,
            attempts,
            trace_id: None,
        }
    }
}

impl Call<'_> {
    /// When a step of an attempt must end: the attempt timeout from now, or the call
    /// deadline if that comes first.
    pub(crate) fn step_limit(&self) -> StepLimit {
        // The clock is read only when there is a deadline to measure against.
        let left = self
            .deadline
            .map(|(at, limit)| (at.saturating_duration_since(Instant::now()), limit));
        match left {
            Some((left, call_limit)) if left < self.attempt_timeout => StepLimit {
                wait: left,
                kind: TimeoutKind::Call,
                limit: call_limit,
            },
            // A wait, not an instant: tokio saturates a huge one instead of overflowing.
            _ => StepLimit {
                wait: self.attempt_timeout,
                kind: TimeoutKind::Attempt,
                limit: self.attempt_timeout,
            },
        }
    }
}

/// The call's time limit: the call options' if they set one, else the config's.
pub(crate) fn call_timeout(config: &Config, options: Option<&CallOptions>) -> Option<Duration> {
    options
        .and_then(|o| o.call_timeout)
        .or(config.call_timeout())
}

/// The request encoded as its action sends it, with an empty `ClientToken` filled first, and
/// whether the call is safe to repeat (read-only, or carrying a token).
pub(crate) fn encode(
    action: &Action,
    request: &mut dyn Request,
) -> Result<(Encoded, bool), ErrorKind> {
    let idempotent = match request.client_token() {
        Some(token) => {
            if token.as_deref().is_none_or(str::is_empty) {
                *token = Some(crate::call::action::new_client_token());
            }
            true
        }
        None => action.is_idempotent(),
    };
    let body = request
        .body(action.body_kind())
        .map_err(|e| ErrorKind::InvalidRequest(InvalidRequest::Serialize(e.to_string())))?;
    Ok((body, idempotent))
}

/// Checks an encoded request against the API's limits and the action's region rules, and
/// gathers what every attempt of the call shares.
pub(crate) fn prepare<'a>(
    config: &'a Config,
    service: &Service,
    action: &'a Action,
    options: Option<&'a CallOptions>,
    (body, idempotent): (&'a Encoded, bool),
    started: Option<Instant>,
) -> Result<Call<'a>, ErrorKind> {
    if body.bytes.len() > MAX_BODY_BYTES {
        return Err(ErrorKind::InvalidRequest(InvalidRequest::BodyTooLarge {
            size: body.bytes.len(),
            limit: MAX_BODY_BYTES,
        }));
    }
    let configured = options
        .and_then(|o| o.region.as_deref())
        .or(config.region());
    let region = match (action.region_rule(), configured) {
        (RegionRule::None, _) => None,
        (RegionRule::Required, None) => {
            return Err(ErrorKind::InvalidRequest(InvalidRequest::RegionRequired {
                action: action.name().to_owned(),
            }))
        }
        (_, region) => region,
    };
    if let Some(region) = region {
        tracing::Span::current().record("region", region);
        let supported = action.supported_regions();
        if !supported.is_empty() && !supported.contains(&region) {
            return Err(ErrorKind::InvalidRequest(
                InvalidRequest::UnsupportedRegion {
                    action: action.name().to_owned(),
                    region: region.to_owned(),
                    supported,
                },
            ));
        }
    }
    let action_header = action_header(action)?;
    if config.log_bodies() {
        tracing::trace!(body = %redact::body(&body.bytes), "request body");
    }
    let call_timeout = call_timeout(config, options);
    Ok(Call {
        action,
        action_header,
        body,
        region,
        idempotent,
        // A limit too large to add to the clock is no limit.
        deadline: call_timeout.and_then(|t| {
            let started = started.unwrap_or_else(Instant::now);
            started.checked_add(t).map(|at| (at, t))
        }),
        rate_limit: config.rate_limits().limit(
            service.name(),
            action.name(),
            action.documented_rate_limit(),
        ),
        attempt_timeout: options
            .and_then(|o| o.attempt_timeout)
            .unwrap_or(config.attempt_timeout()),
        retry: options
            .and_then(|o| o.retry_policy)
            .unwrap_or(*config.retry_policy()),
        extra_headers: options.map(|o| &o.headers).filter(|h| !h.is_empty()),
    })
}

/// `X-TC-Action`: a generated action's, made with it, is copied; a name given at run time
/// is checked here (visible ASCII only).
fn action_header(action: &Action) -> Result<HeaderValue, ErrorKind> {
    if let Some(header) = action.header() {
        return Ok(header.clone());
    }
    let name = action.name();
    match is_visible(name).then(|| HeaderValue::from_str(name)) {
        Some(Ok(header)) => Ok(header),
        _ => Err(ErrorKind::InvalidRequest(InvalidRequest::InvalidValue {
            what: "action name",
            value: name.to_owned(),
        })),
    }
}
