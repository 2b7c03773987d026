//! Markdown answers (.md, .markdown), parsed with pulldown-cmark (CommonMark, with tables,
//! strikethrough and YAML front matter): what the reader of the rendered answer sees is kept,
//! markup is blanked to spaces (line breaks kept), so every line:column still points into the
//! original file. Kept: the text of paragraphs, headings, list items, quotes and tables, inline
//! code's text, the numbers of ordered lists (`1.`, a visible numbering like Word's), and
//! indented blocks (Chinese paragraphs indented with four spaces are text, not code). Blanked:
//! heading marks (`#`, setext underlines), emphasis (`**一、健全机制**`), bullets, `>`, table
//! pipes, link targets, images, HTML tags and comments, front matter and fenced code blocks. A
//! fence or comment never closed is text: CommonMark would run it to the end of the file and hide
//! the rest of the answer. `#` headings become the answer's title and headings.

use crate::segment::Hints;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Whether a file name is a Markdown answer.
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The text with Markdown markup blanked, and the title and headings its headings give.
pub fn prepare(text: &str) -> (String, Hints) {
    let mut kept = Kept {
        text,
        keep: vec![false; text.len()],
        comment_close: None,
        tag_close: None,
    };
    let mut hints = Hints::default();
    let line_starts = crate::span::line_starts(text);
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at) - 1;
    let mut options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Front matter only when it reads as YAML: a first block of prose between two `---` lines
    // is the answer, not metadata.
    if yaml_front_matter(text) {
        options |= Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    }
    let mut images = 0usize;
    let mut metadata = false;
    // The code block being read: its kind, its range and the ranges of its text.
    let mut code: Option<(CodeBlockKind, Range<usize>, Vec<Range<usize>>)> = None;
    let mut html_block: Option<Range<usize>> = None;
    // Whether each open list is ordered.
    let mut lists: Vec<bool> = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let (line, level) = (line_of(range.start), level as u8);
                if level == 1 && hints.title_line.is_none() && hints.headings.is_empty() {
                    hints.title_line = Some(line);
                } else {
                    hints.headings.push((line, level.max(2) - 1));
                }
            }
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Start(Tag::MetadataBlock(_)) => metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => metadata = false,
            Event::Start(Tag::CodeBlock(kind)) => code = Some((kind, range, Vec::new())),
            Event::End(TagEnd::CodeBlock) => {
                if let Some((kind, block, texts)) = code.take() {
                    let as_text = match kind {
                        CodeBlockKind::Indented => true,
                        CodeBlockKind::Fenced(_) => !closed_fence(&text[block]),
                    };
                    if as_text {
                        texts.into_iter().for_each(|r| kept.mark(r));
                    }
                }
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(range),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = html_block.take() {
                    // A style sheet or a script is not text.
                    let head = text[block.clone()].trim_start().as_bytes();
                    let opens = |tag: &str| {
                        head.get(..tag.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(tag.as_bytes()))
                    };
                    if !(opens("<style") || opens("<script")) {
                        kept.html(block);
                    }
                }
            }
            Event::InlineHtml(_) => kept.html(range),
            Event::Start(Tag::List(first)) => lists.push(first.is_some()),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            // An ordered list's number is shown: kept (`1.`, `2)`).
            Event::Start(Tag::Item) if lists.last() == Some(&true) => {
                let item = &text[range.clone()];
                let lead = item.len() - item.trim_start().len();
                let digits = item[lead..].bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 && matches!(item.as_bytes().get(lead + digits), Some(b'.' | b')')) {
                    let start = range.start + lead;
                    kept.mark(start..start + digits + 1);
                }
            }
            Event::Text(_) => match code.as_mut() {
                Some((_, _, texts)) => texts.push(range),
                None if images == 0 && !metadata && html_block.is_none() => kept.mark(range),
                None => {}
            },
            // Inline code: its text, not its backticks.
            Event::Code(_) => {
                let s = &text[range.clone()];
                let inner = s.trim_start_matches('`');
                let start = range.start + s.len() - inner.len();
                let inner = inner.trim_end_matches('`');
                kept.mark(start..start + inner.len());
            }
            _ => {}
        }
    }
    kept.unmark_emphasis();
    (kept.into_text(), hints)
}

/// Which bytes of the text are kept (a character is kept by its first byte).
struct Kept<'a> {
    text: &'a str,
    keep: Vec<bool>,
    /// The last search for the end of an HTML comment (`-->`) and of a tag (`>`): where it
    /// started and what it found. Searches move forward through the file, so each is reused
    /// until passed: a file of unclosed `<!--` or `<a` is read once, not once per opener.
    comment_close: Option<(usize, Option<usize>)>,
    tag_close: Option<(usize, Option<usize>)>,
}

/// The first `needle` in `hay` at or after `from`, reusing `cache` (see [`Kept`]).
fn find_from(
    cache: &mut Option<(usize, Option<usize>)>,
    hay: &str,
    from: usize,
    needle: &str,
) -> Option<usize> {
    if let Some((start, found)) = *cache {
        if start <= from && found.is_none_or(|p| p >= from) {
            return found;
        }
    }
    let found = hay[from..].find(needle).map(|e| from + e);
    *cache = Some((from, found));
    found
}

impl Kept<'_> {
    fn mark(&mut self, r: Range<usize>) {
        if let Some(k) = self.keep.get_mut(r) {
            k.fill(true);
        }
    }

    /// Emphasis CommonMark leaves as text: its flanking rules do not close `**` next to Chinese
    /// punctuation (`**“放管服”**改革`, `**一、加强领导。**要…`). Runs of two or more `*` or
    /// `_` kept as text are markup, never Chinese prose: blanked.
    fn unmark_emphasis(&mut self) {
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if (b == b'*' || b == b'_') && self.keep[i] {
                let n = bytes[i..].iter().take_while(|&&x| x == b).count();
                if n >= 2 {
                    self.keep[i..i + n].fill(false);
                }
                i += n;
            } else {
                i += 1;
            }
        }
    }

    /// HTML: comments and tags blanked, what is between them kept. A comment never closed is
    /// text, up to the end of the block.
    fn html(&mut self, r: Range<usize>) {
        let text = self.text;
        let s = &text[r.clone()];
        let mut i = 0;
        while i < s.len() {
            let rest = &s[i..];
            let at = r.start + i;
            let markup = if rest.starts_with("<!--") {
                // Closed somewhere later in the file (a comment may run over several blocks).
                find_from(&mut self.comment_close, text, at + 4, "-->")
                    .map(|e| (e + 3).min(r.end) - at)
            } else if rest.starts_with('<')
                && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
            {
                find_from(&mut self.tag_close, text, at, ">")
                    .filter(|&e| e < r.end)
                    .map(|e| e + 1 - at)
            } else {
                None
            };
            match markup {
                Some(n) => i += n,
                None => {
                    let n = rest.chars().next().map_or(1, char::len_utf8);
                    self.mark(r.start + i..r.start + i + n);
                    i += n;
                }
            }
        }
    }

    fn into_text(self) -> String {
        self.text
            .char_indices()
            .map(|(i, c)| if c == '\n' || self.keep[i] { c } else { ' ' })
            .collect()
    }
}

/// Whether the file opens with front matter that reads as YAML: a `---` line, then up to the
/// next `---` or `...` line only blank lines, comments, `key: value` lines and list items.
fn yaml_front_matter(text: &str) -> bool {
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    for line in lines {
        let t = line.trim();
        if matches!(t, "---" | "...") {
            return true;
        }
        let yaml = t.is_empty()
            || t.starts_with('#')
            || t.starts_with("- ")
            || line.starts_with([' ', '\t'])
            || t.split_once(':').is_some_and(|(key, rest)| {
                !key.is_empty()
                    && !key.contains(char::is_whitespace)
                    && (rest.is_empty() || rest.starts_with(' '))
            });
        if !yaml {
            return false;
        }
    }
    false
}

/// Whether a fenced code block's source ends with its closing fence (the same character, at
/// least as many times, alone on the last line).
fn closed_fence(block: &str) -> bool {
    let mut lines = block.trim_end_matches('\n').lines();
    let Some(open) = lines.next().map(str::trim_start) else {
        return false;
    };
    let Some(mark) = open.chars().next() else {
        return false;
    };
    let width = open.chars().take_while(|&c| c == mark).count();
    lines.next_back().is_some_and(|last| {
        let last = last.trim();
        last.chars().all(|c| c == mark) && last.chars().count() >= width
    })
}
