//! `multipart/form-data` as the official SDKs send it (RFC 7578): one part per field of
//! the request, in field order, fields left out (`None`) sent as no part at all.
//!
//! ```text
//! --{boundary}\r\n
//! Content-Disposition: form-data; name="File"; filename="File"\r\n      a Binary field
//! \r\n
//! {the file's bytes, as they are}\r\n
//! --{boundary}\r\n
//! Content-Disposition: form-data; name="FileURL"\r\n                    text, numbers, bools
//! \r\n
//! https://example.com/scan.png\r\n
//! --{boundary}\r\n
//! Content-Disposition: form-data; name="Tags"\r\n                       lists and structures
//! Content-Type: application/json\r\n
//! \r\n
//! ["a","b"]\r\n
//! --{boundary}--\r\n
//! ```
//!
//! A file part is named after its field and so is its file name, as Tencent's Python SDK
//! names them; text goes as its UTF-8, a number or bool as its JSON text (`5`, `true`), a
//! list or structure as JSON with its own Content-Type. The boundary is 32 random hex digits
//! (a UUID's, as the Python SDK uses), drawn again should it occur in any part, and the
//! Content-Type sent (and signed) is `multipart/form-data; boundary={boundary}`. A request
//! with no fields at all has an empty body.
//!
//! [`parse`] reads such a body back, part by part: the local endpoint uses it to check what
//! it was sent.

use std::fmt;

use bytes::Bytes;
use http::HeaderValue;
use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

use super::Encoded;

/// The media type, before its `boundary` parameter.
pub const MULTIPART_FORM_DATA: &str = "multipart/form-data";
/// The Content-Type of a part holding a list or a structure.
const JSON_PART: &str = "application/json";

/// One part of a multipart body.
#[derive(Clone, PartialEq, Eq)]
pub struct Part {
    /// The field's wire name (`File`).
    pub name: String,
    /// The file name, for a file part: the field's name, as the official SDKs send it.
    pub filename: Option<String>,
    /// The part's Content-Type, if it has one (`application/json` for lists and structures).
    pub content_type: Option<String>,
    /// The content, exactly.
    pub data: Bytes,
}

impl fmt::Debug for Part {
    // A file's content is shown by its size only, like `Binary`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Part");
        d.field("name", &self.name);
        if let Some(filename) = &self.filename {
            d.field("filename", filename);
            d.field("data", &format_args!("{} bytes", self.data.len()));
        } else {
            d.field("data", &String::from_utf8_lossy(&self.data));
        }
        if let Some(content_type) = &self.content_type {
            d.field("content_type", content_type);
        }
        d.finish()
    }
}

/// Why a request could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// serde_json refused the request or one of its fields.
    Json(String),
    /// A multipart request must be a struct (its fields become the parts).
    NotAStruct,
    /// A field's value could not be serialised.
    Field {
        /// The field's wire name.
        name: String,
        /// Why.
        message: String,
    },
    /// The request type writes JSON only (the default [`crate::Request::body`]), and its
    /// action takes the body of this Content-Type.
    JsonOnly(&'static str),
}

impl EncodeError {
    pub(crate) fn json(error: serde_json::Error) -> Self {
        Self::Json(error.to_string())
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(message) => f.write_str(message),
            Self::NotAStruct => {
                f.write_str("a multipart request must be a struct whose fields become its parts")
            }
            Self::Field { name, message } => write!(f, "field {name}: {message}"),
            Self::JsonOnly(content_type) => write!(
                f,
                "the request type writes only JSON, and its action takes {content_type}"
            ),
        }
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::Json(msg.to_string())
    }
}

/// `request` as a multipart body with a fresh boundary.
pub(crate) fn encode<R: Serialize + ?Sized>(request: &R) -> Result<Encoded, EncodeError> {
    let parts = parts(request)?;
    let boundary = boundary_for(&parts, || uuid::Uuid::new_v4().simple().to_string());
    let content_type = HeaderValue::from_str(&content_type(&boundary))
        .map_err(|e| EncodeError::Json(e.to_string()))?;
    Ok(Encoded {
        bytes: Bytes::from(write(&parts, &boundary)),
        content_type,
        headers: Vec::new(),
    })
}

/// The Content-Type of a body with `boundary`.
pub fn content_type(boundary: &str) -> String {
    format!("{MULTIPART_FORM_DATA}; boundary={boundary}")
}

/// The parts of `request`, a struct: one per field that is not `None`, in field order.
pub fn parts<R: Serialize + ?Sized>(request: &R) -> Result<Vec<Part>, EncodeError> {
    request.serialize(PartsSerializer)
}

/// The first boundary from `fresh` that occurs in no part (name, file name or content), so
/// that no content can end a part early.
pub fn boundary_for(parts: &[Part], mut fresh: impl FnMut() -> String) -> String {
    loop {
        let boundary = fresh();
        // An empty boundary is no boundary (and no needle to search for).
        if boundary.is_empty() {
            continue;
        }
        let inside = |hay: &[u8]| find(hay, boundary.as_bytes()).is_some();
        let clashes = parts.iter().any(|p| {
            inside(&p.data)
                || inside(p.name.as_bytes())
                || p.filename.as_deref().is_some_and(|f| inside(f.as_bytes()))
        });
        if !clashes {
            return boundary;
        }
    }
}

/// The body of `parts` with `boundary` (which must occur in none of them).
pub fn write(parts: &[Part], boundary: &str) -> Vec<u8> {
    let size: usize = parts
        .iter()
        .map(|p| p.data.len() + p.name.len() * 2 + 120)
        .sum();
    let mut body = Vec::with_capacity(size + boundary.len() * (parts.len() + 1));
    for part in parts {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        body.extend_from_slice(quoted(&part.name).as_bytes());
        body.push(b'"');
        if let Some(filename) = &part.filename {
            body.extend_from_slice(b"; filename=\"");
            body.extend_from_slice(quoted(filename).as_bytes());
            body.push(b'"');
        }
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            body.extend_from_slice(b"Content-Type: ");
            body.extend_from_slice(content_type.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.data);
        body.extend_from_slice(b"\r\n");
    }
    if !parts.is_empty() {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
    }
    body
}

/// A name inside `"..."`: a quote, CR and LF percent-encoded, as browsers do (HTML's
/// form-data encoding), so no name can end its parameter or its header line.
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The serializer of the whole request: a struct, each field a part.
struct PartsSerializer;

/// Collects the fields of the request struct.
struct PartList(Vec<Part>);

impl SerializeStruct for PartList {
    type Ok = Vec<Part>;
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let part = |data: Bytes, filename: Option<&str>, content_type: Option<&str>| Part {
            name: key.to_owned(),
            filename: filename.map(str::to_owned),
            content_type: content_type.map(str::to_owned),
            data,
        };
        match value.serialize(Value) {
            Ok(None) => {}
            Ok(Some(Scalar::Text(text))) => self.0.push(part(text.into(), None, None)),
            Ok(Some(Scalar::File(bytes))) => self.0.push(part(bytes, Some(key), None)),
            Err(ValueError::Compound) => {
                let json = serde_json::to_vec(value).map_err(|e| EncodeError::Field {
                    name: key.to_owned(),
                    message: e.to_string(),
                })?;
                self.0.push(part(json.into(), None, Some(JSON_PART)));
            }
            Err(ValueError::Custom(message)) => {
                return Err(EncodeError::Field {
                    name: key.to_owned(),
                    message,
                })
            }
        }
        Ok(())
    }

    fn end(self) -> Result<Vec<Part>, EncodeError> {
        Ok(self.0)
    }
}

/// Serializer methods that refuse what they are given with `$error`, then the two generic
/// ones every serializer here treats alike: a newtype struct is its content, and a newtype
/// variant is refused too.
macro_rules! refuse {
    ($error:expr; $($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Self::Error> { Err($error) })*

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Self::Ok, Self::Error> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Self::Error> {
            Err($error)
        }
    };
}

/// A serializer's compound types that are refused.
macro_rules! impossible {
    ($($name:ident),*) => {
        $(type $name = Impossible<Self::Ok, Self::Error>;)*
    };
}

impl Serializer for PartsSerializer {
    type Ok = Vec<Part>;
    type Error = EncodeError;
    type SerializeStruct = PartList;
    impossible!(
        SerializeSeq,
        SerializeTuple,
        SerializeTupleStruct,
        SerializeTupleVariant,
        SerializeMap,
        SerializeStructVariant
    );

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<PartList, EncodeError> {
        Ok(PartList(Vec::with_capacity(len)))
    }

    refuse! { EncodeError::NotAStruct;
        serialize_bool(bool) -> Vec<Part>;
        serialize_i8(i8) -> Vec<Part>;
        serialize_i16(i16) -> Vec<Part>;
        serialize_i32(i32) -> Vec<Part>;
        serialize_i64(i64) -> Vec<Part>;
        serialize_u8(u8) -> Vec<Part>;
        serialize_u16(u16) -> Vec<Part>;
        serialize_u32(u32) -> Vec<Part>;
        serialize_u64(u64) -> Vec<Part>;
        serialize_f32(f32) -> Vec<Part>;
        serialize_f64(f64) -> Vec<Part>;
        serialize_char(char) -> Vec<Part>;
        serialize_str(&str) -> Vec<Part>;
        serialize_bytes(&[u8]) -> Vec<Part>;
        serialize_none() -> Vec<Part>;
        serialize_unit() -> Vec<Part>;
        serialize_unit_struct(&'static str) -> Vec<Part>;
        serialize_unit_variant(&'static str, u32, &'static str) -> Vec<Part>;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Vec<Part>, EncodeError> {
        Err(EncodeError::NotAStruct)
    }
}

/// A field's value when it is a part of its own kind: text, or a file.
enum Scalar {
    Text(String),
    File(Bytes),
}

/// Why a field's value is not a [`Scalar`]: it is a list or structure (sent as JSON), or
/// its own `Serialize` failed.
#[derive(Debug)]
enum ValueError {
    Compound,
    Custom(String),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compound => f.write_str("a list or structure"),
            Self::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ValueError {}

impl ser::Error for ValueError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::Custom(msg.to_string())
    }
}

/// The serializer of one field's value; `Ok(None)` for a value that sends no part.
struct Value;

macro_rules! text {
    ($($method:ident($ty:ty);)*) => {
        $(fn $method(self, v: $ty) -> Result<Option<Scalar>, ValueError> {
            Ok(Some(Scalar::Text(v.to_string())))
        })*
    };
}

impl Serializer for Value {
    type Ok = Option<Scalar>;
    type Error = ValueError;
    impossible!(
        SerializeSeq,
        SerializeTuple,
        SerializeTupleStruct,
        SerializeTupleVariant,
        SerializeMap,
        SerializeStruct,
        SerializeStructVariant
    );

    text! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_char(char);
        serialize_str(&str);
    }

    // A float as serde_json writes it (`1.5`, `1e100`), so it reads back as the same number.
    fn serialize_f32(self, v: f32) -> Result<Option<Scalar>, ValueError> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<Option<Scalar>, ValueError> {
        let text = serde_json::to_string(&v).map_err(|e| ValueError::Custom(e.to_string()))?;
        Ok(Some(Scalar::Text(text)))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Option<Scalar>, ValueError> {
        Ok(Some(Scalar::File(Bytes::copy_from_slice(v))))
    }

    fn serialize_none(self) -> Result<Option<Scalar>, ValueError> {
        Ok(None)
    }

    fn serialize_some<T: Serialize + ?Sized>(
        self,
        value: &T,
    ) -> Result<Option<Scalar>, ValueError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Option<Scalar>, ValueError> {
        Ok(None)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<Scalar>, ValueError> {
        Ok(None)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<Scalar>, ValueError> {
        Ok(Some(Scalar::Text(variant.to_owned())))
    }

    refuse! { ValueError::Compound;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

/// Why a body is not well-formed `multipart/form-data`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// The Content-Type is not `multipart/form-data` with a `boundary` parameter.
    ContentType(String),
    /// The body does not start with the first boundary.
    NoOpeningBoundary,
    /// A part's headers do not end with a blank line.
    UnterminatedHeaders {
        /// The part's index.
        part: usize,
    },
    /// A part has no closing boundary after its content.
    UnterminatedPart {
        /// The part's index.
        part: usize,
    },
    /// A part has no `Content-Disposition: form-data; name="..."`.
    NoName {
        /// The part's index.
        part: usize,
    },
    /// A header line is not `Name: value` in UTF-8.
    BadHeader {
        /// The part's index.
        part: usize,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ContentType(found) => write!(
                f,
                "expected Content-Type multipart/form-data; boundary=..., found {found:?}"
            ),
            Self::NoOpeningBoundary => f.write_str("the body does not start with its boundary"),
            Self::UnterminatedHeaders { part } => {
                write!(f, "part {part}: its headers do not end with a blank line")
            }
            Self::UnterminatedPart { part } => {
                write!(f, "part {part}: no boundary follows its content")
            }
            Self::NoName { part } => write!(
                f,
                "part {part}: no Content-Disposition: form-data; name=\"...\""
            ),
            Self::BadHeader { part } => write!(f, "part {part}: a header is not `Name: value`"),
        }
    }
}

impl std::error::Error for ParseError {}

/// The boundary of a multipart Content-Type.
pub fn boundary_of(content_type: &str) -> Result<&str, ParseError> {
    let wrong = || ParseError::ContentType(content_type.to_owned());
    let mut params = content_type.split(';');
    let media = params.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case(MULTIPART_FORM_DATA) {
        return Err(wrong());
    }
    params
        .filter_map(|p| p.trim().split_once('='))
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or_else(wrong)
}

/// The parts of a multipart `body` sent with `content_type`. An empty body has none (what
/// a request with no fields sends).
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, ParseError> {
    let boundary = boundary_of(content_type)?;
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let opening = [b"--", boundary.as_bytes()].concat();
    let delimiter = [b"\r\n--", boundary.as_bytes()].concat();
    let mut rest = body
        .strip_prefix(opening.as_slice())
        .ok_or(ParseError::NoOpeningBoundary)?;
    let mut parts = Vec::new();
    loop {
        // After a boundary: `--` ends the body, CRLF starts a part.
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        let index = parts.len();
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or(ParseError::UnterminatedPart { part: index })?;
        let head_end =
            find(rest, b"\r\n\r\n").ok_or(ParseError::UnterminatedHeaders { part: index })?;
        let head = std::str::from_utf8(&rest[..head_end])
            .map_err(|_| ParseError::BadHeader { part: index })?;
        rest = &rest[head_end + 4..];
        let data_end =
            find(rest, &delimiter).ok_or(ParseError::UnterminatedPart { part: index })?;
        let data = Bytes::copy_from_slice(&rest[..data_end]);
        rest = &rest[data_end + delimiter.len()..];
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            let (header, value) = line
                .split_once(':')
                .ok_or(ParseError::BadHeader { part: index })?;
            let value = value.trim();
            if header.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.to_owned());
            } else if header.eq_ignore_ascii_case("content-disposition") {
                (name, filename) = disposition(value).ok_or(ParseError::NoName { part: index })?;
            }
        }
        let name = name.ok_or(ParseError::NoName { part: index })?;
        parts.push(Part {
            name,
            filename,
            content_type,
            data,
        });
    }
}

/// The `name` and `filename` of a part's `Content-Disposition` value, or `None` when it is
/// not `form-data`. A quoted value runs to the next quote, whatever it holds (`;`, `=`, a
/// backslash), as the encoder writes it; parameters without a value are skipped.
fn disposition(value: &str) -> Option<(Option<String>, Option<String>)> {
    let (kind, mut rest) = value.split_once(';').unwrap_or((value, ""));
    if kind.trim() != "form-data" {
        return None;
    }
    let (mut name, mut filename) = (None, None);
    while !rest.is_empty() {
        let end = rest.find([';', '=']).unwrap_or(rest.len());
        let key = rest[..end].trim();
        let Some(after) = rest[end..].strip_prefix('=') else {
            rest = rest.get(end + 1..).unwrap_or_default();
            continue;
        };
        let after = after.trim_start();
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((value, tail)) => (value, tail.split_once(';').map_or("", |(_, t)| t)),
                None => (quoted, ""),
            },
            None => match after.split_once(';') {
                Some((value, tail)) => (value.trim_end(), tail),
                None => (after.trim_end(), ""),
            },
        };
        match key {
            "name" => name = Some(value.to_owned()),
            "filename" => filename = Some(value.to_owned()),
            _ => {}
        }
        rest = next;
    }
    Some((name, filename))
}

/// Where `needle` (not empty) first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Binary;

    #[derive(serde::Serialize)]
    struct Upload {
        #[serde(rename = "File")]
        file: Binary,
        #[serde(rename = "FileURL", skip_serializing_if = "Option::is_none")]
        file_url: Option<String>,
        #[serde(rename = "Limit")]
        limit: i64,
        #[serde(rename = "Ratio")]
        ratio: f64,
        #[serde(rename = "Deep")]
        deep: bool,
        #[serde(rename = "Tags")]
        tags: Vec<String>,
        #[serde(rename = "Filter")]
        filter: Option<Filter>,
        #[serde(rename = "Nothing")]
        nothing: Option<u64>,
    }

    #[derive(serde::Serialize)]
    struct Filter {
        #[serde(rename = "Name")]
        name: String,
    }

    fn upload() -> Upload {
        Upload {
            file: Binary::from(&b"\x89PNG\r\n\x1a\n\0\xff"[..]),
            file_url: Some("https://example.com/scan.png".into()),
            limit: -5,
            ratio: 0.5,
            deep: true,
            tags: vec!["a".into(), "b\"c".into()],
            filter: Some(Filter { name: "x".into() }),
            nothing: None,
        }
    }

    #[test]
    fn each_field_is_a_part_as_the_official_sdks_send_it() {
        let parts = parts(&upload()).unwrap();
        let body = write(&parts, "B0undary");
        let expected: &[u8] = b"--B0undary\r\n\
Content-Disposition: form-data; name=\"File\"; filename=\"File\"\r\n\r\n\
\x89PNG\r\n\x1a\n\0\xff\r\n\
--B0undary\r\n\
Content-Disposition: form-data; name=\"FileURL\"\r\n\r\n\
https://example.com/scan.png\r\n\
--B0undary\r\n\
Content-Disposition: form-data; name=\"Limit\"\r\n\r\n\
-5\r\n\
--B0undary\r\n\
Content-Disposition: form-data; name=\"Ratio\"\r\n\r\n\
0.5\r\n\
--B0undary\r\n\
Content-Disposition: form-data; name=\"Deep\"\r\n\r\n\
true\r\n\
--B0undary\r\n\
Content-Disposition: form-data; name=\"Tags\"\r\n\
Content-Type: application/json\r\n\r\n\
[\"a\",\"b\\\"c\"]\r\n\
--B0undary\r\n\
Content-Disposition: form-data; name=\"Filter\"\r\n\
Content-Type: application/json\r\n\r\n\
{\"Name\":\"x\"}\r\n\
--B0undary--\r\n";
        assert_eq!(
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(expected)
        );
        assert_eq!(body, expected);
    }

    #[test]
    fn what_is_written_parses_back_part_by_part() {
        let parts = parts(&upload()).unwrap();
        let boundary = boundary_for(&parts, || "abc123".to_owned());
        let body = write(&parts, &boundary);
        let back = parse(&content_type(&boundary), &body).unwrap();
        assert_eq!(back, parts);
        assert_eq!(back[0].filename.as_deref(), Some("File"));
        assert_eq!(back[5].content_type.as_deref(), Some("application/json"));
        assert_eq!(back.len(), 7, "the None field sends no part");
    }

    #[test]
    fn the_boundary_never_occurs_inside_a_part() {
        let parts = parts(&Upload {
            file: Binary::from("content that mentions --first and first"),
            ..upload()
        })
        .unwrap();
        let mut candidates = ["first", "example", "second"]
            .into_iter()
            .map(str::to_owned);
        // `first` is in the file, `example` in FileURL's content; `second` is free.
        assert_eq!(
            boundary_for(&parts, || candidates.next().unwrap()),
            "second"
        );
        let body = write(&parts, "second");
        assert_eq!(parse(&content_type("second"), &body).unwrap(), parts);
    }

    #[test]
    fn a_fresh_boundary_is_32_hex_digits_and_the_content_type_names_it() {
        let encoded = encode(&upload()).unwrap();
        let content_type = encoded.content_type.to_str().unwrap();
        let boundary = boundary_of(content_type).unwrap();
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        assert_eq!(boundary.len(), 32);
        assert!(boundary.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(parse(content_type, &encoded.bytes).unwrap().len(), 7);
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes() {
        let part = Part {
            name: "a\"b\r\nc".into(),
            filename: Some("f\"".into()),
            content_type: None,
            data: Bytes::from_static(b"x"),
        };
        let body = write(&[part], "B");
        assert!(body.starts_with(
            b"--B\r\nContent-Disposition: form-data; name=\"a%22b%0D%0Ac\"; filename=\"f%22\"\r\n\r\nx\r\n"
        ));
    }

    #[test]
    fn no_fields_is_an_empty_body_and_only_structs_are_requests() {
        #[derive(serde::Serialize)]
        struct Empty {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<String>,
        }
        let parts = parts(&Empty { a: None }).unwrap();
        assert!(parts.is_empty());
        assert!(write(&parts, "B").is_empty());
        assert_eq!(
            parse("multipart/form-data; boundary=B", b"").unwrap(),
            vec![]
        );
        assert_eq!(super::parts(&5).unwrap_err(), EncodeError::NotAStruct);
        assert_eq!(super::parts(&vec![1]).unwrap_err(), EncodeError::NotAStruct);
    }

    #[test]
    fn malformed_bodies_are_named() {
        let ct = "multipart/form-data; boundary=B";
        for (content_type, body, error) in [
            (
                "application/json",
                &b"{}"[..],
                ParseError::ContentType("application/json".into()),
            ),
            (
                "multipart/form-data",
                b"--B--\r\n",
                ParseError::ContentType("multipart/form-data".into()),
            ),
            (ct, b"garbage", ParseError::NoOpeningBoundary),
            (
                ct,
                b"--B\r\nContent-Disposition: form-data; name=\"a\"",
                ParseError::UnterminatedHeaders { part: 0 },
            ),
            (
                ct,
                b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",
                ParseError::UnterminatedPart { part: 0 },
            ),
            (
                ct,
                b"--B\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--B--\r\n",
                ParseError::NoName { part: 0 },
            ),
            (
                ct,
                b"--B\r\nnonsense\r\n\r\nvalue\r\n--B--\r\n",
                ParseError::BadHeader { part: 0 },
            ),
        ] {
            assert_eq!(parse(content_type, body).unwrap_err(), error);
        }
        assert_eq!(
            boundary_of("Multipart/Form-Data; charset=utf-8; boundary=\"q\"").unwrap(),
            "q"
        );
    }

    #[test]
    fn quoted_names_keep_their_semicolons_and_empty_boundaries_are_skipped() {
        // Found by fuzz/fuzz_targets/multipart.rs: a `;` inside a quoted name ended it, and
        // an empty candidate boundary panicked (`windows(0)`).
        let part = Part {
            name: "a; filename=b".into(),
            filename: Some("c=d;e\\".into()),
            content_type: None,
            data: Bytes::from_static(b"x"),
        };
        let mut candidates = ["", "B"].into_iter().map(str::to_owned);
        let boundary = boundary_for(std::slice::from_ref(&part), || candidates.next().unwrap());
        assert_eq!(boundary, "B");
        let body = write(std::slice::from_ref(&part), &boundary);
        assert_eq!(parse(&content_type(&boundary), &body).unwrap(), [part]);
        let odd = b"--B\r\nContent-Disposition: form-data; flag; name = plain ; filename=\"f\"\r\n\r\nv\r\n--B--";
        let parsed = parse("multipart/form-data; boundary=B", odd).unwrap();
        assert_eq!(parsed[0].name, "plain");
        assert_eq!(parsed[0].filename.as_deref(), Some("f"));
    }

    #[test]
    fn a_part_shows_a_file_by_its_size() {
        let parts = parts(&upload()).unwrap();
        assert_eq!(
            format!("{:?}", parts[0]),
            "Part { name: \"File\", filename: \"File\", data: 10 bytes }"
        );
        assert_eq!(
            format!("{:?}", Binary::from(vec![0; 5_000_000])),
            "Binary(5000000 bytes)"
        );
    }
}
