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

/// Token boundaries of a text: `is_boundary[i]` for every byte offset `0..=len`.
#[derive(Clone, Debug, Default)]
pub struct Boundaries {
    is_boundary: Vec<bool>,
    /// (start, end) byte spans of every token, in order.
    pub tokens: Vec<(usize, usize)>,
}

impl Boundaries {
    pub fn new(text: &str) -> Self {
        Self::with(jieba(), text)
    }

    /// Boundaries from a given segmenter (for measuring dictionary choices).
    pub fn with(jieba: &Jieba, text: &str) -> Self {
        let mut is_boundary = vec![false; text.len() + 1];
        let mut tokens = Vec::new();
        is_boundary[0] = true;
        is_boundary[text.len()] = true;
        for t in jieba.cut(text, true) {
            is_boundary[t.byte_start] = true;
            is_boundary[t.byte_end] = true;
            tokens.push((t.byte_start, t.byte_end));
        }
        Boundaries {
            is_boundary,
            tokens,
        }
    }

    pub fn at(&self, i: usize) -> bool {
        self.is_boundary.get(i).copied().unwrap_or(false)
    }

    /// The token containing byte offset `i` (start <= i < end).
    pub fn token_at(&self, i: usize) -> Option<(usize, usize)> {
        let k = self.tokens.partition_point(|&(_, e)| e <= i);
        self.tokens.get(k).copied().filter(|&(s, _)| s <= i)
    }

    /// The token that ends exactly at byte offset `i`.
    pub fn token_ending_at(&self, i: usize) -> Option<(usize, usize)> {
        let k = self.tokens.partition_point(|&(_, e)| e < i);
        self.tokens.get(k).copied().filter(|&(_, e)| e == i)
    }
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
