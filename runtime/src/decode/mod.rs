//! Reading a success response into its generated type: the decoding policy.
//!
//! Requests are written strictly: their types say exactly what is sent. Responses are read
//! leniently, because Tencent Cloud's responses drift from their specs (a field marked always
//! present is missing or `null`, a number comes as text, a bool as `"TRUE"`), and a success
//! response must never be lost to that drift after the action has taken effect. No value is
//! changed silently:
//!
//! | the response holds | where the type wants | it is read as |
//! | --- | --- | --- |
//! | text of a number: `"4"`, `"-2"`, `"1.5"`, `"4.0"` | an integer or a float | that number; text that is no number of the field's type (`"xx"`, `""`, `"4.5"` for an integer, `"-1"` for an unsigned one) is an error naming the field |
//! | a number with no fraction, `4.0` | an integer | `4`; `4.5` is an error |
//! | a number or a bool | text | its JSON text: `4` → `"4"`, `1.5` → `"1.5"`, `true` → `"true"` |
//! | `true`, `"true"`, `"TRUE"`, `"True"`, `1`, `"1"` (and the `false` forms, `0`, `"0"`) | a bool | that bool; anything else is an error |
//! | nothing, or `null`, for a field the spec marks always present | any | the type's empty value (`0`, `""`, `false`, `[]`, an object of empty values), recorded as a [`Correction`]: the client logs each one as a `tracing` warning naming the action and the field |
//! | nothing, or `null`, for an optional field | `Option<T>` | `None` |
//! | a list or an object | text | its compact JSON text, keys in the order sent |
//! | one object | a list | a list of that one object |
//! | fields the spec does not know | | ignored |
//! | a key sent twice | | its last value |
//!
//! Every error names the JSON path of the value it could not read
//! (`Response.InstanceSet[2].CPU`). [`response`] is the function every call uses; it is
//! public so that responses read by other means decode the same way.
//!
//! How: the body is read once into a tree (`json`), and each type's [`Decode`] reads its
//! value from it through one concrete reader ([`At`], [`Object`]), so the policy is
//! compiled once, here, and a generated type costs one small function: no serde
//! `Deserialize` is instantiated per type.

pub(crate) mod json;
mod read;
mod tree;

use std::cell::RefCell;
use std::fmt;

use json::Json;
pub use read::{At, Object};

/// A type a response is read as, under the policy above: every generated response type, and
/// the standard types its fields have. A struct reads its object's fields by wire name, each
/// with its own type's `decode`; [`impl_decode!`](crate::impl_decode) writes that for a
/// struct with a `Default`, as generated code does:
///
/// ```
/// use tencentcloud_runtime::decode::response;
///
/// #[derive(Default)]
/// struct Zone {
///     name: String,
///     cpus: Option<u64>,
/// }
///
/// tencentcloud_runtime::impl_decode!(Zone { name: "ZoneName", cpus: "Cpus" });
///
/// let zone = response::<Zone>(br#"{"Response": {"ZoneName": "ap-guangzhou-3", "Cpus": "8"}}"#)
///     .unwrap()
///     .output;
/// assert_eq!((zone.name.as_str(), zone.cpus), ("ap-guangzhou-3", Some(8)));
/// ```
pub trait Decode: Sized {
    /// Reads the value at `at`.
    fn decode(at: At<'_>) -> Result<Self, DecodeError>;
}

/// Implements [`Decode`](crate::decode::Decode) for a struct from its fields and their wire
/// names: `impl_decode!(Type { field: "WireName", ... })`. The struct starts as its
/// `Default` and each field is read in place, with its own type's `decode`, found by its wire
/// name in the response's object: one call into the runtime whatever the number of fields,
/// so a generated type compiles to a few lines (docs/benchmarks.md, "Reading a struct from
/// its `Default`").
///
/// Every field is named, or it does not compile:
///
/// ```compile_fail,E0027
/// #[derive(Default)]
/// struct Zone {
///     name: String,
///     cpus: Option<u64>,
/// }
/// tencentcloud_runtime::impl_decode!(Zone { name: "ZoneName" });
/// ```
///
/// With `serialize` after the fields (and any attributes before it, such as
/// `#[cfg(feature = "serde")]`), it also implements `serde::Serialize` in the same wire
/// form: each field under its wire name, an absent `Option` left out. The crate that uses
/// it depends on `serde`, as generated code does.
#[macro_export]
macro_rules! impl_decode {
    ($type:ident { $($field:ident : $wire:literal),* $(,)? }) => {
        impl $crate::decode::Decode for $type {
            fn decode(
                at: $crate::decode::At<'_>,
            ) -> ::core::result::Result<Self, $crate::decode::DecodeError> {
                #[allow(unused_mut)]
                let mut value = <Self as ::core::default::Default>::default();
                // Every field named, or this does not compile: none is left at its default
                // unread.
                let $type { $($field: _),* } = &value;
                at.fields(&[$($wire),*], &mut [$(&mut value.$field),*])?;
                ::core::result::Result::Ok(value)
            }
        }
        impl $crate::decode::Present for $type {}
    };
    ($type:ident { $($field:ident : $wire:literal),* $(,)? } $(#[$attr:meta])* serialize) => {
        $crate::impl_decode!($type { $($field: $wire),* });
        $(#[$attr])*
        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $(
                    if $crate::decode::Present::present(&self.$field) {
                        map.serialize_entry($wire, &self.$field)?;
                    }
                )*
                map.end()
            }
        }
    };
}

/// Whether a field's value is written when a received type is serialised: all but an
/// absent `Option` (what [`impl_decode!`](crate::impl_decode) with `serialize` leaves out).
pub trait Present {
    /// `false` only for `None`.
    fn present(&self) -> bool {
        true
    }
}

impl<T> Present for Option<T> {
    fn present(&self) -> bool {
        self.is_some()
    }
}

impl Present for String {}
impl Present for i64 {}
impl Present for u64 {}
impl Present for f64 {}
impl Present for bool {}
impl<T> Present for Vec<T> {}
impl<T> Present for Box<T> {}

/// A value read in place, as [`impl_decode!`](crate::impl_decode) reads each field of a
/// struct (see [`At::fields`]): every [`Decode`] type is one, and only those (implement
/// [`Decode`], not this). The reading of a struct is one call with its fields as `&mut dyn
/// Field`, so the policy's loop over them compiles once, here, and each field type's reading
/// once per crate, whatever the number of structs.
pub trait Field: sealed::Sealed {
    /// Reads the value at `at` into `self`, replacing what was there.
    fn read(&mut self, at: At<'_>) -> Result<(), DecodeError>;
}

mod sealed {
    /// What keeps [`super::Field`] to the [`super::Decode`] types.
    pub trait Sealed {}
    impl<T: super::Decode> Sealed for T {}
}

impl<T: Decode> Field for T {
    fn read(&mut self, at: At<'_>) -> Result<(), DecodeError> {
        *self = T::decode(at)?;
        Ok(())
    }
}

/// A list being read, item by item (see [`At::list`]): what [`Vec`]'s `Decode` hands the
/// runtime, so the walk over the items compiles once, here.
pub(crate) trait List {
    /// Room for `count` more items.
    fn reserve(&mut self, count: usize);
    /// Reads the item at `at` and appends it.
    fn push(&mut self, at: At<'_>) -> Result<(), DecodeError>;
}

impl<T: Decode> List for Vec<T> {
    fn reserve(&mut self, count: usize) {
        Vec::reserve_exact(self, count);
    }

    fn push(&mut self, at: At<'_>) -> Result<(), DecodeError> {
        Vec::push(self, T::decode(at)?);
        Ok(())
    }
}

/// Each scalar type, read by the reader's method for its kind.
macro_rules! scalars {
    ($($type:ty => $read:ident,)*) => {
        $(
            impl Decode for $type {
                fn decode(at: At<'_>) -> Result<Self, DecodeError> {
                    at.$read()
                }
            }
        )*
    };
}

scalars! {
    bool => bool,
    i64 => signed,
    u64 => unsigned,
    f64 => float,
    String => text,
}

/// Any JSON, as sent: what [`crate::Client::call_by_name`] answers with.
impl Decode for serde_json::Value {
    fn decode(at: At<'_>) -> Result<Self, DecodeError> {
        Ok(at.json())
    }
}

/// `None` for a value the response lacks or sends as `null`, without a correction.
impl<T: Decode> Decode for Option<T> {
    fn decode(at: At<'_>) -> Result<Self, DecodeError> {
        if at.is_absent() {
            return Ok(None);
        }
        T::decode(at).map(Some)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(at: At<'_>) -> Result<Self, DecodeError> {
        T::decode(at).map(Box::new)
    }
}

/// Each item at its index; one object where a list is wanted is a list of that one.
impl<T: Decode> Decode for Vec<T> {
    fn decode(at: At<'_>) -> Result<Self, DecodeError> {
        let mut list = Vec::new();
        at.list(&mut list)?;
        Ok(list)
    }
}

/// A success response's output, with what the policy had to fill in.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded<T> {
    /// The `Response` object, read as `T`.
    pub output: T,
    /// The fields that were missing or `null` though their type has no `None`, in the order
    /// met; empty for a response true to its spec.
    pub corrections: Vec<Correction>,
}

/// A field read as its type's empty value because the response lacked it or sent `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Correction {
    /// The field's JSON path, such as `Response.InstanceSet[0].Placement`.
    pub path: String,
    /// What the response held there.
    pub found: Found,
}

/// What a response held where a value was required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Found {
    /// The field was not there.
    Missing,
    /// The field was `null`.
    Null,
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = match self.found {
            Found::Missing => "missing",
            Found::Null => "null",
        };
        write!(f, "{}: {found}, read as its empty value", self.path)
    }
}

/// Why a response could not be read into its type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The JSON path of the value that could not be read, when the failure was at a value
    /// (not in the JSON syntax itself).
    pub path: Option<String>,
    /// What was wrong: what the type expected and what the response held there, or, for
    /// JSON that does not parse, serde_json's message with its line and column.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{path}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// The error of a body that is not JSON: serde_json's message, with its line and column.
    pub(crate) fn unparsed(error: &serde_json::Error) -> Self {
        Self {
            path: None,
            message: error.to_string(),
        }
    }
}

/// Reads the `Response` object of a success envelope (`{"Response": {...}}`) as `T`, under
/// the policy above.
pub fn response<T: Decode>(body: &[u8]) -> Result<Decoded<T>, DecodeError> {
    let mut output = None;
    let corrections = response_with(body, &mut into(&mut output))?;
    Ok(Decoded {
        output: taken(output)?,
        corrections,
    })
}

/// A reading of one value whose result the reader keeps itself (see [`into`]): what the
/// call path hands its one concrete reading of a response, so that the policy, the
/// envelope and the errors compile once, here, and an action costs only its own `decode`.
pub(crate) type Reader<'a> = &'a mut dyn FnMut(At<'_>) -> Result<(), DecodeError>;

/// The reader that decodes a `T` into `slot`.
pub(crate) fn into<T: Decode>(
    slot: &mut Option<T>,
) -> impl FnMut(At<'_>) -> Result<(), DecodeError> + '_ {
    |at| {
        *slot = Some(T::decode(at)?);
        Ok(())
    }
}

/// The value a reader made. [`response_with`] calls its reader once whenever it succeeds,
/// so this is the value; were it not, the error says so rather than panicking.
pub(crate) fn taken<T>(slot: Option<T>) -> Result<T, DecodeError> {
    slot.ok_or_else(not_read)
}

#[cold]
fn not_read() -> DecodeError {
    DecodeError {
        path: None,
        message: "the response was not read (a runtime bug: please report it)".to_owned(),
    }
}

/// [`response`] without its type: the `Response` object handed to `read`, and the
/// corrections the reading made.
pub(crate) fn response_with(body: &[u8], read: Reader<'_>) -> Result<Vec<Correction>, DecodeError> {
    let json = Json::parse(body).map_err(|e| DecodeError::unparsed(&e))?;
    output_with(&json, read)
}

/// [`response_with`] from the body's tree, already read.
pub(crate) fn output_with(
    json: &Json<'_>,
    read: Reader<'_>,
) -> Result<Vec<Correction>, DecodeError> {
    let cx = Context::default();
    let envelope = At::root(json, &cx).object(&["Response"])?;
    envelope.field_with(0, read)?;
    Ok(cx.corrections.into_inner())
}

/// What one decoding collects beside the value.
#[derive(Default)]
pub(crate) struct Context {
    corrections: RefCell<Vec<Correction>>,
}

impl Context {
    pub(crate) fn correct(&self, path: &Path<'_>, found: Found) {
        self.corrections.borrow_mut().push(Correction {
            path: path.to_string(),
            found,
        });
    }
}

/// Where a value sits, kept on the stack as the reader descends; written out only for a
/// correction or an error.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// How deep an absent object of objects is filled in before the reader gives up: only a type
/// that contains itself without an `Option` or a list gets that far.
pub(crate) const MAX_FILL_DEPTH: usize = 64;

#[cfg(test)]
mod tests;
