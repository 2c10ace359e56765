//! Stage 2 of an attempt: the HTTP request, signed. TC3-HMAC-SHA256 with the API's headers,
//! or one of the older methods as a signed form; the signing key is derived once a day.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};

use crate::body::JSON_CONTENT_TYPE;
use crate::call::action::Service;
use crate::call::prepare::Call;
use crate::call::target::Target;
use crate::config::{Config, FormMethod, Language, SignatureMethod};
use crate::credential::{Credential, CredentialError};
use crate::error::{ErrorKind, InvalidRequest};
use crate::signing::legacy::{self, LegacyMethod};
use crate::signing::{CanonicalPrefix, DayKey, Payload, SigningRequest, UNSIGNED_PAYLOAD};

// The API's headers, named once rather than parsed on every request.
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");
/// The header that carries each attempt's trace id.
pub const X_TC_TRACEID: HeaderName = HeaderName::from_static("x-tc-traceid");

/// Signs the requests of one client, keeping what its requests share (one lock a request).
#[derive(Debug, Default)]
pub(crate) struct Signer {
    cache: Mutex<Cache>,
}

/// What consecutive requests of one client share.
#[derive(Debug, Default)]
struct Cache {
    /// The key last derived and the header's head, with the day and credential they are
    /// for: derivation is four of a signature's five HMACs, and both change once a day.
    key: Option<(u64, Credential, Arc<DayKey>)>,
    /// `X-TC-Timestamp` of the second last signed in: the requests of one second share it,
    /// written once.
    timestamp: Option<(u64, HeaderValue)>,
}

/// What one attempt's request is made of.
pub(crate) struct Attempt<'a> {
    pub(crate) config: &'a Config,
    pub(crate) service: &'a Service,
    pub(crate) call: &'a Call<'a>,
    pub(crate) target: &'a Target,
    pub(crate) trace_id: &'a str,
}

impl Signer {
    /// The signed request; a credential whose id or token cannot go into a header is an
    /// error, never a header silently left out. `credential` is `None` for unsigned actions.
    pub(crate) fn request(
        &self,
        attempt: &Attempt<'_>,
        credential: Option<&Credential>,
    ) -> Result<http::Request<Bytes>, ErrorKind> {
        let Attempt {
            config,
            service,
            call,
            target,
            trace_id,
        } = *attempt;
        // The local time, corrected by the offset to the server's once one is known.
        let timestamp = config.clock().unix_now();
        // A body that is not JSON cannot travel as a form: such actions are TC3-signed
        // whatever the configured method, as the official SDKs do.
        if let (Some(credential), SignatureMethod::Legacy { method, http }, true) = (
            credential,
            config.signature_method(),
            call.action.body_kind().fits_a_form(),
        ) {
            return form_request(attempt, credential, method, http, timestamp);
        }
        let mut request = http::Request::new(call.body.bytes.clone());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = target.url.clone();
        let headers = request.headers_mut();
        // Room for every header below at once, instead of growing the map as they come.
        headers.reserve(12 + call.body.headers.len());
        headers.insert(HOST, target.host.clone());
        headers.insert(CONTENT_TYPE, call.body.content_type.clone());
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
        for (name, value) in &call.body.headers {
            headers.insert(name.clone(), value.clone());
        }
        add_unsigned_headers(headers, call, trace_id);
        match credential {
            Some(credential) => {
                let unsigned = config.unsigned_payload();
                let payload = if unsigned {
                    Payload::Unsigned
                } else {
                    Payload::Bytes(&call.body.bytes)
                };
                let key = {
                    let mut cache = self.lock();
                    headers.insert(X_TC_TIMESTAMP, cache.sent_at(timestamp));
                    cache.key(service, credential, timestamp)
                };
                // A JSON body's canonical request starts as the endpoint's does; any other
                // content type's is hashed whole (the request's text read only then).
                let prefix = if call.body.content_type.as_bytes() == JSON_CONTENT_TYPE.as_bytes() {
                    target.json_prefix.clone()
                } else {
                    CanonicalPrefix::new(&SigningRequest {
                        method: "POST",
                        host: target.host.to_str().unwrap_or_default(),
                        path: "/",
                        query: "",
                        // Signed byte for byte as sent (a multipart one names its boundary).
                        content_type: call.body.content_type.to_str().unwrap_or_default(),
                        payload,
                        service: service.name(),
                        timestamp,
                    })
                };
                let authorization =
                    prefix.authorization(payload, service.name(), timestamp, key.key(), key.head());
                let secret = |value: Bytes| {
                    let mut value = HeaderValue::from_maybe_shared(value)
                        .map_err(|_| unheaderable(credential))?;
                    value.set_sensitive(true);
                    Ok::<_, ErrorKind>(value)
                };
                // Moved, not copied, into the header.
                headers.insert(AUTHORIZATION, secret(Bytes::from(authorization))?);
                if let Some(token) = credential.token() {
                    let token = Bytes::copy_from_slice(token.as_bytes());
                    headers.insert(X_TC_TOKEN, secret(token)?);
                }
                if unsigned {
                    headers.insert(
                        X_TC_CONTENT_SHA256,
                        HeaderValue::from_static(UNSIGNED_PAYLOAD),
                    );
                }
            }
            None => {
                headers.insert(AUTHORIZATION, HeaderValue::from_static("SKIP"));
                headers.insert(X_TC_TIMESTAMP, self.lock().sent_at(timestamp));
            }
        }
        Ok(request)
    }

    /// What the requests share, for this one.
    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Cache {
    /// `X-TC-Timestamp` for `timestamp`, written once a second.
    fn sent_at(&mut self, timestamp: u64) -> HeaderValue {
        match &self.timestamp {
            Some((second, header)) if *second == timestamp => header.clone(),
            _ => {
                let header = HeaderValue::from(timestamp);
                self.timestamp = Some((timestamp, header.clone()));
                header
            }
        }
    }

    /// What `credential`'s signatures on the day of `timestamp` share, made once a day.
    fn key(&mut self, service: &Service, credential: &Credential, timestamp: u64) -> Arc<DayKey> {
        let day = timestamp / 86_400;
        if let Some((cached_day, cached, key)) = &self.key {
            if *cached_day == day
                && cached.secret_id() == credential.secret_id()
                && cached.secret_key() == credential.secret_key()
            {
                return key.clone();
            }
        }
        let key = Arc::new(DayKey::new(
            credential.secret_id(),
            credential.secret_key(),
            service.name(),
            timestamp,
        ));
        self.key = Some((day, credential.clone(), key.clone()));
        key
    }
}

/// A request signed with an older method: the body's fields and the common parameters as
/// one signed form, in the query of a GET or the body of a POST.
fn form_request(
    attempt: &Attempt<'_>,
    credential: &Credential,
    method: LegacyMethod,
    http_method: FormMethod,
    timestamp: u64,
) -> Result<http::Request<Bytes>, ErrorKind> {
    let Attempt {
        config,
        service,
        call,
        target,
        trace_id,
    } = *attempt;
    let body: serde_json::Value = serde_json::from_slice(&call.body.bytes)
        .map_err(|e| ErrorKind::InvalidRequest(InvalidRequest::Serialize(e.to_string())))?;
    let mut params = legacy::Params::new();
    legacy::flatten(&body, &mut params);
    let nonce = fastrand::u32(1..).to_string();
    let common = [
        ("Action", Some(call.action.name())),
        ("Version", Some(service.version())),
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
            return Err(ErrorKind::InvalidRequest(InvalidRequest::ParameterClash {
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
                ErrorKind::InvalidRequest(InvalidRequest::InvalidValue {
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
    add_unsigned_headers(headers, call, trace_id);
    Ok(request)
}

/// The headers of every request that no signature covers: the attempt's trace id and the
/// caller's extra headers.
fn add_unsigned_headers(headers: &mut http::HeaderMap, call: &Call<'_>, trace_id: &str) {
    if let Ok(value) = HeaderValue::from_bytes(trace_id.as_bytes()) {
        headers.insert(X_TC_TRACEID, value);
    }
    if let Some(extra) = call.extra_headers {
        for (name, value) in extra {
            headers.append(name.clone(), value.clone());
        }
    }
}

/// The error for a credential whose id or token cannot be sent.
fn unheaderable(credential: &Credential) -> ErrorKind {
    ErrorKind::Credential(CredentialError::Invalid {
        source: "credential".to_owned(),
        detail: format!(
            "the secret id {:?} or its token has characters not allowed in an HTTP header",
            credential.secret_id()
        ),
    })
}

/// One attempt's trace id: a random (version 4) UUID, from a fast generator, as it
/// identifies an attempt in logs and is no secret. Written on the stack; copied only into
/// its header, and into an error if the attempt fails.
pub(crate) struct TraceId([u8; uuid::fmt::Hyphenated::LENGTH]);

impl TraceId {
    /// A fresh one.
    pub(crate) fn new() -> Self {
        let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
        uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut text);
        Self(text)
    }

    /// As text.
    pub(crate) fn as_str(&self) -> &str {
        // Hex digits and dashes only.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}
