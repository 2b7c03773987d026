//! `check --reference FILE`: an answer against a reference answer (参考答案). Each reference
//! sentence is aligned to the answer sentence most like it — similarity is the Dice coefficient
//! of their jieba tokens (words with a Han character, letter or digit), pairs taken greedily from
//! the most similar down, each answer sentence used once, at least [`MIN_SIMILARITY`] — and each
//! aligned pair carries its inline changes (`similar`: a line diff refined by grapheme, no
//! deadline, so the same input gives the same changes). The scoring points the reference earns
//! and the answer does not are listed. At most [`MAX_SENTENCES`] sentences of each are compared.

use crate::report::{Located, PointReport};
use crate::score::PointStatus;
use serde::Serialize;
use similar::{Algorithm, ChangeTag, InlineChangeMode, InlineChangeOptions, TextDiff};
use std::collections::BTreeMap;

/// Sentences compared on each side (an answer has a few dozen; a reference of thousands of
/// sentences is not an answer, and every pair costs).
pub const MAX_SENTENCES: usize = 400;

/// Pairs less similar than this are not aligned.
pub const MIN_SIMILARITY: f64 = 0.25;

/// A reference answer, segmented and scored once per rubric.
pub struct Reference {
    pub file: String,
    sentences: Vec<(String, usize)>,
    tokens: Vec<BTreeMap<String, usize>>,
    points: Vec<(String, String, PointStatus, f64)>,
}

/// A stretch of a sentence, changed or not.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub changed: bool,
}

/// One reference sentence and the answer sentence aligned to it.
#[derive(Clone, Debug, Serialize)]
pub struct Aligned {
    pub reference: String,
    /// 1-based line of the sentence in the reference file.
    pub reference_line: usize,
    /// The answer sentence, or null when none is similar enough.
    pub answer: Option<Located>,
    /// Dice similarity of the two sentences' tokens, 0–1.
    pub similarity: f64,
    /// The reference sentence, with what the answer lacks marked `changed`.
    pub reference_parts: Vec<Part>,
    /// The answer sentence, with what the reference lacks marked `changed`.
    pub answer_parts: Vec<Part>,
}

/// A scoring point the reference earns more of than the answer.
#[derive(Clone, Debug, Serialize)]
pub struct PointGap {
    pub id: String,
    pub name: String,
    /// Points the reference earns.
    pub reference: f64,
    /// Points the answer earns.
    pub answer: f64,
}

/// The comparison of one answer with the reference.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub file: String,
    pub aligned: Vec<Aligned>,
    /// Points the reference covers better than the answer, in rubric order.
    pub points_behind: Vec<PointGap>,
}

fn tokens(s: &str) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for t in crate::words::jieba().cut(s, true) {
        let w = t.word;
        if w.chars()
            .any(|c| crate::count::is_han(c) || c.is_alphanumeric())
        {
            *m.entry(w.to_owned()).or_insert(0) += 1;
        }
    }
    m
}

fn dice(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> f64 {
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    if total == 0 {
        return 0.0;
    }
    let common: usize = a
        .iter()
        .map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0)))
        .sum();
    2.0 * common as f64 / total as f64
}

fn merge(parts: &mut Vec<Part>, text: &str, changed: bool) {
    let text = text.trim_end_matches('\n');
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(p) if p.changed == changed => p.text.push_str(text),
        _ => parts.push(Part {
            text: text.to_owned(),
            changed,
        }),
    }
}

/// The inline changes between two sentences: (reference parts, answer parts).
pub fn inline_changes(reference: &str, answer: &str) -> (Vec<Part>, Vec<Part>) {
    let old = format!("{reference}\n");
    let new = format!("{answer}\n");
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_lines(old.as_str(), new.as_str());
    let mut opts = InlineChangeOptions::new();
    opts.mode(InlineChangeMode::Graphemes)
        .min_ratio(0.0)
        .semantic_cleanup(true);
    let (mut r, mut a) = (Vec::new(), Vec::new());
    for op in diff.ops() {
        for change in diff.iter_inline_changes_with_options_deadline(op, opts, None) {
            for (emph, s) in change.iter_strings_lossy() {
                match change.tag() {
                    ChangeTag::Equal => {
                        merge(&mut r, &s, false);
                        merge(&mut a, &s, false);
                    }
                    ChangeTag::Delete => merge(&mut r, &s, emph),
                    ChangeTag::Insert => merge(&mut a, &s, emph),
                }
            }
        }
    }
    (absorb(r), absorb(a))
}

/// A lone unchanged character between two changes (「[-加强进境原-]种[-抽样-]」) reads as noise:
/// it joins the change around it.
fn absorb(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let n = parts.len();
    for (i, p) in parts.into_iter().enumerate() {
        let lone = !p.changed
            && p.text.chars().count() <= 1
            && i > 0
            && i + 1 < n
            && out.last().is_some_and(|l| l.changed);
        let changed = p.changed || lone;
        match out.last_mut() {
            Some(l) if l.changed == changed => l.text.push_str(&p.text),
            _ => out.push(Part {
                text: p.text,
                changed,
            }),
        }
    }
    out
}

impl Reference {
    /// A reference from its decoded text, segmented, with the points it earns under the rubric
    /// (`points`, from checking it like an answer).
    pub fn new(file: &str, text: &str, points: &[PointReport]) -> Self {
        let seg = crate::segment::segment(text);
        let index = crate::span::LineIndex::new(text);
        let mut sentences = Vec::new();
        let mut toks = Vec::new();
        let mut add = |span: crate::span::Span| {
            let s = span.slice(text).trim();
            if s.chars().any(crate::count::is_han) {
                sentences.push((s.to_owned(), index.line_col(text, span.start).line));
                toks.push(tokens(s));
            }
        };
        if let Some(t) = seg.title {
            add(t);
        }
        for s in seg.sentences.iter().take(MAX_SENTENCES) {
            add(s.span);
        }
        Reference {
            file: file.to_owned(),
            sentences,
            tokens: toks,
            points: points
                .iter()
                .map(|p| (p.id.to_string(), p.name.to_string(), p.status, p.score))
                .collect(),
        }
    }

    /// Compare an answer (its sentences, located) and its points with the reference.
    pub fn compare(&self, answer: &[Located], points: &[PointReport]) -> Comparison {
        // Every pair is compared: past MAX_SENTENCES on either side the rest is left out.
        let answer = &answer[..answer.len().min(MAX_SENTENCES)];
        let answer_tokens: Vec<BTreeMap<String, usize>> =
            answer.iter().map(|s| tokens(&s.text)).collect();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (i, rt) in self.tokens.iter().enumerate() {
            for (j, at) in answer_tokens.iter().enumerate() {
                let d = dice(rt, at);
                if d >= MIN_SIMILARITY {
                    pairs.push((d, i, j));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut of_ref: Vec<Option<(usize, f64)>> = vec![None; self.sentences.len()];
        let mut used = vec![false; answer.len()];
        for (d, i, j) in pairs {
            if of_ref[i].is_none() && !used[j] {
                of_ref[i] = Some((j, d));
                used[j] = true;
            }
        }
        let aligned = self
            .sentences
            .iter()
            .zip(&of_ref)
            .map(|((text, line), m)| match m {
                Some((j, d)) => {
                    let (rp, ap) = inline_changes(text, answer[*j].text.trim());
                    Aligned {
                        reference: text.clone(),
                        reference_line: *line,
                        answer: Some(answer[*j].clone()),
                        similarity: crate::score::round2(*d),
                        reference_parts: rp,
                        answer_parts: ap,
                    }
                }
                None => Aligned {
                    reference: text.clone(),
                    reference_line: *line,
                    answer: None,
                    similarity: 0.0,
                    reference_parts: vec![Part {
                        text: text.clone(),
                        changed: true,
                    }],
                    answer_parts: Vec::new(),
                },
            })
            .collect();
        let points_behind = self
            .points
            .iter()
            .zip(points)
            .filter(|((_, _, status, score), p)| {
                *status != PointStatus::Missed && p.score + 1e-9 < *score
            })
            .map(|((id, name, _, score), p)| PointGap {
                id: id.clone(),
                name: name.clone(),
                reference: *score,
                answer: p.score,
            })
            .collect();
        Comparison {
            file: self.file.clone(),
            aligned,
            points_behind,
        }
    }
}
