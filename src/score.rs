//! Scoring: the only place points are given. Turns measurements into dimension scores
//! (内容 content, 结构 structure, 字数 length, 语言 language), a total and a band (分档).
//!
//! Form gate: an answer that carries little of the question's content does not earn the form
//! points (structure, length, language) in full — a well-formed answer to another question is
//! still off topic. The form points are multiplied by min(1, content% ÷ `form_gate`%), where
//! `form_gate` is a rubric key (default 40). A rubric sets it to 0 to switch the gate off.
//! The content% of the gate counts only the points earned outside gamed text (see
//! [`crate::gaming`]): a point capped as a bare term list, repetition or copied material keeps
//! its (halved) content points but lends no form credit, so a planted list framed by a title and
//! numbered headings is not carried into a higher band by the frame.

use crate::check::{Measured, PointMeasure};
use crate::count::Counts;
use crate::report::Label;
use crate::rubric::Rubric;
use crate::segment::Segmented;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PointStatus {
    Met,
    Partly,
    Missed,
}

impl PointStatus {
    pub fn label(self) -> &'static str {
        match self {
            PointStatus::Met => "得分",
            PointStatus::Partly => "部分",
            PointStatus::Missed => "缺失",
        }
    }
}

/// The score of the rubric's scoring point at the same index (its id and name are the rubric's).
#[derive(Clone, Debug, Serialize)]
pub struct PointScore {
    /// Points earned.
    pub score: f64,
    /// Points available.
    pub max: f64,
    pub status: PointStatus,
    /// Groups met (evidence included) and groups needed for full credit.
    pub groups_met: usize,
    pub groups_needed: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct SlotScore {
    /// title | salutation | opening | headings | closing | signature
    pub slot: &'static str,
    pub present: bool,
    pub required: bool,
    pub score: f64,
    pub max: f64,
    /// For headings: the number of top-level headings found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// What a present slot lacks for full credit: `date` for a 落款 without its date when the
    /// rubric asks for one (`signature.date`). Left out when nothing is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'static str>,
}

/// The share of the 落款 points kept by a 落款 that names the issuer but not the date, when the
/// rubric asks for a dated one: 申论 markers give the 落款 for its two parts, 署名 and 成文日期,
/// and take off the part that is missing rather than the whole slot.
pub const UNDATED_SIGNATURE_SHARE: f64 = 0.5;

#[derive(Clone, Debug, Serialize)]
pub struct LengthScore {
    /// The count under the rubric's convention (its unit: grid cells or characters).
    pub count: usize,
    pub convention: &'static str,
    pub limit: Label,
    /// Accepted range in the convention's unit.
    pub min: f64,
    pub max: f64,
    pub within: bool,
    pub score: f64,
    pub points: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Dimension {
    /// content | structure | length | language
    pub id: &'static str,
    pub name: &'static str,
    pub score: f64,
    pub max: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Score {
    pub dimensions: Vec<Dimension>,
    /// Per scoring point; the JSON carries these in the answer's `points` (with the evidence).
    #[serde(skip_serializing)]
    pub points: Vec<PointScore>,
    pub structure: Vec<SlotScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<LengthScore>,
    /// Points taken off for language findings (before the cap at the language maximum).
    pub language_penalty: f64,
    /// Points taken off for each language finding, in the order of the measured findings.
    #[serde(skip_serializing)]
    pub language_deductions: Vec<f64>,
    /// The factor applied to the form dimensions (1 = none), see the module doc.
    pub form_factor: f64,
    pub total: f64,
    pub max: f64,
    /// total ÷ max × 100.
    pub percent: f64,
    pub band: Label,
}

/// A rubric's strings that every answer's score repeats, made once per run: the band names and
/// the length limit as described.
pub struct ScoreLabels {
    bands: Vec<Label>,
    limit: Option<Label>,
}

impl ScoreLabels {
    pub fn new(rubric: &Rubric) -> Self {
        ScoreLabels {
            bands: rubric
                .bands
                .iter()
                .map(|b| Label::shared(&b.name))
                .collect(),
            limit: rubric
                .length
                .as_ref()
                .map(|l| Label::shared(&l.limit.describe())),
        }
    }
}

/// Points rounded to two decimals (every printed score). A negative zero (the sum of no
/// deductions, or a tiny negative rounded away) becomes 0, so no output prints `-0.0`.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// Grade one answer. `empty` answers get 0 in every dimension.
pub fn grade(
    rubric: &Rubric,
    labels: &ScoreLabels,
    m: &Measured,
    seg: &Segmented,
    counts: &Counts,
    empty: bool,
) -> Score {
    let points: Vec<PointScore> = rubric
        .points
        .iter()
        .zip(&m.points)
        .map(|(p, pm)| point_score(p, pm, empty))
        .collect();
    let content: f64 = points.iter().map(|p| p.score).sum();
    // The content the form gate weighs: points earned outside gamed text.
    let content_ungamed: f64 = points
        .iter()
        .zip(&m.points)
        .filter(|(_, pm)| pm.capped.is_none())
        .map(|(p, _)| p.score)
        .fold(0.0, |a, x| a + x);
    let content_max = rubric.content_points();
    let content_pct = if content_max > 0.0 {
        content_ungamed / content_max * 100.0
    } else {
        100.0
    };
    let form_factor = if empty {
        0.0
    } else if rubric.form_gate > 0.0 && content_max > 0.0 {
        (content_pct / rubric.form_gate).min(1.0)
    } else {
        1.0
    };

    let st = &rubric.structure;
    // Title, salutation, opening, headings, closing, signature.
    let mut structure = Vec::with_capacity(6);
    let slot = |name: &'static str, s: Option<crate::rubric::Slot>, present: bool| {
        s.map(|s| SlotScore {
            slot: name,
            present,
            required: s.required,
            score: if present {
                round2(s.points * form_factor)
            } else {
                0.0
            },
            max: s.points,
            count: None,
            missing: Vec::new(),
        })
    };
    structure.extend(slot("title", st.title, seg.title.is_some()));
    structure.extend(slot("salutation", st.salutation, seg.salutation.is_some()));
    structure.extend(slot("opening", st.opening, seg.opening.is_some()));
    if let Some(h) = &st.headings {
        let n = seg.h1().count();
        let frac = if n == 0 {
            0.0
        } else if (n as u32) < h.min {
            n as f64 / h.min as f64
        } else if n as u32 > h.max {
            h.max as f64 / n as f64
        } else {
            1.0
        };
        // A numbering style the question does not accept earns half.
        let style_ok = h.styles.as_ref().is_none_or(|ok| {
            seg.h1()
                .next()
                .is_none_or(|f| ok.contains(&f.style) || f.style == crate::segment::Style::Outline)
        });
        let frac = if style_ok { frac } else { frac / 2.0 };
        structure.push(SlotScore {
            slot: "headings",
            present: n > 0,
            required: h.min > 0,
            score: round2(h.points * frac * form_factor),
            max: h.points,
            count: Some(n),
            missing: Vec::new(),
        });
    }
    structure.extend(slot("closing", st.closing, seg.closing.is_some()));
    structure.extend(
        slot("signature", st.signature, seg.signature.is_some()).map(|mut x| {
            if x.present && st.signature.is_some_and(|s| s.date) && seg.signature_date.is_none() {
                x.score = round2(x.max * UNDATED_SIGNATURE_SHARE * form_factor);
                x.missing.push("date");
            }
            x
        }),
    );
    let structure_score: f64 = structure.iter().map(|s| s.score).sum();

    let length = rubric.length.as_ref().map(|l| {
        let count = counts.get(l.convention);
        let (lo, hi) = l.limit.bounds();
        let c = count as f64;
        let off = if c > hi {
            (c - hi) / hi.max(1.0) * 100.0
        } else if c < lo {
            (lo - c) / lo.max(1.0) * 100.0
        } else {
            0.0
        };
        let frac = (1.0 - off / l.falloff_percent).clamp(0.0, 1.0);
        let frac = if empty { 0.0 } else { frac };
        LengthScore {
            count,
            convention: l.convention.name(),
            limit: labels
                .limit
                .clone()
                .unwrap_or_else(|| l.limit.describe().into()),
            min: lo,
            max: hi,
            within: off == 0.0 && !empty,
            score: round2(l.points * frac * form_factor),
            points: l.points,
        }
    });
    let length_score = length.as_ref().map_or(0.0, |l| l.score);

    let language_deductions = language_deductions(rubric, m);
    let language_penalty: f64 = language_deductions.iter().sum();
    let language_score = if empty {
        0.0
    } else {
        round2((rubric.language.points - language_penalty).max(0.0) * form_factor)
    };

    let content = round2(content);
    let dimensions = vec![
        Dimension {
            id: "content",
            name: "内容",
            score: content,
            max: content_max,
        },
        Dimension {
            id: "structure",
            name: "结构",
            score: round2(structure_score),
            max: st.points(),
        },
        Dimension {
            id: "length",
            name: "字数",
            score: length_score,
            max: rubric.length.as_ref().map_or(0.0, |l| l.points),
        },
        Dimension {
            id: "language",
            name: "语言",
            score: language_score,
            max: rubric.language.points,
        },
    ];
    let total = round2(dimensions.iter().map(|d| d.score).sum::<f64>());
    let max = rubric.total;
    let percent = if max > 0.0 {
        round2(total / max * 100.0)
    } else {
        0.0
    };
    let band = rubric
        .bands
        .iter()
        .position(|b| percent + 1e-9 >= b.min_percent)
        .or(rubric.bands.len().checked_sub(1))
        .and_then(|i| labels.bands.get(i).cloned())
        .unwrap_or(Label::fixed(""));
    Score {
        dimensions,
        points,
        structure,
        length,
        language_penalty: round2(language_penalty),
        language_deductions,
        form_factor: round2(form_factor),
        total,
        max,
        percent,
        band,
    }
}

/// Points off for each language finding. A rubric's forbidden phrase costs its `penalty`. A
/// language rule's finding costs its severity's weight (error 1, warning 0.5, info 0), counted for
/// at most [`crate::lang::DEDUCTING_FINDINGS_PER_RULE`] findings of each rule, and the rules
/// together take off at most the rubric's `rule_cap` (default 3 points); findings beyond the caps
/// are reported with 0.
fn language_deductions(rubric: &Rubric, m: &Measured) -> Vec<f64> {
    let cap = rubric.language.rules.deduction_cap;
    let mut used = 0.0;
    let mut per_rule: std::collections::BTreeMap<crate::lang::RuleId, usize> =
        std::collections::BTreeMap::new();
    m.language
        .iter()
        .map(|f| match f.lang_rule {
            None => f.penalty,
            Some(rule) => {
                let w = f.severity.weight();
                if w <= 0.0 {
                    return 0.0;
                }
                let n = per_rule.entry(rule).or_default();
                *n += 1;
                if *n > crate::lang::DEDUCTING_FINDINGS_PER_RULE {
                    return 0.0;
                }
                let d = w.min(cap - used).max(0.0);
                used += d;
                d
            }
        })
        .collect()
}

fn point_score(p: &crate::rubric::Point, pm: &PointMeasure, empty: bool) -> PointScore {
    let met = pm.groups_met.iter().filter(|&&b| b).count();
    let need = p.min_groups;
    let frac = if empty {
        0.0
    } else {
        let f = (met.min(need)) as f64 / need as f64;
        if pm.capped.is_some() {
            f.min(crate::gaming::CAP)
        } else {
            f
        }
    };
    let score = round2(p.points * frac);
    let status = if frac >= 1.0 {
        PointStatus::Met
    } else if frac > 0.0 {
        PointStatus::Partly
    } else {
        PointStatus::Missed
    };
    PointScore {
        score,
        max: p.points,
        status,
        groups_met: met.min(need),
        groups_needed: need,
    }
}
