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
//! | fields the spec does not know | | ignored |
//!
//! Every error names the JSON path of the value it could not read
//! (`Response.InstanceSet[2].CPU`). [`response`] is the function every call uses; it is
//! public so that responses read by other means decode the same way.

mod fill;
mod json_text;
mod read;

use std::cell::RefCell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use read::Lenient;

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
    /// What was wrong, as the JSON reader says it (with line and column).
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

/// Reads the `Response` object of a success envelope (`{"Response": {...}}`) as `T`, under
/// the policy above.
pub fn response<T: DeserializeOwned>(body: &[u8]) -> Result<Decoded<T>, DecodeError> {
    #[derive(Deserialize)]
    struct Envelope<T> {
        #[serde(rename = "Response")]
        response: T,
    }
    let cx = Context::default();
    let mut json = serde_json::Deserializer::from_slice(body);
    let read = Envelope::<T>::deserialize(Lenient {
        de: &mut json,
        cx: &cx,
        path: Path::Root,
    })
    .and_then(|envelope| json.end().map(|()| envelope.response));
    match read {
        Ok(output) => Ok(Decoded {
            output,
            corrections: cx.corrections.into_inner(),
        }),
        Err(e) => Err(DecodeError {
            path: cx.failed_at.into_inner(),
            message: e.to_string(),
        }),
    }
}

/// What one decoding collects beside the value.
#[derive(Default)]
pub(crate) struct Context {
    corrections: RefCell<Vec<Correction>>,
    /// The path of the innermost value that failed: set by the first wrapper an error
    /// passes through, which is the deepest.
    failed_at: RefCell<Option<String>>,
}

impl Context {
    pub(crate) fn correct(&self, path: &Path<'_>, found: Found) {
        self.corrections.borrow_mut().push(Correction {
            path: path.to_string(),
            found,
        });
    }

    #[inline(always)]
    pub(crate) fn note<T, E>(&self, path: &Path<'_>, result: Result<T, E>) -> Result<T, E> {
        if result.is_err() {
            self.failed(path);
        }
        result
    }

    /// Keeps the path of the innermost failure: out of line, as failures are rare.
    #[cold]
    #[inline(never)]
    fn failed(&self, path: &Path<'_>) {
        let mut failed_at = self.failed_at.borrow_mut();
        if failed_at.is_none() {
            *failed_at = Some(path.to_string());
        }
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

/// The name a path shows for a key the type does not know (its value is skipped).
pub(crate) const UNKNOWN_FIELD: &str = "<unknown field>";

/// How deep an absent object of objects is filled in before the reader gives up: only a type
/// that contains itself without an `Option` or a list gets that far.
pub(crate) const MAX_FILL_DEPTH: usize = 64;

/// The kind of value a type asked for.
#[derive(Clone, Copy)]
pub(crate) enum Want {
    Bool,
    Signed,
    Unsigned,
    Float,
    Text,
    List,
    Object(&'static [&'static str]),
}

impl Want {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Want::Bool => "a bool",
            Want::Signed => "an integer",
            Want::Unsigned => "an unsigned integer",
            Want::Float => "a number",
            Want::Text => "text",
            Want::List => "a list",
            Want::Object(_) => "an object",
        }
    }
}

/// Each method of `Deserializer` that asks for a scalar or a list, with the kind it asks
/// for: written once for the deserializers that dispatch on the kind. `$handler` is a
/// method `(self, Want, V) -> Result<V::Value, Self::Error>`.
macro_rules! by_kind {
    ($handler:ident) => {
        by_kind! { @ $handler
            deserialize_bool => Want::Bool,
            deserialize_i8 => Want::Signed,
            deserialize_i16 => Want::Signed,
            deserialize_i32 => Want::Signed,
            deserialize_i64 => Want::Signed,
            deserialize_i128 => Want::Signed,
            deserialize_u8 => Want::Unsigned,
            deserialize_u16 => Want::Unsigned,
            deserialize_u32 => Want::Unsigned,
            deserialize_u64 => Want::Unsigned,
            deserialize_u128 => Want::Unsigned,
            deserialize_f32 => Want::Float,
            deserialize_f64 => Want::Float,
            deserialize_char => Want::Text,
            deserialize_str => Want::Text,
            deserialize_string => Want::Text,
            deserialize_seq => Want::List,
        }
    };
    (@ $handler:ident $($method:ident => $want:expr,)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.$handler($want, visitor)
            }
        )*
    };
}
pub(crate) use by_kind;

#[cfg(test)]
mod tests;
