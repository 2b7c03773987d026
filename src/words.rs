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
/// gives every other character a token of its own. So the text is split once into windows at
/// characters that are surely outside those runs (spaces, ASCII and CJK punctuation, line
/// breaks), and a window is cut only when a question falls inside it: the matcher asks about the
/// places where rubric terms occur, a small part of most answers. A property test pins the
/// boundaries to those of one `cut` over the whole text.
pub struct Boundaries {
    text: String,
    /// The segmenter used for the windows not cut yet (`None`: all were cut when built).
    jieba: Option<&'static Jieba>,
    /// Byte spans of the windows, in order; between two windows (and before the first, after the
    /// last) stand separator characters, each a token of its own.
    windows: Vec<(usize, usize)>,
    /// The tokens of each window (byte spans in the text), once cut.
    cuts: Vec<std::cell::OnceCell<Vec<(usize, usize)>>>,
}

/// A non-ASCII character that jieba always gives a token of its own, and that no run it cuts
/// can hold (the ASCII ones are told in [`Boundaries::split`]).
fn separates(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

impl Boundaries {
    /// Boundaries from the process-wide segmenter, each window cut when first asked about.
    pub fn new(text: &str) -> Self {
        let mut b = Self::split(text);
        b.jieba = Some(jieba());
        b
    }

    /// Boundaries from a given segmenter (for measuring dictionary choices), all cut now.
    pub fn with(jieba: &Jieba, text: &str) -> Self {
        let b = Self::split(text);
        for k in 0..b.windows.len() {
            let _ = b.cuts[k].set(cut_window(jieba, text, b.windows[k]));
        }
        b
    }

    fn split(text: &str) -> Self {
        // Read byte by byte: every separator but the ASCII ones is a 3-byte character led by
        // E2 (U+2000–U+206F), E3 (U+3000–U+303F) or EF (U+FF00–U+FFEF); other bytes never start one.
        let bytes = text.as_bytes();
        let mut windows = Vec::new();
        let mut start = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Fast path: a stretch of ideographs U+4000–U+9FFF (led by E4–E9), never separators.
            if matches!(b, 0xE4..=0xE9) {
                if start.is_none() {
                    start = Some(i);
                }
                i += 3;
                while matches!(bytes.get(i), Some(0xE4..=0xE9)) {
                    i += 3;
                }
                continue;
            }
            let (sep, len) = match b {
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
                // The lead byte of any other character: skip the whole character.
                0xC0..=0xDF => (false, 2),
                0xE0..=0xEF => (false, 3),
                0xF0..=0xFF => (false, 4),
                _ => (false, 1),
            };
            if sep {
                if let Some(s) = start.take() {
                    windows.push((s, i));
                }
            } else if start.is_none() {
                start = Some(i);
            }
            i += len;
        }
        if let Some(s) = start {
            windows.push((s, text.len()));
        }
        let cuts = (0..windows.len()).map(|_| Default::default()).collect();
        Boundaries {
            text: text.to_owned(),
            jieba: None,
            windows,
            cuts,
        }
    }

    /// The tokens of window `k`.
    fn window(&self, k: usize) -> &[(usize, usize)] {
        self.cuts[k].get_or_init(|| {
            cut_window(
                self.jieba.unwrap_or_else(|| jieba()),
                &self.text,
                self.windows[k],
            )
        })
    }

    /// The window holding byte `i` (start <= i < end), if `i` is not in a separator.
    fn window_at(&self, i: usize) -> Option<usize> {
        let k = self.windows.partition_point(|&(_, e)| e <= i);
        (k < self.windows.len() && self.windows[k].0 <= i).then_some(k)
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
                let t = self.window(k);
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
                let t = self.window(k);
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
                let t = self.window(k);
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
                    let t = self.window(k);
                    let j = t.partition_point(|&(_, te)| te <= i);
                    out.extend(t[j..].iter().take_while(|&&(ts, _)| ts < e));
                    i = self.windows[k].1;
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
