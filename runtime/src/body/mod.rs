//! Request bodies: how a serialised request goes on the wire, by the kind of body its
//! action takes. The call path asks [`encode`] for the bytes and the Content-Type (signed
//! byte for byte as sent) and knows nothing of the formats themselves.
//!
//! - [`BodyKind::Json`]: the request as one JSON object, `application/json` (almost every
//!   action).
//! - [`BodyKind::Multipart`]: `multipart/form-data`, one part per field, for actions whose
//!   request carries a file ([`Binary`]); see [`multipart`].

mod binary;
pub mod multipart;

use bytes::Bytes;
use http::HeaderValue;
use serde::Serialize;

pub use binary::Binary;
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
}

impl BodyKind {
    /// Whether the older signature methods (HmacSHA1/HmacSHA256, which send the fields as
    /// one form) can carry this body. A multipart body cannot: such actions are always
    /// TC3-signed, as the official SDKs do.
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
}

/// `request` encoded as `kind` asks.
pub fn encode<R: Serialize + ?Sized>(kind: BodyKind, request: &R) -> Result<Encoded, EncodeError> {
    match kind {
        BodyKind::Json => Ok(Encoded {
            bytes: Bytes::from(serde_json::to_vec(request).map_err(EncodeError::json)?),
            content_type: HeaderValue::from_static(JSON_CONTENT_TYPE),
        }),
        BodyKind::Multipart => multipart::encode(request),
    }
}
