//! Byte spans into a decoded answer, and the line index that turns them into line:column.

use serde::Serialize;

/// A byte range `start..end` into a document's decoded text (`start <= end`, both on char boundaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end}");
        Span {
            start,
            end: end.max(start),
        }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// A 1-based line and column; the column counts characters (not bytes, not display cells).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line of a text, for turning byte offsets into [`LineCol`].
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset of each line start.
    starts: Vec<usize>,
    /// Character offset of each line start.
    char_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let mut char_starts = vec![0];
        let mut chars = 0;
        let mut last = 0;
        for (i, _) in text.match_indices('\n') {
            chars += text[last..=i].chars().count();
            last = i + 1;
            starts.push(i + 1);
            char_starts.push(chars);
        }
        LineIndex {
            starts,
            char_starts,
        }
    }

    /// Character offset of byte offset `at` in `text` (the text this index was built from).
    pub fn chars_at(&self, text: &str, at: usize) -> usize {
        let line = match self.starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        self.char_starts[line]
            + text
                .get(self.starts[line]..at)
                .map_or(0, |s| s.chars().count())
    }

    /// Line and character column of byte offset `at` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, at: usize) -> LineCol {
        let line = match self.starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let column = text.get(start..at).map_or(0, |s| s.chars().count()) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Character offset of byte offset `at`.
    pub fn char_offset(text: &str, at: usize) -> usize {
        text.get(..at).map_or(0, |s| s.chars().count())
    }
}
