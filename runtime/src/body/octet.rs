//! `application/octet-stream`, as the official SDKs send cls `UploadLog`: the body is one
//! field's bytes (a [`Binary`](super::Binary)), exactly as given, and each other field that
//! is set travels in a header of its own (`TopicId` as `X-CLS-TopicId`). The action's spec
//! names the body field and the headers (docs/spec-format.md, `octetStream`).

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use serde::Serialize;

use super::multipart::{parts, EncodeError};
use super::Encoded;

/// The Content-Type of an octet-stream body.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// `request` as an octet-stream body: the field `body` as the bytes, the fields of
/// `headers` (wire name, header name) as headers. A set field with no header, a list or
/// structure where a header is wanted, or a missing body is refused: nothing the caller
/// gave is left out.
pub(crate) fn encode<R: Serialize + ?Sized>(
    request: &R,
    body: &str,
    headers: &[(&str, &str)],
) -> Result<Encoded, EncodeError> {
    let field = |name: &str, message: &str| EncodeError::Field {
        name: name.to_owned(),
        message: message.to_owned(),
    };
    let mut bytes: Option<Bytes> = None;
    let mut sent = Vec::new();
    for part in parts(request)? {
        if part.name == body && part.filename.is_some() {
            bytes = Some(part.data);
            continue;
        }
        let Some((_, header)) = headers.iter().find(|(wire, _)| *wire == part.name) else {
            return Err(field(
                &part.name,
                "has no header to travel in, and the body is another field's bytes",
            ));
        };
        if part.content_type.is_some() || part.filename.is_some() {
            return Err(field(
                &part.name,
                "a list, structure or file cannot travel in a header",
            ));
        }
        let name = HeaderName::from_bytes(header.as_bytes())
            .map_err(|_| field(&part.name, &format!("{header:?} is not a header name")))?;
        let value = HeaderValue::from_maybe_shared(part.data)
            .map_err(|_| field(&part.name, "its value cannot go in a header"))?;
        sent.push((name, value));
    }
    let bytes = bytes.ok_or_else(|| field(body, "the body's bytes are missing"))?;
    Ok(Encoded {
        bytes,
        content_type: HeaderValue::from_static(OCTET_STREAM),
        headers: sent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Binary;

    #[derive(Serialize)]
    struct Upload {
        #[serde(rename = "TopicId")]
        topic_id: String,
        #[serde(rename = "CompressType", skip_serializing_if = "Option::is_none")]
        compress_type: Option<String>,
        #[serde(rename = "Body")]
        body: Binary,
    }

    const HEADERS: &[(&str, &str)] = &[
        ("TopicId", "X-CLS-TopicId"),
        ("CompressType", "X-CLS-CompressType"),
    ];

    #[test]
    fn the_body_is_the_bytes_and_the_fields_are_headers() {
        let upload = Upload {
            topic_id: "t-1".into(),
            compress_type: Some("lz4".into()),
            body: Binary::from(vec![0u8, 1, 2, 255]),
        };
        let encoded = encode(&upload, "Body", HEADERS).unwrap();
        assert_eq!(&encoded.bytes[..], &[0u8, 1, 2, 255]);
        assert_eq!(encoded.content_type, OCTET_STREAM);
        let headers: Vec<(String, &str)> = encoded
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap()))
            .collect();
        assert_eq!(
            headers,
            [
                ("x-cls-topicid".to_owned(), "t-1"),
                ("x-cls-compresstype".to_owned(), "lz4")
            ]
        );
        // A field left out sends no header.
        let plain = Upload {
            compress_type: None,
            ..upload
        };
        assert_eq!(encode(&plain, "Body", HEADERS).unwrap().headers.len(), 1);
    }

    #[test]
    fn a_field_without_a_header_or_a_header_unfit_value_is_refused() {
        let upload = Upload {
            topic_id: "t-1".into(),
            compress_type: None,
            body: Binary::from(vec![1u8]),
        };
        let error = encode(&upload, "Body", &HEADERS[1..]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "field TopicId: has no header to travel in, and the body is another field's bytes"
        );
        let newline = Upload {
            topic_id: "a\nb".into(),
            ..upload
        };
        let error = encode(&newline, "Body", HEADERS).unwrap_err();
        assert_eq!(
            error.to_string(),
            "field TopicId: its value cannot go in a header"
        );
    }
}
