//! Reading the response envelope: `{"Response": {..output.., "RequestId": ".."}}` on success,
//! `{"Response": {"Error": {"Code": "..", "Message": ".."}, "RequestId": ".."}}` on failure.
//!
//! A first pass reads only `Error` and `RequestId` (skipping the rest unparsed, in one pass
//! over the body), so the outcome is known before the typed pass, which runs only on
//! success. It reads objects only (serde's derived readers would take a list for a
//! struct), and a key sent twice keeps its last value, as in the typed pass.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::decode::{self, Correction, Reader};
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

/// An object's key, borrowed from the body when it has no escapes.
#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

/// Reads an object's members, each value left unparsed, keeping the last value of each of
/// `names`.
struct Members<const N: usize> {
    names: [&'static str; N],
}

impl<'de, const N: usize> Visitor<'de> for Members<N> {
    type Value = [Option<&'de RawValue>; N];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = [None; N];
        while let Some(Key(key)) = map.next_key()? {
            match self.names.iter().position(|name| *name == key) {
                Some(i) => found[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// The members `names` of the JSON object `json` (`None` for one absent or `null`), unparsed;
/// an error if `json` is not one object.
fn members<'a, const N: usize>(
    json: &'a [u8],
    names: [&'static str; N],
) -> Result<[Option<&'a RawValue>; N], serde_json::Error> {
    one_object(json, Members { names }).map(present)
}

/// `json` read whole by `visitor` as one object, nothing after it.
fn one_object<'a, V: Visitor<'a>>(
    json: &'a [u8],
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let found = de.deserialize_map(visitor)?;
    de.end()?;
    Ok(found)
}

/// Members found, with a `null` one as absent.
fn present<const N: usize>(found: [Option<&RawValue>; N]) -> [Option<&RawValue>; N] {
    found.map(|value| value.filter(|v| v.get() != "null"))
}

/// `Response`'s members the first pass reads: `Error`, `RequestId`, `DeprecatedWarning`.
type ResponseMembers<'a> = [Option<&'a RawValue>; 3];

/// What the body's `Response` is, as the first pass finds it.
enum Found<'a> {
    /// Absent, or `null`.
    Nothing,
    /// Something other than an object.
    NotObject,
    /// An object, with the members the first pass reads.
    Object(ResponseMembers<'a>),
}

/// Reads the body's members, descending into `Response` as it goes (the last `Response`
/// sent counts), every other value skipped.
struct Body;

impl<'de> Visitor<'de> for Body {
    type Value = Found<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = Found::Nothing;
        while let Some(Key(key)) = map.next_key()? {
            if key == "Response" {
                found = map.next_value_seed(Response)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Reads `Response` as whatever it is; its members as [`Members`] does.
struct Response;

impl<'de> DeserializeSeed<'de> for Response {
    type Value = Found<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Response {
    type Value = Found<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let names = ["Error", "RequestId", "DeprecatedWarning"];
        Members { names }.visit_map(map).map(Found::Object)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Found::Nothing)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Found::NotObject)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Found::NotObject)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Found::NotObject)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Found::NotObject)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Found::NotObject)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Found::NotObject)
    }
}

/// `Response`'s members in one pass over `body`; an error if `body` is not one object.
fn response_members(body: &[u8]) -> Result<Found<'_>, serde_json::Error> {
    Ok(match one_object(body, Body)? {
        Found::Object(members) => Found::Object(present(members)),
        other => other,
    })
}

/// A member that must be text, if present.
fn text(value: Option<&RawValue>) -> Result<Option<String>, ()> {
    value
        .map(|v| serde_json::from_str::<String>(v.get()).map_err(|_| ()))
        .transpose()
}

/// Classifies a response as success or service error, or says why it is neither.
pub(crate) fn read(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Classified, InvalidResponse> {
    let invalid = |reason: String| InvalidResponse::new(status, content_type, body, reason);
    let not_envelope = |why: &dyn fmt::Display| {
        invalid(if (200..300).contains(&status) {
            format!("the body is not a Tencent Cloud envelope: {why}")
        } else {
            format!("HTTP {status} without a Tencent Cloud envelope: {why}")
        })
    };
    if content_type.is_some_and(is_event_stream) {
        return Err(invalid(
            "the response is an event stream, not one envelope: call the action's `_stream` method"
                .to_owned(),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the body is empty".to_owned()));
    }
    let [error, request_id, deprecated] =
        match response_members(body).map_err(|e| not_envelope(&e))? {
            Found::Nothing => return Err(invalid("the body has no `Response` object".to_owned())),
            Found::NotObject => return Err(not_envelope(&"`Response` is not an object")),
            Found::Object(members) => members,
        };
    let request_id =
        text(request_id).map_err(|()| not_envelope(&"`Response.RequestId` is not text"))?;
    let error = match error {
        Some(error) => {
            let [code, message] = members(error.get().as_bytes(), ["Code", "Message"])
                .map_err(|_| not_envelope(&"`Response.Error` is not an object"))?;
            let not_text =
                |field| not_envelope(&format_args!("`Response.Error.{field}` is not text"));
            let code = text(code).map_err(|()| not_text("Code"))?;
            let message = text(message).map_err(|()| not_text("Message"))?;
            // An error without its message is still the service's error.
            Some((
                code.ok_or_else(|| not_envelope(&"`Response.Error` has no `Code`"))?,
                message.unwrap_or_default(),
            ))
        }
        None => None,
    };
    match (error, request_id) {
        (Some((code, message)), Some(request_id)) => Ok(Classified::Failure {
            code,
            message,
            request_id,
        }),
        // The excerpt keeps the code and message; the id a support case needs is missing.
        (Some((code, _)), None) => Err(invalid(format!(
            "the error response {code} has no `Response.RequestId`"
        ))),
        (None, Some(request_id)) if (200..300).contains(&status) => Ok(Classified::Success {
            request_id,
            deprecated: deprecated.map(|text| {
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
///
/// Not generic: `read` reads the output as the type named `wanted` and keeps it; what is
/// returned is the corrections the reading made.
pub(crate) fn output(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    wanted: &str,
    read: Reader<'_>,
) -> Result<Vec<Correction>, InvalidResponse> {
    decode::response_with(body, read).map_err(|e| {
        let mut invalid = InvalidResponse::new(
            status,
            content_type,
            body,
            format!("`Response` does not match {wanted}: {e}"),
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
    fn only_objects_and_the_last_of_a_key_sent_twice() {
        // serde's derived readers take a list for a struct: `[{"RequestId":"r"}]` was a
        // success (found by fuzz/fuzz_targets/envelope.rs).
        for list in [
            &br#"[{"RequestId":"r"}]"#[..],
            br#"{"Response":[null,"r"]}"#,
        ] {
            assert!(read(200, None, list).is_err());
        }
        let twice = br#"{"Response":{"RequestId":"first","RequestId":"second"}}"#;
        assert_eq!(
            read(200, None, twice).unwrap(),
            Classified::Success {
                request_id: "second".into(),
                deprecated: None,
            }
        );
        let escaped = br#"{"Re\u0073ponse":{"Error":{"Code":"X","Message":null},"RequestId":"r"}}"#;
        assert_eq!(
            read(400, None, escaped).unwrap(),
            Classified::Failure {
                code: "X".into(),
                message: String::new(),
                request_id: "r".into()
            }
        );
    }

    #[test]
    fn the_excerpt_of_a_body_that_is_not_utf8_is_bounded_too() {
        // Found by fuzz/fuzz_targets/envelope.rs: each bad byte became three.
        let invalid = read(502, None, &[0xff; 600]).unwrap_err();
        assert_eq!(invalid.excerpt.len(), InvalidResponse::EXCERPT_LIMIT - 2);
        assert_eq!(invalid.body_len, 600);
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
