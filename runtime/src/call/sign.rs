//! Stage 2 of an attempt: the HTTP request, signed. TC3-HMAC-SHA256 with the API's headers,
//! or one of the older methods as a signed form; the signing key is derived once a day.

use std::sync::Mutex;

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};

use crate::body::JSON_CONTENT_TYPE;
use crate::call::action::Service;
use crate::call::headers::{
    Own, X_TC_CONTENT_SHA256, X_TC_LANGUAGE, X_TC_REGION, X_TC_TIMESTAMP, X_TC_TOKEN, X_TC_TRACEID,
};
use crate::call::prepare::Call;
use crate::call::target::Target;
use crate::config::{Config, FormMethod, Language, SignatureMethod};
use crate::credential::{Credential, CredentialError};
use crate::error::{ErrorKind, InvalidRequest};
use crate::signing::legacy::{self, LegacyMethod};
use crate::signing::{
    hex_into, CanonicalPrefix, DayKey, Payload, SecondMac, SigningRequest, UNSIGNED_PAYLOAD,
};

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
    key: Option<(u64, Credential, DayKey)>,
    /// `X-TC-Timestamp` of the second last signed in: the requests of one second share it,
    /// written once.
    timestamp: Option<(u64, HeaderValue)>,
    /// The string to sign's MAC begun for that second, under the key above (cleared with
    /// it).
    mac: Option<(u64, SecondMac)>,
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
        // What the signature adds: the time sent, the Authorization, and the token of a
        // temporary credential.
        let (sent_at, authorization, signed) = match credential {
            Some(credential) => {
                let unsigned = config.unsigned_payload();
                let payload = if unsigned {
                    Payload::Unsigned
                } else {
                    Payload::Bytes(&call.body.bytes)
                };
                let (sent_at, (head, mac)) = {
                    let mut cache = self.lock();
                    let sent_at = cache.sent_at(timestamp);
                    (sent_at, cache.begun(service, credential, timestamp))
                };
                // A JSON body's canonical request starts as the endpoint's does; any other
                // content type's is hashed whole (the request's text read only then).
                let made;
                let prefix = if call.body.content_type.as_bytes() == JSON_CONTENT_TYPE.as_bytes() {
                    &target.json_prefix
                } else {
                    made = CanonicalPrefix::new(&SigningRequest {
                        method: "POST",
                        host: target.host.to_str().unwrap_or_default(),
                        path: "/",
                        query: "",
                        // Signed byte for byte as sent (a multipart one names its boundary).
                        content_type: call.body.content_type.to_str().unwrap_or_default(),
                        payload,
                        service: service.name(),
                        timestamp,
                    });
                    &made
                };
                let authorization = prefix.authorization(payload, mac, head);
                let secret = |value: Bytes| {
                    let mut value = HeaderValue::from_maybe_shared(value)
                        .map_err(|_| unheaderable(credential))?;
                    value.set_sensitive(true);
                    Ok::<_, ErrorKind>(value)
                };
                // Moved, not copied, into the header.
                let authorization = secret(Bytes::from(authorization))?;
                let token = match credential.token() {
                    Some(token) => Some(secret(Bytes::copy_from_slice(token.as_bytes()))?),
                    None => None,
                };
                (sent_at, authorization, Signed { token, unsigned })
            }
            None => (
                self.lock().sent_at(timestamp),
                HeaderValue::from_static("SKIP"),
                Signed::default(),
            ),
        };
        let mut request = http::Request::new(call.body.bytes.clone());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = target.url.clone();
        let headers = request.headers_mut();
        *headers = target.headers.filled(Own {
            content_type: call.body.content_type.clone(),
            action: call.action_header.clone(),
            timestamp: sent_at,
            trace_id: trace_header(trace_id)?,
            authorization,
        });
        if let Some(region) = call.region {
            if let Ok(value) = HeaderValue::from_str(region) {
                headers.insert(X_TC_REGION, value);
            }
        }
        if let Some(language) = config.language() {
            headers.insert(X_TC_LANGUAGE, HeaderValue::from_static(language.as_str()));
        }
        for (name, value) in &call.body.headers {
            // A field sent as a header never takes the place of what the signer sets.
            if ![X_TC_TRACEID, X_TC_TIMESTAMP, AUTHORIZATION].contains(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if let Some(token) = signed.token {
            headers.insert(X_TC_TOKEN, token);
        }
        if signed.unsigned {
            headers.insert(
                X_TC_CONTENT_SHA256,
                HeaderValue::from_static(UNSIGNED_PAYLOAD),
            );
        }
        add_extra_headers(headers, call);
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

    /// What a signature of `credential` at `timestamp` starts from: its `Authorization`
    /// value begun ([`DayKey::begun`]) and its string to sign's MAC begun ([`SecondMac`]),
    /// made from what is kept: the key once a day, the MAC once a second.
    fn begun(
        &mut self,
        service: &Service,
        credential: &Credential,
        timestamp: u64,
    ) -> (Vec<u8>, SecondMac) {
        let day = timestamp / 86_400;
        let key = match &mut self.key {
            Some((kept_day, kept, key)) if *kept_day == day && kept.same_secret(credential) => key,
            // Made once a day; the MAC kept under the day before goes with it.
            slot => {
                self.mac = None;
                let key = DayKey::new(
                    credential.secret_id(),
                    credential.secret_key(),
                    service.name(),
                    timestamp,
                );
                &slot.insert((day, credential.clone(), key)).2
            }
        };
        let mac = match &self.mac {
            Some((second, mac)) if *second == timestamp => mac.clone(),
            _ => {
                let mac = SecondMac::new(key.key(), service.name(), timestamp);
                self.mac = Some((timestamp, mac.clone()));
                mac
            }
        };
        (key.begun(), mac)
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
    headers.insert(X_TC_TRACEID, trace_header(trace_id)?);
    add_extra_headers(headers, call);
    Ok(request)
}

/// What a signature adds besides its Authorization: the token of a temporary credential,
/// and whether the body is left out of it (`X-TC-Content-SHA256: UNSIGNED-PAYLOAD`).
#[derive(Default)]
struct Signed {
    token: Option<HeaderValue>,
    unsigned: bool,
}

/// The attempt's trace id as a header. It is a UUID's text, which every header takes: were
/// it not, the request fails saying so rather than going without it.
fn trace_header(trace_id: &str) -> Result<HeaderValue, ErrorKind> {
    HeaderValue::from_bytes(trace_id.as_bytes()).map_err(|_| {
        ErrorKind::InvalidRequest(InvalidRequest::InvalidValue {
            what: "trace id",
            value: trace_id.to_owned(),
        })
    })
}

/// The headers the caller added to the call ([`crate::CallOptions`]), after the request's
/// own; no signature covers them.
fn add_extra_headers(headers: &mut http::HeaderMap, call: &Call<'_>) {
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
pub(crate) struct TraceId([u8; TraceId::LENGTH]);

impl TraceId {
    /// Its length as text: 32 hex digits and four dashes.
    const LENGTH: usize = 36;

    /// A fresh one.
    pub(crate) fn new() -> Self {
        let mut random = fastrand::u128(..).to_le_bytes();
        // The version (4: random) and the variant (RFC 4122) a UUID's readers look for.
        random[6] = (random[6] & 0x0f) | 0x40;
        random[8] = (random[8] & 0x3f) | 0x80;
        // Its groups: 8-4-4-4-12 digits, the hex of these bytes, with dashes between.
        let mut text = [b'-'; Self::LENGTH];
        for (bytes, at) in [(0..4, 0), (4..6, 9), (6..8, 14), (8..10, 19), (10..16, 24)] {
            let digits = 2 * bytes.len();
            hex_into(&random[bytes], &mut text[at..at + digits]);
        }
        Self(text)
    }

    /// As text.
    pub(crate) fn as_str(&self) -> &str {
        // Hex digits and dashes only.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::{authorization_with, DerivedKey};

    /// What a client keeps between requests (the day's key, the second's MAC) signs as the
    /// public functions do from nothing, also when the credential changes within a second.
    #[test]
    fn kept_parts_sign_as_from_nothing_when_the_credential_changes_in_a_second() {
        let service = Service::new("cvm", "2017-03-12", "cvm.tencentcloudapi.com");
        let one = Credential::new("AKIDone", "key-one");
        let two = Credential::new("AKIDtwo", "key-two");
        let mut cache = Cache::default();
        for (credential, at) in [
            (&one, 1_551_113_065),
            (&two, 1_551_113_065),
            (&one, 1_551_113_065),
            (&one, 1_551_113_066),
        ] {
            let request = SigningRequest {
                method: "POST",
                host: "cvm.tencentcloudapi.com",
                path: "/",
                query: "",
                content_type: JSON_CONTENT_TYPE,
                payload: Payload::Bytes(br#"{"Limit":1}"#),
                service: "cvm",
                timestamp: at,
            };
            let (head, mac) = cache.begun(&service, credential, at);
            let kept = CanonicalPrefix::new(&request).authorization(request.payload, mac, head);
            let fresh = DerivedKey::new(credential.secret_key(), "2019-02-25", "cvm");
            assert_eq!(
                String::from_utf8(kept).unwrap(),
                authorization_with(&request, credential.secret_id(), &fresh),
                "{} at {at}",
                credential.secret_id()
            );
        }
    }

    #[test]
    fn trace_ids_are_random_version_4_uuids() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let id = TraceId::new();
            let parsed = uuid::Uuid::parse_str(id.as_str()).unwrap();
            assert_eq!(parsed.get_version_num(), 4, "{}", id.as_str());
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
            // Written as a UUID writes itself: lower case, dashes at 8, 13, 18 and 23.
            assert_eq!(parsed.hyphenated().to_string(), id.as_str());
            assert!(seen.insert(id.as_str().to_owned()));
        }
    }
}
