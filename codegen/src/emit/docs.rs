//! Spec documents into rustdoc that renders and builds without warnings, and runs no
//! doctest: HTML becomes Markdown ([`markdown`]); code fences become `text` blocks;
//! indentation that Markdown would read as code is removed; line breaks stay line breaks;
//! links to web addresses stay links, other brackets and angle brackets outside code are
//! escaped (no accidental intra-doc links or HTML), and bare URLs are wrapped as autolinks.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use super::markdown;
use crate::model::Service;
use crate::spec::Site;

/// What the docs say of an item that one site's catalog alone lists.
pub fn listed(only: Option<Site>) -> Option<String> {
    only.map(|site| format!("Listed in {} only.", site.catalog()))
}

/// A version module's one-line doc: the service and version, and the one site whose catalog
/// alone lists it, if so.
pub fn version_doc(service: &Service) -> String {
    let mut doc = format!(" `{}` API version {}.", service.name, service.version);
    if let Some(note) = listed(service.only) {
        doc.push(' ');
        doc.push_str(&note);
    }
    doc
}

/// The doc comments of one file, kept out of its tokens while they are formatted.
///
/// An item's documentation is a one-line marker attribute in the tokens (`#[doc = "\u{1}7"]`,
/// printed `///\u{1}7`) and its lines here; [`Docs::attach`] puts the lines in place of the
/// markers in the formatted text. Parsing and printing the documents as one attribute per
/// line was most of the generator's time (docs/benchmarks.md, "Generation").
#[derive(Debug, Default)]
pub struct Docs {
    blocks: RefCell<Vec<Vec<String>>>,
}

/// What starts a marker, after the `///` it is printed with: a control character no
/// document line starts with (each starts with a space, or is empty).
const MARKER: char = '\u{1}';

impl Docs {
    /// The marker of a doc comment of `lines`, each starting with a space as `///` comments
    /// do; nothing when there are none.
    pub fn lines(&self, lines: Vec<String>) -> TokenStream {
        if lines.is_empty() {
            return TokenStream::new();
        }
        let mut blocks = self.blocks.borrow_mut();
        let marker = format!("{MARKER}{}", blocks.len());
        blocks.push(lines);
        quote!(#[doc = #marker])
    }

    /// The marker of the doc comment of `text`, or of `fallback` when the text is empty
    /// (every public item gets a doc).
    pub fn text(&self, text: &str, fallback: &str) -> TokenStream {
        self.lines(lines_or(text, fallback))
    }

    /// `formatted` with each marker line replaced by its doc comment, at its indentation.
    pub fn attach(&self, formatted: &str) -> String {
        let blocks = self.blocks.borrow();
        let mut out = String::with_capacity(formatted.len() + formatted.len() / 2);
        for line in formatted.split_inclusive('\n') {
            let indent = line.len() - line.trim_start().len();
            let block = line[indent..]
                .strip_prefix("///")
                .and_then(|rest| rest.strip_prefix(MARKER))
                .and_then(|rest| rest.trim_end().parse::<usize>().ok())
                .and_then(|index| blocks.get(index));
            match block {
                Some(block) => {
                    for doc in block {
                        out.push_str(&line[..indent]);
                        out.push_str("///");
                        // As prettyplease prints a doc attribute.
                        out.push_str(doc.trim_end_matches(' '));
                        out.push('\n');
                    }
                }
                None => out.push_str(line),
            }
        }
        out
    }
}

/// [`lines`] of `text`, or the one line `fallback` when the text is empty (every public
/// item gets a doc).
pub fn lines_or(text: &str, fallback: &str) -> Vec<String> {
    let mut lines = lines(text);
    if lines.is_empty() {
        lines.push(format!(" {fallback}"));
    }
    lines
}

/// The rustdoc lines for `text`, each starting with a space as `///` comments do: its HTML
/// as Markdown ([`markdown`]), then made safe line by line.
///
/// A line break in the document is a line break in the docs (a trailing `\`, Markdown's
/// hard break), between two lines of prose; list items, table rows, code blocks and blank
/// lines need none.
pub fn lines(text: &str) -> Vec<String> {
    let text = markdown::from_html(text).replace('\t', "    ");
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_list = false;
    // Whether the last line written is prose that a next prose line should break from.
    let mut prose = false;
    // Whether blank lines came since the last line written.
    let mut blank = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if blank && !in_fence {
                out.push(String::new());
            }
            blank = false;
            in_list = false;
            out.push(if in_fence {
                " ```".to_owned()
            } else {
                " ```text".to_owned()
            });
            in_fence = !in_fence;
            prose = false;
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        if trimmed.is_empty() {
            // One blank line, however many the document has, written before the next line.
            blank = !out.is_empty();
            prose = false;
            continue;
        }
        let item = is_list_item(trimmed);
        let row = trimmed.starts_with('|');
        let last_row = out.last().is_some_and(|l| l.starts_with(" |"));
        if blank && !(in_list && item) {
            // Between two list items a blank line would space the list out: none there.
            out.push(String::new());
        } else if (in_list && !item && !row) || (row && prose) || (last_row && !row) {
            // A line after a list item would continue it lazily, a table needs a line of
            // its own before it, and a line after a table would be one of its rows: a
            // paragraph break.
            out.push(String::new());
            prose = false;
        }
        blank = false;
        in_list = item;
        let trimmed = if item {
            tight_item(trimmed)
        } else {
            trimmed.to_owned()
        };
        let is_prose = !item && !row && !trimmed.starts_with('#');
        if prose && is_prose {
            if let Some(last) = out.last_mut() {
                last.push('\\');
            }
        }
        out.push(format!(" {}", escape(&trimmed)));
        prose = is_prose;
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// A block of text kept verbatim, such as an example request.
pub fn text_block(text: &str) -> Vec<String> {
    let mut out = vec![" ```text".to_owned()];
    let text = text.replace('\t', "    ");
    out.extend(
        text.trim_end()
            .lines()
            .map(|l| format!(" {}", l.replace("```", "'''").trim_end())),
    );
    out.push(" ```".to_owned());
    out
}

/// A list item with one space after its marker: with four or more, Markdown would read the
/// item's text as an indented code block (which rustdoc then compiles as Rust).
fn tight_item(line: &str) -> String {
    let marker = line.find(' ').unwrap_or(line.len());
    format!("{} {}", &line[..marker], line[marker..].trim_start())
}

/// `- x`, `* x`, `+ x`, `1. x`, `1) x`: a Markdown list item.
fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Escapes Markdown link brackets and HTML and wraps bare URLs, leaving inline code
/// (between unescaped backticks) as written.
pub fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut prose_start = 0;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        let opens = bytes[i] == b'`' && (i == 0 || bytes[i - 1] != b'\\');
        let close = opens
            .then(|| line[i + 1..].find('`').map(|at| i + 1 + at))
            .flatten();
        match close {
            Some(end) => {
                out.push_str(&escape_prose(&line[prose_start..i]));
                out.push_str(&line[i..=end]);
                i = end + 1;
                prose_start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&escape_prose(&line[prose_start..]));
    out
}

fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        let url_at = [rest.find("http://"), rest.find("https://")]
            .into_iter()
            .flatten()
            .min();
        let link_at = markdown_link(rest);
        if let Some((at, text, url, len)) = link_at.filter(|l| url_at.is_none_or(|u| l.0 < u)) {
            // `[text](https://..)`: a link, its text made safe.
            escape_plain(&rest[..at], &mut out);
            out.push('[');
            escape_plain(text, &mut out);
            out.push_str("](");
            out.push_str(url);
            out.push(')');
            rest = &rest[at + len..];
            continue;
        }
        let (before, after) = match url_at {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        escape_plain(before, &mut out);
        if after.is_empty() {
            break;
        }
        let end = after
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '<' | '>'
                            | '"'
                            | '\''
                            | '`'
                            | '['
                            | ']'
                            | '('
                            | ')'
                            | '，'
                            | '。'
                            | '）'
                            | '（'
                            | '|'
                            | '；'
                            | '：'
                            | '、'
                            | '！'
                            | '？'
                    )
            })
            .unwrap_or(after.len());
        let url = after[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &after[url.len()..];
    }
    out
}

/// The first Markdown link to a web address in `text` (`[text](https://..)`): where it
/// starts, its text, its address and its length.
fn markdown_link(text: &str) -> Option<(usize, &str, &str, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let inner = &text[open + 1..];
        if let Some(close) = inner.find("](") {
            let label = &inner[..close];
            let target = &inner[close + 2..];
            if let Some(end) = target.find(')') {
                let url = target[..end].trim();
                if !label.is_empty()
                    && !label.contains('[')
                    && markdown::is_web_url(url)
                    && !url.contains(['<', '>', '`'])
                {
                    return Some((open, label, url, 1 + close + 2 + end + 1));
                }
            }
        }
        from = open + 1;
    }
    None
}

fn escape_plain(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_links_html_and_urls_are_made_safe() {
        let text = "Use [this](x) <b>now</b>:\n    indented\n```\nlet x = [1];\n```\nSee https://intl.cloud.tencent.com/document/product/850/93332?from_cn_redirect=1.";
        assert_eq!(
            lines(text),
            [
                " Use \\[this\\](x) **now**:\\",
                " indented",
                " ```text",
                " let x = [1];",
                " ```",
                " See <https://intl.cloud.tencent.com/document/product/850/93332?from_cn_redirect=1>.",
            ]
        );
        assert_eq!(lines("```json\n{}"), [" ```text", " {}", " ```"]);
        assert_eq!(
            lines("- a\n1. b\nafter\tx"),
            [" - a", " 1. b", "", " after    x"]
        );
        assert!(lines("  \n").is_empty());
        // Line breaks between prose lines stay; blank lines collapse; links to the web stay
        // links; a table stays a table.
        assert_eq!(
            lines("Values:\nA: on\nB: off\n\n\n\nSee [the guide](https://cloud.tencent.com/document/1) or [x]."),
            [
                " Values:\\",
                " A: on\\",
                " B: off",
                "",
                " See [the guide](https://cloud.tencent.com/document/1) or \\[x\\].",
            ]
        );
        assert_eq!(
            lines("<table><tr><th>a</th></tr><tr><td>b</td></tr></table>"),
            [" | a |", " | --- |", " | b |"]
        );
        // Text four spaces after a list marker stays text, not an indented code block.
        assert_eq!(
            lines("- a\n-     -9103 告警，\n1.    b"),
            [" - a", " - -9103 告警，", " 1. b"]
        );
        // A URL ends at a table's bar and at full-width punctuation.
        assert_eq!(
            escape("示例: https://essurl.cn/x9nvWU8fTg| 或 https://a.cn/b；c"),
            "示例: <https://essurl.cn/x9nvWU8fTg>| 或 <https://a.cn/b>；c"
        );
        assert_eq!(
            escape("symbols `+@&._[]-:,` and [x]"),
            "symbols `+@&._[]-:,` and \\[x\\]"
        );
        assert_eq!(escape("odd ` [x]"), "odd ` \\[x\\]");
        // An escaped backtick opens no code span.
        assert_eq!(escape(r"a \` <br> `x<y`"), r"a \` &lt;br&gt; `x<y`");
    }
}
