//! The reader: one value of the response's tree, where it sits, and the policy that reads it
//! as the kind its type wants. Concrete and not generic: every generated type's `Decode`
//! calls these, so the policy is compiled once, here.

use std::fmt;

use super::json::{Json, Number};
use super::{Context, DecodeError, Field, Found, List, Path, MAX_FILL_DEPTH};

/// One value of a response, as a type's [`Decode`](super::Decode) reads it: what the
/// response holds there (or that it holds nothing), its JSON path, and what the reading
/// collects. Only the runtime makes one.
pub struct At<'r> {
    slot: Slot<'r>,
    path: Path<'r>,
    cx: &'r Context,
    fill: Fill,
}

/// What the response holds where a value is read.
#[derive(Clone, Copy)]
enum Slot<'r> {
    Present(&'r Json<'r>),
    Absent(Found),
}

/// Whether an absent value is recorded as a correction (a field of an object the response
/// sent), or not (a field of an object filled in for an absent one: its own correction says
/// it), with how many filled objects are above it.
#[derive(Clone, Copy)]
enum Fill {
    Noted,
    Quiet(usize),
}

/// The kind of value a type wants.
#[derive(Clone, Copy)]
enum Want {
    Bool,
    Signed,
    Unsigned,
    Float,
    List,
    Object,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Bool => "a bool",
            Want::Signed => "an integer",
            Want::Unsigned => "an unsigned integer",
            Want::Float => "a number",
            Want::List => "a list",
            Want::Object => "an object",
        }
    }
}

/// What the response held, as an error says it.
struct Held<'a>(&'a Json<'a>);

impl fmt::Display for Held<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "the bool {b}"),
            Json::Number(n) => write!(f, "the number {n}"),
            Json::Text(text) => write!(f, "the text {text:?}"),
            Json::List(_) => f.write_str("a list"),
            Json::Object(_) => f.write_str("an object"),
        }
    }
}

impl<'r> At<'r> {
    /// The response's top value.
    pub(super) fn root(json: &'r Json<'r>, cx: &'r Context) -> Self {
        At {
            slot: slot_of(Some(json)),
            path: Path::Root,
            cx,
            fill: Fill::Noted,
        }
    }

    /// Whether the response holds nothing here (no value, or `null`): an `Option` reads
    /// `None` then.
    pub fn is_absent(&self) -> bool {
        matches!(self.slot, Slot::Absent(_))
    }

    /// The error of a value that is not what its type wants; it names the value's path.
    #[cold]
    #[inline(never)]
    fn error(&self, message: String) -> DecodeError {
        DecodeError {
            path: Some(self.path.to_string()),
            message,
        }
    }

    #[cold]
    #[inline(never)]
    fn refuse(&self, want: Want, held: &Json<'_>) -> DecodeError {
        self.error(format!(
            "expected {}, found {}",
            want.describe(),
            Held(held)
        ))
    }

    /// What the response holds, or `None` once the absent value is recorded (when it is
    /// one to record): the caller then reads the type's empty value.
    fn present(&self) -> Option<&'r Json<'r>> {
        match self.slot {
            Slot::Present(json) => Some(json),
            Slot::Absent(found) => {
                if let Fill::Noted = self.fill {
                    self.cx.correct(&self.path, found);
                }
                None
            }
        }
    }

    /// A bool: `true`, `false`, `1`, `0`, and their text in any case.
    pub fn bool(self) -> Result<bool, DecodeError> {
        let Some(json) = self.present() else {
            return Ok(false);
        };
        match json {
            Json::Bool(b) => Ok(*b),
            Json::Number(Number::Unsigned(n @ (0 | 1))) => Ok(*n == 1),
            Json::Number(Number::Signed(n @ (0 | 1))) => Ok(*n == 1),
            Json::Text(text) => match text.as_ref() {
                "1" => Ok(true),
                "0" => Ok(false),
                t if t.eq_ignore_ascii_case("true") => Ok(true),
                t if t.eq_ignore_ascii_case("false") => Ok(false),
                _ => Err(self.refuse(Want::Bool, json)),
            },
            _ => Err(self.refuse(Want::Bool, json)),
        }
    }

    /// A signed integer: a number with no fraction, or its text.
    pub fn signed(self) -> Result<i64, DecodeError> {
        self.integer(Want::Signed)
    }

    /// An unsigned integer: a number with no fraction and no sign, or its text.
    pub fn unsigned(self) -> Result<u64, DecodeError> {
        self.integer(Want::Unsigned)
    }

    fn integer<N: Integer>(self, want: Want) -> Result<N, DecodeError> {
        let Some(json) = self.present() else {
            return Ok(N::ZERO);
        };
        let read = match json {
            Json::Number(Number::Signed(n)) => N::try_from(*n).ok(),
            Json::Number(Number::Unsigned(n)) => N::try_from(*n).ok(),
            Json::Number(Number::Float(x)) if x.fract() == 0.0 && N::FLOATS.contains(x) => {
                Some(N::from_whole(*x))
            }
            Json::Text(text) => parse_integer(text),
            _ => None,
        };
        read.ok_or_else(|| self.refuse(want, json))
    }

    /// A number: any JSON number, or its text in plain decimal notation.
    pub fn float(self) -> Result<f64, DecodeError> {
        let Some(json) = self.present() else {
            return Ok(0.0);
        };
        match json {
            Json::Number(Number::Float(x)) => Ok(*x),
            Json::Number(Number::Signed(n)) => Ok(*n as f64),
            Json::Number(Number::Unsigned(n)) => Ok(*n as f64),
            Json::Text(text) => match text.parse::<f64>() {
                Ok(x) if x.is_finite() && is_decimal(text) => Ok(x),
                _ => Err(self.refuse(Want::Float, json)),
            },
            _ => Err(self.refuse(Want::Float, json)),
        }
    }

    /// Text: text as sent, a number or a bool as its JSON text, a list or an object as its
    /// compact JSON text (keys in the order sent).
    pub fn text(self) -> Result<String, DecodeError> {
        let Some(json) = self.present() else {
            return Ok(String::new());
        };
        match json {
            Json::Text(text) => Ok(text.as_ref().to_owned()),
            Json::Number(n) => Ok(n.to_string()),
            Json::Bool(b) => Ok(b.to_string()),
            Json::List(_) | Json::Object(_) => {
                let mut text = String::new();
                json.write(&mut text);
                Ok(text)
            }
            // `null` is absent (`slot_of`), and read as empty above.
            Json::Null => Ok(String::new()),
        }
    }

    /// The value as serde_json's tree, whatever it is (`null` when absent, unrecorded).
    pub fn json(self) -> serde_json::Value {
        match self.slot {
            Slot::Present(json) => json.to_value(),
            Slot::Absent(_) => serde_json::Value::Null,
        }
    }

    /// Reads a list into `list`, item by item, each at its index; one object where a list
    /// is wanted is a list of that one, and nothing (absent or `null`) the empty list.
    pub(super) fn list(&self, list: &mut dyn List) -> Result<(), DecodeError> {
        let Some(json) = self.present() else {
            return Ok(());
        };
        match json {
            Json::List(items) => {
                list.reserve(items.len());
                for (index, json) in items.iter().enumerate() {
                    list.push(self.item(index, json))?;
                }
                Ok(())
            }
            Json::Object(_) => list.push(self.item(0, json)),
            _ => Err(self.refuse(Want::List, json)),
        }
    }

    /// The item at `index` of this list.
    fn item<'s>(&'s self, index: usize, json: &'s Json<'s>) -> At<'s> {
        At {
            slot: slot_of(Some(json)),
            path: Path::Index(&self.path, index),
            cx: self.cx,
            fill: Fill::Noted,
        }
    }

    /// Reads an object into a struct's fields: `places[i]` is the field whose wire name is
    /// `fields[i]` (what [`impl_decode!`](crate::impl_decode) hands it). See
    /// [`At::object`] for how the object's keys are matched, and [`Object::read`].
    pub fn fields(
        self,
        fields: &'static [&'static str],
        places: &mut [&mut dyn Field],
    ) -> Result<(), DecodeError> {
        self.object(fields)?.read(places)
    }

    /// An object of the type whose fields' wire names are `fields`, in the type's order:
    /// each field's value found by its name, in any order, keys the type does not know
    /// ignored. Absent, it is an object of absent fields, filled in (up to a depth, for a
    /// type that contains itself).
    pub fn object(self, fields: &'static [&'static str]) -> Result<Object<'r>, DecodeError> {
        let depth = match self.fill {
            Fill::Noted => 0,
            Fill::Quiet(depth) => depth,
        };
        let Some(json) = self.present() else {
            if depth >= MAX_FILL_DEPTH {
                return Err(
                    self.error("absent, and its type contains itself too deeply to fill in".into())
                );
            }
            return Ok(Object {
                values: Slots::new(fields.len()),
                fields,
                path: self.path,
                cx: self.cx,
                fill: Fill::Quiet(depth + 1),
            });
        };
        let Json::Object(entries) = json else {
            return Err(self.refuse(Want::Object, json));
        };
        let mut values = Slots::new(fields.len());
        // Responses mostly send the fields in the spec's order: each search starts after
        // the last one found.
        let mut hint = 0;
        for (key, value) in entries {
            let found = (hint..fields.len())
                .chain(0..hint)
                .find(|&i| fields[i] == key.as_ref());
            if let Some(i) = found {
                values[i] = Some(value);
                hint = i + 1;
            }
        }
        Ok(Object {
            values,
            fields,
            path: self.path,
            cx: self.cx,
            fill: Fill::Noted,
        })
    }
}

fn slot_of<'r>(json: Option<&'r Json<'r>>) -> Slot<'r> {
    match json {
        None => Slot::Absent(Found::Missing),
        Some(Json::Null) => Slot::Absent(Found::Null),
        Some(json) => Slot::Present(json),
    }
}

/// The fields an object of the response has, by the index of their name: on the stack for
/// the small objects most responses are made of, so reading one allocates nothing.
enum Slots<'r> {
    Inline([Option<&'r Json<'r>>; INLINE_FIELDS], usize),
    Heap(Vec<Option<&'r Json<'r>>>),
}

/// The most fields an object's [`Slots`] keep on the stack.
const INLINE_FIELDS: usize = 16;

impl<'r> Slots<'r> {
    fn new(len: usize) -> Self {
        if len <= INLINE_FIELDS {
            Slots::Inline([None; INLINE_FIELDS], len)
        } else {
            Slots::Heap(vec![None; len])
        }
    }
}

impl<'r> std::ops::Deref for Slots<'r> {
    type Target = [Option<&'r Json<'r>>];

    fn deref(&self) -> &Self::Target {
        match self {
            Slots::Inline(values, len) => &values[..*len],
            Slots::Heap(values) => values,
        }
    }
}

impl std::ops::DerefMut for Slots<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Slots::Inline(values, len) => &mut values[..*len],
            Slots::Heap(values) => values,
        }
    }
}

/// An object being read, field by field: see [`At::object`].
pub struct Object<'r> {
    values: Slots<'r>,
    fields: &'static [&'static str],
    path: Path<'r>,
    cx: &'r Context,
    fill: Fill,
}

impl Object<'_> {
    /// Reads the field at `index` of the type's field names.
    pub fn field<T: super::Decode>(&self, index: usize) -> Result<T, DecodeError> {
        T::decode(self.at(index)).map_err(|e| self.failed(index, e))
    }

    /// Reads each field into its place: `places[i]` is the field whose wire name is the
    /// type's `i`th. As many places as names, or an error saying so (what
    /// [`impl_decode!`](crate::impl_decode) hands it always matches).
    pub fn read(&self, places: &mut [&mut dyn Field]) -> Result<(), DecodeError> {
        if places.len() != self.fields.len() {
            return Err(self.mismatched(places.len()));
        }
        for (index, place) in places.iter_mut().enumerate() {
            place
                .read(self.at(index))
                .map_err(|e| self.failed(index, e))?;
        }
        Ok(())
    }

    /// [`Object::field`] through `read`, which keeps the value itself: not generic, for the
    /// call path's one reading of each response (see [`super::Reader`]).
    pub(crate) fn field_with(
        &self,
        index: usize,
        read: super::Reader<'_>,
    ) -> Result<(), DecodeError> {
        read(self.at(index)).map_err(|e| self.failed(index, e))
    }

    /// The error of a reading given another number of places than the type has names.
    #[cold]
    #[inline(never)]
    fn mismatched(&self, places: usize) -> DecodeError {
        DecodeError {
            path: Some(self.path.to_string()),
            message: format!(
                "{places} fields to read for the {} names {:?} (a bug of the type's `Decode`)",
                self.fields.len(),
                self.fields
            ),
        }
    }

    /// An error from reading the field at `index`. Filling in an absent field fails only
    /// for a type that contains itself too deeply: the error names the field the response
    /// lacked, not the depth it gave up at.
    #[cold]
    #[inline(never)]
    fn failed(&self, index: usize, mut error: DecodeError) -> DecodeError {
        let at = self.at(index);
        if let (Fill::Noted, true) = (self.fill, at.is_absent()) {
            error.path = Some(at.path.to_string());
        }
        error
    }

    fn at(&self, index: usize) -> At<'_> {
        At {
            slot: slot_of(self.values[index]),
            path: Path::Field(&self.path, self.fields[index]),
            cx: self.cx,
            fill: self.fill,
        }
    }
}

/// The integer types a response's numbers are read as.
trait Integer: Sized + std::str::FromStr + TryFrom<i64> + TryFrom<u64> {
    const ZERO: Self;
    /// The floats with no fraction that are in the type's range.
    const FLOATS: std::ops::Range<f64>;
    /// A float of `FLOATS` with no fraction, exactly.
    fn from_whole(x: f64) -> Self;
}

impl Integer for i64 {
    const ZERO: Self = 0;
    // 2^63 is exact as f64 and one past the type's range.
    const FLOATS: std::ops::Range<f64> = -9.223_372_036_854_776e18..9.223_372_036_854_776e18;
    fn from_whole(x: f64) -> Self {
        x as i64
    }
}

impl Integer for u64 {
    const ZERO: Self = 0;
    // 2^64 is exact as f64 and one past the type's range.
    const FLOATS: std::ops::Range<f64> = 0.0..1.844_674_407_370_955_2e19;
    fn from_whole(x: f64) -> Self {
        x as u64
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
