//! Where a call's attempts go: the parts of every request that depend only on the config,
//! the service and the endpoint, worked out once per client (or once per
//! [`CallOptions`](super::CallOptions) that move the call elsewhere), never per request.

use http::HeaderValue;

use crate::body::JSON_CONTENT_TYPE;
use crate::breaker::{Breaker, Route};
use crate::call::action::{visible_header, Service};
use crate::call::headers::Template;
use crate::config::{Config, REQUEST_CLIENT};
use crate::endpoint::{Endpoint, InvalidEndpoint};
use crate::error::InvalidRequest;
use crate::signing::{CanonicalPrefix, Payload, SigningRequest};

/// One endpoint, ready for requests.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) url: http::Uri,
    pub(crate) host: HeaderValue,
    /// The headers of a TC3-signed request to this endpoint, to be copied and filled.
    pub(crate) headers: Template,
    /// The canonical request of a JSON `POST` to this endpoint up to its payload's hash:
    /// hashed once here, copied for each signature.
    pub(crate) json_prefix: CanonicalPrefix,
}

impl Target {
    fn new(
        config: &Config,
        service: &Service,
        endpoint: Result<Endpoint, InvalidEndpoint>,
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
        let json_prefix = CanonicalPrefix::new(&SigningRequest {
            method: "POST",
            host: authority,
            path: "/",
            query: "",
            content_type: JSON_CONTENT_TYPE,
            payload: Payload::Unsigned,
            service: service.name(),
            timestamp: 0,
        });
        // Where a value is the program's own text (a generated service's version and
        // default host, this runtime's client name), its header is made of it as it is.
        let (static_version, static_host) = service.static_parts();
        let static_host = static_host.filter(|host| host == authority);
        let static_client = Some(REQUEST_CLIENT);
        let host =
            header(authority, static_host).ok_or_else(|| invalid("endpoint host", authority))?;
        let version = header(service.version(), static_version)
            .ok_or_else(|| invalid("service version", service.version()))?;
        let request_client = header(config.request_client(), static_client)
            .ok_or_else(|| invalid("request client", config.request_client()))?;
        Ok(Self {
            url: endpoint
                .uri(static_host)
                .ok_or_else(|| invalid("endpoint host", authority))?,
            headers: Template::new(host.clone(), version, request_client),
            host,
            json_prefix,
        })
    }
}

/// A header of `text`, made of `known` when that is the same text and the program's own:
/// its copies then share no counted bytes. `None` for text a header cannot carry.
fn header(text: &str, known: Option<&'static str>) -> Option<HeaderValue> {
    known
        .filter(|known| *known == text)
        .and_then(visible_header)
        .or_else(|| HeaderValue::from_str(text).ok())
}

/// The endpoints of a client: the primary, and the backup with the breaker that decides
/// when to use it. An endpoint that cannot be used (a hand-made `Service` whose host is not
/// a valid header) is kept as the error each call reports, never a panic.
#[derive(Debug)]
pub(crate) struct Targets {
    primary: Result<Target, InvalidRequest>,
    backup: Option<(Result<Target, InvalidRequest>, Breaker)>,
}

impl Targets {
    /// The endpoints the config routes `service` to, in `region`.
    pub(crate) fn routed(config: &Config, service: &Service, region: Option<&str>) -> Self {
        let routing = config.routing();
        let primary = Target::new(
            config,
            service,
            routing.primary(service.name(), service.default_host(), region),
        );
        let backup = routing.backup(service.name(), region).map(|endpoint| {
            (
                Target::new(config, service, endpoint),
                Breaker::new(*config.breaker_settings()),
            )
        });
        Self { primary, backup }
    }

    /// One endpoint given for a call, without a backup: the caller chose the host.
    pub(crate) fn fixed(config: &Config, service: &Service, endpoint: &str) -> Self {
        Self {
            primary: Target::new(config, service, Endpoint::parse(endpoint)),
            backup: None,
        }
    }

    /// The primary endpoint.
    pub(crate) fn primary(&self) -> &Result<Target, InvalidRequest> {
        &self.primary
    }

    /// The backup endpoint, if one is configured.
    pub(crate) fn backup(&self) -> Option<&Result<Target, InvalidRequest>> {
        self.backup.as_ref().map(|(target, _)| target)
    }

    /// The endpoint of the next attempt: the backup while the breaker is open.
    pub(crate) fn route(&self) -> (Route, &Result<Target, InvalidRequest>) {
        match &self.backup {
            Some((backup, breaker)) if breaker.route() == Route::Backup => (Route::Backup, backup),
            _ => (Route::Primary, &self.primary),
        }
    }

    /// Tells the breaker how an attempt on the primary endpoint went.
    pub(crate) fn record(&self, route: Route, failed: bool) {
        if let (Route::Primary, Some((_, breaker))) = (route, &self.backup) {
            breaker.record(failed);
        }
    }
}
