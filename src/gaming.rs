//! Anti-gaming: a scoring point earned only by a bare list of terms, by repeating a term, or by
//! text copied from the 给定资料 keeps at most [`CAP`] of its points, and the answer gets a
//! finding saying why.
//!
//! - **Term list** (`term-list`): a sentence of four or more matched terms joined by nothing but
//!   punctuation and spaces (at least three gaps in four) — 「机制、清单、督办、考核、成效。」 —
//!   says nothing about what was done; a sentence joins its terms with words. Whatever joins
//!   the terms: gaps holding only a connective ([`CONNECTIVES`]: 和 与 及 以及 并 或) or another
//!   rubric term count as punctuation when there are two or more of them
//!   (「机制和清单和督办和考核」), one before the last item being grammar (「任务清单、责任清单和
//!   问题清单」).
//!   The same list spread over several sentences or lines: sentences in a row that are nothing
//!   but matched terms and connectives (one character besides, such as a number 一、), holding
//!   four or more terms between them. A heading line that is not itself such a sentence
//!   (「二、主要做法」) neither counts nor ends the row: a list under numbered headings is still
//!   a list.
//! - **Repetition** (`repeated-term`): one term three times in a row with at most one character
//!   between (「机制机制机制」), or a sentence given again word for word.
//! - **Copied material** (`copied-material`, with `--material`): runs of at least [`COPY_MIN`]
//!   characters (Han letters and digits; punctuation and spaces ignored) that stand verbatim in
//!   the material are always reported; when they make up [`COPY_SHARE`] or more of the answer
//!   (copying at length, not quoting a phrase) they cap the points they carry. Answers must 概括
//!   the material, not copy it. (Vendor answers to the L海关 question copy 9–31%.)
//!
//! A point is capped only when every one of its hits lies in such text: one genuine sentence
//! keeps its credit whole. A capped point lends nothing to the form gate either (see
//! [`crate::score`]): a framed list does not earn the frame's structure, length and language
//! points.

use crate::check::PointMeasure;
use crate::count::{han_chars, is_han};
use crate::segment::Segmented;
use crate::span::Span;
use rustc_hash::{FxHashSet, FxHasher};
use std::hash::Hasher;

/// The share of a point's points kept when it is met only by gaming.
pub const CAP: f64 = 0.5;
/// Characters of a verbatim run that count as copied.
pub const COPY_MIN: usize = 30;
/// Share of the answer's Han characters in copied runs from which they cap points.
pub const COPY_SHARE: f64 = 0.5;
/// Window of the copy index.
const SHINGLE: usize = 12;
/// Words that join listed terms without saying anything about them: 「甲和乙」 is as bare a
/// list as 「甲、乙」.
pub const CONNECTIVES: [&str; 6] = ["和", "与", "及", "以及", "并", "或"];
/// Matched terms a run of bare sentences needs to be a list.
const LIST_TERMS: usize = 4;

/// Why a point was capped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gaming {
    TermList,
    RepeatedTerm,
    CopiedMaterial,
}

impl Gaming {
    pub fn rule(self) -> &'static str {
        match self {
            Gaming::TermList => "term-list",
            Gaming::RepeatedTerm => "repeated-term",
            Gaming::CopiedMaterial => "copied-material",
        }
    }
    pub fn describe(self) -> &'static str {
        match self {
            Gaming::TermList => "只是罗列术语",
            Gaming::RepeatedTerm => "靠重复同一个词",
            Gaming::CopiedMaterial => "照抄给定资料",
        }
    }
}

fn kept(c: char) -> bool {
    crate::count::is_han(c) || c.is_alphanumeric()
}

/// Han characters in `span` that say something: outside the rubric's terms (`term_text`,
/// sorted disjoint spans) and not a connective standing alone between terms or marks
/// (「甲和乙」, 「甲、以及乙」). Counting stops once it passes `limit` (the callers only ask
/// whether there are at most that many), so a sentence of words is left after its first few.
fn words_in(text: &str, span: Span, term_text: &[Span], limit: usize) -> usize {
    let covered = |at: usize| {
        let i = term_text.partition_point(|t| t.end <= at);
        term_text.get(i).is_some_and(|t| t.start <= at)
    };
    // A stretch of Han outside terms says something unless it is a lone connective.
    let counted = |piece: &str, len: usize| {
        if len > 2 || !CONNECTIVES.contains(&piece) {
            len
        } else {
            0
        }
    };
    let mut n = 0;
    // The current stretch of Han outside terms: its length and (up to a connective's length) text.
    let mut piece = String::new();
    let mut len = 0;
    for (i, c) in span.slice(text).char_indices() {
        if crate::count::is_han(c) && !covered(span.start + i) {
            len += 1;
            if len <= 2 {
                piece.push(c);
            }
            // Longer than any connective: it counts whole, and the count is past `limit`.
            if len > 2 && n + len > limit {
                return n + len;
            }
        } else if len > 0 {
            n += counted(&piece, len);
            if n > limit {
                return n;
            }
            piece.clear();
            len = 0;
        }
    }
    n + counted(&piece, len)
}

/// The 给定资料, indexed for finding copied runs.
pub struct Material {
    windows: FxHashSet<String>,
}

impl Material {
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text
            .chars()
            .map(crate::normalize::fold_char)
            .filter(|&c| kept(c))
            .collect();
        let windows = chars
            .windows(SHINGLE)
            .map(|w| w.iter().collect::<String>())
            .collect();
        Material { windows }
    }

    /// Spans of `text` (byte ranges) copied from the material: runs of at least [`COPY_MIN`]
    /// kept characters covered by windows found in the material.
    pub fn copied(&self, text: &str) -> Vec<Span> {
        let chars: Vec<(usize, char)> = text
            .char_indices()
            .map(|(i, c)| (i, crate::normalize::fold_char(c)))
            .filter(|&(_, c)| kept(c))
            .collect();
        let mut covered = vec![false; chars.len()];
        if chars.len() >= SHINGLE {
            for i in 0..=chars.len() - SHINGLE {
                let w: String = chars[i..i + SHINGLE].iter().map(|&(_, c)| c).collect();
                if self.windows.contains(&w) {
                    for c in &mut covered[i..i + SHINGLE] {
                        *c = true;
                    }
                }
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if !covered[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && covered[i] {
                i += 1;
            }
            if i - start >= COPY_MIN {
                let (s, _) = chars[start];
                let (e, c) = chars[i - 1];
                out.push(Span::new(s, e + c.len_utf8()));
            }
        }
        out
    }
}

/// The share of the answer's Han characters inside `runs` (0–1).
pub fn copied_share(text: &str, runs: &[Span]) -> f64 {
    if runs.is_empty() {
        return 0.0;
    }
    let total = han_chars(text).count();
    if total == 0 {
        return 0.0;
    }
    runs.iter()
        .map(|r| han_chars(r.slice(text)).count())
        .sum::<usize>() as f64
        / total as f64
}

/// The key a sentence is known again by: `None` when it holds fewer than six Han characters,
/// else a hash of its first three and its last three, read from each end (a few characters of a
/// sentence, where hashing all of its Han characters read the whole text once more). Sentences
/// with the same Han characters have the same key; a key met before is confirmed character by
/// character, so sentences that only share their ends stay apart. A property test pins both.
pub fn sentence_key(t: &str) -> Option<u64> {
    let mut front = t.char_indices().filter(|&(_, c)| is_han(c));
    let mut back = t.char_indices().rev().filter(|&(_, c)| is_han(c));
    let (f0, f1, f2) = (front.next()?, front.next()?, front.next()?);
    let (b0, b1, b2) = (back.next()?, back.next()?, back.next()?);
    // Six or more exactly when the third from the end stands after the third from the start.
    if b2.0 <= f2.0 {
        return None;
    }
    let mut key = FxHasher::default();
    for (_, c) in [f0, f1, f2, b2, b1, b0] {
        key.write_u32(c as u32);
    }
    Some(key.finish())
}

/// A gamed stretch of the answer.
#[derive(Clone, Debug)]
pub struct Stretch {
    pub kind: Gaming,
    pub span: Span,
}

/// The gamed stretches of an answer: term-list and repetition sentences, copied runs.
pub fn stretches(
    text: &str,
    seg: &Segmented,
    points: &[PointMeasure],
    term_text: &[Span],
    copied: &[Span],
) -> Vec<Stretch> {
    // Every hit, in reading order (the longest first at each place).
    let mut hits: Vec<(Span, &str)> = points
        .iter()
        .flat_map(|p| p.hits.iter().map(|h| (h.span, h.term.as_str())))
        .collect();
    hits.sort_by_key(|(h, _)| (h.start, std::cmp::Reverse(h.end)));
    let mut out = Vec::new();
    let han_in = |t: &str| han_chars(t).count();
    // Sentences of six Han characters or more met so far, by their Han characters: the hash of
    // those characters, then the sentence (a hash met before is confirmed character by character).
    let mut seen_keys: FxHashSet<u64> =
        FxHashSet::with_capacity_and_hasher(seg.sentences.len(), Default::default());
    let mut seen: Vec<(u64, Span)> = Vec::new();
    let mut chain: Vec<(Span, &str)> = Vec::new();
    let mut gaps: Vec<Span> = Vec::new();
    let mut by_term: Vec<(&str, Span)> = Vec::new();
    for s in &seg.sentences {
        let sentence = s.span.slice(text);
        // A sentence given again word for word adds nothing but hits.
        if let Some(key) = sentence_key(sentence) {
            let again = !seen_keys.insert(key)
                && seen
                    .iter()
                    .any(|(k, x)| *k == key && han_chars(x.slice(text)).eq(han_chars(sentence)));
            if again {
                out.push(Stretch {
                    kind: Gaming::RepeatedTerm,
                    span: s.span,
                });
                continue;
            }
            seen.push((key, s.span));
        }
        let first = hits.partition_point(|(h, _)| h.start < s.span.start);
        let inside = hits[first..]
            .iter()
            .take_while(|(h, _)| h.start < s.span.end)
            .filter(|(h, _)| s.span.contains(*h))
            .copied();
        // Hits in reading order without overlaps (the longest at each place).
        chain.clear();
        for x in inside {
            if chain.last().is_none_or(|l| x.0.start >= l.0.end) {
                chain.push(x);
            }
        }
        if chain.len() < 3 {
            continue;
        }
        // Terms that touch (no gap at all: 「热心群众广泛参与」, 「建账交账核账销账」) make one item:
        // only the gaps between items are weighed, so a run of touching terms inside a list
        // (「机制、清单、建账交账核账销账、督办」) neither hides the list nor makes a phrase one.
        gaps.clear();
        gaps.extend(
            chain
                .windows(2)
                .map(|w| Span::new(w[0].0.end, w[1].0.start))
                .filter(|g| g.start < g.end),
        );
        // A list: four terms or more, nearly every gap only punctuation or spaces (「机制、清单、
        // 督办、考核」), while a sentence joins its terms with words (「组织专家解读…新规，提供…
        // 讲解」). Gaps holding nothing but a connective or another of the rubric's terms count
        // too when there are two or more of them: one connective before the last item is
        // grammar (「任务清单、责任清单和问题清单」), connectives throughout are a list
        // (「机制和清单和督办和考核」).
        let soft = gaps
            .iter()
            .filter(|g| han_in(g.slice(text)) > 0 && words_in(text, **g, term_text, 0) == 0)
            .count();
        let bare = gaps
            .iter()
            .filter(|g| {
                han_in(g.slice(text)) == 0 || (soft >= 2 && words_in(text, **g, term_text, 0) == 0)
            })
            .count();
        // Four terms or more, in three items or more (terms that only touch are a phrase: a list
        // separates its items).
        if chain.len() >= 4 && gaps.len() >= 2 && bare * 4 >= gaps.len() * 3 {
            out.push(Stretch {
                kind: Gaming::TermList,
                span: s.span,
            });
            continue;
        }
        // One term three times with at most one character between its occurrences
        // (「机制机制机制」, 「抓机制、抓机制、抓机制」), unlike 「任务清单、责任清单和问题清单」.
        // Each term's occurrences in reading order, term after term.
        by_term.clear();
        by_term.extend(chain.iter().map(|&(h, t)| (t, h)));
        by_term.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.start.cmp(&b.1.start)));
        let repeated = by_term.windows(3).any(|w| {
            w.iter().all(|x| x.0 == w[0].0)
                && w.windows(2)
                    .all(|p| han_in(&text[p[0].1.end..p[1].1.start]) <= 1)
        });
        if repeated {
            out.push(Stretch {
                kind: Gaming::RepeatedTerm,
                span: s.span,
            });
        }
    }
    // The same list spread over sentences or lines (one term to a line, a few to a sentence):
    // sentences in a row that are nothing but matched terms and connectives, at most one
    // character besides (a number 一、), holding [`LIST_TERMS`] terms or more between them.
    // Returns the number of terms in a bare sentence.
    let bare_sentence = |s: Span| -> usize {
        let first = hits.partition_point(|(h, _)| h.start < s.start);
        let mut end = s.start;
        let mut terms = 0;
        let mut extra = 0;
        for (h, _) in hits[first..].iter().take_while(|(h, _)| h.start < s.end) {
            if s.contains(*h) && h.start >= end {
                if terms > 0 && h.start == end {
                    // Two terms that touch make a phrase (「发动干部收集心愿」), not list items.
                    return 0;
                }
                extra += words_in(text, Span::new(end, h.start), term_text, 1);
                if extra > 1 {
                    return 0;
                }
                terms += 1;
                end = h.end;
            }
        }
        if terms == 0 {
            return 0;
        }
        extra += words_in(text, Span::new(end, s.end), term_text, 1);
        if extra <= 1 {
            terms
        } else {
            0
        }
    };
    // A heading line (「二、主要做法」) between the lists is their frame.
    let heading_line = |s: Span| {
        seg.headings
            .iter()
            .any(|h| s.contains(h.text) || (h.marker.start >= s.start && h.marker.start < s.end))
    };
    let mut run: Vec<Span> = Vec::new();
    let mut run_terms = 0;
    let flagged: FxHashSet<(usize, usize)> =
        out.iter().map(|s| (s.span.start, s.span.end)).collect();
    let sentences = seg.sentences.iter().map(|s| Some(s.span)).chain([None]);
    for s in sentences {
        if let Some(s) = s {
            let n = bare_sentence(s);
            if n > 0 {
                run.push(s);
                run_terms += n;
                continue;
            }
            if !run.is_empty() && heading_line(s) {
                continue;
            }
        }
        if run_terms >= LIST_TERMS {
            out.extend(
                run.iter()
                    .filter(|s| !flagged.contains(&(s.start, s.end)))
                    .map(|&span| Stretch {
                        kind: Gaming::TermList,
                        span,
                    }),
            );
        }
        run.clear();
        run_terms = 0;
    }
    out.extend(copied.iter().map(|&span| Stretch {
        kind: Gaming::CopiedMaterial,
        span,
    }));
    out.sort_by_key(|s| (s.span.start, s.span.end));
    out
}

/// Cap every point whose hits all lie in gamed stretches; returns for each point the kind of
/// gaming that capped it (the one holding most of its hits).
pub fn assess(points: &mut [PointMeasure], stretches: &[Stretch]) -> Vec<Option<Gaming>> {
    points
        .iter_mut()
        .map(|p| {
            if p.hits.is_empty() || stretches.is_empty() {
                return None;
            }
            let mut kinds = Vec::new();
            for h in &p.hits {
                let k = stretches.iter().find(|s| s.span.contains(h.span))?;
                kinds.push(k.kind);
            }
            let kind = [
                Gaming::CopiedMaterial,
                Gaming::TermList,
                Gaming::RepeatedTerm,
            ]
            .into_iter()
            .max_by_key(|k| kinds.iter().filter(|x| *x == k).count())?;
            p.capped = Some(kind);
            Some(kind)
        })
        .collect()
}
