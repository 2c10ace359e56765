//! The reader: a deserializer over the response's JSON that hands each type what it asks for
//! under the policy, tracks each value's path, and notes the object fields the response
//! lacked so that `fill` can supply them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::fill::{fill, Missing};
use super::json_text::JsonText;
use super::{by_kind, Context, Found, Path, Want, UNKNOWN_FIELD};

/// A deserializer that applies the policy to every value below it.
pub(super) struct Lenient<'a, D> {
    pub(super) de: D,
    pub(super) cx: &'a Context,
    pub(super) path: Path<'a>,
}

impl<'de, D: Deserializer<'de>> Lenient<'_, D> {
    /// Reads whatever the response holds and hands the type's visitor the `want`ed kind.
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

    by_kind!(read);

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

/// The visitor behind [`Lenient`]: sees what the response holds and hands the type's visitor
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
    fn read_text<E: de::Error>(self, text: &str) -> Result<V::Value, E> {
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
            _ => self.read_text(value),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_borrowed_str(value),
            _ => self.read_text(value),
        }
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_string(value),
            _ => self.read_text(&value),
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
                hint: 0,
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

/// A list of the one object the response sent where a list was wanted.
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
        At {
            seed,
            cx: self.cx,
            path: Path::Index(self.path, 0),
        }
        .deserialize(MapAccessDeserializer::new(map))
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.map.is_some()))
    }
}

/// Which of an object's fields the response held.
pub(super) enum Seen {
    Few(u128),
    Many(Vec<bool>),
}

impl Seen {
    pub(super) fn new(fields: usize) -> Self {
        if fields <= 128 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; fields])
        }
    }

    pub(super) fn set(&mut self, index: usize) {
        match self {
            Seen::Few(bits) => *bits |= 1 << index,
            Seen::Many(seen) => seen[index] = true,
        }
    }

    pub(super) fn get(&self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => *bits & (1 << index) != 0,
            Seen::Many(seen) => seen[index],
        }
    }
}

/// An object's fields: those the response holds, each read leniently, then the type's fields
/// the response lacked, each read as absent.
struct Fields<'a, A> {
    /// The response's object, until its last key.
    map: Option<A>,
    cx: &'a Context,
    path: &'a Path<'a>,
    fields: &'static [&'static str],
    seen: Seen,
    /// The field whose value comes next: its index in `fields` (`None` for an unknown key),
    /// and whether the response lacked it.
    current: Option<(Option<usize>, bool)>,
    /// The next field to look at once the response's keys are done.
    next_absent: usize,
    /// Where the next key is looked for first: after the last one found, since responses
    /// mostly send their fields in the spec's order.
    hint: usize,
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
                hint: self.hint,
                index: &mut index,
            });
            match key {
                Ok(Some(key)) => {
                    if let Some(i) = index {
                        self.seen.set(i);
                        self.hint = i + 1;
                    }
                    self.current = Some((index, false));
                    return Ok(Some(key));
                }
                Ok(None) => self.map = None,
                Err(e) => return self.cx.note(self.path, Err(e)),
            }
        }
        // The response's keys are done (its map never took the seed): now the absent fields.
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
/// reference so that, when the response's object has no more keys, the seed is still there to
/// name the absent fields.
struct Key<'s, K> {
    seed: &'s mut Option<K>,
    fields: &'static [&'static str],
    hint: usize,
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
            hint: self.hint,
            index: self.index,
        })
    }
}

/// The key's deserializer: passes the key's text to the type's visitor, noting its index.
struct KeyName<'s, D> {
    de: D,
    fields: &'static [&'static str],
    hint: usize,
    index: &'s mut Option<usize>,
}

impl<'s, D> KeyName<'s, D> {
    fn noting<V>(self, visitor: V) -> (D, NoteKey<'s, V>) {
        (
            self.de,
            NoteKey {
                visitor,
                fields: self.fields,
                hint: self.hint,
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
    hint: usize,
    index: &'s mut Option<usize>,
}

impl<V> NoteKey<'_, V> {
    /// Looks from the hint to the end, then from the start.
    fn note(&mut self, key: &str) {
        let (before, after) = self.fields.split_at(self.hint.min(self.fields.len()));
        *self.index = match after.iter().position(|field| *field == key) {
            Some(i) => Some(before.len() + i),
            None => before.iter().position(|field| *field == key),
        };
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
