//! Empty values: what a required field that the response lacks, or sends as `null`, reads as.

use std::marker::PhantomData;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{by_kind, Context, Found, Path, Want, MAX_FILL_DEPTH};

/// The type's empty value, handed to its visitor: what a required field that is absent or
/// `null` reads as. `depth` counts the objects filled in above.
pub(super) fn fill<'de, V: Visitor<'de>, E: de::Error>(
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

/// A value the response lacked: `None` for an `Option`, otherwise its type's empty value. A
/// field of the response's own object is recorded as a correction (`noted`); the fields of an
/// object filled in for an absent one are not (the object's correction says it).
pub(super) struct Missing<'a, E> {
    pub(super) noted: Option<(&'a Context, Path<'a>)>,
    pub(super) depth: usize,
    pub(super) error: PhantomData<E>,
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

impl<'de, E: de::Error> Deserializer<'de> for Missing<'_, E> {
    type Error = E;

    by_kind!(fill);

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
