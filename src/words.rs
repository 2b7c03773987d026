//! Words: the jieba-rs segmenter, built once per process, and the word boundaries the matcher uses.
//!
//! Rubric terms are NOT added to the jieba dictionary. Measured on the 11 L海关 answers
//! (`tests/corpus.rs`, `dictionary_choice`): of the rubric's term occurrences inside the labelled
//! evidence, the default dictionary keeps 527 on token boundaries, the dictionary with every
//! term added only 335 — longer added entries swallow shorter terms and split Latin/digit runs
//! (case B15).

use jieba_rs::Jieba;
use std::sync::OnceLock;

/// The process-wide segmenter (read-only after it is built).
pub fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::new)
}

/// Token boundaries of a text, as jieba-rs `cut` (with HMM) finds them over the whole text.
///
/// jieba cuts each run of ideographs and ASCII letters, digits and `+#&._%-` on its own, and
/// gives every other character a token of its own. So the text falls into windows between
/// characters that are surely outside those runs (spaces, ASCII and CJK punctuation, line
/// breaks), and a window is found and cut only when a question falls inside it: the matcher asks
/// about the places where rubric terms occur, a small part of most answers. A property test pins
/// the boundaries to those of one `cut` over the whole text.
pub struct Boundaries {
    text: String,
    /// The windows found so far, in text order: byte span and tokens (byte spans in the text).
    /// Between two windows (and before the first, after the last) stand separator characters,
    /// each a token of its own.
    cut: std::cell::RefCell<Vec<Window>>,
}

/// One window of [`Boundaries`] and its tokens.
struct Window {
    start: usize,
    end: usize,
    tokens: Vec<(usize, usize)>,
}

/// A non-ASCII character that jieba always gives a token of its own, and that no run it cuts
/// can hold (the ASCII ones are told in [`separator_len`]).
fn separates(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// The character starting at byte `i` of `text` (on a character boundary, before its end):
/// its length in bytes, and whether it separates windows. Every separator but the ASCII ones is
/// a 3-byte character led by E2 (U+2000–U+206F), E3 (U+3000–U+303F) or EF (U+FF00–U+FFEF); other
/// lead bytes never start one. A line feed right after a carriage return separates nothing.
fn separator_len(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    let b = bytes[i];
    match b {
        b'\n' => (i == 0 || bytes[i - 1] != b'\r', 1),
        b'\r' => (false, 1),
        0..=0x7F => (
            !(b.is_ascii_alphanumeric()
                || matches!(b, b'+' | b'#' | b'&' | b'.' | b'_' | b'%' | b'-')),
            1,
        ),
        0xE2 | 0xE3 | 0xEF => {
            let c = text[i..].chars().next().unwrap_or_default();
            (separates(c), 3)
        }
        0xC0..=0xDF => (false, 2),
        0xE0..=0xEF => (false, 3),
        0xF0..=0xFF => (false, 4),
        _ => (false, 1),
    }
}

impl Boundaries {
    /// Boundaries from the process-wide segmenter, each window found and cut when first asked
    /// about.
    pub fn new(text: &str) -> Self {
        Boundaries {
            text: text.to_owned(),
            cut: Default::default(),
        }
    }

    /// Boundaries from a given segmenter (for measuring dictionary choices), all cut now.
    pub fn with(jieba: &Jieba, text: &str) -> Self {
        let b = Self::new(text);
        let mut i = 0;
        let mut windows = Vec::new();
        while i < text.len() {
            let (sep, len) = separator_len(text, i);
            if sep {
                i += len;
            } else {
                let end = b.window_end(i);
                windows.push(Window {
                    start: i,
                    end,
                    tokens: cut_window(jieba, text, (i, end)),
                });
                i = end;
            }
        }
        *b.cut.borrow_mut() = windows;
        b
    }

    /// The end of the window holding byte `i` (a character of the window starts there).
    fn window_end(&self, mut i: usize) -> usize {
        let bytes = self.text.as_bytes();
        while i < bytes.len() {
            // Fast path: a stretch of ideographs U+4000–U+9FFF (led by E4–E9), never separators.
            if matches!(bytes[i], 0xE4..=0xE9) {
                i += 3;
                continue;
            }
            let (sep, len) = separator_len(&self.text, i);
            if sep {
                break;
            }
            i += len;
        }
        i
    }

    /// The start of the window holding the character that starts at byte `i`, not a separator.
    fn window_start(&self, mut i: usize) -> usize {
        let bytes = self.text.as_bytes();
        while i > 0 {
            let mut p = i - 1;
            while p > 0 && (bytes[p] as i8) < -0x40 {
                p -= 1;
            }
            if !matches!(bytes[p], 0xE4..=0xE9) && separator_len(&self.text, p).0 {
                break;
            }
            i = p;
        }
        i
    }

    /// The place in [`Self::cut`] of the window holding byte `i`, found and cut if it was not
    /// yet; `None` when `i` is in a separator or at the end.
    fn window_at(&self, i: usize) -> Option<usize> {
        {
            let cut = self.cut.borrow();
            let k = cut.partition_point(|w| w.end <= i);
            if k < cut.len() && cut[k].start <= i {
                return Some(k);
            }
        }
        // On the character holding byte `i`.
        let i = (0..=i.min(self.text.len()))
            .rev()
            .find(|&s| self.text.is_char_boundary(s))?;
        if i >= self.text.len() || separator_len(&self.text, i).0 {
            return None;
        }
        let (start, end) = (self.window_start(i), self.window_end(i));
        let tokens = cut_window(jieba(), &self.text, (start, end));
        let mut cut = self.cut.borrow_mut();
        let k = cut.partition_point(|w| w.end <= start);
        cut.insert(k, Window { start, end, tokens });
        Some(k)
    }

    /// The separator character at byte `i` as a token (`i` on its first byte).
    fn separator_at(&self, i: usize) -> Option<(usize, usize)> {
        let c = self.text.get(i..)?.chars().next()?;
        Some((i, i + c.len_utf8()))
    }

    pub fn at(&self, i: usize) -> bool {
        if i > self.text.len() || !self.text.is_char_boundary(i) {
            return false;
        }
        match self.window_at(i) {
            // Inside a window: a token of the window starts here (its first one at its start).
            Some(k) => {
                let t = &self.cut.borrow()[k].tokens;
                let j = t.partition_point(|&(s, _)| s < i);
                t.get(j).is_some_and(|&(s, _)| s == i)
            }
            // In a separator, or at the end: every separator is a token of its own.
            None => true,
        }
    }

    /// The token containing byte offset `i` (start <= i < end).
    pub fn token_at(&self, i: usize) -> Option<(usize, usize)> {
        match self.window_at(i) {
            Some(k) => {
                let t = &self.cut.borrow()[k].tokens;
                let j = t.partition_point(|&(_, e)| e <= i);
                t.get(j).copied().filter(|&(s, _)| s <= i)
            }
            None => {
                // The separator holding `i`: back to its first byte.
                let s = (0..=i.min(self.text.len()))
                    .rev()
                    .find(|&s| self.text.is_char_boundary(s))?;
                self.separator_at(s).filter(|&(_, e)| i < e)
            }
        }
    }

    /// The token that ends exactly at byte offset `i`.
    pub fn token_ending_at(&self, i: usize) -> Option<(usize, usize)> {
        if i == 0 || i > self.text.len() || !self.text.is_char_boundary(i) {
            return None;
        }
        // The character before `i` is in a window (whose token ending at `i`, if any, is asked
        // for) or is a separator (a token ending at `i`).
        let before = self.text[..i].char_indices().next_back()?.0;
        match self.window_at(before) {
            Some(k) => {
                let t = &self.cut.borrow()[k].tokens;
                let j = t.partition_point(|&(_, e)| e < i);
                t.get(j).copied().filter(|&(_, e)| e == i)
            }
            None => self.separator_at(before),
        }
    }

    /// Every token overlapping the byte range `s..e`, in order.
    pub fn tokens_in(&self, s: usize, e: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = s.min(self.text.len());
        while i > 0 && !self.text.is_char_boundary(i) {
            i -= 1;
        }
        // Tokens with end > s and start < e (an empty range inside a token gives that token).
        let mut first = true;
        while i < self.text.len() && (first || i < e) {
            first = false;
            match self.window_at(i) {
                Some(k) => {
                    let cut = self.cut.borrow();
                    let t = &cut[k].tokens;
                    let j = t.partition_point(|&(_, te)| te <= i);
                    out.extend(t[j..].iter().take_while(|&&(ts, _)| ts < e));
                    i = cut[k].end;
                }
                None => {
                    let Some(tok) = self.separator_at(i) else {
                        break;
                    };
                    if tok.1 > s && tok.0 < e {
                        out.push(tok);
                    }
                    i = tok.1;
                }
            }
        }
        out
    }

    /// Every token of the text, in order (cuts every window).
    pub fn tokens(&self) -> Vec<(usize, usize)> {
        self.tokens_in(0, self.text.len())
    }
}

/// The tokens of one window, as byte spans in the whole text.
fn cut_window(jieba: &Jieba, text: &str, (s, e): (usize, usize)) -> Vec<(usize, usize)> {
    jieba
        .cut(&text[s..e], true)
        .into_iter()
        .map(|t| (s + t.byte_start, s + t.byte_end))
        .collect()
}

/// Whether `sub` (a byte range inside the dictionary word `word`) counts as a word of its own:
/// - the middle of a reduplication: 永远 in 永永远远 (AABB; case B13);
/// - a prefix or suffix whose remainder is itself a dictionary word, when `word` is not a
///   proper name (jieba tags nr/ns/nt/nz): 农业 in 农业发展银行 (an organisation) does not count,
///   nor does 中国 in 发展中国家, which straddles its parts 发展中|国家 (case B14).
pub fn is_subword(word: &str, sub: (usize, usize)) -> bool {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() == 4 && chars[0].1 == chars[1].1 && chars[2].1 == chars[3].1 {
        let mid = (chars[1].0, chars[3].0);
        return sub == mid;
    }
    let j = jieba();
    let rest = if sub.0 == 0 {
        &word[sub.1..]
    } else if sub.1 == word.len() {
        &word[..sub.0]
    } else {
        return false;
    };
    if rest.is_empty() || !j.has_word(rest) || !j.has_word(&word[sub.0..sub.1]) {
        return false;
    }
    let proper = j
        .tag(word, false)
        .first()
        .is_some_and(|t| t.word == word && matches!(t.tag, "nr" | "ns" | "nt" | "nz" | "nrt"));
    !proper
}
