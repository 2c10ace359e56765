//! Server-sent events (`text/event-stream`), read incrementally: bytes in as they arrive,
//! whole events out as soon as their blank line has arrived. The format's rules: lines end
//! with LF, CRLF or CR; a line starting with `:` is a comment; `field: value` loses one
//! space after the colon; `data` lines of one event join with LF; a blank line ends an
//! event; an event cut off by the end of the stream is dropped.

use std::collections::VecDeque;
use std::fmt;

/// One event: its `event` name, if any, and its data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` field, if the event had one.
    pub event: Option<String>,
    /// The `data:` lines, joined with LF.
    pub data: String,
    /// The `id:` field, if any.
    pub id: Option<String>,
}

/// A stream whose line or event outgrew the parser's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit, in bytes.
    pub limit: usize,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an event stream's event is larger than {} bytes",
            self.limit
        )
    }
}

impl std::error::Error for TooLarge {}

/// An incremental parser.
#[derive(Debug)]
pub struct Parser {
    line: Vec<u8>,
    /// The last byte seen was a CR, so an LF that follows belongs to the same line end.
    after_cr: bool,
    current: SseEvent,
    has_data: bool,
    size: usize,
    limit: usize,
    ready: VecDeque<SseEvent>,
}

impl Parser {
    /// The largest event the parser accepts by default: 16 MiB.
    pub const DEFAULT_LIMIT: usize = 16 << 20;

    /// A parser that refuses events larger than `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            current: SseEvent::default(),
            has_data: false,
            size: 0,
            limit,
            ready: VecDeque::new(),
        }
    }

    /// Reads `bytes`; the events they complete wait in [`Parser::next_event`].
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), TooLarge> {
        let mut rest = bytes;
        if self.after_cr {
            self.after_cr = false;
            if let Some(tail) = rest.strip_prefix(b"\n") {
                rest = tail;
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.grow(end)?;
            self.line.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.line);
            self.line_ended(&line);
            self.line = line;
            self.line.clear();
            let cr = rest[end] == b'\r';
            rest = &rest[end + 1..];
            if cr {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
        }
        self.grow(rest.len())?;
        self.line.extend_from_slice(rest);
        Ok(())
    }

    /// The next complete event, if one has arrived.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        self.ready.pop_front()
    }

    fn grow(&mut self, by: usize) -> Result<(), TooLarge> {
        self.size += by;
        if self.size > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        Ok(())
    }

    fn line_ended(&mut self, line: &[u8]) {
        if line.is_empty() {
            let event = std::mem::take(&mut self.current);
            if std::mem::take(&mut self.has_data) {
                self.ready.push_back(event);
            }
            self.size = 0;
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"data" => {
                if self.has_data {
                    self.current.data.push('\n');
                }
                self.current.data.push_str(&value);
                self.has_data = true;
            }
            b"event" => self.current.event = Some(value.into_owned()),
            b"id" => self.current.id = Some(value.into_owned()),
            // `retry` and unknown fields do not change what a client reads.
            _ => {}
        }
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new(Self::DEFAULT_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = Parser::default();
        let mut out = Vec::new();
        for chunk in chunks {
            parser.push(chunk).unwrap();
            while let Some(e) = parser.next_event() {
                out.push(e);
            }
        }
        out
    }

    fn data(e: &[SseEvent]) -> Vec<&str> {
        e.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn events_end_at_a_blank_line_whatever_the_line_ends() {
        let lf = events(&[b"data: {\"a\":1}\n\ndata: {\"a\":2}\n\n"]);
        assert_eq!(data(&lf), ["{\"a\":1}", "{\"a\":2}"]);
        let crlf = events(&[b"data: x\r\n\r\ndata: y\r\n\r\n"]);
        assert_eq!(data(&crlf), ["x", "y"]);
        let cr = events(&[b"data: x\r\rdata: y\r\r"]);
        assert_eq!(data(&cr), ["x", "y"]);
    }

    #[test]
    fn an_event_split_anywhere_is_whole_once_its_blank_line_arrives() {
        let text = b"event: delta\r\ndata: {\"Choices\":[1]}\r\nid: 7\r\n\r\n";
        for cut in 1..text.len() {
            let (a, b) = text.split_at(cut);
            let got = events(&[a, b]);
            assert_eq!(got.len(), 1, "cut at {cut}");
            assert_eq!(got[0].data, "{\"Choices\":[1]}");
            assert_eq!(got[0].event.as_deref(), Some("delta"));
            assert_eq!(got[0].id.as_deref(), Some("7"));
        }
        // Nothing is handed over before the blank line.
        assert!(events(&[b"data: x\n"]).is_empty());
    }

    #[test]
    fn comments_multiline_data_and_fields_without_a_space() {
        let got = events(&[b": ping\n\ndata:one\ndata: two\nretry: 5\nunknown: z\n\n"]);
        assert_eq!(data(&got), ["one\ntwo"]);
        // An event without data is no event.
        assert!(events(&[b"event: x\n\n"]).is_empty());
    }

    #[test]
    fn an_oversized_event_is_refused() {
        let mut parser = Parser::new(8);
        assert!(parser.push(b"data: 1\n").is_ok());
        assert_eq!(parser.push(b"data: 123456\n"), Err(TooLarge { limit: 8 }));
    }
}
