//! Checks a request the way Tencent Cloud does, in the same order, with the same codes.
//! The signature is recomputed with the runtime's own signing code.

use std::collections::HashMap;

use http::HeaderMap;

use crate::credential::Credential;
use crate::signing::{self, Payload, SigningRequest, SIGNED_HEADERS, UNSIGNED_PAYLOAD};

/// The largest body the API accepts: the same limit the client enforces.
pub(crate) const MAX_BODY: usize = crate::client::MAX_BODY_BYTES;
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
    pub(crate) method: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// A header as text, if present and visible ASCII.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks size, common headers, signature, clock and token; `Ok` with the action name.
pub(crate) fn verify<'a>(
    request: &Incoming<'a>,
    credentials: &HashMap<String, Credential>,
    unsigned_actions: &[String],
    now: u64,
) -> Result<&'a str, Rejection> {
    if request.body.len() > MAX_BODY {
        return Err(reject(
            "RequestSizeLimitExceeded",
            format!(
                "The request body is {} bytes; the limit is {MAX_BODY}.",
                request.body.len()
            ),
        ));
    }
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
            Ok(action)
        } else {
            Err(reject(
                "AuthFailure.InvalidAuthorization",
                format!("{action} must be signed; Authorization: SKIP is accepted only for unsigned actions."),
            ))
        };
    }
    let parsed = parse_authorization(authorization)?;
    let skew = now.abs_diff(timestamp);
    if skew > MAX_SKEW_SECS {
        return Err(reject(
            "AuthFailure.SignatureExpire",
            format!("X-TC-Timestamp {timestamp} is {skew} s away from the server time {now}; at most {MAX_SKEW_SECS} s is allowed."),
        ));
    }
    let credential = credentials.get(parsed.secret_id).ok_or_else(|| {
        reject(
            "AuthFailure.SecretIdNotFound",
            format!("The secret id {} does not exist.", parsed.secret_id),
        )
    })?;
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
    let sent_token = header(headers, "x-tc-token");
    let token_ok = match (credential.token(), sent_token) {
        (Some(expected), Some(sent)) => constant_time_eq(expected.as_bytes(), sent.as_bytes()),
        (None, None) => true,
        _ => false,
    };
    if !token_ok {
        let what = match (credential.token(), sent_token) {
            (Some(_), None) => "the temporary credential needs X-TC-Token but none was sent",
            (None, Some(_)) => "X-TC-Token was sent for a permanent credential",
            _ => "X-TC-Token does not belong to this credential",
        };
        return Err(reject(
            "AuthFailure.TokenFailure",
            format!("{}: {what}.", parsed.secret_id),
        ));
    }
    Ok(action)
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
