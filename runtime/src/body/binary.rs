//! [`Binary`]: the bytes of a file in a request.

use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The bytes of a file sent in a request: the type of a spec's `binary` members (file
/// uploads, such as cii `UploadMedicalFile`'s `File`). Such an action's request is sent as
/// `multipart/form-data`, with the file as a part of its own, its bytes as they are.
///
/// Cheap to clone (the bytes are shared). Its `Debug` shows the size, never the content, so
/// logging a request does not dump a file.
///
/// ```
/// use tencentcloud_runtime::Binary;
///
/// let scan = Binary::from(vec![0x89, b'P', b'N', b'G']);
/// assert_eq!(format!("{scan:?}"), "Binary(4 bytes)");
/// let text = Binary::from("plain text");
/// assert_eq!(text.as_bytes(), b"plain text");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(Bytes);

impl Binary {
    /// The bytes of a file; `std::fs::read(path)?` gives them.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// How many bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bytes, shared.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Self(bytes)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes.into())
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Self(Bytes::from_static(bytes))
    }
}

impl<const N: usize> From<&'static [u8; N]> for Binary {
    fn from(bytes: &'static [u8; N]) -> Self {
        Self(Bytes::from_static(bytes))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Self(text.into())
    }
}

impl From<&'static str> for Binary {
    fn from(text: &'static str) -> Self {
        Self(Bytes::from_static(text.as_bytes()))
    }
}

/// Serialised as bytes (`serialize_bytes`): the multipart encoder makes them a file part.
/// Other formats write bytes their own way (serde_json: an array of numbers), which is why
/// the generator sends only multipart requests with a `Binary` in them.
impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

/// Read back from what [`Serialize`] writes: bytes, or (in JSON) an array of numbers 0 to
/// 255; so a request with a file round-trips through the `serde` feature.
impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file's bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Binary, E> {
                Ok(Binary(Bytes::copy_from_slice(bytes)))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Binary, E> {
                Ok(Binary(Bytes::from(bytes)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Binary, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(Binary(Bytes::from(bytes)))
            }
        }
        deserializer.deserialize_bytes(Visit)
    }
}
