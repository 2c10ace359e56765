//! Reading the response envelope: `{"Response": {..output.., "RequestId": ".."}}` on success,
//! `{"Response": {"Error": {"Code": "..", "Message": ".."}, "RequestId": ".."}}` on failure.
//!
//! The body is read once, into a tree ([`tree`]); the envelope is classified from it
//! ([`classify`]) before anything is typed, and a success's output is typed from the same
//! tree ([`output_from`]). Only objects count as objects (serde's derived readers would
//! take a list for a struct), and a key sent twice keeps its last value, as in the typed
//! reading.

use std::borrow::Cow;
use std::fmt;

use crate::decode::json::Json;
use crate::decode::{self, Correction, Reader};
use crate::error::{InvalidResponse, Mismatch};

/// What the first pass found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Classified<'a> {
    /// A success envelope, with its request id (borrowed from the body where it needs no
    /// unescaping: a whole call copies it only if its span or log will show it), and the
    /// `DeprecatedWarning` the service put in it, if any (its JSON text).
    Success {
        request_id: Cow<'a, str>,
        deprecated: Option<String>,
    },
    /// An error envelope.
    Failure {
        code: String,
        message: String,
        request_id: String,
    },
}

/// The last member `name` of an object's `members`, `null` counted as absent.
fn member<'t, 'a>(members: &'t [(Cow<'a, str>, Json<'a>)], name: &str) -> Option<&'t Json<'a>> {
    position(members, name).map(|at| &members[at].1)
}

/// Where [`member`] finds `name` among `members`.
fn position(members: &[(Cow<'_, str>, Json<'_>)], name: &str) -> Option<usize> {
    let at = members.iter().rposition(|(key, _)| key == name)?;
    (!matches!(members[at].1, Json::Null)).then_some(at)
}

/// A member that must be text, if present.
fn text<'a>(value: Option<&Json<'a>>) -> Result<Option<Cow<'a, str>>, ()> {
    match value {
        None => Ok(None),
        Some(Json::Text(text)) => Ok(Some(text.clone())),
        Some(_) => Err(()),
    }
}

/// The error for a response that is not an envelope, saying `why`.
fn not_envelope(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    why: &dyn fmt::Display,
) -> InvalidResponse {
    InvalidResponse::new(
        status,
        content_type,
        body,
        if (200..300).contains(&status) {
            format!("the body is not a Tencent Cloud envelope: {why}")
        } else {
            format!("HTTP {status} without a Tencent Cloud envelope: {why}")
        },
    )
}

/// The body read as one JSON value, or why it cannot be an envelope at all: an event
/// stream, an empty body, or not JSON.
pub(crate) fn tree<'a>(
    status: u16,
    content_type: Option<&str>,
    body: &'a [u8],
) -> Result<Json<'a>, InvalidResponse> {
    let invalid =
        |reason: &str| InvalidResponse::new(status, content_type, body, reason.to_owned());
    if content_type.is_some_and(is_event_stream) {
        return Err(invalid(
            "the response is an event stream, not one envelope: call the action's `_stream` method",
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the body is empty"));
    }
    Json::parse(body).map_err(|e| not_envelope(status, content_type, body, &e))
}

/// Classifies a response as success or service error, or says why it is neither: the body
/// read, then [`classify`]. The call path reads the tree itself, to type a success from it.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn read<'a>(
    status: u16,
    content_type: Option<&str>,
    body: &'a [u8],
) -> Result<Classified<'a>, InvalidResponse> {
    classify(
        status,
        content_type,
        body,
        &tree(status, content_type, body)?,
    )
}

/// [`read`] from the body's `tree`.
pub(crate) fn classify<'a>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    tree: &Json<'a>,
) -> Result<Classified<'a>, InvalidResponse> {
    let invalid = |reason: String| InvalidResponse::new(status, content_type, body, reason);
    let not_envelope = |why: &dyn fmt::Display| not_envelope(status, content_type, body, why);
    let Json::Object(members) = tree else {
        return Err(not_envelope(&"the body is not a JSON object"));
    };
    let response = match member(members, "Response") {
        None => return Err(invalid("the body has no `Response` object".to_owned())),
        Some(Json::Object(response)) => response,
        Some(_) => return Err(not_envelope(&"`Response` is not an object")),
    };
    let request_id = text(member(response, "RequestId"))
        .map_err(|()| not_envelope(&"`Response.RequestId` is not text"))?;
    let error = match member(response, "Error") {
        Some(error) => {
            Some(error_fields(error).map_err(|fault| not_envelope(&fault.under("Response.")))?)
        }
        None => None,
    };
    match (error, request_id) {
        (Some((code, message)), Some(request_id)) => Ok(Classified::Failure {
            code,
            message,
            request_id: request_id.into_owned(),
        }),
        // The excerpt keeps the code and message; the id a support case needs is missing.
        (Some((code, _)), None) => Err(invalid(format!(
            "the error response {code} has no `Response.RequestId`"
        ))),
        (None, Some(request_id)) if (200..300).contains(&status) => Ok(Classified::Success {
            request_id,
            deprecated: member(response, "DeprecatedWarning").map(|warning| match warning {
                // A string is shown as its text, anything else as its JSON.
                Json::Text(text) => text.clone().into_owned(),
                other => {
                    let mut json = String::new();
                    other.write(&mut json);
                    json
                }
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

/// The content type of a stream of events, which the errors of its events name.
pub(crate) const EVENT_STREAM: &str = "text/event-stream";

/// What one event of a stream says, its data read once into its tree.
#[derive(Debug, PartialEq)]
pub(crate) enum Event<'a> {
    /// The `[DONE]` marker some streams end with.
    Done,
    /// An event to type: the tree of the envelope the decoding policy reads,
    /// `{"Response": {..the event's fields..}}`, with the stream's RequestId added where the
    /// event has none.
    Success(Json<'a>),
    /// The service's error, which ends the stream.
    Failure {
        code: String,
        message: String,
        request_id: String,
    },
}

/// Reads an event's `data` (its lines joined, trimmed), from a stream whose RequestId is
/// `request_id`. Its fields are the output's, or an envelope's `Response` (some services
/// wrap each event whole); an `Error` among them is the service's error. Members are read
/// as in an envelope: the last of a name counts, and `null` is absent.
pub(crate) fn event<'a>(data: &'a str, request_id: &str) -> Result<Event<'a>, InvalidResponse> {
    if data == "[DONE]" {
        return Ok(Event::Done);
    }
    let invalid =
        |reason: String| InvalidResponse::new(200, Some(EVENT_STREAM), data.as_bytes(), reason);
    let tree = Json::parse(data.as_bytes())
        .map_err(|e| invalid(format!("an event's data is not JSON: {e}")))?;
    let Json::Object(mut fields) = tree else {
        return Err(invalid("an event's data is not a JSON object".to_owned()));
    };
    // Taken out of the tree, not copied: a wrapped event is as large as its fields.
    let wrapped =
        position(&fields, "Response").filter(|&at| matches!(fields[at].1, Json::Object(_)));
    if let Some(at) = wrapped {
        if let (_, Json::Object(inner)) = fields.swap_remove(at) {
            fields = inner;
        }
    }
    if let Some(error) = member(&fields, "Error") {
        let (code, message) = error_fields(error).map_err(|fault| {
            invalid(format!(
                "an error event without a code: {}",
                fault.under("")
            ))
        })?;
        let request_id = match member(&fields, "RequestId") {
            Some(Json::Text(own)) => own.clone().into_owned(),
            _ => request_id.to_owned(),
        };
        return Ok(Event::Failure {
            code,
            message,
            request_id,
        });
    }
    if member(&fields, "RequestId").is_none() {
        let id = Json::Text(Cow::Owned(request_id.to_owned()));
        fields.push((Cow::Borrowed("RequestId"), id));
    }
    Ok(Event::Success(Json::Object(vec![(
        Cow::Borrowed("Response"),
        Json::Object(fields),
    )])))
}

/// What is wrong with an `Error` member, an envelope's or an event's.
#[derive(Debug, Clone, Copy)]
enum ErrorFault {
    NotAnObject,
    CodeNotText,
    MessageNotText,
    NoCode,
}

impl ErrorFault {
    /// The fault in words, the `Error` named by its path: under `Response.` in an envelope,
    /// alone in an event.
    fn under(self, path: &str) -> String {
        match self {
            ErrorFault::NotAnObject => format!("`{path}Error` is not an object"),
            ErrorFault::CodeNotText => format!("`{path}Error.Code` is not text"),
            ErrorFault::MessageNotText => format!("`{path}Error.Message` is not text"),
            ErrorFault::NoCode => format!("`{path}Error` has no `Code`"),
        }
    }
}

/// The code and message of an `Error` member: an object with its `Code` as text, and its
/// `Message` as text if it has one (an error without its message is still the service's
/// error); or what is wrong with it.
fn error_fields(error: &Json<'_>) -> Result<(String, String), ErrorFault> {
    let Json::Object(error) = error else {
        return Err(ErrorFault::NotAnObject);
    };
    let code = text(member(error, "Code")).map_err(|()| ErrorFault::CodeNotText)?;
    let message = text(member(error, "Message")).map_err(|()| ErrorFault::MessageNotText)?;
    let code = code.ok_or(ErrorFault::NoCode)?;
    Ok((
        code.into_owned(),
        message.map(Cow::into_owned).unwrap_or_default(),
    ))
}

/// Reads the typed output of a success envelope from the body's `tree`, already read,
/// under the [decoding policy](crate::decode). When it cannot, the error keeps the whole
/// body: the action took effect, and its response must not be lost.
///
/// Not generic: `read` reads the output as the type named `wanted` and keeps it; what is
/// returned is the corrections the reading made.
pub(crate) fn output_from(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    tree: &Json<'_>,
    wanted: &str,
    read: Reader<'_>,
) -> Result<Vec<Correction>, InvalidResponse> {
    decode::output_with(tree, read).map_err(|e| mismatch(status, content_type, body, wanted, e))
}

/// The error of a success whose output is not the type named `wanted`: the whole body kept.
#[cold]
fn mismatch(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    wanted: &str,
    e: decode::DecodeError,
) -> InvalidResponse {
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
    fn what_serde_json_reads_as_no_tree_is_no_envelope() {
        // The body is read once, as a tree; a first pass used to skip over these, and a
        // service error so nested was taken for one.
        let deep = format!(
            r#"{{"Response":{{"Error":{{"Code":"X","Message":"m"}},"RequestId":"r","Deep":{}1{}}}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let huge = br#"{"Response":{"RequestId":"r","Size":1e400}}"#;
        for body in [deep.as_bytes(), &huge[..]] {
            let reason = read(200, None, body).unwrap_err().reason;
            assert!(
                reason.starts_with("the body is not a Tencent Cloud envelope: "),
                "{reason}"
            );
        }
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

    #[test]
    fn a_broken_error_says_which_part_is_wrong() {
        let cases: [(&[u8], &str); 5] = [
            (
                br#"{"Response":{"Error":"C","RequestId":"r"}}"#,
                "`Response.Error` is not an object",
            ),
            (
                br#"{"Response":{"Error":{"Code":7},"RequestId":"r"}}"#,
                "`Response.Error.Code` is not text",
            ),
            (
                br#"{"Response":{"Error":{"Code":"C","Message":[]},"RequestId":"r"}}"#,
                "`Response.Error.Message` is not text",
            ),
            (
                br#"{"Response":{"Error":{"Message":"m"},"RequestId":"r"}}"#,
                "`Response.Error` has no `Code`",
            ),
            // A message that is not text is said first, then a missing code.
            (
                br#"{"Response":{"Error":{"Message":1},"RequestId":"r"}}"#,
                "`Response.Error.Message` is not text",
            ),
        ];
        for (body, why) in cases {
            let reason = read(400, Some("x"), body).unwrap_err().reason;
            assert_eq!(
                reason,
                format!("HTTP 400 without a Tencent Cloud envelope: {why}")
            );
        }
    }

    /// An event's envelope, written back as JSON text.
    fn written(event: Event<'_>) -> String {
        let Event::Success(tree) = event else {
            panic!("not a success: {event:?}");
        };
        let mut json = String::new();
        tree.write(&mut json);
        json
    }

    #[test]
    fn an_event_is_typed_from_its_fields_with_the_streams_request_id_unless_it_has_one() {
        let read = |data| written(event(data, "r-header").unwrap());
        assert_eq!(
            read(r#"{"Note":"x"}"#),
            r#"{"Response":{"Note":"x","RequestId":"r-header"}}"#
        );
        assert_eq!(
            read(r#"{"Note":"x","RequestId":"r-own"}"#),
            r#"{"Response":{"Note":"x","RequestId":"r-own"}}"#
        );
        // Wrapped whole, as some services send each event; a null id is no id.
        assert_eq!(
            read(r#"{"Response":{"Note":"x","RequestId":null}}"#),
            r#"{"Response":{"Note":"x","RequestId":null,"RequestId":"r-header"}}"#
        );
        // A `Response` that is not an object is one of the event's fields, and a wrapped
        // event's own fields are all it has.
        assert_eq!(
            read(r#"{"Response":"x","Note":"y"}"#),
            r#"{"Response":{"Response":"x","Note":"y","RequestId":"r-header"}}"#
        );
        assert_eq!(
            read(r#"{"Other":1,"Response":{"Note":"x"},"Last":2}"#),
            r#"{"Response":{"Note":"x","RequestId":"r-header"}}"#
        );
        assert_eq!(event("[DONE]", "r").unwrap(), Event::Done);
    }

    #[test]
    fn an_error_event_is_the_services_error_and_junk_is_an_invalid_answer() {
        let failure = |code: &str, message: &str, request_id: &str| Event::Failure {
            code: code.to_owned(),
            message: message.to_owned(),
            request_id: request_id.to_owned(),
        };
        assert_eq!(
            event(
                r#"{"Response":{"Error":{"Code":"FailedOperation","Message":"m"}}}"#,
                "r"
            )
            .unwrap(),
            failure("FailedOperation", "m", "r")
        );
        assert_eq!(
            event(
                r#"{"Error":{"Code":"LimitExceeded"},"RequestId":"r-own"}"#,
                "r"
            )
            .unwrap(),
            failure("LimitExceeded", "", "r-own")
        );
        for (data, reason) in [
            (
                "not json",
                "an event's data is not JSON: expected ident at line 1 column 2",
            ),
            ("[1]", "an event's data is not a JSON object"),
            (
                r#"{"Error":{"Message":"m"}}"#,
                "an error event without a code: `Error` has no `Code`",
            ),
            (
                r#"{"Error":{"Code":7}}"#,
                "an error event without a code: `Error.Code` is not text",
            ),
            (
                r#"{"Error":{"Code":"C","Message":[]}}"#,
                "an error event without a code: `Error.Message` is not text",
            ),
            (
                r#"{"Error":"C"}"#,
                "an error event without a code: `Error` is not an object",
            ),
        ] {
            let invalid = event(data, "r").unwrap_err();
            assert_eq!(invalid.reason, reason, "{data}");
            assert_eq!(invalid.content_type.as_deref(), Some(EVENT_STREAM));
            assert_eq!(invalid.status, 200);
        }
    }
}
