//! A request written as JSON by concrete code: each generated request type writes its
//! fields, in order, through one [`JsonWriter`] whose methods are compiled once, here.
//! Serde's `Serialize` would instantiate serde_json's serializer once per request type, in
//! the SDK's crate, for the same bytes (docs/benchmarks.md, "The SDK package's build").
//!
//! The bytes are serde_json's, byte for byte: each scalar is written by serde_json itself,
//! an object's fields in the type's order without spaces, an absent `Option` field left out.
//!
//! ```
//! use tencentcloud_runtime::body::{JsonWriter, WriteJson};
//!
//! struct Filter {
//!     name: String,
//!     values: Vec<String>,
//!     limit: Option<u64>,
//! }
//!
//! impl WriteJson for Filter {
//!     fn write_json(&self, out: &mut JsonWriter) {
//!         out.begin_object();
//!         out.field("Name", &self.name);
//!         out.field("Values", &self.values);
//!         out.optional("Limit", &self.limit);
//!         out.end_object();
//!     }
//! }
//!
//! let filter = Filter { name: "zone".into(), values: vec!["ap-guangzhou-3".into()], limit: None };
//! assert_eq!(JsonWriter::to_vec(&filter).unwrap(), br#"{"Name":"zone","Values":["ap-guangzhou-3"]}"#);
//! ```

use serde::Serialize;

use super::Binary;

/// A value a request's body holds, written as JSON. Generated request types and the types
/// in them implement it; a type of your own that is `Serialize` implements it with
/// [`JsonWriter::serde`].
pub trait WriteJson {
    /// Writes the value at the writer's position.
    fn write_json(&self, out: &mut JsonWriter);
}

/// The bytes of one JSON document being written. Keys are separated as they are written:
/// [`JsonWriter::key`] puts a comma before every key but an object's first.
#[derive(Debug)]
pub struct JsonWriter {
    bytes: Vec<u8>,
    /// The first failure of a value written through serde, if any.
    failed: Option<serde_json::Error>,
}

impl Default for JsonWriter {
    /// An empty writer with room for a small request at once, as serde_json starts its own.
    fn default() -> Self {
        Self {
            bytes: Vec::with_capacity(128),
            failed: None,
        }
    }
}

impl JsonWriter {
    /// `value` as JSON, or why a part written through serde failed.
    pub fn to_vec(value: &(impl WriteJson + ?Sized)) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = JsonWriter::default();
        value.write_json(&mut out);
        out.finish()
    }

    /// The bytes written, or the first failure of a part written through serde.
    pub fn finish(self) -> Result<Vec<u8>, serde_json::Error> {
        match self.failed {
            Some(error) => Err(error),
            None => Ok(self.bytes),
        }
    }

    /// `{`: an object's fields follow, each a [`JsonWriter::key`] and its value.
    pub fn begin_object(&mut self) {
        self.bytes.push(b'{');
    }

    /// An object's key `name`, after a comma unless it is the object's first.
    pub fn key(&mut self, name: &str) {
        let before: &[u8] = if self.bytes.last() == Some(&b'{') {
            b""
        } else {
            b","
        };
        self.quoted(before, name, b":");
    }

    /// `text` as a JSON string.
    fn string(&mut self, text: &str) {
        self.quoted(b"", text, b"");
    }

    /// `text` as a JSON string between `before` and `after`: between quotes as it is when
    /// it needs no escaping (a spec's names, most values), with room made once; else
    /// escaped by serde_json. The bytes are serde_json's either way: it escapes only
    /// quotes, backslashes and control characters.
    #[inline(always)] // In `key` and `string`, their constant bytes folded in.
    fn quoted(&mut self, before: &[u8], text: &str, after: &[u8]) {
        if plain(text.as_bytes()) {
            self.bytes
                .reserve(before.len() + text.len() + 2 + after.len());
            self.bytes.extend_from_slice(before);
            self.bytes.push(b'"');
            self.bytes.extend_from_slice(text.as_bytes());
            self.bytes.push(b'"');
        } else {
            self.bytes.extend_from_slice(before);
            self.serde(text);
        }
        self.bytes.extend_from_slice(after);
    }

    /// An object's field: its key, then its value.
    pub fn field<T: WriteJson + ?Sized>(&mut self, name: &str, value: &T) {
        self.key(name);
        value.write_json(self);
    }

    /// An object's optional field, left out when it is `None`.
    pub fn optional<T: WriteJson>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.bytes.push(b'}');
    }

    /// `value` written by serde_json (a failure is kept for [`JsonWriter::finish`]): how
    /// the scalars are written, and how a type of your own that is `Serialize` implements
    /// [`WriteJson`].
    pub fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Err(error) = serde_json::to_writer(&mut self.bytes, value) {
            self.failed.get_or_insert(error);
        }
    }
}

/// Whether `text` goes between quotes as it is: no control character, quote or backslash
/// (what serde_json escapes).
fn plain(text: &[u8]) -> bool {
    crate::json_text::plain_run(text) == text.len()
}

/// Each scalar as serde_json writes it.
macro_rules! through_serde {
    ($($type:ty),*) => {
        $(
            impl WriteJson for $type {
                fn write_json(&self, out: &mut JsonWriter) {
                    out.serde(self);
                }
            }
        )*
    };
}

through_serde!(f64, serde_json::Value);

/// Integers in decimal, as serde_json writes them (with the same `itoa`), without its
/// writer in between: most requests hold some.
macro_rules! decimal {
    ($($type:ty),*) => {
        $(
            impl WriteJson for $type {
                fn write_json(&self, out: &mut JsonWriter) {
                    out.bytes.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
                }
            }
        )*
    };
}

decimal!(i64, u64);

impl WriteJson for bool {
    fn write_json(&self, out: &mut JsonWriter) {
        let text: &[u8] = if *self { b"true" } else { b"false" };
        out.bytes.extend_from_slice(text);
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

/// An array of numbers 0 to 255, as serde_json writes bytes (see [`Binary`]'s `Serialize`).
impl WriteJson for Binary {
    fn write_json(&self, out: &mut JsonWriter) {
        out.serde(self);
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        out.bytes.push(b'[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.bytes.push(b',');
            }
            item.write_json(out);
        }
        out.bytes.push(b']');
    }
}

/// `null` for `None`; a generated type leaves an absent field out instead.
impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Some(value) => value.write_json(out),
            None => out.bytes.extend_from_slice(b"null"),
        }
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        (**self).write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_finds_every_byte_serde_json_escapes_wherever_it_is() {
        let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for len in [1, 7, 8, 9, 16, 23] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    assert_eq!(plain(&text), !escaped(b), "{b:#x} at {at} of {len}");
                    // Beside bytes that borrow or carry in the word's arithmetic.
                    text.iter_mut().enumerate().for_each(|(i, c)| {
                        if i != at {
                            *c = [0x80, 0xff, 0x21, 0x5d, 0x23][i % 5];
                        }
                    });
                    assert_eq!(
                        plain(&text),
                        !escaped(b),
                        "{b:#x} at {at} of {len}: {text:?}"
                    );
                }
            }
        }
        assert!(plain(b""));
    }

    /// Each scalar and each nesting, against serde_json's own bytes for the same values.
    #[test]
    fn writes_serde_jsons_bytes() {
        struct Inner {
            value: f64,
            children: Vec<Inner>,
        }
        impl WriteJson for Inner {
            fn write_json(&self, out: &mut JsonWriter) {
                out.begin_object();
                out.key("Value");
                self.value.write_json(out);
                out.key("Children");
                self.children.write_json(out);
                out.end_object();
            }
        }
        struct Outer {
            text: String,
            numbers: (i64, u64),
            flag: Option<bool>,
            absent: Option<String>,
            tree: Box<Inner>,
            empty: Vec<String>,
        }
        impl WriteJson for Outer {
            fn write_json(&self, out: &mut JsonWriter) {
                out.begin_object();
                if let Some(absent) = &self.absent {
                    out.key("Absent");
                    absent.write_json(out);
                }
                out.key("Text");
                self.text.write_json(out);
                out.key("Signed");
                self.numbers.0.write_json(out);
                out.key("Unsigned");
                self.numbers.1.write_json(out);
                if let Some(flag) = &self.flag {
                    out.key("Flag");
                    flag.write_json(out);
                }
                out.key("Tree");
                self.tree.write_json(out);
                out.key("Empty");
                self.empty.write_json(out);
                out.end_object();
            }
        }
        let text = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} slash / 中文 😀";
        let outer = Outer {
            text: text.to_owned(),
            numbers: (i64::MIN, u64::MAX),
            flag: Some(false),
            absent: None,
            tree: Box::new(Inner {
                value: 1.0,
                children: vec![
                    Inner {
                        value: -0.5e-300,
                        children: Vec::new(),
                    },
                    Inner {
                        value: f64::NAN,
                        children: Vec::new(),
                    },
                    Inner {
                        value: 1e21,
                        children: Vec::new(),
                    },
                ],
            }),
            empty: Vec::new(),
        };
        let expected = serde_json::json!({
            "Text": text,
            "Signed": i64::MIN,
            "Unsigned": u64::MAX,
            "Flag": false,
            "Tree": {"Value": 1.0, "Children": [
                {"Value": -0.5e-300, "Children": []},
                {"Value": null, "Children": []},
                {"Value": 1e21, "Children": []},
            ]},
            "Empty": [],
        });
        let written = JsonWriter::to_vec(&outer).unwrap();
        // serde_json's `json!` keeps insertion order only with `preserve_order`; compare the
        // text against the same fields written by serde_json one by one.
        let mut by_serde = String::from("{");
        for (i, (key, value)) in [
            ("Text", serde_json::to_string(text).unwrap()),
            ("Signed", serde_json::to_string(&i64::MIN).unwrap()),
            ("Unsigned", serde_json::to_string(&u64::MAX).unwrap()),
            ("Flag", "false".to_owned()),
            ("Tree", format!(
                "{{\"Value\":{},\"Children\":[{{\"Value\":{},\"Children\":[]}},{{\"Value\":null,\"Children\":[]}},{{\"Value\":{},\"Children\":[]}}]}}",
                serde_json::to_string(&1.0f64).unwrap(),
                serde_json::to_string(&-0.5e-300f64).unwrap(),
                serde_json::to_string(&1e21f64).unwrap(),
            )),
            ("Empty", "[]".to_owned()),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                by_serde.push(',');
            }
            by_serde.push_str(&format!("{}:{value}", serde_json::to_string(key).unwrap()));
        }
        by_serde.push('}');
        assert_eq!(String::from_utf8(written.clone()).unwrap(), by_serde);
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&written).unwrap(),
            expected
        );
    }

    #[test]
    fn bytes_are_an_array_of_numbers_and_a_serde_failure_is_kept() {
        assert_eq!(JsonWriter::to_vec(&Binary::from("ab")).unwrap(), b"[97,98]");
        let mut out = JsonWriter::default();
        out.begin_object();
        let mut unwritable = std::collections::BTreeMap::new();
        unwritable.insert(vec![1u8], 1);
        out.key("Map");
        out.serde(&unwritable);
        out.end_object();
        assert!(out.finish().is_err());
    }

    #[test]
    fn text_is_written_as_serde_json_writes_it() {
        for text in [
            "",
            "ap-guangzhou-3",
            "a \"quoted\" value",
            "back\\slash",
            "tab\there, new\nline, \u{1}, \u{1f}",
            "delete \u{7f}, é, 中文, 🦀",
            "/ is not escaped",
        ] {
            let mut out = JsonWriter::default();
            text.write_json(&mut out);
            text.to_owned().write_json(&mut out);
            let both = [
                serde_json::to_vec(text).unwrap(),
                serde_json::to_vec(text).unwrap(),
            ];
            assert_eq!(out.finish().unwrap(), both.concat(), "{text:?}");
        }
    }

    #[test]
    fn keys_are_written_as_serde_json_writes_them() {
        let mut out = JsonWriter::default();
        out.begin_object();
        for key in [
            "InstanceIds",
            "Filters_1",
            "a \"quoted\" key",
            "tab\there",
            "é",
        ] {
            out.key(key);
            out.serde(&1);
        }
        out.end_object();
        let written = out.finish().unwrap();
        let by_serde = serde_json::to_vec(&serde_json::json!({
            "InstanceIds": 1, "Filters_1": 1, "a \"quoted\" key": 1, "tab\there": 1, "é": 1
        }))
        .unwrap();
        // serde_json's map sorts its keys; compare the documents, then the escapes.
        let read: serde_json::Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(serde_json::to_vec(&read).unwrap(), by_serde);
        let text = String::from_utf8(written).unwrap();
        assert!(
            text.contains(r#""a \"quoted\" key":1"#) && text.contains(r#""tab\there":1"#),
            "{text}"
        );
    }
}
