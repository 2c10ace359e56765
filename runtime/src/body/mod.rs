//! Request bodies: how a serialised request goes on the wire, by the kind of body its
//! action takes. The call path asks [`encode`] for the bytes and the Content-Type (signed
//! byte for byte as sent) and knows nothing of the formats themselves.
//!
//! - [`BodyKind::Json`]: the request as one JSON object, `application/json` (almost every
//!   action).
//! - [`BodyKind::Multipart`]: `multipart/form-data`, one part per field, for actions whose
//!   request carries a file ([`Binary`]); see [`multipart`].
//! - [`BodyKind::OctetStream`]: one field's bytes as the body, the other fields as headers
//!   (cls `UploadLog`); see [`octet`].

mod binary;
mod json;
pub mod multipart;
pub mod octet;

use bytes::Bytes;
use http::HeaderValue;
use serde::Serialize;

pub use binary::Binary;
pub use json::{JsonWriter, WriteJson};
pub use multipart::EncodeError;

/// The Content-Type of every JSON request.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// How an action's request travels. One field of [`crate::Action`], so a new kind of body
/// is a variant here and a module beside `multipart`, not a branch through the call path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BodyKind {
    /// One JSON object, `application/json`.
    #[default]
    Json,
    /// `multipart/form-data`: each field a part, a [`Binary`] field as a file part.
    Multipart,
    /// `application/octet-stream`: the [`Binary`] field `body` as the body, and each field of
    /// `headers` (wire name, header name) in its header.
    OctetStream {
        /// The wire name of the field whose bytes are the body.
        body: &'static str,
        /// Each other field's wire name and the header it travels in.
        headers: &'static [(&'static str, &'static str)],
    },
}

impl BodyKind {
    /// Whether the older signature methods (HmacSHA1/HmacSHA256, which send the fields as
    /// one form) can carry this body. Only JSON can: multipart and octet-stream actions are
    /// always TC3-signed, as the official SDKs do.
    pub const fn fits_a_form(self) -> bool {
        matches!(self, Self::Json)
    }
}

/// A request's body and the Content-Type it goes with.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The bytes sent, and signed.
    pub bytes: Bytes,
    /// The Content-Type header, the same bytes signed.
    pub content_type: HeaderValue,
    /// Request fields that travel as headers (an octet-stream action's), sent unsigned.
    pub headers: Vec<(http::HeaderName, HeaderValue)>,
}

/// `request` encoded as `kind` asks, by any of the encoders: what a request whose action
/// takes a file implements [`crate::Request::body`] with.
pub fn encode<R: Serialize + ?Sized>(kind: BodyKind, request: &R) -> Result<Encoded, EncodeError> {
    match kind {
        BodyKind::Json => json(request),
        BodyKind::Multipart => multipart::encode(request),
        BodyKind::OctetStream { body, headers } => octet::encode(request, body, headers),
    }
}

/// `request` as JSON, or an error if `kind` is another body: the default
/// [`crate::Request::body`], so that a JSON request compiles the JSON encoder alone.
pub fn json_only<R: Serialize + ?Sized>(
    kind: BodyKind,
    request: &R,
) -> Result<Encoded, EncodeError> {
    match kind {
        BodyKind::Json => json(request),
        BodyKind::Multipart => Err(EncodeError::JsonOnly("multipart/form-data")),
        BodyKind::OctetStream { .. } => Err(EncodeError::JsonOnly("application/octet-stream")),
    }
}

/// What a [`JsonWriter`] wrote as the body of `kind`, or an error if `kind` is another body:
/// the default [`crate::Request::body`]. Not generic: it compiles once, whatever the request.
pub fn written_json(kind: BodyKind, written: JsonWriter) -> Result<Encoded, EncodeError> {
    match kind {
        BodyKind::Json => Ok(Encoded {
            bytes: Bytes::from(written.finish().map_err(EncodeError::json)?),
            content_type: HeaderValue::from_static(JSON_CONTENT_TYPE),
            headers: Vec::new(),
        }),
        BodyKind::Multipart => Err(EncodeError::JsonOnly("multipart/form-data")),
        BodyKind::OctetStream { .. } => Err(EncodeError::JsonOnly("application/octet-stream")),
    }
}

/// The body `write` writes, for `kind` (JSON only): what [`crate::Request::body`] does by
/// default, here so that it compiles once rather than once per request type.
pub(crate) fn written_by(
    kind: BodyKind,
    write: &dyn Fn(&mut JsonWriter),
) -> Result<Encoded, EncodeError> {
    let mut written = JsonWriter::default();
    write(&mut written);
    written_json(kind, written)
}

fn json<R: Serialize + ?Sized>(request: &R) -> Result<Encoded, EncodeError> {
    Ok(Encoded {
        bytes: Bytes::from(serde_json::to_vec(request).map_err(EncodeError::json)?),
        content_type: HeaderValue::from_static(JSON_CONTENT_TYPE),
        headers: Vec::new(),
    })
}
