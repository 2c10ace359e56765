//! Checks a request the way Tencent Cloud does, in the same order, with the same codes.
//! The signature is recomputed with the runtime's own signing code.

use std::collections::HashMap;

use http::HeaderMap;

use crate::body::multipart;
use crate::credential::Credential;
use crate::signing::legacy::{self, LegacyMethod, Params, FORM_CONTENT_TYPE};
use crate::signing::{self, Payload, SigningRequest, SIGNED_HEADERS, UNSIGNED_PAYLOAD};

/// The largest body the API accepts: the same limit the client enforces.
pub(crate) const MAX_BODY: usize = crate::call::MAX_BODY_BYTES;
/// How far a timestamp may be from the server's clock.
const MAX_SKEW_SECS: u64 = 300;

/// Why a request was refused: an error code and a message that says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

fn reject(code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection {
        code,
        message: message.into(),
    }
}

/// What the verifier needs of a request.
pub(crate) struct Incoming<'a> {
    method: &'a str,
    query: &'a str,
    headers: &'a HeaderMap,
    body: &'a [u8],
    /// The parameters of a form-signed request, read once.
    form: Option<Params>,
}

/// A header as text, if present and visible ASCII.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

impl<'a> Incoming<'a> {
    pub(crate) fn new(
        method: &'a str,
        query: &'a str,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Self {
        let mut incoming = Self {
            method,
            query,
            headers,
            body,
            form: None,
        };
        incoming.form = incoming.read_form();
        incoming
    }

    /// The form parameters of a request signed with an older method (in the query of a
    /// GET, the body of a form POST), if it is one: no `Authorization`, a `Signature`.
    fn read_form(&self) -> Option<Params> {
        if self.headers.contains_key("authorization") {
            return None;
        }
        let form: &[u8] = if self.method == "GET" {
            self.query.as_bytes()
        } else if header(self.headers, "content-type") == Some(FORM_CONTENT_TYPE) {
            self.body
        } else {
            return None;
        };
        let params: Params = form_urlencoded::parse(form).into_owned().collect();
        params.contains_key("Signature").then_some(params)
    }

    /// The action asked for: `X-TC-Action`, or the `Action` parameter of a form.
    pub(crate) fn action(&self) -> Option<String> {
        match header(self.headers, "x-tc-action") {
            Some(action) => Some(action.to_owned()),
            None => self.form.as_ref().and_then(|p| p.get("Action").cloned()),
        }
    }
}

/// Checks size, common headers, signature, clock and token; `Ok` with the action name.
pub(crate) fn verify(
    request: &Incoming<'_>,
    credentials: &HashMap<String, Credential>,
    unsigned_actions: &[String],
    now: u64,
) -> Result<String, Rejection> {
    if request.body.len() > MAX_BODY {
        return Err(reject(
            "RequestSizeLimitExceeded",
            format!(
                "The request body is {} bytes; the limit is {MAX_BODY}.",
                request.body.len()
            ),
        ));
    }
    if let Some(params) = &request.form {
        return verify_form(request, params, credentials, now);
    }
    let action = verify_tc3(request, credentials, unsigned_actions, now)?;
    check_multipart(request)?;
    Ok(action)
}

/// Checks a multipart body part by part, as the service reads it: a malformed one is
/// `InvalidRequest`, the code Tencent Cloud documents for a bad multipart body.
fn check_multipart(request: &Incoming<'_>) -> Result<(), Rejection> {
    let content_type = header(request.headers, "content-type").unwrap_or("");
    if !content_type.starts_with(multipart::MULTIPART_FORM_DATA) {
        return Ok(());
    }
    multipart::parse(content_type, request.body)
        .map(drop)
        .map_err(|e| {
            reject(
                "InvalidRequest",
                format!("The multipart body is malformed: {e}."),
            )
        })
}

/// Checks the common headers and the TC3 signature (or `SKIP` for an unsigned action).
fn verify_tc3(
    request: &Incoming<'_>,
    credentials: &HashMap<String, Credential>,
    unsigned_actions: &[String],
    now: u64,
) -> Result<String, Rejection> {
    let headers = request.headers;
    let action = header(headers, "x-tc-action").ok_or_else(|| {
        reject(
            "MissingParameter",
            "The request is missing the X-TC-Action header.",
        )
    })?;
    header(headers, "x-tc-version").ok_or_else(|| {
        reject(
            "MissingParameter",
            "The request is missing the X-TC-Version header.",
        )
    })?;
    let timestamp = header(headers, "x-tc-timestamp").ok_or_else(|| {
        reject(
            "MissingParameter",
            "The request is missing the X-TC-Timestamp header.",
        )
    })?;
    let timestamp: u64 = timestamp.parse().map_err(|_| {
        reject(
            "InvalidParameter",
            format!("X-TC-Timestamp `{timestamp}` is not a number of seconds."),
        )
    })?;
    let authorization = header(headers, "authorization").unwrap_or("");
    if authorization == "SKIP" {
        return if unsigned_actions.iter().any(|a| a == action) {
            Ok(action.to_owned())
        } else {
            Err(reject(
                "AuthFailure.InvalidAuthorization",
                format!("{action} must be signed; Authorization: SKIP is accepted only for unsigned actions."),
            ))
        };
    }
    let parsed = parse_authorization(authorization)?;
    check_clock("X-TC-Timestamp", timestamp, now)?;
    let credential = find(credentials, parsed.secret_id)?;
    let unsigned = header(headers, "x-tc-content-sha256") == Some(UNSIGNED_PAYLOAD);
    let expected = signing::sign(
        &SigningRequest {
            method: request.method,
            host: header(headers, "host").unwrap_or(""),
            path: "/",
            query: request.query,
            content_type: header(headers, "content-type").unwrap_or(""),
            payload: if unsigned {
                Payload::Unsigned
            } else {
                Payload::Bytes(request.body)
            },
            service: parsed.service,
            timestamp,
        },
        credential,
    );
    if !constant_time_eq(expected.authorization.as_bytes(), authorization.as_bytes()) {
        return Err(reject(
            "AuthFailure.SignatureFailure",
            format!(
                "The signature does not match the request signed with the key of {} (date {}, service {}).",
                parsed.secret_id, parsed.date, parsed.service
            ),
        ));
    }
    check_token(credential, header(headers, "x-tc-token"), "X-TC-Token", now)?;
    Ok(action.to_owned())
}

/// Checks a request signed with an older method; `Ok` with the action name.
fn verify_form(
    request: &Incoming<'_>,
    params: &Params,
    credentials: &HashMap<String, Credential>,
    now: u64,
) -> Result<String, Rejection> {
    // Everything but the signature is signed.
    let mut params = params.clone();
    let signature = params.remove("Signature").unwrap_or_default();
    let missing = |name: &str| {
        reject(
            "MissingParameter",
            format!("The request is missing the {name} parameter."),
        )
    };
    for name in ["Action", "Version", "Timestamp", "Nonce", "SecretId"] {
        if !params.contains_key(name) {
            return Err(missing(name));
        }
    }
    let timestamp = &params["Timestamp"];
    let timestamp: u64 = timestamp.parse().map_err(|_| {
        reject(
            "InvalidParameter",
            format!("Timestamp `{timestamp}` is not a number of seconds."),
        )
    })?;
    let method = params.get("SignatureMethod").map(String::as_str);
    let method = LegacyMethod::from_param(method).ok_or_else(|| {
        reject(
            "InvalidParameterValue",
            format!(
                "SignatureMethod `{}` is not HmacSHA1 or HmacSHA256.",
                method.unwrap_or_default()
            ),
        )
    })?;
    check_clock("Timestamp", timestamp, now)?;
    let secret_id = &params["SecretId"];
    let credential = find(credentials, secret_id)?;
    let host = header(request.headers, "host").unwrap_or("");
    let to_sign = legacy::string_to_sign(request.method, host, "/", &params);
    let expected = legacy::signature(method, credential.secret_key(), &to_sign);
    if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(reject(
            "AuthFailure.SignatureFailure",
            format!("The {method} signature does not match the request signed with the key of {secret_id}."),
        ));
    }
    check_token(
        credential,
        params.get("Token").map(String::as_str),
        "Token",
        now,
    )?;
    Ok(params["Action"].clone())
}

/// Refuses a timestamp too far from the server's clock.
fn check_clock(name: &str, timestamp: u64, now: u64) -> Result<(), Rejection> {
    let skew = now.abs_diff(timestamp);
    if skew > MAX_SKEW_SECS {
        return Err(reject(
            "AuthFailure.SignatureExpire",
            format!("{name} {timestamp} is {skew} s away from the server time {now}; at most {MAX_SKEW_SECS} s is allowed."),
        ));
    }
    Ok(())
}

/// The credential of `secret_id`.
fn find<'c>(
    credentials: &'c HashMap<String, Credential>,
    secret_id: &str,
) -> Result<&'c Credential, Rejection> {
    credentials.get(secret_id).ok_or_else(|| {
        reject(
            "AuthFailure.SecretIdNotFound",
            format!("The secret id {secret_id} does not exist."),
        )
    })
}

/// Checks that a temporary credential's token came with it, and only then.
/// Checks the token sent against the credential's, and that a temporary credential has not
/// expired by the endpoint's clock (`now`), as Tencent Cloud refuses an expired one.
fn check_token(
    credential: &Credential,
    sent: Option<&str>,
    name: &str,
    now: u64,
) -> Result<(), Rejection> {
    let expiry = credential.expires_at().map(|at| {
        at.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    if let Some(expiry) = expiry.filter(|expiry| now >= *expiry) {
        return Err(reject(
            "AuthFailure.TokenFailure",
            format!(
                "{}: the temporary credential expired at {expiry}, {} s before the server time {now}.",
                credential.secret_id(),
                now - expiry
            ),
        ));
    }
    let token_ok = match (credential.token(), sent) {
        (Some(expected), Some(sent)) => constant_time_eq(expected.as_bytes(), sent.as_bytes()),
        (None, None) => true,
        _ => false,
    };
    if token_ok {
        return Ok(());
    }
    let what = match (credential.token(), sent) {
        (Some(_), None) => format!("the temporary credential needs {name} but none was sent"),
        (None, Some(_)) => format!("{name} was sent for a permanent credential"),
        _ => format!("{name} does not belong to this credential"),
    };
    Err(reject(
        "AuthFailure.TokenFailure",
        format!("{}: {what}.", credential.secret_id()),
    ))
}

struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, Rejection> {
    let invalid = |what: &str| {
        reject(
            "AuthFailure.InvalidAuthorization",
            format!("The Authorization header is invalid: {what}."),
        )
    };
    if value.is_empty() {
        return Err(invalid("it is missing"));
    }
    let rest = value
        .strip_prefix(signing::ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| invalid("it does not start with `TC3-HMAC-SHA256 `"))?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(invalid(&format!("unexpected part `{part}`"))),
        }
    }
    let credential = credential.ok_or_else(|| invalid("no Credential"))?;
    if signed_headers != Some(SIGNED_HEADERS) {
        return Err(invalid("SignedHeaders must be content-type;host"));
    }
    let signature = signature.ok_or_else(|| invalid("no Signature"))?;
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid("Signature is not 64 hex digits"));
    }
    let scope: Vec<&str> = credential.split('/').collect();
    match scope.as_slice() {
        [secret_id, date, service, "tc3_request"] if !secret_id.is_empty() => Ok(Authorization {
            secret_id,
            date,
            service,
        }),
        _ => Err(invalid(
            "Credential must be SECRET_ID/DATE/SERVICE/tc3_request",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_parsing_names_the_problem() {
        let ok = format!(
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}",
            "a".repeat(64)
        );
        let parsed = parse_authorization(&ok).unwrap();
        assert_eq!(
            (parsed.secret_id, parsed.date, parsed.service),
            ("AKID", "2019-02-25", "cvm")
        );
        for (bad, what) in [
            ("", "it is missing"),
            ("Basic abc", "it does not start with `TC3-HMAC-SHA256 `"),
            ("TC3-HMAC-SHA256 Credential=AKID/d/s/tc3_request, SignedHeaders=host, Signature=aa", "SignedHeaders must be content-type;host"),
            ("TC3-HMAC-SHA256 Credential=AKID/d/s/tc3_request, SignedHeaders=content-type;host, Signature=xyz", "Signature is not 64 hex digits"),
            ("TC3-HMAC-SHA256 Credential=AKID/d/tc3_request, SignedHeaders=content-type;host, Signature=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Credential must be SECRET_ID/DATE/SERVICE/tc3_request"),
            ("TC3-HMAC-SHA256 Nonsense", "unexpected part `Nonsense`"),
        ] {
            let r = parse_authorization(bad).err().unwrap();
            assert_eq!(r.code, "AuthFailure.InvalidAuthorization");
            assert_eq!(r.message, format!("The Authorization header is invalid: {what}."), "{bad}");
        }
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
