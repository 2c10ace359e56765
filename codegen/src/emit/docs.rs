//! Spec documents into rustdoc that builds without warnings and runs no doctest: code fences
//! become `text` blocks, indentation that Markdown would read as code is removed, brackets
//! and angle brackets outside code are escaped (no accidental links or HTML), and bare URLs
//! are wrapped as autolinks.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ".."]` attributes, one per line of `text`, or `fallback` when the text is
/// empty (every public item gets a doc).
pub fn attrs(text: &str, fallback: &str) -> TokenStream {
    let mut lines = lines(text);
    if lines.is_empty() {
        lines.push(format!(" {fallback}"));
    }
    quote!(#(#[doc = #lines])*)
}

/// The rustdoc lines for `text`, each starting with a space as `///` comments do.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
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
        } else {
            out.push(format!(" {}", escape(trimmed)));
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
    out.extend(
        text.trim_end()
            .lines()
            .map(|l| format!(" {}", l.replace("```", "'''"))),
    );
    out.push(" ```".to_owned());
    out
}

/// Escapes Markdown link brackets and HTML and wraps bare URLs, leaving inline code
/// (between backticks) as written.
pub fn escape(line: &str) -> String {
    if line.matches('`').count() < 2 {
        return escape_prose(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut parts = line.split('`').peekable();
    let mut in_code = false;
    while let Some(part) = parts.next() {
        if in_code {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
        if parts.peek().is_some() {
            out.push('`');
            in_code = !in_code;
        }
    }
    if in_code {
        // An unpaired backtick: the last part was prose after all.
        return escape_prose(line);
    }
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
        assert!(lines("  \n").is_empty());
        assert_eq!(
            escape("symbols `+@&._[]-:,` and [x]"),
            "symbols `+@&._[]-:,` and \\[x\\]"
        );
        assert_eq!(escape("odd ` [x]"), "odd ` \\[x\\]");
    }
}
