//! Reading a success answer into its generated type: the decoding policy.
//!
//! Requests are written strictly: their types say exactly what is sent. Answers are read
//! leniently, because Tencent Cloud's answers drift from their specs (a field marked always
//! present is missing or `null`, a number comes as text, a bool as `"TRUE"`), and a success
//! answer must never be lost to that drift after the action has taken effect. No value is
//! changed silently:
//!
//! | the answer holds | where the type wants | it is read as |
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
//! public so that answers read by other means decode the same way.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;

/// A success answer's output, with what the policy had to fill in.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded<T> {
    /// The `Response` object, read as `T`.
    pub output: T,
    /// The fields that were missing or `null` though their type has no `None`, in the order
    /// met; empty for an answer true to its spec.
    pub corrections: Vec<Correction>,
}

/// A field read as its type's empty value because the answer lacked it or sent `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Correction {
    /// The field's JSON path, such as `Response.InstanceSet[0].Placement`.
    pub path: String,
    /// What the answer held there.
    pub found: Found,
}

/// What an answer held where a value was required.
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

/// Why an answer could not be read into its type.
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
struct Context {
    corrections: RefCell<Vec<Correction>>,
    /// The path of the innermost value that failed: set by the first wrapper an error
    /// passes through, which is the deepest.
    failed_at: RefCell<Option<String>>,
}

impl Context {
    fn correct(&self, path: &Path<'_>, found: Found) {
        self.corrections.borrow_mut().push(Correction {
            path: path.to_string(),
            found,
        });
    }

    fn note<T, E>(&self, path: &Path<'_>, result: Result<T, E>) -> Result<T, E> {
        if result.is_err() {
            let mut failed_at = self.failed_at.borrow_mut();
            if failed_at.is_none() {
                *failed_at = Some(path.to_string());
            }
        }
        result
    }
}

/// Where a value sits, kept on the stack as the reader descends; written out only for a
/// correction or an error.
#[derive(Clone, Copy)]
enum Path<'a> {
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
const UNKNOWN_FIELD: &str = "<unknown field>";

/// How deep an absent object of objects is filled in before the reader gives up: only a type
/// that contains itself without an `Option` or a list gets that far.
const MAX_FILL_DEPTH: usize = 64;

/// A deserializer that applies the policy to every value below it.
struct Lenient<'a, D> {
    de: D,
    cx: &'a Context,
    path: Path<'a>,
}

/// The kind of value a type asked for.
#[derive(Clone, Copy)]
enum Want {
    Bool,
    Signed,
    Unsigned,
    Float,
    Text,
    List,
    Object(&'static [&'static str]),
}

impl Want {
    fn describe(self) -> &'static str {
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

impl<'de, D: Deserializer<'de>> Lenient<'_, D> {
    /// Reads whatever the answer holds and hands the type's visitor the `want`ed kind.
    fn read<V: Visitor<'de>>(self, want: Want, visitor: V) -> Result<V::Value, D::Error> {
        let Lenient { de, cx, path } = self;
        let result = de.deserialize_any(Wanted {
            visitor,
            want,
            cx,
            path: &path,
        });
        cx.note(&path, result)
    }
}

macro_rules! lenient_kind {
    ($($method:ident => $want:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.read($want, visitor)
            }
        )*
    };
}

macro_rules! pass_through {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.de.$method(visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<'_, D> {
    type Error = D::Error;

    lenient_kind! {
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

    pass_through! {
        deserialize_any,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let Lenient { de, cx, path } = self;
        let result = de.deserialize_option(Optional {
            visitor,
            cx,
            path: &path,
        });
        cx.note(&path, result)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.read(Want::Object(fields), visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de.deserialize_enum(name, variants, visitor)
    }
}

/// The visitor behind [`Lenient`]: sees what the answer holds and hands the type's visitor
/// what it asked for, or says why it cannot.
struct Wanted<'a, V> {
    visitor: V,
    want: Want,
    cx: &'a Context,
    path: &'a Path<'a>,
}

impl<V> Wanted<'_, V> {
    fn refuse<E: de::Error>(&self, found: fmt::Arguments<'_>) -> E {
        E::custom(format_args!(
            "expected {}, found {found}",
            self.want.describe()
        ))
    }
}

impl<'de, V: Visitor<'de>> Wanted<'_, V> {
    /// Text where a number or a bool was wanted.
    fn from_text<E: de::Error>(self, text: &str) -> Result<V::Value, E> {
        match self.want {
            Want::Bool => match text {
                "1" => self.visitor.visit_bool(true),
                "0" => self.visitor.visit_bool(false),
                t if t.eq_ignore_ascii_case("true") => self.visitor.visit_bool(true),
                t if t.eq_ignore_ascii_case("false") => self.visitor.visit_bool(false),
                _ => Err(self.refuse(format_args!("the text {text:?}"))),
            },
            Want::Signed => match parse_integer::<i64>(text) {
                Some(n) => self.visitor.visit_i64(n),
                None => Err(self.refuse(format_args!("the text {text:?}"))),
            },
            Want::Unsigned => match parse_integer::<u64>(text) {
                Some(n) => self.visitor.visit_u64(n),
                None => Err(self.refuse(format_args!("the text {text:?}"))),
            },
            Want::Float => match text.parse::<f64>() {
                Ok(x) if x.is_finite() && is_decimal(text) => self.visitor.visit_f64(x),
                _ => Err(self.refuse(format_args!("the text {text:?}"))),
            },
            Want::Text | Want::List | Want::Object(_) => {
                Err(self.refuse(format_args!("the text {text:?}")))
            }
        }
    }

    /// A JSON number's text where text was wanted.
    fn number_as_text<E: de::Error>(self, text: String) -> Result<V::Value, E> {
        self.visitor.visit_string(text)
    }
}

/// An integer written as text: digits with an optional sign, or a decimal with nothing but
/// zeros after the point (`"4.0"`). Never a rounding.
fn parse_integer<N: std::str::FromStr>(text: &str) -> Option<N> {
    if let Ok(n) = text.parse::<N>() {
        return is_decimal(text).then_some(n);
    }
    let (whole, fraction) = text.split_once('.')?;
    if fraction.is_empty() || !fraction.bytes().all(|b| b == b'0') || !is_decimal(whole) {
        return None;
    }
    whole.parse().ok()
}

/// Plain decimal notation: an optional sign, digits, at most one point, an optional
/// exponent; no spaces, no `inf` or `NaN`, no leading `+` on an empty number.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wanted<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_str(if value { "true" } else { "false" }),
            _ => self.visitor.visit_bool(value),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<V::Value, E> {
        match self.want {
            Want::Bool if value == 0 || value == 1 => self.visitor.visit_bool(value == 1),
            Want::Bool => Err(self.refuse(format_args!("the number {value}"))),
            Want::Text => self.number_as_text(value.to_string()),
            _ => self.visitor.visit_i64(value),
        }
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<V::Value, E> {
        match self.want {
            Want::Bool if value <= 1 => self.visitor.visit_bool(value == 1),
            Want::Bool => Err(self.refuse(format_args!("the number {value}"))),
            Want::Text => self.number_as_text(value.to_string()),
            _ => self.visitor.visit_u64(value),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<V::Value, E> {
        let whole = value.fract() == 0.0;
        match self.want {
            // 2^63 and 2^64 are exact as f64 and one past each type's range.
            Want::Signed
                if whole
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&value) =>
            {
                self.visitor.visit_i64(value as i64)
            }
            Want::Unsigned if whole && (0.0..1.844_674_407_370_955_2e19).contains(&value) => {
                self.visitor.visit_u64(value as u64)
            }
            Want::Signed | Want::Unsigned | Want::Bool => {
                Err(self.refuse(format_args!("the number {value}")))
            }
            Want::Text => self.number_as_text(value.to_string()),
            _ => self.visitor.visit_f64(value),
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_str(value),
            _ => self.from_text(value),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_borrowed_str(value),
            _ => self.from_text(value),
        }
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_string(value),
            _ => self.from_text(&value),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.cx.correct(self.path, Found::Null);
        fill(self.want, self.visitor, 0)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        match self.want {
            Want::List => self.visitor.visit_seq(Items {
                seq,
                cx: self.cx,
                path: self.path,
                index: 0,
            }),
            Want::Text => {
                let mut text = String::new();
                JsonText(&mut text).visit_seq(seq)?;
                self.visitor.visit_string(text)
            }
            _ => Err(self.refuse(format_args!("a list"))),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        match self.want {
            Want::Object(fields) => self.visitor.visit_map(Fields {
                map: Some(map),
                cx: self.cx,
                path: self.path,
                fields,
                seen: Seen::new(fields.len()),
                current: None,
                next_absent: 0,
            }),
            // One object where a list of them is wanted: a list of that one.
            Want::List => self.visitor.visit_seq(One {
                map: Some(map),
                cx: self.cx,
                path: self.path,
            }),
            Want::Text => {
                let mut text = String::new();
                JsonText(&mut text).visit_map(map)?;
                self.visitor.visit_string(text)
            }
            _ => Err(self.refuse(format_args!("an object"))),
        }
    }
}

/// The type's empty value, handed to its visitor: what a required field that is absent or
/// `null` reads as. `depth` counts the objects filled in above.
fn fill<'de, V: Visitor<'de>, E: de::Error>(
    want: Want,
    visitor: V,
    depth: usize,
) -> Result<V::Value, E> {
    match want {
        Want::Bool => visitor.visit_bool(false),
        Want::Signed => visitor.visit_i64(0),
        Want::Unsigned => visitor.visit_u64(0),
        Want::Float => visitor.visit_f64(0.0),
        Want::Text => visitor.visit_str(""),
        Want::List => visitor.visit_seq(NoItems(PhantomData)),
        Want::Object(fields) if depth < MAX_FILL_DEPTH => visitor.visit_map(Absent {
            fields,
            next: 0,
            depth: depth + 1,
            error: PhantomData,
        }),
        Want::Object(_) => Err(E::custom(
            "absent, and its type contains itself too deeply to fill in",
        )),
    }
}

/// `Option<T>`: `null` is `None`; anything else is read leniently as `T`.
struct Optional<'a, V> {
    visitor: V,
    cx: &'a Context,
    path: &'a Path<'a>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Lenient {
            de,
            cx: self.cx,
            path: *self.path,
        })
    }
}

/// The elements of a list, each read leniently at its index.
struct Items<'a, A> {
    seq: A,
    cx: &'a Context,
    path: &'a Path<'a>,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Items<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        self.seq.next_element_seed(At {
            seed,
            cx: self.cx,
            path,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// A value's seed, read leniently at `path`.
struct At<'a, T> {
    seed: T,
    cx: &'a Context,
    path: Path<'a>,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for At<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<T::Value, D::Error> {
        self.seed.deserialize(Lenient {
            de,
            cx: self.cx,
            path: self.path,
        })
    }
}

/// A list of the one object the answer sent where a list was wanted.
struct One<'a, A> {
    map: Option<A>,
    cx: &'a Context,
    path: &'a Path<'a>,
}

impl<'de, A: MapAccess<'de>> SeqAccess<'de> for One<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let Some(map) = self.map.take() else {
            return Ok(None);
        };
        seed.deserialize(Lenient {
            de: MapAccessDeserializer::new(map),
            cx: self.cx,
            path: Path::Index(self.path, 0),
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.map.is_some()))
    }
}

/// Writes the JSON value it visits as compact JSON text, keys in the order sent: a list or
/// an object where text is wanted.
struct JsonText<'s>(&'s mut String);

impl JsonText<'_> {
    fn push_quoted(&mut self, text: &str) {
        // Writing a str as JSON cannot fail.
        self.0
            .push_str(&serde_json::to_string(text).unwrap_or_default());
    }
}

impl<'de> DeserializeSeed<'de> for JsonText<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonText<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.0.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<(), E> {
        self.0.push_str(&value.to_string());
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<(), E> {
        self.0.push_str(&value.to_string());
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<(), E> {
        self.0
            .push_str(&serde_json::to_string(&value).unwrap_or_default());
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, value: &str) -> Result<(), E> {
        self.push_quoted(value);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        loop {
            let at = self.0.len();
            if !first {
                self.0.push(',');
            }
            if seq.next_element_seed(JsonText(self.0))?.is_none() {
                self.0.truncate(at);
                break;
            }
            first = false;
        }
        self.0.push(']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.0.push('{');
        let mut first = true;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !first {
                self.0.push(',');
            }
            first = false;
            self.push_quoted(&key);
            self.0.push(':');
            map.next_value_seed(JsonText(self.0))?;
        }
        self.0.push('}');
        Ok(())
    }
}

/// Which of an object's fields the answer held.
enum Seen {
    Few(u128),
    Many(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Self {
        if fields <= 128 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; fields])
        }
    }

    fn set(&mut self, index: usize) {
        match self {
            Seen::Few(bits) => *bits |= 1 << index,
            Seen::Many(seen) => seen[index] = true,
        }
    }

    fn get(&self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => *bits & (1 << index) != 0,
            Seen::Many(seen) => seen[index],
        }
    }
}

/// An object's fields: those the answer holds, each read leniently, then the type's fields
/// the answer lacked, each read as absent.
struct Fields<'a, A> {
    /// The answer's object, until its last key.
    map: Option<A>,
    cx: &'a Context,
    path: &'a Path<'a>,
    fields: &'static [&'static str],
    seen: Seen,
    /// The field whose value comes next: its index in `fields` (`None` for an unknown key),
    /// and whether the answer lacked it.
    current: Option<(Option<usize>, bool)>,
    /// The next field to look at once the answer's keys are done.
    next_absent: usize,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Fields<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        if let Some(map) = &mut self.map {
            let mut index = None;
            let key = map.next_key_seed(Key {
                seed: &mut seed,
                fields: self.fields,
                index: &mut index,
            });
            match key {
                Ok(Some(key)) => {
                    if let Some(i) = index {
                        self.seen.set(i);
                    }
                    self.current = Some((index, false));
                    return Ok(Some(key));
                }
                Ok(None) => self.map = None,
                Err(e) => return self.cx.note(self.path, Err(e)),
            }
        }
        // The answer's keys are done (its map never took the seed): now the absent fields.
        let Some(seed) = seed else {
            return Err(de::Error::custom("a key was read without being returned"));
        };
        while self.next_absent < self.fields.len() {
            let index = self.next_absent;
            self.next_absent += 1;
            if !self.seen.get(index) {
                self.current = Some((Some(index), true));
                let name = BorrowedStrDeserializer::<A::Error>::new(self.fields[index]);
                return seed.deserialize(name).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let (index, absent) = self.current.take().unwrap_or((None, false));
        let name = index.map_or(UNKNOWN_FIELD, |i| self.fields[i]);
        let path = Path::Field(self.path, name);
        if absent {
            return seed.deserialize(Missing {
                noted: Some((self.cx, path)),
                depth: 0,
                error: PhantomData,
            });
        }
        match &mut self.map {
            Some(map) => map.next_value_seed(At {
                seed,
                cx: self.cx,
                path,
            }),
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }
}

/// A key's seed that notes which of the type's fields the key names. It holds the seed by
/// reference so that, when the answer's object has no more keys, the seed is still there to
/// name the absent fields.
struct Key<'s, K> {
    seed: &'s mut Option<K>,
    fields: &'static [&'static str],
    index: &'s mut Option<usize>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for Key<'_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<K::Value, D::Error> {
        let Some(seed) = self.seed.take() else {
            return Err(de::Error::custom("a key seed used twice"));
        };
        seed.deserialize(KeyName {
            de,
            fields: self.fields,
            index: self.index,
        })
    }
}

/// The key's deserializer: passes the key's text to the type's visitor, noting its index.
struct KeyName<'s, D> {
    de: D,
    fields: &'static [&'static str],
    index: &'s mut Option<usize>,
}

impl<'s, D> KeyName<'s, D> {
    fn noting<V>(self, visitor: V) -> (D, NoteKey<'s, V>) {
        (
            self.de,
            NoteKey {
                visitor,
                fields: self.fields,
                index: self.index,
            },
        )
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyName<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (de, visitor) = self.noting(visitor);
        de.deserialize_any(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (de, visitor) = self.noting(visitor);
        de.deserialize_identifier(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (de, visitor) = self.noting(visitor);
        de.deserialize_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (de, visitor) = self.noting(visitor);
        de.deserialize_string(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum ignored_any
    }
}

/// Notes which field a key names, then hands the key on.
struct NoteKey<'s, V> {
    visitor: V,
    fields: &'static [&'static str],
    index: &'s mut Option<usize>,
}

impl<V> NoteKey<'_, V> {
    fn note(&mut self, key: &str) {
        *self.index = self.fields.iter().position(|field| *field == key);
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for NoteKey<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_str<E: de::Error>(mut self, key: &str) -> Result<V::Value, E> {
        self.note(key);
        self.visitor.visit_str(key)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, key: &'de str) -> Result<V::Value, E> {
        self.note(key);
        self.visitor.visit_borrowed_str(key)
    }

    fn visit_string<E: de::Error>(mut self, key: String) -> Result<V::Value, E> {
        self.note(&key);
        self.visitor.visit_string(key)
    }
}

/// A value the answer lacked: `None` for an `Option`, otherwise its type's empty value. A
/// field of the answer's own object is recorded as a correction (`noted`); the fields of an
/// object filled in for an absent one are not (the object's correction says it).
struct Missing<'a, E> {
    noted: Option<(&'a Context, Path<'a>)>,
    depth: usize,
    error: PhantomData<E>,
}

impl<E: de::Error> Missing<'_, E> {
    fn fill<'de, V: Visitor<'de>>(self, want: Want, visitor: V) -> Result<V::Value, E> {
        match self.noted {
            Some((cx, path)) => {
                cx.correct(&path, Found::Missing);
                cx.note(&path, fill(want, visitor, self.depth))
            }
            None => fill(want, visitor, self.depth),
        }
    }
}

macro_rules! missing_kind {
    ($($method:ident => $want:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
                self.fill($want, visitor)
            }
        )*
    };
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<'_, E> {
    type Error = E;

    missing_kind! {
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

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        self.fill(Want::Object(fields), visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        let refused = Err(E::custom("missing, and of a type with no empty value"));
        match self.noted {
            Some((cx, path)) => cx.note(&path, refused),
            None => refused,
        }
    }

    serde::forward_to_deserialize_any! {
        bytes byte_buf unit unit_struct tuple tuple_struct map enum identifier
    }
}

/// An object filled in for an absent one: each of its fields absent in turn, without a
/// correction of its own (the object's is enough).
struct Absent<E> {
    fields: &'static [&'static str],
    next: usize,
    depth: usize,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> MapAccess<'de> for Absent<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        let Some(name) = self.fields.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, E> {
        seed.deserialize(Missing {
            noted: None,
            depth: self.depth,
            error: PhantomData,
        })
    }
}

/// The elements of an absent list: none.
struct NoItems<E>(PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for NoItems<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _seed: T,
    ) -> Result<Option<T::Value>, E> {
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    struct Answer {
        #[serde(rename = "Count")]
        count: u64,
        #[serde(rename = "Delta")]
        delta: i64,
        #[serde(rename = "Ratio")]
        ratio: f64,
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "On")]
        on: bool,
        #[serde(rename = "Items")]
        items: Vec<Item>,
        #[serde(rename = "Maybe")]
        maybe: Option<u64>,
        #[serde(rename = "Inner")]
        inner: Option<Item>,
        #[serde(rename = "RequestId")]
        request_id: String,
    }

    #[derive(Debug, Deserialize, PartialEq, Default, Clone)]
    struct Item {
        #[serde(rename = "Id")]
        id: String,
        #[serde(rename = "Size")]
        size: u64,
        #[serde(rename = "Tags")]
        tags: Vec<String>,
        #[serde(rename = "Child")]
        child: Option<Box<Item>>,
    }

    fn full() -> &'static str {
        r#"{"Count":4,"Delta":-2,"Ratio":1.5,"Name":"n","On":true,"Items":[{"Id":"a","Size":1,"Tags":["x"]}],"Maybe":7,"Inner":null,"RequestId":"r"}"#
    }

    fn read(output: &str) -> Result<Decoded<Answer>, DecodeError> {
        response::<Answer>(format!(r#"{{"Response":{output}}}"#).as_bytes())
    }

    /// `full()` with one field's JSON replaced.
    fn with(field: &str, json: &str) -> String {
        let mut value: serde_json::Value = serde_json::from_str(full()).unwrap();
        value[field] = serde_json::from_str(json).unwrap();
        value.to_string()
    }

    fn expected() -> Answer {
        Answer {
            count: 4,
            delta: -2,
            ratio: 1.5,
            name: "n".into(),
            on: true,
            items: vec![Item {
                id: "a".into(),
                size: 1,
                tags: vec!["x".into()],
                child: None,
            }],
            maybe: Some(7),
            inner: None,
            request_id: "r".into(),
        }
    }

    #[test]
    fn a_true_answer_reads_without_corrections() {
        let decoded = read(full()).unwrap();
        assert_eq!(decoded.output, expected());
        assert!(decoded.corrections.is_empty());
    }

    #[test]
    fn numbers_sent_as_text_are_read_as_numbers() {
        for (field, json) in [
            ("Count", r#""4""#),
            ("Count", r#""4.0""#),
            ("Delta", r#""-2""#),
            ("Ratio", r#""1.5""#),
            ("Ratio", r#""15e-1""#),
            ("Maybe", r#""7""#),
        ] {
            let decoded = read(&with(field, json)).unwrap();
            assert_eq!(decoded.output, expected(), "{field} = {json}");
            assert!(decoded.corrections.is_empty());
        }
        let decoded = read(&with("Count", r#""18446744073709551615""#)).unwrap();
        assert_eq!(decoded.output.count, u64::MAX);
    }

    #[test]
    fn whole_floats_are_read_as_integers() {
        assert_eq!(read(&with("Count", "4.0")).unwrap().output.count, 4);
        assert_eq!(read(&with("Delta", "-2.0")).unwrap().output.delta, -2);
        assert_eq!(read(&with("Ratio", "3")).unwrap().output.ratio, 3.0);
    }

    #[test]
    fn numbers_and_bools_sent_where_text_is_wanted_are_read_as_their_text() {
        assert_eq!(read(&with("Name", "12")).unwrap().output.name, "12");
        assert_eq!(read(&with("Name", "-3")).unwrap().output.name, "-3");
        assert_eq!(read(&with("Name", "1.25")).unwrap().output.name, "1.25");
        assert_eq!(read(&with("Name", "true")).unwrap().output.name, "true");
    }

    #[test]
    fn lists_and_objects_sent_where_text_is_wanted_are_read_as_their_json_text() {
        // Keys stay in the order sent.
        let json = r#"[1,-2,1.5,"a\"b",true,null,{"z":1,"a":[]}]"#;
        let answer = full().replace(r#""Name":"n""#, &format!(r#""Name":{json}"#));
        assert_eq!(read(&answer).unwrap().output.name, json);
        assert_eq!(read(&with("Name", "{}")).unwrap().output.name, "{}");
        assert_eq!(read(&with("Name", "[]")).unwrap().output.name, "[]");
    }

    #[test]
    fn one_object_sent_where_a_list_is_wanted_is_a_list_of_one() {
        let decoded = read(&with("Items", r#"{"Id":"a","Size":"1","Tags":["x"]}"#)).unwrap();
        assert_eq!(decoded.output, expected());
        let error = read(&with("Items", r#"{"Id":"a","Size":"x"}"#)).unwrap_err();
        assert_eq!(error.path.as_deref(), Some("Response.Items[0].Size"));
    }

    #[test]
    fn bools_sent_as_text_or_flags_are_read_as_bools() {
        for (json, on) in [
            (r#""TRUE""#, true),
            (r#""True""#, true),
            (r#""true""#, true),
            (r#""FALSE""#, false),
            (r#""false""#, false),
            ("1", true),
            ("0", false),
            (r#""1""#, true),
            (r#""0""#, false),
        ] {
            assert_eq!(read(&with("On", json)).unwrap().output.on, on, "{json}");
        }
    }

    #[test]
    fn text_that_is_no_number_is_an_error_naming_the_field() {
        for (field, json, message) in [
            (
                "Count",
                r#""xx""#,
                r#"expected an unsigned integer, found the text "xx""#,
            ),
            (
                "Count",
                r#""""#,
                r#"expected an unsigned integer, found the text """#,
            ),
            (
                "Count",
                r#""-1""#,
                r#"expected an unsigned integer, found the text "-1""#,
            ),
            (
                "Count",
                r#""4.5""#,
                r#"expected an unsigned integer, found the text "4.5""#,
            ),
            (
                "Count",
                r#"" 4""#,
                r#"expected an unsigned integer, found the text " 4""#,
            ),
            (
                "Delta",
                r#""Memory usage""#,
                r#"expected an integer, found the text "Memory usage""#,
            ),
            (
                "Ratio",
                r#""NaN""#,
                r#"expected a number, found the text "NaN""#,
            ),
            (
                "Ratio",
                r#""inf""#,
                r#"expected a number, found the text "inf""#,
            ),
            ("On", r#""yes""#, r#"expected a bool, found the text "yes""#),
            ("On", "2", "expected a bool, found the number 2"),
            (
                "Count",
                "4.5",
                "expected an unsigned integer, found the number 4.5",
            ),
            ("Count", "-1", "invalid value: integer `-1`, expected u64"),
            ("Delta", "[1]", "expected an integer, found a list"),
            ("Inner", "[]", "expected an object, found a list"),
            ("Items", r#""a""#, r#"expected a list, found the text "a""#),
        ] {
            let error = read(&with(field, json)).unwrap_err();
            assert_eq!(
                error.path.as_deref(),
                Some(format!("Response.{field}").as_str())
            );
            assert!(
                error.message.starts_with(message),
                "{field} = {json}: {}",
                error.message
            );
        }
    }

    #[test]
    fn errors_name_the_innermost_path() {
        let answer = with(
            "Items",
            r#"[{"Id":"a","Size":1,"Tags":[]},{"Id":"b","Size":"big","Tags":[]}]"#,
        );
        let error = read(&answer).unwrap_err();
        assert_eq!(error.path.as_deref(), Some("Response.Items[1].Size"));
        assert_eq!(
            error.to_string(),
            r#"Response.Items[1].Size: expected an unsigned integer, found the text "big" at line 1 column 108"#
        );
    }

    #[test]
    fn missing_or_null_required_fields_are_filled_and_recorded() {
        let answer =
            r#"{"Delta":null,"Items":[{"Id":"a","Size":null}],"Inner":{"Id":"i"},"RequestId":"r"}"#;
        let decoded = read(answer).unwrap();
        let mut empty_item = Item::default();
        empty_item.id = "a".into();
        let mut inner = Item::default();
        inner.id = "i".into();
        assert_eq!(
            decoded.output,
            Answer {
                items: vec![empty_item],
                inner: Some(inner),
                request_id: "r".into(),
                ..Answer::default()
            }
        );
        let found: Vec<String> = decoded
            .corrections
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "Response.Delta: null, read as its empty value",
                "Response.Items[0].Size: null, read as its empty value",
                "Response.Items[0].Tags: missing, read as its empty value",
                "Response.Inner.Size: missing, read as its empty value",
                "Response.Inner.Tags: missing, read as its empty value",
                "Response.Count: missing, read as its empty value",
                "Response.Ratio: missing, read as its empty value",
                "Response.Name: missing, read as its empty value",
                "Response.On: missing, read as its empty value",
            ]
        );
    }

    #[test]
    fn absent_optional_fields_are_none_without_a_correction() {
        let answer = with("Maybe", "null");
        let decoded = read(&answer).unwrap();
        assert_eq!(decoded.output.maybe, None);
        assert!(decoded.corrections.is_empty());
    }

    #[test]
    fn a_null_or_absent_object_is_filled_field_by_field_with_one_correction() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Outer {
            #[serde(rename = "Item")]
            item: Item,
        }
        let decoded = response::<Outer>(br#"{"Response":{"Item":null}}"#).unwrap();
        assert_eq!(decoded.output.item, Item::default());
        assert_eq!(decoded.corrections.len(), 1);
        assert_eq!(decoded.corrections[0].found, Found::Null);
        let decoded = response::<Outer>(br#"{"Response":{}}"#).unwrap();
        assert_eq!(decoded.output.item, Item::default());
        assert_eq!(decoded.corrections.len(), 1);
        assert_eq!(decoded.corrections[0].path, "Response.Item");
    }

    #[test]
    fn a_type_that_contains_itself_is_not_filled_forever() {
        #[derive(Debug, Deserialize)]
        struct Loop {
            #[serde(rename = "Next")]
            #[allow(dead_code)]
            next: Box<Loop>,
        }
        let error = response::<Loop>(br#"{"Response":{}}"#).unwrap_err();
        assert_eq!(error.path.as_deref(), Some("Response.Next"));
        assert!(
            error.message.contains("contains itself"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_fields_are_ignored_and_broken_json_is_an_error() {
        let answer = with("Extra", r#"{"deep":[1,"2",{"x":null}]}"#);
        assert_eq!(read(&answer).unwrap().output, expected());
        let error = response::<Answer>(br#"{"Response":{"Count":4,"#).unwrap_err();
        assert!(
            error.message.starts_with("EOF while parsing"),
            "{}",
            error.message
        );
        let error =
            response::<Answer>(format!(r#"{{"Response":{}}} x"#, full()).as_bytes()).unwrap_err();
        assert!(
            error.message.starts_with("trailing characters"),
            "{}",
            error.message
        );
    }

    #[test]
    fn objects_with_many_fields_track_each_one() {
        // More fields than the inline bit set holds, and a few.
        let mut seen = Seen::new(200);
        seen.set(150);
        assert!(seen.get(150) && !seen.get(149));
        let mut few = Seen::new(3);
        few.set(2);
        assert!(few.get(2) && !few.get(0));
    }
}
