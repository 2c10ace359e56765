//! A body's text read into its [`Json`] tree in one pass over the bytes: the step every
//! response takes, so it is our own, without a deserializer's visitor between the bytes and
//! the tree.
//!
//! serde_json stays the authority on what JSON is. This reader takes the JSON it reads the
//! same way as serde_json reads it (the same numbers, the same text, the same tree), and
//! declines everything else, with no reason given: a syntax error, invalid UTF-8, a number
//! beyond an f64 or longer than [`LONGEST_NUMBER`], a lone surrogate, nesting deeper than
//! [`DEPTH`]. [`Json::parse`] reads a declined body again with serde_json, whose tree or
//! error (with its line and column) is then the answer: a body reads exactly as it did when
//! serde_json read every one. The fuzz target `json` holds this reader to serde_json on any
//! bytes (`tencentcloud_runtime::fuzzing::json`), and a review of it found the long numbers.

use std::borrow::Cow;

use super::json::{Json, Number};

/// The deepest nesting this reader takes; deeper bodies (serde_json refuses beyond 127) are
/// left to serde_json.
const DEPTH: usize = 64;

/// The longest number this reader takes, in bytes. Longer ones (no answer sends them) are
/// left to serde_json, which reads a number of more than 768 digits otherwise than the
/// nearest f64 (`1` and 791 zeros then `e-768` is 1.0000000000000001e23 there, 1e23 in
/// Rust's own parsing): serde_json is the authority.
const LONGEST_NUMBER: usize = 100;

/// The tree of `body`, or `None` where serde_json is to read it (see the module).
pub(super) fn tree(body: &[u8]) -> Option<Json<'_>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut reader = Reader { text, at: 0 };
    reader.skip_space();
    let value = reader.value(0)?;
    reader.skip_space();
    (reader.at == text.len()).then_some(value)
}

/// A position in the body's text.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Steps over `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn skip_digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// The value that starts here, inside `depth` open lists and objects.
    fn value(&mut self, depth: usize) -> Option<Json<'a>> {
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.list(depth + 1),
            b'"' => self.text().map(Json::Text),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'n' => self.word("null", Json::Null),
            b'-' | b'0'..=b'9' => self.number().map(Json::Number),
            _ => None,
        }
    }

    fn word(&mut self, word: &str, value: Json<'a>) -> Option<Json<'a>> {
        let rest = self.text.get(self.at..)?;
        rest.starts_with(word).then(|| {
            self.at += word.len();
            value
        })
    }

    fn object(&mut self, depth: usize) -> Option<Json<'a>> {
        let mut members = Vec::new();
        self.each(depth, b'}', |reader| {
            if reader.peek()? != b'"' {
                return None;
            }
            let key = reader.text()?;
            reader.skip_space();
            if !reader.eat(b':') {
                return None;
            }
            reader.skip_space();
            members.push((key, reader.value(depth)?));
            Some(())
        })?;
        Some(Json::Object(members))
    }

    fn list(&mut self, depth: usize) -> Option<Json<'a>> {
        let mut items = Vec::new();
        self.each(depth, b']', |reader| {
            items.push(reader.value(depth)?);
            Some(())
        })?;
        Some(Json::List(items))
    }

    /// Steps over an object or a list from its opening byte to its `close`, `read` reading
    /// each member or item, separated by commas. `depth` counts the one being opened.
    fn each(
        &mut self,
        depth: usize,
        close: u8,
        mut read: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if depth > DEPTH {
            return None;
        }
        self.at += 1;
        self.skip_space();
        if self.eat(close) {
            return Some(());
        }
        loop {
            self.skip_space();
            read(self)?;
            self.skip_space();
            if self.eat(close) {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// The text of the string that starts here, borrowed from the body unless it has escapes.
    fn text(&mut self) -> Option<Cow<'a, str>> {
        self.at += 1;
        let start = self.at;
        self.skip_plain();
        if self.eat(b'"') {
            return self.text.get(start..self.at - 1).map(Cow::Borrowed);
        }
        // Every stop is at an ASCII byte, so every slice here is on a character boundary.
        let mut owned = String::from(self.text.get(start..self.at)?);
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(owned));
                }
                b'\\' => {
                    let escaped = *self.text.as_bytes().get(self.at + 1)?;
                    self.at += 2;
                    owned.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return None,
                    });
                }
                _ => {
                    let run = self.at;
                    self.skip_plain();
                    if self.at == run {
                        // A control character, which JSON text must escape.
                        return None;
                    }
                    owned.push_str(self.text.get(run..self.at)?);
                }
            }
        }
    }

    /// Steps over text that needs no unescaping: up to a quote, a backslash, a control
    /// character or the end.
    fn skip_plain(&mut self) {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        self.at += crate::json_text::plain_run(rest);
    }

    /// The character of a `\u` escape (after its `\u`), a surrogate pair taken whole.
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        match first {
            0xD800..=0xDBFF => {
                if self.text.as_bytes().get(self.at..self.at + 2)? != b"\\u" {
                    return None;
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            code => char::from_u32(code),
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// The number that starts here, as serde_json reads it: an integer without a fraction
    /// or exponent is a u64, or an i64 if negative, when it fits; anything else is the
    /// nearest f64. Declined: a number beyond an f64's range, and one longer than
    /// [`LONGEST_NUMBER`].
    fn number(&mut self) -> Option<Number> {
        let start = self.at;
        let negative = self.eat(b'-');
        let digits_start = self.at;
        match self.peek()? {
            b'0' => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return None;
                }
            }
            b'1'..=b'9' => {
                self.skip_digits();
            }
            _ => return None,
        }
        let digits_end = self.at;
        let mut float = false;
        if self.eat(b'.') {
            if self.skip_digits() == 0 {
                return None;
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.skip_digits() == 0 {
                return None;
            }
            float = true;
        }
        let text = self.text.get(start..self.at)?;
        if text.len() > LONGEST_NUMBER {
            return None;
        }
        let integer = if float {
            None
        } else {
            self.text.get(digits_start..digits_end)?.parse::<u64>().ok()
        };
        let signed = match (integer, negative) {
            (Some(n), false) => return Some(Number::Unsigned(n)),
            // `-0` is the float -0.0, in serde_json and so here.
            (Some(n), true) if n != 0 => 0i64.checked_sub_unsigned(n),
            _ => None,
        };
        if let Some(n) = signed {
            return Some(Number::Signed(n));
        }
        let x: f64 = text.parse().ok()?;
        x.is_finite().then_some(Number::Float(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json makes of `body`, through the tree's own `Deserialize`.
    fn serde_tree(body: &str) -> Option<Json<'_>> {
        serde_json::from_str(body).ok()
    }

    #[test]
    fn reads_what_serde_json_reads_as_serde_json_reads_it() {
        for body in [
            r#"{"Response":{"RequestId":"b46d2afe-6893-4529-bc96-2c82d9214957"}}"#,
            " { \"a\" : [ 1 , -2 , 3.5 , -0 , 0 , 1e3 , 2E-2 , true , false , null ] } \n",
            r#"{"k":"tab\tquote\" slash\/ back\\ \u00e9 \ud83d\ude00 \u4e2d","k":"twice"}"#,
            r#"{"big":18446744073709551615,"bigger":18446744073709551616,"low":-9223372036854775808,"lower":-9223372036854775809}"#,
            r#"{"x":0.1,"y":123456789012345678901234567890,"z":-1.5e-300,"w":5e-324}"#,
            r#"["中文", "ü", {}, [], [[]], {"": ""}]"#,
            "\"text\"",
            "12",
        ] {
            let ours = tree(body.as_bytes());
            assert!(ours.is_some(), "declined {body}");
            assert_eq!(ours, serde_tree(body), "{body}");
        }
        let Some(Json::List(items)) = tree(b"[-0, -0.0]") else {
            panic!("a list");
        };
        for item in items {
            let Json::Number(Number::Float(x)) = item else {
                panic!("{item:?} is not a float");
            };
            assert!(x == 0.0 && x.is_sign_negative());
        }
    }

    #[test]
    fn declines_what_serde_json_refuses_and_what_it_leaves_to_serde_json() {
        let deep = format!("{}{}", "[".repeat(DEPTH + 1), "]".repeat(DEPTH + 1));
        // Its value is 1e23; serde_json reads it one step above.
        let long = format!("1{}e-768", "0".repeat(791));
        for body in [
            "",
            " ",
            "{",
            r#"{"a":1,}"#,
            "[1,]",
            r#"{"a" 1}"#,
            "01",
            "1.",
            "1e",
            "-",
            "+1",
            "1e400",
            "-1e400",
            "tru",
            "nul",
            "[true false]",
            "\"unterminated",
            "\"control \u{1} character\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            "{} {}",
            deep.as_str(),
            long.as_str(),
        ] {
            assert_eq!(tree(body.as_bytes()), None, "took {body:?}");
        }
        assert_eq!(tree(b"\"\xff\""), None);
        let within = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
        assert!(tree(within.as_bytes()).is_some());
    }
}
