//! The HTML in the catalog's documents, as the Markdown rustdoc renders: paragraphs, line
//! breaks, lists, bold and italics, code, preformatted blocks, links, headings and tables
//! become what they are; tags of no meaning to a reader (`font`, `span`) go and keep their
//! text; anything else that looks like a tag (`<task id>`, a stray `<`) stays text, which
//! [`super::docs`] then escapes.
//!
//! Only the structure is decided here; escaping what Markdown would misread and splitting
//! into doc lines is [`super::docs`]'s job.

/// `text` with its HTML tags turned into Markdown.
pub fn from_html(text: &str) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut out = Converter::default();
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.text(&rest[..lt]);
        let at = &rest[lt..];
        match Tag::parse(at) {
            Some((tag, len)) if out.tag(&tag) => rest = &at[len..],
            _ => {
                out.text("<");
                rest = &at[1..];
            }
        }
    }
    out.text(rest);
    out.finish()
}

/// One HTML tag: `<a href="..">`, `</li>`, `<br/>`.
#[derive(Debug)]
struct Tag<'a> {
    /// Lowercase.
    name: String,
    closing: bool,
    attrs: &'a str,
}

impl<'a> Tag<'a> {
    /// The tag at the start of `text` and its length, if it is one.
    fn parse(text: &'a str) -> Option<(Self, usize)> {
        let inner = text.strip_prefix('<')?;
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let name_len = inner
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let end = inner.find('>')?;
        if end < name_len || inner[..end].contains('<') {
            return None;
        }
        let attrs = &inner[name_len..end];
        // A name ends at a space, `/` or `>` (`<ab-c>` is no tag).
        if !attrs.is_empty() && !attrs.starts_with([' ', '/']) {
            return None;
        }
        let tag = Tag {
            name: inner[..name_len].to_ascii_lowercase(),
            closing,
            attrs,
        };
        Some((tag, 1 + usize::from(closing) + end + 1))
    }

    /// The value of attribute `name`, quoted with `"` or `'`.
    fn attr(&self, name: &str) -> Option<&'a str> {
        let lower = self.attrs.to_ascii_lowercase();
        let at = lower.find(&format!("{name}="))? + name.len() + 1;
        let value = &self.attrs[at..];
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &value[1..];
        Some(&value[..value.find(quote)?])
    }
}

/// What the conversion has written, and the open lists, link, code and table.
#[derive(Debug, Default)]
struct Converter {
    out: String,
    /// Each open list: numbered or not, and the next number.
    lists: Vec<(bool, u32)>,
    /// The open link's target, and where its text starts in `out`.
    link: Option<(String, usize)>,
    /// Inside `<code>` or `<pre>`: text is kept as written, entities decoded.
    code: bool,
    pre: bool,
    /// The open table's rows of cells; text goes into the last cell.
    table: Option<Vec<Vec<String>>>,
    /// Whether a list item is open: a `</li>` with none open starts one (catalogs write
    /// `</li>` for `<li>` now and then).
    in_item: bool,
}

impl Converter {
    fn text(&mut self, text: &str) {
        let text = if self.code || self.pre {
            decode_entities(text)
        } else {
            text.to_owned()
        };
        match self
            .table
            .as_mut()
            .and_then(|rows| rows.last_mut()?.last_mut())
        {
            Some(cell) => cell.push_str(&text),
            None => self.out.push_str(&text),
        }
    }

    /// Writes what `tag` means; false for a tag that is not converted (it stays text).
    fn tag(&mut self, tag: &Tag) -> bool {
        let open = !tag.closing;
        match tag.name.as_str() {
            "p" | "div" | "blockquote" => self.block(),
            "br" => self.text("\n"),
            "ul" | "ol" if open => {
                self.lists.push((tag.name == "ol", 1));
                self.block();
            }
            "ul" | "ol" => {
                self.lists.pop();
                self.block();
            }
            "li" if open || !self.in_item => {
                self.in_item = true;
                let marker = match self.lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_owned(),
                };
                self.text(&format!("\n{marker}"));
            }
            "li" => {
                self.in_item = false;
                self.text("\n");
            }
            "b" | "strong" => self.text("**"),
            "i" | "em" => self.text("*"),
            "del" | "s" | "strike" => self.text("~~"),
            "code" if !self.pre => {
                self.code = open;
                self.text("`");
            }
            "code" => {}
            "pre" => {
                self.pre = open;
                self.text(if open { "\n```text\n" } else { "\n```\n" });
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if open {
                    self.block();
                    self.text("**");
                } else {
                    self.text("**");
                    self.block();
                }
            }
            "a" if open => {
                let href = tag.attr("href").unwrap_or_default().trim().to_owned();
                let start = self.out.len();
                self.text("[");
                self.link = Some((href, start));
            }
            "a" => self.close_link(),
            "img" => {
                if let Some(src) = tag.attr("src").filter(|s| is_web_url(s)) {
                    let alt = tag.attr("alt").filter(|a| !a.trim().is_empty());
                    self.text(&format!("[image: {}]({src})", alt.unwrap_or("picture")));
                }
            }
            "table" if open => self.table = Some(Vec::new()),
            "table" => self.close_table(),
            "tr" if open => {
                if let Some(rows) = self.table.as_mut() {
                    rows.push(Vec::new());
                }
            }
            "td" | "th" if open => {
                if let Some(rows) = self.table.as_mut() {
                    if rows.is_empty() {
                        rows.push(Vec::new());
                    }
                    if let Some(row) = rows.last_mut() {
                        row.push(String::new());
                    }
                }
            }
            "tr" | "td" | "th" | "thead" | "tbody" | "tfoot" | "font" | "span" | "u" | "sup"
            | "sub" | "small" | "big" | "center" => {}
            _ => return false,
        }
        true
    }

    /// A paragraph break (a space inside a table cell, where a row is one line).
    fn block(&mut self) {
        if self.table.is_some() {
            self.text(" ");
        } else {
            self.out.push_str("\n\n");
        }
    }

    fn close_link(&mut self) {
        let Some((href, start)) = self.link.take() else {
            return;
        };
        if self.table.is_some() {
            // A link inside a cell: its text, and the address after it.
            if is_web_url(&href) {
                self.text(&format!(" ({href})"));
            }
            return;
        }
        if is_web_url(&href) && self.out.len() > start + 1 {
            self.out.push_str(&format!("]({href})"));
        } else {
            // No address a reader can follow: the text alone.
            self.out.remove(start);
        }
    }

    fn close_table(&mut self) {
        let Some(rows) = self.table.take() else {
            return;
        };
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|row| row.iter().map(|cell| table_cell(cell)).collect())
            .filter(|row: &Vec<String>| !row.is_empty())
            .collect();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        self.block();
        for (i, row) in rows.iter().enumerate() {
            let mut line = String::from("|");
            for c in 0..columns {
                line.push(' ');
                line.push_str(row.get(c).map_or("", String::as_str));
                line.push_str(" |");
            }
            self.out.push_str(&line);
            self.out.push('\n');
            if i == 0 {
                self.out.push('|');
                self.out.push_str(&" --- |".repeat(columns));
                self.out.push('\n');
            }
        }
        self.block();
    }

    fn finish(mut self) -> String {
        self.close_link();
        self.close_table();
        self.out
    }
}

/// A table cell's text on one line, with its bars escaped.
fn table_cell(cell: &str) -> String {
    cell.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// An `http://` or `https://` address with no space in it: a link a reader can follow.
pub(super) fn is_web_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
}

/// The few entities documents use, as characters (for code, which shows them as written).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::from_html;

    #[test]
    fn structure_becomes_markdown() {
        assert_eq!(
            from_html("<p>Valid values:</p><ul><li>UNDO: <b>not run</b></li><li>DONE</li></ul>"),
            "\n\nValid values:\n\n\n\n\n- UNDO: **not run**\n\n- DONE\n\n\n"
        );
        assert_eq!(from_html("a<br>b<br/>c"), "a\nb\nc");
        // A `</li>` where none is open starts an item.
        assert_eq!(from_html("<li>a</li>\n</li>b</li>"), "\n- a\n\n\n- b\n");
        assert_eq!(
            from_html("<ol><li>one</li><li>two</li></ol>"),
            "\n\n\n1. one\n\n2. two\n\n\n"
        );
        assert_eq!(
            from_html("see <a href=\"https://cloud.tencent.com/doc\">the docs</a>."),
            "see [the docs](https://cloud.tencent.com/doc)."
        );
        assert_eq!(
            from_html("see <a href=\"/document/api/1\">the docs</a>."),
            "see the docs."
        );
        assert_eq!(
            from_html("<code>a &lt; b</code> and <pre>x &amp; y</pre>"),
            "`a < b` and \n```text\nx & y\n```\n"
        );
        assert_eq!(
            from_html("<table><tr><th>Key</th><th>Meaning</th></tr><tr><td>a|b</td><td><b>x</b><br>y</td></tr></table>"),
            "\n\n| Key | Meaning |\n| --- | --- |\n| a\\|b | **x** y |\n\n\n"
        );
        assert_eq!(from_html("<font color=\"red\">careful</font>"), "careful");
    }

    #[test]
    fn what_is_not_a_tag_stays_text() {
        assert_eq!(from_html("a <task id> b"), "a <task id> b");
        assert_eq!(from_html("x < y > z"), "x < y > z");
        assert_eq!(from_html("<svg><g>"), "<svg><g>");
        assert_eq!(from_html("1<2"), "1<2");
        assert_eq!(from_html("<li unclosed"), "<li unclosed");
    }
}
