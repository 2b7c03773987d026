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

/// Where each line of `text` starts, as byte offsets: 0, and the offset after each line break.
/// Looks at 32 bytes at a time (an OR over bytes, which the compiler turns into a few vector
/// instructions), byte by byte only in those holding a line break: lines are long.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut chunks = text.as_bytes().chunks_exact(32);
    let mut base = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(0u8, |any, &b| any | u8::from(b == b'\n')) != 0 {
            let breaks = chunk.iter().enumerate().filter(|&(_, &b)| b == b'\n');
            starts.extend(breaks.map(|(k, _)| base + k + 1));
        }
        base += 32;
    }
    let breaks = chunks.remainder().iter().enumerate();
    starts.extend(
        breaks
            .filter(|&(_, &b)| b == b'\n')
            .map(|(k, _)| base + k + 1),
    );
    starts
}

/// Line starts and character checkpoints of a text, so that byte offsets turn into lines and
/// character offsets in constant time (reports locate thousands of hits in long answers).
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset of each line start.
    starts: Vec<usize>,
    /// Characters before each line start.
    line_chars: Vec<usize>,
    /// Characters starting before byte `k * STEP`, for each `k` up to the text's length: the
    /// bytes there that are not UTF-8 continuation bytes (10xxxxxx), each starting a character.
    checkpoints: Vec<usize>,
}

/// The characters starting in `bytes` (a slice of valid UTF-8 text, perhaps cut inside a
/// character): its bytes that are not continuation bytes.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    const STEP: usize = 64;

    pub fn new(text: &str) -> Self {
        let starts = line_starts(text);
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut chars = 0;
        checkpoints.push(0);
        for chunk in bytes.chunks_exact(Self::STEP) {
            // Summed as bytes (at most 64), which the compiler does a vector at a time.
            let n: u8 = chunk.iter().map(|&b| u8::from((b as i8) >= -0x40)).sum();
            chars += usize::from(n);
            checkpoints.push(chars);
        }
        let mut index = LineIndex {
            starts,
            line_chars: Vec::new(),
            checkpoints,
        };
        index.line_chars = index
            .starts
            .iter()
            .map(|&s| index.chars_before(bytes, s))
            .collect();
        index
    }

    /// Characters starting before byte `at` of `bytes` (the text this index was built from).
    fn chars_before(&self, bytes: &[u8], at: usize) -> usize {
        let at = at.min(bytes.len());
        let k = at / Self::STEP;
        self.checkpoints[k] + char_starts(&bytes[k * Self::STEP..at])
    }

    /// Character offset of byte offset `at` in `text` (the text this index was built from; `at`
    /// on a character boundary).
    pub fn chars_at(&self, text: &str, at: usize) -> usize {
        self.chars_before(text.as_bytes(), at)
    }

    /// Line and character column of byte offset `at` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, at: usize) -> LineCol {
        self.line_col_of(at, self.chars_at(text, at))
    }

    /// Line and character column of byte offset `at`, `chars` characters into the text (as
    /// [`Self::chars_at`] gives it).
    pub fn line_col_of(&self, at: usize, chars: usize) -> LineCol {
        let line = match self.starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        LineCol {
            line: line + 1,
            column: chars - self.line_chars[line] + 1,
        }
    }
}
