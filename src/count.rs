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
use std::sync::OnceLock;

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
    CJK_PUNCT.contains(c)
}

/// CJK unified ideographs (all extensions) and compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF | 0x2F800..=0x2FA1F | 0x30000..=0x323AF)
}

fn run_regex() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"[A-Za-z0-9]+(?:[.%+\-][A-Za-z0-9]+)*%?").expect("static regex")
    })
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
pub fn count(text: &str) -> Counts {
    let mut c = Counts::default();
    let mut folded = String::with_capacity(text.len());
    let mut at_line_start = true;
    for ch in text.chars() {
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
        if is_han(ch) {
            c.han += 1;
        } else if is_cjk_punct(ch) {
            c.cjk_punct += 1;
        }
        if !ch.is_whitespace() {
            c.nonspace += 1;
        }
        folded.push(fold_width(ch));
    }
    let mut run_cells = 0;
    let mut last = 0;
    for m in run_regex().find_iter(&folded) {
        c.alnum_runs += 1;
        run_cells += m.as_str().len().div_ceil(2);
        c.other_symbols += other_symbols(&folded[last..m.start()]);
        last = m.end();
    }
    c.other_symbols += other_symbols(&folded[last..]);
    c.grid = c.han + c.cjk_punct + run_cells + c.other_symbols;
    c
}

fn other_symbols(s: &str) -> usize {
    s.chars()
        .filter(|&ch| !ch.is_whitespace() && !is_han(ch) && !is_cjk_punct(ch))
        .count()
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
