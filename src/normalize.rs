//! The matching view of an answer: a normalised copy of the text with a map back to the original.
//!
//! Normalisation is for matching only; counts and quotes always come from the original text.
//! - invisible format characters (ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen, bidi marks, and the other
//!   default-ignorable characters such as variation selectors) are removed;
//! - whitespace between two characters of which one is CJK is removed (「推进 乡村 振兴」 matches
//!   乡村振兴), other runs of whitespace become one ASCII space; line ends are kept;
//! - full-width letters, digits and ASCII symbols (U+FF01–FF5E, except the marks Chinese text uses
//!   as its own punctuation) are folded to ASCII;
//! - CJK radicals (U+2E80–2FDF) and compatibility ideographs are folded to the unified ideograph.

use crate::count::{is_cjk_punct, is_han};
use crate::span::Span;
use unicode_normalization::UnicodeNormalization;

/// Invisible format characters: exactly the `INVISIBLE` set of the count conventions (ZWSP, ZWNJ,
/// ZWJ, WJ, BOM, soft hyphen). Removed before counting and matching.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// A character drawn as nothing: invisible, a bidi mark or default-ignorable. Removed for
/// matching, and trimmed with the spaces around a line's structure.
pub fn is_drawn_as_nothing(c: char) -> bool {
    is_invisible(c) || is_bidi_mark(c) || is_ignorable(c)
}

/// Bidirectional marks (LRM, RLM, embeddings, isolates): visible symbols to the count conventions,
/// but removed for matching like the invisible characters.
pub fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Other default-ignorable characters (Unicode's Default_Ignorable_Code_Point, besides the
/// invisible characters and bidi marks): combining grapheme joiner, Hangul fillers, Mongolian
/// free variation selectors and vowel separator, invisible operators (U+2061–2064), deprecated
/// format characters (U+206A–206F), variation selectors (U+FE00–FE0F, U+E0100–E01EF: VS16 after
/// a character copied from a web page), shorthand format controls, musical format characters and
/// tags. Drawn as nothing, so, like the invisible characters, removed for matching (counted as
/// the count conventions say: symbols).
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{034F}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{2061}'..='\u{2065}'
        | '\u{206A}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The normalised text and a map from each of its characters to the original byte span it came
/// from.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    pub text: String,
    /// The normalised text in pieces, in order, each starting where the one before ends: a
    /// stretch copied unchanged from the original, or one character standing for an original
    /// span (a folded character, or one space for a run of whitespace).
    pieces: Vec<Piece>,
    /// Invisible format characters removed.
    pub invisible_removed: usize,
    /// No-break spaces (U+00A0) treated as spaces.
    pub nbsp: usize,
    /// Whitespace characters dropped between CJK characters.
    pub spaces_dropped: usize,
    /// Full-width letters, digits and symbols folded to ASCII.
    pub width_folded: usize,
    /// Radicals and compatibility ideographs folded.
    pub radicals_folded: usize,
}

/// A piece of [`Normalized`]: from normalised byte `norm` on, the original from byte `orig` on,
/// either copied ([`Piece::COPIED`] as `end`) or the original span `orig..end` as one character.
#[derive(Clone, Copy, Debug, Default)]
struct Piece {
    norm: u32,
    orig: u32,
    end: u32,
}

impl Piece {
    const COPIED: u32 = u32::MAX;
}

impl Normalized {
    pub fn new(text: &str) -> Self {
        let mut n = Normalized {
            text: String::with_capacity(text.len()),
            ..Default::default()
        };
        // Invisible characters and bidi marks are skipped wherever they stand (inside a run of
        // whitespace too); `prev` is the last character kept before the current one.
        let bytes = text.as_bytes();
        let mut prev: Option<char> = None;
        let mut i = 0;
        while i < bytes.len() {
            // Fast path: a stretch of characters kept as they are, copied at once. Printable
            // ASCII, U+4000–U+9FFF (3-byte sequences led by E4–E9: the unified ideographs) and
            // the marks of [`kept_mark`] are never removed, folded or whitespace.
            let start = i;
            loop {
                match bytes.get(i) {
                    Some(0x21..=0x7E) => i += 1,
                    Some(0xE4..=0xE9) => i += 3,
                    Some(0xE2 | 0xE3 | 0xEF) if kept_mark(&bytes[i..]) => i += 3,
                    _ => break,
                }
            }
            if i > start {
                n.copy(text, start, i);
                prev = text[start..i].chars().next_back();
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let at = i;
            i += c.len_utf8();
            if is_drawn_as_nothing(c) {
                n.invisible_removed += 1;
                continue;
            }
            if c != '\n' && c.is_whitespace() {
                // A run of horizontal whitespace.
                let mut spaces = 1;
                let mut last = c;
                let mut end = i;
                if c == '\u{A0}' {
                    n.nbsp += 1;
                }
                let mut next = None;
                while let Some(d) = text[i..].chars().next() {
                    if is_drawn_as_nothing(d) {
                        n.invisible_removed += 1;
                    } else if d != '\n' && d.is_whitespace() {
                        if d == '\u{A0}' {
                            n.nbsp += 1;
                        }
                        spaces += 1;
                        last = d;
                        end = i + d.len_utf8();
                    } else {
                        next = Some(d);
                        break;
                    }
                    i += d.len_utf8();
                }
                let cjk = |c: Option<char>| c.is_some_and(|c| is_han(c) || is_cjk_punct(c));
                let edge = prev.is_none_or(|c| c == '\n') || next.is_none_or(|c| c == '\n');
                if edge {
                    // Indentation and trailing spaces: not a gap between words.
                } else if cjk(prev) || cjk(next) {
                    n.spaces_dropped += spaces;
                } else {
                    n.stand_for(' ', at, end);
                }
                prev = Some(last);
                continue;
            }
            let folded = fold_char(c);
            if folded != c {
                if (c as u32) >= 0xFF01 {
                    n.width_folded += 1;
                } else {
                    n.radicals_folded += 1;
                }
            }
            if folded == c {
                n.copy(text, at, i);
            } else {
                n.stand_for(folded, at, i);
            }
            prev = Some(c);
        }
        n
    }

    /// Append the original `text[start..end]` unchanged.
    fn copy(&mut self, text: &str, start: usize, end: usize) {
        let norm = self.text.len() as u32;
        let follows = self.pieces.last().is_some_and(|p| {
            p.end == Piece::COPIED && p.orig as usize + (norm - p.norm) as usize == start
        });
        if !follows {
            self.pieces.push(Piece {
                norm,
                orig: start as u32,
                end: Piece::COPIED,
            });
        }
        self.text.push_str(&text[start..end]);
    }

    /// Append `c`, standing for the original span `start..end`.
    fn stand_for(&mut self, c: char, start: usize, end: usize) {
        self.pieces.push(Piece {
            norm: self.text.len() as u32,
            orig: start as u32,
            end: end as u32,
        });
        self.text.push(c);
    }

    /// The original byte span of the character holding normalised byte `k` (`k` inside the text).
    #[doc(hidden)]
    pub fn origin_of(&self, k: usize) -> (usize, usize) {
        let p = self.pieces[self.pieces.partition_point(|p| p.norm as usize <= k) - 1];
        if p.end != Piece::COPIED {
            return (p.orig as usize, p.end as usize);
        }
        // A copied piece: the character holding `k`, shifted to the original.
        let bytes = self.text.as_bytes();
        let mut s = k;
        while (bytes[s] as i8) < -0x40 {
            s -= 1;
        }
        let len = self.text[s..].chars().next().map_or(1, char::len_utf8);
        let shift = |at: usize| at - p.norm as usize + p.orig as usize;
        (shift(s), shift(s + len))
    }

    /// The original byte span of a normalised byte span.
    pub fn to_original(&self, span: Span) -> Span {
        if self.text.is_empty() {
            return Span::new(0, 0);
        }
        let last = self.text.len() - 1;
        let start = self.origin_of(span.start.min(last)).0;
        let end = if span.end == 0 {
            start
        } else {
            self.origin_of((span.end - 1).min(last)).1
        };
        Span::new(start, end.max(start))
    }

    /// The normalised byte offset of an original byte offset (first normalised byte at or after it).
    pub fn from_original(&self, at: usize) -> usize {
        // The last piece starting before `at` in the original; every later one starts at or
        // after it.
        let k = self.pieces.partition_point(|p| (p.orig as usize) < at);
        if k == 0 {
            return 0;
        }
        let p = self.pieces[k - 1];
        let end = self
            .pieces
            .get(k)
            .map_or(self.text.len(), |q| q.norm as usize);
        if p.end != Piece::COPIED {
            return end;
        }
        // A copied piece: its first character starting at or after `at`.
        let mut s = at - p.orig as usize + p.norm as usize;
        while s < end && !self.text.is_char_boundary(s) {
            s += 1;
        }
        s.min(end)
    }

    /// True when the original span of this normalised span had whitespace dropped inside it.
    pub fn spans_gap(&self, span: Span, original: &str) -> bool {
        let o = self.to_original(span);
        o.slice(original).chars().any(char::is_whitespace)
    }
}

/// Whether `b` starts with a punctuation mark Chinese text is full of, all kept as they stand:
/// the block U+3001–U+303F of 、。《》「」【】〔〕 (E3 80 81–BF; not U+3000, a space), the
/// full-width ！（），：；？ (EF BC xx) and —‘’“”… (E2 80 xx). A test checks every character it
/// takes.
fn kept_mark(b: &[u8]) -> bool {
    matches!(
        b,
        [0xE3, 0x80, 0x81..=0xBF, ..]
            | [
                0xEF,
                0xBC,
                0x81 | 0x88 | 0x89 | 0x8C | 0x9A | 0x9B | 0x9F,
                ..
            ]
            | [0xE2, 0x80, 0x94 | 0x98 | 0x99 | 0x9C | 0x9D | 0xA6, ..]
    )
}

/// Fold one character for matching: full-width ASCII forms to ASCII (except Chinese punctuation),
/// radicals and compatibility ideographs to their unified ideograph.
pub fn fold_char(c: char) -> char {
    let u = c as u32;
    if u < 0x2E80 {
        // Below every range folded (most text: ASCII, Latin, punctuation).
        return c;
    }
    if (0xFF01..=0xFF5E).contains(&u) {
        return crate::count::fold_width(c);
    }
    if (0x2E80..=0x2FDF).contains(&u) {
        if let Some(f) = radical_supplement(c) {
            return f;
        }
    }
    if (0x2F00..=0x2FDF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0x2F800..=0x2FA1F).contains(&u)
        || (0x2E80..=0x2EFF).contains(&u)
    {
        let mut it = c.nfkc();
        if let (Some(f), None) = (it.next(), it.next()) {
            return f;
        }
    }
    c
}

/// CJK Radicals Supplement code points that stand for a simplified or traditional character in
/// text converted from PDFs (NFKC does not fold most of them).
fn radical_supplement(c: char) -> Option<char> {
    let table: &[(char, char)] = &[
        ('⺁', '厂'),
        ('⺇', '几'),
        ('⺊', '卜'),
        ('⺌', '小'),
        ('⺍', '小'),
        ('⺎', '兀'),
        ('⺏', '尣'),
        ('⺐', '尢'),
        ('⺑', '尢'),
        ('⺒', '巳'),
        ('⺓', '幺'),
        ('⺔', '彑'),
        ('⺖', '忄'),
        ('⺘', '扌'),
        ('⺙', '攵'),
        ('⺛', '旡'),
        ('⺜', '日'),
        ('⺝', '月'),
        ('⺟', '母'),
        ('⺠', '民'),
        ('⺡', '氵'),
        ('⺢', '氺'),
        ('⺣', '灬'),
        ('⺤', '爫'),
        ('⺥', '爫'),
        ('⺦', '丬'),
        ('⺧', '牛'),
        ('⺨', '犭'),
        ('⺩', '王'),
        ('⺪', '疋'),
        ('⺫', '目'),
        ('⺬', '示'),
        ('⺭', '礻'),
        ('⺮', '竹'),
        ('⺯', '糸'),
        ('⺰', '纟'),
        ('⺱', '罒'),
        ('⺲', '罒'),
        ('⺳', '网'),
        ('⺴', '网'),
        ('⺵', '网'),
        ('⺶', '羊'),
        ('⺷', '羊'),
        ('⺸', '羊'),
        ('⺹', '耂'),
        ('⺺', '聿'),
        ('⺻', '聿'),
        ('⺼', '月'),
        ('⺽', '臼'),
        ('⺾', '艹'),
        ('⺿', '艹'),
        ('⻀', '艹'),
        ('⻁', '虎'),
        ('⻂', '衤'),
        ('⻃', '襾'),
        ('⻄', '西'),
        ('⻅', '见'),
        ('⻆', '角'),
        ('⻇', '角'),
        ('⻈', '讠'),
        ('⻉', '贝'),
        ('⻊', '足'),
        ('⻋', '车'),
        ('⻌', '辶'),
        ('⻍', '辶'),
        ('⻎', '辶'),
        ('⻏', '阝'),
        ('⻐', '金'),
        ('⻑', '長'),
        ('⻒', '镸'),
        ('⻓', '长'),
        ('⻔', '门'),
        ('⻕', '冂'),
        ('⻖', '阝'),
        ('⻗', '雨'),
        ('⻘', '青'),
        ('⻙', '韦'),
        ('⻚', '页'),
        ('⻛', '风'),
        ('⻜', '飞'),
        ('⻝', '食'),
        ('⻞', '食'),
        ('⻟', '食'),
        ('⻠', '饣'),
        ('⻡', '饣'),
        ('⻢', '马'),
        ('⻣', '骨'),
        ('⻤', '鬼'),
        ('⻥', '鱼'),
        ('⻦', '鸟'),
        ('⻧', '卤'),
        ('⻨', '麦'),
        ('⻩', '黄'),
        ('⻪', '黾'),
        ('⻫', '斉'),
        ('⻬', '齐'),
        ('⻭', '歯'),
        ('⻮', '齿'),
        ('⻯', '竜'),
        ('⻰', '龙'),
        ('⻱', '龜'),
        ('⻲', '亀'),
        ('⻳', '龟'),
    ];
    table.iter().find(|&&(r, _)| r == c).map(|&(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character the fast path takes as a mark is one the character path keeps as it
    /// stands: not removed, not whitespace, not folded.
    #[test]
    fn kept_marks_are_kept() {
        let mut n = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            if kept_mark(c.encode_utf8(&mut buf).as_bytes()) {
                n += 1;
                assert!(!is_drawn_as_nothing(c), "{c:?}");
                assert!(!c.is_whitespace() && c != '\n', "{c:?}");
                assert_eq!(fold_char(c), c, "{c:?}");
                let n = Normalized::new(&format!("a{c}"));
                let origins: Vec<_> = (0..n.text.len()).map(|k| n.origin_of(k)).collect();
                assert_eq!(
                    (n.text, origins),
                    (format!("a{c}"), vec![(0, 1), (1, 4), (1, 4), (1, 4)])
                );
            }
        }
        assert_eq!(n, 63 + 7 + 6);
    }
}
