//! Calibration against a teacher's marks (`caifen calibrate`): how far caifen agrees with them,
//! and scoring-point and dimension weights fitted to them.
//!
//! Agreement, over the answers that have a mark (teacher scores rescaled to the rubric's points):
//! exact and adjacent band agreement; quadratic weighted kappa (QWK) on bands and on scores
//! rounded to whole rubric points; Pearson and Spearman correlation of the scores; the
//! standardised mean difference SMD = (mean caifen − mean teacher) ÷ √((var caifen + var
//! teacher) ÷ 2) (sample variances); and the confusion matrix of bands (rows: teacher, columns:
//! caifen). Each figure is flagged against the bar used for operational automated scoring
//! (Williamson, Xi & Breyer 2012): QWK ≥ 0.70, r ≥ 0.70, |SMD| ≤ 0.15.
//!
//! Fitting: each answer is described by the credit of every scoring point (0–1) and the share
//! earned in the structure, length and language dimensions (0–1); non-negative least squares
//! (the `nnls` crate, Lawson–Hanson) finds the points of each so that their sum predicts the
//! teacher's score, with the total held at the rubric's (an answer that meets everything still
//! earns full marks). Agreement of the fit is reported out of sample, by k-fold
//! cross-validation (answers dealt to folds in path order).

use crate::report::EssayReport;
use crate::rubric::{fmt_pts, Rubric};
use statrs::statistics::{Data, OrderStatistics, RankTieBreaker, Statistics};
use std::path::Path;

/// One row of the marks file.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub file: String,
    pub score: f64,
    pub band: Option<String>,
    /// 1-based line in the marks file.
    pub line: usize,
}

fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.trim().trim_start_matches('\u{FEFF}').to_lowercase();
        names.iter().any(|n| h == *n)
    })
}

/// Read a marks file: CSV with a header naming the columns `file` (文件, 文件名), `score` (分数,
/// 得分, 成绩) and, optionally, `band` (分档). Decoded as answers are (BOM, UTF-8, UTF-16, else
/// GBK/GB18030 as Excel's plain "CSV" writes it on Chinese Windows); tab-separated when the
/// header has tabs and no commas (Excel's "Unicode text").
pub fn read_marks(path: &Path) -> Result<Vec<Mark>, String> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    if crate::docx::is_zip(&bytes)
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    {
        return Err(format!(
            "{name}: a spreadsheet (.xlsx/.xls), not CSV: save it as CSV (另存为 CSV)"
        ));
    }
    let text = crate::decode::decode(&bytes, None)
        .map_err(|e| format!("{name}: {e}"))?
        .text;
    let header = text.lines().next().unwrap_or("");
    let delimiter = if header.contains('\t') && !header.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("{name}: {e}"))?.clone();
    let file_col = column(&headers, &["file", "文件", "文件名"])
        .ok_or_else(|| format!("{name}:1: no `file` (文件) column in the header"))?;
    let score_col = column(&headers, &["score", "分数", "得分", "成绩"])
        .ok_or_else(|| format!("{name}:1: no `score` (分数) column in the header"))?;
    let band_col = column(&headers, &["band", "分档"]);
    let mut marks = Vec::new();
    let mut problems = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{name}: {e}"))?;
        // The line from the record's byte offset: the reader's own line count goes wrong with
        // CRLF line ends (what Excel writes) and blank lines.
        let line = rec.position().map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut at = (p.byte() as usize).min(bytes.len());
            // The record may be said to start at the line end before it.
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
        });
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        let file = rec.get(file_col).unwrap_or("").to_owned();
        let raw = rec.get(score_col).unwrap_or("");
        let score = match raw.parse::<f64>() {
            Ok(s) if s.is_finite() && s >= 0.0 => s,
            _ => {
                problems.push(format!("{name}:{line}: score `{raw}` is not a number ≥ 0"));
                continue;
            }
        };
        if file.is_empty() {
            problems.push(format!("{name}:{line}: empty file name"));
            continue;
        }
        let band = band_col
            .and_then(|c| rec.get(c))
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
        marks.push(Mark {
            file,
            score,
            band,
            line,
        });
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    if marks.is_empty() {
        return Err(format!("{name}: no marks"));
    }
    Ok(marks)
}

/// One marked answer: the teacher's score (in rubric points) and band beside caifen's.
#[derive(Clone, Debug)]
pub struct Pair {
    pub file: String,
    pub teacher: f64,
    pub teacher_band: usize,
    pub caifen: f64,
    pub caifen_band: usize,
    /// Features for fitting: scoring-point credits, then dimension shares (0–1).
    pub features: Vec<f64>,
}

/// Position of the band a percent falls in (0 = highest).
pub fn band_of(rubric: &Rubric, percent: f64) -> usize {
    rubric
        .bands
        .iter()
        .position(|b| percent + 1e-9 >= b.min_percent)
        .unwrap_or(rubric.bands.len().saturating_sub(1))
}

/// The dimensions used as fitting features beside the scoring points, with their maxima.
pub fn form_dimensions(rubric: &Rubric) -> Vec<(&'static str, f64)> {
    let structure = rubric.structure.points();
    let mut v = vec![("structure", structure)];
    if let Some(l) = &rubric.length {
        v.push(("length", l.points));
    }
    v.push(("language", rubric.language.points));
    v.into_iter().filter(|(_, m)| *m > 0.0).collect()
}

/// The fitting features of an answer: each scoring point's credit (0–1), then the share earned in
/// each of [`form_dimensions`] (0–1).
pub fn features(rubric: &Rubric, a: &EssayReport) -> Vec<f64> {
    let mut f: Vec<f64> = a
        .points
        .iter()
        .map(|p| if p.max > 0.0 { p.score / p.max } else { 0.0 })
        .collect();
    for (id, max) in form_dimensions(rubric) {
        let got = a
            .score
            .dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or(0.0, |d| d.score);
        f.push((got / max).clamp(0.0, 1.0));
    }
    f
}

/// Match marks to checked answers. A mark names a file by its path as checked, its path under
/// one of the given folders, or its file name when that is unique. Returns the pairs in answer
/// order, the marks that match no answer (errors), and the answers without a mark.
pub fn pair(
    rubric: &Rubric,
    marks: &[Mark],
    answers: &[EssayReport],
    roots: &[std::path::PathBuf],
    teacher_max: f64,
) -> Result<(Vec<Pair>, Vec<String>), Vec<String>> {
    let norm = |s: &str| s.replace('\\', "/").trim_start_matches("./").to_owned();
    let keys: Vec<Vec<String>> = answers
        .iter()
        .map(|a| {
            let f = norm(&a.file);
            let mut k = vec![f.clone()];
            for r in roots {
                let r = norm(&r.display().to_string());
                let r = r.trim_end_matches('/');
                if let Some(rest) = f.strip_prefix(&format!("{r}/")) {
                    k.push(rest.to_owned());
                }
            }
            k
        })
        .collect();
    let name_of = |f: &str| f.rsplit('/').next().unwrap_or(f).to_owned();
    let mut problems = Vec::new();
    let mut chosen: Vec<Option<&Mark>> = vec![None; answers.len()];
    for m in marks {
        let want = norm(&m.file);
        let mut hits: Vec<usize> = (0..answers.len())
            .filter(|&i| keys[i].contains(&want))
            .collect();
        if hits.is_empty() && !want.contains('/') {
            hits = (0..answers.len())
                .filter(|&i| name_of(&keys[i][0]) == want)
                .collect();
        }
        match hits.as_slice() {
            [i] => {
                if chosen[*i].is_some() {
                    problems.push(format!("{}: {} is marked twice", m.line, answers[*i].file));
                }
                chosen[*i] = Some(m);
            }
            [] => problems.push(format!("{}: no checked answer is `{}`", m.line, m.file)),
            _ => problems.push(format!(
                "{}: `{}` names {} answers; give its path",
                m.line,
                m.file,
                hits.len()
            )),
        }
    }
    let mut pairs = Vec::new();
    let mut unmarked = Vec::new();
    for (a, m) in answers.iter().zip(&chosen) {
        let Some(m) = m else {
            unmarked.push(a.file.clone());
            continue;
        };
        // Multiplied first: 11.5 / 20 * 100 is 57.49999999999999 and would bin to 57.
        let teacher = m.score * rubric.total / teacher_max;
        if m.score > teacher_max + 1e-9 {
            problems.push(format!(
                "{}: score {} is above the full mark {} (--max)",
                m.line,
                fmt_pts(m.score),
                fmt_pts(teacher_max)
            ));
        }
        let teacher_band = match &m.band {
            Some(b) => match rubric.bands.iter().position(|x| x.name == *b) {
                Some(i) => i,
                None => {
                    problems.push(format!(
                        "{}: band `{b}` is not one of the rubric's bands",
                        m.line
                    ));
                    0
                }
            },
            None => band_of(rubric, teacher / rubric.total * 100.0),
        };
        pairs.push(Pair {
            file: a.file.clone(),
            teacher,
            teacher_band,
            caifen: a.score.total,
            caifen_band: rubric
                .bands
                .iter()
                .position(|b| b.name == a.score.band)
                .unwrap_or(0),
            features: features(rubric, a),
        });
    }
    if problems.is_empty() {
        Ok((pairs, unmarked))
    } else {
        Err(problems)
    }
}

/// Quadratic weighted kappa of two ratings on categories `0..k` (the full scale, as
/// scikit-learn's `cohen_kappa_score(weights="quadratic", labels=range(k))`). `None` when the
/// expected disagreement is zero (both raters use one category).
pub fn qwk(a: &[usize], b: &[usize], k: usize) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() || k < 2 {
        return None;
    }
    let n = a.len() as f64;
    let mut observed = vec![vec![0.0; k]; k];
    let mut ha = vec![0.0; k];
    let mut hb = vec![0.0; k];
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (x.min(k - 1), y.min(k - 1));
        observed[x][y] += 1.0;
        ha[x] += 1.0;
        hb[y] += 1.0;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let w = ((i as f64) - (j as f64)).powi(2);
            num += w * observed[i][j];
            den += w * ha[i] * hb[j] / n;
        }
    }
    (den > 0.0).then(|| 1.0 - num / den)
}

/// Pearson correlation (`None` when either side is constant or there are fewer than 2 values).
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (sa, sb) = (a.std_dev(), b.std_dev());
    if sa == 0.0 || sb == 0.0 || !sa.is_finite() || !sb.is_finite() {
        return None;
    }
    Some(a.covariance(b) / (sa * sb))
}

/// Spearman correlation: Pearson over ranks, ties given their average rank (as scipy).
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    let ra = Data::new(a.to_vec()).ranks(RankTieBreaker::Average);
    let rb = Data::new(b.to_vec()).ranks(RankTieBreaker::Average);
    pearson(&ra, &rb)
}

/// Standardised mean difference of caifen's scores from the teacher's, over the pooled SD.
pub fn smd(caifen: &[f64], teacher: &[f64]) -> Option<f64> {
    if caifen.len() != teacher.len() || caifen.len() < 2 {
        return None;
    }
    let pooled = ((caifen.variance() + teacher.variance()) / 2.0).sqrt();
    (pooled > 0.0).then(|| (caifen.mean() - teacher.mean()) / pooled)
}

/// Agreement figures between the teacher and caifen (or a fitted model).
#[derive(Clone, Debug)]
pub struct Agreement {
    pub n: usize,
    pub exact: f64,
    pub adjacent: f64,
    pub qwk_bands: Option<f64>,
    pub qwk_scores: Option<f64>,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub smd: Option<f64>,
    /// rows: teacher band, columns: caifen band.
    pub confusion: Vec<Vec<usize>>,
}

/// Agreement of `(teacher points, teacher band, caifen points, caifen band)` rows.
pub fn agreement(rubric: &Rubric, rows: &[(f64, usize, f64, usize)]) -> Agreement {
    let k = rubric.bands.len();
    let n = rows.len();
    let tb: Vec<usize> = rows.iter().map(|r| r.1).collect();
    let cb: Vec<usize> = rows.iter().map(|r| r.3).collect();
    let ts: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let cs: Vec<f64> = rows.iter().map(|r| r.2).collect();
    // Half a point rounds up, also when rescaling left it a hair below (x.4999999…).
    let bin = |x: f64| (x + 1e-9).round().clamp(0.0, rubric.total.round()) as usize;
    let tsb: Vec<usize> = ts.iter().map(|&x| bin(x)).collect();
    let csb: Vec<usize> = cs.iter().map(|&x| bin(x)).collect();
    let mut confusion = vec![vec![0; k]; k];
    for (&t, &c) in tb.iter().zip(&cb) {
        if t < k && c < k {
            confusion[t][c] += 1;
        }
    }
    let share = |f: &dyn Fn(usize, usize) -> bool| {
        if n == 0 {
            0.0
        } else {
            tb.iter().zip(&cb).filter(|(t, c)| f(**t, **c)).count() as f64 / n as f64
        }
    };
    Agreement {
        n,
        exact: share(&|t, c| t == c),
        adjacent: share(&|t, c| t.abs_diff(c) <= 1),
        qwk_bands: qwk(&tb, &cb, k),
        qwk_scores: qwk(&tsb, &csb, rubric.total.round() as usize + 1),
        pearson: pearson(&cs, &ts),
        spearman: spearman(&cs, &ts),
        smd: smd(&cs, &ts),
        confusion,
    }
}

/// Rows of caifen's own scores.
pub fn observed_rows(pairs: &[Pair]) -> Vec<(f64, usize, f64, usize)> {
    pairs
        .iter()
        .map(|p| (p.teacher, p.teacher_band, p.caifen, p.caifen_band))
        .collect()
}

/// Non-negative weights `w` (one per feature) minimising
/// Σ(features·w − teacher)² + α·m·Σ(w − prior)², with Σw = `total` enforced as a heavily
/// weighted extra row (m = number of answers). α = 0 is plain non-negative least squares; a
/// larger α keeps weights the marks say little about near the rubric's own. `None` without data.
/// The fewest marked answers `--fit` works from: with fewer, k-fold cross-validation has next to
/// nothing to hold out and the fit follows a handful of marks wherever they lead.
pub const MIN_FIT_MARKS: usize = 10;

pub fn fit(
    features: &[Vec<f64>],
    teacher: &[f64],
    total: f64,
    prior: &[f64],
    alpha: f64,
) -> Option<Vec<f64>> {
    let m = features.len();
    let n = features.first()?.len();
    if m == 0 || n == 0 || teacher.len() != m || prior.len() != n {
        return None;
    }
    let shrink = (alpha * m as f64).sqrt();
    let extra = if shrink > 0.0 { n } else { 0 };
    // The constraint row outweighs any residual by far, so Σw ends within ~1e-6 of the total.
    let lambda = 1e4;
    let rows = m + extra + 1;
    let mut a = ndarray::Array2::<f64>::zeros((rows, n));
    let mut b = ndarray::Array1::<f64>::zeros(rows);
    for (i, row) in features.iter().enumerate() {
        for (j, &x) in row.iter().enumerate() {
            a[[i, j]] = x;
        }
        b[i] = teacher[i];
    }
    for j in 0..extra {
        a[[m + j, j]] = shrink;
        b[m + j] = shrink * prior[j];
    }
    for j in 0..n {
        a[[rows - 1, j]] = lambda;
    }
    b[rows - 1] = lambda * total;
    let (w, _) = nnls::nnls(a.view(), b.view());
    Some(w.to_vec())
}

/// The shrinkage strengths tried, smallest first.
pub const ALPHAS: [f64; 7] = [0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0];

/// The α of [`ALPHAS`] with the least out-of-sample squared error under k-fold
/// cross-validation (ties go to the larger α: the smaller change).
pub fn choose_alpha(rubric: &Rubric, pairs: &[Pair], prior: &[f64], folds: usize) -> f64 {
    let mut best = (f64::INFINITY, 0.0);
    for &alpha in &ALPHAS {
        let rows = cross_validate(rubric, pairs, prior, alpha, folds);
        let mse: f64 = rows.iter().map(|r| (r.2 - r.0).powi(2)).sum::<f64>() / rows.len() as f64;
        if mse <= best.0 + 1e-9 {
            best = (mse, alpha);
        }
    }
    best.1
}

/// Round weights to multiples of `step` keeping their sum at `total` (largest remainders).
pub fn round_weights(w: &[f64], total: f64, step: f64) -> Vec<f64> {
    let units: f64 = (total / step).round();
    let scaled: Vec<f64> = w.iter().map(|x| x.max(0.0) / step).collect();
    let mut floor: Vec<f64> = scaled.iter().map(|x| x.floor()).collect();
    let mut missing = (units - floor.iter().sum::<f64>()).round() as i64;
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|&i, &j| {
        (scaled[j] - floor[j])
            .total_cmp(&(scaled[i] - floor[i]))
            .then(i.cmp(&j))
    });
    let mut k = 0;
    while missing > 0 && !order.is_empty() {
        floor[order[k % order.len()]] += 1.0;
        missing -= 1;
        k += 1;
    }
    // Rounding down never overshoots; a negative `missing` only from a total below Σfloor.
    while missing < 0 {
        if let Some(i) = (0..floor.len())
            .filter(|&i| floor[i] > 0.0)
            .max_by(|&i, &j| floor[i].total_cmp(&floor[j]))
        {
            floor[i] -= 1.0;
        }
        missing += 1;
    }
    floor.iter().map(|x| x * step).collect()
}

/// Predicted points of an answer under weights.
pub fn predict(features: &[f64], w: &[f64]) -> f64 {
    features.iter().zip(w).map(|(f, w)| f * w).sum()
}

/// A k-fold cross-validated fit: out-of-sample rows `(teacher, teacher band, predicted,
/// predicted band)` in pair order.
pub fn cross_validate(
    rubric: &Rubric,
    pairs: &[Pair],
    prior: &[f64],
    alpha: f64,
    folds: usize,
) -> Vec<(f64, usize, f64, usize)> {
    let k = folds.clamp(2, pairs.len().max(2));
    let mut out = vec![(0.0, 0, 0.0, 0); pairs.len()];
    for fold in 0..k {
        let train: Vec<&Pair> = pairs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, p)| p)
            .collect();
        let feats: Vec<Vec<f64>> = train.iter().map(|p| p.features.clone()).collect();
        let marks: Vec<f64> = train.iter().map(|p| p.teacher).collect();
        let Some(w) = fit(&feats, &marks, rubric.total, prior, alpha) else {
            continue;
        };
        for (i, p) in pairs.iter().enumerate().filter(|(i, _)| i % k == fold) {
            let pred = predict(&p.features, &w);
            out[i] = (
                p.teacher,
                p.teacher_band,
                pred,
                band_of(rubric, pred / rubric.total * 100.0),
            );
        }
    }
    out
}

/// The value of the key at `path` in `text` replaced by `value`; the key must be written as a
/// plain `key: value` (block or flow style).
fn replace_value(
    text: &str,
    loc: &crate::locate::Locator,
    path: &[&str],
    value: &str,
) -> Result<String, String> {
    let dotted = path.join(".");
    let found = loc
        .find(path)
        .ok_or_else(|| format!("`{dotted}` is not written in the rubric"))?;
    let depth =
        found.written_path.matches('.').count() + found.written_path.matches('[').count() + 1;
    if depth != path.len() {
        return Err(format!(
            "`{dotted}` is not written in the rubric (it uses the default); write it out to fit it"
        ));
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let line = lines
        .get(found.line - 1)
        .ok_or_else(|| format!("`{dotted}`: line {} not found", found.line))?;
    let start: usize = line
        .char_indices()
        .nth(found.column - 1)
        .map_or(line.len(), |(i, _)| i);
    let colon = line[start..]
        .find(':')
        .map(|i| start + i + 1)
        .ok_or_else(|| format!("`{dotted}`: no `:` after the key on line {}", found.line))?;
    let vstart = colon + (line[colon..].len() - line[colon..].trim_start().len());
    let vend = line[vstart..]
        .find(|c: char| c == ',' || c == '}' || c == '#' || c.is_whitespace())
        .map_or(line.len(), |i| vstart + i);
    if line[vstart..vend].parse::<f64>().is_err() {
        return Err(format!(
            "`{dotted}` on line {} is not a plain number",
            found.line
        ));
    }
    let new_line = format!("{}{value}{}", &line[..vstart], &line[vend..]);
    lines[found.line - 1] = new_line;
    Ok(lines.join("\n"))
}

/// The rubric text with fitted points written in: `weights` are the scoring points' points,
/// then the form dimensions' (as [`form_dimensions`] lists them). Structure slots share their
/// dimension's fitted points in their old proportions. `comment` lines are put on top.
pub fn fitted_rubric(
    text: &str,
    rubric: &Rubric,
    weights: &[f64],
    comment: &str,
) -> Result<String, String> {
    let step = 0.5;
    let np = rubric.points.len();
    let dims = form_dimensions(rubric);
    if weights.len() != np + dims.len() {
        return Err("internal: weights do not match the rubric".into());
    }
    let mut edits: Vec<(Vec<String>, f64)> = Vec::new();
    for (i, w) in weights[..np].iter().enumerate() {
        edits.push((vec!["points".into(), i.to_string(), "points".into()], *w));
    }
    for ((id, old), w) in dims.iter().zip(&weights[np..]) {
        match *id {
            "structure" => {
                let s = &rubric.structure;
                let slots: Vec<(&str, f64)> = [
                    ("title", s.title.map(|x| x.points)),
                    ("salutation", s.salutation.map(|x| x.points)),
                    ("opening", s.opening.map(|x| x.points)),
                    ("headings", s.headings.as_ref().map(|h| h.points)),
                    ("closing", s.closing.map(|x| x.points)),
                    ("signature", s.signature.map(|x| x.points)),
                ]
                .into_iter()
                .filter_map(|(n, p)| p.filter(|p| *p > 0.0).map(|p| (n, p)))
                .collect();
                let shares: Vec<f64> = slots.iter().map(|(_, p)| p / old * w).collect();
                for ((name, _), v) in slots.iter().zip(round_weights(&shares, *w, step)) {
                    edits.push((vec!["structure".into(), (*name).into(), "points".into()], v));
                }
            }
            other => edits.push((vec![other.into(), "points".into()], *w)),
        }
    }
    // The comment goes on top, so a BOM (Windows Notepad) must not stay in front of the YAML.
    let mut out = text.trim_start_matches('\u{FEFF}').to_owned();
    for (path, v) in &edits {
        let loc = crate::locate::Locator::new(&out);
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        out = replace_value(&out, &loc, &p, &fmt_pts(*v))?;
    }
    let loc = crate::locate::Locator::new(&out);
    if loc
        .find(&["total"])
        .is_some_and(|f| f.written_path.matches('.').count() == 0)
    {
        out = replace_value(&out, &loc, &["total"], &fmt_pts(rubric.total))?;
    }
    let mut head = String::new();
    for l in comment.lines() {
        head.push_str("# ");
        head.push_str(l);
        head.push('\n');
    }
    Ok(head + &out)
}

fn flag(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "–",
    }
}

fn num(x: Option<f64>) -> String {
    // A value that rounds to zero prints as 0.000, never -0.000.
    x.map_or_else(
        || "–".into(),
        |v| format!("{:.3}", (v * 1000.0).round() / 1000.0 + 0.0),
    )
}

/// Print agreement figures, each against its bar, and the band confusion matrix.
pub fn write_agreement(
    out: &mut dyn std::io::Write,
    rubric: &Rubric,
    a: &Agreement,
) -> std::io::Result<()> {
    writeln!(out, "  分档完全一致  {:.1}%（{} 份）", a.exact * 100.0, a.n)?;
    writeln!(out, "  分档相邻一致  {:.1}%", a.adjacent * 100.0)?;
    let bar = |x: Option<f64>, ok: &dyn Fn(f64) -> bool| flag(x.map(ok));
    writeln!(
        out,
        "  QWK（分档）   {}  要求 ≥ 0.70  {}",
        num(a.qwk_bands),
        bar(a.qwk_bands, &|v| v >= 0.70)
    )?;
    writeln!(
        out,
        "  QWK（分数）   {}  要求 ≥ 0.70  {}",
        num(a.qwk_scores),
        bar(a.qwk_scores, &|v| v >= 0.70)
    )?;
    writeln!(
        out,
        "  Pearson r     {}  要求 ≥ 0.70  {}",
        num(a.pearson),
        bar(a.pearson, &|v| v >= 0.70)
    )?;
    writeln!(
        out,
        "  Spearman ρ    {}  要求 ≥ 0.70  {}",
        num(a.spearman),
        bar(a.spearman, &|v| v >= 0.70)
    )?;
    writeln!(
        out,
        "  SMD           {}  要求 |SMD| ≤ 0.15  {}",
        num(a.smd),
        bar(a.smd, &|v| v.abs() <= 0.15)
    )?;
    writeln!(out, "  分档混淆矩阵（行：教师，列：caifen）")?;
    let names: Vec<&str> = rubric.bands.iter().map(|b| b.name.as_str()).collect();
    writeln!(out, "          {}", names.join("  "))?;
    for (name, row) in names.iter().zip(&a.confusion) {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:>6}")).collect();
        writeln!(out, "    {name}{}", cells.join(""))?;
    }
    Ok(())
}

/// The rubric's own weights, in feature order (the prior of the fit).
pub fn rubric_weights(rubric: &Rubric) -> Vec<f64> {
    weight_names(rubric).into_iter().map(|(_, w)| w).collect()
}

/// Names of the fitted weights: scoring points, then dimensions.
pub fn weight_names(rubric: &Rubric) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = rubric
        .points
        .iter()
        .map(|p| (format!("{} {}", p.id, p.name), p.points))
        .collect();
    for (id, max) in form_dimensions(rubric) {
        let name = match id {
            "structure" => "结构 structure",
            "length" => "字数 length",
            _ => "语言 language",
        };
        v.push((name.to_owned(), max));
    }
    v
}
