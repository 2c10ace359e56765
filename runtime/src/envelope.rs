//! Reading the response envelope: `{"Response": {..output.., "RequestId": ".."}}` on success,
//! `{"Response": {"Error": {"Code": "..", "Message": ".."}, "RequestId": ".."}}` on failure.
//!
//! A first pass reads only `Error` and `RequestId` (skipping the rest unparsed), so the
//! outcome is known before the typed pass, which runs only on success.

use crate::decode::Decode;
use serde::Deserialize;

use crate::decode::{self, Decoded};
use crate::error::{InvalidResponse, Mismatch};

/// What the first pass found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Classified {
    /// A success envelope, with its request id, and the `DeprecatedWarning` the service put
    /// in it, if any (its JSON text).
    Success {
        request_id: String,
        deprecated: Option<String>,
    },
    /// An error envelope.
    Failure {
        code: String,
        message: String,
        request_id: String,
    },
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "Response")]
    response: Option<ProbeResponse>,
}

#[derive(Deserialize)]
struct ProbeResponse {
    #[serde(rename = "Error")]
    error: Option<ProbeError>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "DeprecatedWarning")]
    deprecated: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
struct ProbeError {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

/// Classifies a response as success or service error, or says why it is neither.
pub(crate) fn read(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Classified, InvalidResponse> {
    let invalid = |reason: String| InvalidResponse::new(status, content_type, body, reason);
    if content_type.is_some_and(is_event_stream) {
        return Err(invalid(
            "the response is an event stream, not one envelope: call the action's `_stream` method"
                .to_owned(),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the body is empty".to_owned()));
    }
    let probe: Probe = serde_json::from_slice(body).map_err(|e| {
        invalid(if (200..300).contains(&status) {
            format!("the body is not a Tencent Cloud envelope: {e}")
        } else {
            format!("HTTP {status} without a Tencent Cloud envelope: {e}")
        })
    })?;
    let Some(response) = probe.response else {
        return Err(invalid("the body has no `Response` object".to_owned()));
    };
    match (response.error, response.request_id) {
        (Some(error), Some(request_id)) => Ok(Classified::Failure {
            code: error.code,
            message: error.message,
            request_id,
        }),
        // The excerpt keeps the code and message; the id a support case needs is missing.
        (Some(error), None) => Err(invalid(format!(
            "the error response {} has no `Response.RequestId`",
            error.code
        ))),
        (None, Some(request_id)) if (200..300).contains(&status) => Ok(Classified::Success {
            request_id,
            deprecated: response.deprecated.map(|text| {
                // A string is shown as its text, anything else as its JSON.
                serde_json::from_str::<String>(text.get()).unwrap_or_else(|_| text.get().to_owned())
            }),
        }),
        (None, Some(_)) => Err(invalid(format!("HTTP {status} with a success envelope"))),
        (None, None) => Err(invalid(
            "the response has no `Response.RequestId`".to_owned(),
        )),
    }
}

/// Whether a Content-Type is `text/event-stream` (parameters aside).
pub(crate) fn is_event_stream(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

/// Reads the typed output of a success envelope under the [decoding policy](crate::decode).
/// When it cannot, the error keeps the whole body: the action took effect, and its response
/// must not be lost.
pub(crate) fn output<T: Decode>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Decoded<T>, InvalidResponse> {
    decode::response(body).map_err(|e| {
        let mut invalid = InvalidResponse::new(
            status,
            content_type,
            body,
            format!(
                "`Response` does not match {}: {e}",
                std::any::type_name::<T>()
            ),
        );
        invalid.mismatch = Some(Box::new(Mismatch {
            field: e.path,
            body: bytes::Bytes::copy_from_slice(body),
        }));
        invalid
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_and_failure() {
        let ok = br#"{"Response":{"Big":[1,2,{"x":"y"}],"RequestId":"r1"}}"#;
        assert_eq!(
            read(200, None, ok).unwrap(),
            Classified::Success {
                request_id: "r1".into(),
                deprecated: None,
            }
        );
        let err = br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad \"x\""},"RequestId":"r2"}}"#;
        assert_eq!(
            read(200, None, err).unwrap(),
            Classified::Failure {
                code: "InvalidParameter".into(),
                message: "bad \"x\"".into(),
                request_id: "r2".into()
            }
        );
    }

    #[test]
    fn broken_answers_say_why() {
        let cases: [(u16, &[u8], &str); 7] = [
            (200, b"", "the body is empty"),
            (200, b"{\"Response\":{\"RequestId\":\"r", "the body is not a Tencent Cloud envelope: EOF while parsing a string at line 1 column 27"),
            (502, b"<html>Bad Gateway</html>", "HTTP 502 without a Tencent Cloud envelope: expected value at line 1 column 1"),
            (200, b"{}", "the body has no `Response` object"),
            (200, b"{\"Response\":{}}", "the response has no `Response.RequestId`"),
            (500, b"{\"Response\":{\"RequestId\":\"r\"}}", "HTTP 500 with a success envelope"),
            (200, b"{\"Response\":{\"Error\":{\"Code\":\"InternalError\"}}}", "the error response InternalError has no `Response.RequestId`"),
        ];
        for (status, body, reason) in cases {
            assert_eq!(read(status, Some("x"), body).unwrap_err().reason, reason);
        }
    }
}
