//! Spec documents into rustdoc that builds without warnings and runs no doctest: code fences
//! become `text` blocks, indentation that Markdown would read as code is removed, brackets
//! and angle brackets outside code are escaped (no accidental links or HTML), and bare URLs
//! are wrapped as autolinks.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

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
        let mut lines = lines(text);
        if lines.is_empty() {
            lines.push(format!(" {fallback}"));
        }
        self.lines(lines)
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

/// The rustdoc lines for `text`, each starting with a space as `///` comments do.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let text = text.replace('\t', "    ");
    let mut in_list = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push(if in_fence {
                " ```".to_owned()
            } else {
                " ```text".to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
        } else if trimmed.is_empty() {
            out.push(String::new());
            in_list = false;
        } else {
            let item = is_list_item(trimmed);
            if in_list && !item {
                // A line after a list item would continue it lazily; make it a paragraph.
                out.push(String::new());
            }
            in_list = item;
            let trimmed = if item {
                tight_item(trimmed)
            } else {
                trimmed.to_owned()
            };
            out.push(format!(" {}", escape(&trimmed)));
        }
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
                " Use \\[this\\](x) &lt;b&gt;now&lt;/b&gt;:",
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
