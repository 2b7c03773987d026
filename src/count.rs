//! Counting under named conventions (字数). The definitions are those of
//! `../shared/cases/count_conventions.py`:
//! - `han`: CJK unified and compatibility ideographs, after removing invisible format characters;
//! - `cjk_punct`: full-width marks ，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—…·～ (—— and …… count 2);
//! - `grid` (方格纸 cells): han + cjk_punct + ⌈len/2⌉ per run of letters/digits (full-width folded;
//!   internal `. % + -` belong to the run) + 1 for any other visible symbol; whitespace and
//!   indentation take no cell (indentation is reported on its own as `indent_chars`);
//! - `nonspace`: every character that is not whitespace.

use crate::normalize::is_invisible;
use serde::Serialize;

/// A count convention a rubric's length rule is measured under.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Convention {
    /// 方格纸 cells, as an answer sheet counts them.
    #[default]
    #[serde(alias = "方格", alias = "格子")]
    Grid,
    /// Han characters only.
    #[serde(alias = "汉字")]
    Han,
    /// Every non-whitespace character.
    #[serde(alias = "非空白")]
    Nonspace,
}

impl Convention {
    pub fn name(self) -> &'static str {
        match self {
            Convention::Grid => "grid",
            Convention::Han => "han",
            Convention::Nonspace => "nonspace",
        }
    }
    /// The Chinese description shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            Convention::Grid => "方格计数",
            Convention::Han => "汉字计数",
            Convention::Nonspace => "非空白字符",
        }
    }
}

/// Every count of one text, each in its own unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Han characters.
    pub han: usize,
    /// Full-width Chinese punctuation marks (characters).
    pub cjk_punct: usize,
    /// Runs of letters/digits (each counted in grid as ⌈len/2⌉ cells).
    pub alnum_runs: usize,
    /// Other visible symbols (one cell each).
    pub other_symbols: usize,
    /// 方格纸 cells.
    pub grid: usize,
    /// Non-whitespace characters.
    pub nonspace: usize,
    /// Indentation characters at line starts (U+3000 and spaces), not part of any count above.
    pub indent_chars: usize,
    /// Invisible format characters ignored.
    pub invisible: usize,
}

impl Counts {
    pub fn get(&self, c: Convention) -> usize {
        match c {
            Convention::Grid => self.grid,
            Convention::Han => self.han,
            Convention::Nonspace => self.nonspace,
        }
    }
}

pub const CJK_PUNCT: &str = "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—…·～";

pub fn is_cjk_punct(c: char) -> bool {
    // The characters of `CJK_PUNCT`, as a match (a search through the string costs a scan per
    // character counted); a test pins the two to each other.
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〔'
            | '〕'
            | '—'
            | '…'
            | '·'
            | '～'
    )
}

/// Whether `b` starts with one of the marks of [`CJK_PUNCT`] written in three bytes (all but
/// ·): ！（），：；？ (EF BC xx), ～ (EF BD 9E), 、。〈〉《》「」『』【】〔〕 (E3 80 xx) and —‘’“”…
/// (E2 80 xx). A test checks it against [`is_cjk_punct`] over every character.
fn cjk_mark(b: &[u8]) -> bool {
    matches!(
        b,
        [
            0xEF,
            0xBC,
            0x81 | 0x88 | 0x89 | 0x8C | 0x9A | 0x9B | 0x9F,
            ..
        ] | [0xEF, 0xBD, 0x9E, ..]
            | [0xE3, 0x80, 0x81 | 0x82 | 0x88..=0x91 | 0x94 | 0x95, ..]
            | [0xE2, 0x80, 0x94 | 0x98 | 0x99 | 0x9C | 0x9D | 0xA6, ..]
    )
}

/// CJK unified ideographs (all extensions) and compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF | 0x2F800..=0x2FA1F | 0x30000..=0x323AF)
}

/// The Han characters of `t` in order, as code points: what
/// `t.chars().filter(|&c| is_han(c)).map(u32::from)` gives, read byte by byte. A Han character is
/// a 3-byte sequence (U+3400–U+FAFF) or a 4-byte one led by F0 (U+20000–U+3FFFF); every other
/// character is stepped over by its lead byte. A property test pins it to the filter.
pub fn han_chars(t: &str) -> HanChars<'_> {
    HanChars {
        bytes: t.as_bytes(),
        i: 0,
    }
}

/// The iterator of [`han_chars`].
pub struct HanChars<'a> {
    bytes: &'a [u8],
    i: usize,
}

impl Iterator for HanChars<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        let mut i = self.i;
        while let Some(&lead) = self.bytes.get(i) {
            if matches!(lead, 0xE5..=0xE9) {
                // U+5000–U+9FFF: Han throughout.
                let &[_, b1, b2, ..] = &self.bytes[i..] else {
                    break;
                };
                self.i = i + 3;
                return Some(
                    (u32::from(lead & 0x0F) << 12)
                        | (u32::from(b1 & 0x3F) << 6)
                        | u32::from(b2 & 0x3F),
                );
            }
            if lead < 0xC0 {
                i += 1;
            } else if lead < 0xE0 {
                i += 2;
            } else if lead < 0xF0 {
                let &[_, b1, b2, ..] = &self.bytes[i..] else {
                    break;
                };
                i += 3;
                let u = (u32::from(lead & 0x0F) << 12)
                    | (u32::from(b1 & 0x3F) << 6)
                    | u32::from(b2 & 0x3F);
                if (0x4E00..=0x9FFF).contains(&u)
                    || (0x3400..=0x4DBF).contains(&u)
                    || (0xF900..=0xFAFF).contains(&u)
                {
                    self.i = i;
                    return Some(u);
                }
            } else {
                let &[_, b1, b2, b3, ..] = &self.bytes[i..] else {
                    break;
                };
                i += 4;
                let u = (u32::from(lead & 0x07) << 18)
                    | (u32::from(b1 & 0x3F) << 12)
                    | (u32::from(b2 & 0x3F) << 6)
                    | u32::from(b3 & 0x3F);
                if char::from_u32(u).is_some_and(is_han) {
                    self.i = i;
                    return Some(u);
                }
            }
        }
        self.i = self.bytes.len();
        None
    }
}

/// Whether `s` holds at most `n` characters: what `s.chars().count() <= n` says, decided by its
/// length in bytes when that is enough (a character takes 1 to 4 bytes), so a long paragraph
/// tested against a heading's 30 characters is not counted through. A test pins it to the count.
#[inline]
pub fn chars_at_most(s: &str, n: usize) -> bool {
    s.len() <= n || (s.len() <= n.saturating_mul(4) && s.chars().count() <= n)
}

/// `s` when it holds at most `n` characters, else its first `n` characters and 「…」 (for quotes
/// in messages and reports).
pub fn truncate_chars(s: &str, n: usize) -> String {
    if chars_at_most(s, n) {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// Fold a full-width letter, digit or ASCII symbol (U+FF01–FF5E) to ASCII, leaving the marks
/// Chinese text uses as its own punctuation.
pub fn fold_width(c: char) -> char {
    let u = c as u32;
    if (0xFF01..=0xFF5E).contains(&u) && !is_cjk_punct(c) {
        char::from_u32(u - 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// Count a text (line ends already normalised) under every convention.
///
/// One pass over the characters. A run of letters/digits is what the pattern
/// `[A-Za-z0-9]+(?:[.%+\-][A-Za-z0-9]+)*%?` matches, searched leftmost-first over the text with
/// invisible characters removed and full width folded; [`Runs`] follows that pattern one
/// character at a time.
pub fn count(text: &str) -> Counts {
    let mut c = Counts::default();
    let mut at_line_start = true;
    // Visible characters that are neither han, CJK punctuation nor whitespace: the runs take
    // some of them, the rest are other symbols (one cell each).
    let mut symbols = 0;
    let mut runs = Runs::default();
    // The text not read yet.
    let mut rest = text;
    loop {
        // Fast path: a stretch of unified ideographs U+4000–U+9FFF (3-byte sequences led by
        // E4–E9) but U+4DC0–U+4DFF (E4 B7 xx, hexagram symbols), and of the 3-byte marks of
        // [`CJK_PUNCT`] ([`cjk_mark`]). None of them is invisible, whitespace or folded, and
        // each ends a run of letters/digits as '一' does.
        let bytes = rest.as_bytes();
        let mut i = 0;
        let mut han = 0;
        let mut marks = 0;
        loop {
            match bytes.get(i) {
                Some(0xE5..=0xE9) => han += 1,
                Some(0xE4) if bytes[i + 1] != 0xB7 => han += 1,
                Some(0xE2 | 0xE3 | 0xEF) if cjk_mark(&bytes[i..]) => marks += 1,
                _ => break,
            }
            i += 3;
        }
        if i > 0 {
            c.han += han;
            c.cjk_punct += marks;
            c.nonspace += han + marks;
            at_line_start = false;
            runs.push('一');
            rest = &rest[i..];
        }
        let mut chars = rest.chars();
        let Some(ch) = chars.next() else {
            break;
        };
        rest = chars.as_str();
        // CJK punctuation first: none of it is invisible, whitespace, han or folded (a test
        // checks), so it takes none of the branches below.
        if is_cjk_punct(ch) {
            at_line_start = false;
            c.cjk_punct += 1;
            c.nonspace += 1;
            runs.push(ch);
            continue;
        }
        if is_invisible(ch) {
            c.invisible += 1;
            continue;
        }
        if ch == '\n' {
            at_line_start = true;
        } else if at_line_start && (ch == '\u{3000}' || ch == ' ') {
            c.indent_chars += 1;
        } else {
            at_line_start = false;
        }
        // Folding changes only full-width ASCII forms, to ASCII: han and whitespace stay what
        // they are.
        if is_han(ch) {
            c.han += 1;
        } else if !ch.is_whitespace() {
            symbols += 1;
        }
        if !ch.is_whitespace() {
            c.nonspace += 1;
        }
        runs.push(fold_width(ch));
    }
    runs.finish();
    c.alnum_runs = runs.runs;
    // Every character of a run is an ASCII letter, digit or `. % + -`, one byte each.
    c.other_symbols = symbols - runs.run_chars;
    c.grid = c.han + c.cjk_punct + runs.cells + c.other_symbols;
    c
}

/// Runs of letters/digits, fed one (folded) character at a time.
#[derive(Default)]
struct Runs {
    /// Characters of the run being read (0: outside a run).
    len: usize,
    /// A separator `. % + -` right after the run, kept until the next character shows whether
    /// a letter or digit continues the run after it.
    sep: Option<char>,
    runs: usize,
    run_chars: usize,
    cells: usize,
}

impl Runs {
    fn push(&mut self, c: char) {
        let alnum = c.is_ascii_alphanumeric();
        if let Some(sep) = self.sep.take() {
            if alnum {
                // `[.%+\-][A-Za-z0-9]+`: the separator and this character join the run.
                self.len += 2;
                return;
            }
            // No letter or digit after the separator: a `%` still ends the run (`%?`); another
            // separator is left outside it.
            if sep == '%' {
                self.len += 1;
            }
            self.end();
        } else if self.len > 0 {
            if alnum {
                self.len += 1;
                return;
            }
            if matches!(c, '.' | '%' | '+' | '-') {
                self.sep = Some(c);
                return;
            }
            self.end();
        }
        if alnum {
            self.len = 1;
        }
    }

    /// The end of the text.
    fn finish(&mut self) {
        if self.sep.take() == Some('%') {
            self.len += 1;
        }
        if self.len > 0 {
            self.end();
        }
    }

    fn end(&mut self) {
        self.runs += 1;
        self.run_chars += self.len;
        self.cells += self.len.div_ceil(2);
        self.len = 0;
    }
}

impl Convention {
    /// The Chinese label of a convention given by name.
    pub fn label_of(name: &str) -> &'static str {
        match name {
            "han" => Convention::Han.label(),
            "nonspace" => Convention::Nonspace.label(),
            _ => Convention::Grid.label(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-length shortcut never changes the answer: strings of 1-, 2-, 3- and 4-byte
    /// characters in every mix up to 12 characters, against every bound from 0 to 50.
    #[test]
    fn chars_at_most_is_the_count() {
        let pieces = ["a", "é", "经", "𠀀", "。", " "];
        let mut texts = vec![String::new()];
        for len in 1..=12 {
            for k in 0..pieces.len() * 3 {
                texts.push(
                    (0..len)
                        .map(|i| pieces[(i * (k + 1) + k) % pieces.len()])
                        .collect(),
                );
            }
        }
        for t in &texts {
            for n in (0..=50).chain([usize::MAX / 2, usize::MAX]) {
                assert_eq!(chars_at_most(t, n), t.chars().count() <= n, "{t:?} {n}");
            }
        }
    }

    #[test]
    fn truncate_chars_keeps_n_characters() {
        assert_eq!(truncate_chars("经验材料", 4), "经验材料");
        assert_eq!(truncate_chars("经验材料写作", 4), "经验材料…");
        assert_eq!(truncate_chars("ab经", 2), "ab…");
        assert_eq!(truncate_chars("", 0), "");
    }

    #[test]
    fn cjk_punct_is_the_listed_set() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_cjk_punct(c), CJK_PUNCT.contains(c), "{c:?}");
        }
    }

    /// The byte test of the count's fast path takes exactly the marks of `CJK_PUNCT` written in
    /// three bytes.
    #[test]
    fn cjk_mark_is_the_three_byte_marks() {
        let mut n = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let taken = cjk_mark(c.encode_utf8(&mut buf).as_bytes());
            assert_eq!(taken, is_cjk_punct(c) && c.len_utf8() == 3, "{c:?}");
            n += usize::from(taken);
        }
        assert_eq!(n, CJK_PUNCT.chars().count() - 1);
    }

    #[test]
    fn cjk_punct_takes_no_other_branch() {
        for c in CJK_PUNCT.chars() {
            assert!(!crate::normalize::is_invisible(c) && !is_han(c), "{c:?}");
            assert!(
                !c.is_whitespace() && !matches!(c, '\n' | ' ' | '\u{3000}'),
                "{c:?}"
            );
            assert_eq!(fold_width(c), c);
        }
    }

    #[test]
    fn runs_follow_the_pattern() {
        // (text, runs, cells, other symbols)
        for (t, runs, cells, other) in [
            ("ab12", 1, 2, 0),
            ("5%", 1, 1, 0),
            ("5%%", 1, 1, 1),
            ("3.5", 1, 2, 0),
            ("1.2.3", 1, 3, 0),
            ("e.g.", 1, 2, 1),
            ("a+b-c", 1, 3, 0),
            ("5.%", 1, 1, 2),
            ("5%a", 1, 2, 0),
            ("x-", 1, 1, 1),
            ("-x", 1, 1, 1),
            ("５％", 1, 1, 0),
            ("a\u{200B}b", 1, 1, 0),
            ("a b", 2, 2, 0),
        ] {
            let c = count(t);
            assert_eq!(
                (c.alnum_runs, c.grid, c.other_symbols),
                (runs, cells + other, other),
                "{t}"
            );
        }
    }
}
