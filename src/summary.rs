//! The class summary of a run: counts, score statistics, the distribution over bands, each
//! scoring point's hit rate (most missed first) and the answers outside the length limit.

use crate::report::{EssayReport, InputError};
use crate::rubric::Rubric;
use crate::score::PointStatus;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct BandCount {
    pub band: String,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct PointRate {
    pub id: String,
    pub name: String,
    pub met: usize,
    pub partly: usize,
    pub missed: usize,
    /// Mean credit over the checked answers, 0–1 (points earned ÷ points available).
    pub hit_rate: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Files in the run: checked + failed.
    pub files: usize,
    pub checked: usize,
    pub failed: usize,
    /// Files in folders that were not answers (other endings, Word lock files, pipes).
    pub skipped: usize,
    /// Their paths.
    pub skipped_files: Vec<String>,
    /// Statistics of the totals (points); null when nothing was checked.
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub bands: Vec<BandCount>,
    /// Most missed first.
    pub points: Vec<PointRate>,
    /// Files whose length is outside the rubric's limit.
    pub outside_length: Vec<String>,
    /// Totals in ten bins of 10% of the rubric total (for histograms).
    pub histogram: Vec<usize>,
}

pub fn summarise(
    rubric: &Rubric,
    answers: &[EssayReport],
    errors: &[InputError],
    skipped: Vec<String>,
) -> Summary {
    let mut totals: Vec<f64> = answers.iter().map(|a| a.score.total).collect();
    totals.sort_by(|a, b| a.total_cmp(b));
    let n = totals.len();
    let median = (n > 0).then(|| {
        if n % 2 == 1 {
            totals[n / 2]
        } else {
            (totals[n / 2 - 1] + totals[n / 2]) / 2.0
        }
    });
    let mean = (n > 0).then(|| crate::score::round2(totals.iter().sum::<f64>() / n as f64));
    let bands = rubric
        .bands
        .iter()
        .map(|b| BandCount {
            band: b.name.clone(),
            count: answers.iter().filter(|a| a.score.band == b.name).count(),
        })
        .collect();
    let mut points: Vec<(usize, PointRate)> = rubric
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let of = |s: PointStatus| answers.iter().filter(|a| a.points[i].status == s).count();
            let credit: f64 = answers
                .iter()
                .map(|a| {
                    if p.points > 0.0 {
                        a.points[i].score / p.points
                    } else {
                        0.0
                    }
                })
                .sum();
            (
                i,
                PointRate {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    met: of(PointStatus::Met),
                    partly: of(PointStatus::Partly),
                    missed: of(PointStatus::Missed),
                    hit_rate: if n > 0 {
                        crate::score::round2(credit / n as f64)
                    } else {
                        0.0
                    },
                },
            )
        })
        .collect();
    points.sort_by(|a, b| a.1.hit_rate.total_cmp(&b.1.hit_rate).then(a.0.cmp(&b.0)));
    let mut histogram = vec![0usize; 10];
    for t in &totals {
        let pct = if rubric.total > 0.0 {
            t / rubric.total
        } else {
            0.0
        };
        histogram[((pct * 10.0) as usize).min(9)] += 1;
    }
    Summary {
        files: n + errors.len(),
        checked: n,
        failed: errors.len(),
        skipped: skipped.len(),
        skipped_files: skipped,
        mean,
        median: median.map(crate::score::round2),
        min: totals.first().copied(),
        max: totals.last().copied(),
        bands,
        points: points.into_iter().map(|(_, p)| p).collect(),
        outside_length: answers
            .iter()
            .filter(|a| a.score.length.as_ref().is_some_and(|l| !l.within))
            .map(|a| a.file.clone())
            .collect(),
        histogram,
    }
}
